"""Print the command lines of one of the README's marked bash blocks (`<!-- readme-test: NAME -->`),
as written there, so .ci/run can run them: `python scripts/readme_block.py pipx`."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
from model_server import readme_lines  # noqa: E402

print("\n".join(readme_lines(sys.argv[1])))
