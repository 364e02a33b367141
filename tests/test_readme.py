"""The README's commands, copied as written from its marked blocks (`<!-- readme-test: ... -->`).

Where each block runs: `run` here, in bash in the checkout; `first-session` line 1 in
test_models.py (against a local mirror), line 2 in test_doctor.py, lines 3 and 4 here; `offline`
line 1 in test_doctor.py, line 2 here; `pipx` and the set-up (`scripts/run.sh test`) in .ci/run.
"""
import os
import subprocess
import sys
from pathlib import Path

from model_server import readme_commands, readme_lines

CHECKOUT = Path(__file__).parents[1]


def test_after_the_set_up_the_command_runs_from_the_venv_or_an_activated_shell():
    if not (CHECKOUT / ".venv" / "bin" / "assistant").exists():
        import pytest

        pytest.skip("no .venv here: scripts/run.sh makes it")
    script = "set -e\n" + "\n".join(readme_lines("run"))
    run = subprocess.run(["bash", "-c", script], cwd=CHECKOUT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "usage: assistant [-h] [--version] COMMAND ..." in run.stdout
    assert run.stdout.strip().splitlines()[-1].startswith("assistant ")
    assert run.stderr == ""


def test_the_first_spoken_session_without_a_model_says_how_to_install_it_and_that_text_works(main):
    for command in readme_commands("first-session")[2:]:  # safeword, checkin daily: both speak
        run = main(*command)
        assert run.returncode == 2
        assert run.stderr.strip() == ("There is no English speech model yet: install it with assistant models "
                                      "install en, or add --text to type your answers now.")


def test_typing_without_a_speaker_prints_the_guide_and_says_so_once(tmp_path):
    command = readme_commands("offline")[1]
    assert "--text" in command and "--quiet" not in command
    run = subprocess.run([sys.executable, "-m", "assistant", *command], input="tired but proud\nstop\n",
                         capture_output=True, text=True, timeout=120, env=os.environ.copy())
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Guide: Welcome to your daily check-in.")
    assert "Guide: Ben, how did you feel today?" in run.stdout
    assert run.stderr.strip() == "There is no speaker, so what the guide says is only shown on the screen."


def test_pause_status_says_nothing_about_ffmpeg_when_it_is_missing(tmp_path):
    run = subprocess.run([sys.executable, "-m", "assistant", "pause", "--status"], capture_output=True, text=True,
                         timeout=60, env={**os.environ, "PATH": str(tmp_path)})  # no ffmpeg on this PATH
    assert run.returncode == 0 and run.stdout.strip() == "No pause is running."
    assert run.stderr == ""


def test_the_fix_a_sentence_names_is_an_option_the_command_has(main):
    # No speaker and no microphone here (tests/no_sound_card, wherever the tests run).
    run = main("say", "hello")
    assert run.returncode == 2 and run.stderr.strip().endswith(
        "write the line to a file with --output FILE.wav instead.")
    model = Path(__file__).parent / "fixtures"  # any folder: the microphone is opened first
    run = main("listen", "--model", str(model))
    assert run.returncode == 2 and run.stderr.strip().endswith(
        "give an audio file to listen to with --input FILE instead.")
