"""The attachment quick test: three questions answered A, B or C, the method's result and its one
piece of advice, saved in the journal only after a clear yes."""
import json

import pytest

from assistant.content import load_pack
from assistant.events import Answer, Command, NoAnswer, Save
from assistant.exercises.attachment import Attachment, AttachmentPlan, result
from assistant.exercises.resume import resumable
from assistant.pause_store import resume_point
from conftest import run_main
from fakes import ended, keys


def assistant(*args, stdin=""):
    """`assistant ARGS`, its main() in this process (conftest.run_main)."""
    return run_main(*args, stdin=stdin)


def flow(lang="en"):
    exercise = Attachment(AttachmentPlan.from_pack(load_pack(lang)))
    exercise.start()
    return exercise


@pytest.mark.parametrize("answers, expected", [
    (["a", "a", "c"], "avoidant"), (["b", "c", "b"], "anxious"), (["c", "c", "c"], "secure"),
    (["a", "b", "c"], "mixed"), (["a", "b"], "mixed"), (["b"], "mixed"), ([], "none"), (["c", "c"], "secure"),
])
def test_mostly_a_is_avoidant_mostly_b_anxious_mostly_c_secure(answers, expected):
    assert result(answers) == expected


@pytest.mark.parametrize("lang, question, said, letter", [
    ("en", 0, "B", "b"), ("en", 0, "answer c", "c"), ("en", 1, "I panic", "b"), ("en", 1, "relieved, honestly", "a"),
    ("en", 2, "I pull back", "a"), ("nl", 0, "b", "b"), ("nl", 0, "ik word gewoon rustig", "c"),
    ("nl", 1, "eerlijk gezegd opgelucht", "a"), ("nl", 2, "ik trek me terug", "a"),
])
def test_a_letter_or_the_answer_in_your_own_words_is_understood(lang, question, said, letter):
    exercise = flow(lang)
    for _ in range(question):
        exercise.handle(Answer("c"))
    exercise.handle(Answer(said))
    assert exercise.answers[-1] == letter


def test_a_bare_a_in_a_sentence_is_not_taken_for_the_letter():
    exercise = flow()
    assert keys(exercise.handle(Answer("a bit of everything"))) == ["attachment.a_b_or_c"]


def test_unclear_is_asked_once_briefly_then_skipped_and_the_advice_fits_the_result():
    exercise = flow()
    assert keys(exercise.handle(Answer("hard to say"))) == ["attachment.a_b_or_c"]
    assert keys(exercise.handle(NoAnswer()))[:1] == ["attachment.skipped"]
    exercise.handle(Answer("a"))
    told = keys(exercise.handle(Answer("a")))
    assert told == ["attachment.result_avoidant", "attachment.advice_avoidant", "attachment.takes_time",
                    "attachment.ask_save"]


def test_saved_only_on_a_yes_never_on_silence_or_an_unclear_answer():
    for reply, saves in ((Command("yes"), True), (Command("no"), False), (NoAnswer(), False),
                         (Answer("maybe later"), False)):
        exercise = flow()
        for letter in "ccc":
            exercise.handle(Answer(letter))
        actions = exercise.handle(reply)
        if not ended(actions):
            actions = exercise.handle(reply)  # asked once more, briefly, then taken as not now
        assert ended(actions)
        assert any(isinstance(a, Save) for a in actions) is saves, reply


def test_after_a_restart_the_open_question_comes_back():
    exercise = flow()
    exercise.handle(Answer("b"))
    again, _ = resumable(resume_point(exercise.snapshot(), {}), load_pack("en"))
    assert again.answers == ["b"] and keys(again.resume()) == ["attachment.questions[1]", "attachment.options[1]"]


def test_the_test_in_english_through_the_cli_saved_on_yes(tmp_path):
    log = tmp_path / "session.jsonl"
    run = assistant("attachment", "--text", "--quiet", "--log", str(log), stdin="b\nI panic\nc\nyes\n")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert "Guide: Most of your answers were B. That points to an anxious style: when your partner pulls back, " \
           "you fear losing them." in lines
    assert "Guide: Your one piece of advice: practise being alone, and build a life of your own as well." in lines
    assert "Guide: Saved in your journal." in lines
    journal = assistant("journal").stdout
    assert "  result: anxious" in journal and "  answers: B, B, C" in journal
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert {"kind": "save", "exercise": "attachment", "items": 2}.items() <= \
        next(r for r in records if r["kind"] == "save").items()


def test_the_test_in_dutch_through_the_cli_not_saved_without_a_clear_yes():
    run = assistant("attachment", "--text", "--quiet", "--lang", "nl",
                    stdin="a\nopgelucht\nik trek me terug\nmisschien\n\n")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert "Gids: Je antwoordde vooral A. Dat wijst op een vermijdende stijl: als het dichtbij komt of heftig " \
           "wordt, trek je je vaak terug." in lines
    assert "Gids: Jouw ene advies: blijf in het gesprek, ook als het ongemakkelijk voelt." in lines
    assert "Gids: Heb geduld met jezelf. Zo'n verandering duurt één tot drie jaar." in lines
    assert lines.count("Gids: Ja of nee?") == 1 and "Gids: Goed, er is niets bewaard." in lines
    assert assistant("journal", "--lang", "nl").stdout.startswith("Je dagboek is nog leeg.")


def test_a_disclosure_stops_the_test_with_the_help_lines():
    run = assistant("attachment", "--text", "--quiet", "--country", "be", "--lang", "nl",
                    stdin="b\nik ben bang dat hij me weer slaat\n")
    assert run.returncode == 0 and "1712" in run.stdout and "Gids: Die slaan we over." not in run.stdout
