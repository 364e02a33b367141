"""The safety listener: does an answer speak of violence, fear of the partner, control, humiliation,
sexual coercion, or thoughts of suicide or self-harm? Then the exercise must stop (METHOD.md section 5).

Two parts, either of which stops the exercise: hand-written cues, regular expressions in the pack
(`safety.cues.<category>`) over the normalised answer, where `@name` stands for the pack's group
`safety.groups.<name>`; and a small trained model, also data in the pack (`classifier.py`), for
the many indirect ways people say these things. The finding names the cue or the model's features.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..content import Pack
from ..text import normalize
from . import Finding
from .classifier import TextClassifier

# Thoughts of suicide come first: the guide then names the crisis line before anything else.
CATEGORIES = ("self_harm", "violence", "sexual", "fear", "control", "humiliation")


def _expand(cue: str, groups: dict[str, str]) -> str:
    return re.sub(r"@(\w+)", lambda found: groups[found.group(1)], cue)


@dataclass(frozen=True)
class SafetyListener:
    cues: dict[str, list[re.Pattern]]  # category -> its compiled cues, in pack order
    model: TextClassifier
    joke_markers: tuple[str, ...]  # normalised phrases that say "this is a joke": the model alone then stays quiet
    denials: list[re.Pattern]  # an act said not to happen ("he would never hit me"): the model alone stays quiet

    @classmethod
    def from_pack(cls, pack: Pack) -> SafetyListener:
        groups = pack.section("safety.groups")
        return cls({category: [re.compile(_expand(cue, groups)) for cue in pack.items(f"safety.cues.{category}")]
                    for category in CATEGORIES}, TextClassifier.from_pack(pack, "safety_model"),
                   tuple(normalize(marker) for marker in pack.items("safety.joke_markers")),
                   [re.compile(_expand(denial, groups)) for denial in pack.items("safety.denials")])

    def finding(self, text: str) -> Finding | None:
        """The first category whose cue matches, with the cue's name ("violence.3"), else the model's
        category and features ("model:pills+dont want"); None for an ordinary answer."""
        said = normalize(text)
        for category in CATEGORIES:
            for number, cue in enumerate(self.cues[category]):
                if cue.search(said):
                    return Finding(category, f"{category}.{number}")
        if any(f" {marker} " in f" {said} " for marker in self.joke_markers) or \
                any(denial.search(said) for denial in self.denials):
            return None
        decided = self.model.decide(said)
        return None if decided.label == self.model.reference else Finding(decided.label, decided.cue)
