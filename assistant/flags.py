"""The command line's shape: which options each subcommand has, and the help line of each.

Every subcommand lists only the options it uses (a test runs each `--help` against this table).
The help lines are in the language pack (`cli.toml`), in the language of `--lang` when it is
given, else the system's.
"""
from __future__ import annotations

import argparse
from importlib import metadata
from pathlib import Path

# dest -> (option strings, argparse keywords, the help line's key)
OPTIONS: dict[str, tuple[tuple[str, ...], dict, str]] = {
    "lang": (("--lang",), {"metavar": "LANG"}, "cli.lang"),
    "config": (("--config",), {"type": Path, "metavar": "FILE"}, "cli.config"),
    "names": (("--names",), {"metavar": "A,B"}, "cli.names"),
    "country": (("--country",), {"metavar": "CODE"}, "cli.country"),
    "pause_minutes": (("--pause-minutes",), {"metavar": "N"}, "cli.pause_minutes"),
    "model": (("--model",), {"type": Path, "metavar": "FOLDER"}, "cli.model"),
    "log": (("--log",), {"type": Path, "metavar": "FILE"}, "cli.log"),
    "output": (("--output",), {"type": Path, "metavar": "FILE.wav"}, "cli.output"),
    "input": (("--input",), {"type": Path, "metavar": "FILE"}, "cli.input"),
    "text": (("--text",), {"action": "store_true"}, "cli.text"),
    "quiet": (("--quiet",), {"action": "store_true"}, "cli.quiet"),
    "input_device": (("--input-device",), {"metavar": "DEVICE"}, "cli.input_device"),
    "output_device": (("--output-device",), {"metavar": "DEVICE"}, "cli.output_device"),
    "minutes": (("--minutes",), {"metavar": "N"}, "cli.minutes"),
    "first": (("--first",), {"metavar": "NAME"}, "cli.first"),
    "rounds": (("--rounds",), {"type": int, "default": 2, "metavar": "N"}, "cli.rounds"),
    "need": (("--no-need",), {"action": "store_false"}, "cli.no_need"),
    "turn_minutes": (("--turn-minutes",), {"metavar": "N"}, "cli.turn_minutes"),
    "status": (("--status",), {"action": "store_true"}, "cli.status"),
}
# What a session hears and where it speaks: every command that runs an exercise has these.
HEARING = ("input", "text", "quiet", "output", "log", "model", "input_device", "output_device")
BASE = ("lang", "config")
# Solo exercises have no partner names; a pause can start in any exercise, so each has --pause-minutes.
SOLO = BASE + ("country", "pause_minutes") + HEARING
TOGETHER = BASE + ("names", "country", "pause_minutes") + HEARING
COMMANDS: dict[str, tuple[str, ...]] = {
    "checkin daily": TOGETHER + ("minutes",),
    "checkin weekly": TOGETHER + ("minutes",),
    "checkin fronts": SOLO,
    "mirror": TOGETHER + ("first", "rounds", "need", "turn_minutes"),
    "safeword": TOGETHER,
    "pause": BASE + ("status", "country", "pause_minutes") + HEARING,
    "help": SOLO,
    "checklist": SOLO,
    "appreciate": TOGETHER,
    "attachment": SOLO,
    "remind": SOLO,
    "history": BASE,
    "demo": BASE + ("names", "output", "log", "model"),
    "journal": BASE,
    "say": BASE + ("output", "output_device"),
    "listen": BASE + ("model", "input", "input_device"),
    "devices": BASE,
    "doctor": BASE + ("input_device", "output_device"),
    "models list": BASE,
    "models install": BASE,
    "models remove": BASE,
    "models path": BASE,
}
# Accepted but not listed: `checkin fronts --minutes` gets a sentence saying the reflection has no
# time limit (settings.no_timebox) rather than argparse's "unrecognized arguments".
HIDDEN: dict[str, tuple[str, ...]] = {"checkin fronts": ("minutes",)}
# The help line of each command, in the order `assistant --help` lists them.
COMMAND_HELP = {
    "checkin": "cli.checkin", "checkin daily": "cli.checkin_daily", "checkin weekly": "cli.checkin_weekly",
    "checkin fronts": "cli.checkin_fronts", "mirror": "cli.mirror", "safeword": "cli.safeword",
    "pause": "cli.pause", "checklist": "cli.checklist", "appreciate": "appreciate.command_help",
    "attachment": "attachment.command_help", "remind": "remind.command_help", "history": "history.command_help",
    "help": "cli.help_command", "journal": "cli.journal",
    "demo": "cli.demo", "say": "cli.say", "listen": "cli.listen", "devices": "cli.devices",
    "doctor": "cli.doctor", "models": "cli.models", "models list": "cli.models_list",
    "models install": "cli.models_install", "models remove": "cli.models_remove", "models path": "cli.models_path",
}
# Help lines that differ from the option's usual one for a command.
SPECIAL_HELP = {("demo", "output"): "cli.demo_output", ("say", "output"): "cli.say_output",
                ("checkin weekly", "minutes"): "cli.weekly_minutes"}
DEMO_OUTPUT = Path("demo-session.wav")


def version() -> str:
    try:
        return metadata.version("assistant")
    except metadata.PackageNotFoundError:
        return "unknown"


def all_defaults() -> dict[str, object]:
    """Every option's value when it is not given: also for commands that don't have it, so the
    code after parsing can read any of them."""
    defaults = {"kind": None, "words": [], "when": [], "target": None, "source": None, "name": None, "path_lang": None,
                "models_command": None}
    for dest, (_, keywords, _) in OPTIONS.items():
        action = keywords.get("action")
        defaults[dest] = keywords.get("default", action == "store_false" if action else None)
    return defaults


def add_options(parser: argparse.ArgumentParser, command: str, pack) -> None:
    """The options of `command`, each with its help line; --input and --text exclude each other."""
    dests = COMMANDS[command]
    group = parser.add_mutually_exclusive_group() if {"input", "text"} <= set(dests) else parser
    for dest in dests:
        flags, keywords, key = OPTIONS[dest]
        target = group if dest in ("input", "text") else parser
        target.add_argument(*flags, dest=dest, help=pack.text(SPECIAL_HELP.get((command, dest), key)), **keywords)
    for dest in HIDDEN.get(command, ()):
        flags, keywords, _ = OPTIONS[dest]
        parser.add_argument(*flags, dest=dest, help=argparse.SUPPRESS, **keywords)
    if command == "demo":
        parser.set_defaults(output=DEMO_OUTPUT)


def help_option(parser: argparse.ArgumentParser, pack) -> None:
    parser.add_argument("-h", "--help", action="help", help=pack.text("cli.help"))


def sub(commands, name: str, pack, **keywords) -> argparse.ArgumentParser:
    """A subcommand parser with the pack's help line and a translated -h."""
    full = keywords.pop("full", name)
    parser = commands.add_parser(name, help=pack.text(COMMAND_HELP[full]), description=pack.text(COMMAND_HELP[full]),
                                 add_help=False, **keywords)
    help_option(parser, pack)
    return parser


def build(pack) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description=pack.text("cli.description"), add_help=False)
    help_option(parser, pack)
    parser.add_argument("--version", action="version", version=f"assistant {version()}", help=pack.text("cli.version"))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                     title=pack.text("cli.commands"))
    checkin = sub(commands, "checkin", pack)
    kinds = checkin.add_subparsers(dest="kind", required=True, metavar="KIND", title=pack.text("cli.kinds"))
    for kind in ("daily", "weekly", "fronts"):
        add_options(sub(kinds, kind, pack, full=f"checkin {kind}"), f"checkin {kind}", pack)
    for name in ("mirror", "safeword", "pause", "checklist", "appreciate", "attachment", "help", "journal", "demo"):
        add_options(sub(commands, name, pack), name, pack)
    remind = sub(commands, "remind", pack)
    remind.add_argument("when", nargs="*", metavar="WHEN", help=pack.text("remind.when_help"))
    add_options(remind, "remind", pack)
    add_options(sub(commands, "history", pack), "history", pack)
    say = sub(commands, "say", pack)
    say.add_argument("words", nargs="+", metavar="WORDS", help=pack.text("cli.words"))
    add_options(say, "say", pack)
    for name in ("listen", "devices", "doctor"):
        add_options(sub(commands, name, pack), name, pack)
    models = sub(commands, "models", pack)
    actions = models.add_subparsers(dest="models_command", required=True, metavar="ACTION",
                                    title=pack.text("cli.actions"))
    add_options(sub(actions, "list", pack, full="models list"), "models list", pack)
    install = sub(actions, "install", pack, full="models install")
    install.add_argument("target", nargs="?", metavar="en|nl|NAME", help=pack.text("cli.target"))
    install.add_argument("--from", dest="source", type=Path, metavar="FILE.zip|FOLDER", help=pack.text("cli.source"))
    add_options(install, "models install", pack)
    remove = sub(actions, "remove", pack, full="models remove")
    remove.add_argument("name", metavar="NAME", help=pack.text("cli.remove_name"))
    add_options(remove, "models remove", pack)
    path = sub(actions, "path", pack, full="models path")
    path.add_argument("path_lang", nargs="?", metavar="en|nl", help=pack.text("cli.path_lang"))
    add_options(path, "models path", pack)
    return parser
