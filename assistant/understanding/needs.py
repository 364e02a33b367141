"""Which of the four needs (METHOD.md section 2) the speaker names when asked "what do you need from
me right now?", or None when none is clear; and whether an utterance is that question itself.

Words the method gives for each need (`understanding.needs.<need>`) are counted as cues; a small
trained model (`understanding_model.needs`) weighs them with the other words, so indirect answers
("i need you to trust me to handle it myself") are heard too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..content import Pack
from . import Finding
from .classifier import TextClassifier
from .structure import Structure

NEEDS = ("safety", "connection", "recognition", "autonomy")


@dataclass(frozen=True)
class NeedCues:
    structure: Structure
    words: dict[str, list[re.Pattern]]  # need -> the words that point at it
    question: list[re.Pattern]

    @classmethod
    def from_pack(cls, pack: Pack) -> NeedCues:
        def compiled(key: str) -> list[re.Pattern]:
            return [re.compile(rf"\b(?:{cue})\b") for cue in pack.items(key)]
        return cls(Structure.from_pack(pack), {need: compiled(f"understanding.needs.{need}") for need in NEEDS},
                   compiled("understanding.needs.question"))

    def prepare(self, text: str) -> tuple[str, dict[str, str]]:
        """What the model reads, and per need the first of its words that was said."""
        said = " ".join(self.structure.words(text))
        hits = {need: f"{need}.{number}" for need in NEEDS
                for number, pattern in reversed(list(enumerate(self.words[need]))) if pattern.search(said)}
        return " ".join([*(f"#need_{need}" for need in hits), said]), hits


@dataclass(frozen=True)
class NeedReader:
    cues: NeedCues
    model: TextClassifier
    labels: dict[str, str]  # need -> how it is said in the language

    @classmethod
    def from_pack(cls, pack: Pack) -> NeedReader:
        return cls(NeedCues.from_pack(pack), TextClassifier.from_pack(pack, "understanding_model.needs"),
                   {need: pack.text(f"needs.{need}.label") for need in NEEDS})

    def need(self, text: str) -> Finding | None:
        prepared, hits = self.cues.prepare(text)
        decided = self.model.decide(prepared)
        if decided.label == self.model.reference:
            return None
        return Finding(decided.label, hits.get(decided.label, decided.cue))

    def is_question(self, text: str) -> bool:
        """The listener asking the need question aloud, with no need said in the same breath."""
        said = " ".join(self.cues.structure.words(text))
        asked = next((found for pattern in self.cues.question if (found := pattern.search(said))), None)
        return asked is not None and self.need(said[:asked.start()] + said[asked.end():]) is None
