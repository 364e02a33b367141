"""The one clock every part of the assistant reads.

Production uses `SystemClock`, where time passes by itself. Sessions from a recording, the demo
and tests use `SimulatedClock`, where time passes only when something moves it: the recording's
audio as it is taken and the guide's voice as it is written (see the `timeline` of the audio
sources and of the WAV output), so a recorded session runs faster than real time and always
gives the same timings. Only the simulated clock can be moved.
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


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now()


class SimulatedClock:
    def __init__(self, start: datetime | None = None) -> None:
        self._start = start or datetime(2026, 1, 1, 20, 0, 0)
        self._elapsed = 0.0

    def monotonic(self) -> float:
        return self._elapsed

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self._elapsed)

    def advance(self, seconds: float) -> None:
        """Let `seconds` pass."""
        if seconds < 0:
            raise ValueError("time does not go backwards")
        self._elapsed += seconds
