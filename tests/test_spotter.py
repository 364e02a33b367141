"""The safe-word spotter on the real Korean test model: it fires at the first partial result that
holds the word, and fast speech full of words that begin like it does not set it off.

The model has no [unk], so the grammar holds the safe word and the fixtures' distractors. Over
hours of speech it still fires a few times an hour on sound-alikes (benchmarks/false_triggers.json:
e.g. "텔레비전으로 봤어요", fast and high, at the end of a sentence); these tests pin the rule."""
from __future__ import annotations

import json
import subprocess

import pytest

from assistant.audio.convert import read_audio_file, resample, silence
from assistant.speech import recognizer
from assistant.speech.spotter import Spotter, Spotting
from conftest import FIXTURES

KO = FIXTURES / "ko"
RATE = 16000
BLOCK = int(RATE * 0.05) * 2  # bytes: the microphone's blocks, as the spotter hears them live
# Everyday sentences with 보러, 보여요 and 보다, said in the voice of the false triggers studied: high and fast.
BO_WORDS = ("친구와 함께 영화를 보러 갔어요 . 생일 선물로 시계를 받았어요 . "
            "밤에는 별이 잘 보여요 . 커피보다 녹차를 더 좋아해요")


@pytest.fixture(scope="module")
def distractors():
    return tuple(json.loads((KO / "distractors.json").read_text(encoding="utf-8"))["words"])


def heard_at(spotter: Spotter, audio: bytes) -> list[float]:
    """The seconds of `audio` (block ends) at which the spotter fired."""
    audio += silence(2.0, RATE).data
    return [round((i + BLOCK) / 2 / RATE, 2) for i in range(0, len(audio), BLOCK) if spotter.feed(audio[i:i + BLOCK])]


def first_partial_with_word(model, words, word: str, audio: bytes) -> float | None:
    """The floor: a bare recognizer with the same grammar, its first partial result holding the word."""
    bare = recognizer.grammar_recognizer(model, RATE, [word, *words])
    for i in range(0, len(audio), BLOCK):
        if not bare.AcceptWaveform(audio[i:i + BLOCK]):
            if word in json.loads(bare.PartialResult())["partial"].split():
                return round((i + BLOCK) / 2 / RATE, 2)
    return None


@pytest.mark.parametrize("name", ["word_safe.wav", "safe_word_mid.wav"])
def test_the_spotter_fires_once_at_the_first_partial_result_holding_the_word(korean_model, korean_fixtures,
                                                                             distractors, name):
    word = korean_fixtures["safe_word"]
    audio = resample(read_audio_file(KO / name), RATE).data
    floor = first_partial_with_word(korean_model, distractors, word, audio)
    said_until = next(end for text, _, end in korean_fixtures["fixtures"][name]["speech"] if text == word)
    assert floor is not None and 0 < floor - said_until < 0.6, floor
    assert heard_at(Spotter(korean_model, RATE, word, Spotting(distractors=distractors)), audio) == [floor]


def test_fast_high_speech_with_words_that_begin_like_the_safe_word_never_sets_it_off(korean_model, korean_fixtures,
                                                                                   distractors, tmp_path):
    # (a grammar of the word and the control words alone fired at every one of these phases)
    path = tmp_path / "bo-words.wav"
    subprocess.run(["espeak-ng", "-v", "ko+f2", "-s", "197", "-p", "63", "-g", "3", "-w", str(path), BO_WORDS],
                   check=True, capture_output=True)
    audio = resample(read_audio_file(path), RATE).data
    for lead in (0.0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.1, 0.2):
        spotter = Spotter(korean_model, RATE, korean_fixtures["safe_word"], Spotting(distractors=distractors))
        assert heard_at(spotter, silence(lead, RATE).data + audio) == [], lead
