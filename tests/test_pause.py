"""The safe word's pause and the return, with a fake clock: in every state of every flow."""
import time

import pytest

from assistant.clock import SimulatedClock
from assistant.content import load_pack
from assistant.events import (
    Answer,
    Chime,
    Command,
    InputEnded,
    NoAnswer,
    PauseUntil,
    SafeWord,
    Say,
    StartTimer,
    TimerDone,
)
from assistant.exercises.checkin import Checkin, fronts_plan, partner_plan
from assistant.exercises.mirror import Mirror, MirrorPlan
from assistant.exercises.pausing import Pause, PausePlan, PauseSettings, PauseWords
from assistant.pause_store import PauseStore
from assistant.store import Journal
from assistant.understanding.hearing import Understanding
from fakes import PrintedVoice, RecordingOutput, ScriptedEar, ended, fake_session, keys, listens

RETURN = "I want to solve this. Let's try again, more calmly."
TERUG = "Ik wil dit oplossen. Laten we opnieuw proberen, rustiger."


def says(actions):
    return [a for a in actions if isinstance(a, Say)]


def pause_flow(seconds=1200, lang="en", **settings):
    clock = SimulatedClock()
    flow = Pause(PausePlan(seconds, seconds, PauseSettings(**settings)), PauseWords.from_pack(load_pack(lang)), clock)
    return flow, clock, flow.start()


def test_the_announcement_keeps_the_deadline_first_then_says_twenty_minutes_and_the_time_we_meet():
    _, _, actions = pause_flow()
    assert actions[0] == PauseUntil(1200, 1200)  # on disk before a word is said
    assert keys(actions) == ["pause.announce", "pause.calming"]
    assert says(actions)[0].values == {"minutes": 20, "at": "20:20"}
    marks = [a for a in actions if isinstance(a, StartTimer)]
    assert marks == [StartTimer("mark:10", 600), StartTimer("mark:5", 900), StartTimer("mark:1", 1140)]


def test_a_pause_shorter_than_the_method_says_so_and_marks_and_calming_can_be_off():
    _, _, actions = pause_flow(300, marks_minutes=(), calming=False)
    assert keys(actions) == ["pause.announce", "pause.shorter"]
    assert not [a for a in actions if isinstance(a, StartTimer)]


def test_marks_are_spoken_and_the_safe_word_again_is_only_acknowledged_with_the_time_left():
    flow, clock, _ = pause_flow()
    assert keys(flow.handle(TimerDone("mark:10"))) == ["pause.mark"]
    assert keys(flow.handle(TimerDone("mark:1"))) == ["pause.mark_one"]
    clock.advance(7 * 60)
    again = flow.handle(SafeWord())
    assert keys(again) == ["pause.already"] and says(again)[0].values == {"minutes": 13}
    clock.advance(12.5 * 60)
    assert keys(flow.handle(SafeWord())) == ["pause.already_one"]
    assert flow.state == "waiting"


def test_the_pause_cannot_be_ended_early_by_voice():
    flow, _, _ = pause_flow()
    for event in (Command("stop"), Command("next"), Answer(RETURN), NoAnswer()):
        assert flow.handle(event) == []
    assert flow.state == "waiting"


def test_the_end_chimes_and_both_partners_say_the_return_sentence():
    flow, _, _ = pause_flow()
    back = flow.handle(TimerDone("pause_end"))
    assert back[0] == Chime() and keys(back) == ["pause.return_prompt"]
    first = flow.handle(Answer(RETURN.lower()))
    assert keys(first) == ["pause.waiting"] and listens(first) == ["answer"]  # nobody wonders whether it was heard
    done = flow.handle(Answer("i want to solve this lets try again calmly"))  # a tolerant match
    assert keys(done) == ["pause.welcome_back"] and ended(done) and flow.came_back


def test_the_return_in_dutch_and_for_one_person_alone():
    flow, _, _ = pause_flow(lang="nl", partners=1)
    flow.handle(TimerDone("pause_end"))
    assert ended(flow.handle(Answer(TERUG)))


def test_a_partner_not_calm_yet_asks_for_more_time_and_the_pause_is_extended():
    flow, _, _ = pause_flow()
    flow.handle(TimerDone("pause_end"))
    more = flow.handle(Answer("I'm not ready, ten more minutes please"))
    assert more[0] == PauseUntil(600, 1800) and keys(more) == ["pause.extended"]
    assert says(more)[0].values["minutes"] == 10 and flow.state == "waiting"
    flow.handle(TimerDone("pause_end"))
    assert flow.handle(Answer("more time"))[0] == PauseUntil(600, 2400)  # the default extension


def test_extensions_stop_at_a_day_in_total():
    flow, _, _ = pause_flow(seconds=24 * 3600 - 300)
    flow.handle(TimerDone("pause_end"))
    capped = flow.handle(Answer("thirty more minutes"))
    assert capped[0] == PauseUntil(300, 24 * 3600) and keys(capped) == ["pause.at_most"]


def test_silence_at_the_return_gets_one_reminder_and_the_input_ending_leaves_the_pause_running():
    flow, _, _ = pause_flow()
    flow.handle(TimerDone("pause_end"))
    assert keys(flow.handle(NoAnswer())) == ["pause.return_again"]
    assert flow.handle(NoAnswer()) == []
    assert keys(flow.handle(Answer("what"))) == ["pause.return_again"]
    assert ended(flow.handle(InputEnded())) and not flow.came_back


# --- the conductor: a safe word in every state of every flow --------------------------------
def conduct(exercise, events, tmp_path, partners=2, lang="en"):
    clock = SimulatedClock()
    voice = PrintedVoice()
    with fake_session(load_pack(lang), clock, ScriptedEar(clock, events, seconds=2), voice, RecordingOutput(clock),
                      Journal(tmp_path / "journal.json"), tmp_path / "log.jsonl",
                      pause=PauseSettings(minutes=20, partners=partners)) as session:
        session.conductor.run(exercise)
    return voice.spoken, clock, session.conductor


def said(lang, key, **values):
    return load_pack(lang).text(key, **values)


def after_pause(spoken, lang="en"):
    return spoken[spoken.index(said(lang, "pause.welcome_back")) + 1]


def return_events(partners=2):
    # The pause timer fires while listening; both return; then the resumed step is answered.
    return [NoAnswer()] * 620 + [Answer(RETURN)] * partners


CHECKIN_STATES = {
    "first question": ([], "checkin.daily.questions[0]", {"name": "Anna"}),
    "later question": ([Answer("tired")] * 3, "checkin.daily.questions[1]", {"name": "Ben"}),
}


@pytest.mark.parametrize("where", CHECKIN_STATES)
def test_a_safe_word_in_a_daily_checkin_pauses_and_the_same_question_is_asked_again(where, tmp_path):
    before, key, values = CHECKIN_STATES[where]
    flow = Checkin(partner_plan("daily", ("Anna", "Ben"), 3, 10))
    events = before + [SafeWord()] + return_events() + [Command("stop")]
    spoken, clock, _ = conduct(flow, events, tmp_path)
    assert said("en", "pause.announce", minutes=20, at=spoken[spoken.index(said("en", "pause.calming")) - 1][-6:-1]) \
        in spoken
    assert after_pause(spoken) == said("en", key, **values)
    assert clock.monotonic() > 20 * 60


def test_the_checkin_timebox_waits_during_the_pause(tmp_path):
    flow = Checkin(partner_plan("daily", ("Anna", "Ben"), 3, 10))
    events = [SafeWord()] + return_events() + [Answer("fine")] * 6
    spoken, _, _ = conduct(flow, events, tmp_path)
    assert said("en", "checkin.time_up") not in spoken  # 20 minutes of pause used none of the 10
    assert spoken[-1] == said("en", "checkin.daily.closing")


def test_a_safe_word_at_the_save_question_of_the_fronts_asks_it_again(tmp_path):
    flow = Checkin(fronts_plan(load_pack("nl").items("checkin.fronts.fronts")))
    events = [Answer("x")] * 8 + [SafeWord()] + [NoAnswer()] * 620 + [Answer(TERUG), Command("yes")]
    spoken, _, _ = conduct(flow, events, tmp_path, partners=1, lang="nl")
    assert after_pause(spoken, "nl") == said("nl", "checkin.fronts.ask_save")
    assert spoken[-1] == said("nl", "checkin.fronts.closing")


GOOD = "what i hear is that you miss our evenings is that right"
NEEDING = [Answer("i miss you"), Answer(GOOD), Answer("yes"), Command("no")]
MIRROR_STATES = {
    "speaking": ([], "mirror.speak"),
    "reflecting": ([Answer("i miss you")], "mirror.reflect"),
    "confirming": ([Answer("i miss you"), Answer(GOOD)], "mirror.confirm"),
    "clarifying": ([Answer("i miss you"), Answer(GOOD), Answer("no")], "mirror.clarify"),
    "more": ([Answer("i miss you"), Answer(GOOD), Answer("yes")], "mirror.more"),
    "needing": (NEEDING, "mirror.ask_need"),
    "agreeing": ([*NEEDING, Answer("i need some space for myself")], "mirror.agree"),
    "settling": ([*NEEDING, Answer("i need some space for myself"),
                  Answer("let's agree i leave you alone on sunday mornings does that work")], "mirror.does_it_work"),
    "responding": ([*NEEDING, Command("next")], "mirror.respond"),
}


@pytest.mark.parametrize("state", MIRROR_STATES)
def test_a_safe_word_in_every_mirror_state_pauses_and_resumes_at_the_same_step(state, tmp_path):
    before, key = MIRROR_STATES[state]
    pack = load_pack("en")
    flow = Mirror(MirrorPlan(("Anna", "Ben")), Understanding.from_pack(pack))
    spoken, _, _ = conduct(flow, before + [SafeWord()] + return_events() + [Command("stop")], tmp_path)
    assert flow.state == "ended"
    resumed = after_pause(spoken)
    assert resumed == said("en", key, speaker="Anna", listener="Ben")


def test_the_offer_to_move_on_is_made_again_after_a_pause(tmp_path):
    pack = load_pack("en")
    flow = Mirror(MirrorPlan(("Anna", "Ben")), Understanding.from_pack(pack))
    corrections = [Answer("i miss you"), Answer(GOOD)] + [Answer("no, i meant that i miss talking"), Answer(GOOD)] * 3
    spoken, _, _ = conduct(flow, corrections + [SafeWord()] + return_events() + [Command("stop")], tmp_path)
    assert after_pause(spoken) == said("en", "mirror.offer_move_on")


def test_the_safe_word_cuts_the_voice_off_and_the_log_tells_the_story(tmp_path):
    import json

    flow = Checkin(partner_plan("daily", ("Anna", "Ben"), 3, 10))
    clock = SimulatedClock()
    voice = PrintedVoice()

    class CutOffOutput(RecordingOutput):
        def play(self, chunk, interrupt=None):
            if not self.played:
                session.heard.set()  # the spotter hears it while the guide speaks
            return super().play(chunk, interrupt) and not (interrupt and interrupt.is_set())

    with fake_session(load_pack("en"), clock, ScriptedEar(clock, return_events() + [Command("stop")], 2), voice,
                      CutOffOutput(clock), Journal(tmp_path / "j.json"), tmp_path / "log.jsonl") as session:
        session.conductor.run(flow)
    assert voice.spoken[0].startswith("Welcome to your daily check-in")
    assert voice.spoken[1] == said("en", "pause.announce", minutes=20, at="20:20")
    kinds = [(r["kind"], r.get("action") or r.get("event")) for r in map(json.loads, open(tmp_path / "log.jsonl"))]
    story = [k for k in kinds if k in {("say", "cut off"), ("heard", "safe word"), ("pause", "start"),
                                       ("pause", "end"), ("resume", None), ("chime", None)}]
    assert story == [("say", "cut off"), ("heard", "safe word"), ("pause", "start"), ("chime", None),
                     ("pause", "end"), ("resume", None)]


# --- the pause on disk ----------------------------------------------------------------------
def test_the_pause_on_disk_counts_on_the_monotonic_clock_so_a_clock_change_does_not_shorten_it(tmp_path, monkeypatch):
    store = PauseStore(tmp_path / "pause.json")
    store.start(1200, 1200, {"exercise": {"exercise": "checkin"}, "timers": {}})
    assert 1199 <= store.load().remaining() <= 1200
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3600)  # the wall clock jumps an hour ahead
    assert 1199 <= store.load().remaining() <= 1200
    record = store.load()
    after_reboot = type(record)(**{**record.__dict__, "boot": "another boot"})
    assert after_reboot.remaining() == 0  # only then the wall clock counts
    store.clear()
    assert store.load() is None


def test_an_unreadable_pause_file_is_no_pause(tmp_path):
    path = tmp_path / "pause.json"
    path.write_text("{not json")
    assert PauseStore(path).load() is None


@pytest.mark.parametrize("lang, asked", [
    ("en", "I need time to process this. Can we talk about it tomorrow?"),
    ("nl", "Ik heb tijd nodig om dit te verwerken. Kunnen we het er morgen over hebben?"),
])
def test_asking_for_tomorrow_at_the_return_pauses_as_long_as_a_pause_may_last_a_day(lang, asked):
    flow, clock, _ = pause_flow(lang=lang)
    clock.advance(1200)
    flow.handle(TimerDone("pause_end"))
    later = flow.handle(Answer(asked))
    assert keys(later) == ["pause.tomorrow"] and flow.state == "waiting"
    assert [a for a in later if isinstance(a, PauseUntil)] == [PauseUntil(24 * 3600 - 1200, 24 * 3600)]
    assert says(later)[0].values == {"at": "20:00"}


def test_one_minute_is_said_as_one_minute():
    _, _, actions = pause_flow(60, calming=False)
    assert keys(actions) == ["pause.announce", "pause.shorter"]
    assert "We take 1 minute apart" in load_pack("en").text("pause.announce", **says(actions)[0].values)
    flow, clock, _ = pause_flow()
    clock.advance(1200)
    flow.handle(TimerDone("pause_end"))
    extended = flow.handle(Answer("1 more minute please"))
    assert "We take 1 more minute," in load_pack("en").text("pause.extended", **says(extended)[0].values)

