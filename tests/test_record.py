"""The lbp-assessment/1 record: strict validation, every problem at once, FIELDS, schema."""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
from importlib import resources

import jsonschema
import pytest

from lbp_workbook.engine.record import (
    FIELDS,
    SCHEMA_FILE,
    FieldSpec,
    Problem,
    Record,
    RecordError,
    accepted_for,
    field_spec,
    record_json_schema,
    validate_record,
)

BASE = {"schema": "lbp-assessment/1", "client": {"id": "sam"}}

FULL = {
    "schema": "lbp-assessment/1",
    "client": {"id": "sam", "age": 34, "sex": "male"},
    "date": "2024-03-01",
    "screening": {"red_flags": [], "considerable_lbp_history": False, "lower_back_injury": False,
                  "symptoms_increasing": False, "trainer_unsure": False, "medical_clearance": False},
    "pain": {"now": 2, "during_exercise": 3, "painful_directions": ["flexion"]},
    "flexibility": {"slr_deg": {"left": 62, "right": 66}, "ake_deficit_deg": {"left": 30},
                    "thomas_hip_deg": {"left": -10, "right": 5}, "thomas_knee_deg": {"right": 70},
                    "hip_ir_deg": {"left": 35, "right": 20}, "hip_er_deg": {"left": 45, "right": 40},
                    "schober_cm": 4.5},
    "endurance": {"flexor_s": 90, "extensor_s": 120, "side_bridge_s": {"left": 60, "right": 62}},
    "control": {"holds_neutral_pelvis": True, "big3_tolerated": True},
    "notes": "Runs 3x a week.",
}


def rec(**sections):
    out = copy.deepcopy(BASE)
    out.update(sections)
    return out


def problems(data):
    with pytest.raises(RecordError) as info:
        validate_record(data)
    return info.value.problems


def test_validate_record_full_record_round_trips():
    r = validate_record(FULL)
    assert isinstance(r, Record)
    assert validate_record(r.to_dict()) == r
    assert json.loads(json.dumps(r.to_dict())) == r.to_dict()
    assert r.get("flexibility.thomas_hip_deg.left") == -10
    assert validate_record(r) is r


def test_validate_record_minimal_defaults():
    r = validate_record(BASE)
    d = r.to_dict()
    assert d["screening"]["medical_clearance"] is False
    assert r.get("control.big3_tolerated") is None  # missing = not shown
    assert r.get("flexibility.slr_deg.left") is None


def test_validate_record_dedupes_ids_and_accepts_date_object():
    r = validate_record(rec(screening={"red_flags": ["cancer_history", "cancer_history"]},
                            date=dt.date(2024, 3, 1)))
    assert r.to_dict()["screening"]["red_flags"] == ["cancer_history"]
    assert r.date == "2024-03-01"


def test_record_error_str_one_line_per_problem():
    """Format given in docs/architecture.md: `flexibility.slr_deg.left: 140 is outside 0–130 deg`."""
    with pytest.raises(RecordError) as info:
        validate_record(rec(flexibility={"slr_deg": {"left": 140}}))
    assert str(info.value) == "flexibility.slr_deg.left: 140 is outside 0–130 deg"
    (p,) = info.value.problems
    assert p == Problem("flexibility.slr_deg.left", 140, "0–130 deg", str(info.value))


def test_validate_record_reports_every_problem_at_once():
    bad = rec(
        flexibility={"slr_deg": {"left": 140, "right": "80"}, "hip_ir_deg": {"left": -1}},
        pain={"now": 11, "painful_directions": ["up"]},
        screening={"red_flags": ["bogus"], "trainer_unsure": 1},
        endurance={"flexor_s": 601},
        client={"id": "sam", "age": 11},
        date="2024-02-30",
    )
    paths = {p.path for p in problems(bad)}
    assert paths == {
        "flexibility.slr_deg.left", "flexibility.slr_deg.right", "flexibility.hip_ir_deg.left",
        "pain.now", "pain.painful_directions.0", "screening.red_flags.0",
        "screening.trainer_unsure", "endurance.flexor_s", "client.age", "date",
    }
    for p in problems(bad):
        assert p.message.startswith(p.path + ": ")
        assert p.accepted


@pytest.mark.parametrize(
    "path,value",
    [
        ("flexibility.slr_deg.left", "80"),  # text is not coerced to a number
        ("flexibility.slr_deg.left", True),  # a boolean is not a number
        ("pain.now", "3"),
        ("client.age", 34.0),  # age is a whole number
        ("screening.trainer_unsure", 1),  # 1 is not coerced to True
        ("control.big3_tolerated", "yes"),
        ("client.id", 7),
        ("notes", ["a"]),
    ],
)
def test_validate_record_strict_types(path, value):
    data = _set(rec(), path, value)
    (p,) = problems(data)
    assert (p.path, p.value) == (path, value)
    assert "wrong type" in p.message


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_validate_record_rejects_nan_and_infinity(value):
    (p,) = problems(rec(endurance={"extensor_s": value}))
    assert p.path == "endurance.extensor_s" and "0–600 s" in p.accepted


def test_validate_record_rejects_huge_integer():
    (p,) = problems(rec(endurance={"flexor_s": 10**400}))
    assert p.path == "endurance.flexor_s" and "outside 0–600 s" in p.message


def test_validate_record_unknown_and_misspelt_fields():
    ps = problems(rec(flexibility={"slr": {"left": 60}}, extra=1, client={"id": "a", "nmae": "x"}))
    by_path = {p.path: p for p in ps}
    assert set(by_path) == {"flexibility.slr", "extra", "client.nmae"}
    assert "did you mean slr_deg" in by_path["flexibility.slr"].message
    assert "slr_deg" in by_path["flexibility.slr"].accepted


def test_validate_record_unknown_ids_list_allowed_ones():
    (flag,) = problems(rec(screening={"red_flags": ["headache"]}))
    assert "saddle_numbness" in flag.accepted and flag.value == "headache"
    (direction,) = problems(rec(pain={"painful_directions": ["twisting"]}))
    assert "side_bending" in direction.accepted


@pytest.mark.parametrize("date", ["2024-02-30", "01/03/2024", "20240301", "2024-W01-1", ""])
def test_validate_record_rejects_invalid_dates(date):
    (p,) = problems(rec(date=date))
    assert p.path == "date" and "YYYY-MM-DD" in p.accepted


def test_validate_record_missing_required():
    ps = problems({"client": {}})
    assert {p.path for p in ps} == {"schema", "client.id"}
    assert all(p.value is None and "missing" in p.message for p in ps)


@pytest.mark.parametrize("junk", [None, [], "record", 3, 2.5, b"{}"])
def test_validate_record_non_mapping(junk):
    (p,) = problems(junk)
    assert p.path == "" and "schema" in p.accepted


def test_validate_record_blank_client_id():
    (p,) = problems(rec(client={"id": "   "}))
    assert p.path == "client.id"


NUMERIC = [f for f in FIELDS if f.kind in ("number", "integer")]


@pytest.mark.parametrize("spec", NUMERIC, ids=lambda s: s.path)
def test_validate_record_accepts_range_ends_and_rejects_just_outside(spec):
    """Ranges from docs/architecture.md: every end is accepted, one step past it is not."""
    step = 1 if spec.kind == "integer" else 0.01
    for value in (spec.minimum, spec.maximum):
        value = int(value) if spec.kind == "integer" else value
        validate_record(_field(spec, value))
    for value in (spec.minimum - step, spec.maximum + step):
        value = int(value) if spec.kind == "integer" else value
        (p,) = problems(_field(spec, value))
        assert "is outside" in p.message and p.value == value


def test_fields_ranges_match_architecture():
    """Ranges listed in docs/architecture.md and the issue."""
    expected = {
        "flexibility.slr_deg": (0, 130), "flexibility.ake_deficit_deg": (0, 90),
        "flexibility.thomas_hip_deg": (-40, 60), "flexibility.thomas_knee_deg": (0, 150),
        "flexibility.hip_ir_deg": (0, 80), "flexibility.hip_er_deg": (0, 90),
        "flexibility.schober_cm": (0, 15), "pain.now": (0, 10), "pain.during_exercise": (0, 10),
        "endurance.flexor_s": (0, 600), "endurance.extensor_s": (0, 600),
        "endurance.side_bridge_s": (0, 600), "client.age": (12, 100),
    }
    got = {f.path: (f.minimum, f.maximum) for f in NUMERIC}
    assert got == expected


def test_fields_every_path_exists_in_the_model():
    """Each FieldSpec path (with a side when side-specific) is a real record field."""
    full = validate_record(FULL)
    assert all(isinstance(f, FieldSpec) for f in FIELDS)
    assert len({f.path for f in FIELDS}) == len(FIELDS)
    for f in FIELDS:
        assert f.kind in ("number", "integer", "bool", "choice", "multi_choice")
        parts = f.path.split(".")
        assert parts[0] in Record.model_fields, f.path
        path = f.path + (".left" if f.side_specific else "")
        # unknown paths would raise on construction of a record that sets them
        validate_record(_set(rec(), path, _sample(f)))
        assert field_spec(path) == f
    assert full.get("flexibility.schober_cm") == 4.5


def test_fields_choices_match_validation():
    for f in FIELDS:
        if f.kind == "multi_choice":
            validate_record(_set(rec(), f.path, list(f.choices)))
            assert f.choices


def test_accepted_for_side_specific_parent():
    assert accepted_for("flexibility.slr_deg").startswith('{"left": x, "right": y}')


def test_json_schema_file_matches_models():
    """The shipped schema is exactly what record_json_schema() generates."""
    shipped = json.loads(
        (resources.files("lbp_workbook") / "data" / SCHEMA_FILE).read_text("utf-8")
    )
    assert shipped == record_json_schema()


def test_json_schema_agrees_with_validation():
    schema = record_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors(FULL))
    for bad in (rec(flexibility={"slr_deg": {"left": 140}}), rec(extra=1),
                rec(screening={"red_flags": ["x"]}), rec(date="2024/01/01")):
        assert list(validator.iter_errors(bad))
        with pytest.raises(RecordError):
            validate_record(bad)


@pytest.mark.parametrize(
    "date,ok",
    [
        ("2024-02-29", True), ("1999-12-31", True), ("2024-01-01", True),
        ("2024/01/01", False), ("2024-1-1", False), ("2024-13-01", False),
        ("2024-00-10", False), ("2024-01-32", False), ("2024-01-00", False),
        ("yesterday", False), ("2024-01-01T10:00", False), (" 2024-01-01", False),
        ("\u0662\u0660\u0662\u0664-\u0660\u0661-\u0660\u0661", False),  # Arabic-Indic digits
    ],
)
def test_json_schema_date_pattern_without_format_checker(date, ok):
    """The schema's date has a YYYY-MM-DD pattern as well as "format": "date", so a
    validator with no format checker (the default) still rejects a malformed date."""
    (date_schema,) = [s for s in record_json_schema()["properties"]["date"]["anyOf"]
                      if s.get("type") == "string"]
    assert date_schema["format"] == "date" and date_schema["pattern"]
    validator = jsonschema.Draft202012Validator(record_json_schema())  # no format_checker
    errors = list(validator.iter_errors(rec(date=date)))
    assert (not errors) is ok
    if ok:
        assert validate_record(rec(date=date)).date == date
    else:
        with pytest.raises(RecordError):
            validate_record(rec(date=date))


# ---------------------------------------------------------------- helpers


def _set(data, path, value):
    obj = data
    parts = path.split(".")
    for part in parts[:-1]:
        obj = obj.setdefault(part, {})
    obj[parts[-1]] = value
    return data


def _field(spec, value):
    path = spec.path + (".left" if spec.side_specific else "")
    return _set(rec(), path, value)


def _sample(spec):
    if spec.kind == "bool":
        return True
    if spec.kind == "choice":
        return spec.choices[0]
    if spec.kind == "multi_choice":
        return [spec.choices[0]]
    if spec.kind == "integer":
        return int(spec.minimum)
    return spec.minimum


def test_record_error_odd_keys_stay_on_one_line():
    """Unknown keys with newlines or dots are quoted, so str(err) stays one line per problem."""
    ps = problems(rec(**{"\n": 1, "a.b": 2}))
    assert {p.path for p in ps} == {'"\\n"', '"a.b"'}
    with pytest.raises(RecordError) as info:
        validate_record(rec(**{"\n": 1, "a.b": 2}))
    assert len(str(info.value).splitlines()) == 2


# --------------------------------------------------------------------------- issue 10: odd inputs


def _odd_numbers():
    import decimal
    import fractions

    import numpy as np

    return {
        "client": {"id": "sam", "age": np.int64(34)},
        "date": dt.date(2026, 11, 2),
        "pain": {"now": decimal.Decimal("2.5"), "during_exercise": fractions.Fraction(7, 2)},
        "flexibility": {"slr_deg": {"left": np.float32(62.5), "right": np.int64(66)},
                        "schober_cm": decimal.Decimal("4")},
        "control": {"big3_tolerated": np.bool_(True)},
    }


def test_normalise_record_gives_plain_numbers_and_dates():
    """numpy scalars, Decimal, Fraction and datetime.date (records built from pandas rows)
    become plain int / float / bool / 'YYYY-MM-DD' text, whole numbers staying whole."""
    from lbp_workbook.engine.record import normalise_record

    plain = normalise_record(rec(**_odd_numbers()))
    assert plain["client"]["age"] == 34 and type(plain["client"]["age"]) is int
    assert plain["date"] == "2026-11-02"
    assert plain["pain"] == {"now": 2.5, "during_exercise": 3.5}
    assert plain["flexibility"]["slr_deg"] == {"left": 62.5, "right": 66}
    assert type(plain["flexibility"]["slr_deg"]["right"]) is int
    assert plain["flexibility"]["schober_cm"] == 4 and type(plain["flexibility"]["schober_cm"]) is int
    assert plain["control"]["big3_tolerated"] is True
    assert json.loads(json.dumps(plain)) == plain  # plain JSON
    assert validate_record(rec(**_odd_numbers())).get("flexibility.slr_deg.left") == 62.5


def test_validate_record_odd_number_out_of_range_names_field_value_range():
    import decimal

    (p,) = problems(rec(flexibility={"slr_deg": {"left": decimal.Decimal("140")}}))
    assert p.path == "flexibility.slr_deg.left" and "140" in p.message and "0–130 deg" in p.message
    (p,) = problems(rec(pain={"now": decimal.Decimal("NaN")}))
    assert p.path == "pain.now" and "finite" in p.message


@pytest.mark.parametrize("bad", ["sam\nReferral: not needed", "sam\x1b[31m", "sam\x00",
                                 "sam\u202ekcab", "sa\u200bm", "sam\u2028x", "sam\u2029",
                                 "sam\x7f", "sam\u0085"])
def test_validate_record_rejects_control_and_format_characters_in_client_id(bad):
    (p,) = problems(rec(client={"id": bad}))
    assert p.path == "client.id"
    assert "control or invisible character" in p.message
    assert p.message.isprintable()  # the message itself shows the character escaped
    assert "U+" in p.message


def test_normalise_record_client_id_nfc_and_trimmed():
    from lbp_workbook.engine.record import normalise_record

    nfd = "Zoe\u0308"
    assert normalise_record(rec(client={"id": nfd + "  "}))["client"]["id"] == "Zo\u00eb"
    assert validate_record(rec(client={"id": " Zo\u00eb"})).client.id == "Zo\u00eb"


def test_unknown_field_name_is_shortened_in_the_message():
    """A 10 MB key gives a short error line, not a 10 MB one."""
    key = "k" * 10_000_000
    (p,) = problems(rec(**{key: 1}))
    assert len(p.message) < 500 and "kkk" in p.message and "…" in p.message
    (p,) = problems(rec(client={"id": "sam", key: 1}))
    assert len(p.message) < 500 and p.path.startswith("client.")


def test_shorten_keeps_short_text_and_marks_cut_text():
    from lbp_workbook.engine.record import shorten

    assert shorten("abc") == "abc"
    cut = shorten("x" * 1000, 60)
    assert len(cut) == 60 and cut.endswith("…")


def test_validate_record_hip_rotation_position_optional_and_checked():
    """flexibility.hip_rotation_position: optional ("prone" or "seated"); an older record
    without it stays valid; any other value names the field and the accepted values."""
    base = {"schema": "lbp-assessment/1", "client": {"id": "a"},
            "flexibility": {"hip_ir_deg": {"left": 30}}}
    assert validate_record(base).flexibility.hip_rotation_position is None
    for position in ("prone", "seated"):
        rec = validate_record({**base, "flexibility": {"hip_rotation_position": position}})
        assert rec.to_dict()["flexibility"] == {"hip_rotation_position": position}
    with pytest.raises(RecordError) as err:
        validate_record({**base, "flexibility": {"hip_rotation_position": "supine"}})
    assert str(err.value) == ('flexibility.hip_rotation_position: "supine" is not accepted; '
                              "one of: prone, seated, or null")
