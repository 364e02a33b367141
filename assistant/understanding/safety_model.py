"""A small trained safety model: a multinomial logistic regression over words, word pairs, negated
words and character 4-grams.

It backs up the hand-written cues: `SafetyListener` (safety.py) asks it when no cue matched. The weights
are data in the language pack (`safety_model.*`, written by scripts/train_safety.py), so the model
runs offline in pure Python and can say which features decided it.

The classes are the six categories and "none"; "none" is the reference class (its score is 0), so
each category has a bias and per-feature weights. An answer is flagged when the probability that it
is a disclosure of any kind, 1 - P(none), reaches the language's threshold; the category named is
the most likely one.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..content import Pack
from ..speech.commands import normalize

NEGATION_REACH = 3  # words after a negator that are marked "not_"


def features(said: str, negators: frozenset[str], char_grams: int = 0) -> list[str]:
    """The features of a normalised answer: its words, its word pairs, the words within reach of a
    negator marked as negated ("not_allowed"), and, when `char_grams` > 0, the character n-grams of
    longer words ("~moord"), which catch Dutch compounds."""
    words = said.split()
    found = set(words)
    found.update(f"{a} {b}" for a, b in zip(words, words[1:]))
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
class SafetyModel:
    categories: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[tuple[int, float], ...]]  # feature -> (category index, weight), nonzero only
    threshold: float
    negators: frozenset[str]
    char_grams: int

    @classmethod
    def from_pack(cls, pack: Pack) -> "SafetyModel":
        categories = tuple(pack.values["safety_model.categories"])
        weights = {row[0]: tuple((number, float(weight)) for number, weight in enumerate(row[1:]) if weight)
                   for row in pack.values["safety_model.weights"]}  # [feature, weight per category...]
        return cls(categories, tuple(float(b) for b in pack.values["safety_model.bias"]), weights,
                   float(pack.values["safety_model.threshold"]),
                   frozenset(pack.values["safety_model.negators"]),
                   int(pack.values["safety_model.char_grams"]))

    def probabilities(self, text: str) -> tuple[dict[str, float], dict[str, list[tuple[float, str]]]]:
        """P(category) for each category (the rest is P(none)), and per category the features that
        raised its score, as (contribution, feature)."""
        scores = list(self.bias)
        raised: list[list[tuple[float, str]]] = [[] for _ in self.categories]
        for feature in features(normalize(text), self.negators, self.char_grams):
            for category, weight in self.weights.get(feature, ()):
                scores[category] += weight
                if weight > 0:
                    raised[category].append((weight, feature))
        top = max(0.0, *scores)
        exps = [math.exp(s - top) for s in scores]
        total = math.exp(-top) + sum(exps)
        return ({name: e / total for name, e in zip(self.categories, exps)},
                {name: found for name, found in zip(self.categories, raised)})

    def score(self, text: str) -> tuple[str, float, str] | None:
        """(category, P(disclosure), cue) when P(disclosure) = 1 - P(none) reaches the threshold, else
        None. The cue names the (at most three) features that raised the category most, never the
        whole answer: "model:pills+dont want"."""
        chances, raised = self.probabilities(text)
        disclosure = sum(chances.values())
        if disclosure < self.threshold:
            return None
        category = max(self.categories, key=lambda name: chances[name])
        named = [feature for _, feature in sorted(raised[category], key=lambda pair: (-pair[0], pair[1]))[:3]]
        return category, disclosure, "model:" + "+".join(named)
