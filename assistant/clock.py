"""The one clock every part of the assistant reads.

Production uses `SystemClock`. File and demo sessions use `SimulatedClock`, which the
conductor advances by the length of the audio it plays and consumes, so a recorded session
runs faster than real time and always gives the same timings. Tests use it too.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds from an arbitrary start; never goes backwards."""

    def now(self) -> datetime:
        """Local wall-clock time, for what people read (\"we meet again at 20:35\")."""

    def advance(self, seconds: float) -> None:
        """Let `seconds` pass: a no-op on the real clock, where time passes by itself."""


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now()

    def advance(self, seconds: float) -> None:
        pass


class SimulatedClock:
    def __init__(self, start: datetime | None = None) -> None:
        self._start = start or datetime(2026, 1, 1, 20, 0, 0)
        self._elapsed = 0.0

    def monotonic(self) -> float:
        return self._elapsed

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self._elapsed)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time does not go backwards")
        self._elapsed += seconds
