"""End of an answer -> the next prompt: from the moment the turn-taking decides an answer is over
to the first sample of the next prompt handed to the speaker.

Real daily check-ins (English and Dutch, alternately) run through the real session: conductor,
exercise machine, safety listener, event log, the real voice (pyttsx3 / espeak-ng) with its cache
on disk, and `SpeakerOutput.play` itself, whose device stream is a stand-in that notes the
moment of its first write. The ear stands in for the microphone: each answer is decided after
a random 1-4 s of real listening time, the moment it is handed to the conductor is the start.
"Uncached": every answer is followed by a prompt the voice has never made (the cache folder is
new at each turn), as on a first session or after changing the voice; "cached": the same
session again with its cache kept.
"""
from __future__ import annotations

import io
import random
import tempfile
import time
from datetime import datetime
from pathlib import Path

from .common import summary

ANSWERS = {"en": "we had a good day and I liked our walk", "nl": "we hadden een fijne dag en ik vond de wandeling fijn"}
DEVICE_RATE = 48000  # Hertz: what a speaker usually opens at (the prompt is resampled to it)


class FirstWrite:
    """The speaker's device stream: notes when the first block after an answer is written."""

    def __init__(self) -> None:
        self.waiting_since: float | None = None  # the moment an answer was decided
        self.delays: list[float] = []

    def write(self, data: bytes) -> None:
        if self.waiting_since is not None:
            self.delays.append(time.perf_counter() - self.waiting_since)
            self.waiting_since = None

    def abort(self) -> None:
        pass

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


class AnsweringEar:
    """Partners who answer every question after `listen` seconds (real time); `on_listen` runs at
    each new turn (the uncached run empties the voice's cache there)."""

    def __init__(self, language: str, stream: FirstWrite, rng: random.Random, on_listen) -> None:
        from assistant.events import Answer

        self._answer = Answer(ANSWERS[language])
        self._stream, self._rng, self._on_listen = stream, rng, on_listen
        self._until = 0.0

    def begin(self, mode: str) -> None:
        self._on_listen()
        self._until = time.perf_counter() + self._rng.uniform(1.0, 4.0)

    def step(self):
        left = self._until - time.perf_counter()
        if left > 0:
            time.sleep(min(left, 0.1))
            return None
        self._stream.waiting_since = time.perf_counter()  # the turn is decided: over to the conductor
        return self._answer

    def arm(self, word, heard, second_ear=True) -> None:
        pass

    def disarm(self) -> None:
        pass

    def close(self) -> None:
        pass


def check_in(language: str, cache: Path, uncached: bool, rng: random.Random) -> list[float]:
    """One daily check-in; the seconds from each decided answer to the next prompt's first sample."""
    from assistant.audio.output import SpeakerOutput
    from assistant.clock import SystemClock
    from assistant.content import load_pack
    from assistant.exercises.checkin import Checkin, pack_partner_plan
    from assistant.session import Blueprint, build_session
    from assistant.speech.voice import Voice
    from assistant.store import Journal
    from assistant.terminal import Terminal
    from assistant.understanding.safety import SafetyListener

    pack = load_pack(language)
    stream = FirstWrite()
    speaker = SpeakerOutput.__new__(SpeakerOutput)  # the real play(); the stream stands in for PortAudio
    speaker.rate, speaker._stream = DEVICE_RATE, stream
    voices: list[Voice] = []

    def fresh_cache() -> None:
        if uncached and voices:
            voices[0].cache_dir = Path(tempfile.mkdtemp(dir=cache))

    def make_voice(warn) -> Voice:
        voices.append(Voice(cache, pack.text("voice.guide"), 175, warn))
        return voices[0]

    with tempfile.TemporaryDirectory() as scratch:
        plan = Blueprint(pack, SystemClock(), Journal(Path(scratch) / "journal.json"), lambda: speaker,
                         lambda hearing: AnsweringEar(language, stream, rng, fresh_cache), make_voice,
                         log_file=Path(scratch) / "log.jsonl", view=Terminal(io.StringIO(), io.StringIO()),
                         safety=SafetyListener.from_pack(pack))
        with build_session(plan) as session:
            names = (pack.text("checkin.partner_one"), pack.text("checkin.partner_two"))
            session.conductor.run(Checkin(pack_partner_plan(pack, "daily", names, 10)))
    return stream.delays


def placements(at_least: int, seed: int) -> dict:
    """Check-ins until each case has `at_least` placements, uncached first, then cached (after one
unmeasured check-in in each language): milliseconds, with median, p95 and max."""
    rng = random.Random(seed)
    results = {}
    with tempfile.TemporaryDirectory() as scratch:
        for case in ("uncached", "cached"):
            cache = Path(scratch) / "voice"
            cache.mkdir(exist_ok=True)
            if case == "cached":
                for language in ("en", "nl"):  # every prompt made once, not measured
                    check_in(language, cache, False, rng)
            delays: list[float] = []
            runs = 0
            while len(delays) < at_least:
                language = ("en", "nl")[runs % 2]
                delays += check_in(language, cache, case == "uncached", rng)
                runs += 1
            ms = [round(d * 1000, 2) for d in delays]
            results[case] = {"milliseconds": ms, **summary(ms), "started": datetime.now().isoformat()}
    return results
