"""Appreciation (METHOD.md sections 3 and 7): each partner names three concrete things they
appreciate in the other, one at a time, counted aloud. An appreciation with a "but" in it gets one
gentle hint and may be said again. It ends with a hug of at least six seconds, timed, and a chime.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..events import Chime, StartTimer
from ..understanding.phrasing import takes_back
from .base import FIRST_SILENCE, Exercise

THINGS = 3  # appreciations per partner, as the method asks
HUG_SECONDS = 6  # the method's hug: at least six seconds


@dataclass(frozen=True)
class AppreciatePlan:
    names: tuple[str, str]
    buts: tuple[str, ...]  # the pack's words for "but"
    harmless: tuple[str, ...]  # phrases in which such a word takes nothing back ("but also")

    @classmethod
    def from_pack(cls, names: tuple[str, str], pack) -> AppreciatePlan:
        return cls(names, tuple(pack.items("appreciate.but_words")), tuple(pack.items("appreciate.harmless")))


STATES = ["ready", "asking", "rephrasing", "hugging", "ended"]
LISTENING = ["asking", "rephrasing"]
TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "begin", "source": "ready", "dest": "asking", "after": "_open"},
    {"trigger": "answered", "source": "asking", "dest": "rephrasing", "conditions": "_takes_back",
     "after": "_hint"},
    {"trigger": "answered", "source": "asking", "dest": None, "after": "_count"},
    {"trigger": "answered", "source": "rephrasing", "dest": "asking", "after": "_count"},
    # Not said again: what was said first still counts.
    {"trigger": "said_done", "source": "rephrasing", "dest": "asking", "after": "_count"},
    {"trigger": "said_next", "source": "rephrasing", "dest": "asking", "after": "_count"},
    {"trigger": "silence", "source": "rephrasing", "dest": "asking", "after": "_count"},
    {"trigger": "said_done", "source": "asking", "dest": None, "after": "_skip"},
    {"trigger": "said_next", "source": "asking", "dest": None, "after": "_skip"},
    {"trigger": "silence", "source": "asking", "dest": None, **FIRST_SILENCE, "after": "_nudge"},
    {"trigger": "silence", "source": "asking", "dest": None, "after": "_move_on"},
    {"trigger": "said_repeat", "source": "asking", "dest": None, "after": "_ask"},
    {"trigger": "said_repeat", "source": "rephrasing", "dest": None, "after": "_hint"},
    {"trigger": "all_said", "source": "asking", "dest": "hugging", "after": "_hug"},
    {"trigger": "timer_hug", "source": "hugging", "dest": "ended", "after": "_close"},
    {"trigger": "said_stop", "source": LISTENING, "dest": "ended", "after": "_stop"},
    {"trigger": "input_ended", "source": [*LISTENING, "hugging"], "dest": "ended", "after": "_input_ended"},
]


class Appreciate(Exercise):
    # triggers this class fires itself (bound by transitions), declared for the type checker
    all_said: Callable[[], bool]

    def __init__(self, plan: AppreciatePlan) -> None:
        super().__init__()
        self.plan = plan
        self.partner = 0  # who is naming things
        self.attempt = 0  # the partner's turns at naming one, counted or skipped
        self.counts = [0, 0]  # appreciations named, per partner
        self.machine = self.build(STATES, TRANSITIONS)

    @property
    def names(self) -> dict[str, str]:
        return {"name": self.plan.names[self.partner], "other": self.plan.names[1 - self.partner]}

    # --- after a pause -----------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        # No words: a snapshot goes to disk during a pause, and what was said is never kept.
        return {"exercise": "appreciate", "state": self.state, "names": list(self.plan.names),
                "partner": self.partner, "attempt": self.attempt, "counts": list(self.counts)}

    def restore(self, snapshot: dict[str, Any]) -> Appreciate:
        self.partner, self.attempt, self.counts = snapshot["partner"], snapshot["attempt"], list(snapshot["counts"])
        # The words a hint asked to rephrase were not kept: after a restart, that one is asked afresh.
        self.machine.set_state("asking" if snapshot["state"] == "rephrasing" else snapshot["state"])
        return self

    def resume(self) -> list:
        self._silences = 0
        if self.state == "hugging":
            self._hug()
        elif self.state == "rephrasing":
            self._hint()
        else:
            self._ask()
        return self._take_actions()

    # --- naming things -----------------------------------------------------------------------
    def _open(self) -> None:
        self.say("appreciate.intro")
        self.say("appreciate.concrete")
        self.say("appreciate.controls")
        self._ask()

    def _ask(self) -> None:
        self.say("appreciate.first" if self.attempt == 0 else "appreciate.another", **self.names)
        self.listen()

    def _takes_back(self, text: str) -> bool:
        return takes_back(text, list(self.plan.buts), list(self.plan.harmless)) is not None

    def _hint(self, *_: Any) -> None:
        self.say("appreciate.but_hint", **self.names)
        self.listen()

    def _nudge(self) -> None:
        self.say("appreciate.nudge", **self.names)
        self.listen()

    def _count(self, *_: Any) -> None:
        self.counts[self.partner] += 1
        self.say(f"appreciate.counted[{self.counts[self.partner] - 1}]")
        self._next()

    def _skip(self) -> None:
        self.say("appreciate.skipped")
        self._next()

    def _move_on(self) -> None:
        self.say("appreciate.moving_on")
        self._next()

    def _next(self) -> None:
        self._silences = 0
        self.attempt += 1
        if self.attempt < THINGS:
            self._ask()
            return
        self.say("appreciate.thanks", **self.names)
        self.attempt = 0
        self.partner += 1
        if self.partner < 2:
            self.say("appreciate.switch")
            self._ask()
        else:
            self.partner = 1
            self._tell_counts()
            self.all_said()

    def _tell_counts(self) -> None:
        for name, count in zip(self.plan.names, self.counts):
            self.say("appreciate.named_none" if count == 0 else "appreciate.named", name=name, count=count)

    # --- the hug -----------------------------------------------------------------------------
    def _hug(self) -> None:
        self.say("appreciate.hug", seconds=HUG_SECONDS)
        self.ask(StartTimer("hug", HUG_SECONDS))
        self.listen()

    def _close(self) -> None:
        self.ask(Chime())
        self.say("appreciate.closing")
        self.end()

    def _stop(self) -> None:
        self.say("appreciate.stopped")
        self.end()

    def _input_ended(self) -> None:
        self.say("appreciate.input_ended")
        self.end()
