"""`assistant demo` end to end, as a fresh machine runs it: no microphone, speaker or model.

The English demo runs in a subprocess, as the README's first command; the others run its main() in
this process (conftest.run_main)."""
import json
import os
import subprocess
import sys
import wave

import pytest

from conftest import run_main


def run_demo(tmp_path, *extra, in_process=True):
    out, log = tmp_path / "demo.wav", tmp_path / "demo.jsonl"
    args = ["demo", "--output", str(out), "--log", str(log), *extra]
    run = run_main(*args) if in_process else subprocess.run(
        [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, timeout=300, env=os.environ.copy())
    records = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return run, out, records


def wav_seconds(path):
    with wave.open(str(path)) as wav:
        return wav.getnframes() / wav.getframerate()


def test_the_demo_runs_a_daily_checkin_with_typed_in_answers_when_no_model_is_installed(tmp_path):
    run, out, records = run_demo(tmp_path, in_process=False)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == ("No English speech model is installed, so the partners' lines go to the guide as text, "
                        "without speech recognition.")
    assert "Ben: repeat" in lines
    assert lines.count("Guide: Ben, how did you feel today? Name a feeling, not a report of your day.") == 2
    assert "Guide: Ben, take your time. Whenever you're ready, I'm listening." in lines
    assert "Guide: That was today's check-in. Thank you both for showing up for each other." in lines
    # then a round of mirroring, with one correction
    assert lines.index("Guide: Anna, tell Ben what you really meant.") > lines.index("Anna: no")
    assert "Guide: That sounds like a need for connection." in lines
    assert lines[-2] == ("Guide: Well done, both of you. Before you go on, tell each other one thing you "
                         "appreciate, or share a hug.")
    assert lines[-1] == f"The session was written to {out}."
    said = sum(1 for r in records if r["kind"] == "say")
    assert said == 12 + 19  # check-in: 3 opening, 6 questions, 1 repeated, 1 nudge, 1 closing; mirror: 19
    (summary,) = [r for r in records if r["kind"] == "summary"]
    assert (summary["rounds"], summary["landed"], summary["reflections"]) == (1, 0, 1)
    # The WAV holds the guide and both partners: longer than the guide's sentences alone.
    assert wav_seconds(out) > 60
    assert records[-1]["kind"] == "end" and abs(records[-1]["t"] - wav_seconds(out)) < 1.0
    assert wav_seconds(out) > 120


def test_the_demo_speaks_dutch_too(tmp_path):
    run, out, _ = run_demo(tmp_path, "--lang", "nl")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Er is geen Nederlands spraakmodel geïnstalleerd")
    assert "Gids: Ben, neem je tijd. Zodra je zover bent, luister ik." in run.stdout


@pytest.mark.slow  # minutes of speech through the recognizer
def test_with_a_model_the_partners_voices_go_through_the_real_recognizer(tmp_path, model_loaded_once):
    # The only model here is Korean, so English answers come out as Korean words: what this checks
    # is the path (synthesised partner audio, streamed into vosk, turns ended by silence), not the words.
    # Every second of speech costs that large model about half a second of CPU, so the partners speak
    # as quickly as espeak-ng can (450 words a minute) and a shorter silence ends their turns: half
    # the audio, the same path.
    config = tmp_path / "config.toml"
    config.write_text("voice_rate = 450\nend_silence_seconds = 1.2\n")
    run, out, records = run_demo(tmp_path, "--model", str(model_loaded_once), "--config", str(config))
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("The partners' answers are spoken and go through the speech recogniser.")
    heard = [r for r in records if r["kind"] == "heard" and r["event"] == "answer"]
    assert len(heard) >= 5 and all(r["text"] for r in heard)
    assert "The speech model does not know these control words" in run.stderr
    assert wav_seconds(out) > 60
