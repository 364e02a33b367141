"""Turn taking: when an answer ends, from timed recognizer results."""
from assistant.content import load_pack
from assistant.events import Answer, Command, NoAnswer
from assistant.speech.commands import CommandWords
from assistant.speech.turns import Turn, TurnTiming

WORDS = CommandWords(load_pack("en").commands())
TIMING = TurnTiming(end_silence=2.5, no_answer=8.0)


def turn(mode="answer"):
    return Turn(mode, WORDS, TIMING, started_at=0.0)


def test_an_answer_ends_after_the_end_silence_not_on_a_short_thinking_pause():
    t = turn()
    t.heard_partial(1.0, "i felt")
    t.heard_final(2.0, "i felt tired")
    t.heard_partial(3.2, "")  # a 1.2 s thinking pause
    assert t.outcome(3.2) is None
    t.heard_partial(3.3, "but")
    t.heard_partial(4.0, "but proud")
    t.heard_final(4.6, "but proud")  # the same words, closed after the recognizer's own pause
    assert t.outcome(6.4) is None
    assert t.outcome(6.5) == Answer("i felt tired but proud")


def test_the_spoken_done_word_ends_the_answer_at_once_and_is_not_part_of_it():
    t = turn()
    t.heard_final(2.0, "it was a good day done")
    assert t.outcome(2.0) == Answer("it was a good day")


def test_done_heard_by_the_control_grammar_after_an_answer_ends_it():
    t = turn()
    t.heard_final(2.0, "it was a good day")
    t.heard_partial(2.8, "dawn")  # the free recognizer mishears the lone word
    t.heard_grammar("done", (2.6, 3.0))
    assert t.outcome(3.0) == Answer("it was a good day")


def test_next_after_an_answer_keeps_the_answer():
    t = turn()
    t.heard_final(2.0, "call her tonight")
    t.heard_final(3.5, "next")
    assert t.outcome(3.5) == Answer("call her tonight")


def test_a_control_word_alone_is_a_command():
    t = turn()
    t.heard_grammar("repeat", (0.5, 1.0))
    assert t.outcome(1.5) == Command("repeat")
    t = turn()
    t.heard_final(1.5, "next")
    assert t.outcome(1.5) == Command("next")


def test_a_control_word_inside_a_sentence_is_not_a_command():
    t = turn()
    t.heard_final(2.0, "could you please repeat what you said")
    t.heard_grammar("[unk] [unk] repeat [unk]", (0.5, 2.0))
    assert t.outcome(2.2) is None
    assert t.outcome(4.5) == Answer("could you please repeat what you said")


def test_the_end_silence_counts_from_the_last_audible_voice_when_the_ear_measures_it():
    t = turn()
    t.heard_sound(1.5)
    t.heard_partial(2.1, "i felt")  # words arrive late: they are recognised after being said
    t.heard_sound(2.0)
    assert t.outcome(4.4) is None
    assert t.outcome(4.5) == Answer("i felt")


def test_nothing_said_at_all_ends_as_silence_after_the_waiting_time():
    t = turn()
    assert t.outcome(7.9) is None
    assert t.outcome(8.0) == NoAnswer()


def test_yes_or_no_at_the_start_of_an_answer_counts_in_yesno_mode_only():
    t = turn("yesno")
    t.heard_final(1.0, "yes please save them")
    assert t.outcome(1.0) == Command("yes")
    t = turn("answer")
    t.heard_final(1.0, "yes")
    assert t.outcome(3.5) == Answer("yes")
