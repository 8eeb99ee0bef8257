"""Muscle cards: the trunk muscles and their neighbours, and what each does
for the lower back.

Data come from ``lbp_workbook/data/anatomy.json``: one row per muscle with
its group, origin, insertion, action, its role in lower-back function, and
the standard anatomy or kinesiology texts it rests on (cited to chapter
level). Attachments and actions carry ``evidence`` (``V2``); the lower-back
role is our teaching synthesis (``role_evidence``: ``synthesis``).

Pure Python: no matplotlib, no ipywidgets. A card shows itself as HTML in a
notebook through ``_repr_html_``; every piece of text is escaped.

>>> m = muscle("multifidus")
>>> m.group, m.group_label
('deep_stabilisers', 'Deep (local) trunk stabilisers')
>>> [x.id for x in muscles_in_group("hamstrings")]
['biceps_femoris', 'semitendinosus', 'semimembranosus']
>>> "Multifidus" in muscle_card("multifidus").html
True
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = [
    "GROUPS",
    "Muscle",
    "MuscleCard",
    "muscle",
    "muscle_card",
    "muscles",
    "muscles_in_group",
]

_FIELDS = (
    "id", "name", "group", "layer", "origin", "insertion", "action", "lbp_role",
    "source", "evidence", "role_source", "role_evidence",
)  # fmt: skip


@lru_cache(maxsize=1)
def _data() -> dict:
    path = resources.files("lbp_workbook") / "data" / "anatomy.json"
    return json.loads(path.read_text(encoding="utf-8"))


#: Group id -> plain label, in teaching order (trunk first, then the hip).
GROUPS: dict[str, str] = dict(_data()["groups"])


@dataclass(frozen=True)
class Muscle:
    """One muscle (or small muscle group) and its role for the lower back.

    Attributes
    ----------
    id, name : str
        snake_case id and plain name.
    group : str
        One of :data:`GROUPS`.
    layer : str
        ``deep`` or ``superficial`` (where it lies in its region).
    origin, insertion, action : str
        Standard anatomy, in plain words.
    lbp_role : str
        Why it matters for the lower back (teaching synthesis).
    source, evidence : str
        Citation(s) for origin, insertion and action, and their status.
    role_source, role_evidence : str
        Where the lower-back role comes from, and its status.
    """

    id: str
    name: str
    group: str
    layer: str
    origin: str
    insertion: str
    action: str
    lbp_role: str
    source: str
    evidence: str
    role_source: str
    role_evidence: str

    @property
    def group_label(self) -> str:
        """The group in plain words, e.g. ``"Hip flexors"``."""
        return GROUPS[self.group]

    def _repr_html_(self) -> str:
        return _card_html(self)


@dataclass(frozen=True)
class MuscleCard:
    """A muscle card ready to show: ``html`` (escaped) and plain ``text``.

    In a notebook the card draws itself (``_repr_html_``); ``str(card)``
    gives the same content as plain text.
    """

    muscle: Muscle
    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        m = self.muscle
        return "\n".join(
            [
                f"{m.name} ({m.group_label})",
                f"Origin: {m.origin}",
                f"Insertion: {m.insertion}",
                f"Action: {m.action}",
                f"Why it matters for the lower back: {m.lbp_role}",
                f"Source: {m.source} [evidence {m.evidence}]",
            ]
        )


@lru_cache(maxsize=1)
def muscles() -> tuple[Muscle, ...]:
    """Return every muscle, in file order (trunk first, then hip)."""
    return tuple(Muscle(**{k: row[k] for k in _FIELDS}) for row in _data()["muscles"])


def muscle(muscle_id: str) -> Muscle:
    """Return one muscle by id (e.g. ``"transversus_abdominis"``).

    Raises
    ------
    KeyError
        If there is no such muscle; the message lists the known ids.
    """
    for m in muscles():
        if m.id == muscle_id:
            return m
    known = ", ".join(m.id for m in muscles())
    raise KeyError(f"no muscle {muscle_id!r}; known: {known}")


def muscles_in_group(group: str) -> tuple[Muscle, ...]:
    """Return the muscles of one group (see :data:`GROUPS`), in file order.

    Raises
    ------
    KeyError
        If ``group`` is not one of :data:`GROUPS`.
    """
    if group not in GROUPS:
        raise KeyError(f"no group {group!r}; known: {', '.join(GROUPS)}")
    return tuple(m for m in muscles() if m.group == group)


_GROUP_COLOURS = {  # Okabe-Ito, matching the diagrams
    "deep_stabilisers": "#0072B2",
    "global_movers": "#56B4E9",
    "hip_flexors": "#D55E00",
    "hip_lateral_rotators": "#CC79A7",
    "hamstrings": "#E69F00",
    "gluteals": "#009E73",
}


def _card_html(m: Muscle) -> str:
    e = html.escape
    colour = _GROUP_COLOURS.get(m.group, "#222222")
    rows = "".join(
        f'<tr><th style="text-align:left;vertical-align:top;padding:2px 8px 2px 0">{e(label)}</th>'
        f'<td style="text-align:left;padding:2px 0">{e(value)}</td></tr>'
        for label, value in (
            ("Origin", m.origin),
            ("Insertion", m.insertion),
            ("Action", m.action),
        )
    )
    return (
        f'<div class="lbp-muscle-card" style="border-left:6px solid {colour};'
        'padding:8px 12px;margin:6px 0;max-width:720px;font-size:14px;line-height:1.4">'
        f'<div style="font-size:17px;font-weight:bold">{e(m.name)}</div>'
        f'<div style="color:#444">{e(m.group_label)} · {e(m.layer)} layer</div>'
        f'<table style="margin:6px 0;border-collapse:collapse">{rows}</table>'
        f"<p style=\"margin:6px 0\"><b>Why it matters for the lower back:</b> {e(m.lbp_role)}</p>"
        f'<p style="margin:6px 0;font-size:12px;color:#444">Source: {e(m.source)} '
        f"(evidence {e(m.evidence)}). Why it matters: {e(m.role_source)} "
        f"(evidence {e(m.role_evidence)}).</p>"
        "</div>"
    )


def muscle_card(muscle_id: str) -> MuscleCard:
    """Return the card for one muscle: in a notebook it shows as a formatted
    card with origin, insertion, action, role for the lower back and sources.

    Parameters
    ----------
    muscle_id : str
        A muscle id, e.g. ``"multifidus"`` (see :func:`muscles`).
    """
    m = muscle(muscle_id)
    return MuscleCard(muscle=m, html=_card_html(m))
