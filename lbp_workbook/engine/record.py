"""The assessment record ``lbp-assessment/1``: pydantic v2 models and validation.

A record is a JSON object (or the same Python mapping) with the sections
``client``, ``date``, ``screening``, ``pain``, ``flexibility``, ``endurance``,
``control`` and ``notes``. Every measurement is optional; side-specific ones
are ``{"left": x, "right": y}`` with either side optional.

:func:`validate_record` checks a mapping in strict mode (no coercion of
``"80"`` to 80 or of 1 to True; NaN, infinities, unknown fields, unknown ids
and implausible values are all rejected) and reports **every** problem at
once in a :class:`RecordError`. The validated :class:`Record` gives back a
normalised plain dict with :meth:`Record.to_dict`.

:data:`FIELDS` is the one list of measurement fields that widgets, CSV
export and docs are built from. Test ranges, units and names come from
``data/assessment_tests.json``; red-flag ids from ``data/red_flags.json``.

>>> rec = validate_record({"schema": "lbp-assessment/1", "client": {"id": "sam"},
...                        "flexibility": {"slr_deg": {"left": 62}}})
>>> rec.to_dict()["flexibility"]
{'slr_deg': {'left': 62.0}}
>>> try:
...     validate_record({"schema": "lbp-assessment/1", "client": {"id": "sam"},
...                      "flexibility": {"slr_deg": {"left": 140}}})
... except RecordError as err:
...     print(err)
flexibility.slr_deg.left: 140 is outside 0–130 deg
"""

from __future__ import annotations

import datetime as _dt
import decimal
import difflib
import fractions
import json
import math
import numbers
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Mapping, Optional

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
)

from lbp_workbook.engine import reference

SCHEMA_ID = "lbp-assessment/1"
SCHEMA_FILE = "lbp-assessment-1.schema.json"

SIDES = ("left", "right")
DIRECTIONS = ("flexion", "extension", "rotation", "side_bending")
SEXES = ("female", "male")
#: How hip rotation was measured: lying face down with the hip straight, or
#: sitting with the hip bent to 90 deg (the record's optional
#: ``flexibility.hip_rotation_position``; the assessment app starts on the first).
HIP_POSITIONS = ("prone", "seated")
HIP_POSITION_PATH = "flexibility.hip_rotation_position"
SCREENING_BOOLS = (
    "considerable_lbp_history",
    "lower_back_injury",
    "symptoms_increasing",
    "trainer_unsure",
    "medical_clearance",
    "symptoms_spread_to_leg",
)
CONTROL_BOOLS = ("holds_neutral_pelvis", "big3_tolerated", "neutral_under_load")

#: Input limits that are not assessment tests (docs/architecture.md): the
#: 0-10 numeric pain rating scale and the age range the workbook is for.
PAIN_MIN, PAIN_MAX = 0, 10
AGE_MIN, AGE_MAX = 12, 100
CLIENT_ID_MAX = 100
NOTES_MAX = 10_000


@dataclass(frozen=True)
class FieldSpec:
    """One measurement field of the record, for widgets, CSV export and docs.

    ``path`` is dotted without the side (``flexibility.slr_deg``); ``kind``
    is ``number``, ``integer``, ``bool``, ``choice`` or ``multi_choice``;
    ``minimum``/``maximum`` are the accepted range (None for non-numbers);
    ``choices`` lists the allowed values of a choice field (added field).
    """

    path: str
    label: str
    unit: str
    minimum: float | None
    maximum: float | None
    kind: str
    side_specific: bool
    help: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    """One problem in a record: where, what was given, what is accepted."""

    path: str  #: dotted field path, "" for the record itself
    value: Any  #: the value given (None when the field is missing)
    accepted: str  #: what is accepted: range with unit, allowed ids, type
    message: str  #: one line, starting with the path


class RecordError(ValueError):
    """A record failed validation; ``problems`` lists every problem found.

    ``str(err)`` is one line per problem.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(p.message for p in self.problems))


# --------------------------------------------------------------------------- FIELDS


def _trigger_help(trigger_id: str, rule: str) -> str:
    """The trigger's plain-words definition (``data/rules.json``), then what it does."""
    trigger = next(t for t in reference.rules().triggers if t.id == trigger_id)
    return f"{trigger.definition} {rule}".strip()


def _build_fields() -> tuple[FieldSpec, ...]:
    flags = tuple(f.id for f in reference.red_flags())
    out = [
        FieldSpec("client.age", "Age", "years", AGE_MIN, AGE_MAX, "integer", False,
                  "Age in whole years."),
        FieldSpec("client.sex", "Sex", "", None, None, "choice", False,
                  "female, male, or left empty.", SEXES),
        FieldSpec("screening.red_flags", "Red flags", "", None, None, "multi_choice", False,
                  "Every red flag the client reports. A sign present now means stop and refer, "
                  "whatever clearance was given; a risk factor (a history or condition) refers "
                  "until a medical clearance releases it.", flags),
        FieldSpec("screening.considerable_lbp_history", "Considerable history of lower back pain",
                  "", None, None, "bool", False, "Refer before training unless medically cleared."),
        FieldSpec("screening.lower_back_injury", "Lower back injury", "", None, None, "bool",
                  False, "Refer before training unless medically cleared."),
        FieldSpec("screening.symptoms_increasing", "Symptoms increasing", "", None, None, "bool",
                  False, _trigger_help("symptoms_increasing",
                                       "Refer before training; clearance does not release this.")),
        FieldSpec("screening.symptoms_spread_to_leg", "Symptoms spread into a leg", "", None,
                  None, "bool", False,
                  _trigger_help("symptoms_spread_to_leg",
                                "Refer before training; clearance does not release this.")),
        FieldSpec("screening.trainer_unsure", "Trainer unsure", "", None, None, "bool", False,
                  "When in doubt, refer. Medical clearance releases this."),
        FieldSpec("screening.medical_clearance", "Medical clearance", "", None, None, "bool",
                  False, "A medical provider has cleared the client for training."),
        FieldSpec("pain.now", "Pain now", "/10", PAIN_MIN, PAIN_MAX, "number", False,
                  "0 = no pain, 10 = worst imaginable (numeric rating scale)."),
        FieldSpec("pain.during_exercise", "Pain during exercise", "/10", PAIN_MIN, PAIN_MAX,
                  "number", False, "Highest pain during the session's exercises, 0-10."),
        FieldSpec("pain.painful_directions", "Painful directions", "", None, None,
                  "multi_choice", False,
                  "Spinal movements that bring on the pain. The plan avoids them and adds "
                  "mobility the other way (a teaching choice, not a test of directional "
                  "preference); symptoms spreading into a leg mean stop and refer.",
                  DIRECTIONS),
    ]
    for test in reference.assessment_tests():
        if test.id == "hip_ir_deg":  # the position both hip rotation readings were taken in
            out.append(FieldSpec(
                HIP_POSITION_PATH, "Hip rotation position", "", None, None, "choice", False,
                "How both hip rotations were measured: prone (lying face down, hip straight) or "
                "seated (sitting, hip bent to 90 deg). Healthy adults give different averages in "
                "the two positions, so the workbook compares each reading with people measured "
                "the same way. Empty = not recorded.", HIP_POSITIONS))
        out.append(
            FieldSpec(test.path, test.name, test.unit, test.minimum, test.maximum, "number",
                      test.side_specific, test.protocol)
        )
    for name, label, help_ in (
        ("holds_neutral_pelvis", "Holds a neutral pelvis",
         "Finds and holds a neutral pelvis with normal breathing, lying and standing."),
        ("big3_tolerated", "Tolerates the Big-3",
         "Curl-up, side bridge and bird-dog (or regressions) held without pain increase."),
        ("neutral_under_load", "Neutral spine under load",
         "Keeps a neutral spine during a loaded hip hinge (a lifting skill the workbook "
         "teaches: a teaching choice, not a proven safety rule)."),
    ):
        out.append(FieldSpec(f"control.{name}", label, "", None, None, "bool", False,
                             help_ + " Missing = not shown yet."))
    from lbp_workbook.engine.person import distress, yellow_flags

    for flag in yellow_flags():
        out.append(FieldSpec(f"psychosocial.{flag.id}", flag.label, "", None, None, "bool",
                             False, flag.description + " As you observe it; never a diagnosis."))
    row = distress()
    out.append(FieldSpec(f"psychosocial.{row['id']}", row["label"], "", None, None, "bool",
                         False, row["description"] + " Suggests the clinician; never holds "
                         "training."))
    return tuple(out)


FIELDS: tuple[FieldSpec, ...] = _build_fields()
_SPEC = {f.path: f for f in FIELDS}


def field_spec(path: str) -> FieldSpec:
    """The :class:`FieldSpec` for a dotted path; the side may be included.

    >>> field_spec("flexibility.slr_deg.left").maximum
    130.0
    """
    parts = path.split(".")
    if parts[-1] in SIDES and ".".join(parts[:-1]) in _SPEC:
        parts = parts[:-1]
    return _SPEC[".".join(parts)]


# --------------------------------------------------------------------------- models

_CONFIG = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False, frozen=True)
#: A date written YYYY-MM-DD with ASCII digits, month 01-12 and day 01-31. The
#: JSON Schema carries it as ``pattern`` next to ``"format": "date"``, because
#: validators enforce ``format`` only with a format checker; the record's own
#: validation also rejects dates that do not exist (2024-02-30).
DATE_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_DATE_RE = re.compile(DATE_PATTERN)


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _date_to_str(value: Any) -> Any:
    if type(value) is _dt.date:
        return value.isoformat()
    return value


def _check_date(value: str) -> str:
    if not _DATE_RE.match(value):
        raise ValueError("not written YYYY-MM-DD")
    _dt.date.fromisoformat(value)  # raises ValueError for 2024-02-30
    return value


#: Unicode categories never accepted in a client id: control (Cc) and format (Cf:
#: bidi overrides such as U+202E, zero-width spaces) characters, line and paragraph
#: separators. They could forge lines in a printout or hide a difference between ids.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def hidden_characters(text: str) -> list[str]:
    r"""The control and invisible characters of ``text``, written ``U+XXXX``.

    >>> hidden_characters("sam\u202e\n")
    ['U+202E', 'U+000A']
    """
    return [f"U+{ord(c):04X}" for c in text if unicodedata.category(c) in _HIDDEN_CATEGORIES]


def visible(text: Any) -> str:
    r"""``text`` with every control or invisible character (and any lone surrogate)
    written as ``\uXXXX``, for one-line text outputs such as a terminal.

    >>> print(visible("sam\nReferral: not needed"))
    sam\u000aReferral: not needed
    """
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in _HIDDEN_CATEGORIES
                   or (0xD800 <= ord(c) <= 0xDFFF) else c for c in str(text))


def shorten(text: Any, limit: int = 80) -> str:
    """``text`` cut to at most ``limit`` characters, marked with "…" when cut: every error
    that echoes input uses it, so a 10 MB key gives a short line.

    >>> shorten("x" * 100, 10)
    'xxxxxxxxx…'
    """
    text = str(text)
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def looks_like_real_name(client_id: Any) -> bool:
    """True for an id of two or more capitalised words ("Jane Smith"): probably a real
    name, where the workbook asks for a pseudonym (a reminder, never a refusal).

    >>> [looks_like_real_name(i) for i in ("Jane Smith", "JS-01", "sam")]
    [True, False, False]
    """
    words = str(client_id).split()
    if len(words) < 2:
        return False
    for word in words:
        rest = word[1:].replace("-", "").replace("'", "").replace("\u2019", "")
        if not (word[0].isupper() and rest.isalpha() and rest.islower()):
            return False
    return True


def normalise_client_id(value: Any) -> Any:
    """A client id as saved and compared: Unicode NFC, spaces around it removed.

    So NFC and NFD "Zoë" and "Zoë " are one client. Only spaces (Unicode
    category Zs) are trimmed; a newline or tab stays, and validation refuses it.
    Non-text is returned as is (validation rejects it).

    >>> normalise_client_id(" Zoe\u0308 ") == "Zo\u00eb"
    True
    """
    if isinstance(value, str):  # only spaces are trimmed: a newline or tab is refused
        return _EDGE_SPACES.sub("", unicodedata.normalize("NFC", str(value)))
    return value


_EDGE_SPACES = re.compile(r"^[^\S\t\n\r\f\v\x1c-\x1f\x85\u2028\u2029]+|"
                          r"[^\S\t\n\r\f\v\x1c-\x1f\x85\u2028\u2029]+$")


def _check_id(value: str) -> str:
    if not value.strip():
        raise ValueError("blank")
    hidden = hidden_characters(value)
    if hidden:
        raise ValueError(f"it contains a control or invisible character ({', '.join(hidden[:3])})")
    return value


def _plain_number(value: Any) -> Any:
    """numpy scalars, Decimal and Fraction as plain int / float (whole values as int)."""
    if isinstance(value, bool) or type(value) in (int, float, str) or value is None:
        return value
    if type(value).__module__ == "numpy" and type(value).__name__ in ("bool", "bool_"):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, (decimal.Decimal, fractions.Fraction)):
        if isinstance(value, decimal.Decimal) and not value.is_finite():
            return float(value)  # NaN / infinity: validation says "not a finite number"
        if value == int(value):
            return int(value)
        return float(value)
    if isinstance(value, float):  # numpy.float64 and other float subclasses
        return float(value)
    if isinstance(value, numbers.Real):  # numpy.float32/16: its shortest text, 62.1 not 62.0999
        number = float(value)
        return float(str(value)) if math.isfinite(number) else number
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if type(value) is _dt.date:
        return value.isoformat()
    if isinstance(value, _dt.datetime) and value.time() == _dt.time(0) and value.tzinfo is None:
        return value.date().isoformat()  # a pandas Timestamp of a day
    if isinstance(value, str) and type(value) is not str:
        return str(value)
    return _plain_number(value)


def normalise_record(data: Mapping[str, Any]) -> dict[str, Any]:
    """A plain copy of a record, as it is validated, saved and exported.

    Numbers that are not plain Python numbers (numpy scalars, ``Decimal``,
    ``Fraction``, as records built from pandas rows have) become ``int`` (whole
    values) or ``float``; a ``datetime.date`` (or a midnight ``datetime``)
    becomes ``YYYY-MM-DD`` text; numpy booleans become ``True``/``False``; the
    client id is put in Unicode NFC with the spaces around it removed
    (:func:`normalise_client_id`). Everything else is copied as it is, so
    ``62`` stays ``62`` and a wrong value is still reported by
    :func:`validate_record`.

    >>> import datetime, decimal
    >>> normalise_record({"client": {"id": "sam "}, "date": datetime.date(2026, 11, 2),
    ...                   "pain": {"now": decimal.Decimal("2.5")}})
    {'client': {'id': 'sam'}, 'date': '2026-11-02', 'pain': {'now': 2.5}}
    """
    plain = _plain(data)
    client = plain.get("client")
    if isinstance(client, dict) and "id" in client:
        client["id"] = normalise_client_id(client["id"])
    return plain


def _number(path: str) -> Any:
    spec = _SPEC[path]
    return Optional[Annotated[float, Field(ge=spec.minimum, le=spec.maximum)]]


if TYPE_CHECKING:
    # Built from the data at import time: to a type checker, a red flag id and a
    # direction are strings (pydantic checks the allowed values at run time).
    RedFlagId = str
    Direction = str
else:
    RedFlagId = Literal[tuple(f.id for f in reference.red_flags())]
    Direction = Literal[DIRECTIONS]


class Client(BaseModel):
    """Who was assessed: a pseudonym, never a real name."""

    model_config = _CONFIG
    id: Annotated[str, Field(min_length=1, max_length=CLIENT_ID_MAX), AfterValidator(_check_id)]
    age: Optional[Annotated[int, Field(ge=AGE_MIN, le=AGE_MAX)]] = None
    sex: Optional[Literal[SEXES]] = None  # type: ignore[valid-type]


class Screening(BaseModel):
    """Red flags and the guideline triggers for referral."""

    model_config = _CONFIG
    red_flags: Annotated[list[RedFlagId], AfterValidator(_dedupe)] = Field(default_factory=list)
    considerable_lbp_history: bool = False
    lower_back_injury: bool = False
    symptoms_increasing: bool = False
    trainer_unsure: bool = False
    medical_clearance: bool = False
    #: Symptoms spread into a leg during or after exercise (added later: optional, so older
    #: records stay valid; missing = not asked, read as "no").
    symptoms_spread_to_leg: Optional[bool] = None


class Pain(BaseModel):
    """Pain on the 0-10 numeric rating scale, and the directions that provoke it."""

    model_config = _CONFIG
    now: _number("pain.now") = None  # type: ignore[valid-type]
    during_exercise: _number("pain.during_exercise") = None  # type: ignore[valid-type]
    painful_directions: Annotated[list[Direction], AfterValidator(_dedupe)] = Field(
        default_factory=list
    )


def _check_activity(value: str) -> str:
    if not value.strip():
        raise ValueError("blank")
    if any(not ch.isprintable() for ch in value):
        raise ValueError("control characters")
    return value.strip()


def _psfs_rule() -> Any:
    from lbp_workbook.engine.person import psfs_rule

    return psfs_rule()


class PsfsItem(BaseModel):
    """One activity of the Patient-Specific Functional Scale and its 0-10 score."""

    model_config = _CONFIG
    activity: Annotated[
        str, Field(min_length=1, max_length=_psfs_rule().activity_max_chars),
        AfterValidator(_check_activity),
    ]
    score: Annotated[float, Field(ge=_psfs_rule().score_min, le=_psfs_rule().score_max)]


class Function(BaseModel):
    """What the client can do: the PSFS activities they named (up to five)."""

    model_config = _CONFIG
    psfs: Annotated[list[PsfsItem], Field(max_length=_psfs_rule().max_activities)] = Field(
        default_factory=list
    )


def _psychosocial_model() -> type[BaseModel]:
    from lbp_workbook.engine.person import distress, yellow_flags

    names = [f.id for f in yellow_flags()] + [distress()["id"]]
    fields: dict[str, Any] = {name: (Optional[bool], None) for name in names}
    return create_model(
        "Psychosocial",
        __config__=_CONFIG,
        __doc__="Yellow flags as the trainer observes them (missing = not noted).",
        **fields,
    )


if TYPE_CHECKING:
    # Models whose fields come from the data files (yellow flags, assessment tests):
    # their attributes are known only at run time.
    Psychosocial = Any
    Flexibility = Any
    Endurance = Any
else:
    Psychosocial = _psychosocial_model()


class Control(BaseModel):
    """Motor-control skills the trainer has seen (missing = not shown)."""

    model_config = _CONFIG
    holds_neutral_pelvis: Optional[bool] = None
    big3_tolerated: Optional[bool] = None
    neutral_under_load: Optional[bool] = None


def _section_model(section: str) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for test in reference.assessment_tests():
        if test.section != section:
            continue
        number = _number(test.path)
        if test.side_specific:
            sided = create_model(
                f"{test.id}_sides",
                __config__=_CONFIG,
                left=(number, None),
                right=(number, None),
            )
            fields[test.id] = (Optional[sided], None)
        else:
            fields[test.id] = (number, None)
        if section == "flexibility" and test.id == "hip_er_deg":
            fields["hip_rotation_position"] = (Optional[Literal[HIP_POSITIONS]], None)
    return create_model(section.capitalize(), __config__=_CONFIG, **fields)


if not TYPE_CHECKING:
    Flexibility = _section_model("flexibility")
    Endurance = _section_model("endurance")


class Record(BaseModel):
    """A validated ``lbp-assessment/1`` record (immutable).

    Build one with :func:`validate_record`; read it back as a plain,
    JSON-ready dict with :meth:`to_dict`.
    """

    model_config = _CONFIG
    schema_: Literal["lbp-assessment/1"] = Field(alias="schema")
    client: Client
    date: Optional[
        Annotated[
            str,
            Field(pattern=DATE_PATTERN, json_schema_extra={"format": "date"}),
            AfterValidator(_check_date),
            BeforeValidator(_date_to_str),
        ]
    ] = None
    screening: Screening = Field(default_factory=Screening)
    pain: Pain = Field(default_factory=Pain)
    flexibility: Flexibility = Field(default_factory=Flexibility)
    endurance: Endurance = Field(default_factory=Endurance)
    control: Control = Field(default_factory=Control)
    function: Function = Field(default_factory=Function)
    psychosocial: Psychosocial = Field(default_factory=Psychosocial)
    notes: Optional[Annotated[str, Field(max_length=NOTES_MAX)]] = None

    def to_dict(self) -> dict[str, Any]:
        """The normalised record as a plain JSON-ready dict.

        Fields left empty (None) are dropped, screening booleans are filled
        with their default ``false`` (the optional ``symptoms_spread_to_leg``
        stays out when not given), repeated ids appear once, and the date
        is a ``YYYY-MM-DD`` string. The optional sections ``function`` and
        ``psychosocial`` appear only when they hold something, so a record
        without them reads exactly as before they existed.
        ``validate_record(rec.to_dict())`` gives back an equal record.
        """
        out = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        if not out.get("function", {}).get("psfs"):
            out.pop("function", None)
        if not out.get("psychosocial"):
            out.pop("psychosocial", None)
        return out

    def get(self, path: str) -> Any:
        """The value at a dotted path (``"flexibility.slr_deg.left"``), or None.

        >>> validate_record({"schema": "lbp-assessment/1", "client": {"id": "a"},
        ...                  "pain": {"now": 2}}).get("pain.now")
        2.0
        """
        obj: Any = self
        for part in path.split("."):
            if obj is None:
                return None
            obj = getattr(obj, part, None)
        return obj


# --------------------------------------------------------------------------- errors


def _allowed_children() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}

    def walk(model: type[BaseModel], prefix: str) -> None:
        names = []
        for name, info in model.model_fields.items():
            key = info.alias or name
            names.append(key)
            child = f"{prefix}.{key}" if prefix else key
            for typ in _model_types(info.annotation):
                walk(typ, child)
        out[prefix] = tuple(names)

    walk(Record, "")
    return out


def _model_types(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    args = getattr(annotation, "__args__", ())
    return [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]


_CHILDREN = _allowed_children()

_STATIC_ACCEPTED = {
    "schema": f'exactly "{SCHEMA_ID}"',
    "client.id": f"a non-blank pseudonym string (1–{CLIENT_ID_MAX} characters, "
                 "no control or invisible characters)",
    "date": "a calendar date written YYYY-MM-DD",
    "notes": f"text (at most {NOTES_MAX} characters)",
    "function.psfs": "a list of up to 5 activities, each {\"activity\": text, \"score\": 0–10}",
    "function.psfs.activity": "the activity in words (1–80 characters)",
    "function.psfs.score": "a PSFS score 0–10 (0 = unable, 10 = as before the problem)",
}


def _range_text(spec: FieldSpec) -> str:
    unit = f" {spec.unit}" if spec.unit and spec.unit != "/10" else ""
    text = f"{spec.minimum:g}–{spec.maximum:g}{unit}"
    if spec.unit == "/10":
        text += " on the pain scale"
    if spec.kind == "integer":  # "a whole number of years from 12 to 100", never "12–100 years"
        of = f" of {spec.unit}" if spec.unit and spec.unit != "/10" else ""
        text = f"a whole number{of} from {spec.minimum:g} to {spec.maximum:g}"
        if spec.unit == "/10":
            text += " on the pain scale"
    return text


def accepted_for(path: str) -> str:
    """Plain words for what a dotted record path accepts.

    >>> accepted_for("flexibility.slr_deg.left")
    '0–130 deg'
    >>> accepted_for("pain.painful_directions")
    'a list of: flexion, extension, rotation, side_bending'
    """
    parts = [p for p in path.split(".") if p and not p.isdigit()]
    key = ".".join(parts)
    if key in _STATIC_ACCEPTED:
        return _STATIC_ACCEPTED[key]
    try:
        spec = field_spec(key)
    except KeyError:
        spec = None
    if spec is not None:
        item = path.split(".")[-1].isdigit()
        if spec.kind in ("number", "integer"):
            text = _range_text(spec)
            if spec.side_specific and parts[-1] not in SIDES:
                return f'{{"left": x, "right": y}}, each {text} (either side optional)'
            return text
        if spec.kind == "bool":
            return "true or false" + (" (or left out = not shown)" if key.startswith("control.") else "")
        if spec.kind == "choice":
            return "one of: " + ", ".join(spec.choices) + ", or null"
        if spec.kind == "multi_choice":
            listed = ", ".join(spec.choices)
            return f"one of: {listed}" if item else f"a list of: {listed}"
    if key in _CHILDREN:
        return "an object with the fields: " + ", ".join(_CHILDREN[key])
    return "a field of the lbp-assessment/1 record"


def _show(value: Any) -> str:
    if isinstance(value, str) and len(value) > 200:  # never dump 10 MB to cut it after
        value = value[:200]
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=True)
        if not text.isprintable():  # e.g. a line separator: keep the message one line
            text = json.dumps(value, allow_nan=True)
    except (TypeError, ValueError, RecursionError):
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


_TYPE_NAMES = {
    bool: "true/false", int: "a whole number", float: "a number", str: "text",
    list: "a list", dict: "an object", type(None): "null",
}


def _path_part(part: Any) -> str:
    text = shorten(part, _KEY_MAX)  # a 10 MB unknown key is echoed cut short
    if isinstance(part, str) and (not text or "." in text or not text.isprintable()):
        return json.dumps(text)  # an odd unknown key: quoted, escaped, still one line
    return text


_KEY_MAX = 60  # longest field name echoed in a message [characters]


def _problem(err: Mapping[str, Any]) -> Problem:
    loc = tuple(err.get("loc", ()))
    path = ".".join(_path_part(p) for p in loc)
    typ = err.get("type", "")
    value = err.get("input")
    where = path or "(record)"
    if typ == "missing":
        accepted = accepted_for(path)
        return Problem(path, None, accepted, f"{where}: missing; required ({accepted})")
    if typ == "extra_forbidden":
        parent = ".".join(_path_part(p) for p in loc[:-1])
        allowed = _CHILDREN.get(parent, ())
        accepted = "one of the fields: " + ", ".join(allowed)
        guess = difflib.get_close_matches(str(loc[-1])[:_KEY_MAX], allowed, n=1)
        hint = f" (did you mean {guess[0]}?)" if guess else ""
        return Problem(path, value, accepted, f"{where}: unknown field{hint}; {accepted}")
    if typ == "invalid_key":
        return Problem(path, value, "field names as text",
                       f"{where}: field name {_show(value)} is not text")
    accepted = accepted_for(path)
    shown = _show(value)
    huge = typ == "float_type" and type(value) is int  # an int too large for a float
    if huge or typ in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        msg = f"{where}: {shown} is outside {accepted}"
    elif typ == "finite_number":
        msg = f"{where}: {shown} is not a finite number; accepted {accepted}"
    elif typ in ("literal_error", "enum"):
        msg = f"{where}: {shown} is not accepted; {accepted}"
    elif typ.endswith("_type") or typ in ("model_type", "model_attributes_type", "dict_type"):
        kind = _TYPE_NAMES.get(type(value), type(value).__name__)
        msg = f"{where}: {shown} ({kind}) has the wrong type; accepted {accepted}"
    elif typ == "value_error" and "control or invisible" in str(err.get("msg", "")):
        reason = str(err["msg"]).removeprefix("Value error, ")
        msg = f"{where}: {shown} is not valid: {reason}; accepted {accepted}"
    elif typ in ("string_pattern_mismatch", "value_error"):
        msg = f"{where}: {shown} is not valid; accepted {accepted}"
    elif typ in ("string_too_short", "string_too_long", "too_long", "too_short"):
        msg = f"{where}: {shown} has the wrong length; accepted {accepted}"
    else:
        msg = f"{where}: {shown} is not valid ({err.get('msg', typ)}); accepted {accepted}"
    return Problem(path, value, accepted, msg)


def validate_record(data: Mapping[str, Any] | Record) -> Record:
    """Validate an ``lbp-assessment/1`` record and return it as a :class:`Record`.

    Parameters
    ----------
    data : mapping or Record
        The record as parsed from JSON (or built in Python). A
        :class:`Record` is returned unchanged.

    Returns
    -------
    Record
        Immutable and validated; ``.to_dict()`` gives the normalised plain dict.

    Raises
    ------
    RecordError
        Listing every problem at once, each with the field path, the value
        given and what is accepted. Nothing else is raised for any input.

    Notes
    -----
    Validation is strict: no type coercion, no NaN or infinity, no unknown
    fields, and every measurement within its physically plausible range
    (``FIELDS``). It checks :func:`normalise_record` of ``data``: numpy
    scalars, ``Decimal`` and ``Fraction`` count as the plain numbers they are,
    a ``datetime.date`` as its ``YYYY-MM-DD`` text, and the client id is NFC
    and trimmed; a client id with a control or invisible character (Unicode
    categories Cc, Cf, Zl, Zp: a newline, ESC, U+202E, U+200B) is refused.
    Plausible is not normal: a valid record can still show deficits.
    """
    if isinstance(data, Record):
        return data
    if not isinstance(data, Mapping):
        accepted = accepted_for("")
        return _raise([Problem("", data, accepted,
                               f"(record): {_show(data)} is not a record; accepted {accepted}")])
    try:
        return Record.model_validate(normalise_record(data))
    except ValidationError as exc:
        return _raise([_problem(e) for e in exc.errors()])
    except (TypeError, ValueError, RecursionError, OverflowError) as exc:
        # Safety net for inputs pydantic cannot even walk (e.g. odd mappings).
        return _raise([Problem("", None, accepted_for(""),
                               f"(record): could not be read ({type(exc).__name__})")])


def _raise(problems: list[Problem]) -> Record:
    raise RecordError(problems)


# --------------------------------------------------------------------------- JSON Schema


def record_json_schema() -> dict[str, Any]:
    """The JSON Schema of ``lbp-assessment/1``, generated from the pydantic models.

    The shipped file ``data/lbp-assessment-1.schema.json`` must equal this
    (a test checks); rewrite it with :func:`write_json_schema`.
    """
    schema = Record.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:lbp-workbook:lbp-assessment/1",
        **schema,
        "title": "lbp-assessment/1: one LBP Workbook assessment record (educational use only)",
    }


def write_json_schema(path: str | Path | None = None) -> Path:
    """Write :func:`record_json_schema` to ``path`` (default: the package data file)."""
    target = Path(path) if path else Path(__file__).resolve().parents[1] / "data" / SCHEMA_FILE
    target.write_text(json.dumps(record_json_schema(), indent=2, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    return target
