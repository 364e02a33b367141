"""Ears: where the conductor gets its next event from while it listens.

`SpeechEar` runs audio from any source through vosk; `TextEar` takes typed (or scripted) lines.
Both decide turns with the same `Turn` logic, so a flow behaves the same in every mode.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future

from ..clock import Clock
from ..errors import UserError
from ..events import Event, InputEnded, NoAnswer
from . import recognizer
from .commands import CommandWords
from .turns import Turn, TurnTiming

READ_TIMEOUT = 0.1  # seconds to wait for audio before checking the clock again


class SpeechEar:
    """Listens to an audio source through a free recognizer (answers) and a grammar one (control words)."""

    def __init__(self, model: Future, source, commands: CommandWords, timing: TurnTiming,
                 clock: Clock, warn: Callable[[UserError], None]) -> None:
        self.source = source
        self.commands = commands
        self.timing = timing
        self.clock = clock
        self._model_future = model
        self._warn = warn
        self._grammars: dict[str, list[str]] = {}
        self._turn: Turn | None = None

    @property
    def model(self):
        return self._model_future.result()

    def _grammar(self, mode: str) -> list[str]:
        """The mode's phrases the model can hear; missing words are reported once, at first use."""
        if not self._grammars:
            missing = recognizer.missing_words(self.model, self.commands.words())
            if missing:
                self._warn(UserError("missing_words", words=", ".join(missing)))
            known = lambda phrase: not any(w in missing for w in phrase.split())  # noqa: E731
            self._grammars = {m: [p for p in self.commands.grammar(m) if known(p)] for m in ("answer", "yesno")}
        return self._grammars[mode]

    def begin(self, mode: str) -> None:
        phrases = self._grammar(mode)
        self._free = recognizer.free_recognizer(self.model, self.source.rate)
        # An empty grammar crashes vosk: with no known control word, only the free recognizer listens.
        self._control = recognizer.grammar_recognizer(self.model, self.source.rate, phrases) if phrases else None
        self.source.new_turn()
        self._turn = Turn(mode, self.commands, self.timing, self.clock.monotonic())

    def step(self) -> Event | None:
        turn = self._turn
        chunk = self.source.read(READ_TIMEOUT)
        if chunk is None:
            return turn.outcome(self.clock.monotonic()) or (InputEnded() if self.source.ended else None)
        if not self.source.live:
            self.clock.advance(chunk.seconds)
        now = self.clock.monotonic()
        if self._free.AcceptWaveform(chunk.data):
            turn.heard_final(now, recognizer.result_text(self._free.Result()))
        else:
            turn.heard_partial(now, recognizer.result_text(self._free.PartialResult(), "partial"))
        if self._control and self._control.AcceptWaveform(chunk.data):
            turn.heard_grammar(now, recognizer.result_text(self._control.Result()))
        return turn.outcome(now)


class TextEar:
    """One line is one utterance; an empty line is silence; the end of the lines ends the input."""

    def __init__(self, lines: Iterator[str], commands: CommandWords, clock: Clock,
                 on_line: Callable[[str], None] | None = None) -> None:
        self.lines = lines
        self.commands = commands
        self.clock = clock
        self.on_line = on_line
        self.mode = "answer"

    def begin(self, mode: str) -> None:
        self.mode = mode

    def step(self) -> Event:
        line = next(self.lines, None)
        if line is None:
            return InputEnded()
        if self.on_line:
            self.on_line(line)
        text = line.strip()
        if not text:
            return NoAnswer()
        turn = Turn(self.mode, self.commands, TurnTiming(), self.clock.monotonic())
        turn.heard_final(self.clock.monotonic(), text)
        return turn.outcome(float("inf"))
