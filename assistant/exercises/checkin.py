"""The guided check-ins: daily and weekly for two partners, and the solo reflection on four fronts.

A check-in is a plan (opening sentences, a list of questions, a closing, an optional timebox)
run by one small machine: ask, listen, take the answer or a control word, move on.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..events import Save, Say, StartTimer
from ..text import shortened
from .base import FIRST_SILENCE, Exercise


@dataclass(frozen=True)
class Question:
    key: str  # pack key of the sentence; a list key takes an [index]
    values: dict[str, Any] = field(default_factory=dict)
    who: str = ""  # the partner who answers; empty in the solo reflection
    topic: str = ""  # the front a fronts question is about
    keep_answer: bool = False  # the answer is read back at the end (fronts actions)


@dataclass(frozen=True)
class CheckinPlan:
    kind: str  # "daily", "weekly" or "fronts"
    opening: tuple[str, ...]
    questions: tuple[Question, ...]
    closing: str
    minutes: float | None = None  # the timebox; None: no time limit
    ask_to_save: bool = False

    @property
    def warning_minutes(self) -> int:
        """How long before the end the time warning comes: a tenth of the timebox, at least one."""
        return max(1, round((self.minutes or 0) / 10))


def partner_plan(kind: str, names: tuple[str, str], question_count: int, minutes: float) -> CheckinPlan:
    """Daily or weekly: every question to each partner in turn, by name."""
    base = f"checkin.{kind}"
    questions = tuple(
        Question(f"{base}.questions[{index}]", {"name": name}, who=name)
        for index in range(question_count)
        for name in names
    )
    opening = (f"{base}.greeting", f"{base}.setting")
    if kind == "weekly":
        opening += ("checkin.weekly.rules",)
    opening += (f"{base}.controls",)
    return CheckinPlan(kind, opening, questions, f"{base}.closing", minutes=minutes)


def fronts_plan(fronts: list[str]) -> CheckinPlan:
    """The solo reflection: for each front, the pattern and then one concrete action."""
    questions: list[Question] = []
    for front in fronts:
        questions.append(Question("checkin.fronts.pattern", {"front": front}, topic=front))
        questions.append(Question("checkin.fronts.action", topic=front, keep_answer=True))
    opening = ("checkin.fronts.greeting", "checkin.fronts.setting", "checkin.fronts.controls")
    return CheckinPlan("fronts", opening, tuple(questions), "checkin.fronts.closing", ask_to_save=True)


READBACK_CHARS = 200  # characters of a kept answer read back; a longer one is shortened

STATES = ["ready", "asking", "consent", "ended"]
TRANSITIONS = [
    {"trigger": "begin", "source": "ready", "dest": "asking", "after": "_open"},
    {"trigger": "answered", "source": "asking", "dest": None, "after": "_take_answer"},
    {"trigger": "said_done", "source": "asking", "dest": None, "after": "_next_question"},
    {"trigger": "said_next", "source": "asking", "dest": None, "after": "_next_question"},
    {"trigger": "said_repeat", "source": "asking", "dest": None, "after": "_ask_current"},
    {"trigger": "silence", "source": "asking", "dest": None, **FIRST_SILENCE,
     "after": "_retry_gently"},
    {"trigger": "silence", "source": "asking", "dest": None, "after": "_move_on"},
    {"trigger": "timer_nearly_up", "source": "*", "dest": None, "after": "_note_nearly_up"},
    {"trigger": "timer_time_up", "source": "*", "dest": None, "after": "_note_time_up"},
    {"trigger": "questions_done", "source": "asking", "dest": "consent",
     "conditions": "_asks_to_save", "after": "_read_back"},
    {"trigger": "questions_done", "source": "asking", "dest": "ended", "after": "_close"},
    {"trigger": "said_yes", "source": "consent", "dest": "ended", "after": "_save_and_close"},
    {"trigger": "said_no", "source": "consent", "dest": "ended", "after": "_close_without_saving"},
    {"trigger": "silence", "source": "consent", "dest": None, **FIRST_SILENCE,
     "after": "_ask_to_save_again"},
    {"trigger": "silence", "source": "consent", "dest": "ended", "after": "_close_without_saving"},
    {"trigger": "answered", "source": "consent", "dest": None, "after": "_ask_to_save_again"},
    {"trigger": "said_repeat", "source": "consent", "dest": None, "after": "_ask_to_save_again"},
    {"trigger": "said_stop", "source": ["asking", "consent"], "dest": "ended", "after": "_stop"},
    {"trigger": "input_ended", "source": ["asking", "consent"], "dest": "ended",
     "after": "_input_ended"},
]


class Checkin(Exercise):
    def __init__(self, plan: CheckinPlan) -> None:
        super().__init__()
        self.plan = plan
        self.position = 0  # index of the open question
        self.kept: dict[str, str] = {}  # topic -> answer read back at the end; never in a snapshot
        self._restored = False  # rebuilt from a snapshot after a restart: the answers before it are gone
        self._warning_due = False
        self._time_is_up = False
        self.machine = self.build(STATES, TRANSITIONS)

    @property
    def current(self) -> Question:
        return self.plan.questions[self.position]

    # --- after a pause -------------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        # No answers: the snapshot goes to disk during a pause, before anyone agreed to keep them.
        return {"exercise": "checkin", "kind": self.plan.kind, "state": self.state, "position": self.position,
                # Each partner in turn: the first two questions go to the two names, also when they are
                # the same (two partners may share a name; a set would keep one and the resume would fail).
                "names": [q.who for q in self.plan.questions[:2] if q.who],
                "minutes": self.plan.minutes,
                # The timebox's news that is still to be acted on: its timers have fired and are gone.
                "warning_due": self._warning_due, "time_up": self._time_is_up}

    def restore(self, snapshot: dict[str, Any]) -> Checkin:
        self.position = snapshot["position"]
        self._warning_due = snapshot.get("warning_due", False)  # absent in a snapshot from before they were kept
        self._time_is_up = snapshot.get("time_up", False)
        self._restored = True
        self.machine.set_state(snapshot["state"])
        return self

    def resume(self) -> list:
        self._silences = 0
        if self.state == "consent" and self._restored and not self.kept:
            self.machine.set_state("ended")  # the actions read back before the restart were never stored
            self.say("checkin.fronts.nothing_kept")
            self._close()
        elif self.state == "consent":
            self.say("checkin.fronts.ask_save")
            self.listen("yesno")
        else:
            self._ask_current()
        return self._take_actions()

    # --- asking ------------------------------------------------------------------------------
    def _open(self) -> None:
        for key in self.plan.opening:
            self.say(key)
        if self.plan.minutes:
            seconds = self.plan.minutes * 60
            self.ask(StartTimer("nearly_up", seconds - self.plan.warning_minutes * 60))
            self.ask(StartTimer("time_up", seconds))
        self._ask_current()

    def _ask_current(self) -> None:
        self.say(self.current.key, **self.current.values)
        self.listen()

    def _take_answer(self, text: str) -> None:
        if self.current.keep_answer and text:
            self.kept[self.current.topic] = text
        self._next_question()

    def _next_question(self) -> None:
        self.position += 1
        self._silences = 0
        if self._time_is_up:
            self.say("checkin.time_up")
            self.questions_done()
        elif self.position >= len(self.plan.questions):
            self.questions_done()
        else:
            if self._warning_due:
                self._warning_due = False
                minutes = self.plan.warning_minutes
                if minutes == 1:
                    self.say("checkin.nearly_up_one")
                else:
                    self.say("checkin.nearly_up", minutes=minutes)
            self._ask_current()

    def _retry_gently(self) -> None:
        if self.current.who:
            self.say("checkin.gentle_retry", name=self.current.who)
        else:
            self.say("checkin.gentle_retry_solo")
        self.listen()

    def _move_on(self) -> None:
        self.say("checkin.moving_on")
        self._next_question()

    # --- time ----------------------------------------------------------------------------------
    def _note_nearly_up(self) -> None:
        # Never cut in on someone speaking: the warning comes before the next question.
        self._warning_due = True

    def _note_time_up(self) -> None:
        # The current answer may finish; then the check-in closes.
        self._warning_due = False
        self._time_is_up = True

    # --- the end -------------------------------------------------------------------------------
    def _asks_to_save(self) -> bool:
        return self.plan.ask_to_save

    def _read_back(self) -> None:
        self._silences = 0
        self.say("checkin.fronts.readback_intro")
        for question in self.plan.questions:
            if not question.keep_answer:
                continue
            action = self.kept.get(question.topic)
            if action:
                # What was said, so private: never kept in the voice cache. A long answer is read
                # back by its first words (the journal still gets all of it).
                short = shortened(action, READBACK_CHARS)
                key = "checkin.fronts.readback_item" if short is None else "checkin.fronts.readback_long"
                self.ask(Say(key, {"front": question.topic, "action": short or action}, private=True))
            else:
                self.say("checkin.fronts.readback_empty", front=question.topic)
        self.say("checkin.fronts.ask_save")
        self.listen("yesno")

    def _ask_to_save_again(self, *_: Any) -> None:
        self.say("checkin.fronts.ask_save_again")
        self.listen("yesno")

    def _save_and_close(self) -> None:
        if self.kept:  # the conductor says "saved" once the journal is written, or what went wrong
            self.ask(Save(self.plan.kind, tuple(self.kept.items()), confirm="checkin.fronts.saved"))
        else:
            self.say("checkin.fronts.saved")
        self._close()

    def _close_without_saving(self) -> None:
        self.say("checkin.fronts.not_saved")
        self._close()

    def _close(self) -> None:
        self.say(self.plan.closing)
        self.end()

    def _stop(self) -> None:
        self.say("checkin.stopped")
        self.end()

    def _input_ended(self) -> None:
        self.say("checkin.input_ended")
        self.end()
