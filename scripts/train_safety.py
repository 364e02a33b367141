"""Train the safety model (assistant/understanding/classifier.py) and save it in the language packs.

    .venv/bin/python scripts/train_safety.py             # cross-validate, choose thresholds, save
    .venv/bin/python scripts/train_safety.py --compare   # first cross-validate the alternatives too

Trains on the TRAINING tables only (TABLES below; the held-out tables are never opened). Per
language it prints k-fold cross-validated recall, category accuracy and false alarms for the rules
alone (SafetyListener's cues, its model silenced), the model alone and rules OR model, then saves
assistant/content/<lang>/safety_model.json.

The threshold is chosen on the held-out folds: the lowest one at which rules OR model raise false
alarms on at most FALSE_ALARM_BUDGET of the ordinary answers (when the rules alone already exceed
that, the model may add no false alarm of its own), which gives the most recall under that limit.

`--compare` prints, per alternative, the model's recall at 3 % and 5 % false alarms on its own, on
k-fold and on leave-one-table-out folds (each table is another author: the closest to unseen data),
and rules OR model at the budget. The chosen setup was the best on these; the differences between
the word-level alternatives are within noise, the character 4-grams gain about 0.02 to 0.04 recall
on leave-one-table-out, and one-vs-rest loses about 0.1.
"""
from __future__ import annotations

import math
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.content import load_pack, tomllib  # noqa: E402
from assistant.text import normalize  # noqa: E402
from assistant.understanding.safety import SafetyListener  # noqa: E402
from assistant.understanding.training import (  # noqa: E402
    Setup,
    encode,
    fit,
    folds,
    held_out,
    model_table,
    tables_json,
)

TABLES = ("safety_tune", "safety_tune2", "safety_train_e", "safety_train_f", "safety_train_g", "safety_train_h",
          "safety_heldout")  # heldout: scored once untouched, then tuned on; never fresh
LANGS = ("en", "nl")
CATEGORIES = ("violence", "fear", "control", "humiliation", "sexual", "self_harm")
NEGATORS = {
    "en": ["not", "never", "no", "dont", "didnt", "doesnt", "cant", "cannot", "wont", "isnt", "wasnt",
           "arent", "havent", "hasnt", "wouldnt", "couldnt", "shouldnt", "nobody", "nothing"],
    "nl": ["niet", "nie", "ni", "nooit", "geen", "gene", "niks", "niets", "niemand", "nergens"],
}
FOLDS = 5
FALSE_ALARM_BUDGET = 0.045


CHOSEN = Setup()
ALTERNATIVES = {
    "words+pairs": replace(CHOSEN, negation=False, char_grams=0),
    "words+pairs+negation": replace(CHOSEN, char_grams=0),
    "+char 4-grams (chosen)": CHOSEN,
    "+char 5-grams": replace(CHOSEN, char_grams=5),
    "+char 3-grams": replace(CHOSEN, char_grams=3),
    "one-vs-rest": replace(CHOSEN, link="ovr"),
    "l2 0.5": replace(CHOSEN, l2=0.5),
    "l2 2.0": replace(CHOSEN, l2=2.0),
    "cut 0.02 (too big)": replace(CHOSEN, cut=0.02),
}


def load(lang: str) -> list[tuple[str, str, str]]:
    """(table, text, label) for every training case of one language, without repeats."""
    cases, seen = [], set()
    for name in TABLES:
        path = ROOT / "tests" / "data" / f"{name}.toml"
        if not path.exists():
            continue
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            print(f"skipping {name}: {error}")
            continue
        for row in table.get(lang, []):
            if (row["label"] in CATEGORIES or row["label"] == "none") and normalize(row["text"]) not in seen:
                seen.add(normalize(row["text"]))
                cases.append((name, row["text"], row["label"]))
    return cases


def figures(flags: list[str | None], truth: list[str]) -> dict:
    """Recall, category accuracy and false alarms of a list of verdicts (category or None)."""
    positives = [(f, t) for f, t in zip(flags, truth) if t != "none"]
    negatives = [f for f, t in zip(flags, truth) if t == "none"]
    return {"recall": sum(f is not None for f, _ in positives) / max(1, len(positives)),
            "category": sum(f == t for f, t in positives) / max(1, len(positives)),
            "false_alarms": sum(f is not None for f in negatives) / max(1, len(negatives)),
            "alarms": sum(f is not None for f in negatives), "ordinary": len(negatives),
            "disclosures": len(positives)}


def choose_threshold(scores: list[float], rules: list[str | None], truth: list[str],
                     budget: float = FALSE_ALARM_BUDGET) -> float:
    """The lowest threshold at which rules OR model stay within the false-alarm budget on the ordinary
    answers (the model adding none when the rules alone exceed it)."""
    ordinary = [i for i, t in enumerate(truth) if t == "none"]
    allowed = max(0, math.floor(budget * len(ordinary) + 1e-9) - sum(rules[i] is not None for i in ordinary))
    free = sorted((scores[i] for i in ordinary if rules[i] is None), reverse=True)
    if allowed >= len(free):
        return 0.5
    floor = free[allowed]  # the highest-scoring ordinary answer that must not be flagged
    above = [s for s in scores if s > floor + 1e-9]
    threshold = (floor + min(above)) / 2 if above else floor + 1e-3
    return min(0.999, math.ceil(threshold * 1000) / 1000)


def verdicts(out, threshold, rules=None) -> list[str | None]:
    model = [CATEGORIES[c] if p >= threshold else None for p, c in out]
    return model if rules is None else [r or m for r, m in zip(rules, model)]


def line(name: str, f: dict) -> str:
    return (f"  {name:<16} recall {f['recall']:.3f} of {f['disclosures']}  category {f['category']:.3f}  "
            f"false alarms {f['false_alarms']:.3f} ({f['alarms']} of {f['ordinary']})")


def compare(lang, texts, truth, tables, labels, rules) -> None:
    names = sorted(set(tables))
    nobody = [None] * len(truth)
    for name, setup in ALTERNATIVES.items():
        data = encode([normalize(text) for text in texts], NEGATORS[lang], setup)
        shown = []
        for split, fold_of in (("k-fold", folds(truth, FOLDS)), ("by table", [names.index(t) for t in tables])):
            out = held_out(data, labels, len(CATEGORIES), fold_of, setup)
            scores = [p for p, _ in out]
            alone = [figures(verdicts(out, choose_threshold(scores, nobody, truth, b)), truth)["recall"]
                     for b in (0.03, 0.05)]
            both = figures(verdicts(out, choose_threshold(scores, rules, truth), rules), truth)["recall"]
            shown.append(f"{split}: alone {alone[0]:.3f} / {alone[1]:.3f}, OR {both:.3f}")
        print(f"  {name:<24} " + "   ".join(shown), flush=True)


def save_model(lang: str, threshold: float, model, setup: Setup) -> Path:
    path = ROOT / "assistant" / "content" / lang / "safety_model.json"
    table = model_table(list(CATEGORIES), "none", NEGATORS[lang], threshold, model, setup)
    path.write_text(tables_json({"safety_model": table}), encoding="utf-8")
    return path


def rules_only(lang: str):
    """The hand-written cues alone: the listener's `finding` with its model (when it has one) silenced,
    so the model being trained is never scored by its own previous version."""
    listener = SafetyListener.from_pack(load_pack(lang))
    return replace(listener, model=replace(listener.model, threshold=2.0)).finding  # 1 - P(none) never reaches 2


def main() -> int:
    if CHOSEN.link != "softmax":
        raise SystemExit("safety_model.py reads a softmax model")
    for lang in LANGS:
        cases = load(lang)
        tables = [table for table, _, _ in cases]
        texts = [text for _, text, _ in cases]
        truth = [label for _, _, label in cases]
        labels = [CATEGORIES.index(t) if t != "none" else -1 for t in truth]
        counted = ", ".join(f"{t} ({n})" for t, n in sorted(Counter(tables).items()))
        print(f"\n{lang}: {len(cases)} cases from {counted}")
        finding = rules_only(lang)
        rules = [(found.label if (found := finding(text)) else None) for text in texts]
        if "--compare" in sys.argv:
            print("  model recall at 3 % / 5 % false alarms alone, and rules OR model at the budget:")
            compare(lang, texts, truth, tables, labels, rules)
        data = encode([normalize(text) for text in texts], NEGATORS[lang], CHOSEN)
        out = held_out(data, labels, len(CATEGORIES), folds(truth, FOLDS), CHOSEN)
        threshold = choose_threshold([p for p, _ in out], rules, truth)
        print(f"  {FOLDS}-fold cross-validated, threshold {threshold} (rules OR model false alarms <= "
              f"{FALSE_ALARM_BUDGET} on the held-out folds):")
        print(line("rules alone", figures(rules, truth)))
        print(line("model alone", figures(verdicts(out, threshold), truth)))
        print(line("rules OR model", figures(verdicts(out, threshold, rules), truth)))
        model = fit(data, labels, len(CATEGORIES), CHOSEN)
        path = save_model(lang, threshold, model, CHOSEN)
        print(f"  saved {path.relative_to(ROOT)}: {len(model[1])} features, "
              f"{sum(w != 0 for ws in model[1].values() for w in ws)} weights, {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
