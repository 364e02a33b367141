"""The mirroring machine, driven by scripted events: every path, in both languages."""
import pytest

from assistant.content import load_pack
from assistant.events import (
    Answer,
    Command,
    InputEnded,
    Listen,
    NoAnswer,
    Note,
    StartTimer,
    StopTimer,
    TimerDone,
)
from assistant.exercises.mirror import STATES, Mirror, MirrorPlan
from assistant.understanding.hearing import Understanding
from fakes import ended, keys, listens

GOOD = "what i hear is that you miss our evenings together is that right"


def mirror(lang="en", **plan):
    pack = load_pack(lang)
    flow = Mirror(MirrorPlan(("Anna", "Ben"), **plan), Understanding.from_pack(pack))
    flow.start()
    return flow


SPOKEN = {"en": ("i miss our evenings together since you started the new job", GOOD),
          "nl": ("ik mis onze avonden samen sinds je die nieuwe baan hebt",
                 "wat ik hoor is dat je onze avonden samen mist klopt dat")}


def to_confirming(flow, lang="en"):
    said, reflection = SPOKEN[lang]
    flow.handle(Answer(said))
    return flow.handle(Answer(reflection))


def notes(actions, kind):
    return [a.fields for a in actions if isinstance(a, Note) and a.kind == kind]


def test_the_intro_gives_the_rules_names_who_starts_and_starts_a_timed_turn():
    pack = load_pack("en")
    flow = Mirror(MirrorPlan(("Anna", "Ben"), first=1), Understanding.from_pack(pack))
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
    confirm = flow.handle(Answer(GOOD))
    assert keys(confirm) == ["mirror.confirm"] and listens(confirm) == ["answer"] and flow.state == "confirming"
    more = flow.handle(Answer("yes exactly"))
    assert keys(more) == ["mirror.more"] and listens(more) == ["yesno"]
    assert notes(more, "answer")[0]["answer"] == "yes"
    need = flow.handle(Command("no"))
    assert keys(need) == ["mirror.ask_need"]
    named = flow.handle(Answer("i need some time with you just the two of us"))
    assert keys(named) == ["mirror.need_named", "mirror.agree"]
    assert named[1].values == {"need": "connection"}
    assert [note["need"] for note in notes(named, "need")] == ["connection"]
    asked = flow.handle(Answer("let's agree thursday evening is ours no phones does that work"))
    assert keys(asked) == ["mirror.does_it_work"] and listens(asked) == ["yesno"]
    assert asked[0].values == {"speaker": "Anna", "listener": "Ben"}
    agreed = flow.handle(Command("yes"))
    assert keys(agreed) == ["mirror.agreed", "mirror.respond"]
    assert notes(agreed, "agreement") == [{"agreed": True, "proposals": 1}]
    switched = flow.handle(Answer("i miss them too for me the new job has been heavy"))
    assert keys(switched) == ["mirror.switch", "mirror.speak"]
    assert switched[0].values == {"speaker": "Ben", "listener": "Anna"}
    assert flow.state == "speaking" and flow.landed_first_time == 1


def test_after_both_rounds_it_sums_up_and_suggests_an_appreciation():
    flow = mirror(rounds=2)
    for _ in range(2):
        to_confirming(flow)
        flow.handle(Answer("yes"))
        flow.handle(Command("no"))
        flow.handle(Answer("i need to feel safe"))
        flow.handle(Answer("let's agree i call you when i am late does that work"))
        flow.handle(Command("yes"))
        last = flow.handle(Answer("for me it has been a hard week too and i miss you"))
    assert keys(last) == ["mirror.summary_landed", "mirror.closing"] and ended(last)
    assert next(a for a in last if getattr(a, "key", "") == "mirror.summary_landed").values == {"landed": 2}
    assert notes(last, "summary") == [{"rounds": 2, "landed": 2, "reflections": 2}]
    assert flow.state == "ended"


def test_the_summary_says_what_went_well_when_no_reflection_landed_the_first_time():
    flow = mirror(rounds=1)
    to_confirming(flow)
    flow.handle(Answer("not quite, I meant the evenings"))
    flow.handle(Answer("what I hear is you miss our evenings, is that right?"))
    flow.handle(Answer("yes"))
    flow.handle(Command("no"))
    flow.handle(Answer("i need to feel close"))
    flow.handle(Answer("let's agree we eat together without phones does that work"))
    flow.handle(Command("yes"))
    last = flow.handle(Answer("i miss you too and for me the new job has been heavy"))
    assert keys(last) == ["mirror.summary_kept_checking", "mirror.closing"]
    assert notes(last, "summary") == [{"rounds": 1, "landed": 0, "reflections": 1}]


def test_a_correction_by_no_asks_to_clarify_then_a_new_reflection_and_a_spoken_correction_goes_straight_to_it():
    flow = mirror()
    to_confirming(flow)
    assert keys(flow.handle(Answer("no"))) == ["mirror.clarify"]
    assert keys(flow.handle(Answer("i meant that i miss talking"))) == ["mirror.reflect_again"]
    assert keys(flow.handle(Answer(GOOD))) == ["mirror.confirm"]
    # a correction said in words is the clarification itself
    assert keys(flow.handle(Answer("not quite what i meant is that i feel alone"))) == ["mirror.reflect_again"]
    flow.handle(Answer(GOOD))
    flow.handle(Answer("yes"))
    assert flow.corrections == 2 and flow.landed_first_time == 0 and flow.reflections == 1


@pytest.mark.parametrize("lang, answer, kind", [
    ("nl", "Ja, maar het gaat me er vooral om dat ik er alleen voor sta", "yes_but"),
    ("nl", "Nee! ... je luistert gewoon nooit naar me", "no_with_content"),
    ("en", "yes but mostly that i feel alone with it", "yes_but"),
    ("en", "no i meant that you never ask", "no_with_content"),
])
def test_a_yes_but_or_a_no_with_content_is_the_correction_itself(lang, answer, kind):
    flow = mirror(lang)
    to_confirming(flow, lang)
    corrected = flow.handle(Answer(answer))
    assert keys(corrected) == ["mirror.reflect_again"] and flow.state == "reflecting"
    assert notes(corrected, "answer")[0]["answer"] == kind
    assert flow.corrections == 1


def test_wanting_to_say_more_gives_the_floor_back():
    flow = mirror()
    to_confirming(flow)
    more = flow.handle(Answer("wait there's more"))
    assert keys(more) == ["mirror.speak_more"] and flow.state == "speaking"


def test_after_three_corrections_it_offers_to_move_on():
    flow = mirror()
    to_confirming(flow)
    for _ in range(2):
        flow.handle(Answer("no"))
        flow.handle(Answer("that is not what i meant"))
        flow.handle(Answer(GOOD))
    offer = flow.handle(Answer("nope"))
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
    flow.handle(Answer("yes"))
    more = flow.handle(Command("yes"))
    assert keys(more) == ["mirror.speak_more"] and StartTimer("turn_limit", 120.0) in more
    assert keys(flow.handle(Answer("and i also feel tired"))) == ["mirror.reflect"]
    assert flow.reflections == 2
    flow.handle(Answer(GOOD))
    flow.handle(Answer("yes"))
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
    note = notes(hint, "coaching")[0]
    assert note["pattern"] == pattern and note["step"] == "reflection" and note["cue"]
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
    flow.handle(Answer("no"))
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
    flow.handle(Answer("yes"))
    assert keys(flow.handle(Command("no"))) == ["mirror.respond"]


def test_the_listener_asking_the_need_question_aloud_is_not_taken_as_the_answer():
    flow = mirror("nl")
    flow.handle(Answer("ik mis onze avonden samen"))
    flow.handle(Answer("wat ik hoor is dat je onze avonden mist klopt dat"))
    flow.handle(Answer("ja precies"))
    flow.handle(Command("no"))
    assert flow.state == "needing"
    assert flow.handle(Answer("wat heb je nu van me nodig")) == [Listen("answer")]
    named = flow.handle(Answer("ik heb ruimte nodig om zelf te kiezen"))
    assert named[1].values == {"need": "autonomie"}


def test_an_unclear_need_gets_the_four_questions_then_is_thanked_not_named():
    flow = mirror()
    to_confirming(flow)
    flow.handle(Answer("yes"))
    flow.handle(Command("no"))
    four = flow.handle(Answer("hmm i am not sure really"))
    assert keys(four) == ["mirror.four_needs"] and four[1].values["speaker"] == "Anna" and flow.state == "needing"
    assert keys(flow.handle(Answer("i don't know"))) == ["mirror.need_unclear", "mirror.respond"]


def test_the_four_questions_can_bring_out_the_need():
    flow = mirror("nl")
    to_confirming(flow, "nl")
    flow.handle(Answer("ja"))
    flow.handle(Command("no"))
    flow.handle(Answer("geen idee eigenlijk"))
    named = flow.handle(Answer("ik wil me bewonderd voelen door jou"))
    assert keys(named) == ["mirror.need_named", "mirror.agree"] and named[1].values == {"need": "erkenning"}


def test_a_proposal_the_speaker_declines_gets_one_more_try_then_is_left_for_later():
    flow = mirror()
    to_confirming(flow)
    flow.handle(Answer("yes"))
    flow.handle(Command("no"))
    flow.handle(Answer("i need to know i can count on you"))
    flow.handle(Answer("let's agree i text you when i leave work does that work"))
    assert keys(flow.handle(Command("no"))) == ["mirror.agree_again"] and flow.state == "agreeing"
    flow.handle(Answer("let's agree i come home by seven does that work"))
    later = flow.handle(Answer("no not really"))
    assert keys(later) == ["mirror.agree_later", "mirror.respond"]
    assert notes(later, "agreement") == [{"agreed": False, "proposals": 2}]


@pytest.mark.parametrize("lang, attack, pattern", [
    ("nl", "Dat is niet eerlijk, jij begon met schreeuwen", "defending"),
    ("en", "you always make everything about you", "judging"),
])
def test_the_response_is_coached_once_gently(lang, attack, pattern):
    flow = mirror(lang, ask_need=False)
    to_confirming(flow, lang)
    flow.handle(Answer("ja" if lang == "nl" else "yes"))
    flow.handle(Command("no"))
    hint = flow.handle(Answer(attack))
    assert keys(hint) == [f"coaching.{pattern}.response_hint"] and flow.state == "responding"
    assert notes(hint, "coaching")[0]["step"] == "response"
    assert keys(flow.handle(Answer(attack))) == ["mirror.switch", "mirror.speak"]


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
    assert keys(again) == ["mirror.confirm"] and listens(again) == ["answer"]


def states_reached():
    """Drive a flow into each listening state; return the flows by state."""
    flows = {}
    need = [Answer("x"), Answer(GOOD), Answer("yes"), Command("no")]
    for steps in ([], [Answer("x")], [Answer("x"), Answer(GOOD)], [Answer("x"), Answer(GOOD), Answer("no")],
                  [Answer("x"), Answer(GOOD), Answer("no"), Answer("y"), Answer(GOOD), Answer("no"), Answer("z"),
                   Answer(GOOD), Answer("no")],
                  [Answer("x"), Answer(GOOD), Answer("yes")], need, [*need, Answer("i need space")],
                  [*need, Answer("i need space"), Answer("let's agree i leave you alone on sundays does that work")],
                  [*need, Answer("i need space"), Command("next")]):
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
