"""The labelled tables of what partners say in mirroring, as (author, language, step, text, label) rows.

tests/data/understanding_<author>.toml: blind corpora, each by its own author (reflections, responses,
answers, needs); tests/data/reflections.toml and reflections_heldout.toml: the project's first tables
(reflections only, "ok" and "no_check" are good reflections with and without the check question).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.content import tomllib  # noqa: E402

DATA = ROOT / "tests" / "data"
OLD = ("reflections", "reflections_heldout")


@dataclass(frozen=True)
class Case:
    author: str
    lang: str
    step: str  # reflection, response, answer or need
    text: str
    label: str  # a pattern or "none"; an answer kind; a need or "unclear"
    check: bool | None = None  # reflections: does it check; None when the table does not say


def authors(include: tuple[str, ...] = ()) -> list[str]:
    """The blind authors whose tables are in tests/data, and `include` even when one is not."""
    found = sorted(p.stem.removeprefix("understanding_") for p in DATA.glob("understanding_*.toml"))
    return sorted(set(found) | set(include))


def load(author: str) -> list[Case]:
    if author == "old":
        cases = []
        for name in OLD:
            table = tomllib.loads((DATA / f"{name}.toml").read_text(encoding="utf-8"))
            for lang, rows in table.items():
                for text, label in rows:
                    check = {"ok": True, "no_check": False}.get(label)
                    cases.append(Case("old", lang, "reflection", text, "none" if check is not None else label, check))
        return cases
    table = tomllib.loads((DATA / f"understanding_{author}.toml").read_text(encoding="utf-8"))
    return [Case(author, row["lang"], step, row["text"], row.get("pattern", row.get("label")), row.get("check"))
            for step in ("reflection", "response", "answer", "need") for row in table.get(step, [])]


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def pattern_figures(truth: list[str], said: list[str | None]) -> dict:
    """Precision and recall of flagging a pattern at all, and how often the right one is named."""
    flagged = [t for t, s in zip(truth, said) if s]
    real = [(t, s) for t, s in zip(truth, said) if t != "none"]
    return {"cases": len(truth), "patterns": len(real),
            "precision": _ratio(sum(t != "none" for t in flagged), len(flagged)),
            "recall": _ratio(sum(s is not None for _, s in real), len(real)),
            "named_right": _ratio(sum(t == s for t, s in real), len(real))}


def check_figures(truth: list[bool], said: list[bool]) -> dict:
    """Precision and recall of "the check question is missing", on good reflections."""
    missing = [not t for t in truth]
    called = [not s for s in said]
    hits = sum(m and c for m, c in zip(missing, called))
    return {"cases": len(truth), "missing": sum(missing), "precision": _ratio(hits, sum(called)),
            "recall": _ratio(hits, sum(missing))}


def answer_figures(truth: list[str], said: list[str]) -> dict:
    main = [(t, s) for t, s in zip(truth, said) if t in ("yes", "yes_but", "no_with_content")]
    return {"cases": len(truth), "yes_yes_but_no_with_content_right": _ratio(sum(t == s for t, s in main), len(main)),
            "all_right": _ratio(sum(t == s for t, s in zip(truth, said)), len(truth)),
            **{f"{kind}_right": _ratio(sum(s == kind for t, s in zip(truth, said) if t == kind), truth.count(kind))
               for kind in ("yes", "yes_but", "no_with_content", "no", "more")}}


def need_figures(truth: list[str], said: list[str]) -> dict:
    clear = [(t, s) for t, s in zip(truth, said) if t != "unclear"]
    return {"cases": len(truth), "clear": len(clear), "named_right": _ratio(sum(t == s for t, s in clear), len(clear)),
            "unclear_kept_open": _ratio(sum(s == "unclear" for t, s in zip(truth, said) if t == "unclear"),
                                        truth.count("unclear"))}
