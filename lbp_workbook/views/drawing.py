"""Stick-figure drawings of the forward-bend model (:mod:`lbp_workbook.engine.model`).

A side view of one pose: shin, thigh, pelvis, lumbar and thoracic spine and
head, the hamstring line from the sitting bone (ischial tuberosity) to just
below the knee, and direct labels with the hip, lumbar and thoracic flexion.
The hamstring line is blue while it has length to spare and turns vermilion
(``PALETTE["deficient"]``) when it stops the hips. A bar under the figure
shows how the bend is shared between the three regions.

Two ways in:

- :func:`draw_forward_bend` and :func:`draw_comparison` return a new figure
  (for notebooks, reports and tests);
- :class:`ForwardBendDrawing` and :class:`ComparisonDrawing` build their
  artists once and move them for each new pose (for widgets: no new figure
  per frame, no tight bounding box).

The drawing is illustrative: segment lengths are round numbers (a modelling
choice, ``segment_lengths_cm`` in ``data/model_constants.json``); the angles
are the model's.
"""

from __future__ import annotations

import math
from typing import Sequence

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Polygon, Rectangle

from lbp_workbook.engine.model import ForwardBend
from lbp_workbook.views.plotstyle import LINE_WIDTH, PALETTE, new_figure

__all__ = [
    "COLOURS",
    "ForwardBendDrawing",
    "ComparisonDrawing",
    "draw_forward_bend",
    "draw_comparison",
]

#: Colour of each part of the drawing (Okabe-Ito, from the shared palette).
COLOURS = {
    "hip": PALETTE["ok"],
    "lumbar": PALETTE["right"],
    "thoracic": PALETTE["accent"],
    "hamstring": PALETTE["normal"],
    "hamstring_at_limit": PALETTE["deficient"],
    "body": "#777777",
    "text": PALETTE["text"],
}

_X_LIMITS_CM = (-45.0, 125.0)
_Y_LIMITS_CM = (-8.0, 180.0)
_BAR_MAX_DEG = 180.0
_HEAD_RADIUS_CM = 9.0
_ARC_RADIUS_CM = 18.0


def _back_normal(direction_deg: float) -> tuple[float, float]:
    """Unit vector pointing out of the back of a segment leaning ``direction_deg`` forward."""
    t = math.radians(direction_deg)
    return (-math.cos(t), math.sin(t))


class ForwardBendDrawing:
    """A stick figure on one axes whose artists are moved for each new pose.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw. A thin bar axes is added under it for the shares.
    label : str, optional
        A heading above the figure (e.g. ``"short hamstrings"``).

    Examples
    --------
    >>> from lbp_workbook.engine.model import forward_bend
    >>> fig = new_figure(5, 5, dpi=50)
    >>> drawing = ForwardBendDrawing(fig.add_axes([0.05, 0.2, 0.9, 0.75]))
    >>> drawing.update(forward_bend(62, 111))
    >>> drawing.hamstring.get_color() == PALETTE["deficient"]
    True
    """

    def __init__(self, ax: Axes, label: str | None = None) -> None:
        self.ax = ax
        ax.set_xlim(*_X_LIMITS_CM)
        ax.set_ylim(*_Y_LIMITS_CM)
        ax.set_aspect("equal", adjustable="box")
        ax.set_axis_off()
        ax.plot(_X_LIMITS_CM, (-2, -2), color=COLOURS["body"], lw=1)  # floor
        ax.plot((-6, 20), (-1, -1), color=COLOURS["body"], lw=5, solid_capstyle="round")  # foot
        self.legs = ax.plot([], [], color=COLOURS["body"], lw=6, solid_capstyle="round")[0]
        self.joints = ax.plot([], [], "o", color=COLOURS["text"], ms=5, zorder=5)[0]
        self.pelvis = Polygon(
            [(0, 0)] * 4, closed=True, facecolor=COLOURS["hip"], alpha=0.35,
            edgecolor=COLOURS["hip"], lw=LINE_WIDTH,
        )
        ax.add_patch(self.pelvis)
        self.thigh_reference = ax.plot([], [], ls=":", color=COLOURS["body"], lw=1.5)[0]
        self.hip_arc = ax.plot([], [], color=COLOURS["hip"], lw=LINE_WIDTH)[0]
        self.lumbar = ax.plot([], [], color=COLOURS["lumbar"], lw=7, solid_capstyle="round")[0]
        self.thoracic = ax.plot([], [], color=COLOURS["thoracic"], lw=7, solid_capstyle="round")[0]
        self.head = Circle((0, 0), _HEAD_RADIUS_CM, facecolor="white",
                           edgecolor=COLOURS["body"], lw=LINE_WIDTH)
        ax.add_patch(self.head)
        self.hamstring = ax.plot([], [], color=COLOURS["hamstring"], lw=3.5, zorder=4)[0]
        text = dict(fontsize=11, color=COLOURS["text"])
        self.hip_label = ax.text(0, 0, "", ha="left", va="top", color=COLOURS["hip"],
                                 fontsize=11, fontweight="bold")
        self.lumbar_label = ax.text(0, 0, "", ha="right", va="bottom",
                                    color=COLOURS["lumbar"], fontsize=11, fontweight="bold")
        self.thoracic_label = ax.text(0, 0, "", ha="left", va="bottom",
                                      color=COLOURS["thoracic"], fontsize=11, fontweight="bold")
        self.hamstring_label = ax.text(0, 0, "", ha="right", va="center", fontsize=11)
        self.status = ax.text(0.0, 1.0, "", transform=ax.transAxes, ha="left", va="top", **text)
        self.heading = ax.text(0.5, 1.06, label or "", transform=ax.transAxes, ha="center",
                               va="bottom", fontsize=12, color=COLOURS["text"])
        # the share bar
        self.bar_ax = ax.inset_axes([0.04, -0.13, 0.92, 0.07])
        self.bar_ax.set_xlim(0, _BAR_MAX_DEG)
        self.bar_ax.set_ylim(0, 1)
        self.bar_ax.set_yticks([])
        for side in ("top", "right", "left"):
            self.bar_ax.spines[side].set_visible(False)
        self.bar_ax.set_xticks([0, 45, 90, 135, 180])
        self.bar_ax.tick_params(labelsize=9)
        self.bar_ax.set_xlabel("flexion shared out [deg]", fontsize=10, labelpad=1)
        self.bars = {}
        self.bar_labels = {}
        for region in ("hip", "lumbar", "thoracic"):
            rect = Rectangle((0, 0), 0, 1, facecolor=COLOURS[region], edgecolor="white")
            self.bar_ax.add_patch(rect)
            self.bars[region] = rect
            self.bar_labels[region] = self.bar_ax.text(
                0, 0.5, "", ha="center", va="center", fontsize=9, color="white",
                fontweight="bold",
            )
        self.pose: ForwardBend | None = None

    def update(self, pose: ForwardBend) -> None:
        """Move every artist to show ``pose`` (no new artists are made)."""
        j = pose.joints
        self.pose = pose
        self.legs.set_data(*zip(j.ankle, j.knee, j.hip))
        self.joints.set_data(*zip(j.ankle, j.knee, j.hip, j.lumbosacral, j.thoracolumbar,
                                  j.shoulder))
        self.pelvis.set_xy(list(pose.pelvis_outline[:-1]))
        lumbar_pts = pose.spine_path[:9]
        thoracic_pts = pose.spine_path[8:]
        self.lumbar.set_data(*zip(*lumbar_pts))
        self.thoracic.set_data(*zip(*thoracic_pts))
        self.head.set_center(j.head)

        # the hip angle: from the thigh's line (dotted, extended upwards) to the pelvis
        up = -pose.femur_tilt_deg
        ref_end = (j.hip[0] + 22 * math.sin(math.radians(up)),
                   j.hip[1] + 22 * math.cos(math.radians(up)))
        self.thigh_reference.set_data((j.hip[0], ref_end[0]), (j.hip[1], ref_end[1]))
        steps = 24
        arc = [
            (j.hip[0] + _ARC_RADIUS_CM * math.sin(math.radians(up + pose.hip_deg * i / steps)),
             j.hip[1] + _ARC_RADIUS_CM * math.cos(math.radians(up + pose.hip_deg * i / steps)))
            for i in range(steps + 1)
        ]
        self.hip_arc.set_data(*zip(*arc))

        at_limit = pose.hamstrings_at_limit
        colour = COLOURS["hamstring_at_limit"] if at_limit else COLOURS["hamstring"]
        self.hamstring.set_data(*zip(j.ischial_tuberosity, j.hamstring_insertion))
        self.hamstring.set_color(colour)
        self.hamstring.set_linestyle("-" if at_limit else (0, (4, 2)))
        mid = (min(j.ischial_tuberosity[0], j.hamstring_insertion[0]) - 3,
               (j.ischial_tuberosity[1] + j.hamstring_insertion[1]) / 2)
        self.hamstring_label.set_position(mid)
        self.hamstring_label.set_text("hamstrings\nat their limit" if at_limit
                                      else "hamstrings\nnot at their limit")
        self.hamstring_label.set_color(colour)

        self.hip_label.set_position((j.hip[0] + 12, j.hip[1] - 3))
        self.hip_label.set_text(f"hip {pose.hip_deg:.0f}°")
        lumbar_dir = pose.pelvis_tilt_deg + pose.lumbar_deg / 2
        thoracic_dir = pose.pelvis_tilt_deg + pose.lumbar_deg + pose.thoracic_deg / 2
        self._label_region(self.lumbar_label, lumbar_pts, lumbar_dir,
                           f"lumbar {pose.lumbar_deg:.0f}°", "right")
        self._label_region(self.thoracic_label, thoracic_pts, thoracic_dir,
                           f"thoracic {pose.thoracic_deg:.0f}°",
                           "left" if thoracic_dir > 45 else "right")

        lines = [f"SLR {pose.slr_deg:.0f}° · bend {pose.bend_deg:.0f}° · knees {pose.knee_flexion_deg:.0f}°"]
        if not pose.bend_reached:
            lines.append(f"out of reach: stops at {pose.reached_bend_deg:.0f}°")
        self.status.set_text("\n".join(lines))

        x = 0.0
        for region, value in (("hip", pose.hip_deg), ("lumbar", pose.lumbar_deg),
                              ("thoracic", pose.thoracic_deg)):
            self.bars[region].set_x(x)
            self.bars[region].set_width(value)
            label = self.bar_labels[region]
            label.set_position((x + value / 2, 0.5))
            label.set_text(region if value >= 3.2 * len(region) + 4 else "")
            x += value

    def moving_artists(self) -> list[Artist]:
        """Every artist :meth:`update` changes, in the order matplotlib draws them.

        For blitting (:class:`lbp_workbook.views.widgets._figure_view.BlitFigureView`):
        everything else on the axes (floor, foot, heading, the share bar's
        ticks and axis label) stays as first drawn. Within each axes the order
        is by z-order, ties in the order the artists were added; the share
        bar's artists come last because its axes is drawn after the figure's.
        The bar's bottom spine is included so that it stays on top of the
        bars, as in a full draw.

        Returns
        -------
        list of matplotlib.artist.Artist
        """
        figure_parts = [self.legs, self.joints, self.pelvis, self.thigh_reference, self.hip_arc,
                        self.lumbar, self.thoracic, self.head, self.hamstring, self.hip_label,
                        self.lumbar_label, self.thoracic_label, self.hamstring_label, self.status]
        bar_parts = [*self.bars.values(), self.bar_ax.spines["bottom"], *self.bar_labels.values()]
        order = {id(a): i for i, a in enumerate(self.ax.get_children())}
        bar_order = {id(a): i for i, a in enumerate(self.bar_ax.get_children())}
        figure_parts.sort(key=lambda a: (a.get_zorder(), order.get(id(a), 0)))
        bar_parts.sort(key=lambda a: (a.get_zorder(), bar_order.get(id(a), 0)))
        return figure_parts + bar_parts

    @staticmethod
    def _label_region(text, points, direction_deg: float, words: str, ha: str) -> None:
        mid = points[len(points) // 2]
        nx, ny = _back_normal(direction_deg)
        text.set_position((mid[0] + 8 * nx, mid[1] + 8 * ny))
        text.set_horizontalalignment(ha)
        text.set_text(words)


def draw_forward_bend(pose: ForwardBend, ax: Axes | None = None) -> Figure:
    """Draw one forward-bend pose as a labelled stick figure.

    Parameters
    ----------
    pose : ForwardBend
        The result of :func:`lbp_workbook.engine.model.forward_bend`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new house-style figure is made if not given.

    Returns
    -------
    matplotlib.figure.Figure
        The figure holding the drawing.

    Examples
    --------
    >>> from lbp_workbook.engine.model import forward_bend
    >>> fig = draw_forward_bend(forward_bend(85, 111))
    >>> len(fig.axes), len(fig.axes[0].child_axes)  # the drawing and its share bar
    (1, 1)
    """
    if ax is None:
        fig = new_figure(5.6, 5.6)
        ax = fig.add_axes([0.02, 0.17, 0.96, 0.76])
    ForwardBendDrawing(ax).update(pose)
    return ax.figure


class ComparisonDrawing:
    """Two stick figures side by side on one reused figure.

    Parameters
    ----------
    labels : sequence of two str
        Headings for the left and right figures.
    fig : matplotlib.figure.Figure, optional
        Figure to draw on; a new one (10 x 5.6 inch) if not given.
    """

    def __init__(self, labels: Sequence[str], fig: Figure | None = None) -> None:
        if len(labels) != 2:
            raise ValueError(f"labels must hold two headings, got {len(labels)}")
        self.fig = fig if fig is not None else new_figure(10.0, 5.6)
        self.left = ForwardBendDrawing(self.fig.add_axes([0.01, 0.17, 0.48, 0.74]), labels[0])
        self.right = ForwardBendDrawing(self.fig.add_axes([0.51, 0.17, 0.48, 0.74]), labels[1])

    def update(self, pose_a: ForwardBend, pose_b: ForwardBend) -> None:
        """Show ``pose_a`` on the left and ``pose_b`` on the right."""
        self.left.update(pose_a)
        self.right.update(pose_b)

    def moving_artists(self) -> list[Artist]:
        """Every artist :meth:`update` changes, in drawing order (left figure first).

        Returns
        -------
        list of matplotlib.artist.Artist
        """
        return self.left.moving_artists() + self.right.moving_artists()


def draw_comparison(
    pose_a: ForwardBend, pose_b: ForwardBend, labels: Sequence[str] = ("client A", "client B")
) -> Figure:
    """Draw two forward-bend poses side by side.

    Parameters
    ----------
    pose_a, pose_b : ForwardBend
        Poses from :func:`lbp_workbook.engine.model.forward_bend`, usually two clients
        at the same bend.
    labels : sequence of two str
        A heading for each figure, e.g. ``("normal hamstrings", "short hamstrings")``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from lbp_workbook.engine.model import forward_bend
    >>> fig = draw_comparison(forward_bend(85, 111), forward_bend(62, 111), ("normal", "short"))
    >>> len(fig.axes)
    2
    """
    drawing = ComparisonDrawing(labels)
    drawing.update(pose_a, pose_b)
    return drawing.fig
