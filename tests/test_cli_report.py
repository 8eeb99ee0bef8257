"""``python -m lbp_workbook report FILE --pdf OUT.pdf --html OUT.html``.

A few real subprocesses (exit codes, no traceback, standard input), the rest
in-process through :func:`lbp_workbook.cli.main` with pytest's capsys.
Expected texts come from the engine's result for the same record.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from pypdf import PdfReader

from lbp_workbook.cli import build_parser, main
from lbp_workbook.engine.assessment import assess
from lbp_workbook.engine.examples import example_path, load_example
from lbp_workbook.engine.result import EDUCATIONAL_NOTICE
from lbp_workbook.views import report


def run(*args, stdin=b""):
    proc = subprocess.run([sys.executable, "-m", "lbp_workbook", *args],
                          input=stdin, capture_output=True, timeout=300)
    out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    assert "Traceback" not in err and "Traceback" not in out
    return proc.returncode, out, err


def pdf_text(path) -> str:
    reader = PdfReader(str(path))
    assert 1 <= len(reader.pages) <= 2  # the summary on page 1, its list of sources may follow
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def call(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def test_cli_report_parser_has_report():
    args = build_parser().parse_args(["report", "-", "--pdf", "a.pdf"])
    assert (args.file, args.pdf, args.html, args.page_size) == ("-", "a.pdf", None, "A4")


def test_cli_report_writes_pdf_and_html(tmp_path):
    """A record file gives a one-page PDF and an HTML page with the engine's plan."""
    pdf, html = tmp_path / "sam.pdf", tmp_path / "sam.html"
    code, out, err = run("report", str(example_path("runner_sam")), "--pdf", str(pdf),
                         "--html", str(html))
    assert code == 0 and err == ""
    assert f"Saved in the folder {tmp_path}: sam.html and sam.pdf" in out  # the folder once
    result = assess(load_example("runner_sam"))
    text = pdf_text(pdf)
    assert f"Phase {result.phase}" in text and EDUCATIONAL_NOTICE in text
    page = html.read_text(encoding="utf-8")
    assert all(e.name in page for e in result.exercises)


def test_cli_report_stdin_referral(tmp_path):
    """FILE may be '-'; a referral is announced on stdout and the PDF has no phase or plan."""
    pdf = tmp_path / "pat.pdf"
    code, out, err = run("report", "-", "--pdf", str(pdf),
                         stdin=example_path("red_flag_pat").read_bytes())
    assert code == 0 and err == ""
    assert out.startswith("REFER — EMERGENCY: THE SAME DAY")
    text = pdf_text(pdf)
    assert "Referral needed before any training" in text
    assert "Phase" not in text and "Exercise plan" not in text


def test_cli_report_bad_inputs_exit_2_every_problem(tmp_path):
    """Invalid record and bad output paths: exit 2, every problem on stderr, nothing written."""
    rec = load_example("runner_sam")
    rec["flexibility"]["slr_deg"]["left"] = 400
    rec["pain"]["now"] = "three"
    code, out, err = run("report", "-", "--pdf", str(tmp_path / "no" / "a.pdf"),
                         "--html", str(tmp_path / "a.txt"), stdin=json.dumps(rec).encode())
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert "flexibility.slr_deg.left: 400 is outside 0–130 deg" in lines
    assert any(line.startswith("pain.now:") for line in lines)
    assert any("a.txt: the file name must end in .html" in line for line in lines)
    assert any("does not exist" in line for line in lines)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("content, message", [
    (b"{not json", "not valid JSON"),
    (b"", "is empty"),
    (b"\xff\xfe", "not UTF-8"),
    (b"[1, 2]", "assessments.0"),
    (b"42", "is not a record"),
])
def test_cli_report_unreadable_input(tmp_path, capsys, content, message):
    src = tmp_path / "in.json"
    src.write_bytes(content)
    code, out, err = call(capsys, "report", str(src), "--pdf", str(tmp_path / "o.pdf"))
    assert code == 2 and message in err
    assert not (tmp_path / "o.pdf").exists()


def test_cli_report_missing_file_and_no_output(tmp_path, capsys):
    code, _, err = call(capsys, "report", str(tmp_path / "none.json"))
    assert code == 2
    assert "none.json: no such file" in err
    assert "give --html OUT.html, --pdf OUT.pdf, or both" in err


def test_cli_report_history_file_latest(tmp_path, capsys):
    """A saved client-history file: the summary is of the latest assessment."""
    old = load_example("runner_sam")
    old["date"] = "2026-10-01"
    history = {"schema": "lbp-client-history/1", "client_id": "sam",
               "assessments": [old, load_example("runner_sam")]}
    src = tmp_path / "sam.json"
    src.write_text(json.dumps(history), encoding="utf-8")
    code, out, err = call(capsys, "report", str(src), "--html", str(tmp_path / "s.html"))
    assert code == 0 and err == ""
    page = (tmp_path / "s.html").read_text(encoding="utf-8")
    assert "Assessment of <strong>2026-11-02</strong>" in page  # the latest visit...
    assert "Changes since the last visit (2026-10-01)" in page  # ...compared with the one before


def test_cli_report_bad_history(tmp_path, capsys):
    bad = load_example("runner_sam")
    bad["date"] = "yesterday"
    src = tmp_path / "h.json"
    src.write_text(json.dumps({"schema": "lbp-client-history/1", "client_id": "sam",
                               "assessments": [bad]}), encoding="utf-8")
    code, _, err = call(capsys, "report", str(src), "--pdf", str(tmp_path / "o.pdf"))
    assert code == 2
    assert err.startswith('assessments.0.date: "yesterday" is not valid')


def test_cli_report_never_overwrites_input(tmp_path, capsys):
    """Naming the input file as output is refused and the input is unchanged."""
    src = tmp_path / "rec.html"  # odd but possible name for a record file
    text = json.dumps(load_example("runner_sam"))
    src.write_text(text, encoding="utf-8")
    code, _, err = call(capsys, "report", str(src), "--html", str(src))
    assert code == 2 and "is the input file" in err
    assert src.read_text(encoding="utf-8") == text


def test_cli_report_same_output_twice(tmp_path, capsys):
    code, _, err = call(capsys, "report", str(example_path("healthy_jo")),
                        "--html", str(tmp_path / "a.html"), "--pdf", str(tmp_path / "a.html"))
    assert code == 2 and "the file name must end in .pdf" in err


def test_cli_report_unwritable_output(tmp_path, capsys, monkeypatch):
    """A write failure names the output file, exits 2 and leaves the old file unchanged."""
    out = tmp_path / "s.pdf"
    out.write_bytes(b"old")

    def refuse(path, data):
        raise PermissionError(13, "Permission denied", str(path) + ".tmp")

    monkeypatch.setattr(report, "_atomic_write", refuse)
    code, stdout, err = call(capsys, "report", str(example_path("runner_sam")), "--pdf", str(out))
    assert code == 2 and stdout == ""
    assert err.strip() == f"{out}: cannot be written (Permission denied)"
    assert out.read_bytes() == b"old"


def test_cli_report_letter_page(tmp_path, capsys):
    out = tmp_path / "s.pdf"
    code, _, _ = call(capsys, "report", str(example_path("phase3_max")), "--pdf", str(out),
                      "--page-size", "letter")
    assert code == 0
    box = PdfReader(io.BytesIO(out.read_bytes())).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_cli_report_client_sheet_of_a_referral(tmp_path):
    """--client writes the client's short sheet: a referred client sees the referral only."""
    pdf = tmp_path / "pat.pdf"
    code, out, err = run("report", str(example_path("red_flag_pat")), "--pdf", str(pdf),
                         "--client")
    assert code == 0 and err == ""
    result = assess(load_example("red_flag_pat"))
    text = pdf_text(pdf)
    assert "Please see a medical provider" in text and EDUCATIONAL_NOTICE in text
    assert " ".join(result.referral.contact.split()) in text
    from lbp_workbook.engine.reference import exercises

    assert "Phase" not in text and "Stage" not in text
    assert not [e.name for e in exercises() if e.name in text]
