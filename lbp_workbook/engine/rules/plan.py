"""Exercise plan: what the chosen phase and the findings call for.

The plan rule (docs/architecture.md): for phase p, every ``stability``
(p >= 1), ``strength`` (p >= 2) and ``dynamic`` (p = 3) exercise whose
``phases`` contains p; for each focus area the first ``flexibility``
exercise (file order) that targets it and is allowed; when flexion is
painful and extension is not, the first allowed ``mobility`` exercise in
the extension direction (and the other way round). An exercise is allowed
when none of its ``loads`` is a painful direction. No phase (a referral is
needed) means no plan.

The direction rule is a teaching choice: "avoid the painful direction;
mobility work goes the other way". It is not directional preference, which
is found by repeated-movement testing with centralisation (May & Aina 2012);
the record never tests that, it only records which directions hurt.

The plan is educational: a starting point for a trainer working inside
their scope of practice, not a prescription.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from lbp_workbook.engine import reference
from lbp_workbook.engine.reference import Exercise
from lbp_workbook.engine.result import FlexibilityFinding, PlannedExercise, Reason

PHASE_KINDS = {"stability": 1, "strength": 2, "dynamic": 3}  #: kind -> first phase it joins
OPPOSITE = {"flexion": "extension", "extension": "flexion"}


def allowed(exercise: Exercise, painful_directions: Iterable[str]) -> bool:
    """True when none of the exercise's loaded directions is painful.

    >>> from lbp_workbook.engine.reference import parse_exercises
    >>> ex = parse_exercises({"exercises": [{"id": "toe_touch", "name": "Toe touch",
    ...     "kind": "flexibility", "phases": [1], "targets": ["hamstrings"],
    ...     "loads": ["flexion"], "direction": None, "dosage": "", "source": "own",
    ...     "evidence": "teaching_choice"}]})[0]
    >>> allowed(ex, ["flexion"]), allowed(ex, ["extension"])
    (False, True)
    """
    return not set(exercise.loads) & set(painful_directions)


def _planned(ex: Exercise, why: tuple[Reason, ...]) -> PlannedExercise:
    return PlannedExercise(
        id=ex.id,
        name=ex.name,
        kind=ex.kind,
        targets=ex.targets,
        loads=ex.loads,
        direction=ex.direction,
        dosage=ex.dosage,
        why=why,
        source=ex.source,
        evidence=ex.evidence,
    )


def _finding_reason(area: str, findings: Sequence[FlexibilityFinding]) -> Reason:
    return Reason(
        kind="finding",
        focus_area=area,
        findings=tuple(
            (f.test, f.side, float(f.value), f.unit, f.deficient_when, float(f.cutoff))
            for f in findings if f.status == "deficient" and f.focus_area == area
        ),
    )


def build_plan(
    phase: int | None,
    focus_areas: Sequence[str],
    painful_directions: Sequence[str],
    findings: Sequence[FlexibilityFinding] = (),
    catalogue: Sequence[Exercise] | None = None,
) -> tuple[PlannedExercise, ...]:
    """Choose the exercises for a phase, the focus areas and the painful directions.

    Parameters
    ----------
    phase : int or None
        1, 2 or 3; None (a referral is needed) gives an empty plan.
    focus_areas : sequence of str
        From the flexibility findings, e.g. ``("hamstrings",)``.
    painful_directions : sequence of str
        Spinal directions that provoke pain; no exercise loading one is chosen.
    findings : sequence of FlexibilityFinding, optional
        Used only to say *why* a flexibility exercise was chosen.
    catalogue : sequence of Exercise, optional
        The exercise catalogue; default :func:`lbp_workbook.engine.reference.exercises`.

    Returns
    -------
    tuple of PlannedExercise
        Phase work first, then flexibility, then directional mobility; each
        exercise once, its ``why`` holding every reason that chose it (as
        :class:`~lbp_workbook.engine.result.Reason` data; the views word it), its
        ``source`` and ``evidence`` copied from the catalogue row.

    Notes
    -----
    When a focus area has no allowed flexibility exercise in the catalogue,
    none is planned for it (the catalogue is expected to hold a neutral-spine
    option for every area; a test checks the shipped one).

    References
    ----------
    NSCA's Guide to Tests and Assessments, ch. 11 (stretch dose when a deficit
    is found). May S, Aina A 2012, Centralization and directional preference:
    a systematic review, Man Ther 17:497-506 (defines directional preference
    by repeated-movement testing with centralisation; the workbook's simpler
    painful-direction rule is a teaching choice, not that test).
    """
    if phase is None:
        return ()
    if phase not in (1, 2, 3):
        raise ValueError(f"phase must be 1, 2, 3 or None, got {phase!r}")
    rows = tuple(reference.exercises() if catalogue is None else catalogue)
    painful = set(painful_directions)
    chosen: dict[str, tuple[Exercise, list[Reason]]] = {}

    def add(ex: Exercise, why: Reason) -> None:
        if ex.id in chosen:
            if why not in chosen[ex.id][1]:
                chosen[ex.id][1].append(why)
        else:
            chosen[ex.id] = (ex, [why])

    for ex in rows:
        first = PHASE_KINDS.get(ex.kind)
        if first is not None and phase >= first and phase in ex.phases and allowed(ex, painful):
            add(ex, Reason(kind="phase", phase=phase, exercise_kind=ex.kind))
    for area in sorted(set(focus_areas)):
        for ex in rows:
            if ex.kind == "flexibility" and area in ex.targets and allowed(ex, painful):
                add(ex, _finding_reason(area, findings))
                break
    for bad, good in OPPOSITE.items():
        if bad in painful and good not in painful:
            for ex in rows:
                if ex.kind == "mobility" and ex.direction == good and allowed(ex, painful):
                    add(ex, Reason(kind="direction", painful=bad, direction=good))
                    break
    return tuple(_planned(ex, tuple(whys)) for ex, whys in chosen.values())
