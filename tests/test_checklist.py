"""The relationship checklist: twenty yes or no questions, the method's ranges, help lines in the
"get help" ranges, and a score that is saved only on a yes."""
import pytest

from assistant.content import load_pack
from assistant.exercises.checklist import score_range
from conftest import run_main as assistant


@pytest.mark.parametrize("healthy, expected", [(20, "healthy"), (15, "healthy"), (14, "improve"), (10, "improve"),
                                               (9, "red_flag"), (5, "red_flag"), (4, "crisis"), (0, "crisis")])
def test_the_ranges_are_the_methods(healthy, expected):
    assert score_range(healthy) == expected


def test_all_yes_is_healthy_and_the_score_is_saved_on_yes():
    run = assistant("checklist", "--text", "--quiet", stdin="yes\n" * 20 + "yes\n")
    assert run.returncode == 0, run.stderr
    pack = load_pack("en")
    assert "Guide: You answered yes to 20 of the 20 questions." in run.stdout
    assert "Guide: " + pack.text("checklist.range_healthy") in run.stdout
    assert "help lines" not in run.stdout.lower() and "112" not in run.stdout
    assert "  score: 20/20" in assistant("journal").stdout


def test_a_crisis_score_says_so_gives_the_help_lines_and_saves_nothing_on_no():
    run = assistant("checklist", "--text", "--quiet", "--country", "nl", stdin="yes\n" * 3 + "no\n" * 17 + "no\n")
    assert "Guide: You answered yes to 3 of the 20 questions." in run.stdout
    assert "Guide: " + load_pack("en").text("checklist.range_crisis") in run.stdout
    assert "Veilig Thuis" in run.stdout and "112" in run.stdout
    assert "Guide: Okay, nothing was saved." in run.stdout
    assert assistant("journal").stdout.startswith("Your journal is empty.")


def test_an_unclear_answer_is_asked_once_more_briefly_then_skipped_and_counted_in_dutch():
    answers = "misschien\nweet niet\n" + "ja\n" * 12 + "nee\n" * 7 + "nee\n"
    run = assistant("checklist", "--text", "--quiet", "--lang", "nl", "--country", "be", stdin=answers)
    lines = run.stdout.splitlines()
    assert lines.count("Gids: Ja of nee?") == 1
    assert "Gids: Die slaan we over." in lines
    assert "Gids: Je zei ja op 12 van de 20 vragen." in lines
    assert "Gids: Je hebt één vraag overgeslagen." in lines
    assert "Gids: " + load_pack("nl").text("checklist.range_improve") in lines
    assert "1712" not in run.stdout  # room to improve is not the "get help" range


def test_both_packs_hold_twenty_questions():
    assert len(load_pack("en").items("checklist.items")) == len(load_pack("nl").items("checklist.items")) == 20
