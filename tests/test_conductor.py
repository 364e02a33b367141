"""The conductor with the real check-in machine, a fake clock, a scripted ear and a fake speaker."""
import json

from assistant.clock import SimulatedClock
from assistant.content import load_pack
from assistant.events import Answer, Command, NoAnswer
from assistant.exercises.checkin import Checkin, pack_fronts_plan, partner_plan
from assistant.store import Journal
from fakes import PrintedVoice, RecordingOutput, ScriptedEar, fake_session


def run(plan, events, tmp_path, seconds_per_answer=5.0, lang="en"):
    clock = SimulatedClock()
    voice = PrintedVoice()
    with fake_session(load_pack(lang), clock, ScriptedEar(clock, events, seconds_per_answer), voice,
                      RecordingOutput(clock), Journal(tmp_path / "journal.json"), tmp_path / "log.jsonl") as session:
        session.conductor.run(Checkin(plan))
    records = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    return voice.spoken, records, clock


def test_a_daily_checkin_is_spoken_and_logged_event_by_event(tmp_path):
    plan = partner_plan("daily", ("Anna", "Ben"), 3, 10)
    spoken, records, _ = run(plan, [Answer("tired")] + [Answer("fine")] * 5, tmp_path)
    assert spoken[3] == "Anna, how did you feel today? Name a feeling, not a report of your day."
    assert spoken[-1].startswith("That was today's check-in")
    kinds = {r["kind"] for r in records}
    assert {"state", "say", "listen", "heard", "timer", "end"} <= kinds
    heard = [r for r in records if r["kind"] == "heard"]
    assert heard[0] == {**heard[0], "event": "answer", "text": "tired"}
    assert all(isinstance(r["t"], float) and "at" in r for r in records)


def test_the_timebox_warns_then_closes_a_long_daily_checkin_on_time(tmp_path):
    plan = partner_plan("daily", ("Anna", "Ben"), 3, 10)
    # Answers of 140 s: the warning falls in the 4th answer and is said before the 5th question;
    # the end falls in the 5th answer, which may finish before the close.
    spoken, records, clock = run(plan, [Answer("long answer")] * 6, tmp_path, seconds_per_answer=140)
    assert "We have about 1 minute left. Take your time with this last part." in spoken
    assert spoken[-2:] == ["Our time is up. Let's finish here, even if not everything was said.",
                           "That was today's check-in. Thank you both for showing up for each other."]
    assert spoken[-4] == "We have about 1 minute left. Take your time with this last part."
    assert spoken[-3].startswith("Anna, what was a moment today")
    assert 600 <= clock.monotonic() < 600 + 140
    fired = [r["name"] for r in records if r["kind"] == "timer" and r["action"] == "done"]
    assert fired == ["nearly_up", "time_up"]


def test_fronts_saves_to_the_journal_after_yes_and_not_after_no(tmp_path):
    plan = pack_fronts_plan(load_pack("nl"))
    answers = [Answer(f"antwoord {i}") for i in range(8)]
    spoken, _, _ = run(plan, answers + [Command("no")], tmp_path, lang="nl")
    assert "Goed, er is niets bewaard." in spoken
    assert Journal(tmp_path / "journal.json").entries() == []

    run(plan, answers + [NoAnswer(), Command("yes")], tmp_path, lang="nl")
    (entry,) = Journal(tmp_path / "journal.json").entries()
    assert entry["kind"] == "fronts"
    assert [i["label"] for i in entry["items"]] == [f"{front}, {part}" for front in ("relaties", "seks", "werk", "rust")
                                                    for part in ("patroon", "stap")]
    assert entry["items"][1]["text"] == "antwoord 1"
    assert oct((tmp_path / "journal.json").stat().st_mode & 0o777) == "0o600"
