"""The history: one line per session (exercise, when, completed or stopped, never what was said),
streaks in days or weeks, and a chart of the last weeks."""
import json
import time
from datetime import date, datetime

from assistant import history
from assistant.history import Session, chart, streak, weeks
from conftest import run_main


def assistant(*args, stdin=""):
    """`assistant ARGS`, its main() in this process (conftest.run_main)."""
    return run_main(*args, stdin=stdin)


def done(exercise, *days, completed=True):
    return [Session(exercise, datetime(2026, 12, day, 20, 0), completed) for day in days]


TODAY = date(2026, 12, 10)  # a Thursday


def test_the_daily_streak_counts_days_in_a_row_up_to_today_or_yesterday():
    sessions = done("checkin daily", 6, 7, 8, 9, 10) + done("checkin daily", 4)
    assert streak(sessions, "checkin daily", TODAY) == 5
    assert streak(done("checkin daily", 7, 8, 9), "checkin daily", TODAY) == 3  # today is not over yet
    assert streak(done("checkin daily", 7, 8), "checkin daily", TODAY) == 0  # yesterday was missed
    assert streak(done("checkin daily", 9, 10, completed=False), "checkin daily", TODAY) == 0  # stopped is not done


def test_the_weekly_streak_counts_weeks_in_a_row_from_monday():
    sessions = [Session("checkin weekly", datetime(2026, 11, day, 20), True) for day in (16, 29)] + \
        done("checkin weekly", 6)
    assert streak(sessions, "checkin weekly", TODAY) == 3  # the weeks of 16 Nov, 23 Nov (the 29th) and 30 Nov
    assert streak(sessions, "checkin weekly", date(2026, 12, 13)) == 3  # this week is not over yet: still counts
    assert streak(sessions, "checkin weekly", date(2026, 12, 14)) == 0  # a whole week was missed
    assert streak(sessions, "mirror", TODAY) == 0


def test_the_chart_has_a_bar_per_week_a_block_per_session():
    sessions = done("mirror", 1, 2) + done("mirror", 3, completed=False) + done("appreciate", 8)
    rows = weeks(sessions, TODAY, count=3)
    assert rows == [(date(2026, 11, 23), 0, 0), (date(2026, 11, 30), 2, 1), (date(2026, 12, 7), 1, 0)]
    assert chart(rows) == ["2026-11-23  0", "2026-11-30  ██░ 3", "2026-12-07  █ 1"]


def test_a_busy_week_is_drawn_to_scale():
    line = chart([(date(2026, 12, 7), 100, 0)])[0]
    assert line == "2026-12-07  " + "█" * 34 + " 100"  # three sessions a block, rounded up


def test_sessions_are_recorded_without_a_word_of_what_was_said_and_shown_in_english(private_dirs):
    assistant("checklist", "--text", "--quiet", stdin="yes\n" * 20 + "no\n")
    assistant("attachment", "--text", "--quiet", stdin="my secret answer\nstop\n")
    recorded = (private_dirs / "xdg_state_home" / "assistant" / "history.json").read_text()
    assert "secret" not in recorded
    assert [(r["exercise"], r["completed"]) for r in json.loads(recorded)] == [("checklist", True),
                                                                               ("attachment", False)]
    shown = assistant("history").stdout.splitlines()
    assert shown[0] == "Sessions, newest first:"
    assert shown[1].endswith("  attachment test: stopped") and shown[2].endswith("  checklist: completed")
    assert "  checklist: 1 week in a row" in shown and "attachment test" not in "".join(shown[4:6])
    assert shown[-2].endswith("█░ 2") and shown[-2].startswith(f"  {history._week(date.today()).isoformat()}")


def test_the_history_in_dutch_with_a_daily_streak():
    assistant("checkin", "daily", "--text", "--quiet", "--lang", "nl", stdin="goed\n" * 6)
    shown = assistant("history", "--lang", "nl").stdout.splitlines()
    assert shown[0] == "Sessies, nieuwste eerst:" and shown[1].endswith("  dagelijkse check-in: afgemaakt")
    assert "  dagelijkse check-in: 1 dag op rij" in shown
    assert "De laatste 8 weken, vanaf elke maandag:" in shown


def test_nothing_recorded_yet_says_so_and_an_unreadable_history_is_set_aside_never_lost(private_dirs):
    assert assistant("history").stdout.startswith("Nothing recorded yet.")
    path = private_dirs / "xdg_state_home" / "assistant" / "history.json"
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    shown = assistant("history")
    assert shown.returncode == 2 and shown.stderr.startswith("I can't read the history in")
    run = assistant("checklist", "--text", "--quiet", stdin="stop\n")
    assert "The history could not be read, so it was set aside as" in run.stderr
    aside = [p for p in path.parent.iterdir() if p.name.startswith("history.json.broken-")]
    assert len(aside) == 1 and aside[0].read_text() == "{not json"
    assert json.loads(path.read_text())[0]["completed"] is False


def test_an_exercise_resumed_after_a_restart_is_noted_too(private_dirs):
    config = private_dirs / "config.toml"
    config.write_text('safe_word = "crocodile"\n')
    first = assistant("appreciate", "--text", "--quiet", "--config", str(config), "--pause-minutes", "0.02",
                      stdin="you cooked\nwell crocodile\n")  # the input ends during the pause
    assert "Guide: Let's pause here. No last word." in first.stdout
    time.sleep(0.02 * 60)  # the next session starts after the pause is over
    back = "I want to solve this. Let's try again, more calmly.\n" * 2
    again = assistant("checklist", "--text", "--quiet", "--config", str(config), stdin=back + "next\n" * 5)
    assert "Guide: Anna" not in again.stdout and "Partner one, what else do you appreciate" in again.stdout
    recorded = json.loads((private_dirs / "xdg_state_home" / "assistant" / "history.json").read_text())
    assert [(r["exercise"], r["completed"]) for r in recorded] == [("appreciate", False), ("appreciate", False)]
