"""Settings: defaults, overridden by the config file, overridden by command-line flags.

The config file is TOML at `$XDG_CONFIG_HOME/assistant/config.toml` (or `--config FILE`), with
the field names below as keys, for example `lang = "nl"` and `names = ["Anna", "Ben"]`.
Every number must be finite and within its range in `LIMITS`; folders are full paths (`~` is
expanded, a relative path is refused rather than guessed at); the safe word passes the same
check as in `assistant safeword`. A value that doesn't fit is refused with one sentence.
"""
from __future__ import annotations

import dataclasses
import math
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import platformdirs
import tomlkit

from .content import available_languages, load_pack, locale_tag, system_language, tomllib
from .errors import Detail, UserError
from .method import LONGEST_PAUSE_MINUTES, MIRROR_TURN_MINUTES, PAUSE_MARKS_MINUTES, PAUSE_MINUTES
from .speech.spotter import Spotting
from .speech.turns import TurnTiming
from .text import normalize

# The range of each number: (least, most, whether the least itself is allowed).
LIMITS: dict[str, tuple[float, float, bool]] = {
    "daily_minutes": (0, 180, False),
    "weekly_minutes": (30, 45, True),
    "mirror_turn_minutes": (0, 30, False),
    "end_silence_seconds": (0, 60, False),
    "no_answer_seconds": (0, 600, False),
    "pause_minutes": (0, LONGEST_PAUSE_MINUTES, False),
    "pause_marks_minutes": (0, LONGEST_PAUSE_MINUTES, False),  # each mark
    "voice_rate": (80, 450, True),  # what espeak-ng can speak
    "safe_word_partials": (1, 10, True),
    "safe_word_confidence": (0, 1, True),
}
WHOLE_NUMBERS = ("voice_rate", "safe_word_partials")
FOLDERS = ("models_dir", "data_dir", "cache_dir", "state_dir")
DEVICES = ("input_device", "output_device")  # a name or a number
COUNTRIES = ("nl", "be", "us", "gb", "other")  # the help lines the packs hold (helplines.toml)


# The user's folders, by the XDG variable that names each on Linux, as platformdirs knows them elsewhere.
PLATFORM_DIRS = {"XDG_DATA_HOME": platformdirs.user_data_path, "XDG_CONFIG_HOME": platformdirs.user_config_path,
                 "XDG_CACHE_HOME": platformdirs.user_cache_path, "XDG_STATE_HOME": platformdirs.user_state_path}


def _xdg(variable: str, fallback: str) -> Path:
    """The assistant's folder of one kind: the XDG rule on Linux (a relative value is ignored, as the
    spec says), platformdirs' place elsewhere (~/Library/Application Support on macOS)."""
    if not sys.platform.startswith("linux"):
        return PLATFORM_DIRS[variable]("assistant")
    base = os.environ.get(variable, "")
    if not os.path.isabs(base):
        base = str(Path.home() / fallback)
    return Path(base) / "assistant"


def default_data_dir() -> Path:
    """The user data folder: the journal, and the speech models in its `models/` (see models.py)."""
    return _xdg("XDG_DATA_HOME", ".local/share")


def default_model_url() -> str:
    """Where the model catalogue and zips are: `ASSISTANT_MODEL_URL`, else the official place."""
    return os.environ.get("ASSISTANT_MODEL_URL", "")


def default_config_path() -> Path:
    return _xdg("XDG_CONFIG_HOME", ".config") / "config.toml"


def config_file(config_path: Path | None) -> Path:
    """The config file in use: `--config FILE`, else the default one."""
    return config_path or default_config_path()


@dataclass(frozen=True)
class Settings:
    lang: str = field(default_factory=system_language)  # language pack: "en" or "nl"
    country: str = ""  # whose help lines: "nl", "be", "us", "gb" or "other"; empty: from the language and locale
    names: tuple[str, str] | tuple[()] = ()  # the two partners; empty: "partner one" and "partner two"
    daily_minutes: float = 10.0  # minutes: timebox of the daily check-in, more than 0, at most 180
    weekly_minutes: float = 45.0  # minutes: timebox of the weekly check-in, 30 to 45
    mirror_turn_minutes: float = MIRROR_TURN_MINUTES  # minutes: the longest turn a mirroring speaker has, at most 30
    end_silence_seconds: float = TurnTiming.end_silence  # seconds of quiet after speech that end an answer, at most 60
    no_answer_seconds: float = TurnTiming.no_answer  # seconds with nothing said before the gentle nudge, at most 600
    safe_word: str = ""  # the couple's safe word, one word; empty: none chosen yet (`assistant safeword`)
    safe_word_partials: int = Spotting.partials  # consecutive partial results that must hold the safe word, 1 to 10
    safe_word_confidence: float = Spotting.confidence  # or: its least confidence (0 to 1) in a final result
    pause_minutes: float = PAUSE_MINUTES  # minutes: the pause after the safe word, at most a day
    pause_marks_minutes: tuple[float, ...] = PAUSE_MARKS_MINUTES  # minutes left that are said aloud; () for none
    pause_calming: bool = True  # say once how to spend the pause
    voice: str = ""  # espeak-ng voice name (`espeak-ng --voices=nl`); empty: the language's own voice
    voice_rate: int = 160  # words per minute, 80 to 450
    input_device: str = ""  # sounddevice name or number; empty: the system default
    output_device: str = ""  # sounddevice name or number; empty: the system default
    models_dir: Path | None = None  # a folder of vosk models looked in first; None: the usual places (models.py)
    model_url: str = field(default_factory=default_model_url)  # base URL of model-list.json and the zips; "": official
    data_dir: Path = field(default_factory=default_data_dir)  # the journal, and models/ for installed models
    cache_dir: Path = field(default_factory=lambda: _xdg("XDG_CACHE_HOME", ".cache"))  # spoken prompts
    state_dir: Path = field(default_factory=lambda: _xdg("XDG_STATE_HOME", ".local/state"))  # a running pause

    def validate(self, source: Path | None) -> Settings:
        """Check the values; `source` is the config file they came from, None for the command line."""
        def bad(detail: Detail) -> UserError:
            if source is None:
                return UserError("bad_flag", detail=detail)
            return UserError("bad_config", path=source, detail=detail)

        if self.lang not in available_languages():
            raise UserError("unknown_lang", lang=self.lang, available=", ".join(available_languages()))
        if self.names and (len(self.names) != 2 or not all(n.strip() for n in self.names)):
            raise bad(Detail("settings.names"))
        for name in LIMITS:
            values = getattr(self, name)
            for value in values if isinstance(values, tuple) else (values,):
                if problem := number_problem(name, value):
                    raise bad(problem)
        for name in FOLDERS:
            if getattr(self, name) is not None and not getattr(self, name).is_absolute():
                raise bad(Detail("settings.relative", name=name, value=repr(str(getattr(self, name)))))
        if self.country and self.country not in COUNTRIES:
            raise bad(Detail("settings.country", value=repr(self.country), choices=", ".join(COUNTRIES)))
        if self.model_url and not re.match(r"https?://[^/\s]+", self.model_url):
            raise bad(Detail("settings.url", name="model_url", value=repr(self.model_url)))
        if self.voice and not voice_known(self.voice):
            raise bad(Detail("settings.voice", value=repr(self.voice)))
        if source is not None:
            self.check_safe_word(source)
        return self

    def check_safe_word(self, source: Path) -> None:
        """The configured safe word must pass the set-up's own check in the language in use."""
        if self.safe_word and (problem := safe_word_problem(self.safe_word, self.lang)):
            raise UserError("bad_config", path=source, detail=problem)

    @property
    def help_country(self) -> str:
        """The country whose help lines the guide gives: the setting, else the locale's territory
        (nl_BE is Belgium, en_GB the United Kingdom), else the language's own (nl: the Netherlands)."""
        if self.country:
            return self.country
        territory = locale_tag().split(".")[0].partition("_")[2].lower()
        if territory in COUNTRIES:
            return territory
        return "nl" if self.lang == "nl" else "other"

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def _shown(number: float) -> str:
    return f"{number:g}" if isinstance(number, float) else str(number)


def number_problem(name: str, value: float) -> Detail | None:
    """Why `value` doesn't fit setting `name` (finite, within `LIMITS`, whole where it must be), or None."""
    low, high, low_allowed = LIMITS[name]
    if not math.isfinite(value) or value > high or value < low or (value == low and not low_allowed):
        key = "settings.between" if low_allowed else "settings.positive"
        return Detail(key, name=name, low=_shown(low), high=_shown(high), value=_shown(value))
    if name in WHOLE_NUMBERS and value != int(value):
        return Detail("settings.whole", name=name, value=_shown(value))
    return None


def parse_number(name: str, text: str) -> float:
    """A number typed on the command line for setting `name`; "ten" is refused with a sentence."""
    try:
        return float(text)
    except ValueError:
        raise UserError("bad_flag", detail=Detail("settings.not_number", name=name, value=repr(text))) from None


SAFE_WORD_PROBLEMS = {
    "control": "settings.safe_word_control", "everyday": "settings.safe_word_everyday",
    "short": "settings.safe_word_short", "similar": "settings.safe_word_similar",
}


def safe_word_problem(word: str, lang: str) -> Detail | None:
    """Why `word` can't be the safe word in `lang`, the way `assistant safeword` decides it, or None."""
    from .exercises.safeword import word_problem  # the exercise machinery is needed only here

    words = normalize(word).split()
    if not words:
        return Detail("settings.safe_word_empty")
    if len(words) > 1:
        return Detail("settings.safe_word_words", value=repr(word))
    reason = word_problem(words[0], load_pack(lang), None)
    if reason is None:
        return None
    return Detail(SAFE_WORD_PROBLEMS.get(reason, "settings.safe_word_other"), value=repr(word))


@lru_cache(maxsize=1)
def espeak_voices() -> tuple[frozenset[str], frozenset[str]] | None:
    """(voice names, variant names) espeak-ng offers, lower case; None when they can't be listed."""
    program = shutil.which("espeak-ng")
    if not sys.platform.startswith("linux") or program is None:  # elsewhere pyttsx3 doesn't use espeak-ng
        return None
    try:
        listed = [subprocess.run([program, f"--voices{which}"], capture_output=True, text=True, timeout=10,
                                 check=True).stdout.splitlines()[1:] for which in ("", "=variant")]
    except (OSError, subprocess.SubprocessError):
        return None
    voices: set[str] = set()
    for line in listed[0]:  # Pty Language Age/Gender VoiceName File (Other Languages)
        columns = line.split()
        if len(columns) >= 5:
            voices.update({columns[1], columns[3], columns[4]})
            voices.update(re.findall(r"\(([^ )]+) \d+\)", line))
    variants = {part for line in listed[1] for part in line.split()[3:5]}
    variants |= {part.rpartition("/")[2] for part in variants}
    if not voices:
        return None
    return frozenset(v.lower() for v in voices), frozenset(v.lower() for v in variants)


def voice_known(voice: str) -> bool:
    """Whether espeak-ng has `voice` ("gmw/nl", "Dutch", "nl+f3"); True when it can't tell."""
    known = espeak_voices()
    if known is None:
        return True
    base, plus, variant = voice.strip().lower().partition("+")
    return base in known[0] and (not plus or variant in known[1])


def _coerce(name: str, value: Any, source: Path) -> Any:
    """Check one config value's type against the field's default and convert it."""
    wrong = UserError("bad_config", path=source, detail=Detail("settings.wrong_type", name=name, value=repr(value)))
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    kind = type(Settings.__dataclass_fields__[name].default)
    if name in FOLDERS:
        if not isinstance(value, str):
            raise wrong
        if not os.path.isabs(os.path.expanduser(value)):  # relative to what? refused rather than guessed
            raise UserError("bad_config", path=source, detail=Detail("settings.relative", name=name, value=repr(value)))
        return Path(os.path.expanduser(value))
    if name == "pause_marks_minutes":
        if not isinstance(value, list) or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                  for v in value):
            raise wrong
        return tuple(float(v) for v in value)
    if name == "names":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise wrong
        return tuple(value)
    if kind is bool:
        if not isinstance(value, bool):
            raise wrong
        return value
    if kind in (int, float):
        if not number:
            raise wrong
        if kind is int and isinstance(value, float) and value.is_integer():
            return int(value)
        return value if kind is int else float(value)  # a fractional int setting is refused by validate
    if name in DEVICES and number and isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        raise wrong
    if name == "lang":
        return value.strip().lower()
    if name == "safe_word" and not normalize(value):  # to have none yet, the line is left out
        raise UserError("bad_config", path=source, detail=Detail("settings.safe_word_empty"))
    return value


def _read_config(path: Path, required: bool) -> dict[str, Any] | None:
    """The config file's values; None when the default file isn't there."""
    def bad(detail: Detail) -> UserError:
        return UserError("bad_config", path=path, detail=detail)

    if path.is_dir():
        raise bad(Detail("settings.folder"))
    if not path.exists():
        if required:
            raise bad(Detail("settings.missing"))
        return None
    try:
        raw = path.read_bytes()
    except OSError:
        raise bad(Detail("settings.unreadable")) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise bad(Detail("settings.not_utf8")) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as failure:
        where = re.search(r"line (\d+), column (\d+)", str(failure))
        line, column = (where.groups() if where else (text.count("\n") + 1, len(text.rpartition("\n")[2]) + 1))
        raise bad(Detail("settings.not_toml", line=line, column=column)) from None


def load_settings(config_path: Path | None = None) -> Settings:
    """Defaults plus the config file, if there is one."""
    path = config_file(config_path)
    values = _read_config(path, required=config_path is not None)
    if values is None:
        return Settings()
    try:
        known = {f.name for f in dataclasses.fields(Settings)}
        for name in values:
            if name not in known:
                raise UserError("bad_config", path=path, detail=Detail("settings.unknown", name=name))
        return Settings(**{name: _coerce(name, value, path) for name, value in values.items()}).validate(path)
    except UserError as problem:  # said in the config's own language, when it names one that exists
        lang = values.get("lang")
        if isinstance(lang, str) and lang.strip().lower() in available_languages():
            problem.lang = lang.strip().lower()
        raise


def save_setting(config_path: Path | None, name: str, value: Any) -> None:
    """Set one value in the config file, keeping its comments and layout. A symlinked config (in
    dotfiles) is written through to its target; the file keeps its mode, a new one is 0600."""
    path = Path(os.path.realpath(config_file(config_path)))
    try:
        document = tomlkit.parse(path.read_text(encoding="utf-8-sig")) if path.is_file() else tomlkit.document()
        mode = stat.S_IMODE(path.stat().st_mode) if path.is_file() else 0o600
    except tomlkit.exceptions.ParseError as failure:
        raise UserError("bad_config", path=path,
                        detail=Detail("settings.not_toml", line=failure.line, column=failure.col)) from None
    except (OSError, UnicodeDecodeError):
        raise UserError("bad_config", path=path, detail=Detail("settings.unreadable")) from None
    document[name] = value
    scratch = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, scratch = tempfile.mkstemp(prefix=".config.", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(tomlkit.dumps(document))
            file.flush()
            os.fsync(file.fileno())
        os.chmod(scratch, mode)
        os.replace(scratch, path)  # atomic: the config is the old one or the new one, never half
    except OSError:
        if scratch:
            Path(scratch).unlink(missing_ok=True)
        raise UserError("bad_output", path=path) from None
