"""No unverified number decides a phase (issue 9, section 3).

An R value (domain.md: commonly quoted, unverified) never decides anything. These tests
walk every gate of every phase: the values each gate reads carry no R tag, and changing
every R-tagged number in the data files changes no gate of any example or case record.
"""

from __future__ import annotations

import copy

import pytest

from lbp_workbook import assess
from lbp_workbook.course.cases import list_cases, load_case
from lbp_workbook.engine import reference
from lbp_workbook.engine.examples import list_examples, load_example
from lbp_workbook.engine.rules.phase import gate_reads

READY3 = {
    "schema": "lbp-assessment/1",
    "client": {"id": "ready"},
    "pain": {"now": 2, "during_exercise": 2},
    "endurance": {"flexor_s": 80, "extensor_s": 100, "side_bridge_s": {"left": 70, "right": 70}},
    "control": {"holds_neutral_pelvis": True, "big3_tolerated": True, "neutral_under_load": True},
}


def _records():
    out = [load_example(name) for name in list_examples()]
    for name in list_cases():
        out += [copy.deepcopy(dict(r)) for r in load_case(name).assessments]
    return out + [READY3]


def test_every_gate_of_every_phase_is_walked():
    """Phases 2 and 3 both have gates, and gate_reads knows every gate kind."""
    gates = reference.rules().gates
    assert {g.phase for g in gates} == {2, 3}
    assert {g.kind for g in gates} <= {"at_most", "true", "all_endurance", "no_imbalance"}


@pytest.mark.parametrize("gate", reference.rules().gates, ids=lambda g: g.id)
def test_no_gate_reads_a_value_tagged_r(gate):
    """Every value a gate reads is tagged V, V2, C, synthesis or teaching_choice, never R."""
    for where, evidence in gate_reads(gate):
        assert evidence in reference.EVIDENCE_TAGS, where
        assert evidence != "R", f"gate {gate.id} reads an unverified (R) value: {where}"


def test_the_balance_gate_reads_the_ratio_rules_and_the_side_bridge_mdc95():
    """McGill's flexor:extensor and side:extensor targets stay (V2, commonly taught); the
    side-to-side check reads the side bridge's SEM (Juan-Recio et al. 2022, V) and its
    MDC95 (C, Weir 2005)."""
    gate = next(g for g in reference.rules().gates if g.kind == "no_imbalance")
    reads = dict(gate_reads(gate))
    assert reads["rules.json endurance.ratios.flexor_extensor"] == "V2"
    assert reads["rules.json endurance.ratios.side_extensor"] == "V2"
    assert reads["rules.json endurance.ratios.side_to_side"] == "C"
    assert reads["assessment_tests.json side_bridge_s.measurement_error.sem"] == "V"
    assert reads["assessment_tests.json side_bridge_s.measurement_error.mdc95"] == "C"


def _r_rows(obj):
    """Every mapping tagged evidence R in a parsed data file."""
    if isinstance(obj, dict):
        if obj.get("evidence") == "R":
            yield obj
        for v in obj.values():
            yield from _r_rows(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _r_rows(v)


def _scramble(row):
    """Move every number of an R row far away (x 10 + 7), so any reader would notice."""
    for key, value in row.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            row[key] = value * 10 + 7


def test_changing_every_r_value_changes_no_gate(monkeypatch):
    """Behaviour, not just tags: scramble every number tagged R in rules.json and
    assessment_tests.json, and every gate of every example and case record (and a
    phase-3-ready record) passes or fails exactly as before, with the same phase."""
    records = _records()
    before = [(r.phase, [(g.id, g.passed) for g in r.gates]) for r in map(assess, records)]
    rules_raw = copy.deepcopy(reference.read_data("rules.json"))
    tests_raw = copy.deepcopy(reference.read_data("assessment_tests.json"))
    scrambled = 0
    for raw in (rules_raw, tests_raw):
        for row in _r_rows(raw):
            _scramble(row)
            scrambled += 1
    assert scrambled >= 1  # the side-to-side tolerance is still in the data, as information
    monkeypatch.setattr(reference, "rules", lambda: reference.parse_rules(rules_raw))
    tests = reference.parse_assessment_tests(tests_raw)
    monkeypatch.setattr(reference, "assessment_tests", lambda: tests)
    after = [(r.phase, [(g.id, g.passed) for g in r.gates]) for r in map(assess, records)]
    assert after == before


def test_sixty_against_sixty_four_seconds_does_not_block_phase_3():
    """Issue 9 section 3: with an 11 s typical error (Juan-Recio et al. 2022) a 60 s / 64 s
    side bridge (ratio 1.07, outside the unverified 0.95-1.05) is no imbalance: the sides
    differ by 4 s, less than the MDC95 of 30.5 s (Weir 2005)."""
    record = copy.deepcopy(READY3)
    record["endurance"] = {"flexor_s": 40, "extensor_s": 100, "side_bridge_s": {"left": 60, "right": 64}}
    result = assess(record)
    assert result.phase == 3
    ratio = next(r for r in result.endurance.ratios if r.id == "side_to_side")
    assert not ratio.flagged and result.endurance.imbalances == ()


def test_sides_apart_by_more_than_the_mdc95_block_phase_3():
    """40 s against 75 s: 35 s apart, more than the side bridge's MDC95 of 30.5 s
    (Juan-Recio et al. 2022; Weir 2005): an imbalance, so phase 2."""
    record = copy.deepcopy(READY3)
    record["endurance"] = {"flexor_s": 40, "extensor_s": 100, "side_bridge_s": {"left": 40, "right": 75}}
    result = assess(record)
    assert [r.id for r in result.endurance.imbalances] == ["side_to_side"]
    assert result.phase == 2
