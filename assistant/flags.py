"""The command line's shape: which options each subcommand has, and the help line of each.

Every subcommand lists only the options it uses (a test runs each `--help` against this table).
Every word of the help is in the language pack (`cli.toml`): the help lines, the placeholders
for values (FILE, BESTAND), the section titles and the usage line's label, in the language of
`--lang` when it is given, else the system's.
"""
from __future__ import annotations

import argparse
import re
import sys
from importlib import metadata
from pathlib import Path
from typing import NoReturn

# dest -> (option strings, argparse keywords, the help line's key); a "metavar" is the key of the
# placeholder that stands for the option's value.
OPTIONS: dict[str, tuple[tuple[str, ...], dict, str]] = {
    "lang": (("--lang",), {"metavar": "cli.value.lang"}, "cli.lang"),
    "config": (("--config",), {"type": Path, "metavar": "cli.value.file"}, "cli.config"),
    "names": (("--names",), {"metavar": "cli.value.names"}, "cli.names"),
    "country": (("--country",), {"metavar": "cli.value.code"}, "cli.country"),
    "pause_minutes": (("--pause-minutes",), {"metavar": "cli.value.number"}, "cli.pause_minutes"),
    "model": (("--model",), {"type": Path, "metavar": "cli.value.folder"}, "cli.model"),
    "log": (("--log",), {"type": Path, "metavar": "cli.value.file"}, "cli.log"),
    "output": (("--output",), {"type": Path, "metavar": "cli.value.wav"}, "cli.output"),
    "input": (("--input",), {"type": Path, "metavar": "cli.value.file"}, "cli.input"),
    "text": (("--text",), {"action": "store_true"}, "cli.text"),
    "quiet": (("--quiet",), {"action": "store_true"}, "cli.quiet"),
    "input_device": (("--input-device",), {"metavar": "cli.value.device"}, "cli.input_device"),
    "output_device": (("--output-device",), {"metavar": "cli.value.device"}, "cli.output_device"),
    "minutes": (("--minutes",), {"metavar": "cli.value.number"}, "cli.minutes"),
    "first": (("--first",), {"metavar": "cli.value.name"}, "cli.first"),
    "rounds": (("--rounds",), {"type": int, "default": 2, "metavar": "cli.value.number"}, "cli.rounds"),
    "need": (("--no-need",), {"action": "store_false"}, "cli.no_need"),
    "turn_minutes": (("--turn-minutes",), {"metavar": "cli.value.number"}, "cli.turn_minutes"),
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
# argparse's own error messages (its gettext message ids, the same from Python 3.10 to 3.13) and the
# pack's sentence for each; what argparse names in them (an option, a value) is kept as it wrote it.
ARGUMENT = re.compile(r"argument (?P<argument>.+?): (?P<problem>.+)", re.S)
PROBLEMS = [(re.compile(pattern, re.S), key) for pattern, key in (
    (r"the following arguments are required: (?P<names>.+)", "cli.error.required"),
    (r"unrecognized arguments: (?P<words>.+)", "cli.error.unrecognized"),
    (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)", "cli.error.ambiguous"),
    (r"expected one argument", "cli.error.expected_one"),
    (r"expected at most one argument", "cli.error.expected_at_most_one"),
    (r"expected at least one argument", "cli.error.expected_at_least_one"),
    (r"invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)", "cli.error.invalid_choice"),
    (r"invalid int value: (?P<value>.+)", "cli.error.invalid_number"),
    (r"invalid \S+ value: (?P<value>.+)", "cli.error.invalid_value"),
    (r"not allowed with argument (?P<other>.+)", "cli.error.not_allowed_with"),
    (r"ignored explicit argument (?P<value>.+)", "cli.error.no_value_taken"),
)]
DEMO_OUTPUT = Path("demo-session.wav")
PROG = "assistant"  # the command's name, the same in every language


def version() -> str:
    try:
        return metadata.version("assistant")
    except metadata.PackageNotFoundError:
        return "unknown"


def all_defaults() -> dict[str, object]:
    """Every option's value when it is not given: also for commands that don't have it, so the
    code after parsing can read any of them."""
    defaults: dict[str, object] = {"kind": None, "words": [], "when": [], "target": None, "source": None,
                                   "name": None, "path_lang": None, "models_command": None}
    for dest, (_, keywords, _) in OPTIONS.items():
        action = keywords.get("action")
        defaults[dest] = keywords.get("default", action == "store_false" if action else None)
    return defaults


class Parser(argparse.ArgumentParser):
    """A parser whose own words come from the pack: the usage line's label, the section titles of the
    arguments and the options, and -h. Its subcommands' parsers are Parsers too (argparse makes them
    with the class of the parser they belong to)."""

    def __init__(self, pack, **keywords) -> None:
        super().__init__(add_help=False, formatter_class=_labelled(pack.text("cli.usage")), **keywords)
        self.pack = pack
        self.arguments = self.add_argument_group(pack.text("cli.arguments"))
        self.options = self.add_argument_group(pack.text("cli.options"))
        self.options.add_argument("-h", "--help", action="help", help=pack.text("cli.help"))

    def error(self, message: str) -> NoReturn:
        """argparse's complaint in the user's language, with the usage line and where to read more."""
        self.print_usage(sys.stderr)
        self.exit(2, self.pack.text("cli.error.line", command=self.prog, problem=in_words(self.pack, message)) + "\n")

    def argument(self, *names: str, help_key: str, metavar: str | None = None, group=None, **keywords) -> None:
        """An argument (`names` start with "--": an option) with its help line and the placeholder for
        its value from the pack; `group`: a mutually exclusive group of the options."""
        if metavar is not None:
            keywords["metavar"] = self.pack.text(metavar)
        group = group or (self.options if names[0].startswith("-") else self.arguments)
        group.add_argument(*names, help=self.pack.text(help_key), **keywords)


def in_words(pack, message: str) -> str:
    """argparse's message as the pack says it; one it doesn't know (a newer Python's) stays as it is."""
    named = ARGUMENT.fullmatch(message)
    argument, problem = (named["argument"], named["problem"]) if named else (None, message)
    for pattern, key in PROBLEMS:
        if found := pattern.fullmatch(problem):
            return pack.text(key, argument=argument, **found.groupdict())
    return message


def _labelled(usage: str) -> type[argparse.HelpFormatter]:
    """argparse's formatter with the pack's label before the usage line."""
    class Formatter(argparse.HelpFormatter):
        def add_usage(self, text, actions, groups, prefix=None) -> None:
            super().add_usage(text, actions, groups, f"{usage} " if prefix is None else prefix)

    return Formatter


def add_options(parser: Parser, command: str) -> None:
    """The options of `command`, each with its help line; --input and --text exclude each other."""
    dests = COMMANDS[command]
    either = parser.options.add_mutually_exclusive_group() if {"input", "text"} <= set(dests) else None
    for dest in dests:
        flags, keywords, key = OPTIONS[dest]
        parser.argument(*flags, dest=dest, help_key=SPECIAL_HELP.get((command, dest), key),
                        group=either if dest in ("input", "text") else None, **keywords)
    for dest in HIDDEN.get(command, ()):
        flags, keywords, _ = OPTIONS[dest]
        parser.add_argument(*flags, dest=dest, **{**keywords, "help": argparse.SUPPRESS, "metavar": None})
    if command == "demo":
        parser.set_defaults(output=DEMO_OUTPUT)


def sub(commands, name: str, pack, full: str = "") -> Parser:
    """A subcommand's parser, with the pack's help line for it."""
    line = pack.text(COMMAND_HELP[full or name])
    return commands.add_parser(name, pack=pack, help=line, description=line)


def choices(parser: Parser, dest: str, metavar_key: str, title_key: str):
    """The parser's subcommands, under the pack's title for them."""
    return parser.add_subparsers(dest=dest, required=True, metavar=parser.pack.text(metavar_key),
                                 title=parser.pack.text(title_key))


def build(pack) -> Parser:
    parser = Parser(pack, prog=PROG, description=pack.text("cli.description"))
    parser.options.add_argument("--version", action="version", version=f"{PROG} {version()}",
                                help=pack.text("cli.version"))
    commands = choices(parser, "command", "cli.value.command", "cli.commands")
    kinds = choices(sub(commands, "checkin", pack), "kind", "cli.value.kind", "cli.kinds")
    for kind in ("daily", "weekly", "fronts"):
        add_options(sub(kinds, kind, pack, full=f"checkin {kind}"), f"checkin {kind}")
    for name in ("mirror", "safeword", "pause", "checklist", "appreciate", "attachment", "help", "journal", "demo"):
        add_options(sub(commands, name, pack), name)
    remind = sub(commands, "remind", pack)
    remind.argument("when", nargs="*", metavar="remind.value_when", help_key="remind.when_help")
    add_options(remind, "remind")
    add_options(sub(commands, "history", pack), "history")
    say = sub(commands, "say", pack)
    say.argument("words", nargs="+", metavar="cli.value.words", help_key="cli.words")
    add_options(say, "say")
    for name in ("listen", "devices", "doctor"):
        add_options(sub(commands, name, pack), name)
    actions = choices(sub(commands, "models", pack), "models_command", "cli.value.action", "cli.actions")
    add_options(sub(actions, "list", pack, full="models list"), "models list")
    install = sub(actions, "install", pack, full="models install")
    install.argument("target", nargs="?", metavar="cli.value.model", help_key="cli.target")
    install.argument("--from", dest="source", type=Path, metavar="cli.value.source", help_key="cli.source")
    add_options(install, "models install")
    remove = sub(actions, "remove", pack, full="models remove")
    remove.argument("name", metavar="cli.value.name", help_key="cli.remove_name")
    add_options(remove, "models remove")
    path = sub(actions, "path", pack, full="models path")
    path.argument("path_lang", nargs="?", metavar="cli.value.lang_code", help_key="cli.path_lang")
    add_options(path, "models path")
    return parser
