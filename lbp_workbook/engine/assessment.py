"""``assess(record) -> Result``: validate a record, then run every rule.

The one door from a learner's record to the :class:`~lbp_workbook.engine.result.Result`
every notebook, widget, plot and report reads. Educational use only: the
result teaches trainers how to reason; it never diagnoses.

>>> res = assess({"schema": "lbp-assessment/1", "client": {"id": "sam"},
...               "pain": {"now": 2, "during_exercise": 2, "painful_directions": ["flexion"]},
...               "flexibility": {"slr_deg": {"left": 62, "right": 66}},
...               "control": {"holds_neutral_pelvis": True, "big3_tolerated": True}})
>>> res.referral.needed, res.phase, res.focus_areas
(False, 2, ('hamstrings',))
>>> any("flexion" in e.loads for e in res.exercises)
False
"""

from __future__ import annotations

from typing import Any, Mapping

from lbp_workbook.engine import reference
from lbp_workbook.engine.person import suggestions
from lbp_workbook.engine.record import Record, validate_record
from lbp_workbook.engine.result import PlannedExercise, Result
from lbp_workbook.engine.rules.endurance import endurance_profile
from lbp_workbook.engine.rules.flexibility import asymmetries, flexibility_findings, focus_areas
from lbp_workbook.engine.rules.phase import decide_phase, evaluate_gates
from lbp_workbook.engine.rules.plan import build_plan
from lbp_workbook.engine.rules.referral import assess_referral

#: ``Result.phase_rule`` without a referral, and while one is needed.
PHASE_RULE = ("phase.gates: the highest phase whose gates (and the lower phase's) all pass; "
              "phase 1 otherwise")
PHASE_RULE_REFERRAL = "phase.referral: no phase while a referral is needed; gates not applied"


def assess(record: Mapping[str, Any] | Record) -> Result:
    """Assess one ``lbp-assessment/1`` record.

    Parameters
    ----------
    record : mapping or Record
        The record as parsed from JSON, or one already validated with
        :func:`lbp_workbook.engine.record.validate_record`.

    Returns
    -------
    Result
        Referral first; flexibility findings, focus areas and asymmetries;
        the endurance ratios; the phase with its gates, reasons and next
        steps; the phase decision's rule and source (``phase_rule``,
        ``phase_source``, ``phase_evidence``); the exercise plan. While
        ``referral.needed`` the phase is None and the plan is empty.
        ``suggestions`` (from the record's ``psychosocial`` section) never
        change the referral or the phase. ``Result.to_dict()`` is
        JSON-serialisable.

    Raises
    ------
    RecordError
        If the record is invalid (every problem listed at once).

    Notes
    -----
    Cut-offs and gates are reference points and a teaching synthesis, not
    diagnostic thresholds: every finding carries its rule, the input values
    that fired it and its source with an evidence tag, so a trainer can see
    how much weight it can bear. Stay within scope of practice and refer
    whenever in doubt.

    References
    ----------
    See ``data/assessment_tests.json``, ``data/red_flags.json`` and
    ``data/rules.json`` for the citation behind each number.
    """
    rec = validate_record(record)
    referral = assess_referral(rec)
    findings = flexibility_findings(rec)
    areas = focus_areas(findings)
    endurance = endurance_profile(rec)
    gates = evaluate_gates(rec, endurance)
    phase, reasons, next_steps = decide_phase(referral, gates, client_id=rec.client.id)
    exercises: tuple[PlannedExercise, ...]
    if referral.needed:
        phase, exercises = None, ()
    else:
        exercises = build_plan(phase, areas, rec.pain.painful_directions, findings)
    rules = reference.rules()
    return Result(
        client_id=rec.client.id,
        date=rec.date,
        referral=referral,
        flexibility=findings,
        focus_areas=areas,
        asymmetries=asymmetries(rec),
        endurance=endurance,
        phase=phase,
        phase_reasons=reasons,
        next_steps=next_steps,
        gates=gates,
        gates_note=f"{rules.gates_note} Source: {rules.gates_source}",
        exercises=exercises,
        phase_rule=PHASE_RULE_REFERRAL if referral.needed else PHASE_RULE,
        phase_source=rules.gates_source,
        phase_evidence=rules.gates_evidence,
        record=rec.to_dict(),
        suggestions=suggestions(rec),
    )
