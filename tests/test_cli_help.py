"""Every subcommand's --help lists the options that subcommand uses, and only those.

`USES` is written from what each command's code reads (subcommands.py, model_commands.py, demo.py),
not from flags.py, so the two are checked against each other.
"""
import re

import pytest

SESSION = {"--lang", "--config", "--country", "--pause-minutes", "--input", "--text", "--quiet", "--output",
           "--log", "--model", "--input-device", "--output-device"}
USES = {
    # partner names are asked by name; --minutes is the timebox; a pause can start in any exercise
    "checkin daily": SESSION | {"--names", "--minutes"},
    "checkin weekly": SESSION | {"--names", "--minutes"},
    "checkin fronts": SESSION,  # alone: no names, no timebox
    "mirror": SESSION | {"--names", "--first", "--rounds", "--no-need", "--turn-minutes"},
    "safeword": SESSION | {"--names"},
    "pause": SESSION | {"--status"},
    "help": SESSION,
    "checklist": SESSION,
    "appreciate": SESSION | {"--names"},  # each partner by name
    "attachment": SESSION,  # alone
    "remind": SESSION,  # alone: the time is the argument; the offer of a timer is spoken
    "history": {"--lang", "--config"},  # printed from the state folder: no devices
    "demo": {"--lang", "--config", "--names", "--output", "--log", "--model"},  # scripted: no devices, no typing
    "journal": {"--lang", "--config"},
    "say": {"--lang", "--config", "--output", "--output-device"},
    "listen": {"--lang", "--config", "--model", "--input", "--input-device"},
    "devices": {"--lang", "--config"},
    "doctor": {"--lang", "--config", "--input-device", "--output-device"},
    "models list": {"--lang", "--config"},
    "models install": {"--lang", "--config", "--from"},
    "models remove": {"--lang", "--config"},
    "models path": {"--lang", "--config"},
}


def help_text(capsys, command: str) -> str:
    from assistant.cli import build_parser

    with pytest.raises(SystemExit) as done:
        build_parser([]).parse_args([*command.split(), "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def listed_options(text: str) -> set[str]:
    return set(re.findall(r"^  (--[a-z-]+)", text, re.M)) - {"--help"}


@pytest.mark.parametrize("command", sorted(USES))
def test_each_help_lists_exactly_the_options_its_command_uses(capsys, command):
    text = help_text(capsys, command)
    assert listed_options(text) == USES[command]
    for line in re.findall(r"^  --[a-z-]+.*$", text, re.M):  # each with its description
        assert len(line.split(None, 2)) >= 2, line


def test_the_flag_table_covers_every_command():
    from assistant.flags import COMMANDS

    assert set(COMMANDS) == set(USES)


def test_a_group_lists_its_kinds_each_with_a_line_and_a_kind_has_its_own_help(capsys):
    group = help_text(capsys, "checkin")
    for kind in ("daily", "weekly", "fronts"):
        assert re.search(rf"^    {kind} +\S", group, re.M), kind
    daily = help_text(capsys, "checkin daily")
    assert daily != group and daily.splitlines()[0].startswith("usage: assistant checkin daily")
    assert "the 10-minute daily check-in for two partners" in daily
    assert "the weekly check-in for two partners" in help_text(capsys, "checkin weekly")
    assert "two simulated partners do a daily check-in and a round of mirroring" in help_text(capsys, "demo")
    models = help_text(capsys, "models")
    for action in ("list", "install", "remove", "path"):
        assert re.search(rf"^    {action} +\S", models, re.M), action


@pytest.mark.parametrize("args", [
    ["journal", "--model", "x"], ["journal", "--pause-minutes", "5"], ["journal", "--log", "x"],
    ["say", "hi", "--names", "A,B"], ["say", "hi", "--text"], ["checkin", "fronts", "--names", "A,B"],
    ["demo", "--text"],
])
def test_an_option_a_command_does_not_use_is_refused(capsys, args):
    from assistant.cli import main

    with pytest.raises(SystemExit) as done:
        main(args)
    assert done.value.code == 2 and "not understood: " in capsys.readouterr().err


@pytest.mark.parametrize("args, en, nl", [
    ([], "assistant: still missing: COMMAND. 'assistant --help' shows all the options.",
     "assistant: er ontbreekt nog: OPDRACHT. 'assistant --help' toont alle mogelijkheden."),
    (["checkin"], "assistant checkin: still missing: KIND. 'assistant checkin --help' shows all the options.",
     "assistant checkin: er ontbreekt nog: SOORT. 'assistant checkin --help' toont alle mogelijkheden."),
    (["models", "chekin"], "assistant models: there is no 'chekin'; choose from 'list', 'install', 'remove', 'path'. "
     "'assistant models --help' shows all the options.",
     "assistant models: 'chekin' bestaat niet; kies uit 'list', 'install', 'remove', 'path'. "
     "'assistant models --help' toont alle mogelijkheden."),
    (["mirror", "--rounds", "x"], "assistant mirror: --rounds needs a whole number, not 'x'. "
     "'assistant mirror --help' shows all the options.",
     "assistant mirror: --rounds vraagt een geheel getal, niet 'x'. "
     "'assistant mirror --help' toont alle mogelijkheden."),
    (["checkin", "daily", "--text", "--input", "a.wav"], "assistant checkin daily: --input and --text can't be used "
     "together. 'assistant checkin daily --help' shows all the options.",
     "assistant checkin daily: --input en --text gaan niet samen. 'assistant checkin daily --help' toont alle "
     "mogelijkheden."),
    (["journal", "--foo"], "assistant: not understood: --foo. 'assistant --help' shows all the options.",
     "assistant: niet begrepen: --foo. 'assistant --help' toont alle mogelijkheden."),
    (["journal", "--lang"],
     "assistant journal: --lang needs a value. 'assistant journal --help' shows all the options.",
     "assistant journal: --lang heeft een waarde nodig. 'assistant journal --help' toont alle mogelijkheden."),
    (["say"], "assistant say: still missing: WORDS. 'assistant say --help' shows all the options.",
     "assistant say: er ontbreekt nog: WOORDEN. 'assistant say --help' toont alle mogelijkheden."),
    (["pause", "--status=3"], "assistant pause: --status takes no value, but got '3'. "
     "'assistant pause --help' shows all the options.",
     "assistant pause: --status neemt geen waarde aan, maar kreeg '3'. "
     "'assistant pause --help' toont alle mogelijkheden."),
    (["mirror", "--ro", "2", "--tu", "3", "--no", "--na", "A,B"], None, None),  # abbreviations that are unique: fine
])
def test_argparse_s_own_complaints_come_in_the_user_s_language(capsys, args, en, nl):
    """Under the usage line, one sentence: what is wrong and where to look, in the language of the system."""
    from assistant.content import load_pack
    from assistant.flags import build

    for lang, expected in (("en", en), ("nl", nl)):
        if expected is None:
            build(load_pack(lang)).parse_args(args)
            continue
        with pytest.raises(SystemExit) as done:
            build(load_pack(lang)).parse_args(args)
        err = capsys.readouterr().err
        assert done.value.code == 2 and err.splitlines()[-1] == expected
        assert err.splitlines()[0].startswith("usage: " if lang == "en" else "gebruik: ")


def test_an_ambiguous_abbreviation_is_named_in_the_user_s_language(capsys):
    from assistant.content import load_pack
    from assistant.flags import build

    with pytest.raises(SystemExit):
        build(load_pack("nl")).parse_args(["mirror", "--t"])
    assert capsys.readouterr().err.splitlines()[-1].startswith("assistant mirror: --t kan --text, --turn-minutes "
                                                               "betekenen: schrijf het voluit.")


def test_every_message_of_argparse_we_translate_is_one_this_python_says():
    """A newer Python that words a message differently fails here, not silently in English for a user."""
    import argparse
    import inspect
    import re

    from assistant.flags import ARGUMENT, PROBLEMS

    source = inspect.getsource(argparse)
    said = {m for m in re.findall(r"_\('([^']*)'\)", source)}
    assert "argument %(argument_name)s: %(message)s" in said and ARGUMENT.pattern.startswith("argument ")
    for pattern, key in PROBLEMS:
        text = re.sub(r"\(\?P<\w+>[^)]*\)", "%s", pattern.pattern).replace("\\S+", "%s").replace("\\", "")
        assert any(re.sub(r"%(\(\w+\))?[sr]", "%s", m) == text.replace("int", "%s") or
                   re.sub(r"%(\(\w+\))?[sr]", "%s", m) == text for m in said), (key, text)


def test_version_and_help_in_the_language_asked_for(capsys):
    from assistant.cli import build_parser
    from assistant.flags import version

    with pytest.raises(SystemExit):
        build_parser(["--version"]).parse_args(["--version"])
    assert capsys.readouterr().out.strip() == f"assistant {version()}" and version() != "unknown"
    with pytest.raises(SystemExit):
        build_parser(["--lang", "nl"]).parse_args(["journal", "--lang", "nl", "--help"])
    assert "toon wat je hebt laten bewaren" in capsys.readouterr().out


def test_every_word_of_the_help_is_in_the_language_asked_for(capsys):
    from assistant.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser(["--lang", "nl"]).parse_args(["models", "install", "--lang", "nl", "--help"])
    dutch = capsys.readouterr().out
    assert dutch.startswith("gebruik: assistant models install")
    assert "\nargumenten:\n" in dutch and "\nopties:\n" in dutch
    assert "--config BESTAND" in dutch and "--from BESTAND.zip|MAP" in dutch and "[en|nl|NAAM]" in dutch
    for english in ("usage:", "options:", "positional arguments:", "FILE", "FOLDER", "NAME"):
        assert english not in dutch, english
