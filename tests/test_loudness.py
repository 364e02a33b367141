"""Telling a word said on its own from a word inside a sentence, by loudness alone."""
import array

import pytest

from assistant.speech.loudness import Loudness

RATE = 16000


def sound(*parts):
    """parts: (seconds, level) pairs; level 0 is silence, otherwise a square wave of that height."""
    samples = array.array("h")
    for seconds, level in parts:
        samples.extend((level if (i // 20) % 2 else -level) for i in range(int(seconds * RATE)))
    return samples.tobytes()


def loudness(*parts):
    meter = Loudness(RATE)
    meter.add(sound(*parts))
    return meter


def test_a_short_word_between_pauses_is_a_lone_island():
    island = loudness((0.5, 0), (0.4, 5000), (0.5, 0)).lone_island(0.3, 1.2)
    assert island == (0.5, 0.9)


def test_a_word_still_being_said_or_just_said_is_not_yet_alone():
    assert loudness((0.5, 0), (0.4, 5000)).lone_island(0.3, 1.2) is None
    assert loudness((0.5, 0), (0.4, 5000), (0.2, 0)).lone_island(0.3, 1.2) is None


def test_a_word_right_after_other_speech_or_too_long_is_not_alone():
    assert loudness((1.0, 4000), (0.2, 0), (0.4, 5000), (0.5, 0)).lone_island(0.3, 1.2) is None
    assert loudness((0.5, 0), (1.5, 5000), (0.5, 0)).lone_island(0.3, 1.2) is None


def test_a_breath_inside_a_two_word_phrase_keeps_it_one_island():
    island = loudness((0.5, 0), (0.3, 5000), (0.1, 0), (0.3, 5000), (0.5, 0)).lone_island(0.3, 1.2)
    assert island == (0.5, 1.2)


def test_steady_room_noise_is_not_voice():
    meter = loudness((1.0, 600), (0.4, 6000), (0.5, 600))
    assert meter.lone_island(0.3, 1.2) == pytest.approx((1.0, 1.4))
    assert meter.last_voiced() == pytest.approx(1.4)


def test_a_long_turn_keeps_only_its_last_window_and_its_own_times():
    from assistant.speech.loudness import WINDOW_SECONDS

    meter = Loudness(RATE)
    for _ in range(int(WINDOW_SECONDS) + 10):  # longer than the window: the cost stays the same
        meter.add(sound((1.0, 0)))
    meter.add(sound((0.4, 5000), (0.5, 0)))
    assert len(meter.levels) == round(WINDOW_SECONDS / 0.02)
    start = WINDOW_SECONDS + 10
    assert meter.last_voiced() == pytest.approx(start + 0.4)
    assert meter.lone_island(0.3, 1.2) == pytest.approx((start, start + 0.4))
