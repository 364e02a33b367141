"""The vosk adapter: load a model once, check words against it, make recognizers."""
from __future__ import annotations

import json
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UserError
from .commands import UNKNOWN_WORD
from .turns import Word

if TYPE_CHECKING:
    from vosk import KaldiRecognizer, Model

# A recognizer older than this is made afresh (the free one restarted) at its next final result
# (free, control words and spotter alike): vosk keeps a recognizer's feature pipeline from its first sample.
RENEW_SECONDS = 60.0


@cache
def _vosk():
    """vosk, imported on first use: in the model-loading thread, while the greeting is spoken
    (the import alone takes about 0.1 s)."""
    try:
        import vosk
    except ImportError as missing:  # pragma: no cover - the install hint is the point
        raise ImportError("vosk is not installed: run scripts/run.sh or `pip install vosk`.") from missing
    vosk.SetLogLevel(-2)  # errors only: Kaldi prints warnings at -1
    return vosk

# Files every usable vosk model has; checked first because a broken model can abort the process.
REQUIRED_MODEL_FILES = ("am/final.mdl", "conf/model.conf")


def load_model(path: Path) -> Model:
    for name in REQUIRED_MODEL_FILES:
        if not (path / name).is_file():
            raise UserError("bad_model", path=path, models_dir=path.parent)
    try:
        return _vosk().Model(str(path))
    except Exception as failure:
        raise UserError("bad_model", path=path, models_dir=path.parent) from failure


def load_model_in_background(path: Path) -> Future:
    """Start loading now, so the first prompt can be spoken while the model loads."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="model-loader")
    future = executor.submit(load_model, path)
    executor.shutdown(wait=False)
    return future


def missing_words(model: Model, words: set[str]) -> list[str]:
    """The words the model's vocabulary lacks; a grammar silently drops them otherwise."""
    return sorted(w for w in words if model.vosk_model_find_word(w) == -1)


def has_unknown_word(model: Model) -> bool:
    return model.vosk_model_find_word(UNKNOWN_WORD) != -1


def free_recognizer(model: Model, rate: int) -> KaldiRecognizer:
    recognizer = _vosk().KaldiRecognizer(model, rate)
    recognizer.SetWords(True)
    recognizer.SetPartialWords(True)
    return recognizer


class SessionRecognizer:
    """A free recognizer kept from turn to turn, started afresh at each `restart()`.

    A new vosk recognizer composes its decoding graph (HCLr.fst with Gr.fst) as speech reaches it:
    about 2 s of CPU at its first words. After `FinalResult()` vosk keeps that graph but begins the
    next sample on a new feature pipeline and decoder, so a restarted recognizer hears what a new
    one would: the same texts and final word times (partial word times within a few ms).
    `Reset()` would carry the feature pipeline and its adaptation on, and hear less.
    The kept graph grows with the speech decoded (about 25 MB a minute), so after
    `RENEW_SECONDS` of audio the next restart makes a new recognizer.
    """

    def __init__(self, model: Model, rate: int) -> None:
        self.model = model
        self._recognizer = free_recognizer(model, rate)
        self._rate = rate
        self._samples = 0  # fed so far: vosk's word times run on from its first sample
        self.started = 0.0  # the recognizer's time at the first sample since the last restart

    def restart(self) -> None:
        if self._samples > RENEW_SECONDS * self._rate:
            self._recognizer, self._samples = free_recognizer(self.model, self._rate), 0
        else:
            # FinalResult() finishes only an utterance that is running; after Result() none is,
            # and vosk would go on with the old pipeline: the empty piece starts one.
            self._recognizer.AcceptWaveform(b"")
            self._recognizer.FinalResult()
        self.started = self._samples / self._rate

    def accept(self, data: bytes) -> bool:
        """Feed 16-bit mono audio; True at the end of an utterance (read it with `result`)."""
        self._samples += len(data) // 2
        return self._recognizer.AcceptWaveform(data)

    def result(self) -> str:
        return self._recognizer.Result()

    def partial(self) -> str:
        return self._recognizer.PartialResult()


def grammar_recognizer(model: Model, rate: int, phrases: list[str]) -> KaldiRecognizer:
    """A recognizer that hears only `phrases` (plus [unk], for everything else, where the model has it)."""
    grammar = list(phrases) + ([UNKNOWN_WORD] if has_unknown_word(model) else [])
    # ensure_ascii=False: with escaped non-ASCII, vosk silently drops words like "één".
    # No word times here: with SetPartialWords(True), vosk drops a lone short word from the partials.
    return _vosk().KaldiRecognizer(model, rate, json.dumps(grammar, ensure_ascii=False))


def result_text(result_json: str, field: str = "text") -> str:
    return json.loads(result_json).get(field, "")


def read_result(result_json: str, partial: bool = False, offset: float = 0.0) -> tuple[str, list[Word]]:
    """The text of a vosk result and its words with their times, plus `offset` seconds (when the
    recognizer started after the turn did)."""
    result = json.loads(result_json)
    text = result.get("partial" if partial else "text", "")
    timed = result.get("partial_result" if partial else "result", [])
    return text, [Word(w["word"], w["start"] + offset, w["end"] + offset) for w in timed]
