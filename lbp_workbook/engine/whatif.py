"""What if one measurement were different? The smallest single-input changes.

For the current client, :func:`what_if` finds, for each measurement a trainer
takes, the nearest value that would move the phase up or clear a deficiency
(a flexibility finding, an endurance-ratio imbalance or a side-to-side
asymmetry), and says what it changes (every difference, side effects too)::

    Passive straight-leg raise (left): 62 → 80 deg (18 deg more):
        hamstrings left (Passive straight-leg raise): deficient → normal

With ``setbacks=True`` it also lists the nearest change that would move the
phase down (how close the client is to dropping back).

>>> from lbp_workbook.engine.examples import load_example
>>> changes = what_if(load_example("runner_sam"))
>>> any(c.path == "flexibility.slr_deg.left" and c.delta > 0 for c in changes)
True
>>> any(c.path.startswith("screening") for c in changes)
False

Every answer is computed by the engine: the changed record is run through
:func:`lbp_workbook.engine.assessment.assess` and compared with the current result. No
threshold lives here; cut-offs read from the current result are used only as
*hints* of where to look, and every hint is checked by re-assessing.

Screening fields (red flags, guideline triggers, medical clearance) and the
client's details are never offered as a change: clearing a red flag or a
referral trigger is not something a trainer does, only a medical provider
can (:data:`MEDICAL_ONLY_NOTE`). While a referral is in force there is no
phase to move, so :func:`what_if` returns an empty tuple.

Pure Python: no matplotlib, no ipywidgets.

Notes
-----
How the search works, for one numeric input with accepted range
``[minimum, maximum]`` (from ``record.FIELDS``) and current value ``v``:

1. The candidate values are a grid of multiples of the field's step
   (:func:`field_step`: 1 for integers and degrees, seconds or points;
   0.5 cm for centimetres), strictly above ``v`` (then strictly below ``v``),
   inside the accepted range.
2. Hints: the cut-offs the current result gives for this input (flexibility
   findings, phase gates, endurance-ratio targets, asymmetry thresholds),
   each mapped onto the grid: the first grid value at or past the hint, and
   the one after it (so a strict "below 1.0" rule is caught as well as an
   inclusive "0.75 or less"). "Exactly at the cut-off is normal" and the
   rule's direction are the engine's business: a hint is only a place to
   look, and every hint is re-assessed.
3. An input the result names nowhere (no finding, gate, ratio or
   asymmetry reads it) is scanned coarsely instead (about 8 values across
   its range, a bounded scan). Without ``setbacks`` only cut-offs that
   could improve something are hints: a normal finding or a passed gate
   cannot improve, so an input whose cut-offs are all of that kind costs
   no assessment at all.
4. At the first candidate that qualifies, the grid value one step nearer is
   checked (and, if that qualifies too, the gap is bisected), so one step
   less than the reported value does not qualify.

Typically 0–4 assessments per input and direction. Each changed record
shares every untouched part with the original (only the dicts on the
changed path are copied).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any, Mapping

from lbp_workbook.engine.result import show

#: Shown wherever what-if results are shown, in place of any screening change.
MEDICAL_ONLY_NOTE = (
    "Red flags, referral triggers and medical clearance are never listed here: "
    "only a medical provider can clear them, not a change in training."
)

#: Field path prefixes never offered as a change (screening and client details).
EXCLUDED_PREFIXES: tuple[str, ...] = ("screening", "client", "date", "notes", "psychosocial")

_COARSE_POINTS = 8


@dataclass(frozen=True)
class Change:
    """One single-input change that changes the phase or clears a deficiency.

    Attributes
    ----------
    path : str
        Record field path with side, e.g. ``"flexibility.slr_deg.left"``.
    label : str
        Field label from ``record.FIELDS`` plus the side, e.g.
        ``"Passive straight-leg raise (left)"``.
    unit : str
        Unit of the field ("" for yes/no and choices).
    current, new
        The value now and the value that changes the result.
    delta : float or None
        ``new - current`` [unit] for numbers; None for yes/no and choices.
    effects : tuple of str
        What it changes, e.g. ``("phase 2 → 3", "hamstrings left: deficient → normal")``.
    """

    path: str
    label: str
    unit: str
    current: Any
    new: Any
    delta: float | None
    effects: tuple[str, ...]

    @property
    def text(self) -> str:
        """One line for a trainer.

        >>> Change("pain.now", "Pain now", "/10", 4, 3, -1.0, ("phase 1 → 2",)).text
        'Pain now: 4 → 3 /10 (1 /10 less): phase 1 → 2'
        """
        if self.delta is None:
            size = f"{_show(self.current)} → {_show(self.new)}"
        else:
            more = "more" if self.delta > 0 else "less"
            unit = f" {self.unit}" if self.unit else ""
            size = (
                f"{_show(self.current)} → {_show(self.new)}{unit} "
                f"({_show(abs(self.delta))}{unit} {more})"
            )
        return f"{self.label}: {size}: {'; '.join(self.effects)}"


def field_step(spec: Any) -> float:
    """Return the search step for one field [the field's unit].

    1 for integer fields and for degrees, seconds and points; 0.5 for
    centimetres (Schober readings are taken to the half centimetre).
    """
    if getattr(spec, "kind", None) == "integer":
        return 1.0
    if getattr(spec, "unit", "") == "cm":
        return 0.5
    return 1.0


def what_if(record: Any, result: Any = None, *, setbacks: bool = False) -> tuple[Change, ...]:
    """Return the smallest single-input changes that change the phase or clear a deficiency.

    Parameters
    ----------
    record : mapping or Record
        An ``lbp-assessment/1`` record (validated by the engine).
    result : Result, optional
        ``assess(record)`` if the caller already has it (saves one assessment).
    setbacks : bool
        Also list the nearest change that moves the phase *down* (how close
        the client is to dropping back). Default False: only changes that
        move the client on or clear a deficiency.

    Returns
    -------
    tuple of Change
        In ``record.FIELDS`` order; for a numeric input at most one change
        upward and one downward (the nearest that qualifies in each
        direction). Empty while a referral is in force. Screening fields and
        client details are never included (:data:`MEDICAL_ONLY_NOTE`).
        Inputs that are not measured are skipped.

    Raises
    ------
    lbp_workbook.engine.record.RecordError
        If ``record`` is not valid.

    Notes
    -----
    A change *qualifies* when, re-assessed, the phase moves up (or down,
    with ``setbacks``), or a flexibility finding goes from deficient to
    normal, or an endurance ratio stops being flagged, or a side-to-side
    asymmetry disappears (see :func:`compare`). Its ``effects`` list every
    difference, including any side effect (a new asymmetry, say). This is a
    teaching aid: it shows how close a client is to a
    cut-off, not a goal to train towards.
    """
    from lbp_workbook.engine.assessment import assess
    from lbp_workbook.engine.record import FIELDS

    base_record = _plain(record)
    base = result if result is not None else assess(base_record)
    if base.referral.needed:
        return ()
    changes: list[Change] = []
    for spec in FIELDS:
        if spec.path.split(".")[0] in EXCLUDED_PREFIXES:
            continue
        sides = ("left", "right") if spec.side_specific else (None,)
        for side in sides:
            path = f"{spec.path}.{side}" if side else spec.path
            label = f"{spec.label} ({side})" if side else spec.label
            changes.extend(
                _changes_for(assess, base_record, base, spec, path, label, setbacks)
            )
    return tuple(changes)


# --------------------------------------------------------------------------- search


def _changes_for(assess, base_record, base, spec, path, label, setbacks) -> list[Change]:
    current = get_path(base_record, path)
    kind = spec.kind

    def evaluate(value):
        rec = _with(base_record, path, value)
        try:
            new = assess(rec)
        except Exception:  # a value the engine refuses is simply not a change
            return None
        return compare(base, new, setbacks)

    if kind in ("number", "integer"):
        if current is None or isinstance(current, bool):
            return []
        out = []
        known, hints = _hints(base, path, float(current), setbacks)
        for direction in (+1, -1):
            found = _search_numeric(spec, float(current), direction, known, hints, evaluate)
            if found is not None:
                value, effects = found
                new = int(round(value)) if kind == "integer" or float(value).is_integer() else value
                out.append(
                    Change(path, label, spec.unit or "", current, new, new - current, effects)
                )
        return out
    gates = [g for g in getattr(base, "gates", ()) if str(g.field) == path]
    if gates and not setbacks and all(g.passed for g in gates):
        return []  # every gate reading it is met: flipping it cannot move the client on
    candidates: list[Any] = []
    if kind == "bool":
        candidates = [not bool(current)]
    elif kind == "choice":
        candidates = [c for c in _choices(spec) if c != current]
    elif kind == "multi_choice":
        now = list(current or [])
        for option in _choices(spec):
            candidates.append([c for c in now if c != option] if option in now else now + [option])
    out = []
    for value in candidates:
        effects = evaluate(value)
        if effects and effects[1]:
            out.append(Change(path, label, spec.unit or "", current, value, None, effects[0]))
            if kind != "multi_choice":
                break
    return out


def _search_numeric(spec, v, direction, known, hints, evaluate):
    """Nearest grid value beyond ``v`` in ``direction`` that qualifies, with its effects."""
    step = field_step(spec)
    lo, hi = float(spec.minimum), float(spec.maximum)
    if direction > 0:
        first = (math.floor(v / step + 1e-9) + 1) * step
        last = math.floor(hi / step + 1e-9) * step
    else:
        first = (math.ceil(v / step - 1e-9) - 1) * step
        last = math.ceil(lo / step - 1e-9) * step
    if (last - first) * direction < 0:
        return None
    n = int(round(abs(last - first) / step)) + 1

    def value_at(i: int) -> float:
        return round(first + direction * i * step, 9)

    if known:  # the result gives this input's cut-offs: look only there
        points: set[int] = set()  # step indices
        for h in hints:
            idx = math.ceil(direction * (h - first) / step - 1e-9)
            points.update(k for k in (idx, idx + 1) if 0 <= k < n)
    else:  # no cut-off known for this input: a bounded coarse scan
        points = set(range(0, n, max(1, n // _COARSE_POINTS)))
        points.add(n - 1)

    cache: dict[int, Any] = {}

    def q(i: int) -> bool:
        if i not in cache:
            cache[i] = evaluate(value_at(i))
        got = cache[i]
        return got is not None and got[1]

    last_false = -1
    for i in sorted(points):
        if q(i):
            a, b = last_false, i
            if b - a > 1:
                if q(b - 1):  # a hint is usually exact: check the step before it
                    b -= 1
                    while b - a > 1:
                        mid = (a + b) // 2
                        if q(mid):
                            b = mid
                        else:
                            a = mid
            return value_at(b), cache[b][0]
        last_false = i
    return None


def _hints(base, path: str, v: float, setbacks: bool = False) -> tuple[bool, list[float]]:
    """Cut-offs from the current result that concern ``path`` (places to look).

    Returns ``(known, hints)``: whether the result names this input at all
    (in a finding, gate, ratio or asymmetry), and the values where a change
    could qualify. Without ``setbacks`` only what could improve is used: a
    deficient finding's cut-off, a failing gate's threshold, a flagged
    ratio's target, a present asymmetry's threshold (a normal finding or a
    passed gate cannot improve, so its cut-off is no place to look).
    """
    known = False
    hints: list[float] = []
    for f in getattr(base, "flexibility", ()):
        if path in (f.inputs or {}):
            known = True
            if setbacks or f.status == "deficient":
                hints.append(float(f.cutoff))
    for g in getattr(base, "gates", ()):
        if path == str(g.field) or path in str(g.field).replace(",", " ").split():
            known = True
            lim = getattr(g, "threshold", None)
            if (setbacks or not g.passed) and lim is not None and getattr(lim, "op", "==") != "==" \
                    and isinstance(lim.value, (int, float)):
                hints.append(float(lim.value))
    endurance = getattr(base, "endurance", None)
    for r in getattr(endurance, "ratios", ()):
        if path in (r.inputs or {}):
            known = True
            if (setbacks or r.flagged) and r.value:
                for t in (b for b in getattr(r, "band", ()) if b is not None):
                    if t > 0:
                        hints.append(v * t / r.value)  # if this input is the numerator
                        hints.append(v * r.value / t)  # if it is the denominator
    for a in getattr(base, "asymmetries", ()):
        if path in (a.inputs or {}):
            known = True
            other = a.right if path.endswith(".left") else a.left
            thr = float(a.threshold)
            if a.threshold_unit == "%":
                frac = thr / 100.0
                hints.append(other * (1 - frac))
                if frac < 1:
                    hints.append(other / (1 - frac))
            else:
                hints.extend((other - thr, other + thr))
    return known, [h for h in hints if math.isfinite(h)]


# --------------------------------------------------------------------------- compare


def compare(before: Any, after: Any, setbacks: bool = False) -> tuple[tuple[str, ...], bool]:
    """Describe how ``after`` differs from ``before`` (two Results).

    Returns ``(effects, qualifies)``: every difference in plain words, and
    whether it counts as a what-if change: the phase moves up (or, with
    ``setbacks``, down), or a deficiency is cleared (a flexibility finding
    becomes normal, an endurance ratio stops being flagged, an asymmetry
    disappears).
    """
    effects: list[str] = []
    qualifies = False
    if before.referral.needed != after.referral.needed:
        effects.append(
            "referral: "
            + ("needed → not needed" if before.referral.needed else "not needed → needed")
        )
    if before.phase != after.phase:
        effects.append(f"phase {_phase(before.phase)} → {_phase(after.phase)}")
        if before.phase is not None and after.phase is not None:
            qualifies = after.phase > before.phase or setbacks
    old = {(f.test, f.side): f for f in before.flexibility}
    for f in after.flexibility:
        o = old.get((f.test, f.side))
        if o is not None and o.status != f.status:
            where = f"{_words(f.focus_area)} {f.side}" if f.side else _words(f.focus_area)
            effects.append(f"{where} ({f.name}): {o.status} → {f.status}")
            qualifies = qualifies or f.status == "normal"
    old_r = {r.id: r for r in before.endurance.ratios}
    for r in after.endurance.ratios:
        o = old_r.get(r.id)
        if o is not None and o.flagged != r.flagged:
            state = ("imbalance", "within target")
            was, now = (state[0], state[1]) if o.flagged else (state[1], state[0])
            effects.append(f"{r.label}: {was} → {now}")
            qualifies = qualifies or not r.flagged
    old_a = {a.test: a for a in before.asymmetries}
    new_a = {a.test: a for a in after.asymmetries}
    for test in old_a.keys() - new_a.keys():
        effects.append(f"{old_a[test].name} left–right difference: asymmetry → within limit")
        qualifies = True
    for test in new_a.keys() - old_a.keys():
        effects.append(f"{new_a[test].name} left–right difference: within limit → asymmetry")
    return tuple(effects), qualifies


# --------------------------------------------------------------------------- helpers


def _plain(record: Any) -> dict:
    """A deep, plain-dict copy of a record (mapping or pydantic model)."""
    if hasattr(record, "to_dict"):
        return record.to_dict()
    return copy.deepcopy(dict(record))


def _with(record: Mapping[str, Any], path: str, value: Any) -> dict:
    """A copy of ``record`` with ``path`` set, copying only the dicts along the path.

    >>> base = {"a": {"b": 1}, "c": {"d": 2}}
    >>> new = _with(base, "a.b", 5)
    >>> new, base["a"]["b"], new["c"] is base["c"]
    ({'a': {'b': 5}, 'c': {'d': 2}}, 1, True)
    """
    parts = path.split(".")
    top = dict(record)
    node = top
    for part in parts[:-1]:
        child = node.get(part)
        child = dict(child) if isinstance(child, Mapping) else {}
        node[part] = child
        node = child
    node[parts[-1]] = value
    return top


def get_path(record: Mapping[str, Any], path: str) -> Any:
    """Value at a dotted path, or None when any part is missing.

    >>> get_path({"a": {"b": {"left": 3}}}, "a.b.left")
    3
    >>> get_path({"a": {}}, "a.b.left") is None
    True
    """
    node: Any = record
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def set_path(record: dict, path: str, value: Any) -> dict:
    """Set a dotted path in place (creating parents); return ``record``.

    >>> set_path({}, "a.b.left", 3)
    {'a': {'b': {'left': 3}}}
    """
    parts = path.split(".")
    node = record
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[parts[-1]] = value
    return record


def _choices(spec: Any) -> tuple:
    for name in ("choices", "options"):
        got = getattr(spec, name, None)
        if got:
            return tuple(got)
    return ()


def _phase(p: Any) -> str:
    return "on hold" if p is None else str(p)


def _words(s: str) -> str:
    return str(s).replace("_", " ")


_show = show  #: the one value format (result.show)


