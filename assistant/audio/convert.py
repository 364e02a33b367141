"""Audio conversion through pydub: any file to mono 16-bit, and resampling between rates."""
from __future__ import annotations

from pathlib import Path

from ..errors import UserError
from ..events import AudioChunk

try:
    from pydub import AudioSegment
    from pydub.exceptions import CouldntDecodeError
except ImportError as missing:  # pragma: no cover - the install hint is the point
    raise ImportError("pydub is not installed: run scripts/run.sh or `pip install pydub`.") from missing

SAMPLE_WIDTH = 2  # bytes: 16-bit PCM everywhere


def read_audio_file(path: Path) -> AudioChunk:
    """The whole file as mono 16-bit PCM at its own rate (vosk takes any rate)."""
    if not path.is_file():
        raise UserError("no_input_file", path=path)
    try:
        segment = AudioSegment.from_file(str(path))
    except (CouldntDecodeError, FileNotFoundError, IndexError, OSError) as failure:
        # FileNotFoundError here means ffmpeg itself is missing for a non-WAV file.
        raise UserError("bad_input", path=path) from failure
    if len(segment) == 0:
        raise UserError("bad_input", path=path)
    segment = segment.set_channels(1).set_sample_width(SAMPLE_WIDTH)
    return AudioChunk(segment.raw_data, segment.frame_rate)


def resample(chunk: AudioChunk, rate: int) -> AudioChunk:
    if chunk.rate == rate:
        return chunk
    segment = AudioSegment(chunk.data, sample_width=SAMPLE_WIDTH, frame_rate=chunk.rate, channels=1)
    return AudioChunk(segment.set_frame_rate(rate).raw_data, rate)


def silence(seconds: float, rate: int) -> AudioChunk:
    return AudioChunk(bytes(int(seconds * rate) * SAMPLE_WIDTH), rate)
