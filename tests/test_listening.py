"""A long answer costs no more than a short one: the recognizers are renewed at safe points, and
what was said, and when, carries on across the renewal. Real vosk, Korean model, fixture audio."""
from concurrent.futures import Future

import pytest

from assistant.audio.sources import FileSource
from assistant.audio.timeline import PacedSource
from assistant.clock import SimulatedClock
from assistant.events import Answer
from assistant.speech import recognizer
from assistant.speech.ear import SpeechEar
from assistant.speech.spotter import Spotter, Spotting
from assistant.speech.turns import TurnTiming
from conftest import FIXTURES
from test_recognition import korean_commands


def hear(model, manifest, name):
    loaded: Future = Future()
    loaded.set_result(model)
    clock = SimulatedClock()
    source = PacedSource(FileSource(FIXTURES / "ko" / name, tail_seconds=4.0), clock)
    ear = SpeechEar(loaded, source, korean_commands(manifest), TurnTiming(2.5, 8.0), clock, print)
    ear.begin("answer")
    while (event := ear.step()) is None:
        pass
    return ear, event


@pytest.mark.slow  # the same answer through the recognizer twice
def test_renewed_recognizers_keep_the_answer_and_its_times(korean_model, korean_fixtures, monkeypatch):
    _, whole = hear(korean_model, korean_fixtures, "answer_pause.wav")
    monkeypatch.setattr(recognizer, "RENEW_SECONDS", 1.0)  # renewed at the final in the thinking pause
    ear, renewed = hear(korean_model, korean_fixtures, "answer_pause.wav")
    second = korean_fixtures["fixtures"]["answer_pause.wav"]["speech"][1]
    assert isinstance(renewed, Answer) and renewed.text == whole.text
    assert ear._listening._since > 1.0  # it was renewed
    later = [w for w in ear._listening.turn.said if w.start >= second[1] - 0.5]
    assert later and all(w.end <= second[2] + 0.5 for w in later)  # on the turn's time, not the new recognizer's


def test_a_renewed_spotter_still_hears_the_safe_word(korean_model, korean_fixtures, monkeypatch):
    import json

    from assistant.audio.convert import read_audio_file, resample, silence

    distractors = tuple(json.loads((FIXTURES / "ko" / "distractors.json").read_text(encoding="utf-8"))["words"])
    monkeypatch.setattr(recognizer, "RENEW_SECONDS", 1.0)
    spotter = Spotter(korean_model, 16000, korean_fixtures["safe_word"], Spotting(distractors=distractors))
    before = resample(read_audio_file(FIXTURES / "ko" / "answer_pause.wav"), 16000).data
    clip = resample(read_audio_file(FIXTURES / "ko" / "word_safe.wav"), 16000).data + silence(2, 16000).data
    first = spotter._recognizer
    assert not any(spotter.feed(before[i:i + 3200]) for i in range(0, len(before), 3200))
    assert spotter._recognizer is not first
    # at a multiple of the model's 0.3 s decoding period after the renewal (tests/fixtures/README.md)
    spotter._renew()
    assert any(spotter.feed(clip[i:i + 3200]) for i in range(0, len(clip), 3200))
