"""The check-in machine, driven by scripted events: every path."""
from assistant.events import Answer, Command, InputEnded, NoAnswer, Save, StartTimer, TimerDone
from assistant.exercises.checkin import Checkin, fronts_plan, partner_plan
from fakes import ended, keys, listens

NAMES = ("Anna", "Ben")


def daily():
    return Checkin(partner_plan("daily", NAMES, 3, 10))


def test_daily_opens_with_greeting_setting_and_first_question_to_the_first_partner():
    flow = daily()
    actions = flow.start()
    assert keys(actions) == ["checkin.daily.greeting", "checkin.daily.setting", "checkin.daily.controls",
                             "checkin.daily.questions[0]"]
    assert actions[-2].values == {"name": "Anna"}
    assert listens(actions) == ["answer"]
    assert flow.state == "asking"


def test_daily_asks_every_question_to_each_partner_in_turn_then_closes():
    flow = daily()
    flow.start()
    asked = []
    for _ in range(5):
        actions = flow.handle(Answer("a feeling"))
        asked.append((keys(actions)[-1], actions[-2].values["name"]))
    assert asked == [("checkin.daily.questions[0]", "Ben"), ("checkin.daily.questions[1]", "Anna"),
                     ("checkin.daily.questions[1]", "Ben"), ("checkin.daily.questions[2]", "Anna"),
                     ("checkin.daily.questions[2]", "Ben")]
    last = flow.handle(Answer("the flowers"))
    assert keys(last) == ["checkin.daily.closing"] and ended(last)
    assert flow.state == "ended"


def test_daily_starts_its_ten_minute_timebox_with_a_warning_one_minute_before():
    timers = [a for a in daily().start() if isinstance(a, StartTimer)]
    assert timers == [StartTimer("nearly_up", 540), StartTimer("time_up", 600)]


def test_weekly_gives_the_rules_first_asks_four_questions_and_closes_with_physical_connection():
    flow = Checkin(partner_plan("weekly", NAMES, 4, 45))
    opening = flow.start()
    assert keys(opening)[:4] == ["checkin.weekly.greeting", "checkin.weekly.setting", "checkin.weekly.rules",
                                 "checkin.weekly.controls"]
    assert [a for a in opening if isinstance(a, StartTimer)][-1] == StartTimer("time_up", 45 * 60)
    for _ in range(7):
        flow.handle(Answer("an answer"))
    assert keys(flow.handle(Answer("last")))[-1] == "checkin.weekly.closing"


def test_repeat_asks_the_same_question_again_to_the_same_partner():
    flow = daily()
    flow.start()
    actions = flow.handle(Command("repeat"))
    assert keys(actions) == ["checkin.daily.questions[0]"] and actions[0].values == {"name": "Anna"}
    assert listens(actions) == ["answer"]


def test_next_and_a_bare_done_move_on_without_an_answer():
    flow = daily()
    flow.start()
    assert flow.handle(Command("next"))[0].values == {"name": "Ben"}
    assert keys(flow.handle(Command("done"))) == ["checkin.daily.questions[1]"]


def test_silence_gets_one_gentle_nudge_then_moves_on_and_says_so():
    flow = daily()
    flow.start()
    nudge = flow.handle(NoAnswer())
    assert keys(nudge) == ["checkin.gentle_retry"] and nudge[0].values == {"name": "Anna"}
    moved = flow.handle(NoAnswer())
    assert keys(moved) == ["checkin.moving_on", "checkin.daily.questions[0]"]
    assert moved[1].values == {"name": "Ben"}
    # the next partner gets their own nudge again
    assert keys(flow.handle(NoAnswer())) == ["checkin.gentle_retry"]


def test_stop_ends_politely_from_a_question_and_from_the_save_question():
    flow = daily()
    flow.start()
    actions = flow.handle(Command("stop"))
    assert keys(actions) == ["checkin.stopped"] and ended(actions)
    fronts = Checkin(fronts_plan(["a", "b", "c", "d"]))
    fronts.start()
    for _ in range(8):
        fronts.handle(Answer("x"))
    assert fronts.state == "consent"
    assert keys(fronts.handle(Command("stop"))) == ["checkin.stopped"]


def test_nearly_up_is_said_before_the_next_question_never_in_the_middle_of_an_answer():
    flow = daily()
    flow.start()
    assert flow.handle(TimerDone("nearly_up")) == []  # keep listening to Anna
    actions = flow.handle(Answer("tired"))
    assert keys(actions) == ["checkin.nearly_up_one", "checkin.daily.questions[0]"]
    assert "checkin.nearly_up" not in keys(flow.handle(Answer("fine")))


def test_the_weekly_warning_names_the_minutes_left():
    flow = Checkin(partner_plan("weekly", NAMES, 4, 45))
    flow.start()
    flow.handle(TimerDone("nearly_up"))
    actions = flow.handle(Answer("a loving moment"))
    assert keys(actions)[0] == "checkin.nearly_up" and actions[0].values == {"minutes": 4}


def test_time_up_lets_the_current_answer_finish_then_closes():
    flow = daily()
    flow.start()
    assert flow.handle(TimerDone("time_up")) == []
    actions = flow.handle(Answer("still talking, then done"))
    assert keys(actions) == ["checkin.time_up", "checkin.daily.closing"] and ended(actions)


def test_the_end_of_the_input_ends_the_session_cleanly():
    flow = daily()
    flow.start()
    actions = flow.handle(InputEnded())
    assert keys(actions) == ["checkin.input_ended"] and ended(actions)


def fronts_through_questions(answers):
    flow = Checkin(fronts_plan(["relationships", "sex", "work", "inner calm"]))
    flow.start()
    actions = []
    for answer in answers:
        actions = flow.handle(answer)
    return flow, actions


def test_fronts_asks_pattern_then_action_for_each_front_without_a_timebox():
    flow = Checkin(fronts_plan(["relationships", "sex", "work", "inner calm"]))
    opening = flow.start()
    assert not [a for a in opening if isinstance(a, StartTimer)]
    assert keys(opening)[-1] == "checkin.fronts.pattern" and opening[-2].values == {"front": "relationships"}
    assert keys(flow.handle(Answer("I avoid hard talks"))) == ["checkin.fronts.action"]
    assert flow.handle(Answer("call her tonight"))[0].values == {"front": "sex"}


def test_fronts_reads_the_actions_back_and_saves_them_only_after_yes():
    answers = [Answer("p1"), Answer("call her"), Answer("p2"), Command("next"),
               Answer("p3"), Answer("leave at six"), Answer("p4"), Answer("ten quiet minutes")]
    flow, readback = fronts_through_questions(answers)
    assert flow.state == "consent"
    assert keys(readback) == ["checkin.fronts.readback_intro", "checkin.fronts.readback_item",
                              "checkin.fronts.readback_empty", "checkin.fronts.readback_item",
                              "checkin.fronts.readback_item", "checkin.fronts.ask_save"]
    assert readback[1].values == {"front": "relationships", "action": "call her"}
    assert listens(readback) == ["yesno"]
    actions = flow.handle(Command("yes"))
    saves = [a for a in actions if isinstance(a, Save)]
    assert saves == [Save("fronts", (("relationships", "call her"), ("work", "leave at six"),
                                     ("inner calm", "ten quiet minutes")), confirm="checkin.fronts.saved")]
    assert keys(actions) == ["checkin.fronts.closing"] and ended(actions)  # "saved": once it is on disk


def test_fronts_saves_nothing_on_no_or_on_silence_twice():
    answers = [Answer(str(i)) for i in range(8)]
    flow, _ = fronts_through_questions(answers)
    no = flow.handle(Command("no"))
    assert not [a for a in no if isinstance(a, Save)] and keys(no)[0] == "checkin.fronts.not_saved"

    flow, _ = fronts_through_questions(answers)
    assert keys(flow.handle(NoAnswer())) == ["checkin.fronts.ask_save_again"]
    assert keys(flow.handle(Answer("hmm, maybe"))) == ["checkin.fronts.ask_save_again"]
    second = flow.handle(NoAnswer())
    assert not [a for a in second if isinstance(a, Save)] and ended(second)


def test_fronts_gentle_nudge_has_no_name_in_the_solo_reflection():
    flow = Checkin(fronts_plan(["relationships", "sex", "work", "inner calm"]))
    flow.start()
    assert keys(flow.handle(NoAnswer())) == ["checkin.gentle_retry_solo"]
