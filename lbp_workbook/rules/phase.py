"""Phase: which training phase the gates allow (1, 2, 3, or none while referring).

The gates are a **teaching synthesis** for this workbook, not a validated
clinical rule: no single validated progression rule exists (domain
reference, section 4). Thresholds and labels live in ``data/rules.json``.

- No phase while a referral is needed.
- Phase 2 when pain now <= 3/10, pain during exercise <= 3/10, the client
  holds a neutral pelvis and tolerates the Big-3.
- Phase 3 when the phase-2 gates hold and pain now <= 2/10, pain during
  exercise <= 2/10, all four endurance times are given, no endurance
  imbalance, and a neutral spine under load.
- Phase 1 otherwise. A missing input fails its gate ("not measured").

>>> from lbp_workbook.record import validate_record
>>> from lbp_workbook.rules.endurance import endurance_profile
>>> from lbp_workbook.rules.referral import assess_referral
>>> rec = validate_record({"schema": "lbp-assessment/1", "client": {"id": "a"},
...     "pain": {"now": 3, "during_exercise": 3},
...     "control": {"holds_neutral_pelvis": True, "big3_tolerated": True}})
>>> gates = evaluate_gates(rec, endurance_profile(rec))
>>> decide_phase(assess_referral(rec), gates)[0]
2
>>> [g.note for g in gates if g.id == "neutral_under_load"]
['not measured']
"""

from __future__ import annotations

from typing import Any

from lbp_workbook import reference
from lbp_workbook.record import Record
from lbp_workbook.reference import GateRule
from lbp_workbook.result import Endurance, Gate, Referral

ENDURANCE_KEYS = ("flexor_s", "extensor_s", "side_bridge_s.left", "side_bridge_s.right")
RATIO_IDS = ("flexor_extensor", "side_extensor", "side_to_side")
NOT_MEASURED = "not measured"


def _gate(rule: GateRule, value: Any, threshold: str, passed: bool, measured: bool,
          note: str = "") -> Gate:
    return Gate(
        id=rule.id,
        phase=rule.phase,
        label=rule.label,
        field=rule.field,
        value=value,
        threshold=threshold,
        passed=bool(passed and measured),
        measured=measured,
        note=NOT_MEASURED + (f": {note}" if note else "") if not measured else note,
    )


def evaluate_gates(record: Record, endurance: Endurance) -> tuple[Gate, ...]:
    """Evaluate every phase-2 and phase-3 gate.

    Parameters
    ----------
    record : Record
        A validated record (pain in [0-10 NRS]).
    endurance : Endurance
        The endurance profile of the same record.

    Returns
    -------
    tuple of Gate
        Each with the value read, the threshold, ``passed`` and ``measured``;
        a gate whose input is missing fails and its note says "not measured".
    """
    gates = []
    for rule in reference.rules().gates:
        if rule.kind == "at_most":
            value = record.get(rule.field)
            measured = value is not None
            gates.append(
                _gate(rule, value, f"<= {rule.limit:g} {rule.unit}".strip(),
                      measured and value <= rule.limit, measured)
            )
        elif rule.kind == "true":
            value = record.get(rule.field)
            measured = value is not None
            gates.append(_gate(rule, value, "true (shown)", value is True, measured))
        elif rule.kind == "all_endurance":
            missing = [k for k in ENDURANCE_KEYS if k not in endurance.times_s]
            given = len(ENDURANCE_KEYS) - len(missing)
            gates.append(
                _gate(rule, given, f"{len(ENDURANCE_KEYS)} of {len(ENDURANCE_KEYS)} times",
                      not missing, not missing,
                      ", ".join(f"endurance.{k}" for k in missing))
            )
        elif rule.kind == "no_imbalance":
            computed = {r.id for r in endurance.ratios}
            flagged = [r.id for r in endurance.imbalances]
            missing = [i for i in RATIO_IDS if i not in computed]
            note = ("ratios not computable: " + ", ".join(missing)) if missing else ""
            if flagged:
                note = ("imbalance: " + ", ".join(flagged) + ("; " + note if note else ""))
            gates.append(
                _gate(rule, flagged if computed else None, "no ratio flagged",
                      not flagged, not missing, note)
            )
        else:  # pragma: no cover - guarded by the data tests
            raise ValueError(f"unknown gate kind {rule.kind!r} in rules.json")
    return tuple(gates)


def _describe(gate: Gate) -> str:
    if not gate.measured:
        return f"{gate.label} ({gate.note})"
    if isinstance(gate.value, bool):
        return f"{gate.label} (not yet shown)"
    if isinstance(gate.value, list):
        return f"{gate.label} ({gate.note})"
    return f"{gate.label} (now {gate.value:g}, needs {gate.threshold})"


def decide_phase(
    referral: Referral, gates: tuple[Gate, ...]
) -> tuple[int | None, tuple[str, ...], tuple[str, ...]]:
    """Choose the phase and explain it.

    Parameters
    ----------
    referral : Referral
        The referral decision; when ``needed`` there is no phase.
    gates : tuple of Gate
        From :func:`evaluate_gates`.

    Returns
    -------
    phase : int or None
        1, 2 or 3; None while a referral is needed.
    phase_reasons : tuple of str
        Why this phase, in plain words.
    next_steps : tuple of str
        What would move the client on: the failing gates of the next phase.

    Notes
    -----
    A teaching synthesis of pain traffic-light guidance, the Physiopedia
    lumbopelvic-stability phase criteria and McGill's ratio targets; say so
    wherever the phase is shown. Never a clinical decision.

    References
    ----------
    Physiopedia, Lumbo-pelvic stability, https://www.physio-pedia.com/Lumbo-Pelvic_Stability.
    Alrwaily M et al. 2016, Treatment-based classification system for low
    back pain: revision and update, Phys Ther 96:1057-1066.
    """
    if referral.needed:
        reasons = tuple(r.label.split(":")[0] for r in referral.reasons)
        return (
            None,
            (
                f"No phase: a referral is needed first (urgency: {referral.urgency.replace('_', ' ')}).",
                "Reasons: " + "; ".join(reasons) + ".",
            ),
            (referral.action, "Reassess only once the medical provider has seen the client "
             "and the referral reasons are resolved."),
        )
    failing2 = [g for g in gates if g.phase == 2 and not g.passed]
    failing3 = [g for g in gates if g.phase == 3 and not g.passed]
    if failing2:
        return (
            1,
            (
                "Phase 1 (stabilisation foundations): "
                f"{len(failing2)} of the phase-2 gates not met yet.",
                *(f"Not yet: {_describe(g)}." for g in failing2),
            ),
            tuple(f"For phase 2: {_describe(g)}." for g in failing2),
        )
    if failing3:
        return (
            2,
            (
                "Phase 2 (trunk strengthening): every phase-2 gate is met "
                "(pain, neutral pelvis, Big-3).",
                f"Not phase 3 yet: {len(failing3)} phase-3 gate(s) not met.",
            ),
            tuple(f"For phase 3: {_describe(g)}." for g in failing3),
        )
    return (
        3,
        ("Phase 3 (dynamic, whole-body work): every phase-2 and phase-3 gate is met.",),
        ("Phase 3 is the last phase: keep reassessing, and drop back a phase if pain rises.",),
    )
