"""What each `assistant` subcommand does, once its settings are known."""
from __future__ import annotations

import argparse
import contextlib
import json
import random

from .audio.device import list_devices
from .audio.output import SpeakerOutput, WavFileOutput
from .audio.sources import FileSource, MicrophoneSource
from .clock import SimulatedClock, SystemClock
from .content import load_pack
from .demo import run_demo
from .errors import UserError
from .exercises.checkin import Checkin, fronts_plan, partner_plan
from .exercises.coaching import Coach, NeedFinder
from .exercises.mirror import Mirror, MirrorPlan
from .models import require_model
from .session import Channels, device, journal, open_conductor, voice
from .settings import Settings
from .speech import recognizer


def _channels(args: argparse.Namespace) -> Channels:
    return Channels(text=args.text, quiet=args.quiet, input_file=args.input, output_file=args.output,
                    log_file=args.log, model=args.model)


def checkin(args: argparse.Namespace, settings: Settings) -> None:
    pack = load_pack(settings.lang)
    if args.kind == "fronts":
        plan = fronts_plan(pack.items("checkin.fronts.fronts"))
    else:
        names = partner_names(settings, pack)
        minutes = settings.daily_minutes if args.kind == "daily" else settings.weekly_minutes
        plan = partner_plan(args.kind, names, len(pack.items(f"checkin.{args.kind}.questions")), minutes)
    with contextlib.ExitStack() as stack:
        open_conductor(settings, _channels(args), stack).run(Checkin(plan))


def partner_names(settings: Settings, pack) -> tuple[str, str]:
    return settings.names or (pack.text("checkin.partner_one"), pack.text("checkin.partner_two"))


def mirror(args: argparse.Namespace, settings: Settings) -> None:
    pack = load_pack(settings.lang)
    names = partner_names(settings, pack)
    if args.first is None:
        first = random.randrange(2)
    elif args.first.strip().lower() in (n.lower() for n in names):
        first = [n.lower() for n in names].index(args.first.strip().lower())
    else:
        raise UserError("bad_first", name=args.first, names=" / ".join(names))
    if args.rounds < 1:
        raise UserError("bad_flag", detail="--rounds takes 1 or more")
    plan = MirrorPlan(names, first, args.rounds, args.need, settings.mirror_turn_minutes * 60)
    with contextlib.ExitStack() as stack:
        open_conductor(settings, _channels(args), stack).run(
            Mirror(plan, Coach.from_pack(pack), NeedFinder.from_pack(pack)))


def demo(args: argparse.Namespace, settings: Settings) -> None:
    run_demo(settings, args.output, args.log, args.model)


def show_journal(args: argparse.Namespace, settings: Settings) -> None:
    pack = load_pack(settings.lang)
    entries = journal(settings).entries()
    if not entries:
        print(pack.text("journal.empty"))
    for entry in entries:
        print(pack.text("journal.entry", date=entry["date"].replace("T", " "), kind=entry["kind"]))
        for item in entry["items"]:
            print("  " + pack.text("journal.item", label=item["label"], text=item["text"]))


def say(args: argparse.Namespace, settings: Settings) -> None:
    pack = load_pack(settings.lang)
    clock = SimulatedClock() if args.output else SystemClock()
    speaker = voice(settings, pack)
    output = WavFileOutput(args.output, clock) if args.output else SpeakerOutput(clock, device(settings.output_device))
    try:
        output.play(speaker.synthesize(" ".join(args.words)))
    finally:
        output.close()
        speaker.close()


def listen(args: argparse.Namespace, settings: Settings) -> None:
    """Print each stretch of speech the free recognizer closes, until the input ends or Ctrl-C."""
    pack = load_pack(settings.lang)
    path = args.model or require_model(settings.models_dir, settings.lang, pack.text("errors.language_name"))
    clock = SimulatedClock() if args.input else SystemClock()
    source = FileSource(args.input, 1.0) if args.input else MicrophoneSource(clock, device(settings.input_device))
    free = recognizer.free_recognizer(recognizer.load_model(path), source.rate)
    try:
        while not source.ended:
            chunk = source.read(0.1)
            if chunk and free.AcceptWaveform(chunk.data):
                text = recognizer.result_text(free.Result())
                if text:
                    print(text, flush=True)
        text = json.loads(free.FinalResult()).get("text")
        if text:
            print(text)
    finally:
        source.close()


def devices(args: argparse.Namespace, settings: Settings) -> None:
    print(list_devices() or load_pack(settings.lang).text("transcript.no_devices"))
