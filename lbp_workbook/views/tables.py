"""HTML tables for the lessons: reference data and results, each row with its source.

Every function here returns a :class:`Table`, which a notebook draws as an
HTML table (``_repr_html_``) and ``str()`` gives as plain text. No number is
decided here: cut-offs, urgencies, gates, targets, dosages and measurement
errors are read from the package data (:mod:`lbp_workbook.engine.reference`,
:mod:`lbp_workbook.engine.progress`) or from a :class:`~lbp_workbook.engine.result.Result`.
Every piece of text is escaped; web addresses in a source become links. The
source of each row sits behind a "source" toggle, one click away, with its
evidence status in plain words.

Pure Python: no matplotlib, no ipywidgets.

>>> "cauda equina syndrome" in red_flag_table().text
True
>>> from lbp_workbook.engine.examples import load_example
>>> from lbp_workbook.engine.assessment import assess
>>> "teaching synthesis" in gate_table(assess(load_example("runner_sam"))).text
True
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from lbp_workbook.engine import reference
from lbp_workbook.engine.result import (  # noqa: F401
    EDUCATIONAL_NOTICE,
    EVIDENCE_WORDS,
    FLAG_KIND_WORDS,
    URGENCY_ORDER,
    Result,
)
from lbp_workbook.engine.rules.flexibility import SEX_WORDS
from lbp_workbook.views import wording
from lbp_workbook.views.wording import evidence_words, gate_words

__all__ = [
    "Table",
    "evidence_words",
    "red_flag_table",
    "trigger_table",
    "assessment_table",
    "reference_point_table",
    "findings_reference_table",
    "asymmetry_table",
    "ratio_table",
    "gate_table",
    "plan_table",
    "direction_table",
    "whatif_table",
    "progress_table",
]

#: Urgency levels in words.
URGENCY_WORDS: dict[str, str] = {
    "emergency": "emergency: the same day",
    "urgent": "urgent",
    "before_training": "before any training",
    "routine": "routine",
    "none": "none",
}

#: Leads the gate table while a referral is in force.
GATES_ON_HOLD = ("Training on hold: refer first — gates are not applied while a referral is "
                 "in force.")

#: The directional-mobility cell of a client whose referral is in force.
ON_HOLD_ADDED = "none: training on hold while a referral is needed"

#: Under the what-if table (the assessment app says the same).
WHATIF_NOTE = "A teaching aid about cut-offs, not a training goal."

_URL = re.compile(r"https?://[^\s,;]+[^\s,;.)]")
_CELL = "text-align:left;vertical-align:top;padding:4px 8px"
_SMALL = "font-size:0.85em;color:#444"


@dataclass(frozen=True)
class Table:
    """A table for a notebook: ``html`` (drawn by Jupyter) and ``text`` (``str()``)."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.text


# --------------------------------------------------------------------------- helpers


def _esc(value: Any) -> str:
    return html.escape(str(value))


def _link(text: str) -> str:
    """Escape ``text`` and turn every web address in it into a link.

    >>> _link("see https://a.org/x?a=1&b=2, and <b>")
    'see <a href="https://a.org/x?a=1&amp;b=2" target="_blank" rel="noopener">https://a.org/x?a=1&amp;b=2</a>, and &lt;b&gt;'
    """
    out, last = [], 0
    for m in _URL.finditer(text):
        out.append(_esc(text[last : m.start()]))
        url = _esc(m.group(0))
        out.append(f'<a href="{url}" target="_blank" rel="noopener">{url}</a>')
        last = m.end()
    out.append(_esc(text[last:]))
    return "".join(out)


def _source(source: str, evidence: str) -> str:
    """A "source" toggle: the citation (links live) and its evidence status."""
    return (
        f"<details><summary style='cursor:pointer'>source</summary><div style='{_SMALL}'>"
        f"{_link(source)}<br><i>How sure: {_esc(evidence_words(evidence))}.</i></div></details>"
    )


def _words(value: Any) -> str:
    return str(value).replace("_", " ")


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], foot: str = "") -> str:
    """An HTML table; ``rows`` hold ready (escaped) HTML cells."""
    head = "".join(f"<th style='{_CELL};border-bottom:2px solid #999'>{_esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr style='border-bottom:1px solid #ddd'>"
        + "".join(f"<td style='{_CELL}'>{cell}</td>" for cell in row)
        + "</tr>"
        for row in rows
    )
    note = f"<div style='{_SMALL};margin-top:4px'>{foot}</div>" if foot else ""
    return (
        "<div class='lbp-table'><table style='border-collapse:collapse;font-size:0.92em'>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}</div>"
    )


# --------------------------------------------------------------------------- screening


def red_flag_table() -> Table:
    """The red-flag catalogue grouped by suspected condition, most urgent first.

    Each group says how urgent it is, what to do now and whom to contact
    (``data/rules.json`` referral actions); each flag gives its plain-words
    description and its source (``data/red_flags.json``).

    Returns
    -------
    Table

    Notes
    -----
    Red flags are weak diagnostic tests on their own: the table is a prompt
    for referral, never a diagnosis. The trainer does not decide which
    condition is present; any flag means stop and refer.

    >>> t = red_flag_table()
    >>> t.text.index("emergency") < t.text.index("routine")
    True
    """
    rules = reference.rules()
    groups: dict[tuple[str, str], list[reference.RedFlag]] = {}
    for flag in reference.red_flags():  # one row per condition and urgency
        groups.setdefault((flag.condition, flag.urgency), []).append(flag)
    order = sorted(groups, key=lambda key: -URGENCY_ORDER.index(key[1]))
    rows, text = [], []
    for condition, urgency in order:
        flags = groups[(condition, urgency)]
        action = rules.action(urgency)
        rows.append((
            f"<b>{_esc(condition[:1].upper() + condition[1:])}</b>",
            f"<b>{_esc(URGENCY_WORDS.get(urgency, urgency))}</b>",
            "<ul style='margin:0;padding-left:1.2em'>"
            + "".join(
                f"<li><b>{_esc(f.label)}</b> <i>({_esc(FLAG_KIND_WORDS[f.kind])})</i>: "
                f"{_esc(f.description)}{_source(f.source, f.evidence)}</li>"
                for f in flags
            ) + "</ul>",
            f"{_esc(action.action)}<br><b>Contact:</b> {_esc(action.contact)}"
            f"{_source(action.source, action.evidence)}",
        ))
        text.append(f"{condition} [{urgency}]: "
                    + "; ".join(f"{f.label} ({FLAG_KIND_WORDS[f.kind]})" for f in flags)
                    + f" -> {action.contact}")
    return Table(
        _table(("suspected condition", "urgency", "warning signs", "what to do now"), rows,
               "Any one flag is enough: stop the low back programme and refer. The condition column "
               "is what a medical provider will want to rule out; it is never yours to diagnose. "
               "A sign present now refers whatever clearance the client brings. A risk factor (a "
               "history or condition) is released once a clinician has assessed the client and "
               f"given written medical clearance: {_esc(rules.released_guidance.lower())}"),
        "\n".join(text),
    )


def trigger_table() -> Table:
    """The guideline's referral triggers: what to do and whether clearance releases each.

    Returns
    -------
    Table
        One row per trigger of ``data/rules.json`` with its urgency, the
        action and contact for that urgency, whether written medical
        clearance releases it, and its source.

    >>> "Symptoms are getting worse" in trigger_table().text
    True
    """
    rules = reference.rules()
    rows, text = [], []
    for trig in rules.triggers:
        action = rules.action(trig.urgency)
        released = ("yes: once a medical provider has cleared the client" if trig.released_by_clearance
                    else "<b>never</b>: refer again, whatever earlier clearance said")
        definition = f"<br>{_esc(trig.definition)}" if trig.definition else ""
        rows.append((
            f"<b>{_esc(trig.label)}</b>{definition}",
            _esc(URGENCY_WORDS.get(trig.urgency, trig.urgency)),
            f"{_esc(action.action)}<br><b>Contact:</b> {_esc(action.contact)}",
            released,
            _source(trig.source, trig.evidence),
        ))
        text.append(f"{trig.label} [{trig.urgency}] released by clearance: "
                    f"{'yes' if trig.released_by_clearance else 'never'}")
    return Table(
        _table(("referral trigger", "urgency", "what to do", "released by medical clearance?",
                "source"), rows,
               "A red flag that is a sign present now is never released by clearance either; a red "
               "flag that is a risk factor (a history or condition) is, as the red-flag table says. "
               f"Whatever clearance releases: {_esc(rules.released_guidance.lower())}"),
        "\n".join(text),
    )


# --------------------------------------------------------------------------- assessment


def _reference_point(test: reference.AssessmentTest) -> str:
    """The screening reference point in words, with the values for women and men where published.

    >>> _reference_point(reference.assessment_test("ake_deficit_deg"))
    'screening reference point: short above 20 deg (women and men together); women above 23.4 deg, men above 33 deg'
    """
    if test.cutoff is None or test.deficient_when is None:
        return "no cut-off of its own: read through McGill's ratios"
    word = "below" if test.deficient_when == "below" else "above"
    short = "reduced" if test.focus_area == "lumbar_mobility" else "short"
    text = f"screening reference point: {short} {word} {wording.value(test.cutoff)} {test.unit}"
    by_sex = test.screening.by_sex if test.screening else ()
    if by_sex:
        text += " (women and men together); " + ", ".join(
            f"{SEX_WORDS[r.sex]} {word} {wording.value(r.cutoff)} {test.unit}" for r in by_sex)
    return text


def reference_point_table() -> Table:
    """What each flexibility cut-off is: a screening reference point, whose, and how it compares.

    Returns
    -------
    Table
        One row per flexibility test with a cut-off (``data/assessment_tests.json``):
        the pooled screening reference point and what kind of value it is (an
        ideal, a textbook range, a clinical cut-off); the values for women and
        men where a source gives them (with the group and its means); the
        published averages of healthy groups (by position for hip rotation);
        further published facts; and the sources, one click away.

    Notes
    -----
    Several reference points sit near or beyond the average of healthy
    adults (straight-leg raise 80 deg against 61 deg in young men, Gajdosik
    et al. 1993; hip external rotation 40 deg against about 41.8 deg prone,
    Kouyoumdjian et al. 2012), so an ordinary adult can read past them. The
    engine uses the values for the client's sex where published (active
    knee extension, Yıldırım et al. 2018) and names the one it used.

    >>> t = reference_point_table()
    >>> "Yıldırım et al. 2018" in t.text and "Kouyoumdjian et al. 2012" in t.text
    True
    """
    from lbp_workbook.engine.rules.flexibility import POSITION_WORDS

    rows, text = [], []
    for test in reference.assessment_tests():
        if test.cutoff is None or test.section != "flexibility":
            continue
        ref = test.screening
        word = "below" if test.deficient_when == "below" else "above"
        short = "reduced" if test.focus_area == "lumbar_mobility" else "short"
        point = f"{short} {word} {wording.value(test.cutoff)} {test.unit}"
        sources = [_source(test.source, test.evidence)]
        if ref and ref.by_sex:
            sexes = "; ".join(
                f"{SEX_WORDS[r.sex]}: {short} {word} {wording.value(r.cutoff)} {test.unit}"
                + (f" (average {wording.value(r.mean)} ± {wording.value(r.sd)} {test.unit})" if r.mean is not None else "")
                for r in ref.by_sex)
            sexes += f" — {ref.by_sex_group} ({ref.by_sex_cite})"
            sources.append(_source(ref.by_sex_source, ref.by_sex_evidence))
        else:
            sexes = "one value for women and men (no values by sex in the workbook's sources)"
        averages = []
        for n in (ref.norms if ref else ()):
            where = f", {POSITION_WORDS.get(n.position, n.position)}" if n.position else ""
            spread = f" ± {wording.value(n.sd)}" if n.sd is not None else ""
            about = "about " if n.evidence == "C" else ""
            averages.append(f"{n.group}{where}: {about}{wording.value(n.mean)}{spread} {test.unit} ({n.cite})")
            sources.append(_source(n.source, n.evidence))
        notes = [f"{n.text.rstrip('.')} ({n.cite})." for n in (ref.notes if ref else ())]
        sources += [_source(n.source, n.evidence) for n in (ref.notes if ref else ())]
        kind = ref.kind if ref else ""
        what = ref.what if ref else ""
        rows.append((
            f"<b>{_esc(test.name)}</b>",
            f"<b>{_esc(point)}</b><div style='{_SMALL}'>{_esc(kind)}</div>",
            _esc(sexes),
            ("<ul style='margin:0;padding-left:1.2em'>"
             + "".join(f"<li>{_esc(a)}</li>" for a in averages) + "</ul>") if averages
            else _esc("no published average in the workbook's data"),
            _esc(" ".join([what, *notes]).strip()),
            "".join(sources),
        ))
        text.append(f"{test.name}: {point} ({kind}); women and men: {sexes}; averages: "
                    + ("; ".join(averages) or "none in the data") + (" " + " ".join(notes) if notes else ""))
    return Table(
        _table(("test", "screening reference point", "values for women and men",
                "averages of healthy groups", "what it is", "sources"), rows,
               "A screening reference point is a prompt to look closer and to follow a reading over "
               "time, never a diagnosis: it belongs to one protocol and one group of people, and "
               "several sit near the average of healthy adults. Where a source gives values for "
               "women and men, the workbook uses the client's recorded sex and says which it used."),
        "\n".join(text),
    )


def assessment_table(section: str | None = None) -> Table:
    """The assessment tests: what each measures, how to do it, its reference point and error.

    Parameters
    ----------
    section : {"flexibility", "endurance"} or None
        Only the tests of one record section; all tests when None.

    Returns
    -------
    Table
        One row per test of ``data/assessment_tests.json``: name, what it
        measures, protocol, unit, reference point (cut-off and direction),
        measurement error (``progress.measurement_error``: the test's own
        row, the same number the charts and the reassessment decision use),
        and the source.

    Notes
    -----
    Each cut-off belongs to one protocol and population: a reference point,
    never a diagnostic threshold.

    >>> "Passive straight-leg raise" in assessment_table("flexibility").text
    True
    >>> "Passive straight-leg raise" in assessment_table("endurance").text
    False
    """
    from lbp_workbook.engine.progress import measurement_error

    rows, text = [], []
    for test in reference.assessment_tests():
        if section is not None and test.section != section:
            continue
        me = measurement_error(test.id)
        if me is None:
            error = "none in the workbook's reference data: read small changes with care"
        else:
            u = _esc(test.unit)
            how = {"SEM": ("as reported", "computed"), "MDC": ("computed", "as reported")}[me.kind]
            error = (f"SEM {_esc(wording.value(me.sem))} {u} ({how[0]}): one reading ± {_esc(wording.value(me.band95))} {u}"
                     f"<br>MDC95 {_esc(wording.value(me.mdc95))} {u} ({how[1]}): smallest real change"
                     f"<div style='{_SMALL}'>{_esc(me.label)}</div>{_source(me.source, me.evidence)}"
                     f"<div style='{_SMALL}'>{_esc(me.derivation)}</div>")
        sides = "both sides" if test.side_specific else "one reading"
        rows.append((
            f"<b>{_esc(test.name)}</b><div style='{_SMALL}'>{_esc(sides)}, in {_esc(test.unit)}</div>",
            _esc(test.measures),
            _esc(test.protocol),
            _esc(_reference_point(test)),
            error,
            _source(test.source, test.evidence),
        ))
        text.append(f"{test.name}: {_reference_point(test)}; error: "
                    + ("none" if me is None else
                       f"SEM {wording.value(me.sem)} {test.unit}, MDC95 {wording.value(me.mdc95)} {test.unit}"))
    return Table(
        _table(("test", "what it measures", "how to do it", "reference point",
                "measurement error", "source"), rows,
               "Each reference point belongs to one protocol and one group of people: a starting "
               "point for your reasoning, never a diagnosis. SEM: standard error of measurement; a "
               "single reading is within measurement error of a cut-off when the cut-off lies inside "
               "reading ± 1.96 × SEM. MDC95 = 1.96 × √2 × SEM (Weir 2005): a smaller change between "
               "two visits cannot be told apart from measurement noise."),
        "\n".join(text),
    )


def findings_reference_table(result: Result) -> Table:
    """One client's flexibility readings, each with the screening reference point the engine used.

    Parameters
    ----------
    result : Result
        The engine's result; its ``flexibility`` findings.

    Returns
    -------
    Table
        One row per reading: test and side, value, short or within the
        reference point, and whose reference point it was
        (``FlexibilityFinding.reference_label``: for women, for men, or one
        for everyone; for hip rotation the recorded position), with the
        engine's full words (``reference_words``) under it.

    >>> from lbp_workbook.engine.examples import load_example
    >>> from lbp_workbook.engine.assessment import assess
    >>> "reference point for men" in findings_reference_table(assess(load_example("runner_sam"))).text
    True
    """
    rows, text = [], []
    for f in result.flexibility:
        name = f.name + (f" ({f.side})" if f.side else "")
        short = "reduced" if f.focus_area == "lumbar_mobility" else "short"
        verdict = (f"<b style='color:#D55E00'>{short}: {_esc(wording.value(f.deficit))} {_esc(f.unit)} past it</b>"
                   if f.status == "deficient" else "within the reference point")
        rows.append((
            f"<b>{_esc(name)}</b>",
            _esc(f"{wording.value(f.value)} {f.unit}"),
            verdict,
            f"{short} {_esc(f.deficient_when)} {_esc(wording.value(f.cutoff))} {_esc(f.unit)}: {_esc(f.reference_label)}"
            f"<div style='{_SMALL}'>{_esc(f.reference_words)}</div>{_source(f.source, f.evidence)}",
        ))
        status = f"{short} by {wording.value(f.deficit)} {f.unit}" if f.status == "deficient" else "within"
        text.append(f"{name}: {wording.value(f.value)} {f.unit}, {status} "
                    f"(reference point: {short} {f.deficient_when} {wording.value(f.cutoff)} {f.unit}; "
                    f"{f.reference_label})")
    if not rows:
        text.append("No flexibility test recorded.")
    return Table(
        _table(("reading", "value", "against its reference point", "screening reference point used"),
               rows, "A reading past a screening reference point is a reason to look closer and "
               "perhaps train that area, never a diagnosis."),
        "\n".join(text),
    )


def asymmetry_table() -> Table:
    """How big a left–right difference must be before the workbook flags it, per test.

    >>> "10" in asymmetry_table().text
    True
    """
    names = {t.id: t.name for t in reference.assessment_tests()}
    rows, text = [], []
    for rule in reference.rules().asymmetry:
        limit = (f"more than {wording.value(rule.threshold)} % of the larger side" if rule.threshold_unit == "%"
                 else f"more than {wording.value(rule.threshold)} {rule.threshold_unit}")
        rows.append((_esc(names.get(rule.test, rule.test)), _esc(limit),
                     _source(rule.source, rule.evidence)))
        text.append(f"{names.get(rule.test, rule.test)}: {limit}")
    return Table(_table(("test", "sides differ by", "source"), rows), "\n".join(text))


def ratio_table(result: Result) -> Table:
    """McGill's endurance ratios for one client: value, target, flagged or not, source.

    Parameters
    ----------
    result : Result
        The engine's result; only the ratios it could compute are listed.

    Notes
    -----
    The targets are commonly taught targets, not validated cut-offs
    (``result.endurance.note`` says so under the table).

    >>> from lbp_workbook.engine.examples import load_example
    >>> from lbp_workbook.engine.assessment import assess
    >>> "outside the target" in ratio_table(assess(load_example("rower_ria"))).text
    True
    """
    rows, text = [], []
    for r in result.endurance.ratios:
        shown = "no limit (a 0 s hold below it)" if r.value == float("inf") else f"{r.value:.2f}"
        verdict = ("<b style='color:#D55E00'>outside the target</b>" if r.flagged
                   else "inside the target")
        rows.append((f"<b>{_esc(r.label)}</b>", _esc(shown), _esc(wording.ratio_target(r)), verdict,
                     _source(r.source, r.evidence)))
        text.append(f"{r.label}: {shown} (target {wording.ratio_target(r)}) "
                    + ("outside the target" if r.flagged else "inside the target"))
    if not rows:
        text.append("No ratio could be computed: hold times not measured.")
    return Table(
        _table(("ratio", "this client", "target", "reading", "source"), rows,
               _esc(result.endurance.note)),
        "\n".join(text),
    )


# --------------------------------------------------------------------------- phases and plan


def gate_table(result: Result) -> Table:
    """Every phase gate for one client: what it asks, the client's value, met or not.

    Parameters
    ----------
    result : Result
        The engine's result; its ``gates`` and ``gates_note``.

    Returns
    -------
    Table
        Gates of phase 2, then phase 3, as the engine evaluated them; the
        note under the table says the gates are a teaching synthesis and
        gives their source. While ``result.referral.needed`` the table leads
        with :data:`GATES_ON_HOLD` and every row is marked "not applied"
        (never "met"): no gate is a basis for training until the client has
        been cleared.

    >>> from lbp_workbook.engine.examples import load_example
    >>> from lbp_workbook.engine.assessment import assess
    >>> "not met" in gate_table(assess(load_example("runner_sam"))).text
    True
    >>> gate_table(assess(load_example("red_flag_pat"))).text.startswith("Training on hold")
    True
    """
    hold = result.referral.needed
    rows, text = [], []
    if hold:
        text.append(GATES_ON_HOLD)
    for g in sorted(result.gates, key=lambda g: g.phase):
        # The one wording of a gate (rules.phase.gate_words), as the app and summary show it.
        asks, reading, verdict = gate_words(g, result.client_id)
        if hold:
            word = "not applied (referral first)"
            status = f"<span style='color:#555'>{word}</span>"
        elif verdict == "met":
            word, status = verdict, "<span style='color:#00664A'>met</span>"
        elif not g.measured:
            word = verdict
            status = f"<span style='color:#8A5A00'>{_esc(verdict)}</span>"
        else:
            word, status = verdict, "<b style='color:#D55E00'>not met</b>"
        rows.append((f"to enter phase {g.phase}", _esc(asks), _esc(reading), status))
        text.append(f"phase {g.phase}: {asks} — {reading}, {word}")
    phase = "on hold (referral first)" if result.phase is None else f"phase {result.phase}"
    text.append(f"Result: {phase}. {result.gates_note}")
    table = _table(("gate", "what it asks", "reading", "status"), rows,
                   f"<b>Result: {_esc(phase)}.</b> {_link(result.gates_note)}")
    if hold:
        table = (
            "<div role='alert' style='border:2px solid #D55E00;border-radius:6px;"
            "padding:6px 12px;margin-bottom:6px'><b style='color:#D55E00'>"
            f"{_esc(GATES_ON_HOLD)}</b></div>{table}"
        )
    return Table(table, "\n".join(text))


def plan_table(result: Result) -> Table:
    """The client's exercise plan: kind, dose, why it was chosen and the dose's source.

    Returns
    -------
    Table
        One row per planned exercise, in plan order; source and evidence
        from ``data/exercises.json``. While a referral is needed the table
        says there is no plan.

    >>> from lbp_workbook.engine.examples import load_example
    >>> from lbp_workbook.engine.assessment import assess
    >>> "no plan" in plan_table(assess(load_example("red_flag_pat"))).text
    True
    """
    if result.referral.needed:
        words = "Training on hold: no phase and no plan while a referral is needed."
        return Table(f"<div><b>{_esc(words)}</b></div>", words + " (no plan)")
    catalogue = {e.id: e for e in reference.exercises()}
    rows, text = [], []
    for e in result.exercises:
        row = catalogue.get(e.id)
        loads = ", ".join(_words(x) for x in e.loads) or "none (spine kept neutral)"
        why = wording.reasons(e.why)
        rows.append((
            f"<b>{_esc(e.name)}</b>",
            _esc(e.kind),
            _esc(wording.dosage(e.dosage)),
            _esc(why),
            _esc(loads),
            _source(row.source, row.evidence) if row else "",
        ))
        text.append(f"{e.name} ({e.kind}): {wording.dosage(e.dosage)} [why: {why}]")
    return Table(
        _table(("exercise", "kind", "dose", "why it is in the plan", "end-range direction it loads",
                "source of the dose"), rows,
               f"Phase {result.phase}. {_esc(wording.DOSE_NOTE)} {_esc(result.notice)}"),
        "\n".join(text + [wording.DOSE_NOTE]),
    )


def direction_table(*results: Result) -> Table:
    """Side by side: how each client's painful direction shaped their plan.

    For each result: the painful directions; the catalogue exercises that
    load one of them (never offered to this client); the directional
    mobility added to the plan; and a check that no planned exercise loads
    a painful direction. While a client's referral is in force their
    column adds nothing and says training is on hold. The note under the
    table carries :data:`~lbp_workbook.engine.result.EDUCATIONAL_NOTICE`: the doses
    shown are an educational starting point, never a prescription.

    Parameters
    ----------
    *results : Result
        One or more engine results, one column each.

    Returns
    -------
    Table

    >>> from lbp_workbook.engine.examples import load_example
    >>> from lbp_workbook.engine.assessment import assess
    >>> t = direction_table(assess(load_example("runner_sam")), assess(load_example("desk_worker_lee")))
    >>> "Knees to chest" in t.text and "Lying face down on the elbows" in t.text
    True
    """
    catalogue = reference.exercises()
    columns = []
    for r in results:
        painful = tuple(r.record.get("pain", {}).get("painful_directions", ()))
        kept_out = [e for e in catalogue if set(e.loads) & set(painful)]
        added = [e for e in r.exercises if e.kind == "mobility"]
        clash = [e for e in r.exercises if set(e.loads) & set(painful)]
        columns.append({
            "client": r.client_id,
            "painful": ", ".join(_words(d) for d in painful) or "none",
            "phase": "on hold (referral first)" if r.phase is None else f"phase {r.phase}",
            "kept_out": [f"{e.name} (loads {', '.join(_words(x) for x in e.loads)})" for e in kept_out],
            "added": ([ON_HOLD_ADDED] if r.referral.needed
                      else [f"{e.name} (toward {_words(e.direction)}): {e.dosage}" for e in added]),
            "clash": "none" if not clash else ", ".join(e.name for e in clash),
        })

    def cell(items: list[str], empty: str) -> str:
        if not items:
            return _esc(empty)
        return "<ul style='margin:0;padding-left:1.2em'>" + "".join(
            f"<li>{_esc(i)}</li>" for i in items) + "</ul>"

    lines = (
        ("painful direction(s)", lambda c: _esc(c["painful"])),
        ("phase", lambda c: _esc(c["phase"])),
        ("never offered: catalogue exercises that load a painful direction",
         lambda c: cell(c["kept_out"], "none")),
        ("added: mobility toward the opposite direction",
         lambda c: cell(c["added"], "none")),
        ("planned exercises that load a painful direction", lambda c: _esc(c["clash"])),
    )
    rows = [(f"<b>{_esc(name)}</b>", *(fn(c) for c in columns)) for name, fn in lines]
    text = [
        f"{c['client']}: painful {c['painful']}; never offered: {'; '.join(c['kept_out']) or 'none'}; "
        f"added: {'; '.join(c['added']) or 'none'}; clash: {c['clash']}"
        for c in columns
    ]
    return Table(
        _table(("", *(f"client {c['client']}" for c in columns)), rows,
               "Directional mobility is done only while symptoms ease or stay the same; if "
               "symptoms spread into a leg during or after it, stop and refer. The rule is a "
               "teaching choice: avoid the painful direction; mobility work goes the other way. "
               "It is not a test of directional preference, which needs repeated-movement "
               "testing by a clinician (May and Aina 2012). "
               f"{_esc(EDUCATIONAL_NOTICE)}"),
        "\n".join(text),
    )


# --------------------------------------------------------------------------- what if, progress


def whatif_table(changes: Sequence[Any]) -> Table:
    """The what-if list: the smallest single changes that would matter, one per row.

    Parameters
    ----------
    changes : sequence of whatif.Change
        From :func:`lbp_workbook.engine.whatif.what_if`.

    Returns
    -------
    Table
        One row per change; the note under the table says this is a
        teaching aid about cut-offs, not a training goal (:data:`WHATIF_NOTE`),
        that red flags and clearance are never listed, and carries
        :data:`~lbp_workbook.engine.result.EDUCATIONAL_NOTICE`.

    >>> from lbp_workbook.engine.examples import load_example
    >>> from lbp_workbook.engine.whatif import what_if
    >>> "straight-leg raise" in whatif_table(what_if(load_example("runner_sam"))).text.lower()
    True
    """
    from lbp_workbook.engine.whatif import MEDICAL_ONLY_NOTE

    rows, text = [], []
    for c in changes:
        if c.delta is None:
            move = f"{wording.value(c.current)} → {wording.value(c.new)}"
        else:
            unit = f" {c.unit}" if c.unit else ""
            move = f"{wording.value(c.current)} → {wording.value(c.new)}{unit}"
        effects = "<ul style='margin:0;padding-left:1.2em'>" + "".join(
            f"<li>{_esc(e)}</li>" for e in c.effects) + "</ul>"
        rows.append((f"<b>{_esc(c.label)}</b>", _esc(move), effects))
        text.append(f"{c.label}: {move}: " + "; ".join(c.effects))
    if not rows:
        text.append("No single change would move the phase or clear a deficiency.")
    return Table(
        _table(("measurement", "now → would need", "what that would change"), rows,
               f"{_esc(WHATIF_NOTE)} {_esc(MEDICAL_ONLY_NOTE)} {_esc(EDUCATIONAL_NOTICE)}"),
        "\n".join(text),
    )


def progress_table(steps: Sequence[Any]) -> Table:
    """One reading between consecutive reassessments, with its verdict.

    Parameters
    ----------
    steps : sequence of plots.ProgressStep
        From :func:`lbp_workbook.views.plots.progress_summary`.

    Returns
    -------
    Table
        From and to (date and value), the change, the smallest real change
        the verdict used (the test's MDC95), and the verdict ("within
        measurement error", "improved by N", ...).
    """
    rows, text = [], []
    for s in steps:
        error = "none known" if s.measurement_error is None else f"MDC95 {wording.value(s.measurement_error)} {s.unit}"
        change = f"{s.change:+g} {s.unit}"
        rows.append((_esc(s.from_date or ""), _esc(s.to_date or ""),
                     _esc(f"{wording.value(s.from_value)} → {wording.value(s.to_value)} {s.unit}"),
                     _esc(change), _esc(error), f"<b>{_esc(s.text)}</b>"))
        text.append(f"{s.from_date} -> {s.to_date}: {wording.value(s.from_value)} -> {wording.value(s.to_value)} "
                    f"{s.unit} ({change}; error {error}): {s.text}")
    return Table(
        _table(("from", "to", "reading", "change", "smallest real change", "verdict"), rows,
               "A change not larger than the test's MDC95 (1.96 × √2 × SEM; Weir 2005) cannot be "
               "told apart from measurement noise: look for the same direction over several visits."),
        "\n".join(text),
    )


# --------------------------------------------------------------------------- the person


def yellow_flag_table() -> Table:
    """The yellow flags the workbook teaches: what each is and what a client might say.

    Rows come from ``data/person.json`` (Nicholas et al. 2011 and the NHS
    Dumfries and Galloway list), each with its source.

    Returns
    -------
    Table

    Notes
    -----
    Yellow flags predict pain and disability that last; they are not signs of
    serious disease, never a diagnosis, and never stop the programme by
    themselves.

    >>> "Fear of movement" in yellow_flag_table().text
    True
    """
    from lbp_workbook.engine.person import distress, yellow_flags

    rows, text = [], []
    for flag in yellow_flags():
        rows.append((f"<b>{_esc(flag.label)}</b>", _esc(flag.description),
                     f"<i>{_esc(flag.notice)}</i>", _source(flag.source, flag.evidence)))
        text.append(f"{flag.label}: {flag.description} e.g. {flag.notice}")
    row = distress()
    foot = (f"<b>{_esc(row['label'])}</b>: {_esc(row['description'])} "
            f"{_esc(row['suggestion'])}{_source(row['source'], row['evidence'])}")
    text.append(f"{row['label']}: {row['suggestion']}")
    return Table(
        _table(("yellow flag", "what it is", "what you might hear", "source"), rows, foot),
        "\n".join(text),
    )


def start_back_table() -> Table:
    """What the Keele STarT Back Tool's risk groups lead to in stratified care.

    Awareness only: the items are not reproduced and nothing is scored here
    (Keele's licence; ``data/person.json``).

    >>> t = start_back_table()
    >>> "high" in t.text and "Keele University" in t.text
    True
    """
    from lbp_workbook.engine.person import section

    sb = section("start_back")
    rows = [(f"<b>{_esc(c['risk'])} risk</b>", _esc(c["care"])) for c in sb["care"]]
    foot = (f"{_esc(sb['summary'])} {_esc(sb['for_whom'])}<br><i>{_esc(sb['licence'])}</i>"
            f"{_source(sb['source'], sb['evidence'])}")
    text = [f"{c['risk']} risk: {c['care']}" for c in sb["care"]] + [sb["licence"]]
    return Table(_table(("risk group", "what stratified care offers"), rows, foot),
                 "\n".join(text))


def flare_plan_table() -> Table:
    """The take-home flare plan, step by step, with its source.

    >>> "Keep moving" in flare_plan_table().text
    True
    """
    from lbp_workbook.engine.person import section

    fp = section("flare_plan")
    rows = [(str(i), _esc(step)) for i, step in enumerate(fp["steps"], 1)]
    return Table(_table(("step", "what to do in a flare"), rows,
                        _source(fp["source"], fp["evidence"])),
                 "\n".join(f"{i}. {s}" for i, s in enumerate(fp["steps"], 1)))


def return_checks_table() -> Table:
    """Checks before a client returns to running, golf or rowing (a synthesis).

    >>> "Graded exposure" in return_checks_table().text
    True
    """
    from lbp_workbook.engine.person import section

    ra = section("return_to_activity")
    rows = [(f"<b>{_esc(c['label'])}</b>", _esc(c["text"])) for c in ra["checks"]]
    foot = (f"How sure: {_esc(evidence_words(ra['evidence']))}."
            f"{_source(ra['source'], ra['evidence'])}")
    return Table(_table(("check", "what to look for"), rows, foot),
                 "\n".join(f"{c['label']}: {c['text']}" for c in ra["checks"]))


def psfs_table(records: Sequence[Any]) -> Table:
    """A client's PSFS activities and scores at each visit, with the average's change.

    Parameters
    ----------
    records : sequence of Record or mapping
        The visits in date order.

    Returns
    -------
    Table
        One row per visit: date, each activity's score [0-10 PSFS points],
        the average, and the change from the visit before with its verdict
        against the smallest real change (Stratford et al. 1995).

    >>> from lbp_workbook.course.cases import load_case
    >>> "tie my shoes" in psfs_table(load_case("runner_sam").assessments).text
    True
    """
    from lbp_workbook.engine.person import psfs_average, psfs_rule
    from lbp_workbook.engine.progress import psfs_measurement_change
    from lbp_workbook.engine.record import validate_record

    recs = [validate_record(r).to_dict() for r in records]
    activities: list[str] = []
    for rec in recs:
        for item in rec.get("function", {}).get("psfs", []):
            if item["activity"] not in activities:
                activities.append(item["activity"])
    rule = psfs_rule()
    rows, text = [], []
    for i, rec in enumerate(recs):
        scores = {it["activity"]: it["score"] for it in rec.get("function", {}).get("psfs", [])}
        avg = psfs_average(rec)
        # the reassessment's own sentence for this change (one wording, in progress.py)
        change = psfs_measurement_change(recs[i - 1], rec) if i else None
        verdict = "" if change is None else change.text
        cells = [_esc(rec.get("date") or "no date")]
        cells += [_esc(wording.value(scores.get(a))) for a in activities]
        cells += [_esc("not rated" if avg is None else f"{avg:.1f}"), _esc(verdict)]
        rows.append(cells)
        listed = ", ".join(f"{a} {wording.value(scores.get(a))}" for a in activities)
        text.append(f"{rec.get('date')}: {listed}; average "
                    f"{'not rated' if avg is None else f'{avg:.1f}'}"
                    + (f"; {verdict}" if verdict else ""))
    foot = (f"Scores: {_esc(rule.score_meaning)}. A change of the average counts as real only "
            f"when it is larger than {rule.mdc_average_points:g} points."
            f"{_source(rule.source, rule.evidence)}")
    return Table(_table(("visit", *activities, "average", "change since the visit before"),
                        rows, foot), "\n".join(text))
