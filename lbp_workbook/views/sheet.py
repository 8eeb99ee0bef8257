"""The take-home exercise sheet: the client's current plan on paper (PDF).

``python -m lbp_workbook sheet FILE --pdf OUT.pdf [--paper A4|letter]`` and the
app's "Exercise sheet" button write it. For each planned exercise: its picture
(:mod:`lbp_workbook.views.exercise_figures`), the dose, three cues and when to stop;
then the flare plan, when to seek help, and a two-week log (a tick for each
session, pain 0-10 during and the next morning) for the client to bring back.

Nothing clinical the trainer has not seen: every line comes from the plan
(``Result.exercises``), the exercise catalogue and the teaching sections of
``data/person.json`` (the pain traffic light and the flare plan) that the
lessons show. While a referral is in force the sheet lists no exercise and
says what to do and whom to contact instead.

References
----------
National Institute for Health and Care Excellence. Low back pain and sciatica
in over 16s: assessment and management (NG59). 2016, updated 2020 (stay
active; the flare plan's advice).
"""

from __future__ import annotations

import html as _html
import io
import math
from pathlib import Path
from typing import Any

from lbp_workbook.engine import reference
from lbp_workbook.engine.person import section
from lbp_workbook.engine.result import EDUCATIONAL_NOTICE, Result
from lbp_workbook.views import exercise_figures

__all__ = [
    "EXERCISES_PER_PAGE",
    "LOG_DAYS",
    "PAPERS",
    "sheet_pdf",
    "sheet_stop_if",
    "write_sheet",
]

#: Exercises on one page of the sheet (each with its picture).
EXERCISES_PER_PAGE = 3
#: Days in the log grid: two weeks.
LOG_DAYS = 14
PAPERS = ("A4", "letter")
_FONT, _FONT_BOLD = "LBPSheetSans", "LBPSheetSans-Bold"


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if _FONT in pdfmetrics.getRegisteredFontNames():
        return
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(_FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(_FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(_FONT, normal=_FONT, bold=_FONT_BOLD, italic=_FONT,
                                  boldItalic=_FONT_BOLD)


def _x(text: Any) -> str:
    return _html.escape(str(text), quote=False).replace("\n", "<br/>")


def sheet_stop_if() -> str:
    """When to stop an exercise, from the pain traffic light in ``data/person.json``.

    >>> "spreads into a leg" in sheet_stop_if()
    True
    """
    zones = section("traffic_light")["zones"]
    amber = next(z for z in zones if z["id"] == "amber")
    return (f"Stop if the pain goes above {amber['during_max']}/10 during the exercise, "
            "or if it spreads into a leg.")


def _seek_help() -> list[str]:
    tl = section("traffic_light")
    return [tl["leg_rule"], tl["next_morning_rule"]]


def _catalogue() -> dict:
    return {e.id: e for e in reference.exercises()}


def sheet_pdf(result: Result, paper: str = "A4") -> bytes:
    """The take-home sheet for one client's current plan, as PDF bytes.

    Parameters
    ----------
    result : Result
        The client's assessment (:func:`lbp_workbook.assess`).
    paper : {"A4", "letter"}
        Paper size.

    Returns
    -------
    bytes
        A PDF: :data:`EXERCISES_PER_PAGE` exercises a page, then a page with
        the flare plan, when to seek help and the two-week log. While a
        referral is needed: one page with what to do and whom to contact, and
        no exercise.

    Raises
    ------
    ValueError
        If ``paper`` is not one of :data:`PAPERS`.
    """
    if paper not in PAPERS:
        raise ValueError(f"paper size {paper!r} is not one of: {', '.join(PAPERS)}")
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Image,
        KeepTogether,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    _register_fonts()
    page = A4 if paper == "A4" else letter
    margin = 14 * mm
    width = page[0] - 2 * margin
    base = ParagraphStyle("base", fontName=_FONT, fontSize=10, leading=13)
    small = ParagraphStyle("small", parent=base, fontSize=8.5, leading=11,
                           textColor=colors.HexColor("#444444"))
    h1 = ParagraphStyle("h1", parent=base, fontName=_FONT_BOLD, fontSize=17, leading=21,
                        spaceAfter=4)
    h2 = ParagraphStyle("h2", parent=base, fontName=_FONT_BOLD, fontSize=12.5, leading=16,
                        spaceBefore=6, spaceAfter=3, keepWithNext=1)
    cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5)

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(_FONT, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        para = Paragraph(_x(EDUCATIONAL_NOTICE), small)
        _, h = para.wrap(width, page[1])
        para.drawOn(canvas, margin, margin - h - 2 * mm + 10 * mm)
        canvas.drawRightString(page[0] - margin, page[1] - margin + 5 * mm,
                               f"Exercise sheet · {result.client_id} · page {doc.page}")
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=page, leftMargin=margin, rightMargin=margin,
                            topMargin=margin, bottomMargin=margin + 14 * mm,
                            title=f"Exercise sheet: {result.client_id}", author="LBP Workbook",
                            subject="Take-home exercise sheet (educational, not diagnostic)",
                            creator="lbp_workbook.views.sheet", invariant=1)
    story: list = [Paragraph(f"Your exercise sheet: {_x(result.client_id)}", h1)]
    ref = result.referral
    if ref.needed:
        story += [
            Paragraph("<b>No exercises for now.</b> Before any training, please see a medical "
                      "provider.", base),
            Spacer(1, 4 * mm),
            Paragraph(f"<b>What to do now:</b> {_x(ref.action)}", base),
            Spacer(1, 2 * mm),
            Paragraph(f"<b>Who to contact:</b> {_x(ref.contact)}", base),
            Spacer(1, 4 * mm),
            Paragraph("Your trainer will make a plan with you once you are cleared to "
                      "exercise.", base),
        ]
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
        return buf.getvalue()

    catalogue = _catalogue()
    stop_if = sheet_stop_if()
    story.append(Paragraph(
        f"Phase {result.phase} plan from your trainer. Do the exercises as shown, at the dose "
        "written under each one, and fill in the log on the last page.", base))
    story.append(Spacer(1, 3 * mm))
    pic_w = width * 0.52
    for i, planned in enumerate(result.exercises):
        if i and i % EXERCISES_PER_PAGE == 0:
            story.append(PageBreak())
        ex = catalogue[planned.id]
        png = exercise_figures.exercise_png(planned.id, 110)
        img = Image(io.BytesIO(png))
        img.drawHeight = img.drawHeight * pic_w / img.drawWidth
        img.drawWidth = pic_w
        max_h = 62 * mm
        if img.drawHeight > max_h:
            img.drawWidth = img.drawWidth * max_h / img.drawHeight
            img.drawHeight = max_h
        cues = "".join(f"• {_x(c)}<br/>" for c in ex.cues[:3])
        text = [
            Paragraph(f"<b>{i + 1}. {_x(planned.name)}</b>", h2),
            Paragraph(f"<b>Dose:</b> {_x(planned.dosage)}", cell),
            Spacer(1, 1.5 * mm),
            Paragraph(f"<b>Remember:</b><br/>{cues}", cell),
            Paragraph(f"<b>Stop if:</b> {_x(stop_if)}", cell),
        ]
        row = Table([[img, text]], colWidths=[pic_w + 3 * mm, width - pic_w - 3 * mm])
        row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("LINEABOVE", (0, 0), (-1, 0), 0.6, colors.HexColor("#999999")),
                                 ("TOPPADDING", (0, 0), (-1, -1), 4)]))
        story.append(KeepTogether([row, Spacer(1, 3 * mm)]))
    story.append(PageBreak())

    fp = section("flare_plan")
    story.append(Paragraph("If your back flares up", h2))
    story += [Paragraph(f"{n}. {_x(step)}", cell) for n, step in enumerate(fp["steps"], 1)]
    story.append(Paragraph("When to stop and seek help", h2))
    story += [Paragraph(f"• {_x(line)}", cell) for line in _seek_help()]
    story.append(Paragraph("Two-week log", h2))
    n = len(result.exercises)
    story.append(Paragraph(
        "Tick each exercise on the days you do it (the numbers are the exercises above). "
        "Write down your worst pain during the session and how your back feels the next "
        "morning, from 0 (no pain) to 10 (the worst pain imaginable). Bring this page to "
        "your next session.", cell))
    story.append(Spacer(1, 2 * mm))
    header = ["day", "date"] + [str(k + 1) for k in range(n)] + [
        "pain during\n(0–10)", "pain next\nmorning (0–10)"]
    rows = [header] + [[str(d + 1), ""] + [""] * n + ["", ""] for d in range(LOG_DAYS)]
    fixed = 12 * mm + 22 * mm + 2 * 26 * mm
    tick_w = max(7 * mm, min(12 * mm, (width - fixed) / max(n, 1)))
    grid = Table(rows, colWidths=[12 * mm, 22 * mm] + [tick_w] * n + [26 * mm, 26 * mm],
                 rowHeights=[10 * mm] + [7.2 * mm] * LOG_DAYS, repeatRows=1)
    grid.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), _FONT, 8),
        ("FONT", (0, 0), (-1, 0), _FONT_BOLD, 8),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#777777")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
        ("BACKGROUND", (0, 8), (-1, 14), colors.HexColor("#F7F7F7")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
    ]))
    story.append(grid)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


def sheet_pages(result: Result) -> int:
    """How many pages :func:`sheet_pdf` makes for ``result`` (1 while a referral is needed)."""
    if result.referral.needed:
        return 1
    return math.ceil(len(result.exercises) / EXERCISES_PER_PAGE) + 1


def write_sheet(result: Result, path: str | Path, paper: str = "A4") -> Path:
    """Write :func:`sheet_pdf` to ``path`` and return it."""
    out = Path(path)
    out.write_bytes(sheet_pdf(result, paper))
    return out
