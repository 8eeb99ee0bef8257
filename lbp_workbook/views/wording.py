"""Plain words: the one module that turns an assessment result into sentences.

Every view (the assessment app, the case cards, the lesson tables, the
command line summary, the HTML and PDF summaries) words a result through
these functions, so a value, a limit, a finding, a gate, a ratio, an
asymmetry, a referral, an exercise's reason and an evidence status read the
same everywhere. The engine hands over numbers and structure
(:class:`~lbp_workbook.engine.result.Limit`, :class:`~lbp_workbook.engine.result.Reason`);
nothing here reads a sentence back.

What a learner or a client reads never shows a record field path, a rule
id, an evidence code, an exception name or a data-file name: fields are
named by their labels (``record.FIELDS``), tests by their names
(``data/assessment_tests.json``), evidence by :data:`EVIDENCE_WORDS`.

Pure Python: no matplotlib, no ipywidgets. Nothing is escaped here; an HTML
view escapes what it shows.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from lbp_workbook.engine import progress as _progress
from lbp_workbook.engine import reference
from lbp_workbook.engine.result import EVIDENCE_WORDS, Limit, Reason, number, show
from lbp_workbook.engine.rules.phase import (
    field_label,
    gate_sentence,
    gate_words,
    person,
    phase_name,
)

__all__ = [
    "number", "show", "value", "EDUCATIONAL_SHORT", "words", "yes_no", "person", "field_label", "limit",
    "EVIDENCE_WORDS", "evidence_words", "evidence_once", "NOT_MEASURED",
    "finding", "asymmetry", "ratio", "ratio_target", "gate_words", "gate_sentence",
    "referral_block", "REFERRAL_HEADINGS", "reason", "reasons", "SCOPE_NOTE", "DOSE_NOTE",
    "phase_name", "REFERRAL_FINDINGS", "TEACHING_DOSE", "dosage", "kind_words", "name_of_test", "referral_reason", "urgency",
]

#: The words for a reading that is missing (never "n/a", never "None").
NOT_MEASURED = "not measured"

#: Said once under a plan (card, table, summary), not after every dose.
TEACHING_DOSE = "(teaching choice, not a published dose)"
DOSE_NOTE = ("Doses are our teaching choice, not published doses, unless the exercise's "
             "source gives one.")

#: The scope-of-practice text, said once per card, plan or summary (the reassessment's words).
SCOPE_NOTE = _progress.SCOPE_NOTE

#: The educational notice beside :data:`SCOPE_NOTE` (which already says when to refer),
#: so a card says each thing once.
EDUCATIONAL_SHORT = ("Educational use only: this workbook teaches trainers; it does not diagnose "
                     "or treat anyone.")

#: Heads the findings while a referral is in force (summary, command line).
REFERRAL_FINDINGS = ("Recorded for the medical provider: not a basis for training while a "
                     "referral is needed.")

#: The two headings of every referral block.
REFERRAL_HEADINGS = ("What to do now", "Who to contact")

_KIND_WORDS = {
    "stability": "stability foundation (neutral pelvis, body mechanics)",
    "strength": "trunk strengthening",
    "dynamic": "dynamic, whole-body work",
}


def words(text: Any) -> str:
    """An identifier-like word as plain words ("hip_flexors" -> "hip flexors").

    >>> words("before_training")
    'before training'
    """
    return str(text).replace("_", " ")


def yes_no(flag: bool) -> str:
    """ "yes" or "no", never "True" / "False".

    >>> yes_no(True), yes_no(False)
    ('yes', 'no')
    """
    return "yes" if flag else "no"


def value(x: Any, unit: str = "") -> str:
    """A reading as a trainer reads it, with its unit.

    ``None`` is "not measured", a boolean "yes"/"no", a list its items, a
    number without a trailing ``.0``; a scale unit (``/10``) is written
    "3/10".

    >>> value(62.0, "deg"), value(3, "/10"), value(None, "deg"), value(True), value([])
    ('62 deg', '3/10', 'not measured', 'yes', 'none')
    """
    unit = str(unit or "").strip()
    if not unit or x is None or isinstance(x, (bool, list, tuple)) or not isinstance(x, (int, float)):
        return show(x)
    return f"{number(x)}{unit}" if unit.startswith("/") or unit == "%" else f"{number(x)} {unit}"


def limit(lim: Limit) -> str:
    """A limit in words.

    >>> limit(Limit("<=", 3.0, "/10")), limit(Limit("<", 1.0)), limit(Limit("<=", 0.75))
    ('at most 3 out of 10', 'below 1', '0.75 or less')
    >>> limit(Limit("between", 0.95, "", 1.05)), limit(Limit("within", 30.5, "s"))
    ('between 0.95 and 1.05', 'sides within 30.5 s of each other')
    >>> limit(Limit("==", True)), limit(Limit(">", 10.0, "%"))
    ('yes', 'more than 10%')
    """
    op, unit = lim.op, str(lim.unit or "").strip()

    def v(x: Any) -> str:
        if unit.startswith("/"):
            return f"{number(x)} out of {unit[1:]}"
        return value(x, unit)

    if op == "==":
        return value(lim.value) if isinstance(lim.value, bool) else v(lim.value)
    if op == "between":
        return f"between {v(lim.value)} and {v(lim.upper)}"
    if op == "within":
        return ("sides within the measurement error of each other" if lim.value is None
                else f"sides within {v(lim.value)} of each other")
    return {
        "<=": f"at most {v(lim.value)}" if unit else f"{v(lim.value)} or less",
        "<": f"below {v(lim.value)}",
        ">=": f"at least {v(lim.value)}",
        ">": f"more than {v(lim.value)}",
    }[op]


def evidence_words(tag: str) -> str:
    """An evidence tag in plain words.

    >>> evidence_words("V"), evidence_words("teaching_choice")
    ('checked in the original paper', 'our teaching choice')
    """
    return EVIDENCE_WORDS.get(tag, words(tag))


def evidence_once(tags: Iterable[str]) -> str:
    """One line for a card or a table: how sure its sources are, each status once.

    >>> evidence_once(["V", "teaching_choice", "V"])
    'How sure: checked in the original paper; our teaching choice.'
    >>> evidence_once([])
    ''
    """
    seen: list[str] = []
    for tag in tags:
        w = evidence_words(tag)
        if tag and w not in seen:
            seen.append(w)
    return ("How sure: " + "; ".join(seen) + ".") if seen else ""


def name_of_test(test_id: str) -> str:
    """A test's name from its id (``"slr_deg"`` -> "Passive straight-leg raise").

    >>> name_of_test("slr_deg")
    'Passive straight-leg raise'
    """
    for t in reference.assessment_tests():
        if t.id == test_id:
            return t.name
    return field_label(test_id)


# --------------------------------------------------------------------------- findings


def finding(f: Any) -> str:
    """One flexibility finding in one line.

    >>> from lbp_workbook import assess, load_example
    >>> f = assess(load_example("runner_sam")).flexibility[0]
    >>> finding(f)
    'Passive straight-leg raise, left: 62 deg — short: below 80 deg, by 18 deg'
    """
    side = f", {f.side}" if f.side else ""
    rel = "below" if f.deficient_when == "below" else "above"
    head = f"{f.name}{side}: {value(f.value, f.unit)}"
    if f.status == "deficient":
        text = f"{head} — short: {rel} {value(f.cutoff, f.unit)}, by {value(f.deficit, f.unit)}"
    else:
        text = f"{head} — normal (short when {rel} {value(f.cutoff, f.unit)})"
    if f.within_error_of_cutoff:
        text += " (within measurement error of the cut-off)"
    return text


def asymmetry(a: Any) -> str:
    """A left–right difference in one line (the asymmetry rule's limit included).

    >>> from lbp_workbook.engine.result import Asymmetry
    >>> a = Asymmetry("slr_deg", "Passive straight-leg raise", 60.0, 75.0, 15.0, 20.0, "deg",
    ...     10.0, "%", None, None, None, "", {}, "", "V2")
    >>> asymmetry(a)
    'Passive straight-leg raise: left 60 deg, right 75 deg — sides differ by 15 deg (20% of the larger side; flagged above 10% of the larger side)'
    """
    limit_text = (f"{value(a.threshold, '%')} of the larger side" if a.threshold_unit == "%"
                  else value(a.threshold, a.threshold_unit))
    text = (f"{a.name}: left {value(a.left, a.unit)}, right {value(a.right, a.unit)} — sides "
            f"differ by {value(a.difference, a.unit)} ({number(round(a.percent_of_larger))}% of "
            f"the larger side; flagged above {limit_text})")
    if a.exceeds_measurement_error is not None and a.mdc95 is not None:
        more = "larger" if a.exceeds_measurement_error else "not larger"
        text += (f"; {more} than the smallest real difference between two readings "
                 f"({value(a.mdc95, a.unit)})")
    return text


def ratio_target(r: Any) -> str:
    """An endurance ratio's target in words.

    >>> from lbp_workbook import assess, load_example
    >>> [ratio_target(r) for r in assess(load_example("rower_ria")).endurance.ratios][:2]
    ['below 1', '0.75 or less']
    """
    return limit(r.target)


def ratio(r: Any) -> str:
    """One endurance ratio in one line: value, target, inside or outside.

    >>> from lbp_workbook import assess, load_example
    >>> ratio(assess(load_example("rower_ria")).endurance.ratios[0])
    'Flexor : extensor endurance: 1.25 (target below 1) — outside the target'
    """
    shown = ("no limit (a 0 s hold below it)" if r.value == float("inf")
             else number(round(r.value, 2)))
    verdict = "outside the target" if r.flagged else "inside the target"
    return f"{r.label}: {shown} (target {ratio_target(r)}) — {verdict}"


# --------------------------------------------------------------------------- referral


def referral_block(ref: Any) -> tuple[tuple[str, str], ...]:
    """The referral's "What to do now / Who to contact" lines, as (heading, text) pairs.

    Empty while no referral is needed.

    >>> from lbp_workbook import assess, load_example
    >>> [h for h, _ in referral_block(assess(load_example("red_flag_pat")).referral)]
    ['What to do now', 'Who to contact']
    """
    if not ref.needed:
        return ()
    return ((REFERRAL_HEADINGS[0], ref.action), (REFERRAL_HEADINGS[1], ref.contact))


def referral_reason(r: Any) -> str:
    """One reason to refer, with what it may suggest and how urgent it is.

    >>> from lbp_workbook import assess, load_example
    >>> referral_reason(assess(load_example("red_flag_pat")).referral.reasons[0])[:20]
    'Numbness in the sadd'
    """
    from lbp_workbook.engine.result import FLAG_KIND_WORDS

    cond = f" — may suggest {r.condition}" if r.condition else ""
    kind = "red flag" if r.kind == "red_flag" else "referral trigger"
    if r.flag_kind:
        kind += f": {FLAG_KIND_WORDS.get(r.flag_kind, words(r.flag_kind))}"
    return f"{r.label}{cond} ({kind}; {urgency(r.urgency)})"


def urgency(level: str) -> str:
    """An urgency level in words.

    >>> urgency("before_training"), urgency("emergency")
    ('before any training', 'emergency: the same day')
    """
    return {"emergency": "emergency: the same day", "urgent": "urgent",
            "before_training": "before any training", "routine": "routine",
            "none": "none"}.get(level, words(level))


# --------------------------------------------------------------------------- the plan


def kind_words(kind: str) -> str:
    """What an exercise kind is for, in words.

    >>> kind_words("strength")
    'trunk strengthening'
    """
    return _KIND_WORDS.get(kind, words(kind))


def reason(why: Reason) -> str:
    """One reason an exercise is in the plan.

    >>> reason(Reason("phase", phase=2, exercise_kind="strength"))
    'phase 2: trunk strengthening'
    >>> reason(Reason("finding", focus_area="hamstrings",
    ...     findings=(("slr_deg", "left", 62.0, "deg", "below", 80.0),)))
    'focus area hamstrings: Passive straight-leg raise, left 62 deg (short: below 80)'
    >>> reason(Reason("direction", painful="flexion", direction="extension"))
    'flexion hurts, extension does not: avoid the painful direction; mobility work goes the other way (a teaching choice)'
    """
    if why.kind == "phase":
        return f"phase {why.phase}: {kind_words(why.exercise_kind or '')}"
    if why.kind == "finding":
        parts = [
            f"{name_of_test(test)}{', ' + side if side else ''} {value(v, unit)} "
            f"(short: {rel} {number(cut)})"
            for test, side, v, unit, rel, cut in why.findings
        ]
        return f"focus area {words(why.focus_area)}" + (": " + ", ".join(parts) if parts else "")
    return (f"{why.painful} hurts, {why.direction} does not: avoid the painful direction; "
            "mobility work goes the other way (a teaching choice)")


def reasons(whys: Sequence[Reason]) -> str:
    """Every reason an exercise is in the plan, joined with "; "."""
    return "; ".join(reason(w) for w in whys)


def dosage(text: str) -> str:
    """An exercise's dose without the teaching-choice remark (said once, :data:`DOSE_NOTE`).

    >>> dosage("2 sets of 8 (teaching choice, not a published dose)")
    '2 sets of 8'
    """
    return str(text).replace(TEACHING_DOSE, "").strip()
