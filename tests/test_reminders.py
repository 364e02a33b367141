"""Reminders: the schedule (English and Dutch day names), the calendar file parsed back by an
independent RFC 5545 parser, the systemd units, and the spoken set-up through the CLI."""
import configparser
import os
import sys
from datetime import datetime, time

import icalendar
import pytest

from assistant import reminders
from assistant.errors import PackError
from assistant.reminders import Schedule, calendar, parse, units
from conftest import run_main


def assistant(*args, stdin="", env=None):
    """`assistant ARGS`, its main() in this process (conftest.run_main), with `env` for the call."""
    return run_main(*args, stdin=stdin, env=env)


@pytest.mark.parametrize("words, expected", [
    (["daily", "21:00"], Schedule("daily", time(21, 0))),
    (["dagelijks", "9.30"], Schedule("daily", time(9, 30))),
    (["weekly", "Sunday", "20:00"], Schedule("weekly", time(20, 0), 6)),
    (["weekly", "zondag", "20:00"], Schedule("weekly", time(20, 0), 6)),
    (["wekelijks", "wo", "19.45"], Schedule("weekly", time(19, 45), 2)),
])
def test_the_schedule_in_either_language(words, expected):
    assert parse(words) == expected


@pytest.mark.parametrize("words, key", [
    ([], "remind.bad_words"), (["daily"], "remind.bad_words"), (["hourly", "3"], "remind.bad_words"),
    (["weekly", "20:00"], "remind.bad_words"), (["daily", "25:00"], "remind.bad_time"),
    (["daily", "21:60"], "remind.bad_time"), (["daily", "nine"], "remind.bad_time"),
    (["weekly", "someday", "20:00"], "remind.bad_day"),
])
def test_a_schedule_that_cant_be_used_is_refused(words, key):
    with pytest.raises(PackError) as refused:
        parse(words)
    assert refused.value.key == key


@pytest.mark.parametrize("at, late", [(time(21, 0), False), (time(21, 59), False), (time(22, 0), True),
                                      (time(0, 30), True), (time(4, 59), True), (time(5, 0), False)])
def test_late_at_night_is_from_ten_to_five(at, late):
    assert Schedule("daily", at).late is late


def parsed(text: str):
    return icalendar.Calendar.from_ical(text.encode("utf-8"))


def test_the_weekly_calendar_file_parses_back_with_its_rule_start_and_length():
    now = datetime(2026, 12, 1, 21, 30)  # a Tuesday
    text = calendar(Schedule("weekly", time(20, 0), 6), 45, "Weekly check-in", "Phones away, please; thanks",
                    "abc@assistant", now)
    event = parsed(text).walk("VEVENT")[0]
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["BYDAY"] == ["SU"]
    assert event["DTSTART"].dt == datetime(2026, 12, 6, 20, 0)  # the next Sunday, local time
    assert event["DURATION"].dt.total_seconds() == 45 * 60
    assert str(event["UID"]) == "abc@assistant" and str(event["SUMMARY"]) == "Weekly check-in"
    assert str(event["DESCRIPTION"]) == "Phones away, please; thanks"  # escaped and unescaped
    assert event["DTSTAMP"].dt.tzinfo is not None  # UTC, as RFC 5545 asks
    assert parsed(text).walk("VALARM")[0]["ACTION"] == "DISPLAY"


def test_the_daily_file_starts_today_or_tomorrow_and_every_line_is_crlf_and_at_most_75_octets():
    early = calendar(Schedule("daily", time(21, 0)), 10, "Dagelijkse check-in", "é" * 100, "u@assistant",
                     datetime(2026, 12, 1, 8, 0))
    late = calendar(Schedule("daily", time(21, 0)), 10, "s", "d", "u@assistant", datetime(2026, 12, 1, 21, 0))
    assert parsed(early).walk("VEVENT")[0]["DTSTART"].dt == datetime(2026, 12, 1, 21, 0)
    assert parsed(late).walk("VEVENT")[0]["DTSTART"].dt == datetime(2026, 12, 2, 21, 0)
    assert parsed(early).walk("VEVENT")[0]["RRULE"]["FREQ"] == ["DAILY"]
    assert str(parsed(early).walk("VEVENT")[0]["DESCRIPTION"]) == "é" * 100  # folded, never inside a character
    assert early.endswith("END:VCALENDAR\r\n") and "\n" not in early.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in early.split("\r\n"))


def test_the_units_run_assistant_say_at_the_chosen_time():
    made = units(Schedule("weekly", time(20, 0), 6), "nl", "Tijd voor jullie check-in.", "Wekelijkse check-in")
    timer, service = configparser.ConfigParser(), configparser.ConfigParser(interpolation=None)
    timer.read_string(made["assistant-checkin-weekly.timer"])
    service.read_string(made["assistant-checkin-weekly.service"])
    assert timer["Timer"]["OnCalendar"] == "Sun *-*-* 20:00:00"
    assert timer["Timer"]["Unit"] == "assistant-checkin-weekly.service"
    start = service["Service"]["ExecStart"]
    assert start.startswith(sys.executable) and " -m assistant say --lang nl 'Tijd voor jullie check-in.'" in start
    daily = units(Schedule("daily", time(21, 5)), "en", "100% time", "d")["assistant-checkin-daily.timer"]
    assert "OnCalendar=*-*-* 21:05:00" in daily
    assert "100%% time" in units(Schedule("daily", time(21, 5)), "en", "100% time", "d")[
        "assistant-checkin-daily.service"]


def test_without_a_systemd_user_manager_no_timer_is_offered_and_the_file_is_written(tmp_path):
    env = {**os.environ, "PATH": str(tmp_path)}  # no systemctl at all
    run = assistant("remind", "daily", "23:15", "--text", "--quiet", env=env)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    path = lines[0].removeprefix("Calendar file: ")
    assert path.endswith("checkin-daily.ics") and parsed(open(path, encoding="utf-8").read())
    assert "Guide: Your daily check-in reminder is set for 23:15, every day." in lines
    assert any(line.startswith("Guide: The best moment is right after dinner") for line in lines)
    assert any(line.startswith("Guide: 23:15 is late in the evening.") for line in lines)
    assert not any("timer" in line for line in lines)


def fake_systemctl(folder, calls):
    """Stands in for systemd's user manager, which does not run in this container: it answers and
    notes what it was asked."""
    script = folder / "systemctl"
    script.write_text(f'#!/bin/sh\necho "$@" >> {calls}\nexit 0\n')
    script.chmod(0o755)
    return {**os.environ, "PATH": f"{folder}:{os.environ['PATH']}"}


def test_where_timers_work_the_timer_is_offered_and_set_only_on_a_yes_in_dutch(tmp_path):
    calls = tmp_path / "calls"
    env = fake_systemctl(tmp_path, calls)
    run = assistant("remind", "weekly", "zondag", "20:00", "--text", "--quiet", "--lang", "nl", stdin="ja\n", env=env)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert "Gids: De herinnering voor jullie wekelijkse check-in staat op zondag om 20:00, elke week." in lines
    assert "Gids: Houd elke week dezelfde dag en hetzelfde tijdstip aan, zodat het een gewoonte wordt." in lines
    assert not any("laat op de avond" in line for line in lines)
    assert "Gids: De timer staat." in lines
    units_folder = tmp_path / "xdg_config_home" / "systemd" / "user"
    assert "OnCalendar=Sun *-*-* 20:00:00" in (units_folder / "assistant-checkin-weekly.timer").read_text()
    assert "enable --now assistant-checkin-weekly.timer" in calls.read_text()


def test_no_timer_without_a_yes(tmp_path):
    calls = tmp_path / "calls"
    env = fake_systemctl(tmp_path, calls)
    run = assistant("remind", "daily", "21:00", "--text", "--quiet", stdin="hmm\n\n", env=env)
    assert run.stdout.splitlines().count("Guide: Yes or no?") == 1
    assert "Guide: Okay, no timer. The calendar file is all you need." in run.stdout
    assert not (tmp_path / "xdg_config_home" / "systemd").exists() and "enable" not in calls.read_text()


@pytest.mark.parametrize("args, sentence", [
    (["weekly", "someday", "20:00"], "someday is not a day of the week I know: give one like sunday, for example "
                                     "assistant remind weekly sunday 20:00."),
    (["daily", "25:00"], "25:00 is not a time of day: give hours and minutes like 21:00."),
    (["daily", "25:00", "--lang", "nl"], "25:00 is geen tijdstip: geef uren en minuten, zoals 21:00."),
    (["--lang", "nl"], "Zeg wanneer de herinnering moet komen, bijvoorbeeld: assistant remind daily 21:00, of "
                       "assistant remind weekly zondag 20:00."),
])
def test_a_bad_time_or_day_is_one_calm_sentence(args, sentence):
    run = assistant("remind", *args, "--text", "--quiet")
    assert run.returncode == 2 and run.stderr.strip() == sentence and run.stdout == ""


def test_the_calendar_uid_stays_the_same_for_the_same_file(tmp_path):
    assert reminders.calendar_uid(tmp_path / "a.ics") == reminders.calendar_uid(tmp_path / "a.ics")
    assert reminders.calendar_uid(tmp_path / "a.ics") != reminders.calendar_uid(tmp_path / "b.ics")
