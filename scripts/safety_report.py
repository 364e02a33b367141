"""Recall on disclosures and false alarms on ordinary answers, per language, for the safety listener.

    .venv/bin/python scripts/safety_report.py            # every table in tests/data/safety_*.toml
    .venv/bin/python scripts/safety_report.py --misses   # also list what was missed or wrongly flagged
    .venv/bin/python scripts/safety_report.py safety_tune   # only the tables named

The tables, each by its own author who saw neither the detector nor the other tables: safety_tune,
safety_tune2 and safety_train_e to _h are what the cues were tuned on and the model trained on (their
figures say nothing about new answers); safety_heldout was scored once untouched (see
benchmarks/safety_first_look.json), then tuned and trained on; safety_fresh has never been tuned or
trained on: its figures, and the cross-validation of scripts/train_safety.py, are the honest ones.

Each table has, per language, cases with a `label`: a category, or "none" for an ordinary answer.
Recall: of the disclosures, how many the listener stops on (any category). False alarms: of the
ordinary answers, how many it stops on. Saves benchmarks/safety.json.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.content import load_pack, tomllib  # noqa: E402
from assistant.understanding.safety import SafetyListener  # noqa: E402


def score(cases: list[dict], listener: SafetyListener, misses: list[str]) -> dict:
    disclosures = [c for c in cases if c["label"] != "none"]
    ordinary = [c for c in cases if c["label"] == "none"]
    caught = right_category = alarms = 0
    for case in disclosures:
        found = listener.finding(case["text"])
        caught += found is not None
        right_category += found is not None and found.label == case["label"]
        if found is None:
            misses.append(f"  missed   [{case['label']}] {case['text']}")
    for case in ordinary:
        found = listener.finding(case["text"])
        if found is not None:
            alarms += 1
            misses.append(f"  alarm    [{found.cue}] {case['text']}")
    return {"disclosures": len(disclosures), "ordinary": len(ordinary),
            "recall": round(caught / max(1, len(disclosures)), 3),
            "category_right": round(right_category / max(1, len(disclosures)), 3),
            "false_alarms": round(alarms / max(1, len(ordinary)), 3)}


def main() -> int:
    report = {}
    named = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    for table in sorted((ROOT / "tests" / "data").glob("safety_*.toml")):
        if named and table.stem not in named:
            continue
        cases = tomllib.loads(table.read_text(encoding="utf-8"))
        for lang, rows in cases.items():
            if "--lang" in sys.argv and lang != sys.argv[sys.argv.index("--lang") + 1]:
                continue
            misses: list[str] = []
            figures = score(rows, SafetyListener.from_pack(load_pack(lang)), misses)
            report[f"{table.stem}/{lang}"] = figures
            print(f"{table.stem:<20} {lang}  recall {figures['recall']:.3f} of {figures['disclosures']}  "
                  f"category {figures['category_right']:.3f}  false alarms {figures['false_alarms']:.3f} "
                  f"of {figures['ordinary']}")
            if "--misses" in sys.argv:
                print("\n".join(misses))
    out = ROOT / "benchmarks" / "safety.json"
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
