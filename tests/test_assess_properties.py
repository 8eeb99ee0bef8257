"""Property-based tests: nothing but RecordError escapes, and every valid record
gives a result that keeps the safety invariants."""

from __future__ import annotations

import copy
import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lbp_workbook import assess
from lbp_workbook.engine.record import FIELDS, SIDES, Record, RecordError, validate_record

SETTINGS = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["lbp-assessment/1", "flexion", "cancer_history", "2024-01-01", "80", ""])
)
keys = st.text(max_size=12) | st.sampled_from(
    ["schema", "client", "id", "left", "right", "slr_deg", "red_flags", "pain", "now"])
junk = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(keys, inner, max_size=4)
    | st.dictionaries(st.integers(), inner, max_size=2),
    max_leaves=20,
)

FULL = {
    "schema": "lbp-assessment/1",
    "client": {"id": "sam", "age": 34, "sex": "female"},
    "date": "2024-03-01",
    "screening": {"red_flags": ["cancer_history"], "trainer_unsure": True},
    "pain": {"now": 2, "during_exercise": 3, "painful_directions": ["flexion"]},
    "flexibility": {"slr_deg": {"left": 62, "right": 66}, "schober_cm": 4},
    "endurance": {"flexor_s": 90, "extensor_s": 120, "side_bridge_s": {"left": 60, "right": 62}},
    "control": {"holds_neutral_pelvis": True},
    "notes": "x",
}
PATHS = ["schema", "client", "client.id", "client.age", "client.sex", "date", "notes",
         "screening", "screening.red_flags", "pain", "flexibility", "endurance", "control"]
PATHS += [f.path + (f".{s}" if f.side_specific else "") for f in FIELDS for s in SIDES]


def _only_record_error(data):
    try:
        out = validate_record(data)
    except RecordError as err:
        assert err.problems
        for p in err.problems:
            assert isinstance(p.path, str) and isinstance(p.accepted, str) and p.accepted
            assert p.message.startswith(p.path or "(record)")
        assert len(str(err).splitlines()) == len(err.problems)  # one line per problem
        return None
    assert isinstance(out, Record)
    return out


@SETTINGS
@given(junk)
def test_validate_record_junk_raises_only_record_error(data):
    _only_record_error(data)


@SETTINGS
@given(st.dictionaries(keys, junk, max_size=6))
def test_assess_junk_mapping_raises_only_record_error(data):
    data = {"schema": "lbp-assessment/1", "client": {"id": "x"}, **data}
    try:
        res = assess(data)
    except RecordError:
        return
    json.dumps(res.to_dict(), allow_nan=False)


@SETTINGS
@given(st.sampled_from(PATHS), junk)
def test_validate_record_one_field_replaced_with_junk(path, value):
    data = copy.deepcopy(FULL)
    obj = data
    parts = path.split(".")
    for part in parts[:-1]:
        nxt = obj.get(part)
        if not isinstance(nxt, dict):
            nxt = obj[part] = {}
        obj = nxt
    obj[parts[-1]] = value
    rec = _only_record_error(data)
    if rec is None:
        return
    assert validate_record(rec.to_dict()) == rec


# ------------------------------------------------------------- valid records

#: Valid ids: no control or invisible characters (Cc, Cf, Zl, Zp: refused), not blank.
_ids = st.text(st.characters(blacklist_categories=("Cc", "Cf", "Zl", "Zp", "Cs")),
               min_size=1, max_size=8).filter(str.strip)


def _value(spec):
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "choice":
        return st.sampled_from(list(spec.choices) + [None])
    if spec.kind == "multi_choice":
        return st.lists(st.sampled_from(spec.choices), max_size=3)
    if spec.kind == "integer":
        return st.integers(int(spec.minimum), int(spec.maximum))
    # include the exact ends and whole numbers, where cut-offs sit
    return st.one_of(
        st.floats(spec.minimum, spec.maximum, allow_nan=False),
        st.integers(int(spec.minimum), int(spec.maximum)),
    )


@st.composite
def valid_records(draw, flag_weight=0.15):
    data = {"schema": "lbp-assessment/1", "client": {"id": draw(_ids)}}
    for spec in FIELDS:
        if spec.path == "screening.red_flags" and draw(st.floats(0, 1)) > flag_weight:
            continue
        if not draw(st.booleans()):
            continue
        section, name = spec.path.split(".")
        if spec.side_specific:
            value = {s: draw(_value(spec)) for s in SIDES if draw(st.booleans())}
        else:
            value = draw(_value(spec))
        data.setdefault(section, {})[name] = value
    return data


@SETTINGS
@given(valid_records())
def test_assess_valid_records_keep_safety_invariants(data):
    res = assess(data)
    out = res.to_dict()
    json.dumps(out, allow_nan=False)
    rec = validate_record(data)
    assert validate_record(rec.to_dict()) == rec
    if res.referral.needed:
        assert res.phase is None and res.exercises == ()
        assert res.referral.urgency != "none" and res.referral.action
    else:
        assert res.phase in (1, 2, 3) and res.exercises
        assert res.referral.urgency == "none"
    if rec.screening.red_flags:
        assert res.referral.needed
    painful = set(rec.pain.painful_directions)
    assert all(not set(e.loads) & painful for e in res.exercises)
    for area in res.focus_areas:
        if res.exercises:
            assert any(e.kind == "flexibility" and area in e.targets for e in res.exercises)
    assert list(res.focus_areas) == sorted(set(res.focus_areas))
    for f in res.flexibility:
        assert (f.status == "deficient") == (f.deficit > 0)
        assert math.isfinite(f.value)
    for g in res.gates:
        assert g.passed <= g.measured


@SETTINGS
@given(valid_records(flag_weight=0.0))
def test_assess_phase_is_monotone_in_gates(data):
    """Phase 3 implies every gate passed; phase 2 implies every phase-2 gate passed."""
    res = assess(data)
    if res.phase == 3:
        assert all(g.passed for g in res.gates)
    if res.phase == 2:
        assert all(g.passed for g in res.gates if g.phase == 2)
        assert not all(g.passed for g in res.gates if g.phase == 3)
    if res.phase == 1:
        assert not all(g.passed for g in res.gates if g.phase == 2)
