"""Language packs: every sentence the assistant says and every word it listens for.

Each language is a folder (`en/`, `nl/`) of TOML files with the same names and the same keys,
the keys that `schema.toml` declares (see schema.py). A key is the dotted path to a value, for
example ``checkin.daily.greeting``.
"""
from __future__ import annotations

import locale
import os
import string
import sys
from functools import cache
from importlib import resources
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

from .schema import Spec, is_plural, parse

DEFAULT_LANGUAGE = "en"


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
    """One language's content, looked up by dotted key."""

    def __init__(self, lang: str, values: dict[str, Any]) -> None:
        self.lang = lang
        self.values = values

    def text(self, key: str, **fill: Any) -> str:
        """The sentence at `key` filled in; `questions[2]` picks one sentence of a list, and of a
        plural the form that agrees with its count ("1 minute", "2 minutes")."""
        name, _, index = key.partition("[")
        value = self.values[name]
        if index:
            value = value[int(index.rstrip("]"))]
        if is_plural(value):
            value = value["one" if fill[load_schema()[name].count] == 1 else "other"]
        return str(value).format(**fill)

    def items(self, key: str) -> list[Any]:
        """The list at `key`: sentences, words, numbers or rows."""
        return list(self.values[key])

    def commands(self) -> dict[str, list[str]]:
        """Control-word name -> the phrases that say it."""
        prefix = "commands."
        return {k[len(prefix):]: list(v) for k, v in self.values.items() if k.startswith(prefix)}


@cache
def load_schema() -> dict[str, Spec]:
    """Every key a pack must have -> its Spec, from schema.toml."""
    text = (resources.files(__name__) / "schema.toml").read_text(encoding="utf-8")
    return {key: parse(spec) for key, spec in _flatten(tomllib.loads(text)).items()}


def read_pack_files(lang: str) -> dict[str, dict[str, Any]]:
    """File name -> its flattened keys, for one language (the validator test uses this too)."""
    folder = resources.files(__name__) / lang
    return {
        entry.name: _flatten(tomllib.loads(entry.read_text(encoding="utf-8")))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".toml")
    }


@cache
def load_pack(lang: str) -> Pack:
    if lang not in available_languages():
        raise KeyError(lang)
    values: dict[str, Any] = {}
    for flat in read_pack_files(lang).values():
        values.update(flat)
    return Pack(lang, values)
