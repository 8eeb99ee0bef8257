"""Numbers as people type them: "62", "62,5", "62°", "62 deg" (pure functions).

:func:`parse_number` reads one number box; :func:`number_entry` adds the
field's whole-number rule and range and words the message a learner sees
("Passive straight-leg raise (left): “sixty” is not a number. Type a number of
degrees, 0 to 130, or leave it blank."). Exponents ("1e2"), "inf" and "nan"
are not plausible entries of a measurement and are refused like any other
text that is not a number. No ipywidgets here: the assessment app's form
(:mod:`lbp_workbook.views.widgets.form`) calls these.
"""

from __future__ import annotations

import math
import re

from lbp_workbook.engine.record import FieldSpec

#: What a number box accepts after the number, by the field's unit (case is ignored).
_UNIT_SUFFIXES: dict[str, tuple[str, ...]] = {
    "deg": ("°", "deg", "degs", "degree", "degrees"),
    "s": ("s", "sec", "secs", "second", "seconds"),
    "cm": ("cm",),
    "/10": ("/10", "/ 10", "out of 10"),
    "years": ("y", "yr", "yrs", "year", "years"),
}
#: The unit in words, for "Type a number of degrees, 0 to 130, or leave it blank".
_UNIT_WORDS: dict[str, str] = {
    "deg": "degrees", "s": "seconds", "cm": "centimetres", "years": "years",
}
_NUMBER = re.compile(r"([+-]?)(\d+(?:[.,]\d+)?|[.,]\d+)")
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u00a0": " "})  # typed minus signs


class NotANumber(ValueError):
    """What was typed in a number box is not a plain number (see :func:`parse_number`)."""


def parse_number(text: str, unit: str = "") -> float | None:
    """Read what a person typed in a number box.

    Parameters
    ----------
    text : str
        The box's text, e.g. ``"62"``, ``"62,5"`` (decimal comma), ``"62°"``,
        ``"62 deg"``, ``"-12"``.
    unit : str
        The field's unit (``"deg"``, ``"s"``, ``"cm"``, ``"/10"``, ``"years"``):
        the unit words that may follow the number (:data:`_UNIT_SUFFIXES`).

    Returns
    -------
    float or None
        The number; None for a blank box (not measured).

    Raises
    ------
    NotANumber
        For anything else: words ("sixty"), exponents ("1e2"), "inf", "nan",
        thousands separators ("1,000.5"), two numbers, or another unit.

    Examples
    --------
    >>> parse_number("62°", "deg"), parse_number("62 deg", "deg"), parse_number("62,5", "deg")
    (62.0, 62.0, 62.5)
    >>> parse_number("  ", "deg") is None
    True
    >>> parse_number("1e2", "deg")
    Traceback (most recent call last):
    ...
    lbp_workbook.views.number_entry.NotANumber: 1e2
    """
    typed = str(text).translate(_MINUS).strip()
    if typed == "":
        return None
    found = _NUMBER.match(typed)
    if found is None:
        raise NotANumber(text)
    rest = typed[found.end():].strip().lower()
    if rest and rest not in _UNIT_SUFFIXES.get(unit, ()):
        raise NotANumber(text)
    sign, digits = found.groups()
    value = float(sign + digits.replace(",", "."))
    if not math.isfinite(value):  # pragma: no cover - the pattern has no inf or nan
        raise NotANumber(text)
    return value


def what_to_type(spec: FieldSpec) -> str:
    """What a number box asks for, in words.

    >>> from lbp_workbook.engine.record import field_spec
    >>> what_to_type(field_spec("flexibility.slr_deg"))
    'Type a number of degrees, 0 to 130, or leave it blank.'
    >>> what_to_type(field_spec("client.age"))
    'Type a whole number of years, 12 to 100, or leave it blank.'
    """
    kind = "a whole number" if spec.kind == "integer" else "a number"
    unit = _UNIT_WORDS.get(spec.unit)
    what = f"{kind} of {unit}" if unit else kind
    return (f"Type {what}, {float(spec.minimum or 0):g} to {float(spec.maximum or 0):g}, "
            "or leave it blank.")


def number_entry(text: str, spec: FieldSpec, label: str) -> tuple[float | int | None, str]:
    """A number box's value and its message ("" when the entry is fine).

    The message names the field by ``label``, repeats what was typed and says
    what to type; a value outside the field's range is refused here, with
    the range, so no message about it ever shows a field path.

    >>> from lbp_workbook.engine.record import field_spec
    >>> number_entry("62,5 deg", field_spec("flexibility.slr_deg"), "SLR (left)")
    (62.5, '')
    >>> number_entry("sixty", field_spec("flexibility.slr_deg"), "SLR (left)")[1]
    'SLR (left): “sixty” is not a number. Type a number of degrees, 0 to 130, or leave it blank.'
    """
    try:
        value = parse_number(text, spec.unit)
    except NotANumber:
        return None, f"{label}: “{text}” is not a number. {what_to_type(spec)}"
    if value is None:
        return None, ""
    shown = f"{value:g}"
    if spec.kind == "integer" and not value.is_integer():
        return None, f"{label}: {shown} is not a whole number. {what_to_type(spec)}"
    low, high = spec.minimum, spec.maximum
    if low is not None and high is not None and not low <= value <= high:
        return None, f"{label}: {shown} is outside {low:g} to {high:g}. {what_to_type(spec)}"
    return (int(value) if value.is_integer() else value), ""


def range_text(spec: FieldSpec) -> str:
    """``"deg, 0–130"``; a scale unit such as ``/10`` is left out (``"0–10"``)."""
    unit = f"{spec.unit}, " if spec.unit and not spec.unit.startswith("/") else ""
    return f"{unit}{float(spec.minimum or 0):g}–{float(spec.maximum or 0):g}"
