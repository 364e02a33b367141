"""When is an answer over? Turn taking from timed recognizer results, with no audio in sight.

vosk 0.3.45 has no configurable endpointer, so this decides: an answer ends on the spoken done
word or after `end_silence` seconds without new words, never on a short thinking pause; with
nothing said at all for `no_answer` seconds, the turn ends as silence.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..events import Answer, Command, Event, NoAnswer
from .commands import UNKNOWN_WORD, CommandWords

# A grammar hit counts as a control word only when the free recognizer's stretch of speech is
# this short too: a model without [unk] maps every sentence onto control words.
MAX_WORDS_AROUND_COMMAND = 3


@dataclass(frozen=True)
class TurnTiming:
    end_silence: float = 2.5  # seconds without new words that end an answer
    no_answer: float = 8.0  # seconds with nothing said that end the turn as silence


class Turn:
    """One listening turn. Feed it what the recognizers produce; ask `outcome` when it is over.

    A control word counts when it is said on its own (a stretch of speech of its own); the done
    word may also close an answer. "next" after an answer keeps the answer.
    """

    def __init__(self, mode: str, commands: CommandWords, timing: TurnTiming, started_at: float) -> None:
        self.mode = mode
        self.commands = commands
        self.timing = timing
        self.started_at = started_at
        self.finals: list[str] = []
        self.partial = ""
        self.last_voice_at: float | None = None
        self._last_stretch = ""
        self._decided: Event | None = None

    @property
    def text(self) -> str:
        return " ".join(t for t in [*self.finals, self.partial] if t)

    def heard_partial(self, at: float, text: str) -> None:
        if text and text != self.partial:
            self.last_voice_at = at
        self.partial = text

    def heard_final(self, at: float, text: str) -> None:
        """A stretch of free speech the recognizer closed (it closes on short pauses too)."""
        self.partial = ""
        if not text or self._decided:
            return
        self.last_voice_at = at
        self._last_stretch = text
        command = self.commands.match(text, self.mode)
        if self.mode == "yesno" and not self.finals:
            command = command or self.commands.starting_answer(text)
        if command:
            self._command(command)
            return
        rest, ended = self.commands.strip_done(text)
        if rest:
            self.finals.append(rest)
        if ended:
            self._command("done")

    def heard_grammar(self, at: float, text: str) -> None:
        """What the control-word recognizer made of the last stretch of sound."""
        tokens = text.split()
        free_stretch = self.partial or self._last_stretch
        if self._decided or not tokens or UNKNOWN_WORD in tokens:
            return  # nothing, or a control word among other speech
        if len(free_stretch.split()) > MAX_WORDS_AROUND_COMMAND:
            return
        command = self.commands.match(text, self.mode)
        if command:
            self.last_voice_at = at
            self.partial = ""  # the free recognizer's version of the control word is not an answer
            self._command(command)

    def _command(self, name: str) -> None:
        if name in ("done", "next") and self.finals:
            self._decided = Answer(self.text)
        else:
            self._decided = Command(name)
    def outcome(self, at: float) -> Event | None:
        """The event that ends this turn, or None while it goes on."""
        if self._decided:
            return self._decided
        if self.last_voice_at is None:
            if at - self.started_at >= self.timing.no_answer:
                return NoAnswer()
            return None
        if at - self.last_voice_at >= self.timing.end_silence:
            return Answer(self.text)
        return None
