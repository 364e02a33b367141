"""The understanding layer on the cases from issue 10, in both languages, and on the labelled tables."""
import sys
import time
from pathlib import Path

import pytest

from assistant.content import load_pack
from assistant.understanding.hearing import NO_CHECK, Understanding

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from coaching_report import score
from train_understanding import FIRST_LOOK
from understanding_tables import authors, load


@pytest.fixture(scope="module", params=["en", "nl"])
def hearing(request):
    return request.param, Understanding.from_pack(load_pack(request.param))


def understanding(lang: str) -> Understanding:
    return Understanding.from_pack(load_pack(lang))


@pytest.mark.parametrize("lang, reflection", [
    ("en", "What I hear is that you always exaggerate"),
    ("nl", "Wat ik hoor is dat je overdrijft"),
    ("en", "What I hear is that you always exaggerate. Is that right?"),
])
def test_the_taught_opener_does_not_turn_an_attack_into_a_quote(lang, reflection):
    found = understanding(lang).coaching(reflection)
    assert found is not None and found.label not in (NO_CHECK,)


def test_quoting_what_was_said_is_a_reflection_and_the_cue_is_named():
    hearing = understanding("en")
    assert hearing.coaching("When I said you always forget, you felt attacked. Is that right?") is None
    judged = hearing.coaching("What I hear is that you always forget")
    assert judged.label == "judging" and judged.cue.startswith("judging.")


@pytest.mark.parametrize("lang, reflection, pattern", [
    ("en", "Just stop working so late and everything will be fine", "fixing"),
    ("nl", "Je moet gewoon een budget maken", "fixing"),
    ("en", "aren't you overreacting a bit", "minimising"),
    ("nl", "ik weet niet wat je wilt dat ik zeg", "stonewalling"),
])
def test_the_patterns_the_issue_found_missed_are_named(lang, reflection, pattern):
    assert understanding(lang).coaching(reflection).label == pattern


@pytest.mark.parametrize("check", ["Is dat correct?", "Klopt dat?", "Heb ik het goed?", "Is dat juist?"])
def test_the_methods_own_check_phrases_count_in_dutch(check):
    hearing = understanding("nl")
    assert hearing.coaching(f"Wat ik hoor is dat je je alleen voelt. {check}") is None
    assert hearing.coaching("Wat ik hoor is dat je je alleen voelt.").label == NO_CHECK


def test_a_response_that_attacks_is_coached_and_an_honest_one_is_not():
    hearing = understanding("nl")
    assert hearing.coaching("Dat is niet eerlijk, jij begon met schreeuwen", "response").label == "defending"
    assert hearing.coaching("voor mij voelde het anders, ik was bang dat we het geld niet zouden halen",
                            "response") is None
    assert understanding("en").coaching("for me it felt different i was scared we'd run out of money",
                                        "response") is None


@pytest.mark.parametrize("lang, answer, kind", [
    ("nl", "Ja, maar het gaat me er vooral om dat ik er alleen voor sta", "yes_but"),
    ("nl", "Nee! ... je luistert gewoon nooit naar me", "no_with_content"),
    ("nl", "ja precies", "yes"),
    ("nl", "neen", "no"),
    ("nl", "momentje ik ben nog niet klaar", "more"),
    ("en", "yes but mostly that i feel alone with it", "yes_but"),
    ("en", "no i meant that you never ask", "no_with_content"),
    ("en", "yes exactly", "yes"),
    ("en", "not really", "no"),
    ("en", "wait there's more", "more"),
])
def test_the_kind_of_answer(lang, answer, kind):
    assert understanding(lang).answer(answer).label == kind


@pytest.mark.parametrize("lang, said, need", [
    ("en", "I need you to trust me to handle it myself", "autonomy"),
    ("en", "I need to know you won't leave when it gets hard", "safety"),
    ("nl", "dat ik me bewonderd voel door jou", "recognition"),
    ("nl", "ik wil me vertrouwd voelen bij jou", "safety"),
    ("nl", "gewoon samen op de bank zonder gsm", "connection"),
    ("en", "i don't know", None),
    ("nl", "geen idee eigenlijk", None),
])
def test_the_need_is_named_or_left_open(lang, said, need):
    found = understanding(lang).need(said)
    assert (found.label if found else None) == need


@pytest.mark.parametrize("lang, question", [
    ("nl", "Wat heb je nu van me nodig?"), ("nl", "wat heb je nodig van mij op dit moment"),
    ("nl", "wat hebt ge nu van mij nodig"), ("en", "What do you need from me right now?"),
])
def test_the_need_question_itself_is_recognised(lang, question):
    hearing = understanding(lang)
    assert hearing.asks_need(question)
    assert not hearing.asks_need("ik heb nodig dat je me vertrouwt" if lang == "nl" else "i need you to hold me")


def test_every_read_is_fast_and_names_a_cue_not_the_words(hearing):
    lang, reader = hearing
    texts = [case.text for author in authors() for case in load(author) if case.lang == lang][:300]
    worded = [text for text in texts if len(text.split()) > 3]  # a cue may hold a short answer's one word
    started = time.perf_counter()
    for text in texts:
        for found in (reader.coaching(text), reader.coaching(text, "response"), reader.answer(text), reader.need(text)):
            assert found is None or text not in worded or text not in found.cue
    assert (time.perf_counter() - started) * 1000 / len(texts) < 10 * 4  # < 10 ms per read


def test_the_tables_trained_on_are_heard_at_the_targets(hearing):
    """A regression guard only: these tables were trained on (the honest figures are in benchmarks/)."""
    lang, reader = hearing
    for author in ["old", *(a for a in authors() if a not in FIRST_LOOK)]:  # a fresh table stays unlooked-at
        result = score(reader, [case for case in load(author) if case.lang == lang])
        reflection = result["reflection"]
        assert reflection["precision"] >= 0.9 and reflection["recall"] >= 0.85, (author, result)
        assert reflection["named_right"] >= 0.7, (author, result)
        missing_check = result["missing_check"]
        assert missing_check["precision"] >= 0.9 and missing_check["recall"] >= 0.9, (author, result)
        if "answer" in result:
            assert result["answer"]["yes_yes_but_no_with_content_right"] >= 0.9, (author, result)
            assert result["need"]["named_right"] >= 0.8, (author, result)
