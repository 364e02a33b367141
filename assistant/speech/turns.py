"""When is an answer over? Turn taking from timed recognizer results, with no audio in sight.

vosk 0.3.45 has no configurable endpointer, so this decides: an answer ends on the spoken done
word or after `end_silence` seconds without new words, never on a short thinking pause; with
nothing said at all for `no_answer` seconds, the turn ends as silence.

A control word counts only when it is said on its own. The grammar recognizer alone can't tell:
a model without [unk] maps every sentence onto control words, with full confidence. So the ear
offers a grammar hit only when quiet comes before and after it (see `Loudness`).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..events import Answer, Command, Event, NoAnswer
from .commands import UNKNOWN_WORD, CommandWords


@dataclass(frozen=True)
class TurnTiming:
    end_silence: float = 2.5  # seconds without new words that end an answer
    no_answer: float = 8.0  # seconds with nothing said that end the turn as silence


@dataclass(frozen=True)
class Word:
    text: str
    start: float  # seconds of audio since the turn began
    end: float

    def overlaps_mostly(self, start: float, end: float) -> bool:
        shared = min(self.end, end) - max(self.start, start)
        return shared >= 0.5 * (self.end - self.start)


def words_of(text: str, at: float) -> list[Word]:
    """Words without timing (typed text): all at the moment they arrived."""
    return [Word(w, at, at) for w in text.split()]


class Turn:
    """One listening turn. Feed it what the recognizers produce; ask `outcome` when it is over.

    "done" after an answer ends it; "next" after an answer keeps the answer and moves on.
    """

    def __init__(self, mode: str, commands: CommandWords, timing: TurnTiming, started_at: float) -> None:
        self.mode = mode
        self.commands = commands
        self.timing = timing
        self.started_at = started_at
        self.said: list[Word] = []  # closed stretches of free speech
        self.partial: list[Word] = []  # the stretch being spoken now
        self.last_voice_at: float | None = None  # when the words last changed
        self.last_sound_at: float | None = None  # when a voice was last loud enough to hear
        self._decided: Event | None = None

    @property
    def text(self) -> str:
        return " ".join(w.text for w in [*self.said, *self.partial])

    def heard_sound(self, at: float) -> None:
        """A voice was audible until `at`: more precise than the words, which come with a delay."""
        self.last_sound_at = at

    def heard_partial(self, at: float, text: str, words: list[Word] | None = None) -> None:
        if text and text != " ".join(w.text for w in self.partial):
            self.last_voice_at = at
        self.partial = words if words is not None else words_of(text, at)

    def heard_final(self, at: float, text: str, words: list[Word] | None = None) -> None:
        """A stretch of free speech the recognizer closed (it closes on short pauses too)."""
        previous_partial, self.partial = self.partial, []
        if not text or self._decided:
            return
        if self.last_voice_at is None or text != " ".join(w.text for w in previous_partial):
            # A final comes after the recognizer's own trailing silence: it marks new words only
            # where the partials had not shown them already.
            self.last_voice_at = at
        words = words if words is not None else words_of(text, at)
        command = self.commands.match(text, self.mode)
        if self.mode == "yesno" and not self.said:
            command = command or self.commands.starting_answer(text)
        if command:
            self._command(command, text)
            return
        rest, ended = self.commands.strip_done(text)
        if ended:
            words = [Word(t, w.start, w.end) for t, w in zip(rest.split(), words)]
        self.said.extend(words)
        if ended:
            self._command("done")

    def heard_grammar(self, text: str, span: tuple[float, float]) -> None:
        """The control-word recognizer heard `text` in a stretch of voice set apart by quiet:
        `span` is (start, end) in seconds of the turn's audio."""
        tokens = text.split()
        if self._decided or UNKNOWN_WORD in tokens:
            return  # a control word among other speech
        command = self.commands.match(text, self.mode)
        if command is None:
            return
        twins = [w for w in [*self.said, *self.partial] if w.overlaps_mostly(*span)]
        if len(twins) > len(tokens) + 1:
            return  # the free recognizer heard a short sentence there, not a control word
        # The free recognizer's version of the control word is not part of the answer.
        self.said = [w for w in self.said if w not in twins]
        self.partial = [w for w in self.partial if w not in twins]
        self._command(command)

    def _command(self, name: str, said: str = "") -> None:
        if name in ("done", "next") and (self.said or self.partial):
            self._decided = Answer(self.text)
        else:
            self._decided = Command(name, said)

    def outcome(self, at: float) -> Event | None:
        """The event that ends this turn, or None while it goes on."""
        if self._decided:
            return self._decided
        if self.last_voice_at is None:
            if at - self.started_at >= self.timing.no_answer:
                return NoAnswer()
            return None
        quiet_since = self.last_sound_at if self.last_sound_at is not None else self.last_voice_at
        if at - quiet_since >= self.timing.end_silence:
            return Answer(self.text)
        return None
