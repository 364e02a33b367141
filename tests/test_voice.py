"""The real pyttsx3 voice (espeak-ng): synthesis to WAV in its own thread, cached on disk."""
import array
import threading

from assistant.speech.voice import Voice


def loudness(chunk) -> int:
    samples = array.array("h", chunk.data)
    return max(abs(s) for s in samples)


def test_a_sentence_becomes_audible_22050_hz_speech_of_a_plausible_length(tmp_path):
    voice = Voice(tmp_path, "gmw/en", 160)
    try:
        short = voice.synthesize("Yes.")
        chunk = voice.synthesize("Welcome to your daily check-in. We have ten minutes.")
    finally:
        voice.close()
    assert chunk.rate == 22050
    assert 2.0 < chunk.seconds < 8.0
    assert chunk.seconds > short.seconds * 2
    assert loudness(chunk) > 3000


def test_prompts_are_cached_per_text_voice_and_rate_and_synthesised_in_one_thread(tmp_path):
    voices_before = [t.name for t in threading.enumerate()].count("voice")  # another test's may still be closing
    voice = Voice(tmp_path, "gmw/nl", 160)
    try:
        first = voice.synthesize("Hoe voelde je je vandaag?")
        assert len(list(tmp_path.glob("*.wav"))) == 1
        assert voice.synthesize("Hoe voelde je je vandaag?") == first
        assert len(list(tmp_path.glob("*.wav"))) == 1
        other_voice = voice.synthesize("Hoe voelde je je vandaag?", voice="gmw/nl+f3")
        assert other_voice.data != first.data
        assert len(list(tmp_path.glob("*.wav"))) == 2
        assert [t.name for t in threading.enumerate()].count("voice") == voices_before + 1
    finally:
        voice.close()
    faster = Voice(tmp_path, "gmw/nl", 220)
    try:
        assert faster.synthesize("Hoe voelde je je vandaag?").seconds < first.seconds
    finally:
        faster.close()


def test_synthesis_prints_nothing_on_stdout_and_leaves_the_drivers_print_alone(tmp_path, capfd):
    from pyttsx3.drivers import espeak

    voice = Voice(tmp_path, "gmw/en", 160)
    try:
        voice.synthesize("Nothing on standard output, please.")
        assert "print" not in vars(espeak)  # silenced only while a voice synthesises
    finally:
        voice.close()
    assert capfd.readouterr().out == ""


def test_a_piece_espeak_ends_at_once_with_no_sound_is_made_again_and_then_cached(tmp_path, monkeypatch):
    voice = Voice(tmp_path, "gmw/en", 160)
    real, tries = Voice._synthesise, []

    def silent_three_times(self, text, name):
        tries.append(text)
        return None if len(tries) <= 3 else real(self, text, name)  # what espeak gave: a WAV without frames
    monkeypatch.setattr(Voice, "_synthesise", silent_three_times)
    try:
        chunk = voice.synthesize("Anna, how did you feel today?")
    finally:
        voice.close()
    assert len(tries) == 4 and loudness(chunk) > 3000
    assert len(list(tmp_path.glob("*.wav"))) == 1
