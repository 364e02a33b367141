"""What the assistant keeps on disk: written atomically, readable by the user alone."""
from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any


def write_json_atomically(path: Path, data: Any) -> None:
    """Write to a private temporary file beside `path`, flush it to disk, then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, scratch = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(data, file, ensure_ascii=False, indent=2)
            file.flush()
            os.fsync(file.fileno())
        os.replace(scratch, path)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise


def read_json(path: Path, default: Any) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default


class Journal:
    """The user's journal: only written after a spoken yes."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def entries(self) -> list[dict[str, Any]]:
        return read_json(self.path, [])

    def add(self, kind: str, items: list[tuple[str, str]], when: datetime) -> None:
        entry = {"date": when.isoformat(timespec="minutes"), "kind": kind,
                 "items": [{"label": label, "text": text} for label, text in items]}
        write_json_atomically(self.path, [*self.entries(), entry])
