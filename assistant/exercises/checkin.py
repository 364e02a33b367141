"""The guided check-ins: daily and weekly for two partners, and the solo reflection on four fronts.

A check-in is a plan (opening sentences, a list of questions, a closing, an optional timebox)
run by one machine: ask, listen, take the answer or a control word, move on. In the weekly
check-in each answer gets room ("is there more?"), and two questions end in one agreed change:
the other partner reflects the answer, offers one concrete change, and the first accepts or adjusts it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..content import Pack
from ..events import PauseNow, Save, Say, StartTimer
from ..text import shortened
from .base import FIRST_SILENCE, Exercise, unclear_then

WEEKLY_AGREEMENTS = (1, 2)  # the weekly questions that end in an agreement: not seen or supported; differently
MOST_CORRECTIONS = 2  # corrections of a weekly reflection before going on to the change


@dataclass(frozen=True)
class Question:
    key: str  # pack key of the sentence; a list key takes an [index]
    values: dict[str, Any] = field(default_factory=dict)
    who: str = ""  # the partner who answers; empty in the solo reflection
    other: str = ""  # the partner who listens, reflects and offers a change (weekly)
    topic: str = ""  # the front a fronts question is about
    label: str = ""  # the answer is kept under this journal label (fronts: the pattern and the action)
    read_back: bool = False  # the kept answer is read back at the end (fronts: the action)
    example: str = ""  # pack key of the method's example, offered when someone is stuck (fronts)
    room: bool = False  # "is there more?" before moving on (weekly)
    agree: bool = False  # the answer ends in one agreed, concrete change (weekly)


@dataclass(frozen=True)
class CheckinPlan:
    kind: str  # "daily", "weekly" or "fronts"
    opening: tuple[str, ...]
    questions: tuple[Question, ...]
    closing: str
    minutes: float | None = None  # the timebox; None: no time limit
    ask_to_save: bool = False  # the fronts' answers, the weekly's agreements: kept only after a yes
    offer_pause: bool = False  # "stop" first offers the safe word's pause (weekly: pause, don't quit)
    agreement_label: str = "{other} → {name}"  # the journal label of an agreement: who changes something for whom

    @property
    def warning_minutes(self) -> int:
        """How long before the end the time warning comes: a tenth of the timebox, at least one."""
        return max(1, round((self.minutes or 0) / 10))


def partner_plan(kind: str, names: tuple[str, str], question_count: int, minutes: float,
                 agreement_label: str = CheckinPlan.agreement_label) -> CheckinPlan:
    """Daily or weekly: every question to each partner in turn, by name. `agreement_label`: the
    pack's journal label of a weekly agreement, with {other} and {name}."""
    base = f"checkin.{kind}"
    weekly = kind == "weekly"
    questions = tuple(
        Question(f"{base}.questions[{index}]", {"name": name}, who=name, other=other, room=weekly,
                 agree=weekly and index in WEEKLY_AGREEMENTS)
        for index in range(question_count)
        for name, other in (names, names[::-1])
    )
    opening: tuple[str, ...] = (f"{base}.greeting", f"{base}.setting")
    if weekly:
        opening += ("checkin.weekly.rules",)
    opening += (f"{base}.controls",)
    return CheckinPlan(kind, opening, questions, f"{base}.closing", minutes=minutes, ask_to_save=weekly,
                       offer_pause=weekly, agreement_label=agreement_label)


def fronts_plan(fronts: list[str], labels: tuple[str, str] = ("{front}", "{front}")) -> CheckinPlan:
    """The solo reflection: for each front, the pattern and then one concrete action, both kept under
    `labels` (the journal's pattern and action labels, with a {front} placeholder)."""
    pattern_label, action_label = labels
    questions: list[Question] = []
    for index, front in enumerate(fronts):
        questions.append(Question("checkin.fronts.pattern", {"front": front}, topic=front,
                                  label=pattern_label.format(front=front),
                                  example=f"checkin.fronts.pattern_examples[{index}]"))
        questions.append(Question("checkin.fronts.action", topic=front, label=action_label.format(front=front),
                                  read_back=True, example=f"checkin.fronts.action_examples[{index}]"))
    opening = ("checkin.fronts.greeting", "checkin.fronts.setting", "checkin.fronts.controls")
    return CheckinPlan("fronts", opening, tuple(questions), "checkin.fronts.closing", ask_to_save=True)


def pack_partner_plan(pack: Pack, kind: str, names: tuple[str, str], minutes: float) -> CheckinPlan:
    return partner_plan(kind, names, len(pack.items(f"checkin.{kind}.questions")), minutes,
                        pack.values["checkin.weekly.agreement_label"])


def pack_fronts_plan(pack: Pack) -> CheckinPlan:
    return fronts_plan(pack.items("checkin.fronts.fronts"),
                       (pack.values["checkin.fronts.pattern_label"], pack.values["checkin.fronts.action_label"]))


READBACK_CHARS = 200  # characters of a kept answer read back; a longer one is shortened

STATES = ["ready", "asking", "more", "reflecting", "confirming", "proposing", "accepting", "stopping", "consent",
          "ended"]
LISTENING = STATES[1:-1]
YES_OR_NO = ["more", "confirming", "accepting", "stopping", "consent"]
TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "begin", "source": "ready", "dest": "asking", "after": "_open"},
    # asking
    {"trigger": "answered", "source": "asking", "dest": "more", "conditions": "_gives_room", "after": "_take_more"},
    {"trigger": "answered", "source": "asking", "dest": None, "after": "_take_answer"},
    {"trigger": "said_done", "source": "asking", "dest": None, "after": "_next_question"},
    {"trigger": "said_next", "source": "asking", "dest": None, "after": "_next_question"},
    {"trigger": "silence", "source": "asking", "dest": None, **FIRST_SILENCE, "after": "_retry_gently"},
    {"trigger": "silence", "source": "asking", "dest": None, "after": "_move_on"},
    # is there more? (weekly)
    {"trigger": "said_yes", "source": "more", "dest": "asking", "after": "_listen_for_more"},
    {"trigger": "answered", "source": "more", "dest": None, "after": "_take_more"},
    *[{"trigger": trigger, "source": "more", "dest": "reflecting", "conditions": "_leads_to_agreement",
       "after": "_invite_reflection"} for trigger in ("said_no", "said_next", "said_done", "silence")],
    *[{"trigger": trigger, "source": "more", "dest": "asking", "after": "_next_question"}
      for trigger in ("said_no", "said_next", "said_done", "silence")],
    # the other partner reflects, the first confirms or corrects
    {"trigger": "answered", "source": "reflecting", "dest": "confirming", "after": "_ask_confirmation"},
    {"trigger": "silence", "source": "reflecting", "dest": None, **FIRST_SILENCE, "after": "_nudge"},
    *[{"trigger": trigger, "source": "reflecting", "dest": "proposing", "after": "_invite_proposal"}
      for trigger in ("silence", "said_next", "said_done")],
    {"trigger": "said_yes", "source": "confirming", "dest": "proposing", "after": "_invite_proposal"},
    {"trigger": "answered", "source": "confirming", "dest": "proposing", "prepare": "_count_correction",
     "conditions": "_corrected_enough", "after": "_invite_proposal"},
    {"trigger": "answered", "source": "confirming", "dest": "reflecting", "after": "_invite_new_reflection"},
    {"trigger": "said_no", "source": "confirming", "dest": "reflecting", "prepare": "_count_correction",
     "unless": "_corrected_enough", "after": "_ask_what_was_meant"},
    {"trigger": "said_no", "source": "confirming", "dest": "proposing", "after": "_invite_proposal"},
    {"trigger": "silence", "source": "confirming", "dest": None, **FIRST_SILENCE, "after": "_ask_yes_or_no"},
    {"trigger": "silence", "source": "confirming", "dest": "proposing", "after": ["_not_now", "_invite_proposal"]},
    # the other partner offers one concrete change; the first accepts it or adjusts it
    {"trigger": "answered", "source": "proposing", "dest": "accepting", "after": "_ask_acceptance"},
    {"trigger": "silence", "source": "proposing", "dest": None, **FIRST_SILENCE, "after": "_nudge"},
    *[{"trigger": trigger, "source": "proposing", "dest": "asking", "after": ["_no_agreement", "_next_question"]}
      for trigger in ("silence", "said_next", "said_done")],
    {"trigger": "said_yes", "source": "accepting", "dest": "asking", "after": ["_agree", "_next_question"]},
    {"trigger": "answered", "source": "accepting", "dest": None, "after": "_ask_acceptance"},
    {"trigger": "said_no", "source": "accepting", "dest": None, "after": "_ask_adjustment"},
    {"trigger": "silence", "source": "accepting", "dest": None, **FIRST_SILENCE, "after": "_ask_yes_or_no"},
    {"trigger": "silence", "source": "accepting", "dest": "asking", "after": ["_not_now", "_no_agreement",
                                                                            "_next_question"]},
    # stop: the weekly first offers the pause instead ("pause, don't quit"); the conductor runs it
    {"trigger": "said_stop", "source": [s for s in LISTENING if s != "stopping"], "dest": "stopping",
     "conditions": "_offers_pause", "before": "_remember_where", "after": "_offer_pause"},
    {"trigger": "said_yes", "source": "stopping", "dest": None, "after": "_pause_instead"},
    {"trigger": "said_no", "source": "stopping", "dest": "ended", "after": "_stop"},
    *unclear_then("stopping", "ended", ["_not_now", "_stop"]),
    # the end
    {"trigger": "timer_nearly_up", "source": "*", "dest": None, "after": "_note_nearly_up"},
    {"trigger": "timer_time_up", "source": "*", "dest": None, "after": "_note_time_up"},
    {"trigger": "questions_done", "source": "asking", "dest": "consent", "conditions": "_has_something_to_save",
     "after": "_read_back"},
    {"trigger": "questions_done", "source": "asking", "dest": "ended", "after": "_close"},
    {"trigger": "said_yes", "source": "consent", "dest": "ended", "after": "_save_and_close"},
    {"trigger": "said_no", "source": "consent", "dest": "ended", "after": "_close_without_saving"},
    *unclear_then("consent", "ended", ["_not_now", "_close_without_saving"]),
    # everywhere
    {"trigger": "said_repeat", "source": LISTENING, "dest": None, "after": "_repeat_prompt"},
    {"trigger": "said_stop", "source": LISTENING, "dest": "ended", "after": "_stop"},
    {"trigger": "input_ended", "source": LISTENING, "dest": "ended", "after": "_input_ended"},
]


class Checkin(Exercise):
    section = "checkin"
    # triggers this class fires itself (bound by transitions), declared for the type checker
    questions_done: Callable[[], bool]

    def __init__(self, plan: CheckinPlan) -> None:
        super().__init__()
        self.plan = plan
        self.position = 0  # index of the open question
        self.kept: dict[int, str] = {}  # question position -> the answer kept; never in a snapshot
        self.agreements: dict[str, str] = {}  # who changes something for whom -> the change; never in a snapshot
        self._proposal = ""  # the change on the table: offered by the other partner, maybe adjusted since
        self._accepting = "name"  # who is asked to accept it: "name" (who answered the question) or "other"
        self._corrections = 0  # of the open weekly reflection
        self._stuck = False  # the method's example was offered for the open question
        self._restored = False  # rebuilt from a snapshot after a restart: the answers before it are gone
        self._warning_due = False
        self._time_is_up = False
        self._prompt: tuple[str, str, dict[str, Any]] = ("", "answer", {})
        self._before_stop: tuple[str, tuple[str, str, dict[str, Any]]] = ("asking", self._prompt)
        self.machine = self.build(STATES, TRANSITIONS)

    @property
    def current(self) -> Question:
        return self.plan.questions[self.position]

    @property
    def pair(self) -> dict[str, str]:
        return {"name": self.current.who, "other": self.current.other}

    # --- after a pause -------------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        # No answers: the snapshot goes to disk during a pause, before anyone agreed to keep them.
        return {"exercise": "checkin", "kind": self.plan.kind, "state": self.state, "position": self.position,
                # Each partner in turn: the first two questions go to the two names, also when they are
                # the same (two partners may share a name; a set would keep one and the resume would fail).
                "names": [q.who for q in self.plan.questions[:2] if q.who],
                "minutes": self.plan.minutes,
                # The timebox's news that is still to be acted on: its timers have fired and are gone.
                "warning_due": self._warning_due, "time_up": self._time_is_up,
                # The open step (its values are names, never an answer; an offered change is one, so it stays out).
                "prompt": list(self._prompt), "corrections": self._corrections, "accepting": self._accepting,
                "stuck": self._stuck, "before_stop": [self._before_stop[0], list(self._before_stop[1])]}

    def restore(self, snapshot: dict[str, Any]) -> Checkin:
        self.position = snapshot["position"]
        self._warning_due = snapshot.get("warning_due", False)  # absent in a snapshot from before they were kept
        self._time_is_up = snapshot.get("time_up", False)
        # Absent in a snapshot from before the weekly's steps: the question is asked again.
        self._prompt = tuple(snapshot.get("prompt", self._prompt))
        self._corrections = snapshot.get("corrections", 0)
        self._accepting = snapshot.get("accepting", "name")
        self._stuck = snapshot.get("stuck", False)
        state, prompt = snapshot.get("before_stop", ["asking", list(self._before_stop[1])])
        self._before_stop = (state, tuple(prompt))
        self._restored = True
        self.machine.set_state(snapshot["state"])
        return self

    def resume(self) -> list:
        self._silences = 0
        if self.state == "consent" and self._restored and not (self.kept or self.agreements):
            self.machine.set_state("ended")  # what was read back before the restart was never stored
            self.say(f"checkin.{self.plan.kind}.nothing_kept")
            self._close()
        elif self.state == "consent":
            self._ask(f"checkin.{self.plan.kind}.ask_save", "yesno")
        elif self.state == "accepting" and not self._proposal:
            self.machine.set_state("proposing")  # the offer made before a restart is gone: make it again
            self._invite_proposal()
        elif self.state == "asking" or not self._prompt[0]:
            self.machine.set_state("asking")
            self._ask_current()
        else:
            self._repeat_prompt()
        return self._take_actions()

    # --- prompts -------------------------------------------------------------------------------
    def _ask(self, key: str, mode: str = "answer", **values: Any) -> None:
        """Say a prompt that someone answers, and listen; `repeat` says it again."""
        self._prompt = (key, mode, values)
        self._silences = 0
        self.say(key, **values)
        self.listen(mode)

    def _repeat_prompt(self) -> None:
        key, mode, values = self._prompt
        self._silences = 0
        self.say(key, **values)
        self.listen(mode)

    def _not_now(self, *_: Any) -> None:
        self.say("checkin.not_now")

    # --- asking ------------------------------------------------------------------------------
    def _open(self) -> None:
        for key in self.plan.opening:
            if key.endswith(".greeting") and self.plan.minutes:
                minutes = self.plan.minutes
                self.say(key, minutes=int(minutes) if minutes == int(minutes) else minutes)  # 10, not 10.0
            else:
                self.say(key)
        if self.plan.minutes:
            seconds = self.plan.minutes * 60
            self.ask(StartTimer("nearly_up", seconds - self.plan.warning_minutes * 60))
            self.ask(StartTimer("time_up", seconds))
        self._ask_current()

    def _ask_current(self) -> None:
        self._stuck = False
        self._ask(self.current.key, **self.current.values)

    def _take_answer(self, text: str) -> None:
        if self.current.label and text:
            self.kept[self.position] = text
        self._next_question()

    def _next_question(self, *_: Any) -> None:
        self.position += 1
        if self._time_is_up:
            self.say("checkin.time_up")
            self.questions_done()
        elif self.position >= len(self.plan.questions):
            self.questions_done()
        else:
            if self._warning_due:
                self._warning_due = False
                minutes = self.plan.warning_minutes
                self.say("checkin.nearly_up", minutes=minutes)
            self._ask_current()

    def _retry_gently(self) -> None:
        if self.current.example and not self._stuck:
            self._offer_example()
        elif self.current.who:
            self.say("checkin.gentle_retry", name=self.current.who)
            self.listen()
        else:
            self.say("checkin.gentle_retry_solo")
            self.listen()

    def _move_on(self) -> None:
        self.say("checkin.moving_on")
        self._next_question()

    def _offer_example(self) -> None:
        """Stuck on a front: the method's example pattern or action for it, once."""
        self._stuck = True
        self.say("checkin.fronts.example_intro")
        self.say(self.current.example)
        self.say("checkin.fronts.own_words")
        self.listen()

    # --- room for each answer, and one agreed change (weekly) -----------------------------------
    def _gives_room(self, *_: Any) -> bool:
        return self.current.room

    def _take_more(self, *_: Any) -> None:
        # Asked again after more was said: in other words, never the same sentence three times in a row.
        key = "checkin.weekly.more_again" if self._prompt[0] == "checkin.weekly.more" else "checkin.weekly.more"
        self._ask(key, "yesno", name=self.current.who)

    def _listen_for_more(self) -> None:
        self._silences = 0
        self.say("checkin.weekly.go_on", name=self.current.who)
        self.listen()

    def _nudge(self) -> None:
        """Silence while the other partner reflects or offers a change: once, gently, by name."""
        self.say("checkin.gentle_retry", name=self.current.other)
        self.listen()

    def _leads_to_agreement(self, *_: Any) -> bool:
        return self.current.agree

    def _invite_reflection(self, *_: Any) -> None:
        self._corrections = 0
        self._ask("checkin.weekly.reflect", **self.pair)

    def _invite_new_reflection(self, *_: Any) -> None:
        self._ask("checkin.weekly.reflect_again", **self.pair)

    def _ask_what_was_meant(self, *_: Any) -> None:
        self._ask("checkin.weekly.clarify", **self.pair)

    def _ask_confirmation(self, *_: Any) -> None:
        self._ask("checkin.weekly.confirm", "yesno", **self.pair)

    def _count_correction(self, *_: Any) -> None:
        self._corrections += 1

    def _corrected_enough(self, *_: Any) -> bool:
        return self._corrections >= MOST_CORRECTIONS

    def _invite_proposal(self, *_: Any) -> None:
        self._proposal = ""
        self._ask("checkin.weekly.propose", **self.pair)

    def _ask_acceptance(self, text: str) -> None:
        """An offer, or an adjusted one: the partner who didn't make it accepts it or adjusts it in turn."""
        self._accepting = "name" if self._proposal == "" or self._accepting == "other" else "other"
        self._proposal = text
        self._ask("checkin.weekly.accept", "yesno", **self._accepter())

    def _accepter(self) -> dict[str, str]:
        """The partner asked to accept as {name}, the other as {other}."""
        pair = self.pair
        return pair if self._accepting == "name" else {"name": pair["other"], "other": pair["name"]}

    def _ask_adjustment(self) -> None:
        self._ask("checkin.weekly.adjust", **self._accepter())

    def _agree(self) -> None:
        agreement = self._proposal
        self.agreements[self.plan.agreement_label.format(**self.pair)] = agreement
        # What was said, so private: never kept in the voice cache.
        self.ask(Say("checkin.weekly.agreed", {"agreement": agreement}, private=True))

    def _no_agreement(self, *_: Any) -> None:
        self.say("checkin.weekly.no_agreement")

    # --- stop in the weekly: pause, don't quit ----------------------------------------------------
    def _offers_pause(self) -> bool:
        return self.plan.offer_pause

    def _remember_where(self) -> None:
        self._before_stop = (self.state, self._prompt)

    def _offer_pause(self) -> None:
        self._ask("checkin.weekly.offer_pause", "yesno")

    def _pause_instead(self) -> None:
        """Back where stop was said: the pause resumes from there."""
        state, self._prompt = self._before_stop
        self.machine.set_state(state)
        self.ask(PauseNow())

    # --- time ----------------------------------------------------------------------------------
    def _note_nearly_up(self) -> None:
        # Never cut in on someone speaking: the warning comes before the next question.
        self._warning_due = True

    def _note_time_up(self) -> None:
        # The current answer may finish; then the check-in closes.
        self._warning_due = False
        self._time_is_up = True

    # --- the end -------------------------------------------------------------------------------
    def _has_something_to_save(self) -> bool:
        return self.plan.ask_to_save and (self.plan.kind == "fronts" or bool(self.agreements))

    def _read_back(self) -> None:
        if self.plan.kind == "fronts":
            self._read_back_actions()
        else:
            self.say("checkin.weekly.readback_intro")
            for who, agreement in self.agreements.items():
                self.ask(Say("checkin.weekly.readback_item", {"who": who, "agreement": agreement}, private=True))
        self._ask(f"checkin.{self.plan.kind}.ask_save", "yesno")

    def _read_back_actions(self) -> None:
        self.say("checkin.fronts.readback_intro")
        for position, question in enumerate(self.plan.questions):
            if not question.read_back:
                continue
            action = self.kept.get(position)
            if action:
                # What was said, so private: never kept in the voice cache. A long answer is read
                # back by its first words (the journal still gets all of it).
                short = shortened(action, READBACK_CHARS)
                key = "checkin.fronts.readback_item" if short is None else "checkin.fronts.readback_long"
                self.ask(Say(key, {"front": question.topic, "action": short or action}, private=True))
            else:
                self.say("checkin.fronts.readback_empty", front=question.topic)

    def _save_and_close(self) -> None:
        if self.plan.kind == "fronts":
            entries = tuple((self.plan.questions[position].label, text) for position, text in sorted(self.kept.items()))
        else:
            entries = tuple(self.agreements.items())
        if entries:  # the conductor says "saved" once the journal is written, or what went wrong
            self.ask(Save(self.plan.kind, entries, confirm=f"checkin.{self.plan.kind}.saved"))
        else:
            self.say(f"checkin.{self.plan.kind}.saved")
        self._close()

    def _close_without_saving(self, *_: Any) -> None:
        self.say(f"checkin.{self.plan.kind}.not_saved")
        self._close()

    def _close(self) -> None:
        self.say(self.plan.closing)
        self.end()

    def _stop(self, *_: Any) -> None:
        self.say("checkin.stopped")
        self.end()

    def _input_ended(self) -> None:
        self.say("checkin.input_ended")
        self.end()
