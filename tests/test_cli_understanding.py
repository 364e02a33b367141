"""Typed mirroring sessions through the command, in both languages: each thing the guide hears
(issue 10) shown end to end, in what it says and in the JSONL log."""
import json

import pytest

from assistant.content import load_pack
from conftest import run_main

ROLES = {"speaker": "Anna", "listener": "Ben"}
SAID = {"en": "i feel alone with the kids every evening", "nl": "ik sta er elke avond alleen voor met de kinderen"}
GOOD = {"en": "what i hear is you feel alone with the kids in the evening is that right",
        "nl": "wat ik hoor is dat je je 's avonds alleen voelt met de kinderen klopt dat"}
YES = {"en": "yes exactly", "nl": "ja precies"}
NO = {"en": "no", "nl": "nee"}


def session(tmp_path, lang: str, *lines: str, need: bool = True):
    """A one-round mirror, Anna speaking, typed line by line (after declining the safe-word offer);
    the guide's lines and the log's records."""
    log = tmp_path / "mirror.jsonl"
    run = run_main("mirror", "--text", "--quiet", "--lang", lang, "--names", "Anna,Ben", "--first", "Anna",
                   "--rounds", "1", "--log", str(log), *([] if need else ["--no-need"]),
                   stdin="".join(f"{line}\n" for line in (NO[lang], *lines)))
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines(), [json.loads(line) for line in log.read_text().splitlines()]


def guide(lang: str, key: str, **values) -> str:
    pack = load_pack(lang)
    return f"{pack.text('transcript.guide')}: {pack.text(key, **{**ROLES, **values})}"


def of_kind(records, kind):
    return [r for r in records if r["kind"] == kind]


@pytest.mark.parametrize("lang, attack", [
    ("en", "what i hear is that you always exaggerate"),
    ("nl", "wat ik hoor is dat je overdrijft"),
])
def test_an_attack_in_the_taught_opener_is_coached_and_the_log_names_pattern_and_cue(tmp_path, lang, attack):
    lines, records = session(tmp_path, lang, SAID[lang], attack)
    coaching = of_kind(records, "coaching")
    assert len(coaching) == 1 and coaching[0]["step"] == "reflection"
    assert coaching[0]["pattern"] in ("judging", "minimising") and coaching[0]["cue"]
    assert attack not in coaching[0]["cue"]
    assert guide(lang, f"coaching.{coaching[0]['pattern']}.hint") in lines


def test_quoting_what_was_said_is_not_coached(tmp_path):
    lines, records = session(tmp_path, "en", "when you said i always forget it hurt",
                             "when i said you always forget you felt attacked is that right")
    assert of_kind(records, "coaching") == []
    assert guide("en", "mirror.confirm") in lines


@pytest.mark.parametrize("check", ["is dat correct", "is dat juist", "heb ik het goed"])
def test_the_methods_own_check_phrases_are_heard_in_dutch(tmp_path, check):
    lines, records = session(tmp_path, "nl", SAID["nl"],
                             f"wat ik hoor is dat je je 's avonds alleen voelt met de kinderen {check}")
    assert of_kind(records, "coaching") == []
    assert guide("nl", "mirror.confirm") in lines


@pytest.mark.parametrize("lang, answer, kind", [
    ("nl", "Ja, maar het gaat me er vooral om dat ik er alleen voor sta", "yes_but"),
    ("nl", "Nee! ... je luistert gewoon nooit naar me", "no_with_content"),
    ("en", "yes but mostly that i feel alone with it", "yes_but"),
    ("en", "no i meant that you never ask how i am", "no_with_content"),
])
def test_a_correction_in_the_answer_is_reflected_without_asking_again(tmp_path, lang, answer, kind):
    lines, records = session(tmp_path, lang, SAID[lang], GOOD[lang], answer)
    assert [r["answer"] for r in of_kind(records, "answer")] == [kind]
    assert guide(lang, "mirror.reflect_again") in lines
    assert guide(lang, "mirror.clarify") not in lines


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_bare_no_asks_what_was_meant(tmp_path, lang):
    lines, records = session(tmp_path, lang, SAID[lang], GOOD[lang], NO[lang])
    assert [r["answer"] for r in of_kind(records, "answer")] == ["no"]
    assert guide(lang, "mirror.clarify") in lines


@pytest.mark.parametrize("lang, attack", [
    ("nl", "Dat is niet eerlijk, jij begon met schreeuwen"),
    ("en", "that's not fair you started the shouting"),
])
def test_the_response_is_coached_once(tmp_path, lang, attack):
    lines, records = session(tmp_path, lang, SAID[lang], GOOD[lang], YES[lang], NO[lang], attack, attack,
                             need=False)
    coaching = of_kind(records, "coaching")
    assert [(c["step"], c["pattern"]) for c in coaching] == [("response", "defending")]
    assert lines.count(guide(lang, "coaching.defending.response_hint")) == 1


@pytest.mark.parametrize("lang, question, unclear, need, label, offer", [
    ("en", "what do you need from me right now", "i don't know", "i need you to trust me to handle it myself",
     "autonomy", "let's agree i don't check on you when you do the bills does that work"),
    ("nl", "Wat heb je nu van me nodig?", "geen idee", "ik wil me vertrouwd voelen bij jou",
     "veiligheid", "laten we afspreken dat ik bel als ik later ben werkt dat"),
])
def test_the_need_step_follows_the_method(tmp_path, lang, question, unclear, need, label, offer):
    lines, records = session(tmp_path, lang, SAID[lang], GOOD[lang], YES[lang], NO[lang],
                             question, unclear, need, offer, {"en": "yes", "nl": "ja"}[lang])
    assert guide(lang, "mirror.four_needs") in lines
    assert guide(lang, "mirror.need_named", need=label) in lines
    assert guide(lang, "mirror.agree") in lines and guide(lang, "mirror.does_it_work") in lines
    assert guide(lang, "mirror.agreed") in lines
    assert [r["need"] for r in of_kind(records, "need")] == [None, "autonomy" if lang == "en" else "safety"]
    assert [(r["agreed"], r["proposals"]) for r in of_kind(records, "agreement")] == [(True, 1)]
