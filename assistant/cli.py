"""The `assistant` command: parse flags, build settings, hand over to the session or a tool."""
from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from .content import available_languages, load_pack, system_language
from .errors import UserError
from .settings import Settings, load_settings

EXIT_INTERRUPTED = 130


def _session_flags(parser: argparse.ArgumentParser, *, io: bool = True) -> None:
    parser.add_argument("--lang", help=f"language: {', '.join(available_languages())} (default: config, else system)")
    parser.add_argument("--names", help="the two partners' names, for example Anna,Ben")
    parser.add_argument("--config", type=Path, help="settings file (default: ~/.config/assistant/config.toml)")
    parser.add_argument("--model", type=Path, help="a vosk model folder to use instead of the one in models/")
    parser.add_argument("--log", type=Path, help="write a JSON Lines event log to this file")
    parser.add_argument("--output", type=Path, help="write the session to this WAV file instead of the speaker")
    parser.add_argument("--pause-minutes", type=float, help="how long the pause after the safe word lasts (default 20)")
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
    checkin.add_argument("--minutes", type=float, help="timebox in minutes (weekly: 30 to 45)")
    _session_flags(checkin)
    mirror = commands.add_parser("mirror", help="mirroring practice: one speaks, the other reflects back")
    mirror.add_argument("--first", help="who speaks first (one of the names); default: the assistant picks")
    mirror.add_argument("--rounds", type=int, default=2, help="speaking turns in all (default 2: each partner once)")
    mirror.add_argument("--no-need", dest="need", action="store_false", help="skip the question about the need")
    mirror.add_argument("--turn-minutes", type=float, help="the longest a speaking turn may last (default 2)")
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
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    settings = load_settings(getattr(args, "config", None))
    names = None
    if getattr(args, "names", None):
        names = tuple(n.strip() for n in args.names.split(","))
        if len(names) != 2 or not all(names):
            raise UserError("bad_names")
    changes = {"lang": getattr(args, "lang", None), "names": names,
               "input_device": getattr(args, "input_device", None),
               "output_device": getattr(args, "output_device", None)}
    if getattr(args, "kind", None) in ("daily", "weekly") and args.minutes:
        changes[f"{args.kind}_minutes"] = args.minutes
    if getattr(args, "pause_minutes", None):
        changes["pause_minutes"] = args.pause_minutes
    if getattr(args, "turn_minutes", None):
        changes["mirror_turn_minutes"] = args.turn_minutes
    return settings.replace(**changes).validate(None)


def _run(args: argparse.Namespace, settings: Settings) -> None:
    from . import tools  # imported here: `assistant --help` needs none of the audio stack

    handlers = {"checkin": tools.checkin, "mirror": tools.mirror, "safeword": tools.safeword, "pause": tools.pause,
                "demo": tools.demo, "journal": tools.show_journal,
                "say": tools.say, "listen": tools.listen, "devices": tools.devices}
    handlers[args.command](args, settings)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # the transcript appears as it happens, also in a pipe
    pack = load_pack(system_language())
    try:
        settings = _settings(args)
        pack = load_pack(settings.lang)
        _run(args, settings)
    except UserError as problem:
        print(problem.sentence(pack), file=sys.stderr)
        return problem.exit_code
    except KeyboardInterrupt:
        print("\n" + pack.text("errors.interrupted"), file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        with contextlib.suppress(OSError):
            sys.stdout.close()
        return 0
    return 0
