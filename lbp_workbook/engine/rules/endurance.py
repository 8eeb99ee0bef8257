"""Endurance: McGill's torso-endurance ratios, from the hold times present.

The ratio targets are *commonly taught* targets, not validated cut-offs. The
two side-bridge times count as different only when they differ by more than
the test's MDC95 (1.96 x sqrt(2) x its 11 s typical error, about 30 s); the
right-to-left tolerance of 0.95-1.05 is commonly quoted, unverified, and
decides nothing.

>>> ratio(120, 100)
1.2
>>> ratio(50, 0)
inf
>>> ratio(0, 0) is None
True
"""

from __future__ import annotations

import math

from lbp_workbook.engine import reference
from lbp_workbook.engine.record import Record
from lbp_workbook.engine.reference import RatioRule
from lbp_workbook.engine.result import Endurance, EnduranceRatio, Limit


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


def side_mdc95_s(rule: RatioRule) -> float | None:
    """The MDC95 [s] a "sides_differ_beyond_mdc95" rule compares the two sides with.

    From the rule's test row in ``data/assessment_tests.json`` (side bridge:
    typical error 11 s, Juan-Recio et al. 2022; MDC95 = 1.96 x sqrt(2) x 11 s
    = 30.5 s, Weir 2005); None for other rules or an unknown error.

    >>> side_mdc95_s(next(r for r in reference.rules().ratios if r.id == "side_to_side"))
    30.5
    """
    if rule.flag_when != "sides_differ_beyond_mdc95" or rule.test is None:
        return None
    me = reference.assessment_test(rule.test).measurement_error
    return None if me is None else me.mdc95


def _flagged(rule: RatioRule, value: float, inputs: dict[str, float]) -> bool:
    if rule.flag_when == "at_or_above":
        return value >= rule.limit
    if rule.flag_when == "above":
        return value > rule.limit
    if rule.flag_when == "outside":
        return value < rule.lower or value > rule.upper
    if rule.flag_when == "sides_differ_beyond_mdc95":
        mdc = side_mdc95_s(rule)
        if mdc is None:
            raise ValueError(f"rules.json ratio {rule.id}: test {rule.test!r} has no measurement error")
        a, b = (inputs[f"endurance.{k}"] for k in (rule.numerator, rule.denominator))
        return abs(a - b) > mdc + 1e-9
    raise ValueError(f"unknown flag_when {rule.flag_when!r} in rules.json")


def _band(rule: RatioRule, inputs: dict[str, float]) -> tuple[float | None, float | None]:
    """The ratio values that meet the rule's target, (low, high)."""
    if rule.flag_when in ("at_or_above", "above"):
        return None, rule.limit
    if rule.flag_when == "outside":
        return rule.lower, rule.upper
    mdc, left = side_mdc95_s(rule), inputs[f"endurance.{rule.denominator}"]
    if mdc is None or left <= 0:
        return None, None
    return max(0.0, 1 - mdc / left), 1 + mdc / left


def _target_text(rule: RatioRule) -> str:
    mdc = side_mdc95_s(rule)
    if mdc is None:
        return rule.target
    return f"sides within {mdc:g} s"


def _target(rule: RatioRule) -> Limit:
    """The target as numbers: the ratio values (or, side to side, the time difference) that pass.

    >>> from lbp_workbook.engine import reference
    >>> [_target(r) for r in reference.rules().ratios][:2]
    [Limit(op='<', value=1.0, unit='', upper=None), Limit(op='<=', value=0.75, unit='', upper=None)]
    """
    if rule.flag_when == "at_or_above":
        return Limit("<", float(rule.limit))
    if rule.flag_when == "above":
        return Limit("<=", float(rule.limit))
    if rule.flag_when == "outside":
        return Limit("between", float(rule.lower), "", float(rule.upper))
    mdc = side_mdc95_s(rule)
    return Limit("within", None if mdc is None else float(mdc), "s")


def measurement_errors(times: dict[str, float]) -> dict[str, dict[str, float]]:
    """``{"sem": s, "mdc95": s}`` for each hold time whose test has a known error.

    Parameters
    ----------
    times : dict of str to float
        From :func:`endurance_times`, keyed ``flexor_s``, ``side_bridge_s.left`` ...

    Returns
    -------
    dict
        Same keys (only those with a known error), values in [s].

    References
    ----------
    Juan-Recio C et al. 2022, Biology 11:1043 (side bridge typical error 11 s);
    Weir JP 2005, J Strength Cond Res 19:231-240 (MDC95 = 1.96 x sqrt(2) x SEM).

    >>> measurement_errors({"side_bridge_s.left": 60.0, "flexor_s": 90.0})
    {'side_bridge_s.left': {'sem': 11.0, 'mdc95': 30.5}}
    """
    out = {}
    for key in times:
        me = reference.assessment_test(key.split(".")[0]).measurement_error
        if me is not None:
            out[key] = {"sem": me.sem, "mdc95": me.mdc95}
    return out


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
        - ``side_to_side``: right / left side bridge, flagged only when the
          two times differ by more than the side bridge's MDC95 (30.5 s).

    Notes
    -----
    A ratio with a 0 s denominator is infinite (flagged) when the numerator
    is above 0 s, and not computed when both are 0 s. Ratios say nothing
    about absolute endurance; they compare muscle groups within one person.
    Side-bridge times have a typical error of about 11 s (Juan-Recio 2022),
    so two sides count as different only beyond the MDC95 of 1.96 x sqrt(2)
    x 11 s = 30.5 s (Weir 2005): 60 s against 64 s is not an imbalance. The
    commonly quoted 0.95-1.05 right : left tolerance is unverified (R) and
    is never read here.

    References
    ----------
    McGill SM, Childs A, Liebenson C 1999, Endurance times for low back
    stabilization exercises, Arch Phys Med Rehabil 80:941-944.
    Ratio targets as taught at https://www.matassessment.com/blog/mcgill-endurance-tests.
    Juan-Recio C et al. 2022, Biology 11:1043 (side bridge typical error).
    Weir JP 2005, J Strength Cond Res 19:231-240 (MDC95).
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
                target=_target(rule),
                flagged=_flagged(rule, value, inputs),
                rule=f"endurance.{rule.id}: target {_target_text(rule)}",
                inputs=inputs,
                source=rule.source,
                evidence=rule.evidence,
                band=_band(rule, inputs),
            )
        )
    return Endurance(
        times_s=times,
        ratios=tuple(ratios),
        imbalances=tuple(r for r in ratios if r.flagged),
        note=f"{rules.endurance_note} {rules.zero_denominator}",
        measurement_errors=measurement_errors(times),
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
