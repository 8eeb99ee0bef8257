"""The assessment app's result cards: pure functions from a Result to HTML.

No ipywidgets here: each function takes the engine's
:class:`lbp_workbook.engine.result.Result` (or what it derives) and returns an HTML
string, every piece of text escaped. The app (:mod:`lbp_workbook.views.widgets.app`)
puts each string into one ``widgets.HTML``; tests and other views can call
them directly.

- :func:`banner_html`: the referral banner (first on screen);
- :func:`phase_html` or, while a referral is in force, :func:`hold_html`;
- :func:`whatif_html`, :func:`focus_html`, :func:`findings_html`,
  :func:`plan_html`, :func:`suggestions_html`, :func:`notice_html`;
- :func:`problem_html`: one message about an entry or an action.
"""

from __future__ import annotations

import html
from typing import Any, Sequence

from lbp_workbook.engine.result import FLAG_KIND_WORDS, Gate, Result

# The phase names and the gate wording are the engine's (one wording for app, CLI and summary).
from lbp_workbook.engine.rules.phase import PHASES, gate_words, person, phase_name
from lbp_workbook.engine.whatif import MEDICAL_ONLY_NOTE, Change
from lbp_workbook.views import wording

esc = html.escape

#: Input groups, in the order a trainer works (the app's tabs; the phase card names
#: the groups its gates read in this order).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("screening", "1 · Screening"),
    ("pain", "2 · Pain"),
    ("flexibility", "3 · Flexibility"),
    ("endurance", "4 · Endurance"),
    ("control", "5 · Control"),
    ("person", "6 · Function and the person"),
)

#: Urgency -> (text colour, pale background). Okabe-Ito, as plotstyle.PALETTE.
COLOURS: dict[str, tuple[str, str]] = {
    "emergency": ("#8B0000", "#FDE8E8"),
    "urgent": ("#B03A00", "#FFF0E6"),
    "before_training": ("#8A5A00", "#FFF7E0"),
    "routine": ("#0B5394", "#E8F1FB"),
    "none": ("#00664A", "#E6F6F1"),
}


def id_words(s: Any) -> str:
    """An id as words: ``"side_bending"`` -> ``"side bending"`` (:func:`wording.words`)."""
    return wording.words(s)


def value_words(x: Any) -> str:
    """A value as a trainer reads it (no trailing .0; None = not measured).

    >>> value_words(62.0), value_words(None), value_words(True), value_words(("a_b",))
    ('62', 'not measured', 'yes', 'a b')
    """
    if isinstance(x, (list, tuple)):
        return ", ".join(id_words(v) for v in x) or "none"
    return wording.value(x) if not isinstance(x, str) else id_words(x)


_fmt = value_words
_words = id_words


def problem_html(text: str) -> str:
    """One message about an entry or an action (red, announced to screen readers)."""
    return (
        "<div role='alert' style='color:#8B0000;font-size:0.92em;margin:0 0 4px 0'>"
        f"⚠ {esc(text)}</div>"
    )


def banner_html(result: Result) -> str:
    """The referral banner (first on screen; unmistakable when a referral is needed)."""
    ref = result.referral
    released = ""
    if ref.released:
        items = "".join(
            f"<li>{esc(r.label)} — released by medical clearance</li>" for r in ref.released
        )
        released = (
            "<div style='margin-top:6px'><b>Released by medical clearance</b> "
            f"(still recorded):<ul style='margin:2px 0'>{items}</ul>"
            f"<b>{esc(ref.released_guidance)}</b></div>"
        )
    if not ref.needed:
        fg, bg = COLOURS["none"]
        return (
            f"<div style='border:2px solid {fg};background:{bg};padding:8px 12px;"
            "border-radius:6px;margin-bottom:8px'>"
            f"<b style='color:{fg}'>No referral needed</b> for "
            f"<b>{esc(str(result.client_id))}</b>: "
            + ("nothing recorded is still open. " if ref.released else
               "no red flag or open referral trigger was recorded. ")
            + f"Keep screening at every session.{released}</div>"
        )
    fg, bg = COLOURS.get(ref.urgency, COLOURS["urgent"])
    reasons = "".join(
        "<li>"
        + esc(r.label)
        + (f" — <i>{esc(r.condition)}</i>" if r.condition else "")
        + f" <span style='color:#555'>({esc(_words(r.kind))}"
        + (f": {esc(FLAG_KIND_WORDS[r.flag_kind])}" if r.flag_kind else "")
        + f", {esc(_words(r.urgency))})</span>"
        + "</li>"
        for r in ref.reasons
    )
    return (
        f"<div role='alert' style='border:4px solid {fg};background:{bg};padding:10px 14px;"
        "border-radius:6px;margin-bottom:8px'>"
        f"<div style='font-size:1.35em;font-weight:bold;color:{fg}'>"
        f"REFER — {esc(_words(ref.urgency).upper())}: stop the low back programme</div>"
        + "".join(f"<div style='margin-top:6px'><b>{esc(h)}:</b> {esc(t)}</div>"
                  for h, t in wording.referral_block(ref)) +
        f"<div style='margin-top:6px'><b>Why</b> (client <b>{esc(str(result.client_id))}</b>):"
        f"<ul style='margin:2px 0'>{reasons}</ul></div>{released}</div>"
    )


def hold_html(result: Result) -> str:
    """Shown in place of the phase card and plan while a referral is in force."""
    return (
        "<div style='border:3px dashed #8B0000;padding:12px;border-radius:6px;background:#FAFAFA'>"
        "<div style='font-size:1.25em;font-weight:bold;color:#8B0000'>"
        "Training on hold until cleared</div>"
        "<div>No phase, exercise plan or what-if is shown while a referral is in force. "
        "Follow the banner above. Resume only after a medical provider has seen the client "
        "and cleared them to train; then record the clearance and assess again.</div></div>"
    )


_VERDICT = {  # symbol, colour, words: never colour alone
    "met": ("✓", "#00664A"),
    "not met": ("✗", "#B03A00"),
    "counts as not met": ("?", "#8A5A00"),
}


def _gate_item(gate: Gate, result: Result) -> str:
    asks, reading, verdict = gate_words(gate, result.client_id)
    mark, colour = _VERDICT[verdict]
    return (
        f"<li style='margin:2px 0'>{esc(asks)} — <b>{esc(reading)}</b> "
        f"<span style='color:{colour};font-weight:bold;white-space:nowrap'>{mark} {verdict}</span>"
        "</li>"
    )


def _phase_ladder(current: int) -> str:
    steps = []
    for number, (name, _what) in PHASES.items():
        here = number == current
        style = (
            "background:#0072B2;color:white;font-weight:bold" if here
            else "background:#F2F2F2;color:#333"
        )
        steps.append(
            f"<span style='display:inline-block;{style};border-radius:12px;padding:2px 10px;"
            f"margin:2px 0'>{number} · {esc(name)}{' ◀ now' if here else ''}</span>"
        )
    return "<div style='margin:4px 0 6px 0'>" + " → ".join(steps) + "</div>"


def _count(some: list, every: list) -> str:
    return f"{len(some)} of the {len(every)} gate{'s' if len(every) != 1 else ''}"


def _is(some: list) -> str:
    return "is" if len(some) == 1 else "are"


def phase_html(result: Result) -> str:
    """The phase card: the phase by name, why, what would move the client on, every gate.

    Gates are shown in plain words with the client's reading ("Pain now at
    most 3 out of 10 — Sam: 2 ✓ met"), grouped by the phase they open. The
    card says which measurements the gates read, so a learner knows why a
    flexibility change moves the focus areas and the plan but not the phase.
    """
    phase = int(result.phase)
    name, what = PHASES[phase]
    who = esc(person(result.client_id))
    gates = sorted(result.gates, key=lambda g: g.phase)
    by_phase: dict[int, list] = {}
    for g in gates:
        by_phase.setdefault(int(g.phase), []).append(g)
    unmet = {p: [g for g in gs if not g.passed] for p, gs in by_phase.items()}
    nxt = phase + 1
    if phase == 1 and 2 in by_phase:
        why = (f"{who} is in phase 1 because {_count(unmet[2], by_phase[2])} for phase 2 "
               f"{_is(unmet[2])} not met yet (a gate not measured counts as not met).")
    elif nxt in by_phase:
        why = (f"Every gate for phase {phase} is met; {_count(unmet[nxt], by_phase[nxt])} for "
               f"phase {nxt} {_is(unmet[nxt])} not met yet.")
    else:
        why = f"Every gate for phases {' and '.join(str(p) for p in sorted(by_phase))} is met."
    if unmet.get(nxt):
        items = "".join(_gate_item(g, result) for g in unmet[nxt])
        move = (f"<div><b>What would move {who} on to phase {nxt} · "
                f"{esc(PHASES[nxt][0])}:</b><ul style='margin:2px 0'>{items}</ul></div>")
    else:
        move = "".join(f"<div>{esc(s)}</div>" for s in result.next_steps)
    groups = "".join(
        f"<div style='margin-top:4px'><b>To move up to phase {p} · {esc(PHASES[p][0])}</b>"
        f"<ul style='margin:2px 0'>{''.join(_gate_item(g, result) for g in gs)}</ul></div>"
        for p, gs in sorted(by_phase.items())
    )
    read = {str(g.field).split(".")[0] for g in gates}
    sections = [key for key, _ in SECTIONS if key in read]
    read_words = ", ".join(sections[:-1]) + (" and " if len(sections) > 1 else "") + sections[-1]
    reads_note = f"The gates read {esc(read_words)} only."
    if "flexibility" not in read:
        reads_note += (" A flexibility result changes the focus areas and the exercise plan, "
                       "not the phase.")
    return (
        "<div style='border:2px solid #0072B2;border-radius:6px;padding:8px 12px;"
        "margin-bottom:8px'>"
        f"<div style='font-size:1.35em;font-weight:bold;color:#0072B2'>"
        f"Phase {phase} · {esc(name)}</div>"
        f"<div style='color:#333'>{esc(what[:1].upper() + what[1:])}.</div>"
        f"{_phase_ladder(phase)}"
        f"<div><b>Why this phase:</b> {why}</div>{move}"
        f"<details open style='margin-top:4px'><summary><b>Gates</b> (every one, with "
        f"{who}'s reading)</summary>{groups}</details>"
        f"<div style='margin-top:6px;padding:4px 8px;background:#F2F7FB;border-radius:4px'>"
        f"<b>What the phase reads.</b> {reads_note}</div>"
        f"<div style='color:#555;font-size:0.88em;margin-top:4px'>{esc(result.gates_note)}</div>"
        "</div>"
    )


def whatif_html(changes: Sequence[Change]) -> str:
    """What-if list under the phase card."""
    if changes:
        items = "".join(f"<li>{esc(c.text)}</li>" for c in changes)
        body = f"<ul style='margin:2px 0'>{items}</ul>"
    else:
        body = (
            "<div>No single measurement change within the accepted ranges would move the "
            "phase up or clear a deficiency.</div>"
        )
    return (
        "<div style='border:1px solid #CC79A7;border-radius:6px;padding:6px 12px;"
        "margin-bottom:8px'>"
        "<b>What if?</b> The smallest change of one measurement that would move the client "
        "to a higher phase or clear a deficiency (each checked by re-running the "
        f"assessment). A teaching aid about cut-offs, not a training goal.{body}"
        f"<div style='color:#555;font-size:0.88em'>{esc(MEDICAL_ONLY_NOTE)}</div></div>"
    )


def focus_html(result: Result) -> str:
    """The focus areas as chips (or "none")."""
    if result.focus_areas:
        chips = " ".join(
            "<span style='display:inline-block;border:1px solid #D55E00;border-radius:10px;"
            f"padding:1px 8px;margin:2px'>{esc(_words(a))}</span>"
            for a in result.focus_areas
        )
    else:
        chips = "none: no flexibility deficit found"
    return f"<div style='margin-bottom:6px'><b>Focus areas:</b> {chips}</div>"


#: Choice fields whose control starts on a value when the record has none: module 5 teaches
def findings_html(result: Result, held: bool = False) -> str:
    """Flexibility findings, asymmetries and endurance ratios, as the engine found them.

    While a referral is in force (``held``) they are headed as measurements
    only, so nothing reads as a reason to start training.
    """
    rows = []
    for f in result.flexibility:
        colour = "#B03A00" if f.status == "deficient" else "#00664A"
        side = f" {f.side}" if f.side else ""
        rel = "below" if f.deficient_when == "below" else "above"
        deficit = f"{_fmt(f.deficit)} {f.unit} past the cut-off" if f.status == "deficient" else ""
        rows.append(
            f"<tr><td>{esc(f.name)}{esc(side)}</td><td>{esc(_fmt(f.value))} {esc(f.unit)}</td>"
            f"<td>deficient {rel} {esc(_fmt(f.cutoff))} {esc(f.unit)}"
            f"<div style='color:#555;font-size:0.9em'>{esc(f.reference_label)}</div></td>"
            f"<td style='color:{colour};font-weight:bold'>{esc(f.status)}</td>"
            f"<td>{esc(deficit)}</td></tr>"
        )
    table = (
        "<table style='border-collapse:collapse;font-size:0.92em' cellpadding='3'>"
        "<tr style='text-align:left;border-bottom:1px solid #999'><th>test</th><th>value</th>"
        "<th>screening reference point</th><th>status</th><th>deficit</th></tr>"
        + "".join(rows) + "</table>"
        if rows
        else "<div>No flexibility test recorded.</div>"
    )
    asym = "".join(f"<li>{esc(wording.asymmetry(a))}</li>" for a in result.asymmetries)
    ratios = "".join(
        f"<li>{esc(r.label)}: {esc(_fmt(round(r.value, 2)))} (target {esc(wording.ratio_target(r))})"
        + (" — <b style='color:#B03A00'>imbalance</b>" if r.flagged else "")
        + "</li>"
        for r in result.endurance.ratios
    )
    head = (
        "<b>Measurements recorded</b> (for the medical provider and for later; "
        "no training until cleared)"
        if held
        else "<b>Findings</b>"
    )
    parts = [f"{head}{table}"]
    if asym:
        parts.append(
            f"<div><b>Left–right asymmetries</b><ul style='margin:2px 0'>{asym}</ul></div>"
        )
    if ratios:
        parts.append(
            f"<div><b>Endurance ratios</b><ul style='margin:2px 0'>{ratios}</ul>"
            f"<div style='color:#555;font-size:0.88em'>{esc(result.endurance.note)}</div></div>"
        )
    return "<div style='margin-bottom:8px'>" + "".join(parts) + "</div>"


def plan_html(result: Result) -> str:
    """The exercise plan: each exercise, its dose, why it was chosen (in plain words:
    test names, "short: below 80") and which way it loads the spine."""
    rows = "".join(
        f"<tr><td><b>{esc(e.name)}</b><br><span style='color:#555'>{esc(e.kind)}</span></td>"
        f"<td>{esc(wording.dosage(e.dosage))}</td><td>{esc(wording.reasons(e.why))}</td>"
        f"<td>{esc(', '.join(_words(x) for x in e.loads) or 'spine kept neutral')}</td></tr>"
        for e in result.exercises
    )
    return (
        f"<div style='margin-bottom:8px'><b>Exercise plan for phase {esc(str(result.phase))}"
        f" · {esc(phase_name(result.phase))}</b>"
        "<table style='border-collapse:collapse;font-size:0.92em' cellpadding='3'>"
        "<tr style='text-align:left;border-bottom:1px solid #999'><th>exercise</th><th>dosage</th>"
        "<th>why</th><th>loads the spine toward</th></tr>" + rows + "</table>"
        f"<div style='color:#555;font-size:0.88em'>{esc(wording.DOSE_NOTE)}</div></div>"
    )


def suggestions_html(result: Result) -> str:
    """The result's suggestions (high distress: talk to the clinician), or "" when none.

    Shown only while training goes ahead: during a referral the banner says
    what to do, and a suggestion to "keep training" would contradict it.
    """
    items = getattr(result, "suggestions", ()) or ()
    if not items:
        return ""
    body = "".join(f"<li>{esc(s.text)} <span style='color:#444'>Why: {esc(s.reason)}</span></li>"
                   for s in items)
    return (
        "<div role='note' style='border-left:4px solid #0B5394;padding:4px 8px;"
        "background:#E8F1FB;margin:6px 0'><b>Suggestion (not a referral)</b>"
        f"<ul style='margin:4px 0 0 18px;padding:0'>{body}</ul></div>"
    )


def notice_html(result: Result) -> str:
    """The scope-of-practice note and the educational notice, beside the recommendation."""
    return (
        "<div style='border-top:1px solid #999;margin-top:8px;padding-top:6px;font-size:0.9em'>"
        f"{esc(wording.SCOPE_NOTE)} {esc(wording.EDUCATIONAL_SHORT)}</div>"
    )


