"""The terminal view: one countdown format everywhere, and a countdown line never runs into the next."""
import io

from assistant.clock import SimulatedClock
from assistant.content import load_pack
from assistant.events import Answer, NoAnswer
from assistant.exercises.pausing import PauseSettings
from assistant.store import Journal
from assistant.terminal import Terminal, countdown_text
from fakes import PrintedVoice, RecordingOutput, ScriptedEar, fake_session

RETURN = "I want to solve this. Let's try again, more calmly."


class Screen(io.StringIO):
    """A terminal (isatty) that keeps what was written to it."""

    def isatty(self) -> bool:
        return True


def shown(seconds: float) -> str:
    return f"Pause: {countdown_text(seconds)} left"


def test_the_time_left_is_minutes_and_seconds_and_a_second_begun_counts():
    assert [countdown_text(s) for s in (1200, 1199.2, 45, 0.3, 0, -2, 5400)] == \
        ["20:00", "20:00", "00:45", "00:01", "00:00", "00:00", "90:00"]


def test_in_a_pipe_the_countdown_is_a_line_at_the_start_and_at_each_whole_minute():
    out = io.StringIO()
    terminal = Terminal(out)
    for tenths in range(754 * 10, 625 * 10, -1):  # the ear looks about ten times a second
        terminal.countdown(tenths / 10, lambda left: f"Pause: {left} left")
    assert out.getvalue().splitlines() == ["Pause: 12:34 left", "Pause: 12:00 left", "Pause: 11:00 left"]


def test_on_a_terminal_the_countdown_is_redrawn_in_place_and_ended_before_the_next_line():
    screen, err = Screen(), Screen()
    terminal = Terminal(screen, err)
    for seconds in (62, 61.5, 61, 60):
        terminal.countdown(seconds, lambda left: f"Pause: {left} left")
    terminal.line("Guide: Welcome back.")
    terminal.countdown(30, lambda left: f"Pause: {left} left")
    terminal.problem("The log could not be written.")
    assert screen.getvalue() == ("\rPause: 01:02 left   \rPause: 01:01 left   \rPause: 01:00 left   \n"
                                 "Guide: Welcome back.\n\rPause: 00:30 left   \n")
    assert err.getvalue() == "The log could not be written.\n"


def test_a_pause_in_a_session_shows_its_countdown_and_the_guide_speaks_on_a_line_of_its_own(tmp_path):
    clock = SimulatedClock()
    screen = Screen()
    events = [NoAnswer(), NoAnswer(), Answer(RETURN)]
    with fake_session(load_pack("en"), clock, ScriptedEar(clock, events, seconds=2), PrintedVoice(0.1),
                      RecordingOutput(clock), Journal(tmp_path / "journal.json"),
                      view=Terminal(screen), pause=PauseSettings(minutes=0.05, marks_minutes=(), calming=False,
                                                                 partners=1)) as session:
        assert session.conductor.pause()
    text = screen.getvalue()
    prompt = "Guide: " + load_pack("en").text("pause.return_prompt")
    countdown = text[text.index("\rPause: 00:03 left"):text.index(prompt)]
    assert countdown.endswith("   \n")  # the countdown's last line is ended before the guide's next sentence
    assert [part.strip() for part in countdown.split("\r") if part] == [shown(3), shown(2), shown(1)]
    assert "00:00" not in text  # the countdown stops when the time is up
    assert text.endswith("Guide: " + load_pack("en").text("pause.welcome_back_end") + "\n")
