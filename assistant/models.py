"""Where the Vosk speech models live, which one serves a language, and the catalogue of known ones.

Models are looked for in this order; the first place that holds one for the language wins:

1. `--model FOLDER` (checked by the caller);
2. the config's `models_dir`;
3. `ASSISTANT_MODELS`;
4. the user data folder: `models/` in `data_dir` (`$XDG_DATA_HOME/assistant/models`, by default
   `~/.local/share/assistant/models`), where `assistant models install` puts them;
5. Vosk's own places: `VOSK_MODEL_PATH`, `~/.cache/vosk`, `/usr/share/vosk`;
6. `models/` of a source checkout, when the assistant runs from one.

In a place, a folder named after the language (`en`, `nl`) is that language's model; else the
official folder names count (`vosk-model-small-en-us-0.15`), the small model first. Folders whose
name starts with a dot are an install in progress or a removal, and never count.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import UserError

# The small models from the official Vosk model list: the default for each language pack.
MODEL_NAMES = {"en": "vosk-model-small-en-us-0.15", "nl": "vosk-model-small-nl-0.22"}
# Folder name prefixes that count as a model for the language, most specific first.
MODEL_PREFIXES = {"en": ("vosk-model-small-en-us", "vosk-model-en-us", "vosk-model-small-en", "vosk-model-en"),
                  "nl": ("vosk-model-small-nl", "vosk-model-nl")}
# The catalogue's language codes for each language pack.
CATALOGUE_LANGS = {"en": ("en-us",), "nl": ("nl",)}
OFFICIAL_URL = "https://alphacephei.com/vosk/models/"
CATALOGUE_FILE = "model-list.json"
# SHA-256 of official zips, checked before anything else (the catalogue itself only has MD5).
PINNED_SHA256 = {"vosk-model-small-en-us-0.15.zip":
                 "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498"}
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$")  # a model's folder name: no slash, no ".."


@dataclass(frozen=True)
class Entry:
    """One model of the catalogue, in the official model-list.json's terms."""

    name: str  # the folder name, also the zip's name without ".zip"
    lang: str  # the catalogue's language code, for example "en-us"
    url: str  # where the zip is
    size: int = 0  # bytes of the zip; 0: not known
    size_text: str = ""  # the size as the catalogue writes it, for example "40M"
    md5: str = ""  # the zip's MD5, hex; "": not known
    type: str = ""  # "small", "big", "big-lgraph", ...
    obsolete: bool = False

    @property
    def zip_name(self) -> str:
        return self.url.rstrip("/").rpartition("/")[2] or f"{self.name}.zip"

    @property
    def language(self) -> str | None:
        """The language pack it serves, or None."""
        return next((lang for lang, codes in CATALOGUE_LANGS.items() if self.lang in codes), None)


def _official(name: str, lang: str, size_text: str, kind: str) -> Entry:
    return Entry(name, lang, f"{OFFICIAL_URL}{name}.zip", size_text=size_text, type=kind)


# Known without a network: the defaults first, then the larger ones, as the official list has them.
BUILT_IN = (
    _official("vosk-model-small-en-us-0.15", "en-us", "40M", "small"),
    _official("vosk-model-en-us-0.22-lgraph", "en-us", "128M", "big-lgraph"),
    _official("vosk-model-en-us-0.22", "en-us", "1.8G", "big"),
    _official("vosk-model-small-nl-0.22", "nl", "39M", "small"),
    _official("vosk-model-nl-spraakherkenning-0.6-lgraph", "nl", "100M", "big-lgraph"),
    _official("vosk-model-nl-spraakherkenning-0.6", "nl", "860M", "big"),
)


def parse_catalogue(data: object) -> list[Entry]:
    """The entries of a model-list.json (a JSON list of objects); anything odd in one is skipped."""
    entries = []
    for item in data if isinstance(data, list) else ():
        if not isinstance(item, dict):
            continue
        name, url = item.get("name"), item.get("url")
        if not isinstance(name, str) or not NAME.match(name) or not isinstance(url, str):
            continue
        size = item.get("size")
        obsolete = item.get("obsolete")
        entries.append(Entry(
            name=name, lang=str(item.get("lang", "")), url=url,
            size=size if isinstance(size, int) and not isinstance(size, bool) and size > 0 else 0,
            size_text=str(item.get("size_text", "")),
            md5=str(item.get("md5", "")).lower() if re.fullmatch(r"[0-9a-fA-F]{32}", str(item.get("md5", ""))) else "",
            type=str(item.get("type", "")),
            obsolete=obsolete is True or str(obsolete).lower() == "true"))
    return entries


def cached_catalogue_path(cache_dir: Path) -> Path:
    return cache_dir / CATALOGUE_FILE


def known_models(cache_dir: Path) -> list[Entry]:
    """The built-in entries, completed (size, MD5) by the catalogue last downloaded, if any."""
    fetched: dict[str, Entry] = {}
    try:
        text = cached_catalogue_path(cache_dir).read_text(encoding="utf-8")
        fetched = {e.name: e for e in parse_catalogue(json.loads(text))}
    except (OSError, ValueError):
        pass
    merged = [fetched.get(e.name, e) for e in BUILT_IN]
    names = {e.name for e in merged}
    return merged + [e for e in fetched.values() if e.language and not e.obsolete and e.name not in names]


def language_of(name: str) -> str | None:
    """The language pack a model folder serves, from its name."""
    for lang, prefixes in MODEL_PREFIXES.items():
        if name == lang or name.startswith(prefixes):
            return lang
    return None


# --- places ------------------------------------------------------------------------------------
def user_models_dir(data_dir: Path) -> Path:
    return data_dir / "models"


def checkout_models_dir() -> Path | None:
    """`models/` of the source checkout the assistant runs from, or None when it is installed."""
    checkout = Path(__file__).resolve().parents[1]
    return checkout / "models" if (checkout / "pyproject.toml").is_file() else None


def _env_dir(name: str) -> Path | None:
    value = os.environ.get(name, "")
    return Path(value).expanduser().absolute() if value else None


def install_dir(configured: Path | None, data_dir: Path) -> Path:
    """Where `assistant models install` puts models: the folder you chose (`models_dir`, else
    `ASSISTANT_MODELS`), else the user data folder."""
    return configured or _env_dir("ASSISTANT_MODELS") or user_models_dir(data_dir)


def places(configured: Path | None, data_dir: Path) -> list[Path]:
    """Every folder models are looked for in, in order, each once."""
    candidates = [configured, _env_dir("ASSISTANT_MODELS"), user_models_dir(data_dir),
                  _env_dir("VOSK_MODEL_PATH"), Path.home() / ".cache" / "vosk", Path("/usr/share/vosk"),
                  checkout_models_dir()]
    seen: list[Path] = []
    for place in candidates:
        if place is not None and place not in seen:
            seen.append(place)
    return seen


def own_places(configured: Path | None, data_dir: Path) -> list[Path]:
    """The places that are the assistant's own, where `models remove` may delete."""
    own = [configured, _env_dir("ASSISTANT_MODELS"), user_models_dir(data_dir), checkout_models_dir()]
    return [p for p in own if p is not None]


def models_in(place: Path) -> list[Path]:
    """The model folders in one place, hidden (in-progress) ones left out."""
    try:
        return sorted((p for p in place.iterdir() if p.is_dir() and not p.name.startswith(".")),
                      key=lambda p: p.name)
    except OSError:
        return []


def model_in(place: Path, lang: str) -> Path | None:
    """`place/<lang>` or an official model folder for the language, the small one first."""
    folders = models_in(place)
    for folder in folders:
        if folder.name == lang:
            return folder
    for prefix in MODEL_PREFIXES.get(lang, ()):
        for folder in sorted(folders, key=lambda p: p.name, reverse=True):
            if folder.name.startswith(prefix):
                return folder
    return None


def find_model(configured: Path | None, lang: str, data_dir: Path | None = None) -> Path | None:
    """The model a session in `lang` uses (the first place that has one), or None."""
    from .settings import default_data_dir

    for place in places(configured, data_dir or default_data_dir()):
        found = model_in(place, lang)
        if found is not None:
            return found
    return None


def check_explicit(path: Path) -> Path:
    """`--model FOLDER`: it must be a folder; whether it loads is said when it is loaded."""
    if not path.is_dir():
        raise UserError("no_model_folder", path=path)
    return path
