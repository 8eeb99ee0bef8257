"""The client summary as a document: sections described once, rendered twice.

:func:`trainer_document` and :func:`client_document` turn a
:class:`~lbp_workbook.engine.result.Result` into a :class:`Document` (small
frozen dataclasses: sections, each with a heading, paragraphs, bullet
points, tables, a picture with alt text and small-print notes).
:mod:`lbp_workbook.views.report` renders one document to HTML and to PDF, so
the section order and every sentence are written here and nowhere else.

Two versions:

- the **trainer's** summary: referral, notice, findings (with the deficit
  chart), changes since the last visit (when a history is given: each change
  judged by :func:`lbp_workbook.engine.progress.measurement_changes`, real only
  beyond the test's MDC95), phase and gates, exercise plan, notes, sources;
- the **client's** sheet: what we found, what we will do, when to stop and
  seek help, in plain words, with no evidence status, rule or source. While
  a referral is in force it shows only the referral.

Every number comes from the result, the record or the data files. Evidence
status is said in words, once per section. The sentences and number formats
of the summary live in the "words" block below (one private place, for the
shared wording module to replace).

Examples
--------
>>> from lbp_workbook.engine.examples import load_example
>>> from lbp_workbook.engine.assessment import assess
>>> doc = client_document(assess(load_example("red_flag_pat")))
>>> [s.heading for s in doc.sections][:1]
['Please see a medical provider before we train']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Mapping, Sequence

from lbp_workbook.engine.record import Problem, RecordError, shorten, validate_record
from lbp_workbook.engine.result import EDUCATIONAL_NOTICE, FLAG_KIND_WORDS, Result
from lbp_workbook.views import wording

__all__ = [
    "Text", "Row", "Table", "Picture", "Section", "Document",
    "latest_record", "previous_record", "summary_result", "changes_since",
    "trainer_document", "client_document",
]

HISTORY_SCHEMA = "lbp-client-history/1"
#: Longest stretch of the trainer's notes shown on the one-page summary [characters].
NOTES_SHOWN_MAX = 600

Audience = Literal["trainer", "client"]


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class Text:
    """One paragraph or bullet point: an optional bold ``lead``, then ``text``."""

    text: str
    lead: str = ""
    style: Literal["body", "small", "flag", "strong"] = "body"


@dataclass(frozen=True)
class Row:
    """One table row; ``flag`` marks a deficit or a gate not met; ``group`` is a heading row."""

    cells: tuple[str, ...]
    flag: bool = False
    group: bool = False


@dataclass(frozen=True)
class Table:
    """A table: header, rows, column widths (shares of the text width, summing to 1)."""

    header: tuple[str, ...]
    rows: tuple[Row, ...]
    widths: tuple[float, ...]
    flag_col: int | None = None  #: the column coloured by ``Row.flag``
    css: str = ""  #: class name in the HTML


@dataclass(frozen=True)
class Picture:
    """A PNG with its alt text (drawn beside the section's text in the PDF)."""

    png: bytes
    alt: str


@dataclass(frozen=True)
class Section:
    """One section; rendered as heading, paragraphs, bullets, tables, notes (in that order)."""

    heading: str
    kind: Literal["plain", "referral", "released", "clear", "notice"] = "plain"
    paragraphs: tuple[Text, ...] = ()
    bullets: tuple[Text, ...] = ()
    tables: tuple[Table, ...] = ()
    picture: Picture | None = None
    notes: tuple[Text, ...] = ()
    css: str = ""
    urgency: str = ""  #: the referral's urgency (a data attribute in the HTML)
    #: planned exercises shown as picture cards in the HTML (the take-home sheet prints them)
    exercises: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Document:
    """A whole summary: a title, a line under it, sections, and the footer notice."""

    audience: Audience
    title: str  #: the document's title (HTML <title>, PDF metadata)
    heading: str  #: the big heading
    client_id: str
    meta: tuple[tuple[str, str], ...]  #: (label, value) pairs under the heading
    sections: tuple[Section, ...]
    notice: str = EDUCATIONAL_NOTICE


# --------------------------------------------------------------------------- words
# The summary's own sentences; values, findings, ratios, gates, reasons and evidence
# status are worded by lbp_workbook/views/wording.py, as everywhere else.

_NO_TRAINING = ("No training phase and no exercise plan are given while a referral is needed. "
                "Training waits until the client has seen the medical provider; then assess again.")
#: Said above the findings while a referral is in force (the CLI uses the same words).
REFERRAL_FINDINGS = wording.REFERRAL_FINDINGS
_CUTOFFS = "Cut-offs are reference points for one protocol and population, not diagnoses."
_PLAN_SCOPE = ("An educational starting point, within your scope of practice; stop and refer "
               "if symptoms increase.")
_CHANGE_RULE = ("A change counts as real only when it is larger than the test's smallest real "
                "change (MDC95 = 1.96 × √2 × SEM; Weir 2005); pain uses the smallest meaningful "
                "change (Ostelo et al. 2008).")
_CLIENT_REFERRAL = "Please see a medical provider before we train"
_CLIENT_WAIT = ("We will not start or continue your exercises until you have seen them. "
                "Bring this sheet with you.")


def _num(value: Any) -> str:
    return wording.value(round(value, 1) if isinstance(value, float) and value != float("inf")
                         else value)


def _words(text: str) -> str:
    return wording.words(text)


def _evidence(tags: Sequence[str]) -> str:
    seen = dict.fromkeys(wording.evidence_words(t) for t in tags if t)
    return "; ".join(seen)


def _evidence_note(pairs: Sequence[tuple[str | None, str | None]]) -> tuple[Text, ...]:
    """The section's evidence status in words, said once (the citations go to Sources)."""
    words = _evidence([e for s, e in pairs if s and e])
    return (Text(f"{words}; the sources are listed at the end.", lead="Evidence: ",
                 style="small"),) if words else ()


def _sources_section(pairs: Sequence[tuple[str | None, str | None]]) -> Section | None:
    """Every citation of the summary once, in the order first used."""
    cites = list(dict.fromkeys(s.strip().rstrip(".") for s, _ in pairs if s))
    if not cites:
        return None
    return Section("Sources", css="sources", bullets=tuple(Text(c + ".", style="small")
                                                           for c in cites))


def _referral_lines(ref: Any) -> tuple[Text, ...]:
    """What to do now / Who to contact, in wording's words (the same everywhere)."""
    return tuple(Text(t, lead=f"{h}: ", style="strong") for h, t in wording.referral_block(ref))


def _side(f: Any) -> str:
    return f" {f.side}" if getattr(f, "side", None) else ""


def _meta(result: Result) -> tuple[tuple[str, str], ...]:
    client = result.record.get("client", {}) if isinstance(result.record, Mapping) else {}
    out = [("Client", result.client_id)]
    if client.get("age") is not None:
        out.append(("Age", f"{client['age']} years"))
    if client.get("sex"):
        out.append(("Sex", _words(client["sex"])))
    out.append(("Assessment of", result.date or "no date recorded"))
    return tuple(out)


# --------------------------------------------------------------------------- input


def _prefixed(problem: Problem, prefix: str) -> Problem:
    path = f"{prefix}.{problem.path}" if problem.path else prefix
    message = problem.message
    if problem.path and message.startswith(problem.path):
        message = prefix + "." + message
    elif not problem.path:
        message = f"{prefix}: " + message.removeprefix("(record): ")
    return Problem(path, problem.value, problem.accepted, message)


def _history_items(data: Any) -> list | None:
    """The records of a history (list or saved history object), or None for one record."""
    if isinstance(data, Mapping) and data.get("schema") == HISTORY_SCHEMA:
        extra = sorted(set(map(str, data)) - {"schema", "client_id", "assessments"})
        problems = [Problem(shorten(k, 60), data[k], "schema, client_id, assessments",
                            f"{shorten(k, 60)}: unknown field of a {HISTORY_SCHEMA} file")
                    for k in extra]
        if problems:
            raise RecordError(problems)
        items = data.get("assessments")
        if not isinstance(items, list):
            raise RecordError([Problem("assessments", items, "a list of records",
                                       "assessments: missing or not a list of records")])
        return items
    if isinstance(data, (list, tuple)):
        return list(data)
    return None


def _in_order(items: list) -> list:
    """The history's records by date (on a shared date in the order listed), checked."""
    if not items:
        raise RecordError([Problem("assessments", [], "at least one record",
                                   "assessments: the history holds no assessment")])
    problems: list[Problem] = []
    dated: list[tuple[str, int]] = []
    ids = set()
    for number, item in enumerate(items):
        try:
            rec = validate_record(item)
        except RecordError as exc:
            problems += [_prefixed(p, f"assessments.{number}") for p in exc.problems]
            continue
        dated.append((rec.date or "", number))
        ids.add(rec.client.id)
    if problems:
        raise RecordError(problems)
    if len(ids) > 1:
        raise RecordError([Problem("assessments", sorted(ids), "records of one client",
                                   "assessments: records of more than one client "
                                   f"({', '.join(sorted(ids))}); a summary is for one client")])
    return [items[number] for _, number in sorted(dated)]


def latest_record(data: Any) -> Mapping[str, Any]:
    """The assessment a summary is made of: a record, or the latest of a history.

    Parameters
    ----------
    data : mapping or list of mappings
        One ``lbp-assessment/1`` record; a list of records (a client's
        history); or a saved history object ``{"schema":
        "lbp-client-history/1", "client_id": ..., "assessments": [...]}``.

    Returns
    -------
    mapping
        The record itself, or the history's latest record by date (on a
        shared date, the last one listed, as the clients folder saves them).

    Raises
    ------
    RecordError
        An empty or malformed history, or any record in it that is invalid:
        every problem, each path prefixed with ``assessments.N`` (N counted
        from 0), one line each.
    """
    items = _history_items(data)
    return data if items is None else _in_order(items)[-1]


def previous_record(data: Any) -> Mapping[str, Any] | None:
    """The visit before the latest one of a history; None for a single record or visit."""
    items = _history_items(data)
    if items is None:
        return None
    ordered = _in_order(items)
    return ordered[-2] if len(ordered) > 1 else None


def summary_result(data: Any) -> Result:
    """The :class:`Result` a summary shows (a result is returned unchanged).

    Raises
    ------
    RecordError
        The record (or a record of the history) is invalid.
    """
    if isinstance(data, Result):
        return data
    from lbp_workbook.engine.assessment import assess

    return assess(latest_record(data))


def changes_since(previous: Mapping[str, Any] | None, result: Result) -> tuple:
    """Every reading measured at both visits, judged by the reassessment's rule.

    Returns
    -------
    tuple of lbp_workbook.engine.progress.MeasurementChange
        Empty without a previous record. A change is real only beyond the
        test's MDC95 (pain: the smallest meaningful change); the verdict is
        :func:`lbp_workbook.engine.progress.measurement_changes`'s, never a
        second one.

    References
    ----------
    Weir JP 2005. Quantifying test-retest reliability using the intraclass
    correlation coefficient and the SEM. J Strength Cond Res 19(1):231-240.
    """
    if previous is None:
        return ()
    from lbp_workbook.engine.progress import measurement_changes

    return measurement_changes(validate_record(previous), validate_record(result.record))


# --------------------------------------------------------------------------- trainer


def _reason_text(reason: Any) -> str:
    text = reason.label.rstrip(". ") + "."
    if reason.condition:
        text += f" Suspected: {reason.condition}."
    if reason.flag_kind:
        text += f" A {FLAG_KIND_WORDS[reason.flag_kind]}."
    return text + f" Urgency: {_words(reason.urgency)}."


def _referral_section(result: Result) -> Section:
    ref = result.referral
    if ref.needed:
        return Section(
            f"Referral needed before any training (urgency: {_words(ref.urgency)})",
            kind="referral", css="referral", urgency=ref.urgency,
            paragraphs=(*_referral_lines(ref), Text("", lead="Reasons:")),
            bullets=tuple(Text(_reason_text(r)) for r in ref.reasons),
            notes=(Text(_NO_TRAINING), *_evidence_note(_referral_pairs(result))))
    if ref.released:
        return Section("Referral: not needed now", kind="released", css="released",
                       paragraphs=(Text("Released by medical clearance (still noted):"),),
                       bullets=tuple(Text(r.label) for r in ref.released),
                       notes=(Text(ref.released_guidance),))
    return Section("", kind="clear", paragraphs=(Text(
        "No red flag or referral trigger was recorded.", lead="Referral: not needed. "),))


def _finding_text(f: Any) -> str:
    op = "below" if f.deficient_when == "below" else "above"
    near = ", within measurement error of the cut-off" if f.within_error_of_cutoff else ""
    return (f"{f.name}{_side(f)}: {f.value:g} {f.unit}, {f.deficit:g} {f.unit} past the "
            f"cut-off{near} (deficient {op} {f.cutoff:g} {f.unit}, {f.reference_label})")


def _findings_bullets(result: Result) -> list[Text]:
    lines: list[Text] = []
    normal = [f for f in result.flexibility if f.status != "deficient"]
    lines += [Text(_finding_text(f), style="flag")
              for f in result.flexibility if f.status == "deficient"]
    if normal:
        names = ", ".join(f"{f.name}{_side(f)} {f.value:g} {f.unit}" for f in normal)
        lines.append(Text(f"Within the reference point: {names}."))
    if not result.flexibility:
        lines.append(Text("No flexibility test recorded."))
    if result.referral.needed:
        lines.append(Text(REFERRAL_FINDINGS))
    else:
        lines.append(Text("Focus areas: " + (", ".join(map(_words, result.focus_areas))
                                             or "none") + "."))
    for a in result.asymmetries:
        more = ""
        if a.exceeds_measurement_error is not None:
            more = "; larger" if a.exceeds_measurement_error else "; not larger"
            more += f" than the smallest real difference (MDC95 {a.mdc95:g} {a.unit})"
        lines.append(Text(f"Asymmetry, {a.name}: left {a.left:g}, right {a.right:g} {a.unit}, "
                          f"difference {a.difference:g} {a.unit} "
                          f"({a.percent_of_larger:.0f}% of the larger side){more}.", style="flag"))
    for r in result.endurance.imbalances:
        lines.append(Text(f"Endurance imbalance, {wording.ratio(r)}.", style="flag"))
    psfs = result.record.get("function", {}).get("psfs", [])
    if psfs:  # function is the goal: the client's own activities (Stratford et al. 1995)
        from lbp_workbook.engine.person import psfs_average

        scores = "; ".join(f"{it['activity']} {_num(it['score'])}" for it in psfs)
        lines.append(Text("Function, the activities the client finds hard (0 unable, 10 as "
                          f"before): {scores}; average {psfs_average(result.record):.1f}."))
    return lines


def _chart_alt(result: Result) -> str:
    bad = [f for f in result.flexibility if f.status == "deficient"]
    text = "Deficit chart: every flexibility test against its cut-off. "
    if bad:
        return text + "Deficient: " + "; ".join(
            f"{f.name}{_side(f)} {f.value:g} {f.unit} (cut-off {f.cutoff:g})" for f in bad) + "."
    return text + "No reading is past its cut-off."


def _findings_pairs(result: Result) -> list[tuple[str, str]]:
    pairs = [(f.source, f.evidence) for f in result.flexibility]
    pairs += [(a.source, a.evidence) for a in result.asymmetries]
    return pairs + [(r.source, r.evidence) for r in result.endurance.imbalances]


def _referral_pairs(result: Result) -> list[tuple[str, str]]:
    ref = result.referral
    return [(r.source, r.evidence) for r in (*ref.reasons, *ref.released)]


def _phase_pairs(result: Result) -> list[tuple[str, str]]:
    return [(result.phase_source, result.phase_evidence)]


def _plan_pairs(result: Result) -> list[tuple[str, str]]:
    return [(e.source, e.evidence) for e in result.exercises]


def _change_pairs(changes: Sequence[Any]) -> list[tuple[str, str]]:
    return [(c.measurement_error_source, c.measurement_error_evidence) for c in changes]


def _findings_section(result: Result, png: bytes | None) -> Section:
    if result.referral.needed and not result.flexibility:
        return Section("Findings", paragraphs=(Text("No flexibility test was recorded."),))
    evidence = _findings_pairs(result)
    picture = Picture(png, _chart_alt(result)) if png is not None else None
    return Section("Findings", bullets=tuple(_findings_bullets(result)), picture=picture,
                   notes=(Text(_CUTOFFS, style="small"), *_evidence_note(evidence)), css="findings")


def _changes_section(changes: Sequence[Any], previous: Mapping[str, Any] | None) -> Section:
    moved = [c for c in changes if c.verdict != "no_change"]
    rows = tuple(Row((c.label, _num(c.before), _num(c.after), c.text),
                     flag=c.verdict == "worse" and bool(c.exceeds_measurement_error))
                 for c in moved)
    when = (previous or {}).get("date") or "no date recorded"
    heading = f"Changes since the last visit ({when})"
    same = _unchanged(changes)
    if not changes:
        return Section(heading, paragraphs=(Text("No reading was measured at both visits."),))
    return Section(heading, css="changes", paragraphs=(same,) if same else (),
                   tables=(Table(("reading", "last visit", "now", "change"), rows,
                                 (0.34, 0.11, 0.11, 0.44), flag_col=3, css="changes"),)
                   if rows else (),
                   notes=(Text(_CHANGE_RULE, style="small"),
                          *_evidence_note(_change_pairs(moved))))


def _unchanged(changes: Sequence[Any]) -> Text | None:
    """One line naming every reading that was the same at both visits."""
    same = [c.label for c in changes if c.verdict == "no_change"]
    return Text("; ".join(same) + ".", lead="The same as last time: ") if same else None


def _phase_section(result: Result) -> Section:
    rows = []
    for g in result.gates:
        asks, reading, verdict = wording.gate_words(g, result.client_id)
        rows.append(Row((f"{g.phase}", asks, reading, verdict), flag=not g.passed))
    notes = [Text("", lead="Next steps:")] if result.next_steps else []
    notes += [Text(f"• {s}") for s in result.next_steps]
    notes += [Text(result.gates_note, style="small"),
              *_evidence_note(_phase_pairs(result))]
    return Section(f"Phase {result.phase}", css="phase",
                   bullets=tuple(Text(r) for r in result.phase_reasons),
                   tables=(Table(("phase", "gate", "client's reading", "met?"), tuple(rows),
                                 (0.07, 0.50, 0.28, 0.15), flag_col=3, css="gates"),),
                   notes=tuple(notes))


def _plan_section(result: Result) -> Section:
    if not result.exercises:
        return Section("Exercise plan", paragraphs=(Text("No exercise in the plan."),),
                       notes=(Text(_PLAN_SCOPE, style="small"),))
    groups: dict[str, list[Row]] = {}
    for e in result.exercises:
        groups.setdefault(wording.reasons(e.why), []).append(
            Row((e.name, _words(e.kind), wording.dosage(e.dosage))))
    rows: list[Row] = []
    for why, items in groups.items():
        rows += [Row((f"Why: {why}",), group=True), *items]
    return Section("Exercise plan", css="plan", exercises=tuple(result.exercises),
                   tables=(Table(("exercise", "kind", "dosage"), tuple(rows),
                                 (0.30, 0.10, 0.60), css="exercises"),),
                   notes=(Text(_PLAN_SCOPE, style="small"), Text(wording.DOSE_NOTE, style="small"),
                          *_evidence_note(_plan_pairs(result))))


def _notes_text(result: Result) -> str | None:
    notes = result.record.get("notes") if isinstance(result.record, Mapping) else None
    if not notes or not str(notes).strip():
        return None
    text = str(notes).strip()
    if len(text) > NOTES_SHOWN_MAX:
        text = text[:NOTES_SHOWN_MAX].rstrip() + " … (shortened; the full notes are in the record)"
    return text


def trainer_document(result: Result, png: bytes | None = None,
                     previous: Mapping[str, Any] | None = None) -> Document:
    """The trainer's summary of ``result`` as a :class:`Document`.

    Parameters
    ----------
    result : Result
        From :func:`lbp_workbook.assess`.
    png : bytes, optional
        The deficit chart (drawn only when training can go ahead).
    previous : mapping, optional
        The client's previous assessment: adds "Changes since the last visit".

    Returns
    -------
    Document
        While a referral is in force: referral, notice, findings (recorded
        for the medical provider), no phase and no plan.
    """
    sections = [_referral_section(result), Section("", kind="notice", css="notice",
                                                   paragraphs=(Text(EDUCATIONAL_NOTICE),))]
    sections.append(_findings_section(result, None if result.referral.needed else png))
    pairs = _referral_pairs(result) + (_findings_pairs(result) if result.flexibility else [])
    if previous is not None:
        changes = changes_since(previous, result)
        sections.append(_changes_section(changes, previous))
        pairs += _change_pairs(changes)
    if not result.referral.needed:
        sections += [_phase_section(result), _plan_section(result)]
        pairs += _phase_pairs(result) + _plan_pairs(result)
    notes = _notes_text(result)
    if notes:
        sections.append(Section("Notes", paragraphs=(Text(notes, style="small"),), css="notes"))
    sources = _sources_section(pairs)
    if sources is not None:
        sections.append(sources)
    return Document("trainer", f"Client summary: {result.client_id}, "
                    f"{result.date or 'no date recorded'}", "Client summary", result.client_id,
                    _meta(result), tuple(sections))


# --------------------------------------------------------------------------- client


def _client_change(c: Any) -> str:
    unit = c.unit if c.unit.startswith("/") else f" {c.unit}"
    was = f"{_num(c.before)}{unit} then {_num(c.after)}{unit}"
    if c.verdict == "within_measurement_error":
        return f"{c.label}: {was}; too small a change to be sure it is real."
    better = "better" if c.verdict == "improved" else "worse"
    return f"{c.label}: {was}; a real change, {better}."


def _stop_bullets() -> tuple[Text, ...]:
    from lbp_workbook.engine.person import section
    from lbp_workbook.engine.reference import red_flags, rules

    light = section("traffic_light")
    red = light["zones"][-1]
    signs = [f.label for f in red_flags() if f.kind == "sign" and f.urgency == "emergency"]
    return (Text(red["advice"], lead="During exercise: "),
            Text(section("flare_plan")["steps"][-1], lead="After a session: "),
            Text(", ".join(signs) + ". " + rules().action("emergency").contact + ".",
                 lead="Go to an emergency department the same day if you notice any of: ",
                 style="strong"))


def client_document(result: Result, previous: Mapping[str, Any] | None = None) -> Document:
    """The client's short sheet: what we found, what we will do, when to stop and seek help.

    Plain words only: no evidence status, rule, source or chart. While a
    referral is in force the sheet shows only the referral (what to do now,
    who to contact, why) and the notice: no phase, no exercise.

    Parameters
    ----------
    result : Result
    previous : mapping, optional
        The previous visit's record: adds the changes since then (the
        reassessment's verdicts, in plain words).
    """
    ref = result.referral
    notice = Section("", kind="notice", css="notice", paragraphs=(Text(EDUCATIONAL_NOTICE),))
    head = (f"Your summary: {result.client_id}, {result.date or 'no date recorded'}",
            "Your summary", result.client_id, _meta(result))
    if ref.needed:
        referral = Section(_CLIENT_REFERRAL, kind="referral", css="referral", urgency=ref.urgency,
                           paragraphs=(*_referral_lines(ref), Text("", lead="Why:")),
                           bullets=tuple(Text(r.label.rstrip(". ") + ".") for r in ref.reasons),
                           notes=(Text(_CLIENT_WAIT),))
        return Document("client", *head, sections=(referral, notice))
    found = [Text(f"{f.name}{_side(f)}: {f.value:g} {f.unit}, outside the usual reference point "
                  f"by {f.deficit:g} {f.unit}.") for f in result.flexibility
             if f.status == "deficient"]
    found += [Text(f"{a.name}: your left and right sides differ by {a.difference:g} {a.unit}.")
              for a in result.asymmetries]
    found += [Text(f"Trunk endurance: {r.label} is outside its usual balance.")
              for r in result.endurance.imbalances]
    if not found:
        found = [Text("Every test we measured was within its usual reference point.")]
    changes = changes_since(previous, result)
    found += [Text(_client_change(c), lead="Since last time: ")
              for c in changes if c.verdict != "no_change"]
    same = _unchanged(changes)
    found += [same] if same else []
    from lbp_workbook.engine.rules.phase import PHASES

    name, aim = PHASES[int(result.phase)]
    rows = tuple(Row((e.name, wording.dosage(e.dosage))) for e in result.exercises)
    plan = Section("What we will do", css="plan",
                   paragraphs=(Text(f"{aim[:1].upper()}{aim[1:]}.",
                                    lead=f"Stage {result.phase} of 3, {name.lower()}: "),),
                   tables=((Table(("exercise", "how much"), rows, (0.4, 0.6), css="exercises"),)
                           if rows else ()))
    stop = Section("When to stop and seek help", css="stop", bullets=_stop_bullets())
    return Document("client", *head, sections=(
        Section("What we found", css="findings", bullets=tuple(found)), plan, stop, notice))
