"""Link the short citations in every lesson and (re)write each lesson's References cell.

Run from the project root, after any change to a lesson's text or to
``lbp_workbook/data/references.json``::

    python tools/citations.py            # rewrite the notebooks that need it
    python tools/citations.py --check    # change nothing; exit 1 if a notebook is out of date
    make citations                       # the same as the first line, in the project's venv

For every markdown cell of every notebook in ``notebooks/`` it links each short
citation ("(Heino et al. 1990)", "(Gajdosik et al. 1994; Muyor et al. 2011)",
"Esola et al. (1996)", "Grenier & McGill 2007") to its entry, and writes one
final markdown cell, "References", listing exactly the works the notebook cites
(the cell goes after the Key points cell and its link to the next module; a
notebook that cites nothing gets none). It is idempotent: the links it wrote
are taken out before linking again, and a notebook is only written when its
text changes. A citation that matches no entry in references.json is listed
and the exit code is 1: add the work to the data file (or fix the citation)
and run it again.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from lbp_workbook.course.citations import (  # noqa: E402
    REFERENCES_HEADING,
    link_citations,
    references,
    references_markdown,
)

#: The id of the references cell this tool writes.
CELL_ID = "references"


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def is_references_cell(cell: dict) -> bool:
    """True for the cell this tool writes (by its id, or by its heading)."""
    return cell.get("cell_type") == "markdown" and (
        cell.get("id") == CELL_ID or _source(cell).startswith(REFERENCES_HEADING + "\n")
    )


def process_notebook(nb: dict, refs=None) -> tuple[dict, list[tuple[int, str]]]:
    """Link the citations of a notebook (a parsed .ipynb) and set its References cell.

    Returns
    -------
    (dict, list of (int, str))
        The new notebook, and every citation that matched no entry, with the
        index of its cell.
    """
    refs = references() if refs is None else refs
    cells = [c for c in nb["cells"] if not is_references_cell(c)]
    cited: list[str] = []
    unresolved: list[tuple[int, str]] = []
    new_cells = []
    for i, cell in enumerate(cells):
        if cell.get("cell_type") != "markdown":
            new_cells.append(cell)
            continue
        text = _source(cell)
        linked, cites = link_citations(text, refs)
        for c in cites:
            if c.key is None:
                unresolved.append((i, c.text))
            elif c.key not in cited:
                cited.append(c.key)
        if linked != text:
            cell = {**cell, "source": _lines(linked)}
        new_cells.append(cell)
    if cited:
        new_cells.append({
            "cell_type": "markdown",
            "id": CELL_ID,
            "metadata": {},
            "source": _lines(references_markdown(cited, refs)),
        })
    return {**nb, "cells": new_cells}, unresolved


def dump(nb: dict) -> str:
    """A notebook as nbformat writes it (indent 1, sorted keys, UTF-8, final newline)."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def lesson_paths(folder: Path) -> list[Path]:
    """Every notebook in the lessons folder."""
    return sorted(folder.glob("*.ipynb"))


def run(folder: Path, check: bool = False, out=sys.stdout) -> int:
    """Process every notebook in ``folder``; return the exit code (0 = nothing to do or done)."""
    refs = references()
    changed, problems = [], []
    for path in lesson_paths(folder):
        old = json.loads(path.read_text(encoding="utf-8"))
        new_nb, unresolved = process_notebook(old, refs)
        problems += [(path.name, i, text) for i, text in unresolved]
        if new_nb != old:  # compare contents: a notebook that needs nothing is never rewritten
            changed.append(path.name)
            if not check:
                path.write_text(dump(new_nb), encoding="utf-8")
    verb = "out of date" if check else "rewritten"
    print(f"{len(changed)} notebook(s) {verb}" + (f": {', '.join(changed)}" if changed else ""), file=out)
    for name, i, text in problems:
        print(f"UNRESOLVED {name} cell {i}: {text!r} matches no entry in references.json", file=out)
    return 1 if problems or (check and changed) else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a notebook would change")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks",
                        help="the lessons folder (default: notebooks/)")
    args = parser.parse_args(argv)
    return run(args.notebooks, check=args.check)


if __name__ == "__main__":
    raise SystemExit(main())
