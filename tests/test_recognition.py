"""The real recognition path: vosk with the Korean model on committed fixture audio.

Korean stands in for English and Dutch here (the only model a package ships): the control words
are Korean words the model hears reliably in the fixtures (see tests/fixtures/README.md).
"""
from concurrent.futures import Future

import pytest

from assistant.audio.sources import FileSource
from assistant.audio.timeline import PacedSource
from assistant.clock import SimulatedClock
from assistant.events import Answer, Command, InputEnded, NoAnswer
from assistant.speech import recognizer
from assistant.speech.commands import CommandWords
from assistant.speech.ear import SpeechEar
from assistant.speech.turns import TurnTiming
from conftest import FIXTURES


def korean_commands(manifest):
    words = manifest["control_words"]
    return CommandWords({"yes": [words["yes"]], "no": [words["no"]], "repeat": [words["repeat"]],
                         "next": [words["next"]], "done": [words["done"]], "stop": []})


def listen_to(warm, manifest, name, mode="answer", timing=TurnTiming(2.5, 8.0)):
    """Run one listening turn over a fixture file, on the worker's warm free recognizer (conftest);
    return the event and the audio time it came at."""
    done: Future = Future()
    done.set_result(warm.model)
    clock = SimulatedClock()
    warnings = []
    source = PacedSource(FileSource(FIXTURES / "ko" / name, tail_seconds=4.0), clock)  # the room stays quiet after
    ear = SpeechEar(done, source, korean_commands(manifest), timing, clock, warnings.append, free=warm)
    ear.begin(mode)
    while (event := ear.step()) is None:
        pass
    assert warnings == []
    return event, clock.monotonic()


def test_every_control_word_is_in_the_model_vocabulary(korean_model, korean_fixtures):
    words = korean_commands(korean_fixtures).words()
    assert recognizer.missing_words(korean_model, words) == []
    assert recognizer.missing_words(korean_model, {"notaword"}) == ["notaword"]
    assert not recognizer.has_unknown_word(korean_model)


@pytest.mark.parametrize("fixture, mode, expected", [
    ("word_yes.wav", "yesno", Command("yes")),
    ("word_no.wav", "yesno", Command("no")),
    ("word_repeat.wav", "answer", Command("repeat")),
    ("word_repeat.wav", "yesno", Command("repeat")),
])
def test_a_control_word_said_alone_is_heard_as_a_command_soon_after_it_ends(
        warm_recognizer, korean_fixtures, fixture, mode, expected):
    event, at = listen_to(warm_recognizer, korean_fixtures, fixture, mode)
    spoken_until = korean_fixtures["fixtures"][fixture]["speech"][-1][2]
    assert event == expected
    assert at - spoken_until < 1.2  # well before the 2.5 s of silence that end an answer


@pytest.mark.parametrize("fixture", ["word_next.wav", "word_done.wav"])
def test_next_and_done_said_alone_end_the_turn_at_once(warm_recognizer, korean_fixtures, fixture):
    # The free recognizer also hears the lone word (as some other Korean word), so the turn may end
    # as the command or as a one-word answer; either way it ends right after the word.
    event, at = listen_to(warm_recognizer, korean_fixtures, fixture)
    spoken_until = korean_fixtures["fixtures"][fixture]["speech"][-1][2]
    name = fixture.removeprefix("word_").removesuffix(".wav")
    assert event == Command(name) or (isinstance(event, Answer) and len(event.text.split()) <= 2)
    assert at - spoken_until < 1.2


def test_an_answer_with_a_thinking_pause_ends_after_the_end_silence_not_in_the_pause(warm_recognizer, korean_fixtures):
    event, at = listen_to(warm_recognizer, korean_fixtures, "answer_pause.wav")
    speech = korean_fixtures["fixtures"]["answer_pause.wav"]["speech"]
    assert isinstance(event, Answer) and len(event.text.split()) >= 4
    assert at > speech[1][1]  # it did not end in the 1 s pause
    last_word = speech[-1][2]
    assert last_word + 2.5 <= at <= last_word + 2.5 + 0.2


def test_the_end_silence_is_configurable(warm_recognizer, korean_fixtures):
    _, at = listen_to(warm_recognizer, korean_fixtures, "answer_pause.wav", timing=TurnTiming(1.5, 8.0))
    last_word = korean_fixtures["fixtures"]["answer_pause.wav"]["speech"][-1][2]
    assert last_word + 1.5 <= at <= last_word + 1.5 + 0.2


def test_the_done_word_after_an_answer_ends_it_at_once(warm_recognizer, korean_fixtures):
    event, at = listen_to(warm_recognizer, korean_fixtures, "answer_then_done.wav")
    done_word_end = korean_fixtures["fixtures"]["answer_then_done.wav"]["speech"][-1][2]
    assert isinstance(event, Answer) and len(event.text.split()) >= 3
    assert at - done_word_end < 1.2


def test_the_free_recognizer_turns_a_short_answer_into_text(warm_recognizer, korean_fixtures):
    event, _ = listen_to(warm_recognizer, korean_fixtures, "short_answer.wav")
    assert isinstance(event, Answer) and event.text.strip()


def test_control_words_inside_an_answer_are_not_commands(warm_recognizer, korean_fixtures):
    # Without [unk], the grammar recognizer forces all speech onto control words; none of that
    # may end the turn as a command.
    event, _ = listen_to(warm_recognizer, korean_fixtures, "safe_word_mid.wav")
    assert isinstance(event, Answer) and len(event.text.split()) >= 4


def test_nothing_said_ends_as_silence_after_the_waiting_time(korean_model, korean_fixtures, warm_recognizer):
    from assistant.audio.sources import BufferedSource

    done: Future = Future()
    done.set_result(korean_model)
    clock = SimulatedClock()
    source = BufferedSource(16000)
    source._data = bytes(16000 * 2 * 12)  # twelve seconds of silence
    ear = SpeechEar(done, PacedSource(source, clock), korean_commands(korean_fixtures), TurnTiming(2.5, 8.0), clock,
                    print, free=warm_recognizer)
    ear.begin("answer")
    while (event := ear.step()) is None:
        pass
    assert event == NoAnswer() and abs(clock.monotonic() - 8.0) < 0.15


def test_the_end_of_the_file_ends_the_input(korean_model, korean_fixtures, warm_recognizer):
    done: Future = Future()
    done.set_result(korean_model)
    source = FileSource(FIXTURES / "ko" / "word_yes.wav", tail_seconds=0.0)
    ear = SpeechEar(done, source, korean_commands(korean_fixtures), TurnTiming(2.5, 8.0), SimulatedClock(), print,
                    free=warm_recognizer)
    ear.begin("answer")
    events = [ear.step() for _ in range(40)]
    assert InputEnded() in events
