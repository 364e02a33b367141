"""Two small readings of an answer: a "but" that takes a compliment back, and an A, B or C choice.

Pure functions over the pack's words; each finding names the cue that decided it, never the answer.
"""
from __future__ import annotations

from ..text import normalize
from . import Finding


def takes_back(text: str, buts: list[str], harmless: list[str]) -> Finding | None:
    """A "but" in an appreciation ("you cooked, but late"), unless every one of them is part of a
    harmless phrase: "not only ... but also", or Dutch "maar" as a softener ("altijd maar weer")."""
    words = normalize(text).split()
    pairs = {normalize(phrase) for phrase in harmless}
    for index, word in enumerate(words):
        if word not in buts:
            continue
        before = " ".join(words[max(0, index - 1):index + 1])
        after = " ".join(words[index:index + 2])
        if before not in pairs and after not in pairs:
            return Finding("but", word)
    return None


def choice(text: str, letters: dict[str, list[str]], cues: dict[str, list[str]]) -> Finding | None:
    """The option chosen: the whole answer is one of a letter's phrases ("b", "answer b"), else
    the one option whose cue words the answer holds ("calm, I can listen"). None when unclear."""
    said = normalize(text)
    for label, phrases in letters.items():
        if said in (normalize(p) for p in phrases):
            return Finding(label, said)
    padded = f" {said} "
    hits = {label: [cue for cue in words if f" {normalize(cue)} " in padded] for label, words in cues.items()}
    found = [label for label, cues_found in hits.items() if cues_found]
    if len(found) == 1:
        return Finding(found[0], hits[found[0]][0])
    return None
