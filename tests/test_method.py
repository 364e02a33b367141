"""Faithful to the method, and a guide that never nags (issue 11): each item through the CLI in text
mode (its main() in this process, conftest.run_main; a subprocess where a test types as the guide
speaks), in both languages, read back from the JSONL log and the printed lines."""
import json
import os
import re
import subprocess
import sys
import time

import pytest

from assistant.content import load_pack, read_pack_files
from conftest import run_main

LANGS = ["en", "nl"]
NAMES = "Anna,Ben"


def cli(*args, stdin=""):
    return run_main(*args, stdin=stdin)


def run_text(tmp_path, *args, stdin="", lang="en"):
    """`assistant ARGS --text --quiet --lang LANG --log LOG`: the printed lines and the log's records."""
    log = tmp_path / f"log-{lang}-{time.monotonic_ns()}.jsonl"
    run = cli(*args, "--text", "--quiet", "--lang", lang, "--log", str(log), stdin=stdin)
    assert run.returncode == 0, run.stderr
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    return run.stdout, records


def said(records):
    return [(r["key"], r["text"]) for r in records if r["kind"] == "say"]


def said_keys(records):
    return [key for key, _ in said(records)]


def heard(records):
    return [(r["event"], r.get("text") or r.get("name")) for r in records if r["kind"] == "heard"]


def text(lang, key, **values):
    return load_pack(lang).text(key, **values)


def word(lang, command):
    return load_pack(lang).items(f"commands.{command}")[0]


def guide_lines(stdout):
    return [line for line in stdout.splitlines() if line.startswith(("Guide: ", "Gids: "))]


def assert_never_three_in_a_row(lines):
    """No prompt is repeated word for word more than twice in a row."""
    for first, second, third in zip(lines, lines[1:], lines[2:]):
        assert not first == second == third, first


# --- faithful to the method --------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_daily_question_three_is_the_methods_open_question(tmp_path, lang):
    _, records = run_text(tmp_path, "checkin", "daily", "--names", NAMES, stdin="a\nb\nc\nd\ne\n", lang=lang)
    third = [line for key, line in said(records) if key == "checkin.daily.questions[2]"]
    assert [line.split(",")[0] for line in third] == ["Anna", "Ben"]
    # Open: after the name comes a question word, never a verb that asks for yes or no ("was there ...?").
    first_word = third[0].split(", ", 1)[1].split()[0].lower()
    assert first_word in {"en": {"what", "which", "when"}, "nl": {"wat", "welk", "welke", "wanneer"}}[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_the_weekly_reflects_agrees_one_change_and_keeps_it_after_yes(tmp_path, lang):
    no, yes = word(lang, "no"), word(lang, "yes")
    script = [no,  # no safe word now
              "the walk", yes, "and the dinner", "",  # Anna: room for more, then silence: no more
              "the flowers", no,
              "when you worked late", no,  # Anna: not seen or supported
              "what I hear is you felt alone, is that right?", "not alone, unseen",  # Ben reflects, Anna corrects
              "what I hear is you felt unseen, is that right?", yes,
              "I leave work at six twice a week, OK?", "three times",  # Ben offers, Anna adjusts
              yes]  # Ben accepts the adjusted change
    stdout, records = run_text(tmp_path, "checkin", "weekly", "--names", NAMES, stdin="\n".join(script) + "\n",
                               lang=lang)
    keys = said_keys(records)
    assert keys[keys.index("checkin.weekly.questions[1]"):] == [
        "checkin.weekly.questions[1]", "checkin.weekly.more", "checkin.weekly.reflect", "checkin.weekly.confirm",
        "checkin.weekly.reflect_again", "checkin.weekly.confirm", "checkin.weekly.propose", "checkin.weekly.accept",
        "checkin.weekly.accept", "checkin.weekly.agreed", "checkin.weekly.questions[1]", "checkin.input_ended"]
    assert keys.count("checkin.weekly.more") == 3
    assert "checkin.weekly.more_again" in keys and "checkin.weekly.go_on" in keys
    assert text(lang, "checkin.weekly.agreed", agreement="three times") in stdout
    # The greeting's minutes are the timebox's, the method's 30 to 45.
    time_up = [r["seconds"] for r in records if r["kind"] == "timer" and r["name"] == "time_up"]
    assert text(lang, "checkin.weekly.greeting", minutes=45) in stdout and time_up == [2700]

    # The whole weekly, agreements read back and kept only after a yes; the journal in the user's language.
    skip = word(lang, "next")
    rest = [skip, skip, skip, "money", no, "holidays", no]  # Ben's question 2 and both 3s skipped
    script[-1:] = [yes] + rest
    for answer, entries in ((no, 0), (yes, 1)):
        run_text(tmp_path, "checkin", "weekly", "--names", NAMES, stdin="\n".join(script + [answer]) + "\n", lang=lang)
        journal = cli("journal", "--lang", lang).stdout
        assert journal.count(text(lang, "journal.kind_weekly")) == entries
    label = text(lang, "checkin.weekly.agreement_label", name="Anna", other="Ben")
    assert f"  {label}: three times" in journal


@pytest.mark.parametrize("lang", LANGS)
def test_stop_in_the_weekly_offers_the_pause_first_and_stops_politely_on_no(tmp_path, lang):
    config = tmp_path / "config.toml"
    config.write_text('safe_word = "crocodile"\npause_minutes = 0.02\n')
    stop, yes, no = word(lang, "stop"), word(lang, "yes"), word(lang, "no")
    _, records = run_text(tmp_path, "checkin", "weekly", "--config", str(config), "--names", NAMES,
                          stdin=f"the walk\n{stop}\n{no}\n", lang=lang)
    assert said_keys(records)[-3:] == ["checkin.weekly.more", "checkin.weekly.offer_pause", "checkin.stopped"]
    _, records = run_text(tmp_path, "checkin", "weekly", "--config", str(config), "--names", NAMES,
                          stdin=f"{stop}\n{yes}\n", lang=lang)
    pausing = [r["action"] for r in records if r["kind"] == "pause"]
    keys = said_keys(records)
    assert keys[keys.index("checkin.weekly.offer_pause") + 1] == "pause.announce" and pausing[:2] == ["asked", "start"]
    # The rules and the controls say the same: we pause, we don't quit; stop first offers the pause.
    dont_quit = {"en": "We don't quit.", "nl": "We geven niet op."}[lang]
    assert text(lang, "checkin.weekly.rules").endswith(dont_quit) and text(lang, "checkin.weekly.controls").endswith(
        dont_quit)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("minutes", ["3", "1"])
def test_every_number_the_daily_greeting_says_agrees_with_its_timer(tmp_path, lang, minutes):
    _, records = run_text(tmp_path, "checkin", "daily", "--minutes", minutes, "--names", NAMES, stdin="", lang=lang)
    key, greeting = said(records)[0]
    assert key == "checkin.daily.greeting"
    time_up = [r["seconds"] for r in records if r["kind"] == "timer" and r["name"] == "time_up"]
    number, unit = re.search(r"(\d+) (minutes|minute|minuten|minuut)\b", greeting).groups()
    assert time_up == [int(number) * 60] and number == minutes
    assert unit == {("en", "1"): "minute", ("en", "3"): "minutes", ("nl", "1"): "minuut", ("nl", "3"): "minuten"}[
        lang, minutes]


@pytest.mark.parametrize("lang", LANGS)
def test_the_pause_says_why_twenty_minutes_no_slamming_doors_and_how_to_ask_for_time(tmp_path, lang):
    config = tmp_path / "config.toml"
    config.write_text('safe_word = "crocodile"\npause_minutes = 0.05\npause_marks_minutes = []\n')
    env = os.environ.copy()
    process = subprocess.Popen([sys.executable, "-m", "assistant", "checkin", "daily", "--text", "--quiet", "--lang",
                                lang, "--names", NAMES, "--config", str(config)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 60

    def read_until(line):
        seen = []
        while time.monotonic() < deadline:
            seen.append(process.stdout.readline())
            if line in seen[-1]:
                return seen
        raise AssertionError(f"never saw {line!r} in {seen}")

    def write(line):
        process.stdin.write(line + "\n")
        process.stdin.flush()

    try:
        read_until(text(lang, "checkin.daily.questions[0]", name="Anna"))
        write("crocodile")
        announced = "".join(read_until(text(lang, "pause.calming")))
        assert {"en": "No slamming doors.", "nl": "Niet met deuren slaan."}[lang] in announced
        why = {"en": "twenty minutes to calm down", "nl": "twintig minuten nodig om"}[lang]
        assert why in text(lang, "pause.calming")
        read_until(text(lang, "pause.return_prompt"))
        write({"en": "I want to solve this. Let's try again, more calmly.",
               "nl": "Ik wil dit oplossen. Laten we opnieuw proberen, rustiger."}[lang])
        read_until(text(lang, "pause.waiting"))  # the first is back: thank you, waiting for the other
        write("hmm")
        again = "".join(read_until(text(lang, "pause.return_again")))
        asking = {"en": "I need time to process this. Can we talk about it tomorrow?",
                  "nl": "Ik heb tijd nodig om dit te verwerken. Kunnen we het er morgen over hebben?"}[lang]
        assert asking in again
        write(asking)
        tomorrow = "".join(read_until(text(lang, "pause.tomorrow", at="")[:-2]))
        assert re.search(r"\d\d:\d\d", tomorrow)
    finally:
        process.kill()
        process.wait(10)


@pytest.mark.parametrize("lang", LANGS)
def test_fronts_offer_the_example_when_stuck_and_keep_patterns_with_the_actions(tmp_path, lang):
    yes = word(lang, "yes")
    stdin = "\n".join(["", "I go quiet", "call her", "p2", "a2", "p3", "a3", "p4", "a4", yes]) + "\n"
    stdout, records = run_text(tmp_path, "checkin", "fronts", stdin=stdin, lang=lang)
    keys = said_keys(records)
    assert keys[keys.index("checkin.fronts.pattern"):][:4] == [
        "checkin.fronts.pattern", "checkin.fronts.example_intro", "checkin.fronts.pattern_examples[0]",
        "checkin.fronts.own_words"]
    assert {"en": "24 to 72 hours", "nl": "24 tot 72 uur"}[lang] in text(lang, "checkin.fronts.action")
    assert text(lang, "checkin.fronts.action") in stdout
    journal = cli("journal", "--lang", lang).stdout
    first = load_pack(lang).items("checkin.fronts.fronts")[0]
    assert journal.splitlines()[0].endswith(text(lang, "journal.kind_fronts"))
    assert f"  {text(lang, 'checkin.fronts.pattern_label', front=first)}: I go quiet" in journal
    assert f"  {text(lang, 'checkin.fronts.action_label', front=first)}: call her" in journal


@pytest.mark.parametrize("lang", LANGS)
def test_the_mirror_summary_says_what_went_well_not_a_score(tmp_path, lang):
    yes, no = word(lang, "yes"), word(lang, "no")
    reflection = {"en": "what I hear is you miss our evenings, is that right?",
                  "nl": "wat ik hoor is dat je onze avonden mist, klopt dat?"}[lang]
    response = {"en": "I miss them too, I feel the same", "nl": "ik wil ook graag meer samen zijn"}[lang]
    # The response twice: a response coached once is taken the second time (the coaching is not what this tests).
    stdin = "\n".join(["I miss our evenings", reflection, yes, no, response, response]) + "\n"
    config = tmp_path / "config.toml"
    config.write_text('safe_word = "crocodile"\n')
    stdout, records = run_text(tmp_path, "mirror", "--names", NAMES, "--first", "Anna", "--rounds", "1", "--no-need",
                               "--config", str(config), stdin=stdin, lang=lang)
    assert "mirror.summary_landed" in said_keys(records)
    assert next(r for r in records if r["kind"] == "summary")["landed"] == 1
    assert not re.search(r"\d+ (of|van de) \d+", stdout)


@pytest.mark.parametrize("lang", LANGS)
def test_the_dutch_and_english_lines_read_naturally(tmp_path, lang):
    """The lines the issue found wrong are gone from every pack value, and from what is printed."""
    wrong = ["het liefste moment", "zonder al te antwoorden", "nog niet over hadden", "Houd dat allebei even vast",
             "Gedane rondes", "Welkom bij de spiegel", "Dank jullie voor de tijd die je nam", "1 minuten", "1 minutes"]
    values = [v for flat in read_pack_files(lang).values() for v in flat.values() if isinstance(v, str)]
    assert not [v for v in values for phrase in wrong if phrase in v]
    stdout, _ = run_text(tmp_path, "checkin", "weekly", "--names", NAMES, "--minutes", "30",
                         stdin=f"{word(lang, 'no')}\n", lang=lang)
    stdout += run_text(tmp_path, "checkin", "daily", "--names", NAMES, stdin=f"a\n{word(lang, 'stop')}\n",
                       lang=lang)[0]
    assert not [phrase for phrase in wrong if phrase in stdout]


# --- a guide that never nags ---------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_an_unclear_answer_to_a_yes_or_no_question_is_asked_once_short_then_taken_as_not_now(tmp_path, lang):
    garbage = "\n".join(["what is a safe word?", "hmm", "I don't know", "maybe"] * 4) + "\n"
    stdout, records = run_text(tmp_path, "checkin", "weekly", "--names", NAMES, stdin=garbage, lang=lang)
    keys = said_keys(records)
    assert keys[:4] == ["safeword.offer", "safeword.yes_or_no", "safeword.not_now", "safeword.later"]
    assert text(lang, "safeword.yes_or_no") in {"en": ["Yes or no?"], "nl": ["Ja of nee?"]}[lang]
    assert keys.count("safeword.offer") == 1
    assert_never_three_in_a_row(guide_lines(stdout))
    # The fronts' save question likewise: once short, then not now, and nothing is saved.
    stdout, records = run_text(tmp_path, "checkin", "fronts", stdin="a\nb\nc\nd\ne\nf\ng\nh\nmaybe\nperhaps\n",
                               lang=lang)
    assert said_keys(records)[-5:] == ["checkin.fronts.ask_save", "checkin.yes_or_no", "checkin.not_now",
                                       "checkin.fronts.not_saved", "checkin.fronts.closing"]
    assert_never_three_in_a_row(guide_lines(stdout))
    assert cli("journal", "--lang", lang).stdout.strip() == text(lang, "journal.empty")


@pytest.mark.parametrize("lang", LANGS)
def test_no_prompt_is_repeated_word_for_word_more_than_twice_in_a_row(tmp_path, lang):
    # Words that can't be the safe word, again and again: the set-up gives up kindly, never loops.
    stdin = "\n".join(["two words"] * 10) + "\n"
    stdout, records = run_text(tmp_path, "safeword", stdin=stdin, lang=lang)
    assert said_keys(records).count("safeword.refuse_words") == 2 and said_keys(records)[-1] == "safeword.later"
    assert_never_three_in_a_row(guide_lines(stdout))


@pytest.mark.parametrize("lang", LANGS)
def test_in_text_mode_a_line_is_a_whole_answer_and_a_lone_done_closes_it(tmp_path, lang):
    done = word(lang, "done")
    deadline = {"en": "the deadline is done", "nl": "de deadline is klaar"}[lang]
    stdin = f"I felt calm\n{done}\n{deadline}\n{done}\n{word(lang, 'next')}\n"
    _, records = run_text(tmp_path, "checkin", "daily", "--names", NAMES, stdin=stdin, lang=lang)
    # "done" after Anna's answer is not Ben's answer and does not skip Ben's question; the word at
    # the end of Ben's answer stays in it; "next" alone is the control word.
    assert heard(records)[:3] == [("answer", "I felt calm"), ("answer", deadline), ("command", "next")]
    asked = [(key, line.split(",")[0]) for key, line in said(records) if key.startswith("checkin.daily.questions")]
    assert asked[:4] == [("checkin.daily.questions[0]", "Anna"), ("checkin.daily.questions[0]", "Ben"),
                         ("checkin.daily.questions[1]", "Anna"), ("checkin.daily.questions[1]", "Ben")]


@pytest.mark.parametrize("lang", LANGS)
def test_a_control_word_alone_on_a_line_acts_as_the_control_word(tmp_path, lang):
    stop = word(lang, "stop")
    _, records = run_text(tmp_path, "checkin", "daily", "--names", NAMES, stdin=f"I felt calm\n{stop}\n", lang=lang)
    assert heard(records) == [("answer", "I felt calm"), ("command", "stop")]
    assert said_keys(records)[-1] == "checkin.stopped"
