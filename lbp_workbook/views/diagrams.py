"""The schematic diagrams in ``images/``, drawn from code so anyone can rebuild them.

``python -m lbp_workbook.views.diagrams OUTDIR`` (``make images`` runs it with
``images``) writes one SVG per entry of :data:`DIAGRAMS` plus ``README.md``
(how they are made, their alt text and licence). Output is deterministic: a
rebuild changes no bytes (no date in the metadata, ``svg.hashsalt`` from
:data:`lbp_workbook.views.plotstyle.RC`, text kept as text). ``tests/test_diagrams.py``
rebuilds into a temporary folder and compares byte for byte.

Each SVG carries its title and alt text in ``<title>`` and ``<desc>`` (with
``role="img"``), so screen readers find them even when the image is opened
on its own. The notebooks show a diagram with :func:`show_diagram` (a code cell
``lbp.show_diagram("NAME")``): the SVG is embedded in the page with the same
alt text, so it shows wherever the notebook is opened (JupyterLab with any
root folder, Voila, Binder), where a markdown link to ``../images/NAME.svg``
would point outside the server's folder.

The drawings are schematic teaching pictures, not to scale: the angles and
positions below are drawing choices, not measurements.
"""

from __future__ import annotations

import base64
import html
import io
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, FancyBboxPatch, Polygon
from matplotlib.path import Path as MplPath

from lbp_workbook.engine import reference
from lbp_workbook.views import plotstyle

__all__ = [
    "DIAGRAMS",
    "Diagram",
    "DiagramView",
    "alt_text",
    "diagram_svg",
    "main",
    "readme_text",
    "show_diagram",
    "write_all",
]

P = plotstyle.PALETTE
#: Colours by muscle group, shared with the muscle cards (lbp_workbook.course.anatomy).
C_DEEP = "#0072B2"  # deep (local) stabilisers: blue
C_MOVER = "#56B4E9"  # superficial (global) movers: sky blue
C_FLEXOR = "#D55E00"  # hip flexors: vermilion
C_HAM = "#E69F00"  # hamstrings: orange
C_GLUTE = "#009E73"  # gluteals: bluish green
C_EXT = "#CC79A7"  # back extensors in the side view: reddish purple
C_BONE = "#E4E4E4"
C_BONE_EDGE = "#666666"
C_TEXT = P["text"]
C_NOTE = "#555555"

LICENCE = "MIT"


@dataclass(frozen=True)
class Diagram:
    """One diagram: its file stem, title, alt text and drawing function."""

    name: str
    title: str
    alt: str
    draw: Callable[[], Figure]


# ---------------------------------------------------------------------------
# small drawing helpers


def _canvas(width_in: float, xlim, ylim):
    """A borderless figure whose height keeps one data unit square."""
    height_in = width_in * (ylim[1] - ylim[0]) / (xlim[1] - xlim[0])
    fig = plotstyle.new_figure(width_in, round(height_in, 3))
    with matplotlib.rc_context(plotstyle.RC):
        ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def _ring(a: float, b: float, s0: float, s1: float, t0: float, t1: float, n: int = 40):
    """Polygon points of an elliptical band between scales s0..s1, angles t0..t1 [deg]."""
    ts = [math.radians(t0 + (t1 - t0) * i / n) for i in range(n + 1)]
    outer = [(s1 * a * math.cos(t), s1 * b * math.sin(t)) for t in ts]
    inner = [(s0 * a * math.cos(t), s0 * b * math.sin(t)) for t in reversed(ts)]
    return outer + inner


def _label(ax, text, xy, xytext, ha="left", colour=C_TEXT, size=11, weight="normal"):
    ax.annotate(
        text,
        xy=xy,
        xytext=xytext,
        ha=ha,
        va="center",
        fontsize=size,
        color=colour,
        fontweight=weight,
        arrowprops=dict(arrowstyle="-", color="#333333", lw=0.9, shrinkA=2, shrinkB=0),
    )


def _rotate(points, angle_deg, centre=(0.0, 0.0)):
    c, s = math.cos(math.radians(angle_deg)), math.sin(math.radians(angle_deg))
    cx, cy = centre
    return [(cx + (x - cx) * c - (y - cy) * s, cy + (x - cx) * s + (y - cy) * c) for x, y in points]


def _shift(points, dx, dy):
    return [(x + dx, y + dy) for x, y in points]


# ---------------------------------------------------------------------------
# 1. core muscles in a cross-section of the trunk


def draw_core_cross_section() -> Figure:
    """The core muscles in a horizontal slice through the lower back.

    Front (belly) at the top, back at the bottom; the deep stabilisers in
    blue, the superficial movers in sky blue, psoas (a hip flexor) in
    vermilion. Labels say which layer each muscle belongs to, so colour is
    never the only cue.
    """
    fig, ax = _canvas(10.0, (-9.9, 9.9), (-5.6, 4.85))
    a, b = 5.0, 3.4
    # trunk outline (skin)
    ax.add_patch(Ellipse((0, 0), 2 * a * 1.03, 2 * b * 1.03, fc="#FAFAFA", ec="#444444", lw=1.5))
    ax.text(0, 0.7, "abdominal\ncontents", ha="center", va="center", color="#888888", fontsize=10)
    for side in (1, -1):

        def t(deg, side=side):
            return deg if side == 1 else 180 - deg

        # abdominal wall, outside to inside: external oblique, internal oblique, transversus
        for s0, s1, lo, colour in (
            (0.92, 1.0, -25, C_MOVER),
            (0.84, 0.92, -35, C_MOVER),
            (0.77, 0.84, -47, C_DEEP),
        ):
            pts = _ring(a, b, s0, s1, min(t(lo), t(68)), max(t(lo), t(68)))
            ax.add_patch(Polygon(pts, closed=True, fc=colour, ec="white", lw=1.2))
        # rectus abdominis (one strap each side of the midline)
        pts = _ring(a, b, 0.77, 1.0, min(t(72), t(88)), max(t(72), t(88)), n=12)
        ax.add_patch(Polygon(pts, closed=True, fc=C_MOVER, ec="white", lw=1.2))
        # back muscles
        ax.add_patch(Ellipse((side * 1.15, -0.75), 0.95, 0.85, fc=C_FLEXOR, ec="white", lw=1.2))
        # quadratus lumborum: local in the scheme of Bergmark 1989, so drawn with the deep layer
        ax.add_patch(Ellipse((side * 1.92, -1.5), 0.95, 0.6, angle=side * -15, fc=C_DEEP,
                             ec="white", lw=1.2))  # fmt: skip
        ax.add_patch(Ellipse((side * 1.38, -2.45), 1.2, 0.98, fc=C_MOVER, ec="white", lw=1.2))
        ax.add_patch(Ellipse((side * 0.5, -2.5), 0.62, 1.05, fc=C_DEEP, ec="white", lw=1.2))
        # transverse process
        ax.add_patch(Polygon([(side * 0.6, -1.38), (side * 1.45, -1.5), (side * 1.45, -1.68),
                              (side * 0.6, -1.62)], closed=True, fc=C_BONE, ec=C_BONE_EDGE,
                             lw=1))  # fmt: skip
        # thoracolumbar fascia: from the back of transversus around the back muscles
        fx = [2.72, 2.42, 2.12, 1.5, 0.12]
        fy = [-1.88, -2.02, -2.85, -3.08, -3.08]
        ax.plot([side * x for x in fx], fy, color="#333333", lw=1.3)
    # linea alba, vertebra, spinous process
    ax.plot([0, 0], [0.77 * b, b], color="#333333", lw=1.3)
    ax.add_patch(Circle((0, -1.2), 0.72, fc=C_BONE, ec=C_BONE_EDGE, lw=1.2))
    ax.add_patch(Polygon([(-0.5, -1.75), (0.5, -1.75), (0.12, -3.05), (-0.12, -3.05)],
                         closed=True, fc=C_BONE, ec=C_BONE_EDGE, lw=1.2))  # fmt: skip
    ax.add_patch(Circle((0, -2.0), 0.22, fc="white", ec=C_BONE_EDGE, lw=1))  # spinal canal

    # labels, right side (abdominal wall)
    def pt(s, deg):
        return (s * a * math.cos(math.radians(deg)), s * b * math.sin(math.radians(deg)))

    x_r = 5.5
    _label(ax, "rectus abdominis\n(superficial mover)", pt(0.9, 78), (x_r, 3.75))
    _label(ax, "external oblique\n(superficial mover)", pt(0.96, 38), (x_r, 2.35))
    _label(ax, "internal oblique\n(superficial mover)", pt(0.88, 16), (x_r, 0.95))
    _label(ax, "transversus abdominis\n(deep stabiliser)", pt(0.805, -6), (x_r, -0.45),
           colour=C_DEEP, weight="bold")  # fmt: skip
    _label(ax, "thoracolumbar fascia\n(tension band at the back)", (1.9, -3.08), (x_r, -3.3))
    # labels, left side (around the spine)
    x_l = -5.5
    _label(ax, "linea alba\n(midline seam)", (0, 3.2), (x_l, 3.75), ha="right")
    _label(ax, "lumbar vertebra", (0, -0.5), (x_l, 1.55), ha="right")
    _label(ax, "psoas major\n(hip flexor)", (-1.3, -0.62), (x_l, 0.35), ha="right")
    _label(ax, "quadratus lumborum\n(local: Bergmark 1989)", (-2.1, -1.45), (x_l, -1.05),
           ha="right", colour=C_DEEP, weight="bold")  # fmt: skip
    _label(ax, "erector spinae\n(superficial mover)", (-1.6, -2.55), (x_l, -2.35), ha="right")
    _label(ax, "multifidus\n(deep stabiliser)", (-0.5, -2.75), (x_l, -3.65), ha="right",
           colour=C_DEEP, weight="bold")  # fmt: skip
    # orientation and key
    ax.text(0, 4.45, "front (belly)", ha="center", va="center", fontsize=11, color=C_NOTE,
            style="italic")  # fmt: skip
    ax.text(0, -3.85, "back", ha="center", va="center", fontsize=11, color=C_NOTE, style="italic")
    key_y = -4.65
    for x, colour, text in (
        (-9.6, C_DEEP, "deep (local) stabiliser"),
        (-3.4, C_MOVER, "superficial (global) mover"),
        (3.2, C_FLEXOR, "hip flexor"),
    ):
        ax.add_patch(FancyBboxPatch((x, key_y - 0.22), 0.7, 0.44, boxstyle="round,pad=0.02",
                                    fc=colour, ec="none"))  # fmt: skip
        ax.text(x + 0.95, key_y, text, va="center", fontsize=11, color=C_TEXT)
    ax.text(0, -5.3, "Not in this slice: the diaphragm (the roof) and the pelvic floor (the floor) "
            "complete the deep 'canister'.", ha="center", va="center", fontsize=10,
            color=C_NOTE)  # fmt: skip
    return fig


# ---------------------------------------------------------------------------
# 2. muscles acting on the pelvis (side view)

#: Side-view pelvis outline (front to the right, hip joint at the origin).
_PELVIS = [(-2.15, 1.55), (-1.4, 2.25), (-0.4, 2.5), (0.7, 2.2), (1.55, 1.5), (1.3, 1.1),
           (1.45, 0.8), (1.05, 0.45), (1.35, -0.55), (1.65, -0.95), (1.3, -1.35), (0.4, -1.05),
           (-0.55, -1.25), (-0.95, -1.6), (-1.35, -1.2), (-1.1, -0.45), (-1.7, 0.2),
           (-2.0, 0.9)]  # fmt: skip
_NEUTRAL_SPINE_DEG = 24  # drawing choice: forward lean of the lowest lumbar vertebra
_SACRUM = [(-2.55, 1.75), (-1.95, 1.85), (-1.75, 1.0), (-1.95, 0.0), (-2.15, -0.55),
           (-2.35, -0.45), (-2.45, 0.4)]  # fmt: skip


def _spine_points(base, top, start_deg, n=5):
    """Centres and tilt angles [deg] of n vertebrae on a curve from base to top.

    The curve leaves the sacrum at ``start_deg`` forward of vertical and
    arrives at ``top`` vertical (a cubic Bezier): the larger ``start_deg``,
    the deeper the low-back curve (lordosis) is drawn.
    """
    (x0, y0), (x3, y3) = base, top
    d = math.dist(base, top) / 2.2
    x1 = x0 + d * math.sin(math.radians(start_deg))
    y1 = y0 + d * math.cos(math.radians(start_deg))
    x2, y2 = x3, y3 - d
    out = []
    for i in range(n):
        t = (i + 0.5) / n
        u = 1 - t
        x = u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3
        y = u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3
        dx = 3 * u * u * (x1 - x0) + 6 * u * t * (x2 - x1) + 3 * t * t * (x3 - x2)
        dy = 3 * u * u * (y1 - y0) + 6 * u * t * (y2 - y1) + 3 * t * t * (y3 - y2)
        out.append(((x, y), math.degrees(math.atan2(dy, dx)) - 90))
    return out


def _draw_spine(ax, base, top, start_deg, scale=1.0):
    step = math.dist(base, top) / 5
    for (x, y), ang in _spine_points(base, top, start_deg):
        w, h = 0.95 * scale, step * 0.8
        box = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
        pts = _shift(_rotate(box, ang), x, y)
        ax.add_patch(Polygon(pts, closed=True, fc=C_BONE, ec=C_BONE_EDGE, lw=1.1))


def _pull(ax, start, end, colour, dashed, via=None):
    if via is None:
        path = MplPath([start, end])
    else:
        path = MplPath([start, via, end], [MplPath.MOVETO, MplPath.CURVE3, MplPath.CURVE3])
    ax.add_patch(
        FancyArrowPatch(
            path=path,
            arrowstyle="-|>,head_length=0.6,head_width=0.35",
            color=colour,
            lw=4.0,
            linestyle=(0, (2.2, 1.2)) if dashed else "-",
            mutation_scale=12,
        )
    )
    ax.add_patch(Circle(start, 0.13, fc=colour, ec="white", lw=1, zorder=5))


def draw_pelvis_lines_of_pull() -> Figure:
    """Side view of the pelvis with the lines of pull of the muscles around it.

    Solid arrows tilt the pelvis forward (back extensors, hip flexors); dashed
    arrows tilt it back (abdominals, hamstrings, gluteals). Each arrow starts
    at the pelvis end (dot) and points the way the muscle pulls.
    """
    fig, ax = _canvas(9.0, (-8.2, 7.6), (-7.6, 5.7))
    # bones: ribs, spine, pelvis, sacrum, femur, tibia
    ax.add_patch(FancyBboxPatch((-2.9, 4.75), 5.6, 0.75, boxstyle="round,pad=0.05,rounding_size=0.35",
                                fc="#F2F2F2", ec=C_BONE_EDGE, lw=1.1))  # fmt: skip
    _draw_spine(ax, (-2.1, 1.9), (-2.0, 4.75), _NEUTRAL_SPINE_DEG)
    ax.add_patch(Polygon(_PELVIS, closed=True, fc=C_BONE, ec=C_BONE_EDGE, lw=1.3))
    ax.add_patch(Polygon(_SACRUM, closed=True, fc="#D6D6D6", ec=C_BONE_EDGE, lw=1.1))
    femur = [(-0.2, -0.1), (0.25, 0.1), (0.55, -5.2), (0.05, -5.2)]
    ax.add_patch(Polygon(femur, closed=True, fc=C_BONE, ec=C_BONE_EDGE, lw=1.1))
    ax.add_patch(Circle((0, 0), 0.42, fc=C_BONE, ec=C_BONE_EDGE, lw=1.3))  # head of femur
    ax.add_patch(Ellipse((0.3, -5.35), 1.1, 0.55, fc=C_BONE, ec=C_BONE_EDGE, lw=1.1))
    tibia = [(-0.1, -5.55), (0.7, -5.55), (0.55, -7.3), (0.05, -7.3)]
    ax.add_patch(Polygon(tibia, closed=True, fc=C_BONE, ec=C_BONE_EDGE, lw=1.1))
    # lines of pull (start at the pelvis or the nearest attachment that moves it)
    _pull(ax, (-2.55, 1.3), (-3.0, 5.1), C_EXT, dashed=False)  # back extensors
    _pull(ax, (1.75, -0.85), (2.55, 4.55), C_MOVER, dashed=True)  # abdominals
    _pull(ax, (-1.35, 3.3), (0.2, -1.0), C_FLEXOR, dashed=False, via=(1.55, 0.9))  # iliopsoas
    _pull(ax, (1.3, 0.95), (0.95, -5.1), C_FLEXOR, dashed=False)  # rectus femoris
    _pull(ax, (-0.95, -1.55), (-0.45, -5.7), C_HAM, dashed=True)  # hamstrings
    _pull(ax, (-2.3, 0.2), (-0.35, -2.4), C_GLUTE, dashed=True)  # gluteus maximus
    # labels
    _label(ax, "back extensors\n(erector spinae):\ntilt the pelvis forward", (-2.9, 3.9),
           (-4.3, 3.9), ha="right", colour=C_TEXT)  # fmt: skip
    _label(ax, "abdominals\n(rectus abdominis):\ntilt the pelvis back", (2.3, 2.9),
           (3.7, 2.9))  # fmt: skip
    _label(ax, "hip flexors\n(iliopsoas, rectus femoris):\ntilt the pelvis forward",
           (1.15, -2.5), (2.6, -2.2))  # fmt: skip
    _label(ax, "gluteals\n(gluteus maximus):\ntilt the pelvis back", (-1.5, -1.2),
           (-3.3, -0.9), ha="right")  # fmt: skip
    _label(ax, "hamstrings:\ntilt the pelvis back", (-0.7, -3.7), (-3.3, -3.9), ha="right")
    # orientation, bones and key
    ax.annotate("", xy=(6.9, 5.2), xytext=(5.3, 5.2),
                arrowprops=dict(arrowstyle="-|>", color=C_NOTE, lw=1.5))  # fmt: skip
    ax.text(5.2, 5.2, "front", ha="right", va="center", color=C_NOTE, fontsize=11)
    ax.text(-0.75, 1.3, "pelvis", ha="center", va="center", color="#555555", fontsize=10)
    ax.text(-0.25, 3.45, "lumbar\nspine", ha="left", va="center", color="#555555", fontsize=10)
    ax.text(0.8, -4.3, "thigh", ha="left", va="center", color="#555555", fontsize=10)
    ax.text(-0.1, 5.12, "rib cage", ha="center", va="center", color="#555555", fontsize=10)
    ax.plot([-7.9, -6.9], [-6.35, -6.35], color=C_TEXT, lw=4)
    ax.text(-6.7, -6.35, "solid: tilts the pelvis forward (anterior)", va="center",
            fontsize=11)  # fmt: skip
    ax.plot([-7.9, -6.9], [-7.05, -7.05], color=C_TEXT, lw=4, linestyle=(0, (2.2, 1.2)))
    ax.text(-6.7, -7.05, "dashed: tilts the pelvis back (posterior)", va="center",
            fontsize=11)  # fmt: skip
    return fig


# ---------------------------------------------------------------------------
# 3. anterior, neutral and posterior pelvic tilt

#: Drawing choices (not measurements): how far each panel turns the pelvis
#: [deg, positive = counter-clockwise = backward tilt with the front on the
#: right]. The lumbar spine leaves the sacrum at _NEUTRAL_SPINE_DEG forward
#: of vertical, turned with the pelvis, so the curve deepens or flattens.
_TILTS = (
    ("anterior tilt", -20, "pelvis tips forward;\nlow-back curve deepens"),
    ("neutral", 0, "the position to find and\nhold in phase 1"),
    ("posterior tilt", 20, "pelvis tucks under;\nlow-back curve flattens"),
)


def draw_pelvic_tilt() -> Figure:
    """Three side views: anterior tilt, neutral, posterior tilt (front on the right)."""
    fig, ax = _canvas(11.0, (-9.8, 9.6), (-4.6, 5.3))
    for i, (name, angle, note) in enumerate(_TILTS):
        dx = (i - 1) * 6.6
        pelvis = _shift(_rotate([(0.8 * x, 0.8 * y) for x, y in _PELVIS], angle), dx, 0)
        sacrum = _shift(_rotate([(0.8 * x, 0.8 * y) for x, y in _SACRUM], angle), dx, 0)
        base = _shift(_rotate([(-1.68, 1.52)], angle), dx, 0)[0]
        ax.plot([dx, dx], [-2.1, 4.7], color="#AAAAAA", lw=1, linestyle=(0, (4, 3)))
        _draw_spine(ax, base, (dx - 1.15, 4.55), _NEUTRAL_SPINE_DEG - angle, scale=0.8)
        ax.add_patch(Polygon(pelvis, closed=True, fc=C_BONE, ec=C_BONE_EDGE, lw=1.3))
        ax.add_patch(Polygon(sacrum, closed=True, fc="#D6D6D6", ec=C_BONE_EDGE, lw=1.1))
        ax.add_patch(Circle((dx, 0), 0.34, fc="white", ec=C_BONE_EDGE, lw=1.2))
        # the pelvis 'rim' (a line fixed to the pelvis) against a level reference
        rim = _shift(_rotate([(-1.75, 1.05), (1.45, 1.05)], angle), dx, 0)
        ax.plot([dx - 1.9, dx + 1.9], [1.05 * math.cos(math.radians(angle))] * 2,
                color="#AAAAAA", lw=1, linestyle=(0, (4, 3)))  # fmt: skip
        ax.plot(*zip(*rim), color=C_TEXT, lw=3, solid_capstyle="round")
        ax.add_patch(Polygon([(dx - 0.2, -0.15), (dx + 0.25, 0.1), (dx + 0.4, -2.1),
                              (dx - 0.05, -2.1)], closed=True, fc=C_BONE, ec=C_BONE_EDGE,
                             lw=1.1))  # fmt: skip
        if angle:
            # curved arrow showing which way the pelvis turned
            start = _rotate([(1.9, 1.2)], 0)[0]
            end = _rotate([(1.9, 1.2)], angle * 1.6)[0]
            ax.add_patch(FancyArrowPatch(
                (dx + start[0], start[1]), (dx + end[0], end[1]),
                connectionstyle=f"arc3,rad={-0.35 if angle < 0 else 0.35}",
                arrowstyle="-|>,head_length=0.5,head_width=0.3", mutation_scale=12,
                color=C_FLEXOR if angle < 0 else C_DEEP, lw=2.2))  # fmt: skip
        ax.text(dx, -2.75, name, ha="center", va="center", fontsize=14, fontweight="bold",
                color=C_TEXT)  # fmt: skip
        ax.text(dx, -3.75, note, ha="center", va="center", fontsize=11, color=C_TEXT)
    ax.annotate("", xy=(9.2, 4.9), xytext=(7.7, 4.9),
                arrowprops=dict(arrowstyle="-|>", color=C_NOTE, lw=1.5))  # fmt: skip
    ax.text(7.6, 4.9, "front", ha="right", va="center", color=C_NOTE, fontsize=11)
    return fig


# ---------------------------------------------------------------------------
# 4. the three training phases as a flow


def _box(ax, xy, w, h, title, body, edge, face="white", title_colour=C_TEXT, lw=2.2,
         subtitle=None):  # fmt: skip
    x, y = xy
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.08,rounding_size=0.25",
                                fc=face, ec=edge, lw=lw))  # fmt: skip
    ax.text(x + w / 2, y + h - 0.38, title, ha="center", va="center", fontsize=13,
            fontweight="bold", color=title_colour)  # fmt: skip
    top = y + h - 0.7
    if subtitle:
        ax.text(x + w / 2, y + h - 0.9, subtitle, ha="center", va="center", fontsize=12,
                fontweight="bold", color=C_TEXT)  # fmt: skip
        top = y + h - 1.2
    ax.text(x + w / 2, y + top / 2 - y / 2, body, ha="center", va="center", fontsize=11,
            color=C_TEXT, linespacing=1.35)  # fmt: skip


def _arrow(ax, start, end, colour=C_TEXT, dashed=False, rad=0.0):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>,head_length=0.6,head_width=0.35",
                                 mutation_scale=14, color=colour, lw=2.0,
                                 linestyle=(0, (4, 2.5)) if dashed else "-",
                                 connectionstyle=f"arc3,rad={rad}"))  # fmt: skip


def _exercise_pain_limit() -> str:
    """The phase-2 gate on pain during exercise, e.g. ``"3/10"`` (from ``data/rules.json``).

    Phase 1 is where a client works until that gate is met, so the diagram says
    "pain kept low" with the same number instead of "pain-free".
    """
    rule = next(g for g in reference.rules().gates
                if g.phase == 2 and g.field == "pain.during_exercise")
    return f"{rule.limit:g}{rule.unit}"


def draw_training_phases() -> Figure:
    """Red flags first (with the emergency route), then the guideline's referral
    triggers, then assess flexibility first and phases 1 -> 2 -> 3, with the way
    out to a medical provider at every step."""
    fig, ax = _canvas(11.0, (-0.3, 17.9), (-0.5, 14.6))
    # first row: red flags -> emergency department / physician
    _box(ax, (0.2, 10.8), 5.0, 2.6, "1 · Red flags first",
         "Ask about every sign\npresent now and every\nrisk factor from the past",
         edge=C_FLEXOR)  # fmt: skip
    _box(ax, (6.5, 10.8), 5.0, 2.6, "Other red flag",
         "a physician, urgently; a\nrisk factor: train only within\nwritten clearance",
         edge=C_FLEXOR, face="#FBE3D6")  # fmt: skip
    _box(ax, (12.8, 10.8), 4.9, 2.6, "Emergency",
         "emergency department\ntoday (A&E in the UK);\ncall the emergency number\n"
         "if they cannot get there", edge=C_FLEXOR, face="#FBE3D6", lw=3.0)  # fmt: skip
    _arrow(ax, (5.35, 11.95), (6.35, 11.95), colour=C_FLEXOR)
    ax.text(5.85, 12.35, "other", ha="center", va="center", fontsize=11, color=C_FLEXOR)
    _arrow(ax, (2.7, 13.7), (15.2, 13.7), colour=C_FLEXOR)
    ax.text(9.0, 14.1, "emergency sign: bladder, bowel, saddle or sexual changes, both legs",
            ha="center", va="center", fontsize=11, color=C_FLEXOR,
            fontweight="bold")  # fmt: skip
    _arrow(ax, (1.6, 10.6), (1.6, 9.5))
    ax.text(1.85, 10.05, "none open", ha="left", va="center", fontsize=11, color=C_TEXT)
    # second row: the guideline's triggers -> assess; triggers -> refer
    _box(ax, (0.2, 6.4), 5.0, 2.9, "2 · Referral triggers",
         "Considerable history of\nlow back pain or injury?\nSymptoms increasing or\n"
         "spreading into a leg? Unsure?", edge=C_TEXT)  # fmt: skip
    _box(ax, (6.5, 6.4), 5.0, 2.9, "Assess flexibility first",
         "Hip flexors, hip lateral\nrotators and hamstrings;\nthen trunk endurance",
         edge=C_TEXT)  # fmt: skip
    _box(ax, (12.8, 6.4), 4.9, 2.9, "Refer before training",
         "to a medical provider:\nphysician, physical therapist\nor athletic trainer",
         edge=C_FLEXOR, face="#FBE3D6", lw=3.0)  # fmt: skip
    _arrow(ax, (5.35, 7.55), (6.35, 7.55))
    ax.text(5.85, 7.95, "no", ha="center", va="center", fontsize=11, color=C_TEXT)
    _arrow(ax, (4.4, 9.62), (15.2, 9.62), colour=C_FLEXOR, rad=0.0)
    ax.text(9.0, 9.95, "yes, or unsure", ha="center", va="center", fontsize=11, color=C_FLEXOR,
            fontweight="bold")  # fmt: skip
    # bottom row: the three phases
    phases = (
        ("Phase 1", "Gentle stabilisation", "neutral pelvis, a gentle\nbrace, body mechanics;\n"
         f"pain in exercise at most\n{_exercise_pain_limit()} and settling"),
        ("Phase 2", "Trunk strengthening", "abdominals, back\nextensors and side\nmuscles, "
         "keeping\nthe spine neutral"),
        ("Phase 3", "Advanced and dynamic", "harder stability work,\nthen movements like\n"
         "the client's sport\nand daily life"),
    )
    xs = (0.2, 6.2, 12.2)
    for x, (title, sub, body) in zip(xs, phases):
        _box(ax, (x, 0.4), 5.3, 4.2, title, body, edge=C_DEEP, title_colour=C_DEEP,
             subtitle=sub)  # fmt: skip
    _arrow(ax, (5.6, 2.5), (6.1, 2.5), colour=C_DEEP)
    _arrow(ax, (11.6, 2.5), (12.1, 2.5), colour=C_DEEP)
    _arrow(ax, (9.0, 6.25), (2.85, 4.75), colour=C_TEXT, rad=0.0)
    # any time: symptoms increase -> refer
    _arrow(ax, (16.4, 4.75), (15.6, 6.25), colour=C_FLEXOR, dashed=True)
    ax.text(15.45, 5.5, "symptoms increase or\nspread into a leg\nat any point", ha="right",
            va="center",
            fontsize=11, color=C_FLEXOR, fontweight="bold")  # fmt: skip
    ax.text(8.85, -0.2, "Move on only when the next phase's gates are met: pain low and settling, "
            "control shown.",
            ha="center", va="center", fontsize=11, color=C_NOTE, style="italic")  # fmt: skip
    return fig


# ---------------------------------------------------------------------------
# registry, SVG output, README

DIAGRAMS: dict[str, Diagram] = {
    d.name: d
    for d in (
        Diagram(
            "core_cross_section",
            "The core muscles in a slice through the lower back",
            "A horizontal slice through the trunk at the level of the lower back, belly at the "
            "top and back at the bottom. Around the front and sides the abdominal wall has three "
            "layers: external oblique on the outside, internal oblique in the middle and "
            "transversus abdominis deepest; rectus abdominis forms two straps at the front, "
            "joined by the linea alba. Around the lumbar vertebra sit psoas major (a hip flexor) "
            "in front, quadratus lumborum at the side, and at the back erector spinae with "
            "multifidus closest to the spine; the thoracolumbar fascia wraps behind them and "
            "joins transversus abdominis. Transversus abdominis and multifidus are marked as deep "
            "stabilisers, and quadratus lumborum as local, as Bergmark classed it in 1989; the "
            "others as superficial movers. A note says the diaphragm and the "
            "pelvic floor, which complete the deep 'canister', lie above and below this slice.",
            draw_core_cross_section,
        ),
        Diagram(
            "pelvis_lines_of_pull",
            "Muscles that pull on the pelvis, side view",
            "A side view of the lumbar spine, pelvis and thigh, front to the right, with arrows "
            "for the pull of five muscle groups. Solid arrows tilt the pelvis forward: the back "
            "extensors pull the back of the pelvis up, and the hip flexors (iliopsoas and rectus "
            "femoris) pull the front of the pelvis and the lumbar spine down toward the thigh. "
            "Dashed arrows tilt the pelvis back: the abdominals pull the front of the pelvis up "
            "toward the ribs, the gluteals pull the back of the pelvis down toward the thigh, "
            "and the hamstrings pull the sitting bone down toward the knee.",
            draw_pelvis_lines_of_pull,
        ),
        Diagram(
            "pelvic_tilt",
            "Anterior, neutral and posterior pelvic tilt",
            "Three side views of the pelvis and lumbar spine, front to the right. Anterior tilt: "
            "the pelvis tips forward and the low-back curve deepens. Neutral: the middle "
            "position, the one to find and hold in phase 1. Posterior tilt: the pelvis tucks "
            "under and the low-back curve flattens. A thick line fixed across each pelvis tips "
            "down at the front in anterior tilt and down at the back in posterior tilt, against "
            "a level dashed line; curved arrows show which way the pelvis turned.",
            draw_pelvic_tilt,
        ),
        Diagram(
            "training_phases",
            "Red flags, referral triggers, assessment, then three training phases",
            "A flow chart. First, red flags: ask about every sign present now and every risk "
            "factor from the past. An emergency sign (bladder, bowel, saddle or sexual changes, "
            "or leg symptoms in both legs) leads to 'Emergency: emergency department today (A&E "
            "in the UK); call the emergency number if they cannot get there'. Any other red flag "
            "leads to 'a physician, urgently; a risk factor: train only within written "
            "clearance'. With no red flag open, the guideline's referral triggers come next: a "
            "considerable history of low back pain or injury, symptoms increasing or spreading "
            "into a leg, or being unsure all lead to 'Refer before training to a medical "
            "provider: physician, physical therapist or athletic trainer'. If none applies, "
            "assess flexibility first (hip flexors, hip lateral rotators, hamstrings), then "
            "trunk endurance. Then phase 1, gentle stabilisation (neutral pelvis, a gentle brace, "
            "body mechanics, pain during exercise at most "
            f"{_exercise_pain_limit()} and settling), leads to phase 2, trunk strengthening, "
            "which leads to phase 3, advanced and dynamic work. A dashed arrow says that if "
            "symptoms increase or spread into a leg at any point, refer. Move on only when the "
            "next phase's gates are met: pain low and settling, control shown.",
            draw_training_phases,
        ),
    )
}


def alt_text(name: str) -> str:
    """Return the alt text of one diagram (as used in the notebooks)."""
    return DIAGRAMS[name].alt


def _add_title_and_desc(svg: str, diagram: Diagram) -> str:
    head = re.search(r"<svg\b[^>]*>", svg)
    if head is None:  # pragma: no cover - matplotlib always writes one
        raise ValueError("no <svg> element")
    tag = head.group(0)
    new_tag = tag[:-1] + ' role="img" aria-labelledby="diagram-title diagram-desc">'
    block = (
        f'\n <title id="diagram-title">{html.escape(diagram.title)}</title>'
        f'\n <desc id="diagram-desc">{html.escape(diagram.alt)}</desc>'
    )
    return svg[: head.start()] + new_tag + block + svg[head.end() :]


def diagram_svg(name: str) -> bytes:
    """Draw one diagram and return its SVG bytes (deterministic)."""
    diagram = DIAGRAMS[name]
    with matplotlib.rc_context(plotstyle.RC):
        fig = diagram.draw()
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return _add_title_and_desc(buf.getvalue(), diagram).encode("utf-8")


@dataclass(frozen=True)
class DiagramView:
    """A diagram ready for a notebook: the SVG embedded in HTML with its alt text.

    Jupyter shows it through ``_repr_html_``; ``html`` holds the same markup.
    """

    name: str
    html: str

    def _repr_html_(self) -> str:
        return self.html


def show_diagram(name: str, width_px: int = 760) -> DiagramView:
    """Return one diagram for display in a notebook cell.

    Parameters
    ----------
    name : str
        A key of :data:`DIAGRAMS`, e.g. ``"core_cross_section"``.
    width_px : int
        Largest width on screen [px]; narrower windows scale it down.

    Returns
    -------
    DiagramView
        The SVG (the same bytes ``make images`` writes) embedded as a data URI
        in an ``<img>`` with the diagram's alt text, so it needs no file path.

    Raises
    ------
    KeyError
        If ``name`` is not a diagram; the message lists the names.
    """
    if name not in DIAGRAMS:
        raise KeyError(f"no diagram {name!r}; choose one of: {', '.join(DIAGRAMS)}")
    data = base64.b64encode(diagram_svg(name)).decode("ascii")
    alt = html.escape(DIAGRAMS[name].alt, quote=True)
    markup = (
        f'<figure class="lbp-diagram" style="margin:8px 0">'
        f'<img src="data:image/svg+xml;base64,{data}" alt="{alt}" '
        f'style="max-width:100%;width:{int(width_px)}px;height:auto"></figure>'
    )
    return DiagramView(name=name, html=markup)


def readme_text() -> str:
    """The text of ``images/README.md``: how the images are made, alt text, licence."""
    lines = [
        "# Diagrams",
        "",
        "Schematic teaching diagrams for the LBP Workbook. They are drawn by code in",
        "`lbp_workbook/views/diagrams.py` and are not to scale. Do not edit the SVG files by hand:",
        "change the code and rebuild with",
        "",
        "```",
        "make images            # or: python -m lbp_workbook.views.diagrams images",
        "```",
        "",
        "The build is deterministic (no dates in the files, fixed SVG ids), so a rebuild changes",
        "no bytes; `tests/test_diagrams.py` rebuilds them and compares. This file is written by",
        "the same command. Colours come from the Okabe-Ito colour-blind-safe palette, and every",
        "diagram also says in words (labels, solid or dashed lines) what its colours mean.",
        "",
        "Each SVG carries its title and alt text in `<title>` and `<desc>`. The notebooks show",
        "them with `lbp.show_diagram(\"NAME\")`, which embeds the same SVG with the same alt text.",
        "",
        "## Licence",
        "",
        f"The diagrams are released under the project's {LICENCE} licence (see `LICENSE` at the",
        "top of the repository), the same as the code that draws them. Please credit",
        '"LBP Workbook contributors" when you reuse them.',
        "",
        "## The diagrams",
        "",
    ]
    for d in DIAGRAMS.values():
        lines += [f"### `{d.name}.svg`: {d.title}", "", f"Alt text: {d.alt}", ""]
    return "\n".join(lines)


def write_all(outdir: str | Path) -> list[Path]:
    """Write every diagram as ``OUTDIR/NAME.svg`` plus ``OUTDIR/README.md``.

    Returns the paths written.
    """
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in DIAGRAMS:
        path = out / f"{name}.svg"
        path.write_bytes(diagram_svg(name))
        written.append(path)
    readme = out / "README.md"
    readme.write_text(readme_text(), encoding="utf-8")
    written.append(readme)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m lbp_workbook.views.diagrams OUTDIR``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] in ("-h", "--help"):
        print("usage: python -m lbp_workbook.views.diagrams OUTDIR")
        return 0 if args and args[0] in ("-h", "--help") else 2
    for path in write_all(args[0]):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
