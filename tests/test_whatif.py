"""What-if: every change is checked by re-running the engine on the changed record.

The expected values are never computed here: a change is right when
``assess()`` on the changed record really changes the phase or clears a
deficiency, and one step less (towards the current value) does not.
"""

from __future__ import annotations

import copy

import pytest

from lbp_workbook.engine.assessment import assess
from lbp_workbook.engine.examples import list_examples, load_example
from lbp_workbook.engine.record import FIELDS, field_spec
from lbp_workbook.engine.whatif import (
    EXCLUDED_PREFIXES,
    MEDICAL_ONLY_NOTE,
    Change,
    compare,
    field_step,
    get_path,
    set_path,
    what_if,
)


def _record(name: str) -> dict:
    rec = load_example(name)
    return rec.to_dict() if hasattr(rec, "to_dict") else copy.deepcopy(dict(rec))


def _changed(record: dict, path: str, value) -> dict:
    return set_path(copy.deepcopy(record), path, value)


def _spec(path: str):
    return field_spec(path)


EXAMPLES = sorted(list_examples())


def test_what_if_examples_exist():
    """The running example and the architecture's example clients are all there."""
    assert "runner_sam" in EXAMPLES and "red_flag_pat" in EXAMPLES


@pytest.mark.parametrize("setbacks", [False, True], ids=["improvements", "with_setbacks"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_what_if_each_change_is_confirmed_by_assess(name, setbacks):
    """Each listed change, applied alone, qualifies; one step less does not (numbers)."""
    record = _record(name)
    base = assess(record)
    changes = what_if(record, setbacks=setbacks)
    assert changes == what_if(record, base, setbacks=setbacks)  # passing the result changes nothing
    for ch in changes:
        assert isinstance(ch, Change)
        assert get_path(record, ch.path) == ch.current
        after = assess(_changed(record, ch.path, ch.new))
        effects, qualifies = compare(base, after, setbacks)
        assert qualifies, (name, ch.text)
        if not setbacks and after.phase != base.phase:
            assert after.phase > base.phase, ch.text  # improvements only
        assert effects == ch.effects, (name, ch.text)
        spec = _spec(ch.path)
        if spec.kind in ("number", "integer"):
            lo, hi = spec.minimum, spec.maximum
            assert lo <= ch.new <= hi
            assert ch.delta == pytest.approx(ch.new - ch.current)
            back = ch.new - field_step(spec) * (1 if ch.delta > 0 else -1)
            if (back - ch.current) * ch.delta > 0:  # still beyond the current value
                _, q_back = compare(base, assess(_changed(record, ch.path, back)), setbacks)
                assert not q_back, f"{name}: {ch.path} = {back} already qualifies"


@pytest.mark.parametrize("name", EXAMPLES)
def test_what_if_never_offers_screening_or_client_fields(name):
    """Clearing a red flag or a referral trigger is not a trainer's change."""
    for ch in what_if(_record(name), setbacks=True):
        assert ch.path.split(".")[0] not in EXCLUDED_PREFIXES, ch.path
        assert not ch.path.startswith("screening")
    assert "only a medical provider" in MEDICAL_ONLY_NOTE


def test_what_if_empty_while_referral_in_force():
    """red_flag_pat has a red flag: no phase to move, nothing offered."""
    record = _record("red_flag_pat")
    assert assess(record).referral.needed
    assert what_if(record) == ()


def test_what_if_runner_sam_slr_left_reaches_the_cutoff_exactly():
    """runner_sam: SLR left 62 deg is deficient; the change lands exactly on the
    engine's cut-off (exactly at the cut-off is normal), read from the finding."""
    record = _record("runner_sam")
    base = assess(record)
    finding = next(f for f in base.flexibility if f.test == "slr_deg" and f.side == "left")
    assert finding.status == "deficient" and finding.deficient_when == "below"
    changes = [c for c in what_if(record, base) if c.path == "flexibility.slr_deg.left"]
    up = [c for c in changes if c.delta > 0]
    assert len(up) == 1
    assert up[0].new == finding.cutoff
    assert up[0].delta == pytest.approx(finding.cutoff - finding.value)
    assert any("deficient → normal" in e for e in up[0].effects)
    assert "Passive straight-leg raise (left)" in up[0].text
    assert f"{finding.cutoff - finding.value:g} deg more" in up[0].text


def test_what_if_deficient_above_direction_goes_down():
    """AKE deficit is deficient *above* its cut-off: the change lowers the value
    to exactly the cut-off (the engine's finding says which direction)."""
    record = _record("runner_sam")
    record = _changed(record, "flexibility.ake_deficit_deg.left", 35)
    base = assess(record)
    finding = next(f for f in base.flexibility if f.test == "ake_deficit_deg" and f.side == "left")
    assert finding.deficient_when == "above" and finding.status == "deficient"
    down = [c for c in what_if(record, base)
            if c.path == "flexibility.ake_deficit_deg.left" and c.delta < 0]
    assert len(down) == 1 and down[0].new == finding.cutoff
    assert "less" in down[0].text


def test_what_if_off_grid_value_rounds_to_the_grid():
    """A value of 79.5 deg: the nearest grid value that qualifies is the cut-off."""
    record = _changed(_record("runner_sam"), "flexibility.slr_deg.left", 79.5)
    base = assess(record)
    cutoff = next(f.cutoff for f in base.flexibility if f.test == "slr_deg" and f.side == "left")
    up = [c for c in what_if(record, base) if c.path == "flexibility.slr_deg.left" and c.delta > 0]
    assert up and up[0].new == cutoff and up[0].delta == pytest.approx(cutoff - 79.5)


def test_what_if_phase_changes_are_reported_as_phase_words():
    """Across the examples at least one change moves the phase, said as 'phase a → b'."""
    seen = []
    for name in EXAMPLES:
        record = _record(name)
        base = assess(record)
        for ch in what_if(record, base):
            for e in ch.effects:
                if e.startswith("phase "):
                    after = assess(_changed(record, ch.path, ch.new))
                    assert e == f"phase {base.phase} → {after.phase}"
                    seen.append(e)
    assert seen


def test_what_if_not_measured_inputs_are_skipped():
    """An input left empty is never offered as a change (there is nothing to change)."""
    record = _record("runner_sam")
    record["flexibility"].pop("schober_cm", None)
    paths = {c.path for c in what_if(record)}
    assert "flexibility.schober_cm" not in paths


def test_field_step_units():
    """Steps: 1 deg / 1 s / 1 point; 0.5 cm for the Schober reading."""
    assert field_step(field_spec("flexibility.slr_deg")) == 1
    assert field_step(field_spec("flexibility.schober_cm")) == 0.5
    assert field_step(field_spec("client.age")) == 1
    assert all(field_step(s) > 0 for s in FIELDS if s.kind in ("number", "integer"))


def test_change_text_reads_for_a_trainer():
    ch = Change("flexibility.slr_deg.left", "Passive straight-leg raise (left)", "deg",
                72, 80, 8, ("hamstrings left (Passive straight-leg raise): deficient → normal",))
    assert ch.text == ("Passive straight-leg raise (left): 72 → 80 deg (8 deg more): "
                       "hamstrings left (Passive straight-leg raise): deficient → normal")


def test_what_if_setbacks_show_how_close_to_dropping_back():
    """With setbacks, a phase drop is listed too; the pain gate's edge comes from the gate:
    the nearest pain value that fails the engine's phase gate, checked by assess()."""
    record = _record("phase3_max")
    base = assess(record)
    assert base.phase == 3
    assert not any(c.effects[0].startswith("phase 3 → 2") for c in what_if(record, base)
                   if c.effects)
    drops = [c for c in what_if(record, base, setbacks=True) if c.path == "pain.now"]
    assert len(drops) == 1 and drops[0].delta > 0
    after = assess(_changed(record, "pain.now", drops[0].new))
    assert after.phase < base.phase
    assert assess(_changed(record, "pain.now", drops[0].new - 1)).phase == base.phase


def test_what_if_boolean_flip_moves_the_phase():
    """phase3_max with neutral-under-load taken away drops to phase 2 (a phase-3 gate,
    data/rules.json); flipping it back is offered because assess() says it moves the phase up."""
    record = _record("phase3_max")
    record = _changed(record, "control.neutral_under_load", False)
    base = assess(record)
    flips = [c for c in what_if(record, base) if c.path == "control.neutral_under_load"]
    after = assess(_changed(record, "control.neutral_under_load", True))
    assert after.phase > base.phase and len(flips) == 1
    if flips:
        assert flips[0].delta is None and flips[0].new is True
        assert f"phase {base.phase} → {after.phase}" in flips[0].effects


def _exhaustive(record, base, spec, path):
    """The oracle: walk every grid value outward from the current one, re-assessing each."""
    import math

    step = field_step(spec)
    current = get_path(record, path)
    found = {}
    for direction in (+1, -1):
        if direction > 0:
            k = math.floor(current / step + 1e-9) + 1
        else:
            k = math.ceil(current / step - 1e-9) - 1
        while spec.minimum <= k * step <= spec.maximum:
            value = round(k * step, 9)
            _, ok = compare(base, assess(_changed(record, path, value)))
            if ok:
                found[direction] = value
                break
            k += direction
    return found


@pytest.mark.parametrize("name", ["runner_sam", "rower_ria", "golfer_kim"])
def test_what_if_matches_an_exhaustive_scan(name):
    """No change is missed: for every numeric input, a full scan of the accepted range
    (every step, re-assessed) finds the same nearest values as what_if's hinted search."""
    record = _record(name)
    base = assess(record)
    got = {}
    for ch in what_if(record, base):
        if ch.delta is not None:
            got[(ch.path, 1 if ch.delta > 0 else -1)] = ch.new
    expected = {}
    for spec in FIELDS:
        if spec.kind not in ("number", "integer") or spec.path.split(".")[0] in EXCLUDED_PREFIXES:
            continue
        sides = ("left", "right") if spec.side_specific else (None,)
        for path in (f"{spec.path}.{s}" if s else spec.path for s in sides):
            if get_path(record, path) is None:
                continue
            for direction, value in _exhaustive(record, base, spec, path).items():
                expected[(path, direction)] = value
    assert got == expected


@pytest.mark.parametrize("name", EXAMPLES)
def test_what_if_yes_no_flips_match_the_engine(name):
    """For every yes/no input a trainer records, the flip is listed exactly when
    assess() on the flipped record moves the phase up or clears a deficiency."""
    record = _record(name)
    base = assess(record)
    listed = {c.path for c in what_if(record, base) if c.delta is None}
    for spec in FIELDS:
        if spec.kind != "bool" or spec.path.split(".")[0] in EXCLUDED_PREFIXES:
            continue
        if base.referral.needed:
            assert spec.path not in listed
            continue
        flipped = not bool(get_path(record, spec.path))
        _, ok = compare(base, assess(_changed(record, spec.path, flipped)))
        assert (spec.path in listed) == ok, spec.path
