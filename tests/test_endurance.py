"""McGill endurance ratios (domain.md 2c: commonly taught targets; side-to-side
tolerance 0.95-1.05 commonly quoted, unverified, so information only: the sides
differ only beyond the side bridge's MDC95, Juan-Recio 2022 and Weir 2005)."""

from __future__ import annotations

import json
import math

import pytest

from lbp_workbook import assess
from lbp_workbook.engine.record import validate_record
from lbp_workbook.engine.rules.endurance import endurance_profile, endurance_times, ratio


def prof(**times):
    return endurance_profile(
        validate_record({"schema": "lbp-assessment/1", "client": {"id": "a"}, "endurance": times})
    )


def by_id(profile):
    return {r.id: r for r in profile.ratios}


def test_flexor_extensor_exactly_one_is_flagged():
    """Target: flexion:extension below 1.0, so exactly 1.0 is an imbalance (issue: >= 1.0)."""
    r = by_id(prof(flexor_s=100, extensor_s=100))["flexor_extensor"]
    assert r.value == 1.0 and r.flagged
    assert r.inputs == {"endurance.flexor_s": 100, "endurance.extensor_s": 100}


def test_flexor_extensor_below_one_is_fine():
    r = by_id(prof(flexor_s=99, extensor_s=100))["flexor_extensor"]
    assert r.value == pytest.approx(0.99) and not r.flagged


def test_side_extensor_exactly_075_is_fine_and_above_flagged():
    """Target: side bridge:extension 0.75 or less (flag when > 0.75)."""
    r = by_id(prof(extensor_s=100, side_bridge_s={"left": 75, "right": 60}))["side_extensor"]
    assert r.value == 0.75 and not r.flagged
    r = by_id(prof(extensor_s=100, side_bridge_s={"left": 60, "right": 76}))["side_extensor"]
    assert r.value == pytest.approx(0.76) and r.flagged  # the larger of the two sides


def test_side_extensor_one_side_only():
    r = by_id(prof(extensor_s=100, side_bridge_s={"right": 80}))["side_extensor"]
    assert r.value == pytest.approx(0.8) and r.flagged
    assert set(r.inputs) == {"endurance.extensor_s", "endurance.side_bridge_s.right"}


@pytest.mark.parametrize("left,right,flagged", [
    (60, 64, False), (100, 94, False), (100, 130.5, False), (100, 69.5, False),
    (100, 131, True), (100, 69, True), (40, 80, True),
])
def test_side_to_side_flagged_only_beyond_the_side_bridge_mdc95(left, right, flagged):
    """The two sides differ only beyond the side bridge's MDC95 = 1.96 x sqrt(2) x 11 s
    typical error (Juan-Recio et al. 2022, Biology 11:1043; Weir 2005) = 30.5 s; exactly
    30.5 s is within. 60 s against 64 s (ratio 1.07, outside the unverified 0.95-1.05) is
    not an imbalance."""
    r = by_id(prof(side_bridge_s={"left": left, "right": right}))["side_to_side"]
    assert r.value == pytest.approx(right / left) and r.flagged is flagged
    assert (r.target.op, r.target.value, r.target.unit) == ("within", pytest.approx(30.5), "s")
    assert r.evidence == "C"


def test_side_to_side_band_is_the_mdc95_as_a_ratio():
    """|right - left| <= MDC95 (30.5 s) is the same as right/left in 1 -/+ 30.5 / left."""
    r = by_id(prof(side_bridge_s={"left": 61, "right": 70}))["side_to_side"]
    assert r.band == (pytest.approx(0.5), pytest.approx(1.5))


def test_side_to_side_r_tolerance_is_information_only():
    """The 0.95-1.05 tolerance is R (commonly quoted, unverified): kept in the data as
    information, labelled so, and never read by the flag."""
    from lbp_workbook.engine.reference import read_data, rules

    rule = next(r for r in rules().ratios if r.id == "side_to_side")
    assert rule.unverified_tolerance == (0.95, 1.05) and rule.evidence != "R"
    raw = next(r for r in read_data("rules.json")["endurance"]["ratios"] if r["id"] == "side_to_side")
    assert raw["unverified_tolerance"]["evidence"] == "R"
    assert "commonly quoted, unverified" in raw["unverified_tolerance"]["label"]
    assert "lower" not in raw and "upper" not in raw


def test_endurance_times_carry_sem_and_mdc95():
    """Side bridge typical error 11 s (Juan-Recio et al. 2022) -> MDC95 30.5 s (Weir 2005);
    no error is known for the flexor and extensor holds, so they carry none."""
    p = prof(flexor_s=50, extensor_s=60, side_bridge_s={"left": 40, "right": 45})
    assert p.measurement_errors == {
        "side_bridge_s.left": {"sem": 11.0, "mdc95": 30.5},
        "side_bridge_s.right": {"sem": 11.0, "mdc95": 30.5},
    }


def test_only_ratios_from_values_present():
    assert prof().ratios == ()
    assert [r.id for r in prof(flexor_s=50).ratios] == []
    assert [r.id for r in prof(flexor_s=50, extensor_s=60).ratios] == ["flexor_extensor"]
    assert [r.id for r in prof(side_bridge_s={"left": 1, "right": 1}).ratios] == ["side_to_side"]


def test_zero_denominator_is_infinite_and_flagged():
    """Decision in rules.json: x / 0 s with x > 0 is infinite (an imbalance)."""
    p = prof(flexor_s=30, extensor_s=0, side_bridge_s={"left": 0, "right": 40})
    ids = by_id(p)
    assert math.isinf(ids["flexor_extensor"].value) and ids["flexor_extensor"].flagged
    assert math.isinf(ids["side_extensor"].value) and ids["side_extensor"].flagged
    assert math.isinf(ids["side_to_side"].value) and ids["side_to_side"].flagged
    assert {r.id for r in p.imbalances} == set(ids)
    # 0 s against 20 s: an infinite ratio, but the sides differ by less than the MDC95 (30.5 s)
    r = by_id(prof(side_bridge_s={"left": 0, "right": 20}))["side_to_side"]
    assert math.isinf(r.value) and not r.flagged


def test_zero_over_zero_is_not_computed():
    p = prof(flexor_s=0, extensor_s=0, side_bridge_s={"left": 0, "right": 0})
    assert p.ratios == ()
    assert "undefined" in p.note


def test_zero_denominator_result_is_json_serialisable():
    res = assess({"schema": "lbp-assessment/1", "client": {"id": "a"},
                  "endurance": {"flexor_s": 30, "extensor_s": 0}})
    text = json.dumps(res.to_dict(), allow_nan=False)
    assert json.loads(text)["endurance"]["ratios"][0]["value"] is None


def test_ratio_function():
    assert ratio(50, 100) == 0.5
    assert math.isinf(ratio(1, 0))
    assert ratio(0, 0) is None


def test_endurance_times_keys():
    rec = validate_record({"schema": "lbp-assessment/1", "client": {"id": "a"},
                           "endurance": {"extensor_s": 90, "side_bridge_s": {"left": 40}}})
    assert endurance_times(rec) == {"extensor_s": 90, "side_bridge_s.left": 40}


def test_endurance_note_says_commonly_taught():
    assert "commonly taught" in prof().note
