"""Number boxes read what people type (issue 12): "62°", "62 deg", "62,5"; refuse "1e2",
"inf", "nan" and words with one message that names the field by its label and says what
to type. The ranges come from record.FIELDS (the SLR's 0–130 deg, the age's 12–100 years)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lbp_workbook.engine.record import field_spec
from lbp_workbook.views.number_entry import NotANumber, number_entry, parse_number

SLR = field_spec("flexibility.slr_deg")
AGE = field_spec("client.age")
LABEL = "Passive straight-leg raise (left)"
SAYS = "Type a number of degrees, 0 to 130, or leave it blank."


@pytest.mark.parametrize("typed, number", [
    ("62", 62.0), ("62°", 62.0), ("62 °", 62.0), ("62 deg", 62.0), ("62 DEG", 62.0),
    ("62 degrees", 62.0), ("62,5", 62.5), ("62.5", 62.5), (" 62,5° ", 62.5),
    ("-12", -12.0), ("\u221212", -12.0), ("+4", 4.0), (".5", 0.5),
])
def test_parse_number_accepts_what_people_type(typed, number):
    assert parse_number(typed, "deg") == number


@pytest.mark.parametrize("typed", [
    "1e2", "1E2", "inf", "-inf", "nan", "NaN", "infinity", "sixty", "6 2", "62 cm",
    "1,000.5", "62,5,1", "62..5", "°62", "0x10", "1_000", "62 s",
])
def test_parse_number_refuses_what_is_not_a_plain_number(typed):
    with pytest.raises(NotANumber):
        parse_number(typed, "deg")


def test_parse_number_blank_is_not_measured():
    assert parse_number("", "deg") is None and parse_number("   ", "deg") is None


@pytest.mark.parametrize("typed", ["1e2", "inf", "nan", "sixty"])
def test_every_non_number_gets_the_same_message(typed):
    value, message = number_entry(typed, SLR, LABEL)
    assert value is None
    assert message == f"{LABEL}: “{typed}” is not a number. {SAYS}"


def test_out_of_range_and_not_whole_say_what_to_type():
    assert number_entry("200", SLR, LABEL) == (None, f"{LABEL}: 200 is outside 0 to 130. {SAYS}")
    assert number_entry("34.5", AGE, "Age")[1] == (
        "Age: 34.5 is not a whole number. Type a whole number of years, 12 to 100, or leave "
        "it blank.")
    assert number_entry("62,0 deg", SLR, LABEL) == (62, "")
    assert number_entry("", SLR, LABEL) == (None, "")


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 3)))
def test_parse_number_reads_back_what_python_writes(x):
    """Any plain decimal written with a point or a comma reads back as that number."""
    text = f"{x:.3f}"
    assert parse_number(text, "deg") == pytest.approx(x, abs=1e-9)
    assert parse_number(text.replace(".", ",") + "°", "deg") == pytest.approx(x, abs=1e-9)


@given(st.text(max_size=12))
def test_parse_number_never_returns_a_non_finite_number(text):
    """Whatever is typed, the result is None, a finite number, or NotANumber."""
    try:
        value = parse_number(text, "deg")
    except NotANumber:
        return
    assert value is None or math.isfinite(value)
