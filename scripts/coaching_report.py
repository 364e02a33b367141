"""How well the understanding layer (assistant/understanding/hearing.py) hears what partners say in
mirroring, per table and language: patterns in reflections and responses, the missing check
question, the kind of answer, and the need.

    .venv/bin/python scripts/coaching_report.py                   # the tables in tests/data
    .venv/bin/python scripts/coaching_report.py --first-look c    # a fresh author's table, scored once

Every table in tests/data has been trained or tuned on (scripts/train_understanding.py), so its
figures are optimistic: the honest ones are the cross-validation by author
(benchmarks/understanding_cv.json) and each fresh table's first look, scored before it joined the
training data (benchmarks/understanding_first_look.json, one entry per first look, kept).
Saves benchmarks/coaching.json. Also measures the time per utterance.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # also when imported by the tests
from understanding_tables import (  # it puts the project on the path
    ROOT,
    Case,
    answer_figures,
    authors,
    check_figures,
    load,
    need_figures,
    pattern_figures,
)

from assistant.content import load_pack
from assistant.understanding.hearing import Understanding
from assistant.understanding.reflection import STEPS

BENCHMARKS = ROOT / "benchmarks"


def score(understanding: Understanding, cases: list[Case]) -> dict:
    """The figures of one table in one language."""
    result: dict = {}
    for step in STEPS:
        said = [(c, understanding.reflections.read(c.text, step)) for c in cases if c.step == step]
        if said:
            result[step] = pattern_figures([c.label for c, _ in said],
                                           [r.pattern.label if r.pattern else None for _, r in said])
        if step == "reflection":
            good = [(c, r) for c, r in said if c.label == "none" and c.check is not None]
            result["missing_check"] = check_figures([bool(c.check) for c, _ in good],
                                                    [r.check is not None for _, r in good])
    answers = [c for c in cases if c.step == "answer"]
    if answers:
        result["answer"] = answer_figures([c.label for c in answers],
                                          [understanding.answer(c.text).label for c in answers])
    needs = [c for c in cases if c.step == "need"]
    if needs:
        result["need"] = need_figures([c.label for c in needs],
                                      [found.label if (found := understanding.need(c.text)) else "unclear"
                                       for c in needs])
    return result


def milliseconds_per_utterance(understanding: Understanding, cases: list[Case]) -> float:
    """The slowest of three passes over the table, per utterance and read."""
    def one_pass() -> float:
        started = time.perf_counter()
        for case in cases:
            if case.step in STEPS:
                understanding.coaching(case.text, case.step)
            elif case.step == "answer":
                understanding.answer(case.text)
            else:
                understanding.need(case.text)
        return (time.perf_counter() - started) * 1000 / max(1, len(cases))
    return round(max(one_pass() for _ in range(3)), 3)


def report(tables: list[str]) -> dict:
    out: dict = {}
    for lang in ("en", "nl"):
        understanding = Understanding.from_pack(load_pack(lang))
        for table in tables:
            cases = [case for case in load(table) if case.lang == lang]
            out.setdefault(table, {})[lang] = {**score(understanding, cases),
                                               "ms_per_utterance": milliseconds_per_utterance(understanding, cases)}
    return out


def main() -> None:
    if "--first-look" in sys.argv:
        table = sys.argv[sys.argv.index("--first-look") + 1]
        looked = BENCHMARKS / "understanding_first_look.json"
        history = json.loads(looked.read_text()) if looked.exists() else {}
        if table in history:
            raise SystemExit(f"{table} has had its first look already: {looked.relative_to(ROOT)}")
        trained = json.loads((BENCHMARKS / "understanding_cv.json").read_text())["trained_on"]
        history[table] = {"scored": time.strftime("%Y-%m-%d"), "models_trained_on": trained, **report([table])[table]}
        print(json.dumps(history[table], indent=2))
        looked.write_text(json.dumps(history, indent=2) + "\n")
        return
    figures = report(["old", *authors()])
    print(json.dumps(figures, indent=2))
    BENCHMARKS.mkdir(exist_ok=True)
    (BENCHMARKS / "coaching.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
