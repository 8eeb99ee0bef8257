"""Flexibility: deficits against each test's cut-off, focus areas, asymmetries.

Cut-offs are screening reference points for one protocol and population,
not diagnostic thresholds; a value exactly at the cut-off counts as normal.
Where a source gives values for women and men (the active knee extension,
Yıldırım et al. 2018) the client's ``client.sex`` picks one; without it the
pooled value is used. Hip rotation readings are set beside healthy adults
measured in the same position (``flexibility.hip_rotation_position``).

>>> from lbp_workbook.engine.reference import assessment_test
>>> classify(assessment_test("slr_deg"), 62)
('deficient', 18.0)
>>> classify(assessment_test("slr_deg"), 80)
('normal', 0.0)
>>> classify(assessment_test("thomas_hip_deg"), -10)
('normal', 0.0)
>>> reference_point(assessment_test("ake_deficit_deg"), "male").cutoff
33.0
"""

from __future__ import annotations

from dataclasses import dataclass

from lbp_workbook.engine import reference
from lbp_workbook.engine.record import HIP_POSITION_PATH, HIP_POSITIONS, SIDES, Record
from lbp_workbook.engine.reference import AssessmentTest
from lbp_workbook.engine.result import Asymmetry, FlexibilityFinding

#: Whose values, in words.
SEX_WORDS = {"female": "women", "male": "men"}
#: Measuring positions in plain words (Kouyoumdjian et al. 2012 report all three).
POSITION_WORDS = {
    "prone": "lying face down (prone)",
    "seated": "sitting (seated)",
    "supine": "lying on the back (supine)",
}
#: Tests whose reference averages depend on the measuring position.
POSITION_TESTS = ("hip_ir_deg", "hip_er_deg")


@dataclass(frozen=True)
class ReferencePoint:
    """The screening reference point one reading is compared with, and whose it is.

    ``cutoff`` is in the test's unit; ``basis`` is ``"female"``, ``"male"``
    or ``"pooled"``; ``mean`` is the published mean of the matching group
    (None when none is published); ``position`` the hip-rotation position
    used (None for other tests or when not recorded); ``words`` says all of
    it in plain words with short citations; ``label`` is the short form a
    view shows beside one reading ("reference point for men (Yıldırım et
    al. 2018)"); ``source``/``evidence`` belong to the cut-off used.
    """

    cutoff: float
    basis: str
    mean: float | None
    position: str | None
    words: str
    label: str
    source: str
    evidence: str


def _deg(value: float, unit: str) -> str:
    return f"{value:g} {unit}"


def _mean_words(norm: reference.ReferenceNorm, unit: str) -> str:
    """A published mean in words; a computed one says so (evidence ``C``)."""
    if norm.evidence == "C":
        return f"about {_deg(norm.mean, unit)} (computed from the published figures)"
    return _deg(norm.mean, unit)


def reference_point(test: AssessmentTest, sex: str | None = None,
                    position: str | None = None) -> ReferencePoint:
    """The screening reference point for one client: by sex where published, else pooled.

    Parameters
    ----------
    test : AssessmentTest
        A test with a cut-off.
    sex : {"female", "male"} or None
        The record's ``client.sex``; None = not recorded (pooled value).
    position : {"prone", "seated"} or None
        The record's ``flexibility.hip_rotation_position`` (hip rotation
        only; ignored for other tests).

    Returns
    -------
    ReferencePoint

    Notes
    -----
    Only the active knee extension has published values by sex in the
    workbook's data: "short" above 33.0 deg for men and 23.4 deg for women
    (means 17.8 and 13.4 deg) in 123 university students aged 18-24
    (Yıldırım et al. 2018); with sex not recorded the pooled 20 deg (Lim
    2023) is used. The straight-leg raise keeps one value (80 deg, Magee)
    for everyone: women average about 8 deg more than men (Youdas et al.
    2005), but no verified values by sex are in the data, and healthy young
    men averaged 61 deg (Gajdosik et al. 1993). Hip rotation means depend
    on position: internal 35.2 deg prone, 37.9 deg seated; external 41.8
    deg prone, about 40.6 deg seated (computed from the seated total;
    Kouyoumdjian et al. 2012). A reference point is a prompt to look
    closer, never a diagnosis.

    References
    ----------
    Yıldırım MS et al. 2018, Balkan Med J 35:388-393. Lim W 2023, J Korean
    Phys Ther Sci 30:31. Youdas JW et al. 2005, J Orthop Sports Phys Ther
    35:246-252. Gajdosik RL et al. 1993, J Orthop Sports Phys Ther
    18:614-618. Kouyoumdjian P et al. 2012, Orthop Traumatol Surg Res
    98:17-23.

    >>> rp = reference_point(reference.assessment_test("ake_deficit_deg"), "female")
    >>> rp.cutoff, rp.basis, rp.mean
    (23.4, 'female', 13.4)
    >>> reference_point(reference.assessment_test("ake_deficit_deg")).basis
    'pooled'
    >>> reference_point(reference.assessment_test("hip_ir_deg"), None, "seated").mean
    37.9
    """
    if test.cutoff is None or test.deficient_when not in ("below", "above"):
        raise ValueError(f"test {test.id} has no deficiency cut-off")
    word = test.deficient_when
    short = "reduced" if test.focus_area == "lumbar_mobility" else "short"
    ref = test.screening
    own = ref.for_sex(sex) if ref else None
    pos = position if test.id in POSITION_TESTS and position in HIP_POSITIONS else None
    if own is not None:
        who = SEX_WORDS[own.sex]
        mean_words = f"; {who} averaged {_deg(own.mean, test.unit)}" if own.mean is not None else ""
        words = (f"Screening reference point for {who}: {short} {word} {_deg(own.cutoff, test.unit)} "
                 f"({ref.by_sex_cite}: {ref.by_sex_group}{mean_words}).")
        label = f"reference point for {who} ({ref.by_sex_cite})" + _position_label(test, pos, None)
        return ReferencePoint(own.cutoff, own.sex, own.mean, pos, words, label,
                              ref.by_sex_source, ref.by_sex_evidence)
    kind = f" ({ref.kind})" if ref else ""
    if ref and ref.by_sex:
        values = " or ".join(f"{SEX_WORDS[r.sex]} ({word} {_deg(r.cutoff, test.unit)})" for r in ref.by_sex)
        words = (f"Screening reference point for women and men together, as the client's sex is not "
                 f"recorded: {short} {word} {_deg(test.cutoff, test.unit)}{kind}. With sex recorded the "
                 f"workbook uses the values for {values} ({ref.by_sex_cite}).")
    else:
        words = (f"One screening reference point for women and men: {short} {word} "
                 f"{_deg(test.cutoff, test.unit)}{kind}.")
    mean = None
    if ref:
        placed = [n for n in ref.norms if n.position is not None]
        if test.id in POSITION_TESTS and placed:
            if pos is not None:
                norm = next((n for n in placed if n.position == pos), None)
                if norm is not None:
                    mean = norm.mean
                    words += (f" Measured {POSITION_WORDS[pos]}: {norm.group} averaged "
                              f"{_mean_words(norm, test.unit)} ({norm.cite}).")
            else:
                shown = [n for n in placed if n.position in HIP_POSITIONS]
                if shown:
                    words += (" Position not recorded: " + shown[0].group + " averaged "
                              + " and ".join(f"{_mean_words(n, test.unit)} {POSITION_WORDS[n.position]}"
                                             for n in shown)
                              + f" ({shown[0].cite}).")
        for norm in ref.norms:
            if norm.position is not None:
                continue
            words += f" {norm.group[:1].upper()}{norm.group[1:]} averaged {_deg(norm.mean, test.unit)} ({norm.cite})."
            if mean is None and (sex is None or norm.sex in (None, sex)):
                mean = norm.mean
        for note in ref.notes:
            words += f" {note.text.rstrip('.')} ({note.cite})."
    label = ("reference point for women and men together (sex not recorded)" if ref and ref.by_sex
             else "one reference point for women and men") + _position_label(test, pos, mean)
    return ReferencePoint(float(test.cutoff), "pooled", mean, pos, words, label,
                          test.source, test.evidence)


def _position_label(test: AssessmentTest, position: str | None, mean: float | None) -> str:
    """``"; measured lying face down (prone): healthy adults average 35.2 deg"`` for hip rotation."""
    if test.id not in POSITION_TESTS:
        return ""
    if position is None:
        return "; position not recorded"
    average = f": healthy adults average about {mean:g} {test.unit}" if mean is not None else ""
    return f"; measured {POSITION_WORDS[position]}{average}"


def classify(test: AssessmentTest, value: float, cutoff: float | None = None) -> tuple[str, float]:
    """Status and deficit of one reading.

    Parameters
    ----------
    test : AssessmentTest
        A test with a cut-off (``deficient_when`` is ``"below"`` or ``"above"``).
    value : float
        The reading [test unit: deg or cm].
    cutoff : float, optional
        The screening reference point to use [test unit], e.g. the value for
        the client's sex from :func:`reference_point`; default the test's
        pooled ``cutoff``.

    Returns
    -------
    status : str
        ``"deficient"`` past the cut-off, else ``"normal"`` (at the cut-off: normal).
    deficit : float
        How far past the cut-off [test unit]; 0 when normal.
    """
    if test.cutoff is None or test.deficient_when not in ("below", "above"):
        raise ValueError(f"test {test.id} has no deficiency cut-off")
    limit = test.cutoff if cutoff is None else cutoff
    past = limit - value if test.deficient_when == "below" else value - limit
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
    Past the screening reference point (``data/assessment_tests.json``):
    SLR < 80 deg, AKE deficit > 20 deg (with ``client.sex``: > 33.0 deg for
    men, > 23.4 deg for women), Thomas hip > 0 deg, Thomas knee < 80 deg,
    hip IR < 30 deg, hip ER < 40 deg, Schober < 5 cm. Each finding says
    whose reference point was used (``reference_basis``, ``reference_words``)
    and, for hip rotation, the recorded position and the mean of healthy
    adults measured that way. Several of these points sit near or above the
    population average (Kendall's values are ideals), so ordinary adults can
    read "past" them: one reading is never a diagnosis, and measurement
    error is often several degrees.
    Where the test's error is known each finding carries ``sem`` and
    ``mdc95`` and says whether the reference point applied lies within
    measurement error of the reading (:func:`reading_error`).

    References
    ----------
    Magee DJ, Orthopedic Physical Assessment (SLR); Lim 2023, J Korean Phys
    Ther Sci 30:31 (AKE, pooled); Yıldırım MS et al. 2018, Balkan Med J
    35:388-393 (AKE by sex); Kendall FP et al., Muscles: Testing and
    Function (Thomas test); FPnotebook hip range of motion (IR, ER);
    Kouyoumdjian P et al. 2012, Orthop Traumatol Surg Res 98:17-23 (hip
    rotation means by position); PhysioHub modified Schober test. Full
    citations per row in the data file.
    """
    out = []
    sex = record.client.sex
    position = record.flexibility.hip_rotation_position
    for test in reference.assessment_tests():
        if test.cutoff is None:
            continue
        ref = reference_point(test, sex, position)
        for side, value in _readings(record, test):
            status, deficit = classify(test, value, ref.cutoff)
            path = test.path + (f".{side}" if side else "")
            word = "below" if test.deficient_when == "below" else "above"
            whose = f" (values for {SEX_WORDS[ref.basis]})" if ref.basis in SEX_WORDS else ""
            inputs = {path: value}
            if ref.basis in SEX_WORDS:
                inputs["client.sex"] = sex
            if test.id in POSITION_TESTS:
                inputs[HIP_POSITION_PATH] = position
            out.append(
                FlexibilityFinding(
                    test=test.id,
                    name=test.name,
                    side=side,
                    value=value,
                    unit=test.unit,
                    cutoff=ref.cutoff,
                    deficient_when=test.deficient_when,
                    status=status,
                    deficit=deficit,
                    reference_basis=ref.basis,
                    reference_words=ref.words,
                    reference_label=ref.label,
                    population_mean=ref.mean,
                    position=ref.position,
                    focus_area=test.focus_area or "",
                    **reading_error(test, value, ref.cutoff),
                    rule=f"flexibility.{test.id}: deficient when {word} {ref.cutoff:g} {test.unit}{whose}",
                    inputs=inputs,
                    source=ref.source,
                    evidence=ref.evidence,
                )
            )
    return tuple(out)


def within_error_of_cutoff(test: AssessmentTest, value: float,
                           cutoff: float | None = None) -> bool | None:
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
    cutoff : float, optional
        The reference point applied [test unit] (for example the value for
        men or women); default the test's pooled cut-off.

    Returns
    -------
    bool or None
        True when ``|value - cutoff| <= 1.96 x SEM``; None when the test has
        no cut-off or no known measurement error.

    References
    ----------
    Weir JP 2005, J Strength Cond Res 19:231-240 (95 % band = +/- 1.96 x SEM).
    Peeler J, Anderson JE 2008, J Athl Train 43:470 (Thomas knee SEM 7 deg).

    >>> from lbp_workbook.engine.reference import assessment_test
    >>> knee = assessment_test("thomas_knee_deg")   # SEM 7 deg: band +/- 13.7 deg
    >>> within_error_of_cutoff(knee, 67), within_error_of_cutoff(knee, 66)
    (True, False)
    """
    me = test.measurement_error
    point = test.cutoff if cutoff is None else cutoff
    if me is None or point is None:
        return None
    return abs(float(value) - point) <= me.band95 + 1e-9


def reading_error(test: AssessmentTest, value: float,
                  cutoff: float | None = None) -> dict[str, object]:
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
        "within_error_of_cutoff": within_error_of_cutoff(test, value, cutoff),
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
