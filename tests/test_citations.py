"""Citations in the lessons (lbp_workbook/course/citations.py, tools/citations.py, data/references.json).

Every short citation a learner reads in a lesson links to its entry in that lesson's
References cell; every entry there is cited in the lesson; every entry has a full
citation; the tool that writes the links and the cell changes nothing on a second run.
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from lbp_workbook.course.citations import (
    ANCHOR_PREFIX,
    EVIDENCE_WORDS,
    Reference,
    _index,
    find_citations,
    link_citations,
    references,
    references_markdown,
    strip_links,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("0*.ipynb")) + [NOTEBOOKS / "class_practical.ipynb"]

_spec = importlib.util.spec_from_file_location("citations_tool", ROOT / "tools" / "citations.py")
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)

LINK = re.compile(r"\[([^\]]+)\]\(#" + ANCHOR_PREFIX + r"([a-z0-9-]+)\)")
ANCHOR = re.compile(r'<a id="' + ANCHOR_PREFIX + r'([a-z0-9-]+)"></a>')
# Independent of the module's own parser: "(Name 1990)", "(Name et al. 1990, ...)",
# "(... ; Name & Other 1990)", "Name et al. (1990)".
LOOSE_PAREN = re.compile(r"\([^()]*\b[A-Z][\w'’-]+(?: et al\.?| and colleagues)?,? (?:19|20)\d\d\b[^()]*\)")
LOOSE_NAME_PAREN_YEAR = re.compile(r"\b[A-Z][\w'’-]+(?: et al\.?)? \((?:19|20)\d\d\)")


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _text(cell: dict) -> str:
    return "".join(cell["source"])


def _lesson_markdown(path: Path) -> tuple[list[str], str | None]:
    """The lesson's markdown cells (without its References cell) and that cell's text."""
    body, refs_cell = [], None
    for cell in _cells(path):
        if cell["cell_type"] != "markdown":
            continue
        if tool.is_references_cell(cell):
            refs_cell = _text(cell)
        else:
            body.append(_text(cell))
    return body, refs_cell


# --- the data file ------------------------------------------------------------------


def test_references_every_entry_is_complete():
    """Each work has a unique key, a short citation, a longer full citation, a known
    evidence status and, where given, a web address; nothing names a data file."""
    rows = json.loads((ROOT / "lbp_workbook" / "data" / "references.json").read_text("utf-8"))
    keys = [r["key"] for r in rows["references"]]
    assert len(keys) == len(set(keys))
    for ref in references().values():
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", ref.key), ref.key
        assert ref.short and len(ref.full) > len(ref.short), ref.key
        assert ref.evidence in EVIDENCE_WORDS, ref.key
        assert ref.url is None or ref.url.startswith(("https://", "http://")), ref.key
        for text in (ref.full, ref.note):
            assert "domain.md" not in text and ".json" not in text, ref.key


def test_references_short_citations_resolve_to_themselves():
    """Writing an entry's short citation (or an alias) in a lesson links to that entry,
    so no two works share a first author and year."""
    refs = references()
    assert len(_index(refs)) == len(set(_index(refs).values()))
    for ref in refs.values():
        cites = find_citations(f"as shown ({ref.short}).", refs)
        assert [c.key for c in cites] == [ref.key], ref.short
        for alias in ref.aliases:
            assert [c.key for c in find_citations(f"({alias})", refs)] == [ref.key], alias


@pytest.mark.parametrize("key", [
    "finucane-2020", "heino-1990", "youdas-1996", "youdas-2005", "hayden-2021",
    "saragiotto-2016", "grenier-2007", "saraceni-2020", "may-2012", "sadler-2017",
    "weir-2005", "stratford-1995", "hill-2008", "nice-2016", "girft-2023", "peeler-2008",
    "juan-recio-2022", "kouyoumdjian-2012", "gajdosik-1993", "yildirim-2018",
    "lopez-minarro-2012", "esola-1996", "verhagen-2016", "underwood-2009", "alrwaily-2016",
    "hicks-2005", "mueller-2020", "ostelo-2008", "bohannon-1985", "gajdosik-1994",
    "muyor-2011", "vazirian-2016", "herrington-2011", "preece-2008", "troke-2005",
])
def test_references_hold_the_content_review_sources(key):
    """The works of the content review (issue 9 and domain reference sections 3-5, 7)."""
    assert key in references()


def test_references_lopez_minarro_and_sadler_as_read():
    """López-Miñarro 2012 was read at PMC3588653 (V); Sadler et al. 2017 only in a
    summary (V2), with its odds ratio of about 0.96 per degree in the entry's note."""
    lopez, sadler = references()["lopez-minarro-2012"], references()["sadler-2017"]
    assert "PMC3588653" in lopez.url and lopez.evidence == "V"
    assert "standing" in lopez.full and "sit-and-reach" in lopez.full
    assert sadler.evidence == "V2" and "0.96" in sadler.note


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from _strings(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _strings(value)


def test_references_cover_every_author_year_citation_in_data_docs_and_code():
    """Every author-year citation in the data files, the docs, the README and the
    package's docstrings resolves to an entry (so a lesson can cite any of them)."""
    texts = []
    for path in sorted((ROOT / "lbp_workbook" / "data").rglob("*.json")):
        if path.name != "references.json":
            texts += [(path.name, s) for s in _strings(json.loads(path.read_text("utf-8")))]
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
                 *sorted((ROOT / "lbp_workbook").rglob("*.py"))]:
        texts.append((path.name, path.read_text(encoding="utf-8")))
    missing = {(name, c.text) for name, text in texts for c in find_citations(text) if c.key is None}
    assert not missing


# --- finding and linking ------------------------------------------------------------


def test_find_citations_every_form():
    """The forms the lessons use: parenthesised, several in one bracket, year in brackets,
    two authors with "&", initials before "et al.", accents, and an alias."""
    text = ("no change (Heino et al. 1990; Youdas et al. 1996), as Esola et al. (1996) found; "
            "bracing (Grenier & McGill 2007). Red flags (Finucane LM et al. 2020). "
            "Stretching (Lopez-Minarro 2012) and (López-Miñarro et al. 2012). "
            "The National Strength and Conditioning Association agrees.")
    assert [(c.text, c.key) for c in find_citations(text)] == [
        ("Heino et al. 1990", "heino-1990"),
        ("Youdas et al. 1996", "youdas-1996"),
        ("Esola et al. (1996)", "esola-1996"),
        ("Grenier & McGill 2007", "grenier-2007"),
        ("Finucane LM et al. 2020", "finucane-2020"),
        ("Lopez-Minarro 2012", "lopez-minarro-2012"),
        ("López-Miñarro et al. 2012", "lopez-minarro-2012"),
        ("National Strength and Conditioning Association", "nsca-guide"),
    ]


def test_find_citations_not_a_citation():
    """A capitalised word before a year is not a citation unless it looks like one; code,
    links and HTML are never looked inside."""
    assert find_citations("Since 2016 the guideline changed. In 2020 it was updated.") == []
    assert find_citations("see `Heino et al. 1990` and [Heino et al. 1990](other.ipynb)") == []
    assert find_citations('<img alt="Heino et al. 1990">') == []


def test_find_citations_unknown_work_is_reported():
    """A citation of a work that is not in the references has no key (the tool lists it)."""
    (cite,) = find_citations("a new finding (Nobody et al. 2031)")
    assert cite.key is None and cite.text == "Nobody et al. 2031"
    (cite,) = find_citations("a new finding (Nobody 2031)")
    assert cite.key is None


def test_link_citations_links_and_is_idempotent():
    text = "no difference (Heino et al. 1990; Youdas et al. 1996), unlike (Nobody 2031)."
    once, cites = link_citations(text)
    assert once == ("no difference ([Heino et al. 1990](#ref-heino-1990); "
                    "[Youdas et al. 1996](#ref-youdas-1996)), unlike (Nobody 2031).")
    assert [c.key for c in cites] == ["heino-1990", "youdas-1996", None]
    assert link_citations(once)[0] == once
    assert strip_links(once) == text


def test_link_citations_wrapped_over_two_lines_is_idempotent():
    """Lessons wrap their markdown at about 100 characters, so a citation may start on one
    line of the cell and end on the next; linking it twice still gives one link."""
    text = "no relation with pelvic tilt (Heino et\nal. 1990) or lordosis (Youdas et al.\n1996)."
    once, cites = link_citations(text)
    assert [c.key for c in cites] == ["heino-1990", "youdas-1996"]
    assert once.count("](#ref-") == 2
    assert link_citations(once)[0] == once and strip_links(once) == text


def test_references_markdown_lists_each_work_once_with_its_anchor():
    refs = {"b-2000": Reference("b-2000", "Beta 2000", "Beta B. A study. J X 2000;1:2.", None, "V2"),
            "a-2001": Reference("a-2001", "Alpha et al. 2001", "Alpha A. Work. J Y 2001;3:4.",
                                "https://example.org/a", "V", note="A note.")}
    md = references_markdown(["b-2000", "a-2001", "b-2000"], refs)
    assert md.startswith("## References\n")
    assert ANCHOR.findall(md) == ["a-2001", "b-2000"]  # alphabetical, once each
    assert "[Open the source](https://example.org/a)" in md and "A note." in md
    assert "read in a source quoting it" in md and "V2" not in md


# --- every lesson -------------------------------------------------------------------


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_every_citation_is_linked_to_an_entry(path):
    """No short citation is left as plain text, and every citation link resolves."""
    body, _ = _lesson_markdown(path)
    refs = references()
    for text in body:
        assert find_citations(text) == [], [c.text for c in find_citations(text)]
        for shown, key in LINK.findall(text):
            assert key in refs, key
            assert find_citations(shown, refs)[0].key == key, shown
        plain = LINK.sub("CITED", text)
        plain = re.sub(r"`[^`]*`|\[[^\]]*\]\([^)]*\)|<[^>]+>|https?://\S+", "", plain)
        assert not LOOSE_PAREN.search(plain), LOOSE_PAREN.search(plain).group(0)
        assert not LOOSE_NAME_PAREN_YEAR.search(plain)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_references_cell_lists_exactly_what_it_cites(path):
    """The References cell is the last cell, after Key points; it lists each cited work
    once, with its full citation, and nothing that the lesson does not cite."""
    cells = _cells(path)
    body, refs_cell = _lesson_markdown(path)
    cited = {key for text in body for _, key in LINK.findall(text)}
    if not cited:
        assert refs_cell is None
        return
    assert refs_cell is not None and tool.is_references_cell(cells[-1])
    key_points = max(i for i, c in enumerate(cells) if "## Key points" in _text(c))
    assert key_points == len(cells) - 2
    listed = ANCHOR.findall(refs_cell)
    assert len(listed) == len(set(listed)) and set(listed) == cited
    for key in listed:
        assert references()[key].full in refs_cell


def test_lesson_module_3_cites_its_evidence():
    """Module 3's claims named in issue 9 carry their citations, and its evidence table
    gives López-Miñarro 2012 (one stretching session) and Sadler et al. 2017 (the weak
    prospective link between hamstring range and later back pain)."""
    body, _ = _lesson_markdown(NOTEBOOKS / "03_hamstring_pelvis_pull.ipynb")
    lines = [ln for text in body for ln in text.splitlines()]
    for claim in ("Three studies found no difference", "After one stretching session"):
        hits = [ln for ln in lines if claim in ln]
        assert hits and all(LINK.search(ln) for ln in hits), claim
    table = next(t for t in body if "What the research says" in t)
    keys = {key for _, key in LINK.findall(table)}
    assert {"lopez-minarro-2012", "sadler-2017"} <= keys


# --- the tool -----------------------------------------------------------------------


def test_tool_lessons_are_up_to_date():
    """`python tools/citations.py --check` passes on the committed lessons."""
    out = io.StringIO()
    assert tool.run(NOTEBOOKS, check=True, out=out) == 0, out.getvalue()
    assert "UNRESOLVED" not in out.getvalue()


def test_tool_second_run_changes_nothing(tmp_path):
    """From unlinked text and a stale References cell, one run links and rewrites; the
    second run writes no byte."""
    for path in NOTEBOOKS.glob("*.ipynb"):
        shutil.copy(path, tmp_path / path.name)
    nb_path = tmp_path / "03_hamstring_pelvis_pull.ipynb"
    nb = json.loads(nb_path.read_text("utf-8"))
    for cell in nb["cells"]:  # undo the links, and leave a stale References cell behind
        cell["source"] = tool._lines(strip_links(_text(cell)))
    nb["cells"][-1]["source"] = tool._lines("## References\n\n- stale entry")
    nb_path.write_text(tool.dump(nb), encoding="utf-8")

    assert tool.run(tmp_path, out=io.StringIO()) == 0
    first = {p.name: p.read_bytes() for p in tmp_path.glob("*.ipynb")}
    assert first[nb_path.name] == (NOTEBOOKS / nb_path.name).read_bytes()
    out = io.StringIO()
    assert tool.run(tmp_path, out=out) == 0
    assert out.getvalue().startswith("0 notebook(s) rewritten")
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.ipynb")} == first


def test_tool_reports_an_unknown_citation(tmp_path):
    """A citation that matches no entry is listed with its notebook and cell; exit 1."""
    nb = {"cells": [{"cell_type": "markdown", "id": "0", "metadata": {},
                     "source": ["# T\n", "\n", "A claim (Nobody et al. 2031)."]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "x.ipynb").write_text(tool.dump(nb), encoding="utf-8")
    out = io.StringIO()
    assert tool.run(tmp_path, out=out) == 1
    assert "UNRESOLVED x.ipynb cell 0: 'Nobody et al. 2031'" in out.getvalue()


def test_lab_settings_attach_every_cell():
    """`make lab` turns JupyterLab's notebook windowing off, without which a click on a
    citation near the top of a lesson scrolls to an estimated place, not to the entry in
    the last cell (tests/browser/test_browser_citations.py shows the landing)."""
    spec = importlib.util.spec_from_file_location("lab_settings", ROOT / "tools" / "lab_settings.py")
    settings = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(settings)
    assert settings.OVERRIDES["@jupyterlab/notebook-extension:tracker"]["windowingMode"] == "none"
