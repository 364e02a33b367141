"""`assistant help`: when to get professional help (METHOD.md section 5), then the help lines."""
from __future__ import annotations

from ..events import HelpLines
from .base import Exercise
from .checklist import IMPROVE_FROM, RED_FLAG_FROM

STATES = ["ready", "ended"]
TRANSITIONS = [{"trigger": "begin", "source": "ready", "dest": "ended", "after": "_tell"}]


class WhenToGetHelp(Exercise):
    def __init__(self) -> None:
        super().__init__()
        self.machine = self.build(STATES, TRANSITIONS)

    def snapshot(self) -> dict:
        return {"exercise": "help", "state": self.state}

    def resume(self) -> list:
        self._tell()
        return self._take_actions()

    def _tell(self) -> None:
        self.say("help.immediately")
        self.say("help.no_exercise")
        self.say("help.urgent", highest=RED_FLAG_FROM - 1)
        self.say("help.advised", lowest=RED_FLAG_FROM, highest=IMPROVE_FROM - 1)
        self.say("help.checklist")
        self.say("help.lines")
        self.ask(HelpLines())
        self.end()
