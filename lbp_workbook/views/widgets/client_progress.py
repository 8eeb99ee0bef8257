"""A saved client's progress in the assessment app: the decision and one reading's chart.

Once a learner has saved two or more visits of a client, the app shows what
the fixed examples of the reassessment lessons show for a case: the
reassessment decision of the last two saved visits
(:func:`lbp_workbook.engine.progress.reassess`, drawn by
:func:`lbp_workbook.engine.progress.decision_html`) and one reading over every saved
visit (:func:`lbp_workbook.views.plots.progress_chart`, with the change at each
step from :func:`lbp_workbook.views.plots.progress_summary`). Nothing here decides
anything of its own: the verdicts are the engine's.
"""

from __future__ import annotations

import html
from typing import Any, Mapping, Sequence

import ipywidgets as widgets

from lbp_workbook.engine.assessment import assess
from lbp_workbook.engine.progress import Decision, decision_html, reassess
from lbp_workbook.engine.result import Result
from lbp_workbook.views.plots import measure_specs, progress_chart, progress_summary
from lbp_workbook.views.plotstyle import figure_png

esc = html.escape

#: The progress chart: 8 x 4 in at 84 dpi = 672 x 336 px, shown one image pixel per
#: screen pixel (shrinks, never overflows, on a narrow page).
_CHART_W_IN, _CHART_H_IN, _CHART_DPI = 8.0, 4.0, 84

Reading = tuple[str, "str | None"]  # (test, side), e.g. ("slr_deg", "left")


def readings_measured(results: Sequence[Result]) -> list[tuple[str, Reading]]:
    """The flexibility and endurance readings measured at two visits or more.

    Returns ``(label, (test, side))`` pairs in record order, e.g.
    ``("Passive straight-leg raise, left", ("slr_deg", "left"))``.
    """
    out: list[tuple[str, Reading]] = []
    for spec in measure_specs("flexibility") + measure_specs("endurance"):
        for side in spec.sides:
            try:
                steps = progress_summary(results, spec.test, side)
            except ValueError:
                continue
            if steps:
                label = spec.label + (f", {side}" if side else "")
                out.append((label, (spec.test, side)))
    return out


def first_to_show(decision: Decision, readings: Sequence[tuple[str, Reading]]) -> Reading | None:
    """The reading to chart first: the first one whose last change is beyond its
    measurement error, else the first measured."""
    paths = {c.path for c in decision.beyond_error}
    for _label, (test, side) in readings:
        for group in ("flexibility", "endurance"):
            if f"{group}.{test}" + (f".{side}" if side else "") in paths:
                return (test, side)
    return readings[0][1] if readings else None


class ProgressPanel:
    """The saved client's progress (hidden until a client has two saved visits).

    Attributes
    ----------
    widget : widgets.VBox
        The panel (class ``lbp-progress``).
    heading, decision_card, chart_caption : widgets.HTML
    picker : widgets.Dropdown
        Which reading the chart shows.
    image : widgets.Image
        The progress chart (class ``lbp-progress-chart``).
    decision : Decision or None
        The decision of the last two saved visits, as :func:`reassess` gives it.
    """

    def __init__(self) -> None:
        self.results: tuple[Result, ...] = ()
        self.decision: Decision | None = None
        self.client_id = ""
        self.heading = widgets.HTML()
        self.decision_card = widgets.HTML()
        self.decision_card.add_class("lbp-progress-decision")
        self.picker = widgets.Dropdown(
            options=[], description="Reading", style={"description_width": "initial"},
            layout=widgets.Layout(width="auto", max_width="100%"),
        )
        self.picker.observe(lambda _c: self._draw(), names="value")
        width_px = round(_CHART_W_IN * _CHART_DPI)
        self.image = widgets.Image(format="png", layout=widgets.Layout(
            width=f"{width_px}px", max_width="100%", height="auto"))
        self.image.add_class("lbp-progress-chart")
        self.chart_caption = widgets.HTML()
        self.held = widgets.HTML(
            "<div>The saved progress is not shown while a referral is in force: follow the "
            "banner above first.</div>", layout=widgets.Layout(display="none"))
        for w in (self.heading, self.decision_card, self.chart_caption):
            w.add_class("lbp-output")
        self.widget = widgets.VBox(
            [self.heading, self.held, self.decision_card, self.picker, self.image,
             self.chart_caption],
            layout=widgets.Layout(display="none", width="100%"),
        )
        self.widget.add_class("lbp-progress")

    def show(self, client_id: str, history: Sequence[Mapping[str, Any]]) -> None:
        """Show the progress of ``client_id`` from its saved visits (oldest first).

        With fewer than two visits the panel is hidden. A saved visit is valid
        (the store validates on save), so ``assess`` and ``reassess`` run as
        in the lessons.
        """
        if len(history) < 2:
            self.hide()
            return
        self.client_id = str(client_id)
        self.results = tuple(assess(r) for r in history)
        self.decision = reassess(history[-2], history[-1])
        readings = readings_measured(self.results)
        self.heading.value = (
            f"<div style='margin-top:8px'><b>Progress of {esc(self.client_id)}</b> over "
            f"{len(history)} saved visits ({esc(str(history[0].get('date', '')))} to "
            f"{esc(str(history[-1].get('date', '')))}). The decision compares the last two "
            "saved visits; save the entries again to add a visit.</div>"
        )
        self.decision_card.value = decision_html(self.decision)
        chosen = first_to_show(self.decision, readings)
        self.picker.unobserve_all("value")
        self.picker.options = [(label, reading) for label, reading in readings]
        self.picker.value = chosen
        self.picker.observe(lambda _c: self._draw(), names="value")
        self.picker.layout.display = "" if readings else "none"
        self._draw()
        self.widget.layout.display = ""

    def hold(self, held: bool) -> None:
        """While the entries call for a referral, the saved progress is not shown: its
        decision ("progress", "stay") could read as if training could go ahead."""
        if self.decision is None:
            return
        self.held.layout.display = "" if held else "none"
        for w in (self.decision_card, self.picker, self.image, self.chart_caption):
            w.layout.display = "none" if held else ""
        if not held and not self.picker.options:
            self.picker.layout.display = self.image.layout.display = "none"

    def hide(self) -> None:
        self.results, self.decision = (), None
        self.widget.layout.display = "none"

    def _draw(self) -> None:
        """Draw the chosen reading over the saved visits (one new figure, closed after)."""
        import matplotlib.pyplot as plt

        reading = self.picker.value
        if not self.results or reading is None:
            self.image.value = b""
            self.image.layout.display = "none"
            self.chart_caption.value = (
                "<div>No flexibility or endurance reading was measured at two saved visits, "
                "so there is no progress chart yet.</div>" if self.results else "")
            return
        test, side = reading
        fig, ax = plt.subplots(figsize=(_CHART_W_IN, _CHART_H_IN), dpi=_CHART_DPI,
                               layout="constrained")
        try:
            progress_chart(self.results, test, side, ax=ax)
            self.image.value = figure_png(fig)
        finally:
            plt.close(fig)
        steps = progress_summary(self.results, test, side)
        said = "; ".join(f"{s.from_date} to {s.to_date}: {s.text}" for s in steps)
        label = next((lb for lb, r in self.picker.options if r == reading), test)
        self.image.layout.display = ""
        self.chart_caption.value = (
            f"<div style='color:#444;font-size:0.9em'>{esc(label)} at each saved visit of "
            f"{esc(self.client_id)}: {esc(said)}. The grey band is the first reading ± its "
            "measurement error; a change inside it cannot be told apart from noise.</div>"
        )
