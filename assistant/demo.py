"""`assistant demo`: two simulated partners do a daily check-in and a round of mirroring, in a WAV file.

It needs no microphone, speaker or downloaded model. With a vosk model for the language, the
partners' answers are spoken in their own voices and go through the real recognizer; without
one, their lines go to the guide as text (and the demo says so), and their voices are still in
the WAV file.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from .audio.convert import silence
from .audio.output import WavFileOutput
from .audio.sources import ScriptedSource
from .clock import SimulatedClock
from .content import load_pack
from .events import AudioChunk
from .exercises.checkin import Checkin, partner_plan
from .exercises.mirror import Mirror, MirrorPlan
from .models import find_model
from .session import Blueprint, Hearing, build_session, journal, timing, voice
from .settings import Settings
from .speech.commands import CommandWords
from .speech.ear import SpeechEar, TextEar
from .terminal import TERMINAL
from .text import printable
from .understanding.hearing import Understanding

RECOGNIZER_RATE = 16000  # Hertz: the rate the partners' audio is handed to vosk at


def run_demo(settings: Settings, output_path: Path, log_path: Path | None, model_path: Path | None = None) -> None:
    pack = load_pack(settings.lang)
    first, second = settings.names or pack.items("demo.names")
    names = (first, second)
    partner_voices = pack.items("voice.partners")
    turns = [(int(who), str(text)) for who, text in pack.items("demo.checkin_turns") + pack.items("demo.mirror_turns")]
    model_path = model_path or find_model(settings.models_dir, settings.lang, settings.data_dir)
    commands = CommandWords(pack.commands())
    clock = SimulatedClock(datetime.now())

    def announce(index: int) -> None:
        who, text = turns[index]
        TERMINAL.line(printable(f"{names[who - 1]}: {text or '…'}"))

    def partners(hearing: Hearing):
        """The partners' answers in their own voices, heard by the real recognizer; without a model,
        their lines are handed to the guide as text (and their voices still go into the WAV file)."""
        def spoken(index: int) -> AudioChunk:
            who, text = turns[index]
            if not text:
                return AudioChunk(b"", RECOGNIZER_RATE)
            assert hearing.voice is not None  # the demo always speaks: its voice goes into the WAV
            return hearing.voice.synthesize(text, voice=partner_voices[who - 1])

        if model_path:
            source = ScriptedSource([spoken(i) for i in range(len(turns))], RECOGNIZER_RATE,
                                    settings.no_answer_seconds + 0.5, on_audio=hearing.output.record,
                                    on_turn=announce)
            model = hearing.model.load()
            assert model is not None  # there is a model_path
            return SpeechEar(model, hearing.recorded(source), commands, timing(settings), clock, hearing.warn)

        def handed_in() -> Iterator[str]:
            for index, (_, text) in enumerate(turns):
                announce(index)
                # the answer, then the silence that would have ended it
                quiet = settings.end_silence_seconds if text else settings.no_answer_seconds
                for audio in (spoken(index), silence(quiet, RECOGNIZER_RATE)):
                    hearing.output.record(audio)
                    clock.advance(audio.seconds)
                yield text

        return TextEar(handed_in(), commands, clock)

    with build_session(Blueprint(pack, clock, journal(settings), lambda: WavFileOutput(output_path), partners,
                                 lambda warn: voice(settings, pack, warn), timeline=clock, log_file=log_path,
                                 model=model_path, show_heard=model_path is not None)) as session:
        TERMINAL.line(pack.text("transcript.demo_recognised" if model_path else "transcript.demo_injected"))
        plan = partner_plan("daily", names, len(pack.items("checkin.daily.questions")), settings.daily_minutes)
        session.conductor.run(Checkin(plan))
        mirror = MirrorPlan(names, first=0, rounds=1, turn_seconds=settings.mirror_turn_minutes * 60)
        session.conductor.run(Mirror(mirror, Understanding.from_pack(pack)))
    TERMINAL.line(printable(pack.text("transcript.demo_written", path=output_path)))
