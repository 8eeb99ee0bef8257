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

>>> from lbp_workbook.engine.record import validate_record
>>> from lbp_workbook.engine.rules.endurance import endurance_profile
>>> from lbp_workbook.engine.rules.referral import assess_referral
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

from lbp_workbook.engine import reference
from lbp_workbook.engine.record import Record
from lbp_workbook.engine.reference import GateRule
from lbp_workbook.engine.result import Endurance, Gate, Limit, Referral, number

ENDURANCE_KEYS = ("flexor_s", "extensor_s", "side_bridge_s.left", "side_bridge_s.right")
RATIO_IDS = ("flexor_extensor", "side_extensor", "side_to_side")
NOT_MEASURED = "not measured"


def _gate(rule: GateRule, value: Any, threshold: Limit, passed: bool, measured: bool,
          note: str = "", **more: Any) -> Gate:
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
        **more,
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
                _gate(rule, value, Limit("<=", float(rule.limit), str(rule.unit or "").strip()),
                      measured and value <= rule.limit, measured)
            )
        elif rule.kind == "true":
            value = record.get(rule.field)
            measured = value is not None
            gates.append(_gate(rule, value, Limit("==", True), value is True, measured))
        elif rule.kind == "all_endurance":
            missing = [k for k in ENDURANCE_KEYS if k not in endurance.times_s]
            given = len(ENDURANCE_KEYS) - len(missing)
            gates.append(
                _gate(rule, given, Limit("==", len(ENDURANCE_KEYS), "times"),
                      not missing, not missing,
                      ", ".join(f"endurance.{k}" for k in missing),
                      missing=tuple(f"endurance.{k}" for k in missing))
            )
        elif rule.kind == "no_imbalance":
            computed = {r.id for r in endurance.ratios}
            flagged = [r.id for r in endurance.imbalances]
            missing = [i for i in RATIO_IDS if i not in computed]
            note = ("ratios not computable: " + ", ".join(missing)) if missing else ""
            if flagged:
                note = ("imbalance: " + ", ".join(flagged) + ("; " + note if note else ""))
            gates.append(
                _gate(rule, flagged if computed else None, Limit("==", 0, "ratios flagged"),
                      not flagged, not missing, note,
                      flagged=tuple(flagged), not_computed=tuple(missing))
            )
        else:  # pragma: no cover - guarded by the data tests
            raise ValueError(f"unknown gate kind {rule.kind!r} in rules.json")
    return tuple(gates)


def gate_reads(rule: GateRule) -> tuple[tuple[str, str], ...]:
    """The data values a gate's decision reads, each with its evidence tag.

    An R value (commonly quoted, unverified) never decides anything, so no
    entry here may be tagged ``R`` (a test walks every gate of every phase).

    Returns
    -------
    tuple of (str, str)
        ``(where in the data, evidence tag)`` per value: an ``at_most``
        gate reads its limit (the gates' synthesis); ``no_imbalance`` reads
        every endurance ratio rule that can flag, and, for the side-to-side
        check, the side bridge's measurement error (its reported SEM and the
        derived MDC95); ``true`` and ``all_endurance`` gates read no number.

    >>> rule = next(r for r in reference.rules().gates if r.id == "endurance_balanced")
    >>> [tag for _, tag in gate_reads(rule)]
    ['V2', 'V2', 'C', 'V', 'C']
    """
    rules = reference.rules()
    if rule.kind == "at_most":
        return ((f"rules.json gates.{rule.id}.limit", rules.gates_evidence),)
    if rule.kind != "no_imbalance":
        return ()
    out: list[tuple[str, str]] = []
    for ratio in rules.ratios:
        out.append((f"rules.json endurance.ratios.{ratio.id}", ratio.evidence))
        if ratio.test is not None:
            me = reference.assessment_test(ratio.test).measurement_error
            where = f"assessment_tests.json {ratio.test}.measurement_error"
            if me is not None:
                out += [(where + ".sem", me.sem_evidence), (where + ".mdc95", me.mdc95_evidence)]
    return tuple(out)


#: The three training phases: ``number -> (name, what it trains)``. rules.json holds
#: only the gates between them (thresholds and sources), not their names, so the names
#: live here; they are the ones the phase diagram (``diagrams.py``) and notebooks 02
#: and 05 use. The phase split follows the lumbo-pelvic stability protocol cited as the
#: gates' source in ``data/rules.json``. The guideline calls phase 1 "pain-free
#: stabilisation"; the workbook names it "gentle stabilisation" because its own gates
#: (pain traffic light, ``data/rules.json``) let a client work with some pain during
#: exercise, so "pain-free" would contradict them.
PHASES: dict[int, tuple[str, str]] = {
    1: (
        "Gentle stabilisation",
        "find and hold a neutral pelvis, learn a gentle brace with normal breathing, learn "
        "safe body mechanics, with pain during exercise kept within the phase-2 pain gate "
        "and settling afterwards",
    ),
    2: (
        "Trunk strengthening",
        "abdominals, back extensors and side muscles, keeping the spine neutral",
    ),
    3: (
        "Advanced stability and dynamic exercise",
        "harder stability work, then movements like the client's sport and daily life",
    ),
}

#: The three verdicts :func:`gate_words` gives.
VERDICTS = ("met", "not met", "counts as not met")


def phase_name(phase: int) -> str:
    """The plain name of a training phase.

    >>> phase_name(2)
    'Trunk strengthening'
    """
    return PHASES[int(phase)][0]


def person(client_id: Any) -> str:
    """The client's pseudonym as a name in a sentence, exactly as typed; not escaped.

    >>> person("sam"), person(" Learner_test "), person(None)
    ('sam', 'Learner_test', 'the client')
    """
    text = str(client_id or "").strip()
    return text if text else "the client"


def field_label(path: str) -> str:
    """A record field path as its label from ``record.FIELDS``.

    >>> field_label("endurance.side_bridge_s.left")
    'Side bridge endurance (left)'
    """
    from lbp_workbook.engine.record import FIELDS

    for spec in FIELDS:
        if path == spec.path:
            return spec.label
        if path.startswith(spec.path + ".") and spec.side_specific:
            return f"{spec.label} ({path[len(spec.path) + 1:]})"
    return str(path).replace("_", " ")


def _rule(gate: Gate) -> GateRule | None:
    return next((r for r in reference.rules().gates if r.id == gate.id), None)


def gate_words(gate: Gate, client_id: Any = None) -> tuple[str, str, str]:
    """One phase gate in plain words: ``(what it asks, the client's reading, verdict)``.

    The one wording of a gate that the app, the CLI and the summary show.
    Limits and units are read from ``data/rules.json``, field names from
    ``record.FIELDS``, ratio names from the endurance rules. The verdict is
    ``"met"``, ``"not met"`` or, for a gate whose reading is missing,
    ``"counts as not met"`` (a gate not measured fails).

    Parameters
    ----------
    gate : Gate
        From :func:`evaluate_gates` (or ``Result.gates``).
    client_id : str, optional
        The client's pseudonym, used as a name ("Sam: 3"); without it the
        reading is headed "reading" ("reading: 3").

    >>> from lbp_workbook import assess, load_example
    >>> r = assess(load_example("runner_sam"))
    >>> gate = next(g for g in r.gates if g.id == "pain_now_phase2")
    >>> gate_words(gate, r.client_id)
    ('Pain now at most 3 out of 10', 'sam: 3', 'met')
    """
    rule = _rule(gate)
    kind = getattr(rule, "kind", None)
    who = person(client_id) if client_id is not None else "reading"
    if kind == "at_most" and rule.limit is not None:
        unit = str(rule.unit or "").strip()
        limit = number(float(rule.limit))
        bound = f"{limit} out of {unit[1:]}" if unit.startswith("/") else f"{limit} {unit}".strip()
        asks = f"{field_label(gate.field)} at most {bound}"
    else:
        asks = gate.label
    if not gate.measured:
        if kind == "all_endurance" and gate.missing:
            missing = [field_label(p) for p in gate.missing]
            reading = f"{who}: {number(gate.value)} recorded, missing " + ", ".join(missing)
        elif kind == "no_imbalance":
            reading = f"{who}: not measured yet (needs all four endurance times)"
        else:
            reading = f"{who}: not measured yet"
        return asks, reading, VERDICTS[2]
    value = gate.value
    if isinstance(value, bool):
        shown = "shown" if value else "not shown yet"
    elif kind == "all_endurance":
        shown = f"{number(value)} of {len(ENDURANCE_KEYS)} recorded"
    elif isinstance(value, (list, tuple)):
        labels = {r.id: r.label for r in reference.rules().ratios}
        shown = ("imbalance flagged ("
                 + "; ".join(labels.get(v, str(v).replace("_", " ")) for v in value) + ")"
                 if value else "no imbalance")
    elif value is None:
        shown = "not measured yet"
    else:
        shown = number(value)
    return asks, f"{who}: {shown}", VERDICTS[0] if gate.passed else VERDICTS[1]


def gate_sentence(gate: Gate, client_id: Any = None) -> str:
    """A gate in one line of plain words, as the phase reasons and next steps say it.

    >>> from lbp_workbook import assess, load_example
    >>> r = assess(load_example("runner_sam"))
    >>> g = next(g for g in r.gates if g.id == "pain_now_phase3")
    >>> gate_sentence(g, r.client_id)
    'Pain now at most 2 out of 10 — sam: 3, not met'
    >>> gate_sentence(g)
    'Pain now at most 2 out of 10 — reading: 3, not met'
    """
    asks, reading, verdict = gate_words(gate, client_id)
    return f"{asks} — {reading}, {verdict}"


def _count(some: list, every: list, phase: int) -> str:
    are = "is" if len(some) == 1 else "are"
    return (f"{len(some)} of the {len(every)} gate{'s' if len(every) != 1 else ''} "
            f"for phase {phase} {are} not met yet")


def decide_phase(
    referral: Referral, gates: tuple[Gate, ...], client_id: Any = None
) -> tuple[int | None, tuple[str, ...], tuple[str, ...]]:
    """Choose the phase and explain it.

    Parameters
    ----------
    referral : Referral
        The referral decision; when ``needed`` there is no phase.
    gates : tuple of Gate
        From :func:`evaluate_gates`.
    client_id : str, optional
        The client's pseudonym, named in the reasons ("Sam: 5"); without it
        each reading is headed "reading" ("reading: 5").

    Returns
    -------
    phase : int or None
        1, 2 or 3; None while a referral is needed.
    phase_reasons : tuple of str
        Why this phase, in plain words: the phase by number and name
        (:data:`PHASES`), and each gate not met as :func:`gate_sentence` says it.
    next_steps : tuple of str
        What would move the client on: the gates of the next phase not met
        yet, each as :func:`gate_sentence` says it.

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
    def title(p: int) -> str:
        return f"Phase {p} · {phase_name(p)}"

    def say(g: Gate) -> str:
        return gate_sentence(g, client_id)

    every2 = [g for g in gates if g.phase == 2]
    every3 = [g for g in gates if g.phase == 3]
    failing2 = [g for g in every2 if not g.passed]
    failing3 = [g for g in every3 if not g.passed]
    if failing2:
        return (
            1,
            (
                f"{title(1)}: {_count(failing2, every2, 2)} "
                "(a gate not measured counts as not met).",
                *(f"Not yet: {say(g)}." for g in failing2),
            ),
            tuple(f"For phase 2: {say(g)}." for g in failing2),
        )
    if failing3:
        return (
            2,
            (
                f"{title(2)}: every gate for phase 2 is met.",
                f"Not phase 3 yet: {_count(failing3, every3, 3)}.",
            ),
            tuple(f"For phase 3: {say(g)}." for g in failing3),
        )
    return (
        3,
        (f"{title(3)}: every gate for phases 2 and 3 is met.",),
        ("Phase 3 is the last phase: keep reassessing, and drop back a phase if pain rises.",),
    )
