"""Draw the exercise machines as Mermaid state diagrams, from the code, into the README.

    .venv/bin/python scripts/update_diagrams.py          # rewrite the diagrams in README.md
    .venv/bin/python scripts/update_diagrams.py --check  # exit 1 when README.md is out of date
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transitions.extensions import GraphMachine  # noqa: E402

from assistant.exercises import appreciate, attachment, checkin, checklist, mirror, pausing, remind, safeword  # noqa: E402

README = ROOT / "README.md"
MACHINES = {"checkin": checkin, "mirror": mirror, "pause": pausing, "safeword": safeword, "checklist": checklist,
            "appreciate": appreciate, "attachment": attachment, "remind": remind}


def mermaid(name: str) -> str:
    module = MACHINES[name]

    class Drawing:  # transitions draws a model's machine; callbacks are only named, never run
        pass

    drawing = Drawing()
    GraphMachine(model=drawing, states=module.STATES, transitions=module.TRANSITIONS, initial="ready",
                 auto_transitions=False, graph_engine="mermaid", show_conditions=True, title=name)
    # The style lines only colour the current state, which means nothing in a document.
    lines = [line.rstrip() for line in drawing.get_graph().draw(None).splitlines()
             if not line.strip().startswith(("classDef", "Class "))]
    return "\n".join(line for line in lines if line)


def block(name: str) -> str:
    return f"<!-- diagram:{name} -->\n```mermaid\n{mermaid(name)}\n```\n<!-- /diagram:{name} -->"


def updated(text: str) -> str:
    names = "|".join(map(re.escape, MACHINES))
    pattern = re.compile(rf"<!-- diagram:({names}) -->.*?<!-- /diagram:\1 -->", re.S)
    return pattern.sub(lambda found: block(found.group(1)), text)


def main() -> int:
    text = README.read_text(encoding="utf-8")
    if "--check" in sys.argv:
        if updated(text) != text:
            print("README.md diagrams are out of date: run scripts/update_diagrams.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(updated(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
