"""The trained safety model, a `TextClassifier` (scripts/train_safety.py writes its weights into the packs)."""
import time

import pytest

from assistant.content import load_pack, read_pack_files
from assistant.text import normalize
from assistant.understanding.classifier import TextClassifier
from assistant.understanding.safety import CATEGORIES

CLEAR = {
    "en": ("he hits me when he is drunk and i am scared of him",
           "we went to the cinema and had pizza afterwards"),
    "nl": ("hij slaat me als hij gedronken heeft en ik ben bang van hem",
           "we zijn naar de cinema geweest en hebben daarna pizza gegeten"),
}


@pytest.fixture(scope="module", params=sorted(CLEAR))
def lang_model(request):
    return request.param, TextClassifier.from_pack(load_pack(request.param), "safety_model")


def test_both_languages_have_a_model_file_with_the_same_keys():
    keys = {lang: set(read_pack_files(lang)["safety_model.json"]) for lang in CLEAR}
    assert keys["en"] == keys["nl"]
    assert {"safety_model.threshold", "safety_model.weights", "safety_model.bias"} <= keys["en"]


def test_a_clear_disclosure_is_flagged_and_an_ordinary_answer_is_not(lang_model):
    lang, model = lang_model
    disclosure, ordinary = CLEAR[lang]
    found = model.decide(normalize(disclosure))
    assert found.label in CATEGORIES and found.chance >= model.threshold
    assert model.decide(normalize(ordinary)).label == "none"


def test_the_cue_names_a_few_features_not_the_answer(lang_model):
    lang, model = lang_model
    disclosure = CLEAR[lang][0]
    cue = model.decide(normalize(disclosure)).cue
    assert cue.startswith("model:")
    named = cue.removeprefix("model:").split("+")
    assert 1 <= len(named) <= 3
    assert all(feature in model.weights for feature in named)
    assert disclosure not in cue


def test_the_model_is_deterministic(lang_model):
    lang, model = lang_model
    again = TextClassifier.from_pack(load_pack(lang), "safety_model")
    for text in CLEAR[lang]:
        assert model.decide(normalize(text)) == model.decide(normalize(text)) == again.decide(normalize(text))


def test_scoring_is_fast(lang_model):
    lang, model = lang_model
    answers = [f"{text} {n}" for n in range(500) for text in CLEAR[lang]]
    started = time.perf_counter()
    for answer in answers:
        model.decide(normalize(answer))
    print(f"\n{lang}: {len(answers)} answers scored in {time.perf_counter() - started:.3f} s")
