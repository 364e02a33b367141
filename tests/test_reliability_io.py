"""Input, output and the voice under stress: bytes that aren't UTF-8, threads that die, a voice
asked for 17,000 characters, a cache that is corrupt, read-only or full, float WAVs, bad places
for --log and --output, escapes in names, and SIGTERM and SIGHUP.

Every row of the table runs the real `assistant` with a private home (conftest sets XDG_* per
test) and checks what a person sees: the exit code, no traceback and no "Exception ignored", the
one calm sentence (or nothing) on stderr, and that nothing was lost. A row runs in a subprocess
where the process is part of the case: a standard input, locale or umask of its own, a mount
namespace, a signal, a hang to time out, or a fault injected into the real CLI (`python -c`,
patching one function first: a voice thread that dies or hangs, a microphone that stops sending
sound). The other rows run its main() in this process (conftest.run_main), where an exception
that Python would report as "Exception ignored", in a thread or at clean-up, fails the test.
A read-only home and a full disk are made for real, in a private mount namespace (root with
`unshare`); without root a read-only folder is a chmod, and a full disk is skipped.
"""
from __future__ import annotations

import json
import math
import os
import re
import shutil
import signal
import stat
import struct
import subprocess
import sys
import time
import tracemalloc
import uuid
import wave
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from assistant.content import load_pack, placeholders
from assistant.text import printable
from conftest import FIXTURES, run_main

EN = load_pack("en")
FRONTS = "I go quiet\n{action}\nno pattern\nnext\noverwork\nleave at six\nphone\nten still minutes\n{consent}\n"
DAILY = ("checkin", "daily", "--text", "--names", "Anna,Ben")


def sentence(key: str, **values) -> str:
    return EN.text(f"errors.{key}", **values)


# --- running the CLI -------------------------------------------------------------------------
@dataclass
class Ran:
    code: int
    out: str
    err: str
    seconds: float = 0.0


@dataclass
class Ctx:
    tmp: Path
    model: Path
    request: pytest.FixtureRequest

    @property
    def cache(self) -> Path:
        return self.tmp / "xdg_cache_home" / "assistant" / "voice"

    @property
    def journal(self) -> Path:
        return self.tmp / "xdg_data_home" / "assistant" / "journal.json"


def cli(*args, stdin: bytes | str = b"", env: dict | None = None, prefix: list[str] = (), code: str | None = None,
        stdin_file=None, umask: int | None = None, timeout: float | None = None) -> Ran:
    """`assistant ARGS` (or `python -c CODE ARGS`, CODE ending in a call of the real main): in a
    subprocess when any of the options asks for a process of its own, else in this process."""
    started = time.monotonic()
    if not (env or prefix or code or stdin_file is not None or umask is not None or timeout):
        done = run_main(*args, stdin=stdin)
        return Ran(done.returncode, done.stdout, done.stderr, time.monotonic() - started)
    command = [*prefix, sys.executable, *(["-c", code + RUN_MAIN] if code else ["-m", "assistant"]),
               *(a if isinstance(a, bytes) else str(a) for a in args)]
    data = stdin.encode() if isinstance(stdin, str) else stdin
    done = subprocess.run(command, input=None if stdin_file is not None else data, stdin=stdin_file,
                          capture_output=True, timeout=timeout or 120, env={**os.environ, **(env or {})},
                          preexec_fn=(lambda: os.umask(umask)) if umask is not None else None)
    return Ran(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"),
               time.monotonic() - started)


RUN_MAIN = "\nimport sys\nfrom assistant.cli import main\nsys.exit(main(sys.argv[1:]))\n"
ESPEAK_FAILS = """
import pyttsx3
def broken(*args, **kwargs):
    raise RuntimeError("no espeak on this machine")
pyttsx3.init = broken
"""
VOICE_THREAD_DIES = """
import assistant.speech.voice as voice
def die():
    raise SystemExit  # not an Exception: the voice thread ends without a word
voice.Voice._clean_stale = lambda self: die()  # the first thing the voice thread does
"""
VOICE_HANGS = """
import time, pyttsx3, assistant.speech.voice as voice
voice.SYNTHESIS_TIMEOUT = voice.REPLY_MARGIN = 0.5
pyttsx3.init = lambda *args, **kwargs: time.sleep(3600)
"""
DEAD_MICROPHONE = """
import sys, types
sd = types.ModuleType("sounddevice")
sd.PortAudioError = type("PortAudioError", (Exception,), {})
sd.query_devices = lambda device=None, kind=None: {"default_samplerate": 16000.0}
class RawInputStream:  # opens fine, and its callback never comes: a microphone that died
    def __init__(self, **options): pass
    def start(self): pass
    def abort(self): pass
    def close(self): pass
sd.RawInputStream = RawInputStream
sys.modules["sounddevice"] = sd
import assistant.speech.recognizer as recognizer
class Deaf:
    def AcceptWaveform(self, data): return False
    def FinalResult(self): return '{"text": ""}'
recognizer.load_model = lambda path: None  # the model is not the point here
recognizer.free_recognizer = lambda model, rate: Deaf()
"""


@cache
def _namespaces() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "--mount", "sh", "-c", "mount -t tmpfs none /mnt && umount /mnt"],
                           capture_output=True)
    return probe.returncode == 0


def confined(read_only: list[Path] = (), full: list[Path] = ()) -> list[str]:
    """A command prefix under which `read_only` folders can't be written and `full` folders are
    file systems with no room left; made in a private mount namespace that ends with the command."""
    for folder in [*read_only, *full]:
        folder.mkdir(parents=True, exist_ok=True)
    if _namespaces():
        steps = [f"mount -o bind,ro '{f}' '{f}'" for f in read_only]
        steps += [f"mount -t tmpfs -o size=64k none '{f}' && (cat /dev/zero > '{f}/.fill' 2>/dev/null; true)"
                  for f in full]
        return ["unshare", "--mount", "sh", "-c", " && ".join(steps + ['exec "$@"']), "sh"]
    if full or os.geteuid() == 0:
        pytest.skip("a full disk or (as root) a read-only folder needs root with unshare")
    for folder in read_only:
        folder.chmod(0o555)
    return []


def read_until(process: subprocess.Popen, text: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = process.stdout.readline().decode("utf-8", "replace")
        if text in line:
            return
        if not line and process.poll() is not None:
            break
    raise AssertionError(f"never saw {text!r}")


def signalled(args: list[str], wait_for: str, signum: int, stdin: bytes | None = None) -> Ran:
    process = subprocess.Popen([sys.executable, "-m", "assistant", *args], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy())
    if stdin:
        process.stdin.write(stdin)
        process.stdin.flush()
    try:
        read_until(process, wait_for)
        process.send_signal(signum)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    return Ran(process.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))


# --- audio and cache helpers -----------------------------------------------------------------
def write_wav(path: Path, samples: list[float], rate: int, channels: int = 1, kind: str = "float32",
              extensible: bool = False, tag: int | None = None) -> Path:
    """A WAV the standard library can't write: IEEE float, WAVE_FORMAT_EXTENSIBLE, any format tag."""
    frames = [x for x in samples for _ in range(channels)]
    if kind == "float32":
        data, fmt_tag, bits = array("f", frames).tobytes(), 3, 32
    elif kind == "float64":
        data, fmt_tag, bits = array("d", frames).tobytes(), 3, 64
    elif kind == "int24":
        data = b"".join(int(x * 8388607).to_bytes(3, "little", signed=True) for x in frames)
        fmt_tag, bits = 1, 24
    elif kind == "uint8":
        data, fmt_tag, bits = bytes(int(x * 127) + 128 for x in frames), 1, 8
    else:
        data, fmt_tag, bits = array("h", [int(x * 32767) for x in frames]).tobytes(), 1, 16
    fmt_tag = tag if tag is not None else fmt_tag
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", 0xFFFE if extensible else fmt_tag, channels, rate, rate * block, block, bits)
    if extensible:
        guid_tail = bytes.fromhex("000000001000800000aa00389b71")  # KSDATAFORMAT_SUBTYPE_*, after the tag
        fmt += struct.pack("<HHI", 22, bits, 0) + struct.pack("<H", fmt_tag) + guid_tail
    body = (b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"LIST" + struct.pack("<I", 4) + b"INFO"
            + b"data" + struct.pack("<I", len(data)) + data)
    path.write_bytes(b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body)
    return path


def pcm16(path: Path) -> tuple[list[float], int]:
    with wave.open(str(path)) as wav:
        assert wav.getnchannels() == 1 and wav.getsampwidth() == 2
        return [s / 32767 for s in array("h", wav.readframes(wav.getnframes()))], wav.getframerate()


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as wav:
        return wav.getnframes() / wav.getframerate()


def cache_entries(ctx: Ctx) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in ctx.cache.glob("*.wav")} if ctx.cache.is_dir() else {}


def heard(model, path: Path) -> list[str]:
    """What `assistant listen` prints for `path`, worked out in this process."""
    from assistant.audio.sources import FileSource
    from assistant.speech import recognizer

    source = FileSource(path, 1.0)
    free = recognizer.free_recognizer(model, source.rate)
    lines = []
    while not source.ended:
        chunk = source.read(0.1)
        if chunk and free.AcceptWaveform(chunk.data):
            lines.append(recognizer.result_text(free.Result()))
    lines.append(json.loads(free.FinalResult()).get("text"))
    return [line for line in lines if line]


def is_a_pack_sentence(line: str) -> bool:
    """`line` is one of the error sentences of the English pack, filled in."""
    for key, template in EN.values.items():
        if key.startswith("errors.") and isinstance(template, str):
            pattern = re.escape(template)
            for name in placeholders(template):
                pattern = pattern.replace(re.escape("{" + name + "}"), ".+")
            if re.fullmatch(pattern, line):
                return True
    return False


# --- the rows ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    id: str
    act: Callable[[Ctx], Ran]
    code: int = 0
    says: Callable[[Ctx], str] | None = None  # the one sentence on stderr; None: stderr stays empty
    among_others: bool = False  # other parts may add their own calm sentences (a read-only home)
    then: Callable[[Ctx, Ran], None] = lambda ctx, ran: None
    slow: bool = False  # seconds of CPU: a `slow` test (pyproject.toml)


def heard_in_log(ctx: Ctx) -> list[str]:
    records = [json.loads(line) for line in (ctx.tmp / "session.jsonl").read_text(encoding="utf-8").splitlines()]
    return [r["text"] for r in records if r["kind"] == "heard" and r.get("event") == "answer"]


def stdin_strict_decoder(ctx: Ctx) -> Ran:
    # Where the locale's decoder is strict (a real en_US.UTF-8), one Latin-1 byte killed the reader.
    return cli("checkin", "daily", "--text", "--quiet", "--names", "Anna,Ben", "--log", ctx.tmp / "session.jsonl",
               stdin=b"caf\xe9 au lait\nfine\n", env={"PYTHONIOENCODING": "utf-8:strict"})


def stdin_strict_then(ctx: Ctx, ran: Ran) -> None:
    assert heard_in_log(ctx) == ["caf\ufffd au lait", "fine"]
    assert ran.out.splitlines()[-1] == "Guide: " + EN.text("checkin.input_ended")


def stdin_c_locale_fronts(ctx: Ctx) -> Ran:
    # Under C.UTF-8 the bytes came in as lone surrogates, and the journal could not be saved.
    answers = FRONTS.format(action="call \xff her", consent="yes").encode("latin-1")
    return cli("checkin", "fronts", "--text", "--quiet", stdin=answers, env={"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})


def stdin_c_locale_then(ctx: Ctx, ran: Ran) -> None:
    assert "Guide: " + EN.text("checkin.fronts.saved") in ran.out
    journal = cli("journal")
    assert "  relationships, action: call \ufffd her" in journal.out
    assert "  inner calm, action: ten still minutes" in journal.out


def stdin_unreadable(ctx: Ctx) -> Ran:
    # A standard input that fails on the first read (opened for writing only): the reader dies.
    fd = os.open(ctx.tmp / "not-for-reading", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        return cli("checkin", "daily", "--text", "--quiet", stdin_file=fd, timeout=30)
    finally:
        os.close(fd)


def microphone_dead(ctx: Ctx) -> Ran:
    return cli("listen", "--model", ctx.model, code=DEAD_MICROPHONE, timeout=30)


LONG_WORDS = ("I will take a walk in the park every morning and write down one thing I am grateful for "
              * 200)[:17000]


def voice_long_utterance(ctx: Ctx) -> Ran:
    # One utterance of about 16,000 characters or more made espeak segfault (exit 139).
    return cli("say", LONG_WORDS, "--output", ctx.tmp / "long.wav")


def long_fronts_action(ctx: Ctx) -> Ran:
    answers = FRONTS.format(action=LONG_WORDS, consent="yes")
    return cli("checkin", "fronts", "--text", "--output", ctx.tmp / "fronts.wav", stdin=answers)


def long_fronts_then(ctx: Ctx, ran: Ran) -> None:
    read_back = next(line for line in ran.out.splitlines() if line.startswith("Guide: For relationships:"))
    assert read_back.endswith(", and more, as you said it.") and len(read_back) < 300
    assert "Guide: " + EN.text("checkin.fronts.saved") in ran.out
    assert "  relationships, action: " + " ".join(LONG_WORDS.split()) in cli("journal").out  # saved whole
    assert wav_seconds(ctx.tmp / "fronts.wav") > 30


def read_back_private(ctx: Ctx) -> Ran:
    cli("checkin", "fronts", "--text", "--output", ctx.tmp / "one.wav",
        stdin=FRONTS.format(action="text my brother tonight", consent="no"))
    ctx.request.node.first_cache = cache_entries(ctx)
    return cli("checkin", "fronts", "--text", "--output", ctx.tmp / "two.wav",
               stdin=FRONTS.format(action="walk with Sam on Sunday", consent="no"))


def read_back_private_then(ctx: Ctx, ran: Ran) -> None:
    first = ctx.request.node.first_cache
    assert len(first) > 10  # the guide's own prompts are cached
    assert cache_entries(ctx) == first  # the read-backs, which differ, never were
    assert "Guide: For relationships: walk with Sam on Sunday" in ran.out
    assert not ctx.journal.exists()


# Each run in a process of its own, as a user's runs are: the second voice of a process now and then
# gets an empty piece from espeak (made again, see voice.SYNTHESIS_TRIES) or, rarely, one cut short
# (a second less in one of 24 runs), which is not the cache's doing.
def cache_corrupt(ctx: Ctx) -> Ran:
    first = cli(*DAILY, "--output", ctx.tmp / "first.wav", stdin="stop\n", timeout=60)
    assert first.code == 0, first.err
    for index, path in enumerate(sorted(ctx.cache.glob("*.wav"))):
        if index % 3 == 0:
            path.write_bytes(b"")  # EOFError on every later run
        elif index % 3 == 1:
            with wave.open(str(path), "wb") as wav:  # 44 bytes, no frames: silent for ever
                wav.setnchannels(1), wav.setsampwidth(2), wav.setframerate(22050)
        else:
            path.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt garbage")
    return cli(*DAILY, "--output", ctx.tmp / "second.wav", stdin="stop\n", timeout=60)


def cache_corrupt_then(ctx: Ctx, ran: Ran) -> None:
    from assistant.speech.voice import read_wav

    assert all(read_wav(path) is not None for path in ctx.cache.glob("*.wav"))
    assert abs(wav_seconds(ctx.tmp / "second.wav") - wav_seconds(ctx.tmp / "first.wav")) < 0.5


def stale_temporaries(ctx: Ctx) -> Ran:
    from assistant.speech.voice import scratch_dir

    ctx.cache.mkdir(parents=True)
    old = time.time() - 3600
    planted = {"old": [ctx.cache / "tmpk2j3h4.wav", ctx.cache / ".partial-abc.wav",
                       scratch_dir() / f"assistant-voice-{uuid.uuid4().hex}.wav"],
               "new": [ctx.cache / ".partial-someone-busy.wav"]}
    for path in planted["old"] + planted["new"]:
        path.write_bytes(b"")
    for path in planted["old"]:
        os.utime(path, (old, old))
    ctx.request.node.planted = planted
    return cli(*DAILY, "--output", ctx.tmp / "out.wav", stdin="stop\n")


def stale_then(ctx: Ctx, ran: Ran) -> None:
    planted = ctx.request.node.planted
    assert not any(path.exists() for path in planted["old"])
    assert all(path.exists() for path in planted["new"])  # another run may be writing it right now
    planted["new"][0].unlink()


def home_env(ctx: Ctx) -> dict:
    home = ctx.tmp / "home"
    return {name: str(home / name.lower()) for name in
            ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")}


def read_only_home(ctx: Ctx) -> Ran:
    prefix = confined(read_only=[ctx.tmp / "home"])
    return cli(*DAILY, "--output", ctx.tmp / "out.wav", stdin="stop\n", env=home_env(ctx), prefix=prefix)


def full_cache_disk(ctx: Ctx) -> Ran:
    prefix = confined(full=[ctx.tmp / "home" / "xdg_cache_home"])
    return cli(*DAILY, "--output", ctx.tmp / "out.wav", stdin="stop\n", env=home_env(ctx), prefix=prefix)


def spoken_without_cache(ctx: Ctx, ran: Ran) -> None:
    assert ran.out.splitlines()[-1] == "Guide: " + EN.text("checkin.stopped")
    assert wav_seconds(ctx.tmp / "out.wav") > 8  # every prompt was still spoken


def home_cache(ctx: Ctx) -> Path:
    return ctx.tmp / "home" / "xdg_cache_home" / "assistant" / "voice"


def float_wav_input(ctx: Ctx) -> Ran:
    # The fixture's first sentence and a second of quiet: the free recognizer's CPU goes with the
    # speech it hears, and it hears this twice (here, and the 16-bit original in float_wav_then).
    with wave.open(str(FIXTURES / "ko" / "answer_pause.wav")) as wav, wave.open(str(ctx.tmp / "16.wav"), "wb") as cut:
        cut.setparams(wav.getparams())
        cut.writeframes(wav.readframes(int(wav.getframerate() * 3.6)))
    samples, rate = pcm16(ctx.tmp / "16.wav")
    write_wav(ctx.tmp / "answer.wav", samples, rate, channels=2, kind="float32", extensible=True)
    return cli("listen", "--model", ctx.model, "--input", ctx.tmp / "answer.wav")


def float_wav_then(ctx: Ctx, ran: Ran) -> None:
    expected = heard(ctx.request.getfixturevalue("korean_model"), ctx.tmp / "16.wav")
    assert len(" ".join(expected).split()) >= 4
    assert ran.out.splitlines() == expected  # the same words as the 16-bit original


def unknown_codec(ctx: Ctx) -> Ran:
    write_wav(ctx.tmp / "odd.wav", [0.1] * 16000, 16000, kind="int16", tag=0x1234)
    return cli("listen", "--model", ctx.model, "--input", ctx.tmp / "odd.wav")


ESCAPED_NAME = "no\x1b]0;owned\x07pe\x1b[2J.wav"


def escaped_file_name(ctx: Ctx) -> Ran:
    return cli("listen", "--model", ctx.model, "--input", ctx.tmp / ESCAPED_NAME)


def no_escapes(ctx: Ctx, ran: Ran) -> None:
    assert not any(ch in ran.out + ran.err for ch in "\x1b\x07\x9b")


def text_session(*extra, stdin: str = "stop\n", **options) -> Callable[[Ctx], Ran]:
    def act(ctx: Ctx) -> Ran:
        return cli("checkin", "daily", "--text", "--quiet", *[e(ctx) if callable(e) else e for e in extra],
                   stdin=stdin, **options)
    return act


def log_in_read_only_place(ctx: Ctx) -> Ran:
    prefix = confined(read_only=[ctx.tmp / "locked"])
    return cli("checkin", "daily", "--text", "--quiet", "--log", ctx.tmp / "locked" / "session.jsonl",
               stdin="stop\n", prefix=prefix)


def log_on_full_disk(ctx: Ctx) -> Ran:
    prefix = confined(full=[ctx.tmp / "full"])
    return cli("checkin", "daily", "--text", "--quiet", "--names", "Anna,Ben", "--log", ctx.tmp / "full" / "s.jsonl",
               stdin="tired\nstop\n", prefix=prefix)


def output_on_full_disk(ctx: Ctx) -> Ran:
    prefix = confined(full=[ctx.tmp / "full"])
    return cli("say", "Hello Anna, hello Ben.", "--output", ctx.tmp / "full" / "o.wav", prefix=prefix)


def planted_link(name: str) -> Callable[[Ctx], str]:
    def make(ctx: Ctx) -> str:
        (ctx.tmp / "target").write_text("someone else's file\n")
        (ctx.tmp / name).symlink_to(ctx.tmp / "target")
        return str(ctx.tmp / name)
    return make


def target_untouched(ctx: Ctx, ran: Ran) -> None:
    assert (ctx.tmp / "target").read_text() == "someone else's file\n"


def a_fifo(ctx: Ctx) -> str:
    os.mkfifo(ctx.tmp / "fifo")
    return str(ctx.tmp / "fifo")


def a_folder(ctx: Ctx) -> str:
    (ctx.tmp / "folder").mkdir()
    return str(ctx.tmp / "folder")


def private_file(name: str) -> Callable[[Ctx, Ran], None]:
    def check(ctx: Ctx, ran: Ran) -> None:
        assert stat.S_IMODE((ctx.tmp / name).stat().st_mode) == 0o600
    return check


def spoken_session(fault: str) -> Callable[[Ctx], Ran]:
    def act(ctx: Ctx) -> Ran:
        return cli(*DAILY, "--output", ctx.tmp / "out.wav", stdin="tired\nstop\n", code=fault, timeout=60)
    return act


def say_to(name: Callable[[Ctx], str] | str, **options) -> Callable[[Ctx], Ran]:
    def act(ctx: Ctx) -> Ran:
        return cli("say", "Hello Anna.", "--output", name(ctx) if callable(name) else ctx.tmp / name, **options)
    return act


NAMES = "An\x1b]0;owned\x07na\nGuide: fake line,B\x1b[2J\x1b[Hen\r"


def names_with_escapes(ctx: Ctx) -> Ran:
    return cli("checkin", "daily", "--text", "--quiet", "--names", NAMES, stdin="tired\nstop\n")


def names_then(ctx: Ctx, ran: Ran) -> None:
    no_escapes(ctx, ran)
    lines = ran.out.splitlines()
    assert all(line.startswith(("Guide: ", "  » ")) for line in lines), lines  # no line made up by a name
    assert "Guide: Anna Guide: fake line, how did you feel today?" in lines[3]


def names_not_utf8(ctx: Ctx) -> Ran:
    # A name typed in Latin-1 reaches Python as a lone surrogate: printing, speaking and caching it
    # must not fail.
    return cli("checkin", "daily", "--text", "--names", b"Zo\xeb,Ben", "--output", ctx.tmp / "out.wav",
               stdin="stop\n", env={"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})


def names_not_utf8_then(ctx: Ctx, ran: Ran) -> None:
    assert "Guide: Zo\ufffd, how did you feel today?" in ran.out
    assert wav_seconds(ctx.tmp / "out.wav") > 8


def journal_with_escapes(ctx: Ctx) -> Ran:
    run = cli("checkin", "fronts", "--text", "--quiet",
              stdin=FRONTS.format(action="call her\x1b[2J\x1b]0;owned\x07 tonight", consent="yes"))
    assert run.code == 0 and "\x1b" not in run.out
    return cli("journal")


def journal_then(ctx: Ctx, ran: Ran) -> None:
    no_escapes(ctx, ran)
    assert "  relationships, action: call her tonight" in ran.out  # the words all there, the escapes gone


def stop_signal(signum: int) -> Callable[[Ctx], Ran]:
    def act(ctx: Ctx) -> Ran:
        return signalled(["checkin", "daily", "--text", "--quiet"], "how did you feel", signum)
    return act


def sigterm_in_pause(ctx: Ctx) -> Ran:
    config = ctx.tmp / "config.toml"
    config.write_text('safe_word = "pineapple"\n')
    return signalled(["pause", "--text", "--quiet", "--config", str(config)], "Let's pause here.", signal.SIGTERM)


def pause_still_running(ctx: Ctx, ran: Ran) -> None:
    status = cli("pause", "--status")
    assert status.out.startswith("A pause is running: "), status.out


def fast(seconds: float) -> Callable[[Ctx, Ran], None]:
    def check(ctx: Ctx, ran: Ran) -> None:
        assert ran.seconds < seconds, ran.seconds
    return check


def both(*checks: Callable[[Ctx, Ran], None]) -> Callable[[Ctx, Ran], None]:
    def check_all(ctx: Ctx, ran: Ran) -> None:
        for check in checks:
            check(ctx, ran)
    return check_all


def last_line(key: str) -> Callable[[Ctx, Ran], None]:
    def check(ctx: Ctx, ran: Ran) -> None:
        assert ran.out.splitlines()[-1] == "Guide: " + EN.text(key)
    return check


def long_wav(name: str, minutes: float) -> Callable[[Ctx, Ran], None]:
    def check(ctx: Ctx, ran: Ran) -> None:
        assert wav_seconds(ctx.tmp / name) > minutes * 60
    return check


ROWS = [
    # 1. typed input that is not UTF-8, and a reader that dies
    Row("stdin-latin-1-strict-decoder", stdin_strict_decoder, then=stdin_strict_then),
    Row("stdin-latin-1-c-locale-saved", stdin_c_locale_fronts, then=stdin_c_locale_then),
    Row("stdin-reader-dies", stdin_unreadable, says=lambda ctx: sentence("input_failed"),
        then=both(last_line("checkin.input_ended"), fast(20))),
    Row("microphone-dies", microphone_dead, code=2, says=lambda ctx: sentence("microphone_silent"), then=fast(20)),
    Row("voice-engine-fails", spoken_session(ESPEAK_FAILS), code=2, says=lambda ctx: sentence("voice_failed")),
    Row("voice-thread-dies", spoken_session(VOICE_THREAD_DIES), code=2, says=lambda ctx: sentence("voice_failed"),
        then=fast(20)),
    Row("voice-thread-hangs", spoken_session(VOICE_HANGS), code=2, says=lambda ctx: sentence("voice_failed"),
        then=fast(20)),
    # 2. long text: spoken in pieces, read back shortened, saved whole
    Row("voice-17000-characters", voice_long_utterance, then=long_wav("long.wav", minutes=10)),
    Row("long-action-read-back-short-saved-whole", long_fronts_action, then=long_fronts_then),
    # 3. the voice cache: corrupt entries heal, stale temporaries go
    Row("cache-corrupt-entries-heal", cache_corrupt, then=cache_corrupt_then),
    Row("cache-stale-temporaries-cleaned", stale_temporaries, then=stale_then),
    # 4. privacy: a read-back is never cached
    Row("read-back-never-cached", read_back_private, then=read_back_private_then),
    # 5. audio input: float WAV, an unknown codec, a name with escapes
    Row("input-float32-stereo-wav", float_wav_input, then=float_wav_then, slow=True),
    Row("input-unknown-wav-codec", unknown_codec, code=2,
        says=lambda ctx: sentence("bad_input", path=ctx.tmp / "odd.wav")),
    Row("input-name-with-escapes", escaped_file_name, code=2,
        says=lambda ctx: printable(sentence("no_input_file", path=ctx.tmp / ESCAPED_NAME)), then=no_escapes),
    # 6. --log and --output: every bad place one sentence; private files; no links; full disks
    Row("log-missing-folder", text_session("--log", lambda ctx: str(ctx.tmp / "nope" / "s.jsonl")), code=2,
        says=lambda ctx: sentence("bad_log", path=ctx.tmp / "nope" / "s.jsonl")),
    Row("log-is-a-folder", text_session("--log", a_folder), code=2,
        says=lambda ctx: sentence("bad_log", path=ctx.tmp / "folder")),
    Row("log-read-only-place", log_in_read_only_place, code=2,
        says=lambda ctx: sentence("bad_log", path=ctx.tmp / "locked" / "session.jsonl")),
    Row("log-planted-link", text_session("--log", planted_link("s.jsonl")), code=2,
        says=lambda ctx: sentence("symlink_refused", path=ctx.tmp / "s.jsonl"), then=target_untouched),
    Row("log-fifo-nobody-reads", text_session("--log", a_fifo, timeout=30), code=2,
        says=lambda ctx: sentence("bad_log", path=ctx.tmp / "fifo")),
    Row("log-private-0600", text_session("--log", lambda ctx: str(ctx.tmp / "s.jsonl"), umask=0),
        then=private_file("s.jsonl")),
    Row("log-full-disk-session-goes-on", log_on_full_disk,
        says=lambda ctx: sentence("log_stopped", path=ctx.tmp / "full" / "s.jsonl"),
        then=last_line("checkin.stopped")),
    Row("output-missing-folder", say_to("nope/o.wav"), code=2,
        says=lambda ctx: sentence("bad_output", path=ctx.tmp / "nope" / "o.wav")),
    Row("output-is-a-folder", say_to(a_folder), code=2,
        says=lambda ctx: sentence("bad_output", path=ctx.tmp / "folder")),
    Row("output-planted-link", say_to(planted_link("o.wav")), code=2,
        says=lambda ctx: sentence("symlink_refused", path=ctx.tmp / "o.wav"), then=target_untouched),
    Row("output-private-0600", say_to("o.wav", umask=0), then=private_file("o.wav")),
    Row("output-full-disk", output_on_full_disk, code=2,
        says=lambda ctx: sentence("write_failed", path=ctx.tmp / "full" / "o.wav")),
    Row("cache-read-only-home", read_only_home, says=lambda ctx: sentence("voice_cache_off", path=home_cache(ctx)),
        among_others=True, then=spoken_without_cache),
    Row("cache-full-disk", full_cache_disk, says=lambda ctx: sentence("voice_cache_off", path=home_cache(ctx)),
        then=spoken_without_cache),
    # 7. escapes in names and in the journal
    Row("names-with-escapes-and-newlines", names_with_escapes, then=names_then),
    Row("names-not-utf-8", names_not_utf8, then=names_not_utf8_then),
    Row("journal-with-escapes", journal_with_escapes, then=journal_then),
    # 8. SIGTERM and SIGHUP: like Ctrl-C, with the shell's codes
    Row("sigterm-while-listening", stop_signal(signal.SIGTERM), code=143, says=lambda ctx: sentence("interrupted")),
    Row("sighup-while-listening", stop_signal(signal.SIGHUP), code=129, says=lambda ctx: sentence("interrupted")),
    Row("sigterm-keeps-a-running-pause", sigterm_in_pause, code=143, says=lambda ctx: sentence("interrupted"),
        then=pause_still_running),
]


@pytest.mark.parametrize("row", [pytest.param(row, id=row.id, marks=[pytest.mark.slow] if row.slow else [])
                                 for row in ROWS])
@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning",
                            "error::pytest.PytestUnhandledThreadExceptionWarning")
def test_every_failure_is_one_calm_sentence_and_nothing_is_lost(row, tmp_path, model_loaded_once, request):
    ctx = Ctx(tmp_path, model_loaded_once, request)
    ran = row.act(ctx)
    assert ran.code == row.code, ran.err
    assert "Traceback" not in ran.err and "Exception ignored" not in ran.err, ran.err
    if row.among_others:
        lines = ran.err.strip().splitlines()
        assert lines.count(row.says(ctx)) == 1 and all(is_a_pack_sentence(line) for line in lines), ran.err
    else:
        assert ran.err.strip() == (row.says(ctx) if row.says else ""), ran.err
    row.then(ctx, ran)


# --- the parts underneath, without a subprocess ------------------------------------------------
SINE = [0.5 * math.sin(2 * math.pi * 440 * i / 16000) for i in range(1600)]


@pytest.mark.parametrize("kind, channels, extensible", [
    ("float32", 1, False), ("float32", 2, True), ("float64", 3, False), ("int24", 2, False), ("uint8", 1, False),
    ("int16", 6, True)])
def test_wav_formats_are_read_as_the_same_16_bit_mono(tmp_path, kind, channels, extensible):
    from assistant.audio.convert import read_audio_file

    audio = read_audio_file(write_wav(tmp_path / "x.wav", SINE, 16000, channels, kind, extensible))
    samples = array("h", audio.data)
    tolerance = 400 if kind == "uint8" else 3  # 8 bits: steps of 256
    assert audio.rate == 16000 and len(samples) == len(SINE)
    assert max(abs(s - x * 32767) for s, x in zip(samples, SINE)) <= tolerance


def test_a_long_wav_is_streamed_not_held_in_memory(tmp_path):
    from assistant.audio.sources import FileSource

    path = tmp_path / "hour.wav"
    rate, channels, seconds = 48000, 2, 120  # 23 MB of 48 kHz stereo
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels), wav.setsampwidth(2), wav.setframerate(rate)
        second = array("h", [1000, -1000] * rate).tobytes()
        for _ in range(seconds):
            wav.writeframes(second)
    tracemalloc.start()
    try:
        source = FileSource(path, 1.0)
        chunks = 0
        while not source.ended:
            chunk = source.read(0.1)
            chunks += 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert source.rate == 48000 and chunk.data == bytes(len(chunk.data))  # the silent tail
    assert chunks == seconds * 10 + 10
    assert peak < 2_000_000  # a few chunks at a time, not 23 MB


def test_printable_keeps_words_and_drops_escapes_and_controls():
    assert printable("Anna\x1b]0;title\x07 and\tBen\n\x1b[2Jhi\x00\u202e") == "Anna and Ben hi  "
    assert printable("Zoë 🌷 née Ñ") == "Zoë 🌷 née Ñ"


def test_long_text_is_cut_at_sentence_ends_then_at_spaces_within_the_bound():
    from assistant.speech.voice import PIECE_CHARS, pieces

    assert pieces("Short one. Another.") == ["Short one. Another."]
    text = "A sentence that ends here. " * 40 + "word " * 300 + "x" * 900
    parts = pieces(text)
    assert all(0 < len(p) <= PIECE_CHARS for p in parts)
    assert " ".join(parts).replace(" ", "") == text.replace(" ", "")
    assert parts[0].endswith("ends here.")


def test_only_sentences_that_carry_an_answer_are_private(tmp_path):
    from assistant.clock import SimulatedClock
    from assistant.events import Answer, Command
    from assistant.exercises.checkin import Checkin, fronts_plan
    from assistant.store import Journal
    from fakes import PrintedVoice, RecordingOutput, ScriptedEar, fake_session

    clock = SimulatedClock()
    voice = PrintedVoice()
    answers = [Answer(f"zebra {i}") for i in range(7)] + [Answer("word " * 100), Command("no")]
    with fake_session(EN, clock, ScriptedEar(clock, answers), voice, RecordingOutput(clock),
                      Journal(tmp_path / "journal.json")) as session:
        session.conductor.run(Checkin(fronts_plan(EN.items("checkin.fronts.fronts"))))
    assert voice.private == ["For relationships: zebra 1", "For sex: zebra 3", "For work: zebra 5",
                             "For inner calm: " + ("word " * 40).strip() + ", and more, as you said it."]
    assert not any("zebra" in text or "word" in text for text in voice.spoken if text not in voice.private)
