"""Reminders for the check-ins: when (`daily 21:00`, `weekly sunday 20:00`), a calendar file
(RFC 5545, written by hand: a dozen lines need no library), and a systemd user timer that speaks
"time for your check-in" through `assistant say`.
"""
from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

from .content import available_languages, load_pack
from .errors import PackError
from .text import normalize

ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
SYSTEMD_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
LATE_FROM = time(22, 0)  # from here on, the method's "right before sleep"
EARLY_UNTIL = time(5, 0)
LINE_OCTETS = 75  # RFC 5545 3.1: content lines are folded after 75 octets


@dataclass(frozen=True)
class Schedule:
    kind: str  # "daily" or "weekly"
    at: time
    weekday: int | None = None  # 0 Monday .. 6 Sunday, weekly only

    @property
    def late(self) -> bool:
        return self.at >= LATE_FROM or self.at < EARLY_UNTIL

    def next_start(self, now: datetime) -> datetime:
        """The first time it comes round, from `now` on."""
        start = datetime.combine(now.date(), self.at)
        if self.weekday is not None:
            start += timedelta(days=(self.weekday - now.weekday()) % 7)
        while start <= now:
            start += timedelta(days=7 if self.weekday is not None else 1)
        return start


def parse(words: list[str]) -> Schedule:
    """`daily 21:00` or `weekly sunday 20:00`; day names in every pack's language. Raises PackError: one
    calm sentence."""
    said = [normalize(word) for word in words]
    kind = _kind(said[0]) if said else None
    if kind is None or len(words) != (2 if kind == "daily" else 3):
        raise PackError("remind.bad_words")
    weekday = None
    if kind == "weekly":
        weekday = _weekday(said[1])
        if weekday is None:
            raise PackError("remind.bad_day", day=words[1])
    return Schedule(kind, _time(words[-1]), weekday)


def _kind(word: str) -> str | None:
    for lang in available_languages():
        pack = load_pack(lang)
        for kind, key in (("daily", "remind.daily_words"), ("weekly", "remind.weekly_words")):
            if word in pack.items(key):
                return kind
    return None


def _weekday(word: str) -> int | None:
    for lang in available_languages():
        for number, names in enumerate(load_pack(lang).values["remind.days"]):
            if word in names:
                return number
    return None


def _time(text: str) -> time:
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise PackError("remind.bad_time", given=text)
    return time(int(match[1]), int(match[2]))


# --- the calendar file ---------------------------------------------------------------------------
def _escaped(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11)."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _folded(line: str) -> str:
    """One content line, folded into CRLF lines of at most 75 octets, never inside a character."""
    parts: list[str] = []
    current = ""
    for char in line:
        limit = LINE_OCTETS if not parts else LINE_OCTETS - 1  # a continuation starts with a space
        if len((current + char).encode("utf-8")) > limit:
            parts.append(current)
            current = ""
        current += char
    parts.append(current)
    return "\r\n ".join(parts) + "\r\n"


def calendar(schedule: Schedule, minutes: float, summary: str, description: str, uid: str,
             now: datetime) -> str:
    """A VCALENDAR with one recurring event in local ("floating") time, and an alarm when it starts."""
    start = schedule.next_start(now)
    rule = "FREQ=DAILY" if schedule.weekday is None else f"FREQ=WEEKLY;BYDAY={ICAL_DAYS[schedule.weekday]}"
    stamp = now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//assistant//check-in reminder//EN", "CALSCALE:GREGORIAN",
             "BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp}", f"DTSTART:{start.strftime('%Y%m%dT%H%M%S')}",
             f"DURATION:PT{max(1, round(minutes))}M", f"RRULE:{rule}", f"SUMMARY:{_escaped(summary)}",
             f"DESCRIPTION:{_escaped(description)}", "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:PT0M",
             f"DESCRIPTION:{_escaped(summary)}", "END:VALARM", "END:VEVENT", "END:VCALENDAR"]
    return "".join(_folded(line) for line in lines)


def calendar_uid(path: Path) -> str:
    """The same for the same file: importing a changed reminder again updates the event."""
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, path.resolve().as_uri())}@assistant"


def write_atomically(path: Path, text: str) -> None:
    """Write beside `path` and rename over it: a reader sees the old file or the new, never half.
    Raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, scratch = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(scratch, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(scratch)
        raise


# --- the systemd user timer ----------------------------------------------------------------------
def timers_available() -> bool:
    """Whether a systemd user manager answers here (`systemctl --user` works)."""
    if shutil.which("systemctl") is None:
        return False
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        return subprocess.run(["systemctl", "--user", "show-environment"], capture_output=True,
                              timeout=10).returncode == 0
    return False


def unit_name(schedule: Schedule) -> str:
    return f"assistant-checkin-{schedule.kind}"


def _systemd_quoted(word: str) -> str:
    """A word for ExecStart: quoted, and with systemd's own specifiers (% and $) kept literal."""
    return shlex.quote(word.replace("%", "%%").replace("$", "$$"))


def units(schedule: Schedule, lang: str, spoken: str, description: str) -> dict[str, str]:
    """The service that speaks `spoken` and the timer that starts it, by file name."""
    command = [sys.executable, "-m", "assistant", "say", "--lang", lang, spoken]
    day = "" if schedule.weekday is None else SYSTEMD_DAYS[schedule.weekday] + " "
    name = unit_name(schedule)
    service = (f"[Unit]\nDescription={description}\n\n[Service]\nType=oneshot\n"
               f"ExecStart={' '.join(_systemd_quoted(word) for word in command)}\n")
    timer = (f"[Unit]\nDescription={description}\n\n[Timer]\nOnCalendar={day}*-*-* {schedule.at.strftime('%H:%M')}:00\n"
             f"Unit={name}.service\n\n[Install]\nWantedBy=timers.target\n")
    return {f"{name}.service": service, f"{name}.timer": timer}


def systemd_user_folder() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "systemd" / "user"


def install_timer(schedule: Schedule, lang: str, spoken: str, description: str) -> bool:
    """Write the units and start the timer; False when systemd refused (the files stay, harmless)."""
    folder = systemd_user_folder()
    try:
        for name, text in units(schedule, lang, spoken, description).items():
            write_atomically(folder / name, text)
        for command in (["daemon-reload"], ["enable", "--now", f"{unit_name(schedule)}.timer"]):
            if subprocess.run(["systemctl", "--user", *command], capture_output=True, timeout=30).returncode:
                return False
    except (OSError, subprocess.SubprocessError):
        return False
    return True
