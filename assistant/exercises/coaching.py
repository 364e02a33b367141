"""Gentle coaching on a reflection, and naming the need behind an answer, from the pack's phrase lists.

Both work on words: lower case, no punctuation, phrases matched as whole word sequences.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..content import Pack
from ..text import normalize

NO_CHECK = "no_check"


def _phrases(values: list[str]) -> list[tuple[str, ...]]:
    """Phrases as word tuples, normalised like what is heard; `*` stays a wildcard."""
    return [tuple(w for token in v.split() for w in (["*"] if token == "*" else normalize(token).split()))
            for v in values]


def _positions(words: list[str], phrase: tuple[str, ...]) -> list[int]:
    """Where `phrase` starts in `words`; a `*` in a phrase stands for any one word (Dutch puts the
    verb between "jij" and "nooit": "jij luistert nooit")."""
    size = len(phrase)
    return [i for i in range(len(words) - size + 1)
            if all(p in ("*", w) for p, w in zip(phrase, words[i:i + size]))]


@dataclass(frozen=True)
class Coach:
    patterns: dict[str, list[tuple[str, ...]]]  # pattern name -> its phrases
    check_phrases: list[tuple[str, ...]]
    quote_frames: frozenset[str]
    quote_reach: int
    need_question: list[tuple[str, ...]]

    @classmethod
    def from_pack(cls, pack: Pack) -> Coach:
        prefix = "coaching."
        patterns = {
            key[len(prefix):-len(".phrases")]: _phrases(value)
            for key, value in pack.values.items()
            if key.startswith(prefix) and key.endswith(".phrases")
        }
        return cls(patterns, _phrases(pack.items("coaching.check_phrases")),
                   frozenset(normalize(w) for w in pack.items("coaching.quote_frames")),
                   int(pack.values["coaching.quote_reach"]), _phrases(pack.items("coaching.need_question")))

    def pattern_in(self, text: str) -> str | None:
        """The destructive pattern a reflection shows, or None. A phrase right after a word that
        reports the partner ("what I hear is that you always feel alone") is a quote, not a pattern."""
        words = normalize(text).split()
        for name, phrases in self.patterns.items():
            for phrase in phrases:
                for at in _positions(words, phrase):
                    if not self.quote_frames.intersection(words[max(0, at - self.quote_reach):at]):
                        return name
        return None

    def checks(self, text: str) -> bool:
        words = normalize(text).split()
        return any(_positions(words, phrase) for phrase in self.check_phrases)

    def advice(self, reflection: str) -> str | None:
        """What to coach on: a pattern first, else a missing check question, else nothing."""
        return self.pattern_in(reflection) or (None if self.checks(reflection) else NO_CHECK)

    def asks_need(self, text: str) -> bool:
        words = normalize(text).split()
        return any(_positions(words, phrase) for phrase in self.need_question)


@dataclass(frozen=True)
class NeedFinder:
    words: dict[str, list[tuple[str, ...]]]  # need name -> words and phrases that point at it
    labels: dict[str, str]  # need name -> how it is said in the language

    @classmethod
    def from_pack(cls, pack: Pack) -> NeedFinder:
        needs = {key.split(".")[1] for key in pack.values if key.startswith("needs.")}
        return cls({need: _phrases(pack.items(f"needs.{need}.words")) for need in needs},
                   {need: pack.text(f"needs.{need}.label") for need in needs})

    def need_in(self, text: str) -> str | None:
        """The need most words point at; None when none does or two tie."""
        said = normalize(text).split()
        counts = {need: sum(len(_positions(said, p)) for p in phrases) for need, phrases in self.words.items()}
        best = max(counts.values(), default=0)
        winners = [need for need, count in counts.items() if count == best]
        return winners[0] if best > 0 and len(winners) == 1 else None
