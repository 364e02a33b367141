"""Where sound comes from: the microphone, an audio file, or the demo's scripted partners.

A source gives `AudioChunk`s of about a tenth of a second. A live source (the microphone) runs
in real time; the others are read as fast as they are asked for (on a simulated clock, their
time passes as they are read: see timeline.py).
"""
from __future__ import annotations

import queue
from collections.abc import Callable
from pathlib import Path

from ..clock import Clock
from ..errors import UserError
from ..events import AudioChunk
from .convert import WavStream, WholeAudio, open_audio, resample, silence
from .device import device_rate, sounddevice

CHUNK_SECONDS = 0.1
TAP_SECONDS = 0.05  # the microphone's blocks, as the safe-word spotter hears them: half the wait of a chunk
# Seconds without sound before the microphone counts as gone: no callback at all, or only exact
# digital silence (all-zero samples), which a working microphone never gives for long (there is
# always some room noise), but a source the sound server suspended keeps calling back with.
MICROPHONE_QUIET_LIMIT = 3.0


class MicrophoneSource:
    live = True
    ended = False

    def __init__(self, clock: Clock, device=None) -> None:
        sd = sounddevice()
        self.clock = clock
        self.rate = device_rate(device, "input")
        self._audio: queue.Queue[bytes] = queue.Queue()
        self._taps: list[queue.Queue[bytes]] = []
        self._gathered = b""  # blocks not yet a whole chunk for the ear
        try:
            self._stream = sd.RawInputStream(
                samplerate=self.rate, blocksize=int(self.rate * TAP_SECONDS), device=device,
                channels=1, dtype="int16", callback=self._on_audio,
            )
            self._stream.start()
        except sd.PortAudioError as failure:
            raise UserError("no_audio", detail=str(failure).strip()) from failure
        self._last_sound_at = clock.monotonic()

    def _on_audio(self, data, frames, time_info, status) -> None:
        audio = bytes(data)  # runs in PortAudio's thread: never block here
        for tap in self._taps:  # the list is replaced, never changed, so this never races tap/untap
            tap.put(audio)
        self._gathered += audio
        if len(self._gathered) >= int(self.rate * CHUNK_SECONDS) * 2:
            self._audio.put(self._gathered)
            self._gathered = b""

    def tap(self) -> queue.Queue:
        """A queue that gets every piece of audio from now on, also while the assistant speaks,
        until it is given back with `untap` (a tap no one reads fills at the microphone's rate)."""
        tap: queue.Queue[bytes] = queue.Queue()
        self._taps = [*self._taps, tap]
        return tap

    def untap(self, tap: queue.Queue) -> None:
        self._taps = [t for t in self._taps if t is not tap]

    def read(self, timeout: float) -> AudioChunk | None:
        try:
            data = self._audio.get(timeout=timeout)
        except queue.Empty:
            data = b""
        # PortAudio has no hot-plug events: a microphone that is pulled out stops calling back, and
        # one the sound server suspended calls back with zeros.
        now = self.clock.monotonic()
        if data.strip(b"\0"):
            self._last_sound_at = now
        elif now - self._last_sound_at > MICROPHONE_QUIET_LIMIT:
            raise UserError("microphone_silent")
        return AudioChunk(data, self.rate) if data else None

    def new_turn(self) -> None:
        """Forget what was heard while the assistant spoke: that is not an answer."""
        while not self._audio.empty():
            self._audio.get_nowait()
        self._last_sound_at = self.clock.monotonic()

    def close(self) -> None:
        # abort, not stop: stop waits for a block still to come, forever from a source the sound
        # server suspended; nothing that is still on its way is wanted any more.
        self._stream.abort()
        self._stream.close()


class BufferedSource:
    """Audio held in memory, handed out chunk by chunk; `on_audio` hears every chunk taken."""

    live = False

    def __init__(self, rate: int, on_audio: Callable[[AudioChunk], None] | None = None) -> None:
        self.rate = rate
        self.on_audio = on_audio
        self._data = b""
        self._position = 0

    @property
    def ended(self) -> bool:
        return self._position >= len(self._data)

    def read(self, timeout: float) -> AudioChunk | None:
        if self.ended:
            return None
        size = int(self.rate * CHUNK_SECONDS) * 2
        chunk = AudioChunk(self._data[self._position:self._position + size], self.rate)
        self._position += size
        if self.on_audio:
            self.on_audio(chunk)
        return chunk

    def new_turn(self) -> None:
        pass

    def close(self) -> None:
        pass


class FileSource:
    """An audio file in any format ffmpeg reads (WAV needs nothing extra), heard as a microphone.

    The file is only taken while the assistant listens; a stretch of silence is added at its end
    so the last answer can end the usual way. A WAV file is read a chunk at a time (an hour of
    48 kHz stereo is never in memory whole); other formats are decoded whole by ffmpeg (see
    convert.py). One chunk is read ahead, so `ended` is true right after the last one is taken.
    """

    live = False

    def __init__(self, path: Path, tail_seconds: float, on_audio=None) -> None:
        self.path = path
        self.on_audio = on_audio
        self._audio: WavStream | WholeAudio | None = open_audio(path)
        self.rate = self._audio.rate
        self._frames = int(self.rate * CHUNK_SECONDS)
        self._tail = int(tail_seconds * self.rate) * 2  # bytes of silence still to come
        self._next = self._take()

    @property
    def ended(self) -> bool:
        return not self._next

    def _take(self) -> bytes:
        """The next chunk's bytes: the file's, then the silent tail; b"" when both are done."""
        size = self._frames * 2
        data = b""
        if self._audio is not None:
            try:
                data = self._audio.read(self._frames)
            except OSError as failure:
                self.close()
                raise UserError("bad_input", path=self.path) from failure
            if len(data) < size:
                self.close()  # the file is done: only the tail is left
        if len(data) < size and self._tail:
            padding = min(size - len(data), self._tail)
            data += bytes(padding)
            self._tail -= padding
        return data

    def read(self, timeout: float) -> AudioChunk | None:
        if self.ended:
            return None
        chunk = AudioChunk(self._next, self.rate)
        self._next = self._take()
        if self.on_audio:
            self.on_audio(chunk)
        return chunk

    def new_turn(self) -> None:
        pass

    def close(self) -> None:
        if self._audio is not None:
            self._audio.close()
            self._audio = None


class ScriptedSource(BufferedSource):
    """The demo's partners: each listening turn hears the next prepared answer, then silence."""

    def __init__(self, answers: list[AudioChunk], rate: int, pause_seconds: float, on_audio=None,
                 on_turn: Callable[[int], None] | None = None) -> None:
        super().__init__(rate, on_audio)
        self.on_turn = on_turn
        self._turns_taken = 0
        self._answers = [resample(a, rate) for a in answers]
        self._pause = silence(pause_seconds, rate).data
        self._lead = silence(0.3, rate).data

    def new_turn(self) -> None:
        if not self._answers:
            self._data, self._position = b"", 0
            return
        self._data = self._lead + self._answers.pop(0).data + self._pause
        self._position = 0
        if self.on_turn:
            self.on_turn(self._turns_taken)
        self._turns_taken += 1
