"""Setting a check-in reminder, spoken: when it is, the method's advice on the best moment
(METHOD.md sections 3 and 7: right after dinner, not right before sleep), a gentle word when the
time is late at night, and, where systemd user timers exist, the offer of a timer that speaks.
The calendar file is written before this starts; the timer is set after a yes, by the caller.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .base import Exercise, unclear_then


@dataclass(frozen=True)
class RemindPlan:
    kind: str  # "daily" or "weekly"
    at: str  # "21:00"
    day: str  # the weekday's name in the user's language; empty for daily
    late: bool  # the time is late at night
    can_time: bool  # systemd user timers work here: offer one


STATES = ["ready", "offering", "ended"]
TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "begin", "source": "ready", "dest": "offering", "conditions": "_can_time", "after": "_tell_and_offer"},
    {"trigger": "begin", "source": "ready", "dest": "ended", "after": "_tell_and_close"},
    {"trigger": "said_yes", "source": "offering", "dest": "ended", "after": "_accept"},
    {"trigger": "said_no", "source": "offering", "dest": "ended", "after": "_decline"},
    {"trigger": "said_repeat", "source": "offering", "dest": None, "after": "_offer"},
    # Twice unclear: not now, and said so; nothing is set up without a yes.
    *unclear_then("offering", "ended", "_decline"),
    {"trigger": "said_stop", "source": "offering", "dest": "ended", "after": "_decline"},
    {"trigger": "input_ended", "source": "offering", "dest": "ended", "after": "_decline"},
]


class Remind(Exercise):
    section = "remind"

    def __init__(self, plan: RemindPlan) -> None:
        super().__init__()
        self.plan = plan
        self.wants_timer = False  # a yes to the timer: the caller sets it up
        self.machine = self.build(STATES, TRANSITIONS)

    def snapshot(self) -> dict[str, Any]:
        return {"exercise": "remind", "state": self.state, "kind": self.plan.kind, "at": self.plan.at,
                "day": self.plan.day, "late": self.plan.late, "can_time": self.plan.can_time}

    def restore(self, snapshot: dict[str, Any]) -> Remind:
        self.machine.set_state(snapshot["state"])
        return self

    def resume(self) -> list:
        self._silences = 0
        self._offer()
        return self._take_actions()

    def _can_time(self) -> bool:
        return self.plan.can_time

    def _tell(self) -> None:
        if self.plan.kind == "daily":
            self.say("remind.set_daily", at=self.plan.at)
        else:
            self.say("remind.set_weekly", day=self.plan.day, at=self.plan.at)
        self.say("remind.calendar")
        self.say("remind.best_moment")
        if self.plan.kind == "weekly":
            self.say("remind.same_time")
        if self.plan.late:
            self.say("remind.late", at=self.plan.at)

    def _tell_and_offer(self) -> None:
        self._tell()
        self._offer()

    def _tell_and_close(self) -> None:
        self._tell()
        self.end()

    def _offer(self) -> None:
        self.say("remind.offer_timer")
        self.listen("yesno")

    def _accept(self) -> None:
        self.wants_timer = True
        self.end()

    def _decline(self, *_: Any) -> None:
        self.say("remind.no_timer")
        self.end()
