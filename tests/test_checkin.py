"""The check-in machine, driven by scripted events: every path."""
from assistant.events import Answer, Command, InputEnded, NoAnswer, PauseNow, Save, StartTimer, TimerDone
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
    assert opening[0].values == {"minutes": 45}
    assert [a for a in opening if isinstance(a, StartTimer)][-1] == StartTimer("time_up", 45 * 60)
    for _ in range(7):  # every answer, then no more; questions 2 and 3 end without an agreement (skipped)
        flow.handle(Answer("an answer"))
        actions = flow.handle(Command("no"))
        if keys(actions)[-1] == "checkin.weekly.reflect":
            flow.handle(Command("next"))
            flow.handle(Command("next"))
    flow.handle(Answer("last"))
    assert keys(flow.handle(Command("no")))[-1] == "checkin.weekly.closing"


def weekly_at_question_two():
    flow = Checkin(partner_plan("weekly", NAMES, 4, 45, agreement_label="{other} for {name}"))
    flow.start()
    for _ in range(2):
        flow.handle(Answer("a loving moment"))
        flow.handle(Command("no"))
    return flow


def test_weekly_gives_each_answer_room_before_moving_on():
    flow = Checkin(partner_plan("weekly", NAMES, 4, 45))
    flow.start()
    more = flow.handle(Answer("the walk"))
    assert keys(more) == ["checkin.weekly.more"] and listens(more) == ["yesno"] and more[0].values == {"name": "Anna"}
    assert keys(flow.handle(Command("yes"))) == ["checkin.weekly.go_on"]
    assert keys(flow.handle(Answer("and the dinner"))) == ["checkin.weekly.more_again"]
    assert keys(flow.handle(Answer("and the flowers, too"))) == ["checkin.weekly.more"]  # talking on is more
    nxt = flow.handle(NoAnswer())
    assert keys(nxt) == ["checkin.weekly.questions[0]"] and nxt[0].values == {"name": "Ben"}


def test_not_seen_or_supported_ends_in_one_agreed_change_which_is_saved_only_after_yes():
    flow = weekly_at_question_two()
    flow.handle(Answer("when you worked late"))
    reflect = flow.handle(Command("no"))
    assert keys(reflect) == ["checkin.weekly.reflect"] and reflect[0].values == {"name": "Anna", "other": "Ben"}
    assert keys(flow.handle(Answer("what I hear is you felt alone, is that right?"))) == ["checkin.weekly.confirm"]
    # a correction: Ben reflects again; then Anna confirms, and Ben offers one concrete change
    assert keys(flow.handle(Answer("not alone, unseen"))) == ["checkin.weekly.reflect_again"]
    flow.handle(Answer("what I hear is you felt unseen, is that right?"))
    assert keys(flow.handle(Command("yes"))) == ["checkin.weekly.propose"]
    accept = flow.handle(Answer("I leave work at six twice a week, OK?"))
    assert keys(accept) == ["checkin.weekly.accept"] and accept[0].values == {"name": "Anna", "other": "Ben"}
    # Anna adjusts it, so Ben is asked in turn; he says yes
    turned = flow.handle(Answer("three times, please"))
    assert keys(turned) == ["checkin.weekly.accept"] and turned[0].values == {"name": "Ben", "other": "Anna"}
    agreed = flow.handle(Command("yes"))
    assert keys(agreed) == ["checkin.weekly.agreed", "checkin.weekly.questions[1]"]
    assert agreed[0].values == {"agreement": "three times, please"} and agreed[0].private
    assert flow.agreements == {"Ben for Anna": "three times, please"}
    for _ in range(3):  # Ben's question 2 and both question 3s skipped, both question 4s answered
        flow.handle(Command("next"))
    flow.handle(Answer("money"))
    flow.handle(Command("no"))
    flow.handle(Answer("holidays"))
    readback = flow.handle(Command("no"))
    assert keys(readback) == ["checkin.weekly.readback_intro", "checkin.weekly.readback_item",
                              "checkin.weekly.ask_save"]
    saved = flow.handle(Command("yes"))
    assert [a for a in saved if isinstance(a, Save)] == [
        Save("weekly", (("Ben for Anna", "three times, please"),), confirm="checkin.weekly.saved")]


def test_silence_while_the_other_partner_reflects_or_offers_a_change_gets_one_nudge_by_name():
    flow = weekly_at_question_two()
    flow.handle(Answer("when you worked late"))
    flow.handle(Command("no"))
    nudge = flow.handle(NoAnswer())
    assert keys(nudge) == ["checkin.gentle_retry"] and nudge[0].values == {"name": "Ben"}
    assert keys(flow.handle(NoAnswer())) == ["checkin.weekly.propose"]
    assert keys(flow.handle(NoAnswer())) == ["checkin.gentle_retry"]
    assert keys(flow.handle(NoAnswer())) == ["checkin.weekly.no_agreement", "checkin.weekly.questions[1]"]


def test_a_weekly_without_an_agreement_asks_nothing_about_saving():
    flow = Checkin(partner_plan("weekly", NAMES, 1, 45))
    flow.start()
    flow.handle(Answer("the walk"))
    flow.handle(Command("no"))
    flow.handle(Answer("the dinner"))
    last = flow.handle(Command("no"))
    assert keys(last) == ["checkin.weekly.closing"] and ended(last)


def test_stop_in_the_weekly_first_offers_the_pause_and_a_yes_pauses_from_where_it_was():
    flow = weekly_at_question_two()
    offer = flow.handle(Command("stop"))
    assert keys(offer) == ["checkin.weekly.offer_pause"] and listens(offer) == ["yesno"]
    paused = flow.handle(Command("yes"))
    assert paused == [PauseNow()] and flow.state == "asking"
    assert keys(flow.resume()) == ["checkin.weekly.questions[1]"]  # after the return: the same question
    flow.handle(Command("stop"))
    no = flow.handle(Command("no"))
    assert keys(no) == ["checkin.stopped"] and ended(no)


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
    assert keys(fronts.handle(Command("stop"))) == ["checkin.stopped"]  # alone, nothing to pause


def test_nearly_up_is_said_before_the_next_question_never_in_the_middle_of_an_answer():
    flow = daily()
    flow.start()
    assert flow.handle(TimerDone("nearly_up")) == []  # keep listening to Anna
    actions = flow.handle(Answer("tired"))
    assert keys(actions) == ["checkin.nearly_up", "checkin.daily.questions[0]"] and actions[0].values == {"minutes": 1}
    assert "checkin.nearly_up" not in keys(flow.handle(Answer("fine")))


def test_the_weekly_warning_names_the_minutes_left():
    flow = Checkin(partner_plan("weekly", NAMES, 4, 45))
    flow.start()
    flow.handle(TimerDone("nearly_up"))
    flow.handle(Answer("a loving moment"))
    actions = flow.handle(Command("no"))
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


LABELS = ("{front}, pattern", "{front}, action")


def fronts_through_questions(answers):
    flow = Checkin(fronts_plan(["relationships", "sex", "work", "inner calm"], LABELS))
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
    assert saves == [Save("fronts", (("relationships, pattern", "p1"), ("relationships, action", "call her"),
                                     ("sex, pattern", "p2"), ("work, pattern", "p3"), ("work, action", "leave at six"),
                                     ("inner calm, pattern", "p4"), ("inner calm, action", "ten quiet minutes")),
                          confirm="checkin.fronts.saved")]
    assert keys(actions) == ["checkin.fronts.closing"] and ended(actions)  # "saved": once it is on disk


def test_fronts_saves_nothing_on_no_and_an_unclear_answer_is_asked_once_short_then_not_now():
    answers = [Answer(str(i)) for i in range(8)]
    flow, _ = fronts_through_questions(answers)
    no = flow.handle(Command("no"))
    assert not [a for a in no if isinstance(a, Save)] and keys(no)[0] == "checkin.fronts.not_saved"

    for unclear in ([NoAnswer(), Answer("hmm, maybe")], [Answer("hmm, maybe"), NoAnswer()]):
        flow, _ = fronts_through_questions(answers)
        assert keys(flow.handle(unclear[0])) == ["checkin.yes_or_no"]
        second = flow.handle(unclear[1])
        assert keys(second) == ["checkin.not_now", "checkin.fronts.not_saved", "checkin.fronts.closing"]
        assert not [a for a in second if isinstance(a, Save)] and ended(second)


def test_fronts_gentle_nudge_has_no_name_in_the_solo_reflection():
    flow = Checkin(fronts_plan(["relationships", "sex", "work", "inner calm"]))
    flow.start()
    flow.handle(NoAnswer())
    assert keys(flow.handle(Command("repeat"))) == ["checkin.fronts.pattern"]
    assert keys(flow.handle(NoAnswer())) == ["checkin.gentle_retry_solo"]  # the example was offered already


def test_fronts_offers_the_methods_example_for_that_front_once_when_someone_is_stuck():
    flow = Checkin(fronts_plan(["relationships", "sex", "work", "inner calm"]))
    flow.start()
    flow.handle(Answer("I go quiet"))
    flow.handle(Answer("call her"))
    stuck = flow.handle(NoAnswer())
    assert keys(stuck) == ["checkin.fronts.example_intro", "checkin.fronts.pattern_examples[1]",
                           "checkin.fronts.own_words"] and listens(stuck) == ["answer"]
    assert keys(flow.handle(Answer("we only touch for sex"))) == ["checkin.fronts.action"]
    assert keys(flow.handle(NoAnswer()))[1] == "checkin.fronts.action_examples[1]"
