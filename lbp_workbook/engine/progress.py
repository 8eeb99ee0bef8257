"""Reassessment: compare two dated assessments and decide what happens next.

``reassess(previous_record, current_record) -> Decision`` runs
:func:`lbp_workbook.assess` on both records and decides, in this order:

1. **refer** when the current assessment needs a referral (a new red flag,
   symptoms increasing, a trigger no longer released ...): a referral always
   wins, and there is no phase and no plan;
2. **regress** when the phase went down, or pain (now, or during exercise)
   rose by more than the threshold in ``data/progress_rules.json`` (2 points;
   our synthesis, domain reference 4c): train one phase lower;
3. **progress** when the phase went up;
4. **stay** otherwise.

Each decision carries its reasons (rule, inputs, source, evidence) and every
measurement that changed, with whether the change is real: larger than the
test's smallest real change, MDC95 = 1.96 x sqrt(2) x SEM (Weir 2005; the
SEM or MDC from the test's row of ``data/assessment_tests.json``, the one
place the workbook keeps it; for pain, the smallest meaningful change of
Ostelo et al. 2008). :func:`reading_change` is the one place that verdict is
made: :func:`lbp_workbook.views.plots.progress_summary` reads it too, so a chart
and a decision never disagree.

Educational use only: a teaching synthesis, never a clinical decision.
Pure Python: no matplotlib, no ipywidgets.

>>> from lbp_workbook.engine.examples import load_example
>>> before = load_example("runner_sam")
>>> after = load_example("runner_sam")
>>> after["date"] = "2026-12-07"
>>> after["pain"]["now"] = 6
>>> d = reassess(before, after)
>>> d.decision, d.phase_before, d.phase_after, d.recommended_phase
('regress', 2, 1, 1)
>>> [r.rule for r in d.reasons][:2]
['progress.phase_down', 'progress.pain_rise']
"""

from __future__ import annotations

import dataclasses
import functools
import html
from dataclasses import dataclass
from typing import Any, Literal, Mapping, Sequence

from lbp_workbook.engine import reference
from lbp_workbook.engine.assessment import assess
from lbp_workbook.engine.person import psfs_change, psfs_rule
from lbp_workbook.engine.record import FIELDS, Record, validate_record
from lbp_workbook.engine.result import (
    EDUCATIONAL_NOTICE,
    EVIDENCE_WORDS,
    Referral,
    Result,
    jsonable,
    number,
)

__all__ = [
    "Decision",
    "DecisionReason",
    "MeasurementChange",
    "ProgressRules",
    "decision_rules",
    "progress_rules",
    "reassess",
    "reading_change",
    "reassess_history",
]

DecisionKind = Literal["progress", "stay", "regress", "refer"]
Verdict = Literal["within_measurement_error", "improved", "worse", "no_change"]

#: Numbers closer than this count as equal (floating-point noise).
_EPS = 1e-9

#: Scope-of-practice line shown with every decision.
SCOPE_NOTE = (
    "Scope of practice: when to refer. A referral always wins. Refer when a red flag or "
    "referral trigger appears, when symptoms increase, or whenever you are unsure (an emergency "
    "sign to an emergency department the same day, the rest to a medical provider); never "
    "diagnose or treat."
)


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class ProgressRules:
    """The thresholds of ``data/progress_rules.json``.

    Attributes
    ----------
    pain_points, pain_percent : float
        Smallest meaningful change in pain [0-10 NRS points] and [% of the
        earlier rating] (Ostelo et al. 2008).
    regress_points : float
        Pain rise [0-10 NRS points] above which the client drops back a
        phase (our synthesis).
    regress_fields : tuple of str
        Record paths of the pain ratings the rise rule reads.

    Notes
    -----
    A test's measurement error is not a progress rule: it lives in the
    test's row of ``data/assessment_tests.json`` (see
    :func:`measurement_error`), so the decision, the charts and the tables
    read the same number.
    """

    note: str
    source: str
    evidence: str
    pain_points: float
    pain_percent: float
    pain_label: str
    pain_source: str
    pain_evidence: str
    regress_points: float
    regress_fields: tuple[str, ...]
    regress_label: str
    regress_source: str
    regress_evidence: str


def parse_progress_rules(data: Mapping[str, Any]) -> ProgressRules:
    """Build :class:`ProgressRules` from the parsed ``progress_rules.json``.

    Raises
    ------
    lbp_workbook.engine.reference.ReferenceDataError
        If a block is missing or a row lacks its source or evidence tag.
    """
    where = "progress_rules.json"
    block = reference._need(data, "decision", where)
    source, evidence = reference._sourced(block, where + " decision")
    pain = reference._need(data, "pain_meaningful_change", where)
    pain_source, pain_evidence = reference._sourced(pain, where + " pain_meaningful_change")
    rise = reference._need(data, "regress_pain_rise", where)
    rise_source, rise_evidence = reference._sourced(rise, where + " regress_pain_rise")
    return ProgressRules(
        note=block["note"],
        source=source,
        evidence=evidence,
        pain_points=float(pain["points"]),
        pain_percent=float(pain["percent"]),
        pain_label=pain["label"],
        pain_source=pain_source,
        pain_evidence=pain_evidence,
        regress_points=float(rise["points"]),
        regress_fields=tuple(rise["fields"]),
        regress_label=rise["label"],
        regress_source=rise_source,
        regress_evidence=rise_evidence,
    )


@functools.lru_cache(maxsize=None)
def progress_rules() -> ProgressRules:
    """The reassessment thresholds from ``data/progress_rules.json`` (cached).

    >>> rules = progress_rules()
    >>> rules.pain_points, rules.pain_percent, rules.regress_points
    (2.0, 30.0, 2.0)
    """
    return parse_progress_rules(reference.read_data("progress_rules.json"))


def measurement_error(test: str) -> reference.MeasurementError | None:
    """The measurement error of a test, from its row in ``assessment_tests.json``.

    The one source of the number: the reassessment decision, the flexibility
    rules (asymmetry), the charts' bands and the lesson tables all read it.
    A change is compared with its ``mdc95``; a single reading with
    ``band95`` (1.96 x SEM).

    Parameters
    ----------
    test : str
        A flexibility or endurance test id, e.g. ``"slr_deg"``.

    Returns
    -------
    MeasurementError or None
        What the paper reports (``value``, ``kind``), with ``sem`` and
        ``mdc95`` in the test's unit (deg, cm or s), label, source and
        evidence; None when the reference data give none or the id is not
        an assessment test.

    >>> measurement_error("thomas_knee_deg").mdc95, measurement_error("slr_deg").kind
    (19.4, 'SEM')
    >>> measurement_error("hip_ir_deg") is None
    True
    """
    try:
        return reference.assessment_test(test).measurement_error
    except KeyError:
        return None


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class DecisionReason:
    """One reason behind a reassessment decision."""

    rule: str  #: e.g. "progress.pain_rise"
    text: str  #: plain words for a trainer
    inputs: Mapping[str, Any]  #: record paths (prefixed "before:"/"after:" where both) -> values
    source: str
    evidence: str


@dataclass(frozen=True)
class MeasurementChange:
    """How one reading changed between the two assessments.

    ``measurement_error`` is the threshold the verdict used [unit]: for a
    test its MDC95 = 1.96 x sqrt(2) x SEM (Weir 2005), the smallest change
    that can be told apart from measurement noise; for pain the smallest
    meaningful change for this starting rating (2 points or 30 %, whichever
    is smaller; Ostelo et al. 2008). ``exceeds_measurement_error`` is None
    when no error is known: read such a change with the same care.
    """

    path: str  #: e.g. "flexibility.slr_deg.left", "pain.now"
    label: str  #: e.g. "Passive straight-leg raise, left"
    unit: str
    before: float
    after: float
    change: float  #: after - before [unit]
    better_when: Literal["higher", "lower"]
    measurement_error: float | None
    measurement_error_kind: str | None  #: "MDC95" or "meaningful change"
    measurement_error_source: str | None
    measurement_error_evidence: str | None
    exceeds_measurement_error: bool | None
    verdict: Verdict
    text: str  #: e.g. "improved by 9 deg (beyond the MDC95 of 7.2 deg)"


@dataclass(frozen=True)
class Decision:
    """What :func:`reassess` concludes about two assessments of one client."""

    client_id: str
    from_date: str | None
    to_date: str | None
    decision: DecisionKind
    phase_before: int | None  #: from assess(previous); None while that one referred
    phase_after: int | None  #: from assess(current); None while referring
    recommended_phase: int | None  #: the phase to train in now; None when referring
    reasons: tuple[DecisionReason, ...]
    changes: tuple[MeasurementChange, ...]
    referral: Referral  #: the current assessment's referral check
    next_steps: tuple[str, ...]  #: from the current result
    note: str  #: says the rule is a teaching synthesis, with its source
    notice: str = EDUCATIONAL_NOTICE

    @property
    def beyond_error(self) -> tuple[MeasurementChange, ...]:
        """The changes larger than their measurement error (or meaningful change)."""
        return tuple(c for c in self.changes if c.exceeds_measurement_error)

    def change(self, path: str) -> MeasurementChange:
        """The change of one reading, by record path (``KeyError`` if unmeasured)."""
        for item in self.changes:
            if item.path == path:
                return item
        raise KeyError(path)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (tuples become lists)."""
        out = jsonable(dataclasses.asdict(self))
        out["schema"] = "lbp-reassessment/1"
        return out

    def summary(self) -> str:
        """The decision in plain text, one line per point."""
        lines = [f"{self.client_id}: {_dates(self)} -> {self.decision.upper()} "
                 f"({_phase_words(self)})"]
        lines += [f"- {r.text}" for r in self.reasons]
        lines += [f"  {c.label}: {c.text}" for c in self.changes if abs(c.change) > _EPS]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return decision_html(self)


# --------------------------------------------------------------------------- changes


_fmt = number  #: the one number format (result.number)


def _measured_paths() -> list[tuple[str, str, str, Literal["higher", "lower"], str | None]]:
    """(path, label, unit, better_when, test id) for every numeric reading, in record order."""
    out: list[tuple[str, str, str, Literal["higher", "lower"], str | None]] = []
    for spec in FIELDS:
        section, _, name = spec.path.partition(".")
        if spec.kind not in ("number", "integer") or section not in ("pain", "flexibility", "endurance"):
            continue
        if section == "pain":
            out.append((spec.path, spec.label, spec.unit, "lower", None))
            continue
        better = better_when(name)  # endurance hold times: longer is better
        for side in ("left", "right") if spec.side_specific else (None,):
            path = f"{spec.path}.{side}" if side else spec.path
            label = f"{spec.label}, {side}" if side else spec.label
            out.append((path, label, spec.unit, better, name))
    return out


def _pain_error(before: float) -> float:
    """Smallest meaningful change for a starting rating: 2 points or 30 %, whichever is smaller.

    Ostelo et al. 2008 describe improvement; the workbook uses the same size
    for a rise (a teaching choice), so a rise and a fall read alike.

    >>> _pain_error(5.0), _pain_error(8.0), _pain_error(0.0)
    (1.5, 2.0, 2.0)
    """
    rules = progress_rules()
    share = rules.pain_percent / 100.0 * before
    return min(rules.pain_points, share) if share > _EPS else rules.pain_points


def _pain_rule_words(before: float | None = None) -> str:
    """The meaningful-change rule in words; given the earlier rating, the size it gives.

    >>> _pain_rule_words(3.0)
    'for a rating that started at 3/10 a meaningful change is at least 0.9 points (30 % of the earlier rating, as that is less than 2 points)'
    >>> _pain_rule_words(8.0)
    'for a rating that started at 8/10 a meaningful change is at least 2 points'
    """
    rules = progress_rules()
    if before is None:
        return (f"at least {_fmt(rules.pain_points)} points or {_fmt(rules.pain_percent)} % of "
                "the earlier rating, whichever is smaller")
    error = _pain_error(float(before))
    head = f"for a rating that started at {_fmt(float(before))}/10 a meaningful change is at least"
    if error < rules.pain_points - _EPS:
        return (f"{head} {_fmt(round(error, 2))} points ({_fmt(rules.pain_percent)} % of the "
                f"earlier rating, as that is less than {_fmt(rules.pain_points)} points)")
    return f"{head} {_fmt(rules.pain_points)} points"


def better_when(test: str) -> Literal["higher", "lower"]:
    """Which way a test's reading improves: "lower" for a test deficient above its
    cut-off (AKE deficit, Thomas hip), "higher" otherwise (hold times too).

    >>> better_when("ake_deficit_deg"), better_when("slr_deg"), better_when("side_bridge_s")
    ('lower', 'higher', 'higher')
    """
    test_row = reference.assessment_test(test)
    return "lower" if test_row.section == "flexibility" and test_row.deficient_when == "above" else "higher"


def reading_change(test: str, before: float, after: float, path: str | None = None,
                label: str | None = None) -> MeasurementChange:
    """Judge one test's change between two readings: real only beyond its MDC95.

    The one place this verdict is made: the reassessment decision, the
    progress chart and table (:func:`lbp_workbook.views.plots.progress_summary`)
    and the cases all read it.

    Parameters
    ----------
    test : str
        A flexibility or endurance test id, e.g. ``"thomas_knee_deg"``.
    before, after : float
        The two readings [test's unit].
    path, label : str, optional
        Record path and label to carry (default: the test id and name).

    Returns
    -------
    MeasurementChange
        ``verdict`` "improved" or "worse" when ``|after - before|`` is larger
        than the test's MDC95 (or no error is known), "within_measurement_error"
        when it is not, "no_change" when the readings are equal.

    References
    ----------
    Weir JP 2005, J Strength Cond Res 19:231-240 (MDC95 = 1.96 x sqrt(2) x SEM).
    Peeler J, Anderson JE 2008, J Athl Train 43:470 (Thomas knee SEM 7 deg).

    >>> c = reading_change("thomas_knee_deg", 70, 78)       # SEM 7 deg -> MDC95 19.4 deg
    >>> c.verdict, c.measurement_error, c.text
    ('within_measurement_error', 19.4, 'within measurement error (not larger than the MDC95 of 19.4 deg)')
    >>> reading_change("side_bridge_s", 60, 91).text        # typical error 11 s -> MDC95 30.5 s
    'improved by 31 s (beyond the MDC95 of 30.5 s)'
    """
    row = reference.assessment_test(test)
    return _change(path or test, label or row.name, row.unit, better_when(test), test, before, after)


def _change(path: str, label: str, unit: str, better: Literal["higher", "lower"],
            test: str | None, before: float, after: float) -> MeasurementChange:
    delta = float(after) - float(before)
    unit_words = f" {unit}" if unit and not unit.startswith("/") else (" points" if unit else "")
    size = f"{_fmt(abs(delta))}{unit_words}"
    if unit.startswith("/") and abs(abs(delta) - 1) < _EPS:
        size = "1 point"
    error: float | None
    kind: str | None
    source: str | None
    evidence: str | None
    exceeds: bool | None
    if test is None:  # pain: meaningful change (Ostelo 2008), "at least"
        rules = progress_rules()
        error, kind = _pain_error(float(before)), "meaningful change"
        source, evidence = rules.pain_source, rules.pain_evidence
        exceeds = abs(delta) >= error - _EPS
    else:  # a test: real only when larger than its MDC95 (Weir 2005)
        me = measurement_error(test)
        error, kind = (me.mdc95, "MDC95") if me else (None, None)
        source = f"{me.source}; {me.derivation}" if me else None
        evidence = me.mdc95_evidence if me else None
        exceeds = None if error is None else abs(delta) > error + _EPS
    if exceeds is False:
        verdict: Verdict = "within_measurement_error"
        text = (f"changed by {size}, less than a meaningful change ({_pain_rule_words(before)})"
                if test is None else
                f"within measurement error (not larger than the {kind} of {_fmt(error)}{unit_words})")
        if abs(delta) < _EPS:
            text = "no change"
    elif abs(delta) < _EPS:
        verdict, text = "no_change", "no change"
    else:
        verdict = "improved" if (delta > 0) == (better == "higher") else "worse"
        text = f"{verdict} by {size}"
        if exceeds is None:
            text += " (no measurement error in the reference data: read with care)"
        elif test is None:
            text += f", a meaningful change ({_pain_rule_words(before)})"
        else:
            text += f" (beyond the {kind} of {_fmt(error)}{unit_words})"
    return MeasurementChange(
        path=path, label=label, unit=unit, before=float(before), after=float(after), change=delta,
        better_when=better, measurement_error=error, measurement_error_kind=kind,
        measurement_error_source=source, measurement_error_evidence=evidence,
        exceeds_measurement_error=exceeds, verdict=verdict, text=text,
    )


def measurement_changes(previous: Record, current: Record) -> tuple[MeasurementChange, ...]:
    """Every reading measured in both records, with its change and verdict.

    Parameters
    ----------
    previous, current : Record
        Two validated records of one client (pain in [0-10 NRS], angles in
        [deg], Schober in [cm], hold times in [s]).

    Returns
    -------
    tuple of MeasurementChange
        In record order (pain, flexibility, endurance); readings missing
        from either record are left out.
    """
    out = []
    for path, label, unit, better, test in _measured_paths():
        a, b = previous.get(path), current.get(path)
        if a is not None and b is not None:
            out.append(_change(path, label, unit, better, test, a, b))
    function = psfs_measurement_change(previous, current)
    if function is not None:
        out.append(function)
    return tuple(out)


#: Record path of the PSFS in a :class:`MeasurementChange` (the average of its activities).
PSFS_PATH = "function.psfs"


def psfs_measurement_change(previous: Record, current: Record) -> MeasurementChange | None:
    """The change of the average PSFS score, judged by the PSFS's own smallest real change.

    Returns
    -------
    MeasurementChange or None
        ``path`` :data:`PSFS_PATH`, in [PSFS points], higher is better; None
        unless both visits rated at least one activity. Real only when the
        average moved by more than the smallest real change of the average
        score (``data/person.json``).

    References
    ----------
    Stratford P, Gill C, Westaway M, Binkley J 1995. Assessing disability and
    change on individual patients: a report of a patient specific measure.
    Physiotherapy Canada 47(4):258-263.
    """
    change = psfs_change(previous, current)
    if change is None:
        return None
    rule = psfs_rule()
    size = f"{_fmt(round(abs(change.change), 1))} points"
    mdc = f"{_fmt(change.mdc_points)} points"
    if change.verdict == "no_change":
        text = "no change"
    elif change.verdict == "within_measurement_error":
        text = (f"changed by {size}: not larger than the PSFS's smallest real change of {mdc}, so "
                "it cannot be told apart from measurement noise")
    else:
        text = f"{change.verdict} by {size} (beyond the PSFS's smallest real change of {mdc})"
    return MeasurementChange(
        path=PSFS_PATH, label=f"Function: average {rule.name} score", unit="points",
        before=change.before, after=change.after, change=change.change, better_when="higher",
        measurement_error=change.mdc_points, measurement_error_kind="smallest real change",
        measurement_error_source=change.source, measurement_error_evidence=change.evidence,
        exceeds_measurement_error=change.verdict in ("improved", "worse"),
        verdict=change.verdict, text=text,
    )


# --------------------------------------------------------------------------- decision


def _phase_words(d: Decision) -> str:
    before = "referral" if d.phase_before is None else f"phase {d.phase_before}"
    if d.decision == "refer":
        return f"{before} -> referral, no phase"
    return f"{before} -> train in phase {d.recommended_phase}"


def _dates(d: Decision) -> str:
    return f"{d.from_date or 'undated'} to {d.to_date or 'undated'}"


def _referral_reasons(previous: Result, current: Result) -> list[DecisionReason]:
    known = {r.id for r in previous.referral.reasons}
    out = []
    for r in current.referral.reasons:
        when = "still open since the last assessment" if r.id in known else "new since the last assessment"
        out.append(DecisionReason(
            rule=f"progress.refer ({r.rule})",
            text=f"Refer ({r.urgency.replace('_', ' ')}): {r.label.split(':')[0]} ({when}).",
            inputs=dict(r.inputs),
            source=r.source,
            evidence=r.evidence,
        ))
    return out


def _check_pair(previous: Record, current: Record) -> None:
    if previous.client.id != current.client.id:
        raise ValueError(
            f"the two records belong to different clients: {previous.client.id!r} and "
            f"{current.client.id!r}"
        )
    if previous.date and current.date and current.date < previous.date:
        raise ValueError(
            f"the current record ({current.date}) is older than the previous one "
            f"({previous.date}): pass them oldest first"
        )


def reassess(previous_record: Mapping[str, Any] | Record,
             current_record: Mapping[str, Any] | Record) -> Decision:
    """Decide whether a client progresses, stays, regresses or is referred.

    Parameters
    ----------
    previous_record, current_record : mapping or Record
        Two ``lbp-assessment/1`` records of the same client, oldest first.

    Returns
    -------
    Decision
        ``decision`` ("refer", "regress", "progress" or "stay"), the phases
        before and after (from :func:`lbp_workbook.assess`), the phase to
        train in now (None when referring), the reasons (rule, inputs,
        source, evidence) and every reading's change with its verdict.

    Raises
    ------
    RecordError
        If either record is invalid.
    ValueError
        If the records belong to different clients, or the current one is
        dated before the previous one.

    Notes
    -----
    Order of the rules: refer, regress, progress, stay. Regress means one
    phase below the lower of the previous phase and what the gates allow
    now, and never below phase 1. When the previous assessment referred
    (no phase) and the current one does not, there is nothing to compare:
    the client starts in the phase the gates allow ("stay"), unless pain
    rose by more than the threshold. Pain "the next morning" (part of the
    synthesis in domain reference 4c) is not in the record, so ask about
    it at every session. A teaching synthesis, never a clinical decision.

    References
    ----------
    Ostelo RW et al. 2008, Interpreting change scores for pain and functional
    status in low back pain, Spine 33:90-94 (meaningful change in pain).
    Domain reference 4c (regress rule; our synthesis).
    """
    prev, cur = validate_record(previous_record), validate_record(current_record)
    _check_pair(prev, cur)
    before, after = assess(prev), assess(cur)
    rules = progress_rules()
    changes = measurement_changes(prev, cur)
    reasons: list[DecisionReason] = []
    recommended: int | None

    if after.referral.needed:
        decision: DecisionKind = "refer"
        recommended = None
        reasons = _referral_reasons(before, after)
    else:
        assert after.phase is not None  # no referral -> a phase
        phase_down = before.phase is not None and after.phase < before.phase
        if phase_down:
            reasons.append(DecisionReason(
                rule="progress.phase_down",
                text=(f"The gates now allow phase {after.phase}, below phase {before.phase} last time: "
                      + " ".join(after.phase_reasons[1:]).strip()),
                inputs={"before:phase": before.phase, "after:phase": after.phase},
                source=rules.source, evidence=rules.evidence,
            ))
        for path in rules.regress_fields:
            a, b = prev.get(path), cur.get(path)
            if a is not None and b is not None and b - a > rules.regress_points + _EPS:
                label = next(s.label for s in FIELDS if s.path == path)
                reasons.append(DecisionReason(
                    rule="progress.pain_rise",
                    text=(f"{label} rose from {_fmt(a)} to {_fmt(b)}/10, more than "
                          f"{_fmt(rules.regress_points)} points: {rules.regress_label}."),
                    inputs={f"before:{path}": a, f"after:{path}": b},
                    source=rules.regress_source, evidence=rules.regress_evidence,
                ))
        if reasons:
            decision = "regress"
            base = before.phase if before.phase is not None else after.phase
            recommended = max(1, min(after.phase, base - 1))
        elif before.phase is not None and after.phase > before.phase:
            decision, recommended = "progress", after.phase
            reasons.append(DecisionReason(
                rule="progress.phase_up",
                text=(f"Every gate for phase {after.phase} is now met (phase {before.phase} last time), "
                      "and pain did not rise."),
                inputs={"before:phase": before.phase, "after:phase": after.phase},
                source=rules.source, evidence=rules.evidence,
            ))
        else:
            decision, recommended = "stay", after.phase
            if before.phase is None:
                text = (f"Last time a referral was in force; it is resolved now, so training starts in "
                        f"phase {after.phase}, the phase the gates allow.")
                rule = "progress.start_after_referral"
            else:
                text = (f"Still phase {after.phase}: the gates for the next phase are not all met yet, "
                        "and pain did not rise." if after.phase < 3 else
                        "Still phase 3, the last phase, and pain did not rise.")
                rule = "progress.same_phase"
            reasons.append(DecisionReason(
                rule=rule, text=text,
                inputs={"before:phase": before.phase, "after:phase": after.phase},
                source=rules.source, evidence=rules.evidence,
            ))
    return Decision(
        client_id=cur.client.id,
        from_date=prev.date,
        to_date=cur.date,
        decision=decision,
        phase_before=before.phase,
        phase_after=after.phase,
        recommended_phase=recommended,
        reasons=tuple(reasons),
        changes=changes,
        referral=after.referral,
        next_steps=after.next_steps,
        note=f"{rules.note} Source: {rules.source}",
    )


def reassess_history(records: Sequence[Mapping[str, Any] | Record]) -> tuple[Decision, ...]:
    """One :class:`Decision` per pair of consecutive records (oldest first).

    >>> from lbp_workbook.engine.examples import load_example
    >>> reassess_history([load_example("runner_sam")])
    ()
    """
    return tuple(reassess(a, b) for a, b in zip(records, records[1:]))


# --------------------------------------------------------------------------- HTML


_DECISION_COLOURS = {  # Okabe-Ito, dark text on a pale background
    "refer": ("#8B0000", "#FDE8E8"),
    "regress": ("#B03A00", "#FFF0E6"),
    "stay": ("#0B5394", "#E8F1FB"),
    "progress": ("#00664A", "#E6F6F1"),
}

_VERDICT_COLOURS = {"improved": "#00664A", "worse": "#B03A00",
                    "within_measurement_error": "#444", "no_change": "#444"}

_HEADLINES = {
    "refer": "REFER: stop the low back programme",
    "regress": "REGRESS: drop back a phase",
    "stay": "STAY: keep the current phase",
    "progress": "PROGRESS: move on a phase",
}


def left_align(page: str) -> str:
    """Left-align and top-align table cells (notebook CSS right-aligns them).

    >>> print(left_align("<td>a</td><td style='color:red'>b</td>"))
    <td style='text-align:left;vertical-align:top'>a</td><td style='text-align:left;vertical-align:top;color:red'>b</td>
    """
    cell = "text-align:left;vertical-align:top"
    return (page.replace("<td style='", f"<td style='{cell};").replace("<td>", f"<td style='{cell}'>")
            .replace("<th>", f"<th style='{cell}'>"))


def decision_html(d: Decision) -> str:
    """The decision as an HTML card (every piece of text escaped)."""
    esc = html.escape
    fg, bg = _DECISION_COLOURS[d.decision]
    reasons = "".join(
        f"<li>{esc(r.text)}<br><span style='color:#555;font-size:0.85em'>"
        f"Source: {esc(r.source)} ({esc(EVIDENCE_WORDS.get(r.evidence, r.evidence))})</span></li>"
        for r in d.reasons
    )
    action = ""
    if d.decision == "refer":
        action = (f"<div><b>What to do now:</b> {esc(d.referral.action)}</div>"
                  f"<div><b>Who to contact:</b> {esc(d.referral.contact)}</div>")
    rows = "".join(
        f"<tr><td>{esc(c.label)}</td><td>{esc(_fmt(c.before))}</td><td>{esc(_fmt(c.after))}</td>"
        f"<td style='color:{_VERDICT_COLOURS[c.verdict]}'>{esc(c.text)}</td></tr>"
        for c in d.changes if abs(c.change) > _EPS
    )
    steps = ""
    if d.decision in ("stay", "progress") and d.next_steps:
        steps = ("<div><b>What would move the client on:</b><ul style='margin:2px 0'>"
                 + "".join(f"<li>{esc(s)}</li>" for s in d.next_steps) + "</ul></div>")
    table = (
        "<details open><summary><b>What changed</b> (readings that moved; unit as in the record)</summary>"
        "<table style='border-collapse:collapse;font-size:0.9em' cellpadding='3'>"
        "<tr style='text-align:left;border-bottom:1px solid #999'><th>reading</th><th>before</th>"
        f"<th>after</th><th>change</th></tr>{rows}</table></details>"
        if rows else "<div>No reading changed.</div>"
    )
    return left_align(
        f"<div style='border:3px solid {fg};background:{bg};border-radius:6px;padding:8px 12px;"
        "margin:4px 0'>"
        f"<div style='font-size:1.25em;font-weight:bold;color:{fg}'>{esc(_HEADLINES[d.decision])}</div>"
        f"<div>Client <b>{esc(d.client_id)}</b>, {esc(_dates(d))}: {esc(_phase_words(d))}.</div>"
        f"{action}<div><b>Why:</b><ul style='margin:2px 0'>{reasons}</ul></div>{steps}{table}"
        f"<div style='color:#555;font-size:0.85em;margin-top:4px'>{esc(d.note)}</div>"
        f"<div style='font-size:0.85em;margin-top:4px'><b>{esc(SCOPE_NOTE.split('.')[0])}.</b> "
        f"{esc(SCOPE_NOTE.split('.', 1)[1].strip())} {esc(d.notice)}</div></div>"
    )


# --------------------------------------------------------------------------- the rule as a table


@dataclass(frozen=True)
class RulesTable:
    """The reassessment rule in order, with thresholds and sources: ``html`` and ``text``."""

    rows: tuple[tuple[str, str, str, str], ...]  #: (decision, when, source, evidence)
    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return "\n".join(f"{i}. {d}: {w} [{s}; {e}]" for i, (d, w, s, e) in enumerate(self.rows, 1))


def decision_rules() -> RulesTable:
    """The reassessment rule as a table, every threshold read from ``data/progress_rules.json``.

    >>> [row[0] for row in decision_rules().rows][:4]
    ['refer', 'regress', 'progress', 'stay']
    >>> decision_rules().rows[1][1][:80]
    'the phase went down, or pain now or during exercise rose by more than 2 points; '
    """
    rules = progress_rules()
    pain_words = " or ".join(
        next(s.label.lower() for s in FIELDS if s.path == p) for p in rules.regress_fields
    ).replace("pain now or pain during", "pain now or during")
    rows = (
        ("refer", "the current assessment needs a referral (a red flag, increasing symptoms or "
         "another open trigger); no phase, no plan",
         "the referral rules: each red flag's and referral trigger's own source, shown with "
         "every referral reason", "per reason"),
        ("regress", f"the phase went down, or {pain_words} rose by more than "
         f"{_fmt(rules.regress_points)} points; train one phase lower (never below phase 1)",
         rules.regress_source, rules.regress_evidence),
        ("progress", "the phase went up: every gate of the higher phase is met", rules.source,
         rules.evidence),
        ("stay", "none of the above: keep the phase the gates allow", rules.source, rules.evidence),
        ("(reading a change)", f"{rules.pain_label}; a test: real only when larger than its "
         "smallest real change, MDC95 = 1.96 x sqrt(2) x SEM (Weir 2005), where the error is known",
         rules.pain_source, rules.pain_evidence),
    )
    esc = html.escape
    body = "".join(
        f"<tr><td>{i if i < len(rows) else ''}</td><td><b>{esc(d)}</b></td><td>{esc(w)}</td>"
        f"<td style='font-size:0.85em;color:#555'>{esc(s)} ({esc(EVIDENCE_WORDS.get(e, e))})</td></tr>"
        for i, (d, w, s, e) in enumerate(rows, 1)
    )
    page = left_align(
        "<table style='border-collapse:collapse' cellpadding='4'>"
        "<tr style='text-align:left;border-bottom:1px solid #999'><th>order</th><th>decision</th>"
        f"<th>when</th><th>source (how sure)</th></tr>{body}</table>"
        f"<div style='color:#555;font-size:0.85em'>{esc(rules.note)}</div>"
    )
    return RulesTable(rows=rows, html=page)
