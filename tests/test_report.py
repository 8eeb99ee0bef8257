"""Tests of the one-page client summary (lbp_workbook/views/report.py).

Every summary is made from ``assess()`` on the example clients (or on a copy
of one with a field changed), and every expected text is read from that same
result (the engine's findings, gates, exercises and referral), never typed in
here. The PDF is read back with pypdf; the HTML is parsed with the standard
library's parser, so a text counts only if it is really in the document.
"""

from __future__ import annotations

import base64
import copy
import functools
import io
import json
import os
import re
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from lbp_workbook.engine.assessment import assess
from lbp_workbook.engine.examples import list_examples, load_example
from lbp_workbook.engine.record import RecordError
from lbp_workbook.engine.result import EDUCATIONAL_NOTICE
from lbp_workbook.engine.rules.phase import gate_words
from lbp_workbook.views import report, wording

EXAMPLES = list_examples()
XSS = "<img src=x onerror=alert(1)>"


# ----------------------------------------------------------------- helpers


class _Page(HTMLParser):
    """Collect the visible text, the tags and the image sources of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "script", "title"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def html_page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    page.plain = squash(" ".join(page.text))
    return page


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return squash(" ".join(p.extract_text() or "" for p in reader.pages))


def pdf_pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@functools.lru_cache(maxsize=None)
def made(name: str):
    """(result, html, pdf A4) of one example client, made once per test run."""
    result = assess(load_example(name))
    return result, report.summary_html(result), report.summary_pdf(result)


def expected_texts(result) -> list[str]:
    """Texts every summary of ``result`` must contain, read from the result."""
    texts = [result.client_id, result.date, EDUCATIONAL_NOTICE]
    ref = result.referral
    if ref.needed:
        texts += [ref.action, ref.contact, ref.urgency.replace("_", " ")]
        texts += [r.label.rstrip(". ") for r in ref.reasons]
    else:
        texts += [f"Phase {result.phase}", *result.phase_reasons, *result.next_steps]
        for g in result.gates:  # the engine's plain words, never "<= 3 /10"
            texts += list(gate_words(g, result.client_id)[:2])
        texts += [e.name for e in result.exercises] + [wording.dosage(e.dosage) for e in result.exercises]
        for f in result.flexibility:
            if f.status == "deficient":
                texts.append(f"{f.value:g} {f.unit}, {f.deficit:g} {f.unit} past the cut-off")
    for r in ref.released:
        texts.append(r.label)
    return [squash(t) for t in texts]


#: The engine's raw gate text, which the summary says in plain words instead.
RAW_GATE_TEXT = ("<= ", "true (shown)", "no ratio flagged", "of 4 times")


def forbidden_while_referring(result) -> list[str]:
    """Texts that must not appear while a referral is needed: any phase, gate or plan."""
    from lbp_workbook.engine.reference import exercises

    texts = ["Phase 1", "Phase 2", "Phase 3", "Exercise plan", "dosage", "met?", "Next steps"]
    texts += [g.label for g in result.gates]
    texts += [e.name for e in exercises()]
    return texts


# ----------------------------------------------------------------- content


@pytest.mark.parametrize("name", EXAMPLES)
def test_summary_html_content_every_example(name):
    """Client id, date, notice; referral text or phase, gates, plan and dosage (from the result)."""
    result, html, _ = made(name)
    page = html_page(html)
    for text in expected_texts(result):
        assert text in page.plain, f"{name}: {text[:60]!r} missing from the HTML"
    for raw in RAW_GATE_TEXT:
        assert raw not in page.plain, f"{name}: raw gate text {raw!r} in the HTML"
    if result.referral.needed:
        for text in forbidden_while_referring(result):
            assert text not in page.plain, f"{name}: {text!r} shown while referring"


@pytest.mark.parametrize("name", EXAMPLES)
def test_summary_pdf_content_every_example(name):
    """The same content in the PDF text (read back with pypdf)."""
    result, _, pdf = made(name)
    text = pdf_text(pdf)
    for expected in expected_texts(result):
        assert expected in text, f"{name}: {expected[:60]!r} missing from the PDF"
    for raw in RAW_GATE_TEXT:
        assert raw not in text, f"{name}: raw gate text {raw!r} in the PDF"
    if result.referral.needed:
        for word in forbidden_while_referring(result):
            assert word not in text, f"{name}: {word!r} shown while referring"


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("page_size", report.PAGE_SIZES)
def test_summary_pdf_one_page_every_example(name, page_size):
    """Every example client (referral and training layouts) fits one page, A4 and letter;
    only the list of sources may follow on a second page."""
    pdf = report.summary_pdf(made(name)[0], page_size=page_size) if page_size != "A4" \
        else made(name)[2]
    assert pdf[:5] == b"%PDF-"
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) <= 2
    first = squash(reader.pages[0].extract_text())
    for expected in expected_texts(made(name)[0]):
        assert expected in first, f"{name}: {expected[:60]!r} not on page 1"
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    expected = {"A4": (595, 842), "letter": (612, 792)}[page_size]
    assert (round(float(box.width)), round(float(box.height))) == expected


def test_summary_both_layouts_present_in_examples():
    """The examples cover both layouts (so the tests above check both)."""
    needed = {made(n)[0].referral.needed for n in EXAMPLES}
    assert needed == {True, False}


@pytest.mark.parametrize("name", EXAMPLES)
def test_summary_html_referral_first(name):
    """While referring, the referral box comes before the notice and the findings."""
    result, html, _ = made(name)
    plain = html_page(html).plain
    notice = plain.index(EDUCATIONAL_NOTICE)
    if result.referral.needed:
        heading = plain.index("Referral needed before any training")
        assert heading < notice < plain.index("Findings")
        assert plain.index(result.client_id) < heading
        assert '<section class="referral" role="alert"' in html
    else:
        assert plain.index("Referral: not needed") < notice < plain.index("Findings")
        assert 'class="referral"' not in html


def test_summary_pdf_referral_at_top():
    """In the PDF the referral heading, action and contact come before anything else."""
    result, _, pdf = made("red_flag_pat")
    text = pdf_text(pdf)
    top = text.index("Referral needed before any training (urgency: emergency)")
    assert top < text.index(squash(result.referral.action)) < text.index("Findings")
    assert text.index(squash(result.referral.contact)) < text.index("Findings")


def test_summary_html_chart_embedded_as_png():
    """Training layout: one base64 PNG <img> (the deficit chart) with alt text naming deficits."""
    result, html, _ = made("runner_sam")
    imgs = [attrs for tag, attrs in html_page(html).tags
            if tag == "img" and attrs.get("class") == "chart"]  # the plan's pictures aside
    assert len(imgs) == 1
    src = imgs[0]["src"]
    assert src.startswith("data:image/png;base64,")
    assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    deficient = [f for f in result.flexibility if f.status == "deficient"]
    assert deficient and all(f"{f.value:g} {f.unit}" in imgs[0]["alt"] for f in deficient)


def test_summary_pdf_chart_drawn_only_when_training():
    """The PDF draws the chart image in the training layout and none while referring."""
    assert len(PdfReader(io.BytesIO(made("runner_sam")[2])).pages[0].images) == 1
    assert len(PdfReader(io.BytesIO(made("red_flag_pat")[2])).pages[0].images) == 0
    assert "<img" not in made("red_flag_pat")[1]


def test_summary_released_trigger_still_noted():
    """cleared_dana: the trigger released by clearance is shown, and the plan is given."""
    result, html, pdf = made("cleared_dana")
    assert result.referral.released and not result.referral.needed
    for text in (html_page(html).plain, pdf_text(pdf)):
        assert "Released by medical clearance" in text
        assert result.referral.released[0].label in text
        assert "Exercise plan" in text


def test_summary_released_risk_factor_shows_the_clinicians_guidance():
    """Issue 9, section 1 (after Finucane et al. 2020): Max with a past cancer and written
    clearance is released; HTML and PDF show the flag as released with the guidance to train
    within the clinician's written guidance, and the plan, on one page."""
    record = load_example("phase3_max")
    record["screening"].update(red_flags=["cancer_history"], medical_clearance=True)
    result = assess(record)
    assert not result.referral.needed and result.referral.released_guidance
    html, pdf = report.summary_html(result), report.summary_pdf(result)
    for text in (html_page(html).plain, pdf_text(pdf)):
        assert "Released by medical clearance" in text
        assert squash(result.referral.released[0].label) in text
        assert "Train within the clinician" in text and "Exercise plan" in text
    assert pdf_pages(pdf) <= 2


def test_summary_emergency_sends_to_the_emergency_department():
    """red_flag_pat (saddle numbness, a sign): the summary sends him to the emergency
    department the same day (NHS Gloucestershire pathway; GIRFT CES pathway 2023)."""
    result, html, pdf = made("red_flag_pat")
    for text in (html_page(html).plain, pdf_text(pdf)):
        assert "emergency department" in text and "A&E" in text
        assert "emergency number" in text and "sign present now" in text


def test_summary_plan_grouped_by_why():
    """Each exercise appears under the engine's reason for choosing it, in plain words
    (test names, not field ids: the same wording as the app's plan)."""
    from lbp_workbook.views.wording import reasons as why_words

    result, html, _ = made("runner_sam")
    plain = html_page(html).plain
    assert "slr_deg" not in plain and "ake_deficit_deg" not in plain
    for e in result.exercises:
        assert plain.index("Why: " + squash(why_words(e.why))) < plain.index(e.name)


# ----------------------------------------------------------------- escaping


def hostile_record():
    rec = load_example("runner_sam")
    rec["client"]["id"] = XSS
    rec["notes"] = "a < b & c > d <b>bold?</b> <para>x</para> &amp; line1\nline2 \x07bell"
    return rec


def test_summary_html_escapes_learner_text():
    """A client id or note with markup shows as text, never as an element."""
    html = report.summary_html(hostile_record())
    page = html_page(html)
    assert XSS in page.plain
    assert "<img src=x" not in html and "onerror=alert" not in "".join(
        str(a) for t, a in page.tags if t == "img")
    imgs = [a for t, a in page.tags if t == "img"]
    pictures = [a for a in imgs if a.get("class") == "lbp-exercise-picture"]
    assert len(imgs) - len(pictures) == 1  # the chart, beside the plan's exercise pictures
    assert all(a["src"].startswith("data:image/svg+xml;base64,") for a in pictures)
    assert "<b>bold?</b>" in page.plain and "<para>x</para>" in page.plain
    assert "&amp; line1" in page.plain
    assert "\x07" not in html and "\ufffdbell" in page.plain


def test_summary_pdf_escapes_learner_text():
    """reportlab markup in learner text is printed literally, not interpreted."""
    text = pdf_text(report.summary_pdf(hostile_record()))
    assert XSS in text
    assert "<b>bold?</b>" in text and "<para>x</para>" in text and "&amp; line1" in text


def test_summary_unicode_and_odd_characters():
    """Greek/Cyrillic pseudonyms print in the PDF; a lone surrogate is a record error."""
    rec = load_example("healthy_jo")
    rec["client"]["id"] = "Ζωή-Жанна"
    assert "Ζωή-Жанна" in pdf_text(report.summary_pdf(rec))
    rec["client"]["id"] = "x\ud800y"  # valid JSON, not valid text: a clear error, no crash
    with pytest.raises(RecordError, match="client.id"):
        report.summary_html(rec)


def test_summary_long_notes_shortened():
    """Notes longer than NOTES_SHOWN_MAX are cut, say so, and the page stays one page."""
    rec = load_example("phase3_max")
    rec["notes"] = "word " * 2000
    html = report.summary_html(rec)
    assert "(shortened; the full notes are in the record)" in html_page(html).plain
    pdf = report.summary_pdf(rec)
    assert "(shortened; the full notes are in the record)" in squash(
        PdfReader(io.BytesIO(pdf)).pages[0].extract_text())


# ----------------------------------------------------------------- inputs


def test_summary_result_history_uses_latest_by_date():
    """A list of records (any order) or a saved history object: the latest date is used."""
    old = load_example("runner_sam")
    old["date"] = "2026-10-01"
    old["flexibility"]["slr_deg"]["left"] = 50
    new = load_example("runner_sam")
    for history in ([new, old], [old, new],
                    {"schema": "lbp-client-history/1", "client_id": "sam",
                     "assessments": [new, old]}):
        result = report.summary_result(history)
        assert result.date == new["date"]
        assert result.record["flexibility"]["slr_deg"]["left"] == 62


def test_summary_result_history_same_date_last_listed():
    """On a shared date the last record listed wins (the clients folder saves in order)."""
    a, b = load_example("runner_sam"), load_example("runner_sam")
    b["pain"]["now"] = 1
    assert report.summary_result([a, b]).record["pain"]["now"] == 1
    assert report.summary_result([b, a]).record["pain"]["now"] == 3


def test_summary_result_passes_result_through():
    result = assess(load_example("runner_sam"))
    assert report.summary_result(result) is result


def test_summary_result_invalid_record():
    rec = load_example("runner_sam")
    rec["flexibility"]["slr_deg"]["left"] = 400
    with pytest.raises(RecordError) as info:
        report.summary_html(rec)
    assert "flexibility.slr_deg.left: 400 is outside 0–130 deg" in str(info.value)


def test_summary_result_bad_histories():
    """Every problem of a history, each naming the assessment, one line each."""
    bad = load_example("runner_sam")
    bad["pain"]["now"] = 11
    with pytest.raises(RecordError) as info:
        report.summary_result([load_example("runner_sam"), bad, "nonsense"])
    lines = str(info.value).splitlines()
    assert any(line.startswith("assessments.1.pain.now: 11 is outside") for line in lines)
    assert any(line.startswith("assessments.2: ") for line in lines)
    with pytest.raises(RecordError, match="holds no assessment"):
        report.summary_result([])
    with pytest.raises(RecordError, match="assessments: missing or not a list"):
        report.summary_result({"schema": "lbp-client-history/1", "client_id": "sam"})
    with pytest.raises(RecordError, match="more than one client"):
        report.summary_result([load_example("runner_sam"), load_example("healthy_jo")])


def test_summary_pdf_unknown_page_size():
    with pytest.raises(ValueError, match="A4, letter"):
        report.summary_pdf(load_example("runner_sam"), page_size="A5")


# ----------------------------------------------------------------- files


def test_write_summary_writes_both_and_replaces_atomically(tmp_path):
    """Both files written; an existing file is replaced whole; no temporary file is left."""
    html_path, pdf_path = tmp_path / "s.html", tmp_path / "s.pdf"
    html_path.write_text("old")
    got = report.write_summary(load_example("runner_sam"), html=html_path, pdf=pdf_path)
    assert got == (html_path, pdf_path)
    assert "Client summary" in html_path.read_text(encoding="utf-8")
    assert pdf_pages(pdf_path.read_bytes()) <= 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.html", "s.pdf"]


def test_write_summary_invalid_record_writes_nothing(tmp_path):
    """An invalid record leaves an existing output untouched and creates nothing."""
    out = tmp_path / "s.html"
    out.write_text("keep me")
    rec = load_example("runner_sam")
    rec["date"] = "2026-02-30"
    with pytest.raises(RecordError):
        report.write_summary(rec, html=out, pdf=tmp_path / "s.pdf")
    assert out.read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["s.html"]


def test_write_summary_argument_errors(tmp_path):
    with pytest.raises(ValueError, match="give an HTML path"):
        report.write_summary(load_example("runner_sam"))
    with pytest.raises(ValueError, match="cannot be the same file"):
        report.write_summary(load_example("runner_sam"), html=tmp_path / "a", pdf=tmp_path / "a")


def test_write_summary_unwritable_folder_leaves_nothing(tmp_path):
    """A missing folder raises OSError and leaves no file behind."""
    with pytest.raises(OSError):
        report.write_summary(load_example("runner_sam"), html=tmp_path / "no" / "s.html")
    assert list(tmp_path.iterdir()) == []


def test_summary_files_default_folder(tmp_path, monkeypatch):
    """Default folder: $LBP_WORKBOOK_HOME/clients/summaries, named by client file stem and date."""
    monkeypatch.setenv("LBP_WORKBOOK_HOME", str(tmp_path))
    html_path, pdf_path = report.summary_files(load_example("runner_sam"))
    folder = tmp_path / "clients" / report.SUMMARIES_SUBFOLDER
    assert html_path == folder / "summary_sam_2026-11-02.html"
    assert pdf_path == folder / "summary_sam_2026-11-02.pdf"
    assert "sam" in html_page(html_path.read_text(encoding="utf-8")).plain
    assert pdf_path.read_bytes()[:5] == b"%PDF-"
    if os.name == "posix":
        assert folder.stat().st_mode & 0o777 == 0o700


def test_summary_files_hostile_id_stays_in_folder(tmp_path):
    """A client id with path characters cannot name a file outside the folder."""
    rec = load_example("healthy_jo")
    rec["client"]["id"] = "../../etc/passwd"
    html_path, pdf_path = report.summary_files(rec, tmp_path)
    assert html_path.parent == tmp_path and pdf_path.parent == tmp_path
    assert html_path.name == "summary_etc-passwd_2026-11-03.html"


def test_summary_files_from_saved_history(tmp_path):
    """A ClientStore history gives the summary of the latest saved assessment."""
    from lbp_workbook.engine.storage import ClientStore

    store = ClientStore(tmp_path / "clients")
    first = load_example("runner_sam")
    first["date"] = "2026-10-01"
    store.save(first)
    store.save(load_example("runner_sam"))
    saved = json.loads(store.path_for("sam").read_text(encoding="utf-8"))
    html_path, _ = report.summary_files(saved, tmp_path / "out")
    assert html_path.name.endswith("2026-11-02.html")
    assert copy.deepcopy(saved)["assessments"][0]["date"] == "2026-10-01"


def test_summary_referral_with_measurements_shows_no_training():
    """Sam with increasing symptoms: findings are recorded, but no chart, focus, phase or plan."""
    rec = load_example("runner_sam")
    rec["screening"]["symptoms_increasing"] = True
    result = assess(rec)
    assert result.referral.needed and result.flexibility
    html = report.summary_html(result)
    pdf = report.summary_pdf(result)
    assert "<img" not in html
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 0
    for text in (html_page(html).plain, pdf_text(pdf)):
        for expected in expected_texts(result):
            assert expected in text
        for word in forbidden_while_referring(result) + ["Focus areas"]:
            assert word not in text
        assert "Recorded for the medical provider" in text
        f = next(f for f in result.flexibility if f.status == "deficient")
        assert f"{f.value:g} {f.unit}, {f.deficit:g} {f.unit} past the cut-off" in text


def test_summary_files_never_replaces_an_earlier_summary(tmp_path):
    """A second summary of the same client and date gets the next number; the first pair is
    left byte for byte as it was (saving never destroys earlier saves)."""
    first = report.summary_files(load_example("runner_sam"), tmp_path)
    before = [p.read_bytes() for p in first]
    rec = load_example("runner_sam")
    rec["notes"] = "second visit the same day"
    second = report.summary_files(rec, tmp_path)
    third = report.summary_files(rec, tmp_path)
    assert [p.name for p in second] == [p.name.replace("_2026-11-02.", "_2026-11-02_2.")
                                        for p in first]
    assert third[0].stem.endswith("_3") and third[0].stem == third[1].stem
    assert [p.read_bytes() for p in first] == before
    assert "second visit the same day" in second[0].read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in (*first, *second, *third))  # no temporary file left


def test_summary_files_takes_the_next_number_if_only_one_of_a_pair_exists(tmp_path):
    """A lone earlier PDF (its HTML deleted) is not replaced either: the pair moves on."""
    html_path, pdf_path = report.summary_files(load_example("runner_sam"), tmp_path)
    html_path.unlink()
    old = pdf_path.read_bytes()
    again = report.summary_files(load_example("runner_sam"), tmp_path)
    assert again[1] != pdf_path and pdf_path.read_bytes() == old
    assert not html_path.exists()


def test_summary_files_unwritable_folder_names_it_and_writes_nothing(tmp_path):
    """The summaries folder cannot be made (a file is in its way): OSError naming it."""
    blocker = tmp_path / "summaries"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(OSError) as info:
        report.summary_files(load_example("runner_sam"), blocker)
    assert info.value.filename == str(blocker)
    assert blocker.read_text(encoding="utf-8") == "not a folder"
    assert [p.name for p in tmp_path.iterdir()] == ["summaries"]


@pytest.mark.parametrize("hidden", ["\u202e", "\u200b", "\u2028", "\x1b", "\x00"])
def test_summary_escapes_control_and_format_characters_in_notes(hidden):
    """Issue 10: a bidi override, zero-width space, line separator, ESC or NUL typed into
    the notes is never written raw into the HTML or the PDF."""
    record = copy.deepcopy(load_example("runner_sam"))
    record["notes"] = f"before{hidden}after"
    page = report.summary_html(record)
    assert hidden not in page and "before\ufffdafter" in page
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(report.summary_pdf(record))).pages)
    assert hidden not in text


# ----------------------------------------------------------------- client sheet, history, words

#: Evidence codes and rule ids as the data files spell them; a reader sees words instead.
CODES = re.compile(r"\bevidence (V2?|C|R)\b|\((V2?|C|R)\)|\bV2\b|teaching_choice|"
                   r"\b(progress|referral|phase|flexibility|endurance|plan)\.[a-z_]+\b")


@functools.lru_cache(maxsize=None)
def made_client(name: str):
    """(result, html, pdf) of one example client's short sheet, made once per test run."""
    result = assess(load_example(name))
    return result, report.client_summary_html(result), report.client_summary_pdf(result)


@pytest.mark.parametrize("name", EXAMPLES)
def test_client_summary_every_example(name):
    """The client's sheet, HTML and PDF: the notice always; while referring only the referral
    (what to do, whom to contact), never a phase, stage or exercise; otherwise what we found,
    what we will do (every exercise and its dose), when to stop and seek help."""
    from lbp_workbook.engine.reference import exercises

    result, html, pdf = made_client(name)
    assert pdf_pages(pdf) == 1
    for text in (html_page(html).plain, pdf_text(pdf)):
        assert EDUCATIONAL_NOTICE in text and result.client_id in text
        assert not CODES.search(text), f"{name}: code {CODES.search(text).group(0)!r}"
        assert "Source" not in text and "Evidence" not in text
        if result.referral.needed:
            assert "Please see a medical provider before we train" in text
            assert squash(result.referral.action) in text
            assert squash(result.referral.contact) in text
            for word in ("Phase", "Stage", "What we will do", "When to stop"):
                assert word not in text, f"{name}: {word!r} while referring"
            assert not [e.name for e in exercises() if e.name in text]
        else:
            for heading in ("What we found", "What we will do", "When to stop and seek help"):
                assert heading in text
            assert f"Stage {result.phase} of 3" in text
            assert all(e.name in text and squash(wording.dosage(e.dosage)) in text for e in result.exercises)


@pytest.mark.parametrize("name", ["runner_sam", "red_flag_pat"])
def test_summary_pdf_headings_and_no_evidence_codes(name):
    """The trainer's PDF and HTML say evidence in words, once per section, and list the
    sources; no evidence code or rule id is printed."""
    result, html, pdf = made(name)
    for text in (pdf_text(pdf), html_page(html).plain):
        assert "Client summary" in text and "Findings" in text and "Sources" in text
        if not result.referral.needed:
            assert "Exercise plan" in text and f"Phase {result.phase}" in text
            assert "our teaching choice" in text  # the plan's evidence, in words
        assert "checked in the original paper" in text  # the cut-offs' evidence (V)
        assert not CODES.search(text), f"{name}: code {CODES.search(text).group(0)!r}"
    plain = html_page(html).plain
    sections = ("Referral needed", f"Phase {result.phase}", "Exercise plan")
    sourced = len([s for s in sections if s in plain]) + bool(result.flexibility)
    assert plain.count("Evidence:") == sourced  # once per section that cites anything
    cited = (result.flexibility or result.referral.reasons)[0].source
    assert squash(cited.rstrip(".")) in plain  # a citation a trainer can look up


def test_summary_shows_age_and_sex():
    """The client's age and sex are shown when recorded, and left out when not."""
    result, html, _ = made("runner_sam")
    client = result.record["client"]
    assert f"Age {client['age']} years" in html_page(html).plain
    assert f"Sex {client['sex']}" in html_page(html).plain
    rec = load_example("runner_sam")
    del rec["client"]["age"], rec["client"]["sex"]
    plain = html_page(report.summary_html(rec)).plain
    assert "Age" not in plain and "Sex" not in plain


def sam_history():
    """Sam's visit of 2026-11-02 and an earlier one: SLR left 50 -> 62 deg (12 deg, beyond
    its MDC95), Thomas knee angle left 80 -> 84 deg (within its MDC95 of 19.4 deg: Peeler &
    Anderson 2008 SEM 7 deg), pain 3 -> 3 (no change)."""
    old = load_example("runner_sam")
    old["date"] = "2026-10-01"
    old["flexibility"]["slr_deg"]["left"] = 50
    old["flexibility"]["thomas_knee_deg"]["left"] = 80
    return [old, load_example("runner_sam")]


def test_summary_changes_since_last_visit_use_the_reassessment_rule():
    """A history adds "Changes since the last visit": each change's verdict is
    progress.reading_change's (real beyond MDC95, else within measurement error)."""
    from lbp_workbook.engine.progress import reading_change
    from lbp_workbook.engine.record import FIELDS

    def change(test, before, after):
        path = f"flexibility.{test}"  # labelled as the reassessment labels a side
        label = next(f.label for f in FIELDS if f.path == path) + ", left"
        return reading_change(test, before, after, path + ".left", label)

    history = sam_history()
    assert history[1]["flexibility"]["thomas_knee_deg"]["left"] == 84
    real, noise = change("slr_deg", 50, 62), change("thomas_knee_deg", 80, 84)
    assert real.verdict == "improved" and noise.verdict == "within_measurement_error"
    plain = html_page(report.summary_html(history)).plain
    assert "Changes since the last visit (2026-10-01)" in plain
    assert f"{real.label} 50 62 {squash(real.text)}" in plain
    assert f"{noise.label} 80 84 {squash(noise.text)}" in plain
    client = html_page(report.client_summary_html(history)).plain
    assert f"{real.label}: 50 deg then 62 deg; a real change, better." in client
    assert f"{noise.label}: 80 deg then 84 deg; too small a change to be sure it is real." in client
    assert "Changes since" not in html_page(report.summary_html(history[1])).plain


def test_client_summary_files_readable_names_never_overwrite(tmp_path):
    """Both versions sit side by side, named by client and date; a second sheet of the same
    day is numbered; the message names the folder once."""
    trainer = report.summary_files(load_example("desk_worker_lee"), tmp_path)
    first = report.client_summary_files(load_example("desk_worker_lee"), tmp_path)
    second = report.client_summary_files(load_example("desk_worker_lee"), tmp_path)
    assert [p.name for p in trainer] == ["summary_lee_2026-11-04.html", "summary_lee_2026-11-04.pdf"]
    assert [p.name for p in first] == ["summary_lee_2026-11-04_for_client.html",
                                       "summary_lee_2026-11-04_for_client.pdf"]
    assert [p.stem for p in second] == ["summary_lee_2026-11-04_for_client_2"] * 2
    assert "Your summary" in first[0].read_text(encoding="utf-8")
    message = report.files_message(first)
    assert message == (f"Saved in the folder {tmp_path}: summary_lee_2026-11-04_for_client.html"
                       " and summary_lee_2026-11-04_for_client.pdf")
    assert message.count(str(tmp_path)) == 1
