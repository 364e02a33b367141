"""Wiring: from settings and the chosen input and output, the real parts a conductor needs."""
from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from .audio.output import NoOutput, SpeakerOutput, WavFileOutput
from .audio.sources import FileSource, MicrophoneSource
from .clock import SimulatedClock, SystemClock
from .conductor import Conductor, PauseSettings
from .content import load_pack
from .errors import UserError
from .log import EventLog
from .models import require_model
from .pause_store import PauseStore
from .safety_notice import SafetyNotice
from .settings import Settings, save_setting
from .speech.commands import CommandWords
from .speech.ear import SpeechEar, Spotting, TextEar, typed_lines
from .speech.recognizer import load_model_in_background
from .speech.turns import TurnTiming
from .speech.voice import Voice
from .store import Journal
from .text import printable
from .understanding.safety import SafetyListener


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


def voice(settings: Settings, pack) -> Voice:
    """The guide's voice; a problem it can live with (a cache it can't write) is said on stderr
    (a conductor puts its own `warn` in, which also logs it)."""
    return Voice(settings.cache_dir / "voice", settings.voice or pack.text("voice.guide"), settings.voice_rate,
                 warn=lambda problem: print(printable(problem.sentence(pack)), file=sys.stderr))


def _speaker(clock, settings: Settings, channels: Channels):
    """The speaker; typing (`--text`) on a machine without one, the guide is printed instead."""
    try:
        return SpeakerOutput(clock, device(settings.output_device))
    except UserError as problem:
        if not channels.text or problem.key != "no_audio":
            raise
        return NoOutput()


def open_conductor(settings: Settings, channels: Channels, stack: contextlib.ExitStack,
                   stdin: TextIO = sys.stdin, partners: int = 2) -> Conductor:
    """Build every part, each registered on `stack` to be closed when the session ends.
    `partners`: how many people say the return sentence after a pause."""
    pack = load_pack(settings.lang)
    commands = CommandWords(pack.commands())
    model_path = None
    if not channels.text:  # find the model first: a missing one should fail before anything starts
        model_path = require_model(settings, pack.text("errors.language_name"), channels.model)
    clock = SimulatedClock(datetime.now()) if channels.input_file else SystemClock()
    log = EventLog(channels.log_file, clock)
    stack.callback(log.close)

    if channels.output_file:
        output = WavFileOutput(channels.output_file, clock)
    elif channels.quiet:
        output = NoOutput()
    else:
        output = _speaker(clock, settings, channels)
    stack.callback(output.close)
    printed = isinstance(output, NoOutput)  # --quiet, or typing without a speaker: the guide is read
    speaker = None if printed else voice(settings, pack)
    if speaker:
        stack.callback(speaker.close)

    # A pause is kept on disk only on the real clock: a recording's simulated time has no tomorrow.
    pauses = None if channels.input_file else PauseStore(settings.state_dir / "pause.json")
    pause_settings = PauseSettings(settings.pause_minutes, settings.pause_marks_minutes, settings.pause_calming,
                                   partners)
    conductor = Conductor(pack, clock, None, speaker, output, log, journal(settings), show_heard=not channels.text,
                          pauses=pauses, pause_settings=pause_settings,
                          save_setting=lambda name, value: save_setting(channels.config, name, value),
                          safety=SafetyListener.from_pack(pack), country=settings.help_country,
                          notice=SafetyNotice(settings.state_dir / "safety-stop.json"))
    log.warn = conductor.warn  # a log or voice cache that fails later: one warning, also logged
    if printed and not channels.quiet:
        conductor.warn(UserError("no_speaker_text"))
    if speaker:
        speaker.warn = conductor.warn
    if channels.text:
        conductor.ear = TextEar(typed_lines(stdin), commands, clock, threaded=True, warn=conductor.warn)
        arm(conductor, settings)
        return conductor
    model = load_model_in_background(model_path)  # loads while the greeting is spoken
    if channels.input_file:
        source = FileSource(channels.input_file, settings.end_silence_seconds + 1.0, on_audio=output.record)
    else:
        source = MicrophoneSource(clock, device(settings.input_device))
    stack.callback(source.close)
    spotting = Spotting(settings.safe_word_partials, settings.safe_word_confidence)
    conductor.ear = SpeechEar(model, source, commands, timing(settings), clock, conductor.warn, spotting)
    stack.callback(conductor.ear.disarm)
    arm(conductor, settings)
    return conductor


def arm(conductor: Conductor, settings: Settings) -> None:
    """The spotter listens from the first moment: in every state, also while the guide speaks."""
    if settings.safe_word:
        conductor.ear.arm(settings.safe_word, conductor.safe_word_heard)
