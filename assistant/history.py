"""Which exercises were done when: a small record in the state folder, streaks, and a chart.

Each session adds one line of facts: the exercise, when, and whether it was completed or stopped.
Never what was said: that is only ever in the journal, after a yes.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from .store import CannotWrite, Unreadable, read_json, set_aside, write_json_atomically

# What is recorded, in the order `assistant history` names them. The daily check-in's streak is
# counted in days, every other exercise's in weeks (the method asks for those once or more a week).
EXERCISES = ("checkin daily", "checkin weekly", "checkin fronts", "mirror", "appreciate", "attachment", "checklist")
DAILY = "checkin daily"
CHART_WEEKS = 8
BAR_WIDTH = 40  # the most blocks a week's bar gets; more sessions than that are drawn to scale


@dataclass(frozen=True)
class Session:
    exercise: str
    at: datetime
    completed: bool


def _path(state_dir: Path) -> Path:
    return state_dir / "history.json"


def _is_record(item: object) -> bool:
    return (isinstance(item, dict) and item.get("exercise") in EXERCISES and isinstance(item.get("at"), str)
            and isinstance(item.get("completed"), bool))


def load(state_dir: Path) -> list[Session]:
    """Every session recorded, oldest first. Raises Unreadable for a file this program did not write."""
    data = read_json(_path(state_dir), [])
    if not isinstance(data, list) or not all(_is_record(item) for item in data):
        raise Unreadable(_path(state_dir), "not a list of sessions")
    try:
        return [Session(item["exercise"], datetime.fromisoformat(item["at"]), item["completed"]) for item in data]
    except ValueError as error:
        raise Unreadable(_path(state_dir), str(error)) from error


def record(state_dir: Path, exercise: str, completed: bool, at: datetime,
           warn: Callable[[str, Path], None]) -> bool:
    """Add one session. A file that can't be read is set aside (never lost) and a new one begun:
    `warn(key, path)` says where it went. False when the record could not be written (a full disk, a
    folder that can't be written, which the session has said already): only this record is lost."""
    path = _path(state_dir)
    try:
        try:
            sessions = read_json(path, [])
            if not isinstance(sessions, list) or not all(_is_record(item) for item in sessions):
                raise Unreadable(path, "not a list of sessions")
        except Unreadable:
            warn("history.set_aside", set_aside(path))
            sessions = []
        sessions.append({"exercise": exercise, "at": at.isoformat(timespec="minutes"), "completed": completed})
        write_json_atomically(path, sessions)
    except CannotWrite:
        return False
    return True


def practice_of(snapshot: dict) -> str | None:
    """The history's name for the exercise a pause's snapshot resumes; None for one not recorded."""
    name = snapshot["exercise"]
    if name == "checkin":
        name = f"checkin {snapshot['kind']}"
    return name if name in EXERCISES else None


def _week(day: date) -> date:
    """The Monday the week of `day` starts on."""
    return day - timedelta(days=day.weekday())


def streak(sessions: list[Session], exercise: str, today: date) -> int:
    """Days (the daily check-in) or weeks (the others) in a row with a completed session, up to
    today or this week; a run that ended yesterday, or last week, still counts until today ends."""
    step = timedelta(days=1 if exercise == DAILY else 7)
    bucket = (lambda day: day) if exercise == DAILY else _week
    done = {bucket(s.at.date()) for s in sessions if s.exercise == exercise and s.completed}
    current = bucket(today)
    if current not in done:
        current -= step
    count = 0
    while current in done:
        count += 1
        current -= step
    return count


def weeks(sessions: list[Session], today: date, count: int = CHART_WEEKS) -> list[tuple[date, int, int]]:
    """The last `count` weeks, oldest first: (Monday, sessions completed, sessions stopped)."""
    mondays = [_week(today) - timedelta(weeks=back) for back in range(count - 1, -1, -1)]
    tally = {monday: [0, 0] for monday in mondays}
    for session in sessions:
        week = _week(session.at.date())
        if week in tally:
            tally[week][0 if session.completed else 1] += 1
    return [(monday, tally[monday][0], tally[monday][1]) for monday in mondays]


def chart(rows: list[tuple[date, int, int]]) -> list[str]:
    """A bar per week: a full block per completed session, a light one per stopped one."""
    most = max((done + stopped for _, done, stopped in rows), default=0)
    scale = max(1, -(-most // BAR_WIDTH))  # sessions per block, rounded up
    lines = []
    for monday, done, stopped in rows:
        bar = "█" * -(-done // scale) + "░" * -(-stopped // scale)
        lines.append(f"{monday.isoformat()}  {bar + ' ' if bar else ''}{done + stopped}")
    return lines
