"""The running pause on disk: it must survive Ctrl-C, a crash, kill -9 and a change of the clock.

The deadline is kept on the system's monotonic clock, which counts from boot and which no clock
change moves; the wall-clock deadline is only the fallback after a reboot.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .store import read_json, write_json_atomically

LONGEST_SECONDS = 24 * 3600


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
    lang: str
    resume: dict[str, Any] | None  # the interrupted exercise's snapshot, with its timers

    def remaining(self) -> float:
        if self.boot == boot_id():
            left = self.deadline_monotonic - time.monotonic()
        else:
            left = self.deadline_wall - time.time()
        return max(0.0, min(left, LONGEST_SECONDS))


class PauseStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> PauseRecord | None:
        try:
            data = read_json(self.path, None)
            return PauseRecord(**data) if data else None
        except (TypeError, ValueError):  # unreadable: written atomically, so not by us
            return None

    def start(self, seconds: float, total_seconds: float, lang: str, resume: dict[str, Any] | None) -> PauseRecord:
        record = PauseRecord(boot_id(), time.monotonic() + seconds, time.time() + seconds, total_seconds,
                             lang, resume)
        write_json_atomically(self.path, asdict(record))
        return record

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
