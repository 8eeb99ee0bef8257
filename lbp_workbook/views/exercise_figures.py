"""A picture of every exercise in ``data/exercises.json``, drawn from code.

Each picture shows the exercise in two panels, **start** and **end**, as a
stick figure in the style of the forward-bend drawing
(:mod:`lbp_workbook.views.drawing`: grey limbs, white head, joints as dots) with the
spine drawn as a chain of vertebrae and the pelvis as a bone, as in the anatomy
diagrams (:mod:`lbp_workbook.views.diagrams`). The end panel keeps a faint outline of
the start position and an arrow for the movement; the main muscle the
exercise works (or stretches) is highlighted in its anatomy colour and
labelled, and a line under the panels says what the spine does (neutral, or the
direction it moves toward, from the exercise's ``loads``).

Most exercises are seen from the side (front of the body to the right).
Side-bending, side bridges, a one-sided carry and the lying hip and trunk
rotations are seen from the front or from above, where their movement shows.

Public API
----------
- :func:`exercise_svg` -> SVG text (deterministic; ``make images`` writes it to
  ``images/exercises/<id>.svg``), with ``<title>`` and ``<desc>``;
- :func:`exercise_alt` -> the alt text (what the movement is);
- :func:`exercise_png` -> PNG bytes (for PDFs and widgets);
- :func:`exercise_figure` -> the matplotlib figure;
- :func:`exercise_img_html`, :func:`plan_row_html`, :func:`plan_cards_html` ->
  HTML for the lessons, the app and the client summary.

The drawings are schematic teaching pictures: segment lengths come from the
forward-bend model's stick figure (``segment_lengths_cm`` in
``data/model_constants.json``), the joint angles are drawing choices checked
by :func:`pose_problems` against generous limits of normal adult motion, and
nothing here is a measurement.
"""

from __future__ import annotations

import base64
import html
import io
import math
import re
import sys
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Polygon, Rectangle

from lbp_workbook.engine import reference
from lbp_workbook.engine.model import model_constants
from lbp_workbook.views import plotstyle
from lbp_workbook.views.diagrams import (
    C_BONE,
    C_BONE_EDGE,
    C_DEEP,
    C_EXT,
    C_FLEXOR,
    C_GLUTE,
    C_HAM,
    C_MOVER,
    C_NOTE,
    C_TEXT,
)
from lbp_workbook.views.drawing import COLOURS

__all__ = [
    "FrontPose",
    "JOINT_LIMITS_DEG",
    "SidePose",
    "exercise_alt",
    "exercise_figure",
    "exercise_ids",
    "exercise_img_html",
    "exercise_png",
    "exercise_svg",
    "exercise_title",
    "figure_spec",
    "main",
    "plan_cards_html",
    "plan_pictures_html",
    "PlanCards",
    "plan_cards",
    "plan_row_html",
    "pose_points",
    "pose_problems",
    "write_all",
]


# ---------------------------------------------------------------------------
# the body: segment lengths [cm] and drawing choices

_SEG = model_constants()["segment_lengths_cm"]
SHANK_CM = float(_SEG["shank"])
THIGH_CM = float(_SEG["thigh"])
LUMBAR_CM = float(_SEG["lumbar"])
THORACIC_CM = float(_SEG["thoracic"])
HEAD_FROM_SHOULDER_CM = float(_SEG["head_centre_from_shoulder"])
_LS = tuple(_SEG["lumbosacral_from_hip"])
_IT = tuple(_SEG["ischial_tuberosity_from_hip"])
_ASIS = tuple(_SEG["asis_from_hip"])
_PUBIS = tuple(_SEG["pubis_from_hip"])
#: Drawing choices [cm] (not measurements): arm and foot segments, head size,
#: half-widths of hips and shoulders in the front view.
UPPER_ARM_CM = 29.0
FOREARM_CM = 26.0
FOOT_CM = 20.0
HEEL_CM = 5.0
HEAD_RADIUS_CM = 9.0
HEAD_FORWARD_CM = 5.0  # the head's centre sits a little in front of the spine's line
HIP_HALF_WIDTH_CM = 9.0
SHOULDER_HALF_WIDTH_CM = 18.0
#: Drawing choices [deg]: how curved a neutral spine is drawn (low-back curve,
#: upper-back curve); flexion and extension are added to these.
LORDOSIS_DEG = 30.0
KYPHOSIS_DEG = 35.0

#: Generous limits [deg] of joint angles a drawing may show (lower, upper),
#: negative = the opposite direction (extension, adduction, dorsiflexion).
#: Rounded outward from average adult ranges of motion (passive at the knee),
#: so a figure outside them is drawn wrong, not merely flexible.
#:
#: References: American Academy of Orthopaedic Surgeons. Joint motion: method
#: of measuring and recording. Chicago: AAOS; 1965. Greene WB, Heckman JD
#: (eds). The clinical measurement of joint motion. Rosemont: AAOS; 1994.
JOINT_LIMITS_DEG = {
    "hip_flex": (-30.0, 135.0),
    "knee_flex": (-5.0, 160.0),
    "ankle_pf": (-30.0, 55.0),
    "shoulder_flex": (-60.0, 180.0),
    "elbow_flex": (0.0, 150.0),
    "lumbar_flex": (-35.0, 60.0),
    "thoracic_flex": (-25.0, 45.0),
    "neck_flex": (-60.0, 60.0),
    "hip_abd": (-25.0, 50.0),
    "shoulder_abd": (-30.0, 180.0),
    "side_bend": (-35.0, 35.0),
}

#: How far from the floor [cm] a point that should touch it may be drawn.
CONTACT_TOLERANCE_CM = 4.0


@dataclass(frozen=True)
class SidePose:
    """A body seen from the side, front of the body to the right when upright.

    Angles [deg]. ``trunk_deg`` is the direction of the trunk's long axis at
    the pelvis, counter-clockwise from the page's right: 90 upright, 180 lying
    on the back with the head to the left, 0 face down with the head to the
    right. Joint angles are anatomical: ``lumbar_flex`` > 0 rounds the low back
    (flexion), < 0 arches it (extension); ``hip_*`` flexion brings the thigh
    forward; ``knee_*`` flexion bends the knee; ``ankle_*`` is plantar flexion
    (``None``: the foot lies flat on the floor); ``shoulder_*`` flexion lifts the
    arm forward and up. ``_n`` is the near limb, ``_f`` the far one (drawn
    lighter, behind). ``scale`` shortens a segment seen end-on
    (e.g. ``(("shank_f", 0.4),)`` for a shin crossing the body).
    ``y`` [cm] puts the lowest point of the trunk and head at that height
    (lying on a bench); by default the lowest point of the body rests on the
    floor. ``contacts`` name points that must touch a support: ``"heel_n"``
    (the floor) or ``"heel_n@12"`` (12 cm up, a step). ``projected``: the limb
    angles are angles in the picture of a limb that moves across the body
    (seen from above), not anatomical joint angles, so only the trunk's are
    checked against :data:`JOINT_LIMITS_DEG`.
    """

    trunk_deg: float = 90.0
    lumbar_flex: float = 0.0
    thoracic_flex: float = 0.0
    neck_flex: float = 0.0
    hip_n: float = 0.0
    knee_n: float = 0.0
    ankle_n: float | None = 0.0
    hip_f: float = 0.0
    knee_f: float = 0.0
    ankle_f: float | None = 0.0
    shoulder_n: float = 0.0
    elbow_n: float = 10.0
    shoulder_f: float = 0.0
    elbow_f: float = 10.0
    x: float = 0.0
    y: float | None = None
    scale: tuple[tuple[str, float], ...] = ()
    contacts: tuple[str, ...] = ()
    projected: bool = False
    view = "side"


@dataclass(frozen=True)
class FrontPose:
    """A body seen from the front (or, lying down, from above).

    Angles [deg]. ``trunk_deg`` as in :class:`SidePose` (90 upright).
    ``side_bend`` > 0 bends the trunk toward the picture's left (lumbar), and
    ``thoracic_bend`` adds to it above. Limb ``_a`` is on the picture's left,
    ``_b`` on its right: ``abd_*`` hip abduction (away from the midline),
    ``knee_*`` the bend seen in the picture (> 0 turns the shin toward the
    midline), ``shoulder_*`` shoulder abduction, ``elbow_*`` the elbow bend
    (> 0 toward the head). ``scale`` shortens segments seen end-on (a bent
    knee pointing at the viewer). ``y``, ``contacts`` and ``projected`` as in
    :class:`SidePose`.
    """

    trunk_deg: float = 90.0
    side_bend: float = 0.0
    thoracic_bend: float = 0.0
    neck_bend: float = 0.0
    abd_a: float = 6.0
    abd_b: float = 6.0
    knee_a: float = 0.0
    knee_b: float = 0.0
    shoulder_a: float = 8.0
    shoulder_b: float = 8.0
    elbow_a: float = 0.0
    elbow_b: float = 0.0
    x: float = 0.0
    y: float | None = None
    scale: tuple[tuple[str, float], ...] = ()
    contacts: tuple[str, ...] = ()
    projected: bool = False
    view = "front"


def _u(deg: float) -> tuple[float, float]:
    t = math.radians(deg)
    return (math.cos(t), math.sin(t))


def _add(p, deg, length):
    ux, uy = _u(deg)
    return (p[0] + length * ux, p[1] + length * uy)


def _local(origin, axis_deg, offset):
    """``offset`` (x forward, y up in an upright body) turned to a trunk axis at ``axis_deg``."""
    t = math.radians(axis_deg - 90.0)
    c, s = math.cos(t), math.sin(t)
    return (origin[0] + offset[0] * c - offset[1] * s, origin[1] + offset[0] * s + offset[1] * c)


def _arc(start, start_deg, turn_deg, length, n):
    """Points of a curve of ``length`` leaving ``start`` at ``start_deg`` and turning ``turn_deg``."""
    pts, tangents = [start], [start_deg]
    step = length / n
    p, d = start, start_deg
    for _ in range(n):
        d_mid = d + turn_deg / n / 2
        p = _add(p, d_mid, step)
        d += turn_deg / n
        pts.append(p)
        tangents.append(d)
    return pts, tangents


def _flat_foot_pf(shank_deg: float) -> float:
    """Plantar flexion [deg] that lays the foot level, pointing the way the toes face."""
    natural = (shank_deg + 90.0) % 360.0
    target = 0.0 if (natural < 90 or natural > 270) else 180.0
    pf = (natural - target + 180.0) % 360.0 - 180.0
    return pf


def _side_points(p: SidePose) -> dict:
    sc = dict(p.scale)
    hip = (0.0, 0.0)
    ax = p.trunk_deg
    pts = {"hip": hip, "ls": _local(hip, ax, _LS), "it": _local(hip, ax, _IT),
           "asis": _local(hip, ax, _ASIS), "pubis": _local(hip, ax, _PUBIS)}
    lum, lum_t = _arc(pts["ls"], ax - LORDOSIS_DEG / 2, LORDOSIS_DEG - p.lumbar_flex,
                      LUMBAR_CM * sc.get("lumbar", 1), 10)
    tho, tho_t = _arc(lum[-1], lum_t[-1], -KYPHOSIS_DEG - p.thoracic_flex,
                      THORACIC_CM * sc.get("thoracic", 1), 10)
    pts["lumbar"], pts["lumbar_tangents"] = lum, lum_t
    pts["thoracic"], pts["thoracic_tangents"] = tho, tho_t
    pts["tl"] = lum[-1]
    pts["chest"] = _offset([tho[5]], [tho_t[5]], 10)[0]
    pts["back"] = _offset([tho[3]], [tho_t[3]], -8)[0]
    thorax = ax - p.lumbar_flex - p.thoracic_flex
    pts["thorax_deg"] = thorax
    pts["shoulder"] = tho[-1]
    pts["head"] = _add(_add(tho[-1], thorax - p.neck_flex, HEAD_FROM_SHOULDER_CM),
                       thorax - p.neck_flex - 90.0, HEAD_FORWARD_CM)
    pts["neck_deg"] = thorax - p.neck_flex
    angles = {}
    for s in ("n", "f"):
        thigh = ax + 180.0 + getattr(p, f"hip_{s}")
        shank = thigh - getattr(p, f"knee_{s}")
        knee = _add(hip, thigh, THIGH_CM * sc.get(f"thigh_{s}", 1))
        ankle = _add(knee, shank, SHANK_CM * sc.get(f"shank_{s}", 1))
        pf = getattr(p, f"ankle_{s}")
        if pf is None:
            pf = _flat_foot_pf(shank)
        foot = shank + 90.0 - pf
        pts[f"knee_{s}"], pts[f"ankle_{s}"] = knee, ankle
        pts[f"toe_{s}"] = _add(ankle, foot, (FOOT_CM - HEEL_CM) * sc.get(f"foot_{s}", 1))
        pts[f"heel_{s}"] = _add(ankle, foot, -HEEL_CM * sc.get(f"foot_{s}", 1))
        arm = thorax + 180.0 + getattr(p, f"shoulder_{s}")
        fore = arm + getattr(p, f"elbow_{s}")
        elbow = _add(pts["shoulder"], arm, UPPER_ARM_CM * sc.get(f"arm_{s}", 1))
        pts[f"elbow_{s}"] = elbow
        pts[f"wrist_{s}"] = _add(elbow, fore, FOREARM_CM * sc.get(f"forearm_{s}", 1))
        pts[f"thigh_deg_{s}"], pts[f"shank_deg_{s}"] = thigh, shank
        angles[f"ankle_pf_{s}"] = pf
    pts["angles"] = angles
    return pts


def _front_points(p: FrontPose) -> dict:
    sc = dict(p.scale)
    ax = p.trunk_deg
    mid = (0.0, 0.0)
    pts = {"pelvis": mid,
           "hip_a": _add(mid, ax + 90, HIP_HALF_WIDTH_CM),
           "hip_b": _add(mid, ax - 90, HIP_HALF_WIDTH_CM)}
    base = _local(mid, ax, (0, 8))
    lum, lum_t = _arc(base, ax, p.side_bend, LUMBAR_CM * sc.get("lumbar", 1), 10)
    tho, tho_t = _arc(lum[-1], lum_t[-1], p.thoracic_bend, THORACIC_CM * sc.get("thoracic", 1), 10)
    pts["lumbar"], pts["lumbar_tangents"] = lum, lum_t
    pts["thoracic"], pts["thoracic_tangents"] = tho, tho_t
    top = tho_t[-1]
    pts["tl"] = lum[-1]
    pts["chest"] = tho[5]
    pts["thorax_deg"] = top
    neck = tho[-1]
    pts["shoulder"] = neck
    pts["shoulder_a"] = _add(neck, top + 90, SHOULDER_HALF_WIDTH_CM)
    pts["shoulder_b"] = _add(neck, top - 90, SHOULDER_HALF_WIDTH_CM)
    pts["head"] = _add(neck, top + p.neck_bend, HEAD_FROM_SHOULDER_CM)
    pts["neck_deg"] = top + p.neck_bend
    for s, sign in (("a", -1.0), ("b", 1.0)):
        thigh = ax + 180.0 + sign * getattr(p, f"abd_{s}")
        shank = thigh - sign * getattr(p, f"knee_{s}")
        knee = _add(pts[f"hip_{s}"], thigh, THIGH_CM * sc.get(f"thigh_{s}", 1))
        ankle = _add(knee, shank, SHANK_CM * sc.get(f"shank_{s}", 1))
        pts[f"knee_{s}"], pts[f"ankle_{s}"] = knee, ankle
        pts[f"toe_{s}"] = _add(ankle, shank + sign * 60, 8 * sc.get(f"foot_{s}", 1))
        pts[f"heel_{s}"] = ankle
        arm = top + 180.0 + sign * getattr(p, f"shoulder_{s}")
        fore = arm - sign * getattr(p, f"elbow_{s}")
        elbow = _add(pts[f"shoulder_{s}"], arm, UPPER_ARM_CM * sc.get(f"arm_{s}", 1))
        pts[f"elbow_{s}"] = elbow
        pts[f"wrist_{s}"] = _add(elbow, fore, FOREARM_CM * sc.get(f"forearm_{s}", 1))
        pts[f"thigh_deg_{s}"], pts[f"shank_deg_{s}"] = thigh, shank
    pts["angles"] = {}
    return pts


_POINT_KEYS_SKIP = {"lumbar", "thoracic", "lumbar_tangents", "thoracic_tangents", "angles",
                    "thorax_deg", "neck_deg"}


def _placed(pose) -> dict:
    """Points of ``pose`` moved so that its lowest point rests on the floor (y = 0)."""
    raw = _side_points(pose) if pose.view == "side" else _front_points(pose)
    xy = [v for k, v in raw.items() if k not in _POINT_KEYS_SKIP and not k.startswith(("thigh_deg",
                                                                                      "shank_deg"))]
    xy += raw["lumbar"] + raw["thoracic"]
    head_low = raw["head"][1] - HEAD_RADIUS_CM
    if pose.y is None and pose.contacts:
        dy = -min(raw[n][1] - float(h or 0) for n, _, h in
                  (c.partition("@") for c in pose.contacts)) + 1.5
    elif pose.y is None:
        dy = -min([y for _, y in xy] + [head_low]) + 1.5
    else:
        trunk = raw["lumbar"] + raw["thoracic"] + [raw.get("it", raw["lumbar"][0])]
        dy = pose.y - min([y for _, y in trunk] + [head_low]) + 1.5
    dx = pose.x

    def mv(v):
        return (v[0] + dx, v[1] + dy)

    out = {}
    for k, v in raw.items():
        if k in ("lumbar", "thoracic"):
            out[k] = [mv(q) for q in v]
        elif isinstance(v, tuple) and len(v) == 2 and all(isinstance(c, float) for c in v):
            out[k] = mv(v)
        else:
            out[k] = v
    return out


def _lowest(pts) -> tuple[str, float]:
    """The lowest drawn part of a placed pose: (name, height [cm])."""
    best = ("head", pts["head"][1] - HEAD_RADIUS_CM)
    for k, v in pts.items():
        if k in ("lumbar", "thoracic"):
            for q in v:
                if q[1] < best[1]:
                    best = (k, q[1])
        elif k not in ("chest", "back") and isinstance(v, tuple) and len(v) == 2 \
                and all(isinstance(c, float) for c in v) and v[1] < best[1]:
            best = (k, v[1])
    return best


def pose_points(pose: SidePose | FrontPose) -> dict:
    """Named points [cm] of a pose placed on the floor (y = 0), for drawing and tests.

    Keys include ``hip``, ``knee_n``, ``ankle_n``, ``toe_n``, ``wrist_n``,
    ``shoulder``, ``head`` (side view; ``_a``/``_b`` limbs in the front view),
    ``lumbar`` and ``thoracic`` (lists of points along the spine).
    """
    return _placed(pose)


def _joint_angles(pose) -> dict[str, float]:
    if pose.view == "side":
        pts = _side_points(pose)
        out = {"lumbar_flex": pose.lumbar_flex, "thoracic_flex": pose.thoracic_flex,
               "neck_flex": pose.neck_flex}
        for s in ("n", "f"):
            out[f"hip_flex_{s}"] = getattr(pose, f"hip_{s}")
            out[f"knee_flex_{s}"] = getattr(pose, f"knee_{s}")
            out[f"ankle_pf_{s}"] = pts["angles"][f"ankle_pf_{s}"]
            out[f"shoulder_flex_{s}"] = getattr(pose, f"shoulder_{s}")
            out[f"elbow_flex_{s}"] = getattr(pose, f"elbow_{s}")
        return out
    out = {"side_bend": pose.side_bend + pose.thoracic_bend}
    for s in ("a", "b"):
        out[f"hip_abd_{s}"] = getattr(pose, f"abd_{s}")
        out[f"knee_flex_{s}"] = abs(getattr(pose, f"knee_{s}"))
        out[f"shoulder_abd_{s}"] = getattr(pose, f"shoulder_{s}")
        out[f"elbow_flex_{s}"] = abs(getattr(pose, f"elbow_{s}"))
    return out


def pose_problems(pose: SidePose | FrontPose) -> list[str]:
    """What is impossible about a pose: joints beyond :data:`JOINT_LIMITS_DEG`,
    contact points off the floor, body parts below it. Empty when the pose is fine.

    >>> pose_problems(SidePose())
    []
    >>> pose_problems(SidePose(knee_n=-40))
    ['knee_flex_n -40 outside -5..160 deg']
    """
    problems = []
    for name, value in _joint_angles(pose).items():
        key = re.sub(r"_[nfab]$", "", name)
        if pose.projected and key not in ("lumbar_flex", "thoracic_flex", "side_bend"):
            continue
        lo, hi = JOINT_LIMITS_DEG[key]
        if not lo <= value <= hi:
            problems.append(f"{name} {value:g} outside {lo:g}..{hi:g} deg")
    pts = _placed(pose)
    low = _lowest(pts)
    if low[1] < -CONTACT_TOLERANCE_CM:
        problems.append(f"{low[0]} goes {-low[1]:.1f} cm through the floor")
    for c in pose.contacts:
        name, _, height = c.partition("@")
        target = float(height or 0)
        y = pts[name][1]
        if abs(y - target) > CONTACT_TOLERANCE_CM:
            problems.append(f"{name} should rest at {target:g} cm but is at {y:.1f} cm")
    return problems


# ---------------------------------------------------------------------------
# what each picture shows

#: Anatomy colour and plain name of each exercise target (colours as in
#: lbp_workbook.views.diagrams and the muscle cards).
MUSCLES = {
    "deep_stabilisers": (C_DEEP, "deep trunk muscles"),
    "abdominals": (C_MOVER, "abdominals"),
    "lateral_trunk": (C_MOVER, "side trunk muscles"),
    "back_extensors": (C_EXT, "back extensors"),
    "gluteals": (C_GLUTE, "gluteals (buttock)"),
    "hamstrings": (C_HAM, "hamstrings"),
    "hip_flexors": (C_FLEXOR, "hip flexors"),
    "hip_lateral_rotators": (C_GLUTE, "deep hip rotators (back of the hip)"),
    "hip_medial_rotators": (C_HAM, "inner hip muscles"),
    "lumbar_mobility": (COLOURS["lumbar"], "low back"),
}

#: What the spine does, by the direction an exercise loads (``loads``).
SPINE_WORDS = {
    "": "kept neutral (its natural curves) throughout",
    "flexion": "low back rounds forward (flexion)",
    "extension": "low back arches backward (extension)",
    "rotation": "turns (rotation)",
    "side_bending": "spine bends to the side (side bending)",
}


@dataclass(frozen=True)
class FigureSpec:
    """How one exercise is drawn.

    ``move`` names the point(s) whose path the arrow shows (from start to
    end); ``arrow`` is ``"one-way"``, ``"both"`` (back and forth) or
    ``"hold"`` (the arrow shows the lift into a held position); ``rad`` bends
    the arrow. ``props`` are things in the picture (``("step", x0, x1, h)``
    ...). ``start_words``/``end_words`` describe the two positions for the alt
    text; ``note`` is a short line drawn under the panels (e.g. what the view
    is). ``muscle`` overrides the first target as the highlighted muscle;
    ``side`` says which side (``"a"``/``"b"``) it is on in a front view.
    """

    start: SidePose | FrontPose
    end: SidePose | FrontPose
    move: tuple[str, ...]
    start_words: str
    end_words: str
    arrow: str = "one-way"
    rad: float = 0.0
    props: tuple[tuple, ...] = ()
    note: str = ""
    muscle: str | None = None
    side: str = "n"
    spine_words: str | None = None
    floor: bool = True
    anchor: str | None = None


def _main_muscle(ex: reference.Exercise, spec: FigureSpec) -> str:
    if spec.muscle:
        return spec.muscle
    for t in ex.targets:
        if t in MUSCLES:
            return t
    return "deep_stabilisers"


def _role(ex: reference.Exercise, muscle: str) -> str:
    if muscle == "lumbar_mobility":
        return "moves"
    return "stretched" if ex.kind == "flexibility" else "worked"


# ---------------------------------------------------------------------------
# drawing

_NEAR = COLOURS["body"]
_FAR = "#B5B5B5"
_GHOST = "#C9C9C9"
_LIMB_LW = 6.0
_PANEL_GAP_CM = 30.0


def _offset(points, tangents, dist):
    """``points`` moved ``dist`` [cm] toward the body's front (side view) or right (front view)."""
    out = []
    for (x, y), t in zip(points, tangents):
        nx, ny = math.sin(math.radians(t)), -math.cos(math.radians(t))
        out.append((x + dist * nx, y + dist * ny))
    return out


def _lerp(a, b, t):
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _spine_path(pts):
    chain = pts["lumbar"] + pts["thoracic"][1:]
    tang = list(pts["lumbar_tangents"]) + list(pts["thoracic_tangents"][1:])
    return chain, tang


def _draw_vertebrae(ax, pts, dx, ghost=False):
    """The spine as a chain of vertebrae (5 lumbar, 6 standing for the thoracic)."""
    for key, n, width in (("lumbar", 5, 5.0), ("thoracic", 6, 4.2)):
        line = pts[key]
        tang = pts[f"{key}_tangents"]
        step_pts = len(line) - 1
        seg_len = math.dist(line[0], line[-1]) / n if step_pts else 0
        length = sum(math.dist(line[i], line[i + 1]) for i in range(step_pts))
        h = length / n * 0.78
        for i in range(n):
            t = (i + 0.5) / n * step_pts
            j = min(int(t), step_pts - 1)
            c = _lerp(line[j], line[j + 1], t - j)
            ang = tang[j] + (tang[j + 1] - tang[j]) * (t - j) - 90.0
            box = [(-width / 2, -h / 2), (width / 2, -h / 2), (width / 2, h / 2), (-width / 2, h / 2)]
            ca, sa = math.cos(math.radians(ang)), math.sin(math.radians(ang))
            poly = [(c[0] + dx + bx * ca - by * sa, c[1] + bx * sa + by * ca) for bx, by in box]
            if ghost:
                ax.add_patch(Polygon(poly, closed=True, fc="none", ec=_GHOST, lw=0.8, zorder=1))
            else:
                ax.add_patch(Polygon(poly, closed=True, fc=C_BONE, ec=C_BONE_EDGE, lw=1.0, zorder=4))
        del seg_len


def _seg(ax, a, b, dx, colour, lw, z, ls="-"):
    ax.plot([a[0] + dx, b[0] + dx], [a[1], b[1]], color=colour, lw=lw, solid_capstyle="round",
            zorder=z, linestyle=ls)


def _draw_body(ax, pose, pts, dx, ghost=False):
    if pose.view == "side":
        limbs = (("f", _FAR, 2), ("n", _NEAR, 5))
        joints = ("hip", "knee_{s}", "ankle_{s}", "elbow_{s}")
    else:
        limbs = (("a", _NEAR, 5), ("b", _NEAR, 5))
        joints = ("hip_{s}", "knee_{s}", "ankle_{s}", "elbow_{s}", "shoulder_{s}")
    for s, colour, z in limbs:
        c = _GHOST if ghost else colour
        lw = 2.0 if ghost else _LIMB_LW
        zz = 1 if ghost else z
        hip = pts["hip"] if pose.view == "side" else pts[f"hip_{s}"]
        sh = pts["shoulder"] if pose.view == "side" else pts[f"shoulder_{s}"]
        chain_leg = [hip, pts[f"knee_{s}"], pts[f"ankle_{s}"]]
        for a, b in zip(chain_leg, chain_leg[1:]):
            _seg(ax, a, b, dx, c, lw, zz)
        _seg(ax, pts[f"heel_{s}"], pts[f"toe_{s}"], dx, c, lw * 0.8, zz)
        for a, b in ((sh, pts[f"elbow_{s}"]), (pts[f"elbow_{s}"], pts[f"wrist_{s}"])):
            _seg(ax, a, b, dx, c, lw * 0.85, zz + 0.5 if not ghost else zz)
        if not ghost:
            jx = [pts[j.format(s=s)][0] + dx for j in joints]
            jy = [pts[j.format(s=s)][1] for j in joints]
            ax.plot(jx, jy, "o", color=COLOURS["text"] if z == 5 else "#888888", ms=3.5,
                    zorder=z + 1)
    if pose.view == "front":
        for a, b in ((pts["shoulder_a"], pts["shoulder_b"]),):
            _seg(ax, a, b, dx, _GHOST if ghost else _NEAR, 2.0 if ghost else 4.0, 3)
    # pelvis
    if pose.view == "side":
        outline = [pts["ls"], pts["asis"], pts["pubis"], pts["it"]]
    else:
        ax_deg = pose.trunk_deg
        outline = [_local(pts["pelvis"], ax_deg, o) for o in
                   ((-14, 11), (14, 11), (11, -1), (4, -7), (-4, -7), (-11, -1))]
    outline = [(x + dx, y) for x, y in outline]
    if ghost:
        ax.add_patch(Polygon(outline, closed=True, fc="none", ec=_GHOST, lw=1.0, zorder=1))
    else:
        ax.add_patch(Polygon(outline, closed=True, fc=C_BONE, ec=C_BONE_EDGE, lw=1.3, zorder=4))
    _draw_vertebrae(ax, pts, dx, ghost)
    hx, hy = pts["head"]
    ax.add_patch(Circle((hx + dx, hy), HEAD_RADIUS_CM, fc="white" if not ghost else "none",
                        ec=_GHOST if ghost else _NEAR, lw=1.2 if ghost else LINE_W, zorder=4))
    if not ghost and pose.view == "side":
        # the nose shows which way the face points
        nose = _add((hx, hy), pts["neck_deg"] - 90.0, HEAD_RADIUS_CM + 2.5)
        base1 = _add((hx, hy), pts["neck_deg"] - 75.0, HEAD_RADIUS_CM)
        base2 = _add((hx, hy), pts["neck_deg"] - 105.0, HEAD_RADIUS_CM)
        ax.add_patch(Polygon([(base1[0] + dx, base1[1]), (nose[0] + dx, nose[1]),
                              (base2[0] + dx, base2[1])], closed=True, fc="white", ec=_NEAR,
                             lw=1.2, zorder=4))


LINE_W = plotstyle.LINE_WIDTH


def _muscle_path(muscle: str, pose, pts, side: str):
    """Points along which a muscle is highlighted, and the stroke width [pt]."""
    spine, tang = _spine_path(pts)
    n_l = len(pts["lumbar"])
    if pose.view == "front":
        s = 1.0 if side == "b" else -1.0
        if muscle in ("hip_medial_rotators", "hip_lateral_rotators"):
            return [[_lerp(pts[f"hip_{k}"], pts[f"knee_{k}"], t) for t in (0.15, 0.85)]
                    for k in ("a", "b")], 9
        if muscle == "gluteals":
            return [[_lerp(pts[f"hip_{side}"], pts[f"knee_{side}"], t) for t in (-0.1, 0.3)]], 10
        if muscle in ("lumbar_mobility", "deep_stabilisers"):
            return [spine[: n_l + 2]], 16
        return [_offset(spine[: n_l + 5], tang[: n_l + 5], s * 11)], 9
    if muscle == "abdominals":
        return [[_local(pts["hip"], pose.trunk_deg, (7, -3))]
                + _offset(spine[2: n_l + 5], tang[2: n_l + 5], 8)], 8
    if muscle == "back_extensors":
        return [_offset(spine[1: n_l + 7], tang[1: n_l + 7], -5)], 8
    if muscle in ("deep_stabilisers", "lumbar_mobility"):
        return [spine[: n_l + 1]], 17
    if muscle == "lateral_trunk":
        return [spine[: n_l + 4]], 15
    if muscle == "gluteals":
        k = pts[f"knee_{side}"]
        return [[_local(pts["hip"], pose.trunk_deg, (-8, 6)), _local(pts["hip"], pose.trunk_deg, (-9, -2)),
                 _lerp(pts["hip"], k, 0.22)]], 11
    if muscle == "hamstrings":
        th = pts[f"thigh_deg_{side}"]
        back = th - 90.0 if pose.trunk_deg is not None else th
        a = pts["it"]
        b = _lerp(pts["hip"], pts[f"knee_{side}"], 1.05)
        off = _u(back + 180)
        return [[a, (b[0] - 3 * off[0], b[1] - 3 * off[1])]], 8
    if muscle == "hip_flexors":
        k = pts[f"knee_{side}"]
        lum_mid = _offset([pts["lumbar"][6]], [pts["lumbar_tangents"][6]], 3)[0]
        th = pts[f"thigh_deg_{side}"]
        front = _u(th + 90.0)
        a = _lerp(pts["hip"], k, 0.85)
        return [[lum_mid, pts["pubis"], (a[0] + 4 * front[0], a[1] + 4 * front[1])]], 7
    if muscle == "hip_lateral_rotators":
        return [[_local(pts["hip"], pose.trunk_deg, (-8, 3)), _local(pts["hip"], pose.trunk_deg, (-1, 0))]], 11
    if muscle == "hip_medial_rotators":
        return [[_lerp(pts["hip"], pts[f"knee_{side}"], t) for t in (0.1, 0.85)]], 8
    raise KeyError(muscle)


def _draw_muscle(ax, muscle, pose, pts, dx, side):
    colour = MUSCLES[muscle][0]
    paths, lw = _muscle_path(muscle, pose, pts, side)
    for path in paths:
        ax.plot([x + dx for x, _ in path], [y for _, y in path], color=colour, lw=lw, alpha=0.55,
                solid_capstyle="round", solid_joinstyle="round", zorder=6)


def _draw_prop(ax, prop, pts, dx, ghost=False):
    kind, *args = prop
    grey, edge = ("#F4F4F4", "#999999") if not ghost else ("none", _GHOST)
    if kind == "step":  # (x0, x1, height)
        x0, x1, h = args
        ax.add_patch(Rectangle((x0 + dx, 0), x1 - x0, h, fc=grey, ec=edge, lw=1.2, zorder=0.5))
    elif kind == "bench":  # (x0, x1, height)
        x0, x1, h = args
        ax.add_patch(Rectangle((x0 + dx, h - 8), x1 - x0, 8, fc=grey, ec=edge, lw=1.2, zorder=0.5))
        for x in (x0 + 5, x1 - 5):
            ax.plot([x + dx, x + dx], [0, h - 8], color=edge, lw=2, zorder=0.5)
    elif kind == "chair":  # (x centre, seat height)
        x, h = args
        ax.add_patch(Rectangle((x - 20 + dx, h - 4), 40, 4, fc=grey, ec=edge, lw=1.2, zorder=0.5))
        for xx in (x - 17, x + 17):
            ax.plot([xx + dx, xx + dx], [0, h - 4], color=edge, lw=2, zorder=0.5)
    elif kind == "wall":  # (x, height)
        x, h = args
        ax.add_patch(Rectangle((x + dx, 0), 6, h, fc=grey, ec=edge, lw=1.2, zorder=0.5))
    elif kind == "seat":  # (point,): a stool whose seat carries this point
        p, = args
        c = pts[p]
        h = c[1] - 1.5
        ax.add_patch(Rectangle((c[0] - 16 + dx, h - 4), 32, 4, fc=grey, ec=edge, lw=1.2, zorder=0.5))
        for xx in (c[0] - 13, c[0] + 13):
            ax.plot([xx + dx, xx + dx], [0, h - 4], color=edge, lw=2, zorder=0.5)
    elif kind == "twist":  # (point,): a ring arrow round the trunk for a turn
        p, = args
        c = pts[p]
        if not ghost:
            ax.add_patch(FancyArrowPatch((c[0] - 15 + dx, c[1] + 3), (c[0] + 15 + dx, c[1] + 3),
                                         connectionstyle="arc3,rad=0.45",
                                         arrowstyle="-|>,head_length=0.5,head_width=0.3",
                                         mutation_scale=12, color=C_TEXT, lw=2.0, zorder=9))
    elif kind == "ball_under":  # (point,): a stability ball under a point
        p, = args
        c = pts[p]
        r = (c[1] - 3) / 2
        ax.add_patch(Circle((c[0] + dx, r), r, fc="#EAF4FB" if not ghost else "none", ec=edge,
                            lw=1.2, zorder=0.5))
    elif kind == "held_ball":  # (point, radius)
        p, r = args
        c = pts[p]
        ax.add_patch(Circle((c[0] + dx, c[1]), r, fc="#EAF4FB" if not ghost else "none", ec=edge,
                            lw=1.2, zorder=7))
    elif kind == "weight":  # (point): a dumbbell or kettlebell hanging from the hand
        p, = args
        c = pts[p]
        ax.add_patch(FancyBboxPatch((c[0] - 5 + dx, c[1] - 14), 10, 12,
                                    boxstyle="round,pad=0.5,rounding_size=3",
                                    fc="#555555" if not ghost else "none", ec=edge if ghost else "#333333",
                                    lw=1.0, zorder=7))
    elif kind == "box":  # (point): a box held in the hands
        p, = args
        c = pts[p]
        ax.add_patch(Rectangle((c[0] - 12 + dx, c[1] - 16), 24, 18, fc="#E8D9C0" if not ghost else "none",
                               ec=edge if ghost else "#8C7A5B", lw=1.2, zorder=7))
    elif kind == "line":  # (point a, point b): a strap or a band
        a, b = args
        pa = pts[a] if isinstance(a, str) else a
        pb = pts[b] if isinstance(b, str) else b
        ax.plot([pa[0] + dx, pb[0] + dx], [pa[1], pb[1]], color="#8C7A5B" if not ghost else _GHOST,
                lw=2.0, zorder=7)
    elif kind == "anchor":  # (x, y, words)
        x, y, words = args
        ax.plot([x + dx], [y], "s", color="#8C7A5B" if not ghost else _GHOST, ms=7, zorder=7)
        if words and not ghost:
            ax.text(x + dx, y + 7, words, ha="center", va="bottom", fontsize=9, color=C_NOTE)
    elif kind == "dowel":  # a stick along the back: tailbone, upper back, back of head
        spine, tang = _spine_path(pts)
        a = _offset([spine[0]], [tang[0]], -9)[0]
        k = len(pts["lumbar"]) + 6
        b = _offset([spine[k]], [tang[k]], -5)[0]
        d = (b[0] - a[0], b[1] - a[1])
        L = math.hypot(*d)
        a2 = (a[0] - 10 * d[0] / L, a[1] - 10 * d[1] / L)
        b2 = (b[0] + 40 * d[0] / L, b[1] + 40 * d[1] / L)
        ax.plot([a2[0] + dx, b2[0] + dx], [a2[1], b2[1]], color="#8C7A5B" if not ghost else _GHOST,
                lw=3.0, zorder=7, solid_capstyle="round")
    else:  # pragma: no cover - a typo in a spec
        raise ValueError(f"unknown prop {kind!r}")


def _extent(points_list):
    xs, ys = [], []
    for pts in points_list:
        for k, v in pts.items():
            if k in ("lumbar", "thoracic"):
                xs += [q[0] for q in v]
                ys += [q[1] for q in v]
            elif isinstance(v, tuple) and len(v) == 2 and all(isinstance(c, float) for c in v):
                xs.append(v[0])
                ys.append(v[1])
        xs += [pts["head"][0] - HEAD_RADIUS_CM, pts["head"][0] + HEAD_RADIUS_CM]
        ys += [pts["head"][1] + HEAD_RADIUS_CM]
    return min(xs), max(xs), min(ys), max(ys)


def _prop_extent(props):
    xs, ys = [], []
    for kind, *args in props:
        if kind in ("step", "bench"):
            xs += [args[0], args[1]]
            ys += [args[2]]
        elif kind == "chair":
            xs += [args[0] - 20, args[0] + 20]
            ys += [args[1]]
        elif kind == "wall":
            xs += [args[0], args[0] + 6]
            ys += [args[1]]
        elif kind == "anchor":
            xs += [args[0] - 25, args[0] + 25]
            ys += [args[1] + 14]
    return xs, ys


def _arrow(ax, start, end, dx, style, rad):
    arrowstyle = {"both": "<|-|>", "one-way": "-|>", "hold": "-|>"}[style]
    ax.add_patch(FancyArrowPatch(
        (start[0] + dx, start[1]), (end[0] + dx, end[1]),
        arrowstyle=f"{arrowstyle},head_length=0.55,head_width=0.32", mutation_scale=14,
        connectionstyle=f"arc3,rad={rad}", color=C_TEXT, lw=2.2, zorder=9,
        shrinkA=4, shrinkB=4))


def _anchored(spec: FigureSpec) -> tuple[dict, dict]:
    """Both poses placed, shifted sideways so that ``spec.anchor`` stays put."""
    p0, p1 = _placed(spec.start), _placed(spec.end)
    if spec.anchor is None:
        return p0, p1
    out = []
    for pts in (p0, p1):
        dx = -pts[spec.anchor][0]
        moved = {}
        for k, v in pts.items():
            if k in ("lumbar", "thoracic"):
                moved[k] = [(x + dx, y) for x, y in v]
            elif isinstance(v, tuple) and len(v) == 2 and all(isinstance(c, float) for c in v):
                moved[k] = (v[0] + dx, v[1])
            else:
                moved[k] = v
        out.append(moved)
    return out[0], out[1]


def exercise_ids() -> tuple[str, ...]:
    """Every exercise id in ``data/exercises.json``, in file order."""
    return tuple(e.id for e in reference.exercises())


def _exercise(exercise_id: str) -> reference.Exercise:
    for e in reference.exercises():
        if e.id == exercise_id:
            return e
    raise KeyError(f"no exercise {exercise_id!r}; choose one of: {', '.join(exercise_ids())}")


def figure_spec(exercise_id: str) -> FigureSpec:
    """How one exercise is drawn (start and end poses, arrow, props).

    Raises
    ------
    KeyError
        If ``exercise_id`` is not in ``data/exercises.json`` or has no drawing.
    """
    _exercise(exercise_id)
    if exercise_id not in FIGURES:
        raise KeyError(f"exercise {exercise_id!r} has no drawing in FIGURES")
    return FIGURES[exercise_id]


def _spine_key(ex: reference.Exercise) -> str:
    return ex.loads[0] if ex.loads else ""


def exercise_figure(exercise_id: str) -> Figure:
    """Draw one exercise (start and end panels) and return the figure.

    Parameters
    ----------
    exercise_id : str
        An ``id`` from ``data/exercises.json``, e.g. ``"glute_bridge"``.

    Returns
    -------
    matplotlib.figure.Figure
        A new figure (never shown with pyplot).
    """
    ex = _exercise(exercise_id)
    spec = figure_spec(exercise_id)
    p0, p1 = _anchored(spec)
    x0, x1, y0, y1 = _extent([p0, p1])
    pxs, pys = _prop_extent(spec.props)
    x0, x1 = min([x0] + pxs) - 12, max([x1] + pxs) + 12
    y1 = max([y1] + pys) + 10
    y0 = min(y0, 0.0) - 4
    width = x1 - x0
    panel_dx = width + _PANEL_GAP_CM
    caption_cm = 0.36 * max(width, 60.0)
    head_cm = 0.16 * max(width, 60.0)
    xlim = (x0, x0 + 2 * width + _PANEL_GAP_CM)
    ylim = (y0 - caption_cm, y1 + head_cm)
    scale_in_per_cm = 7.6 / (xlim[1] - xlim[0])
    fig = plotstyle.new_figure(7.6, round((ylim[1] - ylim[0]) * scale_in_per_cm, 3))
    with matplotlib.rc_context(plotstyle.RC):
        ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    muscle = _main_muscle(ex, spec)
    fs = 11
    for i, (pose, pts, label) in enumerate(((spec.start, p0, "start"), (spec.end, p1, "end"))):
        dx = i * panel_dx
        if spec.floor:
            ax.plot([x0 + dx + 2, x1 + dx - 2], [0, 0], color="#999999", lw=1.5, zorder=0.6)
        for prop in spec.props:
            if prop[0] != "twist" or i == 1:
                _draw_prop(ax, prop, pts, dx)
        if i == 1:
            _draw_body(ax, spec.start, p0, dx, ghost=True)
        _draw_body(ax, pose, pts, dx)
        _draw_muscle(ax, muscle, pose, pts, dx, spec.side)
        ax.text(x0 + dx + 4, y1 + head_cm * 0.45, label, ha="left", va="center", fontsize=13,
                fontweight="bold", color=C_TEXT)
    for name in spec.move:
        _arrow(ax, p0[name], p1[name], panel_dx, spec.arrow, spec.rad)
    # the big arrow between the panels
    ax.add_patch(FancyArrowPatch((x1 + 4, (y0 + y1) / 2), (x1 + _PANEL_GAP_CM - 4, (y0 + y1) / 2),
                                 arrowstyle="-|>,head_length=0.5,head_width=0.3", mutation_scale=14,
                                 color=C_NOTE, lw=1.6))
    # captions: the muscle (colour and words), the spine, the view
    colour, words = MUSCLES[muscle]
    role = _role(ex, muscle)
    cy = y0 - caption_cm * 0.22
    ax.plot([xlim[0] + 4, xlim[0] + 14], [cy, cy], color=colour, lw=9, alpha=0.55,
            solid_capstyle="round")
    ax.text(xlim[0] + 19, cy, f"{words}: {role}", ha="left", va="center", fontsize=fs, color=C_TEXT)
    spine = spec.spine_words or SPINE_WORDS[_spine_key(ex)]
    ax.text(xlim[0] + 4, y0 - caption_cm * 0.5, f"Spine: {spine}", ha="left", va="center",
            fontsize=fs, color=C_TEXT)
    if spec.note:
        ax.text(xlim[0] + 4, y0 - caption_cm * 0.78, spec.note, ha="left", va="center",
                fontsize=fs - 1, color=C_NOTE, style="italic")
    return fig


def exercise_title(exercise_id: str) -> str:
    """The picture's title: the exercise's name."""
    return _exercise(exercise_id).name


def exercise_alt(exercise_id: str) -> str:
    """The alt text of one exercise picture: the movement in words.

    >>> exercise_alt("glute_bridge").startswith("Glute bridge")
    True
    """
    ex = _exercise(exercise_id)
    spec = figure_spec(exercise_id)
    muscle = _main_muscle(ex, spec)
    words = MUSCLES[muscle][1]
    role = _role(ex, muscle)
    view = "seen from the side" if spec.start.view == "side" else (
        "seen from above" if not spec.floor else "seen from the front")
    spine = spec.spine_words or SPINE_WORDS[_spine_key(ex)]
    arrow = {"both": "Arrows show the movement back and forth.",
             "one-way": "An arrow shows the movement.",
             "hold": "An arrow shows the movement into the held position."}[spec.arrow]
    return (f"{ex.name}, {view}, in two pictures. Start: {spec.start_words}. "
            f"End: {spec.end_words}. {arrow} Spine: {spine}. "
            f"Highlighted: the {words}, {role}.")


def _add_title_and_desc(svg: str, exercise_id: str) -> str:
    head = re.search(r"<svg\b[^>]*>", svg)
    if head is None:  # pragma: no cover - matplotlib always writes one
        raise ValueError("no <svg> element")
    tag = head.group(0)
    new_tag = tag[:-1] + ' role="img" aria-labelledby="exercise-title exercise-desc">'
    block = (f'\n <title id="exercise-title">{html.escape(exercise_title(exercise_id))}</title>'
             f'\n <desc id="exercise-desc">{html.escape(exercise_alt(exercise_id))}</desc>')
    return svg[: head.start()] + new_tag + block + svg[head.end():]


@lru_cache(maxsize=None)
def exercise_svg(exercise_id: str) -> str:
    """Draw one exercise and return its SVG text (deterministic), with title and alt text.

    >>> svg = exercise_svg("glute_bridge")
    >>> "<title id=\\"exercise-title\\">Glute bridge</title>" in svg
    True
    """
    with matplotlib.rc_context(plotstyle.RC):
        fig = exercise_figure(exercise_id)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return _add_title_and_desc(buf.getvalue(), exercise_id)


@lru_cache(maxsize=None)
def exercise_png(exercise_id: str, dpi: int = 110) -> bytes:
    """Draw one exercise and return PNG bytes.

    Parameters
    ----------
    exercise_id : str
        An ``id`` from ``data/exercises.json``.
    dpi : int
        Resolution [dots per inch] of the 7.6 inch wide picture.
    """
    with matplotlib.rc_context(plotstyle.RC):
        fig = exercise_figure(exercise_id)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def exercise_img_html(exercise_id: str, width_px: int = 260) -> str:
    """The picture as an ``<img>`` (SVG data URI) with its alt text, for HTML views."""
    data = base64.b64encode(exercise_svg(exercise_id).encode("utf-8")).decode("ascii")
    alt = html.escape(exercise_alt(exercise_id), quote=True)
    return (f'<img class="lbp-exercise-picture" src="data:image/svg+xml;base64,{data}" alt="{alt}" '
            f'style="max-width:100%;width:{int(width_px)}px;height:auto">')


def plan_row_html(exercise, width_px: int = 240) -> str:
    """One plan row as HTML: the picture beside the name, dose and cues.

    Parameters
    ----------
    exercise : object
        A planned exercise (``Result.exercises`` item) or a catalogue
        :class:`~lbp_workbook.engine.reference.Exercise`: anything with ``id``, ``name``
        and ``dosage``. The cues come from the catalogue.
    width_px : int
        Width of the picture on screen [px].
    """
    ex = _exercise(exercise.id)
    cues = "".join(f"<li>{html.escape(c)}</li>" for c in ex.cues)
    return (
        "<div class='lbp-exercise-card' style='display:flex;gap:12px;align-items:flex-start;"
        "border-top:1px solid #ccc;padding:6px 0'>"
        f"<div style='flex:0 0 {int(width_px)}px'>{exercise_img_html(ex.id, width_px)}</div>"
        f"<div><b>{html.escape(exercise.name)}</b><br>"
        f"<span>Dose: {html.escape(exercise.dosage)}</span>"
        f"<ul style='margin:4px 0 0 18px;padding:0'>{cues}</ul></div></div>"
    )


def plan_cards_html(exercises, width_px: int = 240) -> str:
    """Every planned exercise as a card (:func:`plan_row_html`), or "" for none."""
    return "".join(plan_row_html(e, width_px) for e in exercises)


def plan_pictures_html(result, width_px: int = 240, collapsed: bool = False) -> str:
    """A client's plan as picture cards under a heading, or "" while there is no plan.

    Parameters
    ----------
    result : Result
        An engine result. While a referral is needed (or the plan is empty)
        nothing is shown: no exercise is shown as if training could go ahead.
    width_px : int
        Width of each picture [px].
    collapsed : bool
        Put the cards in a closed ``<details>`` block (the printed one-page
        summary stays one page; on screen one click opens it).
    """
    if result.referral.needed or not result.exercises:
        return ""
    cards = plan_cards_html(result.exercises, width_px)
    if collapsed:
        return ("<details class='lbp-plan-pictures'><summary><b>How to do each exercise "
                "(pictures and cues)</b></summary>" + cards + "</details>")
    return ("<div class='lbp-plan-pictures'><b>How to do each exercise</b>" + cards + "</div>")


@dataclass(frozen=True)
class PlanCards:
    """A plan's exercise cards for a notebook cell (Jupyter shows ``html``)."""

    html: str

    def _repr_html_(self) -> str:
        return self.html


#: Shown instead of the cards while a referral is in force.
ON_HOLD_WORDS = "Training on hold: no exercise is shown while a referral is needed."


def plan_cards(result) -> PlanCards:
    """A client's plan as cards (picture beside name, dose and cues), for the lessons.

    While a referral is needed the cards say training is on hold and show no
    exercise.

    >>> from lbp_workbook.engine.assessment import assess
    >>> from lbp_workbook.engine.examples import load_example
    >>> "on hold" in plan_cards(assess(load_example("red_flag_pat"))).html
    True
    """
    if result.referral.needed:
        return PlanCards(f"<div><b>{html.escape(ON_HOLD_WORDS)}</b></div>")
    return PlanCards(plan_pictures_html(result))


def write_all(outdir: str | Path) -> list[Path]:
    """Write ``OUTDIR/<id>.svg`` for every exercise; return the paths written."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for exercise_id in exercise_ids():
        path = out / f"{exercise_id}.svg"
        path.write_bytes(exercise_svg(exercise_id).encode("utf-8"))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m lbp_workbook.views.exercise_figures OUTDIR``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] in ("-h", "--help"):
        print("usage: python -m lbp_workbook.views.exercise_figures OUTDIR")
        return 0 if args and args[0] in ("-h", "--help") else 2
    for path in write_all(args[0]):
        print(path)
    return 0


# ---------------------------------------------------------------------------
# the poses: drawing choices, one entry per exercise (checked by pose_problems
# and, for the spine, against the exercise's loads in tests/test_exercise_figures.py)

_STAND = SidePose(knee_n=5, knee_f=5, ankle_n=None, ankle_f=None, contacts=("heel_n", "heel_f"))
_HOOK = SidePose(trunk_deg=180, hip_n=40, knee_n=100, ankle_n=None, hip_f=40, knee_f=100,
                 ankle_f=None, shoulder_n=5, elbow_n=5, shoulder_f=5, elbow_f=5,
                 contacts=("heel_n", "heel_f"))
_QUAD = SidePose(trunk_deg=6, hip_n=76, knee_n=90, ankle_n=50, hip_f=76, knee_f=90, ankle_f=50,
                 shoulder_n=78, elbow_n=0, shoulder_f=78, elbow_f=0,
                 contacts=("knee_n", "knee_f", "wrist_n", "wrist_f"))
_PRONE = SidePose(trunk_deg=0, ankle_n=50, ankle_f=50, shoulder_n=160, elbow_n=150,
                  shoulder_f=160, elbow_f=150)
_SIT_FLOOR = SidePose(hip_n=88, hip_f=88, ankle_n=5, ankle_f=5, shoulder_n=40, elbow_n=20,
                      shoulder_f=40, elbow_f=20, contacts=("it", "heel_n"))
_SIT_CHAIR = SidePose(hip_n=90, knee_n=90, ankle_n=None, hip_f=90, knee_f=90, ankle_f=None,
                      shoulder_n=25, elbow_n=60, shoulder_f=25, elbow_f=60,
                      contacts=("heel_n", "heel_f"))
_FRONT_STAND = FrontPose(abd_a=6, abd_b=6, contacts=("ankle_a", "ankle_b"))
#: Lying on the back with knees bent, seen from above: the bent knees point
#: at the viewer, so thighs and shins are drawn short.
_TOP_HOOK = FrontPose(abd_a=14, abd_b=14, knee_a=-20, knee_b=-20, shoulder_a=12, shoulder_b=12,
                      scale=(("thigh_a", 0.4), ("thigh_b", 0.4), ("shank_a", 0.4),
                             ("shank_b", 0.4)), projected=True)

_BUTTERFLY = (("thigh_n", 0.7), ("shank_n", 0.7), ("thigh_f", 0.7), ("shank_f", 0.7),
              ("foot_n", 0.3), ("foot_f", 0.3))
_SB_FULL = (("forearm_b", 0.3), ("foot_a", 0.2), ("foot_b", 0.2))
_SB_KNEES = (("shank_a", 0.25), ("shank_b", 0.25)) + _SB_FULL

FIGURES: dict[str, FigureSpec] = {
    "neutral_pelvis_finding": FigureSpec(
        start=replace(_HOOK, trunk_deg=186, lumbar_flex=9),
        end=_HOOK,
        move=("asis",), arrow="both", rad=0.3, anchor="heel_n",
        start_words="lying on the back, knees bent, pelvis rocked back a little so the low back is flatter",
        end_words="pelvis settled halfway between rocking back and forward: neutral",
        spine_words="moves only a little either way, then rests in neutral",
    ),
    "abdominal_brace": FigureSpec(
        start=_HOOK, end=_HOOK, move=(), arrow="hold", anchor="heel_n",
        start_words="lying on the back, knees bent, pelvis in neutral, trunk relaxed",
        end_words="the same position with the whole trunk wall gently firmed, breathing on",
        note="Nothing moves: the trunk wall firms up all round while breathing carries on.",
    ),
    "supine_march": FigureSpec(
        start=_HOOK,
        end=replace(_HOOK, hip_n=90, knee_n=90, ankle_n=0, contacts=("heel_f",)),
        move=("knee_n",), rad=-0.3, anchor="heel_f",
        start_words="lying on the back, knees bent, feet flat, gentle brace",
        end_words="one bent leg lifted until the shin is level; pelvis level",
    ),
    "bird_dog_regression": FigureSpec(
        start=_QUAD,
        end=replace(_QUAD, hip_n=12, knee_n=5, ankle_n=40, contacts=("knee_f", "wrist_n", "wrist_f")),
        move=("ankle_n",), rad=-0.2, anchor="wrist_n",
        start_words="on hands and knees, back in neutral",
        end_words="one leg slid back and lifted a little, trunk still",
    ),
    "hip_hinge_dowel": FigureSpec(
        start=replace(_STAND, knee_n=10, knee_f=10, shoulder_n=-30, elbow_n=60, shoulder_f=160,
                      elbow_f=150),
        end=replace(_STAND, trunk_deg=40, hip_n=70, knee_n=20, hip_f=70, knee_f=20,
                    shoulder_n=-30, elbow_n=60, shoulder_f=160, elbow_f=150),
        move=("hip", "head"), rad=0.2, anchor="ankle_n", props=(("dowel",),),
        start_words="standing tall with a stick along the back touching head, upper back and tailbone",
        end_words="hips pushed back, knees soft, trunk tipped forward; the stick still touches all three points",
        muscle="gluteals",
    ),
    "body_mechanics_daily": FigureSpec(
        start=replace(_STAND, trunk_deg=45, hip_n=100, knee_n=85, hip_f=100, knee_f=85,
                      shoulder_n=60, elbow_n=5, shoulder_f=60, elbow_f=5),
        end=replace(_STAND, shoulder_n=10, elbow_n=80, shoulder_f=10, elbow_f=80),
        move=("hip",), rad=-0.2, anchor="ankle_n", props=(("box", "wrist_n"),),
        start_words="close to a box on the floor, hips and knees bent, back neutral, hands on the box",
        end_words="standing tall, the box held close to the body",
        muscle="gluteals",
        note="Picking something up: hinge at the hips and keep the load close.",
    ),
    "dead_bug": FigureSpec(
        start=replace(_HOOK, hip_n=90, knee_n=90, ankle_n=0, hip_f=90, knee_f=90, ankle_f=0,
                      shoulder_n=90, elbow_n=0, shoulder_f=90, elbow_f=0, contacts=()),
        end=replace(_HOOK, hip_n=90, knee_n=90, ankle_n=0, hip_f=25, knee_f=15, ankle_f=10,
                    shoulder_n=165, elbow_n=0, shoulder_f=90, elbow_f=0, contacts=()),
        move=("wrist_n", "ankle_f"), rad=0.25, anchor="hip",
        start_words="lying on the back, arms pointing to the ceiling, hips and knees bent to right angles",
        end_words="one arm reached overhead and the opposite leg reached away, low back unchanged",
    ),
    "stir_the_pot": FigureSpec(
        start=SidePose(trunk_deg=24, ankle_n=-25, ankle_f=-25, shoulder_n=70, elbow_n=100,
                       shoulder_f=70, elbow_f=100, contacts=("toe_n",)),
        end=SidePose(trunk_deg=24, ankle_n=-25, ankle_f=-25, shoulder_n=88, elbow_n=100,
                     shoulder_f=88, elbow_f=100, contacts=("toe_n",)),
        move=("elbow_n",), arrow="both", rad=0.9, anchor="toe_n", props=(("ball_under", "elbow_n"),),
        start_words="plank with the forearms on a stability ball, body in one straight line",
        end_words="the forearms draw small circles on the ball while trunk and hips stay still",
        muscle="abdominals",
    ),
    "curl_up": FigureSpec(
        start=replace(_HOOK, hip_n=0, knee_n=0, ankle_n=0, shoulder_n=15, elbow_n=60,
                      contacts=("heel_f",)),
        end=replace(_HOOK, hip_n=0, knee_n=0, ankle_n=0, shoulder_n=15, elbow_n=60,
                    thoracic_flex=16, contacts=("heel_f",)),
        move=("head",), rad=-0.3, anchor="hip",
        start_words="lying on the back, one knee bent, hands under the low back",
        end_words="head and shoulders raised just off the floor as one unit; low back keeps its curve",
    ),
    "side_bridge_knees": FigureSpec(
        start=FrontPose(trunk_deg=14, side_bend=21, thoracic_bend=10, abd_a=-7, abd_b=-10,
                        shoulder_a=12, shoulder_b=60, elbow_b=90, scale=_SB_KNEES,
                        contacts=("knee_b", "elbow_b")),
        end=FrontPose(trunk_deg=19, abd_a=3, abd_b=0, shoulder_a=12, shoulder_b=58, elbow_b=90,
                      scale=_SB_KNEES, contacts=("ankle_b", "elbow_b")),
        move=("pelvis",), anchor="knee_b", side="a",
        start_words="lying on one side, propped on the elbow, knees bent, hips down",
        end_words="hips lifted so knees, hips and shoulders form one straight line, held",
        note="Seen from the front; the bent knees point away, so the shins hardly show.",
        spine_words="kept neutral in the held position (hips lifted into one straight line)",
    ),
    "side_bridge_full": FigureSpec(
        start=FrontPose(trunk_deg=10, side_bend=21, thoracic_bend=10, abd_a=-2, abd_b=-5,
                        shoulder_a=12, shoulder_b=60, elbow_b=90, scale=_SB_FULL,
                        contacts=("ankle_b", "elbow_b")),
        end=FrontPose(trunk_deg=15, abd_a=3, abd_b=0, shoulder_a=12, shoulder_b=84, elbow_b=90,
                      scale=_SB_FULL, contacts=("ankle_b", "elbow_b")),
        move=("pelvis",), anchor="ankle_b", side="a",
        start_words="lying on one side, propped on the elbow, legs straight, hips down",
        end_words="hips lifted so the body is one straight line from feet to shoulders, held",
        note="Seen from the front.",
        spine_words="kept neutral in the held position (hips lifted into one straight line)",
    ),
    "bird_dog_hold": FigureSpec(
        start=_QUAD,
        end=replace(_QUAD, hip_n=0, knee_n=0, ankle_n=30, shoulder_f=175,
                    contacts=("knee_f", "wrist_n")),
        move=("ankle_n", "wrist_f"), rad=-0.3, anchor="wrist_n",
        start_words="on hands and knees, back neutral",
        end_words="one arm forward and the opposite leg back, both level with the trunk, held",
    ),
    "glute_bridge": FigureSpec(
        start=_HOOK,
        end=replace(_HOOK, trunk_deg=197, hip_n=0, knee_n=120, hip_f=0, knee_f=120),
        move=("hip",), anchor="heel_n",
        start_words="lying on the back, knees bent, feet flat",
        end_words="hips lifted until knees, hips and shoulders are in one line, not higher",
    ),
    "pallof_press": FigureSpec(
        start=replace(_STAND, knee_n=12, knee_f=12, shoulder_n=25, elbow_n=125, shoulder_f=25,
                      elbow_f=125),
        end=replace(_STAND, knee_n=12, knee_f=12, shoulder_n=88, elbow_n=0, shoulder_f=88,
                    elbow_f=0),
        move=("wrist_n",), anchor="ankle_n", muscle="abdominals",
        start_words="standing side-on to a band fixed at chest height, handle held at the chest",
        end_words="handle pressed straight out in front; the trunk does not turn toward the band",
        note="The band pulls from the client's side (toward you), trying to twist the trunk.",
    ),
    "farmer_carry": FigureSpec(
        start=replace(_STAND, shoulder_n=0, elbow_n=0, shoulder_f=0, elbow_f=0),
        end=replace(_STAND, x=35, hip_n=16, knee_n=0, hip_f=-20, knee_f=10, ankle_f=-10,
                    shoulder_n=0, elbow_n=0, shoulder_f=0, elbow_f=0, contacts=("heel_n", "toe_f")),
        move=("hip",), props=(("weight", "wrist_n"),),
        start_words="standing tall with a weight in each hand at the sides",
        end_words="walking with even steps, trunk upright and still",
    ),
    "single_leg_rdl": FigureSpec(
        start=replace(_STAND, hip_f=20, knee_f=30, ankle_f=10, contacts=("heel_n",)),
        end=SidePose(trunk_deg=8, hip_n=84, knee_n=12, ankle_n=None, hip_f=0, knee_f=0, ankle_f=20,
                     shoulder_n=80, elbow_n=5, shoulder_f=80, elbow_f=5, contacts=("heel_n",)),
        move=("head", "ankle_f"), rad=-0.25, anchor="ankle_n",
        start_words="standing on one leg, the other foot just off the floor",
        end_words="hinged at the standing hip: trunk tipped forward and the free leg reaching back in one line",
    ),
    "suitcase_carry": FigureSpec(
        start=replace(_FRONT_STAND, shoulder_a=6),
        end=replace(_FRONT_STAND, shoulder_a=6, knee_b=4, scale=(("thigh_b", 0.9),),
                    contacts=("ankle_a",)),
        move=(), anchor="pelvis", props=(("weight", "wrist_a"),), side="b",
        start_words="standing tall with a weight in one hand only",
        end_words="walking forward with the trunk upright, not leaning toward the weight",
        note="Seen from the front, walking toward you: the trunk stays straight, not bent toward the weight.",
    ),
    "kettlebell_swing": FigureSpec(
        start=replace(_STAND, trunk_deg=35, hip_n=80, knee_n=25, hip_f=80, knee_f=25,
                      shoulder_n=30, elbow_n=0, shoulder_f=30, elbow_f=0),
        end=replace(_STAND, shoulder_n=85, elbow_n=0, shoulder_f=85, elbow_f=0),
        move=("wrist_n",), rad=0.35, anchor="ankle_n", props=(("weight", "wrist_n"),),
        start_words="hips hinged back, the kettlebell swung back between the legs, back neutral",
        end_words="hips snapped forward to stand tall, the kettlebell floating to chest height",
    ),
    "step_up": FigureSpec(
        start=replace(_STAND, hip_n=68, knee_n=88, contacts=("heel_f", "heel_n@30")),
        end=replace(_STAND, y=None, contacts=("heel_n@30", "heel_f@30")),
        move=("hip",), rad=-0.2, anchor="heel_n", props=(("step", -15, 45, 30),),
        start_words="one foot on a box or stair, the other on the floor, trunk upright",
        end_words="standing tall on the box after driving through the leading foot",
    ),
    "reverse_lunge": FigureSpec(
        start=_STAND,
        end=replace(_STAND, hip_n=85, knee_n=88, hip_f=-16, knee_f=86, ankle_f=-25,
                    contacts=("heel_n", "toe_f")),
        move=("knee_f",), rad=0.2, anchor="ankle_n",
        start_words="standing tall",
        end_words="one foot stepped back and the back knee lowered toward the floor, trunk tall",
    ),
    "lunge_with_rotation": FigureSpec(
        start=replace(_STAND, shoulder_n=30, elbow_n=100, shoulder_f=30, elbow_f=100),
        end=replace(_STAND, hip_n=-16, knee_n=86, ankle_n=-25, hip_f=85, knee_f=88,
                    shoulder_n=30, elbow_n=100, shoulder_f=30, elbow_f=100,
                    contacts=("heel_f", "toe_n")),
        move=("hip",), rad=0.2, anchor="ankle_n",
        props=(("held_ball", "wrist_n", 10), ("twist", "chest")),
        start_words="standing tall holding a light ball in front of the chest",
        end_words="stepped forward into a lunge, then the chest and ball turned toward the front leg",
        note="The ring arrow shows the turn of the chest toward the front leg.",
    ),
    "supine_strap_hamstring_stretch": FigureSpec(
        start=SidePose(trunk_deg=180, hip_n=30, ankle_n=0, ankle_f=10, shoulder_n=45, elbow_n=20,
                       shoulder_f=15),
        end=SidePose(trunk_deg=180, hip_n=72, ankle_n=0, ankle_f=10, shoulder_n=75, elbow_n=25,
                     shoulder_f=15),
        move=("ankle_n",), rad=-0.3, anchor="hip", props=(("line", "wrist_n", "toe_n"),),
        start_words="lying on the back, one leg flat, a strap round the other foot",
        end_words="that leg raised with the knee straight until the back of the thigh stretches; low back resting on the floor",
    ),
    "standing_hinge_hamstring_stretch": FigureSpec(
        start=SidePose(hip_n=36, knee_n=0, ankle_n=3, knee_f=3, ankle_f=None, shoulder_n=20,
                       shoulder_f=20, contacts=("heel_f", "heel_n@14")),
        end=SidePose(trunk_deg=55, hip_n=71, knee_n=0, ankle_n=3, hip_f=35, knee_f=3,
                     ankle_f=None, shoulder_n=55, elbow_n=5, shoulder_f=55, elbow_f=5,
                     contacts=("heel_f", "heel_n@14")),
        move=("head",), rad=-0.25, anchor="heel_f", props=(("step", 45, 95, 14),),
        start_words="standing with one heel on a low step, that knee straight",
        end_words="hinged forward from the hips with a long, neutral back until the back of the thigh stretches",
    ),
    "seated_toe_touch": FigureSpec(
        start=_SIT_FLOOR,
        end=replace(_SIT_FLOOR, trunk_deg=75, hip_n=104, hip_f=104, lumbar_flex=35, thoracic_flex=25,
                    neck_flex=10, shoulder_n=40, elbow_n=5, shoulder_f=40, elbow_f=5),
        move=("head",), rad=-0.3, anchor="it",
        start_words="sitting on the floor with the legs straight out in front",
        end_words="reaching toward the toes, the lower back rounding",
    ),
    "half_kneeling_hip_flexor_stretch": FigureSpec(
        start=SidePose(hip_n=0, knee_n=100, ankle_n=50, hip_f=88, knee_f=105, ankle_f=None,
                       shoulder_n=10, elbow_n=30, shoulder_f=10, elbow_f=30,
                       contacts=("knee_n", "toe_n", "heel_f")),
        end=SidePose(lumbar_flex=5, trunk_deg=96, hip_n=-18, knee_n=96, ankle_n=0, hip_f=78,
                     knee_f=110, ankle_f=None, shoulder_n=10, elbow_n=30, shoulder_f=10, elbow_f=30,
                     contacts=("knee_n", "toe_n", "heel_f")),
        move=("hip",), anchor="knee_n",
        start_words="kneeling on one knee, the other foot flat in front, trunk upright",
        end_words="tailbone tucked a little and the body shifted slightly forward until the front of the kneeling hip stretches",
        spine_words="neutral, with a small backward tilt of the pelvis so the low back does not arch",
    ),
    "thomas_position_hip_flexor_stretch": FigureSpec(
        start=SidePose(trunk_deg=180, lumbar_flex=10, hip_n=95, knee_n=110, ankle_n=10, hip_f=115,
                       knee_f=120, ankle_f=10, shoulder_n=60, elbow_n=70, shoulder_f=60, elbow_f=70,
                       y=62),
        end=SidePose(trunk_deg=180, lumbar_flex=10, hip_n=-12, knee_n=85, ankle_n=10, hip_f=115,
                     knee_f=120, ankle_f=10, shoulder_n=60, elbow_n=70, shoulder_f=60, elbow_f=70,
                     y=62),
        move=("knee_n",), rad=-0.3, anchor="hip", props=(("bench", -95, 6, 62),),
        start_words="lying back at the end of a firm bench, both knees held to the chest",
        end_words="one knee still hugged to the chest, the other leg lowered to hang over the edge with the knee bent",
        spine_words="low back kept flat on the bench (the hugged knee stops it arching)",
    ),
    "couch_stretch": FigureSpec(
        start=SidePose(trunk_deg=62, hip_n=18, knee_n=150, ankle_n=30, hip_f=118, knee_f=85,
                       ankle_f=None, shoulder_n=55, elbow_n=10, shoulder_f=55, elbow_f=10,
                       contacts=("knee_n", "heel_f")),
        end=SidePose(trunk_deg=80, lumbar_flex=-20, hip_n=0, knee_n=150, ankle_n=30, hip_f=100,
                     knee_f=85, ankle_f=None, shoulder_n=10, elbow_n=20, shoulder_f=10, elbow_f=20,
                     contacts=("knee_n", "heel_f")),
        move=("head",), rad=0.25, anchor="knee_n", props=(("wall", -28, 70),),
        start_words="kneeling with the back shin up against a wall, the other foot flat in front, trunk leaning forward",
        end_words="trunk brought upright until the front of the thigh and hip stretch; the low back arches",
    ),
    "supine_figure_4_stretch": FigureSpec(
        start=replace(_HOOK, hip_n=70, knee_n=95, ankle_n=0, scale=(("shank_n", 0.35),),
                      contacts=("heel_f",)),
        end=replace(_HOOK, hip_n=112, knee_n=100, ankle_n=0, hip_f=95, knee_f=95, ankle_f=0,
                    shoulder_n=70, elbow_n=40, shoulder_f=70, elbow_f=40,
                    scale=(("shank_n", 0.35),), contacts=()),
        move=("knee_f",), rad=-0.3, anchor="hip",
        start_words="lying on the back, knees bent, one ankle crossed over the other knee",
        end_words="the lower thigh drawn toward the chest until the back of the crossed hip stretches; back on the floor",
        note="The crossed shin points across the body, toward you, so it looks short.",
    ),
    "supine_hip_internal_rotation_stretch": FigureSpec(
        start=replace(_TOP_HOOK, abd_a=26, abd_b=26, knee_a=0, knee_b=0),
        end=replace(_TOP_HOOK, abd_a=-6, abd_b=-6, knee_a=-58, knee_b=-58,
                    scale=(("thigh_a", 0.75), ("thigh_b", 0.75), ("shank_a", 0.55),
                           ("shank_b", 0.55))),
        move=("knee_a", "knee_b"), rad=0.0, anchor="pelvis", floor=False,
        start_words="lying on the back, seen from above, feet wider than the hips, knees bent and pointing up",
        end_words="both knees dropped in toward each other; the pelvis stays flat",
        note="Seen from above: the client lies on the back, head at the top.",
    ),
    "seated_figure_4_lean": FigureSpec(
        start=replace(_SIT_CHAIR, hip_n=100, knee_n=100, ankle_n=0, scale=(("shank_n", 0.35),),
                      shoulder_n=15, elbow_n=50, shoulder_f=15, elbow_f=50, contacts=("heel_f",)),
        end=replace(_SIT_CHAIR, trunk_deg=72, lumbar_flex=22, hip_n=118, knee_n=100, ankle_n=0,
                    hip_f=108, scale=(("shank_n", 0.35),), shoulder_n=35, elbow_n=60,
                    shoulder_f=35, elbow_f=60, contacts=("heel_f",)),
        move=("head",), rad=-0.25, anchor="it", props=(("seat", "it"),),
        start_words="sitting on a chair with one ankle across the other knee",
        end_words="trunk leaning forward until the back of the crossed hip stretches; the lower back rounds a little",
    ),
    "supine_butterfly_stretch": FigureSpec(
        start=replace(_TOP_HOOK, abd_a=12, abd_b=12, knee_a=40, knee_b=40),
        end=replace(_TOP_HOOK, abd_a=45, abd_b=45, knee_a=112, knee_b=112,
                    scale=(("thigh_a", 0.85), ("thigh_b", 0.85), ("shank_a", 0.7),
                           ("shank_b", 0.7))),
        move=("knee_a", "knee_b"), anchor="pelvis", floor=False,
        start_words="lying on the back, seen from above, soles of the feet together, knees up",
        end_words="knees fallen out to the sides, soles still together; the back rests on the floor",
        note="Seen from above: the client lies on the back, head at the top.",
    ),
    "seated_butterfly_lean": FigureSpec(
        start=replace(_SIT_FLOOR, trunk_deg=95, hip_n=105, knee_n=155, ankle_n=-20, hip_f=105,
                      knee_f=155, ankle_f=-20, shoulder_n=30, elbow_n=40, shoulder_f=30,
                      elbow_f=40, scale=_BUTTERFLY, contacts=("it", "heel_n")),
        end=replace(_SIT_FLOOR, trunk_deg=80, lumbar_flex=30, thoracic_flex=15, hip_n=130,
                    knee_n=155, ankle_n=-20, hip_f=130, knee_f=155, ankle_f=-20, shoulder_n=55,
                    elbow_n=30, shoulder_f=55, elbow_f=30, scale=_BUTTERFLY,
                    contacts=("it", "heel_n")),
        move=("head",), rad=-0.3, anchor="it",
        start_words="sitting on the floor, soles together and knees out to the sides",
        end_words="leaning forward until the inner hips stretch; the lower back rounds",
        note="The knees point out to the sides, so the thighs look short from here.",
    ),
    "cat_camel_mid_range": FigureSpec(
        start=replace(_QUAD, trunk_deg=6, lumbar_flex=10, thoracic_flex=10, shoulder_n=69,
                      shoulder_f=69, hip_n=75, hip_f=75),
        end=replace(_QUAD, trunk_deg=0, lumbar_flex=-10, thoracic_flex=-6, shoulder_n=69,
                    shoulder_f=69, hip_n=72, hip_f=72),
        move=("tl",), arrow="both", anchor="knee_n",
        start_words="on hands and knees, back rounded a little",
        end_words="back let sag a little; both well short of the end of the range",
        spine_words="rounds a little, then sags a little: mid-range only, never to the end",
    ),
    "seated_lumbar_flexion_stretch": FigureSpec(
        start=_SIT_CHAIR,
        end=replace(_SIT_CHAIR, trunk_deg=78, hip_n=102, hip_f=102, lumbar_flex=45,
                    thoracic_flex=35, neck_flex=20, shoulder_n=20, elbow_n=10, shoulder_f=20,
                    elbow_f=10),
        move=("head",), rad=-0.35, anchor="it", props=(("seat", "it"),),
        start_words="sitting upright on a chair, knees apart",
        end_words="trunk curled slowly down between the knees until the lower back stretches",
    ),
    "prone_lying_on_elbows": FigureSpec(
        start=replace(_PRONE, trunk_deg=4, hip_n=-6, hip_f=-6, ankle_n=55, ankle_f=55,
                      contacts=("pubis",)),
        end=replace(_PRONE, lumbar_flex=-24, thoracic_flex=-12, neck_flex=-10, shoulder_n=50,
                    elbow_n=92, shoulder_f=50, elbow_f=92, hip_n=-6, hip_f=-6, ankle_n=55,
                    ankle_f=55, contacts=("pubis", "elbow_n")),
        move=("shoulder",), rad=0.2, anchor="hip",
        start_words="lying face down, forehead on the hands",
        end_words="propped up on the forearms, hips and legs relaxed on the floor; the lower back arches gently",
    ),
    "prone_press_up": FigureSpec(
        start=replace(_PRONE, trunk_deg=4, shoulder_n=-30, elbow_n=120, shoulder_f=-30,
                      elbow_f=120, hip_n=-6, hip_f=-6, ankle_n=55, ankle_f=55,
                      contacts=("pubis", "wrist_n")),
        end=replace(_PRONE, lumbar_flex=-34, thoracic_flex=-24, neck_flex=-10, shoulder_n=65,
                    elbow_n=30, shoulder_f=65, elbow_f=30, hip_n=-12, hip_f=-12, ankle_n=40,
                    ankle_f=40, contacts=("pubis", "wrist_n")),
        move=("shoulder",), rad=0.25, anchor="hip",
        start_words="lying face down, hands under the shoulders",
        end_words="arms straightened to raise the chest while the hips stay on the floor",
    ),
    "standing_back_extension": FigureSpec(
        start=replace(_STAND, shoulder_n=-40, elbow_n=70, shoulder_f=-40, elbow_f=70),
        end=replace(_STAND, lumbar_flex=-25, thoracic_flex=-10, neck_flex=-5, shoulder_n=-40,
                    elbow_n=70, shoulder_f=-40, elbow_f=70),
        move=("head",), rad=0.25, anchor="ankle_n",
        start_words="standing with the hands on the back of the pelvis",
        end_words="leaning back gently, the lower back arching",
    ),
    "knees_to_chest": FigureSpec(
        start=replace(_HOOK, shoulder_n=45, elbow_n=0, shoulder_f=45, elbow_f=0),
        end=replace(_HOOK, trunk_deg=200, lumbar_flex=28, hip_n=100, knee_n=130, ankle_n=10,
                    hip_f=100, knee_f=130, ankle_f=10, shoulder_n=75, elbow_n=50, shoulder_f=75,
                    elbow_f=50, contacts=()),
        move=("knee_n",), rad=-0.3, anchor="shoulder",
        start_words="lying on the back, knees bent, hands toward the knees",
        end_words="both knees drawn to the chest with the hands; the lower back rounds",
    ),
    "childs_pose_rock_back": FigureSpec(
        start=_QUAD,
        end=SidePose(trunk_deg=20, lumbar_flex=25, thoracic_flex=15, neck_flex=10, hip_n=120,
                     knee_n=150, ankle_n=55, hip_f=120, knee_f=150, ankle_f=55, shoulder_n=164,
                     elbow_n=0, shoulder_f=164, elbow_f=0, contacts=("knee_n", "wrist_n")),
        move=("hip",), rad=0.3, anchor="knee_n",
        start_words="on hands and knees",
        end_words="hips sat back toward the heels, back rounded, arms stretched forward",
    ),
    "supine_lumbar_rotation": FigureSpec(
        start=replace(_TOP_HOOK, abd_a=4, abd_b=4, knee_a=0, knee_b=0),
        end=replace(_TOP_HOOK, abd_a=-40, abd_b=48, knee_a=-30, knee_b=30,
                    scale=(("thigh_a", 0.9), ("thigh_b", 0.9), ("shank_a", 0.8),
                           ("shank_b", 0.8))),
        move=("knee_a", "knee_b"), rad=0.3, anchor="pelvis", floor=False,
        start_words="lying on the back, seen from above, knees bent and together",
        end_words="both knees let fall slowly to one side while the shoulders stay on the floor",
        note="Seen from above: the client lies on the back, head at the top.",
    ),
    "side_lying_open_book": FigureSpec(
        start=SidePose(trunk_deg=180, hip_n=90, knee_n=90, ankle_n=0, hip_f=90, knee_f=90,
                       ankle_f=0, shoulder_n=90, elbow_n=0, shoulder_f=90, elbow_f=0,
                       projected=True),
        end=SidePose(trunk_deg=180, hip_n=90, knee_n=90, ankle_n=0, hip_f=90, knee_f=90,
                     ankle_f=0, shoulder_n=-90, elbow_n=0, shoulder_f=90, elbow_f=0,
                     projected=True),
        move=("wrist_n",), rad=-0.9, anchor="hip", floor=False, props=(("twist", "chest"),),
        start_words="lying on one side, seen from above, hips and knees bent, arms together in front",
        end_words="the top arm swept up and over to the other side, the chest turned to the ceiling, knees together",
        note="Seen from above: the client lies on the side, front of the body toward the top.",
    ),
    "standing_side_bend": FigureSpec(
        start=_FRONT_STAND,
        end=replace(_FRONT_STAND, side_bend=14, thoracic_bend=14, shoulder_a=4, elbow_a=0,
                    shoulder_b=150, elbow_b=20),
        move=("head",), rad=0.2, anchor="pelvis", side="b",
        start_words="standing tall, feet hip-width apart, seen from the front",
        end_words="one hand slid down the side of the thigh, the other arm overhead, trunk bent sideways",
    ),
    "seated_side_bend": FigureSpec(
        start=FrontPose(abd_a=8, abd_b=8, knee_a=-8, knee_b=8, shoulder_a=8, shoulder_b=8,
                        scale=(("thigh_a", 0.3), ("thigh_b", 0.3)),
                        contacts=("ankle_a", "ankle_b")),
        end=FrontPose(side_bend=18, thoracic_bend=12, abd_a=8, abd_b=8, knee_a=-8, knee_b=8,
                      shoulder_a=4, shoulder_b=22, elbow_b=30,
                      scale=(("thigh_a", 0.3), ("thigh_b", 0.3)),
                      contacts=("ankle_a", "ankle_b")),
        move=("wrist_a",), rad=0.2, anchor="pelvis", props=(("seat", "pelvis"),), side="b",
        start_words="sitting tall on a stool, both feet flat, seen from the front",
        end_words="one hand slid toward the floor beside the stool, the trunk bent sideways",
    ),
}


if __name__ == "__main__":
    raise SystemExit(main())
