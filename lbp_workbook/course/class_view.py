"""The class-data view: a practical session's readings, per test, against the cut-off.

A thin shell over :mod:`lbp_workbook.course.classdata`: an upload button for the
class CSV, a line saying how many rows were read and skipped, the table of
bad rows (each with its problem), the per-test summary table and the
distribution chart. It starts on the synthetic example class (or the file
or data passed in), so the page reads correctly before anyone touches it.

>>> view = class_view()
>>> "13 row(s) read" in view.tables.value and view.chart.value[:4] == b"\\x89PNG"
True
"""

from __future__ import annotations

import html
import os
import tempfile
from pathlib import Path

import ipywidgets as widgets

from lbp_workbook.course.classdata import (
    ClassData,
    class_distribution_chart,
    class_example_path,
    class_summary,
    class_tables_html,
    load_class_csv,
)
from lbp_workbook.views.plotstyle import figure_png

__all__ = ["class_view", "ClassView"]

#: Display width of the chart [px]; the figure is 9 in wide, drawn at 80 dpi.
CHART_WIDTH_PX = 720
CHART_DPI = 80

_STYLE = """<style>
.lbp-class table { border-collapse: collapse; margin: 4px 0 12px; font-size: 13px; }
.lbp-class th, .lbp-class td { border-bottom: 1px solid #ccc; padding: 2px 8px; text-align: left; }
.lbp-class th { background: #f5f5f5; }
.lbp-class .lbp-class-problems td { color: #8a3500; }
</style>"""


class ClassView(widgets.VBox):
    """Upload a class CSV and see every test's readings against its cut-off.

    Parameters
    ----------
    source : str, Path or ClassData, optional
        A CSV path or loaded data to start from; the example class when omitted.

    Attributes
    ----------
    upload : ipywidgets.FileUpload
        Choose a CSV file (laid out like the workbook's CSV export).
    status : ipywidgets.HTML
        What is shown, or what went wrong (file-level errors).
    tables : ipywidgets.HTML
        Rows read and skipped, the bad rows with their problems, the summary table.
    chart : ipywidgets.Image
        The distribution chart (PNG).
    data : ClassData or None
        What is shown.
    """

    def __init__(self, source: str | os.PathLike | ClassData | None = None) -> None:
        self.upload = widgets.FileUpload(accept=".csv", multiple=False,
                                         description="Load class CSV")
        self.status = widgets.HTML()
        self.tables = widgets.HTML()
        self.chart = widgets.Image(format="png",
                                   layout=widgets.Layout(width=f"{CHART_WIDTH_PX}px"))
        self.data: ClassData | None = None
        self.upload.observe(self._on_upload, names="value")
        super().__init__([self.upload, self.status, self.tables, self.chart])
        self.add_class("lbp-class")
        self.show(class_example_path() if source is None else source)

    def show(self, source: str | os.PathLike | ClassData, name: str | None = None) -> None:
        """Load ``source`` (a CSV path or ClassData) and redraw; errors go to ``status``."""
        try:
            data = source if isinstance(source, ClassData) else load_class_csv(source)
            if name is not None:
                data = ClassData(data.records, data.problems, name)
            summaries = class_summary(data)
            tables = class_tables_html(data, summaries)
            png = figure_png(class_distribution_chart(summaries), dpi=CHART_DPI)
        except Exception as err:  # shown in the UI, never lost; the last good view stays
            shown = html.escape(str(err))
            if name is not None:  # the temporary file's path means nothing to the learner
                shown = shown.replace(html.escape(str(source)), html.escape(name))
            self.status.value = (f'<p style="color:#8a3500"><b>Could not load the file:</b> '
                                 f"{shown}</p>")
            return
        self.data = data
        self.status.value = (f"<p>Showing <b>{html.escape(data.source or 'class data')}</b>: "
                             "dots are readings (cross = deficient), the dashed line is the "
                             "cut-off.</p>")
        self.tables.value = _STYLE + tables
        self.chart.value = png

    def _on_upload(self, change) -> None:
        try:
            files = change["new"]
            if not files:
                return
            item = files[0]
            name = str(item.get("name", "uploaded.csv"))
            content = bytes(item["content"])
            fd, tmp = tempfile.mkstemp(suffix=".csv")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(content)
                self.show(Path(tmp), name=name)
            finally:
                os.unlink(tmp)
        except Exception as err:  # shown in the UI, never lost
            self.status.value = (f'<p style="color:#8a3500"><b>Could not load the file:</b> '
                                 f"{html.escape(str(err))}</p>")


def class_view(source: str | os.PathLike | ClassData | None = None) -> ClassView:
    """Show a class's measurements: bad rows, per-test summary and distribution chart.

    Parameters
    ----------
    source : str, Path or ClassData, optional
        A class CSV (the columns of the workbook's CSV export) or data from
        :func:`lbp_workbook.course.classdata.load_class_csv`; the synthetic example
        class when omitted. Another file can be loaded with the upload button.

    Returns
    -------
    ClassView
        An ipywidgets box; display it as the last line of a cell.
    """
    return ClassView(source)
