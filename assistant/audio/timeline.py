"""Time in a session from a recording (`--input FILE`, the demo): it passes with the audio.

On a `SimulatedClock` nothing passes by itself, so the session wraps its recording and its output
in these: the time of each piece of audio taken from the recording, and of each sound the guide
plays, passes on the clock. A recorded session so runs faster than real time and always gives the
same timings; the audio parts themselves never move time.
"""
from __future__ import annotations

import threading

from ..clock import SimulatedClock
from ..events import AudioChunk


class PacedSource:
    """A recorded source (never live) whose audio takes its time as it is read."""

    live = False

    def __init__(self, source, timeline: SimulatedClock) -> None:
        self.source = source
        self.timeline = timeline

    @property
    def rate(self) -> int:
        return self.source.rate

    @property
    def ended(self) -> bool:
        return self.source.ended

    def read(self, timeout: float) -> AudioChunk | None:
        chunk = self.source.read(timeout)
        if chunk is not None:
            self.timeline.advance(chunk.seconds)
        return chunk

    def new_turn(self) -> None:
        self.source.new_turn()

    def close(self) -> None:
        self.source.close()


class PacedOutput:
    """An output whose sounds take their time as they are played."""

    def __init__(self, output, timeline: SimulatedClock) -> None:
        self.output = output
        self.timeline = timeline

    def play(self, chunk: AudioChunk, interrupt: threading.Event | None = None) -> bool:
        finished = self.output.play(chunk, interrupt)
        if finished:
            self.timeline.advance(chunk.seconds)
        return finished

    def record(self, chunk: AudioChunk) -> None:
        self.output.record(chunk)

    def close(self) -> None:
        self.output.close()
