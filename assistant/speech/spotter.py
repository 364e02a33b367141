"""The safe-word spotter: its own recognizer on the shared model, fed every frame of audio.

A grammar of the safe word and [unk]: everything else falls into [unk]. A model without [unk]
would force every sound onto the safe word; there the grammar takes `distractors` instead, words
the model hears in ordinary speech (the Korean test model: see tests/fixtures/README.md), or,
with none given, the spotter searches the free recognizer's text.
"""
from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from ..text import normalize
from . import recognizer


def says_word(text: str, word: str) -> bool:
    """Whether recognised `text` holds `word` (normalized) as a word of its own."""
    return word in normalize(text).split()


@dataclass(frozen=True)
class Spotting:
    """When the spotter believes it heard the safe word."""

    # Consecutive partial results that must hold the safe word. One: a false hold never lasted
    # a single partial in any measurement (benchmarks/false_triggers.json), so more only waits.
    partials: int = 1
    confidence: float = 0.6  # or: the least confidence (0 to 1) of the word in a final result
    distractors: tuple[str, ...] = ()  # for a model without [unk] (see the module's note)


class Spotter:
    """Says when the safe word was heard, as `spotting` asks: held over consecutive partial
    results, or in a final result with enough confidence."""

    def __init__(self, model, rate: int, word: str, spotting: Spotting = Spotting()) -> None:
        self.word = normalize(word)
        self.partials = spotting.partials
        self.confidence = spotting.confidence
        self.uses_grammar = recognizer.has_unknown_word(model) or bool(spotting.distractors)
        self._model, self._rate = model, rate
        self._grammar = [self.word, *(w for w in spotting.distractors if normalize(w) != self.word)]
        self._renew()
        self._held = 0  # consecutive partial results that held the word
        self._fired = False  # this utterance already triggered

    def _renew(self) -> None:
        """A fresh recognizer: one that runs all session long keeps ever more features (see ear.Listening)."""
        if self.uses_grammar:
            self._recognizer = recognizer.grammar_recognizer(self._model, self._rate, self._grammar)
            self._recognizer.SetWords(True)
        else:
            self._recognizer = recognizer.free_recognizer(self._model, self._rate)
        self._heard_bytes = 0

    def feed(self, data: bytes) -> bool:
        """Take a piece of audio; True when the safe word was just heard (once per utterance)."""
        self._heard_bytes += len(data)
        if self._recognizer.AcceptWaveform(data):
            result = json.loads(self._recognizer.Result())
            if self.uses_grammar:
                hit = any(normalize(w["word"]) == self.word and w.get("conf", 1.0) >= self.confidence
                          for w in result.get("result", []))
            else:
                hit = says_word(result.get("text", ""), self.word)
            already, self._fired, self._held = self._fired, False, 0
            if self._heard_bytes > recognizer.RENEW_SECONDS * self._rate * 2:
                self._renew()
            return hit and not already
        partial = recognizer.result_text(self._recognizer.PartialResult(), "partial")
        self._held = self._held + 1 if says_word(partial, self.word) else 0
        if self._held >= self.partials and not self._fired:
            self._fired = True
            return True
        return False


class SpotterThread:
    """Runs a spotter over a live source's audio in its own thread (one recognizer per thread),
    so the safe word is heard while the assistant speaks, too."""

    def __init__(self, make_spotter: Callable[[], Spotter], audio: queue.Queue, heard: Callable[[], None]) -> None:
        self._make_spotter = make_spotter
        self._audio = audio
        self._heard = heard
        self._stopping = threading.Event()
        self.failed: BaseException | None = None  # why the thread ended early; the ear then spots itself
        self._thread = threading.Thread(target=self._run, name="safe-word", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            spotter = self._make_spotter()
            while not self._stopping.is_set():
                try:
                    data = self._audio.get(timeout=0.1)
                except queue.Empty:
                    continue
                if spotter.feed(data):
                    self._heard()
        except Exception as failure:  # noqa: BLE001 - never a traceback from this thread; the ear takes over
            self.failed = failure

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=2)
