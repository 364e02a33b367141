"""Nothing lost: the journal and the pause file meet garbage, a full disk, kill -9 and each other.

Every row of the table runs the real `assistant` with a private home, and checks what a person
sees (the exit code, one calm sentence, no traceback) and that nothing saved was lost (a file set
aside still holds its bytes; the new entry is in the journal, or on the screen). A row runs the
command's main() in this process (conftest.run_main), the full disk in a subprocess of its own
(a file size limit holds for the whole process).
"""
import contextlib
import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from assistant.content import load_pack
from assistant.pause_store import PauseStore
from assistant.store import CannotWrite, Journal, set_aside
from conftest import read_only, run_main

EN = load_pack("en")
FRONTS = "I go quiet\ncall her\nno pattern\nnext\noverwork\nleave at six\nphone\nten still minutes\nyes\n"
SAVED = [("relationships, pattern", "I go quiet"), ("relationships, action", "call her"),
         ("sex, pattern", "no pattern"), ("work, pattern", "overwork"), ("work, action", "leave at six"),
         ("inner calm, pattern", "phone"),
         ("inner calm, action", "ten still minutes")]  # the patterns and the actions, on the same yes
RETURN = "I want to solve this. Let's try again, more calmly.\n"
OLD_ENTRY = {"date": "2025-01-01T09:00", "kind": "fronts", "items": [{"label": "work", "text": "old words"}]}
COMMANDS = {"fronts": ["checkin", "fronts", "--text", "--quiet"], "journal": ["journal"],
            "status": ["pause", "--status"]}


def run(command: str, stdin: str = "", limit_file_size: int | None = None):
    if limit_file_size is None:
        return run_main(*COMMANDS[command], stdin=stdin)

    def limit():  # a full disk, as far as this process can tell: writes past the limit fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))

    return subprocess.run([sys.executable, "-m", "assistant", *COMMANDS[command]], input=stdin, capture_output=True,
                          text=True, timeout=60, env=os.environ.copy(), preexec_fn=limit)


@dataclass
class Home:
    root: Path

    @property
    def data(self) -> Path:
        return self.root / "xdg_data_home" / "assistant"

    @property
    def state(self) -> Path:
        return self.root / "xdg_state_home" / "assistant"

    @property
    def journal(self) -> Path:
        return self.data / "journal.json"

    @property
    def pause(self) -> Path:
        return self.state / "pause.json"


def fingerprint(path: Path):
    """What a path holds, to compare before and after: bytes, a link's target, a folder's files."""
    if path.is_symlink():
        return ("link", os.readlink(path))
    if path.is_dir():
        return ("folder", {p.name: p.read_bytes() for p in sorted(path.iterdir())})
    return ("file", path.read_bytes())


def set_aside_beside(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".broken-*")) if path.parent.is_dir() else []


def journal_file(text: str | bytes) -> Callable[[Home], Path]:
    def arrange(home: Home) -> Path:
        home.data.mkdir(parents=True)
        home.journal.write_bytes(text.encode() if isinstance(text, str) else text)
        return home.journal
    return arrange


def pause_file(text: str | bytes) -> Callable[[Home], Path]:
    def arrange(home: Home) -> Path:
        home.state.mkdir(parents=True)
        home.pause.write_bytes(text.encode() if isinstance(text, str) else text)
        return home.pause
    return arrange


def pause_record(**changes) -> str:
    """A pause this version writes, already over, with `changes` on top."""
    record = {"version": 2, "boot": "another boot", "deadline_monotonic": 1.0, "deadline_wall": 1.0,
              "total_seconds": 1200.0, "resume": None, **changes}
    return json.dumps(record)


def a_snapshot(exercise: dict | None = None, timers=None) -> dict:
    base = {"exercise": "checkin", "kind": "fronts", "state": "asking", "position": 2, "names": [], "minutes": None}
    return {**base, **(exercise or {}), "timers": {} if timers is None else timers}


def without_timers(snapshot: dict) -> dict:
    return {name: value for name, value in snapshot.items() if name != "timers"}


def version_1(snapshot: dict) -> dict:
    """The same snapshot as version 1 kept it: the exercise one level down."""
    return {"exercise": without_timers(snapshot), **({"timers": snapshot["timers"]} if "timers" in snapshot else {})}


MIRROR = {"exercise": "mirror", "plan": {"names": ["Anna", "Ben"], "first": 0, "rounds": 2, "ask_need": True,
                                         "turn_seconds": 120.0},
          "state": "reflecting", "prompt": ["mirror.no_such_sentence", "answer", {}], "speaker": 0, "rounds_done": 0,
          "reflections": 0, "landed_first_time": 0, "corrections": 0}
VALID_JOURNAL = json.dumps([OLD_ENTRY])


def folder_in_place(path_of: Callable[[Home], Path]) -> Callable[[Home], Path]:
    def arrange(home: Home) -> Path:
        path = path_of(home)
        path.mkdir(parents=True)
        (path / "note.txt").write_text("something of mine")
        return path
    return arrange


def link_loop(home: Home) -> Path:
    home.data.mkdir(parents=True)
    home.journal.symlink_to("journal.json")
    return home.journal


def data_folder_is_a_file(home: Home) -> Path:
    home.data.parent.mkdir(parents=True)
    home.data.write_text("not a folder")
    return home.data


@dataclass(frozen=True)
class Case:
    arrange: Callable[[Home], Path | None]
    command: str  # fronts, journal, status, or return (fronts after a pause that is over)
    outcome: str  # what must be true afterwards; see check()
    full_disk: bool = False
    read_only: str = ""  # "data" or "state": that folder is read-only during the run


CASES = {
    # a journal that is not a journal: set aside, the new entry in a fresh one
    "journal holding an object": Case(journal_file('{"mine": "my private words"}'), "fronts", "journal set aside"),
    "journal holding a string": Case(journal_file('"dear diary, today"'), "fronts", "journal set aside"),
    "journal holding a number": Case(journal_file("42"), "fronts", "journal set aside"),
    "journal holding null": Case(journal_file("null"), "fronts", "journal set aside"),
    "truncated journal": Case(journal_file(VALID_JOURNAL[:40]), "fronts", "journal set aside"),
    "journal not UTF-8": Case(journal_file(b'[{"date": "\xff\xfe", "kind": "fronts", "items": []}]'), "fronts",
                              "journal set aside"),
    "empty journal file": Case(journal_file(""), "fronts", "journal set aside"),
    "entry without items": Case(journal_file('[{"date": "2025-01-01T09:00", "kind": "fronts"}]'), "fronts",
                                "journal set aside"),
    "item text a number": Case(journal_file('[{"date": "d", "kind": "k", "items": [{"label": "a", "text": 5}]}]'),
                               "fronts", "journal set aside"),
    "entry a plain line": Case(journal_file('["just a line"]'), "fronts", "journal set aside"),
    "journal nested too deep": Case(journal_file("[" * 100_000), "fronts", "journal set aside"),
    "directory in the journal's place": Case(folder_in_place(lambda home: home.journal), "fronts",
                                             "journal set aside"),
    "journal a symlink loop": Case(link_loop, "fronts", "journal set aside"),
    # a good journal keeps everything, wherever it lives
    "journal with earlier entries": Case(journal_file(VALID_JOURNAL), "fronts", "appended"),
    "journal a symlink to a file elsewhere": Case(lambda home: None, "fronts", "appended through the link"),
    "scratch files of a killed save": Case(journal_file(VALID_JOURNAL), "fronts", "scratch swept"),
    # the journal can't be written: the answers go to the screen
    "full disk": Case(journal_file(VALID_JOURNAL), "fronts", "answers on screen", full_disk=True),
    "read-only data folder": Case(journal_file(VALID_JOURNAL), "fronts", "answers on screen", read_only="data"),
    "broken journal in a read-only folder": Case(journal_file("{"), "fronts", "answers on screen", read_only="data"),
    "data folder is a file": Case(data_folder_is_a_file, "fronts", "answers on screen"),
    # `assistant journal` on a broken journal: one sentence, the file left as it is
    "show a journal holding an object": Case(journal_file('{"mine": 1}'), "journal", "journal unreadable"),
    "show a truncated journal": Case(journal_file(VALID_JOURNAL[:40]), "journal", "journal unreadable"),
    "show a directory": Case(folder_in_place(lambda home: home.journal), "journal", "journal unreadable"),
    # a pause file that is not a pause: set aside, never locks anyone out
    "pause deadline a string": Case(pause_file(pause_record(deadline_wall="1700000000")), "status", "pause set aside"),
    "pause deadline NaN": Case(pause_file(pause_record().replace('"deadline_monotonic": 1.0',
                                                                '"deadline_monotonic": NaN')), "status",
                               "pause set aside"),
    "pause total Infinity": Case(pause_file(pause_record().replace('"total_seconds": 1200.0',
                                                                  '"total_seconds": Infinity')), "status",
                                 "pause set aside"),
    "pause total negative": Case(pause_file(pause_record(total_seconds=-5)), "status", "pause set aside"),
    "pause number a boolean": Case(pause_file(pause_record(deadline_wall=True)), "status", "pause set aside"),
    "pause missing fields": Case(pause_file('{"version": 1, "boot": "x"}'), "status", "pause set aside"),
    "pause a list": Case(pause_file("[1, 2, 3]"), "status", "pause set aside"),
    "pause from a future version": Case(pause_file(pause_record(version=3)), "status", "pause set aside"),
    "pause without a version": Case(pause_file(pause_record(version=None, lang="en").replace('"version": null, ', "")),
                                    "status", "pause set aside"),
    "pause not UTF-8": Case(pause_file(b'{"version": 1, "boot": "\xff"}'), "status", "pause set aside"),
    "pause resume a string": Case(pause_file(pause_record(resume="checkin")), "status", "pause set aside"),
    "directory in the pause's place": Case(folder_in_place(lambda home: home.pause), "status", "pause set aside"),
    "bad pause before a check-in": Case(pause_file(pause_record(deadline_monotonic="soon")), "fronts",
                                        "pause set aside, saved"),
    "bad pause in a read-only folder": Case(pause_file("garbage"), "fronts", "pause left, saved", read_only="state"),
    # a pause that is over, whose snapshot can't be resumed: one sentence after the return
    "resume position out of range": Case(pause_file(pause_record(resume=a_snapshot({"position": 99}))), "return",
                                         "cannot resume"),
    "resume an unknown exercise": Case(pause_file(pause_record(resume=a_snapshot({"exercise": "tango"}))), "return",
                                       "cannot resume"),
    "resume an unknown state": Case(pause_file(pause_record(resume=a_snapshot({"state": "dancing"}))), "return",
                                    "cannot resume"),
    "resume timers garbage": Case(pause_file(pause_record(resume=a_snapshot(timers={"time_up": "later"}))), "return",
                                  "cannot resume"),
    "resume an unknown timer": Case(pause_file(pause_record(resume=a_snapshot(timers={"boom": 3}))), "return",
                                    "cannot resume"),
    "resume without timers": Case(pause_file(pause_record(resume=without_timers(a_snapshot()))), "return",
                                  "cannot resume"),
    "resume a mirror with an unknown prompt": Case(pause_file(pause_record(resume={**MIRROR, "timers": {}})),
                                                   "return", "cannot resume"),
    "resume nested, as version 1 kept it": Case(pause_file(pause_record(resume=version_1(a_snapshot()))), "return",
                                                "cannot resume"),
    # after a restart the answers are gone, as they should be: nothing to save, said once
    "restart at the save question": Case(pause_file(pause_record(resume=a_snapshot({"state": "consent",
                                                                                     "position": 8}))),
                                         "return", "nothing kept"),
    # a pause kept by version 1, before an update: still read
    "version 1, restart at the save question": Case(pause_file(pause_record(
        version=1, resume=version_1(a_snapshot({"state": "consent", "position": 8})))), "return", "nothing kept"),
    "version 1, resume without timers": Case(pause_file(pause_record(
        version=1, resume=version_1(without_timers(a_snapshot())))), "return",
        "cannot resume"),
    "version 1, resume an unknown state": Case(pause_file(pause_record(
        version=1, resume=version_1(a_snapshot({"state": "dancing"})))), "return", "cannot resume"),
}


def arrange_link(home: Home, tmp_path: Path) -> Path:
    elsewhere = tmp_path / "synced" / "my-journal.json"
    elsewhere.parent.mkdir()
    elsewhere.write_text(VALID_JOURNAL)
    home.data.mkdir(parents=True)
    home.journal.symlink_to(elsewhere)
    return elsewhere


def printed_items(stdout: str) -> list[tuple[str, str]]:
    found = []
    for label, text in SAVED:
        if "  " + EN.text("journal.item", label=label, text=text) in stdout.splitlines():
            found.append((label, text))
    return found


def saved_items(journal: Path) -> list[list[tuple[str, str]]]:
    return [[(i["label"], i["text"]) for i in entry["items"]] for entry in json.loads(journal.read_text())]


@pytest.mark.parametrize("case", CASES.values(), ids=list(CASES))
def test_nothing_is_lost(case: Case, tmp_path):
    home = Home(tmp_path)
    target = arrange_link(home, tmp_path) if case.outcome == "appended through the link" else case.arrange(home)
    if case.outcome == "scratch swept":
        for name in ("abcd1234", "x_y_z_90"):
            (home.data / f".journal.json.{name}").write_bytes(b"[" * 100_000)
        (home.data / ".journal.json.mine").write_text("not ours: the name is not one tempfile makes")
    before = fingerprint(target) if target is not None and (target.exists() or target.is_symlink()) else None
    command = "fronts" if case.command == "return" else case.command
    stdin = {"fronts": FRONTS, "return": RETURN + FRONTS}.get(case.command, "")
    folder = {"data": home.data, "state": home.state}.get(case.read_only)
    with read_only(folder) if folder else contextlib.nullcontext():
        result = run(command, stdin, limit_file_size=64 if case.full_disk else None)
        after = fingerprint(target) if before is not None and case.read_only else None
    out, err = result.stdout, result.stderr
    assert "Traceback" not in err and "Traceback" not in out, err

    if case.outcome == "journal set aside":
        assert result.returncode == 0, err
        (aside,) = set_aside_beside(home.journal)
        assert fingerprint(aside) == before  # the original, byte for byte
        assert err.strip() == EN.text("errors.journal_set_aside", path=aside)
        assert saved_items(home.journal) == [SAVED]  # the new entry, in a fresh journal
        assert "Guide: " + EN.text("checkin.fronts.saved") in out
    elif case.outcome == "appended":
        assert result.returncode == 0 and err == "", err
        assert saved_items(home.journal) == [[("work", "old words")], SAVED]
        assert set_aside_beside(home.journal) == []
    elif case.outcome == "appended through the link":
        assert result.returncode == 0 and err == "", err
        assert home.journal.is_symlink() and saved_items(target) == [[("work", "old words")], SAVED]
    elif case.outcome == "scratch swept":
        assert result.returncode == 0 and err == "", err
        assert saved_items(home.journal) == [[("work", "old words")], SAVED]
        assert sorted(p.name for p in home.data.iterdir()) == [".journal.json.mine", "journal.json",
                                                               "journal.json.lock"]
    elif case.outcome == "answers on screen":
        assert result.returncode == 0, err
        assert "Guide: " + EN.text("journal.write_failed") in out
        assert "Guide: " + EN.text("checkin.fronts.saved") not in out
        assert printed_items(out) == SAVED  # nothing lost: on the screen instead
        assert fingerprint(target) == before and (after is None or after == before)
        assert not any(p.name.startswith(".journal.json.") for p in target.parent.iterdir()) \
            if target.parent.is_dir() else True
    elif case.outcome == "journal unreadable":
        assert result.returncode == 2
        assert err.strip() == EN.text("errors.journal_unreadable", path=home.journal)
        assert fingerprint(home.journal) == before and set_aside_beside(home.journal) == []
    elif case.outcome.startswith("pause set aside"):
        assert result.returncode == 0, err
        (aside,) = set_aside_beside(home.pause)
        assert fingerprint(aside) == before and not home.pause.exists()
        assert err.strip() == EN.text("errors.pause_set_aside", path=aside)
        if case.command == "status":
            assert out.strip() == EN.text("pause.no_pause")
        else:
            assert saved_items(home.journal) == [SAVED]
        assert run("status").stderr == ""  # said once: the next run finds no file
    elif case.outcome == "pause left, saved":
        assert result.returncode == 0, err
        assert err.strip() == EN.text("errors.pause_unreadable", path=home.pause)
        assert after == before and saved_items(home.journal) == [SAVED]
    elif case.outcome == "cannot resume":
        assert result.returncode == 0, err
        lines = out.splitlines()
        assert "Guide: " + EN.text("pause.welcome_back") in lines
        assert lines[-1] == "Guide: " + EN.text("pause.cannot_resume")
        assert not home.pause.exists() and not home.journal.exists()
    elif case.outcome == "nothing kept":
        assert result.returncode == 0, err
        lines = out.splitlines()
        assert lines[-2:] == ["Guide: " + EN.text("checkin.fronts.nothing_kept"),
                              "Guide: " + EN.text("checkin.fronts.closing")]
        assert not home.journal.exists()
    else:
        raise AssertionError(f"no check for {case.outcome}")


# --- the pieces the table relies on ---------------------------------------------------------
def test_two_set_asides_in_the_same_second_keep_both(tmp_path):
    path = tmp_path / "journal.json"
    when = datetime(2025, 1, 1, 9, 30, 0)
    path.write_text("first")
    first = set_aside(path, when)
    path.write_text("second")
    second = set_aside(path, when)
    assert (first.name, second.name) == ("journal.json.broken-20250101-093000", "journal.json.broken-20250101-093000-2")
    assert (first.read_text(), second.read_text()) == ("first", "second")


@pytest.mark.parametrize("store", ["journal", "pause"])
def test_a_write_that_fails_raises_cannot_write_and_changes_nothing(store, tmp_path):
    folder = tmp_path / "not-a-folder"
    folder.write_text("a file where the folder should be")
    with pytest.raises(CannotWrite):
        if store == "journal":
            Journal(folder / "journal.json").add("fronts", [("work", "x")], datetime.now())
        else:
            PauseStore(folder / "pause.json").start(60, 60, None)
    assert folder.read_text() == "a file where the folder should be"


def test_the_pause_file_never_holds_an_answer_before_consent(tmp_path):
    """The safe word during the four fronts: the pause on disk knows where to resume, not what was said."""
    config = tmp_path / "config.toml"
    config.write_text('safe_word = "pineapple"\npause_marks_minutes = []\n')
    process = subprocess.Popen([sys.executable, "-m", "assistant", "checkin", "fronts", "--text", "--quiet",
                                "--config", str(config)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        process.stdin.write("I keep quiet about money\ncall my sister tonight\nI avoid it\npineapple\n")
        process.stdin.flush()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "Let's pause here" not in process.stdout.readline():
            pass
        pause = Home(tmp_path).pause
        while time.monotonic() < deadline and not pause.exists():
            time.sleep(0.05)
        text = pause.read_text()
    finally:
        process.kill()
        process.wait(10)
    record = json.loads(text)
    assert record["version"] == 2 and "lang" not in record
    assert record["resume"]["position"] == 3  # where it stood: the action for the second front
    for said in ("money", "sister", "avoid"):
        assert said not in text


# --- many savers at once, and kill -9 in the middle of saving -------------------------------
SAVER = """
import sys
import time
from datetime import datetime
from pathlib import Path
from assistant.store import Journal

journal, tag, go = Journal(Path(sys.argv[1])), sys.argv[2], Path(sys.argv[3])
while not go.exists():
    time.sleep(0.002)
for n in range(int(sys.argv[4])):
    journal.add("fronts", [("tag", f"{tag}-{n}"), ("pad", "x" * 300)], datetime(2025, 1, 1))
    print(f"{tag}-{n}", flush=True)  # only after the save returned
"""


def saver(journal: Path, tag: str, go: Path, saves: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", SAVER, str(journal), tag, str(go), str(saves)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def tags(journal: Path) -> list[str]:
    return [entry["items"][0]["text"] for entry in Journal(journal).entries()]


def test_twenty_processes_saving_at_once_keep_twenty_entries(tmp_path):
    journal, go = tmp_path / "data" / "journal.json", tmp_path / "go"
    savers = [saver(journal, f"p{i}", go, 1) for i in range(20)]
    time.sleep(0.5)  # most of them are waiting at the line by now; the rest join as they come
    go.touch()
    for process in savers:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0 and "Traceback" not in err, err
    assert sorted(tags(journal)) == sorted(f"p{i}-0" for i in range(20))


def forked_saver(journal: Path, tag: str) -> tuple[int, object]:
    """A process that saves in a loop and prints each tag once its save returned; forked, so
    a hundred of them start in a blink (the 20 savers above show the real start-up)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(read_end)
            saves = Journal(journal)
            for n in range(100_000):
                saves.add("fronts", [("tag", f"{tag}-{n}"), ("pad", "x" * 300)], datetime(2025, 1, 1))
                os.write(write_end, f"{tag}-{n}\n".encode())
        finally:
            os._exit(0)
    os.close(write_end)
    return pid, os.fdopen(read_end, "rb")


@pytest.mark.slow  # a hundred savers killed at random moments
def test_kill_9_during_saves_loses_no_confirmed_entry_and_leaves_no_scratch(tmp_path):
    journal = tmp_path / "data" / "journal.json"
    chance = random.Random(2025)
    confirmed: set[str] = set()
    cut_mid_save = 0  # kills that left a scratch file behind: the sweep has work to do
    for round_ in range(50):  # two savers at a time, each killed at a random moment: 100 kills
        savers = [forked_saver(journal, f"r{round_}.{i}") for i in range(2)]
        said = [pipe.readline() for _, pipe in savers]  # both in their save loops now
        for (pid, pipe), first in zip(savers, said):
            time.sleep(chance.uniform(0, 0.02))
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            confirmed.update(line.decode() for line in (first + pipe.read()).splitlines())
            pipe.close()
            cut_mid_save += any(p.name.startswith(".journal.json.") for p in journal.parent.iterdir())

    kept = set(tags(journal))  # a valid journal: entries() checks every entry
    assert confirmed and confirmed <= kept
    assert cut_mid_save > 0
    Journal(journal).add("fronts", [("tag", "after")], datetime(2025, 1, 1))  # the next open, under the lock
    leftovers = [p.name for p in journal.parent.iterdir() if p.name.startswith(".journal.json.")]
    assert leftovers == []
    assert set(tags(journal)) == kept | {"after"}
