"""Rebuild an interrupted exercise from its snapshot, after the program was restarted in a pause.

The snapshot is the pause file's `resume` (its shape is documented in pause_store.py).

The snapshot comes from a file, so it is checked before it is trusted: a snapshot this version
did not write raises CannotResume, and the session ends calmly instead of crashing half-way.
"""
from __future__ import annotations

import math
from typing import Any

from ..content import Pack
from ..events import Say
from ..understanding.hearing import Understanding
from .appreciate import THINGS, Appreciate, AppreciatePlan
from .attachment import STYLES, Attachment, AttachmentPlan
from .checkin import LISTENING as CHECKIN_LISTENING
from .checkin import Checkin, pack_fronts_plan, pack_partner_plan
from .checklist import Checklist, ChecklistPlan
from .mirror import LISTENING, Mirror, MirrorPlan
from .remind import Remind, RemindPlan


class CannotResume(Exception):
    """The snapshot does not describe an exercise this version can pick up again."""


def restore(snapshot: dict[str, Any], pack: Pack):
    if snapshot["exercise"] == "mirror":
        plan = snapshot["plan"]
        mirror = MirrorPlan(tuple(plan["names"]), plan["first"], plan["rounds"], plan["ask_need"], plan["turn_seconds"])
        return Mirror(mirror, Understanding.from_pack(pack)).restore(snapshot)
    if snapshot["exercise"] == "appreciate":
        return Appreciate(AppreciatePlan.from_pack(tuple(snapshot["names"]), pack)).restore(snapshot)
    if snapshot["exercise"] == "attachment":
        return Attachment(AttachmentPlan.from_pack(pack)).restore(snapshot)
    if snapshot["exercise"] == "remind":
        plan = RemindPlan(*(snapshot[name] for name in ("kind", "at", "day", "late", "can_time")))
        return Remind(plan).restore(snapshot)
    if snapshot["exercise"] == "checklist":
        plan = ChecklistPlan(len(pack.items("checklist.items")), pack.text("checklist.score_label"))
        return Checklist(plan).restore(snapshot)
    kind = snapshot["kind"]
    if kind == "fronts":
        plan = pack_fronts_plan(pack)
    else:
        plan = pack_partner_plan(pack, kind, tuple(snapshot["names"]), snapshot["minutes"])
    return Checkin(plan).restore(snapshot)


def resumable(saved: Any, pack: Pack) -> tuple[Any, dict[str, float]]:
    """The interrupted exercise, ready for `Conductor.run(..., resuming=True)`, and its timers
    (seconds left), from the `resume` part of a pause kept on disk (its shape: pause_store.py).
    Raises CannotResume."""
    try:
        _check(saved)
        exercise = restore(saved, pack)
        for name in saved["timers"]:
            if not callable(getattr(exercise, "timer_" + name.partition(":")[0], None)):
                raise CannotResume(f"an unknown timer: {name}")
        for action in restore(saved, pack).resume():  # a trial run: every sentence can be said
            if isinstance(action, Say):
                pack.text(action.key, **action.values)
        return exercise, dict(saved["timers"])
    except CannotResume:
        raise
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
        raise CannotResume(repr(error)) from error


def _number(value: Any, low: float = 0.0) -> bool:
    return type(value) in (int, float) and math.isfinite(value) and value >= low


def _positive(value: Any) -> bool:
    """More than zero, as the settings allow (a half-minute check-in, a 30-second turn)."""
    return _number(value) and value > 0


def _count(value: Any, low: int = 0, high: int | None = None) -> bool:
    return type(value) is int and value >= low and (high is None or value <= high)


def _names(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(n, str) and n for n in value)


def _prompt(value: Any) -> bool:
    """A prompt as a snapshot keeps it: [pack key, listening mode, {placeholder: name}]."""
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
            and value[1] in ("answer", "yesno") and isinstance(value[2], dict)
            and all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value[2].values()))


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise CannotResume(what)


def _check(snapshot: Any) -> None:
    """The shape and the types of every field the snapshot is rebuilt from."""
    _require(isinstance(snapshot, dict) and isinstance(snapshot.get("exercise"), str), "no exercise")
    timers = snapshot.get("timers")
    _require(isinstance(timers, dict) and all(isinstance(name, str) and type(left) in (int, float)
                                              and math.isfinite(left) for name, left in timers.items()), "timers")
    if snapshot.get("exercise") == "mirror":
        plan = snapshot.get("plan")
        _require(isinstance(plan, dict) and _names(plan.get("names")) and _count(plan.get("first"), 0, 1)
                 and _count(plan.get("rounds"), 1) and isinstance(plan.get("ask_need"), bool)
                 and _positive(plan.get("turn_seconds")), "mirror plan")
        _require(all(_count(snapshot.get(name)) for name in Mirror.COUNTS) and snapshot["speaker"] in (0, 1),
                 "mirror counts")
        prompt = snapshot.get("prompt")
        _require(isinstance(prompt, list) and len(prompt) == 3 and isinstance(prompt[0], str)
                 and prompt[1] in ("answer", "yesno") and isinstance(prompt[2], dict)
                 and all(isinstance(v, str) for v in prompt[2].values()), "mirror prompt")
        _require(snapshot.get("state") in LISTENING, "mirror state")
        return
    if snapshot.get("exercise") == "appreciate":
        counts = snapshot.get("counts")
        _require(_names(snapshot.get("names")) and snapshot.get("state") in ("asking", "rephrasing", "hugging")
                 and _count(snapshot.get("partner"), 0, 1) and _count(snapshot.get("attempt"), 0, THINGS - 1)
                 and isinstance(counts, list) and len(counts) == 2 and all(_count(c, 0, THINGS) for c in counts),
                 "appreciate")
        return
    if snapshot.get("exercise") == "attachment":
        answers = snapshot.get("answers")
        _require(snapshot.get("state") in ("asking", "consent") and _count(snapshot.get("position"))
                 and isinstance(answers, list) and all(a in STYLES for a in answers), "attachment")
        return
    if snapshot.get("exercise") == "remind":
        _require(snapshot.get("state") == "offering" and snapshot.get("kind") in ("daily", "weekly")
                 and all(isinstance(snapshot.get(n), str) for n in ("at", "day"))
                 and all(isinstance(snapshot.get(n), bool) for n in ("late", "can_time")), "remind")
        return
    if snapshot.get("exercise") == "checklist":
        _require(snapshot.get("state") in ("asking", "consent") and _count(snapshot.get("position"))
                 and _count(snapshot.get("healthy")) and _count(snapshot.get("skipped")), "checklist")
        return
    _require(snapshot.get("exercise") == "checkin", "an unknown exercise")
    kind = snapshot.get("kind")
    _require(kind in ("daily", "weekly", "fronts"), "check-in kind")
    if kind != "fronts":
        _require(_names(snapshot.get("names")) and _positive(snapshot.get("minutes")), "check-in plan")
    _require(snapshot.get("state") in CHECKIN_LISTENING and _count(snapshot.get("position")), "check-in state")
    _require(all(isinstance(snapshot.get(name, False), bool) for name in ("warning_due", "time_up", "stuck")),
             "check-in time")
    _require(_count(snapshot.get("corrections", 0)) and snapshot.get("accepting", "name") in ("name", "other"),
             "check-in step")
    before_stop = snapshot.get("before_stop", ["asking", ["", "answer", {}]])
    _require(_prompt(snapshot.get("prompt", ["", "answer", {}])) and isinstance(before_stop, list)
             and len(before_stop) == 2 and before_stop[0] in CHECKIN_LISTENING and _prompt(before_stop[1]),
             "check-in prompt")
