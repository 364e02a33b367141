"""The `assistant` command: parse flags, build settings, hand over to the session or a tool."""
from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from pathlib import Path

from .content import available_languages, load_pack, system_language
from .errors import Detail, UserError
from .settings import Settings, config_file, load_settings, parse_number
from .text import printable

EXIT_INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, as shells report it
# SIGTERM (a shutdown, `kill`) and SIGHUP (the terminal closed) end a session the way Ctrl-C does:
# the same calm sentence, everything closed in order, a running pause kept on disk. The exit code
# is the shell's usual one for each, 128 + the signal's number: 143 for SIGTERM, 129 for SIGHUP.
STOP_SIGNALS = ("SIGTERM", "SIGHUP")


class Stopped(KeyboardInterrupt):
    """A stop signal, raised in the main thread like Ctrl-C's KeyboardInterrupt."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum, frame) -> None:
    for name in STOP_SIGNALS:  # the first one counts; a second during the clean-up changes nothing
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    raise Stopped(signum)


def _stop_on_signals() -> None:
    for name in STOP_SIGNALS:
        number = getattr(signal, name, None)  # Windows has no SIGHUP
        if number is not None:
            with contextlib.suppress(ValueError, OSError):  # ValueError: main() called off the main thread
                signal.signal(number, _stop)


def _session_flags(parser: argparse.ArgumentParser, *, io: bool = True) -> None:
    parser.add_argument("--lang", help=f"language: {', '.join(available_languages())} (default: config, else system)")
    parser.add_argument("--names", help="the two partners' names, for example Anna,Ben")
    parser.add_argument("--country", help="whose help lines: nl, be, us, gb or other (default: from the locale)")
    parser.add_argument("--config", type=Path, help="settings file (default: ~/.config/assistant/config.toml)")
    parser.add_argument("--model", type=Path, help="a vosk model folder to use instead of the one in models/")
    parser.add_argument("--log", type=Path, help="write a JSON Lines event log to this file")
    parser.add_argument("--output", type=Path, help="write the session to this WAV file instead of the speaker")
    parser.add_argument("--pause-minutes", help="how long the pause after the safe word lasts (default 20)")
    if io:
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--input", type=Path, help="hear this audio file instead of the microphone")
        source.add_argument("--text", action="store_true", help="type: one line on stdin is one utterance")
        parser.add_argument("--quiet", action="store_true", help="print the prompts without speaking them")
        parser.add_argument("--input-device", help="microphone: a number or name from `assistant devices`")
    parser.add_argument("--output-device", help="speaker: a number or name from `assistant devices`")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="Offline, voice-guided practice for couples.")
    commands = parser.add_subparsers(dest="command", required=True)
    checkin = commands.add_parser("checkin", help="a guided check-in: daily, weekly, or the four fronts")
    checkin.add_argument("kind", choices=["daily", "weekly", "fronts"])
    checkin.add_argument("--minutes", help="timebox in minutes (weekly: 30 to 45)")
    _session_flags(checkin)
    mirror = commands.add_parser("mirror", help="mirroring practice: one speaks, the other reflects back")
    mirror.add_argument("--first", help="who speaks first (one of the names); default: the assistant picks")
    mirror.add_argument("--rounds", type=int, default=2, help="speaking turns in all (default 2: each partner once)")
    mirror.add_argument("--no-need", dest="need", action="store_false", help="skip the question about the need")
    mirror.add_argument("--turn-minutes", help="the longest a speaking turn may last (default 2)")
    _session_flags(mirror)
    safeword = commands.add_parser("safeword", help="choose your safe word together")
    _session_flags(safeword)
    pause = commands.add_parser("pause", help="start the safe word's pause now; --status shows a running one")
    pause.add_argument("--status", action="store_true", help="only show the time left")
    _session_flags(pause)
    demo = commands.add_parser("demo", help="two simulated partners do a daily check-in, written to a WAV file")
    _session_flags(demo, io=False)
    demo.set_defaults(output=Path("demo-session.wav"))
    journal = commands.add_parser("journal", help="show what you chose to save")
    _session_flags(journal, io=False)
    say = commands.add_parser("say", help="speak a line: a quick voice check")
    say.add_argument("words", nargs="+")
    _session_flags(say, io=False)
    listen = commands.add_parser("listen", help="print what the microphone hears: a quick model check")
    _session_flags(listen)
    commands.add_parser("devices", help="list audio devices")
    help_lines = commands.add_parser("help", help="when to get professional help, and the help lines")
    _session_flags(help_lines)
    checklist = commands.add_parser("checklist", help="the relationship checklist: twenty yes or no questions, alone")
    _session_flags(checklist)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    """Defaults < config file < flags. Every flag given is checked, also 0 and "": none is ignored."""
    lang = getattr(args, "lang", None)
    lang = lang.strip().lower() if lang is not None else None  # --lang EN is English
    try:
        settings = load_settings(getattr(args, "config", None))
        final = settings.replace(**_flag_changes(args, lang)).validate(None)
        final.check_safe_word(config_file(getattr(args, "config", None)))  # again, in the language in use
        return final
    except UserError as problem:  # said in the language asked for, when there is one
        if lang in available_languages():
            problem.lang = lang
        raise


def _flag_changes(args: argparse.Namespace, lang: str | None) -> dict:
    names = None
    if getattr(args, "names", None) is not None:
        names = tuple(n.strip() for n in args.names.split(","))
        if len(names) != 2 or not all(names):
            raise UserError("bad_names")
    country = getattr(args, "country", None)
    changes = {"lang": lang, "names": names, "country": country.strip().lower() if country is not None else None,
               "input_device": getattr(args, "input_device", None),
               "output_device": getattr(args, "output_device", None)}
    numbers = {"pause_minutes": getattr(args, "pause_minutes", None),
               "mirror_turn_minutes": getattr(args, "turn_minutes", None)}
    if getattr(args, "minutes", None) is not None:
        if args.kind not in ("daily", "weekly"):
            raise UserError("bad_flag", detail=Detail("settings.no_timebox"))
        numbers[f"{args.kind}_minutes"] = args.minutes
    for name, text in numbers.items():
        if text is not None:
            changes[name] = parse_number(name, text)
    return changes


def _run(args: argparse.Namespace, settings: Settings) -> None:
    from . import tools  # imported here: `assistant --help` needs none of the audio stack
    from .conductor import SafetyStop

    handlers = {"checkin": tools.checkin, "mirror": tools.mirror, "safeword": tools.safeword, "pause": tools.pause,
                "demo": tools.demo, "journal": tools.show_journal,
                "say": tools.say, "listen": tools.listen, "devices": tools.devices,
                "help": tools.help_lines, "checklist": tools.checklist}
    try:
        handlers[args.command](args, settings)
    except SafetyStop:  # the session ended with the help lines, as it should: not a failure
        pass


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # the transcript appears as it happens, also in a pipe
    pack = load_pack(system_language())
    _stop_on_signals()
    try:
        settings = _settings(args)
        pack = load_pack(settings.lang)
        _run(args, settings)
    except UserError as problem:
        # printable: a file name or a name in the sentence may hold escapes
        print(printable(problem.sentence(load_pack(problem.lang) if problem.lang else pack)), file=sys.stderr)
        return problem.exit_code
    except KeyboardInterrupt as stop:
        with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
            print("\n" + pack.text("errors.interrupted"), file=sys.stderr)
        return 128 + stop.signum if isinstance(stop, Stopped) else EXIT_INTERRUPTED
    except BrokenPipeError:
        with contextlib.suppress(OSError):
            sys.stdout.close()
        return 0
    return 0
