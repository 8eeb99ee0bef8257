"""Short citations in lesson text, linked to a references list.

A lesson cites a work the way a trainer would write it: ``(Heino et al. 1990)``,
``(Gajdosik et al. 1994; Muyor et al. 2011)``, ``Esola et al. (1996)`` or
``Grenier & McGill 2007``. This module finds those citations in a piece of
markdown, turns each one into a link to its entry (``#ref-<key>``) and writes
the references list from ``data/references.json``. ``tools/citations.py``
applies it to every lesson; running it twice changes nothing, because the links
it wrote are taken out before the text is linked again.

The anchor of an entry is an empty ``<a id="ref-KEY"></a>``: JupyterLab's
sanitiser keeps it (as ``data-jupyter-id``, which its link handler looks up) and
Voila keeps it as it is, so the same link works in both.

Pure functions over strings and small frozen data; no notebook I/O here.

References
----------
The works themselves are listed, with full citations, in ``data/references.json``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from lbp_workbook.engine.reference import read_data

#: Anchor prefix of every reference entry; a link the tool wrote is ``[text](#ref-KEY)``.
ANCHOR_PREFIX = "ref-"

#: How sure the workbook is of what it took from a work, in plain words.
EVIDENCE_WORDS = {
    "V": "read in the source",
    "V2": "read in a source quoting it",
    "C": "computed from it for this workbook",
    "R": "commonly quoted, unverified",
}

#: First line of the references cell the tool writes (also how it is recognised).
REFERENCES_HEADING = "## References"

# A surname: capitalised, may carry accents, an apostrophe or a hyphenated second part
# (López-Miñarro, McGill, Biering-Sørensen, Juan-Recio).
_NAME = r"[A-Z][^\W\d_]*(?:['’][A-Z]?[^\W\d_]+)?(?:-[A-Z]?[^\W\d_]+)*"
# Initials after the first surname only before "et al." ("Verhagen AP et al. 2016").
_GROUP = (
    rf"{_NAME}(?:(?:\s+[A-Z]{{1,3}})?\s+et\s+al\.?|(?:\s+[A-Z]{{1,3}})?\s+and\s+colleagues"
    rf"|(?:,\s+{_NAME})*\s+(?:&|and)\s+{_NAME})?"
)
_CITE = re.compile(
    rf"(?<![\w\[#/-])(?P<names>{_GROUP}),?\s+(?P<open>\()?(?P<year>(?:19|20)\d\d)[a-z]?"
    rf"(?(open)\))(?![\w:])"
)
# What is never looked inside: code, links (their text and target), HTML tags, bare URLs.
_PROTECTED = re.compile(r"`[^`\n]*`|!?\[[^\]]*\]\([^)\s]*\)|<[^>]+>|https?://\S+")
# A link this module wrote, to be taken out before linking again.
# (A citation may be wrapped over two lines of the cell: link text may hold a newline.)
_OWN_LINK = re.compile(r"\[([^\]]+)\]\(#" + ANCHOR_PREFIX + r"[a-z0-9-]+\)")


@dataclass(frozen=True)
class Reference:
    """One cited work.

    Parameters
    ----------
    key : str
        Its id; the anchor of its entry is ``ref-<key>``.
    short : str
        The short citation shown in the text, e.g. ``"Heino et al. 1990"``.
    full : str
        The full citation: authors, year, title or what the work is, journal
        volume:pages where known.
    url : str or None
        Where it was read (DOI, PubMed, PMC, guideline page), when known.
    evidence : str
        ``V``, ``V2``, ``C`` or ``R`` (see ``EVIDENCE_WORDS``).
    note : str
        Shown with the entry (a caveat, or the figure the workbook uses).
    aliases : tuple of str
        Exact phrases that also cite the work. A work whose short citation has no
        author-year form (a guideline page, a textbook) is also cited by its short
        citation written out in full.
    """

    key: str
    short: str
    full: str
    url: str | None
    evidence: str
    note: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        """The id of the entry's anchor (``ref-<key>``)."""
        return ANCHOR_PREFIX + self.key


@dataclass(frozen=True)
class Citation:
    """One citation found in a text: where it is, what it says, what it resolves to."""

    start: int
    end: int
    text: str
    surname: str
    year: str | None
    key: str | None


def _fold(name: str) -> str:
    """Lower case without accents (``López-Miñarro`` -> ``lopez-minarro``)."""
    name = name.replace("ø", "o").replace("Ø", "O").replace("ı", "i")
    plain = unicodedata.normalize("NFKD", name)
    return "".join(c for c in plain if not unicodedata.combining(c)).lower()


def _first_surname(names: str) -> str:
    return _fold(re.split(r"\s+et\s+al|\s+and\s+|\s*&\s*|,\s*|\s+", names.strip())[0])


@lru_cache(maxsize=1)
def references() -> dict[str, Reference]:
    """Every work in ``data/references.json``, by key (file order)."""
    rows = read_data("references.json")["references"]
    return {
        row["key"]: Reference(
            key=row["key"], short=row["short"], full=row["full"], url=row.get("url"),
            evidence=row["evidence"], note=row.get("note", ""),
            aliases=tuple(row.get("aliases", ())),
        )
        for row in rows
    }


def _year_of(ref: Reference) -> str | None:
    found = re.search(r"((?:19|20)\d\d)$", ref.short)
    return found.group(1) if found else None


def _index(refs: dict[str, Reference]) -> dict[tuple[str, str], str]:
    """(first surname, year) -> key, for every entry whose short citation has a year."""
    out: dict[tuple[str, str], str] = {}
    for ref in refs.values():
        year = _year_of(ref)
        if year is None:
            continue
        found = _CITE.match(ref.short)
        if found is None:  # no author-year form ("J Sport Rehabil 2015"): cited by its aliases
            continue
        out[(_first_surname(found.group("names")), year)] = ref.key
    return out


def _is_citation(match: re.Match, text: str, known: set[str]) -> bool:
    names = match.group("names")
    if match.group("open") or re.search(r"et\s+al|colleagues|&|\sand\s", names):
        return True
    if _first_surname(names) in known:
        return True
    before = text[: match.start()].rstrip()
    return before.endswith(("(", ";"))


def _plain_spans(text: str):
    """(start, end) of the parts of ``text`` outside code, links, HTML tags and URLs."""
    pos = 0
    for found in _PROTECTED.finditer(text):
        if found.start() > pos:
            yield pos, found.start()
        pos = found.end()
    if pos < len(text):
        yield pos, len(text)


def strip_links(text: str) -> str:
    """Take out the citation links this module wrote, keeping their text."""
    return _OWN_LINK.sub(r"\1", text)


def find_citations(text: str, refs: dict[str, Reference] | None = None) -> list[Citation]:
    """Every short citation in ``text`` outside code, links and HTML, in order.

    Parameters
    ----------
    text : str
        Markdown, with or without the links this module writes (those are not
        citations any more: they are skipped like any other link).
    refs : dict, optional
        The works to resolve against (default: ``references()``).

    Returns
    -------
    list of Citation
        ``key`` is None for a citation that matches no entry.

    Examples
    --------
    >>> [c.key for c in find_citations("as found (Heino et al. 1990; Youdas et al. 1996)")]
    ['heino-1990', 'youdas-1996']
    >>> [c.text for c in find_citations("Esola et al. (1996) measured it")]
    ['Esola et al. (1996)']
    >>> find_citations("Since 2016 nothing changed")
    []
    """
    refs = references() if refs is None else refs
    index = _index(refs)
    known = {surname for surname, _ in index}
    indexed = set(index.values())
    phrases = {
        (alias, ref.key)
        for ref in refs.values()
        for alias in ref.aliases + (() if ref.key in indexed else (ref.short,))
    }  # a work with no author-year form is cited by its short citation written out
    aliases = sorted(phrases, key=lambda pair: (-len(pair[0]), pair))
    found: list[Citation] = []
    for lo, hi in _plain_spans(text):
        part = text[lo:hi]
        taken: list[tuple[int, int]] = []
        for m in _CITE.finditer(part):  # author-year first: an alias never splits one
            if not _is_citation(m, part, known):
                continue
            surname, year = _first_surname(m.group("names")), m.group("year")
            taken.append((m.start(), m.end()))
            found.append(Citation(lo + m.start(), lo + m.end(), m.group(0), surname, year,
                                  index.get((surname, year))))
        for alias, key in aliases:
            for m in re.finditer(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", part):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                taken.append((m.start(), m.end()))
                found.append(Citation(lo + m.start(), lo + m.end(), m.group(0), alias, None, key))
    return sorted(found, key=lambda c: c.start)


def link_citations(text: str, refs: dict[str, Reference] | None = None) -> tuple[str, list[Citation]]:
    """Link every resolvable citation in ``text`` to its entry.

    The links written by an earlier run are taken out first, so the result is
    the same however often it runs.

    Returns
    -------
    (str, list of Citation)
        The linked text, and every citation found (unresolved ones have
        ``key`` None and stay plain text).

    Examples
    --------
    >>> link_citations("no difference (Heino et al. 1990).")[0]
    'no difference ([Heino et al. 1990](#ref-heino-1990)).'
    >>> once = link_citations("(Grenier & McGill 2007)")[0]
    >>> link_citations(once)[0] == once
    True
    """
    plain = strip_links(text)
    cites = find_citations(plain, refs)
    out, pos = [], 0
    for c in cites:
        out.append(plain[pos:c.start])
        out.append(f"[{c.text}](#{ANCHOR_PREFIX}{c.key})" if c.key else c.text)
        pos = c.end
    out.append(plain[pos:])
    return "".join(out), cites


def references_markdown(keys, refs: dict[str, Reference] | None = None) -> str:
    """The references cell for the works ``keys``, in alphabetical order of short citation.

    Each entry starts with its anchor, then the short citation in bold, the full
    citation, a link to the source where known, how sure the workbook is, and
    the entry's note.
    """
    refs = references() if refs is None else refs
    chosen = sorted({refs[k] for k in keys}, key=lambda r: _fold(r.short))
    lines = [
        REFERENCES_HEADING,
        "",
        "The works this page cites, with how sure the workbook is of what it took from each.",
        "Every short citation in the text links to its entry here.",
        "",
    ]
    for ref in chosen:
        entry = f'- <a id="{ref.anchor}"></a>**{ref.short}.** {ref.full}'
        if ref.url:
            entry += f" [Open the source]({ref.url})."
        entry += f" *How sure: {EVIDENCE_WORDS[ref.evidence]}.*"
        if ref.note:
            entry += f" {ref.note}"
        lines.append(entry)
    return "\n".join(lines)
