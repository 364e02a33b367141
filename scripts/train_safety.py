"""Train the safety model (assistant/understanding/safety_model.py) and save it in the language packs.

    .venv/bin/python scripts/train_safety.py             # cross-validate, choose thresholds, save
    .venv/bin/python scripts/train_safety.py --compare   # first cross-validate the alternatives too

Trains on the TRAINING tables only (TABLES below; the held-out tables are never opened). Per
language it prints k-fold cross-validated recall, false alarms and category accuracy for the model
alone, the rules alone (SafetyListener) and rules OR model, then saves
assistant/content/<lang>/safety_model.toml.

The threshold is chosen on the held-out folds: the lowest one at which rules OR model raise false
alarms on at most FALSE_ALARM_BUDGET of the ordinary answers (when the rules alone already exceed
that, the model may add no false alarm of its own), which gives the most recall under that limit.
"""
from __future__ import annotations

import json
import math
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.content import load_pack, tomllib  # noqa: E402
from assistant.speech.commands import normalize  # noqa: E402
from assistant.understanding.safety import SafetyListener  # noqa: E402
from assistant.understanding.safety_model import features  # noqa: E402

TABLES = ("safety_tune", "safety_tune2", "safety_train_e", "safety_train_f")  # never heldout or fresh
LANGS = ("en", "nl")
CATEGORIES = ("violence", "fear", "control", "humiliation", "sexual", "self_harm")
NEGATORS = {
    "en": ["not", "never", "no", "dont", "didnt", "doesnt", "cant", "cannot", "wont", "isnt", "wasnt",
           "arent", "havent", "hasnt", "wouldnt", "couldnt", "shouldnt", "nobody", "nothing"],
    "nl": ["niet", "nie", "ni", "nooit", "geen", "gene", "niks", "niets", "niemand", "nergens"],
}
FOLDS = 5
FALSE_ALARM_BUDGET = 0.03
SEED = 7


@dataclass(frozen=True)
class Setup:
    link: str = "softmax"  # "softmax": one multinomial model, "none" the reference; "ovr": one vs rest
    negation: bool = True
    char_grams: int = 0
    l2: float = 0.5  # the penalty per feature over one pass, spread over the answers it occurs in
    epochs: int = 25
    rate: float = 0.3
    cut: float = 0.02  # weights smaller than this are dropped from the pack
    min_count: int = 1  # features seen in fewer training answers than this get no weight


CHOSEN = Setup()
ALTERNATIVES = {
    "words+pairs": replace(CHOSEN, negation=False),
    "words+pairs+negation (chosen)": CHOSEN,
    "+char 4-grams": replace(CHOSEN, char_grams=4),
    "+char 5-grams": replace(CHOSEN, char_grams=5),
    "one-vs-rest": replace(CHOSEN, link="ovr"),
    "l2 0.1": replace(CHOSEN, l2=0.1),
    "l2 2.0": replace(CHOSEN, l2=2.0),
}


def load(lang: str) -> list[tuple[str, str, str]]:
    """(table, text, label) for every training case of one language."""
    cases = []
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
            if row["label"] in CATEGORIES or row["label"] == "none":
                cases.append((name, row["text"], row["label"]))
    return cases


def encode(texts: list[str], lang: str, setup: Setup) -> list[list[str]]:
    negators = frozenset(NEGATORS[lang] if setup.negation else ())
    return [features(normalize(text), negators, setup.char_grams) for text in texts]


def chances(scores: list[float], link: str) -> list[float]:
    """P(category) from the category scores (none scores 0)."""
    if link in ("ovr", "binary"):
        return [1 / (1 + math.exp(-max(-30.0, min(30.0, s)))) for s in scores]
    top = max(0.0, *scores)
    exps = [math.exp(s - top) for s in scores]
    total = math.exp(-top) + sum(exps)
    return [e / total for e in exps]


def fit(data: list[list[str]], labels: list[int], setup: Setup) -> tuple[list[float], dict[str, list[float]]]:
    """Stochastic gradient descent with AdaGrad steps; label -1 is "none". Deterministic (fixed seed)."""
    k = 1 if setup.link == "binary" else len(CATEGORIES)
    if setup.link == "binary":
        labels = [min(0, label) if label < 0 else 0 for label in labels]
    seen = Counter(feature for found in data for feature in found)
    data = [[feature for feature in found if seen[feature] >= setup.min_count] for found in data]
    weights = {feature: [0.0] * k for feature in seen}
    squares = {feature: [1e-6] * k for feature in seen}
    bias, bias_squares = [0.0] * k, [1e-6] * k
    order = list(range(len(data)))
    rng = random.Random(SEED)
    for _ in range(setup.epochs):
        rng.shuffle(order)
        for i in order:
            found, label = data[i], labels[i]
            scores = bias[:]
            for feature in found:
                for c, w in enumerate(weights[feature]):
                    scores[c] += w
            errors = [p - (c == label) for c, p in enumerate(chances(scores, setup.link))]
            for c, g in enumerate(errors):
                bias_squares[c] += g * g
                bias[c] -= setup.rate * g / math.sqrt(bias_squares[c])
            for feature in found:
                w, s, shrink = weights[feature], squares[feature], setup.l2 / seen[feature]
                for c, g in enumerate(errors):
                    g += shrink * w[c]
                    s[c] += g * g
                    w[c] -= setup.rate * g / math.sqrt(s[c])
    pruned = {feature: [round(x, 3) if abs(x) >= setup.cut else 0.0 for x in w] for feature, w in weights.items()}
    return [round(b, 3) for b in bias], {feature: w for feature, w in pruned.items() if any(w)}


def predict(model, found: list[str], link: str) -> tuple[float, int]:
    """(P(disclosure), most likely category index)."""
    bias, weights = model
    scores = bias[:]
    for feature in found:
        for c, w in enumerate(weights.get(feature, ())):
            scores[c] += w
    p = chances(scores, link)
    best = max(range(len(p)), key=p.__getitem__)
    return (max(p) if link == "ovr" else sum(p)), best


def folds(labels: list[str]) -> list[int]:
    """A fold number per case, stratified by label, deterministic."""
    rng = random.Random(SEED)
    fold = [0] * len(labels)
    for label in sorted(set(labels)):
        members = [i for i, x in enumerate(labels) if x == label]
        rng.shuffle(members)
        for n, i in enumerate(members):
            fold[i] = n % FOLDS
    return fold


def held_out(data, labels, fold_of, setup) -> list[tuple[float, int]]:
    """The model's (P(disclosure), category) for every case, from the model trained without its fold."""
    out: list[tuple[float, int]] = [(0.0, 0)] * len(data)
    for fold in sorted(set(fold_of)):
        train = [i for i, f in enumerate(fold_of) if f != fold]
        model = fit([data[i] for i in train], [labels[i] for i in train], setup)
        for i, f in enumerate(fold_of):
            if f == fold:
                out[i] = predict(model, data[i], setup.link)
    return out


def figures(flags: list[str | None], truth: list[str]) -> dict:
    """Recall, category accuracy and false alarms of a list of verdicts (category or None)."""
    positives = [(f, t) for f, t in zip(flags, truth) if t != "none"]
    negatives = [f for f, t in zip(flags, truth) if t == "none"]
    return {"recall": sum(f is not None for f, _ in positives) / max(1, len(positives)),
            "category": sum(f == t for f, t in positives) / max(1, len(positives)),
            "false_alarms": sum(f is not None for f in negatives) / max(1, len(negatives)),
            "alarms": sum(f is not None for f in negatives), "ordinary": len(negatives),
            "disclosures": len(positives)}


def choose_threshold(scores: list[float], rules: list[str | None], truth: list[str]) -> float:
    """The lowest threshold at which rules OR model stay within the false-alarm budget on the ordinary
    answers (the model adding none when the rules alone exceed it)."""
    ordinary = [i for i, t in enumerate(truth) if t == "none"]
    allowed = max(0, math.floor(FALSE_ALARM_BUDGET * len(ordinary) + 1e-9) - sum(rules[i] is not None for i in ordinary))
    free = sorted((scores[i] for i in ordinary if rules[i] is None), reverse=True)
    if allowed >= len(free):
        return 0.5
    floor = free[allowed]  # the highest-scoring ordinary answer that must not be flagged
    above = [s for s in scores if s > floor + 1e-9]
    threshold = (floor + min(above)) / 2 if above else floor + 1e-3
    return min(0.999, math.ceil(threshold * 1000) / 1000)


def verdicts(out, threshold, rules=None):
    model = [CATEGORIES[c] if p >= threshold else None for p, c in out]
    return model if rules is None else [r or m for r, m in zip(rules, model)]


def line(name: str, f: dict) -> str:
    return (f"  {name:<32} recall {f['recall']:.3f} of {f['disclosures']}  category {f['category']:.3f}  "
            f"false alarms {f['false_alarms']:.3f} ({f['alarms']} of {f['ordinary']})")


def evaluate(lang, setup, texts, truth, rules, show=True):
    data = encode(texts, lang, setup)
    labels = [CATEGORIES.index(t) if t != "none" else -1 for t in truth]
    fold_of = folds(truth)
    out = held_out(data, labels, fold_of, setup)
    threshold = choose_threshold([p for p, _ in out], rules, truth)
    model_alone = figures(verdicts(out, threshold), truth)
    combined = figures(verdicts(out, threshold, rules), truth)
    if show:
        print(line("model alone", model_alone))
        print(line("rules OR model", combined))
    return threshold, out, model_alone, combined


def save(lang: str, threshold: float, model, setup: Setup) -> Path:
    bias, weights = model
    rows = sorted((feature, CATEGORIES[c], w) for feature, ws in weights.items() for c, w in enumerate(ws) if w)
    text = ["# Written by scripts/train_safety.py: do not edit by hand, retrain instead.",
            "# A multinomial logistic regression over the normalised answer (words, word pairs, words",
            "# after a negator marked not_); \"none\" is the reference class, so it has no weights.",
            "[safety_model]",
            f"categories = {json.dumps(list(CATEGORIES))}",
            f"negators = {json.dumps(NEGATORS[lang] if setup.negation else [], ensure_ascii=False)}",
            f"char_grams = {setup.char_grams}",
            f"threshold = {threshold}",
            f"bias = {json.dumps(bias)}",
            "weights = ["]
    text += [f"  [{json.dumps(f, ensure_ascii=False)}, \"{c}\", {w}]," for f, c, w in rows]
    text.append("]")
    path = ROOT / "assistant" / "content" / lang / "safety_model.toml"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


def main() -> int:
    if CHOSEN.link != "softmax":
        raise SystemExit("safety_model.py reads a softmax model")
    for lang in LANGS:
        cases = load(lang)
        tables = Counter(table for table, _, _ in cases)
        print(f"\n{lang}: {len(cases)} cases from " + ", ".join(f"{t} ({n})" for t, n in sorted(tables.items())))
        texts = [text for _, text, _ in cases]
        truth = [label for _, _, label in cases]
        listener = SafetyListener.from_pack(load_pack(lang))
        rules = [(found.label if (found := listener.finding(text)) else None) for text in texts]
        print(line("rules alone", figures(rules, truth)))
        if "--compare" in sys.argv:
            for name, setup in ALTERNATIVES.items():
                started = time.perf_counter()
                threshold, out, _, combined = evaluate(lang, setup, texts, truth, rules, show=False)
                # recall of the model alone at its own 3 % false-alarm point, comparable across setups
                alone = choose_threshold([p for p, _ in out], [None] * len(truth), truth)
                print(line(f"{name} [alone]", figures(verdicts(out, alone), truth)) +
                      f"  t={alone}")
                print(line(f"{name} [OR]", combined) + f"  t={threshold}  {time.perf_counter() - started:.0f}s")
        threshold, _, _, _ = evaluate(lang, CHOSEN, texts, truth, rules)
        labels = [CATEGORIES.index(t) if t != "none" else -1 for t in truth]
        model = fit(encode(texts, lang, CHOSEN), labels, CHOSEN)
        path = save(lang, threshold, model, CHOSEN)
        print(f"  threshold {threshold}  ({FOLDS}-fold, false alarms of rules OR model <= {FALSE_ALARM_BUDGET})"
              f"  saved {path.relative_to(ROOT)}: {sum(map(bool, (w for ws in model[1].values() for w in ws)))}"
              f" weights, {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
