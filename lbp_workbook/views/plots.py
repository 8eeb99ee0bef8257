"""Plots of an assessment result: deficits, asymmetry, endurance, progress.

Every function here reads a :class:`lbp_workbook.engine.result.Result` (or a list of
them) and draws it in the house style of :mod:`lbp_workbook.views.plotstyle`:
colour-blind-safe palette, lower-case labels with units, direct labels, no
title in the image. Each takes an optional ``ax``, returns the figure, never
calls ``plt.show()`` and never uses pyplot's figure registry.

No number is decided here: cut-offs, deficits, statuses and whether a
reading lies within measurement error of its cut-off come from the result's
findings; ratio targets, bands and flags from ``result.endurance.ratios``;
asymmetry flags from ``result.asymmetries``; whether a change between two
visits is real from :func:`lbp_workbook.engine.progress.reading_change` (larger than
the test's MDC95); the bands' widths (1.96 x SEM for one reading, MDC95 for
a change) from the reference data
(:func:`lbp_workbook.engine.reference.assessment_test`); the list of tests, their
names, units and scale ranges from ``lbp_workbook.engine.record.FIELDS``.

Layouts with one panel per test (the deficit chart, the asymmetry view, the
endurance profile) draw their panels as inset axes of one host axes: a new
full-figure axes, or the ``ax`` given, which is then hidden and shared out.

:class:`DeficitChart` builds the deficit chart once and
:meth:`DeficitChart.update` changes its artists in place, for a widget
(``lbp_workbook.views.widgets._figure_view.FigureView``); :func:`deficit_chart` is
the same object drawn once, so both give the same picture.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Sequence

import matplotlib
import matplotlib.ticker
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from lbp_workbook.engine.result import Asymmetry, EnduranceRatio, FlexibilityFinding, Result
from lbp_workbook.views import wording
from lbp_workbook.views.plotstyle import FONT_SIZE, LINE_WIDTH, PALETTE, RC, new_figure, style_axes

Side = Literal["left", "right"]

__all__ = [
    "DeficitChart",
    "MeasureSpec",
    "ProgressStep",
    "asymmetry_view",
    "deficit_chart",
    "endurance_profile",
    "progress_chart",
    "progress_summary",
]

#: The three McGill ratio ids of the Result contract (``EnduranceRatio.id``).
RATIO_IDS: tuple[str, ...] = ("flexor_extensor", "side_extensor", "side_to_side")

NOT_MEASURED = "not measured"
DEFICIENT_MARKER = "X"  # a cross: deficient without relying on colour
NORMAL_MARKER = "o"
DEFICIENT_HATCH = "///"
_BAND_ALPHA = 0.35
_TINT_ALPHA = 0.08
_TARGET_ALPHA = 0.18
_WRAP_CHARS = 24
_PROPER_NAMES = ("Thomas", "Schober", "McGill", "Biering")


# --------------------------------------------------------------------------
# the record's tests, number formatting, labels
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureSpec:
    """One measurement of the record, as the plots need it.

    Attributes
    ----------
    test : str
        Field name without group or side, e.g. ``"slr_deg"``.
    label : str
        Plain name from ``record.FIELDS``.
    unit : str
        Unit of the reading, e.g. ``"deg"``, ``"cm"``, ``"s"``.
    minimum, maximum : float
        The record's accepted range [unit]; used as the axis range.
    sides : tuple
        ``("left", "right")`` for a side-specific test, else ``(None,)``.
    """

    test: str
    label: str
    unit: str
    minimum: float
    maximum: float
    sides: tuple[Side | None, ...]


def measure_specs(group: str) -> tuple[MeasureSpec, ...]:
    """Return the record's measurements in one group, in record order.

    Parameters
    ----------
    group : str
        First part of the field path: ``"flexibility"`` or ``"endurance"``.

    Returns
    -------
    tuple of MeasureSpec
        One per field of ``lbp_workbook.engine.record.FIELDS`` under ``group``.

    >>> [s.test for s in measure_specs("endurance")]
    ['flexor_s', 'extensor_s', 'side_bridge_s']
    """
    from lbp_workbook.engine.record import FIELDS  # domain module, imported on first use

    prefix = group + "."
    return tuple(
        MeasureSpec(
            test=spec.path[len(prefix) :],
            label=spec.label,
            unit=spec.unit,
            minimum=float(spec.minimum),
            maximum=float(spec.maximum),
            sides=("left", "right") if spec.side_specific else (None,),
        )
        for spec in FIELDS
        if spec.path.startswith(prefix) and spec.kind in ("number", "integer")
    )


def _reference_error(test: str):
    """The test's measurement error from the reference data (``sem``, ``mdc95``,
    ``band95`` = 1.96 x SEM, in the test's unit), or None."""
    from lbp_workbook.engine.reference import assessment_test

    try:
        return assessment_test(test).measurement_error
    except KeyError:
        return None


#: What a single reading's chart label adds when its cut-off lies inside reading ± 1.96 x SEM
#: (short, so the status column fits; the chart's key line spells it out).
NEAR_CUTOFF_WORDS = "near cut-off"
#: The key line's meaning of :data:`NEAR_CUTOFF_WORDS`.
NEAR_CUTOFF_KEY = "near cut-off: within measurement error of the cut-off (the line lies inside the grey band)"


def fmt_number(value: float) -> str:
    """Format a reading for a label: whole numbers without decimals.

    Negative numbers get a true minus sign, as on the axes.

    >>> fmt_number(62.0), fmt_number(4.25), fmt_number(-0.0), fmt_number(-8)
    ('62', '4.2', '0', '−8')
    """
    if math.isinf(value):
        return "∞"
    text = str(int(round(value))) if abs(value - round(value)) < 0.05 else f"{value:.1f}"
    return "0" if text in ("-0", "-0.0") else text.replace("-", "−")


def fmt_ratio(value: float) -> str:
    """Format a ratio with two decimals ("∞" when the denominator was 0 s).

    >>> fmt_ratio(0.8181), fmt_ratio(float("inf"))
    ('0.82', '∞')
    """
    return "∞" if math.isinf(value) else f"{value:.2f}"


def lower_first(text: str) -> str:
    """Lower-case a label's first letter unless it starts with a name.

    >>> lower_first("Passive straight-leg raise"), lower_first("Thomas test")
    ('passive straight-leg raise', 'Thomas test')
    """
    if not text or text.startswith(_PROPER_NAMES) or not text[1:2].islower():
        return text
    return text[0].lower() + text[1:]


def axis_label(spec: MeasureSpec, width: int | None = _WRAP_CHARS) -> str:
    """Lower-case name with the unit in brackets, wrapped to ``width`` characters.

    >>> axis_label(MeasureSpec("schober_cm", "Modified Schober test", "cm", 0, 15, (None,)), None)
    'modified Schober test [cm]'
    """
    text = f"{lower_first(spec.label)} [{spec.unit}]"
    return textwrap.fill(text, width) if width else text


def _finding_index(result: Result) -> dict[tuple[str, str | None], FlexibilityFinding]:
    """Map (test, side) to the result's flexibility finding."""
    return {(f.test, f.side): f for f in result.flexibility}


def deficit_words(finding: FlexibilityFinding) -> str:
    """Say how far past its cut-off a deficient reading is.

    Returns
    -------
    str
        ``"18 deg short"`` for a test deficient below its cut-off,
        ``"12 deg over"`` for one deficient above it; with
        ``" (near cut-off)"`` added when the engine says the reading is within
        measurement error of the cut-off, i.e. the cut-off lies inside reading ± 1.96 x SEM
        (``finding.within_error_of_cutoff``; Weir 2005).
    """
    word = "short" if finding.deficient_when == "below" else "over"
    text = f"{fmt_number(finding.deficit)} {finding.unit} {word}"
    if finding.within_error_of_cutoff:
        text += f" ({NEAR_CUTOFF_WORDS})"
    return text


def finding_label(finding: FlexibilityFinding | None) -> str:
    """Label one reading with its value and, when deficient, its deficit.

    Parameters
    ----------
    finding : FlexibilityFinding or None
        The engine's finding for one test and side; None when not measured.

    Returns
    -------
    str
        e.g. ``"62 deg · 18 deg short"``, ``"85 deg · normal"``,
        ``"82 deg · normal (near cut-off)"`` or
        ``"not measured"``.
    """
    if finding is None:
        return NOT_MEASURED
    value = f"{fmt_number(finding.value)} {finding.unit}"
    if finding.status == "deficient":
        return f"{value} · {deficit_words(finding)}"
    near = f" ({NEAR_CUTOFF_WORDS})" if finding.within_error_of_cutoff else ""
    return f"{value} · normal{near}"


def status_marker(deficient: bool) -> dict[str, Any]:
    """Marker style of one reading: a vermilion cross when deficient or
    flagged, else a blue circle (shape and colour both carry the status).

    >>> status_marker(True)["marker"], status_marker(False)["marker"]
    ('X', 'o')
    """
    colour = PALETTE["deficient"] if deficient else PALETTE["normal"]
    return {
        "marker": DEFICIENT_MARKER if deficient else NORMAL_MARKER,
        "markersize": 15 if deficient else 12,
        "color": colour,
        "markeredgecolor": colour if deficient else "white",
    }


# --------------------------------------------------------------------------
# figure plumbing
# --------------------------------------------------------------------------


def _host_axes(ax: Axes | None, width_in: float, height_in: float, dpi: int) -> tuple[Figure, Axes]:
    """Return the figure and a hidden host axes that panels are inset into."""
    if ax is None:
        fig = new_figure(width_in, height_in, dpi=dpi)
        with matplotlib.rc_context(RC):
            host = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    else:
        fig, host = ax.get_figure(root=True), ax
    host.set_axis_off()
    return fig, host


def _inset_panel(host: Axes, bounds: tuple[float, float, float, float], gid: str) -> Axes:
    """Add one styled panel inside ``host`` at ``bounds`` (host fractions).

    The panel's ``gid`` names it (e.g. ``"deficit-slr_deg"``) so tests and
    callers can find it among ``host.child_axes``.
    """
    with matplotlib.rc_context(RC):
        panel = host.inset_axes(bounds)
    panel.set_gid(gid)
    style_axes(panel)
    panel.spines["left"].set_visible(False)
    panel.tick_params(axis="y", length=0)
    panel.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    return panel


def panels_of(fig_or_ax: Figure | Axes, kind: str) -> dict[str, Axes]:
    """Find the panels of one chart by their gid prefix.

    Parameters
    ----------
    fig_or_ax : Figure or Axes
        The figure a chart returned (its first axes is the host), or the
        ``ax`` that was passed in.
    kind : str
        ``"deficit"``, ``"asymmetry"`` or ``"endurance"``.

    Returns
    -------
    dict of str to Axes
        Keyed by test or panel name, e.g. ``{"slr_deg": <Axes>, ...}``.
    """
    hosts = fig_or_ax.axes if isinstance(fig_or_ax, Figure) else [fig_or_ax]
    prefix = kind + "-"
    return {
        child.get_gid()[len(prefix) :]: child
        for host in hosts
        for child in host.child_axes
        if (child.get_gid() or "").startswith(prefix)
    }


def _panel_bounds(
    rows_per_panel: Sequence[int], x0: float, x1: float, top: float, bottom: float, gap_rows: float
) -> list[tuple[float, float, float, float]]:
    """Stack panels top to bottom, each as tall as its number of rows.

    Parameters
    ----------
    rows_per_panel : sequence of int
        Rows in each panel (2 for left/right, 1 for a one-value test).
    x0, x1, top, bottom : float
        Area to fill [fraction of the host axes].
    gap_rows : float
        Space under each panel for its tick labels [rows].
    """
    units = sum(rows_per_panel) + gap_rows * len(rows_per_panel)
    unit_h = (top - bottom) / units
    bounds, y = [], top
    for rows in rows_per_panel:
        height = rows * unit_h
        y -= height
        bounds.append((x0, y, x1 - x0, height))
        y -= gap_rows * unit_h
    return bounds


def _not_measured(ax: Axes, x: float, y: float, text: str = NOT_MEASURED, **kwargs: Any) -> Text:
    """Grey italic "not measured" (or similar) note at (x, y)."""
    kwargs.setdefault("va", "center")
    return ax.text(x, y, text, color=PALETTE["band"], fontstyle="italic", **kwargs)


def _host_text(host: Axes, x: float, y: float, text: str = "", cls: type[Text] = Text, **kwargs: Any) -> Text:
    """Add a text at (x, y) in host-axes fractions, in the house font size."""
    kwargs.setdefault("fontsize", FONT_SIZE)
    kwargs.setdefault("color", PALETTE["text"])
    artist = cls(x, y, text, transform=host.transAxes, **kwargs)
    host.add_artist(artist)
    return artist


# --------------------------------------------------------------------------
# pixel caches for the fast, updatable deficit chart
# --------------------------------------------------------------------------


def _can_copy_pixels(renderer: Any) -> bool:
    """True for raster renderers (Agg) that can copy and restore regions."""
    return hasattr(renderer, "copy_from_bbox") and hasattr(renderer, "restore_region")


class _StaticLayer(Artist):
    """Draw artists that never change once per canvas size, then paste pixels.

    The artists given are hidden from normal drawing; this layer (a figure
    artist drawn before the axes) draws them itself. On a raster canvas it
    keeps the pixels of ``host``'s area and restores them on later draws
    instead of laying out every tick label again. Vector output (SVG, PDF)
    always draws them.
    """

    def __init__(self, host: Axes, artists: Sequence[Artist], panels: Sequence[Axes]) -> None:
        super().__init__()
        self._host = host
        self._artists = list(artists)
        self._panels = list(panels)
        self._region: Any = None
        self._key: tuple | None = None
        self.set_zorder(-1)
        for artist in self._artists:
            artist.set_visible(False)

    def _draw_artists(self, renderer: Any) -> None:
        for panel in self._panels:  # place inset panels before their axes draw
            locator = panel.get_axes_locator()
            panel.apply_aspect(locator(panel, renderer) if locator else None)
        for artist in self._artists:
            artist.set_visible(True)
            try:
                artist.draw(renderer)
            finally:
                artist.set_visible(False)

    def draw(self, renderer: Any) -> None:
        if not self.get_visible():
            return
        if not _can_copy_pixels(renderer):
            self._draw_artists(renderer)
            return
        bbox = self._host.get_window_extent(renderer)
        key = (renderer.width, renderer.height, renderer.dpi, tuple(round(v, 2) for v in bbox.bounds))
        if key != self._key:
            self._draw_artists(renderer)
            self._region, self._key = renderer.copy_from_bbox(bbox), key
        else:
            for panel in self._panels:
                locator = panel.get_axes_locator()
                panel.apply_aspect(locator(panel, renderer) if locator else None)
            renderer.restore_region(self._region)
        self.stale = False


class _CachedText(Text):
    """A text that keeps its rendered pixels and pastes them when unchanged.

    Only for texts drawn over a background that never changes (the status
    and name columns of the deficit chart, an empty panel): the pixels kept
    include that background. Laying out and rasterising a text costs a few
    milliseconds with matplotlib; pasting it costs microseconds.
    """

    _MAX_KEPT = 64

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pixels: dict[tuple, Any] = {}

    def _key(self, renderer: Any) -> tuple:
        anchor = self.get_transform().transform(self.get_unitless_position())
        return (
            self.get_text(),
            to_rgba(self.get_color()),
            self.get_fontweight(),
            self.get_fontstyle(),
            self.get_fontsize(),
            renderer.width,
            renderer.height,
            renderer.dpi,
            round(float(anchor[0]), 1),
            round(float(anchor[1]), 1),
        )

    def draw(self, renderer: Any) -> None:
        if not self.get_visible() or not self.get_text() or not _can_copy_pixels(renderer):
            super().draw(renderer)
            return
        key = self._key(renderer)
        region = self._pixels.get(key)
        if region is None:
            super().draw(renderer)
            if len(self._pixels) >= self._MAX_KEPT:
                self._pixels.clear()
            self._pixels[key] = renderer.copy_from_bbox(self.get_window_extent(renderer).padded(2))
        else:
            renderer.restore_region(region)
        self.stale = False


# --------------------------------------------------------------------------
# deficit chart
# --------------------------------------------------------------------------

_NAME_X = 0.235  # right edge of the test-name column [host fraction]
_PANEL_X0, _PANEL_X1 = 0.31, 0.63  # panel column [host fraction]
_STATUS_X = 0.65  # left edge of the status column [host fraction]


@dataclass
class _RowArtists:
    """The artists of one reading (one test, one side) in the deficit chart."""

    y: float
    marker: Line2D
    band: Rectangle
    deficit_bar: Rectangle
    status: Text


@dataclass
class _PanelArtists:
    """The artists of one test's panel in the deficit chart."""

    spec: MeasureSpec
    ax: Axes
    cutoff_line: Line2D
    tint: Rectangle
    cutoff_text: Text
    empty_text: Text
    rows: dict[str | None, _RowArtists]


class DeficitChart:
    """The range-of-motion deficit chart, built once and updated in place.

    One horizontal panel per flexibility test of the record, each on its own
    scale (the record's accepted range for that test), one row per side. In
    each panel: the cut-off (black dashed line) with the deficient side of it
    tinted; each reading as a marker (blue circle when normal, vermilion
    cross when deficient); a hatched vermilion bar from the cut-off to a
    deficient reading; a grey band of reading ± 1.96 x SEM (the reading's
    95 % band) where the test's error is known. The name column gives each test's name, unit and
    cut-off; the status column labels each reading (``"62 deg · 18 deg
    short"``) or says ``"not measured"``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Area to draw into (hidden and shared out into panels); a new figure
        when omitted.
    width_in, height_in : float
        Size of a new figure [inch].
    dpi : int
        Resolution of a new figure [dots per inch].

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    panels : dict of str to Axes
        One panel per test, keyed by field name (``"slr_deg"``).

    Notes
    -----
    Scales, ticks and names are fixed when the chart is built and drawn only
    once per canvas size (their pixels are kept); status texts keep their
    pixels while unchanged. :meth:`update` only moves markers, bars and
    bands and changes texts, so a widget can redraw on every key press::

        chart = DeficitChart()
        view = FigureView(chart.figure, width_px=880)
        view.update(lambda fig: chart.update(result))

    Examples
    --------
    >>> from lbp_workbook import assess, load_example
    >>> chart = DeficitChart()
    >>> fig = chart.update(assess(load_example("runner_sam")))
    >>> chart.status_text("slr_deg", "left")
    '62 deg · 18 deg short'
    """

    def __init__(
        self, ax: Axes | None = None, width_in: float = 10.0, height_in: float = 7.0, dpi: int = 100
    ) -> None:
        self.specs = measure_specs("flexibility")
        self.figure, self._host = _host_axes(ax, width_in, height_in, dpi)
        bounds = _panel_bounds(
            [len(s.sides) for s in self.specs], _PANEL_X0, _PANEL_X1, 0.975, 0.085, gap_rows=0.95
        )
        static: list[Artist] = []
        self._panels = [self._build_panel(s, b, static) for s, b in zip(self.specs, bounds)]
        self.panels: dict[str, Axes] = {p.spec.test: p.ax for p in self._panels}
        static.append(
            _host_text(
                self._host,
                0.01,
                0.005,
                "black dashed line: cut-off · tinted side: past the cut-off · "
                "grey band: reading ± 1.96 × SEM (its 95 % band), where known\n" + NEAR_CUTOFF_KEY,
                fontsize=FONT_SIZE - 1,
                va="bottom",
            )
        )
        self.figure.add_artist(_StaticLayer(self._host, static, list(self.panels.values())))

    # -- building ----------------------------------------------------------

    def _build_panel(self, spec: MeasureSpec, bounds, static: list[Artist]) -> _PanelArtists:
        """Create one test's panel; its fixed parts go into ``static``."""
        ax = _inset_panel(self._host, bounds, gid=f"deficit-{spec.test}")
        n_rows = len(spec.sides)
        ax.set_xlim(spec.minimum, spec.maximum)
        ax.set_ylim(-0.5, n_rows - 0.5)
        ys = [n_rows - 1 - i for i in range(n_rows)]  # first side on top
        ax.set_yticks(ys, [side or "" for side in spec.sides])
        static += [ax.patch, ax.xaxis, ax.yaxis, *(s for s in ax.spines.values() if s.get_visible())]
        centre = bounds[1] + bounds[3] / 2
        name = axis_label(spec)
        static.append(_host_text(self._host, _NAME_X, centre, name, ha="right", va="bottom"))
        cutoff_text = _host_text(self._host, _NAME_X, centre, cls=_CachedText, ha="right", va="top")
        cutoff_line = ax.axvline(0, color=PALETTE["cutoff"], linestyle="--", lw=LINE_WIDTH, zorder=3)
        tint = ax.axvspan(0, 0, color=PALETTE["deficient"], alpha=_TINT_ALPHA, lw=0)
        empty = _CachedText(
            0.5, 0.5, NOT_MEASURED, transform=ax.transAxes, ha="center", va="center",
            fontsize=FONT_SIZE, color=PALETTE["band"], fontstyle="italic",
        )
        ax.add_artist(empty)
        rows = {side: self._build_row(ax, bounds, y, n_rows) for side, y in zip(spec.sides, ys)}
        return _PanelArtists(spec, ax, cutoff_line, tint, cutoff_text, empty, rows)

    def _build_row(self, ax: Axes, bounds, y: float, n_rows: int) -> _RowArtists:
        """Create the marker, band, deficit bar and status text of one row."""
        band = Rectangle(
            (0, y - 0.32), 0, 0.64, facecolor=PALETTE["band"], alpha=_BAND_ALPHA, lw=0, zorder=1
        )
        bar = Rectangle(
            (0, y - 0.17), 0, 0.34, facecolor=to_rgba(PALETTE["deficient"], 0.25),
            edgecolor=PALETTE["deficient"], hatch=DEFICIENT_HATCH, lw=1.0, zorder=2,
        )
        ax.add_patch(band)
        ax.add_patch(bar)
        (marker,) = ax.plot([], [], linestyle="none", zorder=4)
        row_centre = bounds[1] + bounds[3] * (y + 0.5) / n_rows
        status = _host_text(self._host, _STATUS_X, row_centre, cls=_CachedText, va="center")
        return _RowArtists(y, marker, band, bar, status)

    # -- reading back (for widgets and tests) --------------------------------

    def status_text(self, test: str, side: Side | None = None) -> str:
        """The status label now shown for one test and side."""
        for panel in self._panels:
            if panel.spec.test == test:
                return panel.rows[side].status.get_text()
        raise KeyError(test)

    # -- updating ----------------------------------------------------------

    def update(self, result: Result) -> Figure:
        """Show ``result``'s flexibility findings; return the figure.

        Parameters
        ----------
        result : Result
            The engine's result; tests without a finding show "not measured".

        Returns
        -------
        matplotlib.figure.Figure
            The same figure every time.
        """
        index = _finding_index(result)
        for panel in self._panels:
            findings = {side: index.get((panel.spec.test, side)) for side in panel.spec.sides}
            self._update_panel(panel, findings)
        return self.figure

    @staticmethod
    def _update_panel(panel: _PanelArtists, findings: dict) -> None:
        """Move the cut-off and every row of one panel."""
        measured = [f for f in findings.values() if f is not None]
        first = measured[0] if measured else None
        for artist in (panel.cutoff_line, panel.tint):
            artist.set_visible(first is not None)
        panel.empty_text.set_visible(first is None)
        whose = {"female": " (women)", "male": " (men)"}.get(first.reference_basis, "") if first else ""
        panel.cutoff_text.set_text("" if first is None else f"cut-off {fmt_number(first.cutoff)} {first.unit}{whose}")
        if first is not None:
            panel.cutoff_line.set_xdata([first.cutoff, first.cutoff])
            lo, hi = panel.ax.get_xlim()
            start, end = (lo, first.cutoff) if first.deficient_when == "below" else (first.cutoff, hi)
            panel.tint.set_x(start)
            panel.tint.set_width(end - start)
        for side, row in panel.rows.items():
            DeficitChart._update_row(row, findings[side])

    @staticmethod
    def _update_row(row: _RowArtists, finding: FlexibilityFinding | None) -> None:
        """Place one reading's marker, band, deficit bar and status text."""
        row.status.set_text(finding_label(finding))
        if finding is None:
            for artist in (row.marker, row.band, row.deficit_bar):
                artist.set_visible(False)
            row.status.set_color(PALETTE["band"])
            row.status.set_fontweight("normal")
            return
        deficient = finding.status == "deficient"
        style = status_marker(deficient)
        row.marker.set_data([finding.value], [row.y])
        row.marker.set(**style, visible=True)
        row.status.set_color(style["color"])
        row.status.set_fontweight("bold" if deficient else "normal")
        known = _reference_error(finding.test) if finding.sem is not None else None
        row.band.set_visible(known is not None)
        if known is not None:
            row.band.set_x(finding.value - known.band95)
            row.band.set_width(2 * known.band95)
        row.deficit_bar.set_visible(deficient)
        if deficient:
            row.deficit_bar.set_x(min(finding.value, finding.cutoff))
            row.deficit_bar.set_width(abs(finding.value - finding.cutoff))


def deficit_chart(result: Result, ax: Axes | None = None) -> Figure:
    """Draw every flexibility test of ``result`` against its cut-off.

    Parameters
    ----------
    result : Result
        The engine's result for one assessment.
    ax : matplotlib.axes.Axes, optional
        Area to draw into; a new 10 x 7 inch figure when omitted.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Each test has its own panel and scale (degrees and centimetres do not
    share an axis). A deficient reading is vermilion, drawn as a cross, with
    a hatched bar back to the cut-off and a bold label such as
    "18 deg short"; a reading whose cut-off lies inside reading ± 1.96 x SEM
    is labelled "(near cut-off)", which the key line spells out as "within
    measurement error of the cut-off": a reading that
    close to the cut-off could fall on either side of it on another day.
    Cut-offs are protocol- and population-specific reference points, not
    diagnoses.

    See Also
    --------
    DeficitChart : the same picture, updatable in place for widgets.
    """
    return DeficitChart(ax=ax).update(result)


# --------------------------------------------------------------------------
# asymmetry view
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pair:
    """Left and right readings of one test, with what the result says of them."""

    spec: MeasureSpec
    left: float | None
    right: float | None
    measurement_error: float | None  #: the test's MDC95 [unit]: smallest real difference
    asymmetry: Asymmetry | None


def _asymmetry_pairs(result: Result) -> list[_Pair]:
    """Every side-specific flexibility test, plus any other flagged test."""
    index = _finding_index(result)
    flags = {a.test: a for a in result.asymmetries}
    specs = [s for s in measure_specs("flexibility") if len(s.sides) == 2]
    pairs = []
    for spec in specs:
        left, right = index.get((spec.test, "left")), index.get((spec.test, "right"))
        error = next((f.mdc95 for f in (left, right) if f is not None), None)
        pairs.append(
            _Pair(spec, left and left.value, right and right.value, error, flags.pop(spec.test, None))
        )
    others = {s.test: s for s in measure_specs("endurance")}
    for test, flag in flags.items():  # flagged tests outside flexibility
        spec = others.get(test) or MeasureSpec(
            test, flag.name, flag.unit, 0.0, max(flag.left, flag.right) * 1.2, ("left", "right")
        )
        pairs.append(_Pair(spec, flag.left, flag.right, flag.mdc95, flag))
    return pairs


def asymmetry_words(left: float, right: float, unit: str, flag: Asymmetry | None) -> tuple[str, ...]:
    """The lines describing a left/right difference, from the engine's flag.

    Parameters
    ----------
    left, right : float
        The two readings [unit].
    unit : str
        Unit of the readings, e.g. ``"deg"``.
    flag : Asymmetry or None
        The engine's flag for this test (``result.asymmetries``), if any.

    Returns
    -------
    tuple of str
        Without a flag, one line: ``"2 deg apart · under threshold"``. With
        one, three: the difference (``"14 deg apart (39 %) · asymmetry"``),
        the engine's threshold (``"threshold 10 deg"``) and how the
        difference compares with the test's MDC95, the smallest real
        difference (``"beyond measurement error"``, ``"within measurement
        error"`` or ``"measurement error not known"``).
    """
    if flag is None:
        return (f"{fmt_number(abs(left - right))} {unit} apart · under threshold",)
    if flag.exceeds_measurement_error is None:
        error = "measurement error not known"
    else:
        error = "beyond measurement error" if flag.exceeds_measurement_error else "within measurement error"
    return (
        f"{fmt_number(flag.difference)} {flag.unit} apart ({flag.percent_of_larger:.0f} %) · asymmetry",
        f"threshold {fmt_number(flag.threshold)} {flag.threshold_unit}",
        error,
    )


def _draw_pair(ax: Axes, pair: _Pair) -> None:
    """Draw left and right readings of one test on its panel."""
    colour = PALETTE["deficient"] if pair.asymmetry else PALETTE["band"]
    width = 2 * LINE_WIDTH if pair.asymmetry else LINE_WIDTH
    if pair.left is not None and pair.right is not None:
        ax.plot([pair.left, pair.right], [0, 0], color=colour, lw=width, zorder=2, solid_capstyle="butt")
    if pair.left is not None and pair.measurement_error is not None:
        err = pair.measurement_error
        band = Rectangle((pair.left - err, -0.35), 2 * err, 0.7, facecolor=PALETTE["band"], alpha=_BAND_ALPHA, lw=0)
        ax.add_patch(band)
    sides = (("left", pair.left, "o", "bottom", 0.3), ("right", pair.right, "s", "top", -0.3))
    for side, value, marker, va, dy in sides:
        if value is None:
            continue
        ax.plot(
            [value], [0], marker=marker, markersize=11, color=PALETTE[side], markeredgecolor="white",
            linestyle="none", zorder=3,
        )
        ax.text(value, dy, side, ha="center", va=va, fontsize=FONT_SIZE - 1, color=PALETTE[side])


def _pair_xlim(pair: _Pair) -> tuple[float, float]:
    """A window around the pair [unit]: wide enough for the difference, the
    measurement-error band and a tenth of the record's range, inside that range."""
    values = [v for v in (pair.left, pair.right) if v is not None]
    if not values:
        return pair.spec.minimum, pair.spec.maximum
    centre = sum(values) / len(values)
    half = max(
        (max(values) - min(values)) * 0.9,
        (pair.measurement_error or 0.0) * 1.6,
        (pair.spec.maximum - pair.spec.minimum) * 0.1,
    )
    return max(pair.spec.minimum, centre - half), min(pair.spec.maximum, centre + half)


def asymmetry_view(result: Result, ax: Axes | None = None) -> Figure:
    """Draw left against right for every side-specific test.

    One panel per side-specific flexibility test (and any other test the
    engine flagged), on a window of the test's own scale around the pair: the left reading (blue circle,
    labelled "left"), the right (orange square, "right") and a line between
    them, thick and vermilion when ``result.asymmetries`` flags the test.
    A grey band shows left ± MDC95 (the smallest real difference) where the
    findings give one: a right reading inside it cannot be told apart from
    the left by measurement. The right column states the difference and,
    for a flag, whether it exceeds the MDC95 (the engine's
    ``exceeds_measurement_error``).

    Parameters
    ----------
    result : Result
        The engine's result for one assessment.
    ax : matplotlib.axes.Axes, optional
        Area to draw into; a new 10 x 6 inch figure when omitted.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    A side-to-side difference not larger than the MDC95 cannot be told apart
    from measurement noise;
    thresholds (10 % of the larger side, 10 deg for hip rotation) are the
    engine's and appear in its flags, not here.
    """
    pairs = _asymmetry_pairs(result)
    fig, host = _host_axes(ax, 10.0, 0.9 + 0.8 * len(pairs), 100)
    bounds = _panel_bounds([1] * len(pairs), _PANEL_X0, _PANEL_X1, 0.97, 0.07, gap_rows=0.75)
    _host_text(
        host, 0.01, 0.005, "thick vermilion line: asymmetry flagged by the engine · "
        "grey band: left reading ± MDC95 (smallest real difference), where known",
        fontsize=FONT_SIZE - 1, va="bottom",
    )
    for pair, (x0, y0, w, h) in zip(pairs, bounds):
        panel = _inset_panel(host, (x0, y0, w, h), gid=f"asymmetry-{pair.spec.test}")
        panel.set_xlim(*_pair_xlim(pair))
        panel.set_ylim(-1, 1)
        panel.set_yticks([])
        _host_text(host, _NAME_X, y0 + h / 2, axis_label(pair.spec), ha="right", va="center")
        if pair.left is None and pair.right is None:
            _not_measured(panel, 0.5, 0.5, transform=panel.transAxes, ha="center")
            _host_text(host, _STATUS_X, y0 + h / 2, NOT_MEASURED, va="center", color=PALETTE["band"])
            continue
        _draw_pair(panel, pair)
        if pair.left is None or pair.right is None:
            words = (f"{'left' if pair.left is None else 'right'} side {NOT_MEASURED}",)
        else:
            words = asymmetry_words(pair.left, pair.right, pair.spec.unit, pair.asymmetry)
        colour, weight = (PALETTE["deficient"], "bold") if pair.asymmetry else (PALETTE["text"], "normal")
        _host_text(host, _STATUS_X, y0 + h / 2, "\n".join(words), va="center", color=colour, fontweight=weight)
    return fig


# --------------------------------------------------------------------------
# endurance profile
# --------------------------------------------------------------------------


def _hold_rows(result: Result) -> list[tuple[str, str, float | None, float | None, str | None]]:
    """(key, label, time [s] or None, 95 % band half-width [s] or None, its name) per hold."""
    rows = []
    for spec in measure_specs("endurance"):
        known = _reference_error(spec.test)
        error, kind = (known.band95, "1.96 × SEM") if known else (None, None)
        for side in spec.sides:
            key = spec.test if side is None else f"{spec.test}.{side}"
            label = lower_first(spec.label) if side is None else f"{lower_first(spec.label)}, {side}"
            rows.append((key, label, result.endurance.times_s.get(key), error, kind))
    return rows


def _draw_holds(ax: Axes, rows) -> None:
    """Horizontal bars of the hold times, with ± error where known."""
    measured = [t for _, _, t, _, _ in rows if t is not None]
    xmax = max(measured + [1.0]) * 1.45
    ax.set_xlim(0, xmax)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    labels = [textwrap.fill(row[1], 22, break_on_hyphens=False) for row in rows]
    ax.set_yticks(range(len(rows)), labels)
    ax.set_xlabel("hold time [s]")
    for y, (key, _, time_s, error, kind) in enumerate(rows):
        if time_s is None:
            _not_measured(ax, 0.02 * xmax, y)
            continue
        ax.barh(y, time_s, height=0.6, color=PALETTE["normal"], gid=f"hold-{key}")
        label = f"{fmt_number(time_s)} s"
        if error is not None:
            ax.errorbar(
                time_s, y, xerr=error, color=PALETTE["cutoff"], capsize=6, lw=LINE_WIDTH, label=f"error-{key}"
            )
            label += f" (± {fmt_number(error)} s, {kind})"
        ax.text(time_s + (error or 0) + 0.02 * xmax, y, label, va="center")


def _draw_ratios(ax: Axes, ratios: dict[str, EnduranceRatio]) -> None:
    """One row per McGill ratio: target zone, limits, value, label."""
    finite = [r.value for r in ratios.values() if math.isfinite(r.value)]
    limits = [v for r in ratios.values() for v in _ratio_band(r) if v is not None]
    xmax = max(finite + limits + [1.0]) * 1.35
    ax.set_xlim(0, xmax)
    ax.set_ylim(len(RATIO_IDS) - 0.5, -0.5)
    names = [lower_first(ratios[i].label) if i in ratios else i.replace("_", " : ") for i in RATIO_IDS]
    ax.set_yticks(range(len(RATIO_IDS)), [textwrap.fill(name, 24) for name in names])
    ax.set_xlabel("ratio (green: target zone)")
    for y, ratio_id in enumerate(RATIO_IDS):
        ratio = ratios.get(ratio_id)
        if ratio is None:
            _not_measured(ax, 0.02 * xmax, y, "not computed (needs both times)")
            continue
        _draw_ratio_row(ax, y, ratio, xmax)


def _ratio_band(ratio: EnduranceRatio) -> tuple[float | None, float | None]:
    """The engine's band of ratio values meeting the target (numbers, never words)."""
    return tuple(getattr(ratio, "band", (None, None)))


def _draw_ratio_row(ax: Axes, y: float, ratio: EnduranceRatio, xmax: float) -> None:
    """Target zone (green), its limits (black), the value and its label."""
    low, high = _ratio_band(ratio)
    if low is not None or high is not None:
        start, end = (low or 0.0), (high if high is not None else xmax)
        zone = Rectangle((start, y - 0.3), end - start, 0.6, facecolor=PALETTE["ok"], alpha=_TARGET_ALPHA, lw=0)
        zone.set_gid(f"target-{ratio.id}")
        ax.add_patch(zone)
        for limit in (low, high):
            if limit is not None:
                ax.plot(
                    [limit, limit], [y - 0.35, y + 0.35], color=PALETTE["cutoff"], lw=LINE_WIDTH,
                    gid=f"limit-{ratio.id}",
                )
    shown = ratio.value if math.isfinite(ratio.value) else xmax * 0.97  # infinite: at the edge
    style = status_marker(ratio.flagged)
    ax.plot([shown], [y], linestyle="none", zorder=3, gid=f"ratio-{ratio.id}", **style)
    verdict = "outside target" if ratio.flagged else "on target"
    ax.text(
        shown, y - 0.36, f"{fmt_ratio(ratio.value)} · {verdict} ({wording.ratio_target(ratio)})",
        ha="center" if shown < xmax * 0.6 else "right", va="bottom", fontsize=FONT_SIZE - 1,
        color=style["color"], fontweight="bold" if ratio.flagged else "normal",
    )


def endurance_profile(result: Result, ax: Axes | None = None) -> Figure:
    """Draw the four hold times and the three McGill ratios against their targets.

    Left panel: flexor, extensor and left/right side-bridge hold times [s]
    as bars, labelled with their value, with ± measurement error where the
    reference data give one (side bridge: ± 1.96 x its 11 s typical error,
    the 95 % band of one time), or "not measured". Right panel: each ratio
    the engine computed, its target zone (green, ``EnduranceRatio.band``:
    for the two sides, the ratios within the side bridge's MDC95) with the limit drawn in
    black, the ratio as a marker (vermilion cross when the engine flagged
    it) and a label such as "1.25 · outside target (below 1.0)".

    Parameters
    ----------
    result : Result
        The engine's result for one assessment.
    ax : matplotlib.axes.Axes, optional
        Area to draw into; a new 11 x 4.5 inch figure when omitted.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    The ratio targets are commonly taught (McGill's battery), not validated
    cut-offs; the two sides count as different only beyond the side bridge's
    MDC95 (the commonly quoted 0.95-1.05 tolerance is unverified and is not
    drawn); ``result.endurance.note`` says so.
    """
    fig, host = _host_axes(ax, 11.0, 4.5, 100)
    holds = _inset_panel(host, (0.2, 0.16, 0.27, 0.8), gid="endurance-holds")
    ratios = _inset_panel(host, (0.71, 0.16, 0.27, 0.8), gid="endurance-ratios")
    _draw_holds(holds, _hold_rows(result))
    _draw_ratios(ratios, {r.id: r for r in result.endurance.ratios})
    return fig


# --------------------------------------------------------------------------
# progress over reassessments
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressStep:
    """The change of one reading between two consecutive assessments.

    Attributes
    ----------
    test, side : str, str or None
        The test (``"slr_deg"``, ``"side_bridge_s"``) and side.
    from_date, to_date : str or None
        Dates of the two assessments (ISO), as in ``Result.date``.
    from_value, to_value : float
        The readings [unit].
    change : float
        ``to_value - from_value`` [unit].
    unit : str
    measurement_error : float or None
        The test's MDC95 [unit] (1.96 x sqrt(2) x SEM, the smallest real
        change), the threshold the verdict used; None if unknown.
    verdict : str
        ``"within_measurement_error"``, ``"improved"``, ``"worse"`` or
        ``"no_change"``, as :func:`lbp_workbook.engine.progress.reading_change`
        decides it.
    text : str
        e.g. ``"improved by 8 deg"``, ``"worse by 3 deg"``, ``"within
        measurement error"``.
    """

    test: str
    side: Side | None
    from_date: str | None
    to_date: str | None
    from_value: float
    to_value: float
    change: float
    unit: str
    measurement_error: float | None
    verdict: Literal["within_measurement_error", "improved", "worse", "no_change"]
    text: str


@dataclass(frozen=True)
class _Reading:
    """One reading of the followed test in one result (value None if not measured)."""

    date: str | None
    value: float | None
    cutoff: float | None
    status: str | None


@dataclass(frozen=True)
class _Series:
    """The followed test across results, with what is known about it."""

    spec: MeasureSpec
    side: Side | None
    readings: tuple[_Reading, ...]
    higher_is_better: bool
    measurement_error: float | None  #: the test's MDC95 [unit]
    measurement_error_kind: str | None  #: "MDC95"


def _find_spec(test: str) -> MeasureSpec:
    """The record spec of a flexibility or endurance test."""
    for spec in measure_specs("flexibility") + measure_specs("endurance"):
        if spec.test == test:
            return spec
    raise ValueError(f"unknown test {test!r}: expected a flexibility or endurance field name")


def _series(results: Sequence[Result], test: str, side: Side | None) -> _Series:
    """Collect one test's readings from every result, oldest first."""
    spec = _find_spec(test)
    if side not in spec.sides:
        raise ValueError(f"{test} needs side in {spec.sides}, got {side!r}")
    if test.endswith("_s"):  # an endurance hold: longer is better
        key = test if side is None else f"{test}.{side}"
        readings = tuple(_Reading(r.date, r.endurance.times_s.get(key), None, None) for r in results)
        known = _reference_error(test)
        return _Series(spec, side, readings, True, known and known.mdc95, known and "MDC95")
    findings = [_finding_index(r).get((test, side)) for r in results]
    readings = tuple(
        _Reading(r.date, f and f.value, f and f.cutoff, f and f.status) for r, f in zip(results, findings)
    )
    known = [f for f in findings if f is not None]
    higher = known[-1].deficient_when == "below" if known else True
    error = next((f.mdc95 for f in known if f.mdc95 is not None), None)
    return _Series(spec, side, readings, higher, error, "MDC95" if error is not None else None)


#: The short chart and table wording of each verdict of :func:`lbp_workbook.engine.progress.reading_change`.
_STEP_WORDS = {"within_measurement_error": "within measurement error", "no_change": "no change"}


def _step(series: _Series, a: _Reading, b: _Reading) -> ProgressStep:
    """Compare two measured readings: the verdict is the reassessment decision's."""
    from lbp_workbook.engine.progress import reading_change

    judged = reading_change(series.spec.test, a.value, b.value)
    unit = series.spec.unit
    text = _STEP_WORDS.get(judged.verdict) or f"{judged.verdict} by {fmt_number(abs(judged.change))} {unit}"
    return ProgressStep(
        series.spec.test, series.side, a.date, b.date, a.value, b.value, judged.change, unit,
        judged.measurement_error, judged.verdict, text,
    )


def progress_summary(
    results: Sequence[Result], test: str, side: Side | None = None
) -> tuple[ProgressStep, ...]:
    """Say how one reading changed between consecutive reassessments.

    Parameters
    ----------
    results : sequence of Result
        Dated assessments of one client, oldest first.
    test : str
        A flexibility or endurance field name, e.g. ``"slr_deg"``.
    side : {"left", "right"} or None
        Required for side-specific tests; None for one-value tests.

    Returns
    -------
    tuple of ProgressStep
        One per pair of consecutive *measured* readings (an assessment
        without this reading is skipped).

    Raises
    ------
    ValueError
        For an unknown test, or a side that does not fit the test.

    Notes
    -----
    A change not larger than the test's MDC95 = 1.96 x sqrt(2) x SEM (Weir
    2005) is reported as "within measurement error": it cannot be told apart
    from measurement noise. The verdict is
    :func:`lbp_workbook.engine.progress.reading_change`'s, the same one the
    reassessment decision uses. Where no error is known the change is
    reported as it is, and should be read with the same caution.
    """
    series = _series(results, test, side)
    measured = [r for r in series.readings if r.value is not None]
    return tuple(_step(series, a, b) for a, b in zip(measured, measured[1:]))


def _days(readings: Sequence[_Reading]) -> tuple[list[float], list[str]]:
    """x positions [days since the first assessment] and tick labels."""
    if all(r.date for r in readings):
        days = [date.fromisoformat(r.date[:10]) for r in readings]  # type: ignore[index]
        return [float((d - days[0]).days) for d in days], [d.isoformat() for d in days]
    return [float(i) for i in range(len(readings))], [f"assessment {i + 1}" for i in range(len(readings))]


_STEP_COLOURS = {"improved": "ok", "worse": "warn", "within_measurement_error": "text", "no_change": "text"}


def progress_chart(
    results: Sequence[Result], test: str, side: Side | None = None, ax: Axes | None = None
) -> Figure:
    """Draw one reading over reassessments, with cut-off and measurement error.

    Parameters
    ----------
    results : sequence of Result
        Dated assessments of one client, oldest first.
    test : str
        A flexibility or endurance field name, e.g. ``"slr_deg"``.
    side : {"left", "right"} or None
        Required for side-specific tests.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into; a new 9 x 4.5 inch figure when omitted.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Points are the readings (vermilion crosses where the finding was
    deficient); the black dashed line is the cut-off from the findings; the
    grey band is the first reading ± the test's MDC95 (a later reading
    inside it cannot be told apart from the first by measurement), where
    known. Between
    consecutive readings a direct label says "improved by N", "worse by N"
    or "within measurement error" (see :func:`progress_summary`).
    """
    series = _series(results, test, side)
    steps = progress_summary(results, test, side)
    fig, ax = _single_axes(ax)
    xs, ticks = _days(series.readings)
    points = [(x, r) for x, r in zip(xs, series.readings) if r.value is not None]
    _draw_progress_band(ax, series, points)
    _draw_progress_points(ax, points)
    _draw_progress_cutoff(ax, series, xs)
    _label_progress_steps(ax, points, steps)
    for x, reading in zip(xs, series.readings):
        if reading.value is None:
            _not_measured(ax, x, 0.03, transform=ax.get_xaxis_transform(), ha="center", va="bottom")
    ax.set_xticks(xs, ticks)
    span = (xs[-1] - xs[0]) or 1.0
    ax.set_xlim(xs[0] - 0.08 * span, xs[-1] + 0.25 * span)
    side_words = f", {side}" if side else ""
    ax.set_ylabel(f"{lower_first(series.spec.label)}{side_words} [{series.spec.unit}]")
    ax.set_xlabel("assessment date")
    _pad_ylim(ax, series)
    return fig


def _single_axes(ax: Axes | None) -> tuple[Figure, Axes]:
    """The figure and one styled axes (a new 9 x 4.5 inch figure when ``ax`` is None)."""
    if ax is None:
        fig = new_figure(9.0, 4.5)
        with matplotlib.rc_context(RC):
            ax = fig.add_axes((0.11, 0.14, 0.86, 0.82))
    style_axes(ax)
    return ax.get_figure(root=True), ax


def _draw_progress_band(ax: Axes, series: _Series, points) -> None:
    """Grey band: first reading ± MDC95 (smallest real change), labelled directly."""
    if not points or series.measurement_error is None:
        return
    first = points[0][1].value
    err = series.measurement_error
    band = ax.axhspan(first - err, first + err, color=PALETTE["band"], alpha=_BAND_ALPHA, lw=0)
    band.set_gid("error-band")
    kind = series.measurement_error_kind or "measurement error"
    ax.text(
        0.005, first - err, f"first reading ± {fmt_number(err)} {series.spec.unit} ({kind}, smallest real change)",
        transform=ax.get_yaxis_transform(), va="top", fontsize=FONT_SIZE - 1, color=PALETTE["text"],
    )


def _draw_progress_points(ax: Axes, points) -> None:
    """The readings joined by a line; deficient ones as vermilion crosses."""
    xs, values = [x for x, _ in points], [r.value for _, r in points]
    ax.plot(xs, values, color=PALETTE["normal"], lw=LINE_WIDTH, zorder=2, gid="progress-line")
    for x, reading in points:
        style = status_marker(reading.status == "deficient")
        ax.plot([x], [reading.value], linestyle="none", zorder=3, gid="progress-point", **style)
        ax.annotate(
            fmt_number(reading.value), (x, reading.value), xytext=(0, -16), textcoords="offset points",
            ha="center", va="top", color=style["color"], fontsize=FONT_SIZE - 1,
        )


def _draw_progress_cutoff(ax: Axes, series: _Series, xs: Sequence[float]) -> None:
    """The cut-off from the findings, as a dashed line labelled at its right end."""
    cutoffs = [(x, r.cutoff) for x, r in zip(xs, series.readings) if r.cutoff is not None]
    if not cutoffs:
        return
    if len({c for _, c in cutoffs}) == 1:
        ax.axhline(cutoffs[0][1], color=PALETTE["cutoff"], linestyle="--", lw=LINE_WIDTH, gid="cutoff")
    else:
        ax.plot(
            [x for x, _ in cutoffs], [c for _, c in cutoffs], drawstyle="steps-post",
            color=PALETTE["cutoff"], linestyle="--", lw=LINE_WIDTH, gid="cutoff",
        )
    last = cutoffs[-1][1]
    ax.text(
        0.995, last, f"cut-off {fmt_number(last)} {series.spec.unit}", transform=ax.get_yaxis_transform(),
        ha="right", va="bottom", color=PALETTE["cutoff"],
    )


def _label_progress_steps(ax: Axes, points, steps: Sequence[ProgressStep]) -> None:
    """Put each step's statement in the band along the top, over its segment."""
    for ((x0, _), (x1, _)), step in zip(zip(points, points[1:]), steps):
        ax.text(
            (x0 + x1) / 2, 0.98, textwrap.fill(step.text, 18), transform=ax.get_xaxis_transform(),
            ha="center", va="top", color=PALETTE[_STEP_COLOURS[step.verdict]],
            fontweight="normal" if step.verdict == "within_measurement_error" else "bold",
            gid="progress-step",
        )


def _pad_ylim(ax: Axes, series: _Series) -> None:
    """Leave room for value labels below and the step statements along the top."""
    values = [r.value for r in series.readings if r.value is not None]
    values += [r.cutoff for r in series.readings if r.cutoff is not None]
    if series.measurement_error is not None and values:
        values += [values[0] - series.measurement_error, values[0] + series.measurement_error]
    if not values:
        ax.set_ylim(series.spec.minimum, series.spec.maximum)
        return
    lo, hi = min(values), max(values)
    span = max(hi - lo, (series.spec.maximum - series.spec.minimum) * 0.05)
    ax.set_ylim(lo - 0.25 * span, hi + 0.45 * span)
