"""What listening costs: CPU per second of audio and memory, through one long turn of the real ear.

`SpeechEar` hears a continuous answer (the long fixture, looped) in one turn, as fast as it goes,
with its free and control-word recognizers, the loudness meter and the safe-word spotter (inline:
a file source), on the simulated clock. Every minute of audio gives a row: CPU seconds per
second of audio (a fraction of one core at real time), in all and for each recognizer's calls,
and the process's resident memory. The parts are also timed alone over the first two minutes,
each used as the ear uses it (the spotter also in the live microphone's 50 ms blocks).
"""
from __future__ import annotations

import resource
import threading
import time
from concurrent.futures import Future
from contextlib import contextmanager
from datetime import datetime

from .common import COMMANDS, DISTRACTORS, RATE, WORD, ScheduledMicrophone, fixture

MINUTE = 60 * RATE * 2  # bytes


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return round(int(statm.read().split()[1]) * resource.getpagesize() / 2**20, 1)


class Timed:
    """A recognizer whose every call adds its thread's CPU time to `spent[part]`."""

    def __init__(self, recognizer, part: str, spent: dict[str, float]) -> None:
        self._recognizer, self._part, self._spent = recognizer, part, spent

    def __getattr__(self, name: str):
        method = getattr(self._recognizer, name)

        def timed(*args):
            started = time.thread_time()
            try:
                return method(*args)
            finally:
                self._spent[self._part] += time.thread_time() - started
        return timed


@contextmanager
def timed_recognizers(spent: dict[str, float]):
    """The ear's recognizers, each call timed under its part: free, control words or spotter."""
    from assistant.speech import recognizer

    free, grammar = recognizer.free_recognizer, recognizer.grammar_recognizer

    def timed_grammar(model, rate, phrases):
        return Timed(grammar(model, rate, phrases), "safe-word spotter" if WORD in phrases else "control words", spent)

    recognizer.free_recognizer = lambda model, rate: Timed(free(model, rate), "free recognizer", spent)
    recognizer.grammar_recognizer = timed_grammar
    try:
        yield
    finally:
        recognizer.free_recognizer, recognizer.grammar_recognizer = free, grammar


def long_turn(model, minutes: int, live: bool = False) -> list[dict]:
    """Per minute of one answer: CPU seconds per second of audio, in all and by part (the rest is
    loudness, turn taking, making recognizers afresh, Python), and resident memory. `live`: in
    real time through the real microphone code (`ScheduledMicrophone`: the spotter in its own
    thread on 50 ms blocks, the answer decoded in the ear's thread); else from a file source, as
    fast as it goes (the spotter inline, on the ear's 100 ms chunks)."""
    from assistant.audio.sources import BufferedSource
    from assistant.audio.timeline import PacedSource
    from assistant.clock import SimulatedClock, SystemClock
    from assistant.speech.commands import CommandWords
    from assistant.speech.ear import SpeechEar
    from assistant.speech.spotter import Spotting
    from assistant.speech.turns import TurnTiming

    speech = fixture("long_no_safe_word.mp3")
    speech = (speech * (minutes * MINUTE // len(speech) + 1))[:minutes * MINUTE]
    if live:
        clock = SystemClock()
        microphone = ScheduledMicrophone(clock, 0.05, keep=False)
        microphone.say(speech[:MINUTE])  # a minute ahead at most: the memory figure is the assistant's
        source = microphone.source
    else:
        clock = SimulatedClock(datetime(2026, 1, 1))
        recording = BufferedSource(RATE)
        recording._data = speech
        source = PacedSource(recording, clock)
    loaded = Future()
    loaded.set_result(model)
    endless = TurnTiming(end_silence=10**9, no_answer=10**9)  # one answer, however long
    spent = dict.fromkeys(("free recognizer", "control words", "safe-word spotter"), 0.0)
    rows = []
    with timed_recognizers(spent):
        ear = SpeechEar(loaded, source, CommandWords(COMMANDS), endless, clock, print,
                        Spotting(distractors=DISTRACTORS))
        ear.arm(WORD, threading.Event())
        ear.begin("answer")
        for minute in range(minutes):
            cpu, before = time.process_time(), dict(spent)
            if live:
                microphone.say(speech[(minute + 1) * MINUTE:(minute + 2) * MINUTE])
                until = clock.monotonic() + 60
                while clock.monotonic() < until:
                    ear.step()
            else:
                for _ in range(600):  # 0.1 s chunks
                    ear.step()
            total = time.process_time() - cpu
            by_part = {part: round((spent[part] - before[part]) / 60, 3) for part in spent}
            by_part["rest"] = round(total / 60 - sum(by_part.values()), 3)
            rows.append({"minute": minute + 1, "cpu_per_audio_second": round(total / 60, 3), "parts": by_part,
                         "rss_mb": rss_mb()})
            print(f"  long turn: {rows[-1]}", flush=True)
        ear.close()
    return rows


def parts(model, seconds: int = 120) -> dict:
    """Each part alone, over the same speech in 0.1 s chunks: CPU seconds per second of audio."""
    from assistant.speech import recognizer
    from assistant.speech.loudness import Loudness
    from assistant.speech.spotter import Spotter, Spotting

    speech = fixture("long_no_safe_word.mp3")[:seconds * RATE * 2]
    words = [w for said in COMMANDS.values() for w in said]

    def decode(make):
        rec = make()

        def feed(piece):
            if rec.AcceptWaveform(piece):
                rec.Result()
            else:
                rec.PartialResult()
        return feed

    def loudness():
        meter = Loudness(RATE)

        def feed(piece):
            meter.add(piece)
            meter.last_voiced()
        return feed

    makers = {
        "free recognizer": lambda: decode(lambda: recognizer.free_recognizer(model, RATE)),
        "control words": lambda: decode(lambda: recognizer.grammar_recognizer(model, RATE, words)),
        "safe-word spotter": lambda: Spotter(model, RATE, WORD, Spotting(distractors=DISTRACTORS)).feed,
        "loudness": loudness,
    }
    costs = {}
    for name, make in makers.items():
        costs[name] = fed(make(), speech, 3200, seconds)
    # live, the spotter hears the microphone's own 50 ms blocks (sources.TAP_SECONDS)
    costs["safe-word spotter, 50 ms blocks"] = fed(makers["safe-word spotter"](), speech, 1600, seconds)
    return costs


def fed(feed, speech: bytes, size: int, seconds: int) -> float:
    """CPU seconds per second of audio of `feed` over `speech` in pieces of `size` bytes."""
    cpu = time.process_time()
    for start in range(0, len(speech), size):
        feed(speech[start:start + size])
    return round((time.process_time() - cpu) / seconds, 4)
