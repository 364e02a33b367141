"""The voice: pyttsx3 synthesis in one dedicated thread, cached on disk per (text, voice, rate).

pyttsx3's own playback (a blocking `aplay`) gives no start and end times and can't be cut off,
so the voice only synthesises to WAV; playing is the audio output's job.
"""
from __future__ import annotations

import hashlib
import os
import queue
import tempfile
import threading
import wave
from concurrent.futures import Future
from pathlib import Path

from ..events import AudioChunk

SYNTHESIS_TIMEOUT = 20.0  # seconds: far longer than any prompt takes

try:
    import pyttsx3
except ImportError as missing:  # pragma: no cover - the install hint is the point
    raise ImportError("pyttsx3 is not installed: run scripts/run.sh or `pip install pyttsx3`.") from missing


def _silence_espeak_driver() -> None:
    # The espeak driver prints "Audio saved to ..." on stdout after every file, which would
    # end up in the transcript; a module-level `print` shadows the builtin for that module only.
    try:
        from pyttsx3.drivers import espeak
    except Exception:  # another platform's driver
        return
    espeak.print = lambda *args, **kwargs: None


class Voice:
    """Turns text into audio. All pyttsx3 calls happen in one thread that owns the engine."""

    def __init__(self, cache_dir: Path, voice: str | None, rate: int) -> None:
        self.cache_dir = cache_dir
        self.voice = voice
        self.rate = rate  # words per minute
        self._requests: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._serve, name="voice", daemon=True)
        self._thread.start()

    def synthesize(self, text: str, voice: str | None = None) -> AudioChunk:
        voice = voice or self.voice
        path = self._cache_path(text, voice)
        if not path.exists():
            done: Future = Future()
            self._requests.put((text, voice, path, done))
            done.result()
        with wave.open(str(path), "rb") as wav:
            return AudioChunk(wav.readframes(wav.getnframes()), wav.getframerate())

    def close(self) -> None:
        self._requests.put(None)
        self._thread.join(timeout=5)

    def _cache_path(self, text: str, voice: str | None) -> Path:
        key = hashlib.sha256(f"{voice}\0{self.rate}\0{text}".encode()).hexdigest()
        return self.cache_dir / f"{key}.wav"

    def _serve(self) -> None:
        _silence_espeak_driver()
        engine = None
        finished = threading.Event()
        while (request := self._requests.get()) is not None:
            text, voice, path, done = request
            try:
                if engine is None:
                    engine = pyttsx3.init()
                    engine.connect("finished-utterance", lambda **_: finished.set())
                self._write(engine, finished, text, voice, path)
            except Exception as failure:
                done.set_exception(failure)
            else:
                done.set_result(path)

    def _write(self, engine, finished: threading.Event, text: str, voice: str | None, path: Path) -> None:
        if voice:
            try:
                engine.setProperty("voice", voice)
            except (ValueError, KeyError):
                pass  # an espeak voice name on another platform's engine: keep its default voice
        engine.setProperty("rate", self.rate)
        self.cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, scratch = tempfile.mkstemp(suffix=".wav", dir=self.cache_dir)
        os.close(handle)
        finished.clear()
        engine.save_to_file(text, scratch)
        engine.runAndWait()
        # The espeak driver's runAndWait can return before espeak's own thread has written the
        # file (seen under load: an empty WAV); it signals the end only through this event.
        if not finished.wait(SYNTHESIS_TIMEOUT):
            os.unlink(scratch)
            raise RuntimeError(f"speech synthesis did not finish within {SYNTHESIS_TIMEOUT} s")
        os.replace(scratch, path)  # atomic: a cached prompt is whole or absent
