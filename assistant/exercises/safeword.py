"""Choosing the safe word together: propose, check, hear what it means, then each partner says it
twice and the spotter must catch it every time before it is saved."""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from difflib import SequenceMatcher
from typing import Any

from ..content import Pack
from ..events import ArmSpotter, HelpLines, SaveSetting
from ..method import PAUSE_MINUTES
from ..text import normalize
from .base import FIRST_SILENCE, Exercise, unclear_then

MOST_TRIES = 3  # refused or uncaught words before the set-up is left for another time
TIMES_EACH = 2  # each partner says the word this often during calibration
SHORTEST = 4  # letters: shorter words are easily misheard
TOO_SIMILAR = 0.75  # spelling similarity (0 to 1) above which a word is confused with another


def letters(word: str) -> int:
    """Letters as a listener hears them: a Hangul syllable block is two or three (보라색 has seven),
    an accent is none."""
    return sum(1 for c in unicodedata.normalize("NFD", word) if unicodedata.category(c).startswith("L"))


def word_problem(word: str, pack: Pack, known: Callable[[str], bool] | None) -> str | None:
    """Why `word` can't be the safe word (a pack key suffix), or None when it can."""
    controls = {w for said in pack.commands().values() for phrase in said for w in normalize(phrase).split()}
    everyday = {normalize(w) for w in pack.items("safeword.everyday")}
    if word in controls:
        return "control"
    if word in everyday:
        return "everyday"
    if letters(word) < SHORTEST:
        return "short"
    if known is not None and not known(word):
        return "unknown"
    if any(SequenceMatcher(None, word, other).ratio() >= TOO_SIMILAR for other in controls | everyday):
        return "similar"
    return None


STATES = ["ready", "offering", "choosing", "calibrating", "ended"]
TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "begin", "source": "ready", "dest": "offering", "conditions": "_only_offered", "after": "_offer"},
    {"trigger": "begin", "source": "ready", "dest": "choosing", "after": "_open"},
    {"trigger": "said_yes", "source": "offering", "dest": "choosing", "after": "_open"},
    {"trigger": "said_no", "source": "offering", "dest": "ended", "after": "_later"},
    # Not a clear yes or no: asked once, short; then it is "not now", said so (never the whole offer again).
    *unclear_then("offering", "ended", ["_not_now", "_later"]),
    {"trigger": "answered", "source": "choosing", "dest": "calibrating", "conditions": "_acceptable",
     "after": "_explain_and_calibrate"},
    # A word that can't be it: the reason, and another try; after a few, another time (never a loop).
    {"trigger": "answered", "source": "choosing", "dest": "ended", "prepare": "_count_try",
     "conditions": "_tried_enough", "after": "_later"},
    {"trigger": "answered", "source": "choosing", "dest": None, "after": "_refuse"},
    # Nobody answers: asked once more, then the set-up moves on and says so (never asking forever).
    {"trigger": "silence", "source": "choosing", "dest": None, **FIRST_SILENCE, "after": "_ask"},
    {"trigger": "silence", "source": "choosing", "dest": "ended", "after": "_later"},
    {"trigger": "said_next", "source": "choosing", "dest": "ended", "after": "_later"},  # skip it for now
    {"trigger": "said_repeat", "source": "choosing", "dest": None, "after": "_ask"},
    {"trigger": "heard_safe_word", "source": "calibrating", "dest": None, "after": "_caught"},
    *[{"trigger": trigger, "source": "calibrating", "dest": "ended", "prepare": "_count_try",
       "conditions": "_tried_enough", "after": "_later"} for trigger in ("answered", "silence")],
    {"trigger": "answered", "source": "calibrating", "dest": "choosing", "after": "_not_caught"},
    {"trigger": "silence", "source": "calibrating", "dest": "choosing", "after": "_not_caught"},
    {"trigger": "calibrated", "source": "calibrating", "dest": "ended", "after": "_save"},
    {"trigger": "said_stop", "source": ["offering", "choosing", "calibrating"], "dest": "ended", "after": "_stop"},
    {"trigger": "input_ended", "source": ["offering", "choosing", "calibrating"], "dest": "ended", "after": "end"},
]


class SafeWordSetup(Exercise):
    section = "safeword"
    # triggers this class fires itself (bound by transitions), declared for the type checker
    calibrated: Callable[[], bool]

    handles_safe_word = True  # here the safe word is what is being tested

    def __init__(self, names: tuple[str, ...], examples: list[str], problem: Callable[[str], str | None],
                 offer: bool = False, pause_minutes: float = PAUSE_MINUTES) -> None:
        """`offer`: first ask whether to choose one now (before a first mirror or weekly check-in).
        `pause_minutes`: how long the pause the word starts lasts, as the set-up promises it."""
        super().__init__()
        self.offer = offer
        self.pause_minutes = max(1, round(pause_minutes))
        self.saved = False
        self.names = names
        self.examples = ", ".join(examples)
        self.problem = problem
        self.word = ""
        self.heard = 0  # times the spotter caught the word so far
        self.tries = 0  # words refused or not caught
        self.machine = self.build(STATES, TRANSITIONS)

    def _only_offered(self) -> bool:
        return self.offer

    def _offer(self, *_: str) -> None:
        self.say("safeword.offer")
        self.listen("yesno")

    def _not_now(self, *_: str) -> None:
        self.say("safeword.not_now")

    def _count_try(self, *_: str) -> None:
        self.tries += 1

    def _tried_enough(self, *_: str) -> bool:
        return self.tries >= MOST_TRIES

    def _later(self, *_: str) -> None:
        self.say("safeword.later")
        self.end()

    def _open(self) -> None:
        self.say("safeword.intro")
        self.say("safeword.not_for_danger")
        self.ask(HelpLines(("abuse",)))
        self.say("safeword.suggest", examples=self.examples)
        self._ask()

    def _ask(self) -> None:
        self.say("safeword.ask")
        self.listen()

    def _problem_with(self, text: str) -> str | None:
        """Why what was said can't be the safe word (a pack key suffix), or None."""
        words = normalize(text).split()
        return "words" if len(words) != 1 else self.problem(words[0])

    def _acceptable(self, text: str) -> bool:
        return self._problem_with(text) is None

    def _refuse(self, text: str) -> None:
        self._silences = 0  # someone answered: a new prompt
        self.say(f"safeword.refuse_{self._problem_with(text)}")
        self.say("safeword.suggest", examples=self.examples)
        self.listen()

    def _explain_and_calibrate(self, text: str) -> None:
        self.word = normalize(text)
        self.heard = 0
        self.say("safeword.meaning")
        self.ask(ArmSpotter(self.word, trial=True))
        self.say("safeword.say_it", name=self.names[0])
        self.listen()

    def _caught(self) -> None:
        self.heard += 1
        if self.heard >= TIMES_EACH * len(self.names):
            self.calibrated()
            return
        name = self.names[self.heard // TIMES_EACH]
        self.say("safeword.again" if self.heard % TIMES_EACH else "safeword.say_it", name=name)
        self.listen()

    def _not_caught(self, *_: str) -> None:
        self._silences = 0
        self.say("safeword.not_caught")
        self.say("safeword.suggest", examples=self.examples)
        self.listen()

    def _save(self) -> None:
        self.saved = True
        self.ask(SaveSetting("safe_word", self.word))
        self.ask(ArmSpotter(self.word))  # passed the trial: from now on the answer's recognizer listens too
        self.say("safeword.saved", minutes=self.pause_minutes)
        self.end()

    def _stop(self) -> None:
        self.say("safeword.stopped")
        self.end()
