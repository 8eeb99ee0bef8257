"""The assessment app: enter one client's assessment, see the engine's result live.

``assessment_app()`` shows, beside the entries, what :func:`lbp_workbook.assess`
concludes, in the order a trainer must read it:

1. the **referral banner** (first, unmistakable when a referral is in force:
   urgency, reasons, what to do and whom to contact; released triggers shown
   as released);
2. the **phase card** with every gate and its value (why this phase, what
   would move the client on), or, while a referral is in force, a "training
   on hold until cleared" panel in its place;
3. **what if**: the smallest single-measurement changes that would change
   the phase or clear a deficiency (:func:`lbp_workbook.engine.whatif.what_if`);
4. the **findings and focus areas**, the **exercise plan** and the
   **deficit chart** (a reused figure shown as a ``widgets.Image``);
5. the educational notice and a "scope of practice: when to refer" note,
   next to the recommendation.

Every number shown comes from the engine's result; the controls are built
from ``record.FIELDS`` (labels, units and accepted ranges). An invalid entry
is reported beside its control; the other entries and the last valid result
stay on screen, except that a referral always wins: if the valid entries
alone already call for a referral (a red flag ticked while another box is
wrong, say), the banner and the "on hold" panel replace the old phase and
plan at once. Everything a learner types is shown escaped.

Why text boxes for numbers: a blank box is how a trainer writes "not
measured" on a paper form, and a number box cannot be blank (it would show
0, which is a real reading). A text box also lets the app say clearly what
is wrong with "sixty" or "200" instead of silently reverting it. The box
accepts a decimal comma. Entries update when you press Enter or leave the
box (not on every keystroke, so "62" is not first assessed as "6").
"""

from __future__ import annotations

import copy
import html
import math
from pathlib import Path
from typing import Any, Callable, Mapping

import ipywidgets as widgets

from lbp_workbook.engine.assessment import assess
from lbp_workbook.engine.record import (
    FIELDS,
    RecordError,
    looks_like_real_name,
    normalise_client_id,
    shorten,
)
from lbp_workbook.engine.result import FLAG_KIND_WORDS, URGENCY_ORDER
# The phase names and the gate wording are the engine's (one wording for app, CLI and summary).
from lbp_workbook.engine.rules.phase import PHASES, gate_words, person, phase_name  # noqa: F401
from lbp_workbook.engine.whatif import MEDICAL_ONLY_NOTE, get_path, set_path, what_if
from lbp_workbook.views.exercise_figures import plan_pictures_html
from lbp_workbook.views.widgets._figure_view import FigureView
from lbp_workbook.views.widgets.sheet_button import sheet_controls

esc = html.escape

#: Input groups, in the order a trainer works.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("screening", "1 · Screening"),
    ("pain", "2 · Pain"),
    ("flexibility", "3 · Flexibility"),
    ("endurance", "4 · Endurance"),
    ("control", "5 · Control"),
    ("person", "6 · Function and the person"),
)

#: The running example every lesson starts from.
DEFAULT_EXAMPLE = "runner_sam"

_COLOURS = {  # Okabe-Ito, as plotstyle.PALETTE; pale backgrounds for panels
    "emergency": ("#8B0000", "#FDE8E8"),
    "urgent": ("#B03A00", "#FFF0E6"),
    "before_training": ("#8A5A00", "#FFF7E0"),
    "routine": ("#0B5394", "#E8F1FB"),
    "none": ("#00664A", "#E6F6F1"),
}

#: Deficit chart: 10 x 7 in at 84 dpi = 840 x 588 px, shown at 840 px (one image pixel
#: per screen pixel, so crisp); its 12 pt text is then 14 px on screen, readable from
#: the back of a classroom. 840 px is the width of an output in JupyterLab at 1280 px
#: with the file browser open; on a narrower page the chart shrinks, never overflows.
_CHART_W_IN, _CHART_H_IN, _CHART_DPI = 10.0, 7.0, 84
#: Widths that keep the controls column readable at 1280 px (JupyterLab with the file
#: browser open leaves about 840 px for an output): labels wrap onto two lines at
#: most, never one word a line. The results column sits beside the controls when
#: there is room for both, else it wraps below them.
_LABEL_WIDTH = "220px"
_BOX_WIDTH = "90px"
_SIDE_BOX_WIDTH = "120px"
_CONTROLS_WIDTH = "520px"
_RESULTS_MIN_WIDTH = "400px"

#: Page CSS, scoped to the app: tab titles are never cut short, and long check-box
#: labels (the red flags) wrap instead of ending in "...".
_CSS = """<style>
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


def _words(s: Any) -> str:
    return str(s).replace("_", " ")


def _fmt(x: Any) -> str:
    """A value as a trainer reads it (no trailing .0; None = not measured)."""
    if x is None:
        return "not measured"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, float):
        return f"{x:g}"
    if isinstance(x, (list, tuple)):
        return ", ".join(_words(v) for v in x) or "none"
    return _words(x)


def _range_text(spec: Any) -> str:
    """``"deg, 0–130"``; a scale unit such as ``/10`` is left out (``"0–10"``)."""
    unit = f"{spec.unit}, " if spec.unit and not spec.unit.startswith("/") else ""
    return f"{unit}{_fmt(float(spec.minimum))}–{_fmt(float(spec.maximum))}"


def _choices(spec: Any) -> tuple:
    for name in ("choices", "options"):
        got = getattr(spec, name, None)
        if got:
            return tuple(got)
    return ()


def _red_flag_rows() -> list[Mapping[str, Any]]:
    """The red-flag catalogue (id, label, urgency, condition) from the package data."""
    try:
        from lbp_workbook.engine import reference

        for name in ("red_flags", "load_red_flags"):
            fn = getattr(reference, name, None)
            if callable(fn):
                rows = fn()
                return [r if isinstance(r, Mapping) else vars(r) for r in rows]
    except Exception:  # noqa: BLE001 - fall back to the data file itself
        pass
    import json
    from importlib.resources import files

    data = json.loads((files("lbp_workbook") / "data" / "red_flags.json").read_text("utf-8"))
    return list(data["red_flags"])


class _MultiChoice:
    """A set of checkboxes that acts as one control whose ``value`` is a tuple of ids."""

    def __init__(self, options: list[tuple[str, str]]) -> None:
        self.boxes: dict[str, widgets.Checkbox] = {
            key: widgets.Checkbox(
                value=False, description=label, indent=False, layout=widgets.Layout(width="auto")
            )
            for key, label in options
        }
        for key, box in self.boxes.items():
            box.add_class(f"lbp-option-{key}")
        self._callbacks: list[Callable] = []
        self._quiet = False
        for box in self.boxes.values():
            box.observe(self._changed, names="value")

    @property
    def value(self) -> tuple[str, ...]:
        return tuple(k for k, b in self.boxes.items() if b.value)

    @value.setter
    def value(self, values) -> None:
        wanted = set(values or ())
        unknown = wanted - set(self.boxes)
        if unknown:
            raise ValueError(f"unknown options: {sorted(unknown)}")
        self._quiet = True
        try:
            for key, box in self.boxes.items():
                box.value = key in wanted
        finally:
            self._quiet = False
        self._fire()

    def observe(self, fn: Callable, names: str = "value") -> None:
        self._callbacks.append(fn)

    def _changed(self, change) -> None:
        if not self._quiet:
            self._fire()

    def _fire(self) -> None:
        for fn in self._callbacks:
            fn({"name": "value", "new": self.value, "owner": self})


class AssessmentApp:
    """The assessment app; see :func:`assessment_app`.

    Attributes
    ----------
    controls : dict
        Field path (with side, e.g. ``"flexibility.slr_deg.left"``) → control.
        Numbers are ``widgets.Text`` (blank = not measured), yes/no are
        ``widgets.Checkbox``, choices ``widgets.Dropdown``, multi-choices a
        set of checkboxes (``option_boxes[path][id]``) whose ``value`` is a tuple.
    messages : dict
        Field path → the ``widgets.HTML`` beside that control (both sides of a
        row share one).
    banner, phase_card, whatif, findings, focus, plan, notice, status : widgets.HTML
    image : widgets.Image
        The deficit chart (``figure_view`` reuses one figure).
    result : Result or None
        The last valid result (kept while an entry is invalid).
    record : dict
        The record the last valid result was computed from.
    changes : tuple of whatif.Change
        The what-if list for ``result``.
    """

    def __init__(self, record: Any = None, store: Any = None) -> None:
        self._store = store
        self._loading = False
        self._entries_ok = False  # True while every entry is valid and shown
        self.result = None
        self.record: dict = {}
        self.changes: tuple = ()
        self.controls: dict[str, Any] = {}
        self.messages: dict[str, widgets.HTML] = {}
        self.option_boxes: dict[str, dict[str, widgets.Checkbox]] = {}
        self.specs: dict[str, Any] = {}  # full path -> FieldSpec
        self.labels: dict[str, str] = {}  # full path -> label with side
        self._base: dict = {}

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
        client_box = self._build_client_box()
        tabs = []
        for key, title in SECTIONS:
            tabs.append((title, self._build_section(key)))
        self.tabs = widgets.Tab(children=[t[1] for t in tabs])
        for i, (title, _) in enumerate(tabs):
            self.tabs.set_title(i, title)
        self.tabs.add_class("lbp-tabs")
        files_box = self._build_files_box()

        # Banner first, across the whole app; then the controls with the phase card and
        # what-if beside them (below them on a narrow page); then findings, plan and the
        # chart across the whole width, so the chart can be large.
        self.controls_column = widgets.VBox(
            [client_box, self.tabs, self.general, files_box],
            layout=widgets.Layout(
                flex="0 1 " + _CONTROLS_WIDTH, width=_CONTROLS_WIDTH, min_width="0",
                max_width="100%", margin="0 16px 8px 0",
            ),
        )
        self.controls_column.add_class("lbp-controls")
        self.results_column = widgets.VBox(
            [self.phase_card, self.whatif, self.suggest, self.focus],
            layout=widgets.Layout(flex=f"1 1 {_RESULTS_MIN_WIDTH}", min_width="0",
                                  max_width="100%"),
        )
        self.results_column.add_class("lbp-results")
        self.details = widgets.VBox(
            [self.findings, self.plan, self.image, self.chart_caption, self.notice],
            layout=widgets.Layout(width="100%"),
        )
        self.details.add_class("lbp-details")
        self.widget = widgets.VBox(
            [
                widgets.HTML(_CSS, layout=widgets.Layout(display="none")),
                self.banner,
                self.status,
                widgets.HBox(
                    [self.controls_column, self.results_column],
                    layout=widgets.Layout(flex_flow="row wrap", width="100%",
                                          align_items="flex-start"),
                ),
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

    # ------------------------------------------------------------------ building

    def _spec_rows(self, section: str) -> list[Any]:
        return [s for s in FIELDS if s.path.split(".")[0] == section]

    def _register(self, path: str, spec: Any, label: str, control: Any, message) -> None:
        self.controls[path] = control
        self.messages[path] = message
        self.specs[path] = spec
        self.labels[path] = label
        hook = field_class(path)
        for w in getattr(control, "boxes", {}).values() or (control,):
            w.add_class(hook)
        message.add_class("lbp-field-message")
        message.add_class("lbp-output")
        control.observe(self._on_change, names="value")

    def _number_box(self, spec: Any, side: str | None) -> widgets.Text:
        return widgets.Text(
            value="",
            placeholder="not measured",
            continuous_update=False,
            description=side or "",
            description_allow_html=False,
            style={"description_width": "initial" if side else "0px"},
            layout=widgets.Layout(width=_SIDE_BOX_WIDTH if side else _BOX_WIDTH,
                                  flex="0 0 auto"),
            tooltip=f"{spec.label}: {_range_text(spec)}; blank = not measured",
        )

    def _row_label(self, spec: Any) -> widgets.HTML:
        rng = ""
        if spec.kind in ("number", "integer"):  # the range kept on one line
            rng = f" <span style='color:#555;white-space:nowrap'>({esc(_range_text(spec))})</span>"
        title = esc(spec.help or "", quote=True) if getattr(spec, "help", None) else ""
        label = widgets.HTML(
            f"<span title='{title}'>{esc(spec.label)}{rng}</span>",
            layout=widgets.Layout(width=_LABEL_WIDTH, flex="0 0 auto"),
        )
        label.add_class("lbp-row-label")
        return label

    def _field_row(self, spec: Any) -> widgets.Widget:
        message = widgets.HTML(layout=widgets.Layout(width="auto"))
        if spec.kind in ("number", "integer"):
            if spec.side_specific:
                boxes = []
                for side in ("left", "right"):
                    box = self._number_box(spec, side)
                    label = f"{spec.label} ({side})"
                    self._register(f"{spec.path}.{side}", spec, label, box, message)
                    boxes.append(box)
                inner = _row(self._row_label(spec), *boxes)
            else:
                box = self._number_box(spec, None)
                self._register(spec.path, spec, spec.label, box, message)
                inner = _row(self._row_label(spec), box)
        elif spec.kind == "bool":
            box = widgets.Checkbox(
                value=False,
                description=spec.label,
                indent=False,
                tooltip=spec.help or "",
                layout=widgets.Layout(width="auto"),
            )
            self._register(spec.path, spec, spec.label, box, message)
            # screening: say what each trigger does (clearance releases it or not)
            help_ = (
                [
                    widgets.HTML(
                        f"<span style='color:#666;font-size:0.9em;margin-left:8px'>"
                        f"— {esc(spec.help)}</span>"
                    )
                ]
                if spec.path.startswith("screening") and spec.help
                else []
            )
            inner = widgets.HBox([box, *help_], layout=widgets.Layout(align_items="center"))
        elif spec.kind == "choice":
            words = _CHOICE_WORDS.get(spec.path, {})
            options = [("not given", None)] + [(words.get(c, _words(c)), c) for c in _choices(spec)]
            box = widgets.Dropdown(
                options=options, value=_CHOICE_DEFAULTS.get(spec.path),
                layout=widgets.Layout(width="230px" if words else "150px"),
            )
            self._register(spec.path, spec, spec.label, box, message)
            inner = _row(self._row_label(spec), box)
        elif spec.kind == "multi_choice":
            if spec.path == "screening.red_flags":
                return self._red_flag_block(spec, message)
            multi = _MultiChoice([(c, _words(c)) for c in _choices(spec)])
            self.option_boxes[spec.path] = multi.boxes
            self._register(spec.path, spec, spec.label, multi, message)
            options = widgets.HBox(  # wraps onto more lines rather than cut an option off
                list(multi.boxes.values()),
                layout=widgets.Layout(flex_flow="row wrap", flex="1 1 0", min_width="0"),
            )
            for option in multi.boxes.values():
                option.layout.margin = "0 12px 0 0"
            inner = _row(self._row_label(spec), options)
        else:  # text
            box = widgets.Text(
                value="", continuous_update=False, layout=widgets.Layout(width="220px")
            )
            self._register(spec.path, spec, spec.label, box, message)
            inner = _row(self._row_label(spec), box)
        return widgets.VBox([inner, message])

    def _red_flag_block(self, spec: Any, message: widgets.HTML) -> widgets.Widget:
        rows = _red_flag_rows()
        allowed = set(_choices(spec)) or {r["id"] for r in rows}
        rows = [r for r in rows if r["id"] in allowed]
        multi = _MultiChoice([(r["id"], r["label"]) for r in rows])
        self.option_boxes[spec.path] = multi.boxes
        self._register(spec.path, spec, spec.label, multi, message)
        groups = []
        for urgency in reversed(URGENCY_ORDER):
            members = [r for r in rows if r.get("urgency") == urgency]
            if not members:
                continue
            fg, bg = _COLOURS.get(urgency, _COLOURS["routine"])
            head = widgets.HTML(
                f"<div style='font-weight:bold;color:{fg}'>"
                f"Red flags — {esc(_words(urgency))}</div>"
            )
            boxes = []
            for r in members:
                box = multi.boxes[r["id"]]
                kind = FLAG_KIND_WORDS.get(r.get("kind", ""), "")
                box.description = f"{r['label']} ({r.get('condition', '')}) · {kind}"
                box.tooltip = r.get("description", "")
                boxes.append(box)
            groups.append(
                widgets.VBox(
                    [head, *boxes],
                    layout=widgets.Layout(border=f"1px solid {fg}", padding="4px", margin="2px 0"),
                )
            )
        return widgets.VBox([widgets.HTML(f"<b>{esc(spec.label)}</b>"), *groups, message])

    def _build_person(self) -> widgets.Widget:
        """Yellow flags as observed, high distress, then the PSFS rows."""
        from lbp_workbook.views.widgets.person_tab import PsfsRows

        specs = self._spec_rows("psychosocial")
        flags = [s for s in specs if not s.path.endswith("distress_high")]
        distress = [s for s in specs if s.path.endswith("distress_high")]
        self.psfs = PsfsRows(self._on_change)
        for key, label in self.psfs.labels().items():
            i = int(key.rsplit(".", 1)[1])
            self.messages[key] = self.psfs.messages[i]
            self.labels[key] = label
        rows: list[widgets.Widget] = [
            _note("Tick what you notice in conversation. Yellow flags are not a diagnosis and "
                  "never stop the programme by themselves."),
            widgets.HTML("<b>Yellow flags (as you observe them)</b>"),
        ]
        rows.extend(self._field_row(s) for s in flags)
        rows.extend(self._field_row(s) for s in distress)
        rows.append(self.psfs.widget)
        return widgets.VBox(rows)

    def _build_section(self, section: str) -> widgets.Widget:
        if section == "person":
            return self._build_person()
        specs = self._spec_rows(section)
        if section == "screening":
            return self._build_screening(specs)
        rows: list[widgets.Widget] = []
        if section == "flexibility":
            rows.append(_note("Left and right side by side; leave a box blank if not measured."))
        rows.extend(self._field_row(spec) for spec in specs)
        return widgets.VBox(rows)

    def _build_screening(self, specs: list[Any]) -> widgets.Widget:
        """Red flags (grouped by urgency), then the guideline triggers, then clearance."""
        flags = [s for s in specs if s.kind == "multi_choice"]
        clearance = [s for s in specs if s.path.endswith("medical_clearance")]
        triggers = [s for s in specs if s not in flags and s not in clearance]
        rows: list[widgets.Widget] = [
            _note(
                "Screen first. A red flag or a referral trigger puts training on hold unless "
                "medical clearance releases it. Clearance releases a red flag that is a risk "
                "factor (a history or condition) and the history triggers; never a sign present "
                "now, increasing symptoms or symptoms spreading into a leg."
            )
        ]
        rows.extend(self._field_row(s) for s in flags)
        if triggers:
            rows.append(widgets.HTML("<b>Referral triggers (guideline)</b>"))
            rows.extend(self._field_row(s) for s in triggers)
        if clearance:
            rows.append(widgets.HTML("<b>Medical clearance</b>"))
            rows.extend(self._field_row(s) for s in clearance)
        return widgets.VBox(rows)

    def _build_client_box(self) -> widgets.Widget:
        rows = []
        # client details first (id, age, sex, date, notes): FIELDS where present
        client_specs = [s for s in FIELDS if s.path.split(".")[0] in ("client", "date", "notes")]
        known = {s.path for s in client_specs}
        for path, label, kind in (
            ("client.id", "Client id (pseudonym)", "text"),
            ("date", "Date (YYYY-MM-DD)", "text"),
            ("notes", "Notes", "notes"),
        ):
            if path in known:
                continue
            spec = _TextSpec(path, label, kind)
            client_specs.append(spec)
        order = {"client.id": 0, "client.age": 1, "client.sex": 2, "date": 3, "notes": 4}
        client_specs.sort(key=lambda s: order.get(s.path, 9))
        for spec in client_specs:
            if spec.kind == "notes":
                message = widgets.HTML()
                box = widgets.Textarea(
                    value="",
                    continuous_update=False,
                    layout=widgets.Layout(width="280px", height="48px", flex="0 1 280px"),
                )
                self._register(spec.path, spec, spec.label, box, message)
                rows.append(widgets.VBox([_row(self._row_label(spec), box), message]))
            else:
                rows.append(self._field_row(spec))
        return widgets.VBox([widgets.HTML("<b>Client</b>"), *rows])

    def _build_files_box(self) -> widgets.Widget:
        from lbp_workbook.engine.examples import list_examples

        self.example_picker = widgets.Dropdown(
            options=list(list_examples()), value=None, description="Example",
            layout=widgets.Layout(width="260px"),
        )
        self.load_example_button = widgets.Button(description="Load example", icon="user")
        self.load_example_button.on_click(lambda _b: self._guard(self.load_selected_example))
        self.save_button = widgets.Button(
            description="Save client", icon="save", button_style="primary"
        )
        self.save_button.on_click(lambda _b: self._guard(self.save))
        self.client_picker = widgets.Dropdown(
            options=[], value=None, description="Saved", layout=widgets.Layout(width="260px")
        )
        self.load_button = widgets.Button(description="Load client", icon="folder-open")
        self.load_button.on_click(lambda _b: self._guard(self.load_selected_client))
        self.refresh_button = widgets.Button(description="Refresh list", icon="refresh")
        self.refresh_button.on_click(lambda _b: self._guard(self.refresh_clients))
        self.summary_button = widgets.Button(
            description="Client summary (HTML + PDF)", icon="file",
            tooltip="Write a one-page summary of these entries (HTML and PDF) into the "
                    "saved-clients folder; earlier summaries are kept",
        )
        self.summary_button.add_class("lbp-summary-button")
        self.summary_button.on_click(lambda _b: self._guard(self.write_summary))
        # Saved client: export, rename, delete (delete asks first: a second button).
        self.export_button = widgets.Button(
            description="Export client (CSV + JSON)", icon="download",
            tooltip="Write a copy of every saved assessment of the chosen client as CSV and "
                    "JSON, to download and keep",
        )
        self.export_button.on_click(lambda _b: self._guard(self.export_selected_client))
        self.delete_button = widgets.Button(
            description="Delete client…", icon="trash",
            tooltip="Delete the chosen client's saved file (asks you to confirm first)",
        )
        self.delete_button.on_click(lambda _b: self._guard(self.ask_delete_selected_client))
        self.confirm_delete_button = widgets.Button(
            description="Yes, delete", icon="trash", button_style="danger",
            tooltip="Delete the chosen client's saved file now; this cannot be undone",
            layout=widgets.Layout(display="none"),
        )
        self.confirm_delete_button.on_click(lambda _b: self._guard(self.delete_selected_client))
        self.cancel_delete_button = widgets.Button(
            description="Cancel", tooltip="Keep the client: delete nothing",
            layout=widgets.Layout(display="none"),
        )
        self.cancel_delete_button.on_click(lambda _b: self._guard(self._cancel_delete))
        self._pending_delete: str | None = None
        self.client_picker.observe(lambda _c: self._client_changed(), names="value")
        self.rename_box = widgets.Text(
            value="", description="New pseudonym", placeholder="e.g. JS-01",
            style={"description_width": "initial"}, layout=widgets.Layout(width="260px"),
        )
        self.rename_button = widgets.Button(
            description="Rename client", icon="pencil",
            tooltip="Give the chosen client the new pseudonym (every assessment moves; an "
                    "existing client is never overwritten)",
        )
        self.rename_button.on_click(lambda _b: self._guard(self.rename_selected_client))
        for button in (self.load_example_button, self.save_button, self.load_button,
                       self.refresh_button, self.summary_button, self.export_button,
                       self.delete_button, self.rename_button):  # never squeezed
            button.layout = widgets.Layout(width="auto", flex="0 0 auto")
        for button in (self.confirm_delete_button, self.cancel_delete_button):
            button.layout = widgets.Layout(width="auto", flex="0 0 auto", display="none")
        self.export_links = widgets.HTML()
        self.export_links.add_class("lbp-output")
        self.export_links.add_class("lbp-export-links")
        self.files_message = widgets.HTML()
        self.files_message.add_class("lbp-output")
        self.files_message.add_class("lbp-files-message")
        self.summary_links = widgets.HTML()
        self.summary_links.add_class("lbp-output")
        self.summary_links.add_class("lbp-summary-links")
        self._summary_record: dict | None = None  # the record the links were made from
        return widgets.VBox(
            [
                widgets.HTML("<b>Examples and saved clients</b>"),
                widgets.HBox([self.example_picker, self.load_example_button]),
                widgets.HBox(
                    [
                        self.save_button,
                        _note(
                            "Saved only on this computer (one file per client, every "
                            "reassessment kept). Use a pseudonym, never a real name."
                        ),
                    ],
                    layout=widgets.Layout(align_items="center"),
                ),
                widgets.HBox([self.client_picker, self.load_button, self.refresh_button]),
                widgets.HBox([self.export_button, self.delete_button,
                              self.confirm_delete_button, self.cancel_delete_button],
                             layout=widgets.Layout(flex_flow="row wrap")),
                widgets.HBox([self.rename_box, self.rename_button]),
                widgets.HBox(
                    [
                        self.summary_button,
                        _note("A one-page summary to print or hand on, kept beside the "
                              "saved clients."),
                    ],
                    layout=widgets.Layout(align_items="center"),
                ),
                self.files_message,
                self.summary_links,
                self.export_links,
                sheet_controls(self),
            ]
        )

    # ------------------------------------------------------------------ storage

    @property
    def store(self):
        if self._store is None:
            from lbp_workbook.engine.storage import ClientStore

            self._store = ClientStore()
        return self._store

    def _guard(self, fn: Callable[[], Any]) -> None:
        """Run a button action; show any error beside the buttons (never lose it)."""
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - every callback shows its own errors
            self.files_message.value = _problem_html(
                f"{type(exc).__name__}: {exc}"
            )

    def save(self) -> Any:
        """Save the last valid record to the client store; show where it went."""
        if self.result is None or not self.record:
            raise ValueError("nothing valid to save yet: fix the marked entries first")
        if self._invalid:
            raise ValueError(
                "an entry is invalid: fix the marked entries first (nothing was saved)"
            )
        where = self.store.save(copy.deepcopy(self.record))
        typed = get_path(self.record, "client.id")
        cid = normalise_client_id(typed)
        self.refresh_clients(select=cid)
        shown = where if where is not None else getattr(self.store, "folder", "")
        self.files_message.value = (
            f"<span style='color:#00664A'>Saved client <b>{esc(str(cid))}</b> "
            f"({esc(str(get_path(self.record, 'date') or 'no date'))}) to "
            f"<code>{esc(str(shown))}</code></span>"
        )
        if cid != typed:
            self.files_message.value += (
                "<div style='font-size:0.92em;margin:2px 0 4px 0'>"
                f"Saved as {esc(str(cid))}: spaces around an id are removed and accented "
                "letters are stored one way, so it is the same client however it is typed."
                "</div>"
            )
        if looks_like_real_name(cid):
            self.files_message.value += (
                "<div role='note' style='font-size:0.92em;margin:2px 0 4px 0'>"
                f"“{esc(str(cid))}” looks like a real name. If it is, please use a pseudonym "
                "instead (initials and a number, such as JS-01): choose the client below, type "
                "the new pseudonym and press Rename client.</div>"
            )
        return where

    def _chosen_client(self) -> str:
        cid = self.client_picker.value
        if cid is None:
            raise ValueError("choose a saved client first")
        return cid

    def export_selected_client(self) -> tuple[Path, Path]:
        """Write the chosen client's history as CSV and JSON into ``<clients>/exports`` and
        offer both for download (data-URL links, as the summary button does)."""
        cid = self._chosen_client()
        self.export_links.value = ""
        csv_path, json_path = self.store.export_client(cid)
        self.files_message.value = (
            f"<span style='color:#00664A'>Exported every saved assessment of "
            f"<b>{esc(str(cid))}</b> to <code>{esc(str(csv_path))}</code> and "
            f"<code>{esc(str(json_path))}</code>.</span>"
        )
        self.export_links.value = _download_links(
            ((csv_path, "text/csv", "CSV"), (json_path, "application/json", "JSON")),
            kind="export",
        )
        return csv_path, json_path

    def ask_delete_selected_client(self) -> None:
        """First step of deleting: show "Yes, delete <id>" and "Cancel"."""
        cid = self._chosen_client()
        self._pending_delete = cid
        self.confirm_delete_button.description = f"Yes, delete {cid}"
        self.confirm_delete_button.layout.display = ""
        self.cancel_delete_button.layout.display = ""
        self.files_message.value = (
            f"Delete every saved assessment of <b>{esc(str(cid))}</b>? This cannot be undone "
            "(exports and summaries you made are kept). Press “Yes, delete” to confirm."
        )

    def _client_changed(self) -> None:
        """Another saved client chosen: withdraw a pending delete and the old export links."""
        self._cancel_delete()
        self.export_links.value = ""

    def _cancel_delete(self) -> None:
        self._pending_delete = None
        self.confirm_delete_button.layout.display = "none"
        self.cancel_delete_button.layout.display = "none"

    def delete_selected_client(self) -> Path | None:
        """Second step: delete the client that was confirmed (that history file only)."""
        cid = self._pending_delete
        self._cancel_delete()
        if cid is None or cid != self.client_picker.value:
            return None  # no confirmation pending for the chosen client: nothing deleted
        path = self.store.delete(cid)
        self.refresh_clients()
        self.export_links.value = ""
        self.files_message.value = (
            f"Deleted <b>{esc(str(cid))}</b>: removed <code>{esc(str(path))}</code>. "
            "Nothing else was changed."
        )
        return path

    def rename_selected_client(self) -> Path:
        """Give the chosen client the pseudonym typed in :attr:`rename_box`."""
        cid = self._chosen_client()
        new_id = self.rename_box.value
        if not new_id.strip():
            raise ValueError("type the new pseudonym first")
        path = self.store.rename(cid, new_id)
        new_cid = self.store.history(new_id)[-1]["client"]["id"]
        self.refresh_clients(select=new_cid)
        self.rename_box.value = ""
        self.files_message.value = (
            f"<span style='color:#00664A'>Renamed {esc(str(cid))} to <b>{esc(str(new_cid))}</b> "
            f"(every assessment): <code>{esc(str(path))}</code></span>"
        )
        return path

    @property
    def summaries_folder(self) -> Path:
        """Where :meth:`write_summary` writes: the ``summaries`` folder beside the saved
        clients (``<clients folder>/summaries``; see :func:`storage.default_folder`)."""
        from lbp_workbook.views.report import SUMMARIES_SUBFOLDER

        return Path(self.store.folder) / SUMMARIES_SUBFOLDER

    def write_summary(self) -> tuple[Path, Path] | None:
        """Write the one-page client summary (HTML and PDF) of the current valid entries.

        The files go into :attr:`summaries_folder`, named by client and date; an
        earlier summary is never replaced (a second one of the same day is
        numbered). The written paths are shown beside the buttons, with links
        that download the files themselves (data URLs, so they work in
        JupyterLab and Voilà without a server path). While a referral is in
        force the summary leads with the referral and has no phase or plan
        (:mod:`lbp_workbook.views.report`).

        Returns
        -------
        (Path, Path) or None
            The HTML and PDF written; None when they could not be written (the
            reason is shown, the entries are unchanged).

        Raises
        ------
        ValueError
            An entry is invalid, or there is no valid result yet (nothing written).
        """
        from lbp_workbook.views.report import summary_files

        self.summary_links.value = ""
        if self.result is None or not self.record:
            raise ValueError("nothing valid to summarise yet: fix the marked entries first")
        if self._invalid or not self._entries_ok:
            raise ValueError(
                "an entry is invalid: fix the marked entries first (no summary was written)"
            )
        record = copy.deepcopy(self.record)
        folder = self.summaries_folder
        try:
            html_path, pdf_path = summary_files(record, folder)
        except OSError as exc:
            where = exc.filename or folder
            self.files_message.value = _problem_html(
                f"The client summary could not be written to {where}: "
                f"{exc.strerror or exc}. Nothing else was changed and your entries are "
                "still here; check that the folder can be written to, then try again."
            )
            return None
        cid = str(get_path(record, "client.id") or "")
        date = str(get_path(record, "date") or "no date")
        held = " It leads with the referral: training on hold." if self.result.referral.needed \
            else ""
        self.files_message.value = (
            f"<span style='color:#00664A'>Client summary of <b>{esc(cid)}</b> ({esc(date)}) "
            f"written to <code>{esc(str(html_path))}</code> and "
            f"<code>{esc(str(pdf_path))}</code>.{esc(held)}</span>"
        )
        self._summary_record = record
        self.summary_links.value = _download_links(
            ((html_path, "text/html", "HTML"), (pdf_path, "application/pdf", "PDF"))
        )
        return html_path, pdf_path

    def refresh_clients(self, select: Any = None) -> list:
        """Re-read the saved clients into the dropdown; show any damaged file."""
        ids, problems = self.store.scan()
        self.client_picker.options = list(ids)
        if select in ids:
            self.client_picker.value = select
        if problems:
            self.files_message.value = "".join(
                _problem_html(f"{p} — this file was skipped and is left unchanged.")
                for p in problems
            )
        return list(ids)

    def load_selected_client(self) -> None:
        cid = self.client_picker.value
        if cid is None:
            raise ValueError("choose a saved client first")
        record = self.store.latest(cid)
        self.load_record(record)
        self.example_picker.value = None  # the entries are no longer an example's
        self.files_message.value = (
            f"Loaded the latest assessment of <b>{esc(str(cid))}</b> "
            f"({esc(str(get_path(self.record, 'date') or 'no date'))})."
        )

    def load_selected_example(self) -> None:
        from lbp_workbook.engine.examples import load_example

        name = self.example_picker.value
        if name is None:
            raise ValueError("choose an example first")
        self.load_record(load_example(name))
        self.files_message.value = f"Loaded example <b>{esc(str(name))}</b> (synthetic)."

    # ------------------------------------------------------------------ values

    def load_record(self, record: Any) -> None:
        """Fill every control from ``record`` (mapping or Record) and show its result.

        A value a control cannot hold (an unknown red-flag id, a sex outside the
        choices) is reported under the entries, never dropped silently; a number
        that is not a number is put in its box as text, so its message appears
        beside it.
        """
        if hasattr(record, "to_dict"):
            record = record.to_dict()
        elif hasattr(record, "model_dump"):
            record = record.model_dump(mode="json", by_alias=True, exclude_none=True)
        self._base = copy.deepcopy(dict(record))
        unshown: list[str] = []
        self._loading = True
        try:
            for path, control in self.controls.items():
                value = get_path(self._base, path)
                spec = self.specs[path]
                if spec.kind in ("number", "integer"):
                    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
                    control.value = "" if value is None else _fmt(value) if numeric else str(value)
                elif spec.kind == "bool":
                    control.value = bool(value)
                elif spec.kind == "choice":
                    ok = value is None or value in _choices(spec)
                    control.value = value if ok and value is not None else _CHOICE_DEFAULTS.get(path)
                    if not ok:
                        unshown.append(f"{path}: {shorten(repr(value), 60)} is not one of "
                                       f"{', '.join(_choices(spec))}")
                elif spec.kind == "multi_choice":
                    values = list(value) if isinstance(value, (list, tuple)) else []
                    known = [v for v in values if v in control.boxes]
                    control.value = tuple(known)
                    unshown.extend(f"{path}: unknown option {shorten(repr(v), 60)}"
                                   for v in values if v not in known)
                else:
                    control.value = "" if value is None else str(value)
            unshown.extend(self.psfs.load(get_path(self._base, "function.psfs")))
        finally:
            self._loading = False
        self.refresh()
        if unshown:
            self.general.value += "".join(
                _problem_html(f"Not loaded (the app cannot show it): {u}") for u in unshown
            )

    def _collect(self) -> tuple[dict, dict[str, str]]:
        """The record the controls describe, and the entries that are not numbers."""
        record = copy.deepcopy(self._base)
        record.setdefault("schema", "lbp-assessment/1")
        problems: dict[str, str] = {}
        for path, control in self.controls.items():
            spec = self.specs[path]
            raw = control.value
            if spec.kind in ("number", "integer"):
                text = str(raw).strip().replace(",", ".")
                if text == "":
                    value = None
                else:
                    try:
                        value = float(text)
                    except ValueError:
                        value = None
                    if value is None or not math.isfinite(value):
                        problems[path] = (
                            f"{self.labels[path]}: “{raw}” is not a number. "
                            f"Accepted: {_range_text(spec)}; leave blank if not measured."
                        )
                        _put(record, path, None)  # left out until it is a number
                        continue
                    if value.is_integer():
                        value = int(value)
            elif spec.kind == "multi_choice":
                value = list(raw)
            elif spec.kind == "bool" and not raw and get_path(self._base, path) is None:
                value = None  # unticked and absent before: stays absent ("not shown yet")
            elif spec.kind in ("text", "notes"):
                value = raw if raw != "" else None
            else:
                value = raw
            _put(record, path, value)
        items, psfs_problems = self.psfs.collect()
        problems.update(psfs_problems)
        if items:
            record.setdefault("function", {})["psfs"] = items
        elif isinstance(record.get("function"), dict):
            record["function"].pop("psfs", None)
        flex = record.get("flexibility")
        if isinstance(flex, dict) and flex.get("hip_ir_deg") in (None, {}) \
                and flex.get("hip_er_deg") in (None, {}):
            flex.pop("hip_rotation_position", None)  # a position describes readings: none here
        _prune(record)
        return record, problems

    # ------------------------------------------------------------------ updating

    def _on_change(self, change: Any) -> None:
        if not self._loading:
            self.refresh()

    @property
    def _invalid(self) -> bool:
        return any(m.value for m in self.messages.values())

    def refresh(self) -> None:
        """Re-assess the entries (one ``assess()``) and update every view."""
        try:
            self._refresh()
        except Exception as exc:  # noqa: BLE001 - show it in the app, never lose it
            self.general.value = _problem_html(
                f"Something went wrong while updating ({type(exc).__name__}: {exc}). "
                "The last valid result is still shown."
            )

    def _refresh(self) -> None:
        record, problems = self._collect()  # entries that are not numbers are left out
        for msg in self.messages.values():
            msg.value = ""
        self.general.value = ""
        provisional = None
        try:
            result = assess(record)
        except RecordError as err:
            for p in err.problems:
                path = self.psfs.row_path(str(p.path))
                problems[path] = _problem_text(p, self.labels, path)
            provisional = self._provisional(record, err)
        else:
            if not problems:
                self._entries_ok = True
                self._show(record, result)
                return
            provisional = (record, result)
        self._entries_ok = False  # what is shown is not (all) of the entries
        # invalid: messages beside the controls; keep the last valid result on screen ...
        by_widget: dict[int, list[str]] = {}
        general: list[str] = []
        for path, text in problems.items():
            target = _match(path, self.messages)
            if target is None:
                general.append(text)
            else:
                by_widget.setdefault(id(self.messages[target]), []).append(text)
        for msg in {id(m): m for m in self.messages.values()}.values():
            texts = by_widget.get(id(msg))
            if texts:
                msg.value = "".join(_problem_html(t) for t in texts)
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

    def _provisional(self, record: dict, err: Any) -> tuple[dict, Any] | None:
        """``(record, result)`` for the entries without the invalid ones, or None.

        Used only to see whether the valid entries already call for a referral.
        """
        trimmed = copy.deepcopy(record)
        for p in err.problems:
            if str(p.path).startswith("function.psfs"):  # function never decides a referral
                trimmed.get("function", {}).pop("psfs", None)
                continue
            path = _match(str(p.path), self.messages)
            if path is None:
                return None  # a problem no control owns: nothing safe to leave out
            _put(trimmed, path, None)
        _prune(trimmed)
        try:
            return trimmed, assess(trimmed)
        except RecordError:
            return None

    def _show(self, record: dict, result: Any) -> None:
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


def field_class(path: str) -> str:
    """The CSS class every control of a field carries, for browser tests and styling.

    >>> field_class("flexibility.slr_deg.left")
    'lbp-field-flexibility-slr_deg-left'
    """
    return "lbp-field-" + str(path).replace(".", "-")


def _row(*children: widgets.Widget) -> widgets.HBox:
    """A label and its control(s) on one line, centred vertically."""
    return widgets.HBox(list(children), layout=widgets.Layout(align_items="center"))


def _note(text: str) -> widgets.HTML:
    note = widgets.HTML(f"<div style='color:#333;font-size:0.92em'>{esc(text)}</div>")
    note.add_class("lbp-output")
    return note


class _TextSpec:
    """A stand-in spec for client text fields not listed in FIELDS (id, date, notes)."""

    def __init__(self, path: str, label: str, kind: str) -> None:
        self.path, self.label, self.kind = path, label, kind
        self.unit, self.minimum, self.maximum = "", None, None
        self.side_specific, self.help = False, ""


def _put(record: dict, path: str, value: Any) -> None:
    if value is None:
        # remove the key (not measured): the record format leaves missing = not measured
        parts = path.split(".")
        node = record
        for part in parts[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
            if node is None:
                return
        if isinstance(node, dict):
            node.pop(parts[-1], None)
        return
    set_path(record, path, value)


def _prune(node: Any) -> None:
    """Drop empty side dicts ({} after both sides were cleared)."""
    if not isinstance(node, dict):
        return
    for key in list(node):
        child = node[key]
        if isinstance(child, dict):
            _prune(child)
            if not child and key not in ("client",) and set(child) <= {"left", "right"}:
                del node[key]


def _match(path: str, messages: Mapping[str, Any]) -> str | None:
    """The control path a problem's path belongs to (walk up the dotted path)."""
    parts = path.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in messages:
            return candidate
        parts.pop()
    return None


def _problem_text(p: Any, labels: Mapping[str, str], path: str | None = None) -> str:
    """``Label (side): path: value is outside range unit`` (the engine's own message).

    ``path`` is the control the problem belongs to, when it is not ``p.path``
    itself (a PSFS item is shown beside its row).
    """
    path = str(p.path) if path is None else path
    target = _match(path, labels)
    msg = str(getattr(p, "message", "") or path)
    accepted = str(getattr(p, "accepted", "") or "")
    text = f"{labels[target]}: {msg}" if target else msg
    if accepted and accepted not in msg:
        text += f" (accepted: {accepted})"
    return text


def _download_links(files: tuple[tuple[Path, str, str], ...], kind: str = "summary") -> str:
    """Links that download files kept in the page (``data:`` URLs with ``download``), so
    they work in JupyterLab and Voilà alike, with no server path. The bytes are read back
    from the written files, so the download is exactly what was saved. Text is
    percent-encoded rather than base64 (the summary's chart is already base64 inside it,
    so this keeps the page about a quarter smaller); PDF bytes are base64."""
    import base64
    from urllib.parse import quote

    links = []
    for path, mime, label in files:
        raw = Path(path).read_bytes()
        if mime.startswith("text/"):
            href = f"data:{mime};charset=utf-8," + quote(raw, safe="/+=:;,._-~()!*'")
        else:
            href = f"data:{mime};base64," + base64.b64encode(raw).decode("ascii")
        name = esc(Path(path).name, quote=True)
        links.append(
            f"<a download=\"{name}\" href=\"{href}\" "
            f"class=\"lbp-{kind}-{label.lower()}\" style='display:inline-block;margin-right:16px'>"
            f"⬇ Download the {label} ({esc(Path(path).name)})</a>"
        )
    return "<div style='font-size:0.92em;margin:2px 0 4px 0'>" + "".join(links) + "</div>"


def _problem_html(text: str) -> str:
    return (
        "<div role='alert' style='color:#8B0000;font-size:0.92em;margin:0 0 4px 0'>"
        f"⚠ {esc(text)}</div>"
    )


# ---------------------------------------------------------------------- HTML views


def banner_html(result: Any) -> str:
    """The referral banner (first on screen; unmistakable when a referral is needed)."""
    ref = result.referral
    released = ""
    if ref.released:
        items = "".join(
            f"<li>{esc(r.label)} — released by medical clearance</li>" for r in ref.released
        )
        released = (
            "<div style='margin-top:6px'><b>Released by medical clearance</b> "
            f"(still recorded):<ul style='margin:2px 0'>{items}</ul>"
            f"<b>{esc(ref.released_guidance)}</b></div>"
        )
    if not ref.needed:
        fg, bg = _COLOURS["none"]
        return (
            f"<div style='border:2px solid {fg};background:{bg};padding:8px 12px;"
            "border-radius:6px;margin-bottom:8px'>"
            f"<b style='color:{fg}'>No referral needed</b> for "
            f"<b>{esc(str(result.client_id))}</b>: "
            + ("nothing recorded is still open. " if ref.released else
               "no red flag or open referral trigger was recorded. ")
            + f"Keep screening at every session.{released}</div>"
        )
    fg, bg = _COLOURS.get(ref.urgency, _COLOURS["urgent"])
    reasons = "".join(
        "<li>"
        + esc(r.label)
        + (f" — <i>{esc(r.condition)}</i>" if r.condition else "")
        + f" <span style='color:#555'>({esc(_words(r.kind))}"
        + (f": {esc(FLAG_KIND_WORDS[r.flag_kind])}" if r.flag_kind else "")
        + f", {esc(_words(r.urgency))})</span>"
        + "</li>"
        for r in ref.reasons
    )
    return (
        f"<div role='alert' style='border:4px solid {fg};background:{bg};padding:10px 14px;"
        "border-radius:6px;margin-bottom:8px'>"
        f"<div style='font-size:1.35em;font-weight:bold;color:{fg}'>"
        f"REFER — {esc(_words(ref.urgency).upper())}: stop the low back programme</div>"
        f"<div style='margin-top:6px'><b>What to do now:</b> {esc(ref.action)}</div>"
        f"<div><b>Who to contact:</b> {esc(ref.contact)}</div>"
        f"<div style='margin-top:6px'><b>Why</b> (client <b>{esc(str(result.client_id))}</b>):"
        f"<ul style='margin:2px 0'>{reasons}</ul></div>{released}</div>"
    )


def hold_html(result: Any) -> str:
    """Shown in place of the phase card and plan while a referral is in force."""
    return (
        "<div style='border:3px dashed #8B0000;padding:12px;border-radius:6px;background:#FAFAFA'>"
        "<div style='font-size:1.25em;font-weight:bold;color:#8B0000'>"
        "Training on hold until cleared</div>"
        "<div>No phase, exercise plan or what-if is shown while a referral is in force. "
        "Follow the banner above. Resume only after a medical provider has seen the client "
        "and cleared them to train; then record the clearance and assess again.</div></div>"
    )


_VERDICT = {  # symbol, colour, words: never colour alone
    "met": ("✓", "#00664A"),
    "not met": ("✗", "#B03A00"),
    "counts as not met": ("?", "#8A5A00"),
}


def _gate_item(gate: Any, result: Any) -> str:
    asks, reading, verdict = gate_words(gate, result.client_id)
    mark, colour = _VERDICT[verdict]
    return (
        f"<li style='margin:2px 0'>{esc(asks)} — <b>{esc(reading)}</b> "
        f"<span style='color:{colour};font-weight:bold;white-space:nowrap'>{mark} {verdict}</span>"
        "</li>"
    )


def _phase_ladder(current: int) -> str:
    steps = []
    for number, (name, _what) in PHASES.items():
        here = number == current
        style = (
            "background:#0072B2;color:white;font-weight:bold" if here
            else "background:#F2F2F2;color:#333"
        )
        steps.append(
            f"<span style='display:inline-block;{style};border-radius:12px;padding:2px 10px;"
            f"margin:2px 0'>{number} · {esc(name)}{' ◀ now' if here else ''}</span>"
        )
    return "<div style='margin:4px 0 6px 0'>" + " → ".join(steps) + "</div>"


def _count(some: list, every: list) -> str:
    return f"{len(some)} of the {len(every)} gate{'s' if len(every) != 1 else ''}"


def _is(some: list) -> str:
    return "is" if len(some) == 1 else "are"


def phase_html(result: Any) -> str:
    """The phase card: the phase by name, why, what would move the client on, every gate.

    Gates are shown in plain words with the client's reading ("Pain now at
    most 3 out of 10 — Sam: 2 ✓ met"), grouped by the phase they open. The
    card says which measurements the gates read, so a learner knows why a
    flexibility change moves the focus areas and the plan but not the phase.
    """
    phase = int(result.phase)
    name, what = PHASES[phase]
    who = esc(person(result.client_id))
    gates = sorted(result.gates, key=lambda g: g.phase)
    by_phase: dict[int, list] = {}
    for g in gates:
        by_phase.setdefault(int(g.phase), []).append(g)
    unmet = {p: [g for g in gs if not g.passed] for p, gs in by_phase.items()}
    nxt = phase + 1
    if phase == 1 and 2 in by_phase:
        why = (f"{who} is in phase 1 because {_count(unmet[2], by_phase[2])} for phase 2 "
               f"{_is(unmet[2])} not met yet (a gate not measured counts as not met).")
    elif nxt in by_phase:
        why = (f"Every gate for phase {phase} is met; {_count(unmet[nxt], by_phase[nxt])} for "
               f"phase {nxt} {_is(unmet[nxt])} not met yet.")
    else:
        why = f"Every gate for phases {' and '.join(str(p) for p in sorted(by_phase))} is met."
    if unmet.get(nxt):
        items = "".join(_gate_item(g, result) for g in unmet[nxt])
        move = (f"<div><b>What would move {who} on to phase {nxt} · "
                f"{esc(PHASES[nxt][0])}:</b><ul style='margin:2px 0'>{items}</ul></div>")
    else:
        move = "".join(f"<div>{esc(s)}</div>" for s in result.next_steps)
    groups = "".join(
        f"<div style='margin-top:4px'><b>To move up to phase {p} · {esc(PHASES[p][0])}</b>"
        f"<ul style='margin:2px 0'>{''.join(_gate_item(g, result) for g in gs)}</ul></div>"
        for p, gs in sorted(by_phase.items())
    )
    read = {str(g.field).split(".")[0] for g in gates}
    sections = [key for key, _ in SECTIONS if key in read]
    read_words = ", ".join(sections[:-1]) + (" and " if len(sections) > 1 else "") + sections[-1]
    reads_note = f"The gates read {esc(read_words)} only."
    if "flexibility" not in read:
        reads_note += (" A flexibility result changes the focus areas and the exercise plan, "
                       "not the phase.")
    return (
        "<div style='border:2px solid #0072B2;border-radius:6px;padding:8px 12px;"
        "margin-bottom:8px'>"
        f"<div style='font-size:1.35em;font-weight:bold;color:#0072B2'>"
        f"Phase {phase} · {esc(name)}</div>"
        f"<div style='color:#333'>{esc(what[:1].upper() + what[1:])}.</div>"
        f"{_phase_ladder(phase)}"
        f"<div><b>Why this phase:</b> {why}</div>{move}"
        f"<details open style='margin-top:4px'><summary><b>Gates</b> (every one, with "
        f"{who}'s reading)</summary>{groups}</details>"
        f"<div style='margin-top:6px;padding:4px 8px;background:#F2F7FB;border-radius:4px'>"
        f"<b>What the phase reads.</b> {reads_note}</div>"
        f"<div style='color:#555;font-size:0.88em;margin-top:4px'>{esc(result.gates_note)}</div>"
        "</div>"
    )


def whatif_html(changes: tuple) -> str:
    """What-if list under the phase card."""
    if changes:
        items = "".join(f"<li>{esc(c.text)}</li>" for c in changes)
        body = f"<ul style='margin:2px 0'>{items}</ul>"
    else:
        body = (
            "<div>No single measurement change within the accepted ranges would move the "
            "phase up or clear a deficiency.</div>"
        )
    return (
        "<div style='border:1px solid #CC79A7;border-radius:6px;padding:6px 12px;"
        "margin-bottom:8px'>"
        "<b>What if?</b> The smallest change of one measurement that would move the client "
        "to a higher phase or clear a deficiency (each checked by re-running the "
        f"assessment). A teaching aid about cut-offs, not a training goal.{body}"
        f"<div style='color:#555;font-size:0.88em'>{esc(MEDICAL_ONLY_NOTE)}</div></div>"
    )


def focus_html(result: Any) -> str:
    if result.focus_areas:
        chips = " ".join(
            "<span style='display:inline-block;border:1px solid #D55E00;border-radius:10px;"
            f"padding:1px 8px;margin:2px'>{esc(_words(a))}</span>"
            for a in result.focus_areas
        )
    else:
        chips = "none: no flexibility deficit found"
    return f"<div style='margin-bottom:6px'><b>Focus areas:</b> {chips}</div>"


#: Choice fields whose control starts on a value when the record has none: module 5 teaches
#: measuring hip rotation lying face down (prone), so a new or older record starts there
#: (the trainer changes it when they measured sitting).
_CHOICE_DEFAULTS: dict[str, str] = {"flexibility.hip_rotation_position": "prone"}
#: Plain words for the options of a choice field, where its values alone are too terse.
_CHOICE_WORDS: dict[str, dict[str, str]] = {
    "flexibility.hip_rotation_position": {
        "prone": "lying face down (prone)", "seated": "sitting (seated)",
    },
}


def findings_html(result: Any, held: bool = False) -> str:
    """Flexibility findings, asymmetries and endurance ratios, as the engine found them.

    While a referral is in force (``held``) they are headed as measurements
    only, so nothing reads as a reason to start training.
    """
    rows = []
    for f in result.flexibility:
        colour = "#B03A00" if f.status == "deficient" else "#00664A"
        side = f" {f.side}" if f.side else ""
        rel = "below" if f.deficient_when == "below" else "above"
        deficit = f"{_fmt(f.deficit)} {f.unit} past the cut-off" if f.status == "deficient" else ""
        rows.append(
            f"<tr><td>{esc(f.name)}{esc(side)}</td><td>{esc(_fmt(f.value))} {esc(f.unit)}</td>"
            f"<td>deficient {rel} {esc(_fmt(f.cutoff))} {esc(f.unit)}"
            f"<div style='color:#555;font-size:0.9em'>{esc(f.reference_label)}</div></td>"
            f"<td style='color:{colour};font-weight:bold'>{esc(f.status)}</td>"
            f"<td>{esc(deficit)}</td></tr>"
        )
    table = (
        "<table style='border-collapse:collapse;font-size:0.92em' cellpadding='3'>"
        "<tr style='text-align:left;border-bottom:1px solid #999'><th>test</th><th>value</th>"
        "<th>screening reference point</th><th>status</th><th>deficit</th></tr>"
        + "".join(rows) + "</table>"
        if rows
        else "<div>No flexibility test recorded.</div>"
    )
    asym = "".join(
        f"<li>{esc(a.name)}: left {esc(_fmt(a.left))}, right {esc(_fmt(a.right))} {esc(a.unit)} "
        f"(difference {esc(_fmt(a.difference))} {esc(a.unit)}, "
        f"{esc(_fmt(round(a.percent_of_larger, 1)))}% "
        f"of the larger; threshold {esc(_fmt(a.threshold))} {esc(a.threshold_unit)})</li>"
        for a in result.asymmetries
    )
    ratios = "".join(
        f"<li>{esc(r.label)}: {esc(_fmt(round(r.value, 2)))} (target {esc(r.target)})"
        + (" — <b style='color:#B03A00'>imbalance</b>" if r.flagged else "")
        + "</li>"
        for r in result.endurance.ratios
    )
    head = (
        "<b>Measurements recorded</b> (for the medical provider and for later; "
        "no training until cleared)"
        if held
        else "<b>Findings</b>"
    )
    parts = [f"{head}{table}"]
    if asym:
        parts.append(
            f"<div><b>Left–right asymmetries</b><ul style='margin:2px 0'>{asym}</ul></div>"
        )
    if ratios:
        parts.append(
            f"<div><b>Endurance ratios</b><ul style='margin:2px 0'>{ratios}</ul>"
            f"<div style='color:#555;font-size:0.88em'>{esc(result.endurance.note)}</div></div>"
        )
    return "<div style='margin-bottom:8px'>" + "".join(parts) + "</div>"


def plan_html(result: Any) -> str:
    """The exercise plan: each exercise, its dose, why it was chosen (in plain words:
    test names, "short: below 80") and which way it loads the spine."""
    from lbp_workbook.views.tables import why_words

    rows = "".join(
        f"<tr><td><b>{esc(e.name)}</b><br><span style='color:#555'>{esc(e.kind)}</span></td>"
        f"<td>{esc(e.dosage)}</td><td>{esc(why_words(e.why))}</td>"
        f"<td>{esc(', '.join(_words(x) for x in e.loads) or 'spine kept neutral')}</td></tr>"
        for e in result.exercises
    )
    return (
        f"<div style='margin-bottom:8px'><b>Exercise plan for phase {esc(str(result.phase))}"
        f" · {esc(phase_name(result.phase))}</b>"
        "<table style='border-collapse:collapse;font-size:0.92em' cellpadding='3'>"
        "<tr style='text-align:left;border-bottom:1px solid #999'><th>exercise</th><th>dosage</th>"
        "<th>why</th><th>loads the spine toward</th></tr>" + rows + "</table></div>"
    )


def suggestions_html(result: Any) -> str:
    """The result's suggestions (high distress: talk to the clinician), or "" when none.

    Shown only while training goes ahead: during a referral the banner says
    what to do, and a suggestion to "keep training" would contradict it.
    """
    items = getattr(result, "suggestions", ()) or ()
    if not items:
        return ""
    body = "".join(f"<li>{esc(s.text)} <span style='color:#444'>Why: {esc(s.reason)}</span></li>"
                   for s in items)
    return (
        "<div role='note' style='border-left:4px solid #0B5394;padding:4px 8px;"
        "background:#E8F1FB;margin:6px 0'><b>Suggestion (not a referral)</b>"
        f"<ul style='margin:4px 0 0 18px;padding:0'>{body}</ul></div>"
    )


def notice_html(result: Any) -> str:
    return (
        "<div style='border-top:1px solid #999;margin-top:8px;padding-top:6px;font-size:0.9em'>"
        "<b>Scope of practice: when to refer.</b> Refer to a medical provider whenever a red "
        "flag or a referral trigger is present, when symptoms increase, or whenever you are "
        f"unsure; never diagnose or treat. {esc(result.notice)}</div>"
    )


def assessment_app(record: Any = None, store: Any = None) -> AssessmentApp:
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
