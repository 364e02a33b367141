"""Faithful to the method, and a guide that never nags: each item through the CLI in text mode, in
both languages, read back from the JSONL log and the printed lines (issue 11)."""
import json
import os
import subprocess
import sys

import pytest

from assistant.content import load_pack

LANGS = ["en", "nl"]
NAMES = "Anna,Ben"


def run_cli(tmp_path, *args, stdin="", lang="en"):
    """`assistant ARGS --text --quiet --lang LANG --log LOG`: the printed lines and the log's records."""
    log = tmp_path / f"log-{lang}.jsonl"
    run = subprocess.run([sys.executable, "-m", "assistant", *args, "--text", "--quiet", "--lang", lang,
                          "--log", str(log)], input=stdin, capture_output=True, text=True, timeout=60,
                         env=os.environ.copy())
    assert run.returncode == 0, run.stderr
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    return run.stdout, records


def said(records):
    return [(r["key"], r["text"]) for r in records if r["kind"] == "say"]


def heard(records):
    return [(r["event"], r.get("text") or r.get("name")) for r in records if r["kind"] == "heard"]


def words(lang, key):
    return load_pack(lang).items(key)


@pytest.mark.parametrize("lang", LANGS)
def test_daily_question_three_is_the_methods_open_question(tmp_path, lang):
    _, records = run_cli(tmp_path, "checkin", "daily", "--names", NAMES, stdin="a\nb\nc\nd\ne\n", lang=lang)
    third = [text for key, text in said(records) if key == "checkin.daily.questions[2]"]
    assert [text.split(",")[0] for text in third] == ["Anna", "Ben"]
    # Open: after the name comes a question word, never a verb that asks for yes or no ("was there ...?").
    first_word = third[0].split(", ", 1)[1].split()[0].lower()
    assert first_word in {"en": {"what", "which", "when"}, "nl": {"wat", "welk", "welke", "wanneer"}}[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_in_text_mode_a_line_is_a_whole_answer_and_a_lone_done_closes_it(tmp_path, lang):
    done = words(lang, "commands.done")[0]
    deadline = {"en": "the deadline is done", "nl": "de deadline is klaar"}[lang]
    stdin = f"I felt calm\n{done}\n{deadline}\n{done}\n{words(lang, 'commands.next')[0]}\n"
    _, records = run_cli(tmp_path, "checkin", "daily", "--names", NAMES, stdin=stdin, lang=lang)
    # "done" after Anna's answer is not Ben's answer and does not skip Ben's question; the word at
    # the end of Ben's answer stays in it; "next" alone is the control word.
    assert heard(records)[:3] == [("answer", "I felt calm"), ("answer", deadline), ("command", "next")]
    asked = [(key, text.split(",")[0]) for key, text in said(records) if key.startswith("checkin.daily.questions")]
    assert asked[:4] == [("checkin.daily.questions[0]", "Anna"), ("checkin.daily.questions[0]", "Ben"),
                         ("checkin.daily.questions[1]", "Anna"), ("checkin.daily.questions[1]", "Ben")]


@pytest.mark.parametrize("lang", LANGS)
def test_a_control_word_alone_on_a_line_acts_as_the_control_word(tmp_path, lang):
    stop = words(lang, "commands.stop")[0]
    _, records = run_cli(tmp_path, "checkin", "daily", "--names", NAMES, stdin=f"I felt calm\n{stop}\n", lang=lang)
    assert heard(records) == [("answer", "I felt calm"), ("command", "stop")]
    assert said(records)[-1][0] == "checkin.stopped"
