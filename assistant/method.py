"""The practice's numbers (METHOD.md), each in one place: the settings' defaults and limits, the
exercises and the pause file all read them from here."""
from __future__ import annotations

PAUSE_MINUTES = 20.0  # the pause after the safe word: the body needs about this long to calm down
PAUSE_MARKS_MINUTES = (10.0, 5.0, 1.0)  # minutes left that are said aloud during a pause
LONGEST_PAUSE_MINUTES = 24 * 60  # one day: the longest a pause may last, extensions included
MIRROR_TURN_MINUTES = 2.0  # the longest a speaker's turn in mirroring may last, unless set otherwise
