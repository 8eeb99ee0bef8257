"""Every numbered lesson has the house skeleton (house style, Lessons item 1).

Title; "Module N of M · about X min · no coding needed"; ``## Learning objectives``
with 3-4 bullets that start with a capital verb; ``## Key points``; a link to the next
module's file. The furniture is written by tools/furniture.py, so the test also fails
when a lesson is out of date with it (run ``make furniture``).
"""

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import furniture  # noqa: E402  (tools/furniture.py)

LESSONS = furniture.lessons(ROOT / "notebooks")


def _markdown(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def test_lessons_are_found():
    """The glob finds the eight modules (notebooks/00_... to 07_...)."""
    assert len(LESSONS) == 8


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_skeleton_in_order(path):
    number, total = LESSONS.index(path) + 1, len(LESSONS)
    text = "\n\n".join(_markdown(path))
    assert re.match(r"# \S", text), "the first markdown cell starts with the '# ' title"
    assert re.search(rf"^\*Module {number} of {total} · about \d+ min · no coding needed\*$",
                     text, re.M)
    objectives = re.findall(r"^#+ .*objectives.*$", text, re.M | re.I)
    key_points = re.findall(r"^#+ .*key points.*$", text, re.M | re.I)
    assert objectives == ["## Learning objectives"]
    assert key_points == ["## Key points"]
    block = text.split("## Learning objectives", 1)[1].split("\n#", 1)[0]
    bullets = [line for line in block.splitlines() if line.startswith("- ")]
    assert 3 <= len(bullets) <= 4, bullets
    assert all(re.match(r"- \*\*[A-Z]", b) for b in bullets), bullets
    assert text.index("## Learning objectives") < text.index("## Key points")
    tail = text.split("## Key points", 1)[1]
    if number < total:
        nxt = LESSONS[number].name
        assert re.search(rf"^\*\*Next:\*\* \[Module {number + 1}: [^\]]+\]\({re.escape(nxt)}\)$",
                         tail, re.M), f"no link to {nxt} after Key points"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_furniture_is_up_to_date(path):
    """Running tools/furniture.py would change nothing (it is idempotent and was run)."""
    old, new = furniture.render_all(ROOT / "notebooks")[path]
    assert old == new, "run `make furniture`"


def test_furnish_fixes_headings_verbs_and_next_link():
    """A lesson in the old style (### heading, lower-case verbs, stale link) is put right."""
    nb = {"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": [
            "# Start here: the map\n", "*Module 9 of 9 · about 15 min · no coding needed*\n",
            "\n", "### Learning objectives\n", "\n", "- **run** a cell;\n", "- **state** a rule."]},
        {"cell_type": "markdown", "metadata": {}, "source": [
            "### key points\n", "\n", "- One.\n", "\n", "**Next:** [Module 7: old](old.ipynb)"]},
    ]}
    out = furniture.furnish(nb, 1, 8, ("the core", "01_core.ipynb"))
    first, last = ("".join(c["source"]) for c in out["cells"])
    assert "*Module 1 of 8 · about 15 min · no coding needed*" in first
    assert "## Learning objectives\n\n- **Run** a cell.\n- **State** a rule." in first
    assert last.startswith("## Key points")
    assert last.endswith("**Next:** [Module 2: the core](01_core.ipynb)")
    assert furniture.furnish(out, 1, 8, ("the core", "01_core.ipynb")) == out
