"""Load a vosk model once, in a process of its own, and say what it can do.

Kaldi aborts the whole process on some broken models (an assertion, not an exception), so the
install check and `assistant doctor` load the model here, in a child process: a crash is then
"does not load", never the end of the command that asked.

    python -m assistant.model_check MODEL_FOLDER [WORD ...]

prints one JSON object: {"loads": true, "grammar": true, "missing": ["word", ...]}.
"""
from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

LOAD_TIMEOUT = 900.0  # seconds: the largest official models take a few minutes on a slow disk
GRAMMAR_FILES = ("graph/HCLr.fst", "graph/Gr.fst")  # a dynamic graph: grammars work


@dataclass(frozen=True)
class ModelReport:
    loads: bool
    grammar: bool = False  # grammars (control words, the safe word) work with it
    missing: list[str] = field(default_factory=list)  # the words asked about that it does not know


def has_grammar(path: Path) -> bool:
    return all((path / name).is_file() for name in GRAMMAR_FILES)


def check_model(path: Path, words: Sequence[str] = ()) -> ModelReport:
    """Load the model at `path` in a child process; `words`: which of these it doesn't know."""
    try:
        # Run from the folder that holds this package, so a folder named "assistant" where the
        # user happens to be can't stand in for it.
        run = subprocess.run([sys.executable, "-m", "assistant.model_check", str(path.absolute()), *words],
                             capture_output=True, text=True, timeout=LOAD_TIMEOUT, encoding="utf-8",
                             cwd=Path(__file__).resolve().parents[1])
        result = json.loads(run.stdout.strip().splitlines()[-1]) if run.returncode == 0 else {}
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        result = {}
    if not result.get("loads"):
        return ModelReport(False)
    return ModelReport(True, bool(result.get("grammar")), list(result.get("missing", [])))


def main(argv: list[str]) -> int:
    path, words = Path(argv[0]), argv[1:]
    import vosk

    vosk.SetLogLevel(-2)
    try:
        model = vosk.Model(str(path))
    except Exception:
        print(json.dumps({"loads": False}))
        return 0
    missing = [w for w in words if model.vosk_model_find_word(w) == -1]
    print(json.dumps({"loads": True, "grammar": has_grammar(path), "missing": missing}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
