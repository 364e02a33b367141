"""Small messages passed between layers.

Events flow *into* an exercise (what happened); actions flow *out* of it (what to do).
The exercises never touch a device: the conductor turns actions into I/O and I/O into events.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


# --- audio -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class AudioChunk:
    """A piece of little-endian PCM audio, with its format. The assistant's own is mono 16-bit: what
    the recognizer hears and the outputs play (audio/convert.py turns anything else into it)."""

    data: bytes
    rate: int  # Hertz
    width: int = 2  # bytes per sample
    channels: int = 1

    @property
    def seconds(self) -> float:
        return len(self.data) / (self.width * self.channels * self.rate)


# --- events: into an exercise ----------------------------------------------------------------
@dataclass(frozen=True)
class Answer:
    """A partner finished speaking; `text` is what was understood (may be empty)."""

    text: str


@dataclass(frozen=True)
class Command:
    """A control word was said: one of `repeat`, `next`, `done`, `stop`, `yes`, `no`.
    `said`: the whole utterance when the word only began it ("no, he hits me"), for the safety listener."""

    name: str
    said: str = field(default="", compare=False)


@dataclass(frozen=True)
class NoAnswer:
    """Nobody said anything for the whole waiting time."""


@dataclass(frozen=True)
class TimerDone:
    """A timer asked for with `StartTimer` ran out."""

    name: str


@dataclass(frozen=True)
class SafeWord:
    """Someone said (or typed) the agreed safe word."""


@dataclass(frozen=True)
class InputEnded:
    """The input is exhausted (end of the audio file, stdin closed)."""


@dataclass(frozen=True)
class Disclosure:
    """An answer spoke of danger (violence, fear, control, humiliation, sexual coercion, thoughts
    of suicide): the exercise stops and the help lines follow. It carries the category, never the words."""

    category: str
    cue: str  # the pack cue that decided it


Event = Answer | Command | NoAnswer | TimerDone | SafeWord | InputEnded | Disclosure


# --- actions: out of an exercise -------------------------------------------------------------
@dataclass(frozen=True)
class Say:
    """Speak the pack sentence `key`, filled in with `values`.

    `private`: the values carry what someone said (a read-back answer), so the spoken sentence
    is never kept in the voice cache; the exercise that fills in an answer sets it.
    """

    key: str
    values: dict[str, Any] = field(default_factory=dict)
    private: bool = False


# Which control words (`Command` names) count while listening for a free answer, and while
# waiting for yes or no.
MODE_COMMANDS = {
    "answer": ("repeat", "next", "done", "stop"),
    "yesno": ("yes", "no", "repeat", "stop"),
}


@dataclass(frozen=True)
class Listen:
    """Wait for the next answer, command or silence.

    mode "answer": free speech that ends on the done word or a stretch of silence;
    mode "yesno": a short yes or no.
    """

    mode: str = "answer"


@dataclass(frozen=True)
class StartTimer:
    """Send `TimerDone(name)` after `seconds` on the session clock."""

    name: str
    seconds: float


@dataclass(frozen=True)
class StopTimer:
    """Forget the timer `name` if it is still running."""

    name: str


@dataclass(frozen=True)
class Note:
    """Write a record of `kind` with `fields` to the event log (a coaching hint, a summary)."""

    kind: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PauseUntil:
    """The pause ends `seconds` from now: keep the deadline on disk and send TimerDone("pause_end")."""

    seconds: float
    total_seconds: float  # the whole pause so far, extensions included


@dataclass(frozen=True)
class PauseNow:
    """Start the safe word's pause now, as if it was said (asked for instead of stopping)."""


@dataclass(frozen=True)
class Chime:
    """Play the soft chime that ends a pause."""


@dataclass(frozen=True)
class ArmSpotter:
    """Listen for `word` as the safe word from now on (during the set-up: a candidate to test).

    `trial`: only the spotter listens, not the answer's recognizer too, so a candidate that passes
    is one the spotter hears, as it must while the guide speaks.
    """

    word: str
    trial: bool = False


@dataclass(frozen=True)
class SaveSetting:
    """Store `value` for the setting `name` in the user's config file."""

    name: str
    value: Any


@dataclass(frozen=True)
class Save:
    """Keep `entries` in the journal (only ever asked for after a spoken yes)."""

    kind: str
    entries: tuple[tuple[str, str], ...]
    confirm: str = ""  # pack key said once the entries are safely on disk


@dataclass(frozen=True)
class HelpLines:
    """Say (and so print) the help lines of the user's country, in the order of `kinds`:
    "crisis" (thoughts of suicide), "abuse" (violence at home), "emergency" (112 or the local number)."""

    kinds: tuple[str, ...] = ("abuse", "crisis", "emergency")


@dataclass(frozen=True)
class End:
    """The exercise is over."""


Action = (Say | Listen | StartTimer | StopTimer | Note | PauseUntil | PauseNow | Chime | ArmSpotter | SaveSetting | Save
          | HelpLines | End)
