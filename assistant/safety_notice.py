"""After a session stopped for safety, the next one within a day opens with the help lines once more.

Only the moment is kept, never what was said. Safety outranks persistence: when the state folder
can't be written or read, the stop itself still happens; only this reminder is lost.
"""
from __future__ import annotations

import contextlib
import math
import time
from pathlib import Path

from .store import read_json, write_json_atomically

REMIND_WITHIN_SECONDS = 24 * 3600  # a session that starts within a day of the stop repeats the help lines


class SafetyNotice:
    def __init__(self, path: Path) -> None:
        self.path = path

    def remember(self) -> None:
        with contextlib.suppress(Exception):
            write_json_atomically(self.path, {"version": 1, "stopped_at": time.time()})

    def due(self) -> bool:
        """True once after a recent stop: reading it clears it."""
        try:
            stopped_at = read_json(self.path, {}).get("stopped_at")
        except Exception:  # unreadable or not ours: no reminder, and nothing else breaks
            return False
        self.clear()
        return isinstance(stopped_at, (int, float)) and math.isfinite(stopped_at) and \
            0 <= time.time() - stopped_at < REMIND_WITHIN_SECONDS

    def clear(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
