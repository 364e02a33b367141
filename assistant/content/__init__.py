"""Language packs: every sentence the assistant says and every word it listens for.

Each language is a folder (`en/`, `nl/`) of TOML files with the same names and the same keys,
the keys that `schema.toml` declares (see schema.py). A key is the dotted path to a value, for
example ``checkin.daily.greeting``.
"""
from __future__ import annotations

import json
import locale
import os
import string
import sys
import threading
from collections.abc import Callable
from functools import cache, partial
from importlib import resources
from typing import TYPE_CHECKING, Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

from .schema import Spec, is_plural, parse

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

DEFAULT_LANGUAGE = "en"
# The trained tables (`safety_model.json`, ...) are most of a pack's bytes: JSON, which parses in a
# twentieth of TOML's time, and each is read the first time a key of its section is asked for.
TABLES = "_model.json"


def available_languages() -> list[str]:
    root = resources.files(__name__)
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("_"))


def locale_tag() -> str:
    """The system locale as written, for example "nl_BE.UTF-8"."""
    return os.environ.get("LC_ALL") or os.environ.get("LANG") or (locale.getlocale()[0] or "")


def system_language() -> str:
    """The pack that matches the system locale, else the default."""
    code = locale_tag().split("_")[0].split(".")[0].lower()
    return code if code in available_languages() else DEFAULT_LANGUAGE


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in tree.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict) and not is_plural(value):
            flat.update(_flatten(value, key + "."))
        else:
            flat[key] = value
    return flat


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


class Pack:
    """One language's content, looked up by dotted key; `tables` maps a section to the reader of
    its file, read on first use (so a command that classifies no text never reads it)."""

    def __init__(self, lang: str, values: dict[str, Any],
                 tables: dict[str, Callable[[], dict[str, Any]]] | None = None) -> None:
        self.lang = lang
        self._values = values
        self._tables = dict(tables or {})
        self._reading = threading.Lock()

    @property
    def values(self) -> dict[str, Any]:
        """Every key and its value, the tables' too."""
        for section in list(self._tables):
            self._read(section)
        return self._values

    def _read(self, section: str) -> None:
        with self._reading:
            read = self._tables.pop(section, None)
            if read is not None:
                self._values.update(read())

    def _value(self, key: str) -> Any:
        self._read(key.split(".", 1)[0])
        return self._values[key]

    def section(self, prefix: str) -> dict[str, Any]:
        """The keys under `prefix`, without it, and their values."""
        self._read(prefix.split(".", 1)[0])
        start = prefix + "."
        return {k[len(start):]: v for k, v in self._values.items() if k.startswith(start)}

    def text(self, key: str, **fill: Any) -> str:
        """The sentence at `key` filled in; `questions[2]` picks one sentence of a list, and of a
        plural the form that agrees with its count ("1 minute", "2 minutes")."""
        name, _, index = key.partition("[")
        value = self._value(name)
        if index:
            value = value[int(index.rstrip("]"))]
        if is_plural(value):
            value = value["one" if fill[load_schema()[name].count] == 1 else "other"]
        return str(value).format(**fill)

    def items(self, key: str) -> list[Any]:
        """The list at `key`: sentences, words, numbers or rows."""
        return list(self._value(key))

    def commands(self) -> dict[str, list[str]]:
        """Control-word name -> the phrases that say it."""
        return {name: list(phrases) for name, phrases in self.section("commands").items()}


@cache
def load_schema() -> dict[str, Spec]:
    """Every key a pack must have -> its Spec, from schema.toml."""
    text = (resources.files(__name__) / "schema.toml").read_text(encoding="utf-8")
    return {key: parse(spec) for key, spec in _flatten(tomllib.loads(text)).items()}


def _pack_files(lang: str) -> list[Traversable]:
    folder = resources.files(__name__) / lang
    return sorted((e for e in folder.iterdir() if e.name.endswith((".toml", TABLES))), key=lambda e: e.name)


def section_of(file_name: str) -> str:
    """The one section a pack file holds, named as the file: "safety_model.json" -> "safety_model"."""
    return file_name.rpartition(".")[0]


def _read_file(entry: Traversable) -> dict[str, Any]:
    text = entry.read_text(encoding="utf-8")
    return _flatten(json.loads(text) if entry.name.endswith(".json") else tomllib.loads(text))


def read_pack_files(lang: str) -> dict[str, dict[str, Any]]:
    """File name -> its flattened keys, for one language (the validator test uses this too)."""
    return {entry.name: _read_file(entry) for entry in _pack_files(lang)}


@cache
def load_pack(lang: str) -> Pack:
    if lang not in available_languages():
        raise KeyError(lang)
    values: dict[str, Any] = {}
    tables: dict[str, Callable[[], dict[str, Any]]] = {}
    for entry in _pack_files(lang):
        if entry.name.endswith(TABLES):  # a file holds one section, named as the file (test_packs)
            tables[section_of(entry.name)] = partial(_read_file, entry)
        else:
            values.update(_read_file(entry))
    return Pack(lang, values, tables)
