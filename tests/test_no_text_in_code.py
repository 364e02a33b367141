"""No user-facing text in the code: what a person reads or hears comes from the language packs.

What counts as user-facing is defined in code_scan.py: a string literal printed, spoken, shown in
`--help`, spliced into a pack sentence, or printed as an exception's message. It is text when it
holds a letter. Not text: a pack key, a setting's name (`model_url`: the config file's own word,
the same in every language), and the few literals below.
"""
import ast
import dataclasses

from assistant.content import load_schema
from assistant.settings import Settings
from code_scan import scan, shown

ALLOWED = {
    "PortAudio": "a library's name, when the error it raised says nothing",
    " MB": "a unit, written the same in both languages",
}
SETTINGS = {field.name for field in dataclasses.fields(Settings)}


def is_text(literal: str) -> bool:
    return (any(c.isalpha() for c in literal) and literal not in load_schema() and literal not in SETTINGS
            and literal not in ALLOWED)


def test_no_user_facing_literal_outside_the_packs():
    assert [f"{literal.where}: {literal.text!r}" for literal in scan().shown if is_text(literal.text)] == []


def test_the_scan_sees_what_a_person_would_read():
    """The scan finds text where it would be printed, spoken, shown in help or spliced in, and only there."""
    def found(source: str) -> list[str]:
        return [text for node in ast.walk(ast.parse(source)) for text in shown(node) if is_text(text)]

    assert found('print("Hello " + name)') == ["Hello "]
    assert found('TERMINAL.line(printable(f"{count} files"))') == [" files"]
    assert found('sys.stderr.write("oops")') == ["oops"]
    assert found('raise UserError("bad_flag", detail="--rounds takes 1 or more")') == ["--rounds takes 1 or more"]
    assert found('self.say("mirror.nudge", name="partner")') == ["partner"]
    assert found('parser.add_argument("--x", help="the x", metavar="FILE")') == ["the x", "FILE"]
    assert found('OPTIONS = {"x": (("--x",), {"metavar": "N"}, "cli.x")}') == ["N"]
    assert found('raise SystemExit("no model")') == ["no model"]
    assert found('print(pack.text("journal.entry", date=d.replace("T", " "), kind=kind))') == []
    assert found('print(f"{left // 60:02d}:{left % 60:02d}", ", ".join(marks))') == []
    assert found('log.write("pause", action="not kept")') == []  # the event log is data, not text
    assert found('raise UserError("bad_config", detail=Detail("settings.url", name="model_url"))') == []
