"""False triggers of the safe word, bounded: hours of Korean speech without the word, made now.

    nohup .venv/bin/python scripts/bench/false_triggers.py --hours 6 &

espeak-ng's Korean voice with several variants (male and female), speeds and pitches says
sentences recombined from the fixtures' words (none holds the safe word or a part of it); each of
the spotter's candidate grammars (`bench.common.GRAMMARS`) hears it in 50 ms blocks, as live, with
a recognizer made afresh at a final once a minute old, as the spotter's is. Every confirmation
rule is counted in the same pass, one recognizer per grammar. The audio lives in a temporary folder and
is gone afterwards; benchmarks/false_triggers.json is rewritten after every batch, so a run cut
short still reports what it heard. Kept out of the test suite: it takes hours.
"""
from __future__ import annotations

import argparse
import audioop
import json
import math
import random
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parents[1]),
                str(Path(__file__).resolve().parents[2] / "tests")]

from bench.common import GRAMMARS, MANIFEST, RATE, ROOT, WORD, machine  # noqa: E402
from korean_model import repeatable_model  # noqa: E402

VARIANTS = ("", "+m1", "+m3", "+m7", "+f1", "+f2", "+f4", "+klatt")
BLOCK = int(RATE * 0.05) * 2  # bytes
RULES = {"1 partial": 1, "2 partials": 2, "3 partials": 3}
FINAL_CONFIDENCE = 0.6


def poisson_upper(k: int, hours: float, level: float = 0.95) -> float:
    """The one-sided upper bound of a Poisson rate per hour, `k` events seen in `hours`."""
    low, high = 0.0, k + 10 + 10 * math.sqrt(k + 1)
    for _ in range(100):
        mid = (low + high) / 2
        cdf = sum(math.exp(-mid) * mid**i / math.factorial(i) for i in range(k + 1))
        low, high = (mid, high) if cdf > 1 - level else (low, mid)
    return high / hours


def sentences(rng: random.Random, count: int) -> list[str]:
    """New sentences from the fixtures' words: the original order's first half, another's second."""
    said = [text.split() for name, entry in MANIFEST["fixtures"].items()
            for text, _, _ in entry["speech"] if WORD not in text]
    made = []
    while len(made) < count:
        first, second = rng.choice(said), rng.choice(said)
        text = " ".join(first[:max(1, len(first) // 2)] + second[len(second) // 2:])
        if "보라" not in text.replace(" ", ""):
            made.append(text)
    return made


def synthesise(folder: Path, rng: random.Random, index: int) -> tuple[bytes, dict]:
    """About three minutes of speech in one voice, speed and pitch, at 16 kHz."""
    voice = "ko" + rng.choice(VARIANTS)
    speed, pitch = rng.randint(110, 230), rng.randint(25, 75)
    text = " . ".join(sentences(rng, 80))
    path = folder / f"batch-{index}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-g", str(rng.randint(2, 15)),
                    "-w", str(path), text], check=True, capture_output=True)
    with wave.open(str(path)) as wav:
        data, rate = wav.readframes(wav.getnframes()), wav.getframerate()
    path.unlink()
    return audioop.ratecv(data, 2, 1, rate, RATE, None)[0], {"voice": voice, "speed": speed, "pitch": pitch}


class Counter:
    """One recognizer with one grammar, every rule, made afresh at a final once older than
    `recognizer.RENEW_SECONDS` as the spotter's is: runs of consecutive partials with the word, and finals."""

    def __init__(self, model, words: list[str]) -> None:
        self.model, self.words = model, words
        self.vocabulary: int | str = len(words) + 1
        self.triggers = {rule: 0 for rule in [*RULES, f"final conf >= {FINAL_CONFIDENCE}"]}
        self.cpu_seconds = 0.0
        self._renew()

    def _renew(self) -> None:
        from assistant.speech import recognizer

        self.recognizer = recognizer.grammar_recognizer(self.model, RATE, [WORD, *self.words])
        self.recognizer.SetWords(True)
        self.heard_bytes, self.held, self.counted = 0, 0, dict.fromkeys(RULES, False)

    def feed(self, data: bytes) -> None:
        began = time.process_time()
        self._feed(data)
        self.cpu_seconds += time.process_time() - began

    def _feed(self, data: bytes) -> None:
        from assistant.speech import recognizer
        from assistant.text import normalize

        self.heard_bytes += len(data)
        if self.recognizer.AcceptWaveform(data):
            result = json.loads(self.recognizer.Result())
            if any(normalize(w["word"]) == WORD and w.get("conf", 1.0) >= FINAL_CONFIDENCE
                   for w in result.get("result", [])):
                self.triggers[f"final conf >= {FINAL_CONFIDENCE}"] += 1
            self.held, self.counted = 0, dict.fromkeys(RULES, False)
            if self.heard_bytes > recognizer.RENEW_SECONDS * RATE * 2:
                self._renew()
            return
        partial = recognizer.result_text(self.recognizer.PartialResult(), "partial")
        self.held = self.held + 1 if WORD in normalize(partial).split() else 0
        for rule, needed in RULES.items():
            if self.held >= needed and not self.counted[rule]:
                self.counted[rule] = True
                self.triggers[rule] += 1


class SecondEar:
    """The answer's free recognizer (`ear.Listening`), whose final results hold the safe word too
    when the spotter missed it: counted over all the speech, as if a partner answered all along."""

    def __init__(self, model) -> None:
        from assistant.speech import recognizer

        self.recognizer = recognizer.SessionRecognizer(model, RATE)
        self.vocabulary = "the model's"
        self.triggers = {"a final result": 0}
        self.cpu_seconds = 0.0
        self.since_restart = 0

    def feed(self, data: bytes) -> None:
        from assistant.speech import recognizer
        from assistant.speech.spotter import says_word

        began = time.process_time()
        self.since_restart += len(data)
        if self.recognizer.accept(data):
            if says_word(recognizer.result_text(self.recognizer.result()), WORD):
                self.triggers["a final result"] += 1
            if self.since_restart > recognizer.RENEW_SECONDS * RATE * 2:
                self.recognizer.restart()
                self.since_restart = 0
        else:
            self.recognizer.partial()
        self.cpu_seconds += time.process_time() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=6.0)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "false_triggers.json")
    parser.add_argument("--note", default="this process uses one core",
                        help="what else the machine was doing, kept with the figures")
    parser.add_argument("--second-ear", action="store_true",
                        help="count the free recognizer's final results instead of the spotter's grammars")
    args = parser.parse_args()
    from assistant.speech import recognizer

    rng = random.Random(args.seed)
    started, seconds, batches = time.time(), 0.0, []
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "model").mkdir()
        model = recognizer.load_model(repeatable_model(Path(scratch) / "model"))
        heard_by = "the free recognizer's final results" if args.second_ear else "the safe-word spotter's grammars"
        counters = ({"free recognizer (the second ear)": SecondEar(model)} if args.second_ear else
                    {name: Counter(model, words) for name, words in GRAMMARS.items()})
        while seconds < args.hours * 3600:
            audio, how = synthesise(Path(scratch), rng, len(batches))
            before = {name: dict(counter.triggers) for name, counter in counters.items()}
            for counter in counters.values():
                for start in range(0, len(audio), BLOCK):
                    counter.feed(audio[start:start + BLOCK])
                counter.feed(bytes(RATE))  # half a second of quiet between batches
            seconds += len(audio) / 2 / RATE + 0.5
            batches.append({**how, "seconds": round(len(audio) / 2 / RATE, 1), "triggers": {
                name: {r: k - before[name][r] for r, k in counter.triggers.items() if k > before[name][r]}
                for name, counter in counters.items()}})
            hours = seconds / 3600
            report = {
                "what": f"{heard_by} over espeak-ng Korean speech without the word",
                "seed": args.seed, "machine": machine(),
                "note": args.note,
                "hours": round(hours, 3), "wall_seconds": round(time.time() - started),
                "process_cpu_seconds": round(time.process_time(), 1),
                "grammars": {name: {
                    "words": counter.vocabulary,
                    "cpu_per_audio_second": round(counter.cpu_seconds / seconds, 4),
                    "rules": {rule: {"triggers": k, "per_hour": round(k / hours, 3),
                                     "per_hour_95_upper": round(poisson_upper(k, hours), 3)}
                              for rule, k in counter.triggers.items()}} for name, counter in counters.items()},
                "batches": batches,
            }
            args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
            print(f"{hours:.2f} h: " + "; ".join(f"{name} {counter.triggers}" for name, counter in counters.items()),
                  flush=True)


if __name__ == "__main__":
    main()
