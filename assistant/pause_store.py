"""The running pause on disk: it must survive Ctrl-C, a crash, kill -9 and a change of the clock.

The deadline is kept on the system's monotonic clock, which counts from boot and which no clock
change moves; the wall-clock deadline is only the fallback after a reboot.

The file holds no word anyone said: the interrupted exercise's snapshot is where it stood (its
state, its timers), never the answers. A file this version did not write (garbage, a directory,
another version) is set aside under a timestamped name and never keeps anyone from going on.

The file, version 2 (JSON):

    version             2
    boot                the boot it was written in (`boot_id`)
    deadline_monotonic  seconds, on time.monotonic(): the end, within that boot
    deadline_wall       seconds since the epoch: the end, after a reboot
    total_seconds       the pause so far, extensions included
    resume              null (nothing to resume), or the interrupted exercise, one level deep:
                        "exercise" ("checkin", "mirror" or "checklist"), "timers" ({name: seconds
                        left}), and the exercise's own fields from its `snapshot()` (its state, its
                        position and plan; exercises/resume.py checks each before it is trusted)

Version 1 kept the exercise one level down (`resume = {"exercise": {...}, "timers": {...}}`); such a
file, written before an update, is still read.
"""
from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .errors import UserError
from .method import LONGEST_PAUSE_MINUTES
from .store import CannotWrite, Unreadable, read_json, set_aside, write_json_atomically

LONGEST_SECONDS = LONGEST_PAUSE_MINUTES * 60
VERSION = 2  # of the file's layout; a file with another version (but 1) is set aside


def boot_id() -> str:
    """Changes at every boot, so a monotonic deadline is only trusted within one boot."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:  # not Linux: the boot time as the wall clock sees it, to the minute
        return f"boot-{round((time.time() - time.monotonic()) / 60)}"


@dataclass(frozen=True)
class PauseRecord:
    boot: str
    deadline_monotonic: float  # seconds, on time.monotonic()
    deadline_wall: float  # seconds since the epoch, for after a reboot
    total_seconds: float  # the pause so far, extensions included
    resume: dict[str, Any] | None  # the interrupted exercise's snapshot with its timers, flat; no answers

    def remaining(self) -> float:
        if self.boot == boot_id():
            left = self.deadline_monotonic - time.monotonic()
        else:
            left = self.deadline_wall - time.time()
        return max(0.0, min(left, LONGEST_SECONDS))


def _number(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value)


def resume_point(snapshot: dict[str, Any], timers: dict[str, float]) -> dict[str, Any]:
    """The file's `resume`: the exercise's snapshot with its timers (seconds left) beside its fields."""
    return {**snapshot, "timers": timers}


def _record(data: Any) -> PauseRecord | None:
    """The record in a file's JSON, or None when it is not one this version can read."""
    if not isinstance(data, dict) or type(data.get("version")) is not int or data["version"] not in (1, VERSION):
        return None
    numbers = ("deadline_monotonic", "deadline_wall", "total_seconds")
    if not isinstance(data.get("boot"), str) or not all(_number(data.get(name)) for name in numbers):
        return None
    if data["total_seconds"] < 0 or "resume" not in data or not isinstance(data["resume"], (dict, type(None))):
        return None
    resume = data["resume"]
    if data["version"] == 1 and resume is not None and isinstance(resume.get("exercise"), dict):
        resume = {**resume["exercise"], "timers": resume.get("timers")}  # no timers: refused by the resume
    return PauseRecord(data["boot"], float(data["deadline_monotonic"]), float(data["deadline_wall"]),
                       float(data["total_seconds"]), resume)


class PauseStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen = self._signature()  # the file as this process last wrote or read it

    def _signature(self) -> tuple[int, int, int] | None:
        """What tells one version of the file from the next (an atomic write makes a new inode)."""
        try:
            found = self.path.stat()
        except OSError:
            return None
        return found.st_ino, found.st_mtime_ns, found.st_size

    def requested(self) -> PauseRecord | None:
        """A pause another process wrote since this one last looked (`assistant pause` in another
        terminal while a session runs), else None. One stat when nothing changed: cheap enough to
        ask about once a second. The file is only read here, never set aside."""
        now = self._signature()
        if now == self._seen:
            return None
        self._seen = now
        if now is None:
            return None
        try:
            return _record(read_json(self.path, None))
        except Unreadable:
            return None

    def load(self, warn: Callable[[UserError], None] | None = None) -> PauseRecord | None:
        """The running pause, or None. A file that is not a pause this version wrote is set aside
        (renamed with a timestamp, never deleted), `warn` gets the one sentence that says where it
        went, and the result is None: a bad file never keeps anyone from going on."""
        missing = object()
        if not os.path.lexists(self.path):  # also when the state folder is a file: there is no pause
            self._seen = None
            return None
        try:
            data = read_json(self.path, missing)
        except Unreadable:
            data = None
        self._seen = self._signature()
        if data is missing:
            return None
        record = _record(data)
        if record is not None:
            return record
        try:
            problem = UserError("pause_set_aside", path=set_aside(self.path))
        except CannotWrite as error:
            if isinstance(error.__cause__, FileNotFoundError):  # another run set it aside just now
                return None
            problem = UserError("pause_unreadable", path=self.path)
        finally:
            self._seen = self._signature()
        if warn:
            warn(problem)
        return None

    def start(self, seconds: float, total_seconds: float, resume: dict[str, Any] | None) -> PauseRecord:
        """Keep the pause on disk, so a restart finds it. `resume` is the interrupted exercise's
        snapshot (no answers in it). Raises store.CannotWrite when the file can't be written (a
        full disk, a read-only folder): the pause can still run, it just won't survive a restart."""
        record = PauseRecord(boot_id(), time.monotonic() + seconds, time.time() + seconds, total_seconds, resume)
        try:
            write_json_atomically(self.path, {"version": VERSION, **asdict(record)})
        finally:
            self._seen = self._signature()
        return record

    def clear(self) -> None:
        try:
            self.path.unlink()
        except (FileNotFoundError, NotADirectoryError):  # no pause, or no state folder at all
            pass
        finally:
            self._seen = self._signature()
