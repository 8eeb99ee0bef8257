"""Referral: a red flag or trigger always wins; no phase, no exercises while referring."""

from __future__ import annotations

import copy
import json

import pytest

from lbp_workbook import assess
from lbp_workbook.engine import reference
from lbp_workbook.engine.examples import load_example
from lbp_workbook.engine.record import validate_record
from lbp_workbook.engine.result import URGENCY_ORDER
from lbp_workbook.engine.rules.referral import assess_referral, highest_urgency

#: Every phase-3 gate met (gates in data/rules.json): pain 0, all four times,
#: ratios 0.8 / 0.7 / 1.0 inside McGill's targets, every control skill shown.
PHASE3_READY = {
    "schema": "lbp-assessment/1",
    "client": {"id": "ready"},
    "pain": {"now": 0, "during_exercise": 0},
    "endurance": {"flexor_s": 80, "extensor_s": 100, "side_bridge_s": {"left": 70, "right": 70}},
    "control": {"holds_neutral_pelvis": True, "big3_tolerated": True, "neutral_under_load": True},
    "flexibility": {"slr_deg": {"left": 60, "right": 85}},
}
#: The two phase-3-ready records: the fixture above and the example client Max (phase3_max).
READY = {"fixture": PHASE3_READY, "phase3_max": load_example("phase3_max")}
FLAG_IDS = [f.id for f in reference.red_flags()]
SIGNS = [f.id for f in reference.red_flags() if f.kind == "sign"]
RISK_FACTORS = [f.id for f in reference.red_flags() if f.kind == "risk_factor"]
TRIGGERS = ["symptoms_increasing", "symptoms_spread_to_leg", "considerable_lbp_history",
            "lower_back_injury", "trainer_unsure"]

#: Issue 9, section 1, after Finucane et al. 2020 (JOSPT 50:350): history items are risk
#: factors for a clinician to weigh; current findings are signs. The two flags the issue does
#: not list (recent_infection, inflammatory_pattern) are risk factors in the catalogue: a recent
#: infection is a risk factor in Finucane's framework, and the inflammatory pattern is a
#: long-standing condition (over 3 months) that a clinician assesses.
ISSUE_RISK_FACTORS = {"cancer_history", "immunosuppression", "osteoporosis_or_steroids",
                      "iv_drug_use", "structural_deformity", "age_over_50_first_episode",
                      "recent_infection", "inflammatory_pattern"}
ISSUE_SIGNS = {"bladder_dysfunction", "bowel_dysfunction", "saddle_numbness",
               "sexual_dysfunction", "bilateral_leg_symptoms", "progressive_neuro_deficit",
               "unexplained_weight_loss", "fever_or_unwell", "constant_night_pain",
               "significant_trauma", "no_improvement_4_6_weeks"}


def with_screening(base=None, **screening):
    data = copy.deepcopy(base or {"schema": "lbp-assessment/1", "client": {"id": "a"}})
    data["screening"] = screening
    return data


@pytest.mark.parametrize("ready", sorted(READY))
def test_phase3_ready_fixture_reaches_phase3(ready):
    """Guard for the tests below: without screening answers both records are phase 3."""
    res = assess(with_screening(READY[ready]))
    assert res.phase == 3 and res.exercises and not res.referral.needed


@pytest.mark.parametrize("flag_id", FLAG_IDS)
def test_assess_referral_each_red_flag_alone(flag_id):
    """Each red flag refers with its catalogue urgency (data/red_flags.json)."""
    ref = assess_referral(validate_record(with_screening(red_flags=[flag_id])))
    flag = reference.red_flag(flag_id)
    assert ref.needed and ref.urgency == flag.urgency
    (reason,) = ref.reasons
    assert (reason.id, reason.kind, reason.condition) == (flag_id, "red_flag", flag.condition)
    assert reason.inputs["screening.red_flags"] == flag_id
    assert reason.flag_kind == flag.kind
    assert reason.source == flag.source and reason.evidence == flag.evidence
    assert ref.action == reference.rules().action(flag.urgency).action


def test_red_flag_kinds_are_the_issue_lists():
    """Issue 9, section 1 (Finucane et al. 2020, JOSPT 50:350): every flag is a sign or a
    risk factor, exactly as listed; the catalogue has no other flag."""
    assert set(SIGNS) == ISSUE_SIGNS and set(RISK_FACTORS) == ISSUE_RISK_FACTORS


@pytest.mark.parametrize(("flag_id", "urgency", "condition"), [
    ("sexual_dysfunction", "emergency", "cauda equina syndrome"),
    ("age_over_50_first_episode", "urgent", "possible malignancy"),
    ("no_improvement_4_6_weeks", "before_training", "possible malignancy or another serious cause"),
])
def test_red_flag_new_flags_urgency_and_source(flag_id, urgency, condition):
    """New sexual dysfunction is a cauda equina sign (GIRFT CES pathway 2023, BMJ Best Practice;
    listed in the NHS Gloucestershire pathway); age over 50 at a first episode is a malignancy
    risk factor and no improvement after 4-6 weeks a reason to refer before training (both NHS
    Gloucestershire low back pain pathway, V)."""
    flag = reference.red_flag(flag_id)
    assert (flag.urgency, flag.condition) == (urgency, condition)
    assert "g-care.glos.nhs.uk" in flag.source and flag.evidence == "V"
    ref = assess_referral(validate_record(with_screening(red_flags=[flag_id])))
    assert ref.needed and ref.urgency == urgency


@pytest.mark.parametrize("flag_id", SIGNS)
@pytest.mark.parametrize("cleared", [False, True])
@pytest.mark.parametrize("ready", sorted(READY))
def test_assess_sign_overrides_phase3_ready_whatever_clearance(ready, flag_id, cleared):
    """A sign present now (Finucane et al. 2020), with every phase-3 gate met and with or
    without medical clearance, gives a referral with its urgency, no phase and no exercises."""
    res = assess(with_screening(READY[ready], red_flags=[flag_id], medical_clearance=cleared))
    assert res.referral.needed and res.referral.urgency == reference.red_flag(flag_id).urgency
    assert [r.id for r in res.referral.reasons] == [flag_id] and res.referral.released == ()
    assert res.phase is None and res.exercises == ()
    d = res.to_dict()
    assert d["phase"] is None and d["exercises"] == []
    json.dumps(d)


@pytest.mark.parametrize("flag_id", RISK_FACTORS)
@pytest.mark.parametrize("ready", sorted(READY))
def test_assess_risk_factor_without_clearance_refers(ready, flag_id):
    """A risk factor (a history or condition; Finucane et al. 2020) refers with its urgency
    until a clinician has assessed the client: no phase, no exercises."""
    res = assess(with_screening(READY[ready], red_flags=[flag_id]))
    assert res.referral.needed and res.referral.urgency == reference.red_flag(flag_id).urgency
    assert res.phase is None and res.exercises == ()
    (reason,) = res.referral.reasons
    assert reason.inputs == {"screening.red_flags": flag_id, "screening.medical_clearance": False}


@pytest.mark.parametrize("flag_id", RISK_FACTORS)
@pytest.mark.parametrize("ready", sorted(READY))
def test_assess_risk_factor_released_by_clearance(ready, flag_id):
    """Written medical clearance releases a risk factor (issue 9, after Finucane et al. 2020 and
    the urgent action's "bring back written guidance"): it moves to `released`, still shown with
    the guidance to train within the clinician's written guidance, and the phase-3-ready record
    gets its phase and plan."""
    res = assess(with_screening(READY[ready], red_flags=[flag_id], medical_clearance=True))
    ref = res.referral
    assert not ref.needed and ref.reasons == () and ref.urgency == "none"
    assert [r.id for r in ref.released] == [flag_id]
    assert ref.released[0].flag_kind == "risk_factor"
    assert ref.released[0].inputs["screening.medical_clearance"] is True
    assert ref.released_guidance == "Train within the clinician's written guidance."
    assert res.phase == 3 and res.exercises


@pytest.mark.parametrize("sign", ["saddle_numbness", "fever_or_unwell", "no_improvement_4_6_weeks"])
def test_assess_referral_clearance_releases_the_risk_factor_not_the_sign(sign):
    """With a risk factor and a sign and clearance, the risk factor is released, the sign
    still refers with its own urgency (Finucane et al. 2020)."""
    ref = assess_referral(validate_record(with_screening(
        red_flags=["cancer_history", sign], medical_clearance=True)))
    assert ref.needed and ref.urgency == reference.red_flag(sign).urgency
    assert [r.id for r in ref.reasons] == [sign]
    assert [r.id for r in ref.released] == ["cancer_history"]


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_assess_trigger_overrides_phase3_ready(trigger):
    res = assess(with_screening(PHASE3_READY, **{trigger: True}))
    assert res.referral.needed and res.referral.urgency == "before_training"
    assert res.phase is None and res.exercises == ()


@pytest.mark.parametrize("trigger", ["symptoms_increasing", "symptoms_spread_to_leg"])
def test_assess_unreleasable_trigger_holds_phase3_ready_with_clearance(trigger):
    """Increasing symptoms and symptoms that spread into a leg during or after exercise
    (peripheralisation) are new since any clearance: the workbook's referral policy (a
    scope-of-practice decision, data/rules.json) refers before training whatever clearance."""
    res = assess(with_screening(PHASE3_READY, **{trigger: True}, medical_clearance=True))
    assert res.referral.needed and res.referral.urgency == "before_training"
    assert [r.id for r in res.referral.reasons] == [trigger]
    assert res.phase is None and res.exercises == ()


def test_assess_referral_leg_spread_is_optional_for_older_records():
    """Records written before the leg-spread question stay valid and read it as not reported."""
    rec = validate_record(with_screening(red_flags=[], medical_clearance=False))
    assert rec.screening.symptoms_spread_to_leg is None
    assert "symptoms_spread_to_leg" not in rec.to_dict()["screening"]
    assert not assess_referral(rec).needed
    ref = assess_referral(validate_record(with_screening(symptoms_spread_to_leg=False)))
    assert not ref.needed


def test_referral_actions_send_emergencies_to_the_emergency_department():
    """Emergency: the emergency department the same day (A&E in the UK; the emergency number if
    the client cannot get there), NHS Gloucestershire pathway and GIRFT CES pathway; urgent: a
    physician (NHS Gloucestershire pathway)."""
    rules = reference.rules()
    emergency = rules.action("emergency")
    assert "emergency department" in emergency.contact and "A&E" in emergency.contact
    assert "emergency number" in emergency.contact
    assert "physical therapist" not in emergency.contact + emergency.action
    urgent = rules.action("urgent")
    assert "physician" in urgent.contact and "physical therapist" not in urgent.contact


@pytest.mark.parametrize("trigger", ["considerable_lbp_history", "lower_back_injury", "trainer_unsure"])
def test_assess_referral_clearance_releases_history_injury_unsure(trigger):
    """Issue rule: medical clearance releases these three; they stay visible in `released`."""
    ref = assess_referral(validate_record(with_screening(**{trigger: True}, medical_clearance=True)))
    assert not ref.needed and ref.urgency == "none" and ref.reasons == ()
    assert [r.id for r in ref.released] == [trigger]
    assert ref.action == "" and ref.contact == ""
    res = assess(with_screening(PHASE3_READY, **{trigger: True}, medical_clearance=True))
    assert res.phase == 3 and res.exercises


def test_assess_referral_symptoms_increasing_not_released():
    ref = assess_referral(validate_record(
        with_screening(symptoms_increasing=True, lower_back_injury=True, medical_clearance=True)))
    assert ref.needed and ref.urgency == "before_training"
    assert [r.id for r in ref.reasons] == ["symptoms_increasing"]
    assert [r.id for r in ref.released] == ["lower_back_injury"]


def test_assess_referral_urgency_is_highest_present():
    """Order from the issue: emergency > urgent > before_training > routine > none."""
    ref = assess_referral(validate_record(with_screening(
        red_flags=["inflammatory_pattern", "cancer_history"], trainer_unsure=True)))
    assert ref.urgency == "urgent"
    assert [r.urgency for r in ref.reasons] == ["urgent", "before_training", "routine"]
    ref = assess_referral(validate_record(with_screening(
        red_flags=["inflammatory_pattern", "bowel_dysfunction"])))
    assert ref.urgency == "emergency"


def test_assess_referral_routine_only():
    ref = assess_referral(validate_record(with_screening(red_flags=["inflammatory_pattern"])))
    assert ref.needed and ref.urgency == "routine"
    assert "rheumatolog" in (ref.action + ref.contact).lower()


def test_assess_referral_actions_differ_by_urgency():
    texts = {}
    for flag in ("saddle_numbness", "cancer_history", "inflammatory_pattern"):
        ref = assess_referral(validate_record(with_screening(red_flags=[flag])))
        texts[ref.urgency] = ref.action
    ref = assess_referral(validate_record(with_screening(trainer_unsure=True)))
    texts[ref.urgency] = ref.action
    assert len(set(texts.values())) == 4
    assert "emergency" in texts["emergency"].lower()


def test_assess_referral_none_when_nothing_present():
    ref = assess_referral(validate_record(with_screening(medical_clearance=True)))
    assert (ref.needed, ref.urgency, ref.reasons, ref.released) == (False, "none", (), ())
    assert ref.released_guidance == ""


def test_highest_urgency_order():
    for i, u in enumerate(URGENCY_ORDER):
        assert highest_urgency(list(URGENCY_ORDER[: i + 1])) == u
    assert highest_urgency([]) == "none"
