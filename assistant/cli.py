"""The `assistant` command: parse flags, build settings, hand over to the session or a tool."""
from __future__ import annotations

import argparse
import contextlib
import io
import signal
import sys
import warnings

from .content import available_languages, load_pack, system_language
from .errors import Detail, UserError
from .models import check_explicit
from .settings import Settings, config_file, load_settings, parse_number
from .terminal import TERMINAL
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


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser, its help in the language of `--lang` when `argv` has one, else the system's."""
    from .flags import build

    return build(load_pack(_help_language(sys.argv[1:] if argv is None else argv)))


def _help_language(argv: list[str]) -> str:
    for index, word in enumerate(argv):
        value = word.partition("=")[2] if word.startswith("--lang=") else (
            argv[index + 1] if word == "--lang" and index + 1 < len(argv) else None)
        if value is not None and value.strip().lower() in available_languages():
            return value.strip().lower()
    return system_language()


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


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from . import model_commands

    if args.command in ("models", "doctor"):  # no audio stack: these must work where it is broken
        return {"models": model_commands.models, "doctor": model_commands.doctor}[args.command](args, settings) or 0
    from . import practice_commands as practice
    from . import subcommands  # imported here: `assistant --help` needs none of the audio stack
    from .conductor import SafetyStop

    handlers = {"checkin": subcommands.checkin, "mirror": subcommands.mirror, "safeword": subcommands.safeword,
                "pause": subcommands.pause, "demo": subcommands.demo, "journal": subcommands.show_journal,
                "say": subcommands.say, "listen": subcommands.listen, "devices": subcommands.devices,
                "help": subcommands.help_lines, "checklist": subcommands.checklist,
                "appreciate": practice.appreciate, "attachment": practice.attachment, "remind": practice.remind,
                "history": practice.show_history}
    try:
        handlers[args.command](args, settings)
    except SafetyStop:  # the session ended with the help lines, as it should: not a failure
        pass
    except UserError as problem:
        raise _for_command(problem, args.command) from None
    return 0


def _for_command(problem: UserError, command: str) -> UserError:
    """A sentence whose fix fits the command: `say` has no --text, `demo` no --quiet."""
    values = problem.values
    if problem.key == "no_audio" and command == "say":
        better = UserError("no_speaker_say", problem.exit_code, **values)
    elif problem.key == "no_audio" and command == "listen":
        better = UserError("no_microphone_listen", problem.exit_code, **values)
    elif problem.key == "voice_failed" and command in ("demo", "say"):
        better = UserError("voice_missing", problem.exit_code, **values)
    else:
        return problem
    better.lang = problem.lang
    return better


def _parse(argv: list[str] | None) -> argparse.Namespace:
    from .flags import all_defaults

    args = build_parser(argv).parse_args(argv)
    for dest, default in all_defaults().items():  # the options a command doesn't have: their defaults
        if not hasattr(args, dest):
            setattr(args, dest, default)
    return args


def main(argv: list[str] | None = None) -> int:
    # pydub warns on import when ffmpeg is missing; it is needed only to read audio files that are
    # not WAV, and then bad_input says so (and `assistant doctor` shows it).
    warnings.filterwarnings("ignore", message="Couldn't find ffmpeg", category=RuntimeWarning)
    args = _parse(argv)
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)  # the transcript appears as it happens, also in a pipe
    pack = load_pack(system_language())
    _stop_on_signals()
    try:
        if args.model is not None:
            check_explicit(args.model)
        try:
            settings = _settings(args)
        except UserError as problem:
            if args.command != "doctor":
                raise
            args.config_problem = problem  # the doctor shows it as a row, and checks the rest
            settings = Settings(lang=problem.lang or Settings().lang)
        pack = load_pack(settings.lang)
        return _run(args, settings)
    except UserError as problem:
        # printable: a file name or a name in the sentence may hold escapes
        TERMINAL.problem(printable(problem.sentence(load_pack(problem.lang) if problem.lang else pack)))
        return problem.exit_code
    except KeyboardInterrupt as stop:
        with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
            TERMINAL.problem("\n" + pack.text("errors.interrupted"))
        return 128 + stop.signum if isinstance(stop, Stopped) else EXIT_INTERRUPTED
    except BrokenPipeError:
        with contextlib.suppress(OSError):
            sys.stdout.close()
        return 0
