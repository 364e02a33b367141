"""Unpacking a model zip safely: nothing outside the target folder, no links, a bound on the size.

Refused before a byte is written: an absolute name, a name with `..`, a symbolic link or any
other entry that is not a plain file or folder, and an archive that would unpack to more than
`MAX_RATIO` times its own size or `MAX_TOTAL` bytes (a zip bomb). While unpacking, every file
is counted again, so a header that lies about a size can't get past the bound either.
"""
from __future__ import annotations

import errno
import os
import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath

from .errors import Detail, UserError

MAX_RATIO = 20  # unpacked size / archive size: vosk models are about 1.1 to 3
MAX_TOTAL = 16 << 30  # bytes: the largest official models unpack to a few gigabytes
MAX_ENTRIES = 100_000
CHUNK = 1 << 20
SPACE_MARGIN = 16 << 20  # bytes kept free beyond the unpacked model


def _unsafe(path: Path | str, reason: str, **values) -> UserError:
    """`reason`: the key of the sentence's middle part, for example "models.unsafe_link"."""
    return UserError("archive_unsafe", path=path, reason=Detail(reason, **values))


def check(archive: zipfile.ZipFile, path: Path | str, archive_size: int) -> int:
    """The unpacked size, once every entry is known to be safe; else UserError("archive_unsafe")."""
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise _unsafe(path, "models.unsafe_too_many", count=len(entries))
    total = 0
    for info in entries:
        name = info.filename.replace("\\", "/")
        parts = PurePosixPath(name).parts
        if name.startswith("/") or (parts and ":" in parts[0]):
            raise _unsafe(path, "models.unsafe_absolute", name=repr(info.filename))
        if ".." in parts:
            raise _unsafe(path, "models.unsafe_parent", name=repr(info.filename))
        mode = info.external_attr >> 16
        kind = stat.S_IFMT(mode)
        if stat.S_ISLNK(mode):
            raise _unsafe(path, "models.unsafe_link", name=repr(info.filename))
        if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
            raise _unsafe(path, "models.unsafe_special", name=repr(info.filename))
        total += info.file_size
    bound = min(MAX_TOTAL, max(archive_size, 1) * MAX_RATIO)
    if total > bound:
        raise _unsafe(path, "models.unsafe_too_big", size=f"{total / 1e6:.0f} MB")
    return total


def unpack(path: Path, target: Path, shown: Path | str | None = None) -> None:
    """Unpack the zip at `path` into the empty folder `target`; `shown`: what a sentence calls it
    (a download by its own name, not the partial file it was saved as)."""
    shown = shown or path
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UserError("archive_not_zip", path=shown) from None
    with archive:
        total = check(archive, shown, path.stat().st_size)
        free = shutil.disk_usage(target).free
        if free < total + SPACE_MARGIN:
            raise UserError("no_space", path=target, size=f"{total / 1e6:.0f} MB")
        root = target.resolve()
        written = 0
        try:
            for info in archive.infolist():
                destination = (root / info.filename.replace("\\", "/")).resolve()
                if destination != root and root not in destination.parents:  # belt and braces
                    raise _unsafe(shown, "models.unsafe_parent", name=repr(info.filename))
                if info.is_dir():
                    destination.mkdir(parents=True, exist_ok=True, mode=0o755)
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
                left = info.file_size
                with archive.open(info) as source, open(destination, "xb") as out:
                    while chunk := source.read(min(CHUNK, left + 1) or 1):
                        left -= len(chunk)
                        written += len(chunk)
                        if left < 0 or written > total:
                            raise _unsafe(shown, "models.unsafe_too_big", size=f"{written / 1e6:.0f} MB")
                        out.write(chunk)
                os.chmod(destination, 0o644)
        except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, NotImplementedError):
            raise UserError("archive_not_zip", path=shown) from None
        except FileExistsError:  # the same name twice
            raise _unsafe(shown, "models.unsafe_twice") from None
        except OSError as failure:
            if failure.errno == errno.ENOSPC:
                raise UserError("no_space", path=target, size=f"{total / 1e6:.0f} MB") from None
            raise


def copy_folder(source: Path, target: Path) -> None:
    """Copy a model folder (links followed: the copy holds plain files) into `target`."""
    try:
        size = sum(p.stat().st_size for p in source.rglob("*") if p.is_file())
    except OSError:
        raise UserError("model_layout", path=source) from None
    if shutil.disk_usage(target.parent).free < size + SPACE_MARGIN:
        raise UserError("no_space", path=target.parent, size=f"{size / 1e6:.0f} MB")
    try:
        shutil.copytree(source, target, symlinks=False)
    except shutil.Error:
        raise UserError("model_layout", path=source) from None
    except OSError as failure:
        if failure.errno == errno.ENOSPC:
            raise UserError("no_space", path=target.parent, size=f"{size / 1e6:.0f} MB") from None
        raise
