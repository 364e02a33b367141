"""Rebuild an interrupted exercise from its snapshot, after the program was restarted in a pause."""
from __future__ import annotations

from typing import Any

from ..content import Pack
from .checkin import Checkin, fronts_plan, partner_plan
from .coaching import Coach, NeedFinder
from .mirror import Mirror, MirrorPlan


def restore(snapshot: dict[str, Any], pack: Pack):
    if snapshot["exercise"] == "mirror":
        plan = snapshot["plan"]
        mirror = MirrorPlan(tuple(plan["names"]), plan["first"], plan["rounds"], plan["ask_need"], plan["turn_seconds"])
        return Mirror(mirror, Coach.from_pack(pack), NeedFinder.from_pack(pack)).restore(snapshot)
    kind = snapshot["kind"]
    if kind == "fronts":
        plan = fronts_plan(pack.items("checkin.fronts.fronts"))
    else:
        plan = partner_plan(kind, tuple(snapshot["names"]), len(pack.items(f"checkin.{kind}.questions")),
                            snapshot["minutes"])
    return Checkin(plan).restore(snapshot)
