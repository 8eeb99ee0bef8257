"""The naive baseline views: the tutorial pattern, built from the same package functions.

What "naive" means here (the pattern most widget tutorials teach, wiring A in
``../shared/reference/jupyter-practice.md``): on every change a *new* pyplot
figure is made and drawn from scratch, the picture is rendered with a tight
bounding box, and everything is shown with ``plt.show()`` / ``display`` inside
an ``Output`` after ``clear_output(wait=True)``.

The drawing and the text come from exactly the functions our widgets use
(``assess``, ``plots.deficit_chart``, ``drawing.draw_forward_bend``,
``drawing.ComparisonDrawing``, ``model.forward_bend`` and the app's HTML
builders), at the same figure size and dpi, so a ratio ours / naive measures
the wiring, not different work.

Two forms of each view:

- ``render_*``: plain Python, value in, (PNG bytes, text) out, for the Python
  benchmark (the PNG rendered as IPython's inline backend does: tight bbox);
- ``naive_*_view``: the ipywidgets version for the browser benchmark, shown in
  a notebook that imports this module and *then* runs ``%matplotlib inline``.
"""

from __future__ import annotations

import copy
import io
from typing import Any

import matplotlib.pyplot as plt

# lbp_workbook.views.plotstyle selects Agg when imported (matplotlib.use("Agg", force=False)),
# which silently turns IPython's inline backend off. Import it here, first, so a notebook
# that imports this module and then runs `%matplotlib inline` keeps the inline backend.
import lbp_workbook.views.plotstyle  # noqa: F401

#: Figure sizes and dpi of our views (lbp_workbook/views/widgets), so the work is the same.
ASSESSMENT_FIGSIZE = (11.0, 7.5)
ASSESSMENT_DPI = 80
MODEL_FIGSIZE = (5.6, 5.6)
MODEL_DPI = 80
COMPARE_FIGSIZE = (10.0, 5.6)
COMPARE_DPI = 80
#: The field every assessment benchmark changes (left passive straight-leg raise).
SLR_LEFT = "flexibility.slr_deg.left"


def _set(record: dict, dotted: str, value: Any) -> dict:
    record = copy.deepcopy(record)
    node = record
    parts = dotted.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value
    return record


# ---------------------------------------------------------------- assessment app


def assessment_figure(result):
    """A new pyplot figure holding the deficit chart of ``result`` (drawn from scratch)."""
    from lbp_workbook.views.plots import deficit_chart

    fig = plt.figure(figsize=ASSESSMENT_FIGSIZE, dpi=ASSESSMENT_DPI)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    deficit_chart(result, ax=ax)
    return fig


def assessment_text(record: dict, result) -> str:
    """The same HTML the app shows (banner, phase card or hold, what-if, findings, plan)."""
    import importlib

    from lbp_workbook.engine.whatif import what_if

    # the module, not the function of the same name that lbp_workbook.views.widgets exports
    app = importlib.import_module("lbp_workbook.views.widgets.app")

    parts = [app.banner_html(result)]
    if result.referral.needed:
        parts.append(app.hold_html(result))
    else:
        parts += [
            app.phase_html(result),
            app.whatif_html(what_if(record, result)),
            app.focus_html(result),
            app.plan_html(result),
        ]
    parts += [app.findings_html(result), app.notice_html(result)]
    return "".join(parts)


def render_assessment(record: dict, slr_left: float) -> tuple[bytes, str]:
    """Naive, in plain Python: assess, new figure, tight PNG, close; rebuild all text."""
    from lbp_workbook.engine.assessment import assess

    record = _set(record, SLR_LEFT, slr_left)
    result = assess(record)
    text = assessment_text(record, result)
    fig = assessment_figure(result)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue(), text


def naive_assessment_view(example: str = "runner_sam"):
    """Notebook form: one text box (left SLR, updates on Enter) and an Output redrawn naively."""
    import ipywidgets as widgets
    from IPython.display import HTML, clear_output, display

    from lbp_workbook.engine.assessment import assess
    from lbp_workbook.engine.examples import load_example

    base = load_example(example)
    if hasattr(base, "model_dump"):
        base = base.model_dump(mode="json")
    box = widgets.Text(
        value=str(base["flexibility"]["slr_deg"]["left"]),
        description="SLR left [deg]",
        continuous_update=False,
    )
    out = widgets.Output()

    def redraw(change=None):
        with out:
            clear_output(wait=True)
            record = _set(base, SLR_LEFT, float(box.value))
            result = assess(record)
            display(HTML(assessment_text(record, result)))
            assessment_figure(result)
            plt.show()

    box.observe(redraw, names="value")
    redraw()
    view = widgets.VBox([box, out])
    view.add_class("lbp-naive-view")
    return view


# ---------------------------------------------------------------- model demo


def model_figure(pose):
    """A new pyplot figure holding the stick figure of ``pose`` (drawn from scratch)."""
    from lbp_workbook.views.drawing import draw_forward_bend

    fig = plt.figure(figsize=MODEL_FIGSIZE, dpi=MODEL_DPI)
    ax = fig.add_axes([0.02, 0.17, 0.96, 0.76])
    draw_forward_bend(pose, ax=ax)
    return fig


def render_model(slr_deg: float, bend_deg: float = 111.0, knee_deg: float = 0.0) -> tuple[bytes, str]:
    """Naive, in plain Python: new figure, tight PNG, close; readout text."""
    from lbp_workbook.engine.model import forward_bend
    from lbp_workbook.views.widgets.model_demo import readout_text

    pose = forward_bend(slr_deg, bend_deg, knee_deg)
    text = readout_text(pose)
    fig = model_figure(pose)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue(), text


def compare_figure(pose_a, pose_b, labels):
    """A new pyplot figure holding the two stick figures side by side (drawn from scratch)."""
    from lbp_workbook.views.drawing import ComparisonDrawing

    fig = plt.figure(figsize=COMPARE_FIGSIZE, dpi=COMPARE_DPI)
    ComparisonDrawing(labels, fig).update(pose_a, pose_b)
    return fig


def render_compare(slrs: tuple[float, float], labels: tuple[str, str], bend_deg: float,
                   knee_deg: float = 0.0) -> tuple[bytes, str]:
    """Naive "two clients side by side": new figure, tight PNG, close; both readouts.

    ``slrs`` and ``labels`` are the clients' SLR [deg] and headings, taken from
    our ``compare_demo()`` so both sides draw the same two clients.
    """
    import html

    from lbp_workbook.engine.model import forward_bend
    from lbp_workbook.views.widgets.model_demo import readout_text

    poses = [forward_bend(slr, bend_deg, knee_deg) for slr in slrs]
    text = "".join(f"<b>{html.escape(label)}:</b> {html.escape(readout_text(pose))}"
                   for label, pose in zip(labels, poses))
    fig = compare_figure(*poses, labels)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue(), text


def naive_model_view(slr_deg: float = 64.0, bend_deg: float = 111.0):
    """Notebook form: the same three sliders and an Output redrawn naively on each move."""
    import ipywidgets as widgets
    from IPython.display import HTML, clear_output, display

    from lbp_workbook.engine.model import INPUT_RANGES, forward_bend
    from lbp_workbook.views.widgets.model_demo import readout_text

    def slider(description, name, value):
        low, high = INPUT_RANGES[name]
        return widgets.FloatSlider(value=value, min=low, max=high, step=1.0,
                                   description=description, continuous_update=True)

    slr = slider("SLR [deg]", "slr_deg", slr_deg)
    bend = slider("bend [deg]", "bend_deg", bend_deg)
    knee = slider("knee [deg]", "knee_flexion_deg", 0.0)
    out = widgets.Output()

    def redraw(change=None):
        with out:
            clear_output(wait=True)
            pose = forward_bend(slr.value, bend.value, knee.value)
            model_figure(pose)
            plt.show()
            display(HTML(f"<b>{readout_text(pose)}</b>"))

    for s in (slr, bend, knee):
        s.observe(redraw, names="value")
    redraw()
    view = widgets.VBox([slr, bend, knee, out])
    view.add_class("lbp-naive-view")
    return view
