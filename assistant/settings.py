"""Settings: defaults, overridden by the config file, overridden by command-line flags.

The config file is TOML at `$XDG_CONFIG_HOME/assistant/config.toml` (or `--config FILE`), with
the field names below as keys, for example `lang = "nl"` and `names = ["Anna", "Ben"]`.
"""
from __future__ import annotations

import dataclasses
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from .content import available_languages, system_language, tomllib
from .errors import UserError


def _xdg(variable: str, fallback: str) -> Path:
    return Path(os.environ.get(variable) or Path.home() / fallback) / "assistant"


def default_models_dir() -> Path:
    """`models/` of the source checkout when run from one, else the user's data folder."""
    if os.environ.get("ASSISTANT_MODELS"):
        return Path(os.environ["ASSISTANT_MODELS"])
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "pyproject.toml").is_file():
        return checkout / "models"
    return _xdg("XDG_DATA_HOME", ".local/share") / "models"


def default_config_path() -> Path:
    return _xdg("XDG_CONFIG_HOME", ".config") / "config.toml"


@dataclass(frozen=True)
class Settings:
    lang: str = field(default_factory=system_language)  # language pack: "en" or "nl"
    names: tuple[str, ...] = ()  # the two partners; empty: "partner one" and "partner two"
    daily_minutes: float = 10.0  # minutes: timebox of the daily check-in
    weekly_minutes: float = 45.0  # minutes: timebox of the weekly check-in, 30 to 45
    mirror_turn_minutes: float = 2.0  # minutes: the longest a speaker's turn in mirroring may last
    end_silence_seconds: float = 2.5  # seconds of quiet after speech that end an answer
    no_answer_seconds: float = 8.0  # seconds with nothing said before the gentle nudge
    safe_word: str = ""  # the couple's safe word; empty: none chosen yet (`assistant safeword`)
    safe_word_partials: int = 2  # consecutive partial results that must hold the safe word
    safe_word_confidence: float = 0.6  # or: its least confidence (0 to 1) in a final result
    pause_minutes: float = 20.0  # minutes: the pause after the safe word (the method asks 20)
    pause_marks_minutes: tuple[float, ...] = (10.0, 5.0, 1.0)  # minutes left that are said aloud; () for none
    pause_calming: bool = True  # say once how to spend the pause
    voice: str = ""  # espeak voice name; empty: the language's own voice
    voice_rate: int = 160  # words per minute
    input_device: str = ""  # sounddevice name or number; empty: the system default
    output_device: str = ""  # sounddevice name or number; empty: the system default
    models_dir: Path = field(default_factory=default_models_dir)  # folder with unzipped vosk models
    data_dir: Path = field(default_factory=lambda: _xdg("XDG_DATA_HOME", ".local/share"))  # journal
    cache_dir: Path = field(default_factory=lambda: _xdg("XDG_CACHE_HOME", ".cache"))  # spoken prompts
    state_dir: Path = field(default_factory=lambda: _xdg("XDG_STATE_HOME", ".local/state"))  # a running pause

    def validate(self, source: Path | None) -> "Settings":
        """Check the values; `source` is the config file they came from, None for the command line."""
        def bad(detail: str) -> UserError:
            if source is None:
                return UserError("bad_flag", detail=detail)
            return UserError("bad_config", path=source, detail=detail)

        if self.lang not in available_languages():
            raise UserError("unknown_lang", lang=self.lang, available=", ".join(available_languages()))
        if self.names and (len(self.names) != 2 or not all(n.strip() for n in self.names)):
            raise bad("names takes two names")
        if not 30 <= self.weekly_minutes <= 45:
            raise bad("weekly_minutes must be between 30 and 45")
        for name in ("daily_minutes", "mirror_turn_minutes", "end_silence_seconds", "no_answer_seconds", "voice_rate",
                     "pause_minutes", "safe_word_partials"):
            if getattr(self, name) <= 0:
                raise bad(f"{name} must be more than zero")
        if self.pause_minutes > 24 * 60:
            raise bad("pause_minutes can be at most a day, 1440")
        if not 0 <= self.safe_word_confidence <= 1:
            raise bad("safe_word_confidence must be between 0 and 1")
        return self

    def replace(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def _coerce(name: str, value: Any, source: Path) -> Any:
    """Check one config value's type against the field's default and convert it."""
    default = Settings.__dataclass_fields__[name]
    kind = type(default.default) if default.default is not dataclasses.MISSING else None
    if name in ("models_dir", "data_dir", "cache_dir", "state_dir"):
        kind = Path
    try:
        if name == "pause_marks_minutes":
            if not isinstance(value, list) or not all(isinstance(v, (int, float)) for v in value):
                raise TypeError
            return tuple(float(v) for v in value)
        if kind is tuple:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise TypeError
            return tuple(value)
        if kind is bool:
            if not isinstance(value, bool):
                raise TypeError
            return value
        if kind is Path:
            return Path(os.path.expanduser(str(value)))
        if kind in (int, float) and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise TypeError
        if kind is str and not isinstance(value, (str, int)):
            raise TypeError
        return kind(value) if kind else str(value)
    except (TypeError, ValueError):
        raise UserError("bad_config", path=source, detail=f"{name} = {value!r} has the wrong type") from None


def load_settings(config_path: Path | None = None) -> Settings:
    """Defaults plus the config file, if there is one."""
    path = config_path or default_config_path()
    if not path.is_file():
        if config_path:
            raise UserError("bad_config", path=path, detail="the file does not exist")
        return Settings()
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as failure:
        raise UserError("bad_config", path=path, detail=str(failure)) from None
    known = {f.name for f in dataclasses.fields(Settings)}
    for name in values:
        if name not in known:
            raise UserError("bad_config", path=path, detail=f"unknown setting '{name}'")
    return Settings(**{name: _coerce(name, value, path) for name, value in values.items()}).validate(path)


def save_setting(config_path: Path | None, name: str, value: Any) -> None:
    """Set one value in the config file (created if needed, readable by the user alone)."""
    path = config_path or default_config_path()
    values = tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    values[name] = value
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, scratch = tempfile.mkstemp(prefix=".config.", dir=path.parent)
    with os.fdopen(handle, "wb") as file:
        tomli_w.dump(values, file)
    os.replace(scratch, path)
