"""The synthetic example clients (``lbp_workbook.engine.examples`` + ``data/examples/*.json``).

Where each example should land is fixed in docs/architecture.md ("Example clients") and in
each example's own notes; the engine's cut-offs are those of data/assessment_tests.json and
data/rules.json (SLR < 80 deg, AKE deficit > 20 deg, Thomas hip > 0 deg, Thomas knee < 80 deg,
hip IR < 30 deg, hip ER < 40 deg, Schober < 5 cm; flexor:extensor >= 1.0; phase-2 pain <= 3,
phase-3 pain <= 2).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys

import pytest

import lbp_workbook as lbp
from lbp_workbook.engine.assessment import assess
from lbp_workbook.engine.examples import example_path, list_examples, load_example
from lbp_workbook.engine.record import validate_record

NAMED = ("runner_sam", "healthy_jo", "desk_worker_lee", "golfer_kim", "rower_ria",
         "red_flag_pat", "cleared_dana", "phase3_max")
SCREENING = ("red_flags", "considerable_lbp_history", "lower_back_injury", "symptoms_increasing",
             "trainer_unsure", "medical_clearance")


def _result(name):
    return assess(load_example(name))


def _loads(result, direction):
    return [e.id for e in result.exercises if direction in e.loads]


# --------------------------------------------------------------------------- the API


def test_list_examples_has_the_eight_named_clients_sorted():
    names = list_examples()
    assert set(NAMED) <= set(names)
    assert names == sorted(names)
    names.append("mine")  # a fresh list: changing it changes nothing inside the package
    assert "mine" not in list_examples()


def test_load_example_returns_a_fresh_deep_copy():
    first = load_example("runner_sam")
    first["flexibility"]["slr_deg"]["left"] = 120
    first["pain"]["painful_directions"].append("rotation")
    second = load_example("runner_sam")
    assert second["flexibility"]["slr_deg"]["left"] == 62
    assert second["pain"]["painful_directions"] == ["flexion"]
    assert load_example("runner_sam") is not load_example("runner_sam")


@pytest.mark.parametrize("bad", ["runner_bob", "", "../exercises", "runner_sam.json", None])
def test_load_example_unknown_name_lists_the_available_ones(bad):
    with pytest.raises(ValueError) as err:
        load_example(bad)
    message = str(err.value)
    assert "unknown example" in message
    for name in NAMED:
        assert name in message


def test_example_path_points_at_the_file_load_example_reads():
    path = example_path("golfer_kim")
    assert path.is_file() and path.name == "golfer_kim.json"
    assert json.loads(path.read_text(encoding="utf-8")) == load_example("golfer_kim")
    with pytest.raises(ValueError):
        example_path("nobody")


def test_examples_exported_lazily_without_plotting():
    """The flat namespace offers the three names; importing them loads no matplotlib."""
    assert lbp.load_example is load_example and lbp.list_examples is list_examples
    assert "example_path" in lbp.__all__
    code = ("import sys, lbp_workbook as lbp\n"
            "lbp.load_example('runner_sam'); lbp.list_examples()\n"
            "print([m for m in ('matplotlib', 'ipywidgets') if m in sys.modules])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- the files


@pytest.mark.parametrize("name", NAMED)
def test_example_file_is_a_complete_synthetic_record(name):
    raw = json.loads(example_path(name).read_text(encoding="utf-8"))
    assert raw["schema"] == "lbp-assessment/1"
    assert {"id", "age", "sex"} <= set(raw["client"])
    dt.date.fromisoformat(raw["date"])
    assert set(SCREENING) <= set(raw["screening"])
    assert {"now", "painful_directions"} <= set(raw["pain"])
    assert "synthetic example" in raw["notes"].lower()
    validate_record(raw)  # raises RecordError listing every problem


def test_examples_have_distinct_client_ids():
    ids = [load_example(n)["client"]["id"] for n in list_examples()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name", [n for n in NAMED if n != "red_flag_pat"])
def test_example_measures_everything_the_gates_read(name):
    """Every training example records the full battery, so no gate fails just for being
    unmeasured (healthy_jo's neutral-under-load check is left out on purpose), and the hip
    rotation position module 5 teaches (prone)."""
    rec = load_example(name)
    assert set(rec["flexibility"]) == {"slr_deg", "ake_deficit_deg", "thomas_hip_deg",
                                       "thomas_knee_deg", "hip_ir_deg", "hip_er_deg",
                                       "hip_rotation_position", "schober_cm"}
    assert rec["flexibility"]["hip_rotation_position"] == "prone"
    assert set(rec["endurance"]) == {"flexor_s", "extensor_s", "side_bridge_s"}
    assert {"left", "right"} == set(rec["endurance"]["side_bridge_s"])
    expected = {"holds_neutral_pelvis", "big3_tolerated"}
    if name != "healthy_jo":
        expected.add("neutral_under_load")
    assert set(rec["control"]) == expected


def test_runner_sam_matches_the_running_example():
    """docs/architecture.md: 34-year-old runner, SLR about 62 deg left / 66 deg right, pain
    bending forward, no red flags."""
    rec = load_example("runner_sam")
    assert rec["client"] == {"id": "sam", "age": 34, "sex": "male"}
    assert rec["flexibility"]["slr_deg"] == {"left": 62, "right": 66}
    assert min(rec["flexibility"]["ake_deficit_deg"].values()) > 20
    assert rec["pain"] == {"now": 3, "during_exercise": 3, "painful_directions": ["flexion"]}
    assert rec["screening"]["red_flags"] == []


# --------------------------------------------------------------------------- where they land


@pytest.mark.parametrize("name", NAMED)
def test_example_result_is_json_serialisable(name):
    json.dumps(_result(name).to_dict())


def test_runner_sam_lands_in_phase2_with_hamstrings_and_nothing_loading_flexion():
    res = _result("runner_sam")
    assert not res.referral.needed
    assert res.phase == 2
    assert "hamstrings" in res.focus_areas
    assert _loads(res, "flexion") == []
    assert any(e.kind == "flexibility" and "hamstrings" in e.targets for e in res.exercises)
    # flexion hurts and extension does not: mobility the other way (extension)
    assert any(e.kind == "mobility" and e.direction == "extension" for e in res.exercises)
    failing = {g.id for g in res.gates if g.phase == 3 and not g.passed}
    assert {"pain_now_phase3", "neutral_under_load"} <= failing


def test_healthy_jo_has_no_findings_and_waits_for_control_under_load():
    res = _result("healthy_jo")
    assert not res.referral.needed
    assert res.focus_areas == () and res.asymmetries == () and res.endurance.imbalances == ()
    assert res.phase == 2
    assert not any(e.kind in ("flexibility", "mobility") for e in res.exercises)
    gate = next(g for g in res.gates if g.id == "neutral_under_load")
    assert not gate.passed and not gate.measured


def test_desk_worker_lee_has_tight_hip_flexors_and_pain_bending_back():
    res = _result("desk_worker_lee")
    rec = load_example("desk_worker_lee")
    assert min(rec["flexibility"]["thomas_hip_deg"].values()) > 0
    assert max(rec["flexibility"]["thomas_knee_deg"].values()) < 80
    assert res.focus_areas == ("hip_flexors",)
    assert res.phase == 1  # Big 3 not yet tolerated
    assert _loads(res, "extension") == []
    assert any(e.kind == "mobility" and e.direction == "flexion" for e in res.exercises)
    assert any(e.kind == "flexibility" and "hip_flexors" in e.targets for e in res.exercises)


def test_golfer_kim_has_a_hip_rotation_asymmetry_and_no_twisting_work():
    """Ellison et al. 1990: hip rotation sides are 'equal' within 10 deg; Kim differs by 14."""
    res = _result("golfer_kim")
    asym = [a for a in res.asymmetries if a.test == "hip_ir_deg"]
    assert asym and asym[0].difference > 10
    assert "hip_lateral_rotators" in res.focus_areas
    assert res.phase == 2
    assert _loads(res, "rotation") == []


def test_rower_ria_is_held_in_phase2_by_an_endurance_imbalance_alone():
    """Flexor 150 s / extensor 120 s = 1.25, at or above the 1.0 target (domain.md 2c)."""
    res = _result("rower_ria")
    assert [r.id for r in res.endurance.imbalances] == ["flexor_extensor"]
    assert res.phase == 2
    failing = [g.id for g in res.gates if not g.passed]
    assert failing == ["endurance_balanced"]
    assert res.focus_areas == ()


def test_red_flag_pat_is_referred_with_no_phase_and_no_exercise():
    res = _result("red_flag_pat")
    assert load_example("red_flag_pat")["screening"]["red_flags"] == ["saddle_numbness"]
    assert res.referral.needed
    assert res.referral.urgency == "emergency"
    assert [r.id for r in res.referral.reasons] == ["saddle_numbness"]
    assert res.phase is None
    assert res.exercises == ()


def test_cleared_dana_trains_with_her_history_shown_as_released():
    res = _result("cleared_dana")
    assert not res.referral.needed
    assert "considerable_lbp_history" in [r.id for r in res.referral.released]
    assert res.phase is not None and res.exercises
    assert _loads(res, "side_bending") == []
    # without the clearance the same history would stop training
    rec = load_example("cleared_dana")
    rec["screening"]["medical_clearance"] = False
    blocked = assess(rec)
    assert blocked.referral.needed and blocked.phase is None and blocked.exercises == ()


def test_phase3_max_passes_every_gate_and_gets_dynamic_work():
    res = _result("phase3_max")
    assert not res.referral.needed
    assert res.phase == 3
    assert res.gates and all(g.passed for g in res.gates)
    assert res.endurance.imbalances == ()
    assert len(res.endurance.ratios) == 3
    assert any(e.kind == "dynamic" for e in res.exercises)


def test_examples_cover_every_phase_and_a_referral():
    phases = {name: _result(name).phase for name in NAMED}
    assert {1, 2, 3, None} <= set(phases.values())


@pytest.mark.parametrize("name", [n for n in NAMED if n != "red_flag_pat"])
def test_example_plan_spares_the_painful_directions(name):
    rec = load_example(name)
    res = assess(copy.deepcopy(rec))
    painful = set(rec["pain"]["painful_directions"])
    assert [e.id for e in res.exercises if set(e.loads) & painful] == []
