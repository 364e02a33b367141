"""The mirroring machine, driven by scripted events: every path, in both languages."""
import pytest

from assistant.content import load_pack
from assistant.events import Answer, Command, InputEnded, Listen, NoAnswer, Note, StartTimer, StopTimer, TimerDone
from assistant.exercises.coaching import Coach, NeedFinder
from assistant.exercises.mirror import STATES, Mirror, MirrorPlan
from fakes import ended, keys, listens

GOOD = "what i hear is that you miss our evenings together is that right"


def mirror(lang="en", **plan):
    pack = load_pack(lang)
    flow = Mirror(MirrorPlan(("Anna", "Ben"), **plan), Coach.from_pack(pack), NeedFinder.from_pack(pack))
    flow.start()
    return flow


def to_confirming(flow):
    flow.handle(Answer("i miss our evenings together since you started the new job"))
    return flow.handle(Answer(GOOD))


def notes(actions, kind):
    return [a.fields for a in actions if isinstance(a, Note) and a.kind == kind]


def test_the_intro_gives_the_rules_names_who_starts_and_starts_a_timed_turn():
    pack = load_pack("en")
    flow = Mirror(MirrorPlan(("Anna", "Ben"), first=1), Coach.from_pack(pack), NeedFinder.from_pack(pack))
    actions = flow.start()
    assert keys(actions) == ["mirror.intro", "mirror.rules", "mirror.controls", "mirror.first", "mirror.speak"]
    assert actions[3].values == {"speaker": "Ben", "listener": "Anna"}
    assert StartTimer("turn_limit", 120.0) in actions and StartTimer("turn_warning", 105.0) in actions
    assert listens(actions) == ["answer"] and flow.state == "speaking"


def test_a_reflection_confirmed_the_first_time_goes_on_to_more_need_respond_and_switch():
    flow = mirror()
    actions = flow.handle(Answer("i miss our evenings together"))
    assert StopTimer("turn_limit") in actions and keys(actions) == ["mirror.reflect"]
    assert actions[-2].values == {"speaker": "Anna", "listener": "Ben"}
    assert keys(flow.handle(Answer(GOOD))) == ["mirror.confirm"] and flow.state == "confirming"
    more = flow.handle(Command("yes"))
    assert keys(more) == ["mirror.more"] and listens(more) == ["yesno"]
    need = flow.handle(Command("no"))
    assert keys(need) == ["mirror.ask_need"]
    named = flow.handle(Answer("i need some time with you just the two of us"))
    assert keys(named) == ["mirror.need_named", "mirror.respond"]
    assert named[1].values == {"need": "connection"}
    assert notes(named, "need") == [{"need": "connection"}]
    switched = flow.handle(Answer("i miss them too let's keep thursday free"))
    assert keys(switched) == ["mirror.switch", "mirror.speak"]
    assert switched[0].values == {"speaker": "Ben", "listener": "Anna"}
    assert flow.state == "speaking" and flow.landed_first_time == 1


def test_after_both_rounds_it_sums_up_and_suggests_an_appreciation():
    flow = mirror(rounds=2)
    for _ in range(2):
        to_confirming(flow)
        flow.handle(Command("yes"))
        flow.handle(Command("no"))
        flow.handle(Answer("i need to feel safe"))
        last = flow.handle(Answer("my view"))
    assert keys(last) == ["mirror.summary", "mirror.closing"] and ended(last)
    assert notes(last, "summary") == [{"rounds": 2, "landed": 2, "reflections": 2}]
    assert flow.state == "ended"


def test_a_correction_by_no_asks_to_clarify_then_a_new_reflection_and_a_spoken_correction_goes_straight_to_it():
    flow = mirror()
    to_confirming(flow)
    assert keys(flow.handle(Command("no"))) == ["mirror.clarify"]
    assert keys(flow.handle(Answer("i meant that i miss talking"))) == ["mirror.reflect_again"]
    assert keys(flow.handle(Answer(GOOD))) == ["mirror.confirm"]
    # a correction said in words is the clarification itself
    assert keys(flow.handle(Answer("not quite what i meant is that i feel alone"))) == ["mirror.reflect_again"]
    flow.handle(Answer(GOOD))
    flow.handle(Command("yes"))
    assert flow.corrections == 2 and flow.landed_first_time == 0 and flow.reflections == 1


def test_after_three_corrections_it_offers_to_move_on():
    flow = mirror()
    to_confirming(flow)
    for _ in range(2):
        flow.handle(Command("no"))
        flow.handle(Answer("that is not what i meant"))
        flow.handle(Answer(GOOD))
    offer = flow.handle(Command("no"))
    assert keys(offer) == ["mirror.offer_move_on"] and listens(offer) == ["yesno"]
    assert keys(flow.handle(Command("yes"))) == ["mirror.ask_need"]


def test_declining_the_offer_keeps_clarifying():
    flow = mirror()
    to_confirming(flow)
    for _ in range(3):
        flow.handle(Answer("no that is not it"))
        flow.handle(Answer(GOOD))
    assert flow.state == "offering"
    assert keys(flow.handle(Command("no"))) == ["mirror.clarify"]


def test_is_there_more_yes_gives_the_floor_back_and_words_are_reflected_directly():
    flow = mirror()
    to_confirming(flow)
    flow.handle(Command("yes"))
    more = flow.handle(Command("yes"))
    assert keys(more) == ["mirror.speak_more"] and StartTimer("turn_limit", 120.0) in more
    assert keys(flow.handle(Answer("and i also feel tired"))) == ["mirror.reflect"]
    assert flow.reflections == 2
    flow.handle(Answer(GOOD))
    flow.handle(Command("yes"))
    assert keys(flow.handle(Answer("yes and one more thing the weekends too"))) == ["mirror.reflect"]


@pytest.mark.parametrize("lang, bad, pattern", [
    ("en", "what i hear is you're stressed so why don't you just take a day off is that right", "fixing"),
    ("en", "that's not true i called you twice", "defending"),
    ("nl", "overdrijf je niet een beetje klopt dat", "minimising"),
    ("nl", "je doet dit altijd klopt dat", "judging"),
])
def test_a_destructive_reflection_gets_one_hint_and_a_second_try(lang, bad, pattern):
    flow = mirror(lang)
    flow.handle(Answer("ik mis onze avonden" if lang == "nl" else "i miss our evenings"))
    hint = flow.handle(Answer(bad))
    assert keys(hint) == [f"coaching.{pattern}.hint"] and listens(hint) == ["answer"]
    assert notes(hint, "coaching") == [{"pattern": pattern}]
    assert flow.state == "reflecting"
    # once per reflection: the second try goes on to the speaker, whatever it is
    assert keys(flow.handle(Answer(bad))) == ["mirror.confirm"]


def test_a_reflection_without_the_check_question_gets_a_reminder():
    flow = mirror()
    flow.handle(Answer("i miss our evenings"))
    assert keys(flow.handle(Answer("what i hear is that you miss our evenings"))) == ["coaching.no_check.hint"]
    assert keys(flow.handle(Answer("is that right"))) == ["mirror.confirm"]


def test_each_new_reflection_may_be_coached_again():
    flow = mirror()
    flow.handle(Answer("i miss our evenings"))
    flow.handle(Answer("you should just come home earlier"))
    flow.handle(Answer(GOOD))
    flow.handle(Command("no"))
    flow.handle(Answer("i meant i miss talking"))
    assert keys(flow.handle(Answer("you always say that"))) == ["coaching.judging.hint"]


def test_the_turn_limit_warns_shortly_before_then_ends_the_turn_and_invites_the_reflection():
    flow = mirror(turn_seconds=60)
    warning = flow.handle(TimerDone("turn_warning"))
    assert keys(warning) == ["mirror.turn_warning"] and listens(warning) == ["answer"]
    assert flow.state == "speaking"
    over = flow.handle(TimerDone("turn_limit"))
    assert keys(over) == ["mirror.turn_over", "mirror.reflect"] and flow.state == "reflecting"


def test_without_the_need_step_it_goes_from_more_to_the_response():
    flow = mirror(ask_need=False)
    to_confirming(flow)
    flow.handle(Command("yes"))
    assert keys(flow.handle(Command("no"))) == ["mirror.respond"]


def test_the_listener_asking_the_need_question_aloud_is_not_taken_as_the_answer():
    flow = mirror("nl")
    flow.handle(Answer("ik mis onze avonden samen"))
    flow.handle(Answer("wat ik hoor is dat je onze avonden mist klopt dat"))
    flow.handle(Command("yes"))
    flow.handle(Command("no"))
    assert flow.state == "needing"
    assert flow.handle(Answer("wat heb je nu van mij nodig")) == [Listen("answer")]
    named = flow.handle(Answer("ik heb ruimte nodig om zelf te kiezen"))
    assert named[1].values == {"need": "autonomie"}


def test_an_unclear_need_is_thanked_not_named():
    flow = mirror()
    to_confirming(flow)
    flow.handle(Command("yes"))
    flow.handle(Command("no"))
    assert keys(flow.handle(Answer("hmm i am not sure really")))[0] == "mirror.need_unclear"


def test_silence_gets_a_nudge_to_the_right_person_then_the_step_moves_on():
    flow = mirror()
    nudge = flow.handle(NoAnswer())
    assert keys(nudge) == ["mirror.nudge"] and nudge[0].values == {"name": "Anna"}
    gave_up = flow.handle(NoAnswer())
    assert keys(gave_up)[:3] == ["mirror.no_words", "mirror.switch", "mirror.speak"]
    flow.handle(Answer("i had a rough day"))
    assert flow.handle(NoAnswer())[0].values == {"name": "Anna"}  # Ben spoke, Anna reflects


def test_repeat_says_the_current_prompt_again():
    flow = mirror()
    to_confirming(flow)
    again = flow.handle(Command("repeat"))
    assert keys(again) == ["mirror.confirm"] and listens(again) == ["yesno"]


def states_reached():
    """Drive a flow into each listening state; return the flows by state."""
    flows = {}
    for steps in ([], [Answer("x")], [Answer("x"), Answer(GOOD)], [Answer("x"), Answer(GOOD), Command("no")],
                  [Answer("x"), Answer(GOOD), Command("no"), Answer("y"), Answer(GOOD), Command("no"), Answer("z"),
                   Answer(GOOD), Command("no")],
                  [Answer("x"), Answer(GOOD), Command("yes")], [Answer("x"), Answer(GOOD), Command("yes"), Command("no")],
                  [Answer("x"), Answer(GOOD), Command("yes"), Command("no"), Answer("i need space")]):
        flow = mirror()
        for event in steps:
            flow.handle(event)
        flows[flow.state] = flow
    return flows


def test_stop_ends_politely_from_every_state_and_stops_the_turn_timers():
    flows = states_reached()
    assert set(flows) == set(STATES) - {"ready", "ended"}
    for state, flow in flows.items():
        actions = flow.handle(Command("stop"))
        assert keys(actions) == ["mirror.stopped"] and ended(actions), state
        assert StopTimer("turn_limit") in actions
        assert flow.state == "ended"


def test_the_end_of_the_input_ends_from_every_state():
    for state, flow in states_reached().items():
        actions = flow.handle(InputEnded())
        assert keys(actions) == ["mirror.input_ended"] and ended(actions), state
