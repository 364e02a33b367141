"""What listening costs: CPU per second of audio and memory, through one long turn of the real ear.

`SpeechEar` hears a continuous answer (the long fixture, looped) in one turn, as fast as it goes,
with its free and control-word recognizers, the loudness meter and the safe-word spotter (inline:
a file source), on the simulated clock. Every minute of audio gives a row: CPU seconds per
second of audio (a fraction of one core at real time) and the process's resident memory.
The parts are also timed alone over the first minutes, each used as the ear uses it.
"""
from __future__ import annotations

import resource
import threading
import time
from concurrent.futures import Future
from datetime import datetime

from .common import COMMANDS, DISTRACTORS, RATE, WORD, fixture

MINUTE = 60 * RATE * 2  # bytes


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return round(int(statm.read().split()[1]) * resource.getpagesize() / 2**20, 1)


def long_turn(model, minutes: int) -> list[dict]:
    from assistant.audio.sources import BufferedSource
    from assistant.audio.timeline import PacedSource
    from assistant.clock import SimulatedClock
    from assistant.speech.commands import CommandWords
    from assistant.speech.ear import SpeechEar
    from assistant.speech.spotter import Spotting
    from assistant.speech.turns import TurnTiming

    speech = fixture("long_no_safe_word.mp3")
    source = BufferedSource(RATE)
    source._data = (speech * (minutes * MINUTE // len(speech) + 1))[:minutes * MINUTE]
    loaded = Future()
    loaded.set_result(model)
    endless = TurnTiming(end_silence=10**9, no_answer=10**9)  # one answer, however long
    clock = SimulatedClock(datetime(2026, 1, 1))
    ear = SpeechEar(loaded, PacedSource(source, clock), CommandWords(COMMANDS), endless, clock, print,
                    Spotting(distractors=DISTRACTORS))
    ear.arm(WORD, threading.Event())
    ear.begin("answer")
    rows = []
    for minute in range(minutes):
        cpu = time.process_time()
        for _ in range(600):  # 0.1 s chunks
            ear.step()
        rows.append({"minute": minute + 1, "cpu_per_audio_second": round((time.process_time() - cpu) / 60, 3),
                     "rss_mb": rss_mb()})
        print(f"  long turn: {rows[-1]}", flush=True)
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
        feed = make()
        cpu = time.process_time()
        for start in range(0, len(speech), 3200):
            feed(speech[start:start + 3200])
        costs[name] = round((time.process_time() - cpu) / seconds, 4)
    return costs
