"""Tests of the forward-bend stick figure (lbp_workbook/views/drawing.py)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from lbp_workbook.engine.model import forward_bend
from lbp_workbook.views.drawing import (
    COLOURS,
    ComparisonDrawing,
    ForwardBendDrawing,
    draw_comparison,
    draw_forward_bend,
)
from lbp_workbook.views.plotstyle import PALETTE, figure_png, new_figure


def _drawing(fig: Figure) -> ForwardBendDrawing:
    return ForwardBendDrawing(fig.add_axes([0.02, 0.17, 0.96, 0.76]))


def test_draw_forward_bend_returns_unregistered_figure():
    before = plt.get_fignums()
    fig = draw_forward_bend(forward_bend(64, 111))
    assert isinstance(fig, Figure)
    assert plt.get_fignums() == before
    assert figure_png(fig)[:4] == b"\x89PNG"


def test_draw_forward_bend_on_given_axes():
    fig = new_figure(5, 5)
    ax = fig.add_subplot()
    assert draw_forward_bend(forward_bend(64, 60), ax=ax) is fig


def test_forward_bend_drawing_hamstring_runs_from_sitting_bone_to_below_knee():
    pose = forward_bend(64, 111)
    drawing = _drawing(new_figure(5, 5))
    drawing.update(pose)
    xs, ys = drawing.hamstring.get_data()
    assert (xs[0], ys[0]) == pytest.approx(pose.joints.ischial_tuberosity)
    assert (xs[1], ys[1]) == pytest.approx(pose.joints.hamstring_insertion)
    assert ys[1] < pose.joints.knee[1]


def test_forward_bend_drawing_joint_positions():
    pose = forward_bend(85, 111, 30)
    drawing = _drawing(new_figure(5, 5))
    drawing.update(pose)
    xs, ys = drawing.legs.get_data()
    for point, joint in zip(zip(xs, ys), (pose.joints.ankle, pose.joints.knee, pose.joints.hip)):
        assert point == pytest.approx(joint)
    assert drawing.head.get_center() == pytest.approx(pose.joints.head)
    lx, ly = drawing.lumbar.get_data()
    assert (lx[0], ly[0]) == pytest.approx(pose.joints.lumbosacral)
    assert (lx[-1], ly[-1]) == pytest.approx(pose.joints.thoracolumbar)
    tx, ty = drawing.thoracic.get_data()
    assert (tx[-1], ty[-1]) == pytest.approx(pose.joints.shoulder)


def test_forward_bend_drawing_hamstring_turns_deficient_colour_at_limit():
    drawing = _drawing(new_figure(5, 5))
    drawing.update(forward_bend(64, 111))  # short hamstrings: at the limit
    assert to_hex(drawing.hamstring.get_color()) == PALETTE["deficient"].lower()
    assert "at their limit" in drawing.hamstring_label.get_text()
    drawing.update(forward_bend(64, 30))  # a small bend: length to spare
    assert to_hex(drawing.hamstring.get_color()) == PALETTE["normal"].lower()
    assert "not at their limit" in drawing.hamstring_label.get_text()
    assert drawing.hamstring.get_linestyle() != "-"  # dashed: not only colour tells


def test_forward_bend_drawing_labels_show_the_model_numbers():
    pose = forward_bend(64, 111)
    drawing = _drawing(new_figure(5, 5))
    drawing.update(pose)
    assert drawing.hip_label.get_text() == f"hip {pose.hip_deg:.0f}°"
    assert drawing.lumbar_label.get_text() == f"lumbar {pose.lumbar_deg:.0f}°"
    assert drawing.thoracic_label.get_text() == f"thoracic {pose.thoracic_deg:.0f}°"
    assert drawing.bars["hip"].get_width() == pytest.approx(pose.hip_deg)
    assert drawing.bars["lumbar"].get_x() == pytest.approx(pose.hip_deg)
    assert drawing.bars["thoracic"].get_width() == pytest.approx(pose.thoracic_deg)
    assert to_hex(drawing.bars["thoracic"].get_facecolor()) == COLOURS["thoracic"].lower()


def test_forward_bend_drawing_update_reuses_artists():
    fig = new_figure(5, 5)
    drawing = _drawing(fig)
    drawing.update(forward_bend(64, 111))
    counts = [len(ax.get_children()) for ax in fig.axes]
    first = figure_png(fig)
    drawing.update(forward_bend(90, 40, 20))
    assert [len(ax.get_children()) for ax in fig.axes] == counts
    assert figure_png(fig) != first


def test_forward_bend_drawing_says_when_out_of_reach():
    drawing = _drawing(new_figure(5, 5))
    drawing.update(forward_bend(0, 130))
    assert "out of reach" in drawing.status.get_text()
    drawing.update(forward_bend(0, 100))
    assert "out of reach" not in drawing.status.get_text()


def test_draw_comparison_two_labelled_figures():
    a, b = forward_bend(85, 111), forward_bend(64, 111)
    fig = draw_comparison(a, b, ("normal hamstrings", "short hamstrings"))
    assert len(fig.axes) == 2
    assert all(len(ax.child_axes) == 1 for ax in fig.axes)  # each with its share bar
    texts = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert {"normal hamstrings", "short hamstrings"} <= texts


def test_comparison_drawing_colours_each_side_independently():
    drawing = ComparisonDrawing(("a", "b"))
    drawing.update(forward_bend(85, 111), forward_bend(64, 111))
    assert to_hex(drawing.left.hamstring.get_color()) == PALETTE["normal"].lower()
    assert to_hex(drawing.right.hamstring.get_color()) == PALETTE["deficient"].lower()


def test_comparison_drawing_needs_two_labels():
    with pytest.raises(ValueError, match="two headings"):
        ComparisonDrawing(("only one",))


# ------------------------------------------------------------------ blitting (widgets)


def _blit_view(pose, fig_size=(5.6, 5.6)):
    from lbp_workbook.views.widgets._figure_view import BlitFigureView

    fig = new_figure(*fig_size, dpi=80)
    drawing = _drawing(fig)
    drawing.update(pose)
    view = BlitFigureView(fig, drawing.moving_artists(), width_px=448)
    view.refresh()
    return drawing, view


def _pixels(png: bytes):
    import io

    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def test_forward_bend_drawing_moving_artists_are_what_update_changes():
    """The still parts (floor, foot, heading, share-bar ticks) are left out; every label,
    segment and bar that update() moves is in, once."""
    drawing = _drawing(new_figure(5, 5))
    moving = drawing.moving_artists()
    assert len({id(a) for a in moving}) == len(moving)
    must = [drawing.legs, drawing.joints, drawing.pelvis, drawing.thigh_reference,
            drawing.hip_arc, drawing.lumbar, drawing.thoracic, drawing.head, drawing.hamstring,
            drawing.hip_label, drawing.lumbar_label, drawing.thoracic_label,
            drawing.hamstring_label, drawing.status, *drawing.bars.values(),
            *drawing.bar_labels.values()]
    assert all(any(a is m for m in moving) for a in must)
    assert not any(a is drawing.heading for a in moving)
    floor_and_foot = [line for line in drawing.ax.lines
                      if not any(line is m for m in moving)]
    assert len(floor_and_foot) == 2
    # drawn in matplotlib's order: the joints' dots (zorder 5) over the hamstring (4)
    ids = [id(a) for a in moving]
    assert ids.index(id(drawing.joints)) > ids.index(id(drawing.hamstring))


def test_forward_bend_drawing_blitted_update_leaves_nothing_behind():
    """Moving from one pose to another by blitting gives exactly the picture of a view
    drawn at the second pose from the start: nothing of the first pose stays on screen."""
    drawing, view = _blit_view(forward_bend(64, 30))
    drawing.update(forward_bend(100, 120, 40))
    moved = view.refresh()
    _, fresh = _blit_view(forward_bend(100, 120, 40))
    assert moved == fresh.image.value
    assert moved != _blit_view(forward_bend(64, 30))[1].image.value


def test_forward_bend_drawing_blitted_picture_matches_full_render():
    """The blitted picture is the full render: labels are drawn as glyph outlines instead
    of FreeType bitmaps, so only anti-aliased edge pixels may differ (< 1.5 % of pixels
    by more than a quarter of the range; in practice about 0.7 %, all at text edges)."""
    drawing, view = _blit_view(forward_bend(64, 30))
    drawing.update(forward_bend(64, 111))
    blitted = _pixels(view.refresh())
    full = _pixels(figure_png(view.fig))
    assert blitted.shape == full.shape == (448, 448, 3)
    strong = (abs(blitted - full).max(axis=2) > 64).mean()
    assert strong < 0.015, strong


def test_comparison_drawing_blitted_update_leaves_nothing_behind():
    from lbp_workbook.views.widgets._figure_view import BlitFigureView

    def view_at(bend):
        drawing = ComparisonDrawing(("a", "b"), new_figure(10, 5.6, dpi=80))
        drawing.update(forward_bend(85, bend), forward_bend(64, bend))
        view = BlitFigureView(drawing.fig, drawing.moving_artists(), width_px=800)
        view.refresh()
        return drawing, view

    drawing, view = view_at(30)
    assert len(drawing.moving_artists()) == 2 * len(drawing.left.moving_artists())
    drawing.update(forward_bend(85, 111), forward_bend(64, 111))
    assert view.refresh() == view_at(111)[1].image.value
