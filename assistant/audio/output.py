"""Where the assistant's voice goes: the speaker, a WAV file, or nowhere (--quiet)."""
from __future__ import annotations

import threading
import wave
from pathlib import Path

from ..clock import Clock
from ..errors import UserError
from ..events import AudioChunk
from .convert import SAMPLE_WIDTH, resample
from .device import device_rate, sounddevice

BLOCK_SECONDS = 0.05  # playback is written in small blocks so it can be cut off quickly


class SpeakerOutput:
    def __init__(self, clock: Clock, device=None) -> None:
        sd = sounddevice()
        self.clock = clock
        self.rate = device_rate(device, "output")
        try:
            self._stream = sd.RawOutputStream(samplerate=self.rate, device=device, channels=1, dtype="int16")
            self._stream.start()
        except sd.PortAudioError as failure:
            raise UserError("no_audio", detail=str(failure).strip()) from failure

    def play(self, chunk: AudioChunk, interrupt: threading.Event | None = None) -> bool:
        """Blocks until the sound is handed to the device; False when `interrupt` cut it off."""
        data = resample(chunk, self.rate).data
        block = int(self.rate * BLOCK_SECONDS) * SAMPLE_WIDTH
        for start in range(0, len(data), block):
            if interrupt is not None and interrupt.is_set():
                self._stream.abort()  # drop what the device still holds: silence at once
                self._stream.start()
                return False
            self._stream.write(data[start:start + block])
        self.clock.advance(chunk.seconds)  # on a real clock this is a no-op
        return True

    def record(self, chunk: AudioChunk) -> None:
        """What a partner said is never played back."""

    def close(self) -> None:
        self._stream.stop()
        self._stream.close()


class WavFileOutput:
    """The whole session in one WAV file: the voice, and in file and demo mode the answers too."""

    RATE = 22050  # Hertz, pyttsx3's own rate

    def __init__(self, path: Path, clock: Clock) -> None:
        self.path = path
        self.clock = clock
        try:
            self._wav = wave.open(str(path), "wb")
        except OSError as failure:
            raise UserError("bad_output", path=path) from failure
        self._wav.setnchannels(1)
        self._wav.setsampwidth(SAMPLE_WIDTH)
        self._wav.setframerate(self.RATE)

    def play(self, chunk: AudioChunk, interrupt: threading.Event | None = None) -> bool:
        self._wav.writeframes(resample(chunk, self.RATE).data)
        self.clock.advance(chunk.seconds)  # on a real clock this is a no-op
        return True

    def record(self, chunk: AudioChunk) -> None:
        self._wav.writeframes(resample(chunk, self.RATE).data)

    def close(self) -> None:
        self._wav.close()


class NoOutput:
    def play(self, chunk: AudioChunk, interrupt: threading.Event | None = None) -> bool:
        return True

    def record(self, chunk: AudioChunk) -> None:
        pass

    def close(self) -> None:
        pass
