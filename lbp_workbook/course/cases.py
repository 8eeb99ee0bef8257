"""Case studies: synthetic clients followed from first contact to reassessment.

Each case is ``lbp_workbook/data/cases/NAME.json``::

    {"name": "runner_sam", "title": "...", "story": "...",
     "assessments": [record, record, ...],   # lbp-assessment/1, oldest first
     "questions": [{"question": "...", "model_answer": "..."}, ...]}

:func:`load_case` checks the file (every record valid, one client, dated in
order) and returns a :class:`Case`; its ``results`` come from
:func:`lbp_workbook.assess` and its ``decisions`` from
:func:`lbp_workbook.engine.progress.reassess`, so every number a learner sees is the
engine's. :func:`case_card` draws one assessment as a compact card
(screening, assessment, findings, phase, plan) with every text escaped.

None of the clients is a real person. Educational use only. Pure Python: no
matplotlib, no ipywidgets.

>>> "runner_sam" in list_cases()
True
>>> sam = load_case("runner_sam")
>>> sam.client_id, [r.phase for r in sam.results], [d.decision for d in sam.decisions]
('sam', [2, 2, 3], ['stay', 'progress'])
"""

from __future__ import annotations

import copy
import functools
import html
import json
from dataclasses import dataclass
from functools import cached_property
from importlib.resources import files
from typing import Any, Mapping

from lbp_workbook.engine.assessment import assess
from lbp_workbook.engine.progress import (
    Decision,
    left_align,
    reassess,
    reassess_history,
)
from lbp_workbook.engine.record import RecordError, validate_record
from lbp_workbook.engine.result import Result
from lbp_workbook.views import wording

__all__ = ["Case", "CaseCard", "CaseError", "CaseQuestion", "case_card", "list_cases",
           "load_case", "validate_case"]

_KEYS = ("name", "title", "story", "assessments", "questions")


class CaseError(ValueError):
    """A case file is missing or breaks the case format; ``.problems`` lists every problem."""

    def __init__(self, name: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"case {name!r}: " + "; ".join(problems))


@dataclass(frozen=True)
class CaseQuestion:
    """A question about a case, with a model answer to reveal after thinking."""

    question: str
    model_answer: str


@dataclass(frozen=True)
class Case:
    """One synthetic client's history, from first contact to the last reassessment.

    Attributes
    ----------
    name, title, story : str
        File name, a one-line title, and the client's story in plain words.
    assessments : tuple of dict
        ``lbp-assessment/1`` records, oldest first (deep copies: edit freely).
    questions : tuple of CaseQuestion
    """

    name: str
    title: str
    story: str
    assessments: tuple[dict[str, Any], ...]
    questions: tuple[CaseQuestion, ...]

    @property
    def client_id(self) -> str:
        return self.assessments[0]["client"]["id"]

    @property
    def dates(self) -> tuple[str, ...]:
        return tuple(r["date"] for r in self.assessments)

    @cached_property
    def results(self) -> tuple[Result, ...]:
        """``assess()`` of every assessment, oldest first."""
        return tuple(assess(r) for r in self.assessments)

    @cached_property
    def decisions(self) -> tuple[Decision, ...]:
        """``reassess()`` of every pair of consecutive assessments."""
        return reassess_history(self.assessments)

    def record(self, index: int = 0) -> dict[str, Any]:
        """A fresh copy of one assessment record (``0`` = first contact, ``-1`` = the last)."""
        return copy.deepcopy(self.assessments[index])

    def card(self, index: int = 0) -> "CaseCard":
        """The card of one assessment (``0`` = first contact, ``-1`` = the last)."""
        return case_card(self.results[index], heading=_heading(self, index))

    def decision(self, index: int = -1) -> Decision:
        """The reassessment decision that ends at assessment ``index`` (default: the last)."""
        position = index % len(self.assessments)
        if position == 0:
            raise IndexError("the first assessment has no earlier one to compare with")
        return self.decisions[position - 1]

    def deficit_chart(self, index: int = 0) -> Any:
        """The deficit chart of one assessment as a picture (``0`` = first contact).

        Returns a :class:`lbp_workbook.views.plotstyle.FigureImage` (PNG bytes and alt
        text) rather than the figure, so a lesson showing many charts does not
        keep every figure alive in the notebook's output history. For a figure
        to change, call :func:`lbp_workbook.views.plots.deficit_chart` instead.
        """
        from lbp_workbook.views.plots import deficit_chart
        from lbp_workbook.views.plotstyle import figure_image

        result = self.results[index]
        short = [f"{f.name} {f.side or ''} {wording.value(f.value)} {f.unit}".replace("  ", " ")
                 for f in result.flexibility if f.status == "deficient"]
        alt = (f"Deficit chart of {self.client_id}'s assessment of {result.date}: every "
               "flexibility reading against its cut-off. Short: "
               + ("; ".join(short) if short else "none") + ".")
        return figure_image(deficit_chart(result), alt)

    def chart(self, test: str, side: str | None = None) -> Any:
        """One reading over every assessment as a picture, with the change at each step.

        Parameters
        ----------
        test : str
            A flexibility or endurance field, e.g. ``"slr_deg"``.
        side : {"left", "right"} or None
            Required for side-specific tests.

        Returns
        -------
        lbp_workbook.views.plotstyle.FigureImage
            :func:`lbp_workbook.views.plots.progress_chart` as PNG bytes, with alt
            text from :func:`lbp_workbook.views.plots.progress_summary`.
        """
        from lbp_workbook.views.plots import progress_chart, progress_summary
        from lbp_workbook.views.plotstyle import figure_image

        steps = progress_summary(self.results, test, side)
        said = "; ".join(f"{s.from_date} to {s.to_date}: {s.text}" for s in steps)
        from lbp_workbook.engine.reference import assessment_test

        alt = (f"Progress chart for {self.client_id}: {assessment_test(test).name}"
               f"{' (' + side + ')' if side else ''} over {len(self.results)} assessments. "
               + (said or "No two readings to compare.") + ".")
        return figure_image(progress_chart(self.results, test, side), alt)

    def overall(self) -> Decision:
        """``reassess()`` of the first against the last assessment (the whole course)."""
        return reassess(self.assessments[0], self.assessments[-1])

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "title": self.title, "story": self.story,
            "assessments": [copy.deepcopy(r) for r in self.assessments],
            "questions": [{"question": q.question, "model_answer": q.model_answer}
                          for q in self.questions],
        }

    def _repr_html_(self) -> str:
        esc = html.escape
        dates = ", ".join(esc(d) for d in self.dates)
        return (
            "<div style='border-left:6px solid #0072B2;padding:6px 12px;margin:4px 0'>"
            f"<div style='font-size:1.2em;font-weight:bold'>{esc(self.title)}</div>"
            f"<p style='margin:4px 0'>{esc(self.story)}</p>"
            f"<div style='color:#555;font-size:0.9em'>Client id <b>{esc(self.client_id)}</b> · "
            f"{len(self.assessments)} assessments: {dates} · synthetic, not a real person</div></div>"
        )


def _heading(case: Case, index: int) -> str:
    position = index % len(case.assessments)
    which = "First contact" if position == 0 else f"Reassessment {position}"
    return f"{which} · {case.dates[position]}"


# --------------------------------------------------------------------------- loading


def _folder():
    return files("lbp_workbook") / "data" / "cases"


@functools.lru_cache(maxsize=1)
def _names() -> tuple[str, ...]:
    return tuple(sorted(
        entry.name[: -len(".json")] for entry in _folder().iterdir()
        if entry.is_file() and entry.name.endswith(".json")
    ))


def list_cases() -> list[str]:
    """Names of the case studies, alphabetical (a new list on every call).

    >>> len(list_cases()) >= 5
    True
    """
    return list(_names())


def validate_case(data: Mapping[str, Any], name: str | None = None) -> Case:
    """Check a parsed case and return it as a :class:`Case`.

    Parameters
    ----------
    data : mapping
        The parsed JSON of a case file.
    name : str, optional
        The file name it came from; ``data["name"]`` must match it.

    Returns
    -------
    Case

    Raises
    ------
    CaseError
        Listing every problem: missing keys, a record that is invalid
        (each ``RecordError`` line), records of more than one client, a
        missing date, dates not strictly in order, fewer than two
        assessments, a question without text or model answer.

    >>> validate_case({"name": "x", "title": "t", "story": "s", "assessments": [],
    ...                "questions": []})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    lbp_workbook.course.cases.CaseError: case 'x': needs at least two assessments, found 0
    """
    label = name or (data.get("name") if isinstance(data, Mapping) else None) or "?"
    if not isinstance(data, Mapping):
        raise CaseError(label, ["a case is a JSON object"])
    problems = [f"missing key {k!r}" for k in _KEYS if k not in data]
    problems += [f"unknown key {k!r}" for k in data if k not in _KEYS]
    if problems:
        raise CaseError(label, problems)
    if name is not None and data["name"] != name:
        problems.append(f"name {data['name']!r} does not match the file name {name!r}")
    for key in ("title", "story"):
        if not isinstance(data[key], str) or not data[key].strip():
            problems.append(f"{key} is empty")
    records = data["assessments"]
    if not isinstance(records, list) or len(records) < 2:
        problems.append(f"needs at least two assessments, found {len(records) if isinstance(records, list) else 0}")
        records = records if isinstance(records, list) else []
    validated = []
    for i, record in enumerate(records):
        try:
            validated.append(validate_record(record))
        except RecordError as err:
            problems += [f"assessment {i + 1}: {line}" for line in str(err).splitlines()]
    if len(validated) == len(records) and validated:
        ids = {r.client.id for r in validated}
        if len(ids) > 1:
            problems.append("assessments belong to more than one client: " + ", ".join(sorted(ids)))
        dates = [r.date for r in validated]
        if any(d is None for d in dates):
            problems.append("every assessment needs a date")
        elif any(b <= a for a, b in zip(dates, dates[1:])):
            problems.append("assessments are not in date order (oldest first, one per day): "
                            + ", ".join(dates))
    questions = data["questions"]
    if not isinstance(questions, list):
        problems.append("questions must be a list")
        questions = []
    for i, q in enumerate(questions):
        if (not isinstance(q, Mapping) or set(q) != {"question", "model_answer"}
                or not all(isinstance(q[k], str) and q[k].strip() for k in q)):
            problems.append(f"question {i + 1} needs exactly a non-empty 'question' and 'model_answer'")
    if problems:
        raise CaseError(label, problems)
    return Case(
        name=data["name"],
        title=data["title"],
        story=data["story"],
        assessments=tuple(copy.deepcopy(dict(r)) for r in records),
        questions=tuple(CaseQuestion(q["question"], q["model_answer"]) for q in questions),
    )


@functools.lru_cache(maxsize=None)
def _read(name: str) -> Case:
    text = (_folder() / f"{name}.json").read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise CaseError(name, [f"not valid JSON: {err}"]) from err
    return validate_case(data, name)


def load_case(name: str) -> Case:
    """Load one case study by name.

    Parameters
    ----------
    name : str
        A name from :func:`list_cases`, e.g. ``"runner_sam"``.

    Returns
    -------
    Case
        Validated; ``results``, ``decisions`` and ``card(i)`` come from the
        engine. A fresh object each call (records are deep copies).

    Raises
    ------
    ValueError
        If there is no such case (the message lists the names).
    CaseError
        If the case file breaks the format.

    >>> load_case("runner_bob")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    ValueError: unknown case 'runner_bob'; available cases: cleared_dana, ...
    """
    if not isinstance(name, str) or name not in _names():
        raise ValueError(f"unknown case {name!r}; available cases: {', '.join(_names())}")
    case = _read(name)
    return Case(case.name, case.title, case.story,
                tuple(copy.deepcopy(r) for r in case.assessments), case.questions)


# --------------------------------------------------------------------------- card


@dataclass(frozen=True)
class CaseCard:
    """One assessment as a compact card: ``html`` (escaped) and plain ``text``."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.text


def _rating(x: Any) -> str:
    """A 0-10 pain rating for a card: "3/10", or "not measured" (never "not measured/10")."""
    return "not measured" if x is None else f"{wording.value(x)}/10"


def _words(s: Any) -> str:
    return str(s).replace("_", " ")


def _person_lines(result: Result) -> list[str]:
    """The card's lines about the person: PSFS scores, yellow flags, suggestions.

    A suggestion is left out while a referral is in force (the referral says
    what to do).
    """
    from lbp_workbook.engine.person import distress, psfs_average, yellow_flags

    rec = result.record
    out: list[str] = []
    items = rec.get("function", {}).get("psfs", [])
    if items:
        avg = psfs_average(rec)
        out.append("Activities the client finds hard (PSFS, 0-10): "
                   + ", ".join(f"{it['activity']} {wording.value(it['score'])}" for it in items)
                   + f"; average {avg:.1f}")
    noted = rec.get("psychosocial", {})
    labels = [f.label.lower() for f in yellow_flags() if noted.get(f.id)]
    if noted.get(distress()["id"]):
        labels.append(distress()["label"].lower())
    if labels:
        out.append("Yellow flags noticed: " + ", ".join(labels))
    if not result.referral.needed:
        out.extend(f"Suggestion (not a referral): {s.text}" for s in result.suggestions)
    return out


def case_card(result: Result, heading: str = "") -> CaseCard:
    """Draw one assessment result as a card: screening, assessment, findings, phase, plan.

    Parameters
    ----------
    result : Result
        From :func:`lbp_workbook.assess`.
    heading : str, optional
        A line above the card, e.g. ``"First contact · 2026-11-02"``.

    Returns
    -------
    CaseCard
        While a referral is needed the card shows the referral and no phase
        or plan. Every number comes from ``result``; every text is escaped.

    >>> from lbp_workbook.engine.examples import load_example
    >>> card = case_card(assess(load_example("red_flag_pat")))
    >>> "REFER" in card.text and "Plan" not in card.text
    True
    """
    esc = html.escape
    rec = result.record
    pain = rec.get("pain", {})
    lines: list[str] = [heading] if heading else []
    parts: list[str] = []
    if heading:
        parts.append(f"<div style='font-weight:bold;color:#0072B2'>{esc(heading)}</div>")

    # 1 screening
    ref = result.referral
    if ref.needed:
        reasons = [r.label.split(":")[0] for r in ref.reasons]
        screen = (f"REFER ({_words(ref.urgency)}): " + "; ".join(reasons)
                  + f". {ref.action} Contact: {ref.contact}.")
        parts.append(
            "<div role='alert' style='border:3px solid #8B0000;background:#FDE8E8;padding:6px 10px;"
            f"border-radius:6px'><b style='color:#8B0000'>1 · Screening: REFER "
            f"({esc(_words(ref.urgency))})</b><ul style='margin:2px 0'>"
            + "".join(f"<li>{esc(r)}</li>" for r in reasons)
            + "</ul>" + "<br>".join(f"<b>{esc(h)}:</b> {esc(t)}" for h, t in wording.referral_block(ref))
            + "</div>"
        )
    else:
        released = "".join(f" Released by medical clearance: {r.label}." for r in ref.released)
        if ref.released_guidance:
            released += f" {ref.released_guidance}"
        screen = ("No referral needed: nothing open." if ref.released else
                  "No referral needed: no red flag or open referral trigger.") + released
        parts.append(f"<div><b>1 · Screening:</b> {esc(screen)}</div>")
    lines.append("1 Screening: " + screen)

    # 2 assessment
    directions = ", ".join(_words(d) for d in pain.get("painful_directions", [])) or "none"
    pain_text = (f"pain now {_rating(pain.get('now'))}, during exercise "
                 f"{_rating(pain.get('during_exercise'))}; painful directions: {directions}")
    deficient = [f for f in result.flexibility if f.status == "deficient"]
    rows = "".join(
        f"<tr><td>{esc(f.name)}{esc(', ' + f.side if f.side else '')}</td>"
        f"<td>{esc(wording.value(f.value))} {esc(f.unit)}</td>"
        f"<td>{esc(f.deficient_when)} {esc(wording.value(f.cutoff))} {esc(f.unit)}"
        f"<div style='color:#555;font-size:0.9em'>{esc(f.reference_label)}</div></td></tr>"
        for f in deficient
    )
    table = (
        "<table style='border-collapse:collapse;font-size:0.9em' cellpadding='2'>"
        "<tr style='text-align:left'><th>short of its reference point</th><th>value</th>"
        f"<th>deficient when</th></tr>{rows}</table>" if rows
        else "<div>Every flexibility reading is on the normal side of its reference point.</div>"
    )
    extra = [wording.asymmetry(a) for a in result.asymmetries]
    extra += [wording.ratio(r) for r in result.endurance.imbalances]
    parts.append(
        f"<div><b>2 · Assessment:</b> {esc(pain_text)}.{table}"
        + ("<ul style='margin:2px 0'>" + "".join(f"<li>{esc(e)}</li>" for e in extra) + "</ul>"
           if extra else "") + "</div>"
    )
    lines.append("2 Assessment: " + pain_text + "; " + "; ".join(
        [f"{f.name} {f.side or ''} {wording.value(f.value)} {f.unit}".replace("  ", " ") for f in deficient] + extra))

    # 2b the person: the PSFS activities, yellow flags as observed, suggestions
    person = _person_lines(result)
    if person:
        parts.append("<div><b>The person:</b><ul style='margin:2px 0'>"
                     + "".join(f"<li>{esc(t)}</li>" for t in person) + "</ul></div>")
        lines.append("The person: " + "; ".join(person))

    # 3 findings
    focus = ", ".join(_words(a) for a in result.focus_areas) or "none"
    parts.append(f"<div><b>3 · Findings:</b> flexibility focus areas: {esc(focus)}.</div>")
    lines.append(f"3 Findings: focus areas: {focus}")

    if ref.needed:
        hold = ("Training on hold: no phase and no plan while a referral is in force. Resume only "
                "after a medical provider has seen the client; then screen and assess again.")
        parts.append(f"<div><b>4 · Phase and plan:</b> {esc(hold)}</div>")
        lines.append("4 " + hold)
    else:
        # 4 phase
        why = "".join(f"<li>{esc(r)}</li>" for r in result.phase_reasons)
        nxt = "".join(f"<li>{esc(s)}</li>" for s in result.next_steps)
        parts.append(
            f"<div><b>4 · Phase {esc(str(result.phase))}</b><ul style='margin:2px 0'>{why}</ul>"
            + (f"<i>What would move the client on:</i><ul style='margin:2px 0'>{nxt}</ul>" if nxt else "")
            + f"<div style='color:#555;font-size:0.85em'>{esc(result.gates_note)}</div></div>"
        )
        lines.append(f"4 Phase {result.phase}: " + " ".join(result.phase_reasons))
        # 5 plan
        items = "".join(
            f"<li><b>{esc(e.name)}</b> ({esc(e.kind)}): {esc(wording.dosage(e.dosage))}</li>"
            for e in result.exercises
        )
        parts.append(f"<div><b>5 · Plan</b><ul style='margin:2px 0'>{items}</ul>"
                     f"<div style='color:#555;font-size:0.85em'>{esc(wording.DOSE_NOTE)}</div></div>")
        lines.append("5 Plan: " + "; ".join(e.name for e in result.exercises))
    parts.append(f"<div style='font-size:0.85em;border-top:1px solid #999;margin-top:4px;"
                 f"padding-top:4px'>{esc(wording.SCOPE_NOTE)} {esc(wording.EDUCATIONAL_SHORT)}</div>")
    lines.append(wording.SCOPE_NOTE)
    body = "".join(parts)
    return CaseCard(
        html=left_align("<div style='border:2px solid #0072B2;border-radius:6px;padding:8px 12px;"
                        f"margin:4px 0;line-height:1.4'>{body}</div>"),
        text="\n".join(lines),
    )
