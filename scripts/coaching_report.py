"""Precision and recall of the reflection coaching on the labelled tables in tests/data/.

reflections.toml is the table the phrase lists were tuned on; reflections_heldout.toml was written
separately, without looking at the phrase lists, and was not tuned on: its numbers are the honest ones.

    .venv/bin/python scripts/coaching_report.py

"Flagged" means the coach names a destructive pattern. Precision: of the flagged reflections, how
many really show a pattern. Recall: of the reflections that show one, how many were flagged.
The missing check question is scored the same way, separately. Saves benchmarks/coaching.json.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.content import load_pack, tomllib  # noqa: E402
from assistant.exercises.coaching import NO_CHECK, Coach  # noqa: E402

PATTERNS = {"defending", "fixing", "minimising", "judging", "stonewalling"}


TABLES = {"tuning": "reflections.toml", "held_out": "reflections_heldout.toml"}


def load_cases(table_name: str = "reflections.toml") -> dict[str, list[tuple[str, str]]]:
    table = tomllib.loads((ROOT / "tests" / "data" / table_name).read_text(encoding="utf-8"))
    return {lang: [(text, label) for text, label in cases] for lang, cases in table.items()}


def score(coach: Coach, cases: list[tuple[str, str]]) -> dict[str, float]:
    def ratios(truth: list[bool], said: list[bool]) -> tuple[float, float]:
        hits = sum(t and s for t, s in zip(truth, said))
        return hits / max(1, sum(said)), hits / max(1, sum(truth))

    patterns = [coach.pattern_in(text) for text, _ in cases]
    pattern_precision, pattern_recall = ratios([label in PATTERNS for _, label in cases],
                                               [p is not None for p in patterns])
    right_name = sum(p == label for p, (_, label) in zip(patterns, cases) if label in PATTERNS)
    good = [(text, label) for text, label in cases if label in ("ok", NO_CHECK)]
    check_precision, check_recall = ratios([label == NO_CHECK for _, label in good],
                                           [coach.advice(text) == NO_CHECK for text, _ in good])
    return {"cases": len(cases), "pattern_precision": round(pattern_precision, 3),
            "pattern_recall": round(pattern_recall, 3),
            "pattern_named_right": round(right_name / max(1, sum(label in PATTERNS for _, label in cases)), 3),
            "missing_check_precision": round(check_precision, 3), "missing_check_recall": round(check_recall, 3)}


def main() -> None:
    report = {name: {lang: score(Coach.from_pack(load_pack(lang)), cases) for lang, cases in load_cases(table).items()}
              for name, table in TABLES.items()}
    print(json.dumps(report, indent=2))
    out = ROOT / "benchmarks" / "coaching.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
