"""Files the user names on the command line (`--log`, `--output`): opened for the user alone.

They hold what was said in a session, so they are created 0600, and a symbolic link planted at
the name is refused (O_NOFOLLOW) rather than followed to wherever it points. Every way the place
can be wrong (a missing folder, a folder given as the file, a read-only place, a link) is one
sentence from the pack, never a traceback.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import UserError

PRIVATE = 0o600  # read and write for the user alone


class CannotOpen(Exception):
    """The place can't be written: a missing folder, a folder, a read-only place, a pipe nobody
    reads. The caller says so with its own sentence."""


def open_private(path: Path, *, append: bool, mode: str = "ab", **options):
    """`path` opened for writing (`mode` as for open(): "a" or "ab" to append, "wb" to empty it
    first), for the user alone. A planted link is UserError("symlink_refused"); any other place
    that can't be written is CannotOpen."""
    flags = (os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
             | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
             | getattr(os, "O_NONBLOCK", 0))  # a named pipe nobody reads: refused, not waited on
    try:
        fd = os.open(path, flags, PRIVATE)
    except OSError as failure:
        if failure.errno in (errno.ELOOP, errno.EMLINK) or os.path.islink(path):
            raise UserError("symlink_refused", path=path) from None
        raise CannotOpen(path) from failure
    try:
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        kind = os.fstat(fd).st_mode
        if stat.S_ISREG(kind) and kind & 0o077:
            os.fchmod(fd, PRIVATE)  # an older file with the same name: private from now on too
        return os.fdopen(fd, mode, **options)
    except OSError as failure:
        os.close(fd)
        raise CannotOpen(path) from failure
