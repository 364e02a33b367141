"""The one interface every exercise uses for what a partner said in mirroring: is a reflection or
response one of the destructive patterns, does the reflection check, what kind of answer is this,
which need is named, and is this the need question itself. Pure: text and the language pack in,
a `Finding` (label and the cue that decided it) out. Safety is heard centrally (safety.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..content import Pack
from . import Finding
from .answers import AnswerReader
from .needs import NeedReader
from .reflection import ReflectionReader

NO_CHECK = "no_check"  # coaching label: a good reflection that does not check it landed


@dataclass(frozen=True)
class Understanding:
    reflections: ReflectionReader
    answers: AnswerReader
    needs: NeedReader

    @classmethod
    def from_pack(cls, pack: Pack) -> Understanding:
        return cls(ReflectionReader.from_pack(pack), AnswerReader.from_pack(pack), NeedReader.from_pack(pack))

    def coaching(self, text: str, step: str = "reflection") -> Finding | None:
        """What to coach on: the pattern first; for a reflection, else a missing check question."""
        reading = self.reflections.read(text, step)
        if reading.pattern or step != "reflection":
            return reading.pattern
        return None if reading.check else Finding(NO_CHECK, "check.missing")

    def answer(self, text: str) -> Finding:
        """yes, yes_but, no_with_content, no or more."""
        return self.answers.kind(text)

    def need(self, text: str) -> Finding | None:
        """safety, connection, recognition or autonomy; None when no need is clear."""
        return self.needs.need(text)

    def asks_need(self, text: str) -> bool:
        """The listener asking "what do you need from me right now?" aloud, no answer in it yet."""
        return self.needs.is_question(text)
