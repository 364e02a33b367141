"""The pause after the safe word, and the return ritual that ends it.

announce -> wait (marks, calming words, the safe word again is only acknowledged) -> chime and
return prompt -> each partner says the return sentence, or asks for more time -> back.
The pause can't be ended early by voice.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ..clock import Clock
from ..content import Pack
from ..events import Chime, PauseUntil, StartTimer
from ..method import LONGEST_PAUSE_MINUTES, PAUSE_MARKS_MINUTES, PAUSE_MINUTES
from ..text import normalize
from .base import FIRST_SILENCE, Exercise

LONGEST_PAUSE_SECONDS = LONGEST_PAUSE_MINUTES * 60
DEFAULT_EXTENSION_MINUTES = 10
RETURN_WORDS_NEEDED = 3  # of the five key words of the return sentence: a tolerant match


@dataclass(frozen=True)
class PauseWords:
    """What the return listens for, from the pack."""

    return_words: tuple[str, ...]
    more_time: tuple[str, ...]
    numbers: dict[str, int]
    minute_words: frozenset[str]  # "minute" and "minutes": a number next to one asks for that many
    tomorrow: tuple[str, ...]  # "can we talk about it tomorrow?": the pause runs as long as it may, a day

    @classmethod
    def from_pack(cls, pack: Pack) -> PauseWords:
        numbers = {word: int(value) for word, value in zip(pack.items("pause.number_words"),
                                                           pack.items("pause.number_values"))}
        return cls(tuple(normalize(w) for w in pack.items("pause.return_words")),
                   tuple(normalize(w) for w in pack.items("pause.more_time")), numbers,
                   frozenset(normalize(w) for w in pack.items("pause.minute_words")),
                   tuple(normalize(w) for w in pack.items("pause.tomorrow_words")))

    def is_return(self, text: str) -> bool:
        said = set(normalize(text).split())
        return sum(word in said for word in self.return_words) >= RETURN_WORDS_NEEDED

    def extra_minutes(self, text: str) -> int | None:
        """Minutes asked for ("ten more minutes", "1 more minute", "more time"), else None."""
        said = normalize(text)
        if any(f" {p} " in f" {said} " for p in self.tomorrow):
            return LONGEST_PAUSE_MINUTES
        words = said.split()
        # Decimal digits only ("²" is a digit to isdigit() but not to int()), and no more than four of
        # them (int() refuses 4,300; a day is 1,440 minutes anyway); zero asks for nothing.
        numbers = [int(w) for w in words if w.isdecimal() and len(w) <= 4 and int(w) > 0]
        numbers += [self.numbers[w] for w in words if w in self.numbers]
        if numbers and (self.minute_words.intersection(words) or any(p in said for p in self.more_time)):
            return numbers[0]
        if any(f" {p} " in f" {said} " for p in self.more_time):
            return DEFAULT_EXTENSION_MINUTES
        return None


@dataclass(frozen=True)
class PauseSettings:
    """How every pause of a session goes: the settings' `pause_*` and who comes back."""

    minutes: float = PAUSE_MINUTES  # a pause's length, unless `assistant pause` or a restart says otherwise
    marks_minutes: tuple[float, ...] = PAUSE_MARKS_MINUTES  # spoken reminders of the time left
    calming: bool = True  # say once how to spend the pause
    partners: int = 2  # how many people say the return sentence


@dataclass(frozen=True)
class PausePlan:
    """One pause: where it stands, and the session's way of pausing."""

    seconds: float  # how long the pause still runs
    total_seconds: float  # the whole pause so far, extensions included (at most a day)
    settings: PauseSettings = PauseSettings()
    resumed: bool = False  # the program was restarted during the pause
    then: str = "resume"  # after the return: "resume" the interrupted step, "begin" the exercise asked for, "end"


# The thanks after the return, fitting what comes next.
WELCOME_BACK = {"resume": "pause.welcome_back", "begin": "pause.welcome_back_begin", "end": "pause.welcome_back_end"}


STATES = ["ready", "waiting", "returning", "ended"]
TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "begin", "source": "ready", "dest": "waiting", "after": "_announce"},
    {"trigger": "timer_mark", "source": "waiting", "dest": None, "after": "_mark"},
    {"trigger": "heard_safe_word", "source": "waiting", "dest": None, "after": "_acknowledge"},
    {"trigger": "timer_pause_end", "source": "waiting", "dest": "returning", "after": "_call_back"},
    {"trigger": "answered", "source": "returning", "dest": "waiting", "conditions": "_asks_more_time",
     "unless": "_is_return", "after": "_extend"},
    {"trigger": "answered", "source": "returning", "dest": None, "conditions": "_is_return", "after": "_returned"},
    {"trigger": "answered", "source": "returning", "dest": None, "after": "_ask_again"},
    {"trigger": "silence", "source": "returning", "dest": None, **FIRST_SILENCE,
     "after": "_ask_again"},
    {"trigger": "heard_safe_word", "source": "returning", "dest": "waiting", "after": "_pause_again"},
    {"trigger": "all_back", "source": "returning", "dest": "ended", "after": "_welcome_back"},
    {"trigger": "input_ended", "source": ["waiting", "returning"], "dest": "ended", "after": "end"},
]


class Pause(Exercise):
    # triggers this class fires itself (bound by transitions), declared for the type checker
    all_back: Callable[[], bool]

    handles_safe_word = True  # said again during the pause, it is only acknowledged

    def __init__(self, plan: PausePlan, words: PauseWords, clock: Clock) -> None:
        super().__init__()
        self.plan = plan
        self.words = words
        self.clock = clock
        self.total_seconds = plan.total_seconds
        self.returned = 0  # partners who said the return sentence
        self.came_back = False  # False when the input ended during the pause
        self._ends_at = 0.0
        self.machine = self.build(STATES, TRANSITIONS)

    def _minutes_left(self) -> int:
        return max(0, round((self._ends_at - self.clock.monotonic()) / 60))

    def _clock_time(self, seconds: float) -> str:
        return (self.clock.now() + timedelta(seconds=seconds)).strftime("%H:%M")

    def _run_for(self, seconds: float) -> None:
        """Set the end (first: on disk before a word is said) and the spoken marks."""
        self._ends_at = self.clock.monotonic() + seconds
        self.ask(PauseUntil(seconds, self.total_seconds))
        for minutes in self.plan.settings.marks_minutes:
            if minutes * 60 < seconds - 30:  # a mark right after the announcement says nothing new
                self.ask(StartTimer(f"mark:{minutes:g}", seconds - minutes * 60))

    def _announce(self) -> None:
        seconds = self.plan.seconds
        self._run_for(seconds)
        if self.plan.resumed and seconds < 1:
            pass  # it ended while the program was not running: straight to the return
        elif self.plan.resumed:
            minutes = max(1, round(seconds / 60))
            self.say("pause.resumed", minutes=minutes, at=self._clock_time(seconds))
        else:
            minutes = max(1, round(seconds / 60))
            self.say("pause.announce", minutes=minutes, at=self._clock_time(seconds))
            if seconds < PAUSE_MINUTES * 60:
                self.say("pause.shorter")
            if self.plan.settings.calming:
                self.say("pause.calming")
        self.listen()

    def _mark(self, minutes: str) -> None:
        if float(minutes) == 1:
            self.say("pause.mark_one")
        else:
            self.say("pause.mark", minutes=int(float(minutes)))
        self.listen()

    def _acknowledge(self) -> None:
        left = self._minutes_left()
        if left > 1:
            self.say("pause.already", minutes=left)
        else:
            self.say("pause.already_one")
        self.listen()

    def _call_back(self) -> None:
        self._silences = 0
        self.ask(Chime())
        self.say("pause.return_prompt")
        self.listen()

    def _is_return(self, text: str) -> bool:
        return self.words.is_return(text)

    def _asks_more_time(self, text: str) -> bool:
        return self.words.extra_minutes(text) is not None

    def _extend(self, text: str) -> None:
        minutes = self.words.extra_minutes(text)
        assert minutes is not None  # the transition's guard, _asks_more_time, found them
        wanted = minutes * 60
        seconds = min(wanted, LONGEST_PAUSE_SECONDS - self.total_seconds)
        self.total_seconds += seconds
        self._run_for(seconds)
        if wanted == LONGEST_PAUSE_SECONDS:  # asked for tomorrow
            self.say("pause.tomorrow", at=self._clock_time(seconds))
        elif seconds < wanted:
            self.say("pause.at_most", at=self._clock_time(seconds))
        else:
            minutes = round(seconds / 60)
            self.say("pause.extended", minutes=minutes, at=self._clock_time(seconds))
        self.listen()

    def _returned(self, text: str) -> None:
        self.returned += 1
        if self.returned >= self.plan.settings.partners:
            self.all_back()
        else:
            self.say("pause.waiting")  # so nobody wonders whether it was heard
            self.listen()

    def _ask_again(self, *_: Any) -> None:
        self.say("pause.return_again")
        self.listen()

    def _pause_again(self) -> None:
        seconds = min(PAUSE_MINUTES * 60, LONGEST_PAUSE_SECONDS - self.total_seconds)
        self.total_seconds += seconds
        self.returned = 0
        self._run_for(seconds)
        minutes = round(seconds / 60)
        self.say("pause.restarted", minutes=minutes, at=self._clock_time(seconds))
        self.listen()

    def _welcome_back(self) -> None:
        self.came_back = True
        self.say(WELCOME_BACK[self.plan.then])
        self.end()
