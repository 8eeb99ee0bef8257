"""The client summary, rendered to HTML and to PDF from one document.

:mod:`lbp_workbook.views.summary_document` describes the summary once (a
:class:`~lbp_workbook.views.summary_document.Document` of sections); this
module draws that document as one self-contained HTML page and as a PDF
(reportlab), and writes the files. There are two versions of every summary:

- the **trainer's** (``version="trainer"``, the default): referral first, the
  educational notice, the findings with the deficit chart, the changes since
  the last visit (when a history is given), the phase, gates and plan, notes
  and sources, the evidence status in words once per section;
- the **client's** (``version="client"``): what we found, what we will do,
  when to stop and seek help; while a referral is in force only the referral.

While a referral is in force neither version shows a phase or an exercise.
The educational-use notice is on both (in the PDF also in every page's footer).

Input can be a record (a mapping in ``lbp-assessment/1``), a client history
(a list of records, or a saved ``lbp-client-history/1`` file's object: the
latest assessment by date is used, and the one before it gives "changes
since the last visit") or a :class:`Result`.

Text typed by a learner (client id, notes) is escaped in the HTML
(:func:`html.escape`) and in the PDF (reportlab's Paragraph markup), and
characters that cannot be shown (control characters, lone surrogates) are
replaced by U+FFFD. Files are written atomically; nothing uses the network.
The PDF uses the DejaVu Sans font that ships with matplotlib, so a pseudonym
in Latin, Greek or Cyrillic script prints as typed. The text size steps down
(never below 6.5 pt) until the summary fits one page.

Examples
--------
>>> from lbp_workbook.engine.examples import load_example
>>> page = summary_html(load_example("red_flag_pat"))
>>> "Referral needed" in page and "Exercise plan" not in page
True
>>> "Who to contact" in summary_html(load_example("red_flag_pat"), version="client")
True
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import errno
import html as _html
import io
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any, Literal, Mapping, Sequence

from lbp_workbook.engine.result import Result
from lbp_workbook.views.exercise_figures import plan_cards_html
from lbp_workbook.views.summary_document import (
    Document,
    Section,
    Table,
    Text,
    client_document,
    latest_record,
    previous_record,
    summary_result,
    trainer_document,
)

__all__ = [
    "summary_result",
    "latest_record",
    "summary_html",
    "summary_pdf",
    "client_summary_html",
    "client_summary_pdf",
    "write_summary",
    "summary_files",
    "client_summary_files",
    "summary_basename",
    "files_message",
    "SUMMARIES_SUBFOLDER",
    "VERSIONS",
]

#: Sub-folder of the clients folder that :func:`summary_files` writes into.
SUMMARIES_SUBFOLDER = "summaries"
HISTORY_SCHEMA = "lbp-client-history/1"
RECORD_SCHEMA = "lbp-assessment/1"
#: The two versions of a summary: the trainer's and the client's short sheet.
VERSIONS = ("trainer", "client")
Version = Literal["trainer", "client"]

#: Resolution of the deficit chart embedded in both formats [dots per inch].
CHART_DPI = 150
#: Text sizes tried for the PDF, largest first, until the summary fits one page [pt].
_PDF_FONT_SIZES = (9.0, 8.5, 8.0, 7.75, 7.5, 7.25, 7.0, 6.75, 6.5)
#: Share of the text width given to the deficit chart in the PDF (the findings in words beside it).
_CHART_SHARE = 0.56
PAGE_SIZES = ("A4", "letter")

_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _clean(text: Any) -> str:
    """Text that can be shown: control characters (but tab and newline), format
    characters (a bidi override U+202E, a zero-width space U+200B), line and paragraph
    separators and lone surrogates become U+FFFD."""
    text = _BAD_CHARS.sub("\ufffd", str(text))
    if text.isprintable() or all(c.isprintable() or c in "\t\n\r" for c in text):
        return text
    return "".join("\ufffd" if unicodedata.category(c) in ("Cf", "Zl", "Zp") else c
                   for c in text)


def _chart_png(result: Result) -> bytes | None:
    """The deficit chart as PNG bytes, or None when there is nothing to draw."""
    if result.referral.needed or not result.flexibility:
        return None
    from lbp_workbook.views.plots import deficit_chart
    from lbp_workbook.views.plotstyle import figure_png

    return figure_png(deficit_chart(result), dpi=CHART_DPI)


def _document(data: Any, version: str, previous: Mapping[str, Any] | None = None) -> Document:
    """The document of one version; ``previous`` defaults to the history's visit before."""
    if version not in VERSIONS:
        raise ValueError(f"version {version!r} is not one of: {', '.join(VERSIONS)}")
    result = summary_result(data)
    if previous is None and not isinstance(data, Result):
        previous = previous_record(data)
    if version == "client":
        return client_document(result, previous)
    return trainer_document(result, _chart_png(result), previous)


def _check_page(page_size: str) -> None:
    if page_size not in PAGE_SIZES:
        raise ValueError(f"page size {page_size!r} is not one of: {', '.join(PAGE_SIZES)}")


# --------------------------------------------------------------------------- HTML

_CSS = """
:root { --ink:#222; --muted:#555; --alert:#D55E00; --alert-bg:#fdeee4; --ok:#009E73;
        --line:#ccc; --note-bg:#f2f2f2; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: var(--ink);
       font-size: 14px; line-height: 1.4; margin: 0; background: #fff; }
main { max-width: 860px; margin: 0 auto; padding: 20px 24px; }
h1 { font-size: 22px; margin: 0 0 2px; }
h2 { font-size: 17px; margin: 18px 0 6px; border-bottom: 1px solid var(--line);
     padding-bottom: 2px; }
.meta { color: var(--muted); margin: 0 0 12px; }
.referral { border: 4px solid var(--alert); background: var(--alert-bg); padding: 12px 16px;
            margin: 10px 0 14px; }
.referral h2 { color: #8a3500; border: none; font-size: 20px; margin: 0 0 8px; }
.referral p { margin: 6px 0; }
.referral ul { margin: 4px 0 8px; padding-left: 22px; }
.strong { font-weight: bold; }
.released { border-left: 4px solid var(--ok); background: #eef8f4; padding: 8px 12px; }
.released h2 { border: none; margin-top: 0; }
.notice { background: var(--note-bg); border-left: 4px solid #888; padding: 8px 12px;
          font-size: 13px; font-weight: bold; }
.chart { width: 100%; max-width: 760px; height: auto; display: block; margin: 6px 0; }
ul { padding-left: 20px; margin: 4px 0; }
.flag { color: #8a3500; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 3px 6px;
         border-bottom: 1px solid var(--line); }
th { background: #f5f5f5; }
td.notmet { color: #8a3500; font-weight: bold; }
td.met { color: #006b4f; }
tr.why td { background: #f5f5f5; font-style: italic; color: var(--muted); }
td.first { font-weight: bold; }
.small { color: var(--muted); font-size: 12px; }
.notes p { white-space: pre-wrap; }
@media print { main { max-width: none; padding: 0; } body { font-size: 11px; }
               table { font-size: 10px; } h2 { margin-top: 10px; } }
@page { size: A4; margin: 12mm; }
"""


def _e(text: Any) -> str:
    return _html.escape(_clean(text), quote=True)


def _html_text(t: Text, tag: str = "p") -> str:
    cls = {"small": "small", "flag": "flag", "strong": "strong"}.get(t.style)
    attr = f' class="{cls}"' if cls else ""
    lead = f"<strong>{_e(t.lead)}</strong>" if t.lead else ""
    return f"<{tag}{attr}>{lead}{_e(t.text)}</{tag}>"


def _html_table(table: Table) -> list[str]:
    out = [f'<table class="{_e(table.css)}"><thead><tr>'
           + "".join(f"<th>{_e(h)}</th>" for h in table.header) + "</tr></thead><tbody>"]
    for row in table.rows:
        if row.group:
            out.append(f'<tr class="why"><td colspan="{len(table.header)}">{_e(row.cells[0])}'
                       "</td></tr>")
            continue
        cells = []
        for j, cell in enumerate(row.cells):
            cls = "first" if j == 0 and table.css == "exercises" else ""
            if j == table.flag_col:
                cls = "notmet" if row.flag else "met"
            cells.append(f"<td{f' class={cls}' if cls else ''}>{_e(cell)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    return out + ["</tbody></table>"]


def _html_section(s: Section) -> list[str]:
    if s.kind == "notice":
        return [f'<aside class="notice">{_e(p.text)}</aside>' for p in s.paragraphs]
    if s.kind == "clear":
        return [_html_text(p, "p").replace("<p>", '<p class="released">', 1)
                for p in s.paragraphs]
    attrs = f' class="{_e(s.css)}"' if s.css else ""
    if s.kind == "referral":
        attrs += f' role="alert" data-urgency="{_e(s.urgency)}"'
    out = [f"<section{attrs}>"]
    if s.heading:
        out.append(f"<h2>{_e(s.heading)}</h2>")
    if s.picture is not None:
        b64 = base64.b64encode(s.picture.png).decode("ascii")
        out.append(f'<img class="chart" src="data:image/png;base64,{b64}" '
                   f'alt="{_e(s.picture.alt)}">')
    out += [_html_text(p) for p in s.paragraphs]
    if s.bullets:
        out += ["<ul>", *(_html_text(b, "li") for b in s.bullets), "</ul>"]
    for table in s.tables:
        out += _html_table(table)
    if s.exercises:  # closed, so the printed page stays one page; one click opens it
        out.append("<details class='lbp-plan-pictures'><summary><b>How to do each exercise "
                   "(pictures and cues)</b></summary>" + plan_cards_html(s.exercises)
                   + "</details>")
    out += [_html_text(n) for n in s.notes if n.text or n.lead]
    return out + ["</section>"]


def render_html(doc: Document) -> str:
    """One self-contained HTML5 page of ``doc`` (inline CSS, the chart as a base64 PNG)."""
    meta = " · ".join(f"{_e(k)} <strong>{_e(v)}</strong>" for k, v in doc.meta)
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{_e(doc.title)}</title><style>{_CSS}</style></head><body><main>",
           f"<header><h1>{_e(doc.heading)}</h1>",
           f'<p class="meta">{meta} · LBP Workbook (synthetic teaching tool)</p></header>']
    for section in doc.sections:
        out += _html_section(section)
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"


def summary_html(data: Any, version: Version = "trainer",
                 previous: Mapping[str, Any] | None = None) -> str:
    """The client summary as one self-contained HTML page.

    Parameters
    ----------
    data : Result, mapping or list of mappings
        A result, a record, or a client history (latest assessment by date).
    version : {"trainer", "client"}
        The trainer's summary, or the client's short sheet.
    previous : mapping, optional
        The previous assessment (default: the history's visit before the latest).

    Returns
    -------
    str
        A complete HTML5 document. Learner text is escaped.

    Raises
    ------
    RecordError
        The record (or a record of the history) is invalid.
    ValueError
        Unknown version.
    """
    return render_html(_document(data, version, previous))


def client_summary_html(data: Any, previous: Mapping[str, Any] | None = None) -> str:
    """The client's short sheet as HTML (:func:`summary_html` with ``version="client"``)."""
    return summary_html(data, "client", previous)


# --------------------------------------------------------------------------- PDF

_FONT, _FONT_BOLD = "LBPDejaVuSans", "LBPDejaVuSans-Bold"
_ALERT, _ALERT_INK, _OK, _GREY = "#D55E00", "#8A3500", "#009E73", "#555555"


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if _FONT in pdfmetrics.getRegisteredFontNames():
        return
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(_FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(_FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(_FONT, normal=_FONT, bold=_FONT_BOLD,
                                  italic=_FONT, boldItalic=_FONT_BOLD)


def _x(text: Any) -> str:
    """Text escaped for reportlab Paragraph markup."""
    return _html.escape(_clean(text), quote=False).replace("\n", "<br/>")


def _styles(size: float) -> dict:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle as PS

    base = PS("base", fontName=_FONT, fontSize=size, leading=size * 1.25)
    small = PS("small", parent=base, fontSize=size - 1, leading=(size - 1) * 1.25,
               textColor=colors.HexColor(_GREY))
    cell = PS("cell", parent=base, fontSize=size - 0.5, leading=(size - 0.5) * 1.2)
    h2 = PS("h2", parent=base, fontName=_FONT_BOLD, fontSize=size + 2.5,
            leading=(size + 2.5) * 1.2, spaceBefore=size * 0.6, spaceAfter=size * 0.2,
            keepWithNext=1)
    return {
        "body": base, "small": small, "cell": cell, "h2": h2,
        "tiny": PS("tiny", parent=small, fontSize=size - 1.5, leading=(size - 1.5) * 1.2),
        "cell_b": PS("cellb", parent=cell, fontName=_FONT_BOLD),
        "flag": PS("flag", parent=base, textColor=colors.HexColor(_ALERT_INK)),
        "strong": PS("strong", parent=base, fontSize=size + 0.5, leading=(size + 0.5) * 1.3),
        "h1": PS("h1", parent=base, fontSize=size + 7, leading=(size + 7) * 1.2),
        "ref_h": PS("refh", parent=h2, fontSize=size + 4, leading=(size + 4) * 1.2,
                    textColor=colors.HexColor(_ALERT_INK), spaceBefore=0),
        "why": PS("why", parent=cell, textColor=colors.HexColor("#444444")),
        "notice": PS("notice", parent=small, textColor=colors.black),
    }


def _pdf_text(t: Text, st: dict, bullet: bool = False):
    from reportlab.platypus import Paragraph

    lead = f"<b>{_x(t.lead)}</b>" if t.lead else ""
    return Paragraph(("• " if bullet else "") + lead + _x(t.text), st[t.style])


def _pdf_table(table: Table, width: float, st: dict):
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, TableStyle
    from reportlab.platypus import Table as RLTable

    data = [[Paragraph(f"<b>{_x(h)}</b>", st["cell"]) for h in table.header]]
    style = [
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#CCCCCC")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F5F5F5")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for i, row in enumerate(table.rows, start=1):
        if row.group:
            data.append([Paragraph(f"<i>{_x(row.cells[0])}</i>", st["why"])]
                        + [""] * (len(table.header) - 1))
            style += [("SPAN", (0, i), (-1, i)),
                      ("BACKGROUND", (0, i), (-1, i), colors.HexColor("#EFEFEF"))]
            continue
        cells = []
        for j, c in enumerate(row.cells):
            s = st["cell_b"] if j == 0 and table.css == "exercises" else st["cell"]
            if j == table.flag_col:
                s = ParagraphStyle("f", parent=st["cell_b"], textColor=colors.HexColor(
                    _ALERT_INK if row.flag else _OK))
            cells.append(Paragraph(_x(c), s))
        data.append(cells)
    out = RLTable(data, colWidths=[width * w for w in table.widths], repeatRows=1)
    out.setStyle(TableStyle(style))
    return out


def _pdf_section(s: Section, width: float, st: dict) -> list:
    from reportlab.lib import colors
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image, Paragraph, Spacer, TableStyle
    from reportlab.platypus import Table as RLTable

    if s.kind == "notice":  # in the footer of every page
        return []
    inner: list = []
    if s.heading:
        inner.append(Paragraph(_x(s.heading), st["ref_h" if s.kind == "referral" else "h2"]))
    body: list = [_pdf_text(p, st) for p in s.paragraphs]
    bullet_st = {**st, "small": st["tiny"]} if s.css == "sources" else st
    body += [_pdf_text(b, bullet_st, bullet=True) for b in s.bullets]
    tables = [_pdf_table(t, width - (16 if s.kind == "referral" else 0), st) for t in s.tables]
    notes = [_pdf_text(n, st) for n in s.notes if n.text or n.lead]
    if s.picture is not None:  # the chart, with the words beside it
        pw, ph = ImageReader(io.BytesIO(s.picture.png)).getSize()
        img_w = width * _CHART_SHARE * min(1.0, st["body"].fontSize / _PDF_FONT_SIZES[0])
        chart = Image(io.BytesIO(s.picture.png), width=img_w, height=img_w * ph / pw)
        side = RLTable([[chart, body + notes[:1]]], colWidths=[img_w, width - img_w])
        side.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (0, 0), 0), ("LEFTPADDING", (1, 0), (1, 0), 6),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        body, notes = [side], notes[1:]
    flow = inner + body + ([Spacer(1, 2)] if tables else []) + tables + notes
    if s.kind not in ("referral", "released", "clear"):
        return flow
    box = RLTable([[flow]], colWidths=[width])
    if s.kind == "referral":
        look = [("BOX", (0, 0), (-1, -1), 3, colors.HexColor(_ALERT)),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#FDEEE4")),
                ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]
    else:
        look = [("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(_OK)),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#EEF8F4"))]
    box.setStyle(TableStyle(look))
    return [box, Spacer(1, 4)]


def render_pdf(doc: Document, size: float = 9.0, page_size: str = "A4") -> tuple[bytes, int]:
    """Draw ``doc`` as a PDF at text size ``size`` [pt]; returns (bytes, number of pages)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, letter
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    _register_fonts()
    page = A4 if page_size == "A4" else letter
    st = _styles(size)
    margin = 13 * mm
    width = page[0] - 2 * margin
    _, notice_h = Paragraph(f"<b>{_x(doc.notice)}</b>", st["notice"]).wrap(width - 6 * mm, page[1])
    label = "client summary" if doc.audience == "trainer" else "client sheet"

    def footer(canvas, d):
        canvas.saveState()
        para = Paragraph(f"<b>{_x(doc.notice)}</b>", st["notice"])
        _, h = para.wrap(width - 6 * mm, page[1])
        y = margin - 2 * mm
        canvas.setFillColor(colors.HexColor("#F2F2F2"))
        canvas.rect(margin, y, width, h + 3 * mm, fill=1, stroke=0)
        canvas.setStrokeColor(colors.HexColor("#888888"))
        canvas.setLineWidth(2)
        canvas.line(margin, y, margin, y + h + 3 * mm)
        para.drawOn(canvas, margin + 3 * mm, y + 1.5 * mm)
        canvas.setFont(_FONT, size - 1.5)
        canvas.setFillColor(colors.HexColor(_GREY))
        canvas.drawRightString(page[0] - margin, page[1] - margin + 4 * mm,
                               f"LBP Workbook · {label} · page {d.page}")
        canvas.restoreState()

    buf = io.BytesIO()
    pdf = SimpleDocTemplate(
        buf, pagesize=page, leftMargin=margin, rightMargin=margin, topMargin=margin,
        bottomMargin=margin + notice_h + 5 * mm, title=_clean(doc.title), author="LBP Workbook",
        subject="Educational client summary (not diagnostic)", creator="lbp_workbook.views.report")
    meta = " · ".join(f"{_x(k)} <b>{_x(v)}</b>" for k, v in doc.meta[1:])
    story: list = [Paragraph(f"{_x(doc.heading)}: <b>{_x(doc.client_id)}</b>", st["h1"]),
                   Paragraph(meta + " · made with the LBP Workbook", st["body"]),
                   Spacer(1, size * 0.5)]
    for section in doc.sections:
        story += _pdf_section(section, width, st)
    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue(), pdf.page


def _fitted_pdf(doc: Document, page_size: str) -> bytes:
    """The PDF at the largest text size of ``_PDF_FONT_SIZES`` at which the summary
    (everything but its list of sources) fits one page; the sources follow it.

    The first size is tried first (most summaries fit); otherwise the sizes are
    bisected. If even the smallest does not fit, the summary flows onto a second page.
    """
    sizes = _PDF_FONT_SIZES
    body = dataclasses.replace(doc, sections=tuple(s for s in doc.sections
                                                   if s.css != "sources"))
    built: dict[int, tuple[bytes, int]] = {}

    def build(i: int) -> tuple[bytes, int]:
        if i not in built:
            built[i] = render_pdf(body, sizes[i], page_size)
        return built[i]

    best = 0
    if build(0)[1] != 1:
        lo, hi = 1, len(sizes) - 1
        while lo < hi:  # the answer is in [lo, hi]; hi is the fallback
            mid = (lo + hi) // 2
            if build(mid)[1] == 1:
                hi = mid
            else:
                lo = mid + 1
        best = lo
    if body.sections == doc.sections:
        return build(best)[0]
    return render_pdf(doc, sizes[best], page_size)[0]


def summary_pdf(data: Any, page_size: str = "A4", version: Version = "trainer",
                previous: Mapping[str, Any] | None = None) -> bytes:
    """The client summary as a one-page PDF.

    Parameters
    ----------
    data : Result, mapping or list of mappings
        A result, a record, or a client history (latest assessment by date).
    page_size : {"A4", "letter"}
        Paper size.
    version : {"trainer", "client"}
        The trainer's summary, or the client's short sheet.
    previous : mapping, optional
        The previous assessment (default: the history's visit before the latest).

    Returns
    -------
    bytes
        The PDF. The text size steps down from 9 pt to at most 6.5 pt until
        it fits one page; content is never dropped to make it fit.

    Raises
    ------
    RecordError
        The record (or a record of the history) is invalid.
    ValueError
        Unknown page size or version.
    """
    _check_page(page_size)
    return _fitted_pdf(_document(data, version, previous), page_size)


def client_summary_pdf(data: Any, page_size: str = "A4",
                       previous: Mapping[str, Any] | None = None) -> bytes:
    """The client's short sheet as PDF (:func:`summary_pdf` with ``version="client"``)."""
    return summary_pdf(data, page_size, "client", previous)


def _made(data: Any, version: str, page_size: str, previous: Mapping[str, Any] | None,
          html: bool = True, pdf: bool = True) -> tuple[Result, bytes | None, bytes | None]:
    """The result and both documents' bytes, made before anything is written."""
    _check_page(page_size)
    result = summary_result(data)
    if previous is None and not isinstance(data, Result):
        previous = previous_record(data)
    doc = _document(result, version, previous)
    return (result, render_html(doc).encode("utf-8") if html else None,
            _fitted_pdf(doc, page_size) if pdf else None)


# --------------------------------------------------------------------------- files


def _synced_temp(path: Path, data: bytes, mode: int) -> str:
    """Write ``data`` to a new temporary file beside ``path``, flushed and fsynced.

    Returns the temporary file's path (permissions ``mode``); removes it on failure.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and os.replace."""
    # keep the permissions of a file being replaced
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644 & ~_umask()
    tmp = _synced_temp(path, data, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask




def write_summary(data: Any, html: str | os.PathLike | None = None,
                  pdf: str | os.PathLike | None = None,
                  page_size: str = "A4", version: Version = "trainer",
                  previous: Mapping[str, Any] | None = None) -> tuple[Path | None, Path | None]:
    """Write the summary as HTML and/or PDF files.

    Parameters
    ----------
    data : Result, mapping or list of mappings
        A result, a record, or a client history (latest assessment by date).
    html, pdf : str or Path, optional
        Where to write each format; at least one. An existing file is replaced
        atomically (temporary file in the same folder, then ``os.replace``).
    page_size : {"A4", "letter"}
        Paper size of the PDF.
    version : {"trainer", "client"}
        The trainer's summary, or the client's short sheet.
    previous : mapping, optional
        The previous assessment (default: the history's visit before the latest).

    Returns
    -------
    (Path or None, Path or None)
        The HTML and PDF paths written.

    Raises
    ------
    ValueError
        Neither path given, both the same file, or an unknown page size or version.
    RecordError
        Invalid record; nothing is written.
    OSError
        A file cannot be written (``filename`` is that file); the old file
        (if any) is unchanged.

    Notes
    -----
    Both documents are made before anything is written, so an invalid record
    never leaves a half-done pair of files.
    """
    if html is None and pdf is None:
        raise ValueError("give an HTML path, a PDF path, or both")
    html_path = Path(html) if html is not None else None
    pdf_path = Path(pdf) if pdf is not None else None
    if html_path is not None and pdf_path is not None and \
            os.path.abspath(html_path) == os.path.abspath(pdf_path):
        raise ValueError(f"{html_path}: the HTML and the PDF cannot be the same file")
    _, html_bytes, pdf_bytes = _made(data, version, page_size, previous,
                                     html=html_path is not None, pdf=pdf_path is not None)
    for path, data_bytes in ((html_path, html_bytes), (pdf_path, pdf_bytes)):
        if path is None or data_bytes is None:
            continue
        try:
            _atomic_write(path, data_bytes)
        except OSError as exc:  # name the file asked for, not the temporary one
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
    return html_path, pdf_path


def _slug(text: str) -> str:
    """ASCII letters and digits of ``text``, lower case, runs of others as one "-" (<= 40)."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    words = "".join(c if c.isalnum() else " " for c in plain.lower()).split()
    return "-".join(words)[:40].strip("-") or "client"


def summary_basename(result: Result, version: Version = "trainer") -> str:
    """File name (without extension) of a client's summary: client and date, readable.

    ``summary_<client>_<date>`` for the trainer's version and
    ``summary_<client>_<date>_for_client`` for the client's sheet. The client
    part keeps only ASCII letters and digits of the pseudonym (so no id can
    reach outside the folder); :func:`summary_files` adds ``_2``, ``_3`` ... rather
    than replace an earlier file.

    >>> from lbp_workbook.engine.examples import load_example
    >>> r = summary_result(load_example("desk_worker_lee"))
    >>> summary_basename(r), summary_basename(r, "client")
    ('summary_lee_2026-11-04', 'summary_lee_2026-11-04_for_client')
    """
    name = f"summary_{_slug(result.client_id)}_{result.date or 'undated'}"
    return name + ("_for_client" if version == "client" else "")


def files_message(paths: Sequence[os.PathLike | str]) -> str:
    """Plain words for written files: the folder once, then the file names.

    >>> files_message(["/tmp/s/summary_lee_2026-11-02.html", "/tmp/s/summary_lee_2026-11-02.pdf"])
    'Saved in the folder /tmp/s: summary_lee_2026-11-02.html and summary_lee_2026-11-02.pdf'
    """
    items = [Path(p) for p in paths]
    folders = list(dict.fromkeys(str(p.parent) for p in items))
    names = [p.name for p in items]
    listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)
    return f"Saved in the folder {', '.join(folders)}: {listed}"

def _new_file(path: Path, data: bytes) -> None:
    """Write ``data`` as a new file at ``path``; never replace one that exists.

    The bytes go to a temporary file in the same folder (flushed and fsynced),
    which is then hard-linked to ``path``: the link fails with
    :class:`FileExistsError` if ``path`` exists, so an earlier file is never
    touched and ``path`` is either absent or complete. On a file system
    without hard links the file is created exclusively (``"xb"``) instead and
    removed again if writing fails.
    """
    tmp = _synced_temp(path, data, 0o644 & ~_umask())
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:  # no hard links here: create exclusively
            try:
                with open(path, "xb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
            except FileExistsError:
                raise
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(path)
                raise
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)




#: How many summaries of one client and date :func:`summary_files` numbers before it stops.
MAX_SUMMARIES_PER_DAY = 999


def summary_files(record: Any, folder: str | os.PathLike | None = None,
                  page_size: str = "A4", version: Version = "trainer",
                  previous: Mapping[str, Any] | None = None) -> tuple[Path, Path]:
    """Write the HTML and PDF summary of a record into a folder (for the app's button).

    Parameters
    ----------
    record : Result, mapping or list of mappings
        A result, a record, or a client history (latest assessment by date).
    folder : str or Path, optional
        Where to write; default ``<clients folder>/summaries`` (the clients
        folder is :func:`lbp_workbook.engine.storage.default_folder`). Created if
        missing (mode 0700, like the clients folder).
    page_size : {"A4", "letter"}
        Paper size of the PDF.
    version : {"trainer", "client"}
        The trainer's summary, or the client's short sheet.
    previous : mapping, optional
        The previous assessment (default: the history's visit before the latest).

    Returns
    -------
    (Path, Path)
        ``(html_path, pdf_path)``, named by :func:`summary_basename`. An
        earlier summary is never replaced: a second summary of the same
        client and date is numbered (``summary_lee_2026-11-02_2.html`` and
        ``.pdf``, then ``_3``, ...), and the pair always shares one name.

    Raises
    ------
    RecordError
        Invalid record; nothing is written.
    ValueError
        Unknown page size or version; nothing is written.
    OSError
        The folder or a file cannot be written (``filename`` is that file);
        nothing is left half-written and no earlier file is changed.
    """
    result, html_bytes, pdf_bytes = _made(record, version, page_size, previous)
    if folder is None:
        from lbp_workbook.engine.storage import default_folder

        folder = default_folder() / SUMMARIES_SUBFOLDER
    folder = Path(folder)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), str(folder)) from exc
    base = summary_basename(result, version)
    for number in range(1, MAX_SUMMARIES_PER_DAY + 1):
        name = base if number == 1 else f"{base}_{number}"
        html_path, pdf_path = folder / f"{name}.html", folder / f"{name}.pdf"
        if html_path.exists() or pdf_path.exists():
            continue
        written: list[Path] = []
        try:
            for path, data in ((html_path, html_bytes), (pdf_path, pdf_bytes)):
                _new_file(path, data or b"")
                written.append(path)
        except FileExistsError:  # made meanwhile by someone else: take the next number
            for path in written:
                with contextlib.suppress(OSError):
                    path.unlink()
            continue
        except OSError as exc:
            for path in written:
                with contextlib.suppress(OSError):
                    path.unlink()
            failed = pdf_path if written else html_path
            raise OSError(exc.errno, exc.strerror or str(exc), str(failed)) from exc
        return html_path, pdf_path
    raise OSError(errno.EEXIST, f"{MAX_SUMMARIES_PER_DAY} summaries of this client and date "
                  "already exist; move some elsewhere", str(folder / base))


def client_summary_files(record: Any, folder: str | os.PathLike | None = None,
                         page_size: str = "A4",
                         previous: Mapping[str, Any] | None = None) -> tuple[Path, Path]:
    """Write the client's short sheet (HTML and PDF) into a folder, never replacing a file.

    :func:`summary_files` with ``version="client"``: files
    ``summary_<client>_<date>_for_client.html`` and ``.pdf``. Show the result
    with :func:`files_message` (the folder once, then the names).
    """
    return summary_files(record, folder, page_size, "client", previous)
