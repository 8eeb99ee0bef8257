"""Reference data: the package's JSON tables as small frozen dataclasses.

Four tables live in ``lbp_workbook/data``: ``assessment_tests.json`` (every
test of the record, its cut-off and measurement error), ``red_flags.json``
(the referral catalogue), ``rules.json`` (asymmetry, endurance-ratio and
phase-gate thresholds, referral actions) and ``exercises.json`` (the
exercise catalogue, maintained separately). Each loader reads its file once
with :mod:`importlib.resources` and caches the result.

Every row that carries a number or a claim has a ``source`` (full citation)
and an ``evidence`` tag (``V``, ``V2``, ``C``, ``R``, ``synthesis`` or
``teaching_choice``; see ``../shared/reference/domain.md``).

>>> tests = {t.id: t for t in assessment_tests()}
>>> tests["slr_deg"].cutoff, tests["slr_deg"].unit, tests["slr_deg"].deficient_when
(80.0, 'deg', 'below')
>>> red_flag("saddle_numbness").urgency, red_flag("saddle_numbness").kind
('emergency', 'sign')
>>> red_flag("cancer_history").kind
'risk_factor'
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

EVIDENCE_TAGS = ("V", "V2", "C", "R", "synthesis", "teaching_choice")
#: A red flag is a ``sign`` (present now) or a ``risk_factor`` (a history or
#: a condition); medical clearance releases only a risk factor.
RED_FLAG_KINDS = ("sign", "risk_factor")
RED_FLAG_URGENCIES = ("emergency", "urgent", "before_training", "routine")
UNVERIFIED_LABEL = "commonly quoted, unverified"


class ReferenceDataError(ValueError):
    """A package data file is missing, malformed or lacks a source."""


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class MeasurementError:
    """The measurement error of a test: what its paper reports, and what follows.

    ``value`` and ``kind`` are the statistic the paper reports, as the data
    row keeps it (``"SEM"``, or ``"MDC"`` for a minimal detectable change at
    95 % confidence), in the test's unit, with its ``source`` and
    ``evidence``. ``sem`` and ``mdc95`` are both statistics [test's unit]:
    the reported one as given, the other derived with
    ``MDC95 = 1.96 x sqrt(2) x SEM`` and tagged ``C`` (``sem_evidence``,
    ``mdc95_evidence``; ``derivation`` says which was derived, how, and from
    what source). Derived values are rounded to 0.1 of the unit.

    - A change between two readings (two visits, or two sides) is real only
      when it is larger than ``mdc95``.
    - A single reading's 95 % band is the reading +/- ``band95``
      (1.96 x SEM): a cut-off inside it is "within measurement error of the
      cut-off".

    ``paper_mdc95`` is an MDC the paper also reports beside its SEM (the
    SLR/AKE paper does), kept to check the derivation; None otherwise.

    References
    ----------
    Weir JP 2005, Quantifying test-retest reliability using the intraclass
    correlation coefficient and the SEM, J Strength Cond Res 19:231-240.

    >>> knee = assessment_test("thomas_knee_deg").measurement_error
    >>> knee.sem, knee.mdc95, knee.band95, knee.mdc95_evidence
    (7.0, 19.4, 13.7, 'C')
    """

    value: float
    kind: str
    label: str
    source: str
    evidence: str
    sem: float  #: [test's unit]
    mdc95: float  #: [test's unit]
    band95: float  #: 1.96 x SEM [test's unit]
    sem_evidence: str
    mdc95_evidence: str
    derivation: str
    paper_mdc95: float | None


@dataclass(frozen=True)
class ReferenceNorm:
    """A published average for one test in one group of people.

    ``sex`` is ``"female"``, ``"male"`` or None (women and men together);
    ``position`` is the measuring position (``"prone"``, ``"seated"``,
    ``"supine"``) or None; ``mean``/``sd`` are in the test's unit; ``cite``
    is the short citation a learner reads ("Gajdosik et al. 1993").
    """

    group: str
    sex: str | None
    position: str | None
    mean: float
    sd: float | None
    cite: str
    label: str
    source: str
    evidence: str


@dataclass(frozen=True)
class ReferenceNote:
    """A published fact about a test's reference values, in our own words."""

    text: str
    cite: str
    source: str
    evidence: str


@dataclass(frozen=True)
class SexReference:
    """A published cut-off for women or for men, with the group's mean and SD [test unit]."""

    sex: str  #: "female" or "male"
    cutoff: float
    mean: float | None
    sd: float | None


@dataclass(frozen=True)
class ScreeningReference:
    """What a test's cut-off is: a screening reference point and its population.

    ``kind`` and ``what`` say in plain words what the pooled cut-off is (an
    ideal, a textbook range, a clinical cut-off). ``by_sex`` holds the
    values for women and men where a source gives them (empty otherwise),
    from ``by_sex_group`` (``by_sex_cite``, ``by_sex_source``,
    ``by_sex_evidence``). ``norms`` are population averages and ``notes``
    further published facts (e.g. the sex difference in SLR).
    """

    kind: str
    what: str
    by_sex: tuple[SexReference, ...]
    by_sex_group: str
    by_sex_cite: str
    by_sex_label: str
    by_sex_source: str
    by_sex_evidence: str
    norms: tuple[ReferenceNorm, ...]
    notes: tuple[ReferenceNote, ...]

    def for_sex(self, sex: str | None) -> SexReference | None:
        """The values for ``sex`` ("female"/"male"), or None (no sex given, or none published)."""
        return next((r for r in self.by_sex if r.sex == sex), None) if sex else None


@dataclass(frozen=True)
class AssessmentTest:
    """One assessment test of the ``lbp-assessment/1`` record.

    ``id`` is the record field name (``slr_deg``) and ``section`` the record
    section (``flexibility`` or ``endurance``). ``cutoff`` is None for tests
    without a verified "deficient" cut-off (the endurance tests: they are
    read through ratios); where it is given it is the pooled screening
    reference point, and ``screening`` says what kind of value it is, its
    source population, and any values for women and men.
    ``minimum``/``maximum`` are input plausibility limits, not norms.
    """

    id: str
    section: str
    name: str
    measures: str
    muscle_group: str
    protocol: str
    unit: str
    side_specific: bool
    minimum: float
    maximum: float
    deficient_when: str | None  #: "below" or "above" the cut-off, or None
    cutoff: float | None
    focus_area: str | None
    screening: ScreeningReference | None  #: what the cut-off is, its population, women/men values
    source: str
    evidence: str
    measurement_error: MeasurementError | None

    @property
    def path(self) -> str:
        """Dotted record path without the side, e.g. ``flexibility.slr_deg``."""
        return f"{self.section}.{self.id}"


@dataclass(frozen=True)
class RedFlag:
    """One red flag: any flag present means stop and refer.

    ``kind`` is ``"sign"`` (present now: refers whatever clearance was
    given) or ``"risk_factor"`` (a history or a condition: written medical
    clearance releases it), after Finucane et al. 2020 (JOSPT 50:350).
    """

    id: str
    condition: str
    urgency: str  #: "emergency", "urgent", "before_training" or "routine"
    label: str
    description: str
    source: str
    evidence: str
    kind: str = "sign"  #: "sign" or "risk_factor"


@dataclass(frozen=True)
class Exercise:
    """One row of ``data/exercises.json`` (format in docs/architecture.md)."""

    id: str
    name: str
    kind: str
    phases: tuple[int, ...]
    targets: tuple[str, ...]
    loads: tuple[str, ...]
    direction: str | None
    dosage: str
    description: str
    cues: tuple[str, ...]
    regression: str
    progression: str
    source: str
    evidence: str


@dataclass(frozen=True)
class ReferralTrigger:
    """A screening answer (not a red flag) that calls for a referral.

    ``definition`` says in plain words when the trigger applies ("" when the
    label says it all).
    """

    id: str
    label: str
    urgency: str
    released_by_clearance: bool
    source: str
    evidence: str
    definition: str = ""


@dataclass(frozen=True)
class ReferralAction:
    """What to do, and whom to contact, at one urgency level."""

    urgency: str
    action: str
    contact: str
    source: str
    evidence: str


@dataclass(frozen=True)
class AsymmetryRule:
    """Side-to-side limit for one test; ``threshold_unit`` is ``%`` or the test's unit."""

    test: str
    threshold: float
    threshold_unit: str
    source: str
    evidence: str


@dataclass(frozen=True)
class RatioRule:
    """One of McGill's endurance ratio targets."""

    id: str
    label: str
    numerator: str
    denominator: str
    flag_when: str  #: "at_or_above", "above", "outside" or "sides_differ_beyond_mdc95"
    limit: float | None
    lower: float | None
    upper: float | None
    target: str
    source: str
    evidence: str
    #: For "sides_differ_beyond_mdc95": the test whose MDC95 the two sides are compared with.
    test: str | None = None
    #: An R-tagged tolerance kept as information only (never read by a rule): (lower, upper).
    unverified_tolerance: tuple[float, float] | None = None


@dataclass(frozen=True)
class GateRule:
    """One phase gate (a teaching synthesis)."""

    id: str
    phase: int
    field: str
    kind: str  #: "at_most", "true", "all_endurance" or "no_imbalance"
    limit: float | None
    unit: str
    label: str


@dataclass(frozen=True)
class Rules:
    """All rule thresholds and texts from ``data/rules.json``."""

    triggers: tuple[ReferralTrigger, ...]
    actions: tuple[ReferralAction, ...]
    asymmetry: tuple[AsymmetryRule, ...]
    ratios: tuple[RatioRule, ...]
    endurance_note: str
    zero_denominator: str
    gates: tuple[GateRule, ...]
    gates_note: str
    gates_source: str
    gates_evidence: str
    #: What a client released by medical clearance does (plain words), with its source.
    released_guidance: str = ""
    released_source: str = ""
    released_evidence: str = ""

    def action(self, urgency: str) -> ReferralAction:
        """The action row for ``urgency`` (``KeyError`` if there is none)."""
        for row in self.actions:
            if row.urgency == urgency:
                return row
        raise KeyError(urgency)

    def asymmetry_rule(self, test: str) -> AsymmetryRule | None:
        """The asymmetry limit for ``test``, or None if the test has none."""
        return next((r for r in self.asymmetry if r.test == test), None)


# --------------------------------------------------------------------------- loading


def read_data(name: str) -> Any:
    """Parse ``lbp_workbook/data/NAME`` as JSON.

    Raises
    ------
    ReferenceDataError
        If the file is missing or is not valid JSON.
    """
    path = resources.files("lbp_workbook") / "data" / name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ReferenceDataError(f"package data file data/{name} is missing") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReferenceDataError(f"data/{name} is not valid JSON: {exc}") from exc


def _need(row: Mapping[str, Any], key: str, where: str) -> Any:
    if not isinstance(row, Mapping) or key not in row:
        raise ReferenceDataError(f"{where}: missing field {key!r}")
    return row[key]


def _sourced(row: Mapping[str, Any], where: str) -> tuple[str, str]:
    source = _need(row, "source", where)
    evidence = _need(row, "evidence", where)
    if not isinstance(source, str) or not source.strip():
        raise ReferenceDataError(f"{where}: empty source")
    if evidence not in EVIDENCE_TAGS:
        raise ReferenceDataError(f"{where}: evidence {evidence!r} is not one of {EVIDENCE_TAGS}")
    return source, evidence


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _measurement_error(me: Mapping[str, Any], method: Mapping[str, Any], where: str) -> MeasurementError:
    """Read a reported SEM or MDC95 and derive the other (tagged ``C``; Weir 2005).

    ``method`` is the file's ``measurement_error_method`` block: ``z95`` and
    the formulas, with their source. Derived values are rounded to 0.1 unit.
    """
    source, evidence = _sourced(me, where)
    value, kind = float(_need(me, "value", where)), str(_need(me, "kind", where))
    z95 = float(_need(method, "z95", "assessment_tests.json measurement_error_method"))
    factor = z95 * math.sqrt(2.0)
    formula = str(method.get("mdc95_formula", "MDC95 = 1.96 x sqrt(2) x SEM"))
    if kind == "SEM":
        sem, mdc95 = value, round(factor * value, 1)
        sem_evidence, mdc95_evidence = evidence, "C"
        derivation = f"SEM as reported; MDC95 computed: {formula} ({method['source']})"
    elif kind == "MDC":
        sem, mdc95 = round(value / factor, 1), value
        sem_evidence, mdc95_evidence = "C", evidence
        derivation = f"MDC95 as reported; SEM computed from {formula} ({method['source']})"
    else:
        raise ReferenceDataError(f"{where}: kind {kind!r} is not 'SEM' or 'MDC'")
    paper = me.get("paper_mdc95")
    return MeasurementError(
        value=value, kind=kind, label=str(_need(me, "label", where)), source=source,
        evidence=evidence, sem=sem, mdc95=mdc95, band95=round(z95 * sem, 1),
        sem_evidence=sem_evidence, mdc95_evidence=mdc95_evidence, derivation=derivation,
        paper_mdc95=None if paper is None else float(paper),
    )


def _tolerance(row: Mapping[str, Any] | None, where: str) -> tuple[float, float] | None:
    """An R-tagged information-only tolerance: it must say it is unverified."""
    if row is None:
        return None
    _, evidence = _sourced(row, where + ".unverified_tolerance")
    if evidence == "R" and UNVERIFIED_LABEL not in str(row.get("label", "")):
        raise ReferenceDataError(f"{where}.unverified_tolerance: an R value needs the label "
                                 f"{UNVERIFIED_LABEL!r}")
    return float(_need(row, "lower", where)), float(_need(row, "upper", where))



def parse_screening_reference(row: Mapping[str, Any] | None, where: str) -> ScreeningReference | None:
    """Build a :class:`ScreeningReference` from a test row's ``screening_reference`` (or None)."""
    if row is None:
        return None
    by_sex_row = row.get("by_sex")
    by_sex: list[SexReference] = []
    group = cite = label = b_source = b_evidence = ""
    if by_sex_row is not None:
        b_source, b_evidence = _sourced(by_sex_row, where + ".by_sex")
        group = _need(by_sex_row, "group", where + ".by_sex")
        cite = _need(by_sex_row, "cite", where + ".by_sex")
        label = _need(by_sex_row, "label", where + ".by_sex")
        for sex in ("female", "male"):
            values = _need(by_sex_row, sex, where + ".by_sex")
            by_sex.append(SexReference(sex, float(_need(values, "cutoff", where + f".by_sex.{sex}")),
                                       _opt_float(values.get("mean")), _opt_float(values.get("sd"))))
    norms = []
    for i, n in enumerate(row.get("norms", ())):
        n_where = f"{where}.norms[{i}]"
        n_source, n_evidence = _sourced(n, n_where)
        norms.append(ReferenceNorm(
            group=_need(n, "group", n_where), sex=n.get("sex"), position=n.get("position"),
            mean=float(_need(n, "mean", n_where)), sd=_opt_float(n.get("sd")),
            cite=_need(n, "cite", n_where), label=_need(n, "label", n_where),
            source=n_source, evidence=n_evidence,
        ))
    notes = []
    for i, n in enumerate(row.get("notes", ())):
        n_source, n_evidence = _sourced(n, f"{where}.notes[{i}]")
        notes.append(ReferenceNote(_need(n, "text", where), _need(n, "cite", where), n_source, n_evidence))
    return ScreeningReference(
        kind=_need(row, "kind", where), what=_need(row, "what", where), by_sex=tuple(by_sex),
        by_sex_group=group, by_sex_cite=cite, by_sex_label=label, by_sex_source=b_source,
        by_sex_evidence=b_evidence, norms=tuple(norms), notes=tuple(notes),
    )


def parse_assessment_tests(data: Mapping[str, Any]) -> tuple[AssessmentTest, ...]:
    """Build :class:`AssessmentTest` rows from the parsed ``assessment_tests.json``."""
    out = []
    for i, row in enumerate(_need(data, "tests", "assessment_tests.json")):
        where = f"assessment_tests.json tests[{i}]"
        source, evidence = _sourced(row, where)
        me = row.get("measurement_error")
        error = None
        if me is not None:
            method = _need(data, "measurement_error_method", "assessment_tests.json")
            _sourced(method, "assessment_tests.json measurement_error_method")
            error = _measurement_error(me, method, where + ".measurement_error")
        out.append(
            AssessmentTest(
                id=_need(row, "id", where),
                section=_need(row, "section", where),
                name=_need(row, "name", where),
                measures=_need(row, "measures", where),
                muscle_group=_need(row, "muscle_group", where),
                protocol=_need(row, "protocol", where),
                unit=_need(row, "unit", where),
                side_specific=bool(_need(row, "side_specific", where)),
                minimum=float(_need(row, "minimum", where)),
                maximum=float(_need(row, "maximum", where)),
                deficient_when=row.get("deficient_when"),
                cutoff=_opt_float(row.get("cutoff")),
                focus_area=row.get("focus_area"),
                screening=parse_screening_reference(row.get("screening_reference"),
                                                    where + ".screening_reference"),
                source=source,
                evidence=evidence,
                measurement_error=error,
            )
        )
    return tuple(out)


def parse_red_flags(data: Mapping[str, Any]) -> tuple[RedFlag, ...]:
    """Build :class:`RedFlag` rows from the parsed ``red_flags.json``."""
    out = []
    for i, row in enumerate(_need(data, "red_flags", "red_flags.json")):
        where = f"red_flags.json red_flags[{i}]"
        source, evidence = _sourced(row, where)
        kind = _need(row, "kind", where)
        if kind not in RED_FLAG_KINDS:
            raise ReferenceDataError(f"{where}: kind {kind!r} is not one of {RED_FLAG_KINDS}")
        urgency = _need(row, "urgency", where)
        if urgency not in RED_FLAG_URGENCIES:
            raise ReferenceDataError(
                f"{where}: urgency {urgency!r} is not one of {RED_FLAG_URGENCIES}")
        out.append(
            RedFlag(
                id=_need(row, "id", where),
                condition=_need(row, "condition", where),
                urgency=urgency,
                label=_need(row, "label", where),
                description=_need(row, "description", where),
                source=source,
                evidence=evidence,
                kind=kind,
            )
        )
    return tuple(out)


def parse_exercises(data: Mapping[str, Any]) -> tuple[Exercise, ...]:
    """Build :class:`Exercise` rows from a parsed ``exercises.json`` mapping.

    >>> row = {"id": "dead_bug", "name": "Dead bug", "kind": "stability", "phases": [1, 2],
    ...        "targets": ["deep_stabilisers"], "loads": [], "direction": None,
    ...        "dosage": "5 slow reps each side", "source": "own", "evidence": "teaching_choice"}
    >>> parse_exercises({"exercises": [row]})[0].phases
    (1, 2)
    """
    out = []
    for i, row in enumerate(_need(data, "exercises", "exercises.json")):
        where = f"exercises.json exercises[{i}]"
        source, evidence = _sourced(row, where)
        out.append(
            Exercise(
                id=_need(row, "id", where),
                name=_need(row, "name", where),
                kind=_need(row, "kind", where),
                phases=tuple(int(p) for p in _need(row, "phases", where)),
                targets=tuple(_need(row, "targets", where)),
                loads=tuple(_need(row, "loads", where)),
                direction=row.get("direction"),
                dosage=_need(row, "dosage", where),
                description=row.get("description", ""),
                cues=tuple(row.get("cues", ())),
                regression=row.get("regression", ""),
                progression=row.get("progression", ""),
                source=source,
                evidence=evidence,
            )
        )
    return tuple(out)


def parse_rules(data: Mapping[str, Any]) -> Rules:
    """Build :class:`Rules` from the parsed ``rules.json``."""
    ref = _need(data, "referral", "rules.json")
    triggers = []
    for i, row in enumerate(_need(ref, "triggers", "rules.json referral")):
        source, evidence = _sourced(row, f"rules.json referral.triggers[{i}]")
        triggers.append(
            ReferralTrigger(
                row["id"], row["label"], row["urgency"], bool(row["released_by_clearance"]),
                source, evidence, row.get("definition", ""),
            )
        )
    actions = []
    for urgency, row in _need(ref, "actions", "rules.json referral").items():
        source, evidence = _sourced(row, f"rules.json referral.actions.{urgency}")
        actions.append(ReferralAction(urgency, row["action"], row["contact"], source, evidence))
    asym = []
    for i, row in enumerate(_need(data, "asymmetry", "rules.json")):
        source, evidence = _sourced(row, f"rules.json asymmetry[{i}]")
        asym.append(
            AsymmetryRule(row["test"], float(row["threshold"]), row["threshold_unit"], source, evidence)
        )
    end = _need(data, "endurance", "rules.json")
    ratios = []
    for i, row in enumerate(_need(end, "ratios", "rules.json endurance")):
        source, evidence = _sourced(row, f"rules.json endurance.ratios[{i}]")
        ratios.append(
            RatioRule(
                id=row["id"],
                label=row["label"],
                numerator=row["numerator"],
                denominator=row["denominator"],
                flag_when=row["flag_when"],
                limit=_opt_float(row.get("limit")),
                lower=_opt_float(row.get("lower")),
                upper=_opt_float(row.get("upper")),
                target=row["target"],
                source=source,
                evidence=evidence,
                test=row.get("test"),
                unverified_tolerance=_tolerance(row.get("unverified_tolerance"),
                                                f"rules.json endurance.ratios[{i}]"),
            )
        )
    released = _need(ref, "released", "rules.json referral")
    released_source, released_evidence = _sourced(released, "rules.json referral.released")
    gates_block = _need(data, "gates", "rules.json")
    gates_source, gates_evidence = _sourced(gates_block, "rules.json gates")
    gates = tuple(
        GateRule(
            id=row["id"],
            phase=int(row["phase"]),
            field=row["field"],
            kind=row["kind"],
            limit=_opt_float(row.get("limit")),
            unit=row.get("unit", ""),
            label=row["label"],
        )
        for row in gates_block["items"]
    )
    return Rules(
        triggers=tuple(triggers),
        actions=tuple(actions),
        asymmetry=tuple(asym),
        ratios=tuple(ratios),
        endurance_note=end["note"],
        zero_denominator=end["zero_denominator"],
        gates=gates,
        gates_note=gates_block["note"],
        gates_source=gates_source,
        gates_evidence=gates_evidence,
        released_guidance=_need(released, "guidance", "rules.json referral.released"),
        released_source=released_source,
        released_evidence=released_evidence,
    )


@lru_cache(maxsize=None)
def assessment_tests() -> tuple[AssessmentTest, ...]:
    """Every assessment test of the record, in file order (cached).

    Returns
    -------
    tuple of AssessmentTest
        Flexibility tests first, then the endurance tests.

    References
    ----------
    Sources per row in ``data/assessment_tests.json`` (e.g. Peeler & Anderson
    2008 for the Thomas knee SEM; Juan-Recio et al. 2022, Biology 11:1043, for
    the side-bridge typical error).
    """
    return parse_assessment_tests(read_data("assessment_tests.json"))


def assessment_test(test_id: str) -> AssessmentTest:
    """The assessment test with this id (``KeyError`` if unknown)."""
    for test in assessment_tests():
        if test.id == test_id:
            return test
    raise KeyError(test_id)


@lru_cache(maxsize=None)
def red_flags() -> tuple[RedFlag, ...]:
    """The red-flag catalogue, in file order (cached)."""
    return parse_red_flags(read_data("red_flags.json"))


def red_flag(flag_id: str) -> RedFlag:
    """The red flag with this id (``KeyError`` if unknown)."""
    for flag in red_flags():
        if flag.id == flag_id:
            return flag
    raise KeyError(flag_id)


@lru_cache(maxsize=None)
def exercises() -> tuple[Exercise, ...]:
    """The exercise catalogue from ``data/exercises.json``, in file order (cached).

    Raises
    ------
    ReferenceDataError
        If the file is missing or a row lacks a required field or source.
    """
    return parse_exercises(read_data("exercises.json"))


@lru_cache(maxsize=None)
def rules() -> Rules:
    """Rule thresholds and texts from ``data/rules.json`` (cached)."""
    return parse_rules(read_data("rules.json"))
