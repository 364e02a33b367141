"""Train the understanding models (reflection patterns, answers, needs) and save them in the packs.

    .venv/bin/python scripts/train_understanding.py            # cross-validate, choose thresholds, save
    .venv/bin/python scripts/train_understanding.py --compare  # first cross-validate the alternatives too

Trains on the tables in TRAIN only (scripts/understanding_tables.py). Per language it prints the
figures of the hand-written cues alone and of the model, cross-validated two ways: leave one author
out (each fold is a table written by someone else: the closest to unseen data) and 5-fold. The
pattern threshold is the lowest at which the leave-one-author-out precision stays >= PRECISION,
which gives the most recall under that limit. Saves assistant/content/<lang>/understanding_model.json
and the cross-validated figures in benchmarks/understanding_cv.json.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # also when imported by the tests
from understanding_tables import (  # it puts the project on the path
    ROOT,
    Case,
    answer_figures,
    authors,
    load,
    need_figures,
    pattern_figures,
)

from assistant.content import load_pack
from assistant.understanding.answers import KINDS, AnswerCues
from assistant.understanding.needs import NEEDS, NeedCues
from assistant.understanding.reflection import PATTERNS, STEPS, PatternCues
from assistant.understanding.training import (
    Setup,
    as_classifier,
    encode,
    fit,
    folds,
    held_out,
    model_table,
    tables_json,
)

FIRST_LOOK: tuple[str, ...] = ("e",)  # a fresh table stays out until scored once: coaching_report.py --first-look
LANGS = ("en", "nl")
NEGATORS = {
    "en": ["not", "never", "no", "dont", "didnt", "doesnt", "cant", "wont", "isnt", "wasnt", "arent", "havent"],
    "nl": ["niet", "nie", "ni", "nooit", "geen", "gene", "niks", "niets"],
}
PRECISION = 0.9
CHOSEN = Setup(char_grams=0, epochs=30)
ALTERNATIVES = {
    "words+pairs": replace(CHOSEN, negation=False),
    "+negation (chosen)": CHOSEN,
    "+char 4-grams": replace(CHOSEN, char_grams=4),
    "l2 0.5": replace(CHOSEN, l2=0.5),
    "l2 2.0": replace(CHOSEN, l2=2.0),
}


@dataclass(frozen=True)
class Task:
    name: str  # the model's section: understanding_model.<name>
    classes: tuple[str, ...]  # every class, the reference first
    steps: tuple[str, ...]


TASKS = (Task("patterns", ("none", *PATTERNS), STEPS), Task("answers", KINDS, ("answer",)),
         Task("needs", ("unclear", *NEEDS), ("need",)))


def train_cases(lang: str) -> list[Case]:
    return [case for author in ["old", *authors()] if author not in FIRST_LOOK
            for case in load(author) if case.lang == lang]


def prepared(task: Task, lang: str, cases: list[Case]) -> list[str]:
    pack = load_pack(lang)
    if task.name == "patterns":
        cues = PatternCues.from_pack(pack)
        return [cues.prepare(case.text, case.step).text for case in cases]
    if task.name == "answers":
        return [AnswerCues.from_pack(pack).prepare(case.text)[0] for case in cases]
    return [NeedCues.from_pack(pack).prepare(case.text)[0] for case in cases]


def rule_labels(task: Task, lang: str, cases: list[Case]) -> list[str]:
    """What the hand-written cues alone say (the reference when none matched)."""
    pack = load_pack(lang)
    if task.name == "patterns":
        cues = PatternCues.from_pack(pack)
        return [(found.label if (found := cues.prepare(c.text, c.step).cue) else "none") for c in cases]
    if task.name == "answers":
        cues = AnswerCues.from_pack(pack)
        return [(found.label if (found := cues.prepare(c.text)[1]) else "yes") for c in cases]
    needs = NeedCues.from_pack(pack)
    return [next(iter(hits), "unclear") for hits in (needs.prepare(c.text)[1] for c in cases)]


def labels_at(task: Task, out: list[tuple[float, int]], threshold: float) -> list[str]:
    return [task.classes[c + 1] if p >= threshold else task.classes[0] for p, c in out]


def choose_threshold(task: Task, out: list[tuple[float, int]], truth: list[str]) -> float:
    """Patterns: the lowest threshold with precision >= PRECISION; the others: the most accurate."""
    candidates = [round(0.05 * n, 2) for n in range(2, 19)]
    if task.name != "patterns":
        return max(candidates,
                   key=lambda t: (sum(a == b for a, b in zip(labels_at(task, out, t), truth)), -abs(t - 0.5)))
    for threshold in candidates:
        said = [label if label != "none" else None for label in labels_at(task, out, threshold)]
        if pattern_figures(truth, said)["precision"] >= PRECISION:
            return threshold
    return candidates[-1]


def figures(task: Task, truth: list[str], said: list[str], steps: list[str]) -> dict:
    if task.name == "patterns":
        return {step: pattern_figures([t for t, s in zip(truth, steps) if s == step],
                                      [x if x != "none" else None for x, s in zip(said, steps) if s == step])
                for step in STEPS}
    return answer_figures(truth, said) if task.name == "answers" else need_figures(truth, said)


def evidence(task: Task, lang: str, texts: list[str], setup: Setup):
    """ReflectionReader's rule: a pattern is named only on a cue or a word that raised it."""
    built: list = [None, None]  # the fold's model and its run-time classifier

    def keep(model, i: int) -> bool:
        if built[0] is not model:
            built[:] = [model, as_classifier(model, list(task.classes[1:]), task.classes[0], NEGATORS[lang], setup,
                                             threshold=0.0)]
        return "#cue_" in texts[i] or built[1].decide(texts[i]).from_words
    return keep


def cross_validate(task: Task, lang: str, cases: list[Case], setup: Setup) -> dict:
    texts = prepared(task, lang, cases)
    truth = [case.label for case in cases]
    steps = [case.step for case in cases]
    labels = [task.classes.index(t) - 1 for t in truth]
    data = encode(texts, NEGATORS[lang], setup)
    names = sorted({case.author for case in cases})
    result = {}
    for split, fold_of in (("by author", [names.index(case.author) for case in cases]), ("5-fold", folds(truth, 5))):
        out = held_out(data, labels, len(task.classes) - 1, fold_of, setup,
                       evidence(task, lang, texts, setup) if task.name == "patterns" else None)
        threshold = choose_threshold(task, out, truth)
        result[split] = {"threshold": threshold, **figures(task, truth, labels_at(task, out, threshold), steps)}
    return result


def main() -> int:
    report: dict[str, dict] = {}
    for lang in LANGS:
        everything = train_cases(lang)
        tables: dict[str, dict] = {}
        for task in TASKS:
            cases = [case for case in everything if case.step in task.steps]
            truth = [case.label for case in cases]
            print(f"\n{lang} {task.name}: {len(cases)} cases from {', '.join(sorted({c.author for c in cases}))}")
            print("  cues alone:", figures(task, truth, rule_labels(task, lang, cases), [c.step for c in cases]))
            if "--compare" in sys.argv:
                for name, setup in ALTERNATIVES.items():
                    print(f"  {name}: {cross_validate(task, lang, cases, setup)['by author']}")
            validated = cross_validate(task, lang, cases, CHOSEN)
            report.setdefault(task.name, {})[lang] = {"cases": len(cases), **validated}
            for split, shown in validated.items():
                print(f"  model, {split}: {shown}")
            threshold = validated["by author"]["threshold"]
            data = encode(prepared(task, lang, cases), NEGATORS[lang], CHOSEN)
            model = fit(data, [task.classes.index(t) - 1 for t in truth], len(task.classes) - 1, CHOSEN)
            tables[task.name] = model_table(list(task.classes[1:]), task.classes[0], NEGATORS[lang], threshold,
                                            model, CHOSEN)
        path = ROOT / "assistant" / "content" / lang / "understanding_model.json"
        path.write_text(tables_json({"understanding_model": tables}), encoding="utf-8")
        print(f"saved {path.relative_to(ROOT)}, {path.stat().st_size // 1024} KB")
    out = ROOT / "benchmarks" / "understanding_cv.json"
    out.write_text(json.dumps({"trained_on": ["old", *(a for a in authors() if a not in FIRST_LOOK)], **report},
                              indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
