"""The assessment result: what :func:`lbp_workbook.assess` returns.

Every notebook, widget, plot and report reads this one object (or its
``to_dict()`` form), so the field names here are the contract between the
engine and the views. Each finding and decision carries the rule that made
it (``rule``), the input values that fired it (``inputs``, keyed by record
field path such as ``"flexibility.slr_deg.left"``), its source (``source``,
a short citation) and the evidence status of that source (``evidence``:
``V``, ``V2``, ``C``, ``R``, ``synthesis`` or ``teaching_choice``; see
``../shared/reference/domain.md`` for the tags).

Pure Python: no matplotlib, no ipywidgets.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping

Side = Literal["left", "right"]
Urgency = Literal["none", "routine", "before_training", "urgent", "emergency"]

#: Urgency levels from least to most pressing; ``referral.urgency`` is the
#: highest present.
URGENCY_ORDER: tuple[str, ...] = ("none", "routine", "before_training", "urgent", "emergency")

#: Shown wherever the workbook recommends anything.
EDUCATIONAL_NOTICE = (
    "Educational use only: this workbook teaches trainers how to reason about clients "
    "with lower back pain. It does not diagnose or treat anyone. Stay inside your scope "
    "of practice and refer whenever the referral rules apply or you are unsure: emergency "
    "signs to an emergency department the same day, the rest to a medical provider."
)

#: Plain words for the two kinds of red flag (``data/red_flags.json`` ``kind``).
FLAG_KIND_WORDS: Mapping[str, str] = {
    "sign": "sign present now",
    "risk_factor": "risk factor: a history or condition",
}

#: The evidence tags of the data files (``evidence``), as a trainer reads them. The tags
#: stay in the data and the developer docs; a learner or a client reads only these words
#: (``lbp_workbook.views.wording.evidence_words``).
EVIDENCE_WORDS: Mapping[str, str] = {
    "V": "checked in the original paper",
    "V2": "from a textbook or a source that quotes the original",
    "C": "computed for the workbook from published numbers",
    "R": "commonly quoted, unverified (decides nothing)",
    "synthesis": "our teaching synthesis of several sources, not a validated rule",
    "teaching_choice": "our teaching choice",
}

RESULT_SCHEMA = "lbp-result/1"


def number(x: Any) -> str:
    """A number as a trainer reads it: no trailing ``.0``, no exponent for everyday sizes.

    The one number format of the workbook (``lbp_workbook.views.wording`` uses it
    for every view; the engine's own sentences use it too).

    >>> number(3.0), number(62.5), number(0.7512), number(None), number("x")
    ('3', '62.5', '0.7512', 'not measured', 'x')
    """
    if x is None:
        return "not measured"
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return str(x)
    if isinstance(x, float) and not math.isfinite(x):
        return "infinite" if x > 0 else "minus infinite"
    return f"{x:g}" if abs(x) < 1e6 else f"{x:.0f}"


def show(x: Any) -> str:
    """Any reading as a trainer reads it, without a unit.

    ``None`` is "not measured" (never "n/a"), a boolean "yes" / "no" (never
    "True"), a list its items in words, a number as :func:`number` writes it.
    ``lbp_workbook.views.wording.value`` adds the unit.

    >>> show(None), show(True), show(["flexion", "side_bend"]), show(()), show(62.0)
    ('not measured', 'yes', 'flexion, side bend', 'none', '62')
    """
    if x is None:
        return "not measured"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, (list, tuple)):
        return ", ".join(str(v).replace("_", " ") for v in x) or "none"
    if isinstance(x, (int, float)):
        return number(x)
    return str(x).replace("_", " ")


@dataclass(frozen=True)
class Limit:
    """A limit as numbers: an operator, a value and a unit.

    ``op`` is ``"<="``, ``"<"``, ``">="``, ``">"``, ``"=="`` (``value`` is then
    the value wanted, e.g. True), ``"between"`` (``value`` to ``upper``) or
    ``"within"`` (two readings at most ``value`` apart). ``unit`` is the
    record's unit (``"/10"``, ``"deg"``, ``"s"``, ``"%"``, or ``""`` for a ratio
    or a count).

    >>> Limit("<=", 3.0, "/10").holds(3), Limit("<", 1.0).holds(1.0)
    (True, False)
    """

    op: Literal["<=", "<", ">=", ">", "==", "between", "within"]
    value: Any
    unit: str = ""
    upper: float | None = None  #: the upper end for ``op == "between"``

    def holds(self, x: Any) -> bool:
        """True when ``x`` meets the limit (``within``: ``x`` is the difference)."""
        op, v = self.op, self.value
        if op == "==":
            return x == v
        if x is None:
            return False
        if op == "between":
            return v <= x <= self.upper
        return {"<=": x <= v, "<": x < v, ">=": x >= v, ">": x > v, "within": abs(x) <= v}[op]


@dataclass(frozen=True)
class Reason:
    """Why the plan holds an exercise: the phase, a finding, or a painful direction.

    ``kind`` is ``"phase"`` (the phase's work: ``phase`` and ``exercise_kind``),
    ``"finding"`` (a focus area: ``focus_area`` and the deficient ``findings``
    as ``(test field, side, value, unit, "below"/"above", cut-off)``) or
    ``"direction"`` (``painful`` hurts, ``direction`` does not: a teaching
    choice).
    """

    kind: Literal["phase", "finding", "direction"]
    phase: int | None = None
    exercise_kind: str | None = None
    focus_area: str | None = None
    findings: tuple[tuple[str, str | None, float, str, str, float], ...] = ()
    painful: str | None = None
    direction: str | None = None


@dataclass(frozen=True)
class ReferralReason:
    """One reason to refer (or, in ``Referral.released``, a released one)."""

    id: str  #: red-flag id, or one of the guideline triggers, e.g. "symptoms_increasing"
    kind: Literal["red_flag", "guideline_trigger"]
    label: str  #: plain words for a trainer
    condition: str | None  #: suspected condition for a red flag, else None
    urgency: Urgency
    rule: str
    inputs: Mapping[str, Any]
    source: str
    evidence: str
    #: for a red flag: "sign" (present now) or "risk_factor" (history or condition); else None
    flag_kind: str | None = None


@dataclass(frozen=True)
class Referral:
    """The referral check. While ``needed`` no phase or exercise is given."""

    needed: bool
    urgency: Urgency
    reasons: tuple[ReferralReason, ...]
    released: tuple[ReferralReason, ...]  #: risk factors and triggers released by clearance (shown)
    action: str  #: what to do now, in plain words ("" when not needed)
    contact: str  #: who to contact ("" when not needed)
    #: for the released items, in plain words ("" when nothing was released)
    released_guidance: str = ""


@dataclass(frozen=True)
class FlexibilityFinding:
    """One flexibility test on one side (``side`` is None for one-value tests)."""

    test: str  #: field name in the record, e.g. "slr_deg"
    name: str  #: e.g. "Passive straight-leg raise"
    side: Side | None
    value: float
    unit: str  #: "deg" or "cm"
    cutoff: float
    deficient_when: Literal["below", "above"]  #: which side of the cut-off is deficient
    status: Literal["deficient", "normal"]
    deficit: float  #: how far past the cut-off, in ``unit`` (0 when normal)
    #: whose screening reference point ``cutoff`` is: "female" or "male" (the
    #: source gives values by sex and the record gives ``client.sex``) or
    #: "pooled" (one value for everyone, or sex not recorded)
    reference_basis: Literal["female", "male", "pooled"]
    #: plain words: the reference point used, whose it is, its group and mean, short citations
    reference_words: str
    reference_label: str  #: the short form shown beside one reading ("reference point for men (...)")
    population_mean: float | None  #: published mean of the matching group (sex, position), in ``unit``
    position: str | None  #: hip rotation only: "prone" or "seated" as recorded, else None
    focus_area: str
    #: Standard error of measurement [``unit``]; None when the reference gives no error.
    sem: float | None
    #: Smallest real change between two readings, 1.96 x sqrt(2) x SEM [``unit``] (Weir 2005).
    mdc95: float | None
    #: The cut-off lies inside reading +/- 1.96 x SEM ("within measurement error of the
    #: cut-off"); None when no error is known.
    within_error_of_cutoff: bool | None
    #: Which of SEM / MDC95 the paper reports and which is computed, with both sources.
    measurement_error_source: str | None
    rule: str
    inputs: Mapping[str, Any]
    source: str
    evidence: str


@dataclass(frozen=True)
class Asymmetry:
    """A side-to-side difference larger than the test's asymmetry threshold."""

    test: str
    name: str
    left: float
    right: float
    difference: float  #: |left - right| in ``unit``
    percent_of_larger: float  #: difference as % of the larger side
    unit: str
    threshold: float
    threshold_unit: str  #: "%" (of the larger side) or the test's unit
    sem: float | None  #: the test's standard error of measurement [``unit``]
    mdc95: float | None  #: smallest real difference between two readings [``unit``]
    #: ``difference`` > ``mdc95``: larger than measurement noise; None when no error is known.
    exceeds_measurement_error: bool | None
    rule: str
    inputs: Mapping[str, Any]
    source: str
    evidence: str


@dataclass(frozen=True)
class EnduranceRatio:
    """One of McGill's three endurance ratios, computed from the values present."""

    id: Literal["flexor_extensor", "side_extensor", "side_to_side"]
    label: str
    value: float  #: for side_extensor: the larger of the two side-bridge / extensor ratios
    #: the target as numbers, e.g. ``Limit("<", 1.0)``; for side_to_side
    #: ``Limit("within", mdc95_s, "s")`` (the sides' times at most the MDC95 apart)
    target: Limit
    flagged: bool
    rule: str
    inputs: Mapping[str, Any]
    source: str
    evidence: str  #: V2 for McGill's commonly taught targets; C for the side-to-side check
    #: The ratio values that meet the target, (low, high), None for no limit on that
    #: side. For side_to_side it follows from the MDC95: 1 -/+ MDC95 / left time.
    band: tuple[float | None, float | None] = (None, None)


@dataclass(frozen=True)
class Endurance:
    times_s: Mapping[str, float]  #: e.g. {"flexor_s": 120, "side_bridge_s.left": 80}
    ratios: tuple[EnduranceRatio, ...]  #: every ratio that could be computed
    imbalances: tuple[EnduranceRatio, ...]  #: the flagged ones
    note: str  #: says these are commonly taught targets, not validated cut-offs
    #: Keyed as ``times_s``, for each time whose test has a known error:
    #: ``{"sem": s, "mdc95": s}`` [s] (side bridge: Juan-Recio et al. 2022; Weir 2005).
    measurement_errors: Mapping[str, Mapping[str, float]]


@dataclass(frozen=True)
class Gate:
    """One condition for entering phase 2 or 3."""

    id: str  #: e.g. "pain_now_phase2"
    phase: Literal[2, 3]
    label: str  #: plain words, e.g. "Pain now is 3/10 or less"
    field: str  #: record field path(s) it reads, e.g. "pain.now"
    value: Any  #: the value read (None when not measured)
    threshold: Limit  #: e.g. ``Limit("<=", 3.0, "/10")``; ``Limit("==", True)`` for a yes/no gate
    passed: bool
    measured: bool
    note: str  #: "not measured" when missing, else ""
    #: record field paths that the gate needed and did not find (all_endurance)
    missing: tuple[str, ...] = ()
    #: ratio ids that are flagged (no_imbalance) or could not be computed
    flagged: tuple[str, ...] = ()
    not_computed: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlannedExercise:
    """One exercise of the plan, with why it was chosen and where its dose comes from.

    ``source`` and ``evidence`` are copied from the exercise's row of
    ``data/exercises.json`` (the source of the exercise and its dosage).
    """

    id: str
    name: str
    kind: Literal["stability", "strength", "dynamic", "flexibility", "mobility"]
    targets: tuple[str, ...]
    loads: tuple[str, ...]
    direction: str | None
    dosage: str
    why: tuple[Reason, ...]  #: the finding(s) or phase that chose it, as data
    source: str  #: citation of the exercise and its dosage (catalogue row)
    evidence: str  #: evidence tag of that source (catalogue row)


@dataclass(frozen=True)
class Result:
    """Everything the engine concludes about one assessment record.

    The phase decision carries its rule (``phase_rule``), its inputs (the
    ``gates``, each with the record ``field`` and ``value`` it read) and its
    source (``phase_source``, ``phase_evidence``: the gates' row of
    ``data/rules.json``). While a referral is needed the phase is None by
    the referral rule, whose sources are in ``referral.reasons``; the gates'
    source is still given, but no gate is applied.
    """

    client_id: str
    date: str | None
    referral: Referral
    flexibility: tuple[FlexibilityFinding, ...]
    focus_areas: tuple[str, ...]
    asymmetries: tuple[Asymmetry, ...]
    endurance: Endurance
    phase: int | None  #: 1, 2, 3, or None while a referral is needed
    phase_reasons: tuple[str, ...]  #: why this phase, plain words
    next_steps: tuple[str, ...]  #: what would move the client on (failing gates of the next phase)
    gates: tuple[Gate, ...]
    gates_note: str  #: says the gates are a teaching synthesis, not a validated rule
    exercises: tuple[PlannedExercise, ...]
    phase_rule: str = ""  #: the rule that decided the phase (see ``phase_reasons``)
    phase_source: str = ""  #: citation of the phase gates (``data/rules.json``, gates.source)
    phase_evidence: str = ""  #: evidence tag of the gates ("synthesis")
    notice: str = EDUCATIONAL_NOTICE
    record: Mapping[str, Any] = field(default_factory=dict)  #: the validated record, normalised
    #: things to suggest (``lbp_workbook.engine.person.Suggestion``: e.g. "talk to your clinician"
    #: when the client seems highly distressed); never a referral, never a hold on training
    suggestions: tuple[Any, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict (tuples become lists).

        >>> from lbp_workbook.engine.result import jsonable
        >>> jsonable({"a": (1, 2.5), "b": None})
        {'a': [1, 2.5], 'b': None}
        """
        out = jsonable(dataclasses.asdict(self))
        out["schema"] = RESULT_SCHEMA
        return out


def jsonable(obj: Any) -> Any:
    """Convert tuples, mappings and non-finite floats into plain JSON types."""
    if isinstance(obj, Mapping):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj
