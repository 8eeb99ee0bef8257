"""The take-home exercise sheet (PDF): pages, pictures, the log grid, paper sizes, and
no exercise while a referral is in force."""

from __future__ import annotations

import io
import math

import pypdf
import pytest

from lbp_workbook import cli
from lbp_workbook.engine import reference
from lbp_workbook.engine.assessment import assess
from lbp_workbook.engine.examples import load_example
from lbp_workbook.views.sheet import EXERCISES_PER_PAGE, LOG_DAYS, sheet_pdf, sheet_stop_if


def _pages(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def sam():
    return assess(load_example("runner_sam"))


@pytest.fixture(scope="module")
def sam_pdf(sam):
    return sheet_pdf(sam)


def test_sheet_pdf_one_page_per_three_exercises_then_the_log(sam, sam_pdf):
    pages = _pages(sam_pdf)
    n = len(sam.exercises)
    assert n > EXERCISES_PER_PAGE  # the example's plan spans several pages
    assert len(pages) == math.ceil(n / EXERCISES_PER_PAGE) + 1
    for i, e in enumerate(sam.exercises):
        page = pages[i // EXERCISES_PER_PAGE]
        assert e.name.split(":")[0][:20] in page.replace("\n", " ")
    assert all("Stop if" in p for p in pages[:-1])


def test_sheet_pdf_has_a_picture_per_exercise(sam, sam_pdf):
    reader = pypdf.PdfReader(io.BytesIO(sam_pdf))
    images = sum(len(p.images) for p in reader.pages)
    assert images == len(sam.exercises)


def test_sheet_pdf_last_page_has_flare_plan_and_two_week_log(sam_pdf):
    last = _pages(sam_pdf)[-1]
    assert "If your back flares up" in last and "When to stop and seek help" in last
    assert "Two-week log" in last and "pain during" in last and "morning" in last
    days = [line for line in last.splitlines() if line.strip().isdigit()]
    assert str(LOG_DAYS) in days


def test_sheet_pdf_cues_come_from_the_catalogue(sam, sam_pdf):
    first = _pages(sam_pdf)[0].replace("\n", " ")
    cue = next(e for e in reference.exercises() if e.id == sam.exercises[0].id).cues[0]
    assert cue[:25] in first


def test_sheet_pdf_referred_client_has_no_exercise():
    pat = assess(load_example("red_flag_pat"))
    assert pat.referral.needed
    pages = _pages(sheet_pdf(pat))
    text = " ".join(pages).replace("\n", " ")
    assert len(pages) == 1
    assert "No exercises for now" in text and "Who to contact" in text
    assert "Stop if" not in text and "Two-week log" not in text
    for e in reference.exercises():
        assert e.name not in text
    assert len(pypdf.PdfReader(io.BytesIO(sheet_pdf(pat))).pages[0].images) == 0


@pytest.mark.parametrize(("paper", "size_pt"), [("A4", (595, 842)), ("letter", (612, 792))])
def test_sheet_pdf_paper_sizes(sam, paper, size_pt):
    """A4 is 210 x 297 mm (595 x 842 pt); US letter 8.5 x 11 in (612 x 792 pt)."""
    box = pypdf.PdfReader(io.BytesIO(sheet_pdf(sam, paper))).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size_pt


def test_sheet_pdf_rejects_an_unknown_paper(sam):
    with pytest.raises(ValueError, match="A5.*A4, letter"):
        sheet_pdf(sam, "A5")


def test_sheet_stop_if_uses_the_traffic_light():
    assert "above 5/10" in sheet_stop_if()  # amber zone's upper limit in data/person.json


def test_cli_sheet_writes_the_pdf(tmp_path, capsys):
    from importlib import resources

    out = tmp_path / "kim.pdf"
    path = str(resources.files("lbp_workbook") / "data" / "examples" / "golfer_kim.json")
    assert cli.main(["sheet", path, "--pdf", str(out), "--paper", "letter"]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert "wrote" in capsys.readouterr().out


def test_cli_sheet_without_pdf_names_the_option(capsys):
    from importlib import resources
    path = str(resources.files("lbp_workbook") / "data" / "examples" / "golfer_kim.json")
    assert cli.main(["sheet", path]) == 2
    assert "--pdf OUT.pdf" in capsys.readouterr().err
