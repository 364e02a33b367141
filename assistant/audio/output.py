"""Where the assistant's voice goes: the speaker, a WAV file, or nowhere (--quiet)."""
from __future__ import annotations

import contextlib
import threading
import wave
from pathlib import Path

from ..errors import UserError
from ..events import AudioChunk
from ..files import CannotOpen, open_private
from .convert import SAMPLE_WIDTH, resample, resampled_blocks
from .device import device_rate, sounddevice

BLOCK_SECONDS = 0.05  # playback is written in small blocks so it can be cut off quickly


class SpeakerOutput:
    def __init__(self, device=None) -> None:
        sd = sounddevice()
        self.rate = device_rate(device, "output")
        try:
            self._stream = sd.RawOutputStream(samplerate=self.rate, device=device, channels=1, dtype="int16")
            self._stream.start()
        except sd.PortAudioError as failure:
            raise UserError("no_audio", detail=str(failure).strip()) from failure

    def play(self, chunk: AudioChunk, interrupt: threading.Event | None = None) -> bool:
        """Blocks until the sound is handed to the device; False when `interrupt` cut it off."""
        for block in resampled_blocks(chunk, self.rate, BLOCK_SECONDS):
            if interrupt is not None and interrupt.is_set():
                self._stream.abort()  # drop what the device still holds: silence at once
                self._stream.start()
                return False
            self._stream.write(block)
        return True

    def record(self, chunk: AudioChunk) -> None:
        """What a partner said is never played back."""

    def close(self) -> None:
        self._stream.stop()
        self._stream.close()


class WavFileOutput:
    """The whole session in one WAV file: the voice, and in file and demo mode the answers too.

    The file is the user's alone (0600, a planted symbolic link refused: see files.py); a write
    that fails (a full disk) ends the session with one sentence.
    """

    RATE = 22050  # Hertz, pyttsx3's own rate

    def __init__(self, path: Path) -> None:
        self.path = path
        # The file is opened here, not by `wave`: a failed open inside wave.open leaves a half-made
        # writer whose clean-up prints "Exception ignored" after the sentence.
        try:
            self._file = open_private(path, append=False, mode="wb")
        except CannotOpen:
            raise UserError("bad_output", path=path) from None
        self._wav: wave.Wave_write | None = wave.open(self._file, "wb")
        self._wav.setnchannels(1)
        self._wav.setsampwidth(SAMPLE_WIDTH)
        self._wav.setframerate(self.RATE)

    def play(self, chunk: AudioChunk, interrupt: threading.Event | None = None) -> bool:
        self._write(chunk)
        return True

    def record(self, chunk: AudioChunk) -> None:
        self._write(chunk)

    def _write(self, chunk: AudioChunk) -> None:
        if self._wav is None:
            return
        try:
            self._wav.writeframes(resample(chunk, self.RATE).data)
        except OSError as failure:
            self._abandon()
            raise UserError("write_failed", path=self.path) from failure

    def _abandon(self) -> None:
        wav, self._wav = self._wav, None
        if wav is not None:
            with contextlib.suppress(OSError):
                wav.close()  # once tried, its own clean-up has nothing left to do
        with contextlib.suppress(OSError):
            self._file.close()

    def close(self) -> None:
        if self._wav is None:
            return
        wav, self._wav = self._wav, None
        try:
            wav.close()  # writes the final lengths into the header
            self._file.close()
        except OSError as failure:
            with contextlib.suppress(OSError):
                self._file.close()
            raise UserError("write_failed", path=self.path) from failure


class NoOutput:
    def play(self, chunk: AudioChunk, interrupt: threading.Event | None = None) -> bool:
        return True

    def record(self, chunk: AudioChunk) -> None:
        pass

    def close(self) -> None:
        pass
