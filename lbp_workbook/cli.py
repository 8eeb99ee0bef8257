"""Command line: ``python -m lbp_workbook assess FILE [--json]``,
``python -m lbp_workbook report FILE [--html OUT.html] [--pdf OUT.pdf]`` and
``python -m lbp_workbook sheet FILE --pdf OUT.pdf [--paper A4|letter]``.

``FILE`` is a JSON ``lbp-assessment/1`` record, or ``-`` for standard input;
at most 1 MB (:data:`MAX_INPUT_BYTES`) is read, so an endless input such as
``/dev/zero`` is refused at once. Text printed from the record (the client id)
shows control and invisible characters as ``\\uXXXX``.
The readable summary puts the referral first, then the educational notice,
the findings, the phase with its reasons, and the plan; ``--json`` prints
``Result.to_dict()`` instead.

Exit status: 0 for a valid record; 2 for an invalid or unreadable one (every
problem on standard error, one per line); 1 for an unexpected internal
error. No input ever produces a traceback.

Adding a subcommand: write ``_add_NAME(subparsers)`` that creates its parser
and sets ``func`` (a function ``args -> int``), and list it in
``SUBCOMMANDS``. :func:`load_record_file` reads and parses a record file for
any subcommand.

>>> build_parser().parse_args(["assess", "-", "--json"]).json
True
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Callable, Sequence, TextIO

from lbp_workbook.engine.result import Result
from lbp_workbook.views import wording

EXIT_OK, EXIT_ERROR, EXIT_INVALID = 0, 1, 2

#: Largest input read [bytes]: a valid record is a few kB, so more is not a record
#: (and /dev/zero or /dev/urandom would otherwise be read for ever).
MAX_INPUT_BYTES = 1_000_000
_LIMIT_WORDS = "1 MB"


class InputError(Exception):
    """A record file could not be read or parsed; ``problems`` are one-line messages."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class _DuplicateKey(ValueError):
    """A JSON object names the same key twice."""


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    """``object_pairs_hook``: storage's duplicate-key check, raising :class:`_DuplicateKey`.

    >>> json.loads('{"a": 1, "a": 2}', object_pairs_hook=_reject_duplicate_keys)
    Traceback (most recent call last):
    ...
    lbp_workbook.cli._DuplicateKey: the key 'a' appears twice in one object
    """
    from lbp_workbook.engine.storage import no_duplicate_keys

    try:
        return no_duplicate_keys(pairs)
    except ValueError as exc:
        raise _DuplicateKey(str(exc)) from None


def load_record_file(path: str, stdin: Any = None) -> Any:
    """Read ``path`` (``-`` = standard input) and parse it as JSON.

    Parameters
    ----------
    path : str
        File name, or ``-`` for standard input.
    stdin : binary file, optional
        Where ``-`` reads from (default ``sys.stdin.buffer``).

    Returns
    -------
    object
        The parsed JSON value (not yet validated).

    Raises
    ------
    InputError
        Missing or unreadable file, input larger than :data:`MAX_INPUT_BYTES`
        (1 MB: only that much is ever read), empty input, text that is not UTF-8,
        text that is not JSON, or a JSON object that names one key twice
        (``{"client": ..., "client": ...}`` would otherwise keep the last
        silently); the message names the file.
    """
    from lbp_workbook.engine.record import shorten, visible

    name = "<stdin>" if path == "-" else visible(shorten(path, 200))
    try:
        if path == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            raw = stream.read(MAX_INPUT_BYTES + 1)
        else:
            with open(path, "rb") as fh:
                raw = fh.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise InputError([f"{name}: no such file"]) from None
    except IsADirectoryError:
        raise InputError([f"{name}: is a folder, not a file"]) from None
    except OSError as exc:
        raise InputError([f"{name}: cannot be read ({exc.strerror or exc})"]) from None
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError([f"{name}: is larger than {_LIMIT_WORDS} ({MAX_INPUT_BYTES:,} bytes), "
                          "so it is not one lbp-assessment/1 record (a record is a few kB); "
                          "nothing was read past that"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            [f"{name}: not UTF-8 text (byte {raw[exc.start]:#04x} at position {exc.start}); "
             "expected a JSON lbp-assessment/1 record"]
        ) from None
    if not text.strip():
        raise InputError([f"{name}: is empty; expected a JSON lbp-assessment/1 record"])
    try:
        return json.loads(text, object_pairs_hook=_reject_duplicate_keys)
    except _DuplicateKey as exc:
        raise InputError([f"{name}: not usable JSON: {exc}; each key may appear only once"]) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            [f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"]
        ) from None
    except RecursionError:
        raise InputError([f"{name}: JSON nested too deeply to read"]) from None
    except ValueError as exc:  # e.g. an integer with too many digits
        raise InputError([f"{name}: not usable JSON ({exc})"]) from None


# --------------------------------------------------------------------------- summary


def format_summary(result: Result) -> str:
    """A readable plain-text summary: referral first, notice, findings, phase, plan.

    While a referral is needed the findings are introduced as recorded for
    the medical provider and not a basis for training (the one-page
    report's words), no focus area is listed, no gate is shown as passed or
    failed, and there is no plan.

    Parameters
    ----------
    result : Result
        From :func:`lbp_workbook.assess`.

    Returns
    -------
    str
        Several lines of text, ending without a newline.
    """
    import dataclasses

    from lbp_workbook.engine.record import visible

    if visible(result.client_id) != result.client_id:  # the id is also in gate sentences
        result = dataclasses.replace(result, client_id=visible(result.client_id))
    lines: list[str] = []
    add = lines.append
    head = f"LBP Workbook assessment: client {result.client_id}"
    add(head + (f", {result.date}" if result.date else ""))
    add("")
    ref = result.referral
    if ref.needed:
        add(f"REFER — {wording.urgency(ref.urgency).upper()}: stop the low back programme")
        for heading, text in wording.referral_block(ref):
            add(f"  {heading}: {text}")
        add("  Why:")
        for r in ref.reasons:
            add(f"   - {wording.referral_reason(r)}")
    elif ref.released:
        add("Referral: not needed now (the items below were released by medical clearance)")
    else:
        add("Referral: not needed (no red flag or referral trigger recorded)")
    for r in ref.released:
        add(f"  Released by medical clearance (still noted): {r.label}")
    if ref.released_guidance:
        add(f"  {ref.released_guidance}")
    add("")
    add(wording.EDUCATIONAL_SHORT)
    add("")
    if ref.needed:  # the same words as the one-page report
        add(f"Measurements recorded: {wording.REFERRAL_FINDINGS}")
    add("Findings (flexibility, against screening reference points; never a diagnosis):")
    if not result.flexibility:
        add("  No flexibility test recorded.")
    for f in result.flexibility:
        add(f"  {wording.finding(f)} ({f.reference_label})")
    if not ref.needed:  # no focus area is offered as a basis for training while referring
        add("Focus areas: " + (", ".join(wording.words(a) for a in result.focus_areas)
                               or "none: no flexibility deficit found"))
    if result.asymmetries:
        add("Left–right asymmetries:")
    for a in result.asymmetries:
        add(f"  {wording.asymmetry(a)}")
    if result.endurance.ratios:
        add("Endurance ratios:")
        for r in result.endurance.ratios:
            add(f"  {wording.ratio(r)}")
        add(f"  {result.endurance.note}")
    add("")
    if ref.needed:
        add("Training on hold until cleared: no phase, exercise plan or what-if while a "
            "referral is in force.")
    else:
        add("Phase and why:")
        for reason in result.phase_reasons:
            add(f"  {reason}")
        if result.next_steps:
            add(f"What would move {wording.person(result.client_id)} on:")
            for step in result.next_steps:
                add(f"  - {step}")
        add("Gates (every one, with the reading):")
        for g in result.gates:
            asks, reading, verdict = wording.gate_words(g, result.client_id)
            add(f"  phase {g.phase}: {asks} — {reading}, {verdict}")
        add(f"  {result.gates_note}")
    add("")
    if result.exercises:
        add(f"Exercise plan for phase {result.phase} · {wording.phase_name(result.phase)}:")
        for e in result.exercises:
            add(f"  - {e.name} ({e.kind}): {wording.dosage(e.dosage)}")
            add(f"      why: {wording.reasons(e.why)}")
            add(f"      source: {e.source} ({wording.evidence_words(e.evidence)})")
        add(f"  {wording.DOSE_NOTE}")
    else:
        add("Exercise plan: none" + (" while a referral is needed" if ref.needed else ""))
    add("")
    add(wording.SCOPE_NOTE)
    # No line can hold a control or invisible character (a forged line, a terminal code).
    return "\n".join(visible(part) for line in lines for part in line.split("\n"))


# --------------------------------------------------------------------------- commands


def _run_assess(args: argparse.Namespace) -> int:
    from lbp_workbook.engine.assessment import assess
    from lbp_workbook.engine.record import RecordError

    out: TextIO = args.stdout
    err: TextIO = args.stderr
    try:
        data = load_record_file(args.file)
        result = assess(data)
    except InputError as exc:
        for line in exc.problems:
            print(line, file=err)
        return EXIT_INVALID
    except RecordError as exc:
        for problem in exc.problems:
            print(problem.message, file=err)
        return EXIT_INVALID
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False, allow_nan=False),
              file=out)
    else:
        print(format_summary(result), file=out)
    return EXIT_OK


def _add_assess(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "assess",
        help="assess one lbp-assessment/1 record",
        description="Assess one lbp-assessment/1 record (educational use only, never diagnostic).",
    )
    p.add_argument("file", metavar="FILE", help="JSON record file, or - for standard input "
                   f"(at most {_LIMIT_WORDS}; a record is a few kB)")
    p.add_argument("--json", action="store_true", help="print the whole result as JSON, for other programs")
    p.set_defaults(func=_run_assess)


_OUTPUT_SUFFIXES = {"html": (".html", ".htm"), "pdf": (".pdf",)}


def _output_problems(args: argparse.Namespace) -> list[str]:
    """Every problem with the report's output paths, before anything is made."""
    problems: list[str] = []
    outputs = [(kind, getattr(args, kind)) for kind in ("html", "pdf") if getattr(args, kind)]
    if not outputs:
        return ["report: give --html OUT.html, --pdf OUT.pdf, or both"]
    for kind, path in outputs:
        if not path.lower().endswith(_OUTPUT_SUFFIXES[kind]):
            problems.append(f"--{kind} {path}: the file name must end in "
                            f"{' or '.join(_OUTPUT_SUFFIXES[kind])}")
        elif os.path.isdir(path):
            problems.append(f"--{kind} {path}: is a folder; give a file name")
        elif not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            problems.append(f"--{kind} {path}: the folder "
                            f"{os.path.dirname(os.path.abspath(path))} does not exist")
        elif args.file != "-" and os.path.abspath(path) == os.path.abspath(args.file):
            problems.append(f"--{kind} {path}: is the input file; it would be overwritten")
    if len(outputs) == 2 and os.path.abspath(outputs[0][1]) == os.path.abspath(outputs[1][1]):
        problems.append(f"--html and --pdf are the same file ({outputs[0][1]})")
    return problems


def _run_report(args: argparse.Namespace) -> int:
    from lbp_workbook.engine.record import RecordError
    from lbp_workbook.views.report import files_message, summary_result, write_summary

    out: TextIO = args.stdout
    err: TextIO = args.stderr
    problems = _output_problems(args)
    result = data = None
    try:
        data = load_record_file(args.file)
        result = summary_result(data)
    except InputError as exc:
        problems = exc.problems + problems
    except RecordError as exc:
        problems = [p.message for p in exc.problems] + problems
    if problems or result is None:
        for line in problems:
            print(line, file=err)
        return EXIT_INVALID
    try:
        written = write_summary(data, html=args.html, pdf=args.pdf, page_size=args.page_size,
                                version="client" if args.client else "trainer")
    except OSError as exc:
        print(f"{exc.filename or 'output'}: cannot be written ({exc.strerror or exc})", file=err)
        return EXIT_INVALID
    ref = result.referral
    if ref.needed:
        print(f"REFER — {wording.urgency(ref.urgency).upper()}: the summary "
              "shows the referral and no phase or plan.", file=out)
    print(files_message([p for p in written if p is not None]), file=out)
    return EXIT_OK


def _add_report(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="write a one-page client summary (HTML and/or PDF)",
        description="Write a one-page summary of a client's assessment as HTML and/or PDF "
        "(educational use only, never diagnostic). FILE is one lbp-assessment/1 record or a "
        "saved client history (lbp-client-history/1: the latest assessment is used).",
    )
    p.add_argument("file", metavar="FILE", help="JSON record or client-history file, or - for "
                   f"standard input (at most {_LIMIT_WORDS})")
    p.add_argument("--html", metavar="OUT.html", help="write the summary as HTML here")
    p.add_argument("--pdf", metavar="OUT.pdf", help="write the summary as a one-page PDF here")
    p.add_argument("--page-size", choices=("A4", "letter"), default="A4",
                   help="paper size of the PDF (default A4)")
    p.add_argument("--client", action="store_true",
                   help="write the client's short sheet (what we found, what we will do, when "
                   "to stop and seek help) instead of the trainer's summary")
    p.set_defaults(func=_run_report)


def _run_sheet(args: argparse.Namespace) -> int:
    from lbp_workbook.engine.record import RecordError
    from lbp_workbook.views.report import summary_result
    from lbp_workbook.views.sheet import write_sheet

    out: TextIO = args.stdout
    err: TextIO = args.stderr
    args.html = None
    problems = _output_problems(args)
    result = None
    try:
        result = summary_result(load_record_file(args.file))
    except InputError as exc:
        problems = exc.problems + problems
    except RecordError as exc:
        problems = [p.message for p in exc.problems] + problems
    if problems or result is None:
        for line in problems:
            print(line.replace("report: give --html OUT.html, --pdf OUT.pdf, or both",
                               "sheet: give --pdf OUT.pdf"), file=err)
        return EXIT_INVALID
    try:
        path = write_sheet(result, args.pdf, paper=args.paper)
    except OSError as exc:
        print(f"{exc.filename or 'output'}: cannot be written ({exc.strerror or exc})", file=err)
        return EXIT_INVALID
    if result.referral.needed:
        print("REFERRAL NEEDED: the sheet lists no exercise and says whom to contact.", file=out)
    print(f"wrote {path}", file=out)
    return EXIT_OK


def _add_sheet(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sheet",
        help="write a take-home exercise sheet for the client's current plan (PDF)",
        description="Write the take-home exercise sheet for a client's current plan: a "
        "picture, dose, three cues and when to stop for each exercise, the flare plan, when "
        "to seek help and a two-week log (educational use only, never diagnostic). FILE is "
        "one lbp-assessment/1 record or a saved client history (the latest assessment).",
    )
    p.add_argument("file", metavar="FILE", help="JSON record or client-history file, or - for "
                   f"standard input (at most {_LIMIT_WORDS})")
    p.add_argument("--pdf", metavar="OUT.pdf", help="write the sheet here")
    p.add_argument("--paper", choices=("A4", "letter"), default="A4",
                   help="paper size (default A4)")
    p.set_defaults(func=_run_sheet)


#: Subcommand builders, in the order shown by --help.
SUBCOMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    _add_assess, _add_report, _add_sheet]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand in :data:`SUBCOMMANDS`."""
    parser = argparse.ArgumentParser(
        prog="python -m lbp_workbook",
        description="LBP Workbook: educational tools for trainers of clients with lower "
        "back pain. Never diagnostic.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in SUBCOMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 internal error, 2 invalid input)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            pass
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    args.stdout, args.stderr = sys.stdout, sys.stderr
    try:
        return int(args.func(args))
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # never a traceback for a learner
        print(f"internal error ({type(exc).__name__}): {exc}", file=sys.stderr)
        return EXIT_ERROR
