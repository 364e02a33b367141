"""The coaching detector and the need finder on realistic utterances, in both languages."""
import sys
from pathlib import Path

import pytest

from assistant.content import load_pack
from assistant.exercises.coaching import NO_CHECK, Coach, NeedFinder

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from coaching_report import TABLES, load_cases, score  # noqa: E402


@pytest.mark.parametrize("table", TABLES.values())
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_labelled_tables_hold_at_least_40_cases_and_are_coached_right(table, lang):
    cases = load_cases(table)[lang]
    assert len(cases) >= 40
    result = score(Coach.from_pack(load_pack(lang)), cases)
    assert result["pattern_precision"] >= 0.95, result
    assert result["pattern_recall"] >= 0.9, result
    assert result["missing_check_precision"] >= 0.9 and result["missing_check_recall"] >= 0.9, result


def test_quoting_the_partner_is_a_good_reflection_not_a_pattern():
    coach = Coach.from_pack(load_pack("en"))
    assert coach.advice("What I hear is that you don't want me to just fix it. Is that right?") is None
    assert coach.advice("What I hear is that you feel I always interrupt you. Is that right?") is None
    assert coach.advice("Why don't you just take a day off?") == "fixing"
    assert coach.advice("What I hear is that you felt alone.") == NO_CHECK


def test_dutch_word_order_puts_a_verb_inside_a_pattern():
    coach = Coach.from_pack(load_pack("nl"))
    assert coach.pattern_in("waarom ga je morgen niet gewoon met je baas praten") == "fixing"
    assert coach.pattern_in("wat ik hoor is dat je je alleen voelt klopt dat") is None


@pytest.mark.parametrize("lang, answer, need", [
    ("en", "I need to know I can count on you when things get hard", "safety"),
    ("en", "I just want us to be close again, some time together", "connection"),
    ("en", "I need you to notice how much I do and say thank you", "recognition"),
    ("en", "I need some space to decide this on my own", "autonomy"),
    ("en", "I'm not sure, maybe nothing", None),
    ("nl", "ik wil me veilig voelen en op je kunnen rekenen", "safety"),
    ("nl", "ik wil gewoon samen zijn en dat je naar me luistert", "connection"),
    ("nl", "ik wil dat je ziet wat ik doe, een beetje waardering", "recognition"),
    ("nl", "ik heb ruimte nodig om zelf te kiezen", "autonomy"),
    ("nl", "geen idee eigenlijk", None),
])
def test_the_need_behind_an_answer_is_named_or_left_open(lang, answer, need):
    assert NeedFinder.from_pack(load_pack(lang)).need_in(answer) == need
