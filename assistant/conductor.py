"""The conductor: the one loop that carries out an exercise's actions and feeds it events.

It works the I/O parts (ear, voice, output, journal, log, terminal) and reads the clock; the
exercise owns none. It is made, with its parts, by session.build_session.
The safe word outranks everything: heard in any state, it cuts the voice off, and the conductor
runs the pause and then resumes the exercise at the step it interrupted. What the cut-off batch
asked for besides speech (timers, notes, saves, settings) still happens. A pause started with
`assistant pause` in another terminal reaches a running session the same way: the conductor looks
at the pause file about once a second.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from .clock import Clock
from .content import Pack
from .errors import UserError
from .events import (
    Action,
    Answer,
    ArmSpotter,
    AudioChunk,
    Chime,
    Command,
    Disclosure,
    End,
    Event,
    HelpLines,
    Listen,
    NoAnswer,
    Note,
    PauseNow,
    PauseUntil,
    SafeWord,
    Save,
    SaveSetting,
    Say,
    StartTimer,
    StopTimer,
    TimerDone,
)
from .exercises.pausing import Pause, PausePlan, PauseSettings, PauseWords
from .log import EventLog
from .pause_store import PauseRecord, PauseStore, resume_point
from .safety_notice import SafetyNotice
from .store import CannotWrite, Journal
from .terminal import Terminal
from .text import printable


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


class SafeWordInterrupt(Exception):
    """The safe word was heard (or a pause was asked for elsewhere) while the assistant spoke."""


POLL_SECONDS = 1.0  # how often a running session looks for a pause started in another terminal
SPEECH = (Say, Listen, Chime)  # what a batch cut off by the safe word leaves out


class SafetyStop(Exception):
    """An answer spoke of danger: the session ended with the help lines. Not a failure (exit 0)."""


# The order of the help lines: for thoughts of suicide the crisis line comes first.
HELP_ORDER = {"self_harm": ("crisis", "abuse", "emergency")}
DEFAULT_HELP_ORDER = ("abuse", "crisis", "emergency")


class Conductor:
    def __init__(self, pack: Pack, clock: Clock, ear, voice, output, log: EventLog, journal: Journal, *,
                 warn: Callable[[UserError], None], heard: threading.Event, view: Terminal,
                 chime: Callable[[], AudioChunk], show_heard: bool = True,
                 pauses: PauseStore | None = None, pause_settings: PauseSettings = PauseSettings(),
                 save_setting: Callable[[str, object], None] | None = None, safety=None, country: str = "other",
                 notice: SafetyNotice | None = None) -> None:
        """`warn`: says a problem the session lives with; `heard`: set when the safe word is heard (by
        the ear's spotter, from any thread); `view`: the terminal; `chime`: the sound that ends a pause.
        `safety`: the listener that hears danger in every answer (understanding.safety); `country`:
        whose help lines to give; `notice`: where a safety stop is remembered for the next session."""
        self.pack = pack
        self.clock = clock
        self.ear = ear
        self.voice = voice  # None: prompts are printed only (--text --quiet)
        self.output = output
        self.log = log
        self.journal = journal
        self.warn = warn
        self.view = view
        self.chime = chime
        self.show_heard = show_heard
        self.pauses = pauses  # None: the pause is not kept on disk (a recording has no tomorrow)
        self.pause_settings = pause_settings
        self.save_setting = save_setting
        self.safety = safety
        self.country = country
        self.notice = notice
        self._reminded = False
        self._pause_unsaved = False  # said once: the pause could not be kept on disk
        self.safe_word_heard = heard
        self.timers = Timers()
        self._snapshot: dict | None = None  # what a running pause resumes
        self._countdown_until: float | None = None
        self._polled_at: float | None = None  # when the pause file was last looked at
        self._requested: PauseRecord | None = None  # what another process wrote: the pause it asks for

    # --- running exercises ---------------------------------------------------------------------
    def run(self, exercise, resuming: bool = False, timers: dict[str, float] | None = None) -> bool:
        """Run `exercise` to its end; False when the input ended during a pause."""
        self._remind_of_help()
        self.timers = Timers()  # an earlier exercise's timers mean nothing to this one
        for name, left in (timers or {}).items():
            self.timers.start(name, self.clock.monotonic() + left)
        self.log.write("state", exercise=type(exercise).__name__.lower(), to=exercise.state)
        actions = self._react(exercise, exercise.resume if resuming else exercise.start)
        mode = "answer"
        watch = not exercise.handles_safe_word  # the pause and the set-up take the safe word themselves
        while True:
            ending = False
            pending = iter(actions)
            try:
                listen = pause_now = None
                for action in pending:
                    if isinstance(action, End):
                        self.log.write("end", exercise=type(exercise).__name__.lower())
                        return True
                    if isinstance(action, Listen):
                        listen = action
                    elif isinstance(action, PauseNow):
                        pause_now = action
                    else:
                        self._carry_out(action, interruptible=watch)
                event: Event
                if pause_now:
                    self.log.write("pause", action="asked")
                    event = SafeWord()
                else:
                    if listen:
                        mode = listen.mode
                        self.ear.begin(mode)
                        self.log.write("listen", mode=mode)
                    event = self._next_event(watch)
            except SafeWordInterrupt:
                self.safe_word_heard.clear()
                self.log.write("heard", event="pause request" if self._requested else "safe word", during="speaking")
                ending = self._carry_out_quietly(pending)
                event = SafeWord()
            if isinstance(event, Disclosure):
                self.stop_for_safety(event)
            if isinstance(event, SafeWord) and watch:
                requested, self._requested = self._requested, None
                seconds, total = (None, None) if requested is None else (requested.remaining(),
                                                                          requested.total_seconds)
                if not self.pause(None if ending else exercise, seconds=seconds, total_seconds=total,
                                  then="end" if ending else None):
                    return False
                if ending:  # the cut-off batch closed the exercise: it ends after the return
                    self.log.write("end", exercise=type(exercise).__name__.lower())
                    return True
                actions = self._react(exercise, exercise.resume)
                self.log.write("resume", exercise=type(exercise).__name__.lower(), state=exercise.state)
                continue
            actions = self._react(exercise, partial(exercise.handle, event))
            if not actions and not isinstance(event, TimerDone):
                self.ear.begin(mode)  # the exercise ignored what was heard: listen afresh

    def pause(self, exercise=None, seconds: float | None = None, resumed: bool = False,
              snapshot: dict | None = None, total_seconds: float | None = None, then: str | None = None) -> bool:
        """Run a pause (the safe word, `assistant pause`, or one found running at start-up), then the
        return. The interrupted exercise's timers wait meanwhile. True when both came back.
        `then`: what follows the return, "resume" (the interrupted step: the default with an exercise
        or a snapshot), "begin" (the exercise asked for, not started yet) or "end" (nothing)."""
        now = self.clock.monotonic()
        paused_timers = {name: at - now for name, at in self.timers.due.items()}
        if exercise is not None:
            snapshot = resume_point(exercise.snapshot(), paused_timers)
        then = then or ("resume" if snapshot else "end")
        self._snapshot = snapshot if then == "resume" else None
        seconds = self.pause_settings.minutes * 60 if seconds is None else seconds
        self.log.write("pause", action="start", seconds=round(seconds, 1), resumed=resumed)
        plan = PausePlan(seconds, seconds if total_seconds is None else total_seconds, self.pause_settings, resumed,
                         then)
        flow = Pause(plan, PauseWords.from_pack(self.pack), self.clock)
        self.run(flow)
        self._end_countdown()
        self.log.write("pause", action="end", came_back=flow.came_back)
        if flow.came_back:
            self._clear_pause()
            self.timers = Timers()
            for name, left in paused_timers.items():
                self.timers.start(name, self.clock.monotonic() + left)
        return flow.came_back

    # --- safety ------------------------------------------------------------------------------
    def stop_for_safety(self, disclosure: Disclosure) -> None:
        """Stop calmly: no blame, nobody asked to respond, no closing ritual. Then end the session.
        Nothing here may depend on the disk: a pause that can't be cleared or a notice that can't be
        written is left as it is."""
        self.log.write("safety", category=disclosure.category, cue=disclosure.cue)
        self.timers = Timers()
        self._end_countdown()
        self._clear_pause()
        self.say("safety.stop")
        self.help_lines(HELP_ORDER.get(disclosure.category, DEFAULT_HELP_ORDER))
        self.say("safety.end")
        if self.notice:
            self.notice.remember()
        raise SafetyStop

    def _clear_pause(self) -> None:
        """The pause on disk is over. A folder that can't be written (read-only, gone) is only logged:
        the session goes on, and the safety stop never waits on the disk."""
        if not self.pauses:
            return
        try:
            self.pauses.clear()
        except Exception as failure:  # noqa: BLE001
            self.log.write("pause", action="not cleared", error=type(failure).__name__)

    def _keep_pause(self, pauses: PauseStore, action: PauseUntil) -> None:
        """Keep the pause on disk for a restart. Safety before persistence: when that fails the
        pause still runs and is announced; it is said once that a restart would lose it."""
        try:
            pauses.start(action.seconds, action.total_seconds, self._snapshot)
        except Exception as failure:  # a full disk, a read-only or broken state folder
            self.log.write("pause", action="not kept", error=type(failure).__name__)
            if not self._pause_unsaved:
                self._pause_unsaved = True
                self.say("pause.not_kept")

    def _disclosure_in(self, event: Event | None) -> Disclosure | None:
        """Danger in what was said: an answer, or the words after a yes or no ("no, he hits me")."""
        said = event.text if isinstance(event, Answer) else event.said if isinstance(event, Command) else ""
        finding = self.safety.finding(said) if said and self.safety is not None else None
        return Disclosure(finding.label, finding.cue) if finding else None

    def help_lines(self, kinds: tuple[str, ...], voiced: bool = True) -> None:
        for kind in kinds:
            (self.say if voiced else self.shown)(f"helplines.{self.country}.{kind}")

    def _remind_of_help(self) -> None:
        """The first exercise of a session that starts within a day of a safety stop opens with the
        help lines once more, without a word about what was said."""
        if self._reminded:
            return
        self._reminded = True
        if self.notice and self.notice.due():
            self.say("safety.reminder")
            self.help_lines(DEFAULT_HELP_ORDER)

    # --- speaking ------------------------------------------------------------------------------
    def show(self, line: str) -> None:
        self.view.line(printable(line))  # names and answers come from outside: no escapes

    def say(self, key: str, interruptible: bool = False, private: bool = False, **values) -> None:
        """`private`: the sentence carries what someone said, so the voice keeps no copy on disk."""
        if interruptible and (self.safe_word_heard.is_set() or self._pause_requested()):
            raise SafeWordInterrupt
        text = self.shown(key, **values)
        if self.voice:
            sound = self.voice.synthesize(text, private=private)
            self._play(sound, interruptible)

    def shown(self, key: str, **values) -> str:
        """Put a sentence in the transcript (and the log) without a voice; returns its text."""
        text = self.pack.text(key, **values)
        self.show(f"{self.pack.text('transcript.guide')}: {text}")
        self.log.write("say", key=key, text=text)
        return text

    def _play(self, sound, interruptible: bool) -> None:
        finished = self.output.play(sound, self.safe_word_heard if interruptible else None)
        if finished is False:
            self.log.write("say", action="cut off")
            raise SafeWordInterrupt

    # --- actions and events --------------------------------------------------------------------
    def _react(self, exercise, step: Callable[[], list[Action]]) -> list[Action]:
        before = exercise.state
        actions = step()
        if exercise.state != before:
            self.log.write("state", **{"from": before, "to": exercise.state})
        return actions

    def _carry_out_quietly(self, actions) -> bool:
        """The rest of a batch the safe word cut off: everything but speech still happens (timers
        before the pause counts them, notes, saves, settings, the spotter); help lines are shown
        without a voice. True when the batch ended the exercise."""
        ending = False
        for action in actions:
            if isinstance(action, End):
                ending = True
            elif isinstance(action, HelpLines):
                self.help_lines(action.kinds, voiced=False)
            elif not isinstance(action, SPEECH):
                self._carry_out(action, interruptible=False, quiet=True)
        return ending

    def _carry_out(self, action: Action, interruptible: bool, quiet: bool = False) -> None:
        """`quiet`: after the safe word: nothing is said (a failed save shows its answers)."""
        if isinstance(action, Say):
            self.say(action.key, interruptible, private=action.private, **action.values)
        elif isinstance(action, StartTimer):
            self.timers.start(action.name, self.clock.monotonic() + action.seconds)
            self.log.write("timer", name=action.name, action="start", seconds=action.seconds)
        elif isinstance(action, StopTimer):
            self.timers.stop(action.name)
        elif isinstance(action, PauseUntil):
            self.timers.start("pause_end", self.clock.monotonic() + action.seconds)
            self._countdown_until = self.clock.monotonic() + action.seconds
            if self.pauses:
                self._keep_pause(self.pauses, action)
            self.log.write("pause", action="until", seconds=round(action.seconds, 1))
        elif isinstance(action, Chime):
            self.log.write("chime")
            if self.voice:
                self._play(self.chime(), interruptible=False)
        elif isinstance(action, ArmSpotter):
            self.ear.arm(action.word, self.safe_word_heard, second_ear=not action.trial)
        elif isinstance(action, SaveSetting):
            if self.save_setting:
                self.save_setting(action.name, action.value)
            self.log.write("setting", name=action.name)
        elif isinstance(action, HelpLines):
            self.help_lines(action.kinds)
        elif isinstance(action, Note):
            self.log.write(action.kind, **action.fields)
        elif isinstance(action, Save):
            try:
                set_aside = self.journal.add(action.kind, list(action.entries), self.clock.now())
            except CannotWrite:  # a full disk, a read-only folder: the answers go to the screen instead
                (self.shown if quiet else self.say)("journal.write_failed")
                for label, text in action.entries:
                    self.show("  " + self.pack.text("journal.item", label=label, text=text))
                self.log.write("save", exercise=action.kind, items=len(action.entries), failed=True)
                return
            if set_aside:
                self.warn(UserError("journal_set_aside", path=set_aside))
            self.log.write("save", exercise=action.kind, items=len(action.entries))
            if action.confirm and not quiet:
                self.say(action.confirm, interruptible)

    def _pause_requested(self) -> bool:
        """Whether a pause was started in another terminal since the last look (at most one look
        a second: one stat of the pause file). Its record waits in `_requested`. A state folder
        that can't be read is no request: it never stops the session."""
        if self.pauses is None or self._requested is not None:
            return self._requested is not None
        now = self.clock.monotonic()
        if self._polled_at is not None and now - self._polled_at < POLL_SECONDS:
            return False
        self._polled_at = now
        try:
            self._requested = self.pauses.requested()
        except Exception as failure:  # noqa: BLE001 - looking must never end the session
            self.log.write("pause", action="not polled", error=type(failure).__name__)
        return self._requested is not None

    def _next_event(self, watch: bool = True) -> Event:
        """`watch`: a pause asked for in another terminal counts as the safe word."""
        while True:
            expired = self.timers.pop_expired(self.clock.monotonic())
            if expired:
                self.log.write("timer", name=expired, action="done")
                return TimerDone(expired)
            if watch and self._pause_requested():
                self.log.write("heard", event="pause request")
                return SafeWord()
            self._show_countdown()
            event = self.ear.step()
            disclosure = self._disclosure_in(event)
            if disclosure is not None:  # logged with its category, never with the words
                self.log.write("heard", event="answer", safety=True)
                return disclosure
            if event is not None:
                self._note_heard(event)
                return event

    def _show_countdown(self) -> None:
        if self._countdown_until is None:
            return
        left = self._countdown_until - self.clock.monotonic()
        if left > 0:
            self.view.countdown(left, lambda shown: self.pack.text("pause.countdown", left=shown))
        else:  # the time is up: the return follows, on a line of its own
            self._end_countdown()

    def _end_countdown(self) -> None:
        self._countdown_until = None
        self.view.countdown_over()

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
        elif isinstance(event, SafeWord):
            self.log.write("heard", event="safe word")
        else:
            self.log.write("heard", event=type(event).__name__.lower())
