"""The assessment app, driven in plain pytest (no browser): set control values,
then assert on the text shown, the state and the chart's image bytes.

Expected values come from the engine (``assess()`` on the same record), never
from numbers written here; the app must show what the engine says.
"""

from __future__ import annotations

import html
import re

import ipywidgets as widgets
import pytest

from lbp_workbook.engine.assessment import assess
from lbp_workbook.engine.examples import load_example
from lbp_workbook.engine.record import FIELDS
from lbp_workbook.engine.rules.phase import gate_words, phase_name
from lbp_workbook.engine.storage import ClientStore
from lbp_workbook.views import wording
from lbp_workbook.views.widgets.app import (
    AssessmentApp,
    assessment_app,
    field_class,
)

XSS = "<img src=x onerror=alert(1)>"


def _text(value: str) -> str:
    """What a reader sees: tags removed, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", value))).strip()


def _html_widgets(root) -> list[widgets.HTML]:
    out, todo = [], [root]
    while todo:
        w = todo.pop()
        if isinstance(w, (widgets.HTML, widgets.HTMLMath)):
            out.append(w)
        todo.extend(getattr(w, "children", ()) or ())
    return out


@pytest.fixture
def store(tmp_path):
    return ClientStore(tmp_path / "clients")


@pytest.fixture
def app(store):
    return assessment_app(store=store)


def _finding(result, test, side):
    return next(f for f in result.flexibility if f.test == test and f.side == side)


def test_assessment_app_starts_with_the_running_example(app):
    """The app opens on runner_sam (architecture.md), showing the engine's result for it."""
    assert isinstance(app, AssessmentApp) and isinstance(app.widget, widgets.Box)
    expected = assess(load_example("runner_sam"))
    assert app.controls["client.id"].value == expected.client_id
    left = _finding(expected, "slr_deg", "left").value
    assert app.controls["flexibility.slr_deg.left"].value == f"{left:g}"
    assert app.result.phase == expected.phase
    assert f"Phase {expected.phase}" in _text(app.phase_card.value)
    assert "No referral needed" in _text(app.banner.value)
    assert app.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert app.image.layout.width.endswith("px")
    card = _text(app.phase_card.value)
    assert f"Phase {expected.phase} · {phase_name(expected.phase)}" in card
    for gate in expected.gates:  # every gate, in the card's plain words
        asks, reading, verdict = gate_words(gate, expected.client_id)
        assert f"{asks} — {reading}" in card and verdict in card
    for ex in expected.exercises:
        assert ex.name in _text(app.plan.value) and wording.dosage(ex.dosage) in _text(app.plan.value)
    assert "Scope of practice: when to refer" in _text(app.notice.value)
    notice = _text(app.notice.value)  # the scope of practice once, then the short notice
    assert wording.SCOPE_NOTE in notice and wording.EDUCATIONAL_SHORT in notice


def test_assessment_app_controls_come_from_fields(app):
    """Every FIELDS entry has a control (both sides where side-specific), labelled with
    its unit and accepted range."""
    for spec in FIELDS:
        paths = [f"{spec.path}.left", f"{spec.path}.right"] if spec.side_specific else [spec.path]
        for path in paths:
            assert path in app.controls, path
            assert path in app.messages, path
    label = " ".join(_text(w.value) for w in _html_widgets(app.widget))
    assert "Passive straight-leg raise (deg, 0–130)" in label
    # screening is the first tab; red flags grouped by urgency
    assert app.tabs.get_title(0).endswith("Screening")
    assert "Red flags — emergency" in label and "Red flags — urgent" in label


def test_assessment_app_slr_left_across_the_cutoff_changes_chart_and_findings(app):
    """SLR left below / at the engine's cut-off: the finding text and the chart follow assess()."""
    cutoff = _finding(app.result, "slr_deg", "left").cutoff
    box = app.controls["flexibility.slr_deg.left"]

    box.value = f"{cutoff - 5:g}"
    below = assess(app.record)
    f_below = _finding(below, "slr_deg", "left")
    assert f_below.value == cutoff - 5 and f_below.status == "deficient"
    assert _finding(app.result, "slr_deg", "left").status == "deficient"
    png_below = app.image.value
    shown = _text(app.findings.value)
    assert f"{f_below.name} left {cutoff - 5:g} deg" in shown
    assert f"{f_below.deficit:g} deg past the cut-off" in shown

    box.value = f"{cutoff:g}"  # exactly at the cut-off is normal (engine's rule)
    at = assess(app.record)
    assert _finding(at, "slr_deg", "left").status == "normal"
    assert _finding(app.result, "slr_deg", "left").status == "normal"
    png_at = app.image.value
    assert png_at != png_below and png_at[:4] == b"\x89PNG"
    shown = _text(app.findings.value)
    assert (f"{f_below.name} left {cutoff:g} deg deficient below {cutoff:g} deg "
            f"one reference point for women and men normal") in shown

    box.value = f"{cutoff - 5:g}"  # back again: the same picture as before
    assert app.image.value == png_below


def test_assessment_app_red_flag_shows_banner_and_hides_phase_and_plan(app):
    """A red flag: the banner says the urgency, what to do and whom to contact; no phase,
    plan or what-if is shown; unticking it brings them back."""
    boxes = app.option_boxes["screening.red_flags"]
    assert app.result.phase is not None and app.plan.value
    boxes["saddle_numbness"].value = True
    result = app.result
    assert result.referral.needed and result.phase is None
    banner = _text(app.banner.value)
    assert f"REFER — {result.referral.urgency.replace('_', ' ').upper()}" in banner
    assert result.referral.action in banner and result.referral.contact in banner
    for reason in result.referral.reasons:
        assert reason.label in banner
    card = _text(app.phase_card.value)
    assert "Training on hold until cleared" in card
    assert "Phase " not in card and "Gates" not in card
    assert app.plan.value == "" and app.plan.layout.display == "none"
    assert app.whatif.value == "" and app.changes == ()
    assert app.focus.value == ""
    assert "no training until cleared" in _text(app.findings.value)
    assert "no training until cleared" in _text(app.chart_caption.value)
    # the red flag is part of the saved record state
    assert app.record["screening"]["red_flags"] == ["saddle_numbness"]

    boxes["saddle_numbness"].value = False
    assert app.result.phase is not None
    assert "Phase" in _text(app.phase_card.value) and app.plan.layout.display is None


def test_assessment_app_medical_clearance_releases_history(app):
    """A considerable LBP history refers; medical clearance releases it (shown as released)."""
    app.controls["screening.considerable_lbp_history"].value = True
    assert app.result.referral.needed
    assert "REFER" in _text(app.banner.value)
    assert "Training on hold until cleared" in _text(app.phase_card.value)

    app.controls["screening.medical_clearance"].value = True
    result = app.result
    assert not result.referral.needed and result.phase is not None
    assert result.referral.released
    banner = _text(app.banner.value)
    assert "No referral needed" in banner and "Released by medical clearance" in banner
    for r in result.referral.released:
        assert f"{r.label} — released by medical clearance" in banner
    assert f"Phase {result.phase}" in _text(app.phase_card.value)


def test_assessment_app_out_of_range_value_shows_message_and_keeps_last_result(app):
    """SLR 200: a message beside that control naming the field by its label, the value and
    what to type (record.FIELDS: 0–130 deg), never the field path; the other entries and
    the previous result, chart and text stay on screen."""
    before, png, card = app.result, app.image.value, app.phase_card.value
    right = app.controls["flexibility.slr_deg.right"].value
    app.controls["flexibility.slr_deg.left"].value = "200"
    msg = _text(app.messages["flexibility.slr_deg.left"].value)
    assert msg.startswith("⚠ Passive straight-leg raise (left): 200 is outside 0 to 130.")
    assert "Type a number of degrees, 0 to 130, or leave it blank." in msg
    assert "flexibility" not in msg and "slr_deg" not in msg
    assert app.result is before and app.image.value == png and app.phase_card.value == card
    assert app.controls["flexibility.slr_deg.left"].value == "200"  # the entry is kept
    assert app.controls["flexibility.slr_deg.right"].value == right
    assert "An entry needs fixing" in _text(app.status.value)
    # only that row carries a message
    others = [p for p, m in app.messages.items()
              if m.value and m is not app.messages["flexibility.slr_deg.left"]]
    assert others == []

    app.controls["flexibility.slr_deg.left"].value = "70"
    assert app.messages["flexibility.slr_deg.left"].value == ""
    assert app.status.value == "" and app.result is not before
    assert _finding(app.result, "slr_deg", "left").value == 70


def test_assessment_app_text_in_a_number_box_shows_message(app):
    """'abc' in a number box: said beside it, with the accepted range; nothing else changes."""
    before = app.result
    app.controls["endurance.flexor_s"].value = "abc"
    msg = _text(app.messages["endurance.flexor_s"].value)
    assert ("Trunk flexor endurance (McGill): “abc” is not a number. "
            "Type a number of seconds, 0 to 600, or leave it blank.") in msg
    assert app.result is before
    # a blank box means not measured, and is valid
    app.controls["endurance.flexor_s"].value = ""
    assert app.messages["endurance.flexor_s"].value == ""
    assert "flexor_s" not in app.record.get("endurance", {})


def test_assessment_app_age_must_be_whole_number(app):
    """Age 34.5: refused beside Age, by its label, saying what to type (record.FIELDS:
    a whole number of years, 12 to 100)."""
    app.controls["client.age"].value = "34.5"
    msg = _text(app.messages["client.age"].value)
    assert msg == ("⚠ Age: 34.5 is not a whole number. "
                   "Type a whole number of years, 12 to 100, or leave it blank.")


def test_assessment_app_escapes_client_text_everywhere(app):
    """A client id or note of <img src=x onerror=alert(1)> is shown as text in every HTML widget."""
    app.controls["client.id"].value = XSS
    app.controls["notes"].value = XSS
    assert app.result.client_id == XSS  # the engine accepted it as a pseudonym
    values = [w.value for w in _html_widgets(app.widget)]
    assert not any(XSS in v for v in values)  # the plan's own <img> pictures aside
    assert html.escape(XSS) in app.banner.value
    # and in the referral banner too
    app.option_boxes["screening.red_flags"]["cancer_history"].value = True
    assert html.escape(XSS) in app.banner.value
    assert not any(XSS in w.value for w in _html_widgets(app.widget))


def test_assessment_app_escapes_saved_message(app, store):
    app.controls["client.id"].value = XSS
    app.save()
    assert "<img" not in app.files_message.value
    assert html.escape(XSS) in app.files_message.value


def test_assessment_app_save_then_load_round_trip(app, store, tmp_path):
    """Save writes into the given store and says where; loading gives back the entries."""
    app.save_button.click()
    path = store.path_for("sam")
    assert path.is_file() and str(tmp_path) in str(path)
    assert str(path) in _text(app.files_message.value)
    assert app.client_picker.options == ("sam",)
    saved = dict(app.record)
    assert store.latest("sam") == saved

    app.controls["flexibility.slr_deg.left"].value = "70"
    app.controls["pain.now"].value = "1"
    assert app.result.record != saved or app.record != saved
    app.client_picker.value = "sam"
    app.load_button.click()
    slr_left = saved["flexibility"]["slr_deg"]["left"]
    assert app.controls["flexibility.slr_deg.left"].value == f"{slr_left:g}"
    assert app.controls["pain.now"].value == f"{saved['pain']['now']:g}"
    assert app.record == saved
    assert "Loaded the latest assessment of sam" in _text(app.files_message.value)


def test_assessment_app_damaged_file_is_shown_and_not_overwritten(app, store):
    """A damaged history file: saving says what is wrong with it in words (no exception
    name), the file is left as it was."""
    store.folder.mkdir(parents=True)
    damaged = store.path_for("sam")
    damaged.write_text("{not json", encoding="utf-8")
    app.save_button.click()
    msg = _text(app.files_message.value)
    assert damaged.name in msg and "nothing was saved" in msg
    assert "Error" not in msg  # no exception name (issue 12)
    assert damaged.read_text(encoding="utf-8") == "{not json"
    app.refresh_button.click()
    assert damaged.name in _text(app.files_message.value)


def test_assessment_app_deeply_nested_file_keeps_healthy_clients_listed(app, store):
    """A history file of 5000 '[' (issue 10): the list still shows every healthy client,
    the bad file is named, and a save elsewhere succeeds."""
    app.save_button.click()
    damaged = store.folder / "zz-0000000000000000.json"
    damaged.write_text("[" * 5000, encoding="utf-8")
    app.refresh_button.click()
    assert app.client_picker.options == ("sam",)
    assert damaged.name in _text(app.files_message.value)
    app.controls["client.id"].value = "kim"
    app.save_button.click()
    assert "Saved client kim" in _text(app.files_message.value)
    assert app.client_picker.options == ("kim", "sam")
    assert damaged.read_text(encoding="utf-8") == "[" * 5000


def test_assessment_app_load_example_dropdown(app):
    app.example_picker.value = "red_flag_pat"
    app.load_example_button.click()
    expected = assess(load_example("red_flag_pat"))
    assert app.result.referral.needed == expected.referral.needed is True
    assert "REFER" in _text(app.banner.value)
    assert "Loaded example red_flag_pat" in _text(app.files_message.value)


def test_assessment_app_shows_what_if(app):
    """The what-if list under the phase card shows the engine's what_if() lines."""
    from lbp_workbook.engine.whatif import MEDICAL_ONLY_NOTE, what_if

    expected = what_if(app.record)
    assert app.changes == expected and expected
    shown = _text(app.whatif.value)
    for ch in expected:
        assert ch.text in shown
    assert MEDICAL_ONLY_NOTE in shown
    assert any(c.path == "flexibility.slr_deg.left" for c in expected)
    # the what-if panel sits in the grid beside the entries, after the phase card and chart
    grid = app.main.children
    assert grid.index(app.controls_column) < grid.index(app.results_column) \
        < grid.index(app.chart_box) < grid.index(app.whatif)
    assert app.phase_card in app.results_column.children


def test_assessment_app_painful_direction_changes_plan(app):
    """Toggling a painful direction re-assesses: the plan shown is the engine's plan."""
    app.option_boxes["pain.painful_directions"]["extension"].value = True
    assert "extension" in app.record["pain"]["painful_directions"]
    expected = assess(app.record)
    shown = _text(app.plan.value)
    for ex in expected.exercises:
        assert ex.name in shown


def test_assessment_app_custom_record(store):
    rec = load_example("phase3_max")
    app = assessment_app(record=rec, store=store)
    assert app.result.phase == assess(rec).phase


def test_assessment_app_importable_both_ways(store):
    """lbp.assessment_app and lbp_workbook.views.widgets.app both build the app
    (the module shares the function's name, so calling the module builds it too)."""
    import lbp_workbook as lbp
    from lbp_workbook.views import widgets as lbp_widgets

    assert isinstance(lbp.assessment_app(store=store), AssessmentApp)
    assert isinstance(lbp_widgets.assessment_app(store=store), AssessmentApp)


def test_assessment_app_screening_says_what_clearance_releases(app):
    """Each guideline trigger says, beside its box, whether clearance releases it (FIELDS help)."""
    from lbp_workbook.engine.record import field_spec

    shown = " ".join(_text(w.value) for w in _html_widgets(app.tabs.children[0]))
    for path in ("screening.symptoms_increasing", "screening.considerable_lbp_history",
                 "screening.medical_clearance"):
        assert field_spec(path).help in shown


def test_assessment_app_lists_saved_clients_at_start(store):
    """Clients saved earlier are in the dropdown as soon as the app opens."""
    rec = load_example("phase3_max")
    store.save(rec)
    app = assessment_app(store=store)
    assert app.client_picker.options == (rec["client"]["id"],)
    assert app.example_picker.value == "runner_sam"  # what the app opened on


def test_assessment_app_will_not_save_while_an_entry_is_invalid(app, store):
    """With SLR 200 on screen, Save says why nothing was saved and writes no file."""
    app.controls["flexibility.slr_deg.left"].value = "200"
    app.save_button.click()
    assert "Nothing was saved" in _text(app.files_message.value)
    assert not store.path_for("sam").exists()


def test_assessment_app_opens_on_an_invalid_record(store):
    """A record with a bad value opens with its message beside the control and no result."""
    rec = load_example("runner_sam")
    rec["flexibility"]["slr_deg"]["left"] = "sixty"
    rec["screening"]["red_flags"] = ["not_a_flag"]
    app = assessment_app(record=rec, store=store)
    assert app.result is None and app.banner.value == ""
    assert "“sixty” is not a number" in _text(app.messages["flexibility.slr_deg.left"].value)
    assert "No result yet" in _text(app.status.value)
    assert "Red flags: 'not_a_flag' is not one of the choices" in _text(app.general.value)


def test_assessment_app_accepts_a_validated_record(store):
    """A Record model (validate_record) loads like its dict."""
    from lbp_workbook.engine.record import validate_record

    rec = validate_record(load_example("golfer_kim"))
    app = assessment_app(record=rec, store=store)
    assert app.result is not None and app.result.client_id == rec.client.id
    assert app.record == rec.to_dict()


@pytest.mark.parametrize("name", ["healthy_jo", "runner_sam", "red_flag_pat", "cleared_dana"])
def test_assessment_app_record_round_trips_each_example(store, name):
    """Loaded untouched, the app's record is the example's normalised record
    (a control skill never shown stays absent, not false)."""
    from lbp_workbook.engine.record import validate_record

    rec = load_example(name)
    app = assessment_app(record=rec, store=store)
    assert validate_record(app.record).to_dict() == validate_record(rec).to_dict()


@pytest.mark.parametrize("bad", ["200", "sixty"])
def test_assessment_app_referral_wins_over_an_invalid_entry(app, bad):
    """With an invalid SLR on screen, ticking a red flag still puts training on hold:
    the valid entries alone refer, so the old phase and plan must not stay."""
    app.controls["flexibility.slr_deg.left"].value = bad
    assert "Phase" in _text(app.phase_card.value)  # last valid result kept meanwhile
    app.option_boxes["screening.red_flags"]["bowel_dysfunction"].value = True
    assert app.messages["flexibility.slr_deg.left"].value  # still marked
    assert "REFER" in _text(app.banner.value)
    assert "Training on hold until cleared" in _text(app.phase_card.value)
    assert app.plan.value == "" and app.plan.layout.display == "none"
    assert "A referral is in force" in _text(app.status.value)
    app.save_button.click()  # nothing saved while an entry is invalid
    assert "Nothing was saved" in _text(app.files_message.value)


# ---------------------------------------------------------------------- phase card


def _gate(result, gate_id):
    return next(g for g in result.gates if g.id == gate_id)


def test_phase_card_names_the_phases_and_words_the_gates_plainly(app):
    """Sam (runner_sam, phase 2 in architecture.md): the card names his phase and the other
    two, and says each gate in plain words with Sam's reading, never the engine's raw
    threshold text ("<= 3 /10", "true (shown)"). Limits come from data/rules.json, Sam's
    readings from his example record."""
    from lbp_workbook.engine import reference

    result = assess(load_example("runner_sam"))
    card = _text(app.phase_card.value)
    assert result.phase == 2
    assert "Phase 2 · Trunk strengthening" in card
    for name in ("Gentle stabilisation", "Trunk strengthening",
                 "Advanced stability and dynamic exercise"):
        assert name in card
    limits = {r.id: r.limit for r in reference.rules().gates}
    now = result.record["pain"]["now"]
    met2 = "✓ met" if _gate(result, "pain_now_phase2").passed else "✗ not met"
    met3 = "✓ met" if _gate(result, "pain_now_phase3").passed else "✗ not met"
    for gate_id, met in (("pain_now_phase2", met2), ("pain_now_phase3", met3)):
        assert f"Pain now at most {limits[gate_id]:g} out of 10 — sam: {now:g} {met}" in card
    assert "Finds and holds a neutral pelvis with normal breathing — sam: shown ✓ met" in card
    assert "To move up to phase 2 · Trunk strengthening" in card
    assert "To move up to phase 3 · Advanced stability and dynamic exercise" in card
    for raw in ("<=", "true (shown)", "no ratio flagged", "4 of 4 times"):
        assert raw not in card, raw
    # what the gates read, so a flexibility change is not expected to move the phase
    assert "The gates read pain, endurance and control only" in card
    assert ("A flexibility result changes the focus areas and the exercise plan, not the phase"
            in card)


def test_phase_card_flexibility_change_moves_focus_not_phase(app):
    """What the card says is so: clearing Sam's hamstring deficit (SLR and AKE, both sides,
    set to the engine's cut-off, which counts as normal) changes the focus areas and the
    plan, and leaves the phase card exactly as it was."""
    card, focus, plan = app.phase_card.value, app.focus.value, app.plan.value
    for f in app.result.flexibility:
        if f.test in ("slr_deg", "ake_deficit_deg"):
            app.controls[f"flexibility.{f.test}.{f.side}"].value = f"{f.cutoff:g}"
    assert "hamstrings" not in app.result.focus_areas
    assert app.focus.value != focus and app.plan.value != plan
    assert app.phase_card.value == card


def test_phase_card_gate_not_measured_counts_as_not_met(store):
    """Jo (healthy_jo) has no 'neutral spine under load' reading: the card says so and that
    it counts as not met (the engine fails a gate whose input is missing)."""
    app = assessment_app(record=load_example("healthy_jo"), store=store)
    gate = _gate(app.result, "neutral_under_load")
    assert not gate.measured and not gate.passed
    card = _text(app.phase_card.value)
    assert f"{gate.label} — jo: not measured yet ? counts as not met" in card


@pytest.mark.parametrize("how", ["example", "red_flag", "trigger"])
def test_phase_card_while_referring_hides_training_content(store, how):
    """While a referral is in force the phase card shows only "on hold": no phase number or
    name, no gate, no exercise; the plan, what-if and focus areas are hidden and empty."""
    if how == "example":
        app = assessment_app(record=load_example("red_flag_pat"), store=store)
    else:
        app = assessment_app(store=store)
        before = assess(app.record)
        if how == "red_flag":
            app.option_boxes["screening.red_flags"]["saddle_numbness"].value = True
        else:
            app.controls["screening.symptoms_increasing"].value = True
    assert app.result.referral.needed and app.result.phase is None
    card = _text(app.phase_card.value)
    assert "Training on hold until cleared" in card
    for name in ("Gentle stabilisation", "Trunk strengthening", "Advanced stability",
                 "Phase 1", "Phase 2", "Phase 3", "Gates", "✓", "met", "To move up"):
        assert name not in card, name
    if how != "example":
        for gate in before.gates:
            assert gate.label not in card
        for ex in before.exercises:
            assert ex.name not in card
    for w in (app.plan, app.whatif, app.focus):
        assert w.value == "" and w.layout.display == "none"


def test_assessment_app_css_hooks_for_browser_tests(app):
    """Stable classes the browser tests find the views by (never their wording)."""
    for w, name in ((app.banner, "lbp-banner"), (app.phase_card, "lbp-phase-card"),
                    (app.plan, "lbp-plan"), (app.whatif, "lbp-whatif"),
                    (app.image, "lbp-deficit-chart"), (app.tabs, "lbp-tabs"),
                    (app.widget, "lbp-assessment-app")):
        assert name in w._dom_classes, name
    for path, control in app.controls.items():
        boxes = getattr(control, "boxes", None)
        for w in boxes.values() if boxes else (control,):
            assert field_class(path) in w._dom_classes, path
        assert "lbp-field-message" in app.messages[path]._dom_classes
    assert field_class("flexibility.slr_deg.left") == "lbp-field-flexibility-slr_deg-left"


def test_assessment_app_chart_is_large_and_crisp(app):
    """The deficit chart is shown 800-880 px wide (readable from the back of a classroom),
    at one image pixel per screen pixel, and may shrink on a narrow page."""
    import struct

    width = int(app.image.layout.width.removesuffix("px"))
    assert 800 <= width <= 880
    png_width = struct.unpack(">I", app.image.value[16:20])[0]  # IHDR width
    assert png_width == width
    assert app.image.layout.max_width == "100%"


# ---------------------------------------------------------------------- client summary


_LINK = re.compile(r'<a download="([^"]+)" href="data:([^;]+);(base64|charset=utf-8),([^"]+)"')


def _summaries(store) -> list:
    folder = store.folder / "summaries"
    return sorted(folder.iterdir()) if folder.exists() else []


def _downloads(app) -> dict[str, bytes]:
    """File name -> the bytes each download link carries."""
    import base64
    from urllib.parse import unquote_to_bytes

    out = {}
    for name, _mime, how, data in _LINK.findall(app.summary_links.value):
        out[html.unescape(name)] = (base64.b64decode(data) if how == "base64"
                                    else unquote_to_bytes(data))
    return out


def test_summary_button_writes_html_and_pdf_beside_the_saved_clients(app, store):
    """One click writes the summary of the entries on screen into <clients>/summaries: a PDF
    (starts with %PDF) and an HTML page with the client's id escaped; the status names both
    paths and the links download exactly the bytes written."""
    app.controls["client.id"].value = XSS
    assert "lbp-summary-button" in app.summary_button._dom_classes
    app.summary_button.click()
    files = _summaries(store)
    assert [p.suffix for p in files] == [".html", ".pdf"]
    html_file, pdf_file = files
    assert pdf_file.read_bytes()[:5] == b"%PDF-"
    page = html_file.read_text(encoding="utf-8")
    assert html.escape(XSS) in page and XSS not in page
    shown = _text(app.files_message.value)
    assert str(html_file) in shown and str(pdf_file) in shown
    assert "<img" not in app.files_message.value + app.summary_links.value.split("href")[0]
    assert _downloads(app) == {html_file.name: html_file.read_bytes(),
                               pdf_file.name: pdf_file.read_bytes()}
    assert len(app.summary_links.value) < 1_500_000  # one page: the links stay modest
    assert store.list_clients() == []  # a summary is not a save, and not a damaged file


def test_summary_button_second_click_keeps_the_first(app, store):
    """A second summary of the same client and date gets a new name; the first pair is
    left byte for byte as it was."""
    app.summary_button.click()
    first = {p.name: p.read_bytes() for p in _summaries(store)}
    app.controls["notes"].value = "second summary, same day"
    app.summary_button.click()
    now = {p.name: p.read_bytes() for p in _summaries(store)}
    assert len(now) == 4 and all(now[name] == data for name, data in first.items())
    new_html = next(name for name in now if name not in first and name.endswith(".html"))
    assert "second summary, same day" in now[new_html].decode("utf-8")
    assert set(_downloads(app)) == set(now) - set(first)


def test_summary_button_invalid_entry_writes_nothing_and_keeps_the_entries(app, store):
    """An invalid entry: a clear message beside the buttons, no file, the entry still there."""
    app.controls["flexibility.slr_deg.left"].value = "200"
    app.summary_button.click()
    assert "No summary was written" in _text(app.files_message.value)
    assert _summaries(store) == [] and not store.folder.exists()
    assert app.controls["flexibility.slr_deg.left"].value == "200"
    assert app.summary_links.value == ""


def test_summary_button_disk_error_is_shown_and_loses_nothing(app, store):
    """The summaries folder cannot be made (a file stands in its way): the message says
    where and why, the file in the way and the entries are untouched."""
    store.folder.mkdir(parents=True)
    blocker = store.folder / "summaries"
    blocker.write_text("not a folder", encoding="utf-8")
    app.controls["pain.now"].value = "2"
    record = dict(app.record)
    app.summary_button.click()
    message = _text(app.files_message.value)
    assert "could not be written" in message and str(blocker) in message
    assert blocker.read_text(encoding="utf-8") == "not a folder"
    assert app.controls["pain.now"].value == "2" and app.record == record
    assert app.summary_links.value == ""


def test_summary_button_while_referring_leads_with_the_referral(app, store):
    """A red flag ticked: the summary is still written, with the referral and no plan."""
    app.option_boxes["screening.red_flags"]["saddle_numbness"].value = True
    assert app.result.referral.needed
    app.summary_button.click()
    page = next(p for p in _summaries(store) if p.suffix == ".html").read_text("utf-8")
    assert "Referral needed before any training" in page and "Exercise plan" not in page
    assert "training on hold" in _text(app.files_message.value)


def test_summary_button_links_cleared_when_the_entries_change(app, store):
    """Download links belong to the entries they were made from: a change removes them
    (the files stay)."""
    app.summary_button.click()
    assert _downloads(app)
    app.controls["pain.now"].value = "1"
    assert app.summary_links.value == "" and len(_summaries(store)) == 2


def test_summary_button_default_folder_from_lbp_workbook_home(tmp_path, monkeypatch):
    """Without a store the summary goes to $LBP_WORKBOOK_HOME/clients/summaries
    (storage.default_folder)."""
    monkeypatch.setenv("LBP_WORKBOOK_HOME", str(tmp_path))
    app = assessment_app()
    app.summary_button.click()
    assert [p.suffix for p in sorted((tmp_path / "clients" / "summaries").iterdir())] == [
        ".html", ".pdf"]


# ----------------------------------------------------------------- issue 10: the file box


def _save_as(app, cid, date=None):
    app.controls["client.id"].value = cid
    if date:
        app.controls["date"].value = date
    app.save_button.click()


def test_save_with_a_real_looking_name_shows_a_gentle_pseudonym_reminder(app, store):
    _save_as(app, "Jane Smith")
    msg = _text(app.files_message.value)
    assert "Saved client Jane Smith" in msg  # saved all the same: a reminder, not a refusal
    assert "looks like a real name" in msg and "pseudonym" in msg
    assert store.list_clients() == ["Jane Smith"]
    _save_as(app, "JS-01")
    assert "looks like a real name" not in _text(app.files_message.value)


def test_delete_asks_for_confirmation_then_removes_only_that_file(app, store):
    _save_as(app, "kim")
    _save_as(app, "lee")
    (store.folder / "mine.txt").write_text("keep")
    app.client_picker.value = "kim"
    assert app.confirm_delete_button.layout.display == "none"
    app.delete_button.click()  # first click: asks
    assert store.path_for("kim").exists()
    assert app.confirm_delete_button.layout.display != "none"
    assert app.confirm_delete_button.description == "Yes, delete kim"
    assert "cannot be undone" in _text(app.files_message.value)
    app.confirm_delete_button.click()  # second click: deletes
    assert not store.path_for("kim").exists() and store.path_for("lee").exists()
    assert (store.folder / "mine.txt").read_text() == "keep"
    assert app.client_picker.options == ("lee",)
    assert "Deleted kim" in _text(app.files_message.value)
    assert app.confirm_delete_button.layout.display == "none"


def test_delete_cancel_and_changing_the_choice_delete_nothing(app, store):
    _save_as(app, "kim")
    _save_as(app, "lee")
    app.client_picker.value = "kim"
    app.delete_button.click()
    app.cancel_delete_button.click()
    assert app.confirm_delete_button.layout.display == "none"
    app.delete_button.click()
    app.client_picker.value = "lee"  # the confirmation was for kim: it goes away
    assert app.confirm_delete_button.layout.display == "none"
    app.confirm_delete_button.click()  # a hidden button clicked anyway deletes nothing
    assert store.list_clients() == ["kim", "lee"]


def test_rename_moves_the_client_and_refuses_an_existing_one(app, store):
    _save_as(app, "Jane Smith")
    _save_as(app, "kim")
    app.client_picker.value = "Jane Smith"
    app.rename_box.value = "JS-01"
    app.rename_button.click()
    assert store.list_clients() == ["JS-01", "kim"]
    assert app.client_picker.value == "JS-01"
    assert "Renamed Jane Smith to JS-01" in _text(app.files_message.value)
    before = store.path_for("kim").read_bytes()
    app.rename_box.value = "kim"
    app.rename_button.click()
    assert "already saved" in _text(app.files_message.value)
    assert store.path_for("kim").read_bytes() == before and store.list_clients() == ["JS-01", "kim"]


def test_export_writes_csv_and_json_and_offers_them_for_download(app, store):
    from lbp_workbook.engine.storage import canonical_record, import_csv

    _save_as(app, "kim", "2026-11-02")
    _save_as(app, "kim", "2026-12-01")
    app.client_picker.value = "kim"
    app.export_button.click()
    files = sorted((store.folder / "exports").iterdir())
    assert [p.suffix for p in files] == [".csv", ".json"]
    csv_file, json_file = files
    assert import_csv(csv_file) == [canonical_record(r) for r in store.history("kim")]
    import json as _json

    assert _json.loads(json_file.read_text(encoding="utf-8"))["assessments"] == store.history("kim")
    links = {}
    import base64
    from urllib.parse import unquote_to_bytes

    for name, _mime, how, data in _LINK.findall(app.export_links.value):
        links[html.unescape(name)] = (base64.b64decode(data) if how == "base64"
                                      else unquote_to_bytes(data))
    assert links == {csv_file.name: csv_file.read_bytes(), json_file.name: json_file.read_bytes()}
    assert str(csv_file) in _text(app.files_message.value)
    assert store.list_clients() == ["kim"]  # an export is not a client file


def test_file_box_controls_have_accessible_names(app):
    for button in (app.delete_button, app.confirm_delete_button, app.cancel_delete_button,
                   app.rename_button, app.export_button):
        assert button.description and button.tooltip
    assert app.rename_box.description and app.rename_box.placeholder


def test_file_box_actions_without_a_chosen_client_say_so(app, store):
    for button in (app.delete_button, app.rename_button, app.export_button):
        app.files_message.value = ""
        button.click()
        assert "Choose a saved client first." in _text(app.files_message.value)


def test_save_says_when_the_id_was_normalised(app, store):
    """'Zoë ' (trailing space, NFD) is saved as 'Zoë', and the message says so."""
    _save_as(app, "Zoe\u0308 ")
    msg = _text(app.files_message.value)
    assert "Saved as Zo\u00eb" in msg and "spaces around" in msg
    assert store.list_clients() == ["Zo\u00eb"] and app.client_picker.value == "Zo\u00eb"
    _save_as(app, "sam")
    assert "Saved as" not in _text(app.files_message.value)


def test_export_links_go_when_another_client_is_chosen(app, store):
    _save_as(app, "kim")
    _save_as(app, "lee")
    app.client_picker.value = "kim"
    app.export_button.click()
    assert "Download the CSV" in app.export_links.value
    app.client_picker.value = "lee"
    assert app.export_links.value == ""


def test_assessment_app_screening_defines_symptoms_increasing_and_shows_leg_spread(app):
    """Issue 9, section 1: the help beside *Symptoms increasing* defines it for trainers (worse
    over days, not settling within 24-48 hours after a session, or spreading into a leg; the
    workbook's definition in data/rules.json), and the new leg-spread trigger is a box on the
    screening tab like the other triggers; ticking it holds training, clearance or not."""
    shown = " ".join(_text(w.value) for w in _html_widgets(app.tabs.children[0]))
    assert "worse over days" in shown and "24-48 hours" in shown and "into a leg" in shown
    box = app.controls["screening.symptoms_spread_to_leg"]
    assert isinstance(box, widgets.Checkbox) and box.description == "Symptoms spread into a leg"
    app.controls["screening.medical_clearance"].value = True
    box.value = True
    result = app.result
    assert result.referral.needed and [r.id for r in result.referral.reasons] == [
        "symptoms_spread_to_leg"]
    banner = _text(app.banner.value)
    assert "REFER" in banner and "Symptoms spread into a leg during or after exercise" in banner
    assert "Training on hold until cleared" in _text(app.phase_card.value)


def test_assessment_app_released_risk_factor_shows_the_clinicians_guidance(app):
    """A risk factor with medical clearance is released (Finucane et al. 2020): the banner lists
    it as released with the guidance to train within the clinician's written guidance; a sign
    with the same clearance still refers, to the emergency department for an emergency."""
    app.controls["screening.medical_clearance"].value = True
    app.option_boxes["screening.red_flags"]["cancer_history"].value = True
    result = app.result
    assert not result.referral.needed and result.phase is not None
    banner = _text(app.banner.value)
    assert "Released by medical clearance" in banner
    assert result.referral.released_guidance in banner
    app.option_boxes["screening.red_flags"]["saddle_numbness"].value = True
    result = app.result
    assert result.referral.needed and result.referral.urgency == "emergency"
    banner = _text(app.banner.value)
    assert "emergency department" in banner and "A&E" in banner and "sign present now" in banner
    assert "Training on hold until cleared" in _text(app.phase_card.value)


def test_assessment_app_hip_rotation_position_defaults_to_prone_and_changes_the_finding(store):
    """The position control starts on prone (module 5 teaches it) for a record without one;
    choosing seated sets the record field and the finding shows the seated mean of
    Kouyoumdjian et al. 2012 (IR 37.9 deg) in its words, as the engine says."""
    record = load_example("runner_sam")
    del record["flexibility"]["hip_rotation_position"]  # an older record
    app = assessment_app(record=record, store=store)
    control = app.controls["flexibility.hip_rotation_position"]
    assert control.value == "prone"
    assert ("lying face down (prone)", "prone") in control.options
    assert app.record["flexibility"]["hip_rotation_position"] == "prone"
    control.value = "seated"
    assert app.record["flexibility"]["hip_rotation_position"] == "seated"
    ir = _finding(app.result, "hip_ir_deg", "left")
    assert (ir.position, ir.population_mean) == ("seated", 37.9)
    assert ir.reference_label in _text(app.findings.value)


def test_assessment_app_findings_say_whose_reference_point(app):
    """Sam is recorded male: his AKE is read against the value for men (engine's words)."""
    ake = _finding(app.result, "ake_deficit_deg", "left")
    assert ake.reference_basis == "male"
    assert "reference point for men" in _text(app.findings.value)


# ---------------------------------------------------------------------- saved progress


def test_saved_client_with_two_visits_shows_the_decision_and_progress_chart(store):
    """Sam's case (cases/runner_sam): saving two of his visits shows the reassessment
    decision the case gives (progress.reassess, one verdict) and a progress chart."""
    from lbp_workbook.course.cases import load_case
    from lbp_workbook.engine.progress import decision_html

    case = load_case("runner_sam")
    app = assessment_app(record=case.record(0), store=store)
    app.save()
    assert app.progress.widget.layout.display == "none"  # one visit: nothing to compare
    app.load_record(case.record(1))
    app.save()
    assert app.progress.widget.layout.display == ""
    assert app.progress.decision == case.decision(1)
    assert app.progress.decision_card.value == decision_html(case.decision(1))
    assert app.progress.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert app.progress.picker.options  # readings measured at both visits
    before = app.progress.image.value
    other = next(r for _label, r in app.progress.picker.options if r != app.progress.picker.value)
    app.progress.picker.value = other
    assert app.progress.image.value != before
    # a referral in the entries hides the saved decision (it could read as "train on")
    app.option_boxes["screening.red_flags"]["saddle_numbness"].value = True
    assert app.progress.decision_card.layout.display == "none"
    assert app.progress.held.layout.display == ""
