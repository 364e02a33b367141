"""The attachment quick test (METHOD.md section 6): three questions, each answered A, B or C;
mostly A is avoidant, mostly B anxious, mostly C secure. Then the result and its one piece of
advice. Saved in the journal only after a yes, never otherwise.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..events import Save
from ..understanding.phrasing import choice
from .base import Exercise, unclear_then

STYLES = {"a": "avoidant", "b": "anxious", "c": "secure"}
MOSTLY = 2  # of the three answers: "mostly"
# Each result: what it is, its one piece of advice, and its name in the journal.
RESULTS = {
    "avoidant": ("attachment.result_avoidant", "attachment.advice_avoidant", "attachment.style_avoidant"),
    "anxious": ("attachment.result_anxious", "attachment.advice_anxious", "attachment.style_anxious"),
    "secure": ("attachment.result_secure", "attachment.advice_secure", "attachment.style_secure"),
    "mixed": ("attachment.result_mixed", "attachment.advice_mixed", "attachment.style_mixed"),
}


def result(answers: list[str]) -> str:
    """The style most answers point to; "mixed" when none has two; "none" without answers."""
    if not answers:
        return "none"
    letter, times = Counter(answers).most_common(1)[0]
    return STYLES[letter] if times >= MOSTLY else "mixed"


@dataclass(frozen=True)
class AttachmentPlan:
    questions: int  # how many the pack holds (three)
    letters: dict[str, list[str]]  # "a" -> the ways to say that letter
    cues: tuple[dict[str, list[str]], ...]  # per question: "a" -> words that describe that answer
    labels: dict[str, str]  # pack key -> its text: the journal's labels and the results' names

    @classmethod
    def from_pack(cls, pack) -> AttachmentPlan:
        labels = ["attachment.result_label", "attachment.answers_label", *(keys[2] for keys in RESULTS.values())]
        questions = len(pack.items("attachment.questions"))
        cues = {letter: pack.values[f"attachment.cues.{letter}"] for letter in STYLES}
        return cls(questions, dict(zip(STYLES, pack.values["attachment.letters"])),
                   tuple({letter: cues[letter][at] for letter in STYLES} for at in range(questions)),
                   {key: pack.text(key) for key in labels})


STATES = ["ready", "asking", "consent", "ended"]
TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "begin", "source": "ready", "dest": "asking", "after": "_open"},
    {"trigger": "answered", "source": "asking", "dest": None, "conditions": "_is_choice", "after": "_take"},
    *unclear_then("asking", None, "_skip", short="_ask_short"),
    {"trigger": "said_next", "source": "asking", "dest": None, "after": "_skip"},
    {"trigger": "said_done", "source": "asking", "dest": None, "after": "_skip"},
    {"trigger": "said_repeat", "source": "asking", "dest": None, "after": "_ask"},
    {"trigger": "scored", "source": "asking", "dest": "consent", "after": "_offer_to_save"},
    {"trigger": "nothing_to_save", "source": "asking", "dest": "ended", "after": "_close"},
    {"trigger": "said_yes", "source": "consent", "dest": "ended", "after": "_save"},
    {"trigger": "said_no", "source": "consent", "dest": "ended", "after": "_close_without_saving"},
    {"trigger": "said_repeat", "source": "consent", "dest": None, "after": "_offer_to_save"},
    # Never saved without a clear yes: twice unclear is taken as "not now", and said so.
    *unclear_then("consent", "ended", "_close_without_saving"),
    {"trigger": "said_stop", "source": ["asking", "consent"], "dest": "ended", "after": "_stop"},
    {"trigger": "input_ended", "source": ["asking", "consent"], "dest": "ended", "after": "_input_ended"},
]


class Attachment(Exercise):
    section = "attachment"
    # triggers this class fires itself (bound by transitions), declared for the type checker
    nothing_to_save: Callable[[], bool]
    scored: Callable[[], bool]

    def __init__(self, plan: AttachmentPlan) -> None:
        super().__init__()
        self.plan = plan
        self.position = 0  # the open question
        self.answers: list[str] = []  # the letters chosen, "a", "b" or "c"
        self.machine = self.build(STATES, TRANSITIONS)

    def snapshot(self) -> dict[str, Any]:
        return {"exercise": "attachment", "state": self.state, "position": self.position, "answers": self.answers}

    def restore(self, snapshot: dict[str, Any]) -> Attachment:
        self.position, self.answers = snapshot["position"], list(snapshot["answers"])
        self.machine.set_state(snapshot["state"])
        return self

    def resume(self) -> list:
        self._silences = 0
        if self.state == "consent":
            self._offer_to_save()
        else:
            self._ask()
        return self._take_actions()

    # --- the questions -----------------------------------------------------------------------
    def _open(self) -> None:
        self.say("attachment.intro", total=self.plan.questions)
        self.say("attachment.controls")
        self._ask()

    def _ask(self) -> None:
        self.say(f"attachment.questions[{self.position}]")
        self.say(f"attachment.options[{self.position}]")
        self.listen()

    def _chosen(self, text: str):
        return choice(text, self.plan.letters, self.plan.cues[self.position])

    def _is_choice(self, text: str) -> bool:
        return self._chosen(text) is not None

    def _ask_short(self, *_: Any) -> None:
        self._silences = max(self._silences, 1)  # an unclear answer counts as the first try
        self.say("attachment.a_b_or_c")
        self.listen()

    def _take(self, text: str) -> None:
        self.answers.append(self._chosen(text).label)
        self._next()

    def _skip(self, *_: Any) -> None:
        self.say("attachment.skipped")
        self._next()

    def _next(self) -> None:
        self._silences = 0
        self.position += 1
        if self.position < self.plan.questions:
            self._ask()
            return
        found = result(self.answers)
        if found == "none":
            self.say("attachment.result_none")
            self.nothing_to_save()
            return
        what, advice, _ = RESULTS[found]
        self.say(what)
        self.say(advice)
        if found != "secure":
            self.say("attachment.takes_time")
        self.scored()

    # --- keeping it, only on a yes -----------------------------------------------------------
    def _offer_to_save(self) -> None:
        self.say("attachment.ask_save")
        self.listen("yesno")

    def _save(self) -> None:
        labels = self.plan.labels
        letters = ", ".join(letter.upper() for letter in self.answers)
        style = labels[RESULTS[result(self.answers)][2]]
        entries = ((labels["attachment.result_label"], style), (labels["attachment.answers_label"], letters))
        self.ask(Save("attachment", entries, confirm="attachment.saved"))
        self._close()

    def _close_without_saving(self, *_: Any) -> None:
        self.say("attachment.not_saved")
        self._close()

    def _close(self) -> None:
        self.say("attachment.closing")
        self.end()

    def _stop(self) -> None:
        self.say("attachment.stopped")
        self.end()

    def _input_ended(self) -> None:
        self.say("attachment.input_ended")
        self.end()
