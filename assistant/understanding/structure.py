"""The shape of an utterance, read from the pack: which words quote the partner, which report the
partner's own view, where the check question is, and what is left that the listener says themselves.

A reflection may hold hard words that are not the listener's attack: "when i said you always forget,
you felt attacked" quotes them, "you feel you never get a moment for yourself" reports the partner's
view. The taught opener, "what i hear is that ...", does neither: what follows it is the listener's
own reading of the partner, so "what i hear is that you always exaggerate" is judging.
All patterns are regular expressions over the normalised text, from `understanding.structure.*`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..content import Pack
from ..text import normalize

QUOTED, REPORTED = "q_", "r_"  # the marks of quoted and reported words, in the model's features
QUOTE_REACH = 8  # the most words a quote runs before it ends by itself
QUOTE_MINIMUM = 2  # a quote holds at least this many words before an end word can close it


def _compiled(pack: Pack, key: str) -> list[re.Pattern]:
    return [re.compile(rf"\b(?:{cue})\b") for cue in pack.items(key)]


@dataclass(frozen=True)
class Shape:
    words: list[str]  # the utterance's own words, fillers left out
    marks: list[str]  # per word: "" the speaker's own, QUOTED or REPORTED
    opener: bool  # starts with the taught opener
    check: str | None  # the check question's cue, when there is one

    def own(self) -> str:
        """The words the speaker says as their own, quotes and reports left out ("|" where they were)."""
        return " ".join(w if not m else "|" for w, m in zip(self.words, self.marks))

    def marked(self) -> str:
        """Every word with its mark: the text the trained models read."""
        return " ".join(m + w for w, m in zip(self.words, self.marks))


@dataclass(frozen=True)
class Structure:
    fillers: frozenset[str]
    openers: list[re.Pattern]
    quotes: list[re.Pattern]
    quote_ends: frozenset[str]
    reports: list[re.Pattern]
    breakers: frozenset[str]
    checks: list[re.Pattern]
    check_tags: frozenset[str]  # words that check only as the last word ("right", "toch")

    @classmethod
    def from_pack(cls, pack: Pack) -> Structure:
        key = "understanding.structure."
        return cls(frozenset(pack.items(key + "fillers")), _compiled(pack, key + "openers"),
                   _compiled(pack, key + "quotes"), frozenset(pack.items(key + "quote_ends")),
                   _compiled(pack, key + "reports"), frozenset(pack.items(key + "breakers")),
                   _compiled(pack, key + "checks"), frozenset(pack.items(key + "check_tags")))

    def words(self, text: str) -> list[str]:
        return [w for w in normalize(text).split() if w not in self.fillers]

    def shape(self, text: str) -> Shape:
        words = self.words(text)
        said = " ".join(words)
        check, words = self._check(said, words)
        said = " ".join(words)
        opener = next((m for p in self.openers if (m := p.match(said))), None)
        if opener:
            words = said[opener.end():].split()
            said = " ".join(words)
        marks = [""] * len(words)
        starts = _word_starts(said)
        for pattern in self.quotes:
            for found in pattern.finditer(said):
                self._mark_quote(words, marks, starts.get(found.end() + 1, len(words)))
        for pattern in self.reports:
            for found in pattern.finditer(said):
                self._mark_report(words, marks, starts.get(found.end() + 1, len(words)))
        return Shape(words, marks, opener is not None, check)

    def _check(self, said: str, words: list[str]) -> tuple[str | None, list[str]]:
        """The check question's cue and the words without it."""
        for number, pattern in enumerate(self.checks):
            found = pattern.search(said)
            if found:
                return f"check.{number}", (said[:found.start()] + said[found.end():]).split()
        if words and words[-1] in self.check_tags:
            return f"check.{words[-1]}", words[:-1]
        return None, words

    def _mark_quote(self, words: list[str], marks: list[str], start: int) -> None:
        for at in range(start, min(len(words), start + QUOTE_REACH)):
            if at - start >= QUOTE_MINIMUM and words[at] in self.quote_ends:
                return
            marks[at] = QUOTED

    def _mark_report(self, words: list[str], marks: list[str], start: int) -> None:
        for at in range(start, len(words)):
            if words[at] in self.breakers or marks[at]:
                return
            marks[at] = REPORTED


def _word_starts(said: str) -> dict[int, int]:
    """Character offset -> word index, for every word start in a single-spaced text."""
    starts, at = {}, 0
    for index, word in enumerate(said.split(" ")):
        starts[at] = index
        at += len(word) + 1
    return starts
