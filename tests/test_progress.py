"""Reassessment decision (lbp_workbook/engine/progress.py): every branch of the rule,
the thresholds and their sources, per-measurement changes against measurement
error, and the errors for pairs that cannot be compared."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from lbp_workbook.engine import reference
from lbp_workbook.engine.examples import load_example
from lbp_workbook.engine.progress import (
    Decision,
    measurement_changes,
    measurement_error,
    progress_rules,
    reassess,
    reassess_history,
)
from lbp_workbook.engine.record import RecordError, validate_record


def _sam(date="2026-11-02", **changes):
    """Sam's example record (phase 2) with dotted-path changes, e.g. pain__now=5."""
    rec = load_example("runner_sam")
    rec["date"] = date
    for path, value in changes.items():
        node = rec
        *parents, last = path.split("__")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return rec


LATER = "2026-12-07"


# --------------------------------------------------------------------------- rules data


def test_progress_rules_pain_meaningful_change_is_ostelo_2008():
    """NRS meaningful change: 2 points or 30 % (Ostelo et al. 2008, Spine 33:90; domain 4b, V)."""
    rules = progress_rules()
    assert (rules.pain_points, rules.pain_percent) == (2.0, 30.0)
    assert "Ostelo" in rules.pain_source and "2008" in rules.pain_source
    assert rules.pain_evidence == "V"


def test_progress_rules_regress_threshold_is_our_synthesis():
    """Regress when pain rises by more than 2 points (domain 4c, our synthesis; the source a
    learner reads names no internal reference section)."""
    rules = progress_rules()
    assert rules.regress_points == 2.0
    assert set(rules.regress_fields) == {"pain.now", "pain.during_exercise"}
    assert rules.regress_evidence == "synthesis" and "synthesis" in rules.regress_source
    assert "domain" not in rules.regress_source and "4c" not in rules.regress_source
    assert rules.evidence == "synthesis" and "not a validated" in rules.note


def test_progress_rules_every_row_has_source_and_known_evidence():
    data = reference.read_data("progress_rules.json")
    rows = [data["decision"], data["pain_meaningful_change"], data["regress_pain_rise"]]
    for row in rows:
        assert row["source"].strip()
        assert row["evidence"] in reference.EVIDENCE_TAGS
        if row["evidence"] == "R":  # architecture: R values need the label
            assert reference.UNVERIFIED_LABEL in row["label"]


def test_measurement_error_prefers_the_reference_data():
    """Thomas knee SEM 7 deg comes from assessment_tests.json (Peeler & Anderson 2008);
    MDC95 = 1.96 x sqrt(2) x 7 = 19.4 deg (Weir 2005)."""
    error = measurement_error("thomas_knee_deg")
    assert (error.value, error.kind, error.mdc95) == (7.0, "SEM", 19.4)
    assert error == reference.assessment_test("thomas_knee_deg").measurement_error


def test_measurement_error_slr_comes_from_the_reference_data():
    """SLR SEM 2.2-2.6 deg, upper end kept (J Sport Rehabil 2015, 24(4), PubMed 25364856);
    MDC95 7.2 deg derived (Weir 2005), tagged C."""
    error = measurement_error("slr_deg")
    assert (error.value, error.kind, error.evidence) == (2.6, "SEM", "V")
    assert (error.mdc95, error.mdc95_evidence) == (7.2, "C")
    assert "25364856" in error.source
    assert error == reference.assessment_test("slr_deg").measurement_error


def test_progress_rules_keep_no_measurement_errors():
    """One source of truth: a test's measurement error lives only in its row of
    assessment_tests.json, never in progress_rules.json."""
    data = reference.read_data("progress_rules.json")
    assert "measurement_error" not in data
    assert not hasattr(progress_rules(), "measurement_errors")


def test_measurement_error_unknown_test_id_is_none():
    assert measurement_error("no_such_test") is None


def test_measurement_error_unknown_is_none():
    assert measurement_error("hip_ir_deg") is None


# --------------------------------------------------------------------------- branches


def test_reassess_refer_when_a_new_red_flag_appears():
    """Any red flag refers (domain 3); the decision then has no phase and no plan."""
    d = reassess(_sam(), _sam(LATER, screening__red_flags=["progressive_neuro_deficit"]))
    assert d.decision == "refer"
    assert d.phase_before == 2 and d.phase_after is None and d.recommended_phase is None
    assert d.referral.needed and d.referral.urgency == "urgent"
    assert "new since the last assessment" in d.reasons[0].text
    assert d.reasons[0].inputs == {"screening.red_flags": "progressive_neuro_deficit"}
    assert d.reasons[0].source and d.reasons[0].evidence


def test_reassess_refer_when_symptoms_increase():
    """Increasing symptoms refer before training, even with clearance (rules.json referral)."""
    d = reassess(_sam(), _sam(LATER, screening__symptoms_increasing=True,
                              screening__medical_clearance=True))
    assert d.decision == "refer" and d.referral.urgency == "before_training"
    assert [r.rule for r in d.reasons] == [
        "progress.refer (referral.symptoms_increasing: refer before training, not released by clearance)"
    ]


def test_reassess_refer_wins_over_a_pain_rise_and_a_phase_change():
    """Safety first: a referral always wins (architecture, referral rule)."""
    d = reassess(_sam(pain__now=0), _sam(LATER, pain__now=8, screening__trainer_unsure=True))
    assert d.decision == "refer"
    assert all(r.rule.startswith("progress.refer") for r in d.reasons)


def test_reassess_refer_says_when_a_reason_was_already_open():
    both = dict(screening__red_flags=["cancer_history"])
    d = reassess(_sam(**both), _sam(LATER, **both))
    assert d.decision == "refer" and d.phase_before is None
    assert "still open" in d.reasons[0].text


def test_reassess_regress_when_the_phase_goes_down():
    """Phase 2 -> 1 when the Big-3 are no longer tolerated (phase gates, rules.json)."""
    d = reassess(_sam(), _sam(LATER, control__big3_tolerated=False))
    assert (d.decision, d.phase_before, d.phase_after, d.recommended_phase) == ("regress", 2, 1, 1)
    assert [r.rule for r in d.reasons] == ["progress.phase_down"]
    assert "Big-3" in d.reasons[0].text


def test_reassess_regress_when_pain_rises_more_than_two_points_in_the_same_phase():
    """Pain now 0 -> 3 keeps every phase-2 gate (<= 3/10) but rises by 3 > 2 points
    (domain 4c synthesis): drop back one phase, to phase 1."""
    d = reassess(_sam(pain__now=0), _sam(LATER, pain__now=3))
    assert (d.phase_before, d.phase_after) == (2, 2)
    assert (d.decision, d.recommended_phase) == ("regress", 1)
    reason = d.reasons[0]
    assert reason.rule == "progress.pain_rise"
    assert reason.inputs == {"before:pain.now": 0, "after:pain.now": 3}
    assert reason.evidence == "synthesis"


def test_reassess_pain_rise_during_exercise_counts_too():
    d = reassess(_sam(pain__during_exercise=0), _sam(LATER, pain__during_exercise=3))
    assert d.decision == "regress"
    assert d.reasons[0].inputs == {"before:pain.during_exercise": 0, "after:pain.during_exercise": 3}


def test_reassess_pain_rise_of_exactly_two_points_is_not_a_regression():
    """The synthesis says 'rises by more than 2 points': a rise of 2 stays."""
    d = reassess(_sam(pain__now=1), _sam(LATER, pain__now=3))
    assert d.decision == "stay"
    assert d.change("pain.now").exceeds_measurement_error  # still a meaningful change (Ostelo)


def test_reassess_regress_never_goes_below_phase_1():
    """Phase 1 with a pain rise: recommended phase stays 1 (there is no phase 0)."""
    before = _sam(pain__now=0, control__big3_tolerated=False)
    after = _sam(LATER, pain__now=3, control__big3_tolerated=False)
    d = reassess(before, after)
    assert (d.decision, d.phase_before, d.recommended_phase) == ("regress", 1, 1)


def test_reassess_progress_when_the_phase_goes_up():
    """Phase 2 -> 3 once pain <= 2/10 and a neutral spine under load (phase-3 gates)."""
    after = _sam(LATER, pain__now=2, pain__during_exercise=2, control__neutral_under_load=True)
    d = reassess(_sam(), after)
    assert (d.decision, d.phase_before, d.phase_after, d.recommended_phase) == ("progress", 2, 3, 3)
    assert [r.rule for r in d.reasons] == ["progress.phase_up"]


def test_reassess_stay_when_nothing_moves_the_phase():
    d = reassess(_sam(), _sam(LATER))
    assert (d.decision, d.recommended_phase) == ("stay", 2)
    assert [r.rule for r in d.reasons] == ["progress.same_phase"]
    assert d.next_steps  # what would move Sam on, from the current result


def test_reassess_stay_when_starting_after_a_resolved_referral():
    """Previous record referred (no phase); now cleared: start in the phase the gates allow."""
    before = _sam(screening__lower_back_injury=True)
    after = _sam(LATER, screening__lower_back_injury=True, screening__medical_clearance=True)
    d = reassess(before, after)
    assert (d.decision, d.phase_before, d.phase_after, d.recommended_phase) == ("stay", None, 2, 2)
    assert d.reasons[0].rule == "progress.start_after_referral"


def test_reassess_rejects_two_different_clients():
    other = load_example("healthy_jo")
    with pytest.raises(ValueError, match="different clients"):
        reassess(_sam(), other)


def test_reassess_rejects_records_in_the_wrong_order():
    with pytest.raises(ValueError, match="oldest first"):
        reassess(_sam(LATER), _sam())


def test_reassess_rejects_an_invalid_record():
    with pytest.raises(RecordError):
        reassess(_sam(), _sam(LATER, pain__now=11))


def test_reassess_accepts_validated_records():
    d = reassess(validate_record(_sam()), validate_record(_sam(LATER)))
    assert d.decision == "stay" and (d.from_date, d.to_date) == ("2026-11-02", LATER)


def test_reassess_history_gives_one_decision_per_step():
    records = [_sam(), _sam(LATER), _sam("2027-01-11", control__neutral_under_load=True,
                                         pain__now=1, pain__during_exercise=1)]
    assert [d.decision for d in reassess_history(records)] == ["stay", "progress"]


# --------------------------------------------------------------------------- changes


def test_measurement_changes_thomas_knee_against_its_mdc95():
    """SEM 7 deg (Peeler & Anderson 2008) -> MDC95 = 1.96 x sqrt(2) x 7 = 19.4 deg (Weir
    2005): +8 deg (more than the SEM) is still within measurement error, +19 is within,
    +20 is beyond; higher is better (knee below 80 deg is deficient)."""
    before = validate_record(_sam(flexibility__thomas_knee_deg={"left": 70, "right": 82}))
    for after, verdict in ((78, "within_measurement_error"), (89, "within_measurement_error"),
                           (90, "improved"), (50, "worse")):
        rec = validate_record(_sam(LATER, flexibility__thomas_knee_deg={"left": after, "right": 82}))
        left = {c.path: c for c in measurement_changes(before, rec)}["flexibility.thomas_knee_deg.left"]
        assert (left.verdict, left.measurement_error, left.measurement_error_kind) == (verdict, 19.4, "MDC95")
        assert left.exceeds_measurement_error is (verdict != "within_measurement_error")
    assert "beyond the MDC95 of 19.4 deg" in left.text


def test_measurement_changes_exactly_the_error_is_within():
    """Same rule as plots.progress_summary: |change| <= MDC95 is within measurement error
    (SLR SEM 2.6 deg, J Sport Rehabil 2015 -> MDC95 7.2 deg, Weir 2005: 62 -> 69 is
    within, 62 -> 69.2 is within (exactly the MDC95), 62 -> 70 is beyond)."""
    for left, verdict in ((69, "within_measurement_error"), (69.2, "within_measurement_error"),
                          (70, "improved")):
        d = reassess(_sam(), _sam(LATER, flexibility__slr_deg={"left": left, "right": 66}))
        assert d.change("flexibility.slr_deg.left").verdict == verdict
    assert "beyond the MDC95 of 7.2 deg" in d.change("flexibility.slr_deg.left").text


def test_measurement_changes_thomas_hip_lower_is_better():
    """Thigh above the table (angle above 0) is deficient, so a fall is an improvement."""
    d = reassess(_sam(), _sam(LATER, flexibility__thomas_hip_deg={"left": -8, "right": -16}))
    change = d.change("flexibility.thomas_hip_deg.right")
    assert (change.better_when, change.verdict, change.exceeds_measurement_error) == ("lower", "improved", None)
    assert "read with care" in change.text


def test_measurement_changes_side_bridge_against_its_mdc95():
    """Side bridge typical error 11 s (Juan-Recio et al. 2022) -> MDC95 30.5 s (Weir 2005):
    a 13 s rise (more than the typical error) is within measurement error; +31 s is beyond."""
    d = reassess(_sam(), _sam(LATER, endurance__side_bridge_s={"left": 75, "right": 91}))
    left, right = (d.change(f"endurance.side_bridge_s.{s}") for s in ("left", "right"))
    assert (left.change, left.exceeds_measurement_error, left.verdict) == (13, False, "within_measurement_error")
    assert (right.change, right.exceeds_measurement_error, right.verdict) == (31, True, "improved")
    assert right.measurement_error == 30.5


def test_reading_change_is_the_one_verdict():
    """progress.reading_change decides for the decision and the charts: Thomas knee
    +8 deg with SEM 7 deg (Peeler & Anderson 2008) is within its MDC95 19.4 deg (Weir 2005)."""
    from lbp_workbook.engine.progress import reading_change

    c = reading_change("thomas_knee_deg", 70, 78)
    assert (c.verdict, c.measurement_error, c.exceeds_measurement_error) == ("within_measurement_error", 19.4, False)
    assert reading_change("ake_deficit_deg", 30, 21).verdict == "improved"  # lower is better, 9 > 8.0
    assert reading_change("ake_deficit_deg", 30, 22).verdict == "within_measurement_error"


@pytest.mark.parametrize(
    ("before", "after", "meaningful"),
    [
        (5, 3, True),   # 2 points (Ostelo 2008)
        (8, 7, False),  # 1 point, 12.5 %: neither
        (3, 2, True),   # 1 point, 33 %: at least 30 %
        (6, 5, False),  # 1 point, 17 %
        (0, 1, False),  # from 0 only the 2-point rule can apply
    ],
)
def test_measurement_changes_pain_meaningful_change(before, after, meaningful):
    """Meaningful change in pain: at least 2 points or 30 % (Ostelo et al. 2008)."""
    d = reassess(_sam(pain__now=before), _sam(LATER, pain__now=after))
    change = d.change("pain.now")
    assert change.exceeds_measurement_error is meaningful
    assert change.measurement_error_kind == "meaningful change"


def test_measurement_changes_skip_readings_missing_on_either_side():
    before = _sam()
    del before["flexibility"]["schober_cm"]
    d = reassess(before, _sam(LATER))
    with pytest.raises(KeyError):
        d.change("flexibility.schober_cm")


# --------------------------------------------------------------------------- output


def test_decision_to_dict_is_json():
    d = reassess(_sam(), _sam(LATER, screening__red_flags=["saddle_numbness"]))
    data = json.loads(json.dumps(d.to_dict()))
    assert data["decision"] == "refer" and data["schema"] == "lbp-reassessment/1"
    assert data["recommended_phase"] is None


def test_decision_html_escapes_text_and_shows_scope_note():
    before, after = _sam(), _sam(LATER, pain__now=8)
    before["client"]["id"] = after["client"]["id"] = "<b>sam</b>"
    d = reassess(before, after)
    page = d._repr_html_()
    assert "<b>sam</b>" not in page and "&lt;b&gt;sam&lt;/b&gt;" in page
    assert "Scope of practice" in page and "Educational use only" in page
    assert "REGRESS" in page and "synthesis" in page


def test_decision_summary_lists_reasons():
    d = reassess(_sam(), _sam(LATER, control__big3_tolerated=False))
    text = str(d)
    assert text.startswith("sam: 2026-11-02 to 2026-12-07 -> REGRESS")
    assert isinstance(d, Decision) and "- The gates now allow phase 1" in text


def test_progress_import_stays_free_of_plotting_and_widgets():
    """The decision is pure Python (architecture: domain layer)."""
    code = (
        "import sys\n"
        "from lbp_workbook.course.cases import load_case\n"
        "load_case('runner_sam').decisions\n"
        "print(','.join(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
