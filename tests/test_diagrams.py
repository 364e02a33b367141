"""The state diagrams in the README are drawn from the code and must match it."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_the_readme_diagrams_are_up_to_date():
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "update_diagrams.py"), "--check"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_the_mirror_diagram_shows_every_state_and_the_correction_loop():
    sys.path.insert(0, str(ROOT / "scripts"))
    from update_diagrams import mermaid

    from assistant.exercises.mirror import STATES

    drawing = mermaid("mirror")
    assert drawing.startswith("---\nmirror\n---\nstateDiagram-v2")
    for state in STATES:
        assert f'state "{state}" as {state}' in drawing
    assert "confirming --> clarifying: answered [_bare_no]" in drawing
    assert "clarifying --> reflecting:" in drawing
