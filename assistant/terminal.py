"""Everything the assistant prints on the terminal: the transcript, what a command shows, one-sentence
problems, and the pause's countdown.

All of it goes through one `Terminal`, so lines never run into each other: a countdown redrawn
in place on a terminal is ended with a newline before anything else is printed. (The model check
`assistant.model_check` writes JSON for the process that started it: that is no terminal.)
"""
from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import TextIO


def countdown_text(seconds: float) -> str:
    """Time left as minutes and seconds ("19:05", "90:00"): the one format, on a terminal or not,
    in a session or in `assistant pause --status`. A second begun counts as a second left."""
    left = max(0, math.ceil(seconds))
    return f"{left // 60:02d}:{left % 60:02d}"


class Terminal:
    """`out` for the transcript and what commands show, `err` for problems; by default the process's
    stdout and stderr, looked up at each line (so a redirection made later still counts)."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self._out = out
        self._err = err
        self._countdown_step: str | int | None = None  # the countdown's second (live) or minute as last printed
        self._line_open = False  # a countdown line is on the screen without its newline

    @property
    def out(self) -> TextIO:
        return self._out or sys.stdout

    @property
    def err(self) -> TextIO:
        return self._err or sys.stderr

    def line(self, text: object = "") -> None:
        self._close_line()
        print(text, file=self.out, flush=True)

    def question(self, text: str) -> None:
        """A question answered on the same line."""
        self._close_line()
        print(text, end=" ", file=self.out, flush=True)

    def problem(self, sentence: str) -> None:
        self._close_line()
        print(sentence, file=self.err, flush=True)

    def countdown(self, seconds: float, sentence: Callable[[str], str]) -> None:
        """The time left of a pause, as `sentence(time)`: on a terminal its line is redrawn in place
        every second; elsewhere (a pipe, a file) a line is written at the start and then at each
        whole minute."""
        live = self.out.isatty()
        shown = countdown_text(seconds)
        step = shown if live else math.ceil(max(0.0, seconds) / 60)  # what must change for a new line
        if step == self._countdown_step:
            return
        self._countdown_step = step
        if live:
            print(f"\r{sentence(shown)}   ", end="", file=self.out, flush=True)
            self._line_open = True
        else:
            self.line(sentence(shown))

    def countdown_over(self) -> None:
        self._close_line()
        self._countdown_step = None

    def _close_line(self) -> None:
        if self._line_open:
            self._line_open = False
            print(file=self.out, flush=True)


TERMINAL = Terminal()  # the process has one terminal: every part that prints uses this one
