"""Write the repeated furniture of every numbered lesson (house style item 10).

Run from the project root::

    python tools/furniture.py            # rewrite the lessons that need it
    python tools/furniture.py --check    # change nothing; exit 1 if a lesson is out of date
    make furniture                       # the same as the first line, in the project's venv

A numbered lesson is ``notebooks/NN_name.ipynb``; their order is the module order, so the
lesson at position N (from 1) is "Module N of M". In each lesson the tool

- rewrites the "Module N of M" part of the italic line under the title (the time estimate
  and the rest of the line are the author's);
- writes the two fixed headings as ``## Learning objectives`` and ``## Key points``, and
  starts every objective with a capital verb (``- **Describe** ...``) ending in a full stop;
- writes the ``**Next:** [Module N+1: title](file)`` line at the end of the Key points
  cell, the title taken from the next lesson's heading (the part before a colon). The last
  lesson keeps its own closing line instead.

It is idempotent: a second run changes nothing, and a lesson is written only when its
text changes. ``tests/test_lesson_skeleton.py`` checks every lesson against it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

MODULE_LINE = re.compile(r"^\*Module \d+ of \d+( · .*)\*$", re.M)
OBJECTIVES = re.compile(r"^#{2,4} +learning objectives *$", re.M | re.I)
KEY_POINTS = re.compile(r"^#{2,4} +key points *$", re.M | re.I)
NEXT_LINE = re.compile(r"^\*\*Next:\*\* .*$", re.M)
BULLET_VERB = re.compile(r"^- \*\*([a-z])")


def lessons(folder: Path = NOTEBOOKS) -> list[Path]:
    """The numbered lessons (``NN_name.ipynb``), in module order."""
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _set_source(cell: dict, text: str) -> None:
    lines = text.splitlines(keepends=True)
    cell["source"] = lines if isinstance(cell.get("source"), list) else text


def title(nb: dict) -> str:
    """The lesson's title: its first ``# `` heading."""
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            match = re.search(r"^# +(.+?) *$", _source(cell), re.M)
            if match:
                return match.group(1)
    raise ValueError("the lesson has no '# ' title")


def short_title(nb: dict) -> str:
    """The title before any colon, first letter lower-case: 'the core and its neighbours'."""
    head = title(nb).split(":")[0].strip()
    return head[:1].lower() + head[1:]


def _objectives(text: str) -> str:
    """Capital verbs and full stops for the bullets under the objectives heading."""
    match = OBJECTIVES.search(text)
    if not match:
        return text
    start = match.end()
    end = re.search(r"^#", text[start:], re.M)
    stop = start + end.start() if end else len(text)
    lines = text[start:stop].split("\n")
    for i, line in enumerate(lines):
        if line.startswith("- "):
            lines[i] = BULLET_VERB.sub(lambda m: "- **" + m.group(1).upper(), line)
    # the line before each bullet (after the first) and the block's last text line end a bullet
    text_lines = [i for i, line in enumerate(lines) if line.strip()]
    first_bullet = next((i for i, line in enumerate(lines) if line.startswith("- ")), None)
    if first_bullet is not None:
        ends = [i - 1 for i, line in enumerate(lines) if line.startswith("- ") and i > first_bullet]
        if text_lines:
            ends.append(text_lines[-1])
        for i in ends:
            if lines[i].rstrip().endswith(";"):
                lines[i] = lines[i].rstrip()[:-1] + "."
    return text[:start] + "\n".join(lines) + text[stop:]


def furnish(nb: dict, number: int, total: int, next_link: tuple[str, str] | None) -> dict:
    """Return the lesson with its furniture written (the input is not changed).

    Parameters
    ----------
    nb : dict
        The notebook, as read from JSON.
    number, total : int
        Its module number (from 1) and the number of modules.
    next_link : (title, file name) or None
        The next module's short title and file; None for the last module.
    """
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = _source(cell)
        new = MODULE_LINE.sub(lambda m: f"*Module {number} of {total}{m.group(1)}*", text)
        new = OBJECTIVES.sub("## Learning objectives", new)
        new = _objectives(new)
        if KEY_POINTS.search(new):
            new = KEY_POINTS.sub("## Key points", new)
            if next_link is not None:
                line = f"**Next:** [Module {number + 1}: {next_link[0]}]({next_link[1]})"
                if NEXT_LINE.search(new):
                    new = NEXT_LINE.sub(lambda _m: line, new)
                else:
                    new = new.rstrip("\n") + "\n\n" + line
        if new != text:
            _set_source(cell, new)
    return nb


def dumps(nb: dict) -> str:
    """The notebook as the repository stores it (nbformat's layout)."""
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def render_all(folder: Path = NOTEBOOKS) -> dict[Path, tuple[str, str]]:
    """Map each lesson to (stored text, furnished text)."""
    paths = lessons(folder)
    books = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    out = {}
    for i, (path, nb) in enumerate(zip(paths, books)):
        nxt = (short_title(books[i + 1]), paths[i + 1].name) if i + 1 < len(paths) else None
        out[path] = (path.read_text(encoding="utf-8"), dumps(furnish(nb, i + 1, len(paths), nxt)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if out of date")
    args = parser.parse_args(argv)
    stale = []
    for path, (old, new) in render_all().items():
        if old != new:
            stale.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    verb = "out of date" if args.check else "rewritten"
    for path in stale:
        print(f"{verb}: {path.relative_to(ROOT)}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
