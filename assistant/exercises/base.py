"""What every exercise shares: turning events into triggers and collecting the actions asked for."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from transitions import Machine

from ..events import (
    MODE_COMMANDS,
    Action,
    Answer,
    Command,
    End,
    Event,
    InputEnded,
    Listen,
    NoAnswer,
    SafeWord,
    Say,
    TimerDone,
)

# Triggers for what was heard. An exercise may have no use for some of them (a pause ignores "stop");
# every other trigger fired from an event, a timer's, must be one the machine knows.
HEARD = frozenset({"answered", "silence", "heard_safe_word", "input_ended"}
                  | {f"said_{name}" for names in MODE_COMMANDS.values() for name in names})

# The first silence after a prompt gets a gentle nudge, the next moves on: spread into the first of
# two "silence" transitions. `prepare` counts the silence before the pure condition looks at the count.
FIRST_SILENCE = {"prepare": "_count_silence", "conditions": "_first_silence"}


def unclear_then(source: str, dest: str | None, after: str | list[str], short: str = "_ask_yes_or_no") -> list[dict]:
    """An answer at `source` that is no answer to the question, or silence: asked once, short (`short`,
    never the whole question again); the second time `after`, to `dest`. Put after the transitions
    for the answers that count: these take any answer that is left."""
    return [
        {"trigger": "answered", "source": source, "dest": None, "unless": "_unclear_before", "after": short},
        {"trigger": "silence", "source": source, "dest": None, **FIRST_SILENCE, "after": short},
        {"trigger": "answered", "source": source, "dest": dest, "after": after},
        {"trigger": "silence", "source": source, "dest": dest, "after": after},
    ]


class Exercise:
    """Base for an exercise model; the subclass attaches its `transitions.Machine` with `build`.

    The conductor calls `start()` once and then `handle(event)` for every event; both return the
    actions to carry out. An empty list means: nothing changes, keep listening.
    Guards (`conditions`, `unless`) only look; state changes happen in `prepare`, `before` and `after`.
    """

    state: str  # these two are bound by transitions
    trigger: Callable[..., bool]
    machine: Machine
    handles_safe_word = False  # True: the safe word is this exercise's own event, not a pause
    section = ""  # the exercise's part of the pack: "<section>.yes_or_no" asks for a yes or a no

    def __init__(self) -> None:
        self._actions: list[Action] = []
        self._silences = 0  # silences in a row at the open prompt; reset when a new prompt is asked
        self._cut_short = False  # the last event was a stop or the end of the input

    def build(self, states: list[str], transitions: list[dict[str, Any]]) -> Machine:
        """The machine, the same way for every exercise. `queued`: a trigger fired by a callback runs
        after the transition that fired it has finished. An unknown trigger raises."""
        return Machine(model=self, states=states, transitions=transitions, initial="ready",
                       auto_transitions=False, queued=True)

    def snapshot(self) -> dict[str, Any]:
        """Where the exercise stands, as plain data, to resume it after a pause (even a restart)."""
        raise NotImplementedError

    def resume(self) -> list[Action]:
        """Ask the interrupted question or step again."""
        raise NotImplementedError

    @property
    def completed(self) -> bool:
        """Ended by its own close: not by stop, nor because the input ended."""
        return self.state == "ended" and not self._cut_short

    # --- for the conductor -------------------------------------------------------------------
    def start(self) -> list[Action]:
        self.trigger("begin")
        return self._take_actions()

    def handle(self, event: Event) -> list[Action]:
        self._cut_short = isinstance(event, InputEnded) or event == Command("stop")
        match event:
            case Answer(text=text):
                self._fire("answered", text)
            case Command(name=name):
                self._fire(f"said_{name}")
            case NoAnswer():
                self._fire("silence")
            case TimerDone(name=name):
                name, _, argument = name.partition(":")  # "mark:10": the pause's 10-minute mark
                self._fire(f"timer_{name}", *([argument] if argument else []))
            case SafeWord():
                self._fire("heard_safe_word")
            case InputEnded():
                self._fire("input_ended")
        return self._take_actions()

    def _fire(self, trigger: str, *args: Any) -> None:
        """The one place events become triggers. An event with no transition from the current state
        changes nothing; so does something heard that this exercise never listens for. Any other
        trigger the machine doesn't know (a misspelt timer) raises."""
        if trigger in self.machine.events:
            if trigger in self.machine.get_triggers(self.state):
                self.trigger(trigger, *args)
        elif trigger not in HEARD:
            raise AttributeError(f"{type(self).__name__} has no trigger {trigger!r}")

    # --- for subclasses ----------------------------------------------------------------------
    def say(self, key: str, **values: Any) -> None:
        self._actions.append(Say(key, values))

    def listen(self, mode: str = "answer") -> None:
        self._actions.append(Listen(mode))

    def ask(self, action: Action) -> None:
        self._actions.append(action)

    def end(self) -> None:
        self._actions.append(End())

    def _count_silence(self, *_: Any) -> None:
        self._silences += 1

    def _first_silence(self, *_: Any) -> bool:
        return self._silences == 1

    def _unclear_before(self, *_: Any) -> bool:
        """The open prompt has already had a silence or an unclear answer."""
        return self._silences >= 1

    def _ask_yes_or_no(self, *_: Any) -> None:
        """Once, short: never the whole question again."""
        self._silences = max(self._silences, 1)  # an unclear answer counts as the first try
        self.say(f"{self.section}.yes_or_no")
        self.listen("yesno")

    def _take_actions(self) -> list[Action]:
        taken, self._actions = self._actions, []
        return taken
