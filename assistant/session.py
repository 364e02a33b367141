"""One session, built in one place: `build_session` makes the parts in order, each with what it
needs when it is made, and closes them (in reverse) when the session ends.

    clock -> log and the one `warn` -> output -> voice -> pause store -> the one model load
    -> ear (with the conductor's callbacks: `warn`, and the event the safe word sets) -> conductor

A `Blueprint` says which parts: `open_session` draws one from the settings and the command line,
the demo draws its own, and tests theirs (a fake microphone, speaker or clock).
"""
from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from .audio.chime import chime
from .audio.output import NoOutput, SpeakerOutput, WavFileOutput
from .audio.sources import FileSource, MicrophoneSource
from .audio.timeline import PacedOutput, PacedSource
from .clock import Clock, SimulatedClock, SystemClock
from .conductor import Conductor
from .content import Pack, load_pack
from .errors import UserError
from .exercises.pausing import PauseSettings
from .log import EventLog
from .models import check_explicit, find_model
from .pause_store import PauseStore
from .safety_notice import SafetyNotice
from .settings import Settings, save_setting
from .speech.commands import CommandWords
from .speech.ear import SpeechEar, TextEar, typed_lines
from .speech.recognizer import load_model_in_background
from .speech.spotter import Spotting
from .speech.turns import TurnTiming
from .speech.voice import Voice
from .store import Journal
from .terminal import TERMINAL, Terminal
from .text import printable
from .understanding.safety import SafetyListener

Warn = Callable[[UserError], None]


class SharedModel:
    """The session's one vosk model, loaded once, in the background, from the moment it is first
    wanted: at the start when the ear listens to speech; typing, only when the safe-word set-up
    checks a word."""

    def __init__(self, source: Path | Future | None = None) -> None:
        """`source`: the model's folder, a load already under way, or None (no model)."""
        self._path = source if isinstance(source, Path) else None
        self._load = source if isinstance(source, Future) else None

    def load(self) -> Future | None:
        if self._load is None and self._path is not None:
            self._load = load_model_in_background(self._path)
        return self._load


@dataclass(frozen=True)
class Hearing:
    """What an ear is made with: the parts made before it, and the conductor's `warn`."""

    pack: Pack
    clock: Clock
    view: Terminal
    output: Any  # what the ear hears of a recording is kept here too (`record`)
    voice: Voice | None
    model: SharedModel
    warn: Warn
    timeline: SimulatedClock | None  # a session from a recording: its audio's time passes on this clock

    def recorded(self, source):
        """A recorded source, whose audio takes its time on the session's timeline."""
        return PacedSource(source, self.timeline) if self.timeline else source


@dataclass(frozen=True)
class Blueprint:
    """Which parts a session is made of; `build_session` makes them."""

    pack: Pack
    clock: Clock
    journal: Journal
    output: Callable[[], Any]  # the speaker, a WAV file, nowhere (NoOutput: the guide is printed), a fake
    ear: Callable[[Hearing], Any]  # typed lines, speech from a source, a fake
    voice: Callable[[Warn], Voice] | None = None  # None, or an output that plays nothing: the guide is printed
    timeline: SimulatedClock | None = None  # a session from a recording: what is read and played takes its time
    log_file: Path | None = None  # JSON Lines event log
    pauses: PauseStore | None = None  # None: a pause is not kept on disk
    model: Path | Future | None = None  # the vosk model, or its load under way
    view: Terminal = TERMINAL
    pause: PauseSettings = PauseSettings()
    safe_word: str = ""  # listened for from the first moment; "": none yet
    show_heard: bool = True  # print what was heard (not when it was typed)
    safety: SafetyListener | None = None
    country: str = "other"  # whose help lines
    notice: SafetyNotice | None = None
    save_setting: Callable[[str, object], None] | None = None


@dataclass(frozen=True)
class Session:
    """The parts of one session, for the subcommands: they ask the session, never its conductor's parts."""

    pack: Pack
    clock: Clock
    log: EventLog
    warn: Warn
    output: Any
    voice: Voice | None
    pauses: PauseStore | None
    model: SharedModel
    ear: Any
    heard: threading.Event  # set when the safe word is heard
    conductor: Conductor
    closing: contextlib.ExitStack

    def arm(self, word: str) -> None:
        """Listen for `word` as the safe word from now on: in every state, also while the guide speaks."""
        self.ear.arm(word, self.heard)

    def close(self) -> None:
        self.closing.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *_) -> None:
        self.close()


def build_session(plan: Blueprint) -> Session:
    """Every part in order; what was made before a part that fails is closed again."""
    closing = contextlib.ExitStack()
    try:
        return _build(plan, closing)
    except BaseException:
        closing.close()
        raise


def _build(plan: Blueprint, closing: contextlib.ExitStack) -> Session:
    pack, clock = plan.pack, plan.clock

    def warn(problem: UserError) -> None:
        """A problem the session lives with (a log or voice cache that fails later): one sentence on
        the terminal, and in the log (made next: a log that fails warns through here too)."""
        sentence = problem.sentence(pack)
        plan.view.problem(printable(sentence))
        log.write("error", key=problem.key, text=sentence)

    log = EventLog(plan.log_file, clock, warn)
    closing.callback(log.close)
    made = plan.output()
    closing.callback(made.close)
    voice = None if plan.voice is None or isinstance(made, NoOutput) else plan.voice(warn)
    if voice:
        closing.callback(voice.close)
    output = PacedOutput(made, plan.timeline) if plan.timeline else made
    model = SharedModel(plan.model)
    ear = plan.ear(Hearing(pack, clock, plan.view, output, voice, model, warn, plan.timeline))
    closing.callback(ear.close)
    heard = threading.Event()
    if plan.safe_word:  # the spotter listens from the first moment
        ear.arm(plan.safe_word, heard)
    conductor = Conductor(pack, clock, ear, voice, output, log, plan.journal, warn=warn, heard=heard,
                          view=plan.view, chime=chime, show_heard=plan.show_heard, pauses=plan.pauses,
                          pause_settings=plan.pause, save_setting=plan.save_setting, safety=plan.safety,
                          country=plan.country, notice=plan.notice)
    return Session(pack, clock, log, warn, output, voice, plan.pauses, model, ear, heard, conductor, closing)


# --- a session from the settings and the command line ------------------------------------------
@dataclass(frozen=True)
class Channels:
    """How the session hears and speaks, from the command line."""

    text: bool = False  # typed lines on stdin instead of sound
    quiet: bool = False  # print the prompts without speaking them
    input_file: Path | None = None  # an audio file heard as the microphone
    output_file: Path | None = None  # write the session to this WAV file instead of the speaker
    log_file: Path | None = None  # JSON Lines event log
    model: Path | None = None  # a vosk model folder, instead of the one found for the language
    config: Path | None = None  # the config file the safe word is saved in


def device(name: str):
    """A sounddevice device from a config or flag value: a number, a name, or the default."""
    return int(name) if name.isdigit() else (name or None)


def timing(settings: Settings) -> TurnTiming:
    return TurnTiming(end_silence=settings.end_silence_seconds, no_answer=settings.no_answer_seconds)


def journal(settings: Settings) -> Journal:
    return Journal(settings.data_dir / "journal.json")


def pause_settings(settings: Settings, partners: int = 2) -> PauseSettings:
    return PauseSettings(settings.pause_minutes, settings.pause_marks_minutes, settings.pause_calming, partners)


def require_model(settings: Settings, language_name: str, explicit: Path | None = None) -> Path:
    """The model for the session: `explicit` (--model) when given, else the one found. With none,
    one sentence naming the install command and --text; on a terminal, first an offer to install."""
    if explicit is not None:
        return check_explicit(explicit)
    path = find_model(settings.models_dir, settings.lang, settings.data_dir)
    if path is not None:
        return path
    from .install import offer_install  # the download machinery only when there is no model

    installed = offer_install(settings, language_name)
    if installed is not None:
        return installed
    raise UserError("no_model", language=language_name, lang=settings.lang)


def voice(settings: Settings, pack: Pack, warn: Warn) -> Voice:
    """The guide's voice; `warn` hears a problem it can live with (a cache it can't write)."""
    return Voice(settings.cache_dir / "voice", settings.voice or pack.text("voice.guide"), settings.voice_rate, warn)


def said_on_the_terminal(pack: Pack) -> Warn:
    """A `warn` outside a session: the sentence on the terminal."""
    return lambda problem: TERMINAL.problem(printable(problem.sentence(pack)))


def _speaker(settings: Settings, channels: Channels):
    """The speaker; typing (`--text`) on a machine without one, the guide is printed instead."""
    try:
        return SpeakerOutput(device(settings.output_device))
    except UserError as problem:
        if not channels.text or problem.key != "no_audio":
            raise
        return NoOutput()


def open_session(settings: Settings, channels: Channels, stdin: TextIO | None = None, partners: int = 2,
                 keep_pause: bool = True) -> Session:
    """A session as the command line asks for it. `stdin`: where typed lines come from, by default
    the process's standard input at the time of the call; `partners`: how many people say the return
    sentence after a pause; `keep_pause`: False when another session runs and counts it down."""
    pack = load_pack(settings.lang)
    commands = CommandWords(pack.commands())
    if channels.text:  # the safe-word set-up may check words with the language's model
        model = channels.model or find_model(settings.models_dir, settings.lang, settings.data_dir)
    else:  # found first: a missing model should fail before anything starts
        model = require_model(settings, pack.text("errors.language_name"), channels.model)
    recording = SimulatedClock(datetime.now()) if channels.input_file else None

    def output():
        if channels.output_file:
            return WavFileOutput(channels.output_file)
        return NoOutput() if channels.quiet else _speaker(settings, channels)

    def ear(hearing: Hearing):
        if channels.text:
            return TextEar(typed_lines(stdin or sys.stdin), commands, hearing.clock, threaded=True, warn=hearing.warn)
        if channels.input_file:
            source = hearing.recorded(FileSource(channels.input_file, settings.end_silence_seconds + 1.0,
                                                 on_audio=hearing.output.record))
        else:
            source = MicrophoneSource(hearing.clock, device(settings.input_device))
        spotting = Spotting(settings.safe_word_partials, settings.safe_word_confidence)
        model = hearing.model.load()
        assert model is not None  # require_model found one
        return SpeechEar(model, source, commands, timing(settings), hearing.clock, hearing.warn, spotting)

    session = build_session(Blueprint(
        pack, recording or SystemClock(), journal(settings), output, ear, lambda warn: voice(settings, pack, warn),
        timeline=recording, log_file=channels.log_file, model=model,
        # A pause is kept on disk only on the real clock: a recording's simulated time has no tomorrow.
        pauses=PauseStore(settings.state_dir / "pause.json") if keep_pause and not recording else None,
        pause=pause_settings(settings, partners), safe_word=settings.safe_word, show_heard=not channels.text,
        safety=SafetyListener.from_pack(pack), country=settings.help_country,
        notice=SafetyNotice(settings.state_dir / "safety-stop.json"),
        save_setting=lambda name, value: save_setting(channels.config, name, value)))
    if session.voice is None and not channels.quiet:  # typing without a speaker: the guide is read
        session.warn(UserError("no_speaker_text"))
    return session
