"""A one-page client summary of an assessment, as HTML and as PDF.

The summary is made from the engine's :class:`~lbp_workbook.engine.result.Result`
and from nothing else: every number on it (readings, cut-offs, deficits,
gate values and thresholds, dosages) is read from the result. It shows, in
this order:

1. the client's pseudonym and the date of the assessment;
2. the referral. While a referral is needed it is the first thing on the
   page, in a box that cannot be missed (urgency, what to do now, who to
   contact, every reason), and the summary gives **no phase and no exercise
   plan**: it says that training waits for the referral;
3. the educational-use statement (:data:`lbp_workbook.engine.result.EDUCATIONAL_NOTICE`),
   on every summary (in the PDF also in the footer of every page);
4. the findings: the deficit chart (:func:`lbp_workbook.views.plots.deficit_chart`,
   a PNG embedded in the HTML as base64 and drawn as an image in the PDF),
   the deficient readings in words, focus areas, asymmetries and endurance
   imbalances;
5. the phase, why, the gates and the next steps;
6. the exercise plan with the dosage of every exercise;
7. the trainer's notes from the record (shortened when long).

Input can be a record (a mapping in ``lbp-assessment/1``), a client history
(a list of records, or a saved ``lbp-client-history/1`` file's object: the
latest assessment by date is used) or a :class:`Result`.

Text typed by a learner (client id, notes) is escaped in the HTML
(:func:`html.escape`) and in the PDF (reportlab's Paragraph markup), and
characters that cannot be shown (control characters, lone surrogates) are
replaced by U+FFFD. Files are written atomically (a temporary file in the
same folder, then :func:`os.replace`), so an existing file is either left
as it was or replaced whole. Nothing here uses the network.

The PDF is built with reportlab (pure pip, no system libraries) in the
DejaVu Sans font that ships with matplotlib, so any pseudonym in Latin,
Greek or Cyrillic script prints as typed. The layout is fitted to one page:
when the content is long the text size steps down (never below 6.5 pt)
before a second page would be needed.

Examples
--------
>>> from lbp_workbook.engine.examples import load_example
>>> page = summary_html(load_example("red_flag_pat"))
>>> "Referral needed" in page and "Exercise plan" not in page
True
"""

from __future__ import annotations

import base64
import contextlib
import errno
import html as _html
import io
import os
import re
import unicodedata
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from lbp_workbook.engine.record import Problem, RecordError, shorten, validate_record
from lbp_workbook.engine.result import EDUCATIONAL_NOTICE, FLAG_KIND_WORDS, FlexibilityFinding, Result
from lbp_workbook.views.tables import why_words
from lbp_workbook.views.exercise_figures import plan_pictures_html

__all__ = [
    "summary_result",
    "latest_record",
    "summary_html",
    "summary_pdf",
    "write_summary",
    "summary_files",
    "summary_basename",
    "SUMMARIES_SUBFOLDER",
]

#: Sub-folder of the clients folder that :func:`summary_files` writes into.
SUMMARIES_SUBFOLDER = "summaries"
HISTORY_SCHEMA = "lbp-client-history/1"
RECORD_SCHEMA = "lbp-assessment/1"

#: Longest stretch of the trainer's notes shown on the one-page summary [characters].
NOTES_SHOWN_MAX = 600
#: Resolution of the deficit chart embedded in both formats [dots per inch].
CHART_DPI = 150
#: Text sizes tried for the PDF, largest first, until the summary fits one page [pt].
_PDF_FONT_SIZES = (9.0, 8.5, 8.0, 7.75, 7.5, 7.25, 7.0, 6.75, 6.5)
#: Share of the text width given to the deficit chart in the PDF (the findings in words beside it).
_CHART_SHARE = 0.56
PAGE_SIZES = ("A4", "letter")

_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


# --------------------------------------------------------------------------- input


def _clean(text: Any) -> str:
    """Text that can be shown: control characters (but tab and newline), format
    characters (a bidi override U+202E, a zero-width space U+200B), line and paragraph
    separators and lone surrogates become U+FFFD."""
    text = _BAD_CHARS.sub("\ufffd", str(text))
    if text.isprintable() or all(c.isprintable() or c in "\t\n\r" for c in text):
        return text
    return "".join("\ufffd" if unicodedata.category(c) in ("Cf", "Zl", "Zp") else c
                   for c in text)


def _prefixed(problem: Problem, prefix: str) -> Problem:
    path = f"{prefix}.{problem.path}" if problem.path else prefix
    message = problem.message
    if problem.path and message.startswith(problem.path):
        message = prefix + "." + message
    elif not problem.path:
        message = f"{prefix}: " + message.removeprefix("(record): ")
    return Problem(path, problem.value, problem.accepted, message)


def latest_record(data: Any) -> Mapping[str, Any]:
    """The assessment a summary is made of: a record, or the latest of a history.

    Parameters
    ----------
    data : mapping or list of mappings
        One ``lbp-assessment/1`` record; a list of records (a client's
        history); or a saved history object ``{"schema":
        "lbp-client-history/1", "client_id": ..., "assessments": [...]}``.

    Returns
    -------
    mapping
        The record itself, or the history's latest record by date (on a
        shared date, the last one listed, as the clients folder saves them).

    Raises
    ------
    RecordError
        An empty or malformed history, or any record in it that is invalid:
        every problem, each path prefixed with ``assessments.N`` (N counted
        from 0), one line each.
    """
    if isinstance(data, Mapping) and data.get("schema") == HISTORY_SCHEMA:
        extra = sorted(set(map(str, data)) - {"schema", "client_id", "assessments"})
        problems = [Problem(shorten(k, 60), data[k], "schema, client_id, assessments",
                            f"{shorten(k, 60)}: unknown field of a {HISTORY_SCHEMA} file")
                    for k in extra]
        if problems:
            raise RecordError(problems)
        items = data.get("assessments")
        if not isinstance(items, list):
            raise RecordError([Problem("assessments", items, "a list of records",
                                       "assessments: missing or not a list of records")])
        return _latest(items)
    if isinstance(data, (list, tuple)):
        return _latest(list(data))
    return data


def _latest(items: list) -> Mapping[str, Any]:
    if not items:
        raise RecordError([Problem("assessments", [], "at least one record",
                                   "assessments: the history holds no assessment")])
    problems: list[Problem] = []
    dated: list[tuple[str, int]] = []
    for number, item in enumerate(items):
        try:
            rec = validate_record(item)
        except RecordError as exc:
            problems += [_prefixed(p, f"assessments.{number}") for p in exc.problems]
            continue
        dated.append((rec.date or "", number))
    if problems:
        raise RecordError(problems)
    ids = {validate_record(item).client.id for item in items}
    if len(ids) > 1:
        raise RecordError([Problem("assessments", sorted(ids), "records of one client",
                                   "assessments: records of more than one client "
                                   f"({', '.join(sorted(ids))}); a summary is for one client")])
    _, latest = max(dated)  # latest date; on a shared date the last listed
    return items[latest]


def summary_result(data: Any) -> Result:
    """The :class:`Result` a summary shows.

    Parameters
    ----------
    data : Result, mapping or list of mappings
        A result (returned unchanged), a record, or a history (see
        :func:`latest_record`).

    Returns
    -------
    Result

    Raises
    ------
    RecordError
        The record (or a record of the history) is invalid.
    """
    if isinstance(data, Result):
        return data
    from lbp_workbook.engine.assessment import assess

    return assess(latest_record(data))


# --------------------------------------------------------------------------- content


@dataclass(frozen=True)
class _Row:
    cells: tuple[str, ...]
    flag: bool = False  #: deficient / gate not met / imbalance


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or "none"
    if isinstance(value, float):
        return "infinite" if value == float("inf") else f"{value:g}"
    return str(value)


def _words(text: str) -> str:
    return text.replace("_", " ")


def _title(result: Result) -> str:
    date = result.date or "no date recorded"
    return f"Client summary: {result.client_id}, {date}"


def _referral_heading(result: Result) -> str:
    return f"Referral needed before any training (urgency: {_words(result.referral.urgency)})"


def _reason_text(reason) -> str:
    text = reason.label.rstrip(". ") + "."
    if reason.condition:
        text += f" Suspected: {reason.condition}."
    if reason.flag_kind:
        text += f" A {FLAG_KIND_WORDS[reason.flag_kind]}."
    return text + f" Urgency: {_words(reason.urgency)}."


_NO_TRAINING = (
    "No training phase and no exercise plan are given while a referral is needed. "
    "Training waits until the client has seen the medical provider; then assess again."
)


_REFERRAL_FINDINGS = ("Recorded for the medical provider: not a basis for training while a "
                      "referral is needed.")


def _finding_text(f: FlexibilityFinding) -> str:
    side = f" {f.side}" if f.side else ""
    op = "below" if f.deficient_when == "below" else "above"
    near = ", within measurement error of the cut-off" if f.within_error_of_cutoff else ""
    return (f"{f.name}{side}: {f.value:g} {f.unit}, {f.deficit:g} {f.unit} past the cut-off{near} "
            f"(deficient {op} {f.cutoff:g} {f.unit}, {f.reference_label}; evidence {f.evidence})")


def _findings_lines(result: Result) -> list[tuple[str, bool]]:
    """(text, flagged) lines for the findings section, from the result."""
    lines: list[tuple[str, bool]] = []
    deficient = [f for f in result.flexibility if f.status == "deficient"]
    normal = [f for f in result.flexibility if f.status != "deficient"]
    for f in deficient:
        lines.append((_finding_text(f), True))
    if normal:
        names = ", ".join(f"{f.name}{' ' + f.side if f.side else ''} {f.value:g} {f.unit}"
                          for f in normal)
        lines.append((f"Within the reference point: {names}.", False))
    if not result.flexibility:
        lines.append(("No flexibility test recorded.", False))
    if result.referral.needed:  # recorded, but no training focus while referring
        lines.append((_REFERRAL_FINDINGS, False))
    else:
        lines.append(("Focus areas: " + (", ".join(map(_words, result.focus_areas)) or "none")
                      + ".", False))
    for a in result.asymmetries:
        more = ""
        if a.exceeds_measurement_error is not None:
            more = ("; larger" if a.exceeds_measurement_error else "; not larger")
            more += f" than the smallest real difference (MDC95 {a.mdc95:g} {a.unit})"
        lines.append((f"Asymmetry, {a.name}: left {a.left:g}, right {a.right:g} {a.unit}, "
                      f"difference {a.difference:g} {a.unit} "
                      f"({a.percent_of_larger:.0f}% of the larger side){more}.", True))
    for r in result.endurance.imbalances:
        value = _fmt(r.value) if r.value == float("inf") else f"{r.value:.2f}"
        lines.append((f"Endurance imbalance, {r.label}: {value} (target {r.target}).", True))
    psfs = result.record.get("function", {}).get("psfs", [])
    if psfs:  # function is the goal: the client's own activities (Stratford et al. 1995)
        from lbp_workbook.engine.person import psfs_average

        scores = "; ".join(f"{it['activity']} {_fmt(it['score'])}" for it in psfs)
        average = psfs_average(result.record)
        lines.append((f"Function, the activities the client finds hard (0 unable, 10 as before): "
                      f"{scores}; average {average:.1f}.", False))
    return lines


def _gate_rows(result: Result) -> list[_Row]:
    """Every gate in the engine's plain words (:func:`lbp_workbook.engine.rules.phase.gate_words`):
    what it asks, the client's reading, and met / not met / counts as not met."""
    from lbp_workbook.engine.rules.phase import gate_words

    rows = []
    for g in result.gates:
        asks, reading, verdict = gate_words(g, result.client_id)
        rows.append(_Row((f"{g.phase}", asks, reading, verdict), flag=not g.passed))
    return rows


def _plan_groups(result: Result) -> list[tuple[str, list[_Row]]]:
    """The plan grouped by why each exercise was chosen, in plan order."""
    groups: dict[str, list[_Row]] = {}
    for e in result.exercises:
        groups.setdefault(why_words(e.why), []).append(_Row((e.name, _words(e.kind), e.dosage)))
    return list(groups.items())


def _phase_heading(result: Result) -> str:
    return f"Phase {result.phase}"


def _notes(result: Result) -> str | None:
    notes = result.record.get("notes") if isinstance(result.record, Mapping) else None
    if not notes or not str(notes).strip():
        return None
    text = str(notes).strip()
    if len(text) > NOTES_SHOWN_MAX:
        text = (text[:NOTES_SHOWN_MAX].rstrip()
                + " … (shortened; the full notes are in the record)")
    return text


def _chart_png(result: Result) -> bytes | None:
    """The deficit chart as PNG bytes, or None when there is nothing to draw."""
    if result.referral.needed or not result.flexibility:
        return None
    from lbp_workbook.views.plots import deficit_chart
    from lbp_workbook.views.plotstyle import figure_png

    return figure_png(deficit_chart(result), dpi=CHART_DPI)


def _chart_alt(result: Result) -> str:
    bad = [f for f in result.flexibility if f.status == "deficient"]
    text = "Deficit chart: every flexibility test against its cut-off. "
    if bad:
        text += "Deficient: " + "; ".join(
            f"{f.name}{' ' + f.side if f.side else ''} {f.value:g} {f.unit} "
            f"(cut-off {f.cutoff:g})" for f in bad) + "."
    else:
        text += "No reading is past its cut-off."
    return text


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
.referral .stop { font-weight: bold; }
.released { border-left: 4px solid var(--ok); background: #eef8f4; padding: 8px 12px; }
.notice { background: var(--note-bg); border-left: 4px solid #888; padding: 8px 12px;
          font-size: 13px; }
.chart { width: 100%; max-width: 760px; height: auto; display: block; margin: 6px 0; }
ul.findings { padding-left: 20px; margin: 4px 0; }
.flag { color: #8a3500; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 3px 6px;
         border-bottom: 1px solid var(--line); }
th { background: #f5f5f5; }
td.notmet { color: #8a3500; font-weight: bold; }
td.met { color: #006b4f; }
tr.why td { background: #f5f5f5; font-style: italic; color: var(--muted); }
td.exercise { font-weight: bold; }
.small { color: var(--muted); font-size: 12px; }
.notes { white-space: pre-wrap; }
@media print { main { max-width: none; padding: 0; } body { font-size: 11px; }
               table { font-size: 10px; } h2 { margin-top: 10px; } }
@page { size: A4; margin: 12mm; }
"""


def _e(text: Any) -> str:
    return _html.escape(_clean(text), quote=True)


def summary_html(data: Any) -> str:
    """The client summary as one self-contained HTML page.

    Parameters
    ----------
    data : Result, mapping or list of mappings
        A result, a record, or a client history (latest assessment by date).

    Returns
    -------
    str
        A complete HTML5 document (UTF-8, inline CSS, the deficit chart as a
        base64 PNG ``<img>`` with alt text). Learner text is escaped.

    Raises
    ------
    RecordError
        The record (or a record of the history) is invalid.

    Notes
    -----
    While a referral is needed the page shows the referral at the top and
    says that no phase and no plan are given; the phase, gates and plan
    sections are left out entirely.
    """
    result = summary_result(data)
    return _html_page(result, _chart_png(result))


def _html_page(result: Result, png: bytes | None) -> str:
    ref = result.referral
    out: list[str] = []
    add = out.append
    add("<!DOCTYPE html>")
    add('<html lang="en"><head><meta charset="utf-8">')
    add('<meta name="viewport" content="width=device-width, initial-scale=1">')
    add(f"<title>{_e(_title(result))}</title><style>{_CSS}</style></head><body><main>")
    add("<header><h1>Client summary</h1>")
    add(f'<p class="meta">Client <strong class="client-id">{_e(result.client_id)}</strong>'
        f' · assessment of <strong class="date">{_e(result.date or "no date recorded")}</strong>'
        " · LBP Workbook (synthetic teaching tool)</p></header>")
    if ref.needed:
        add(f'<section class="referral" role="alert" data-urgency="{_e(ref.urgency)}">')
        add(f"<h2>{_e(_referral_heading(result))}</h2>")
        add(f'<p class="stop">What to do now: {_e(ref.action)}</p>')
        add(f'<p class="stop">Who to contact: {_e(ref.contact)}</p>')
        add("<p>Reasons:</p><ul>")
        for r in ref.reasons:
            add(f"<li>{_e(_reason_text(r))}</li>")
        add("</ul>")
        add(f"<p>{_e(_NO_TRAINING)}</p>")
        add("</section>")
    elif ref.released:
        add('<section class="released"><h2>Referral: not needed now</h2>'
            "<p>Released by medical clearance (still noted):</p><ul>")
        for r in ref.released:
            add(f"<li>{_e(r.label)}</li>")
        add(f"</ul><p>{_e(ref.released_guidance)}</p></section>")
    else:
        add('<p class="released"><strong>Referral: not needed.</strong> '
            "No red flag or referral trigger was recorded.</p>")
    add(f'<aside class="notice"><strong>{_e(EDUCATIONAL_NOTICE)}</strong></aside>')

    add("<section><h2>Findings</h2>")
    if png is not None:
        b64 = base64.b64encode(png).decode("ascii")
        add(f'<img class="chart" src="data:image/png;base64,{b64}" alt="{_e(_chart_alt(result))}">')
    if ref.needed and not result.flexibility:
        add("<p>No flexibility test was recorded.</p>")
    else:
        add('<ul class="findings">')
        for text, flagged in _findings_lines(result):
            add(f'<li{" class=flag" if flagged else ""}>{_e(text)}</li>')
        add("</ul>")
        add('<p class="small">Cut-offs are reference points for one protocol and population, '
            "not diagnoses.</p>")
    add("</section>")

    if not ref.needed:
        add(f'<section class="phase"><h2>{_e(_phase_heading(result))}</h2><ul>')
        for reason in result.phase_reasons:
            add(f"<li>{_e(reason)}</li>")
        add("</ul>")
        add("<table class=gates><thead><tr><th>phase</th><th>gate</th>"
            "<th>client's reading</th><th>met?</th></tr></thead><tbody>")
        for row in _gate_rows(result):
            phase, asks, reading, met = row.cells
            cls = "notmet" if row.flag else "met"
            add(f"<tr><td>{_e(phase)}</td><td>{_e(asks)}</td><td>{_e(reading)}</td>"
                f"<td class={cls}>{_e(met)}</td></tr>")
        add("</tbody></table>")
        if result.next_steps:
            add("<p>Next steps:</p><ul>")
            for step in result.next_steps:
                add(f"<li>{_e(step)}</li>")
            add("</ul>")
        add(f'<p class="small">{_e(result.gates_note)}</p></section>')

        add('<section class="plan"><h2>Exercise plan</h2>')
        if result.exercises:
            add("<table class=exercises><thead><tr><th>exercise</th><th>kind</th>"
                "<th>dosage</th></tr></thead>")
            for why, rows in _plan_groups(result):
                add(f'<tbody><tr class="why"><td colspan="3">Why: {_e(why)}</td></tr>')
                for row in rows:
                    name, kind, dosage = row.cells
                    add(f'<tr><td class="exercise">{_e(name)}</td><td>{_e(kind)}</td>'
                        f"<td>{_e(dosage)}</td></tr>")
                add("</tbody>")
            add("</table>")
        else:
            add("<p>No exercise in the plan.</p>")
        add(plan_pictures_html(result, collapsed=True))
        add('<p class="small">An educational starting point, within your scope of practice; '
            "stop and refer if symptoms increase.</p></section>")

    notes = _notes(result)
    if notes:
        add(f'<section><h2>Notes</h2><p class="notes">{_e(notes)}</p></section>')
    add("</main></body></html>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- PDF

_FONT, _FONT_BOLD = "LBPDejaVuSans", "LBPDejaVuSans-Bold"


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


def _plan_flowables(result: Result, width: float, cell, cell_b, colors) -> list:
    """The exercise plan for the PDF: per group a shaded 'why' line, then its exercises."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    why_style = ParagraphStyle("why", parent=cell, textColor=colors.HexColor("#444444"),
                               backColor=colors.HexColor("#EFEFEF"), borderPadding=(1.5, 3),
                               leftIndent=0, spaceBefore=3, spaceAfter=2)
    widths = [width * 0.30, width * 0.10, width * 0.60]
    style = TableStyle([
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#CCCCCC")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.2), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ])
    head = Table([[Paragraph(f"<b>{h}</b>", cell) for h in ("exercise", "kind", "dosage")]],
                 colWidths=widths)
    head.setStyle(style)
    out: list = [head]
    for why, rows in _plan_groups(result):
        out.append(Paragraph(f"<i>Why: {_x(why)}</i>", why_style))
        data = [[Paragraph(_x(name), cell_b), Paragraph(_x(kind), cell), Paragraph(_x(dose), cell)]
                for name, kind, dose in (row.cells for row in rows)]
        table = Table(data, colWidths=widths)
        table.setStyle(style)
        out.append(table)
    return out


def _pdf_once(result: Result, png: bytes | None, size: float, page_size: str) -> tuple[bytes, int]:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4, letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (Image, Paragraph, SimpleDocTemplate, Spacer,
                                    Table, TableStyle)

    page = A4 if page_size == "A4" else letter
    alert = colors.HexColor("#D55E00")
    alert_ink = colors.HexColor("#8A3500")
    ok = colors.HexColor("#009E73")
    grey = colors.HexColor("#555555")
    lead = size * 1.25
    base = ParagraphStyle("base", fontName=_FONT, fontSize=size, leading=lead, alignment=TA_LEFT)
    small = ParagraphStyle("small", parent=base, fontSize=size - 1, leading=(size - 1) * 1.25,
                           textColor=grey)
    tiny = ParagraphStyle("tiny", parent=small, fontSize=size - 1.5, leading=(size - 1.5) * 1.2)
    cell = ParagraphStyle("cell", parent=base, fontSize=size - 0.5, leading=(size - 0.5) * 1.2)
    cell_b = ParagraphStyle("cellb", parent=cell, fontName=_FONT_BOLD)
    flag = ParagraphStyle("flag", parent=base, textColor=alert_ink)
    h1 = ParagraphStyle("h1", parent=base, fontName=_FONT, fontSize=size + 7,
                        leading=(size + 7) * 1.2)
    h2 = ParagraphStyle("h2", parent=base, fontName=_FONT_BOLD, fontSize=size + 2.5,
                        leading=(size + 2.5) * 1.2, spaceBefore=size * 0.6, spaceAfter=size * 0.2,
                        keepWithNext=1)
    h3 = ParagraphStyle("h3", parent=base, fontName=_FONT_BOLD, spaceBefore=size * 0.5)
    ref_h = ParagraphStyle("refh", parent=h2, fontSize=size + 4, leading=(size + 4) * 1.2,
                           textColor=alert_ink, spaceBefore=0)
    ref_p = ParagraphStyle("refp", parent=base, fontSize=size + 0.5, leading=(size + 0.5) * 1.3)

    margin = 13 * mm
    width = page[0] - 2 * margin
    notice_style = ParagraphStyle("notice", parent=small, textColor=colors.black)
    _, notice_h = Paragraph(f"<b>{_x(EDUCATIONAL_NOTICE)}</b>", notice_style).wrap(
        width - 6 * mm, page[1])
    footer_h = notice_h + 5 * mm

    def footer(canvas, doc):
        canvas.saveState()
        para = Paragraph(f"<b>{_x(EDUCATIONAL_NOTICE)}</b>", notice_style)
        _, h = para.wrap(width - 6 * mm, page[1])
        y = margin - 2 * mm
        canvas.setFillColor(colors.HexColor("#F2F2F2"))
        canvas.setStrokeColor(colors.HexColor("#888888"))
        canvas.rect(margin, y, width, h + 3 * mm, fill=1, stroke=0)
        canvas.setLineWidth(2)
        canvas.line(margin, y, margin, y + h + 3 * mm)
        para.drawOn(canvas, margin + 3 * mm, y + 1.5 * mm)
        canvas.setFont(_FONT, size - 1.5)
        canvas.setFillColor(grey)
        canvas.drawRightString(page[0] - margin, page[1] - margin + 4 * mm,
                               f"LBP Workbook · client summary · page {doc.page}")
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=page, leftMargin=margin, rightMargin=margin, topMargin=margin,
        bottomMargin=margin + footer_h, title=_clean(_title(result)), author="LBP Workbook",
        subject="Educational client summary (not diagnostic)", creator="lbp_workbook.views.report",
    )
    ref = result.referral
    story: list = [
        Paragraph(f"Client summary: <b>{_x(result.client_id)}</b>", h1),
        Paragraph(f"Assessment of <b>{_x(result.date or 'no date recorded')}</b> · "
                  "made with the LBP Workbook", base),
        Spacer(1, size * 0.5),
    ]
    if ref.needed:
        inner = [
            Paragraph(_x(_referral_heading(result)), ref_h),
            Paragraph(f"<b>What to do now:</b> {_x(ref.action)}", ref_p),
            Paragraph(f"<b>Who to contact:</b> {_x(ref.contact)}", ref_p),
            Paragraph("<b>Reasons:</b>", ref_p),
            *[Paragraph(f"• {_x(_reason_text(r))}", ref_p) for r in ref.reasons],
            Spacer(1, size * 0.3),
            Paragraph(_x(_NO_TRAINING), ref_p),
        ]
        box = Table([[inner]], colWidths=[width])
        box.setStyle(TableStyle([
            ("BOX", (0, 0), (-1, -1), 3, alert),
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#FDEEE4")),
            ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ]))
        story.append(box)
    else:
        if ref.released:
            text = ("<b>Referral: not needed now.</b> Released by medical clearance (still "
                    "noted): " + "; ".join(_x(r.label) for r in ref.released) + ". "
                    + _x(ref.released_guidance))
        else:
            text = ("<b>Referral: not needed.</b> No red flag or referral trigger was "
                    "recorded.")
        box = Table([[Paragraph(text, base)]], colWidths=[width])
        box.setStyle(TableStyle([
            ("LINEBEFORE", (0, 0), (0, -1), 3, ok),
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#EEF8F4")),
        ]))
        story.append(box)

    story.append(Paragraph("Findings", h2))
    if ref.needed and not result.flexibility:
        findings = [Paragraph("No flexibility test was recorded.", base)]
    else:
        findings = [Paragraph(f"• {_x(text)}", flag if flagged else base)
                    for text, flagged in _findings_lines(result)]
        findings.append(Paragraph("Cut-offs are reference points for one protocol and "
                                  "population, not diagnoses.", small))
    notes = _notes(result)
    notes_flow = [Paragraph("Notes", h3), Paragraph(_x(notes), small)] if notes else []
    if png is not None:
        findings += notes_flow  # beside the chart, where there is room
        notes_flow = []
        from reportlab.lib.utils import ImageReader

        pw, ph = ImageReader(io.BytesIO(png)).getSize()
        img_w = width * _CHART_SHARE
        chart = Image(io.BytesIO(png), width=img_w, height=img_w * ph / pw)
        side = Table([[chart, findings]], colWidths=[img_w, width - img_w])
        side.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (0, 0), 0), ("LEFTPADDING", (1, 0), (1, 0), 6),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]))
        story.append(side)
    else:
        story.extend(findings)

    def table(header, rows, widths, flag_col=None):
        data = [[Paragraph(f"<b>{_x(h)}</b>", cell) for h in header]]
        style = [
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#CCCCCC")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F5F5F5")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        for i, row in enumerate(rows, start=1):
            cells = []
            for j, c in enumerate(row.cells):
                st = cell
                if flag_col is not None and j == flag_col:
                    st = ParagraphStyle("f", parent=cell_b,
                                        textColor=alert_ink if row.flag else ok)
                cells.append(Paragraph(_x(c), st))
            data.append(cells)
        t = Table(data, colWidths=[width * w for w in widths])
        t.setStyle(TableStyle(style))
        return t

    if not ref.needed:
        story.append(Paragraph(_x(_phase_heading(result)), h2))
        for reason in result.phase_reasons:
            story.append(Paragraph(f"• {_x(reason)}", base))
        story.append(Spacer(1, size * 0.3))
        story.append(table(("phase", "gate", "client's reading", "met?"), _gate_rows(result),
                           (0.07, 0.50, 0.28, 0.15), flag_col=3))
        for step in result.next_steps:
            story.append(Paragraph(f"• {_x(step)}", base))
        story.append(Paragraph(_x(result.gates_note), tiny))

        story.append(Paragraph("Exercise plan", h2))
        if result.exercises:
            story.extend(_plan_flowables(result, width, cell, cell_b, colors))
        else:
            story.append(Paragraph("No exercise in the plan.", base))
        story.append(Paragraph("An educational starting point, within your scope of practice; "
                               "stop and refer if symptoms increase.", small))

    if notes_flow:
        story.append(Paragraph("Notes", h2))
        story.extend(notes_flow[1:])
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue(), doc.page


def summary_pdf(data: Any, page_size: str = "A4") -> bytes:
    """The client summary as a one-page PDF.

    Parameters
    ----------
    data : Result, mapping or list of mappings
        A result, a record, or a client history (latest assessment by date).
    page_size : {"A4", "letter"}
        Paper size.

    Returns
    -------
    bytes
        The PDF. The text size steps down from 9 pt to at most 6.5 pt until
        the summary fits one page; content is never dropped to make it fit
        (a very long summary would flow onto a second page, every page
        carrying the educational notice in its footer).

    Raises
    ------
    RecordError
        The record (or a record of the history) is invalid.
    ValueError
        ``page_size`` is not one of :data:`PAGE_SIZES`.
    """
    if page_size not in PAGE_SIZES:
        raise ValueError(f"page size {page_size!r} is not one of: {', '.join(PAGE_SIZES)}")
    result = summary_result(data)
    return _fitted_pdf(result, _chart_png(result), page_size)


def _fitted_pdf(result: Result, png: bytes | None, page_size: str) -> bytes:
    """Build the PDF at the largest text size of ``_PDF_FONT_SIZES`` that fits one page.

    The first size is tried first (most summaries fit); otherwise the sizes
    are bisected (fewer pages at a smaller size). If even the smallest does
    not fit, the smallest is used and the summary flows onto a second page.
    """
    _register_fonts()
    sizes = _PDF_FONT_SIZES
    built: dict[int, tuple[bytes, int]] = {}

    def build(i: int) -> tuple[bytes, int]:
        if i not in built:
            built[i] = _pdf_once(result, png, sizes[i], page_size)
        return built[i]

    lo, hi = 0, len(sizes) - 1
    if build(0)[1] == 1:
        return build(0)[0]
    lo = 1
    while lo < hi:  # the answer is in [lo, hi]; hi is the fallback
        mid = (lo + hi) // 2
        if build(mid)[1] == 1:
            hi = mid
        else:
            lo = mid + 1
    return build(lo)[0]


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
                  page_size: str = "A4") -> tuple[Path | None, Path | None]:
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

    Returns
    -------
    (Path or None, Path or None)
        The HTML and PDF paths written.

    Raises
    ------
    ValueError
        Neither path given, or both the same file.
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
    if page_size not in PAGE_SIZES:
        raise ValueError(f"page size {page_size!r} is not one of: {', '.join(PAGE_SIZES)}")
    result = summary_result(data)
    png = _chart_png(result)
    html_bytes = _html_page(result, png).encode("utf-8") if html_path is not None else None
    pdf_bytes = _fitted_pdf(result, png, page_size) if pdf_path is not None else None
    for path, data_bytes in ((html_path, html_bytes), (pdf_path, pdf_bytes)):
        if path is None:
            continue
        try:
            _atomic_write(path, data_bytes)
        except OSError as exc:  # name the file asked for, not the temporary one
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
    return html_path, pdf_path


def summary_basename(result: Result) -> str:
    """File name (without extension) of a client's summary in the summaries folder.

    The client's file stem from :func:`lbp_workbook.engine.storage.client_filename`
    (a safe slug plus a hash of the exact pseudonym, so no client id can
    reach outside the folder), then ``-summary-`` and the date.

    >>> from lbp_workbook.engine.examples import load_example
    >>> summary_basename(summary_result(load_example("runner_sam")))
    'sam-e96e02d8e47f2a7c-summary-2026-11-02'
    """
    from lbp_workbook.engine.storage import client_filename

    stem = client_filename(result.client_id).removesuffix(".json")
    return f"{stem}-summary-{result.date or 'undated'}"


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
                  page_size: str = "A4") -> tuple[Path, Path]:
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

    Returns
    -------
    (Path, Path)
        ``(html_path, pdf_path)``, named by :func:`summary_basename`. An
        earlier summary is never replaced: a second summary of the same
        client and date is numbered (``...-summary-2026-11-02-2.html`` and
        ``.pdf``, then ``-3``, ...), and the pair always shares one name.

    Raises
    ------
    RecordError
        Invalid record; nothing is written.
    ValueError
        Unknown page size; nothing is written.
    OSError
        The folder or a file cannot be written (``filename`` is that file);
        nothing is left half-written and no earlier file is changed.
    """
    if page_size not in PAGE_SIZES:
        raise ValueError(f"page size {page_size!r} is not one of: {', '.join(PAGE_SIZES)}")
    result = summary_result(record)
    png = _chart_png(result)  # both documents made before anything is written
    html_bytes = _html_page(result, png).encode("utf-8")
    pdf_bytes = _fitted_pdf(result, png, page_size)
    if folder is None:
        from lbp_workbook.engine.storage import default_folder

        folder = default_folder() / SUMMARIES_SUBFOLDER
    folder = Path(folder)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), str(folder)) from exc
    base = summary_basename(result)
    for number in range(1, MAX_SUMMARIES_PER_DAY + 1):
        name = base if number == 1 else f"{base}-{number}"
        html_path, pdf_path = folder / f"{name}.html", folder / f"{name}.pdf"
        if html_path.exists() or pdf_path.exists():
            continue
        written: list[Path] = []
        try:
            for path, data in ((html_path, html_bytes), (pdf_path, pdf_bytes)):
                _new_file(path, data)
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
