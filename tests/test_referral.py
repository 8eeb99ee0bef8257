"""Referral: a red flag or trigger always wins; no phase, no exercises while referring."""

from __future__ import annotations

import copy
import json

import pytest

from lbp_workbook import assess, reference
from lbp_workbook.record import validate_record
from lbp_workbook.result import URGENCY_ORDER
from lbp_workbook.rules.referral import assess_referral, highest_urgency

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
FLAG_IDS = [f.id for f in reference.red_flags()]
TRIGGERS = ["symptoms_increasing", "considerable_lbp_history", "lower_back_injury", "trainer_unsure"]


def with_screening(base=None, **screening):
    data = copy.deepcopy(base or {"schema": "lbp-assessment/1", "client": {"id": "a"}})
    data["screening"] = screening
    return data


def test_phase3_ready_fixture_reaches_phase3():
    """Guard for the tests below: without screening answers the fixture is phase 3."""
    res = assess(PHASE3_READY)
    assert res.phase == 3 and res.exercises and not res.referral.needed


@pytest.mark.parametrize("flag_id", FLAG_IDS)
def test_assess_referral_each_red_flag_alone(flag_id):
    """Each red flag refers with its catalogue urgency (data/red_flags.json)."""
    ref = assess_referral(validate_record(with_screening(red_flags=[flag_id])))
    flag = reference.red_flag(flag_id)
    assert ref.needed and ref.urgency == flag.urgency
    (reason,) = ref.reasons
    assert (reason.id, reason.kind, reason.condition) == (flag_id, "red_flag", flag.condition)
    assert reason.inputs == {"screening.red_flags": flag_id}
    assert reason.source == flag.source and reason.evidence == flag.evidence
    assert ref.action == reference.rules().action(flag.urgency).action


@pytest.mark.parametrize("flag_id", FLAG_IDS)
@pytest.mark.parametrize("cleared", [False, True])
def test_assess_red_flag_overrides_phase3_ready(flag_id, cleared):
    """A red flag with every phase-3 gate met (and even medical clearance) still
    gives a referral, no phase and no exercises."""
    res = assess(with_screening(PHASE3_READY, red_flags=[flag_id], medical_clearance=cleared))
    assert res.referral.needed
    assert res.phase is None and res.exercises == ()
    d = res.to_dict()
    assert d["phase"] is None and d["exercises"] == []
    json.dumps(d)


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_assess_trigger_overrides_phase3_ready(trigger):
    res = assess(with_screening(PHASE3_READY, **{trigger: True}))
    assert res.referral.needed and res.referral.urgency == "before_training"
    assert res.phase is None and res.exercises == ()


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


def test_highest_urgency_order():
    for i, u in enumerate(URGENCY_ORDER):
        assert highest_urgency(list(URGENCY_ORDER[: i + 1])) == u
    assert highest_urgency([]) == "none"
