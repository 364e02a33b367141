"""The JSON Lines event log (`--log FILE`): one object per event, so a session can be checked later.

The file is the user's alone (0600, no symbolic links: see files.py). A log that can't be
written any more (a full disk) stops with one warning; the session itself goes on.
"""
from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .clock import Clock
from .errors import UserError
from .files import CannotOpen, open_private


class EventLog:
    def __init__(self, path: Path | None, clock: Clock, warn: Callable[[UserError], None] | None = None) -> None:
        self.clock = clock
        self.path = path
        self.warn = warn  # told once when writing fails; the session wires in its own warning
        self._started = clock.monotonic()
        self._file = None
        if path:
            try:
                self._file = open_private(path, append=True, mode="a", encoding="utf-8")
            except CannotOpen:
                raise UserError("bad_log", path=path) from None

    def write(self, kind: str, **fields: Any) -> None:
        if self._file is None:
            return
        record = {"t": round(self.clock.monotonic() - self._started, 3),
                  "at": self.clock.now().isoformat(timespec="seconds"), "kind": kind, **fields}
        line = json.dumps(record, ensure_ascii=False, default=str)
        try:
            self._file.write(line.encode("utf-8", "replace").decode("utf-8") + "\n")  # no lone surrogates
            self._file.flush()
        except OSError:
            self._stop()

    def _stop(self) -> None:
        file, self._file = self._file, None
        if file is not None:
            with contextlib.suppress(OSError):
                file.close()
        if self.warn:
            self.warn(UserError("log_stopped", path=self.path))

    def close(self) -> None:
        if self._file:
            file, self._file = self._file, None
            try:
                file.close()
            except OSError:
                if self.warn:
                    self.warn(UserError("log_stopped", path=self.path))
