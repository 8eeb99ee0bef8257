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
    diagnosis: measurement error is often several degrees.

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
            me = test.measurement_error
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
                    measurement_error=me.value if me else None,
                    measurement_error_kind=me.kind if me else None,
                    rule=f"flexibility.{test.id}: deficient when {word} {test.cutoff:g} {test.unit}",
                    inputs={path: value},
                    source=test.source,
                    evidence=test.evidence,
                )
            )
    return tuple(out)


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
    ``data/assessment_tests.json``: Thomas knee SEM about 7 deg, SLR MDC
    7 deg, AKE MDC 8 deg), ``exceeds_measurement_error`` says whether the
    difference is larger than that error. The error of a *difference*
    between two readings is larger than an SEM (about 1.4 times it), so a
    difference near an SEM may be noise.

    References
    ----------
    NSCA's Guide to Tests and Assessments, ch. 11 (Flanagan), citing
    Burkhart 2003 (10 % limb symmetry). Ellison JB, Rose SJ, Sahrmann SA
    1990, Phys Ther 70:537-541 (hip rotation within 10 deg).
    Peeler J, Anderson JE 2008 (Thomas test SEM). Reliability of the
    active-knee-extension and straight-leg-raise tests in subjects with
    flexibility deficits, J Sport Rehabil 2015, 24(4),
    doi:10.1123/jsr.2014-0220 (SLR and AKE MDC).
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
                measurement_error=me.value if me else None,
                exceeds_measurement_error=(difference > me.value) if me else None,
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
