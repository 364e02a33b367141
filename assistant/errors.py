"""Expected failures, told to the person as one calm sentence from the language pack."""
from __future__ import annotations

from typing import Any


class Detail:
    """A part of a sentence that is itself in the pack, filled in when the sentence is said:
    `key` is its whole dotted key, for example ``settings.between``."""

    def __init__(self, key: str, **values: Any) -> None:
        self.key = key
        self.values = values

    def text(self, pack) -> str:
        return pack.text(self.key, **_filled(self.values, pack))


def _filled(values: dict[str, Any], pack) -> dict[str, Any]:
    return {name: value.text(pack) if isinstance(value, Detail) else value for name, value in values.items()}


class UserError(Exception):
    """Something outside the assistant is wrong; `key` names the sentence under `errors.`."""

    lang: str | None = None  # the language to say it in, when known better than the system's

    def __init__(self, key: str, exit_code: int = 2, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.exit_code = exit_code
        self.values = values

    def sentence(self, pack) -> str:
        return pack.text(f"errors.{self.key}", **_filled(self.values, pack))


class PackError(UserError):
    """A UserError whose sentence lives in an exercise's own pack file: `key` is its whole dotted key."""

    def sentence(self, pack) -> str:
        return pack.text(self.key, **_filled(self.values, pack))
