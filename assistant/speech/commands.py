"""Recognising control words ("repeat", "next", "done", ...) in what was heard."""
from __future__ import annotations

from ..events import MODE_COMMANDS
from ..text import normalize

UNKNOWN_WORD = "[unk]"


class CommandWords:
    """The control words of one language: name -> the phrases that say it."""

    def __init__(self, phrases: dict[str, list[str]]) -> None:
        self.phrases = {name: [normalize(p) for p in said] for name, said in phrases.items()}

    def allowed(self, mode: str) -> tuple[str, ...]:
        return MODE_COMMANDS[mode]

    def match(self, text: str, mode: str) -> str | None:
        """The command when the whole utterance is one of its phrases, else None."""
        said = normalize(text)
        for name in self.allowed(mode):
            if said in self.phrases.get(name, []):
                return name
        return None

    def starting_answer(self, text: str) -> str | None:
        """Yes or no when an utterance begins with it ("yes, please save them")."""
        said = normalize(text)
        for name in ("yes", "no"):
            if any(said == p or said.startswith(p + " ") for p in self.phrases.get(name, [])):
                return name
        return None

    def strip_done(self, text: str) -> tuple[str, bool]:
        """Split a trailing done phrase off an answer: ("it was good", True) for "it was good done"."""
        said = normalize(text)
        for phrase in sorted(self.phrases.get("done", []), key=len, reverse=True):
            if said == phrase:
                return "", True
            if said.endswith(" " + phrase):
                return said[: -len(phrase) - 1], True
        return text, False

    def grammar(self) -> list[str]:
        """Every control phrase: the grammar holds them all in every mode (the more distinct words
        it knows, the better it tells them apart); `match` then keeps the mode's own."""
        return [p for said in self.phrases.values() for p in said]

    def words(self) -> set[str]:
        """Every single word used in any phrase (each must be in the model's vocabulary)."""
        return {w for said in self.phrases.values() for p in said for w in p.split()}
