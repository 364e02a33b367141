"""Where the Vosk speech models live and which one serves a language."""
from __future__ import annotations

from pathlib import Path

from .errors import UserError

# The small models from the official Vosk model page, one per language pack.
MODEL_NAMES = {"en": "vosk-model-small-en-us-0.15", "nl": "vosk-model-small-nl-0.22"}
# Folder name prefixes that count as a model for the language, most specific first.
MODEL_PREFIXES = {"en": ("vosk-model-small-en-us", "vosk-model-en-us", "vosk-model-small-en", "vosk-model-en"),
                  "nl": ("vosk-model-small-nl", "vosk-model-nl")}


def find_model(models_dir: Path, lang: str) -> Path | None:
    """`models_dir/<lang>` or an unzipped official model folder for the language, else None."""
    plain = models_dir / lang
    if plain.is_dir():
        return plain
    if not models_dir.is_dir():
        return None
    folders = sorted((p for p in models_dir.iterdir() if p.is_dir()), key=lambda p: p.name, reverse=True)
    for prefix in MODEL_PREFIXES.get(lang, ()):
        for folder in folders:
            if folder.name.startswith(prefix):
                return folder
    return None


def require_model(models_dir: Path, lang: str, language_name: str) -> Path:
    path = find_model(models_dir, lang)
    if path is None:
        raise UserError("no_model", language=language_name, model=MODEL_NAMES[lang], models_dir=models_dir)
    return path
