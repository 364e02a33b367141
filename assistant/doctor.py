"""`assistant doctor`: the whole set-up in one table, a row each; every failing row names its fix.

A row is "ok", "fail" (something a session needs is missing or broken) or "note" (missing, but
needed only by some: ffmpeg for audio files that are not WAV, the model of a language you don't
use). The exit code is 0 only when no row fails.
"""
from __future__ import annotations

import importlib
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import threading
from array import array
from dataclasses import dataclass
from pathlib import Path

from .content import available_languages, load_pack
from .errors import UserError
from .model_check import check_model
from .models import find_model
from .settings import Settings, config_file, espeak_voices
from .terminal import TERMINAL
from .text import printable

OK, FAIL, NOTE = "ok", "fail", "note"
MIN_FREE = 200 << 20  # bytes: less than this free in a folder the assistant writes to fails
LISTEN_SECONDS = 1.0  # how long the microphone is listened to
MODULES = ("vosk", "pyttsx3", "sounddevice", "pydub", "transitions", "tomlkit", "requests", "tqdm")


@dataclass(frozen=True)
class Row:
    check: str  # what was checked
    status: str  # OK, FAIL or NOTE
    detail: str  # what was found, and for a failing row what to do


class Doctor:
    def __init__(self, settings: Settings, config_path: Path | None, config_problem: UserError | None) -> None:
        self.settings = settings
        self.pack = load_pack(settings.lang)
        self.config_path = config_path
        self.config_problem = config_problem
        self.rows: list[Row] = []

    def t(self, key: str, **values) -> str:
        return self.pack.text(key, **values)

    def add(self, check: str, status: str, detail: str) -> None:
        self.rows.append(Row(check, status, detail))

    def run(self) -> list[Row]:
        for part in (self.python, self.espeak, self.audio, self.ffmpeg, self.models, self.config, self.folders):
            part()
        return self.rows

    # --- the rows ------------------------------------------------------------------------------
    def python(self) -> None:
        version = ".".join(map(str, sys.version_info[:3]))
        missing = [name for name in MODULES if importlib.util.find_spec(name) is None]
        if sys.version_info < (3, 10):  # noqa: UP036 - said, not assumed, where an old Python runs this
            self.add("Python", FAIL, self.t("doctor.python_old", version=version))
        elif missing:
            self.add("Python", FAIL, self.t("doctor.python_modules", version=version, modules=", ".join(missing)))
        else:
            self.add("Python", OK, version)

    def espeak(self) -> None:
        try:
            importlib.import_module("pyttsx3.drivers._espeak")  # what the voice itself loads
            library = True
        except Exception:
            library = False
        program = shutil.which("espeak-ng")
        if not library:
            self.add("espeak-ng", FAIL, self.t("doctor.espeak_missing"))
            return
        version = ""
        if program:
            try:
                version = subprocess.run([program, "--version"], capture_output=True, text=True,
                                         timeout=10).stdout.split("Data at")[0].strip()
            except (OSError, subprocess.SubprocessError):
                pass
        self.add("espeak-ng", OK, version or self.t("doctor.found"))
        known = espeak_voices()
        for lang in available_languages():
            voice = load_pack(lang).text("voice.guide")
            label = self.t("doctor.voice_check", lang=lang)
            if known is None:
                self.add(label, NOTE, self.t("doctor.voice_unknown", voice=voice))
            elif voice.lower() in known[0]:
                self.add(label, OK, voice)
            else:
                self.add(label, FAIL, self.t("doctor.voice_missing", voice=voice))

    def audio(self) -> None:
        try:
            import sounddevice as sd
        except (ImportError, OSError):
            self.add("PortAudio", FAIL, self.t("doctor.portaudio_missing"))
            return
        self.add("PortAudio", OK, sd.get_portaudio_version()[1])
        for kind, setting, label, none in (
                ("input", self.settings.input_device, "doctor.input_device", "doctor.no_input_device"),
                ("output", self.settings.output_device, "doctor.output_device", "doctor.no_output_device")):
            device = int(setting) if setting.isdigit() else (setting or None)
            label = self.t(label)
            try:
                found = sd.query_devices(device, kind)
            except Exception:
                self.add(label, FAIL, self.t(none))
                continue
            self.add(label, OK, f"{found['name']}, {found['default_samplerate']:.0f} Hz")
            if kind == "input":
                self.add(self.t("doctor.microphone"), *self._listen(sd, device, int(found["default_samplerate"])))

    def _listen(self, sd, device, rate: int) -> tuple[str, str]:
        """Whether the microphone delivers sound: blocks arrive, and not only zeros."""
        blocks: list[int] = []
        done = threading.Event()

        def callback(data, frames, when, status) -> None:
            samples = array("h")
            samples.frombytes(bytes(data))
            blocks.append(max(map(abs, samples), default=0))

        try:
            with sd.RawInputStream(samplerate=rate, device=device, channels=1, dtype="int16", callback=callback):
                done.wait(LISTEN_SECONDS)
        except Exception:
            return FAIL, self.t("doctor.microphone_failed")
        if not blocks:
            return FAIL, self.t("doctor.microphone_nothing")
        if max(blocks) == 0:
            return FAIL, self.t("doctor.microphone_silent")
        return OK, self.t("doctor.microphone_sound", peak=f"{max(blocks) / 327.67:.0f}")

    def ffmpeg(self) -> None:
        if shutil.which("ffmpeg"):
            self.add("ffmpeg", OK, self.t("doctor.found"))
        else:
            self.add("ffmpeg", NOTE, self.t("doctor.ffmpeg_missing"))

    def models(self) -> None:
        for lang in available_languages():
            pack = load_pack(lang)
            label = self.t("doctor.model_check", lang=lang)
            needed = lang == self.settings.lang
            path = find_model(self.settings.models_dir, lang, self.settings.data_dir)
            if path is None:
                self.add(label, FAIL if needed else NOTE, self.t("doctor.model_missing", lang=lang))
                continue
            commands = sorted({w for said in pack.commands().values() for p in said for w in p.split()})
            safe_word = [self.settings.safe_word.lower()] if self.settings.safe_word and needed else []
            report = check_model(path, commands + safe_word)
            if not report.loads:
                self.add(label, FAIL, self.t("doctor.model_broken", path=path, lang=lang))
                continue
            self.add(label, OK, str(path))
            self.add(self.t("doctor.grammar_check", lang=lang), OK if report.grammar else (FAIL if needed else NOTE),
                     self.t("doctor.grammar_yes") if report.grammar else self.t("doctor.grammar_no", lang=lang))
            missing = [w for w in report.missing if w not in safe_word]
            self.add(self.t("doctor.words_check", lang=lang), FAIL if missing and needed else NOTE if missing else OK,
                     self.t("doctor.words_missing", words=", ".join(missing), lang=lang) if missing
                     else self.t("doctor.words_known"))
            if safe_word:
                known = not set(safe_word) & set(report.missing)
                self.add(self.t("doctor.safe_word_check"), OK if known else FAIL,
                         self.t("doctor.safe_word_known", word=self.settings.safe_word) if known
                         else self.t("doctor.safe_word_unknown", word=self.settings.safe_word))
        if not self.settings.safe_word:
            self.add(self.t("doctor.safe_word_check"), NOTE, self.t("doctor.safe_word_none"))

    def config(self) -> None:
        path = config_file(self.config_path)
        if self.config_problem is not None:
            self.add(self.t("doctor.config_check"), FAIL, self.config_problem.sentence(self.pack))
        elif path.exists():
            self.add(self.t("doctor.config_check"), OK, str(path))
        else:
            self.add(self.t("doctor.config_check"), OK, self.t("doctor.config_defaults", path=path))

    def folders(self) -> None:
        for key, folder in (("state_dir", self.settings.state_dir), ("data_dir", self.settings.data_dir),
                            ("cache_dir", self.settings.cache_dir)):
            place = folder
            while not place.exists() and place != place.parent:
                place = place.parent
            try:
                with tempfile.TemporaryFile(dir=place):
                    pass
                free = shutil.disk_usage(place).free
            except OSError:
                self.add(key, FAIL, self.t("doctor.folder_read_only", path=folder))
                continue
            shown = f"{free / 1e9:.1f} GB" if free >= 1e9 else f"{free / 1e6:.0f} MB"
            if free < MIN_FREE:
                self.add(key, FAIL, self.t("doctor.folder_full", path=folder, free=shown))
            else:
                self.add(key, OK, self.t("doctor.folder_ok", path=folder, free=shown))


def table(rows: list[Row], pack) -> str:
    marks = {OK: pack.text("doctor.ok"), FAIL: pack.text("doctor.fail"), NOTE: pack.text("doctor.note")}
    width = max([len(r.check) for r in rows] + [len(pack.text("doctor.check"))])
    mark_width = max([len(m) for m in marks.values()] + [len(pack.text("doctor.status"))])
    head = (f"{pack.text('doctor.check'):<{width}}  {pack.text('doctor.status'):<{mark_width}}  "
            f"{pack.text('doctor.detail')}")
    lines = [head, "-" * len(head)]
    lines += [printable(f"{r.check:<{width}}  {marks[r.status]:<{mark_width}}  {r.detail}") for r in rows]
    return "\n".join(lines)


def doctor(settings: Settings, config_path: Path | None, config_problem: UserError | None) -> int:
    pack = load_pack(settings.lang)
    rows = Doctor(settings, config_path, config_problem).run()
    TERMINAL.line(table(rows, pack))
    failed = sum(r.status == FAIL for r in rows)
    TERMINAL.line(pack.text("doctor.all_well") if not failed else pack.text("doctor.some_failed", count=failed))
    return 1 if failed else 0
