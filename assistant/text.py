"""Plain text helpers every layer may use: comparing what was said, and text from outside made
safe to print and to keep.

Names, answers, journal text and file names come from people and files: a newline in a name
could fake a line of the transcript, and an escape sequence could clear the screen or set the
window title. `printable` is applied to every line printed that may hold such text.
"""
from __future__ import annotations

import re
import unicodedata

# Whole terminal escape sequences first (CSI "ESC [ ... letter", OSC "ESC ] ... BEL or ESC \",
# and the other two-character ESC sequences), so no "[2J" debris stays behind.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]|\x9b[0-?]*[ -/]*[@-~]")
# Characters that move the cursor or reorder text: line and paragraph separators, bidi overrides.
_LAYOUT = {"\u2028", "\u2029", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
           "\u2068", "\u2069"}
_SURROGATES = re.compile("[\ud800-\udfff]")


def normalize(text: str) -> str:
    """Lower case, letters and digits only, single spaces: how phrases are compared.
    Apostrophes join ("that's" is one word, "thats"), other punctuation separates."""
    joined = re.sub(r"['’]", "", text.lower())
    return " ".join(re.sub(r"[^\w\s]", " ", joined).split())


def printable(text: object) -> str:
    """`text` with terminal escapes removed, every other control character (newlines and tabs
    too) turned into a plain space, and undecodable bytes (lone surrogates, as in a name given
    in another encoding) shown as U+FFFD; other text, accents and emoji included, stays as it is."""
    text = _ESCAPES.sub("", without_surrogates(str(text)))
    return "".join(" " if _is_control(ch) else ch for ch in text)


def _is_control(ch: str) -> bool:
    return ch in _LAYOUT or (unicodedata.category(ch) == "Cc")


def without_surrogates(text: str) -> str:
    """Lone surrogates (undecodable bytes let through by Python's surrogateescape) as U+FFFD:
    they can't be written as UTF-8, so a journal or log holding one could not be saved."""
    return _SURROGATES.sub("\ufffd", text)


def shortened(text: str, limit: int) -> str | None:
    """The first words of `text` within `limit` characters, without trailing punctuation; None
    when the whole text fits."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return None
    cut = text.rfind(" ", 0, limit + 1)
    head = text[:cut if cut > limit // 2 else limit]
    return head.rstrip(" ,;:.!?-–—…")
