"""`assistant demo`: two simulated partners do a daily check-in and a round of mirroring, in a WAV file.

It needs no microphone, speaker or downloaded model. With a vosk model for the language, the
partners' answers are spoken in their own voices and go through the real recognizer; without
one, their lines go to the guide as text (and the demo says so), and their voices are still in
the WAV file.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from .audio.convert import silence
from .audio.output import WavFileOutput
from .audio.sources import ScriptedSource
from .clock import SimulatedClock
from .conductor import Conductor
from .content import load_pack
from .events import AudioChunk
from .exercises.checkin import Checkin, partner_plan
from .exercises.coaching import Coach, NeedFinder
from .exercises.mirror import Mirror, MirrorPlan
from .log import EventLog
from .models import find_model
from .session import journal, timing, voice
from .settings import Settings
from .speech.commands import CommandWords
from .speech.ear import SpeechEar, TextEar
from .speech.recognizer import load_model_in_background

RECOGNIZER_RATE = 16000  # Hertz: the rate the partners' audio is handed to vosk at


def run_demo(settings: Settings, output_path: Path, log_path: Path | None, model_path: Path | None = None) -> None:
    pack = load_pack(settings.lang)
    names = settings.names or tuple(pack.items("demo.names"))
    partner_voices = pack.items("voice.partners")
    turns = [(int(who), str(text)) for who, text in pack.items("demo.checkin_turns") + pack.items("demo.mirror_turns")]
    model_path = model_path or find_model(settings.models_dir, settings.lang, settings.data_dir)

    with contextlib.ExitStack() as stack:
        clock = SimulatedClock(datetime.now())
        log = EventLog(log_path, clock)
        stack.callback(log.close)
        output = WavFileOutput(output_path, clock)
        stack.callback(output.close)
        guide = voice(settings, pack)
        stack.callback(guide.close)
        conductor = Conductor(pack, clock, None, guide, output, log, journal(settings))
        commands = CommandWords(pack.commands())

        def spoken(index: int) -> AudioChunk:
            who, text = turns[index]
            if not text:
                return AudioChunk(b"", RECOGNIZER_RATE)
            return guide.synthesize(text, voice=partner_voices[who - 1])

        def quiet_after(text: str) -> float:
            return settings.end_silence_seconds if text else settings.no_answer_seconds

        def announce(index: int) -> None:
            who, text = turns[index]
            conductor.show(f"{names[who - 1]}: {text or '…'}")

        if model_path:
            conductor.show(pack.text("transcript.demo_recognised"))
            model = load_model_in_background(model_path)
            source = ScriptedSource([spoken(i) for i in range(len(turns))], RECOGNIZER_RATE,
                                    settings.no_answer_seconds + 0.5, on_audio=output.record, on_turn=announce)
            conductor.ear = SpeechEar(model, source, commands, timing(settings), clock, conductor.warn)
        else:
            conductor.show(pack.text("transcript.demo_injected"))

            def handed_in() -> Iterator[str]:
                for index, (_, text) in enumerate(turns):
                    announce(index)
                    # the answer, then the silence that would have ended it
                    for audio in (spoken(index), silence(quiet_after(text), RECOGNIZER_RATE)):
                        output.record(audio)
                        clock.advance(audio.seconds)
                    yield text

            conductor.ear = TextEar(handed_in(), commands, clock)
            conductor.show_heard = False

        plan = partner_plan("daily", names, len(pack.items("checkin.daily.questions")), settings.daily_minutes)
        conductor.run(Checkin(plan))
        mirror = MirrorPlan(names, first=0, rounds=1, turn_seconds=settings.mirror_turn_minutes * 60)
        conductor.run(Mirror(mirror, Coach.from_pack(pack), NeedFinder.from_pack(pack)))
    conductor.show(pack.text("transcript.demo_written", path=output_path))
