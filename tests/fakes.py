"""Fakes for what doesn't exist here (devices) and helpers to drive exercises with events."""
from __future__ import annotations

from assistant.events import AudioChunk, End, Listen, Say


def keys(actions) -> list[str]:
    return [a.key for a in actions if isinstance(a, Say)]


def listens(actions) -> list[str]:
    return [a.mode for a in actions if isinstance(a, Listen)]


def ended(actions) -> bool:
    return any(isinstance(a, End) for a in actions)


class ScriptedEar:
    """Hands the conductor prepared events, each after `seconds` of listening on the fake clock."""

    def __init__(self, clock, events, seconds: float = 5.0) -> None:
        self.clock = clock
        self.events = list(events)
        self.seconds = seconds
        self.modes: list[str] = []
        self._listened = 0.0

    def begin(self, mode: str) -> None:
        self.modes.append(mode)
        self._listened = 0.0

    def step(self):
        self.clock.advance(1.0)
        self._listened += 1.0
        if self._listened < self.seconds:
            return None
        self._listened = 0.0
        return self.events.pop(0)


class RecordingOutput:
    """Stands in for the speaker: keeps what was played and lets the fake clock run for it."""

    def __init__(self, clock) -> None:
        self.clock = clock
        self.played: list[AudioChunk] = []
        self.recorded: list[AudioChunk] = []

    def play(self, chunk: AudioChunk) -> None:
        self.played.append(chunk)
        self.clock.advance(chunk.seconds)

    def record(self, chunk: AudioChunk) -> None:
        self.recorded.append(chunk)

    def close(self) -> None:
        pass


class PrintedVoice:
    """A voice whose every sentence lasts one second (for conductor tests that need no espeak)."""

    def __init__(self) -> None:
        self.spoken: list[str] = []

    def synthesize(self, text: str, voice=None) -> AudioChunk:
        self.spoken.append(text)
        return AudioChunk(bytes(32000), 16000)
