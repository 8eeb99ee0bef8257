"""The assessment app's form: one control per :class:`~lbp_workbook.engine.record.FieldSpec`.

:class:`Form` builds the entries of the app from ``record.FIELDS`` (labels,
units and accepted ranges): the client box and one tab per input group. It
fills the controls from a record (:meth:`Form.load`), turns them back into a
record and the entries that need fixing (:meth:`Form.collect`), and shows
each message beside its control (:meth:`Form.show_problems`).

Why text boxes for numbers: a blank box is how a trainer writes "not
measured" on a paper form, and a number box cannot be blank (it would show
0, which is a real reading). A text box also lets the form say clearly what
is wrong with "sixty" or "200" instead of silently reverting it. What people
type is read by :func:`lbp_workbook.views.number_entry.parse_number` ("62", "62,5", "62°", "62 deg"); entries
update when you press Enter or leave the box (not on every keystroke, so
"62" is not first assessed as "6").
"""

from __future__ import annotations

import copy
import html
from typing import Any, Callable, Mapping, Union

import ipywidgets as widgets

from lbp_workbook.engine.record import FIELDS, FieldSpec, Problem, shorten
from lbp_workbook.engine.reference import red_flags
from lbp_workbook.engine.result import FLAG_KIND_WORDS, URGENCY_ORDER
from lbp_workbook.engine.whatif import get_path, set_path
from lbp_workbook.views.app_cards import COLOURS, SECTIONS, id_words, problem_html, value_words
from lbp_workbook.views.number_entry import number_entry, range_text
from lbp_workbook.views.widgets.person_tab import PsfsRows

esc = html.escape

#: Widths that keep the entries column readable beside the results: labels wrap onto
#: two lines at most, never one word a line.
_LABEL_WIDTH = "220px"
_BOX_WIDTH = "90px"
_SIDE_BOX_WIDTH = "120px"

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

#: Client text fields that are not in FIELDS (their rules live in the record model).
_TEXT_SPECS: tuple[FieldSpec, ...] = (
    FieldSpec("client.id", "Client id (pseudonym)", "", None, None, "text", False, ""),
    FieldSpec("date", "Date (YYYY-MM-DD)", "", None, None, "text", False, ""),
    FieldSpec("notes", "Notes", "", None, None, "notes", False, ""),
)

# ---------------------------------------------------------------------- controls


class MultiChoice:
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


Control = Union[widgets.Text, widgets.Textarea, widgets.Checkbox, widgets.Dropdown, MultiChoice]


def field_class(path: str) -> str:
    """The CSS class every control of a field carries, for browser tests and styling.

    >>> field_class("flexibility.slr_deg.left")
    'lbp-field-flexibility-slr_deg-left'
    """
    return "lbp-field-" + str(path).replace(".", "-")


def row(*children: widgets.Widget) -> widgets.HBox:
    """A label and its control(s) on one line, centred vertically."""
    return widgets.HBox(list(children), layout=widgets.Layout(align_items="center"))


def note(text: str) -> widgets.HTML:
    """A short grey note in the form (escaped)."""
    shown = widgets.HTML(f"<div style='color:#333;font-size:0.92em'>{esc(text)}</div>")
    shown.add_class("lbp-output")
    return shown


_row, _note = row, note


class Form:
    """The entries of the assessment app, built from ``record.FIELDS``.

    Parameters
    ----------
    on_change : callable
        Called with the change of any control (a number box: on Enter or
        leaving it).

    Attributes
    ----------
    controls : dict
        Field path (with side, e.g. ``"flexibility.slr_deg.left"``) → control.
        Numbers are ``widgets.Text`` (blank = not measured), yes/no are
        ``widgets.Checkbox``, choices ``widgets.Dropdown``, multi-choices a
        :class:`MultiChoice` (``option_boxes[path][id]``) whose ``value`` is a tuple.
    messages : dict
        Field path → the ``widgets.HTML`` beside that control (both sides of a
        row share one).
    specs, labels : dict
        Field path → its FieldSpec, and its label with the side.
    client_box, tabs : widgets.Widget
        The client details, and one tab per input group (:data:`SECTIONS`).
    psfs : PsfsRows
        The PSFS rows of the last tab.
    """

    def __init__(self, on_change: Callable[[Any], None]) -> None:
        self._on_change = on_change
        self.controls: dict[str, Control] = {}
        self.messages: dict[str, widgets.HTML] = {}
        self.option_boxes: dict[str, dict[str, widgets.Checkbox]] = {}
        self.specs: dict[str, FieldSpec] = {}
        self.labels: dict[str, str] = {}
        self.client_box = self._build_client_box()
        tabs = [(title, self._build_section(key)) for key, title in SECTIONS]
        self.tabs = widgets.Tab(children=[t[1] for t in tabs])
        for i, (title, _) in enumerate(tabs):
            self.tabs.set_title(i, title)
        self.tabs.add_class("lbp-tabs")

    # ------------------------------------------------------------------ building

    def _spec_rows(self, section: str) -> list[FieldSpec]:
        return [s for s in FIELDS if s.path.split(".")[0] == section]

    def _register(self, path: str, spec: FieldSpec, label: str, control: Control,
                  message: widgets.HTML) -> None:
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

    def _number_box(self, spec: FieldSpec, side: str | None) -> widgets.Text:
        return widgets.Text(
            value="",
            placeholder="not measured",
            continuous_update=False,
            description=side or "",
            description_allow_html=False,
            style={"description_width": "initial" if side else "0px"},
            layout=widgets.Layout(width=_SIDE_BOX_WIDTH if side else _BOX_WIDTH,
                                  flex="0 0 auto"),
            tooltip=f"{spec.label}: {range_text(spec)}; blank = not measured",
        )

    def _row_label(self, spec: FieldSpec) -> widgets.HTML:
        rng = ""
        if spec.kind in ("number", "integer"):  # the range kept on one line
            rng = f" <span style='color:#555;white-space:nowrap'>({esc(range_text(spec))})</span>"
        title = esc(spec.help or "", quote=True) if getattr(spec, "help", None) else ""
        label = widgets.HTML(
            f"<span title='{title}'>{esc(spec.label)}{rng}</span>",
            layout=widgets.Layout(width=_LABEL_WIDTH, flex="0 0 auto"),
        )
        label.add_class("lbp-row-label")
        return label

    def _field_row(self, spec: FieldSpec) -> widgets.Widget:
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
            options = [("not given", None)] + [(words.get(c, id_words(c)), c) for c in spec.choices]
            box = widgets.Dropdown(
                options=options, value=_CHOICE_DEFAULTS.get(spec.path),
                layout=widgets.Layout(width="230px" if words else "150px"),
            )
            self._register(spec.path, spec, spec.label, box, message)
            inner = _row(self._row_label(spec), box)
        elif spec.kind == "multi_choice":
            if spec.path == "screening.red_flags":
                return self._red_flag_block(spec, message)
            multi = MultiChoice([(c, id_words(c)) for c in spec.choices])
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

    def _red_flag_block(self, spec: FieldSpec, message: widgets.HTML) -> widgets.Widget:
        allowed = set(spec.choices)
        flags = [f for f in red_flags() if f.id in allowed]
        multi = MultiChoice([(f.id, f.label) for f in flags])
        self.option_boxes[spec.path] = multi.boxes
        self._register(spec.path, spec, spec.label, multi, message)
        groups = []
        for urgency in reversed(URGENCY_ORDER):
            members = [f for f in flags if f.urgency == urgency]
            if not members:
                continue
            fg, bg = COLOURS.get(urgency, COLOURS["routine"])
            head = widgets.HTML(
                f"<div style='font-weight:bold;color:{fg}'>"
                f"Red flags — {esc(id_words(urgency))}</div>"
            )
            boxes = []
            for f in members:
                box = multi.boxes[f.id]
                kind = FLAG_KIND_WORDS.get(f.kind, "")
                box.description = f"{f.label} ({f.condition}) · {kind}"
                box.tooltip = f.description
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

    def _build_screening(self, specs: list[FieldSpec]) -> widgets.Widget:
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
        client_specs.extend(s for s in _TEXT_SPECS if s.path not in known)
        order = {"client.id": 0, "client.age": 1, "client.sex": 2, "date": 3, "notes": 4}
        client_specs.sort(key=lambda s: order.get(s.path, 9))
        for spec in client_specs:
            if spec.kind == "notes":
                message = widgets.HTML()
                box = widgets.Textarea(
                    value="",
                    continuous_update=False,
                    layout=widgets.Layout(width="250px", height="48px", flex="0 1 250px"),
                )
                self._register(spec.path, spec, spec.label, box, message)
                rows.append(widgets.VBox([_row(self._row_label(spec), box), message]))
            else:
                rows.append(self._field_row(spec))
        return widgets.VBox([widgets.HTML("<b>Client</b>"), *rows])


    # ------------------------------------------------------------------ values

    def load(self, record: Mapping[str, Any]) -> list[str]:
        """Fill every control from ``record``; return what the controls cannot hold.

        A value a control cannot hold (an unknown red-flag id, a sex outside the
        choices) is returned in words, for the app to show under the entries,
        never dropped silently; a number that is not a number is put in its box
        as text, so its message appears beside it. The controls' callbacks run
        (the caller decides whether to act on them while loading).
        """
        unshown: list[str] = []
        for path, control in self.controls.items():
            value = get_path(record, path)
            spec = self.specs[path]
            label = self.labels[path]
            if spec.kind in ("number", "integer"):
                numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
                control.value = ("" if value is None else value_words(value) if numeric
                                 else str(value))
            elif spec.kind == "bool":
                control.value = bool(value)
            elif spec.kind == "choice":
                ok = value is None or value in spec.choices
                control.value = value if ok and value is not None else _CHOICE_DEFAULTS.get(path)
                if not ok:
                    words = _CHOICE_WORDS.get(path, {})
                    choices = ", ".join(words.get(c, id_words(c)) for c in spec.choices)
                    unshown.append(f"{label}: {shorten(repr(value), 60)} is not one of {choices}")
            elif isinstance(control, MultiChoice):
                values = list(value) if isinstance(value, (list, tuple)) else []
                known = [v for v in values if v in control.boxes]
                control.value = tuple(known)
                unshown.extend(f"{label}: {shorten(repr(v), 60)} is not one of the choices"
                               for v in values if v not in known)
            else:
                control.value = "" if value is None else str(value)
        unshown.extend(self.psfs.load(get_path(record, "function.psfs")))
        return unshown

    def collect(self, base: Mapping[str, Any]) -> tuple[dict, dict[str, str]]:
        """The record the controls describe (on top of ``base``), and the entries to fix.

        Returns
        -------
        record : dict
            ``base`` with every control's value; a number box that needs fixing
            is left out (not measured) until it holds an accepted number.
        problems : dict
            Field path → the message for that entry (:func:`number_entry`).
        """
        record = copy.deepcopy(dict(base))
        record.setdefault("schema", "lbp-assessment/1")
        problems: dict[str, str] = {}
        for path, control in self.controls.items():
            spec = self.specs[path]
            raw = control.value
            if spec.kind in ("number", "integer"):
                value, problem = number_entry(str(raw), spec, self.labels[path])
                if problem:
                    problems[path] = problem
                    put(record, path, None)  # left out until it is an accepted number
                    continue
            elif spec.kind == "multi_choice":
                value = list(raw)
            elif spec.kind == "bool" and not raw and get_path(base, path) is None:
                value = None  # unticked and absent before: stays absent ("not shown yet")
            elif spec.kind in ("text", "notes"):
                value = raw if raw != "" else None
            else:
                value = raw
            put(record, path, value)
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
        prune(record)
        return record, problems

    # ------------------------------------------------------------------ messages

    @property
    def invalid(self) -> bool:
        """True while any entry shows a message."""
        return any(m.value for m in self.messages.values())

    def clear_messages(self) -> None:
        for msg in self.messages.values():
            msg.value = ""

    def record_problems(self, problems: list[Problem]) -> dict[str, str]:
        """The record's own problems (validation) as messages, by the control they belong to."""
        out: dict[str, str] = {}
        for p in problems:
            path = self.psfs.row_path(str(p.path))
            out[path] = problem_text(p, self.labels, path)
        return out

    def show_problems(self, problems: Mapping[str, str]) -> list[str]:
        """Put each message beside its control; return those no control owns."""
        by_widget: dict[int, list[str]] = {}
        general: list[str] = []
        for path, text in problems.items():
            target = match(path, self.messages)
            if target is None:
                general.append(text)
            else:
                by_widget.setdefault(id(self.messages[target]), []).append(text)
        for msg in {id(m): m for m in self.messages.values()}.values():
            texts = by_widget.get(id(msg))
            if texts:
                msg.value = "".join(problem_html(t) for t in texts)
        return general


# ---------------------------------------------------------------------- record paths


def put(record: dict, path: str, value: Any) -> None:
    """Set a dotted path in ``record``; None removes the key (missing = not measured)."""
    if value is None:
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


def prune(node: Any) -> None:
    """Drop empty side dicts ({} after both sides were cleared)."""
    if not isinstance(node, dict):
        return
    for key in list(node):
        child = node[key]
        if isinstance(child, dict):
            prune(child)
            if not child and key not in ("client",) and set(child) <= {"left", "right"}:
                del node[key]


def match(path: str, messages: Mapping[str, Any]) -> str | None:
    """The control path a problem's path belongs to (walk up the dotted path)."""
    parts = path.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in messages:
            return candidate
        parts.pop()
    return None


def problem_text(p: Problem, labels: Mapping[str, str], path: str | None = None) -> str:
    """``Label (side): value is outside range`` from the record's own problem.

    The record's message starts with the field path (``"pain.now: -1 is
    outside 0–10"``); shown beside a control the path is replaced by the
    control's label. ``path`` is the control the problem belongs to, when it
    is not ``p.path`` itself (a PSFS item is shown beside its row).
    """
    path = str(p.path) if path is None else path
    target = match(path, labels)
    msg = str(p.message or path)
    for prefix in (f"{p.path}: ", f"{path}: "):
        if target and msg.startswith(prefix):
            msg = msg[len(prefix):]
            break
    accepted = str(p.accepted or "")
    text = f"{labels[target]}: {msg}" if target else msg
    if accepted and accepted not in msg:
        text += f" (accepted: {accepted})"
    return text
