"""`assistant models list|install|remove|path` and `assistant doctor`."""
from __future__ import annotations

import argparse
from pathlib import Path

from .content import available_languages, load_pack
from .errors import UserError
from .models import MODEL_NAMES, find_model, install_dir, known_models, language_of, models_in, places
from .settings import Settings
from .terminal import TERMINAL
from .text import printable

LANGUAGE_NAMES = {"en": "models.language_en", "nl": "models.language_nl"}  # each language's name, in any pack


def models(args: argparse.Namespace, settings: Settings) -> None:
    {"list": list_models, "install": install_model, "remove": remove_model, "path": model_path}[
        args.models_command](args, settings)


def list_models(args: argparse.Namespace, settings: Settings) -> None:
    """The known models per language, each with its size and where it is installed; then any
    other model folders found; then where `install` puts them."""
    pack = load_pack(settings.lang)
    found: dict[str, Path] = {}  # name -> folder, the first place wins
    for place in places(settings.models_dir, settings.data_dir):
        for folder in models_in(place):
            found.setdefault(folder.name, folder)
    known = known_models(settings.cache_dir)
    width = max(len(e.name) for e in known)
    shown = set()
    for lang in available_languages():
        in_use = find_model(settings.models_dir, lang, settings.data_dir)
        TERMINAL.line(pack.text(LANGUAGE_NAMES[lang]))
        for entry in (e for e in known if e.language == lang):
            marks = [pack.text("models.default")] if entry.name == MODEL_NAMES[lang] else []
            installed = found.get(entry.name)
            marks.append(pack.text("models.installed_in", path=installed) if installed
                         else pack.text("models.not_installed"))
            if installed is not None and installed == in_use:
                marks.append(pack.text("models.in_use"))
            shown.add(entry.name)
            TERMINAL.line(printable(f"  {entry.name:<{width}}  {entry.size_text or '?':>5}  {', '.join(marks)}"))
        if in_use is not None and in_use.name not in shown:
            shown.add(in_use.name)
            TERMINAL.line(printable(f"  {in_use.name:<{width}}  {'':>5}  "
                                    f"{pack.text('models.installed_in', path=in_use)}, {pack.text('models.in_use')}"))
    others = [folder for name, folder in found.items() if name not in shown]
    if others:
        TERMINAL.line(pack.text("models.others"))
        for folder in others:
            its_lang = language_of(folder.name)
            TERMINAL.line(printable(f"  {folder.name:<{width}}  {its_lang or '':>5}  {folder}"))
    TERMINAL.line(pack.text("models.install_dir", path=install_dir(settings.models_dir, settings.data_dir)))


def install_model(args: argparse.Namespace, settings: Settings) -> None:
    from .install import install

    if not args.target and args.source is None:
        raise UserError("model_what", choices=", ".join(available_languages()))
    install(settings, args.target, args.source)


def remove_model(args: argparse.Namespace, settings: Settings) -> None:
    from .install import remove

    removed = remove(settings, args.name)
    TERMINAL.line(printable(load_pack(settings.lang).text("models.removed", name=args.name, path=removed)))


def model_path(args: argparse.Namespace, settings: Settings) -> None:
    """Without a language: where `install` puts models. With one: the model a session uses."""
    if args.path_lang is None:
        TERMINAL.line(install_dir(settings.models_dir, settings.data_dir))
        return
    lang = args.path_lang.strip().lower()
    if lang not in available_languages():
        raise UserError("unknown_lang", lang=args.path_lang, available=", ".join(available_languages()))
    path = find_model(settings.models_dir, lang, settings.data_dir)
    if path is None:
        raise UserError("no_model", language=load_pack(settings.lang).text(LANGUAGE_NAMES[lang]), lang=lang)
    TERMINAL.line(path)


def doctor(args: argparse.Namespace, settings: Settings) -> int:
    """The exit code: 0 only when all is well."""
    from .doctor import doctor as run

    return run(settings, args.config, getattr(args, "config_problem", None))
