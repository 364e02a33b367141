"""What each `assistant` subcommand does, once its settings are known."""
from __future__ import annotations

import argparse
import contextlib
import json
import random
from datetime import datetime, timedelta

from . import history
from .audio.device import list_devices
from .audio.output import SpeakerOutput, WavFileOutput
from .audio.sources import FileSource, MicrophoneSource
from .clock import SystemClock
from .content import load_pack
from .demo import run_demo
from .errors import Detail, PackError, UserError
from .exercises.checkin import Checkin, pack_fronts_plan, pack_partner_plan
from .exercises.checklist import Checklist, ChecklistPlan
from .exercises.help import WhenToGetHelp
from .exercises.mirror import Mirror, MirrorPlan
from .exercises.resume import CannotResume, resumable
from .exercises.safeword import SafeWordSetup, word_problem
from .pause_store import PauseRecord, PauseStore
from .session import (
    Channels,
    Session,
    SharedModel,
    device,
    journal,
    open_session,
    require_model,
    said_on_the_terminal,
    voice,
)
from .session_lock import Held, SessionLock
from .settings import Settings
from .speech import recognizer
from .store import CannotWrite, Unreadable
from .terminal import TERMINAL, countdown_text
from .text import printable
from .understanding.hearing import Understanding


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
                  held: Held | None = None, shared: bool = False) -> Session:
    """A session, closed with `stack`: one at a time. Another session running: one sentence, exit 2;
    but a `shared` one (help) runs anyway and leaves the pause to the other, which counts it down.
    A state folder that can't be locked: said once, and the session runs (safety before persistence)."""
    channels = _channels(args)
    held = held or _lock(settings, channels, stack)
    if held is Held.BUSY and not shared:
        raise UserError("session_running")
    session = stack.enter_context(open_session(settings, channels, partners=partners,
                                               keep_pause=held is not Held.BUSY))
    if held is Held.UNAVAILABLE:
        session.warn(UserError("session_unlocked", path=settings.state_dir))
    return session


def run_session(args: argparse.Namespace, settings: Settings, exercise, partners: int = 2,
                offer_safe_word: bool = False, shared: bool = False, practice: str | None = None,
                after=None) -> None:
    """Run `exercise`; but a pause still running (the program was stopped or killed during it)
    comes first: its countdown, the return, and then the exercise it interrupted, or else, when it
    interrupted none (`assistant pause`), `exercise`.
    `offer_safe_word`: the first time, without a safe word, offer to choose one first.
    `practice`: the exercise's name in the history, which notes it completed or stopped.
    `after(session)`: what follows the exercise in the same session."""
    with contextlib.ExitStack() as stack:
        session = _open_session(args, settings, stack, partners=partners, shared=shared)
        record = session.pauses.load(session.warn) if session.pauses else None
        if record is not None and not finish_pause(session, record, settings, begins=True):
            return
        if offer_safe_word:
            offer_setup(settings, session)
        completed = False
        try:
            completed = session.conductor.run(exercise) and exercise.completed
        finally:
            if practice:
                note_session(settings, session, practice, completed)
        if after:
            after(session)


def note_session(settings: Settings, session: Session, practice: str, completed: bool) -> None:
    """One line in the history: the exercise, when, completed or stopped; never what was said.
    A history that could not be read is set aside, and that is said."""
    def warn(key: str, path) -> None:
        session.warn(PackError(key, path=path))

    if not history.record(settings.state_dir, practice, completed, session.clock.now(), warn):
        # logged, not said: the session says what is wrong with the folder
        session.log.write("history", action="not kept")


def finish_pause(session: Session, record: PauseRecord, settings: Settings, begins: bool) -> bool:
    """A pause found running at start-up: its countdown, the return, then the exercise it
    interrupted. True when the exercise asked for comes next: `begins`, and the pause interrupted
    none (it was started with `assistant pause`, or the exercise had ended)."""
    conductor = session.conductor
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
        session.log.write("resume", failed=True)
        return False
    session.log.write("resume", exercise=record.resume["exercise"])
    completed = False
    practice = history.practice_of(record.resume)
    try:
        completed = conductor.run(interrupted, resuming=True, timers=timers) and interrupted.completed
    finally:
        if practice:
            note_session(settings, session, practice, completed)
    return False


def checkin(args: argparse.Namespace, settings: Settings) -> None:
    pack = load_pack(settings.lang)
    if args.kind == "fronts":
        plan = pack_fronts_plan(pack)
    else:
        names = partner_names(settings, pack)
        minutes = settings.daily_minutes if args.kind == "daily" else settings.weekly_minutes
        plan = pack_partner_plan(pack, args.kind, names, minutes)
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
        raise UserError("bad_flag", detail=Detail("settings.rounds", value=args.rounds))
    plan = MirrorPlan(names, first, args.rounds, args.need, settings.mirror_turn_minutes * 60)
    run_session(args, settings, Mirror(plan, Understanding.from_pack(pack)), offer_safe_word=True, practice="mirror")


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
    warn = said_on_the_terminal(pack)
    if args.status:
        _show_status(pack, store.load(warn))
        return
    with contextlib.ExitStack() as stack:
        held = _lock(settings, _channels(args), stack)
        if held is Held.BUSY:
            _send_pause(store, settings, pack, warn)
            return
        session = _open_session(args, settings, stack, held=held)
        record = session.pauses.load(session.warn) if session.pauses else None
        if record is None:
            session.conductor.pause()
        else:
            finish_pause(session, record, settings, begins=False)


def _show_status(pack, record: PauseRecord | None) -> None:
    if record is None:
        TERMINAL.line(pack.text("pause.no_pause"))
        return
    left = record.remaining()
    TERMINAL.line(pack.text("pause.status", left=countdown_text(left), at=_clock_time(left)))


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
    TERMINAL.line(pack.text("pause.sent", minutes=max(1, round(seconds / 60)), at=_clock_time(seconds)))


def safe_word_setup(settings: Settings, model: SharedModel, offer: bool = False) -> SafeWordSetup:
    """`model`: the session's one model, which checks the words."""
    pack = load_pack(settings.lang)
    vocabulary = _vocabulary(model)
    return SafeWordSetup(partner_names(settings, pack), pack.items("safeword.examples"),
                         lambda word: word_problem(word, pack, vocabulary), offer, settings.pause_minutes)


def _vocabulary(model: SharedModel):
    """Whether the speech model knows a word, or None without a model. The session's one model
    load is used (a second load of the same model would take as long again, on the main thread);
    typing (`--text`), it starts now, in the background. Either is only waited for when the first
    word is checked."""
    load = model.load()
    if load is None:
        return None
    return lambda word: load.result().vosk_model_find_word(word) != -1


def offer_setup(settings: Settings, session: Session) -> None:
    """Once, before a first mirror or weekly check-in without a safe word, offer to choose one."""
    offered = settings.state_dir / "safe-word-offered"
    if settings.safe_word or offered.exists():
        return
    setup = safe_word_setup(settings, session.model, offer=True)
    session.conductor.run(setup)
    with contextlib.suppress(OSError):  # a read-only state folder: offered again next time, no more
        offered.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        offered.touch()
    if setup.saved:
        session.arm(setup.word)


def safeword(args: argparse.Namespace, settings: Settings) -> None:
    with contextlib.ExitStack() as stack:
        session = _open_session(args, settings, stack)
        session.conductor.run(safe_word_setup(settings, session.model))


def demo(args: argparse.Namespace, settings: Settings) -> None:
    run_demo(settings, args.output, args.log, args.model)


def show_journal(args: argparse.Namespace, settings: Settings) -> None:
    pack = load_pack(settings.lang)
    try:
        entries = journal(settings).entries()
    except Unreadable as problem:  # left as it is: the next save sets it aside and starts a new one
        raise UserError("journal_unreadable", path=problem.path) from problem
    if not entries:
        TERMINAL.line(pack.text("journal.empty"))
    for entry in entries:
        named = f"journal.kind_{entry['kind']}"  # an exercise this version doesn't know keeps its own name
        kind = pack.text(named) if named in pack.values else entry["kind"]
        # printable: the journal holds what people said, which may carry terminal escapes
        TERMINAL.line(printable(pack.text("journal.entry", date=entry["date"].replace("T", " "), kind=kind)))
        for item in entry["items"]:
            TERMINAL.line("  " + printable(pack.text("journal.item", label=item["label"], text=item["text"])))


def say(args: argparse.Namespace, settings: Settings) -> None:
    pack = load_pack(settings.lang)
    speaker = voice(settings, pack, said_on_the_terminal(pack))
    output = WavFileOutput(args.output) if args.output else SpeakerOutput(device(settings.output_device))
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
    source: FileSource | MicrophoneSource
    if args.input:
        source = FileSource(args.input, 1.0)
    else:
        source = MicrophoneSource(SystemClock(), device(settings.input_device))
    free = recognizer.free_recognizer(recognizer.load_model(path), source.rate)
    try:
        while not source.ended:
            chunk = source.read(0.1)
            if chunk and free.AcceptWaveform(chunk.data):
                text = recognizer.result_text(free.Result())
                if text:
                    TERMINAL.line(text)
        text = json.loads(free.FinalResult()).get("text")
        if text:
            TERMINAL.line(text)
    finally:
        source.close()


def devices(args: argparse.Namespace, settings: Settings) -> None:
    TERMINAL.line(list_devices() or load_pack(settings.lang).text("transcript.no_devices"))
