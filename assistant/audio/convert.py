"""Audio conversion: any file to mono 16-bit, and resampling between rates.

WAV files are read here, a block at a time (`open_audio`): 8, 16, 24 and 32-bit integer PCM and
32 and 64-bit float, any number of channels, mixed down to mono 16-bit block by block, so an hour
of 48 kHz stereo never sits in memory whole. The rate stays the file's own: vosk takes any rate,
and not resampling leaves no seams between blocks. Other formats (and WAV codecs such as ADPCM)
go through pydub and ffmpeg, which decode the whole file at once: that stays whole.
"""
from __future__ import annotations

import struct
import sys
import warnings
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import UserError
from ..events import AudioChunk

try:
    from pydub import AudioSegment
    from pydub.exceptions import CouldntDecodeError
except ImportError as missing:  # pragma: no cover - the install hint is the point
    raise ImportError("pydub is not installed: run scripts/run.sh or `pip install pydub`.") from missing
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # from Python 3.13: the audioop-lts package
    import audioop

SAMPLE_WIDTH = 2  # bytes: 16-bit PCM everywhere
PCM, FLOAT, EXTENSIBLE = 0x0001, 0x0003, 0xFFFE  # WAV format tags
INTEGER_WIDTHS = (1, 2, 3, 4)  # bytes per sample of integer PCM
FLOAT_WIDTHS = (4, 8)  # bytes per sample of IEEE float
MAX_CHANNELS = 64
RATES = range(1000, 768001)  # Hertz: outside this a header is broken
LITTLE_ENDIAN = sys.byteorder == "little"  # WAV samples are little-endian; audioop and array are native


class WavStream:
    """A WAV file as mono 16-bit PCM at its own rate, `read` a block of frames at a time."""

    def __init__(self, file: BinaryIO, path: Path) -> None:
        self._file = file
        self.path = path
        tag, self.channels, self.rate, self.width, self._left = _parse_header(file, path)
        self.floating = tag == FLOAT
        self._frame = self.channels * self.width  # bytes per frame in the file

    @property
    def frames_left(self) -> int | None:
        return None if self._left is None else self._left // self._frame

    def read(self, frames: int) -> bytes:
        """Up to `frames` frames as mono 16-bit; b"" at the end."""
        size = frames * self._frame
        if self._left is not None:
            size = min(size, self._left)
        data = self._file.read(size) if size > 0 else b""
        if self._left is not None:
            self._left = self._left - len(data) if data else 0  # a file shorter than its header ends here
        data = data[:len(data) - len(data) % self._frame]  # a cut-off last frame is dropped
        if not data:
            return b""
        return to_mono16(data, self.width, self.channels, self.floating)

    def close(self) -> None:
        self._file.close()


class WholeAudio:
    """Audio decoded at once (pydub, ffmpeg), read like a WavStream."""

    def __init__(self, chunk: AudioChunk) -> None:
        self.rate = chunk.rate
        self._data = chunk.data
        self._position = 0

    def read(self, frames: int) -> bytes:
        data = self._data[self._position:self._position + frames * SAMPLE_WIDTH]
        self._position += len(data)
        return data

    def close(self) -> None:
        self._data = b""


def open_audio(path: Path) -> WavStream | WholeAudio:
    """`path` ready to be read block by block: a WAV streamed, anything else decoded whole."""
    if not path.is_file():
        raise UserError("no_input_file", path=path)
    try:
        file = open(path, "rb")
    except OSError as failure:
        raise UserError("bad_input", path=path) from failure
    try:
        if file.read(12)[8:12] == b"WAVE":
            file.seek(0)
            try:
                stream = WavStream(file, path)
            except _OtherCodec:
                file.close()
                return WholeAudio(_decode_whole(path))
            if stream.frames_left == 0:
                raise UserError("bad_input", path=path)
            return stream
    except BaseException:
        file.close()
        raise
    file.close()
    return WholeAudio(_decode_whole(path))


def read_audio_file(path: Path) -> AudioChunk:
    """The whole file as mono 16-bit PCM at its own rate (vosk takes any rate)."""
    audio = open_audio(path)
    blocks = []
    try:
        while block := audio.read(audio.rate):
            blocks.append(block)
    except OSError as failure:
        raise UserError("bad_input", path=path) from failure
    finally:
        audio.close()
    if not blocks:
        raise UserError("bad_input", path=path)
    return AudioChunk(b"".join(blocks), audio.rate)


def to_mono16(data: bytes, width: int, channels: int, floating: bool = False) -> bytes:
    """Little-endian interleaved samples (`width` bytes each; float when `floating`) as mono 16-bit."""
    if floating:
        floats = array("f" if width == 4 else "d", data)
        if not LITTLE_ENDIAN:
            floats.byteswap()
        data = _floats_to_pcm16(floats)
    else:
        if not LITTLE_ENDIAN:
            data = audioop.byteswap(data, width)
        if width == 1:
            data = audioop.bias(data, 1, -128)  # 8-bit WAV is unsigned
        if width != SAMPLE_WIDTH:
            data = audioop.lin2lin(data, width, SAMPLE_WIDTH)
    if channels == 2:
        data = audioop.tomono(data, SAMPLE_WIDTH, 0.5, 0.5)
    elif channels > 2:
        # Each channel scaled by 1/channels in 32 bits (so the rounding stays far below one 16-bit
        # step), summed, and back to 16 bits.
        samples = array("h", data)
        parts = [audioop.mul(audioop.lin2lin(samples[c::channels].tobytes(), SAMPLE_WIDTH, 4), 4, 1 / channels)
                 for c in range(channels)]
        data = parts[0]
        for part in parts[1:]:
            data = audioop.add(data, part, 4)
        data = audioop.lin2lin(data, 4, SAMPLE_WIDTH)
    return _little(data)


def _floats_to_pcm16(values) -> bytes:
    """Floats in -1..1 as 16-bit samples, rounded; beyond that clipped, NaN as silence."""
    return array("h", [32767 if x >= 1.0 else -32767 if x <= -1.0 else int(x * 32767.0 + (0.5 if x > 0 else -0.5))
                       if x == x else 0 for x in values]).tobytes()


def _little(data: bytes) -> bytes:
    return data if LITTLE_ENDIAN else audioop.byteswap(data, SAMPLE_WIDTH)


class _OtherCodec(Exception):
    """A WAV with a compressed codec (ADPCM, mu-law, ...): ffmpeg's job."""


def _parse_header(file: BinaryIO, path: Path) -> tuple[int, int, int, int, int | None]:
    """(format, channels, rate, bytes per sample, data bytes or None for "to the end"), with the
    file positioned at the first sample."""
    def bad() -> UserError:
        return UserError("bad_input", path=path)

    riff = file.read(12)
    if len(riff) < 12 or riff[:4] not in (b"RIFF", b"RIFX") or riff[8:12] != b"WAVE":
        raise bad()
    if riff[:4] == b"RIFX":  # big-endian WAV: rare, leave it to ffmpeg
        raise _OtherCodec
    fmt = None
    while True:
        head = file.read(8)
        if len(head) < 8:
            raise bad()  # no data chunk
        name, size = head[:4], struct.unpack("<I", head[4:])[0]
        if name == b"fmt ":
            body = file.read(size + size % 2)
            if len(body) < 16:
                raise bad()
            fmt = body
        elif name == b"data":
            if fmt is None:
                raise bad()
            tag, channels, rate, width = _format(fmt)
            if not 1 <= channels <= MAX_CHANNELS or rate not in RATES:
                raise bad()
            if (tag == PCM and width not in INTEGER_WIDTHS) or (tag == FLOAT and width not in FLOAT_WIDTHS):
                raise bad()
            # 0 or 0xFFFFFFFF: written by a stream that didn't know the length: read to the end
            return tag, channels, rate, width, None if size in (0, 0xFFFFFFFF) else size
        else:
            file.seek(size + size % 2, 1)  # LIST, fact, cue, ...: skipped (chunks are word-aligned)


def _format(fmt: bytes) -> tuple[int, int, int, int]:
    tag, channels, rate, _, block_align, bits = struct.unpack("<HHIIHH", fmt[:16])
    if tag == EXTENSIBLE and len(fmt) >= 26:
        tag = struct.unpack("<H", fmt[24:26])[0]  # the first two bytes of the sub-format GUID
    if tag not in (PCM, FLOAT):
        raise _OtherCodec
    # The bytes a sample takes in the file: 24 valid bits may sit in 4 bytes.
    width = block_align // channels if channels and block_align and block_align % channels == 0 else (bits + 7) // 8
    return tag, channels, rate, width


def _decode_whole(path: Path) -> AudioChunk:
    try:
        segment = AudioSegment.from_file(str(path))
    except (CouldntDecodeError, FileNotFoundError, IndexError, OSError, struct.error, ValueError) as failure:
        # FileNotFoundError here means ffmpeg itself is missing for a non-WAV file.
        raise UserError("bad_input", path=path) from failure
    if len(segment) == 0:
        raise UserError("bad_input", path=path)
    segment = segment.set_channels(1).set_sample_width(SAMPLE_WIDTH)
    return AudioChunk(segment.raw_data, segment.frame_rate)


def resample(chunk: AudioChunk, rate: int) -> AudioChunk:
    """`chunk` as mono 16-bit at `rate`: what the recognizer hears and the outputs play."""
    if chunk.width != SAMPLE_WIDTH or chunk.channels != 1:
        chunk = AudioChunk(to_mono16(chunk.data, chunk.width, chunk.channels), chunk.rate)
    if chunk.rate == rate:
        return chunk
    segment = AudioSegment(chunk.data, sample_width=SAMPLE_WIDTH, frame_rate=chunk.rate, channels=1)
    return AudioChunk(segment.set_frame_rate(rate).raw_data, rate)


def resampled_blocks(chunk: AudioChunk, rate: int, seconds: float) -> Iterator[bytes]:
    """`chunk` at `rate`, `seconds` at a time, resampled block by block (the converter's state
    carried across, so the blocks join into exactly what `resample` gives): the first block is
    ready at once, not after the whole sound."""
    chunk = resample(chunk, chunk.rate)  # made mono 16-bit, at its own rate still
    step = max(1, int(chunk.rate * seconds)) * SAMPLE_WIDTH
    state = None
    for start in range(0, len(chunk.data), step):
        block = chunk.data[start:start + step]
        if chunk.rate != rate:
            block, state = audioop.ratecv(block, SAMPLE_WIDTH, 1, chunk.rate, rate, state)
        yield block


def silence(seconds: float, rate: int) -> AudioChunk:
    return AudioChunk(bytes(int(seconds * rate) * SAMPLE_WIDTH), rate)
