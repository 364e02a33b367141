"""`assistant models install`: download (or take a local file), verify, unpack, load once, move.

Every step happens beside the target in a hidden folder (`.installing-NAME-…`), which the model
finder never looks at; only a model that unpacked with the right layout and loaded with vosk is
renamed into place, in one atomic step. Whatever fails, the hidden folder is removed, so nothing
half-installed is ever where the assistant looks for models. A download that broke off is kept
in the cache folder (`downloads/NAME.zip.part`), so the same command resumes it.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from .archive import copy_folder, unpack
from .content import load_pack
from .download import Fetcher, download
from .errors import UserError
from .model_check import check_model
from .models import (
    CATALOGUE_FILE,
    MODEL_NAMES,
    NAME,
    OFFICIAL_URL,
    PINNED_SHA256,
    Entry,
    cached_catalogue_path,
    install_dir,
    known_models,
    parse_catalogue,
)
from .speech.recognizer import REQUIRED_MODEL_FILES
from .terminal import TERMINAL
from .text import printable

STAGING_PREFIX = ".installing-"
STALE_SECONDS = 3600.0  # a staging folder this old was left by a run that was killed


def say(text: str) -> None:
    TERMINAL.line(printable(text))


def mirror_url(settings) -> str:
    """The base URL the user chose (config `model_url`, else `ASSISTANT_MODEL_URL`), or ""."""
    url = settings.model_url.strip()
    return url if not url or url.endswith("/") else url + "/"


def fetch_catalogue(settings, fetcher: Fetcher) -> list[Entry] | None:
    """The catalogue from the (mirror's) model-list.json, kept in the cache for `models list`;
    None when the server has none that can be read."""
    base = mirror_url(settings) or OFFICIAL_URL
    try:
        text = fetcher.text(base + CATALOGUE_FILE)
        entries = parse_catalogue(json.loads(text))
    except UserError as problem:
        if problem.key == "download_http":
            return None
        raise
    except ValueError:
        return None
    with contextlib.suppress(OSError):
        cache = cached_catalogue_path(settings.cache_dir)
        cache.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        cache.write_text(text, encoding="utf-8")
    return entries


def resolve(target: str, settings, catalogue: list[Entry] | None) -> Entry:
    """`en`, `nl` or a model's name -> its catalogue entry (the fetched one, else the built-in)."""
    name = MODEL_NAMES.get(target.strip().lower(), target.strip())
    for entry in list(catalogue or []) + known_models(settings.cache_dir):
        if entry.name == name:
            return entry
    raise UserError("model_unknown", name=target)


def install(settings, target: str | None, source: Path | None = None) -> Path:
    """Install `target` (en, nl or a name) from the network, or the zip or folder `source`
    (then `target`, when given, names it: a known name is checked against its checksum)."""
    pack = load_pack(settings.lang)
    folder = install_dir(settings.models_dir, settings.data_dir)
    fetcher = entry = None
    if source is None:
        fetcher = Fetcher(mirror_url(settings))
        entry = resolve(target, settings, fetch_catalogue(settings, fetcher))
    elif not source.exists():
        raise UserError("model_source_missing", path=source)
    elif target:
        try:
            entry = resolve(target, settings, None)
        except UserError:
            entry = None  # a name of your own: checked for layout and loading only
    name = entry.name if entry else _name_of(target or source)
    final = folder / name
    if final.exists():
        say(pack.text("models.already", name=name, path=final))
        return final
    _prepare(folder)
    _clean_stale(folder)
    archive = _download(settings, fetcher, entry, pack) if source is None else source if source.is_file() else None
    try:
        if archive is not None:
            _verify(archive, entry or _entry_for_file(settings, archive), pack, downloaded=source is None)
        else:
            say(pack.text("models.checked_folder"))
        try:
            report = _place(archive, source, folder, name, final, pack,
                        shown=source if source is not None else entry.zip_name)
        except OSError:  # a disk that fails or a folder that changed under us: said, not a traceback
            raise UserError("write_failed", path=folder) from None
    except UserError:
        if source is None:  # a download that was whole but wrong: not kept
            archive.unlink(missing_ok=True)
        raise
    if source is None:
        archive.unlink(missing_ok=True)
    if report is None:
        say(pack.text("models.already", name=name, path=final))
        return final
    say(pack.text("models.installed", name=name, path=final))
    if not report.grammar:
        say(pack.text("models.no_grammar", name=name))
    return final


def _place(archive: Path | None, source: Path | None, folder: Path, name: str, final: Path, pack, shown):
    """Unpack (or copy) beside the target, check the layout, load it once, move it into place.
    Returns the load report, or None when another install put the same model there first."""
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{name}-", dir=folder))
    try:
        unpacked = staging / "unpacked"
        if archive is not None:
            unpacked.mkdir()
            say(pack.text("models.unpacking"))
            unpack(archive, unpacked, shown)
        else:
            copy_folder(source, unpacked)
        root = _model_root(unpacked, shown)
        say(pack.text("models.loading"))
        report = check_model(root)
        if not report.loads:
            raise UserError("model_does_not_load", name=name)
        try:
            root.rename(final)  # atomic, on the same disk: the model is there whole, or not at all
        except OSError:
            if final.exists():
                return None
            raise
        return report
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _name_of(source: Path | str) -> str:
    """The folder name for a model from a file (its name without .zip) or a folder (its name)."""
    name = source if isinstance(source, str) else (
        source.name.removesuffix(".zip") if source.is_file() else source.resolve().name)
    if not NAME.match(name):
        raise UserError("model_unknown", name=name)
    return name


def _entry_for_file(settings, archive: Path) -> Entry | None:
    """The known entry whose zip has this file's name (to check it against), or None."""
    for entry in known_models(settings.cache_dir):
        if entry.zip_name == archive.name:
            return entry
    return None


def _prepare(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o755)
        probe = tempfile.TemporaryFile(dir=folder)
        probe.close()
    except OSError:
        raise UserError("bad_output", path=folder) from None


def _clean_stale(folder: Path) -> None:
    """Remove the hidden folders of installs and removals that were killed half-way."""
    now = time.time()
    for path in folder.glob(".*"):
        with contextlib.suppress(OSError):
            if path.name.startswith((STAGING_PREFIX, ".removing-")) and now - path.lstat().st_mtime > STALE_SECONDS:
                shutil.rmtree(path, ignore_errors=True)


def _download(settings, fetcher: Fetcher, entry: Entry, pack) -> Path:
    mirror = mirror_url(settings)
    url = mirror + entry.zip_name if mirror else entry.url
    size = entry.size_text or (f"{entry.size / 1e6:.0f}M" if entry.size else "?")
    say(pack.text("models.downloading", name=entry.name, size=size, url=url))
    part = settings.cache_dir / "downloads" / f"{entry.zip_name}.part"
    return download(fetcher, url, part, entry.name, entry.size)


def _verify(archive: Path, entry: Entry | None, pack, downloaded: bool) -> None:
    """The pinned SHA-256 when there is one, else the catalogue's MD5 and size; said which."""
    sha256, md5 = hashlib.sha256(), hashlib.md5()
    with open(archive, "rb") as file:
        while chunk := file.read(1 << 20):
            sha256.update(chunk)
            md5.update(chunk)
    size = archive.stat().st_size
    pinned = PINNED_SHA256.get(entry.zip_name) if entry else None
    if pinned:
        ok, how = sha256.hexdigest() == pinned, pack.text("models.checked_pinned")
    elif entry and entry.md5:
        ok = md5.hexdigest() == entry.md5 and (not entry.size or size == entry.size)
        how = pack.text("models.checked_catalogue")
    elif downloaded:
        raise UserError("model_no_checksum", name=entry.name if entry else archive.name)
    else:
        say(pack.text("models.checked_nothing"))
        return
    if not ok:
        if downloaded:
            archive.unlink(missing_ok=True)
        raise UserError("model_checksum", name=entry.zip_name, how=how)
    say(pack.text("models.checked", how=how))


def _model_root(unpacked: Path, source: Path) -> Path:
    """The model folder inside what was unpacked: itself, or its one folder; else model_layout."""
    candidates = [unpacked] + [p for p in unpacked.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))]
    for candidate in candidates:
        if all((candidate / name).is_file() for name in REQUIRED_MODEL_FILES):
            if candidate is unpacked:  # files at the top: give them a folder of their own
                inner = unpacked.parent / "model"
                unpacked.rename(inner)
                return inner
            return candidate
    raise UserError("model_layout", path=source)


def remove(settings, name: str) -> Path:
    """Remove an installed model from the assistant's own places: renamed away first (atomic),
    then deleted."""
    from .models import models_in, own_places, places

    for place in own_places(settings.models_dir, settings.data_dir):
        for folder in models_in(place):
            if folder.name == name:
                hidden = place / f".removing-{name}-{time.monotonic_ns()}"
                try:
                    folder.rename(hidden)
                except OSError:
                    raise UserError("model_remove_failed", path=folder) from None
                shutil.rmtree(hidden, ignore_errors=True)
                return folder
    for place in places(settings.models_dir, settings.data_dir):
        for folder in models_in(place):
            if folder.name == name:
                raise UserError("model_not_ours", path=folder)
    raise UserError("model_not_installed", name=name)


def offer_install(settings, language_name: str) -> Path | None:
    """On a terminal: ask once whether to install the language's model now; None when not."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return None
    from .speech.commands import CommandWords

    pack = load_pack(settings.lang)
    entry = next((e for e in known_models(settings.cache_dir) if e.name == MODEL_NAMES[settings.lang]), None)
    TERMINAL.question(printable(pack.text("models.offer", language=language_name,
                                          size=entry.size_text if entry else "?")))
    try:
        answer = sys.stdin.readline()
    except (OSError, ValueError):
        return None
    words = CommandWords(pack.commands())
    if words.match(answer, "yesno") != "yes" and words.starting_answer(answer) != "yes":
        return None
    return install(settings, settings.lang)
