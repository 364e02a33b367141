"""The assistant's source read as syntax trees, for the pack tests: which pack keys the code names,
and which string literals in it reach a person.

A *user-facing* literal is a string literal, or the literal part of an f-string (never its format
spec), that is
- printed or spoken: an argument of `print`, `input`, a `write` on `sys.stdout` or `sys.stderr`,
  the terminal's `line`, `question` and `problem`, or a voice's `synthesize`;
- argparse's words: a `help`, `description`, `epilog`, `title`, `usage`, `version`, `metavar` or
  `prog` keyword, also as a key of a dict literal (the option tables pass keywords that way);
- spliced into a pack sentence: a keyword argument of a call that looks a sentence up (`text`,
  `say`, `shown`, `Say`, `Detail`, `UserError`), or a value of the dict passed to `Say`;
- an exception's message that is printed as it is: `SystemExit`, `sys.exit`, a parser's `error`.
It is *text* when it holds a letter. Pack keys (the first argument of those look-ups) are no text:
the key tests check them. Literals kept in a variable first are not followed.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SOURCE = Path(__file__).parents[1] / "assistant"
PRINTS = {"print", "input", "line", "question", "problem", "synthesize", "SystemExit", "exit", "error"}
STREAMS = {"stdout", "stderr"}
ARGPARSE_WORDS = {"help", "description", "epilog", "title", "usage", "version", "metavar", "prog"}
LOOK_UPS = {"text", "say", "shown", "Say", "Detail", "UserError"}


@dataclass
class Literal:
    where: str  # file:line
    text: str


@dataclass
class Code:
    constants: set[str] = field(default_factory=set)  # every string literal but docstrings
    templates: list[Literal] = field(default_factory=list)  # f-strings, as regular expressions
    error_keys: set[str] = field(default_factory=set)  # UserError("no_model") names errors.no_model
    sections: set[str] = field(default_factory=set)  # read as a whole: TextClassifier.from_pack(pack, "safety_model")
    shown: list[Literal] = field(default_factory=list)  # user-facing literals


def _name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _parts(node: ast.AST) -> list[str]:
    """The literal text in an expression that ends up in the string it makes: constants, an f-string's
    literal parts, both sides of `+`, `or` and `... if ... else ...`, what `printable`, `str` and a
    separator's `join` pass on; not a format spec, not a look-up's key, not a subscript's key."""
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) else []
    if isinstance(node, ast.JoinedStr):
        return [text for part in node.values for text in
                ([part.value] if isinstance(part, ast.Constant) else _parts(part.value))]
    if isinstance(node, ast.Call):
        name = _name(node)
        if name in LOOK_UPS:  # its key is checked elsewhere, its values are spliced in
            return [text for keyword in node.keywords for text in _parts(keyword.value)]
        if name in ("printable", "str"):
            return [text for arg in node.args for text in _parts(arg)]
        if name == "join" and isinstance(node.func, ast.Attribute):
            return _parts(node.func.value)
        return []
    if isinstance(node, ast.BinOp):
        return _parts(node.left) + _parts(node.right)
    if isinstance(node, ast.BoolOp):
        return [text for value in node.values for text in _parts(value)]
    if isinstance(node, ast.IfExp):
        return _parts(node.body) + _parts(node.orelse)
    return []


def shown(node: ast.AST) -> list[str]:
    """The literal text that `node` puts before a person, when it prints, speaks, helps or splices."""
    return [text for part in _shown_by(node) for text in _parts(part)]


def _shown_by(node: ast.AST) -> list[ast.AST]:
    """The parts of `node` that reach a person, when it is a call that prints, speaks or splices."""
    if isinstance(node, ast.Dict):  # option tables: {"metavar": ..., "help": ...}
        return [value for key, value in zip(node.keys, node.values)
                if isinstance(key, ast.Constant) and key.value in ARGPARSE_WORDS]
    if not isinstance(node, ast.Call):
        return []
    name = _name(node)
    found = [k.value for k in node.keywords if k.arg in ARGPARSE_WORDS]
    if name in PRINTS or (name == "write" and isinstance(node.func, ast.Attribute)
                          and isinstance(node.func.value, ast.Attribute) and node.func.value.attr in STREAMS):
        found += node.args
    if name in LOOK_UPS:
        found += [k.value for k in node.keywords if k.arg not in ARGPARSE_WORDS]
        if name == "Say" and len(node.args) > 1:
            found.append(node.args[1])
    return found


def _template(node: ast.JoinedStr) -> str:
    return "".join(re.escape(part.value) if isinstance(part, ast.Constant) else ".+" for part in node.values)


def _docstrings(tree: ast.AST) -> set[int]:
    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body
            and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}


@cache
def scan() -> Code:
    code = Code()
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        parts = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
        for node in ast.walk(tree):
            where = f"{path.relative_to(SOURCE.parent)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings \
                    and id(node) not in parts:
                code.constants.add(node.value)
            elif isinstance(node, ast.JoinedStr):
                code.templates.append(Literal(where, _template(node)))
            elif isinstance(node, ast.Call) and _name(node) == "UserError" and node.args and \
                    isinstance(node.args[0], ast.Constant):
                code.error_keys.add(f"errors.{node.args[0].value}")
            elif isinstance(node, ast.Call) and _name(node) == "from_pack":  # a trained model's whole section
                code.sections |= {arg.value for arg in node.args[1:] if isinstance(arg, ast.Constant)}
            code.shown += [Literal(where, text) for text in shown(node)]
    return code
