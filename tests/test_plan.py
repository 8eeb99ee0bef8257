"""Exercise plan (rule in docs/architecture.md, section "Exercises")."""

from __future__ import annotations

import itertools

import pytest

from lbp_workbook import assess
from lbp_workbook.engine import reference
from lbp_workbook.engine.reference import parse_exercises
from lbp_workbook.engine.rules.plan import allowed, build_plan
from lbp_workbook.views import wording

DIRECTIONS = ("flexion", "extension", "rotation", "side_bending")
AREAS = ("hamstrings", "hip_flexors", "hip_lateral_rotators", "hip_medial_rotators", "lumbar_mobility")


def row(id, kind, phases=(1, 2, 3), targets=(), loads=(), direction=None):
    return {"id": id, "name": id.replace("_", " "), "kind": kind, "phases": list(phases),
            "targets": list(targets), "loads": list(loads), "direction": direction,
            "dosage": "test dose", "source": f"test fixture for {id}", "evidence": "teaching_choice"}


#: A tiny catalogue of our own, so the rule is tested apart from the shipped data.
CATALOGUE = parse_exercises({"exercises": [
    row("s1", "stability", (1,)),
    row("s123", "stability"),
    row("s_flex", "stability", loads=("flexion",)),
    row("st2", "strength", (2,)),
    row("st23", "strength", (2, 3)),
    row("st1_listed", "strength", (1, 2)),  # strength is never phase 1 work
    row("d3", "dynamic", (3,)),
    row("d2_listed", "dynamic", (2, 3)),  # dynamic only in phase 3
    row("ham_toe_touch", "flexibility", targets=("hamstrings",), loads=("flexion",)),
    row("ham_strap", "flexibility", targets=("hamstrings",)),
    row("ham_strap_2", "flexibility", targets=("hamstrings",)),
    row("hip_flexor", "flexibility", targets=("hip_flexors", "hamstrings")),
    row("mob_ext", "mobility", targets=("lumbar_mobility",), loads=("extension",), direction="extension"),
    row("mob_flex", "mobility", targets=("lumbar_mobility",), loads=("flexion",), direction="flexion"),
]})


def ids(plan):
    return [e.id for e in plan]


def test_build_plan_none_phase_is_empty():
    assert build_plan(None, ["hamstrings"], [], catalogue=CATALOGUE) == ()


@pytest.mark.parametrize(
    "phase,expected",
    [
        (1, ["s1", "s123", "s_flex"]),
        (2, ["s123", "s_flex", "st2", "st23", "st1_listed"]),
        (3, ["s123", "s_flex", "st23", "d3", "d2_listed"]),
    ],
)
def test_build_plan_phase_kinds(phase, expected):
    """Stability for p >= 1, strength for p >= 2, dynamic for p = 3, each listing p."""
    assert ids(build_plan(phase, [], [], catalogue=CATALOGUE)) == expected


def test_build_plan_first_allowed_flexibility_per_focus_area():
    plan = build_plan(1, ["hamstrings"], [], catalogue=CATALOGUE)
    assert "ham_toe_touch" in ids(plan) and "ham_strap" not in ids(plan)
    plan = build_plan(1, ["hamstrings"], ["flexion"], catalogue=CATALOGUE)
    assert "ham_strap" in ids(plan) and "ham_toe_touch" not in ids(plan)
    assert "s_flex" not in ids(plan)


def test_build_plan_exercise_listed_once_with_every_reason():
    plan = build_plan(1, ["hip_flexors", "hamstrings"], ["flexion"],
                      catalogue=parse_exercises({"exercises": [
                          row("both", "flexibility", targets=("hamstrings", "hip_flexors"))]}))
    (only,) = plan
    assert [w.focus_area for w in only.why] == ["hamstrings", "hip_flexors"]


@pytest.mark.parametrize(
    "painful,expected",
    [
        (["flexion"], ["mob_ext"]),
        (["extension"], ["mob_flex"]),
        (["flexion", "extension"], []),
        (["rotation"], []),
        ([], []),
    ],
)
def test_build_plan_directional_mobility(painful, expected):
    plan = build_plan(1, [], painful, catalogue=CATALOGUE)
    assert [e.id for e in plan if e.kind == "mobility"] == expected
    for e in plan:
        assert not set(e.loads) & set(painful)


def test_allowed_checks_loads_against_painful_directions():
    by_id = {e.id: e for e in CATALOGUE}
    assert allowed(by_id["ham_toe_touch"], ["extension", "rotation"])
    assert not allowed(by_id["ham_toe_touch"], ["rotation", "flexion"])
    assert allowed(by_id["ham_strap"], DIRECTIONS)


def test_build_plan_rejects_bad_phase():
    with pytest.raises(ValueError):
        build_plan(4, [], [], catalogue=CATALOGUE)


def test_build_plan_fields_copied_from_catalogue():
    (e,) = [e for e in build_plan(1, [], ["flexion"], catalogue=CATALOGUE) if e.id == "mob_ext"]
    assert (e.kind, e.direction, e.loads, e.dosage) == ("mobility", "extension", ("extension",), "test dose")
    # the rule is named for what it is (issue 9 section 4; May & Aina 2012 define
    # directional preference by repeated-movement testing, which the record never does)
    assert [(w.kind, w.painful, w.direction) for w in e.why] == [("direction", "flexion", "extension")]
    words = wording.reasons(e.why)
    assert "avoid the painful direction; mobility work goes the other way" in words
    assert "teaching choice" in words and "preference" not in words
    assert (e.source, e.evidence) == ("test fixture for mob_ext", "teaching_choice")


def test_build_plan_each_exercise_carries_its_own_rows_source():
    """Every planned exercise's source and evidence are its own catalogue row's."""
    by_id = {e.id: e for e in CATALOGUE}
    plan = build_plan(3, list(AREAS), ["extension"], catalogue=CATALOGUE)
    assert len(plan) > 3
    for e in plan:
        assert e.source == f"test fixture for {e.id}"
        assert (e.source, e.evidence) == (by_id[e.id].source, by_id[e.id].evidence)


# ---------------------------------------------------------------- the shipped catalogue


def shipped():
    try:
        return reference.exercises()
    except reference.ReferenceDataError:
        pytest.skip("data/exercises.json not written yet")


@pytest.mark.parametrize("painful", [list(c) for n in range(5) for c in itertools.combinations(DIRECTIONS, n)])
def test_shipped_plan_covers_every_focus_area(painful):
    """With the shipped catalogue, every focus area gets a flexibility exercise and
    no chosen exercise loads a painful direction, for every set of painful directions."""
    catalogue = shipped()
    for phase in (1, 2, 3):
        plan = build_plan(phase, AREAS, painful, catalogue=catalogue)
        for area in AREAS:
            assert any(e.kind == "flexibility" and area in e.targets for e in plan), (phase, area)
        assert all(not set(e.loads) & set(painful) for e in plan)
        kinds = {e.kind for e in plan}
        assert "stability" in kinds
        assert ("strength" in kinds) == (phase >= 2)
        assert ("dynamic" in kinds) == (phase == 3)
        for bad, good in (("flexion", "extension"), ("extension", "flexion")):
            if bad in painful and good not in painful:
                assert any(e.kind == "mobility" and e.direction == good for e in plan)


def test_assess_plan_running_example():
    """Running example runner_sam (docs/architecture.md): tight hamstrings, flexion
    painful, phase 2: hamstring work without flexion load, extension mobility."""
    shipped()
    res = assess({
        "schema": "lbp-assessment/1", "client": {"id": "sam", "age": 34},
        "pain": {"now": 2, "during_exercise": 2, "painful_directions": ["flexion"]},
        "flexibility": {"slr_deg": {"left": 62, "right": 66}},
        "control": {"holds_neutral_pelvis": True, "big3_tolerated": True},
    })
    assert res.phase == 2
    assert any(e.kind == "flexibility" and "hamstrings" in e.targets for e in res.exercises)
    assert any(e.kind == "mobility" and e.direction == "extension" for e in res.exercises)
    assert all("flexion" not in e.loads for e in res.exercises)
    assert all(e.why for e in res.exercises)



@pytest.mark.parametrize("name", ["runner_sam", "desk_worker_lee", "golfer_kim", "phase3_max"])
def test_assess_plan_sources_from_exercises_json(name):
    """Each planned exercise of an example carries source and evidence exactly as in
    data/exercises.json (read raw here, not through reference.py), also in to_dict()."""
    import json
    from importlib import resources

    from lbp_workbook.engine.examples import load_example

    raw = json.loads((resources.files("lbp_workbook") / "data" / "exercises.json").read_text("utf-8"))
    rows = {r["id"]: r for r in raw["exercises"]}
    res = assess(load_example(name))
    assert res.exercises
    for e, d in zip(res.exercises, res.to_dict()["exercises"]):
        assert (e.source, e.evidence) == (rows[e.id]["source"], rows[e.id]["evidence"])
        assert (d["source"], d["evidence"]) == (e.source, e.evidence)
        assert e.source.strip()


# ---------------------------------------------------------------- the phase decision's source


def _rules_gates():
    import json
    from importlib import resources

    return json.loads((resources.files("lbp_workbook") / "data" / "rules.json").read_text("utf-8"))["gates"]


@pytest.mark.parametrize("name,phase", [("runner_sam", 2), ("phase3_max", 3), ("red_flag_pat", None)])
def test_assess_phase_decision_carries_rule_and_source(name, phase):
    """The phase decision's source is the gates' row of data/rules.json (read raw here)."""
    from lbp_workbook.engine.examples import load_example

    gates = _rules_gates()
    res = assess(load_example(name))
    assert res.phase == phase
    assert (res.phase_source, res.phase_evidence) == (gates["source"], gates["evidence"])
    assert res.phase_evidence == "synthesis"
    expected_rule = "phase.referral" if phase is None else "phase.gates"
    assert res.phase_rule.startswith(expected_rule + ":")
    d = res.to_dict()
    assert (d["phase_rule"], d["phase_source"], d["phase_evidence"]) == (
        res.phase_rule, res.phase_source, res.phase_evidence)
