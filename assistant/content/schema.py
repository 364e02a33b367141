"""The shape every language pack must have, declared once in `schema.toml` (read by `load_schema`).

Each key of a pack has an entry there: the kind of value it holds, how many items a list has
when the code counts on it, and the placeholders its sentences fill, written like this:

    "text {name}"      a sentence with exactly these placeholders
    "plural {minutes}" two sentences, `one` (said when the count is 1) and `other`; the first
                       placeholder is the count
    "texts[3] {name}"  a list of sentences, here exactly three
    "words"            a list of words or phrases listened for
    "pattern", "patterns"  a regular expression, a list of them
    "name", "names"    a name that is no sentence (a voice, a category), a list of them
    "int", "float", "ints", "floats", "rows"  numbers, lists of numbers, a table of lists
"""
from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = ("text", "plural", "texts", "words", "pattern", "patterns", "name", "names", "int", "float", "ints",
         "floats", "rows")
PLURAL_FORMS = frozenset({"one", "other"})
_SPEC = re.compile(r"(?P<kind>[a-z]+)(?:\[(?P<length>\d+)\])?(?P<placeholders>(?: \{\w+\})*)")


@dataclass(frozen=True)
class Spec:
    kind: str
    placeholders: tuple[str, ...] = ()  # in the order declared: a plural's count comes first
    length: int | None = None  # a list's exact length, when the code counts on it

    @property
    def count(self) -> str:
        """The placeholder whose number picks a plural's form."""
        return self.placeholders[0]


def parse(spec: str) -> Spec:
    found = _SPEC.fullmatch(spec)
    if found is None or found["kind"] not in KINDS:
        raise ValueError(f"not a pack schema entry: {spec!r}")
    if found["kind"] == "plural" and not found["placeholders"]:
        raise ValueError(f"a plural needs its count: {spec!r}")
    length = int(found["length"]) if found["length"] else None
    return Spec(found["kind"], tuple(re.findall(r"\{(\w+)\}", found["placeholders"])), length)


def is_plural(value: object) -> bool:
    """A table of exactly the forms `one` and `other`: one value, not a section of keys."""
    return isinstance(value, dict) and set(value) == PLURAL_FORMS
