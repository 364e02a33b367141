"""Fakes for what doesn't exist here (devices) and helpers to drive exercises with events."""
from __future__ import annotations

import io
import queue
import threading
import time

from assistant.events import AudioChunk, End, Listen, Say
from assistant.session import Blueprint, Session, build_session
from assistant.terminal import Terminal


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

    def close(self) -> None:
        pass


class RecordingOutput:
    """Stands in for the speaker: keeps what was played and lets the fake clock run for it."""

    def __init__(self, clock) -> None:
        self.clock = clock
        self.played: list[AudioChunk] = []
        self.recorded: list[AudioChunk] = []

    def play(self, chunk: AudioChunk, interrupt=None) -> bool:
        self.played.append(chunk)
        self.clock.advance(chunk.seconds)
        return True

    def record(self, chunk: AudioChunk) -> None:
        self.recorded.append(chunk)

    def close(self) -> None:
        pass


class PrintedVoice:
    """A voice whose every sentence lasts `seconds` (for conductor tests that need no espeak)."""

    def __init__(self, seconds: float = 1.0) -> None:
        self.spoken: list[str] = []
        self.private: list[str] = []  # the sentences asked for with private=True (never cached)
        self.seconds = seconds

    def synthesize(self, text: str, voice=None, private: bool = False) -> AudioChunk:
        self.spoken.append(text)
        if private:
            self.private.append(text)
        return AudioChunk(bytes(int(32000 * self.seconds)), 16000)

    def close(self) -> None:
        pass


class LiveMicrophone:
    """Stands in for a microphone: a thread delivers 0.1 s chunks in real time, silence unless
    audio was scheduled, to the ear and to every tap, as PortAudio's callback would."""

    live = True
    rate = 16000
    CHUNK = 3200  # bytes: 0.1 s

    def __init__(self) -> None:
        self._queue = queue.Queue()
        self._taps = []
        self._pending = bytearray()
        self._lock = threading.Lock()
        self.delivered = 0  # chunks so far
        self._tapped_at = 0  # the chunk a spotter started hearing at
        self.ended = False
        self._running = True
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def say(self, data: bytes, phase: int = 3) -> float:
        """Queue `data` to be heard next; returns when (time.monotonic) it will have been heard.

        The Korean test model's result for the short espeak words depends on where they fall in
        its 0.3 s decoding period (measured: caught only at multiples of 0.3 s after the stream
        starts); to test the assistant, not that model, speech starts at such a multiple."""
        with self._lock:
            start = self.delivered + len(self._pending) // self.CHUNK
            while (start - self._tapped_at) % phase:
                self._pending.extend(bytes(self.CHUNK))
                start += 1
            self._pending.extend(data)
            return time.monotonic() + len(self._pending) / (2 * self.rate)

    def _run(self) -> None:
        next_at = time.monotonic()
        while self._running:
            with self._lock:
                chunk = bytes(self._pending[:self.CHUNK]).ljust(self.CHUNK, b"\0")
                del self._pending[:self.CHUNK]
                for target in [self._queue, *self._taps]:
                    target.put(chunk)
                self.delivered += 1
            next_at += 0.1
            time.sleep(max(0.0, next_at - time.monotonic()))

    def tap(self):
        with self._lock:
            self._taps.append(queue.Queue())
            self._tapped_at = self.delivered
            return self._taps[-1]

    def untap(self, tap) -> None:
        with self._lock:
            self._taps = [t for t in self._taps if t is not tap]

    def read(self, timeout: float):
        if self.ended:
            return None
        try:
            return AudioChunk(self._queue.get(timeout=timeout), self.rate)
        except queue.Empty:
            return None

    def new_turn(self) -> None:
        while not self._queue.empty():
            self._queue.get_nowait()

    def close(self) -> None:
        self._running = False


class LiveSpeaker:
    """Stands in for the speaker: plays in real time, can be cut off, notes when each sound starts."""

    def __init__(self) -> None:
        self.started: list[float] = []
        self.cut_off = 0

    def play(self, chunk: AudioChunk, interrupt=None) -> bool:
        self.started.append(time.monotonic())
        end = time.monotonic() + chunk.seconds
        while time.monotonic() < end:
            if interrupt is not None and interrupt.is_set():
                self.cut_off += 1
                return False
            time.sleep(0.02)
        return True

    def record(self, chunk: AudioChunk) -> None:
        pass

    def close(self) -> None:
        pass


def fake_session(pack, clock, ear, voice, output, journal, log_file=None, **choices) -> Session:
    """A session built the way every session is (session.build_session), from fakes: `ear` stands
    in for the ear, `voice` for the voice, `output` for the speaker; what it shows goes nowhere
    (unless `view` says where)."""
    choices.setdefault("view", Terminal(io.StringIO()))
    return build_session(Blueprint(pack, clock, journal, lambda: output, lambda hearing: ear, lambda warn: voice,
                                   log_file=log_file, **choices))


def live_session(model, distractors, voice_seconds: float, pause_settings, journal_path, word: str = "보라색"):
    """A session with the real ear and armed spotter on a live fake microphone and speaker."""
    from concurrent.futures import Future

    from assistant.clock import SystemClock
    from assistant.content import load_pack
    from assistant.speech.commands import CommandWords
    from assistant.speech.ear import SpeechEar
    from assistant.speech.spotter import Spotting
    from assistant.speech.turns import TurnTiming
    from assistant.store import Journal

    loaded = Future()
    loaded.set_result(model)
    microphone, speaker, voice = LiveMicrophone(), LiveSpeaker(), PrintedVoice(seconds=voice_seconds)

    def ear(hearing):
        return SpeechEar(hearing.model.load(), microphone, CommandWords({}), TurnTiming(end_silence=30, no_answer=30),
                         hearing.clock, hearing.warn, Spotting(distractors=distractors))

    session = build_session(Blueprint(load_pack("en"), SystemClock(), Journal(journal_path), lambda: speaker, ear,
                                      lambda warn: voice, model=loaded, view=Terminal(io.StringIO()),
                                      pause=pause_settings, safe_word=word))
    return session, microphone, speaker, voice
