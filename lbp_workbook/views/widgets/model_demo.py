"""Interactive demos of the forward-bend model (notebook 03).

- :func:`model_demo`: sliders for hamstring flexibility (as an SLR angle),
  forward bend and knee bend, a drop-down of example clients, the stick
  figure and a readout of hip, lumbar and thoracic flexion. ``record=`` loads
  a client's own SLR ("use my client").
- :func:`compare_demo`: two clients side by side at the same bend, one slider.

Thin shells over :func:`lbp_workbook.engine.model.forward_bend` and
:mod:`lbp_workbook.views.drawing`: the figure is built once and its artists moved
on each change (wiring C in jupyter-practice.md), so the picture lives in the
kernel and plain pytest can check it. The still parts (floor, heading, the
share bar's axis) are drawn once and blitted; only the moving artists are
drawn per change (:class:`~lbp_workbook.views.widgets._figure_view.BlitFigureView`).
Every callback catches its own errors and shows them in the widget.

Defaults come from the lesson's worked example, the synthetic client
``runner_sam`` (:func:`lbp_workbook.engine.examples.load_example`), and the model's
full forward bend of 111 deg (Esola's lumbar plus hip flexion; the model adds
no thoracic flexion while the hamstrings do not limit the hips).
"""

from __future__ import annotations

import html
from typing import Any, Mapping

import ipywidgets as widgets

from lbp_workbook.engine.model import (
    INPUT_RANGES,
    ForwardBend,
    ModelInputError,
    forward_bend,
    model_constants,
    slr_from_record,
)
from lbp_workbook.views.drawing import ComparisonDrawing, ForwardBendDrawing
from lbp_workbook.views.plotstyle import PALETTE, new_figure
from lbp_workbook.views.widgets._figure_view import BlitFigureView

__all__ = ["ModelDemo", "CompareDemo", "model_demo", "compare_demo", "model_sources",
           "readout_text", "WORKED_EXAMPLE", "NORMAL_EXAMPLE"]

#: The lesson's running example client and the "normal hamstrings" client.
WORKED_EXAMPLE = "runner_sam"
NORMAL_EXAMPLE = "healthy_jo"
_MY_CLIENT = "my client"
_STYLE = {"description_width": "190px"}
_LAYOUT = widgets.Layout(width="560px")


def _examples() -> dict[str, float]:
    """Example clients that have a hamstring measurement, with their SLR [deg]."""
    from lbp_workbook.engine.examples import list_examples, load_example

    found = {}
    for name in list_examples():
        try:
            found[name] = slr_from_record(load_example(name))
        except ModelInputError:
            continue
    return found


def _saved_clients(store: Any = None) -> dict[str, float]:
    """The learner's saved clients with an SLR or AKE, keyed ``saved: <id>`` [deg].

    Reads the latest reassessment of each client in ``store`` (default: the
    clients folder of :class:`lbp_workbook.engine.storage.ClientStore`); damaged files
    and clients without a hamstring measurement are left out, and nothing is
    created on disk.
    """
    from lbp_workbook.engine.storage import ClientStore

    store = store if store is not None else ClientStore()
    found = {}
    client_ids, _problems = store.scan()
    for client_id in client_ids:
        try:
            found[f"saved: {client_id}"] = slr_from_record(store.latest(client_id))
        except Exception:  # no SLR/AKE, or the file changed under us: skip it
            continue
    return found


def _fallback(key: str) -> float:
    return float(model_constants()[key]["value"])


def _default_slr(name: str, fallback_key: str) -> float:
    return _examples().get(name, _fallback(fallback_key))


def _default_bend() -> float:
    return _fallback("esola_lumbar_plus_hip_deg")


def readout_text(pose: ForwardBend) -> str:
    """Plain-words readout of a pose, as shown under the demos.

    Parameters
    ----------
    pose : ForwardBend
        A result of :func:`lbp_workbook.engine.model.forward_bend`.

    Returns
    -------
    str
        e.g. ``"hip 54° · lumbar 42° · thoracic 15° — hamstrings at their limit"``.
    """
    words = (f"hip {pose.hip_deg:.0f}° · lumbar {pose.lumbar_deg:.0f}° · "
             f"thoracic {pose.thoracic_deg:.0f}° — ")
    words += "hamstrings at their limit" if pose.hamstrings_at_limit else "hamstrings not at their limit"
    if not pose.bend_reached:
        words += f" — this bend is out of reach (stops at {pose.reached_bend_deg:.0f}°)"
    return words


def _slider(description: str, name: str, value: float) -> widgets.FloatSlider:
    low, high = INPUT_RANGES[name]
    return widgets.FloatSlider(
        value=value, min=low, max=high, step=1.0, description=description,
        readout_format=".0f", continuous_update=True, style=_STYLE, layout=_LAYOUT,
    )


def _error_html(err: Exception) -> str:
    return (f"<span style='color:{PALETTE['deficient']}'>Could not draw this: "
            f"{html.escape(str(err))}</span>")


class ModelDemo(widgets.VBox):
    """Sliders, example picker, stick figure and readout for one client.

    Build it with :func:`model_demo`. Attributes for tests and notebooks:
    ``slr``, ``bend``, ``knee`` (sliders), ``client`` (drop-down),
    ``readout`` and ``message`` (HTML), ``view`` (BlitFigureView), ``drawing``
    and ``pose`` (the last pose drawn).
    """

    def __init__(self, slr_deg: float, bend_deg: float, knee_flexion_deg: float,
                 my_client_slr: float | None = None, store: Any = None) -> None:
        self._examples = _examples()
        try:
            self._examples.update(_saved_clients(store))
        except Exception:  # an unreadable clients folder must not stop the lesson
            pass
        options = [(f"{name} (SLR {slr:.0f}°)", name) for name, slr in self._examples.items()]
        if my_client_slr is not None:
            self._examples[_MY_CLIENT] = my_client_slr
            options.insert(0, (f"my client (SLR {my_client_slr:.0f}°)", _MY_CLIENT))
        options.insert(0, ("choose an example client…", ""))
        start = _MY_CLIENT if my_client_slr is not None and my_client_slr == slr_deg else ""
        self.client = widgets.Dropdown(options=options, value=start,
                                       description="load a client's SLR", style=_STYLE,
                                       layout=_LAYOUT)
        self.slr = _slider("hamstring flexibility: SLR [deg]", "slr_deg", slr_deg)
        self.bend = _slider("forward bend [deg]", "bend_deg", bend_deg)
        self.knee = _slider("knee bend [deg]", "knee_flexion_deg", knee_flexion_deg)
        fig = new_figure(5.6, 5.6, dpi=80)
        self.drawing = ForwardBendDrawing(fig.add_axes([0.02, 0.17, 0.96, 0.76]))
        self.view = BlitFigureView(fig, self.drawing.moving_artists(), width_px=448)
        self.readout = widgets.HTML()
        self.message = widgets.HTML()
        self.pose: ForwardBend | None = None
        for control in (self.slr, self.bend, self.knee):
            control.observe(self._redraw, names="value")
        self.client.observe(self._load_client, names="value")
        super().__init__([self.client, self.slr, self.bend, self.knee, self.view.image,
                          self.readout, self.message])
        self._redraw()

    def _load_client(self, change: Any = None) -> None:
        try:
            name = self.client.value
            if name:
                self.slr.value = round(self._examples[name])
        except Exception as err:  # shown in the widget, never lost
            self.message.value = _error_html(err)

    def _redraw(self, change: Any = None) -> None:
        try:
            pose = forward_bend(self.slr.value, self.bend.value, self.knee.value)
            self.view.update(lambda fig: self.drawing.update(pose))
            self.pose = pose
            self.readout.value = f"<b>{html.escape(readout_text(pose))}</b>"
            self.message.value = ""
        except Exception as err:  # shown in the widget, never lost
            self.message.value = _error_html(err)


def model_demo(
    slr_deg: float | None = None,
    bend_deg: float | None = None,
    knee_flexion_deg: float | None = None,
    record: Mapping | None = None,
    store: Any = None,
) -> ModelDemo:
    """Interactive demo of the forward-bend model for one client.

    Parameters
    ----------
    slr_deg : float, optional
        Starting hamstring flexibility as a straight-leg-raise angle [deg];
        default: the worked example ``runner_sam`` (mean of left and right).
    bend_deg : float, optional
        Starting forward bend [deg]; default the model's full bend, 111 deg
        (Esola's lumbar plus hip flexion).
    knee_flexion_deg : float, optional
        Starting knee bend [deg]; default 0.
    record : dict, optional
        A client record (``lbp-assessment/1``): its mean SLR (or converted
        AKE deficit) is loaded as "my client" and used as the starting SLR.
    store : lbp_workbook.engine.storage.ClientStore, optional
        Where the learner's saved clients are; their latest SLR appears in the
        client list as "saved: <id>". Default: the usual clients folder.

    Returns
    -------
    ModelDemo
        The widget (display it as the last line of a cell).

    Raises
    ------
    ModelInputError
        If a starting value is out of range, or the record has no SLR or AKE.
    """
    my_slr = slr_from_record(record) if record is not None else None
    if slr_deg is None:
        slr_deg = my_slr if my_slr is not None else _default_slr(WORKED_EXAMPLE,
                                                                 "worked_example_slr_deg")
    bend_deg = _default_bend() if bend_deg is None else bend_deg
    knee_flexion_deg = 0.0 if knee_flexion_deg is None else knee_flexion_deg
    forward_bend(slr_deg, bend_deg, knee_flexion_deg)  # clear error for bad starting values
    return ModelDemo(float(slr_deg), float(bend_deg), float(knee_flexion_deg), my_slr,
                     store=store)


class CompareDemo(widgets.VBox):
    """Two clients side by side at the same bend. Build it with :func:`compare_demo`.

    Attributes: ``bend`` and ``knee`` (sliders), ``readouts`` (two HTML),
    ``message``, ``view``, ``drawing``, ``poses``.
    """

    def __init__(self, slr_a: float, slr_b: float, bend_deg: float, knee_flexion_deg: float,
                 labels: tuple[str, str]) -> None:
        self.slrs = (slr_a, slr_b)
        self.bend = _slider("forward bend [deg]", "bend_deg", bend_deg)
        self.knee = _slider("knee bend (both) [deg]", "knee_flexion_deg", knee_flexion_deg)
        self.drawing = ComparisonDrawing(labels, new_figure(10.0, 5.6, dpi=80))
        self.view = BlitFigureView(self.drawing.fig, self.drawing.moving_artists(), width_px=800)
        self.readouts = (widgets.HTML(), widgets.HTML())
        self.labels = labels
        self.message = widgets.HTML()
        self.poses: tuple[ForwardBend, ForwardBend] | None = None
        self.bend.observe(self._redraw, names="value")
        self.knee.observe(self._redraw, names="value")
        super().__init__([self.bend, self.knee, self.view.image, *self.readouts, self.message])
        self._redraw()

    def _redraw(self, change: Any = None) -> None:
        try:
            poses = tuple(forward_bend(s, self.bend.value, self.knee.value) for s in self.slrs)
            self.view.update(lambda fig: self.drawing.update(*poses))
            self.poses = poses
            for label, pose, out in zip(self.labels, poses, self.readouts):
                out.value = f"<b>{html.escape(label)}:</b> {html.escape(readout_text(pose))}"
            self.message.value = ""
        except Exception as err:  # shown in the widget, never lost
            self.message.value = _error_html(err)


def compare_demo(
    slr_a_deg: float | None = None,
    slr_b_deg: float | None = None,
    bend_deg: float | None = None,
    knee_flexion_deg: float | None = None,
    labels: tuple[str, str] | None = None,
) -> CompareDemo:
    """Two clients side by side (normal and short hamstrings) with one bend slider.

    Parameters
    ----------
    slr_a_deg, slr_b_deg : float, optional
        SLR of the left and right client [deg]; defaults: the example clients
        ``healthy_jo`` (normal hamstrings) and ``runner_sam`` (short).
    bend_deg : float, optional
        Starting forward bend for both [deg]; default 111 (Esola et al. 1996,
        lumbar plus hip flexion).
    knee_flexion_deg : float, optional
        Starting knee bend for both [deg]; default 0.
    labels : tuple of two str, optional
        Headings; by default they name the client and the SLR.

    Returns
    -------
    CompareDemo

    Raises
    ------
    ModelInputError
        If a starting value is out of range.
    """
    names = (NORMAL_EXAMPLE, WORKED_EXAMPLE)
    if slr_a_deg is None:
        slr_a_deg = _default_slr(NORMAL_EXAMPLE, "comparison_normal_slr_deg")
    else:
        names = ("client A", names[1])
    if slr_b_deg is None:
        slr_b_deg = _default_slr(WORKED_EXAMPLE, "worked_example_slr_deg")
    else:
        names = (names[0], "client B")
    bend_deg = _default_bend() if bend_deg is None else bend_deg
    knee_flexion_deg = 0.0 if knee_flexion_deg is None else knee_flexion_deg
    forward_bend(slr_a_deg, bend_deg, knee_flexion_deg)
    forward_bend(slr_b_deg, bend_deg, knee_flexion_deg)
    if labels is None:
        normal = _fallback("normal_slr_deg")
        labels = tuple(
            f"{name}: SLR {slr:.0f}° ({'normal range' if slr >= normal else 'below normal range'})"
            for name, slr in zip(names, (slr_a_deg, slr_b_deg))
        )
    return CompareDemo(float(slr_a_deg), float(slr_b_deg), float(bend_deg),
                       float(knee_flexion_deg), tuple(labels))


_EVIDENCE_WORDS = {
    "V": "read in the source",
    "V2": "read in a source quoting it",
    "C": "computed from a published model",
    "synthesis": "our teaching synthesis",
    "teaching_choice": "modelling choice",
}


def model_sources() -> widgets.HTML:
    """A table of every constant of the forward-bend model with its source.

    Returns
    -------
    ipywidgets.HTML
        One row per entry of ``data/model_constants.json``: what it is, its
        value where it has one, how sure we are (evidence status in words) and
        where it comes from.
    """
    rows = []
    for row in model_constants().values():
        value = row.get("value")
        shown = "" if value is None or isinstance(value, bool) else f"{value:g} {row.get('unit', '')}"
        evidence = _EVIDENCE_WORDS.get(row["evidence"], row["evidence"])
        rows.append(
            "<tr>" + "".join(
                f"<td style='text-align:left;vertical-align:top;padding:4px'>{html.escape(cell)}</td>"
                for cell in (row["label"], shown.strip(), evidence, row["source"])
            ) + "</tr>"
        )
    head = "".join(f"<th style='text-align:left'>{h}</th>"
                   for h in ("what", "value", "how sure", "source"))
    return widgets.HTML(
        "<details><summary><b>Where the model's numbers come from</b> (click to open)</summary>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></details>"
    )
