"""The person behind the back: yellow flags, suggestions, the PSFS and session pain.

Everything here reads ``data/person.json``, the one place its rules, limits
and sources live:

- :func:`yellow_flags`: the psychosocial factors a trainer may notice
  (recorded under ``psychosocial`` in the record, as the trainer observes
  them). They never stop the programme by themselves and are never a
  diagnosis.
- :func:`suggestions`: ``psychosocial.distress_high`` adds the suggestion
  that the client talks to their clinician. It is not a referral: it never
  sets ``referral.needed`` and never holds training.
- :func:`psfs_average` and :func:`psfs_change`: the Patient-Specific
  Functional Scale (up to five activities the client names, each 0-10) and
  whether a change between two visits is larger than its smallest real
  change.
- :func:`session_advice`: the pain-monitoring (traffic-light) model for the
  next session, from the pain during a session and the next morning.

Educational use only. Pure Python: no matplotlib, no ipywidgets.

>>> [f.id for f in yellow_flags()][:2]
['fear_of_movement', 'pain_means_damage']
>>> session_advice(2, settled_next_morning=True).zone
'green'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, Mapping, Sequence

from lbp_workbook.engine import reference

__all__ = [
    "PsfsChange",
    "PsfsRule",
    "SessionAdvice",
    "Suggestion",
    "YellowFlag",
    "psfs_average",
    "psfs_change",
    "psfs_rule",
    "session_advice",
    "suggestions",
    "yellow_flags",
]

DATA_FILE = "person.json"


@dataclass(frozen=True)
class YellowFlag:
    """One psychosocial factor (a "yellow flag") a trainer may notice."""

    id: str  #: field name under ``psychosocial`` in the record
    label: str
    description: str
    notice: str  #: the kind of thing a client might say
    source: str
    evidence: str


@dataclass(frozen=True)
class Suggestion:
    """Something the trainer is advised to suggest; never a referral, never a hold.

    ``Result.suggestions`` lists them; ``referral`` is unaffected.
    """

    id: str  #: the record field that raised it, e.g. "distress_high"
    text: str  #: what to suggest, in plain words
    reason: str  #: why, in plain words
    inputs: Mapping[str, Any]
    source: str
    evidence: str


@dataclass(frozen=True)
class PsfsRule:
    """The PSFS's limits and smallest real change (``data/person.json``, ``psfs``).

    Attributes
    ----------
    max_activities : int
        Activities a client may name (5).
    score_min, score_max : float
        Score range [0-10 PSFS points].
    mdc_average_points, mdc_single_points : float
        Smallest change beyond measurement error [PSFS points] for the
        average score and for one activity (Stratford et al. 1995).
    """

    name: str
    max_activities: int
    activity_max_chars: int
    score_min: float
    score_max: float
    score_meaning: str
    mdc_average_points: float
    mdc_single_points: float
    mdc_label: str
    source: str
    evidence: str


@dataclass(frozen=True)
class PsfsChange:
    """The change of the average PSFS score between two visits."""

    before: float  #: average score at the earlier visit [0-10 PSFS points]
    after: float  #: average score at the later visit [0-10 PSFS points]
    change: float  #: after - before [PSFS points]; positive = better function
    mdc_points: float  #: the smallest real change it is compared with [PSFS points]
    verdict: Literal["improved", "worse", "within_measurement_error", "no_change"]
    source: str
    evidence: str


@dataclass(frozen=True)
class SessionAdvice:
    """What to change next session, from the pain-monitoring (traffic-light) model."""

    zone: Literal["green", "amber", "red"]
    label: str
    advice: str
    stop_and_refer: bool  #: symptoms not settling or spreading into a leg
    source: str
    evidence: str


# --------------------------------------------------------------------------- data


@lru_cache(maxsize=1)
def _data() -> Mapping[str, Any]:
    return reference.read_data(DATA_FILE)


@lru_cache(maxsize=1)
def yellow_flags() -> tuple[YellowFlag, ...]:
    """The yellow flags the workbook teaches, in teaching order.

    References
    ----------
    Nicholas MK, Linton SJ, Watson PJ, Main CJ 2011. Early identification
    and management of psychological risk factors ("yellow flags") in
    patients with low back pain: a reappraisal. Phys Ther 91(5):737-753.
    """
    rows = _data()["yellow_flags"]
    return tuple(
        YellowFlag(
            id=r["id"], label=r["label"], description=r["description"], notice=r["notice"],
            source=r["source"], evidence=r["evidence"],
        )
        for r in rows
    )


def distress() -> Mapping[str, Any]:
    """The ``distress_high`` row: its label, suggestion, reason and source."""
    return _data()["distress"]


@lru_cache(maxsize=1)
def psfs_rule() -> PsfsRule:
    """The PSFS's limits and smallest real change.

    >>> rule = psfs_rule()
    >>> rule.max_activities, rule.mdc_average_points, rule.mdc_single_points
    (5, 2.0, 3.0)

    References
    ----------
    Stratford P, Gill C, Westaway M, Binkley J 1995. Assessing disability and
    change on individual patients: a report of a patient specific measure.
    Physiotherapy Canada 47(4):258-263.
    """
    r = _data()["psfs"]
    return PsfsRule(
        name=r["name"], max_activities=int(r["max_activities"]),
        activity_max_chars=int(r["activity_max_chars"]),
        score_min=float(r["score_min"]), score_max=float(r["score_max"]),
        score_meaning=r["score_meaning"],
        mdc_average_points=float(r["mdc_average_points"]),
        mdc_single_points=float(r["mdc_single_points"]),
        mdc_label=r["mdc_label"], source=r["source"], evidence=r["evidence"],
    )


def section(name: str) -> Mapping[str, Any]:
    """A teaching section of ``data/person.json`` (``traffic_light``, ``flare_plan``,
    ``return_to_activity``, ``start_back``, ``conversations``) as parsed."""
    return _data()[name]


# --------------------------------------------------------------------------- rules


def _get(record: Any, section_name: str) -> Any:
    if isinstance(record, Mapping):
        return record.get(section_name)
    return getattr(record, section_name, None)


def suggestions(record: Any) -> tuple[Suggestion, ...]:
    """Suggestions raised by the record's ``psychosocial`` section.

    Parameters
    ----------
    record : Record or mapping
        A validated ``lbp-assessment/1`` record (or its ``to_dict()``).

    Returns
    -------
    tuple of Suggestion
        One suggestion when ``psychosocial.distress_high`` is true ("suggest
        the client talks to their clinician"), else empty.

    Notes
    -----
    Yellow flags never stop the programme by themselves: a suggestion does
    not set ``referral.needed`` and never holds training. That a trainer
    suggests, rather than refers, is our teaching choice, resting on the
    yellow-flag literature (Nicholas et al. 2011): high distress predicts
    lasting pain and disability, and psychologically informed care belongs
    to a clinician.

    References
    ----------
    Nicholas MK, Linton SJ, Watson PJ, Main CJ 2011. Phys Ther
    91(5):737-753.

    >>> suggestions({"psychosocial": {"distress_high": True}})[0].id
    'distress_high'
    >>> suggestions({"psychosocial": {"fear_of_movement": True}})
    ()
    """
    psycho = _get(record, "psychosocial")
    value = (psycho.get("distress_high") if isinstance(psycho, Mapping)
             else getattr(psycho, "distress_high", None))
    if value is not True:
        return ()
    row = distress()
    return (
        Suggestion(
            id=row["id"], text=row["suggestion"], reason=row["reason"],
            inputs={"psychosocial.distress_high": True},
            source=row["source"], evidence=row["evidence"],
        ),
    )


def _scores(record: Any) -> list[float]:
    function = _get(record, "function")
    items: Sequence[Any] = ()
    if isinstance(function, Mapping):
        items = function.get("psfs") or ()
    elif function is not None:
        items = getattr(function, "psfs", ()) or ()
    out = []
    for item in items:
        score = item.get("score") if isinstance(item, Mapping) else getattr(item, "score", None)
        if score is not None:
            out.append(float(score))
    return out


def psfs_average(record: Any) -> float | None:
    """The average PSFS score of a record [0-10 PSFS points], or None if none was rated.

    >>> psfs_average({"function": {"psfs": [{"activity": "run 5 km", "score": 4},
    ...                                     {"activity": "lift my child", "score": 7}]}})
    5.5
    """
    scores = _scores(record)
    return sum(scores) / len(scores) if scores else None


def psfs_change(before: Any, after: Any) -> PsfsChange | None:
    """Compare the average PSFS score of two visits with its smallest real change.

    Parameters
    ----------
    before, after : Record or mapping
        The earlier and the later record.

    Returns
    -------
    PsfsChange or None
        None unless both visits have a PSFS score. ``verdict`` is
        ``improved`` or ``worse`` only when the change is larger than the
        smallest real change of the average score (about 2 points),
        ``within_measurement_error`` when smaller, ``no_change`` at 0.

    Notes
    -----
    Function is the goal; range of motion is a means. The average score's
    smallest real change (2 points) comes from Stratford et al. 1995, who
    give about 3 points for a single activity; both live in
    ``data/person.json``.

    References
    ----------
    Stratford P, Gill C, Westaway M, Binkley J 1995. Physiotherapy Canada
    47(4):258-263.

    >>> c = psfs_change({"function": {"psfs": [{"activity": "run", "score": 3}]}},
    ...                 {"function": {"psfs": [{"activity": "run", "score": 6}]}})
    >>> c.change, c.verdict
    (3.0, 'improved')
    """
    b, a = psfs_average(before), psfs_average(after)
    if b is None or a is None:
        return None
    rule = psfs_rule()
    change = round(a - b, 6)
    if abs(change) < 1e-9:
        verdict = "no_change"
    elif abs(change) <= rule.mdc_average_points:
        verdict = "within_measurement_error"
    else:
        verdict = "improved" if change > 0 else "worse"
    return PsfsChange(b, a, change, rule.mdc_average_points, verdict, rule.source, rule.evidence)


def session_advice(during_max: float, settled_next_morning: bool,
                   leg_symptoms: bool = False) -> SessionAdvice:
    """What to change next session, by the pain-monitoring (traffic-light) model.

    Parameters
    ----------
    during_max : float
        Highest pain during the session [0-10 NRS].
    settled_next_morning : bool
        Whether the pain was back to its usual level by the next morning
        (about 24 hours later).
    leg_symptoms : bool
        Symptoms spread into a leg during or after the session.

    Returns
    -------
    SessionAdvice
        The zone (green, amber, red) and what to do next time. Pain that did
        not settle by the next morning moves a green or amber session to
        red. Leg symptoms mean stop and refer, whatever the zone.

    Notes
    -----
    The zone limits (green up to 3, amber 4-5, red 6 or more) come from
    clinic teaching pages (low authority); their exact values are our
    teaching choice, kept in ``data/person.json``.

    References
    ----------
    Provide Physiotherapy, the pain traffic light,
    https://providephysiotherapy.org.uk/pain-traffic-light/.

    >>> session_advice(5, settled_next_morning=True).zone
    'amber'
    >>> session_advice(5, settled_next_morning=False).zone
    'red'
    >>> session_advice(2, True, leg_symptoms=True).stop_and_refer
    True
    """
    tl = section("traffic_light")
    zones = tl["zones"]
    zone = next(z for z in zones if during_max <= z["during_max"])
    if not settled_next_morning and zone["id"] != "red":
        zone = zones[-1]
    advice = zone["advice"]
    if not settled_next_morning:
        advice = tl["next_morning_rule"]
    stop = bool(leg_symptoms)
    if stop:
        advice = tl["leg_rule"]
    return SessionAdvice(zone["id"], zone["label"], advice, stop, tl["source"], tl["evidence"])
