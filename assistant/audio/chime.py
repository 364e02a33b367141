"""The soft chime that ends a pause, made with pydub (no sound file to download or ship)."""
from __future__ import annotations

from pydub.generators import Sine

from ..events import AudioChunk

RATE = 22050  # Hertz
NOTES = (523.25, 659.25, 783.99)  # C5, E5, G5: a gentle rising chord, one note after the other
NOTE_MS = 450
VOLUME_DB = -20.0  # soft: well under the voice


def chime() -> AudioChunk:
    sound = Sine(NOTES[0], sample_rate=RATE).to_audio_segment(duration=0)
    for index, frequency in enumerate(NOTES):
        note = Sine(frequency, sample_rate=RATE).to_audio_segment(duration=NOTE_MS * (2 if index == 2 else 1),
                                                                  volume=VOLUME_DB)
        sound += note.fade_in(30).fade_out(NOTE_MS // (1 if index == 2 else 2))
    sound = sound.set_channels(1).set_sample_width(2)
    return AudioChunk(sound.raw_data, RATE)
