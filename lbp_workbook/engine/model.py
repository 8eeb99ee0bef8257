"""The forward-bend teaching model: how hamstring length limits the hips.

A two-dimensional side view (sagittal plane) of the pelvis, lumbar spine,
thorax, thigh (femur) and shin (tibia). The hamstrings run from the **ischial
tuberosity** (the sitting bone) on the pelvis to just below the knee, so they
cross two joints. Their length is set from the client's straight-leg-raise
(SLR) angle. In a standing forward bend the pelvis rotates forward on the
thighs until the hamstrings are as long as they were at the end of the SLR;
whatever of the bend the hips cannot give has to come from the spine.

Pure Python: no matplotlib, no ipywidgets. Every constant is read from
``data/model_constants.json``, where each row carries its source and evidence
status (see ``../shared/reference/domain.md``, section 5).

How the model works, step by step (all angles in degrees):

1. **Hamstring length.** The change in hamstring length from upright standing
   is the integral of the hip-extension moment arm over hip flexion, minus the
   integral of the knee-flexion moment arm over knee flexion (mean of
   semimembranosus, semitendinosus and biceps femoris long head; OpenSim
   gait2392, computed, evidence C). The two are used independently of each
   other (a modelling choice supported by Visser et al. 1990).
2. **What the SLR says.** The clinical SLR angle is leg-against-table, which
   includes some backward rotation of the pelvis (Bohannon et al. 1985). The
   model removes a share of it (``slr_pelvic_rotation_share``, a modelling
   choice) to get the hip angle, and so the hamstring length, at the end of
   the test.
3. **The hip limit.** In the bend the hip may flex until the hamstrings reach
   that length. Bending the knees slackens them, so the limit rises.
4. **The preferred split.** Without a limit, the pelvis and the lumbar spine
   share the bend in the proportion Esola et al. (1996) measured at the end of
   a full bend in 41 adults (20 with a history of low back pain, not selected
   for hamstring length): 69.4 deg hip and 41.6 deg lumbar, 111 deg of lumbar
   plus hip flexion, so the hips give about 62 %. The split holds at every
   stage of the bend (a modelling choice: the published stage-by-stage ratios
   are unverified). The thoracic spine does not bend at all here (a modelling
   choice: Esola did not measure it), so the model's bend angle, the lean of
   the upper trunk (hip + lumbar + thoracic), equals Esola's lumbar-plus-hip
   total in a normal bend. Real people flex the thoracic spine a little in a
   normal bend too, so a real full bend leans further than 111 deg.
5. **The shortfall.** What the hips cannot give goes first to the upper
   (thoracic) spine and only then to the lumbar spine: in the studies in
   domain.md 5c, short hamstrings went with more thoracic flexion and no more
   lumbar flexion. If both regions reach their limits the model says the bend
   cannot be reached (``bend_reached`` is False).

Everyone starts from the same upright posture, whatever their SLR: three
studies found no difference in standing pelvic tilt between people with short
and normal hamstrings (domain.md 5c).

Educational only: the model shows a mechanism; it does not describe any one
person's back and must never be used to diagnose.

References
----------
Esola MA et al. Analysis of lumbar spine and hip motion during forward bending
in subjects with and without a history of low back pain. Spine 1996;21:71.

Bohannon RW et al. Phys Ther 1985;65:474 (pelvic rotation during passive SLR).

Gajdosik RL et al. JOSPT 1994;20:213; Muyor et al. 2011, J Hum Kinet 29:15-23
(short hamstrings: less pelvic rotation, more thoracic flexion in bending).

Delp SL et al. An interactive graphics-based model of the lower extremity to
study orthopaedic surgical procedures. IEEE Trans Biomed Eng 1990;37:757-767
(geometry of OpenSim gait2392, from which the moment arms were computed).

Visser JJ, Hoogkamer JE, Bobbert MF, Huijing PA. Eur J Appl Physiol
1990;61:453 (hamstring length and moment arms vs hip and knee angle).

Examples
--------
>>> pose = forward_bend(slr_deg=85, bend_deg=111)
>>> round(pose.hip_deg, 1), round(pose.lumbar_deg, 1), round(pose.thoracic_deg, 1)
(69.4, 41.6, 0.0)
>>> forward_bend(slr_deg=62, bend_deg=111).hamstrings_at_limit
True
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from numbers import Real
from typing import Any, Mapping

__all__ = [
    "ModelInputError",
    "Joints",
    "ForwardBend",
    "forward_bend",
    "slr_from_ake",
    "slr_from_record",
    "hamstring_length_change_cm",
    "hip_flexion_from_slr",
    "model_constants",
    "INPUT_RANGES",
]

Point = tuple[float, float]

_MUSCLES = ("semimembranosus", "semitendinosus", "biceps_femoris_long_head")


class ModelInputError(ValueError):
    """An input to the forward-bend model is missing, not a number, or out of range.

    The message names the parameter, the value given and the accepted range
    with its unit, e.g. ``slr_deg = 140 is outside the accepted range 0-130 deg``.
    """


@lru_cache(maxsize=1)
def _rows() -> dict[str, dict]:
    text = (resources.files("lbp_workbook") / "data" / "model_constants.json").read_text(
        encoding="utf-8"
    )
    return {row["id"]: row for row in json.loads(text)["constants"]}


def model_constants() -> dict[str, dict]:
    """Return every constant of the model, keyed by id, with source and evidence.

    Returns
    -------
    dict of str to dict
        A copy of the rows of ``data/model_constants.json``; each row has
        ``label``, ``source`` and ``evidence`` (``V``, ``C`` or
        ``teaching_choice``...), plus the value(s).

    Examples
    --------
    >>> model_constants()["esola_hip_deg"]["value"]
    69.4
    """
    return {key: dict(row) for key, row in _rows().items()}


def _value(key: str) -> Any:
    return _rows()[key]["value"]


def _mean_table(key: str) -> tuple[tuple[float, ...], tuple[float, ...]]:
    row = _rows()[key]
    angles = tuple(float(a) for a in row["angles_deg"])
    arms = tuple(
        sum(row[m][i] for m in _MUSCLES) / len(_MUSCLES) for i in range(len(angles))
    )
    return angles, arms


_RANGE_ROW = _rows()["input_ranges"]
#: Accepted range of every input [deg], as (low, high).
INPUT_RANGES: dict[str, tuple[float, float]] = {
    name: (float(_RANGE_ROW[name][0]), float(_RANGE_ROW[name][1]))
    for name in ("slr_deg", "ake_deficit_deg", "bend_deg", "knee_flexion_deg")
}


def _fmt(x: float) -> str:
    return f"{x:g}"


def _check(name: str, value: Any) -> float:
    """Return ``value`` as a float, or raise ModelInputError naming ``name``."""
    low, high = INPUT_RANGES[name]
    accepted = f"{_fmt(low)}–{_fmt(high)} deg"
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ModelInputError(
            f"{name} must be a number in the accepted range {accepted}; "
            f"got {value!r} ({type(value).__name__})"
        )
    number = float(value)
    if math.isnan(number):
        raise ModelInputError(f"{name} = nan is not a number; accepted range {accepted}")
    if not low <= number <= high:
        raise ModelInputError(f"{name} = {_fmt(number)} is outside the accepted range {accepted}")
    return number


# --------------------------------------------------------------------------
# hamstring length
# --------------------------------------------------------------------------


def _integral_cm(table: tuple[tuple[float, ...], tuple[float, ...]], angle_deg: float) -> float:
    """Integral of a piecewise-linear moment arm [cm] from 0 to ``angle_deg`` [deg] -> [cm].

    Beyond the last tabulated angle the last moment arm is held (modelling choice).
    """
    angles, arms = table
    total = 0.0
    for i in range(len(angles) - 1):
        a0, a1 = angles[i], angles[i + 1]
        if angle_deg <= a0:
            break
        top = min(angle_deg, a1)
        r0 = arms[i]
        r_top = arms[i] + (arms[i + 1] - arms[i]) * (top - a0) / (a1 - a0)
        total += 0.5 * (r0 + r_top) * math.radians(top - a0)
    if angle_deg > angles[-1]:
        total += arms[-1] * math.radians(angle_deg - angles[-1])
    return total


def hamstring_length_change_cm(hip_flexion_deg: float, knee_flexion_deg: float = 0.0) -> float:
    """Change in hamstring length from upright standing [cm].

    Parameters
    ----------
    hip_flexion_deg : float
        Hip flexion, thigh on pelvis [deg] (0 = standing).
    knee_flexion_deg : float
        Knee flexion [deg] (0 = straight).

    Returns
    -------
    float
        Lengthening [cm] (negative = shorter than in standing), the mean of
        semimembranosus, semitendinosus and biceps femoris long head.

    Notes
    -----
    The hip moment arms (knee straight) and knee moment arms (hip neutral) are
    integrated separately and added: a simplification. Computed values from
    OpenSim gait2392 (evidence C), not measurements on any client.

    References
    ----------
    OpenSim gait2392 (Delp et al. 1990 geometry), computed for domain.md 5a.

    Examples
    --------
    >>> round(hamstring_length_change_cm(90), 1)
    8.8
    """
    return _integral_cm(_mean_table("hamstring_hip_moment_arm_cm"), hip_flexion_deg) - _integral_cm(
        _mean_table("hamstring_knee_moment_arm_cm"), knee_flexion_deg
    )


def _hip_for_length(length_cm: float) -> float:
    """Hip flexion [deg] (knee straight) at which the hamstrings have ``length_cm``."""
    if length_cm <= 0.0:
        return 0.0
    low, high = 0.0, 180.0
    while hamstring_length_change_cm(high) < length_cm:  # pragma: no cover - not reached in range
        high *= 2.0
    for _ in range(60):
        mid = 0.5 * (low + high)
        if hamstring_length_change_cm(mid) < length_cm:
            low = mid
        else:
            high = mid
    return 0.5 * (low + high)


def hip_flexion_from_slr(slr_deg: float) -> float:
    """Hip flexion on the pelvis at the end of a straight-leg raise [deg].

    Parameters
    ----------
    slr_deg : float
        Clinical SLR angle, leg against the table [deg], 0-130.

    Returns
    -------
    float
        The SLR angle minus the share the model treats as backward pelvic
        rotation [deg].

    Raises
    ------
    ModelInputError
        If ``slr_deg`` is not a number in 0-130 deg.

    Notes
    -----
    The pelvis starts to rotate within the first 9 deg of a passive SLR
    (Bohannon et al. 1985, V). How much of the angle it takes is a modelling
    choice (``slr_pelvic_rotation_share``, 0.15 of the angle beyond 9 deg).

    References
    ----------
    Bohannon RW et al. Phys Ther 1985;65:474.

    Examples
    --------
    >>> round(hip_flexion_from_slr(80), 2)
    69.35
    """
    slr = _check("slr_deg", slr_deg)
    onset = float(_value("slr_pelvic_rotation_onset_deg"))
    share = float(_value("slr_pelvic_rotation_share"))
    return slr - share * max(0.0, slr - onset)


def slr_from_ake(ake_deficit_deg: float) -> float:
    """Straight-leg-raise angle with the same hamstring length as an AKE reading [deg].

    Parameters
    ----------
    ake_deficit_deg : float
        Active knee extension test: how far short of straight the knee stops
        with the hip held at 90 deg [deg], 0-90.

    Returns
    -------
    float
        The SLR angle [deg] at which the hamstrings (knee straight) are as
        long as at the end of the AKE test.

    Raises
    ------
    ModelInputError
        If ``ake_deficit_deg`` is not a number in 0-90 deg.

    Notes
    -----
    A geometric equivalence computed from the moment arms (evidence C): it
    reproduces the table in domain.md 5b (AKE 10/20/30/40/50 deg = SLR
    82/74/66/59/53 deg). Both tests let the pelvis move a little, and the model
    uses the result as an SLR reading. Check: the 30 men of Gajdosik et al.
    (1993) had SLR 61 deg with AKE 43 deg and PKE 31 deg; the conversion gives
    about 57 and 66 deg, either side of the measured 61 deg. The two tests
    agree only weakly in people (Hansberger et al. 2019, r = -0.28), so the
    conversion is a teaching device, not a substitute for measuring the SLR.

    References
    ----------
    OpenSim gait2392 (Delp et al. 1990 geometry), computed for domain.md 5b.
    Gajdosik RL, Rieck MA, Sullivan DK, Wightman SE. JOSPT 1993;18:614.

    Examples
    --------
    >>> round(slr_from_ake(20))
    74
    """
    ake = _check("ake_deficit_deg", ake_deficit_deg)
    return _hip_for_length(hamstring_length_change_cm(90.0, ake))


def _mean_slr(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        sides = [float(s) for s in (value.get("left"), value.get("right")) if s is not None]
        if not sides:
            return None
        return sum(sides) / len(sides)
    return value


def _as_mapping(record: Any) -> Mapping:
    if hasattr(record, "model_dump"):  # a validated pydantic Record
        return record.model_dump()
    if isinstance(record, Mapping):
        return record
    raise ModelInputError(
        f"record must be an lbp-assessment/1 record (a dict); got {type(record).__name__}"
    )


def slr_from_record(record: Any) -> float:
    """The SLR [deg] to use for a client record in the ``lbp-assessment/1`` format.

    Parameters
    ----------
    record : dict or Record
        A client record. Uses the mean of ``flexibility.slr_deg`` left and
        right (either side alone if only one was measured); if no SLR was
        measured, converts the mean ``flexibility.ake_deficit_deg`` with
        :func:`slr_from_ake`.

    Returns
    -------
    float
        SLR angle [deg].

    Raises
    ------
    ModelInputError
        If the record has neither measurement, or a value is out of range.

    Examples
    --------
    >>> slr_from_record({"flexibility": {"slr_deg": {"left": 62, "right": 66}}})
    64.0
    """
    flexibility = _as_mapping(record).get("flexibility") or {}
    slr = _mean_slr(flexibility.get("slr_deg"))
    if slr is not None:
        return _check("slr_deg", slr)
    ake = _mean_slr(flexibility.get("ake_deficit_deg"))
    if ake is not None:
        return slr_from_ake(ake)
    raise ModelInputError(
        "record has no flexibility.slr_deg (0–130 deg) and no flexibility.ake_deficit_deg "
        "(0–90 deg): measure one of them to use the model"
    )


# --------------------------------------------------------------------------
# the pose
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Joints:
    """Body landmarks for drawing, side view [cm]: x forward, y up, ankle at (0, 0)."""

    ankle: Point
    knee: Point
    hip: Point  #: hip joint centre
    ischial_tuberosity: Point  #: hamstring origin (sitting bone)
    hamstring_insertion: Point  #: just below the knee, at the back
    asis: Point  #: front of the pelvis (anterior superior iliac spine)
    pubis: Point
    lumbosacral: Point  #: L5/S1, bottom of the lumbar spine
    thoracolumbar: Point  #: T12/L1, top of the lumbar spine
    shoulder: Point  #: top of the thoracic spine (about C7/T1)
    head: Point  #: centre of the head


@dataclass(frozen=True)
class ForwardBend:
    """The result of :func:`forward_bend`: how a bend is shared out, and the pose.

    All angles [deg]; flexion positive.
    """

    slr_deg: float  #: input: clinical straight-leg-raise angle
    bend_deg: float  #: input: lean of the upper trunk asked for (hip + lumbar + thoracic)
    knee_flexion_deg: float  #: input: knee bend (0 = straight)
    hip_deg: float  #: pelvis on thigh (hip flexion)
    lumbar_deg: float  #: lumbar spine flexion
    thoracic_deg: float  #: thoracic spine flexion
    hip_limit_deg: float  #: most hip flexion the hamstrings allow at this knee bend
    hamstrings_at_limit: bool  #: the hamstrings stop the hips giving their usual share
    pelvis_tilt_deg: float  #: forward tilt of the pelvis in space, from upright
    femur_tilt_deg: float  #: backward tilt of the thighs from vertical (knees bent)
    reached_bend_deg: float  #: lean of the upper trunk the model reaches
    bend_reached: bool  #: False when hips and spine together cannot give the bend
    hamstring_stretch_cm: float  #: hamstring lengthening from standing
    hamstring_stretch_limit_cm: float  #: lengthening at the end of the client's SLR
    joints: Joints
    spine_path: tuple[Point, ...]  #: points along the spine, lumbosacral to shoulder
    pelvis_outline: tuple[Point, ...]  #: closed outline of the pelvis

    @property
    def spine_deg(self) -> float:
        """Lumbar plus thoracic flexion [deg]."""
        return self.lumbar_deg + self.thoracic_deg


def _rotate(point: tuple[float, float], angle_deg: float) -> Point:
    """Turn an upright-frame offset (forward, up) by ``angle_deg`` (forward positive)."""
    a, b = point
    t = math.radians(angle_deg)
    return (a * math.cos(t) + b * math.sin(t), -a * math.sin(t) + b * math.cos(t))


def _add(p: Point, q: Point) -> Point:
    return (p[0] + q[0], p[1] + q[1])


def _arc(start: Point, angle0_deg: float, bend_deg: float, length: float, n: int) -> list[Point]:
    """Points along a segment of ``length`` whose direction turns evenly by ``bend_deg``."""
    points = [start]
    step = length / n
    x, y = start
    for i in range(n):
        direction = math.radians(angle0_deg + bend_deg * (i + 0.5) / n)
        x += step * math.sin(direction)
        y += step * math.cos(direction)
        points.append((x, y))
    return points


def forward_bend(slr_deg: float, bend_deg: float, knee_flexion_deg: float = 0.0) -> ForwardBend:
    """Share a standing forward bend between the hips and the spine.

    Parameters
    ----------
    slr_deg : float
        The client's straight-leg-raise angle, leg against the table [deg],
        0-130 (use :func:`slr_from_ake` to convert an AKE reading).
    bend_deg : float
        How far the upper trunk leans forward from upright [deg], 0-130: hip
        plus lumbar plus thoracic flexion (with straight knees). Esola et al.
        measured 111 deg of lumbar plus hip flexion at the end of a full bend;
        the model uses that as its full bend, with no thoracic flexion while
        the hamstrings do not limit the hips.
    knee_flexion_deg : float
        Knee bend [deg], 0-90 (0 = straight knees).

    Returns
    -------
    ForwardBend
        Hip, lumbar and thoracic flexion [deg], whether the hamstrings are at
        their limit, and the joint positions [cm] for drawing.

    Raises
    ------
    ModelInputError
        If an input is not a number, is NaN, or is outside its range; the
        message names the parameter, the value and the accepted range.

    Notes
    -----
    Calibration: with SLR of 80 deg or more and straight knees, a 111 deg bend
    splits into 69.4 deg hip and 41.6 deg lumbar (Esola et al. 1996: lumbar
    plus hip flexion, about 62 % hip) and 0 deg thoracic (a modelling choice:
    Esola did not measure the thoracic spine). With SLR
    61 deg (Gajdosik et al. 1993 men) the hips give about 53 deg, close to the
    52 +/- 9 deg measured in a toe touch in men with short hamstrings (against
    72 +/- 4 deg with normal hamstrings). A lower SLR never gives more hip
    flexion, and more knee bend never gives less.

    What it cannot tell: the model is one generic adult. Real people differ in
    how they share a bend (less lumbar motion in people with back pain, older
    adults, women and fast bending; Vazirian et al. 2016), and the evidence
    about *where* in the spine the extra bend goes is mixed. It never says
    why a client has pain.

    References
    ----------
    Esola MA et al. Spine 1996;21:71. Gajdosik RL et al. JOSPT 1994;20:213.
    Bohannon RW et al. Phys Ther 1985;65:474. OpenSim gait2392 moment arms
    (Delp et al. 1990 geometry), computed for domain.md 5a.

    Examples
    --------
    >>> pose = forward_bend(62, 111)
    >>> round(pose.hip_deg), round(pose.lumbar_deg), round(pose.thoracic_deg)
    (54, 42, 15)
    """
    slr = _check("slr_deg", slr_deg)
    bend = _check("bend_deg", bend_deg)
    knee = _check("knee_flexion_deg", knee_flexion_deg)

    # 1-3: the hamstrings' length budget and the hip limit at this knee bend
    limit_cm = hamstring_length_change_cm(hip_flexion_from_slr(slr), 0.0)
    knee_slack_cm = -hamstring_length_change_cm(0.0, knee)  # bent knees shorten the path
    hip_limit = _hip_for_length(limit_cm + knee_slack_cm)
    femur_tilt = float(_value("femur_tilt_share_of_knee_flexion")) * knee

    # 4: the preferred split (pelvis in space : lumbar = Esola's end-of-range totals)
    pelvis_share = float(_value("esola_hip_deg")) / float(_value("esola_lumbar_plus_hip_deg"))
    pelvis_pref = pelvis_share * bend
    lumbar_pref = bend - pelvis_pref
    hip_pref = pelvis_pref + femur_tilt
    hip = min(hip_pref, hip_limit)
    at_limit = hip_pref >= hip_limit - 1e-9

    # 5: the shortfall goes to the thoracic spine first, then the lumbar spine
    lumbar_max = float(_value("lumbar_flexion_max_deg"))
    thoracic_max = float(_value("thoracic_flexion_max_deg"))
    pelvis_tilt = hip - femur_tilt
    lumbar = min(lumbar_pref, lumbar_max)
    extra = bend - pelvis_tilt - lumbar
    thoracic = min(max(extra, 0.0), thoracic_max)
    lumbar = min(lumbar + (extra - thoracic), lumbar_max)
    reached = pelvis_tilt + lumbar + thoracic
    bend_reached = reached >= bend - 1e-9

    joints, spine_path, outline = _pose(knee, femur_tilt, pelvis_tilt, lumbar, thoracic)
    return ForwardBend(
        slr_deg=slr,
        bend_deg=bend,
        knee_flexion_deg=knee,
        hip_deg=hip,
        lumbar_deg=lumbar,
        thoracic_deg=thoracic,
        hip_limit_deg=hip_limit,
        hamstrings_at_limit=at_limit,
        pelvis_tilt_deg=pelvis_tilt,
        femur_tilt_deg=femur_tilt,
        reached_bend_deg=reached,
        bend_reached=bend_reached,
        hamstring_stretch_cm=hamstring_length_change_cm(hip, knee),
        hamstring_stretch_limit_cm=limit_cm,
        joints=joints,
        spine_path=spine_path,
        pelvis_outline=outline,
    )


def _pose(knee: float, femur_tilt: float, pelvis_tilt: float, lumbar: float, thoracic: float):
    seg = _rows()["segment_lengths_cm"]
    shank_tilt = knee - femur_tilt  # shin leans forward, thigh back
    ankle = (0.0, 0.0)
    knee_pt = _add(ankle, _rotate((0.0, seg["shank"]), shank_tilt))
    hip = _add(knee_pt, _rotate((0.0, seg["thigh"]), -femur_tilt))

    def on_pelvis(key: str) -> Point:
        return _add(hip, _rotate(tuple(seg[key]), pelvis_tilt))

    lumbosacral = on_pelvis("lumbosacral_from_hip")
    lumbar_pts = _arc(lumbosacral, pelvis_tilt, lumbar, seg["lumbar"], 8)
    thoracic_pts = _arc(lumbar_pts[-1], pelvis_tilt + lumbar, thoracic, seg["thoracic"], 12)
    shoulder = thoracic_pts[-1]
    head = _add(shoulder, _rotate((0.0, seg["head_centre_from_shoulder"]), pelvis_tilt + lumbar + thoracic))
    joints = Joints(
        ankle=ankle,
        knee=knee_pt,
        hip=hip,
        ischial_tuberosity=on_pelvis("ischial_tuberosity_from_hip"),
        hamstring_insertion=_add(knee_pt, _rotate(tuple(seg["hamstring_insertion_from_knee"]), shank_tilt)),
        asis=on_pelvis("asis_from_hip"),
        pubis=on_pelvis("pubis_from_hip"),
        lumbosacral=lumbosacral,
        thoracolumbar=lumbar_pts[-1],
        shoulder=shoulder,
        head=head,
    )
    outline = (
        joints.lumbosacral,
        joints.asis,
        joints.pubis,
        joints.ischial_tuberosity,
        joints.lumbosacral,
    )
    return joints, tuple(lumbar_pts + thoracic_pts[1:]), outline
