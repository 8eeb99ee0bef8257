"""The assessment app: enter one client's assessment, see the engine's result live.

``assessment_app()`` shows, beside the entries, what :func:`lbp_workbook.engine.assessment`
concludes, in the order a trainer must read it:

1. the **referral banner** (first, across the app, unmistakable when a
   referral is in force: urgency, reasons, what to do and whom to contact;
   released triggers shown as released);
2. beside the entries, the **phase card** with every gate and its value (why
   this phase, what would move the client on), or, while a referral is in
   force, a "training on hold until cleared" panel in its place; the
   **deficit chart** (a reused figure shown as a ``widgets.Image``) and
   **what if**: the smallest single-measurement changes that would change
   the phase or clear a deficiency (:func:`lbp_workbook.engine.whatif.what_if`);
3. after them, the **findings**, the **exercise plan**, the saved client's
   **progress** (:mod:`lbp_workbook.views.widgets.client_progress`) and the
   educational notice with a "scope of practice: when to refer" note.

The layout is a CSS grid: entries on the left, what changes when you type on
the right; on a page narrower than 1,000 px (or an app narrower than 820 px)
it is one column, and the chart moves under the entries when the right column
is too narrow to show it at a readable size.

Every number shown comes from the engine's result. The parts live in their
own modules: the entries in :mod:`lbp_workbook.views.widgets.form` (numbers read by
:mod:`lbp_workbook.views.number_entry`), the HTML cards in
:mod:`lbp_workbook.views.app_cards`, the file box in
:mod:`lbp_workbook.views.widgets.app_files`. An invalid entry is reported beside its
control; the other entries and the last valid result stay on screen, except
that a referral always wins: if the valid entries alone already call for a
referral (a red flag ticked while another box is wrong, say), the banner and
the "on hold" panel replace the old phase and plan at once. Everything a
learner types is shown escaped.
"""

from __future__ import annotations

import copy
from typing import Any, Mapping

import ipywidgets as widgets

from lbp_workbook.engine.assessment import assess
from lbp_workbook.engine.record import Record, RecordError, normalise_client_id
from lbp_workbook.engine.result import Result
from lbp_workbook.engine.storage import ClientStore
from lbp_workbook.engine.whatif import Change, get_path, what_if
from lbp_workbook.views.app_cards import (  # noqa: F401 - the cards, importable from here
    SECTIONS,
    banner_html,
    findings_html,
    focus_html,
    hold_html,
    notice_html,
    phase_html,
    plan_html,
    problem_html,
    suggestions_html,
    whatif_html,
)
from lbp_workbook.views.exercise_figures import plan_pictures_html
from lbp_workbook.views.widgets._figure_view import FigureView
from lbp_workbook.views.widgets.app_files import ClientFiles
from lbp_workbook.views.widgets.client_progress import ProgressPanel
from lbp_workbook.views.widgets.form import Form, field_class, match, prune, put  # noqa: F401

_problem_html = problem_html

#: The running example every lesson starts from.
DEFAULT_EXAMPLE = "runner_sam"

#: Deficit chart: 10 x 7 in at 84 dpi = 840 x 588 px, shown at 840 px (one image pixel
#: per screen pixel, so crisp); its 12 pt text is then 14 px on screen, readable from
#: the back of a classroom. Narrower than about 640 px its labels would be too small to
#: read, so the grid puts it under the entries when the right column is narrower.
_CHART_W_IN, _CHART_H_IN, _CHART_DPI = 10.0, 7.0, 84

#: Page CSS, scoped to the app. The grid: entries | results. Wide (the app at least
#: 1,120 px: JupyterLab at 1920 px, or 1280 px with the file browser closed): the phase
#: card, the chart and the what-if list beside the entries. Medium (820-1,119 px:
#: JupyterLab at 1280 px with the file browser open, a 1024 px projector): the phase
#: card and what-if beside the entries, the chart across the app under them (840 px,
#: readable). Narrow (a page under 1,000 px or an app under 820 px): one column.
#: Tab titles are never cut short, and long check-box labels (the red flags) wrap.
_CSS = """<style>
.lbp-assessment-app { container-type: inline-size; container-name: lbp-app; }
.lbp-assessment-app .lbp-main { display: grid; column-gap: 16px; row-gap: 0;
  grid-template-columns: minmax(0, 480px) minmax(0, 1fr); align-items: start;
  grid-template-rows: auto auto 1fr;
  grid-template-areas: "entries card" "entries chart" "entries whatif"; }
.lbp-assessment-app .lbp-controls { grid-area: entries; }
.lbp-assessment-app .lbp-results { grid-area: card; position: sticky; top: 0; z-index: 1;
  background: var(--jp-layout-color0, white); }
.lbp-assessment-app .lbp-chart-box { grid-area: chart; }
.lbp-assessment-app .lbp-main > .lbp-whatif { grid-area: whatif; }
@container lbp-app (max-width: 1119px) {
  .lbp-assessment-app .lbp-main { grid-template-rows: auto 1fr auto;
    grid-template-areas: "entries card" "entries whatif" "chart chart"; } }
@container lbp-app (max-width: 819px) {
  .lbp-assessment-app .lbp-main { grid-template-columns: minmax(0, 1fr);
    grid-template-rows: none; grid-template-areas: "entries" "card" "chart" "whatif"; }
  .lbp-assessment-app .lbp-results { position: static; } }
@media (max-width: 999px) {
  .lbp-assessment-app .lbp-main { grid-template-columns: minmax(0, 1fr);
    grid-template-rows: none; grid-template-areas: "entries" "card" "chart" "whatif"; }
  .lbp-assessment-app .lbp-results { position: static; } }
.lbp-assessment-app .lbp-tabs > .lm-TabBar .lm-TabBar-content { flex-wrap: wrap; }
.lbp-assessment-app .lbp-tabs > .lm-TabBar .lm-TabBar-tab {
  flex: 0 0 auto; min-width: fit-content; max-width: none; }
.lbp-assessment-app .lbp-tabs > .lm-TabBar .lm-TabBar-tabLabel {
  overflow: visible; text-overflow: clip; }
.lbp-assessment-app .widget-checkbox { height: auto; min-height: var(--jp-widgets-inline-height); }
.lbp-assessment-app .widget-checkbox .widget-label-basic,
.lbp-assessment-app .widget-checkbox .widget-label-basic span {
  white-space: normal; overflow: visible; text-overflow: clip; height: auto; line-height: 1.35; }
.lbp-assessment-app .widget-checkbox .widget-label-basic { display: flex; align-items: flex-start; }
.lbp-assessment-app .widget-checkbox input[type=checkbox] { flex: 0 0 auto; margin-top: 3px; }
.lbp-assessment-app .lbp-row-label .widget-html-content { line-height: 1.3; }
.lbp-assessment-app .lbp-output .widget-html-content,
.lbp-assessment-app .lbp-output.widget-html .widget-html-content { line-height: 1.45; }
.lbp-assessment-app .lbp-output li { margin: 2px 0; }
</style>"""


class AssessmentApp(ClientFiles):
    """The assessment app; see :func:`assessment_app`.

    Attributes
    ----------
    form : Form
        The entries; ``controls``, ``messages``, ``option_boxes``, ``specs``,
        ``labels``, ``tabs`` and ``psfs`` are the form's (see :class:`Form`).
    banner, phase_card, whatif, findings, focus, plan, notice, status : widgets.HTML
    image : widgets.Image
        The deficit chart (``figure_view`` reuses one figure).
    progress : ProgressPanel
        The saved client's progress (shown from two saved visits).
    result : Result or None
        The last valid result (kept while an entry is invalid).
    record : dict
        The record the last valid result was computed from.
    changes : tuple of whatif.Change
        The what-if list for ``result``.
    """

    def __init__(self, record: Mapping[str, Any] | Record | None = None,
                 store: ClientStore | None = None) -> None:
        self._store = store
        self._loading = False
        self._entries_ok = False  # True while every entry is valid and shown
        self.result: Result | None = None
        self.record: dict = {}
        self.changes: tuple[Change, ...] = ()
        self._base: dict = {}
        self._progress_client: Any = None  # the client whose saved progress is shown

        # ---- output widgets (HTML strings, rebuilt as text, never as widgets)
        self.status = widgets.HTML()
        self.general = widgets.HTML()  # problems not tied to one control, callback errors
        self.banner = widgets.HTML()
        self.phase_card = widgets.HTML()
        self.whatif = widgets.HTML()
        self.findings = widgets.HTML()
        self.focus = widgets.HTML()
        self.plan = widgets.HTML()
        self.notice = widgets.HTML()
        self.suggest = widgets.HTML()  # "talk to your clinician" (never a hold on training)
        self.chart_caption = widgets.HTML()
        self._make_chart()
        for w, name in (
            (self.status, "lbp-status"),
            (self.general, "lbp-general-message"),
            (self.banner, "lbp-banner"),
            (self.phase_card, "lbp-phase-card"),
            (self.whatif, "lbp-whatif"),
            (self.findings, "lbp-findings"),
            (self.focus, "lbp-focus"),
            (self.plan, "lbp-plan"),
            (self.notice, "lbp-notice"),
            (self.suggest, "lbp-suggestions"),
            (self.chart_caption, "lbp-chart-caption"),
            (self.image, "lbp-deficit-chart"),
        ):
            w.add_class(name)
            if isinstance(w, widgets.HTML):
                w.add_class("lbp-output")  # text panels: comfortable line spacing

        # ---- inputs
        self.form = Form(self._on_change)
        self.controls = self.form.controls
        self.messages = self.form.messages
        self.option_boxes = self.form.option_boxes
        self.specs = self.form.specs
        self.labels = self.form.labels
        self.tabs = self.form.tabs
        self.psfs = self.form.psfs
        files_box = self._build_files_box()
        self.progress = ProgressPanel()

        # Banner first, across the whole app; then the grid (entries | phase card, chart,
        # what-if; see _CSS); then findings, plan, progress and the notice.
        self.controls_column = widgets.VBox(
            [self.form.client_box, self.tabs, self.general, files_box],
            layout=widgets.Layout(min_width="0", max_width="100%", margin="0 0 8px 0"),
        )
        self.controls_column.add_class("lbp-controls")
        self.results_column = widgets.VBox(
            [self.phase_card, self.suggest, self.focus],
            layout=widgets.Layout(min_width="0", max_width="100%"),
        )
        self.results_column.add_class("lbp-results")
        self.chart_box = widgets.VBox(
            [self.image, self.chart_caption],
            layout=widgets.Layout(min_width="0", max_width="100%", margin="0 0 8px 0"),
        )
        self.chart_box.add_class("lbp-chart-box")
        self.main = widgets.GridBox(
            [self.controls_column, self.results_column, self.chart_box, self.whatif],
            layout=widgets.Layout(width="100%"),
        )
        self.main.add_class("lbp-main")
        self.details = widgets.VBox(
            [self.findings, self.plan, self.progress.widget, self.notice],
            layout=widgets.Layout(width="100%"),
        )
        self.details.add_class("lbp-details")
        self.widget = widgets.VBox(
            [
                widgets.HTML(_CSS, layout=widgets.Layout(display="none")),
                self.banner,
                self.status,
                self.main,
                self.details,
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.widget.add_class("lbp-assessment-app")

        if record is None:
            from lbp_workbook.engine.examples import load_example

            record = load_example(DEFAULT_EXAMPLE)
            self.example_picker.value = DEFAULT_EXAMPLE
        self.load_record(record)
        self._guard(self.refresh_clients)  # saved clients listed at once (read only)

    # ------------------------------------------------------------------ display

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    # ------------------------------------------------------------------ chart

    def _make_chart(self) -> None:
        from lbp_workbook.views.plots import DeficitChart

        self.chart = DeficitChart(width_in=_CHART_W_IN, height_in=_CHART_H_IN, dpi=_CHART_DPI)
        self.figure_view = FigureView(self.chart.figure, width_px=round(_CHART_W_IN * _CHART_DPI))
        self.image = self.figure_view.image
        self.image.layout.max_width = "100%"  # shrink, never overflow, on a narrow screen

    # ------------------------------------------------------------------ values

    def load_record(self, record: Mapping[str, Any] | Record) -> None:
        """Fill every control from ``record`` (mapping or Record) and show its result.

        A value a control cannot hold (an unknown red-flag id, a sex outside the
        choices) is reported under the entries, never dropped silently; a number
        that is not a number is put in its box as text, so its message appears
        beside it.
        """
        if isinstance(record, Record):
            record = record.to_dict()
        self._base = copy.deepcopy(dict(record))
        self._loading = True
        try:
            unshown = self.form.load(self._base)
        finally:
            self._loading = False
        self.refresh()
        if unshown:
            self.general.value += "".join(
                _problem_html(f"Not loaded (the app cannot show it): {u}") for u in unshown
            )

    def _collect(self) -> tuple[dict, dict[str, str]]:
        """The record the controls describe, and the entries that need fixing."""
        return self.form.collect(self._base)

    # ------------------------------------------------------------------ updating

    def _on_change(self, change: Any) -> None:
        if not self._loading:
            self.refresh()

    @property
    def _invalid(self) -> bool:
        return self.form.invalid

    def refresh(self) -> None:
        """Re-assess the entries (one ``assess()``) and update every view."""
        try:
            self._refresh()
        except Exception as exc:  # noqa: BLE001 - show it in the app, never lose it
            self.general.value = _problem_html(
                f"Something went wrong while updating ({exc}). Your entries are kept and "
                "the last valid result is still shown."
            )

    def _refresh(self) -> None:
        record, problems = self._collect()  # entries that need fixing are left out
        self.form.clear_messages()
        self.general.value = ""
        provisional = None
        try:
            result = assess(record)
        except RecordError as err:
            problems.update(self.form.record_problems(err.problems))
            provisional = self._provisional(record, err)
        else:
            if not problems:
                self._entries_ok = True
                self._show(record, result)
                return
            provisional = (record, result)
        self._entries_ok = False  # what is shown is not (all) of the entries
        # invalid: messages beside the controls; keep the last valid result on screen ...
        general = self.form.show_problems(problems)
        if general:
            self.general.value = "".join(_problem_html(t) for t in general)
        # ... unless the valid entries alone already refer: a referral always wins
        referral = provisional is not None and provisional[1].referral.needed
        if referral:
            self._show(*provisional)
            tail = (
                "A referral is in force for the entries that are valid, so training is on "
                "hold whatever the marked entry says."
            )
        elif self.result is not None:
            tail = "The result below is still the one for the last valid entries."
        else:
            tail = "No result yet: nothing is shown until the entries are valid."
        self.status.value = (
            "<div style='border-left:4px solid #D55E00;padding:4px 8px;background:#FFF0E6'>"
            f"<b>An entry needs fixing</b> (marked beside it). {tail}</div>"
        )

    def _provisional(self, record: dict, err: RecordError) -> tuple[dict, Result] | None:
        """``(record, result)`` for the entries without the invalid ones, or None.

        Used only to see whether the valid entries already call for a referral.
        """
        trimmed = copy.deepcopy(record)
        for p in err.problems:
            if str(p.path).startswith("function.psfs"):  # function never decides a referral
                trimmed.get("function", {}).pop("psfs", None)
                continue
            path = match(str(p.path), self.messages)
            if path is None:
                return None  # a problem no control owns: nothing safe to leave out
            put(trimmed, path, None)
        prune(trimmed)
        try:
            return trimmed, assess(trimmed)
        except RecordError:
            return None

    def _show(self, record: dict, result: Result) -> None:
        """Show a valid result: text and chart first, the what-if list last.

        Each widget value set here is sent to the browser at once, so the
        banner, phase card, plan and chart arrive before the what-if search
        (a few more assessments) runs.
        """
        self.record = record
        self.result = result
        self.status.value = ""
        if self._summary_record is not None and self._summary_record != record:
            self.summary_links.value = ""  # links belong to the entries they were made from
            self._summary_record = None
        held = bool(result.referral.needed)
        self.banner.value = banner_html(result)
        self.phase_card.value = hold_html(result) if held else phase_html(result)
        self.focus.value = "" if held else focus_html(result)
        self.suggest.value = "" if held else suggestions_html(result)
        self.plan.value = "" if held else plan_html(result) + plan_pictures_html(result)
        for w in (self.whatif, self.focus, self.plan):
            w.layout.display = "none" if held else None
        self.findings.value = findings_html(result, held)
        self.figure_view.update(lambda _fig: self.chart.update(result))
        self.chart_caption.value = (
            "<div style='color:#444;font-size:0.9em'>Deficit chart: each reading against its "
            "cut-off, as the engine found it."
            + (" Measurements only: no training until cleared." if held else "")
            + "</div>"
        )
        self.notice.value = notice_html(result)
        if held:
            self.changes = ()
            self.whatif.value = ""
        else:
            self.changes = what_if(record, result)
            self.whatif.value = whatif_html(self.changes)
        if normalise_client_id(result.client_id) != self._progress_client:
            self._client_progress_changed()
        self.progress.hold(held)

    def _client_progress_changed(self) -> None:
        """Show the saved progress of the client in the entries (two saved visits or more)."""
        cid = get_path(self.record or self._base, "client.id")
        self._progress_client = normalise_client_id(cid) if isinstance(cid, str) else None
        history: list[dict] = []
        if self._progress_client and self._progress_client in self.store:
            history = self.store.history(self._progress_client)
        self.progress.show(str(self._progress_client or ""), history)
        self.progress.hold(bool(self.result is not None and self.result.referral.needed))


def assessment_app(record: Mapping[str, Any] | Record | None = None,
                   store: ClientStore | None = None) -> AssessmentApp:
    """Build the assessment app.

    Parameters
    ----------
    record : mapping or Record, optional
        An ``lbp-assessment/1`` record to start from; default the running
        example client (``load_example("runner_sam")``).
    store : storage.ClientStore, optional
        Where Save / Load go; default ``ClientStore()`` (the default clients
        folder, created on first save).

    Returns
    -------
    AssessmentApp
        ``.widget`` is the ipywidgets box; displaying the app shows it.
    """
    return AssessmentApp(record=record, store=store)

