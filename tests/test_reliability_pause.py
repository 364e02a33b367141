"""The safe word and the pause never fail: a cut-off batch, taps, one model, one session at a time.

The table at the end runs the real `assistant` in a subprocess (typed, `--text --quiet`, a private
home from conftest.py, pauses of a second or two), and what another terminal runs beside it in this
process (conftest.run_main), and checks what a person sees: the exit code, no traceback, the one
sentence, and that nothing was lost. The unit tests before it drive the
conductor with the real check-in machine, a fake clock and scripted events.
"""
from __future__ import annotations

import contextlib
import json
import os
import queue
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant import subcommands
from assistant.audio.convert import read_audio_file, resample
from assistant.audio.sources import MicrophoneSource
from assistant.clock import SimulatedClock
from assistant.content import load_pack
from assistant.errors import UserError
from assistant.events import Answer, Command, NoAnswer
from assistant.exercises.checkin import Checkin, fronts_plan, partner_plan
from assistant.exercises.pausing import PauseSettings
from assistant.pause_store import PauseStore
from assistant.session import SharedModel
from assistant.session_lock import Held, SessionLock
from assistant.settings import Settings
from assistant.speech.commands import CommandWords
from assistant.speech.ear import SpeechEar
from assistant.speech.spotter import Spotting
from assistant.speech.turns import TurnTiming
from assistant.store import Journal
from conftest import FIXTURES, read_only, run_main
from fakes import LiveMicrophone, PrintedVoice, RecordingOutput, ScriptedEar, fake_session

EN = load_pack("en")
RETURN = "I want to solve this. Let's try again, more calmly."


def said(key: str, **values) -> str:
    return EN.text(key, **values)


# --- 1. a batch cut off by the safe word: everything but speech still happens -----------------
class PacedEar(ScriptedEar):
    """A ScriptedEar whose events may carry their own listening time, `(seconds, event)`; an event
    may be a function, called when its time comes (to act from outside, like another terminal)."""

    def step(self):
        self.clock.advance(1.0)
        self._listened += 1.0
        seconds, event = self.events[0] if isinstance(self.events[0], tuple) else (self.seconds, self.events[0])
        if self._listened < seconds:
            return None
        self._listened = 0.0
        self.events.pop(0)
        return event() if callable(event) else event


def conduct(tmp_path, exercise, events, cut_at: str = "", pauses: PauseStore | None = None, partners: int = 2):
    """Run `exercise` on a fake clock; the spotter hears the safe word while `cut_at` is said."""
    clock = SimulatedClock()
    voice = PrintedVoice()

    class CutOffOutput(RecordingOutput):
        def play(self, chunk, interrupt=None):
            if cut_at and voice.spoken[-1] == cut_at and interrupt is not None and not self.cut:
                self.cut = True
                session.heard.set()
                return False
            return super().play(chunk, interrupt)

    output = CutOffOutput(clock)
    output.cut = False
    with fake_session(EN, clock, PacedEar(clock, events, seconds=2), voice, output, Journal(tmp_path / "journal.json"),
                      tmp_path / "log.jsonl", pauses=pauses,
                      pause=PauseSettings(minutes=20, partners=partners)) as session:
        finished = session.conductor.run(exercise)
    records = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    return voice.spoken, clock, records, finished


def returning(partners: int = 2) -> list:
    return [NoAnswer()] * 620 + [Answer(RETURN)] * partners  # 20 minutes of nothing, then both are back


def test_the_safe_word_during_the_greeting_keeps_the_checkins_time_limit(tmp_path):
    flow = Checkin(partner_plan("daily", ("Anna", "Ben"), 3, 10))
    events = returning() + [(140, Answer("a long answer"))] * 6
    spoken, clock, records, _ = conduct(tmp_path, flow, events, cut_at=said("checkin.daily.greeting", minutes=10))
    assert spoken[1] == said("pause.announce", minutes=20, at=spoken[1][-6:-1])  # cut off at once
    assert said("checkin.daily.setting") not in spoken  # the speech of the cut batch is dropped ...
    started = [r["name"] for r in records if r["kind"] == "timer" and r["action"] == "start"]
    assert "nearly_up" in started and "time_up" in started  # ... its timers are not
    assert spoken[spoken.index(said("pause.welcome_back")) + 1] == said("checkin.daily.questions[0]", name="Anna")
    assert said("checkin.nearly_up", minutes=1) in spoken and said("checkin.time_up") in spoken
    fired = [r["name"] for r in records if r["kind"] == "timer" and r["action"] == "done" and ":" not in r["name"]]
    assert fired == ["pause_end", "nearly_up", "time_up"]
    back_at = next(r["t"] for r in records if r["kind"] == "resume")
    assert 600 <= clock.monotonic() - back_at < 600 + 140  # ten minutes of check-in, the pause not counted


def test_the_safe_word_during_the_close_ends_the_exercise_after_the_return(tmp_path):
    flow = Checkin(partner_plan("daily", ("Anna", "Ben"), 3, 10))
    events = [Answer("fine")] * 6 + returning()
    spoken, _, records, finished = conduct(tmp_path, flow, events, cut_at=said("checkin.daily.closing"))
    assert finished and flow.state == "ended"
    assert spoken[-1] == said("pause.welcome_back_end")  # nothing to go back to, and it says so
    assert said("pause.welcome_back") not in spoken
    assert [r["kind"] for r in records][-1] == "end"


def test_a_save_in_a_cut_batch_is_kept_and_the_fronts_end_after_the_return(tmp_path):
    flow = Checkin(fronts_plan(EN.items("checkin.fronts.fronts")))
    events = [Answer(f"answer {i}") for i in range(8)] + [Command("yes")] + returning(partners=1)
    spoken, _, _, finished = conduct(tmp_path, flow, events, cut_at=said("checkin.fronts.saved"), partners=1)
    (entry,) = Journal(tmp_path / "journal.json").entries()
    assert [item["text"] for item in entry["items"]] == [f"answer {i}" for i in range(8)]  # patterns and actions
    assert finished and said("checkin.fronts.closing") not in spoken
    assert spoken[-1] == said("pause.welcome_back_end")


# --- 5. a pause started in another terminal reaches the running session ---------------------
def test_a_pause_written_by_another_process_pauses_the_session_with_its_deadline(tmp_path):
    path = tmp_path / "state" / "pause.json"
    elsewhere, seen = PauseStore(path), {}

    def another_terminal():
        seen["written"] = elsewhere.start(300, 300, None)  # `assistant pause` in another terminal

    def look():
        seen["kept"] = PauseStore(path).load()

    flow = Checkin(partner_plan("daily", ("Anna", "Ben"), 3, 10))
    events = [Answer("tired"), (1, another_terminal), (3, look)] + [NoAnswer()] * 160 + [Answer(RETURN)] * 2 \
        + [Command("stop")]
    spoken, _, records, _ = conduct(tmp_path, flow, events, pauses=PauseStore(path))
    asked_ben = said("checkin.daily.questions[0]", name="Ben")
    announce = spoken.index(asked_ben) + 1
    assert spoken[announce].startswith(said("pause.announce", minutes=5, at="@").split("@")[0])
    assert abs(seen["kept"].deadline_monotonic - seen["written"].deadline_monotonic) < 0.5  # its deadline kept
    assert seen["kept"].resume["position"] == 1  # and now where to go on
    assert spoken[spoken.index(said("pause.welcome_back")) + 1] == asked_ben
    assert any(r["kind"] == "heard" and r.get("event") == "pause request" for r in records)
    assert not path.exists()


def test_the_session_lock_is_held_once_released_on_close_and_kept_in_a_read_only_folder(tmp_path):
    first, second = SessionLock(tmp_path / "state"), SessionLock(tmp_path / "state")
    assert first.acquire() is Held.YES and second.acquire() is Held.BUSY
    first.release()
    assert second.acquire() is Held.YES
    second.release()
    with read_only(tmp_path / "read-only"):  # no lock file can be made here: the folder itself is locked
        third, fourth = SessionLock(tmp_path / "read-only"), SessionLock(tmp_path / "read-only")
        assert third.acquire() is Held.YES and fourth.acquire() is Held.BUSY
        third.release()
        assert not (tmp_path / "read-only" / "session.lock").exists()
    (tmp_path / "file").write_text("not a folder")
    assert SessionLock(tmp_path / "file" / "state").acquire() is Held.UNAVAILABLE


# --- 2. arming again never leaves a tap or a spotter thread behind ---------------------------
def test_after_many_arms_there_is_one_tap_and_one_spotter_and_after_disarm_none(korean_model):
    loaded = Future()
    loaded.set_result(korean_model)
    microphone = LiveMicrophone()
    distractors = tuple(json.loads((FIXTURES / "ko" / "distractors.json").read_text(encoding="utf-8"))["words"])
    ear = SpeechEar(loaded, microphone, CommandWords({}), TurnTiming(), SimulatedClock(), print,
                    Spotting(distractors=distractors))
    heard = threading.Event()
    try:
        for _ in range(5):  # the set-up arms once per candidate word
            ear.arm("보라색", heard)
        spotters = [t for t in threading.enumerate() if t.name == "safe-word"]
        assert len(microphone._taps) == 1 and len(spotters) == 1
        word = resample(read_audio_file(FIXTURES / "ko" / "word_safe.wav"), 16000).data
        heard_by = microphone.say(word)
        assert heard.wait(timeout=max(0.0, heard_by - time.monotonic()) + 2.0)  # the last one still hears
        ear.disarm()
        assert microphone._taps == [] and not spotters[0].is_alive()
    finally:
        ear.disarm()
        microphone.close()


def test_a_spotter_thread_that_dies_leaves_no_traceback_and_the_ear_takes_over(capsys, tmp_path):
    broken = Future()
    broken.set_exception(UserError("bad_model", path=tmp_path, models_dir=tmp_path))
    microphone = LiveMicrophone()
    ear = SpeechEar(broken, microphone, CommandWords({}), TurnTiming(), SimulatedClock(), print)
    try:
        ear.arm("pineapple", threading.Event())
        thread = ear._spotter_thread
        thread._thread.join(timeout=5)
        assert thread.failed is not None and "Traceback" not in capsys.readouterr().err
        with pytest.raises(UserError) as raised:  # the ear spots in its own thread: the same calm sentence
            ear.step()
        assert raised.value.key == "bad_model" and microphone._taps == []
    finally:
        ear.disarm()
        microphone.close()


def test_the_microphone_feeds_only_the_taps_still_taken():
    microphone = MicrophoneSource.__new__(MicrophoneSource)  # no device: only the fan-out is tested
    microphone._audio, microphone._taps, microphone._gathered, microphone.rate = queue.Queue(), [], b"", 16000
    kept, given_back = microphone.tap(), microphone.tap()
    microphone.untap(given_back)
    microphone._on_audio(b"\x01\x00", 1, None, None)
    assert kept.get_nowait() == b"\x01\x00" and given_back.empty() and microphone._taps == [kept]


# --- 3. the safe-word set-up checks words with the session's one model ----------------------
class Vocabulary:
    def vosk_model_find_word(self, word: str) -> int:
        return -1 if word == "zanzibar" else 7


def test_the_setup_checks_words_with_the_ears_model_and_never_loads_a_second_one(tmp_path):
    loading = Future()  # the session's model, still loading
    model = SharedModel(loading)
    ear = SpeechEar(model.load(), None, CommandWords({}), TurnTiming(), SimulatedClock(), print)
    settings = Settings(models_dir=tmp_path / "no-model-here")  # a model from here would fail: bad_model
    setup = subcommands.safe_word_setup(settings, model)  # returns at once: nothing waits for the load
    vocabulary = Vocabulary()
    loading.set_result(vocabulary)
    assert setup.problem("zanzibar") == "unknown" and setup.problem("pineapple") is None
    assert ear.model is vocabulary


# --- the table: the real CLI, typed ---------------------------------------------------------
class Process:
    """A running `assistant`, its output read in threads so a test can wait for a line."""

    def __init__(self, args: list[str], limit_file_size: int | None = None) -> None:
        def limit():  # a full disk, as far as this process can tell: writes past the limit fail
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))

        self.process = subprocess.Popen([sys.executable, "-m", "assistant", *args], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env=os.environ.copy(), preexec_fn=limit if limit_file_size else None)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.out: list[str] = []
        self.err: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=lambda: self.err.extend(self.process.stderr), daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def expect(self, text: str, seconds: float = 20) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            if line is None:
                self.lines.put(None)  # for finish()
                break
            self.out.append(line)
            if text in line:
                return line
        raise AssertionError(f"never saw {text!r}; saw {self.out[-5:]}, stderr {''.join(self.err)!r}")

    def type(self, line: str) -> None:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def finish(self, seconds: float = 20) -> tuple[int, str, str]:
        with contextlib.suppress(BrokenPipeError, OSError):
            self.process.stdin.close()
        try:
            self.process.wait(seconds)
        finally:
            if self.process.poll() is None:
                self.process.kill()
        while (line := self.lines.get(timeout=2)) is not None:
            self.out.append(line)
        return self.process.returncode, "\n".join(self.out), "".join(self.err)


@dataclass
class Home:
    root: Path
    config: Path

    @property
    def state(self) -> Path:
        return self.root / "xdg_state_home" / "assistant"

    @property
    def pause(self) -> Path:
        return self.state / "pause.json"


def other(*args: str):
    """What another terminal runs while the session runs: here, in this process (not the session's)."""
    return run_main(*args)


def session(home: Home, *more: str) -> list[str]:
    return ["checkin", "daily", "--text", "--quiet", "--names", "Anna,Ben", "--config", str(home.config), *more]


ANNA = said("checkin.daily.questions[0]", name="Anna")
BEN = said("checkin.daily.questions[0]", name="Ben")
ANNOUNCE = said("pause.announce", minutes=1, at="@").split("@")[0]
RUNNING = said("errors.session_running")


def come_back(run: Process) -> None:
    run.expect(said("pause.return_prompt"))
    run.type(RETURN)
    run.type(RETURN)


def one_sentence(result, code: int, stream: str, sentence: str) -> None:
    text = getattr(result, stream).strip()
    assert result.returncode == code and "Traceback" not in result.stderr, result.stderr
    assert text.startswith(sentence) and len(text.splitlines()) == 1, text


# Each scenario drives the main session; it returns what "nothing lost" means for it.
def safe_word_typed(run: Process, home: Home) -> Callable[[str], None]:
    run.expect(ANNA)
    run.type("pineapple")
    run.expect(ANNOUNCE)
    come_back(run)
    run.expect(said("pause.welcome_back"))
    assert run.expect("Guide:") == "Guide: " + ANNA  # the interrupted question, asked again
    run.type("stop")

    def check(out: str) -> None:
        assert out.count(said("pause.not_kept")) == 1  # said once, and the pause still ran
    return check


def pause_then_checkin(run: Process, home: Home) -> Callable[[str], None]:
    come_back(run)
    run.expect(said("pause.welcome_back_begin"))
    run.expect(said("checkin.daily.greeting", minutes=10))  # the check-in asked for starts after the return
    run.expect(ANNA)
    run.type("stop")

    def check(out: str) -> None:
        assert said("pause.welcome_back") not in out and not home.pause.exists()
    return check


def second_session_refused(run: Process, home: Home) -> Callable[[str], None]:
    run.expect(ANNA)
    one_sentence(other(*session(home)), 2, "stderr", RUNNING)
    one_sentence(other("mirror", "--text", "--quiet"), 2, "stderr", RUNNING)
    one_sentence(other("pause", "--status"), 0, "stdout", said("pause.no_pause"))
    one_sentence(other("journal"), 0, "stdout", said("journal.empty"))
    helped = other("help", "--text", "--quiet")  # never kept from the help lines
    assert helped.returncode == 0 and helped.stderr == "" and said("help.lines") in helped.stdout
    run.type("tired")
    assert run.expect("Guide:") == "Guide: " + BEN  # the session went on as if nothing happened
    run.type("stop")
    return lambda out: None


def pause_from_another_terminal(run: Process, home: Home) -> Callable[[str], None]:
    run.expect(ANNA)
    run.type("tired")
    run.expect(BEN)
    sent = other("pause", "--text", "--quiet", "--pause-minutes", "0.05")
    one_sentence(sent, 0, "stdout", said("pause.sent", minutes=1, at="@").split("@")[0])
    written = json.loads(home.pause.read_text())
    run.expect(ANNOUNCE, seconds=5)  # within about a second
    kept = json.loads(home.pause.read_text())
    assert abs(kept["deadline_monotonic"] - written["deadline_monotonic"]) < 0.5  # the deadline written
    assert kept["resume"]["position"] == 1  # and where to go on: Ben's question
    come_back(run)
    run.expect(said("pause.welcome_back"))
    assert run.expect("Guide:") == "Guide: " + BEN
    run.type("stop")

    def check(out: str) -> None:
        assert not home.pause.exists()  # cleared after the return
    return check


def pause_while_pausing(run: Process, home: Home) -> Callable[[str], None]:
    run.expect(ANNA)
    run.type("pineapple")
    run.expect(ANNOUNCE.split(" We take")[0])
    before = home.pause.read_bytes()
    one_sentence(other("pause", "--text", "--quiet"), 0, "stdout", "A pause is running:")
    one_sentence(other(*session(home)), 2, "stderr", RUNNING)  # a second countdown of the same pause: no
    assert home.pause.read_bytes() == before
    run.process.send_signal(signal.SIGINT)

    def check(out: str) -> None:  # Ctrl-C quits the program, not the pause
        assert json.loads(home.pause.read_text())["resume"]["position"] == 0
    return check


def after_kill_9(run: Process, home: Home) -> Callable[[str], None]:
    run.expect(ANNA)
    run.type("stop")
    return lambda out: None


def unusable_state_folder(run: Process, home: Home) -> Callable[[str], None]:
    return safe_word_typed(run, home)


# --- arrangements before the main session ---------------------------------------------------
def paused_and_stopped(home: Home) -> None:
    """`assistant pause`, then Ctrl-C: the pause goes on without the program and ends before the
    next session starts."""
    first = Process(["pause", "--text", "--quiet", "--config", str(home.config), "--pause-minutes", "0.02"])
    first.expect(ANNOUNCE)
    first.process.send_signal(signal.SIGINT)
    assert first.finish()[0] == 130


def killed_session(home: Home) -> None:
    first = Process(session(home))
    first.expect(ANNA)
    first.process.send_signal(signal.SIGKILL)
    assert first.finish()[0] == -signal.SIGKILL


def state_folder_is_a_file(home: Home) -> None:
    state = home.root / "state-file"
    state.write_text("a file where the state folder should be")
    os.environ["XDG_STATE_HOME"] = str(state)  # monkeypatched per test by conftest.py: restored after


@dataclass(frozen=True)
class Row:
    scenario: Callable[[Process, Home], Callable[[str], None]]
    code: int = 0
    err: str = ""  # the one sentence on stderr, or nothing
    arrange: Callable[[Home], None] | None = None
    read_only_state: bool = False
    full_disk: bool = False
    pause_minutes: str = "0.02"


ROWS = {
    "safe word with a read-only state folder": Row(safe_word_typed, read_only_state=True),
    "safe word with a full disk": Row(safe_word_typed, full_disk=True),
    "safe word with the state folder a file": Row(unusable_state_folder, arrange=state_folder_is_a_file,
                                                  err="errors.session_unlocked"),
    "a finished pause, then a check-in": Row(pause_then_checkin, arrange=paused_and_stopped),
    "a second session is refused, reading is not": Row(second_session_refused),
    "assistant pause reaches the running session": Row(pause_from_another_terminal),
    "assistant pause while the session pauses": Row(pause_while_pausing, code=130, pause_minutes="1",
                                                    err="errors.interrupted"),
    "kill -9 leaves no lock behind": Row(after_kill_9, arrange=killed_session),
}


@pytest.mark.parametrize("row", ROWS.values(), ids=list(ROWS))
def test_the_safe_word_and_the_pause_never_fail(row: Row, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('safe_word = "pineapple"\n')
    home = Home(tmp_path, config)
    if row.arrange:
        row.arrange(home)
    state = Path(os.environ["XDG_STATE_HOME"]) / "assistant"
    with read_only(state) if row.read_only_state else contextlib.nullcontext():
        before = sorted(state.iterdir()) if row.read_only_state else None
        run = Process(session(home, "--pause-minutes", row.pause_minutes),
                      limit_file_size=64 if row.full_disk else None)
        try:
            check = row.scenario(run, home)
        finally:
            code, out, err = run.finish()
        if before is not None:
            assert sorted(state.iterdir()) == before  # nothing written, nothing lost
    assert "Traceback" not in err and "Traceback" not in out, err
    assert code == row.code, err
    assert not (state.is_dir() and list(state.glob(".pause.json*")))  # no scratch left by a failed write
    if row.err:
        sentence = EN.text(row.err, path=state) if row.err == "errors.session_unlocked" else EN.text(row.err)
        assert err.strip() == sentence
    else:
        assert err == ""
    check(out)


def test_the_spotter_hears_each_block_and_the_ear_whole_chunks():
    microphone = MicrophoneSource.__new__(MicrophoneSource)  # no device: only the fan-out is tested
    microphone._audio, microphone._taps, microphone._gathered, microphone.rate = queue.Queue(), [], b"", 16000
    tap = microphone.tap()
    block = bytes(1600)  # 0.05 s
    microphone._on_audio(block, 800, None, None)
    assert tap.qsize() == 1 and microphone._audio.empty()
    microphone._on_audio(block, 800, None, None)
    assert tap.qsize() == 2 and microphone._audio.get_nowait() == block * 2
