"""One session at a time: a lock in the state folder, held for the session's life.

`fcntl.flock` on `session.lock` in the state folder and on the folder itself (which can be locked
even when it is read-only, so a read-only folder still keeps two sessions apart). The OS drops
both when the process ends in any way, kill -9 included: a lock is never left behind. A folder
that can be neither created nor opened leaves the session unlocked: it runs anyway (safety before
persistence), and the caller says so once.
"""
from __future__ import annotations

import contextlib
import enum
import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux or macOS: sessions run unlocked
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "session.lock"


class Held(enum.Enum):
    YES = "yes"  # this process holds the lock until it ends or release() is called
    BUSY = "busy"  # another session holds it
    UNAVAILABLE = "unavailable"  # the state folder can't be created or locked: run unlocked


class SessionLock:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._fds: list[int] = []

    def acquire(self) -> Held:
        """Take the lock without waiting. Every lockable target is locked, so a session that could
        only lock the folder (it was read-only then) and one that locked the file still meet."""
        if fcntl is None:
            return Held.UNAVAILABLE
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        targets = ((self.folder / LOCK_NAME, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)),
                   (self.folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)))
        for path, flags in targets:
            try:
                fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o600)
            except OSError:  # read-only, full, not a folder, a link: try the next target
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                self.release()
                return Held.BUSY
            except OSError:  # a file system without locks
                os.close(fd)
                continue
            self._fds.append(fd)
        return Held.YES if self._fds else Held.UNAVAILABLE

    def release(self) -> None:
        for fd in self._fds:
            with contextlib.suppress(OSError):
                os.close(fd)  # closing the last descriptor drops the lock
        self._fds = []
