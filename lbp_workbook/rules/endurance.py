"""Endurance: McGill's torso-endurance ratios, from the hold times present.

The ratio targets are *commonly taught* targets, not validated cut-offs; the
right-to-left tolerance of 0.95-1.05 is commonly quoted, unverified.

>>> ratio(120, 100)
1.2
>>> ratio(50, 0)
inf
>>> ratio(0, 0) is None
True
"""

from __future__ import annotations

import math

from lbp_workbook import reference
from lbp_workbook.record import Record
from lbp_workbook.reference import RatioRule
from lbp_workbook.result import Endurance, EnduranceRatio


def ratio(numerator_s: float, denominator_s: float) -> float | None:
    """``numerator_s / denominator_s``, guarded against a 0 s denominator.

    Parameters
    ----------
    numerator_s, denominator_s : float
        Hold times [s], each >= 0.

    Returns
    -------
    float or None
        The ratio (unrounded, so the cut-offs compare exactly); ``inf`` when only the denominator
        is 0 s (the numerator held, the denominator did not: an imbalance);
        None when both are 0 s (undefined: not computed).
    """
    if denominator_s == 0:
        return math.inf if numerator_s > 0 else None
    return numerator_s / denominator_s


def _flagged(rule: RatioRule, value: float) -> bool:
    if rule.flag_when == "at_or_above":
        return value >= rule.limit
    if rule.flag_when == "above":
        return value > rule.limit
    if rule.flag_when == "outside":
        return value < rule.lower or value > rule.upper
    raise ValueError(f"unknown flag_when {rule.flag_when!r} in rules.json")


def endurance_times(record: Record) -> dict[str, float]:
    """The hold times present, keyed ``flexor_s``, ``extensor_s``, ``side_bridge_s.left`` ...

    Returns
    -------
    dict of str to float
        Hold times [s]; missing tests are absent.
    """
    e = record.endurance
    times: dict[str, float] = {}
    if e.flexor_s is not None:
        times["flexor_s"] = float(e.flexor_s)
    if e.extensor_s is not None:
        times["extensor_s"] = float(e.extensor_s)
    if e.side_bridge_s is not None:
        for side in ("left", "right"):
            value = getattr(e.side_bridge_s, side)
            if value is not None:
                times[f"side_bridge_s.{side}"] = float(value)
    return times


def endurance_profile(record: Record) -> Endurance:
    """Compute McGill's three endurance ratios from the times present and flag imbalances.

    Parameters
    ----------
    record : Record
        A validated record (endurance times in [s]).

    Returns
    -------
    Endurance
        ``ratios``: every ratio that could be computed; ``imbalances``: the
        flagged ones:

        - ``flexor_extensor``: flexor_s / extensor_s >= 1.0;
        - ``side_extensor``: either side bridge / extensor_s > 0.75 (value is
          the larger of the two);
        - ``side_to_side``: right / left side bridge outside 0.95-1.05.

    Notes
    -----
    A ratio with a 0 s denominator is infinite (flagged) when the numerator
    is above 0 s, and not computed when both are 0 s. Ratios say nothing
    about absolute endurance; they compare muscle groups within one person.
    Side-bridge times have a typical error of about 11 s (Juan-Recio 2022),
    so small side-to-side differences may be noise.

    References
    ----------
    McGill SM, Childs A, Liebenson C 1999, Endurance times for low back
    stabilization exercises, Arch Phys Med Rehabil 80:941-944.
    Ratio targets as taught at https://www.matassessment.com/blog/mcgill-endurance-tests.
    """
    rules = reference.rules()
    times = endurance_times(record)
    ratios: list[EnduranceRatio] = []
    for rule in rules.ratios:
        computed = _compute(rule, times)
        if computed is None:
            continue
        value, inputs = computed
        ratios.append(
            EnduranceRatio(
                id=rule.id,
                label=rule.label,
                value=value,
                target=rule.target,
                flagged=_flagged(rule, value),
                rule=f"endurance.{rule.id}: target {rule.target}",
                inputs=inputs,
                source=rule.source,
                evidence=rule.evidence,
            )
        )
    return Endurance(
        times_s=times,
        ratios=tuple(ratios),
        imbalances=tuple(r for r in ratios if r.flagged),
        note=f"{rules.endurance_note} {rules.zero_denominator}",
    )


def _compute(rule: RatioRule, times: dict[str, float]) -> tuple[float, dict[str, float]] | None:
    if rule.id == "side_extensor":
        if "extensor_s" not in times:
            return None
        values, inputs = [], {"endurance.extensor_s": times["extensor_s"]}
        for side in ("left", "right"):
            key = f"side_bridge_s.{side}"
            if key in times:
                inputs[f"endurance.{key}"] = times[key]
                r = ratio(times[key], times["extensor_s"])
                if r is not None:
                    values.append(r)
        return (max(values), inputs) if values else None
    if rule.numerator not in times or rule.denominator not in times:
        return None
    value = ratio(times[rule.numerator], times[rule.denominator])
    if value is None:
        return None
    inputs = {
        f"endurance.{rule.numerator}": times[rule.numerator],
        f"endurance.{rule.denominator}": times[rule.denominator],
    }
    return value, inputs
