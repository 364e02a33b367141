"""What every exercise shares: turning events into triggers and collecting the actions asked for."""
from __future__ import annotations

from typing import Any

from ..events import Action, Answer, Command, End, Event, InputEnded, Listen, NoAnswer, SafeWord, Say, TimerDone


class Exercise:
    """Base for an exercise model; a `transitions.Machine` is attached to it by the subclass.

    The conductor calls `start()` once and then `handle(event)` for every event; both return the
    actions to carry out. An empty list means: nothing changes, keep listening.
    """

    state: str
    handles_safe_word = False  # True: the safe word is this exercise's own event, not a pause

    def __init__(self) -> None:
        self._actions: list[Action] = []
        self._silences = 0  # silences in a row at the open prompt; reset when a new prompt is asked
        self._cut_short = False  # the last event was a stop or the end of the input

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
                self.trigger("answered", text)
            case Command(name=name):
                self.trigger(f"said_{name}")
            case NoAnswer():
                self.trigger("silence")
            case TimerDone(name=name):
                name, _, argument = name.partition(":")  # "mark:10": the pause's 10-minute mark
                self.trigger(f"timer_{name}", *([argument] if argument else []))
            case SafeWord():
                self.trigger("heard_safe_word")
            case InputEnded():
                self.trigger("input_ended")
        return self._take_actions()

    # --- for subclasses ----------------------------------------------------------------------
    def say(self, key: str, **values: Any) -> None:
        self._actions.append(Say(key, values))

    def listen(self, mode: str = "answer") -> None:
        self._actions.append(Listen(mode))

    def ask(self, action: Action) -> None:
        self._actions.append(action)

    def end(self) -> None:
        self._actions.append(End())

    def _first_silence(self) -> bool:
        """A condition: the first silence after a prompt gets a gentle nudge, the next moves on."""
        self._silences += 1
        return self._silences == 1

    def _take_actions(self) -> list[Action]:
        taken, self._actions = self._actions, []
        return taken
