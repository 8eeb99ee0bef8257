"""Flexibility: deficits against each test's cut-off, focus areas, asymmetries.

Cut-offs are reference points for one protocol and population, not
diagnostic thresholds; a value exactly at the cut-off counts as normal.

>>> from lbp_workbook.reference import assessment_test
>>> classify(assessment_test("slr_deg"), 62)
('deficient', 18.0)
>>> classify(assessment_test("slr_deg"), 80)
('normal', 0.0)
>>> classify(assessment_test("thomas_hip_deg"), -10)
('normal', 0.0)
"""

from __future__ import annotations

from lbp_workbook import reference
from lbp_workbook.record import SIDES, Record
from lbp_workbook.reference import AssessmentTest
from lbp_workbook.result import Asymmetry, FlexibilityFinding

def classify(test: AssessmentTest, value: float) -> tuple[str, float]:
    """Status and deficit of one reading.

    Parameters
    ----------
    test : AssessmentTest
        A test with a cut-off (``deficient_when`` is ``"below"`` or ``"above"``).
    value : float
        The reading [test unit: deg or cm].

    Returns
    -------
    status : str
        ``"deficient"`` past the cut-off, else ``"normal"`` (at the cut-off: normal).
    deficit : float
        How far past the cut-off [test unit]; 0 when normal.
    """
    if test.cutoff is None or test.deficient_when not in ("below", "above"):
        raise ValueError(f"test {test.id} has no deficiency cut-off")
    past = test.cutoff - value if test.deficient_when == "below" else value - test.cutoff
    if past > 0:
        return "deficient", float(past)
    return "normal", 0.0


def _readings(record: Record, test: AssessmentTest) -> list[tuple[str | None, float]]:
    raw = getattr(getattr(record, test.section), test.id)
    if raw is None:
        return []
    if not test.side_specific:
        return [(None, float(raw))]
    return [(side, float(v)) for side in SIDES if (v := getattr(raw, side)) is not None]


def flexibility_findings(record: Record) -> tuple[FlexibilityFinding, ...]:
    """One finding per flexibility test and side present in the record.

    Parameters
    ----------
    record : Record
        A validated record.

    Returns
    -------
    tuple of FlexibilityFinding
        In test-file order, left before right.

    Notes
    -----
    Deficient when SLR < 80 deg, AKE deficit > 20 deg, Thomas hip > 0 deg,
    Thomas knee < 80 deg, hip IR < 30 deg, hip ER < 40 deg, Schober < 5 cm
    (each from ``data/assessment_tests.json``). One reading is never a
    diagnosis: measurement error is often several degrees. Where the test's
    error is known each finding carries ``sem`` and ``mdc95`` and says
    whether the cut-off lies within measurement error of the reading
    (:func:`reading_error`).

    References
    ----------
    Magee DJ, Orthopedic Physical Assessment (SLR); Lim 2023, J Korean Phys
    Ther Sci 30:31 (AKE); Kendall FP et al., Muscles: Testing and Function
    (Thomas test); FPnotebook hip range of motion (IR, ER); PhysioHub modified
    Schober test. Full citations per row in the data file.
    """
    out = []
    for test in reference.assessment_tests():
        if test.cutoff is None:
            continue
        for side, value in _readings(record, test):
            status, deficit = classify(test, value)
            path = test.path + (f".{side}" if side else "")
            word = "below" if test.deficient_when == "below" else "above"
            out.append(
                FlexibilityFinding(
                    test=test.id,
                    name=test.name,
                    side=side,
                    value=value,
                    unit=test.unit,
                    cutoff=test.cutoff,
                    deficient_when=test.deficient_when,
                    status=status,
                    deficit=deficit,
                    focus_area=test.focus_area or "",
                    **reading_error(test, value),
                    rule=f"flexibility.{test.id}: deficient when {word} {test.cutoff:g} {test.unit}",
                    inputs={path: value},
                    source=test.source,
                    evidence=test.evidence,
                )
            )
    return tuple(out)


def within_error_of_cutoff(test: AssessmentTest, value: float) -> bool | None:
    """Whether the cut-off lies inside one reading's 95 % band, reading +/- 1.96 x SEM.

    One reading near a cut-off is compared with 1.96 x SEM (its own 95 %
    band), not with the MDC95, which is for a change between two readings.
    Exactly at the band's edge counts as within.

    Parameters
    ----------
    test : AssessmentTest
        A test with a cut-off.
    value : float
        The reading [test unit].

    Returns
    -------
    bool or None
        True when ``|value - cutoff| <= 1.96 x SEM``; None when the test has
        no cut-off or no known measurement error.

    References
    ----------
    Weir JP 2005, J Strength Cond Res 19:231-240 (95 % band = +/- 1.96 x SEM).
    Peeler J, Anderson JE 2008, J Athl Train 43:470 (Thomas knee SEM 7 deg).

    >>> from lbp_workbook.reference import assessment_test
    >>> knee = assessment_test("thomas_knee_deg")   # SEM 7 deg: band +/- 13.7 deg
    >>> within_error_of_cutoff(knee, 67), within_error_of_cutoff(knee, 66)
    (True, False)
    """
    me = test.measurement_error
    if me is None or test.cutoff is None:
        return None
    return abs(float(value) - test.cutoff) <= me.band95 + 1e-9


def reading_error(test: AssessmentTest, value: float) -> dict[str, object]:
    """The measurement-error fields of one finding: ``sem``, ``mdc95`` and the cut-off check.

    Returns
    -------
    dict
        ``sem`` and ``mdc95`` [test unit] (None when the reference gives no
        error), ``within_error_of_cutoff`` (:func:`within_error_of_cutoff`)
        and ``measurement_error_source`` (which statistic the paper reports,
        which is computed, and both sources).

    References
    ----------
    Weir JP 2005, J Strength Cond Res 19:231-240 (MDC95 = 1.96 x sqrt(2) x SEM).
    """
    me = test.measurement_error
    if me is None:
        return {"sem": None, "mdc95": None, "within_error_of_cutoff": None,
                "measurement_error_source": None}
    return {
        "sem": me.sem,
        "mdc95": me.mdc95,
        "within_error_of_cutoff": within_error_of_cutoff(test, value),
        "measurement_error_source": f"{me.kind} reported: {me.source} ({me.evidence}); {me.derivation} (C)",
    }


def focus_areas(findings: tuple[FlexibilityFinding, ...]) -> tuple[str, ...]:
    """The focus areas of the deficient findings, sorted, without repeats."""
    return tuple(sorted({f.focus_area for f in findings if f.status == "deficient"}))


def side_difference(left: float, right: float) -> tuple[float, float]:
    """Absolute side-to-side difference and that difference as % of the larger side.

    Parameters
    ----------
    left, right : float
        The two readings [test unit].

    Returns
    -------
    difference : float
        ``|left - right|`` [test unit].
    percent_of_larger : float
        ``difference / max(|left|, |right|) * 100`` [%]; 0 when both are 0.

    >>> side_difference(90, 100)
    (10.0, 10.0)
    """
    difference = abs(float(left) - float(right))
    larger = max(abs(float(left)), abs(float(right)))
    percent = difference / larger * 100 if larger > 0 else 0.0
    return difference, percent


def asymmetries(record: Record) -> tuple[Asymmetry, ...]:
    """Side-to-side differences larger than each test's asymmetry limit.

    Parameters
    ----------
    record : Record
        A validated record; only tests with both sides given are compared.

    Returns
    -------
    tuple of Asymmetry
        One per test whose sides differ by more than its limit: 10 % of the
        larger side for SLR and Thomas knee; 10 deg for hip IR and ER; 10 deg
        for AKE and Thomas hip (a teaching choice). Exactly at the limit is
        not an asymmetry.

    Notes
    -----
    Where the reference gives a measurement error (the test's row in
    ``data/assessment_tests.json``: Thomas knee SEM 7 deg, SLR SEM 2.6 deg,
    AKE SEM 2.9 deg), ``exceeds_measurement_error`` says whether the
    difference is larger than the MDC95 = 1.96 x sqrt(2) x SEM (Thomas knee
    19.4 deg, SLR 7.2 deg, AKE 8.0 deg): a difference between two readings
    carries the error of both, so only one larger than the MDC95 can be told
    apart from measurement noise (Weir 2005).

    References
    ----------
    NSCA's Guide to Tests and Assessments, ch. 11 (Flanagan), citing
    Burkhart 2003 (10 % limb symmetry). Ellison JB, Rose SJ, Sahrmann SA
    1990, Phys Ther 70:537-541 (hip rotation within 10 deg).
    Peeler J, Anderson JE 2008 (Thomas test SEM). Reliability of the
    active-knee-extension and straight-leg-raise tests in subjects with
    flexibility deficits, J Sport Rehabil 2015, 24(4),
    doi:10.1123/jsr.2014-0220 (SLR and AKE SEM). Weir JP 2005, J Strength
    Cond Res 19:231-240 (MDC95).
    """
    rules = reference.rules()
    out = []
    for test in reference.assessment_tests():
        rule = rules.asymmetry_rule(test.id)
        if rule is None or not test.side_specific:
            continue
        sides = dict(_readings(record, test))
        if "left" not in sides or "right" not in sides:
            continue
        left, right = sides["left"], sides["right"]
        difference, percent = side_difference(left, right)
        larger = max(abs(left), abs(right))
        if rule.threshold_unit == "%":
            exceeds = abs(left - right) * 100 > rule.threshold * larger
        else:
            exceeds = abs(left - right) > rule.threshold
        if not exceeds:
            continue
        me = test.measurement_error
        unit = "%" if rule.threshold_unit == "%" else test.unit
        out.append(
            Asymmetry(
                test=test.id,
                name=test.name,
                left=left,
                right=right,
                difference=difference,
                percent_of_larger=percent,
                unit=test.unit,
                threshold=rule.threshold,
                threshold_unit=rule.threshold_unit,
                sem=me.sem if me else None,
                mdc95=me.mdc95 if me else None,
                exceeds_measurement_error=(difference > me.mdc95 + 1e-9) if me else None,
                rule=(
                    f"asymmetry.{test.id}: sides differ by more than {rule.threshold:g} {unit}"
                    + (" of the larger side" if unit == "%" else "")
                ),
                inputs={f"{test.path}.left": left, f"{test.path}.right": right},
                source=rule.source,
                evidence=rule.evidence,
            )
        )
    return tuple(out)
