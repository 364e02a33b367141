"""The JSON Lines event log (`--log FILE`): one object per event, so a session can be checked later."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .clock import Clock


class EventLog:
    def __init__(self, path: Path | None, clock: Clock) -> None:
        self.clock = clock
        self._started = clock.monotonic()
        self._file = path.open("a", encoding="utf-8") if path else None

    def write(self, kind: str, **fields: Any) -> None:
        if self._file is None:
            return
        record = {"t": round(self.clock.monotonic() - self._started, 3),
                  "at": self.clock.now().isoformat(timespec="seconds"), "kind": kind, **fields}
        self._file.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        self._file.flush()

    def close(self) -> None:
        if self._file:
            self._file.close()
