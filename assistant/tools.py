"""What each `assistant` subcommand does, once its settings are known."""
from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
from datetime import datetime, timedelta

from . import history
from .audio.device import list_devices
from .audio.output import SpeakerOutput, WavFileOutput
from .audio.sources import FileSource, MicrophoneSource
from .clock import SimulatedClock, SystemClock
from .content import load_pack
from .demo import run_demo
from .errors import UserError
from .exercises.checkin import Checkin, fronts_plan, partner_plan
from .exercises.checklist import Checklist, ChecklistPlan
from .exercises.coaching import Coach, NeedFinder
from .exercises.help import WhenToGetHelp
from .exercises.mirror import Mirror, MirrorPlan
from .exercises.resume import CannotResume, resumable
from .exercises.safeword import SafeWordSetup, word_problem
from .models import find_model, require_model
from .pause_store import PauseRecord, PauseStore
from .session import Channels, device, journal, open_conductor, voice
from .session_lock import Held, SessionLock
from .settings import Settings
from .speech import recognizer
from .store import CannotWrite, Unreadable
from .text import printable


def _channels(args: argparse.Namespace) -> Channels:
    return Channels(text=args.text, quiet=args.quiet, input_file=args.input, output_file=args.output,
                    log_file=args.log, model=args.model, config=args.config)


def _lock(settings: Settings, channels: Channels, stack: contextlib.ExitStack) -> Held | None:
    """Take the session lock for the life of `stack`; None for a recording (`--input`), which runs
    on its own clock and keeps no pause, so it can't get in a live session's way."""
    if channels.input_file:
        return None
    lock = SessionLock(settings.state_dir)
    stack.callback(lock.release)
    return lock.acquire()


def _open_session(args: argparse.Namespace, settings: Settings, stack: contextlib.ExitStack, partners: int = 2,
                  held: Held | None = None, shared: bool = False):
    """The conductor of a session: one at a time. Another session running: one sentence, exit 2;
    but a `shared` one (help) runs anyway and leaves the pause to the other. A state folder that
    can't be locked: said once, and the session runs (safety before persistence)."""
    channels = _channels(args)
    held = held or _lock(settings, channels, stack)
    if held is Held.BUSY and not shared:
        raise UserError("session_running")
    conductor = open_conductor(settings, channels, stack, partners=partners)
    if held is Held.BUSY:
        conductor.pauses = None  # the running session counts the pause down, not this one
    elif held is Held.UNAVAILABLE:
        conductor.warn(UserError("session_unlocked", path=settings.state_dir))
    return conductor


def run_session(args: argparse.Namespace, settings: Settings, exercise, partners: int = 2,
                offer_safe_word: bool = False, shared: bool = False, practice: str | None = None,
                after=None) -> None:
    """Run `exercise`; but a pause still running (the program was stopped or killed during it)
    comes first: its countdown, the return, and then the exercise it interrupted, or else, when it
    interrupted none (`assistant pause`), `exercise`.
    `offer_safe_word`: the first time, without a safe word, offer to choose one first.
    `practice`: the exercise's name in the history, which notes it completed or stopped.
    `after(conductor)`: what follows the exercise in the same session."""
    with contextlib.ExitStack() as stack:
        conductor = _open_session(args, settings, stack, partners=partners, shared=shared)
        record = conductor.pauses.load(conductor.warn) if conductor.pauses else None
        if record is not None and not finish_pause(conductor, record, settings, begins=True):
            return
        if offer_safe_word:
            offer_setup(args, settings, conductor)
        completed = False
        try:
            completed = conductor.run(exercise) and exercise.completed
        finally:
            if practice:
                note_session(settings, conductor, practice, completed)
        if after:
            after(conductor)


def note_session(settings: Settings, conductor, practice: str, completed: bool) -> None:
    """One line in the history: the exercise, when, completed or stopped; never what was said.
    A history that could not be read is set aside, and that is said."""
    def warn(key: str, path) -> None:
        sentence = load_pack(settings.lang).text(key, path=path)
        print(printable(sentence), file=sys.stderr)
        conductor.log.write("error", key=key, text=sentence)

    if not history.record(settings.state_dir, practice, completed, conductor.clock.now(), warn):
        conductor.log.write("history", action="not kept")  # a convenience: logged, not said; the session says what is wrong with the folder


def finish_pause(conductor, record: PauseRecord, settings: Settings, begins: bool) -> bool:
    """A pause found running at start-up: its countdown, the return, then the exercise it
    interrupted. True when the exercise asked for comes next: `begins`, and the pause interrupted
    none (it was started with `assistant pause`, or the exercise had ended)."""
    then = "resume" if record.resume else "begin" if begins else "end"
    if not conductor.pause(seconds=record.remaining(), total_seconds=record.total_seconds, resumed=True,
                           snapshot=record.resume, then=then):
        return False
    if not record.resume:
        return begins
    try:
        interrupted, timers = resumable(record.resume, load_pack(settings.lang))
    except CannotResume:  # a snapshot this version did not write: end calmly
        conductor.say("pause.cannot_resume")
        conductor.log.write("resume", failed=True)
        return False
    conductor.log.write("resume", exercise=record.resume["exercise"]["exercise"])
    completed = False
    practice = history.practice_of(record.resume["exercise"])
    try:
        completed = conductor.run(interrupted, resuming=True, timers=timers) and interrupted.completed
    finally:
        if practice:
            note_session(settings, conductor, practice, completed)
    return False


def checkin(args: argparse.Namespace, settings: Settings) -> None:
    pack = load_pack(settings.lang)
    if args.kind == "fronts":
        plan = fronts_plan(pack.items("checkin.fronts.fronts"))
    else:
        names = partner_names(settings, pack)
        minutes = settings.daily_minutes if args.kind == "daily" else settings.weekly_minutes
        plan = partner_plan(args.kind, names, len(pack.items(f"checkin.{args.kind}.questions")), minutes)
    run_session(args, settings, Checkin(plan), partners=1 if args.kind == "fronts" else 2,
                offer_safe_word=args.kind == "weekly", practice=f"checkin {args.kind}")


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
    run_session(args, settings, Mirror(plan, Coach.from_pack(pack), NeedFinder.from_pack(pack)), offer_safe_word=True,
                practice="mirror")


def help_lines(args: argparse.Namespace, settings: Settings) -> None:
    """When to get professional help, and the help lines: spoken and printed, also while another
    session runs (`shared`: no one is ever kept from the help lines)."""
    run_session(args, settings, WhenToGetHelp(), partners=1, shared=True)


def checklist(args: argparse.Namespace, settings: Settings) -> None:
    pack = load_pack(settings.lang)
    plan = ChecklistPlan(len(pack.items("checklist.items")), pack.text("checklist.score_label"))
    run_session(args, settings, Checklist(plan), partners=1, practice="checklist")


def pause(args: argparse.Namespace, settings: Settings) -> None:
    """Start a pause now (the safe word was said while the assistant wasn't running), or show one.
    While another session runs, the pause is written for it: it pauses within about a second."""
    pack = load_pack(settings.lang)
    store = PauseStore(settings.state_dir / "pause.json")
    warn = lambda problem: print(printable(problem.sentence(pack)), file=sys.stderr)  # noqa: E731
    if args.status:
        _show_status(pack, store.load(warn))
        return
    with contextlib.ExitStack() as stack:
        held = _lock(settings, _channels(args), stack)
        if held is Held.BUSY:
            _send_pause(store, settings, pack, warn)
            return
        conductor = _open_session(args, settings, stack, held=held)
        record = conductor.pauses.load(conductor.warn) if conductor.pauses else None
        if record is None:
            conductor.pause()
        else:
            finish_pause(conductor, record, settings, begins=False)


def _show_status(pack, record: PauseRecord | None) -> None:
    if record is None:
        print(pack.text("pause.no_pause"))
        return
    left = round(record.remaining())
    print(pack.text("pause.status", left=f"{left // 60:02d}:{left % 60:02d}", at=_clock_time(left)))


def _clock_time(seconds: float) -> str:
    return (datetime.now() + timedelta(seconds=seconds)).strftime("%H:%M")


def _send_pause(store: PauseStore, settings: Settings, pack, warn) -> None:
    """`assistant pause` while another session runs: write the pause where that session looks
    (about once a second) and say so; a pause already running there is only shown."""
    record = store.load(warn)
    if record is not None:
        _show_status(pack, record)
        return
    seconds = settings.pause_minutes * 60
    try:
        store.start(seconds, seconds, None)
    except CannotWrite as failure:
        raise UserError("pause_not_sent", path=store.path) from failure
    print(pack.text("pause.sent", minutes=max(1, round(seconds / 60)), at=_clock_time(seconds)))


def safe_word_setup(args: argparse.Namespace, settings: Settings, ear=None, offer: bool = False) -> SafeWordSetup:
    """`ear`: the session's; its model (loading in the background) checks the words."""
    pack = load_pack(settings.lang)
    vocabulary = _vocabulary(args, settings, ear)
    return SafeWordSetup(partner_names(settings, pack), pack.items("safeword.examples"),
                         lambda word: word_problem(word, pack, vocabulary), offer)


def _vocabulary(args: argparse.Namespace, settings: Settings, ear):
    """Whether the speech model knows a word, or None without a model. The session's one model
    load is used (a second load of the same model would take as long again, on the main thread);
    typing (`--text`), there is none, so the language's model, if there is one, loads in the
    background. Either is only waited for when the first word is checked."""
    model = getattr(ear, "model_future", None)
    if model is None:
        path = args.model or find_model(settings.models_dir, settings.lang, settings.data_dir)
        if path is None:
            return None
        model = recognizer.load_model_in_background(path)
    return lambda word: model.result().vosk_model_find_word(word) != -1


def offer_setup(args: argparse.Namespace, settings: Settings, conductor) -> None:
    """Once, before a first mirror or weekly check-in without a safe word, offer to choose one."""
    offered = settings.state_dir / "safe-word-offered"
    if settings.safe_word or offered.exists():
        return
    setup = safe_word_setup(args, settings, conductor.ear, offer=True)
    conductor.run(setup)
    with contextlib.suppress(OSError):  # a read-only state folder: offered again next time, no more
        offered.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        offered.touch()
    if setup.saved:
        conductor.ear.arm(setup.word, conductor.safe_word_heard)


def safeword(args: argparse.Namespace, settings: Settings) -> None:
    with contextlib.ExitStack() as stack:
        conductor = _open_session(args, settings, stack)
        conductor.run(safe_word_setup(args, settings, conductor.ear))


def demo(args: argparse.Namespace, settings: Settings) -> None:
    run_demo(settings, args.output, args.log, args.model)


def show_journal(args: argparse.Namespace, settings: Settings) -> None:
    pack = load_pack(settings.lang)
    try:
        entries = journal(settings).entries()
    except Unreadable as problem:  # left as it is: the next save sets it aside and starts a new one
        raise UserError("journal_unreadable", path=problem.path) from problem
    if not entries:
        print(pack.text("journal.empty"))
    for entry in entries:
        # printable: the journal holds what people said, which may carry terminal escapes
        print(printable(pack.text("journal.entry", date=entry["date"].replace("T", " "), kind=entry["kind"])))
        for item in entry["items"]:
            print("  " + printable(pack.text("journal.item", label=item["label"], text=item["text"])))


def say(args: argparse.Namespace, settings: Settings) -> None:
    pack = load_pack(settings.lang)
    clock = SimulatedClock() if args.output else SystemClock()
    speaker = voice(settings, pack)
    output = WavFileOutput(args.output, clock) if args.output else SpeakerOutput(clock, device(settings.output_device))
    try:
        # The words are the user's own: spoken without a copy in the voice cache.
        output.play(speaker.synthesize(" ".join(args.words), private=True))
    finally:
        output.close()
        speaker.close()


def listen(args: argparse.Namespace, settings: Settings) -> None:
    """Print each stretch of speech the free recognizer closes, until the input ends or Ctrl-C."""
    pack = load_pack(settings.lang)
    path = require_model(settings, pack.text("errors.language_name"), args.model)
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
