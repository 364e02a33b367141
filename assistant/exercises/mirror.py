"""Mirroring practice: one partner speaks, the other reflects back until it lands, then responds.

speak -> reflect (coached once) -> confirm: yes, or a correction (yes-but, or no with what was meant)
that the listener reflects again, or a bare no that asks what was meant -> "is there more?" -> the
need behind it (unclear: the four needs asked one by one; named: the listener offers one concrete
thing and the speaker says yes or no) -> respond (coached once) -> switch roles, for the given rounds.
What partners say is heard by the understanding layer (assistant/understanding/hearing.py).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from ..events import Note, StartTimer, StopTimer
from ..method import MIRROR_TURN_MINUTES
from ..understanding.hearing import Understanding
from .base import FIRST_SILENCE, Exercise

MOST_CORRECTIONS = 3  # after this many corrections, the assistant offers to move on
TURN_WARNING_SECONDS = 15  # the notice comes this long before the turn limit


@dataclass(frozen=True)
class MirrorPlan:
    names: tuple[str, str]
    first: int = 0  # index in names of who speaks first
    rounds: int = 2  # speaking turns in all: 2 lets each partner speak once
    ask_need: bool = True
    turn_seconds: float = MIRROR_TURN_MINUTES * 60  # the longest a speaking turn may last


def _each(triggers: list[str], **transition: Any) -> list[dict[str, Any]]:
    """One transition per trigger, for triggers that lead the same way."""
    return [{"trigger": trigger, **transition} for trigger in triggers]


STATES = ["ready", "speaking", "reflecting", "confirming", "clarifying", "offering", "more", "needing",
          "agreeing", "settling", "responding", "ended"]
LISTENING = STATES[1:-1]
TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "begin", "source": "ready", "dest": "speaking", "after": "_open"},
    # speaking
    {"trigger": "answered", "source": "speaking", "dest": "reflecting", "after": "_invite_reflection"},
    {"trigger": "said_done", "source": "speaking", "dest": "reflecting", "after": "_invite_reflection"},
    {"trigger": "said_next", "source": "speaking", "dest": "reflecting", "after": "_invite_reflection"},
    {"trigger": "timer_turn_limit", "source": "speaking", "dest": "reflecting", "before": "_end_turn_aloud",
     "after": "_invite_reflection"},
    {"trigger": "timer_turn_warning", "source": "speaking", "dest": None, "after": "_warn_turn"},
    {"trigger": "silence", "source": "speaking", "dest": None, **FIRST_SILENCE, "after": "_nudge"},
    {"trigger": "silence", "source": "speaking", "dest": None, "after": ["_let_go", "_end_round"]},
    # reflecting
    {"trigger": "answered", "source": "reflecting", "dest": None, "conditions": "_needs_coaching",
     "after": "_coach"},
    {"trigger": "answered", "source": "reflecting", "dest": "confirming", "after": "_ask_confirmation"},
    {"trigger": "said_done", "source": "reflecting", "dest": "confirming", "after": "_ask_confirmation"},
    {"trigger": "said_next", "source": "reflecting", "dest": "confirming", "after": "_ask_confirmation"},
    {"trigger": "silence", "source": "reflecting", "dest": None, **FIRST_SILENCE, "after": "_nudge"},
    {"trigger": "silence", "source": "reflecting", "dest": "more", "before": "_let_go", "after": "_ask_more"},
    # confirming: the speaker's answer in their own words; a correction with content is reflected at once
    {"trigger": "answered", "source": "confirming", "dest": "more", "prepare": "_note_answer",
     "conditions": "_confirmed", "before": "_count_landing", "after": "_ask_more"},
    {"trigger": "answered", "source": "confirming", "dest": "speaking", "conditions": "_wants_more",
     "after": "_invite_more"},
    {"trigger": "answered", "source": "confirming", "dest": "offering", "prepare": "_count_correction",
     "conditions": "_corrected_enough", "after": "_offer_move_on"},
    {"trigger": "answered", "source": "confirming", "dest": "clarifying", "conditions": "_bare_no",
     "after": "_ask_clarification"},
    {"trigger": "answered", "source": "confirming", "dest": "reflecting", "after": "_invite_new_reflection"},
    {"trigger": "said_next", "source": "confirming", "dest": "more", "after": "_ask_more"},
    {"trigger": "silence", "source": "confirming", "dest": None, **FIRST_SILENCE, "after": "_nudge"},
    {"trigger": "silence", "source": "confirming", "dest": "more", "after": "_ask_more"},
    # clarifying, and the offer to move on after three corrections
    *_each(["answered", "said_done", "said_next"], source="clarifying", dest="reflecting",
     after="_invite_new_reflection"),
    {"trigger": "silence", "source": "clarifying", "dest": None, **FIRST_SILENCE, "after": "_nudge"},
    {"trigger": "silence", "source": "clarifying", "dest": "reflecting", "after": "_invite_new_reflection"},
    {"trigger": "said_yes", "source": "offering", "dest": "needing", "conditions": "_asks_need", "after": "_ask_need"},
    {"trigger": "said_yes", "source": "offering", "dest": "responding", "after": "_invite_response"},
    *_each(["said_no", "silence"], source="offering", dest="clarifying", after="_ask_clarification"),
    # is there more?
    {"trigger": "said_yes", "source": "more", "dest": "speaking", "after": "_invite_more"},
    {"trigger": "answered", "source": "more", "dest": "reflecting", "after": "_invite_reflection"},
    *_each(["said_no", "silence"], source="more", dest="needing", conditions="_asks_need",
     after="_ask_need"),
    *_each(["said_no", "silence"], source="more", dest="responding", after="_invite_response"),
    # the need behind it, then the listener's response
    {"trigger": "answered", "source": "needing", "dest": None, "conditions": "_is_the_question_itself",
     "after": "_keep_listening"},
    {"trigger": "answered", "source": "needing", "dest": "agreeing", "conditions": "_need_named",
     "before": "_name_need", "after": "_ask_agreement"},
    {"trigger": "answered", "source": "needing", "dest": None, "unless": "_asked_the_four_needs",
     "before": "_note_no_need", "after": "_ask_the_four_needs"},
    {"trigger": "answered", "source": "needing", "dest": "responding", "before": ["_note_no_need", "_hold_on"],
     "after": "_invite_response"},
    *_each(["said_done", "said_next"], source="needing", dest="responding", after="_invite_response"),
    {"trigger": "silence", "source": "needing", "dest": None, **FIRST_SILENCE, "after": "_nudge"},
    {"trigger": "silence", "source": "needing", "dest": "responding", "after": "_invite_response"},
    # one concrete thing for that need: the listener offers it, the speaker says yes or no
    {"trigger": "answered", "source": "agreeing", "dest": "settling", "before": "_count_proposal",
     "after": "_ask_if_it_works"},
    {"trigger": "silence", "source": "agreeing", "dest": None, **FIRST_SILENCE, "after": "_nudge"},
    *_each(["silence", "said_done", "said_next"], source="agreeing", dest="responding", after="_invite_response"),
    {"trigger": "said_yes", "source": "settling", "dest": "responding", "before": "_agreed",
     "after": "_invite_response"},
    {"trigger": "answered", "source": "settling", "dest": "responding", "conditions": "_it_works", "before": "_agreed",
     "after": "_invite_response"},
    *_each(["said_no", "answered"], source="settling", dest="agreeing", unless="_proposed_enough",
     after="_ask_another_agreement"),
    *_each(["said_no", "answered"], source="settling", dest="responding", before="_agree_later",
     after="_invite_response"),
    {"trigger": "silence", "source": "settling", "dest": None, **FIRST_SILENCE, "after": "_nudge"},
    {"trigger": "silence", "source": "settling", "dest": "responding", "before": "_agree_later",
     "after": "_invite_response"},
    # the listener's response, coached once like the reflection
    {"trigger": "answered", "source": "responding", "dest": None, "conditions": "_needs_coaching",
     "after": "_coach"},
    *_each(["answered", "said_done", "said_next"], source="responding", dest=None, after="_end_round"),
    {"trigger": "silence", "source": "responding", "dest": None, **FIRST_SILENCE, "after": "_nudge"},
    {"trigger": "silence", "source": "responding", "dest": None, "after": "_end_round"},
    {"trigger": "next_round", "source": ["speaking", "responding"], "dest": "speaking", "after": "_switch_roles"},
    {"trigger": "finish", "source": ["speaking", "responding"], "dest": "ended", "after": "_close"},
    # everywhere
    {"trigger": "said_repeat", "source": LISTENING, "dest": None, "after": "_repeat_prompt"},
    {"trigger": "said_stop", "source": LISTENING, "dest": "ended", "before": "_stop_turn_timers", "after": "_stop"},
    {"trigger": "input_ended", "source": LISTENING, "dest": "ended", "before": "_stop_turn_timers",
     "after": "_input_ended"},
]


MOST_PROPOSALS = 2  # concrete things the listener may offer for a need before it is left for later
STEPS = {"reflecting": "reflection", "responding": "response"}  # what the listener's words are, per state


class Mirror(Exercise):
    # triggers this class fires itself (bound by transitions), declared for the type checker
    next_round: Callable[[], bool]
    finish: Callable[[], bool]

    def __init__(self, plan: MirrorPlan, hearing: Understanding) -> None:
        super().__init__()
        self.plan = plan
        self.hearing = hearing
        self.speaker = plan.first
        self.rounds_done = 0
        self.reflections = 0  # reflection cycles: a speaker's words, reflected until it landed or moved on
        self.landed_first_time = 0
        self.corrections = 0  # in the current cycle
        self.four_needs_asked = 0  # 1 once the unclear need got the four questions, in the current round
        self.proposals = 0  # concrete things the listener offered for the need, in the current round
        self._coached = False  # once per reflection, once per response
        self._prompt: tuple[str, str, dict[str, Any]] = ("", "answer", {})
        self.machine = self.build(STATES, TRANSITIONS)

    # --- after a pause -------------------------------------------------------------------------
    COUNTS = ("speaker", "rounds_done", "reflections", "landed_first_time", "corrections", "four_needs_asked",
              "proposals")

    def snapshot(self) -> dict[str, Any]:
        return {"exercise": "mirror", "plan": asdict(self.plan), "state": self.state, "prompt": list(self._prompt),
                **{name: getattr(self, name) for name in self.COUNTS}}

    def restore(self, snapshot: dict[str, Any]) -> Mirror:
        for name in self.COUNTS:
            setattr(self, name, snapshot[name])
        self._prompt = tuple(snapshot["prompt"])
        self.machine.set_state(snapshot["state"])
        return self

    def resume(self) -> list:
        """The interrupted prompt again; a speaker gets a whole new turn."""
        key, mode, values = self._prompt
        if self.state == "speaking":
            self._start_speaking(key)
        else:
            self._ask(key, mode, **values)
        return self._take_actions()

    @property
    def roles(self) -> dict[str, str]:
        return {"speaker": self.plan.names[self.speaker], "listener": self.plan.names[1 - self.speaker]}

    def _ask(self, key: str, mode: str = "answer", **values: Any) -> None:
        """Say a prompt that someone answers, and listen; `repeat` says it again."""
        self._prompt = (key, mode, values)
        self._silences = 0
        self.say(key, **values)
        self.listen(mode)

    def _repeat_prompt(self) -> None:
        key, mode, values = self._prompt
        self.say(key, **values)
        self.listen(mode)

    # --- speaking ------------------------------------------------------------------------------
    def _open(self) -> None:
        self.say("mirror.intro")
        self.say("mirror.rules")
        self.say("mirror.controls")
        self.say("mirror.first", **self.roles)
        self._start_speaking("mirror.speak")

    def _start_speaking(self, key: str) -> None:
        self.ask(StartTimer("turn_warning", self.plan.turn_seconds - TURN_WARNING_SECONDS))
        self.ask(StartTimer("turn_limit", self.plan.turn_seconds))
        self._ask(key, **self.roles)

    def _invite_more(self, *_: Any) -> None:
        self._start_speaking("mirror.speak_more")

    def _warn_turn(self) -> None:
        self.say("mirror.turn_warning")
        self.listen()

    def _end_turn_aloud(self) -> None:
        self.say("mirror.turn_over", **self.roles)

    def _stop_turn_timers(self) -> None:
        self.ask(StopTimer("turn_warning"))
        self.ask(StopTimer("turn_limit"))

    # --- reflecting ----------------------------------------------------------------------------
    def _invite_reflection(self, *_: Any) -> None:
        self._stop_turn_timers()
        self.reflections += 1
        self.corrections = 0
        self._coached = False
        self._ask("mirror.reflect", **self.roles)

    def _invite_new_reflection(self, *_: Any) -> None:
        self._coached = False
        self._ask("mirror.reflect_again", **self.roles)

    def _needs_coaching(self, text: str) -> bool:
        return not self._coached and self.hearing.coaching(text, STEPS[self.state]) is not None

    def _coach(self, text: str) -> None:
        """One gentle hint; the log names the pattern and the cue that decided it."""
        self._coached = True
        advice = self.hearing.coaching(text, STEPS[self.state])
        assert advice is not None  # the transition's guard, _needs_coaching, found it
        self.ask(Note("coaching", {"step": STEPS[self.state], "pattern": advice.label, "cue": advice.cue}))
        self.say(f"coaching.{advice.label}.{'hint' if self.state == 'reflecting' else 'response_hint'}")
        self.listen()

    # --- confirming ----------------------------------------------------------------------------
    def _ask_confirmation(self, *_: Any) -> None:
        self._ask("mirror.confirm", **self.roles)

    def _note_answer(self, text: str) -> None:
        found = self.hearing.answer(text)
        self.ask(Note("answer", {"answer": found.label, "cue": found.cue}))

    def _confirmed(self, text: str) -> bool:
        return self.hearing.answer(text).label == "yes"

    def _wants_more(self, text: str) -> bool:
        return self.hearing.answer(text).label == "more"

    def _bare_no(self, text: str) -> bool:
        """No, without what was meant instead: ask for it. A yes-but or a no with content is the
        correction itself, reflected at once."""
        return self.hearing.answer(text).label == "no"

    def _count_correction(self, *_: Any) -> None:
        self.corrections += 1

    def _corrected_enough(self, *_: Any) -> bool:
        return self.corrections >= MOST_CORRECTIONS

    def _ask_clarification(self, *_: Any) -> None:
        self._ask("mirror.clarify", **self.roles)

    def _offer_move_on(self, *_: Any) -> None:
        self._ask("mirror.offer_move_on", "yesno")

    def _count_landing(self, *_: Any) -> None:
        if self.corrections == 0:
            self.landed_first_time += 1

    def _ask_more(self, *_: Any) -> None:
        self._ask("mirror.more", "yesno", **self.roles)

    # --- need and response ---------------------------------------------------------------------
    def _asks_need(self, *_: Any) -> bool:
        return self.plan.ask_need

    def _ask_need(self, *_: Any) -> None:
        self._ask("mirror.ask_need", **self.roles)

    def _is_the_question_itself(self, text: str) -> bool:
        """The listener asking the need question aloud, before the speaker answers it."""
        return self.hearing.asks_need(text)

    def _keep_listening(self, text: str) -> None:
        self.listen()

    def _need_named(self, text: str) -> bool:
        return self.hearing.need(text) is not None

    def _asked_the_four_needs(self, *_: Any) -> bool:
        return self.four_needs_asked > 0

    def _name_need(self, text: str) -> None:
        need = self.hearing.need(text)
        assert need is not None  # the transition's guard, _need_named, found it
        self.ask(Note("need", {"need": need.label, "cue": need.cue}))
        self.say("mirror.need_named", need=self.hearing.needs.labels[need.label])

    def _note_no_need(self, text: str) -> None:
        self.ask(Note("need", {"need": None}))

    def _ask_the_four_needs(self, text: str) -> None:
        """METHOD.md section 2: when the need is unclear, name the four, one question each."""
        self.four_needs_asked = 1
        self._ask("mirror.four_needs", **self.roles)

    def _hold_on(self, *_: Any) -> None:
        self.say("mirror.need_unclear")

    def _ask_agreement(self, *_: Any) -> None:
        self._ask("mirror.agree", **self.roles)

    def _count_proposal(self, *_: Any) -> None:
        self.proposals += 1

    def _ask_if_it_works(self, *_: Any) -> None:
        self._ask("mirror.does_it_work", "yesno", **self.roles)

    def _it_works(self, text: str) -> bool:
        return self.hearing.answer(text).label == "yes"

    def _proposed_enough(self, *_: Any) -> bool:
        return self.proposals >= MOST_PROPOSALS

    def _agreed(self, *_: Any) -> None:
        self.ask(Note("agreement", {"agreed": True, "proposals": self.proposals}))
        self.say("mirror.agreed")

    def _ask_another_agreement(self, *_: Any) -> None:
        self._ask("mirror.agree_again", **self.roles)

    def _agree_later(self, *_: Any) -> None:
        self.ask(Note("agreement", {"agreed": False, "proposals": self.proposals}))
        self.say("mirror.agree_later")

    def _invite_response(self, *_: Any) -> None:
        self._coached = False
        self._ask("mirror.respond", **self.roles)

    # --- rounds and the end --------------------------------------------------------------------
    def _nudge(self) -> None:
        role = "listener" if self.state in ("reflecting", "agreeing", "responding") else "speaker"
        self.say("mirror.nudge", name=self.roles[role])
        self.listen(self._prompt[1])

    def _let_go(self, *_: Any) -> None:
        self._stop_turn_timers()
        self.say("mirror.no_words")

    def _end_round(self, *_: Any) -> None:
        self.rounds_done += 1
        if self.rounds_done < self.plan.rounds:
            self.next_round()
        else:
            self.finish()

    def _switch_roles(self) -> None:
        self.speaker = 1 - self.speaker
        self.four_needs_asked = self.proposals = 0
        self.say("mirror.switch", **self.roles)
        self._start_speaking("mirror.speak")

    def _close(self) -> None:
        summary = {"rounds": self.rounds_done, "landed": self.landed_first_time, "reflections": self.reflections}
        self.ask(Note("summary", summary))
        # What went well, never a score: a reflection that landed at once, or that they kept checking.
        if self.landed_first_time:
            self.say("mirror.summary_landed", landed=self.landed_first_time)
        elif self.reflections:
            self.say("mirror.summary_kept_checking")
        self.say("mirror.closing")
        self.end()

    def _stop(self) -> None:
        self.say("mirror.stopped")
        self.end()

    def _input_ended(self) -> None:
        self.say("mirror.input_ended")
        self.end()
