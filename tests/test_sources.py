"""Audio files through pydub: WAV as is, other formats through ffmpeg, clear errors otherwise."""
import subprocess

import pytest

from assistant.audio.convert import read_audio_file, resample
from assistant.audio.sources import FileSource
from assistant.errors import UserError
from assistant.speech.voice import Voice


@pytest.fixture
def spoken_wav(tmp_path):
    voice = Voice(tmp_path, "gmw/en", 160)
    try:
        chunk = voice.synthesize("Testing one two three.")
    finally:
        voice.close()
    return chunk, next(tmp_path.glob("*.wav"))


def test_a_wav_file_is_read_as_mono_16_bit_at_its_own_rate(spoken_wav):
    chunk, path = spoken_wav
    audio = read_audio_file(path)
    assert audio.rate == 22050 and audio.data == chunk.data


def test_a_stereo_mp3_is_decoded_through_ffmpeg(spoken_wav, tmp_path):
    _, path = spoken_wav
    mp3 = tmp_path / "answer.mp3"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-i", str(path), "-ac", "2", "-ar", "44100", str(mp3)], check=True)
    audio = read_audio_file(mp3)
    assert audio.rate == 44100
    assert abs(audio.seconds - read_audio_file(path).seconds) < 0.1


def test_a_file_source_gives_tenth_second_chunks_then_a_silent_tail_then_ends(spoken_wav):
    chunk, path = spoken_wav
    heard = []
    source = FileSource(path, tail_seconds=2.0, on_audio=heard.append)
    chunks = []
    while not source.ended:
        chunks.append(source.read(0.1))
    assert source.read(0.1) is None
    assert all(abs(c.seconds - 0.1) < 1e-3 for c in chunks[:-1])
    assert abs(sum(c.seconds for c in chunks) - (chunk.seconds + 2.0)) < 0.11
    assert heard == chunks


def test_resampling_keeps_the_length(spoken_wav):
    chunk, _ = spoken_wav
    assert abs(resample(chunk, 16000).seconds - chunk.seconds) < 0.01


@pytest.mark.parametrize("content", [b"", b"RIFF....WAVEfmt nonsense", "plain words".encode()])
def test_unreadable_files_give_a_clear_error(tmp_path, content):
    path = tmp_path / "broken.wav"
    path.write_bytes(content)
    with pytest.raises(UserError) as raised:
        read_audio_file(path)
    assert raised.value.key == "bad_input"
