"""Understanding what a partner said: pure functions from (text, language pack) to a `Finding`.

No devices, no clock, no I/O; the cues live in the language packs, so every finding can say
which cue decided it.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    label: str  # what was recognised, for example the safety category "self_harm"
    cue: str  # the name of the pack cue that decided it, never the person's words
