"""The relationship checklist (METHOD.md section 8): twenty yes or no questions, answered alone.

Every question is phrased so that yes is the healthy answer; the score is the number of yeses.
A score in the "get help" range says so and gives the help lines. The score is saved only on a yes.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..events import HelpLines, Save
from .base import Exercise, unclear_then

# The method's ranges, by the number of healthy answers out of twenty.
HEALTHY_FROM = 15  # 15-20: healthy
IMPROVE_FROM = 10  # 10-14: room to improve, worth saving
RED_FLAG_FROM = 5  # 5-9: a red flag, professional help advised; 0-4: a crisis, therapy is urgent


def score_range(healthy: int) -> str:
    if healthy >= HEALTHY_FROM:
        return "healthy"
    if healthy >= IMPROVE_FROM:
        return "improve"
    if healthy >= RED_FLAG_FROM:
        return "red_flag"
    return "crisis"


@dataclass(frozen=True)
class ChecklistPlan:
    questions: int  # how many items the pack holds (twenty)
    score_label: str  # the journal's label for the score, in the user's language


STATES = ["ready", "asking", "consent", "ended"]
TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "begin", "source": "ready", "dest": "asking", "after": "_open"},
    {"trigger": "said_yes", "source": "asking", "dest": None, "after": "_healthy"},
    {"trigger": "said_no", "source": "asking", "dest": None, "after": "_not_healthy"},
    {"trigger": "said_repeat", "source": "asking", "dest": None, "after": "_ask"},
    *unclear_then("asking", None, "_skip"),
    {"trigger": "scored", "source": "asking", "dest": "consent", "after": "_offer_to_save"},
    {"trigger": "said_yes", "source": "consent", "dest": "ended", "after": "_save"},
    {"trigger": "said_no", "source": "consent", "dest": "ended", "after": "_close_without_saving"},
    {"trigger": "said_repeat", "source": "consent", "dest": None, "after": "_offer_to_save"},
    *unclear_then("consent", "ended", "_close_without_saving"),
    {"trigger": "said_stop", "source": ["asking", "consent"], "dest": "ended", "after": "_stop"},
    {"trigger": "input_ended", "source": ["asking", "consent"], "dest": "ended", "after": "_input_ended"},
]


class Checklist(Exercise):
    section = "checklist"
    # triggers this class fires itself (bound by transitions), declared for the type checker
    scored: Callable[[], bool]

    def __init__(self, plan: ChecklistPlan) -> None:
        super().__init__()
        self.plan = plan
        self.position = 0  # the open question
        self.healthy = 0  # yes answers so far
        self.skipped = 0
        self.machine = self.build(STATES, TRANSITIONS)

    def snapshot(self) -> dict:
        return {"exercise": "checklist", "state": self.state, "position": self.position, "healthy": self.healthy,
                "skipped": self.skipped}

    def restore(self, snapshot: dict) -> Checklist:
        self.position, self.healthy, self.skipped = snapshot["position"], snapshot["healthy"], snapshot["skipped"]
        self.machine.set_state(snapshot["state"])
        return self

    def resume(self) -> list:
        self._silences = 0
        if self.state == "consent":
            self._offer_to_save()
        else:
            self._ask()
        return self._take_actions()

    def _open(self) -> None:
        self.say("checklist.intro", total=self.plan.questions)
        self._ask()

    def _ask(self) -> None:
        self.say(f"checklist.items[{self.position}]")
        self.listen("yesno")

    def _healthy(self) -> None:
        self.healthy += 1
        self._next()

    def _not_healthy(self) -> None:
        self._next()

    def _skip(self, *_: str) -> None:
        self.skipped += 1
        self.say("checklist.skipped")
        self._next()

    def _next(self) -> None:
        self._silences = 0
        self.position += 1
        if self.position < self.plan.questions:
            self._ask()
        else:
            self._tell_score()
            self.scored()

    def _tell_score(self) -> None:
        self.say("checklist.score", healthy=self.healthy, total=self.plan.questions)
        if self.skipped == 1:
            self.say("checklist.skipped_one")
        elif self.skipped:
            self.say("checklist.skipped_many", skipped=self.skipped)
        found = score_range(self.healthy)
        self.say(f"checklist.range_{found}")
        if found in ("red_flag", "crisis"):
            self.ask(HelpLines())

    def _offer_to_save(self) -> None:
        self.say("checklist.ask_save")
        self.listen("yesno")

    def _save(self) -> None:
        score = f"{self.healthy}/{self.plan.questions}"
        self.ask(Save("checklist", ((self.plan.score_label, score),), confirm="checklist.saved"))
        self.say("checklist.closing")
        self.end()

    def _close_without_saving(self, *_: str) -> None:
        self.say("checklist.not_saved")
        self.say("checklist.closing")
        self.end()

    def _stop(self) -> None:
        self.say("checklist.stopped")
        self.end()

    def _input_ended(self) -> None:
        self.say("checklist.input_ended")
        self.end()
