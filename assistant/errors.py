"""Expected failures, told to the person as one calm sentence from the language pack."""
from __future__ import annotations

from typing import Any


class UserError(Exception):
    """Something outside the assistant is wrong; `key` names the sentence under `errors.`."""

    def __init__(self, key: str, exit_code: int = 2, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.exit_code = exit_code
        self.values = values

    def sentence(self, pack) -> str:
        return pack.text(f"errors.{self.key}", **self.values)
