"""A small trained text classifier: a multinomial logistic regression over words, word pairs, negated
words and character n-grams, read from a language pack section and run in pure Python.

The safety listener, the reflection coach, the answer reader and the need finder each have one; the
weights are data in the pack (written by scripts/train_*.py with `training.py`), so every model
runs offline and can say which features decided it.

One class is the reference (its score is 0, "none" unless the pack says otherwise); every other class
has a bias and per-feature weights. A text gets the most likely other class when the chance that it
is not the reference, 1 - P(reference), reaches the section's threshold; else the reference.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

from ..content import Pack

NEGATION_REACH = 3  # words after a negator that are marked "not_"
MARKER = "#"  # a token that starts with it marks the text's structure ("#opener"): a feature on its own only


def features(said: str, negators: frozenset[str], char_grams: int = 0) -> list[str]:
    """The features of a normalised text: its words, its word pairs, the words within reach of a
    negator marked as negated ("not_allowed"), and, when `char_grams` > 0, the character n-grams of
    longer words ("~moord"), which catch Dutch compounds. Markers ("#opener") count as themselves."""
    tokens = said.split()
    words = [token for token in tokens if not token.startswith(MARKER)]
    found = set(tokens)
    found.update(f"{a} {b}" for a, b in pairwise(words))
    reach = 0
    for word in words:
        if reach:
            found.add("not_" + word)
            reach -= 1
        if word in negators:
            reach = NEGATION_REACH
    if char_grams:
        for word in words:
            if len(word) > char_grams + 1:
                found.update("~" + word[i:i + char_grams] for i in range(len(word) - char_grams + 1))
    return sorted(found)  # sorted: the same sums in the same order, in every process


@dataclass(frozen=True)
class Decision:
    label: str  # the class decided, the reference included
    chance: float  # 1 - P(reference): how sure the text is not the reference
    named: tuple[str, ...]  # the (at most three) features that decided it most

    @property
    def cue(self) -> str:
        return "model:" + "+".join(self.named)

    @property
    def from_words(self) -> bool:
        """Whether a word of the text decided it, not only the markers of its structure."""
        return any(not feature.startswith(MARKER) for feature in self.named)


@dataclass(frozen=True)
class TextClassifier:
    categories: tuple[str, ...]  # the scored classes, in the order of the weights
    reference: str
    bias: tuple[float, ...]
    weights: dict[str, tuple[tuple[int, float], ...]]  # feature -> (category index, weight), nonzero only
    threshold: float
    negators: frozenset[str]
    char_grams: int

    @classmethod
    def from_pack(cls, pack: Pack, section: str) -> TextClassifier:
        values = pack.section(section)
        weights = {row[0]: tuple((number, float(weight)) for number, weight in enumerate(row[1:]) if weight)
                   for row in values["weights"]}  # [feature, weight per category...]
        return cls(tuple(values["categories"]), values.get("reference", "none"),
                   tuple(float(b) for b in values["bias"]), weights, float(values["threshold"]),
                   frozenset(values["negators"]), int(values["char_grams"]))

    def probabilities(self, said: str) -> tuple[dict[str, float], dict[str, list[tuple[float, str]]]]:
        """P(category) for each scored category of a normalised text (the rest is P(reference)), and
        per category the features that moved its score, as (contribution, feature)."""
        scores = list(self.bias)
        moved: list[list[tuple[float, str]]] = [[] for _ in self.categories]
        for feature in features(said, self.negators, self.char_grams):
            for category, weight in self.weights.get(feature, ()):
                scores[category] += weight
                moved[category].append((weight, feature))
        top = max(0.0, *scores)
        exps = [math.exp(s - top) for s in scores]
        total = math.exp(-top) + sum(exps)
        return ({name: e / total for name, e in zip(self.categories, exps)},
                {name: found for name, found in zip(self.categories, moved)})

    def decide(self, said: str) -> Decision:
        """The class of a normalised text, how sure it is not the reference, and the (at most three)
        features that decided it, never the whole text: "model:pills+dont want". For a category,
        those that raised it most; for the reference, those that held the likeliest category down."""
        chances, moved = self.probabilities(said)
        chance = sum(chances.values())
        category = max(self.categories, key=lambda name: chances[name])
        sign = 1 if chance >= self.threshold else -1
        named = [feature for weight, feature in sorted(moved[category], key=lambda pair: (-sign * pair[0], pair[1]))
                 if sign * weight > 0][:3]
        return Decision(category if sign > 0 else self.reference, chance, tuple(named))
