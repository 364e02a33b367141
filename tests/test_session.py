"""One way to build a session: the parts in order, the ear with the conductor's callbacks, and
what was made closed again when a later part fails."""
import io
import json

import pytest

from assistant.clock import SimulatedClock
from assistant.content import load_pack
from assistant.errors import UserError
from assistant.session import Blueprint, build_session
from assistant.store import Journal
from assistant.terminal import Terminal
from fakes import PrintedVoice, RecordingOutput, ScriptedEar

EN = load_pack("en")


class Closing(RecordingOutput):
    closed = False

    def close(self) -> None:
        self.closed = True


class ClosingVoice(PrintedVoice):
    closed = False

    def close(self) -> None:
        self.closed = True


class ArmedEar(ScriptedEar):
    armed: tuple = ()

    def arm(self, word, heard, second_ear=True) -> None:
        self.armed = (word, heard)


def test_the_ear_is_made_with_the_sessions_warn_and_armed_with_the_event_the_conductor_watches(tmp_path):
    clock, err = SimulatedClock(), io.StringIO()
    made = {}

    def ear(hearing):
        made["hearing"] = hearing
        return ArmedEar(clock, [])

    with build_session(Blueprint(EN, clock, Journal(tmp_path / "j.json"), lambda: RecordingOutput(clock), ear,
                                 lambda warn: PrintedVoice(), log_file=tmp_path / "log.jsonl",
                                 view=Terminal(io.StringIO(), err), safe_word="pineapple")) as session:
        made["hearing"].warn(UserError("input_failed"))
        assert session.ear.armed == ("pineapple", session.heard) and session.conductor.safe_word_heard is session.heard
        assert made["hearing"].voice is session.voice and made["hearing"].output is session.output
    sentence = EN.text("errors.input_failed")
    assert err.getvalue() == sentence + "\n"
    logged = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    assert {"kind": "error", "key": "input_failed", "text": sentence}.items() <= logged[-1].items()


def test_a_part_that_fails_closes_what_was_made_before_it(tmp_path):
    clock = SimulatedClock()
    output, voice = Closing(clock), ClosingVoice()

    def broken_ear(hearing):
        raise UserError("no_audio", detail="no microphone")

    with pytest.raises(UserError):
        build_session(Blueprint(EN, clock, Journal(tmp_path / "j.json"), lambda: output, broken_ear,
                                lambda warn: voice, log_file=tmp_path / "log.jsonl"))
    assert output.closed and voice.closed
