"""How loud the last moments were: tells a word said on its own from a word inside a sentence."""
from __future__ import annotations

import audioop  # in the standard library up to 3.12; the audioop-lts package after (pydub needs it too)
from collections import deque

FRAME_SECONDS = 0.02
QUIET_FLOOR = 200  # RMS of 16-bit samples under which a frame is quiet even in a silent room
ABOVE_NOISE = 4.0  # how many times louder than the room's noise a frame must be to count as voice
LONGEST_DIP = 0.25  # seconds: a shorter dip is a breath between words, not a pause
WINDOW_SECONDS = 30.0  # how much of the turn the room's noise is judged on: a long answer costs no more


class Loudness:
    """Per-frame loudness of the last `WINDOW_SECONDS` of one turn, on the turn's own audio time."""

    def __init__(self, rate: int) -> None:
        self.frame_bytes = max(1, int(rate * FRAME_SECONDS)) * 2
        self.levels: deque[int] = deque(maxlen=round(WINDOW_SECONDS / FRAME_SECONDS))
        self._frames = 0  # in the whole turn

    def add(self, data: bytes) -> None:
        for start in range(0, len(data) - self.frame_bytes + 1, self.frame_bytes):
            self.levels.append(audioop.rms(data[start:start + self.frame_bytes], 2))
            self._frames += 1

    @property
    def seconds(self) -> float:
        return self._frames * FRAME_SECONDS

    @property
    def _first(self) -> int:
        """The turn's frame number of the window's first frame."""
        return self._frames - len(self.levels)

    def last_voiced(self) -> float | None:
        """When the last frame loud enough to be a voice ended, in seconds since the turn began
        (None: no voice within the window)."""
        voiced = self._voiced()
        for index in range(len(voiced) - 1, -1, -1):
            if voiced[index]:
                return (self._first + index + 1) * FRAME_SECONDS
        return None

    def _voiced(self) -> list[bool]:
        ordered = sorted(self.levels)
        noise = ordered[len(ordered) // 10] if ordered else 0
        threshold = max(QUIET_FLOOR, noise * ABOVE_NOISE)
        return [level >= threshold for level in self.levels]

    def lone_island(self, quiet_around: float, longest: float) -> tuple[float, float] | None:
        """The last stretch of voice, in seconds (start, end), when at least `quiet_around` seconds
        of quiet came before it (or the window began) and after it, and it lasted at most `longest`."""
        voiced = self._voiced()
        gap = round(quiet_around / FRAME_SECONDS)
        end = len(voiced)
        while end > 0 and not voiced[end - 1]:
            end -= 1
        if end == 0 or len(voiced) - end < gap:
            return None  # nothing said, or still speaking
        i, quiet = end - 1, 0
        while i > 0 and quiet * FRAME_SECONDS <= LONGEST_DIP:
            i -= 1
            quiet = quiet + 1 if not voiced[i] else 0
        start = i + quiet
        if quiet * FRAME_SECONDS > LONGEST_DIP and any(voiced[max(0, start - gap):start]):
            return None  # a pause, but too short: the word belongs to what came before
        if (end - start) * FRAME_SECONDS > longest:
            return None
        return (self._first + start) * FRAME_SECONDS, (self._first + end) * FRAME_SECONDS
