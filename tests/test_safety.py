"""The safety stop: a disclosure in any exercise, at any step, ends the session with the help lines.

Everything runs through the real CLI's main() in text mode (conftest.run_main); the log must name the
category, never the words.
"""
import json

import pytest

from assistant.content import load_pack
from assistant.understanding.safety import SafetyListener
from conftest import run_main

NO_SAFE_WORD = {"en": "no\n", "nl": "nee\n"}  # the offer before a first mirror or weekly check-in


def assistant(*args, stdin="", env=None):
    return run_main(*args, stdin=stdin, env=env)


def records(log):
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("lang, text, category", [
    ("en", "he only grabbed my arm once when he was drunk", "violence"),
    ("en", "sometimes i think everyone would be better off without me", "self_harm"),
    ("en", "i'm scared of what he'll do when he gets home", "fear"),
    ("en", "she checks my phone every night and i'm not allowed to see my friends", "control"),
    ("en", "he calls me worthless in front of the kids", "humiliation"),
    ("en", "i said no but he kept going", "sexual"),
    ("nl", "Ik ben bang als hij drinkt. Vorige week duwde hij me tegen de kast.", "violence"),
    ("nl", "ik wil me veilig voelen in mijn eigen huis", "fear"),
    ("nl", "soms denk ik dat iedereen beter af is zonder mij", "self_harm"),
    ("nl", "hij klopt mij als hij zat is", "violence"),
    ("nl", "ik zie het echt niet meer zitten", "self_harm"),
])
def test_disclosures_are_heard_also_when_played_down(lang, text, category):
    assert SafetyListener.from_pack(load_pack(lang)).finding(text).label == category


@pytest.mark.parametrize("lang, text", [
    ("en", "this deadline is killing me"),
    ("en", "I'm afraid we'll argue about money again"),
    ("en", "we watched a film where he hits her and it upset me"),
    ("en", "the news about the stabbing in town scared me"),
    ("en", "she beat me at chess again"),
    ("en", "he pushed me to apply for the job and I'm glad he did"),
    ("en", "he would never hit me, he is the gentlest man i know"),
    ("nl", "ik schrok me dood toen de deur dichtsloeg"),
    ("nl", "ik ben bang dat we weer ruzie krijgen over geld"),
    ("nl", "die deadline maakt me helemaal kapot"),
    ("nl", "hij heeft me nooit geslagen, hij is gewoon stil"),
    ("nl", "dat klopt, ik was moe vandaag"),
])
def test_everyday_language_that_only_sounds_dramatic_does_not_stop_anything(lang, text):
    assert SafetyListener.from_pack(load_pack(lang)).finding(text) is None


DISCLOSURE = {"en": "last week he pushed me against the wall and grabbed my throat",
              "nl": "vorige week duwde hij me tegen de muur en greep hij me bij mijn keel"}
HELP = {"en": ("--country", "gb", "National Domestic Abuse Helpline", "Samaritans"),
        "nl": ("--country", "nl", "Veilig Thuis", "113 Zelfmoordpreventie")}
# Each exercise and step: what is typed before the disclosure comes.
STEPS = {
    "daily, first answer": (["checkin", "daily"], {"en": "", "nl": ""}),
    "daily, a later answer": (["checkin", "daily"], {"en": "tired\n", "nl": "moe\n"}),
    "weekly, answer": (["checkin", "weekly"], {"en": "no\n", "nl": "nee\n"}),
    "weekly, the safe-word offer": (["checkin", "weekly"], {"en": "", "nl": ""}),
    "fronts, a pattern": (["checkin", "fronts"], {"en": "", "nl": ""}),
    "mirror, speaking": (["mirror", "--first", "Anna"], NO_SAFE_WORD),
    "mirror, reflection": (["mirror", "--first", "Anna"],
                           {"en": "no\nI feel alone done\n", "nl": "nee\nik voel me alleen klaar\n"}),
    "mirror, response": (["mirror", "--first", "Anna", "--no-need"],
                         {"en": "no\nI feel alone\nwhat i hear is that you feel alone, is that right?\nyes\nno\n",
                          "nl": "nee\nik voel me alleen\nwat ik hoor is dat je je alleen voelt, klopt dat?\n"
                                "ja\nnee\n"}),
    "safe-word set-up": (["safeword"], {"en": "", "nl": ""}),
    "checklist": (["checklist"], {"en": "yes\nno\n", "nl": "ja\nnee\n"}),
}


SOLO = {"fronts, a pattern", "checklist"}  # exercises for one person take no names


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("step", list(STEPS))
def test_a_disclosure_at_any_step_ends_the_session_with_the_help_lines(tmp_path, lang, step):
    command, before = STEPS[step]
    flag, country, abuse_line, crisis_line = HELP[lang]
    log = tmp_path / "session.jsonl"
    names = [] if step in SOLO else ["--names", "Anna,Ben"]
    run = assistant(*command, "--text", "--quiet", "--lang", lang, *names, flag, country,
                    "--log", str(log), stdin=before[lang] + DISCLOSURE[lang] + "\nmore words\n")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    pack = load_pack(lang)
    guide = pack.text("transcript.guide")
    stop_at = lines.index(f"{guide}: {pack.text('safety.stop')}")
    assert abuse_line in lines[stop_at + 1] and crisis_line in lines[stop_at + 2]
    assert lines[-1] == f"{guide}: {pack.text('safety.end')}"  # no closing ritual, no hug, no score
    said = [r for r in records(log) if r["kind"] == "safety"]
    assert [r["category"] for r in said] == ["violence"]
    assert "keel" not in log.read_text(encoding="utf-8") and "throat" not in log.read_text(encoding="utf-8")
    after_the_stop = records(log)[[r["kind"] for r in records(log)].index("safety"):]
    assert not any(r["kind"] == "end" for r in after_the_stop)


def test_thoughts_of_suicide_name_the_crisis_line_first():
    run = assistant("checkin", "daily", "--text", "--quiet", "--country", "us",
                    stdin="honestly i don't want to be here anymore\n")
    lines = run.stdout.splitlines()
    stop_at = lines.index("Guide: " + load_pack("en").text("safety.stop"))
    assert "988" in lines[stop_at + 1] and "Domestic Violence Hotline" in lines[stop_at + 2]
    assert "911" in lines[stop_at + 3]


def test_the_return_from_a_pause_hears_a_disclosure_too(tmp_path):
    log = tmp_path / "session.jsonl"
    run = assistant("checkin", "daily", "--text", "--quiet", "--pause-minutes", "0.02", "--country", "be",
                    "--log", str(log), "--lang", "nl",
                    env={"XDG_CONFIG_HOME": str(tmp_path / "config")},
                    stdin="ananas\n" + DISCLOSURE["nl"] + "\n")
    # no safe word configured: "ananas" is an ordinary answer; so set one and try again
    config = tmp_path / "config" / "assistant" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('safe_word = "ananas"\n', encoding="utf-8")
    run = assistant("checkin", "daily", "--text", "--quiet", "--pause-minutes", "0.02", "--country", "be",
                    "--log", str(log), "--lang", "nl", env={"XDG_CONFIG_HOME": str(tmp_path / "config")},
                    stdin="ananas\n" + DISCLOSURE["nl"] + "\n")
    out = run.stdout
    assert run.returncode == 0, run.stderr
    kinds = [r["kind"] for r in records(log)]
    assert "pause" in kinds and kinds[-1] == "say"
    assert "Gids: Bij geweld, misbruik of angst thuis kun je gratis 1712 bellen." in out
    assert out.splitlines()[-1] == "Gids: " + load_pack("nl").text("safety.end")


def test_the_next_session_within_a_day_opens_with_the_help_lines_once():
    assistant("checkin", "daily", "--text", "--quiet", "--country", "gb", stdin=DISCLOSURE["en"] + "\n")
    reminder = "Guide: " + load_pack("en").text("safety.reminder")
    second = assistant("checkin", "daily", "--text", "--quiet", "--country", "gb", stdin="stop\n")
    assert second.stdout.splitlines()[0] == reminder
    assert "National Domestic Abuse Helpline" in second.stdout.splitlines()[1]
    assert DISCLOSURE["en"] not in second.stdout
    third = assistant("checkin", "daily", "--text", "--quiet", "--country", "gb", stdin="stop\n")
    assert reminder not in third.stdout


def test_an_unwritable_state_folder_does_not_stop_the_safety_stop(tmp_path):
    state = tmp_path / "state"
    state.write_text("a file where the state folder should be")
    run = assistant("checkin", "daily", "--text", "--quiet", "--country", "nl", "--lang", "nl",
                    env={"XDG_STATE_HOME": str(state)}, stdin=DISCLOSURE["nl"] + "\n")
    assert run.returncode == 0, run.stderr
    assert "Veilig Thuis" in run.stdout and "Traceback" not in run.stderr


@pytest.mark.parametrize("lang, locale, expected", [
    ("nl", "nl_NL.UTF-8", "Veilig Thuis"), ("nl", "nl_BE.UTF-8", "1712"), ("en", "en_US.UTF-8", "988"),
    ("en", "en_GB.UTF-8", "Samaritans"), ("en", "C.UTF-8", "findahelpline.com"),
])
def test_help_speaks_when_to_get_help_and_the_lines_of_the_locale(lang, locale, expected):
    run = assistant("help", "--text", "--quiet", "--lang", lang, env={"LANG": locale, "LC_ALL": ""})
    assert run.returncode == 0, run.stderr
    assert expected in run.stdout
    pack = load_pack(lang)
    assert pack.text("help.urgent", highest=4) in run.stdout  # the checklist's own thresholds
    assert pack.text("helplines.other.emergency" if locale.startswith("C") else "help.lines") in run.stdout


def test_an_unknown_country_is_refused_with_one_sentence():
    run = assistant("help", "--text", "--quiet", "--country", "mars")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "nl, be, us, gb, other" in run.stderr


def test_the_safe_word_set_up_says_it_is_not_for_danger():
    run = assistant("safeword", "--text", "--quiet", "--country", "us", stdin="stop\n")
    lines = run.stdout.splitlines()
    at = lines.index("Guide: " + load_pack("en").text("safeword.not_for_danger"))
    assert "Domestic Violence Hotline" in lines[at + 1]
