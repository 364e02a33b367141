"""The voice: pyttsx3 synthesis in one dedicated thread, cached on disk per (text, voice, rate).

pyttsx3's own playback (a blocking `aplay`) gives no start and end times and can't be cut off,
so the voice only synthesises to WAV; playing is the audio output's job.

- Long text is spoken in pieces of at most PIECE_CHARS characters, cut at sentence ends (a
  sentence longer than that at a space): espeak crashes the whole process (a segfault) on one
  utterance of about 16,000 characters, and a piece at a time keeps every wait short.
- Every piece is synthesised into a private scratch file in memory (/dev/shm; elsewhere a
  private temporary file), read, checked (it has frames at a sane rate, else it is made again,
  up to SYNTHESIS_TRIES times) and deleted at once. Only a checked WAV is copied into the cache,
  atomically; a cache file that can't be read is deleted and made again.
- `private=True` (a sentence that carries what someone said, such as a read-back answer)
  never reaches the cache: nothing a person said is kept on disk without their yes.
- A cache folder that can't be written (a read-only home, a full disk) doesn't stop anything:
  the voice speaks without caching and says so once, through `warn`.
- A synthesis that fails or doesn't finish in time, or a voice thread that is gone, raises
  UserError("voice_failed"): one sentence that ends the session, never a wait without end.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import os
import queue
import re
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from ..errors import UserError
from ..events import AudioChunk
from ..text import without_surrogates

SYNTHESIS_TIMEOUT = 20.0  # seconds for one piece: far longer than any piece takes
SYNTHESIS_TRIES = 5  # an empty piece is made again up to this many times in all (each try takes milliseconds)
RETRY_PAUSE = 0.05  # seconds before the second try, twice that before the third, ...: what empties a piece passes
REPLY_MARGIN = 5.0  # seconds the caller waits beyond that for the voice thread's reply
PIECE_CHARS = 400  # characters: the longest text handed to espeak at once
RATE = 22050  # Hertz: what pyttsx3's espeak driver writes
SANE_RATES = range(8000, 192001)  # Hertz: a WAV outside this is broken
STALE_SECONDS = 120.0  # a scratch or partial file this old was left by an interrupted run
SCRATCH_PREFIX = "assistant-voice-"  # scratch files in /dev/shm or the temporary folder
PARTIAL_PREFIX = ".partial-"  # a cache file being written
_SENTENCE_END = re.compile(r"(?<=[.!?…:;])\s+")

try:
    import pyttsx3
except ImportError as missing:  # pragma: no cover - the install hint is the point
    raise ImportError("pyttsx3 is not installed: run scripts/run.sh or `pip install pyttsx3`.") from missing


class _DriverQuiet:
    """The espeak driver prints "Audio saved to ..." on stdout after every file, which would end
    up in the transcript. While a voice synthesises (and only then), a `print` of the driver's own
    module shadows the builtin there, and nowhere else; when the last voice is done it is gone."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._synthesising = 0

    @staticmethod
    def _driver():
        try:
            from pyttsx3.drivers import espeak
        except Exception:  # another platform's driver
            return None
        return espeak

    def __enter__(self) -> None:
        with self._lock:
            self._synthesising += 1
            if self._synthesising == 1 and (driver := self._driver()) is not None:
                driver.print = _say_nothing

    def __exit__(self, *_) -> None:
        with self._lock:
            self._synthesising -= 1
            driver = self._driver()
            if self._synthesising == 0 and driver is not None and vars(driver).get("print") is _say_nothing:
                del driver.print


def _say_nothing(*_args, **_kwargs) -> None:
    pass


_DRIVER_QUIET = _DriverQuiet()  # one for every voice: the driver's module is one for the process


class _QuietStart:
    """File descriptor 2 sent to /dev/null while espeak-ng starts. Its start-up opens a sound
    connection this voice never uses (it only synthesises), and libpulse prints "Failed to create
    secure directory" there when the home folder is read-only. The main thread is waiting for the
    voice meanwhile, so none of the program's own messages are lost; if it stops waiting (a start
    that hangs), it puts stderr back itself before it says why."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._saved: int | None = None

    def __enter__(self) -> None:
        with self._lock:
            try:
                sys.stderr.flush()
                saved = os.dup(2)
            except (OSError, ValueError):
                return
            try:
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, 2)
                os.close(null)
            except OSError:
                os.close(saved)
                return
            self._saved = saved

    def __exit__(self, *_) -> None:
        self.undo()

    def undo(self) -> None:
        with self._lock:
            if self._saved is not None:
                os.dup2(self._saved, 2)
                os.close(self._saved)
                self._saved = None


def pieces(text: str, limit: int = PIECE_CHARS) -> list[str]:
    """`text` as pieces of at most `limit` characters: whole sentences where they fit, joined
    while they fit; a longer sentence is cut at the last space before the limit (or at it)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return [text] if text else []
    parts: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        while len(sentence) > limit:
            cut = sentence.rfind(" ", limit // 2, limit + 1)
            cut = cut if cut > 0 else limit
            parts.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if sentence:
            parts.append(sentence)
    joined: list[str] = []
    for part in parts:
        if joined and len(joined[-1]) + 1 + len(part) <= limit:
            joined[-1] += " " + part
        else:
            joined.append(part)
    return joined


def read_wav(path: Path) -> AudioChunk | None:
    """The mono 16-bit audio in `path`, or None when it is missing, unreadable, empty or odd."""
    try:
        with wave.open(str(path), "rb") as wav:
            if wav.getnchannels() != 1 or wav.getsampwidth() != 2 or wav.getframerate() not in SANE_RATES:
                return None
            frames = wav.getnframes()
            data = wav.readframes(frames)
            rate = wav.getframerate()
    except (OSError, EOFError, wave.Error, ValueError):
        return None
    if frames == 0 or len(data) != frames * 2:
        return None
    return AudioChunk(data, rate)


def scratch_dir() -> Path:
    """Where synthesis writes: memory (/dev/shm) where there is such a place, else the temp folder."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK):
        return shm
    return Path(tempfile.gettempdir())


class Voice:
    """Turns text into audio. All pyttsx3 calls happen in one thread that owns the engine."""

    def __init__(self, cache_dir: Path, voice: str | None, rate: int,
                 warn: Callable[[UserError], None] | None = None) -> None:
        self.cache_dir = cache_dir
        self.voice = voice
        self.rate = rate  # words per minute
        self.warn = warn  # told once when the cache can't be written
        self._caching = True
        self._broken: UserError | None = None
        self._quiet_start = _QuietStart()
        self._requests: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._serve, name="voice", daemon=True)
        self._thread.start()

    def synthesize(self, text: str, voice: str | None = None, private: bool = False) -> AudioChunk:
        """`text` spoken, in pieces joined into one sound; `private`: never cached."""
        voice = voice or self.voice
        # without_surrogates: a name given in another encoding can't be passed to espeak as UTF-8
        sounds = [self._piece(piece, voice, private) for piece in pieces(without_surrogates(text))]
        rate = sounds[0].rate if sounds else RATE
        return AudioChunk(b"".join(_at_rate(s, rate).data for s in sounds), rate)

    def close(self) -> None:
        self._requests.put(None)
        self._thread.join(timeout=0 if self._broken else 5)  # a stuck voice thread is not waited for

    # --- one piece -----------------------------------------------------------------------------
    def _piece(self, text: str, voice: str | None, private: bool) -> AudioChunk:
        path = None if private else self._cache_path(text, voice)
        if path is not None:
            cached = read_wav(path)
            if cached is not None:
                return cached
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)  # a broken entry heals: made again below
        # espeak now and then ends a piece at once, with no sound (seen in a process's later voices,
        # several times in a row); asked again a moment later, it speaks
        sound = None
        for attempt in range(SYNTHESIS_TRIES):
            if attempt:
                time.sleep(RETRY_PAUSE * attempt)
            if (sound := self._synthesise(text, voice)) is not None:
                break
        if sound is None:
            return AudioChunk(b"", RATE)  # nothing came out at all: the line stays on the screen only
        if path is not None and self._caching:
            self._keep(path, sound)
        return sound

    def _cache_path(self, text: str, voice: str | None) -> Path:
        key = hashlib.sha256(f"{voice}\0{self.rate}\0{text}".encode()).hexdigest()
        return self.cache_dir / f"{key}.wav"

    def _synthesise(self, text: str, voice: str | None) -> AudioChunk | None:
        """One piece made by the voice thread in a private scratch file, read and deleted at once."""
        if self._broken is None and not self._thread.is_alive():
            self._broken = UserError("voice_failed")
        if self._broken is not None:
            raise self._broken
        try:
            handle, scratch = tempfile.mkstemp(prefix=SCRATCH_PREFIX, suffix=".wav", dir=scratch_dir())  # 0600
            os.close(handle)
        except OSError as failure:
            raise UserError("voice_failed") from failure
        try:
            done: Future = Future()
            self._requests.put((text, voice, scratch, done))
            try:
                done.result(timeout=SYNTHESIS_TIMEOUT + REPLY_MARGIN)
            except FutureTimeout:
                self._quiet_start.undo()  # a start-up that hangs keeps no hold on stderr
                self._broken = UserError("voice_failed")
                raise self._broken from None
            except Exception as failure:
                self._quiet_start.undo()
                self._broken = UserError("voice_failed")
                raise self._broken from failure
            return read_wav(Path(scratch))
        finally:
            with contextlib.suppress(OSError):
                os.unlink(scratch)

    def _keep(self, path: Path, sound: AudioChunk) -> None:
        """Put a checked sound in the cache, whole or not at all; a cache that can't be written
        is left alone from then on (said once)."""
        wav = io.BytesIO()  # made in memory: a full disk fails one write, never half a header
        with wave.open(wav, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(sound.rate)
            out.writeframes(sound.data)
        partial = None
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle, partial = tempfile.mkstemp(prefix=PARTIAL_PREFIX, suffix=".wav", dir=self.cache_dir)
            with os.fdopen(handle, "wb") as file:
                file.write(wav.getvalue())
            os.replace(partial, path)
        except OSError:
            if partial:
                with contextlib.suppress(OSError):
                    os.unlink(partial)
            self._caching = False
            if self.warn:
                self.warn(UserError("voice_cache_off", path=self.cache_dir))

    # --- the voice thread ----------------------------------------------------------------------
    def _serve(self) -> None:
        waiting: Future | None = None
        try:
            self._clean_stale()
            engine = None
            finished = threading.Event()
            while (request := self._requests.get()) is not None:
                text, voice, scratch, waiting = request
                try:
                    if engine is None:
                        with self._quiet_start:
                            engine = pyttsx3.init()
                        engine.connect("finished-utterance", lambda **_: finished.set())
                    self._write(engine, finished, text, voice, scratch)
                except Exception as failure:
                    waiting.set_exception(failure)
                else:
                    waiting.set_result(scratch)
                waiting = None
        finally:
            # Whatever ended this thread, nobody may wait for it: fail what was asked.
            stopped = RuntimeError("the voice thread stopped")
            if waiting is not None and not waiting.done():
                waiting.set_exception(stopped)
            while True:
                try:
                    request = self._requests.get_nowait()
                except queue.Empty:
                    break
                if request is not None:
                    request[3].set_exception(stopped)

    def _write(self, engine, finished: threading.Event, text: str, voice: str | None, scratch: str) -> None:
        if voice:
            try:
                engine.setProperty("voice", voice)
            except (ValueError, KeyError):
                pass  # an espeak voice name on another platform's engine: keep its default voice
        engine.setProperty("rate", self.rate)
        finished.clear()
        with _DRIVER_QUIET:
            engine.save_to_file(text, scratch)
            engine.runAndWait()
            # The espeak driver's runAndWait can return before espeak's own thread has written the
            # file (seen under load: an empty WAV); it signals the end only through this event.
            if not finished.wait(SYNTHESIS_TIMEOUT):
                raise RuntimeError(f"speech synthesis did not finish within {SYNTHESIS_TIMEOUT} s")

    def _clean_stale(self) -> None:
        """Remove what interrupted runs left: partial cache files, older temporaries, scratch files."""
        now = time.time()
        places = [(self.cache_dir, PARTIAL_PREFIX + "*"), (self.cache_dir, "tmp*.wav"),
                  (scratch_dir(), SCRATCH_PREFIX + "*")]
        for folder, pattern in places:
            with contextlib.suppress(OSError):
                for path in folder.glob(pattern):
                    with contextlib.suppress(OSError):
                        if now - path.lstat().st_mtime > STALE_SECONDS:
                            path.unlink()


def _at_rate(sound: AudioChunk, rate: int) -> AudioChunk:
    if sound.rate == rate:
        return sound
    from ..audio.convert import resample

    return resample(sound, rate)
