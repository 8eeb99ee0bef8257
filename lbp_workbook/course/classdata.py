"""Class data: a practical session's measurements, per test, against the cut-off.

In a practical session learners measure each other and enter the readings in a
spreadsheet laid out like the workbook's CSV export (the columns of
:func:`lbp_workbook.engine.storage.csv_columns`: ``client.id``,
``flexibility.slr_deg.left``, ...). An instructor loads that file and sees,
for every test, how the class's readings spread around the cut-off and how
many are deficient on each side.

- :func:`load_class_csv` reads the file with
  :func:`lbp_workbook.engine.storage.read_csv_rows` (the workbook's one CSV reader):
  good rows become records; bad rows are kept as problems (row, column,
  value, message) and skipped, so the good rows still show.
- :func:`class_summary` runs the engine (:func:`lbp_workbook.assess`) on every
  record: statuses, cut-offs and units come from the engine's findings, never
  from a threshold written here.
- :func:`class_distribution_chart` draws one panel per test (matplotlib is
  imported only there), and :func:`class_tables_html` gives the bad-row and
  summary tables as HTML (learner text escaped).
- ``lbp_workbook.course.class_view.class_view`` puts them together for a
  notebook or Voilà page.

Pure Python apart from the chart: no ipywidgets, matplotlib only on first draw.

>>> data = load_class_csv(class_example_path())
>>> len(data.records), len(data.problems)
(13, 3)
>>> slr_left = [s for s in class_summary(data) if s.test == "slr_deg" and s.side == "left"][0]
>>> slr_left.n, slr_left.deficient, slr_left.cutoff, slr_left.unit
(13, 6, 80.0, 'deg')
"""

from __future__ import annotations

import html as _html
import os
import statistics
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any, Sequence

from lbp_workbook.engine.storage import CsvProblem, read_csv_rows

__all__ = [
    "ClassData",
    "TestSummary",
    "class_example_path",
    "load_class_csv",
    "class_data_from_records",
    "class_summary",
    "class_distribution_chart",
    "class_tables_html",
]

CLASS_EXAMPLE = "class_practical.csv"


@dataclass(frozen=True)
class ClassData:
    """A class's records and the problems of the rows that were skipped.

    Attributes
    ----------
    records : tuple of dict
        One valid ``lbp-assessment/1`` record per good row, in file order.
    problems : tuple of CsvProblem
        Every problem of every bad row (row number as a spreadsheet counts
        it: the header is row 1), plus unknown columns (row 1).
    source : str
        Where the data came from (a file name), for display.
    """

    records: tuple[dict, ...]
    problems: tuple[CsvProblem, ...] = ()
    source: str = ""

    @property
    def bad_rows(self) -> tuple[int, ...]:
        """Row numbers (spreadsheet count, header = 1) skipped because of a problem."""
        return tuple(sorted({p.row for p in self.problems if p.row > 1}))


@dataclass(frozen=True)
class TestSummary:
    """One test on one side across the class.

    Attributes
    ----------
    test : str
        Field name of the test, e.g. ``"slr_deg"``.
    group : str
        ``"flexibility"`` or ``"endurance"``.
    name : str
        Plain name, e.g. ``"Passive straight-leg raise"``.
    side : {"left", "right", None}
        None for a one-value test.
    unit : str
        ``"deg"``, ``"cm"`` or ``"s"``.
    n : int
        Readings of this test and side in the class.
    deficient : int or None
        How many of them the engine marks deficient; None for a test
        without a cut-off (the endurance holds).
    minimum, median, maximum : float
        Of the readings [unit].
    cutoff : float or None
        The engine's cut-off [unit]; None when the test has none.
    deficient_when : {"below", "above", None}
        Which side of the cut-off counts as deficient.
    values : tuple of float
        The readings [unit], in file order.
    statuses : tuple of str
        ``"deficient"``, ``"normal"`` or ``""`` (no cut-off), one per value.
    client_ids : tuple of str
        Whose reading each value is.
    """

    __test__ = False  # not a pytest test class, despite the name

    test: str
    group: str
    name: str
    side: str | None
    unit: str
    n: int
    deficient: int | None
    minimum: float
    median: float
    maximum: float
    cutoff: float | None
    deficient_when: str | None
    values: tuple[float, ...] = field(repr=False)
    statuses: tuple[str, ...] = field(repr=False)
    client_ids: tuple[str, ...] = field(repr=False)

    @property
    def label(self) -> str:
        """Name and side, e.g. ``"Passive straight-leg raise, left"``."""
        return f"{self.name}, {self.side}" if self.side else self.name


def class_example_path() -> Path:
    """Path of the synthetic class CSV shipped with the workbook.

    Sixteen rows of synthetic learners (``learner01`` ...) measured in a
    practical session, three of them deliberately bad (a straight-leg raise
    of 400 deg, a word in a number cell, a missing client id), so the view
    shows how bad rows are reported and skipped.

    >>> class_example_path().name
    'class_practical.csv'
    """
    return Path(str(files("lbp_workbook") / "data" / "examples" / CLASS_EXAMPLE))


def load_class_csv(path: str | os.PathLike) -> ClassData:
    """Read a class CSV: good rows as records, bad rows as problems.

    Parameters
    ----------
    path : str or Path
        A CSV file with the columns of the workbook's CSV export (any subset
        that includes ``client.id``), one row per learner measured.

    Returns
    -------
    ClassData
        The records of the good rows and the problems of the bad ones.

    Raises
    ------
    StorageError
        The file cannot be read as a CSV at all: missing, not UTF-8 text,
        empty, no ``client.id`` column, a repeated column. The message names
        the file and the problem.

    Notes
    -----
    Parsing is :func:`lbp_workbook.engine.storage.read_csv_rows`: the same rules as
    importing a saved client's CSV (every problem of a row is listed; a row
    with any problem is skipped whole).
    """
    # The reliability lab's rater and trial columns are known, not "unknown columns".
    records, problems = read_csv_rows(path, extra_columns=("rater", "trial"))
    return ClassData(tuple(records), tuple(problems), Path(path).name)


def class_data_from_records(records: Sequence[dict], source: str = "") -> ClassData:
    """Wrap records that are already valid (e.g. saved clients) as :class:`ClassData`."""
    return ClassData(tuple(records), (), source)


def class_summary(data: ClassData) -> tuple[TestSummary, ...]:
    """Per test and side: how many readings, how many deficient, their spread.

    Parameters
    ----------
    data : ClassData
        From :func:`load_class_csv`.

    Returns
    -------
    tuple of TestSummary
        In the order of the record's tests (flexibility, then endurance),
        left before right; only tests and sides with at least one reading.

    Notes
    -----
    Every record is run through :func:`lbp_workbook.assess`; a reading's
    status, the cut-off and which side of it is deficient come from the
    engine's :class:`~lbp_workbook.engine.result.FlexibilityFinding`. The endurance
    holds have no cut-off (the engine judges them by ratios), so their
    ``deficient`` and ``cutoff`` are None. A class of learners is not a
    norm sample: the spread shows measurement practice as much as the
    learners' flexibility.
    """
    from lbp_workbook.engine import reference
    from lbp_workbook.engine.assessment import assess

    # One pass over the records (each assessed once, its result dropped after): readings
    # are gathered per (test, side), so time and memory grow linearly with the rows.
    readings: dict[tuple[str, str | None], tuple[list, list, list]] = {}
    cutoffs: dict[tuple[str, str | None], tuple] = {}
    for record in data.records:
        result = assess(record)
        for f in result.flexibility:
            key = (f.test, f.side)
            values, statuses, ids = readings.setdefault(key, ([], [], []))
            values.append(f.value)
            statuses.append(f.status)
            ids.append(result.client_id)
            cutoffs[key] = (f.cutoff, f.deficient_when)
        for name, seconds in result.endurance.times_s.items():
            test_id, _, side = name.partition(".")
            values, statuses, ids = readings.setdefault((test_id, side or None), ([], [], []))
            values.append(float(seconds))
            statuses.append("")
            ids.append(result.client_id)
    out: list[TestSummary] = []
    for test in reference.assessment_tests():
        sides = ("left", "right") if test.side_specific else (None,)
        for side in sides:
            if (test.id, side) not in readings:
                continue
            values, statuses, ids = readings[(test.id, side)]
            cutoff, deficient_when = cutoffs.get((test.id, side), (None, None)) \
                if test.section == "flexibility" else (None, None)
            out.append(TestSummary(
                test=test.id, group=test.section, name=test.name, side=side, unit=test.unit,
                n=len(values),
                deficient=statuses.count("deficient") if cutoff is not None else None,
                minimum=min(values), median=float(statistics.median(values)),
                maximum=max(values), cutoff=cutoff, deficient_when=deficient_when,
                values=tuple(values), statuses=tuple(statuses), client_ids=tuple(ids),
            ))
    return tuple(out)


# --------------------------------------------------------------------------- chart

_ROW_H_IN = 0.42  # height of one side's row [inch]
_PANEL_EXTRA_IN = 0.85  # room under a panel for ticks and the axis label [inch]
_TOP_IN = 0.3  # room above the first panel for its cut-off label [inch]
_PANEL_X = (0.09, 0.66)  # left edge and width of the panels [fraction of the host]
_STACK_STEP = 0.22  # vertical offset between equal readings [row units]


def _lower_first(text: str) -> str:
    if not text or not text[1:2].islower():
        return text
    return text[0].lower() + text[1:]


def _axis_label(s: TestSummary) -> str:
    return f"{_lower_first(s.name)} ({s.unit})"


def _stack_offsets(values: Sequence[float], resolution: float) -> list[float]:
    """Vertical offsets so equal (or nearly equal) readings sit side by side: 0, +1, -1, +2 ..."""
    seen: dict[int, int] = {}
    out = []
    for v in values:
        key = round(v / resolution) if resolution > 0 else 0
        k = seen.get(key, 0)
        seen[key] = k + 1
        out.append(((k + 1) // 2) * (1 if k % 2 else -1) * _STACK_STEP)
    return out


def _panels(summaries: Sequence[TestSummary]) -> list[list[TestSummary]]:
    """Group the summaries by test (one panel per test, its sides as rows)."""
    panels: dict[str, list[TestSummary]] = {}
    for s in summaries:
        panels.setdefault(s.test, []).append(s)
    return list(panels.values())


def _count_text(s: TestSummary) -> str:
    if s.deficient is None:
        return f"n = {s.n} · no cut-off"
    return f"{s.deficient} of {s.n} deficient"


def class_distribution_chart(data: ClassData | Sequence[TestSummary], ax=None):
    """Draw the class's readings of every test against its cut-off.

    Parameters
    ----------
    data : ClassData or sequence of TestSummary
        The class (summarised with :func:`class_summary`), or summaries.
    ax : matplotlib.axes.Axes, optional
        Area to draw into (hidden and shared out into one panel per test);
        a new figure sized to the number of tests when omitted.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    One panel per test, one row per side. Each reading is a dot (blue circle
    when normal, vermilion cross when deficient: shape and colour both carry
    the status); equal readings are stacked side by side rather than hidden.
    The cut-off is a black dashed line with the deficient side tinted, and
    labelled with its value; each row is labelled at the right with how many
    readings are deficient ("7 of 13 deficient"). Tests without a cut-off
    (the endurance holds) show the readings only. Axis labels are lower
    case with units; no title (the caption goes under the figure).
    """
    import matplotlib
    from matplotlib.colors import to_rgba

    from lbp_workbook.views.plotstyle import FONT_SIZE, PALETTE, RC, new_figure, style_axes

    summaries = tuple(data) if not isinstance(data, ClassData) else class_summary(data)
    panels = _panels(summaries)
    rows_total = sum(len(p) for p in panels)
    height_in = max(2.0, rows_total * _ROW_H_IN + len(panels) * _PANEL_EXTRA_IN + _TOP_IN)
    if ax is None:
        fig = new_figure(9.0, height_in)
        with matplotlib.rc_context(RC):
            host = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    else:
        fig, host = ax.get_figure(), ax
    host.set_axis_off()
    if not panels:
        host.text(0.5, 0.5, "no readings to show", ha="center", va="center",
                  fontsize=FONT_SIZE, color=PALETTE["text"], transform=host.transAxes)
        return fig

    units = rows_total * _ROW_H_IN + len(panels) * _PANEL_EXTRA_IN + _TOP_IN
    scale = 1.0 / units
    y = 1.0 - _TOP_IN * scale
    for panel in panels:
        first = panel[0]
        h = len(panel) * _ROW_H_IN * scale
        y -= h
        with matplotlib.rc_context(RC):
            pax = host.inset_axes((_PANEL_X[0], y, _PANEL_X[1], h))
        y -= _PANEL_EXTRA_IN * scale
        pax.set_gid(f"class-{first.test}")
        style_axes(pax)
        pax.spines["left"].set_visible(False)
        pax.tick_params(axis="y", length=0)
        values = [v for s in panel for v in s.values]
        cutoff = first.cutoff
        lo, hi = min(values), max(values)
        if cutoff is not None:
            lo, hi = min(lo, cutoff), max(hi, cutoff)
        pad = max((hi - lo) * 0.08, 1.0 if first.unit != "cm" else 0.2)
        lo, hi = lo - pad, hi + pad
        pax.set_xlim(lo, hi)
        n_rows = len(panel)
        pax.set_ylim(-0.5, n_rows - 0.5)
        ys = [n_rows - 1 - i for i in range(n_rows)]
        pax.set_yticks(ys, [s.side or "" for s in panel])
        pax.set_xlabel(_axis_label(first))
        if cutoff is not None:
            if first.deficient_when == "below":
                pax.axvspan(lo, cutoff, color=to_rgba(PALETTE["deficient"], 0.08), lw=0)
            else:
                pax.axvspan(cutoff, hi, color=to_rgba(PALETTE["deficient"], 0.08), lw=0)
            pax.axvline(cutoff, color=PALETTE["cutoff"], ls="--", lw=2)
            pax.text(cutoff, n_rows - 0.5, f" cut-off {cutoff:g} {first.unit}",
                     ha="left", va="bottom", fontsize=FONT_SIZE - 1, color=PALETTE["cutoff"])
        resolution = (hi - lo) / 60.0
        for s, row_y in zip(panel, ys):
            offsets = _stack_offsets(s.values, resolution)
            for status in ("normal", "", "deficient"):
                xs = [v for v, st in zip(s.values, s.statuses) if st == status]
                yy = [row_y + o for o, st in zip(offsets, s.statuses) if st == status]
                if not xs:
                    continue
                bad = status == "deficient"
                colour = PALETTE["deficient"] if bad else PALETTE["normal"]
                pax.plot(xs, yy, ls="none", marker="X" if bad else "o",
                         markersize=9 if bad else 7, color=colour,
                         markeredgecolor=colour if bad else "white", markeredgewidth=0.8,
                         gid=f"readings-{s.test}-{s.side or 'one'}-{status or 'none'}")
            bad_rows = bool(s.deficient)
            row_centre = y + _PANEL_EXTRA_IN * scale + (row_y + 0.5) / n_rows * h
            host.text(_PANEL_X[0] + _PANEL_X[1] + 0.02, row_centre, _count_text(s), ha="left", va="center", fontsize=FONT_SIZE - 1,
                      color=PALETTE["deficient"] if bad_rows else PALETTE["text"],
                      fontweight="bold" if bad_rows else "normal",
                      transform=host.transAxes, gid=f"count-{s.test}-{s.side or 'one'}")
    return fig


# --------------------------------------------------------------------------- tables


def _e(value: Any) -> str:
    return _html.escape(str(value), quote=True)


def class_tables_html(data: ClassData, summaries: Sequence[TestSummary] | None = None) -> str:
    """The skipped rows and the per-test summary as HTML tables.

    Parameters
    ----------
    data : ClassData
        From :func:`load_class_csv`.
    summaries : sequence of TestSummary, optional
        From :func:`class_summary` (computed when omitted).

    Returns
    -------
    str
        An HTML fragment: a line saying how many rows were read and skipped,
        a table of the problems (row, column, value, problem) when there are
        any, and the summary table (test, side, n, deficient, min, median,
        max, cut-off). Every cell is escaped, so text typed into the
        spreadsheet shows as text.
    """
    if summaries is None:
        summaries = class_summary(data)
    parts: list[str] = []
    add = parts.append
    skipped = len(data.bad_rows)
    source = f" from {_e(data.source)}" if data.source else ""
    add(f"<p><b>{len(data.records)} row(s) read{source}; {skipped} row(s) skipped "
        "because of a problem.</b></p>")
    if data.problems:
        add('<table class="lbp-class-problems"><thead><tr><th>row</th><th>column</th>'
            "<th>value</th><th>problem</th></tr></thead><tbody>")
        for p in data.problems:
            add(f"<tr><td>{p.row}</td><td>{_e(p.column or '(whole row)')}</td>"
                f"<td>{_e('' if p.value is None else p.value)}</td><td>{_e(p.message)}</td></tr>")
        add("</tbody></table>")
    if not summaries:
        add("<p>No readings to summarise.</p>")
        return "\n".join(parts)
    add('<table class="lbp-class-summary"><thead><tr><th>test</th><th>side</th><th>n</th>'
        "<th>deficient</th><th>min</th><th>median</th><th>max</th><th>cut-off</th>"
        "</tr></thead><tbody>")
    for s in summaries:
        deficient = "no cut-off" if s.deficient is None else f"{s.deficient} of {s.n}"
        cutoff = "—" if s.cutoff is None else \
            f"deficient {s.deficient_when} {s.cutoff:g} {s.unit}"
        add(f"<tr><td>{_e(s.name)}</td><td>{_e(s.side or '—')}</td><td>{s.n}</td>"
            f"<td>{_e(deficient)}</td><td>{s.minimum:g} {_e(s.unit)}</td>"
            f"<td>{s.median:g} {_e(s.unit)}</td><td>{s.maximum:g} {_e(s.unit)}</td>"
            f"<td>{_e(cutoff)}</td></tr>")
    add("</tbody></table>")
    return "\n".join(parts)
