"""The app's "Exercise sheet (PDF)" button: the take-home sheet of the current plan.

:func:`sheet_controls` builds the button, a paper-size choice and a line for
the result; the assessment app adds them to its files section. The sheet is
made from the entries as they are now (:func:`lbp_workbook.views.sheet.sheet_pdf`)
and written beside the saved clients, in the same folder as the client
summaries; an earlier sheet is never replaced. While a referral is in force
the sheet lists no exercise and says whom to contact.
"""

from __future__ import annotations

import base64
import copy
import html
from pathlib import Path
from typing import Any

import ipywidgets as widgets

__all__ = ["sheet_controls", "write_sheet_for"]


def _free_path(folder: Path, stem: str) -> Path:
    path = folder / f"{stem}.pdf"
    n = 2
    while path.exists():
        path = folder / f"{stem}_{n}.pdf"
        n += 1
    return path


def write_sheet_for(record: Any, folder: Path, paper: str = "A4") -> Path:
    """Write the take-home sheet of ``record`` into ``folder``; return the new file.

    Raises
    ------
    RecordError
        The record is invalid (nothing is written).
    OSError
        The folder cannot be written.
    """
    from lbp_workbook.engine.assessment import assess
    from lbp_workbook.views.sheet import sheet_pdf

    result = assess(copy.deepcopy(record))
    pdf = sheet_pdf(result, paper)
    folder.mkdir(parents=True, exist_ok=True)
    stem = "_".join(x for x in (str(result.client_id), str(result.date or ""), "exercise_sheet")
                    if x)
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem)
    path = _free_path(folder, stem)
    path.write_bytes(pdf)
    return path


def sheet_controls(app: Any) -> widgets.HBox:
    """The button, paper choice and message line for one assessment app.

    Parameters
    ----------
    app : AssessmentApp
        Read for ``record`` (the current entries) and ``summaries_folder``.
    """
    from lbp_workbook.engine.record import RecordError

    paper = widgets.Dropdown(options=["A4", "letter"], value="A4", description="Paper",
                             layout=widgets.Layout(width="150px"))
    button = widgets.Button(
        description="Exercise sheet (PDF)", icon="print",
        tooltip="Write a take-home sheet of the current plan: a picture, dose, cues and when "
                "to stop for each exercise, the flare plan and a two-week log",
        layout=widgets.Layout(width="auto", flex="0 0 auto"),
    )
    button.add_class("lbp-sheet-button")
    message = widgets.HTML()
    message.add_class("lbp-output")
    message.add_class("lbp-sheet-message")

    def on_click(_b: Any) -> None:
        record = getattr(app, "record", None)
        if not record:
            message.value = _problem("Nothing valid to make a sheet from yet.")
            return
        try:
            path = write_sheet_for(record, Path(app.summaries_folder), paper.value)
        except RecordError:
            message.value = _problem("An entry is invalid: fix the marked entries first "
                                     "(no sheet was written).")
            return
        except OSError as exc:
            message.value = _problem(f"The sheet could not be written: {exc.strerror or exc}.")
            return
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        name = html.escape(path.name, quote=True)
        message.value = (
            f"<span style='color:#00664A'>Exercise sheet written to "
            f"<code>{html.escape(str(path))}</code>.</span> "
            f"<a download=\"{name}\" href=\"data:application/pdf;base64,{data}\" "
            f"class='lbp-sheet-pdf'>⬇ Download the sheet ({html.escape(path.name)})</a>"
        )

    button.on_click(on_click)
    box = widgets.VBox([widgets.HBox([button, paper], layout=widgets.Layout(
        align_items="center")), message])
    box.button, box.paper, box.message = button, paper, message
    return box


def _problem(text: str) -> str:
    return (f"<div role='alert' style='color:#8B0000;font-size:0.92em'>⚠ "
            f"{html.escape(text)}</div>")
