"""The conductor: the one loop that carries out an exercise's actions and feeds it events.

It owns the I/O parts (ear, voice, output, journal, log) and the clock; the exercise owns none.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from .clock import Clock
from .content import Pack
from .errors import UserError
from .events import (Action, Answer, Command, End, Event, Listen, NoAnswer, Note, Save, Say, StartTimer, StopTimer,
                     TimerDone)
from .log import EventLog
from .store import Journal


@dataclass
class Timers:
    """Named deadlines on the session clock."""

    due: dict[str, float] = field(default_factory=dict)

    def start(self, name: str, at: float) -> None:
        self.due[name] = at

    def stop(self, name: str) -> None:
        self.due.pop(name, None)

    def pop_expired(self, now: float) -> str | None:
        for name, at in sorted(self.due.items(), key=lambda item: item[1]):
            if at <= now:
                del self.due[name]
                return name
        return None


class Conductor:
    def __init__(self, pack: Pack, clock: Clock, ear, voice, output, log: EventLog, journal: Journal,
                 show: Callable[[str], None] = print, show_heard: bool = True) -> None:
        self.pack = pack
        self.clock = clock
        self.ear = ear
        self.voice = voice  # None: prompts are printed only (--text --quiet)
        self.output = output
        self.log = log
        self.journal = journal
        self.show = show
        self.show_heard = show_heard
        self.timers = Timers()

    def run(self, exercise) -> None:
        self.timers = Timers()  # an earlier exercise's timers mean nothing to this one
        self.log.write("state", exercise=type(exercise).__name__.lower(), to=exercise.state)
        actions = self._react(exercise, exercise.start)
        mode = "answer"
        while True:
            listen = None
            for action in actions:
                if isinstance(action, End):
                    self.log.write("end")
                    return
                if isinstance(action, Listen):
                    listen = action
                else:
                    self._carry_out(action)
            if listen:
                mode = listen.mode
                self.ear.begin(mode)
                self.log.write("listen", mode=mode)
            event = self._next_event()
            actions = self._react(exercise, lambda: exercise.handle(event))
            if not actions and not isinstance(event, TimerDone):
                self.ear.begin(mode)  # the exercise ignored what was heard: listen afresh

    def warn(self, problem: UserError) -> None:
        sentence = problem.sentence(self.pack)
        print(sentence, file=sys.stderr)
        self.log.write("error", key=problem.key, text=sentence)

    def say(self, key: str, **values) -> None:
        text = self.pack.text(key, **values)
        self.show(f"{self.pack.text('transcript.guide')}: {text}")
        self.log.write("say", key=key, text=text)
        if self.voice:
            self.output.play(self.voice.synthesize(text))

    def _react(self, exercise, step: Callable[[], list[Action]]) -> list[Action]:
        before = exercise.state
        actions = step()
        if exercise.state != before:
            self.log.write("state", **{"from": before, "to": exercise.state})
        return actions

    def _carry_out(self, action: Action) -> None:
        if isinstance(action, Say):
            self.say(action.key, **action.values)
        elif isinstance(action, StartTimer):
            self.timers.start(action.name, self.clock.monotonic() + action.seconds)
            self.log.write("timer", name=action.name, action="start", seconds=action.seconds)
        elif isinstance(action, StopTimer):
            self.timers.stop(action.name)
        elif isinstance(action, Note):
            self.log.write(action.kind, **action.fields)
        elif isinstance(action, Save):
            self.journal.add(action.kind, list(action.entries), self.clock.now())
            self.log.write("save", exercise=action.kind, items=len(action.entries))

    def _next_event(self) -> Event:
        while True:
            expired = self.timers.pop_expired(self.clock.monotonic())
            if expired:
                self.log.write("timer", name=expired, action="done")
                return TimerDone(expired)
            event = self.ear.step()
            if event is not None:
                self._note_heard(event)
                return event

    def _note_heard(self, event: Event) -> None:
        if isinstance(event, Answer):
            self.log.write("heard", event="answer", text=event.text)
            if self.show_heard:
                self.show(f"  » {event.text}")
        elif isinstance(event, Command):
            self.log.write("heard", event="command", name=event.name)
            if self.show_heard:
                self.show(f"  » [{event.name}]")
        elif isinstance(event, NoAnswer):
            self.log.write("heard", event="silence")
        else:
            self.log.write("heard", event=type(event).__name__.lower())
