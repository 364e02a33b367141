"""Is a reflection (or the listener's response) one of the destructive patterns, and does it check?

Two parts read it, both data in the pack. Hand-written cues (`understanding.patterns.<pattern>`,
regular expressions) look only at the listener's own words, never at a quote of what was said
before or a report of the partner's view (structure.py). A small trained model
(`understanding_model.patterns`, classifier.py) reads the whole utterance with its quotes and
reports marked, the step, and which cue matched; it decides, but only on evidence: a cue, or a word
that raised the pattern, not the structure alone. The finding names the cue when a cue agrees with
the model, else the model's features.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..content import Pack
from . import Finding
from .classifier import TextClassifier
from .structure import Structure

PATTERNS = ("defending", "fixing", "minimising", "judging", "stonewalling")
STEPS = ("reflection", "response")  # the listener's reflection, and the listener's own view after it


@dataclass(frozen=True)
class Prepared:
    text: str  # what the model reads: the marked words and the structure's tokens
    cue: Finding | None  # the first hand-written cue that matched the listener's own words
    check: Finding | None  # the check question


@dataclass(frozen=True)
class PatternCues:
    structure: Structure
    cues: dict[str, list[re.Pattern]]  # pattern -> its cues, in pack order

    @classmethod
    def from_pack(cls, pack: Pack) -> PatternCues:
        return cls(Structure.from_pack(pack),
                   {name: [re.compile(rf"\b(?:{cue})\b") for cue in pack.items(f"understanding.patterns.{name}")]
                    for name in PATTERNS})

    def prepare(self, text: str, step: str) -> Prepared:
        shape = self.structure.shape(text)
        own = shape.own()
        cue = next((Finding(name, f"{name}.{number}") for name in PATTERNS
                    for number, pattern in enumerate(self.cues[name]) if pattern.search(own)), None)
        check = Finding("check", shape.check) if shape.check else None
        tokens = [f"#{step}"]
        tokens += ["#opener"] if shape.opener else []
        tokens += ["#check"] if check else []
        tokens += [f"#cue_{cue.label}"] if cue else []
        return Prepared(" ".join([*tokens, shape.marked()]), cue, check)


@dataclass(frozen=True)
class Reading:
    pattern: Finding | None  # the destructive pattern and what decided it; None for a real reflection
    check: Finding | None  # the check question ("is that right?") and its cue; None when it is missing


@dataclass(frozen=True)
class ReflectionReader:
    cues: PatternCues
    model: TextClassifier

    @classmethod
    def from_pack(cls, pack: Pack) -> ReflectionReader:
        return cls(PatternCues.from_pack(pack), TextClassifier.from_pack(pack, "understanding_model.patterns"))

    def read(self, text: str, step: str = "reflection") -> Reading:
        prepared = self.cues.prepare(text, step)
        decided = self.model.decide(prepared.text)
        if decided.label == self.model.reference or not (prepared.cue or decided.from_words):
            return Reading(None, prepared.check)  # no word of it points at a pattern: "me too" is no attack
        cue = prepared.cue.cue if prepared.cue and prepared.cue.label == decided.label else decided.cue
        return Reading(Finding(decided.label, cue), prepared.check)
