"""The plan's pictures in the app and the client summary, and the app's exercise-sheet
button (real widgets, real files in a temporary clients folder)."""

from __future__ import annotations

import io

import pypdf
import pytest

from lbp_workbook.engine.examples import load_example
from lbp_workbook.engine.storage import ClientStore
from lbp_workbook.views.report import summary_html
from lbp_workbook.views.widgets.app import assessment_app


def _descendants(widget):
    todo, out = [widget], []
    while todo:
        w = todo.pop()
        out.append(w)
        todo.extend(getattr(w, "children", ()) or ())
    return out


def _sheet_button(app):
    return next(w for w in _descendants(app.widget)
                if "lbp-sheet-button" in getattr(w, "_dom_classes", ()))


@pytest.fixture
def store(tmp_path):
    return ClientStore(tmp_path / "clients")


def test_app_plan_shows_a_picture_per_exercise(store):
    app = assessment_app(store=store)
    n = len(app.result.exercises)
    assert n and app.plan.value.count('class="lbp-exercise-picture"') == n
    assert app.plan.value.count("alt=") >= n


def test_sheet_button_writes_a_new_pdf_each_time(store):
    app = assessment_app(store=store)
    button = _sheet_button(app)
    button.click()
    button.click()
    pdfs = sorted(app.summaries_folder.glob("*exercise_sheet*.pdf"))
    assert len(pdfs) == 2  # the second click never replaces the first sheet
    reader = pypdf.PdfReader(io.BytesIO(pdfs[0].read_bytes()))
    assert "Two-week log" in reader.pages[-1].extract_text()
    message = next(w for w in _descendants(app.widget)
                   if "lbp-sheet-message" in getattr(w, "_dom_classes", ()))
    assert "data:application/pdf;base64," in message.value


def test_sheet_button_referred_client_gets_no_exercise(store):
    app = assessment_app(record=load_example("red_flag_pat"), store=store)
    assert app.result.referral.needed and "lbp-exercise-picture" not in app.plan.value
    _sheet_button(app).click()
    (pdf,) = app.summaries_folder.glob("*exercise_sheet*.pdf")
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "No exercises for now" in text and "Stop if" not in text


def test_summary_html_has_the_plan_pictures_only_with_a_plan():
    sam = summary_html(load_example("runner_sam"))
    assert "lbp-plan-pictures" in sam and 'class="lbp-exercise-picture"' in sam
    pat = summary_html(load_example("red_flag_pat"))
    assert "lbp-exercise-picture" not in pat
