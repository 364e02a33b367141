"""Audio files through pydub: WAV as is, other formats through ffmpeg, clear errors otherwise."""
import subprocess
from array import array

import pytest

from assistant.audio.convert import read_audio_file, resample
from assistant.audio.output import WavFileOutput
from assistant.audio.sources import FileSource
from assistant.audio.timeline import PacedOutput, PacedSource
from assistant.clock import SimulatedClock, SystemClock
from assistant.errors import UserError
from assistant.events import AudioChunk
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


@pytest.mark.parametrize("content", [b"", b"RIFF....WAVEfmt nonsense", b"plain words"])
def test_unreadable_files_give_a_clear_error(tmp_path, content):
    path = tmp_path / "broken.wav"
    path.write_bytes(content)
    with pytest.raises(UserError) as raised:
        read_audio_file(path)
    assert raised.value.key == "bad_input"


def test_a_chunk_carries_its_format_and_is_made_mono_16_bit_to_be_heard_or_played():
    stereo = AudioChunk(array("h", [1000, -1000] * 22050).tobytes(), 22050, width=2, channels=2)
    wide = AudioChunk(array("i", [1 << 24] * 8000).tobytes(), 8000, width=4)
    assert stereo.seconds == 1.0 and wide.seconds == 1.0 and AudioChunk(bytes(32000), 16000).seconds == 1.0
    mono = resample(stereo, 22050)
    assert (mono.width, mono.channels, mono.seconds) == (2, 1, 1.0) and set(array("h", mono.data)) == {0}
    assert abs(resample(wide, 16000).seconds - 1.0) < 0.01 and set(array("h", resample(wide, 8000).data)) == {256}


def test_on_a_simulated_clock_only_the_pacing_moves_time(spoken_wav, tmp_path):
    chunk, path = spoken_wav
    clock = SimulatedClock()
    output = WavFileOutput(tmp_path / "session.wav")
    output.play(chunk)
    assert clock.monotonic() == 0.0  # an output never moves time itself
    paced = PacedOutput(output, clock)
    paced.play(chunk)
    paced.record(chunk)  # what a partner said was heard in its own time, not played
    assert abs(clock.monotonic() - chunk.seconds) < 1e-9
    paced.close()
    source = PacedSource(FileSource(path, tail_seconds=1.0), clock)
    while not source.ended:
        source.read(0.1)
    assert abs(clock.monotonic() - (2 * chunk.seconds + 1.0)) < 0.11
    assert not hasattr(SystemClock(), "advance")  # the real clock can't be moved


class FakePortAudio:
    """sounddevice with a stream that calls back only when the test says so."""

    PortAudioError = OSError

    def RawInputStream(self, callback, **_):
        self.callback = callback
        return self

    def start(self) -> None:
        pass

    def abort(self) -> None:
        pass

    def close(self) -> None:
        pass

    def deliver(self, samples: list[int]) -> None:
        self.callback(array("h", samples).tobytes(), len(samples), None, None)


def microphone(monkeypatch, clock):
    from assistant.audio import sources

    portaudio = FakePortAudio()
    monkeypatch.setattr(sources, "sounddevice", lambda: portaudio)
    monkeypatch.setattr(sources, "device_rate", lambda device, kind: 16000)
    return sources.MicrophoneSource(clock), portaudio


def listen(source, portaudio, clock, block: list[int], seconds: float) -> None:
    """Blocks of 0.05 s for `seconds`, each tenth of a second read as the ear reads it."""
    for _ in range(round(seconds * 10)):
        portaudio.deliver(block)
        portaudio.deliver(block)
        clock.advance(0.1)
        source.read(0)


def test_a_microphone_that_sends_only_exact_zeros_or_nothing_counts_as_dead(monkeypatch):
    from assistant.audio.sources import MICROPHONE_QUIET_LIMIT

    clock = SimulatedClock()
    source, portaudio = microphone(monkeypatch, clock)
    room = [(i * 7919) % 17 - 8 for i in range(800)]  # a quiet room: never exact zeros
    listen(source, portaudio, clock, room, 2 * MICROPHONE_QUIET_LIMIT)  # a quiet room is a working microphone
    listen(source, portaudio, clock, [0] * 800, MICROPHONE_QUIET_LIMIT - 0.2)  # a moment of digital silence
    listen(source, portaudio, clock, room, 0.1)
    listen(source, portaudio, clock, [0] * 800, MICROPHONE_QUIET_LIMIT - 0.2)
    with pytest.raises(UserError) as raised:  # callbacks keep coming, with nothing in them
        listen(source, portaudio, clock, [0] * 800, 0.4)
    assert raised.value.key == "microphone_silent"
    source.new_turn()  # a new turn starts counting afresh
    clock.advance(MICROPHONE_QUIET_LIMIT - 0.1)
    assert source.read(0) is None
    clock.advance(0.2)
    with pytest.raises(UserError) as raised:  # no callback at all
        source.read(0)
    assert raised.value.key == "microphone_silent"


class FakeSpeakerStream:
    """sounddevice's output stream: keeps every block written; `cut` is set after the first."""

    PortAudioError = OSError

    def __init__(self, cut=None) -> None:
        self.blocks: list[bytes] = []
        self.cut = cut
        self.aborted = False

    def RawOutputStream(self, **_):
        return self

    def write(self, block: bytes) -> None:
        self.blocks.append(block)
        if self.cut is not None:
            self.cut.set()

    def start(self) -> None:
        pass

    def abort(self) -> None:
        self.aborted = True


def speaker(monkeypatch, stream):
    from assistant.audio import output

    monkeypatch.setattr(output, "sounddevice", lambda: stream)
    monkeypatch.setattr(output, "device_rate", lambda device, kind: 48000)
    return output.SpeakerOutput()


def test_the_speaker_plays_a_prompt_resampled_block_by_block_exactly_as_whole(spoken_wav, monkeypatch):
    chunk, _ = spoken_wav
    stream = FakeSpeakerStream()
    assert speaker(monkeypatch, stream).play(chunk) is True
    assert b"".join(stream.blocks) == resample(chunk, 48000).data  # no seams between the blocks
    assert abs(len(stream.blocks[0]) // 2 - 2400) <= 8  # the first 0.05 s goes out before the rest is converted


def test_the_safe_word_cuts_the_speaker_off_after_the_block_being_played(spoken_wav, monkeypatch):
    import threading

    chunk, _ = spoken_wav
    stream = FakeSpeakerStream(cut=threading.Event())
    assert speaker(monkeypatch, stream).play(chunk, stream.cut) is False
    assert len(stream.blocks) == 1 and stream.aborted
