"""The safe word, live: from the end of the spoken word to the first sample of the announcement.

Each placement runs a real daily check-in (real vosk, control-word and free recognizers, the real
espeak voice, the pause file on disk) on the real `MicrophoneSource` code fed in real time. A
partner says the safe word, alone or inside a sentence, while the guide speaks or while a partner
answers, starting at a random moment (any sample, not a multiple of the model's 0.3 s decoding
period). The floor is a bare vosk recognizer with the spotter's grammar fed exactly the audio the
spotter heard, in the same blocks: the first partial result holding the word, plus its decoding time.
"""
from __future__ import annotations

import dataclasses
import io
import random
import threading
import time
from concurrent.futures import Future
from pathlib import Path

from .common import COMMANDS, GRAMMARS, RATE, WORD, ScheduledMicrophone, fixture, word_span

CLIPS = ("word_safe.wav", "safe_word_mid.wav")
SETTLE = 3.0  # seconds after the word within which the announcement must start, or it counts as missed
# The confirmation rules measured: (grammar in GRAMMARS, consecutive partials that must hold the word).
RULES = {"2 partials, distractors": ("distractors", 2), "1 partial, distractors": ("distractors", 1),
         "2 partials, distractors + common words": ("distractors + common words", 2),
         "1 partial, distractors + common words": ("distractors + common words", 1)}


class TimedSpeaker:
    """Plays in real time, cut off by the interrupt like the real speaker; notes each start."""

    def __init__(self) -> None:
        self.started: list[float] = []
        self.done = False  # the placement is measured: the rest plays in no time

    def play(self, chunk, interrupt=None) -> bool:
        self.started.append(time.monotonic())
        end = time.monotonic() + chunk.seconds
        while time.monotonic() < end and not self.done:
            if interrupt is not None and interrupt.wait(0.01):
                return False
        return True

    def record(self, chunk) -> None:
        pass

    def close(self) -> None:
        pass


def floor(model, audio: bytes, block: int, word_end: float, grammar: str) -> float | None:
    """Seconds from the word's end (`word_end`, in seconds of `audio`) to the first partial with the
    word from a bare recognizer with the spotter's grammar, plus the decoding of that block."""
    from assistant.speech import recognizer
    from assistant.text import normalize

    bare = recognizer.grammar_recognizer(model, RATE, [WORD, *GRAMMARS[grammar]])
    bare.SetWords(True)
    for start in range(0, len(audio), block):
        began = time.perf_counter()
        if bare.AcceptWaveform(audio[start:start + block]):
            text = recognizer.result_text(bare.Result())
        else:
            text = recognizer.result_text(bare.PartialResult(), "partial")
        decoding = time.perf_counter() - began
        if WORD in normalize(text).split():
            return (start + block) / 2 / RATE - word_end + decoding
    return None


def one_placement(model, scratch: Path, clip: str, during: str, rng: random.Random, block: float,
                  rule: str) -> dict:
    from assistant.clock import SystemClock
    from assistant.content import load_pack
    from assistant.errors import UserError
    from assistant.exercises.checkin import Checkin, partner_plan
    from assistant.exercises.pausing import PauseSettings
    from assistant.pause_store import PauseStore
    from assistant.session import Blueprint, build_session
    from assistant.speech.commands import CommandWords
    from assistant.speech.ear import SpeechEar
    from assistant.speech.spotter import Spotting
    from assistant.speech.turns import TurnTiming
    from assistant.speech.voice import Voice
    from assistant.store import Journal
    from assistant.terminal import Terminal
    from assistant.understanding.safety import SafetyListener

    grammar, partials = RULES[rule]
    pack = load_pack("en")
    clock = SystemClock()
    microphone = ScheduledMicrophone(clock, block)
    speaker = TimedSpeaker()
    spoken: list[str] = []
    listening = threading.Event()
    loaded = Future()
    loaded.set_result(model)

    def voice(warn) -> Voice:
        made = Voice(scratch / "voice", pack.text("voice.guide"), 160, warn)
        synthesize = made.synthesize
        made.synthesize = lambda text, **kw: spoken.append(text) or synthesize(text, **kw)
        return made

    def ear(hearing) -> SpeechEar:
        made = SpeechEar(hearing.model.load(), microphone.source, CommandWords(COMMANDS), TurnTiming(),
                         hearing.clock, hearing.warn, Spotting(partials=partials, distractors=GRAMMARS[grammar]))
        begin = made.begin
        made.begin = lambda mode: listening.set() or begin(mode)
        return made

    session = build_session(Blueprint(
        pack, clock, Journal(scratch / "journal.json"), lambda: speaker, ear, voice,
        model=loaded, view=Terminal(io.StringIO()), pauses=PauseStore(scratch / "state" / "pause.json"),
        pause=PauseSettings(minutes=0.05, marks_minutes=(), calming=False), safe_word=WORD,
        safety=SafetyListener.from_pack(pack)))
    audio = fixture(clip)
    lead = rng.uniform(0.0, 0.3)  # seconds of silence before the clip: any phase
    said: dict[str, int] = {}
    announce = pack.text("pause.announce", minutes=1, at="")[:20]

    def partner() -> None:
        if during == "speaking":
            time.sleep(rng.uniform(0.5, 1.5))  # into the greeting
        else:
            listening.wait(60)
            time.sleep(rng.uniform(0.2, 1.0))  # into the first answer
        start = microphone.say(bytes(int(lead * RATE) * 2) + audio)
        said["word_end"] = start + int(lead * RATE) + int(word_span(clip)[1] * RATE)
        deadline = time.monotonic() + len(audio) / 2 / RATE + SETTLE
        while time.monotonic() < deadline and not any(t.startswith(announce) for t in spoken):
            time.sleep(0.05)
        time.sleep(0.3)
        microphone.source.ended = speaker.done = True

    plan = partner_plan("daily", ("Anna", "Ben"), 3, 10)
    if during == "answering":  # straight to the first question
        plan = dataclasses.replace(plan, opening=())
    thread = threading.Thread(target=partner, daemon=True)
    thread.start()
    failed = None
    try:
        session.conductor.run(Checkin(plan))
    except UserError as failure:  # kept as a sample (e.g. the microphone counted as dead)
        failed = failure.key
    finally:
        thread.join()
        session.close()  # the microphone's thread stops with its source
    gaps = [b - a for a, b in zip(microphone.delivered_at, microphone.delivered_at[1:])]
    word_end = microphone.moment(said["word_end"])
    starts = [t for text, t in zip(spoken, speaker.started) if text.startswith(announce)]
    tapped = microphone.tapped_at[0] * microphone.block_bytes
    ours_seconds = starts[0] - word_end if starts and word_end is not None else None
    floor_seconds = floor(model, bytes(microphone.audio[tapped:]), microphone.block_bytes,
                          (said["word_end"] * 2 - tapped) / 2 / RATE, grammar)
    return {"rule": rule, "clip": clip, "during": during, "lead_seconds": round(lead, 4),
            "ours": None if ours_seconds is None else round(ours_seconds, 4),
            "floor": None if floor_seconds is None else round(floor_seconds, 4),
            "largest_block_gap": round(max(gaps, default=0.0), 3), **({"failed": failed} if failed else {})}


def placements(model, scratch: Path, count: int, seed: int, block: float, rules: list[str]) -> list[dict]:
    """For each rule, `count` placements while the guide speaks and `count` while a partner answers;
    placement i has the same clip, situation and random leads under every rule."""
    rows = []
    for index in range(count):
        for during in ("speaking", "answering"):
            for rule in rules:
                rng = random.Random(f"{seed}-{index}-{during}")
                rows.append(one_placement(model, scratch, CLIPS[index % 2], during, rng, block, rule))
                print(f"  safe word {len(rows)}/{2 * count * len(rules)}: {rows[-1]}", flush=True)
    return rows
