"""What every exercise machine promises: pure guards, a queue for triggers fired from callbacks, and no
trigger that is misspelt or can never fire."""
import ast
import copy
import inspect
from functools import cache

import pytest

from assistant.clock import SimulatedClock
from assistant.content import load_pack
from assistant.events import Answer, Command, NoAnswer, SafeWord, TimerDone
from assistant.exercises import (
    appreciate,
    attachment,
    base,
    checkin,
    checklist,
    help,
    mirror,
    pausing,
    remind,
    safeword,
)
from assistant.exercises.appreciate import Appreciate, AppreciatePlan
from assistant.exercises.attachment import Attachment, AttachmentPlan
from assistant.exercises.checkin import Checkin, fronts_plan, partner_plan
from assistant.exercises.checklist import Checklist, ChecklistPlan
from assistant.exercises.help import WhenToGetHelp
from assistant.exercises.mirror import Mirror, MirrorPlan
from assistant.exercises.pausing import Pause, PausePlan, PauseWords
from assistant.exercises.remind import Remind, RemindPlan
from assistant.exercises.safeword import SafeWordSetup
from assistant.understanding.hearing import Understanding

MODULES = (checkin, checklist, help, mirror, pausing, safeword, appreciate, attachment, remind)
CONDUCTOR_TIMERS = {"pause_end"}  # the conductor starts it for the pause's PauseUntil
GOOD = "what i hear is that you miss our evenings together is that right"
SAID = ["", "i miss our evenings together", GOOD, "you always do that", "pineapple", "two words",
        "I want to solve this. Let's try again, more calmly.", "ten more minutes", "i need time with you"]


@cache
def helpers():
    pack = load_pack("en")
    return pack, Understanding.from_pack(pack)


def exercises():
    """One of each machine, fresh."""
    pack, hearing = helpers()
    return [
        Checkin(partner_plan("daily", ("Anna", "Ben"), 3, 10)),
        Checkin(fronts_plan(pack.items("checkin.fronts.fronts"))),
        Checklist(ChecklistPlan(20, "score")),
        Mirror(MirrorPlan(("Anna", "Ben")), hearing),
        SafeWordSetup(("Anna", "Ben"), ["pineapple"], lambda word: None if word == "pineapple" else "short"),
        SafeWordSetup(("Anna", "Ben"), ["pineapple"], lambda word: None, offer=True),
        Pause(PausePlan(1200, 1200), PauseWords.from_pack(pack), SimulatedClock()),
        WhenToGetHelp(),
        Appreciate(AppreciatePlan.from_pack(("Anna", "Ben"), pack)),
        Attachment(AttachmentPlan.from_pack(pack)),
        Remind(RemindPlan("weekly", "21:00", "Sunday", late=False, can_time=True)),
        Remind(RemindPlan("daily", "23:00", "", late=True, can_time=False)),
    ]


PLAIN = (list, dict, set, tuple, str, int, float, bool, type(None))


def data(value):
    """A value as plain data that compares equal while nothing in it changed (a clock, a plan)."""
    if isinstance(value, PLAIN):
        return copy.deepcopy(value)
    return type(value), data(vars(value)) if hasattr(value, "__dict__") else value


def state_of(exercise) -> dict:
    """Its data: what transitions attached (the machine, trigger methods) left out, and the shared
    understanding too (its tables take a second to copy: the test checks it once, after the walk)."""
    return {name: data(value) for name, value in vars(exercise).items()
            if name != "machine" and not callable(value) and value is not helpers()[1]}


def guards(exercise):
    """(trigger, condition) for every guard of every transition that leaves the current state."""
    for trigger in exercise.machine.get_triggers(exercise.state):
        for transitions in exercise.machine.events[trigger].transitions.get(exercise.state, []), :
            for transition in transitions:
                for condition in transition.conditions:
                    yield trigger, condition.func


def arguments(trigger: str) -> list[tuple]:
    if trigger == "answered":
        return [(text,) for text in SAID]
    return [("10",), ("1",)] if trigger == "timer_mark" else [()]


def walk(exercise):
    """The exercise before its start, then through a run of events that reaches most states."""
    yield
    exercise.start()
    heard = [NoAnswer(), Answer("i miss our evenings together"), Answer(GOOD), Command("no"), Answer("no"),
             Command("no"), Answer("you always do that"), NoAnswer(), NoAnswer(), Command("yes"), Answer("pineapple"),
             SafeWord(), Answer("ten more minutes"), NoAnswer(), Command("yes"), Command("next"),
             Answer("I want to solve this. Let's try again, more calmly.")]
    own = {Pause: "pause_end", Appreciate: "hug"}.get(type(exercise))
    timers = [TimerDone(own)] if own else []  # only its own timers reach it
    for event in (heard + timers) * 3:
        if exercise.state == "ended":
            return
        yield exercise.handle(event)


@pytest.mark.parametrize("index", range(len(exercises())))
def test_every_guard_only_looks_and_changes_nothing(index):
    exercise = exercises()[index]
    shared = [value for value in vars(exercise).values() if value is helpers()[1]]  # the understanding, if it has it
    untouched = data(shared)
    asked = 0
    for _ in walk(exercise):
        for trigger, guard in guards(exercise):
            for args in arguments(trigger):
                before = state_of(exercise)
                getattr(exercise, guard)(*args)
                assert state_of(exercise) == before, f"{type(exercise).__name__}.{guard} changed the exercise"
                asked += 1
    assert asked or isinstance(exercise, WhenToGetHelp)
    assert data(shared) == untouched, "the shared understanding changed"


@pytest.mark.parametrize("index", range(len(exercises())))
def test_every_machine_queues_triggers_fired_from_callbacks(index):
    assert exercises()[index].machine.has_queue


@pytest.mark.parametrize("name", ["timer_nearly_upp", "timer_turn_limit"])
def test_a_timer_the_machine_does_not_know_raises_instead_of_doing_nothing(name):
    flow = Checkin(partner_plan("daily", ("Anna", "Ben"), 3, 10))
    flow.start()
    with pytest.raises(AttributeError, match=name):
        flow.handle(TimerDone(name.removeprefix("timer_")))


def test_something_heard_that_an_exercise_never_listens_for_changes_nothing():
    pack, _ = helpers()
    flow = Pause(PausePlan(1200, 1200), PauseWords.from_pack(pack), SimulatedClock())
    flow.start()
    assert flow.handle(Command("stop")) == [] and flow.state == "waiting"  # the pause can't be stopped by voice
    assert flow.handle(TimerDone("pause_end")) and flow.state == "returning"
    assert flow.handle(TimerDone("mark:5")) == [] and flow.state == "returning"  # a mark that came too late


def fired_in_code(module) -> set[str]:
    """Triggers the module's code fires itself (`self.next_round()`) and timers it starts."""
    fired: set[str] = set()
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Name) and node.func.value.id == "self":
            fired.add(node.func.attr)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "StartTimer":
            name = node.args[0]
            prefix = name.value if isinstance(name, ast.Constant) else name.values[0].value
            fired.add("timer_" + prefix.partition(":")[0])
    return fired


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rpartition(".")[2])
def test_every_trigger_in_a_table_is_one_that_can_fire(module):
    """A misspelt trigger in a table ("said_skip", "timer_nearly_upp") would never fire: each is
    something heard, a timer the exercise or the conductor starts, or a trigger the code fires."""
    possible = base.HEARD | {"begin"} | {f"timer_{name}" for name in CONDUCTOR_TIMERS} | fired_in_code(module)
    triggers = {transition["trigger"] for transition in module.TRANSITIONS}
    assert triggers - possible == set()
