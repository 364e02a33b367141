"""`assistant doctor`, run as a person runs it: a subprocess on a machine without sound devices
(tests/no_sound_card, wherever the tests run), with the Korean model installed by the README's
offline line (`models install en --from FILE.zip`)."""
import os
import re
import shutil
import subprocess
import sys

import pytest

from model_server import readme_commands

NAME = "vosk-model-small-en-us-0.15"


def rows(table: str) -> dict[str, tuple[str, str]]:
    """check -> (status, detail), from the doctor's table."""
    found = {}
    for line in table.splitlines()[2:]:
        parts = re.split(r"\s{2,}", line.strip(), maxsplit=2)
        if len(parts) == 3:
            found[parts[0]] = (parts[1], parts[2])
    return found


@pytest.mark.slow  # installs the 264 MB model, and the doctor test-loads it
def test_doctor_shows_the_whole_set_up_and_names_each_fix(main, tmp_path, korean_zip, monkeypatch):
    from assistant import models

    zip_path, _, sha256 = korean_zip
    monkeypatch.setitem(models.PINNED_SHA256, f"{NAME}.zip", sha256)  # the Korean zip stands in for it
    monkeypatch.chdir(tmp_path)
    (tmp_path / f"{NAME}.zip").symlink_to(zip_path)
    install = readme_commands("offline")[0]
    assert install == ["models", "install", "en", "--from", f"{NAME}.zip"]
    run = main(*install)
    assert run.returncode == 0, run.stderr
    assert "Checked against its pinned SHA-256 checksum." in run.stdout
    config = tmp_path / "xdg_config_home" / "assistant" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('safe_word = "pineapple"\n')

    doctor = readme_commands("first-session")[1]
    assert doctor == ["doctor"]
    run = subprocess.run([sys.executable, "-m", "assistant", *doctor], capture_output=True, text=True,
                         timeout=300, env=os.environ.copy())
    assert run.stderr == ""
    table = rows(run.stdout)
    assert table["Python"] == ("ok", ".".join(map(str, sys.version_info[:3])))
    assert table["espeak-ng"][0] == "ok"
    assert table["voice en"] == ("ok", "gmw/en") and table["voice nl"] == ("ok", "gmw/nl")
    assert table["PortAudio"][0] == "ok"
    assert table["input device"] == ("FAIL", "none found: plug in a microphone, or choose one with "
                                     "--input-device from assistant devices; until then --text lets you type")
    assert "microphone sound" not in table
    assert table["output device"][0] == "FAIL" and "--text prints the guide" in table["output device"][1]
    assert table["ffmpeg"][0] == ("ok" if shutil.which("ffmpeg") else "note")
    installed = tmp_path / "models" / NAME
    assert table["speech model en"] == ("ok", str(installed))
    assert table["grammar en"] == ("ok", "supported")
    status, detail = table["control words en"]  # Korean knows none of the English control words
    assert status == "FAIL" and detail.startswith("not in the model's vocabulary: again, done, end, ")
    assert detail.endswith("; the language's own model knows them: assistant models install en")
    assert table["safe word"] == ("FAIL", "pineapple is not in the model's vocabulary, so it can't be heard: "
                                          "choose another with assistant safeword")
    assert table["speech model nl"] == ("note", "not installed: assistant models install nl")
    assert table["config"] == ("ok", str(config))
    for folder in ("state_dir", "data_dir", "cache_dir"):
        assert table[folder][0] == "ok" and table[folder][1].endswith(" free")
    failed = sum(status == "FAIL" for status, _ in table.values())
    assert run.stdout.strip().endswith(f"Checks that failed: {failed}. Each failing row says what to do.")
    assert run.returncode == 1


def test_a_broken_config_is_a_row_and_the_rest_is_still_checked(main, tmp_path):
    config = tmp_path / "xdg_config_home" / "assistant" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("pause_minutes = 'long'\n")
    run = main("doctor", "--lang", "nl")
    assert run.returncode == 1 and run.stderr == ""
    table = rows(run.stdout)
    assert table["instellingen"] == ("FOUT", f"De instellingen in {config} zijn niet bruikbaar, pause_minutes = "
                                             "'long' is van het verkeerde type: verbeter die regel, of verwijder het "
                                             "bestand om de standaardwaarden te gebruiken.")
    assert table["spraakmodel nl"] == ("FOUT", "niet geïnstalleerd: assistant models install nl")
    assert table["spraakmodel en"] == ("let op", "niet geïnstalleerd: assistant models install en")


def test_the_exit_code_is_0_only_when_no_row_fails(monkeypatch, capsys):
    from assistant import doctor
    from assistant.settings import Settings

    fine = [doctor.Row("Python", doctor.OK, "3"), doctor.Row("ffmpeg", doctor.NOTE, "not installed")]
    monkeypatch.setattr(doctor.Doctor, "run", lambda self: fine)
    assert doctor.doctor(Settings(lang="en"), None, None) == 0
    assert capsys.readouterr().out.strip().endswith("All is well.")
    monkeypatch.setattr(doctor.Doctor, "run", lambda self: fine + [doctor.Row("x", doctor.FAIL, "fix it")])
    assert doctor.doctor(Settings(lang="en"), None, None) == 1


def _library(name: str) -> str | None:
    for folder in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib", "/usr/local/lib"):
        if os.path.exists(f"{folder}/{name}"):
            return f"{folder}/{name}"
    return None


def without(paths: list[str], command: list[str], tmp_path) -> subprocess.CompletedProcess:
    """`command` with `paths` hidden (an empty file mounted over each), in a mount namespace of its own."""
    hide = " && ".join(f"mount --bind /dev/null {p}" for p in paths)
    script = f"{hide} && exec \"$@\""
    return subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", *command], capture_output=True, text=True,
                          timeout=120, env=os.environ.copy(), cwd=tmp_path)


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare") or not _library("libespeak-ng.so.1"),
                    reason="hiding a library needs root, unshare and espeak-ng to hide")
def test_without_espeak_ng_or_ffmpeg_the_demo_is_one_sentence_and_the_doctor_names_the_fix(tmp_path):
    hidden = [_library("libespeak-ng.so.1")] + [p for p in (shutil.which("espeak-ng"), shutil.which("ffmpeg")) if p]
    demo = without(hidden, [sys.executable, "-m", "assistant", "demo", "--output", str(tmp_path / "d.wav")], tmp_path)
    if "mount" in demo.stderr or "unshare" in demo.stderr:
        pytest.skip(f"no mount namespace here: {demo.stderr.strip()}")
    assert demo.returncode == 2 and "Traceback" not in demo.stderr
    assert demo.stderr.strip() == ("The voice could not speak, so there is nothing to hear: assistant doctor shows "
                                   "what is missing, most often espeak-ng.")
    status = without(hidden, [sys.executable, "-m", "assistant", "pause", "--status"], tmp_path)
    assert status.returncode == 0 and status.stderr == ""  # no "Couldn't find ffmpeg" from pydub
    doctor = without(hidden, [sys.executable, "-m", "assistant", "doctor"], tmp_path)
    table = rows(doctor.stdout)
    assert table["espeak-ng"] == ("FAIL", "the espeak-ng library is missing, so the guide can't speak: "
                                          "sudo apt install espeak-ng, or brew install espeak-ng")
    assert table["ffmpeg"] == ("note", "not installed, needed only for audio files that are not WAV: "
                                       "sudo apt install ffmpeg")
    assert doctor.returncode == 1


class FakeSoundDevice:
    """A microphone for Doctor._listen: blocks of `samples`, or none at all."""

    def __init__(self, samples):
        self.samples = samples

    def RawInputStream(self, callback, **_):
        import contextlib
        from array import array

        @contextlib.contextmanager
        def stream():
            if self.samples is not None:
                callback(array("h", self.samples).tobytes(), len(self.samples), None, None)
            yield
        return stream()


@pytest.mark.parametrize("samples, status, detail", [
    ([0, 1200, -3000, 5], "ok", "sound arrives, at most 9% of full scale in one second"),
    ([0, 0, 0], "fail", "the microphone sends only silence: check that it is not muted"),
    (None, "fail", "the microphone sends nothing: check the cable and the system's sound settings"),
])
def test_the_microphone_row_says_whether_sound_arrives(monkeypatch, samples, status, detail):
    from assistant import doctor
    from assistant.settings import Settings

    monkeypatch.setattr(doctor, "LISTEN_SECONDS", 0.01)
    check = doctor.Doctor(Settings(lang="en"), None, None)
    assert check._listen(FakeSoundDevice(samples), None, 16000) == (status, detail)
