"""Training and cross-validating a `TextClassifier` (classifier.py): used by scripts/train_*.py only,
never at run time.

Stochastic gradient descent with AdaGrad steps and an L2 penalty, deterministic (fixed seed), so the
same tables always give the same weights in the pack.
"""
from __future__ import annotations

import json
import math
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from .classifier import TextClassifier, features

SEED = 7
Model = tuple[list[float], dict[str, list[float]]]  # biases, and per kept feature its weight per category


@dataclass(frozen=True)
class Setup:
    link: str = "softmax"  # "softmax": one multinomial model with a reference class; "ovr": one vs rest
    negation: bool = True  # words up to 3 after a negator also count as "not_<word>"
    char_grams: int = 4  # character n-grams of words longer than n + 1; 0 for none
    l2: float = 1.0  # the penalty per feature over one pass, spread over the texts it occurs in
    epochs: int = 25
    rate: float = 0.3  # AdaGrad step
    cut: float = 0.04  # weights smaller than this are dropped from the pack (size)


def encode(texts: list[str], negators: list[str], setup: Setup) -> list[list[str]]:
    """The features of already normalised texts."""
    chosen = frozenset(negators if setup.negation else ())
    return [features(text, chosen, setup.char_grams) for text in texts]


def chances(scores: list[float], link: str) -> list[float]:
    """P(category) from the category scores (the reference scores 0)."""
    if link == "ovr":
        return [1 / (1 + math.exp(-max(-30.0, min(30.0, s)))) for s in scores]
    top = max(0.0, *scores)
    exps = [math.exp(s - top) for s in scores]
    total = math.exp(-top) + sum(exps)
    return [e / total for e in exps]


def fit(data: list[list[str]], labels: list[int], k: int, setup: Setup) -> Model:
    """A model of `k` scored categories; label -1 is the reference."""
    seen = Counter(feature for found in data for feature in found)
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
                for c, weight in enumerate(weights[feature]):
                    scores[c] += weight
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
    kept = {feature: [round(x, 3) if abs(x) >= setup.cut else 0.0 for x in w] for feature, w in weights.items()}
    return [round(b, 3) for b in bias], {feature: w for feature, w in kept.items() if any(w)}


def predict(model: Model, found: list[str], link: str) -> tuple[float, int]:
    """(P(not the reference), most likely scored category index): softmax 1 - P(reference),
    one-vs-rest the top P."""
    bias, weights = model
    scores = bias[:]
    for feature in found:
        for c, w in enumerate(weights.get(feature, ())):
            scores[c] += w
    p = chances(scores, link)
    return (max(p) if link == "ovr" else sum(p)), max(range(len(p)), key=p.__getitem__)


def folds(labels: list[str], count: int) -> list[int]:
    """A fold number per case, stratified by label, deterministic."""
    rng = random.Random(SEED)
    fold = [0] * len(labels)
    for label in sorted(set(labels)):
        members = [i for i, x in enumerate(labels) if x == label]
        rng.shuffle(members)
        for n, i in enumerate(members):
            fold[i] = n % count
    return fold


def held_out(data: list[list[str]], labels: list[int], k: int, fold_of: list[int], setup: Setup,
             keep: Callable[[Model, int], bool] | None = None) -> list[tuple[float, int]]:
    """The model's (P(not the reference), category) for every case, from the model trained without
    its fold; P is 0 where `keep(fold's model, case)` says the model's verdict would not be used."""
    out: list[tuple[float, int]] = [(0.0, 0)] * len(data)
    for fold in sorted(set(fold_of)):
        train = [i for i, f in enumerate(fold_of) if f != fold]
        model = fit([data[i] for i in train], [labels[i] for i in train], k, setup)
        for i, f in enumerate(fold_of):
            if f == fold:
                chance, category = predict(model, data[i], setup.link)
                out[i] = (chance if keep is None or keep(model, i) else 0.0, category)
    return out


def as_classifier(model: Model, categories: list[str], reference: str, negators: list[str], setup: Setup,
                  threshold: float = 0.5) -> TextClassifier:
    """The run-time classifier of a trained model, as the pack would load it."""
    bias, weights = model
    return TextClassifier(tuple(categories), reference, tuple(bias),
                          {feature: tuple((c, w) for c, w in enumerate(row) if w) for feature, row in weights.items()},
                          threshold, frozenset(negators if setup.negation else ()), setup.char_grams)


def model_table(categories: list[str], reference: str, negators: list[str], threshold: float, model: Model,
                setup: Setup) -> dict:
    """The model as a pack's table: its classes, settings and weights, a row per kept feature."""
    bias, weights = model
    return {"categories": categories, "reference": reference,
            "negators": negators if setup.negation else [], "char_grams": setup.char_grams,
            "threshold": threshold, "bias": bias,
            "weights": [[feature, *(0 if w == 0 else w for w in weights[feature])] for feature in sorted(weights)]}


def tables_json(tables: dict) -> str:
    """Trained tables as a pack's JSON file, `{section: {..., "weights": rows}}`: a weight row per
    line, so a retrained model reads as a diff. JSON, not TOML: it parses in a twentieth of the time
    (these files are most of a pack's bytes, read by every session that listens to words)."""
    def dump(value, indent: str) -> str:
        if isinstance(value, dict):
            inner = indent + "  "
            fields = [f"{inner}{json.dumps(key)}: {dump(item, inner)}" for key, item in value.items()]
            return "{\n" + ",\n".join(fields) + "\n" + indent + "}"
        if isinstance(value, list) and value and isinstance(value[0], list):
            rows = [indent + "  " + json.dumps(row, ensure_ascii=False, separators=(", ", ": ")) for row in value]
            return "[\n" + ",\n".join(rows) + "\n" + indent + "]"
        return json.dumps(value, ensure_ascii=False)
    return dump(tables, "") + "\n"
