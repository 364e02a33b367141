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


def answers(model, manifest, names):
    """One ear, one turn per fixture (each after 0.3 s of quiet, then 4 s of it): what each turn heard."""
    from assistant.audio.convert import read_audio_file
    from assistant.audio.sources import ScriptedSource

    loaded: Future = Future()
    loaded.set_result(model)
    clock = SimulatedClock()
    source = PacedSource(ScriptedSource([read_audio_file(FIXTURES / "ko" / n) for n in names], 16000, 4.0), clock)
    ear = SpeechEar(loaded, source, korean_commands(manifest), TurnTiming(2.5, 8.0), clock, print)
    heard = []
    for _ in names:
        ear.begin("answer")
        while (event := ear.step()) is None:
            pass
        heard.append((event, ear._listening.turn.said, ear._free))
    return heard


def test_a_later_turn_on_the_same_ear_hears_what_a_new_ear_hears(korean_model, korean_fixtures):
    (_, _, kept), (second, second_said, again) = answers(korean_model, korean_fixtures,
                                                         ["answer_pause.wav", "short_answer.wav"])
    [(fresh, fresh_said, _)] = answers(korean_model, korean_fixtures, ["short_answer.wav"])
    assert again is kept  # the session's free recognizer, restarted
    assert isinstance(second, Answer) and second == fresh
    assert [w.text for w in second_said] == [w.text for w in fresh_said] != []
    times = [t for w in second_said for t in (w.start, w.end)]
    assert times == pytest.approx([t for w in fresh_said for t in (w.start, w.end)], abs=0.001)
