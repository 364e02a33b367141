"""What the assistant keeps on disk: written atomically, readable by the user alone, never lost.

A file that holds something the assistant did not write is never overwritten or deleted: it is
set aside under a timestamped name beside it (`journal.json.broken-20250101-093000`), and the
caller tells the user where it went. A write that fails leaves the old file as it was and raises
`CannotWrite`, so the caller can keep what it meant to save some other way.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import tempfile
from collections.abc import Iterator
from datetime import datetime
from itertools import count
from pathlib import Path
from typing import Any


class CannotWrite(Exception):
    """A file could not be written: a full disk, a read-only folder, no permission. What was on
    disk before is unchanged. `path` is the file; the OSError behind it is the `__cause__`."""

    def __init__(self, path: Path, error: BaseException) -> None:
        super().__init__(f"{path}: {getattr(error, 'strerror', None) or error}")
        self.path = path


class Unreadable(Exception):
    """A file holds something the assistant did not write, or is not a file it can read."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(f"{path}: {why}")
        self.path = path


def _scratch_prefix(path: Path) -> str:
    return f".{path.name}."


def write_json_atomically(path: Path, data: Any) -> None:
    """Write to a private temporary file beside `path`, flush it to disk, then rename over it.
    Raises CannotWrite; `path` then still holds what it held before."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, scratch = tempfile.mkstemp(prefix=_scratch_prefix(path), dir=path.parent)  # mode 0600
    except OSError as error:
        raise CannotWrite(path, error) from error
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(data, file, ensure_ascii=False, indent=2)
            file.flush()
            os.fsync(file.fileno())
        os.replace(scratch, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(scratch)
        if isinstance(error, (OSError, ValueError)):  # ValueError: text that can't be encoded
            raise CannotWrite(path, error) from error
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a power cut right after it keeps the new file)."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def read_json(path: Path, default: Any) -> Any:
    """The JSON in `path`, or `default` when there is no file. Raises Unreadable for anything
    else: not UTF-8, not JSON, a directory in its place, a symlink loop, no permission."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return default
    except OSError as error:
        raise Unreadable(path, error.strerror or str(error)) from error
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise Unreadable(path, str(error)) from error


def set_aside(path: Path, when: datetime | None = None) -> Path:
    """Rename `path` (a file, a directory or a symlink) to `<name>.broken-YYYYmmdd-HHMMSS` beside
    it, never over an existing name, and return the new path. Raises CannotWrite."""
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    for number in count(1):
        aside = path.with_name(f"{path.name}.broken-{stamp}" + (f"-{number}" if number > 1 else ""))
        if not os.path.lexists(aside):
            break
    try:
        os.rename(path, aside)
    except OSError as error:
        raise CannotWrite(path, error) from error
    return aside


def _is_entry(entry: Any) -> bool:
    return (isinstance(entry, dict) and isinstance(entry.get("date"), str) and isinstance(entry.get("kind"), str)
            and isinstance(entry.get("items"), list)
            and all(isinstance(item, dict) and isinstance(item.get("label"), str) and isinstance(item.get("text"), str)
                    for item in entry["items"]))


class Journal:
    """The user's journal: only written after a spoken yes, and nothing in it is ever lost.

    Saves from several processes at once are serialised by an exclusive `flock` on
    `journal.json.lock` beside it: each one reads, appends and atomically replaces under the lock,
    so no entry overwrites another. A journal that can't be read is set aside, never overwritten.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")

    def entries(self) -> list[dict[str, Any]]:
        """Every entry, oldest first; no file is an empty journal. Raises Unreadable when the
        file is not a journal (a list of entries, each with a date, a kind and its items)."""
        data = read_json(self.path, [])
        if not isinstance(data, list):
            raise Unreadable(self.path, f"a journal is a list, not {type(data).__name__}")
        if not all(_is_entry(entry) for entry in data):
            raise Unreadable(self.path, "an entry without a date, a kind or its items")
        return data

    def add(self, kind: str, items: list[tuple[str, str]], when: datetime) -> Path | None:
        """Append one entry. Returns where an unreadable journal was set aside to make room for a
        new one (tell the user), else None. Raises CannotWrite when the entry could not be saved:
        the journal on disk is then as it was."""
        entry = {"date": when.isoformat(timespec="minutes"), "kind": kind,
                 "items": [{"label": label, "text": text} for label, text in items]}
        with self._locked():
            self._sweep()
            moved = None
            try:
                entries = self.entries()
            except Unreadable:
                moved = set_aside(self.path)
                entries = []
            write_json_atomically(self._target(), [*entries, entry])
        return moved

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise CannotWrite(self.path, error) from error
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the handle closes, also on kill -9
            yield
        finally:
            os.close(handle)

    def _target(self) -> Path:
        """The file to replace: the journal, or the file it links to (a journal kept elsewhere)."""
        if self.path.is_symlink():
            with contextlib.suppress(OSError, RuntimeError):  # a symlink loop: set aside as unreadable
                return self.path.resolve()
        return self.path

    def _sweep(self) -> None:
        """Remove scratch files left by a save that was killed half-way. Only under the lock:
        then no save of ours is writing one."""
        target = self._target()
        ours = re.compile(re.escape(_scratch_prefix(target)) + r"[A-Za-z0-9_]{8}")
        with contextlib.suppress(OSError):
            for scratch in target.parent.iterdir():
                if ours.fullmatch(scratch.name) and scratch.is_file() and not scratch.is_symlink():
                    with contextlib.suppress(OSError):
                        scratch.unlink()
