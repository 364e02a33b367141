"""What kind of answer the speaker gives to "is that right?": yes, yes-but, no with what they meant
instead, a bare no, or more (not finished yet, or a moment to think).

The structure counts most: whether the answer starts with a yes or a no word
(`understanding.answers.yes_words`, `no_words`) and how much follows it. Cues
(`understanding.answers.<kind>`) mark the typical phrases; a small trained model
(`understanding_model.answers`) weighs both with the words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..content import Pack
from . import Finding
from .classifier import TextClassifier
from .structure import Structure

KINDS = ("yes", "yes_but", "no_with_content", "no", "more")


@dataclass(frozen=True)
class AnswerCues:
    structure: Structure
    yes_words: frozenset[str]
    no_words: frozenset[str]
    cues: dict[str, list[re.Pattern]]

    @classmethod
    def from_pack(cls, pack: Pack) -> AnswerCues:
        key = "understanding.answers."
        return cls(Structure.from_pack(pack), frozenset(pack.items(key + "yes_words")),
                   frozenset(pack.items(key + "no_words")),
                   {kind: [re.compile(rf"\b(?:{cue})\b") for cue in pack.items(key + kind)] for kind in KINDS})

    def prepare(self, text: str) -> tuple[str, Finding | None]:
        """What the model reads, and the first cue that matched."""
        words = self.structure.words(text)
        lead = 0
        while lead < len(words) and words[lead] in self.yes_words | self.no_words:
            lead += 1
        said = " ".join(words)
        cue = next((Finding(kind, f"{kind}.{number}") for kind in KINDS
                    for number, pattern in enumerate(self.cues[kind]) if pattern.search(said)), None)
        first = words[0] if words else None
        starts = "yes" if first in self.yes_words else "no" if first in self.no_words else "other"
        tokens = [f"#starts_{starts}", f"#rest{min(len(words) - lead, 4)}"]
        tokens += [f"#cue_{cue.label}"] if cue else []
        return " ".join([*tokens, said]), cue


@dataclass(frozen=True)
class AnswerReader:
    cues: AnswerCues
    model: TextClassifier

    @classmethod
    def from_pack(cls, pack: Pack) -> AnswerReader:
        return cls(AnswerCues.from_pack(pack), TextClassifier.from_pack(pack, "understanding_model.answers"))

    def kind(self, text: str) -> Finding:
        """The kind of answer, with the cue that agrees with the model or else the model's features."""
        prepared, cue = self.cues.prepare(text)
        decided = self.model.decide(prepared)
        return Finding(decided.label, cue.cue if cue and cue.label == decided.label else decided.cue)
