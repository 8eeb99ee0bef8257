"""Tests for lbp_workbook.views.tables: the lesson tables read the package data and escape text."""

from __future__ import annotations

import html
import re

import pytest

import lbp_workbook as lbp
from lbp_workbook.engine import reference
from lbp_workbook.engine.examples import load_example
from lbp_workbook.engine.result import EDUCATIONAL_NOTICE
from lbp_workbook.engine.whatif import MEDICAL_ONLY_NOTE, Change, what_if
from lbp_workbook.views import tables
from lbp_workbook.views.plots import progress_summary


def _result(name: str):
    return lbp.assess(load_example(name))


def test_red_flag_table_lists_every_flag_and_condition():
    """Every row of data/red_flags.json appears, grouped under its condition."""
    table = tables.red_flag_table()
    for flag in reference.red_flags():
        assert html.escape(flag.label) in table.html
        assert flag.label in table.text
    for condition in {f.condition for f in reference.red_flags()}:
        assert condition in table.text


def test_red_flag_table_most_urgent_first_with_action():
    """Emergency groups come before urgent, urgent before routine; actions from data/rules.json."""
    table = tables.red_flag_table()
    rules = reference.rules()
    text = table.text
    assert text.index("[emergency]") < text.index("[urgent]") < text.index("[routine]")
    for urgency in ("emergency", "urgent", "routine"):
        assert html.escape(rules.action(urgency).action) in table.html


def test_red_flag_table_sources_one_click_away():
    """Each flag's source sits in a <details> toggle with its evidence words."""
    table = tables.red_flag_table()
    assert table.html.count("<details>") >= len(reference.red_flags())
    assert "checked in the original paper" in table.html
    assert '<a href="https://g-care.glos.nhs.uk/pathway/71/resource/3"' in table.html


def test_red_flag_table_marks_each_flag_sign_or_risk_factor():
    """Each flag says, in plain words, whether it is a sign present now or a risk factor
    (data/red_flags.json kind, after Finucane et al. 2020); the footer says clearance releases
    only a risk factor; a flag's urgency decides its group, so no improvement after 4-6 weeks
    sits in a 'before any training' group with its own action."""
    table = tables.red_flag_table()
    for flag in reference.red_flags():
        words = "sign present now" if flag.kind == "sign" else "risk factor: a history or condition"
        assert f"{flag.label} ({words})" in table.text
    assert "train within the clinician&#x27;s written guidance" in table.html
    assert "[before_training]: No improvement after 4 to 6 weeks" in table.text
    assert "<b>before any training</b>" in table.html


def test_trigger_table_defines_symptoms_increasing():
    """The definition of symptoms increasing (data/rules.json, the workbook's own) sits under
    its label, and the leg-spread trigger is never released by clearance."""
    table = tables.trigger_table()
    assert "worse over days, not settling within 24-48 hours after a session" in table.html
    line = next(ln for ln in table.text.splitlines() if ln.startswith("Symptoms spread into a leg"))
    assert line.endswith("never")


def test_trigger_table_clearance_column_matches_data():
    """released_by_clearance in data/rules.json decides the 'never' wording."""
    table = tables.trigger_table()
    for trig in reference.rules().triggers:
        line = next(ln for ln in table.text.splitlines() if ln.startswith(trig.label))
        assert line.endswith("yes" if trig.released_by_clearance else "never")


def test_assessment_table_sections_and_cutoffs():
    """Cut-offs come from data/assessment_tests.json (SLR below 80 deg, Magee)."""
    flex = tables.assessment_table("flexibility")
    endu = tables.assessment_table("endurance")
    slr = reference.assessment_test("slr_deg")
    assert f"screening reference point: short below {slr.cutoff:g} deg" in flex.text
    assert "Trunk flexor endurance" in endu.text and "straight-leg" not in endu.text.lower()
    assert "no cut-off of its own" in endu.text
    assert len(tables.assessment_table().text.splitlines()) == len(reference.assessment_tests())


def test_assessment_table_measurement_errors_from_data():
    """Thomas knee SEM 7 deg (Peeler & Anderson 2008); SLR SEM 2.6 deg and AKE SEM 2.9 deg
    (J Sport Rehabil 2015, 24(4)), all from their rows of assessment_tests.json, each with
    its MDC95 = 1.96 x sqrt(2) x SEM (Weir 2005): 19.4, 7.2 and 8.0 deg."""
    text = tables.assessment_table("flexibility").text
    assert ("Modified Thomas test, knee angle: screening reference point: short below 80 deg; "
            "error: SEM 7 deg, MDC95 19.4 deg") in text
    assert ("Passive straight-leg raise: screening reference point: short below 80 deg; "
            "error: SEM 2.6 deg, MDC95 7.2 deg") in text
    assert ("Active knee extension (90-90): screening reference point: short above 20 deg (women "
            "and men together); women above 23.4 deg, men above 33 deg; error: SEM 2.9 deg, "
            "MDC95 8 deg") in text
    assert "Hip internal rotation: screening reference point: short below 30 deg; error: none" in text


def test_asymmetry_table_every_rule():
    """One row per asymmetry rule of data/rules.json."""
    text = tables.asymmetry_table().text
    assert len(text.splitlines()) == len(reference.rules().asymmetry)
    assert "% of the larger side" in text


def test_ratio_table_rower_ria_flags_flexor_extensor():
    """Ria's flexor : extensor ratio is above 1.0 (example rower_ria), the others inside."""
    table = tables.ratio_table(_result("rower_ria"))
    line = next(ln for ln in table.text.splitlines() if ln.startswith("Flexor : extensor"))
    assert "outside the target" in line and "1.25" in line
    assert "commonly taught targets" in table.html


def test_ratio_table_without_hold_times():
    table = tables.ratio_table(_result("red_flag_pat"))
    assert "not measured" in table.text


def test_gate_table_sam_and_synthesis_note():
    """Sam (runner_sam): phase-2 gates met, neutral under load not met; synthesis said."""
    table = tables.gate_table(_result("runner_sam"))
    lines = table.text.splitlines()
    # The same wording as the app's phase card and the summary (rules.phase.gate_words).
    assert any(ln.startswith("phase 2: Pain now at most 3 out of 10 — sam: 3") and ln.endswith(" met")
               for ln in lines)
    assert any("neutral spine under load" in ln and ln.endswith("not met") for ln in lines)
    assert "teaching synthesis" in table.html
    assert "Result: phase 2." in table.text


def _max_with_red_flag():
    """phase3_max (every gate met) with the red flag cancer_history added."""
    record = load_example("phase3_max")
    record.setdefault("screening", {})["red_flags"] = [
        *record["screening"].get("red_flags", []), "cancer_history"]
    return lbp.assess(record)


def test_gate_table_referral_leads_with_hold_and_never_met():
    """A phase-3-ready client with a red flag: gates are not applied, none shown as met."""
    ready = _result("phase3_max")
    assert ready.phase == 3 and all(g.passed for g in ready.gates)  # the gates would all pass
    res = _max_with_red_flag()
    assert res.referral.needed and res.phase is None
    table = tables.gate_table(res)
    lines = table.text.splitlines()
    assert lines[0] == ("Training on hold: refer first — gates are not applied while a "
                        "referral is in force.")
    gate_lines = [ln for ln in lines if ln.startswith("phase ")]
    assert len(gate_lines) == len(res.gates)
    assert all(ln.endswith("not applied (referral first)") for ln in gate_lines)
    assert not any(ln.endswith(" met") for ln in lines)
    # The hold comes before the table in the HTML, and no cell is a green "met".
    assert table.html.index(html.escape(tables.GATES_ON_HOLD)) < table.html.index("<table")
    assert ">met<" not in table.html and "#00664A" not in table.html
    assert "Result: on hold (referral first)." in table.text


def test_gate_table_without_referral_has_no_hold():
    table = tables.gate_table(_result("phase3_max"))
    assert "Training on hold" not in table.text and "not applied" not in table.text
    assert ">met<" in table.html


def test_plan_table_sam_dose_and_source():
    """Sam's hamstring stretch carries its NSCA dose from data/exercises.json."""
    res = _result("runner_sam")
    table = tables.plan_table(res)
    assert len(table.text.splitlines()) == len(res.exercises) + 1  # and the dose note, once
    assert table.text.count("teaching choice, not a published dose") == 0
    stretch = next(e for e in reference.exercises() if e.id == "supine_strap_hamstring_stretch")
    assert html.escape(stretch.dosage) in table.html
    assert tables._link(stretch.source) in table.html


def test_plan_table_referral_has_no_plan():
    assert "no plan" in tables.plan_table(_result("red_flag_pat")).text


def test_direction_table_sam_and_lee_opposite():
    """Sam (flexion painful) gets extension mobility; Lee (extension painful) gets flexion."""
    sam, lee = _result("runner_sam"), _result("desk_worker_lee")
    table = tables.direction_table(sam, lee)
    sam_line, lee_line = table.text.splitlines()
    assert "painful flexion" in sam_line and "(toward extension)" in sam_line
    assert "painful extension" in lee_line and "(toward flexion)" in lee_line
    assert sam_line.endswith("clash: none") and lee_line.endswith("clash: none")
    seated = next(e.name for e in reference.exercises() if e.id == "seated_toe_touch")
    assert seated in sam_line.split("added:")[0]


def test_direction_table_carries_educational_notice():
    """It recommends mobility with doses, so it says educational, never diagnostic."""
    table = tables.direction_table(_result("runner_sam"))
    assert html.escape(EDUCATIONAL_NOTICE) in table.html


def test_direction_table_referral_adds_nothing():
    """During a referral the column offers no mobility and says training is on hold."""
    res = _max_with_red_flag()
    table = tables.direction_table(_result("runner_sam"), res)
    sam_line, max_line = table.text.splitlines()
    assert "toward extension" in sam_line
    assert f"added: {tables.ON_HOLD_ADDED};" in max_line
    assert html.escape(tables.ON_HOLD_ADDED) in table.html


def test_whatif_table_sam_rows_and_note():
    changes = what_if(load_example("runner_sam"))
    table = tables.whatif_table(changes)
    assert len(table.text.splitlines()) == len(changes)
    assert html.escape(MEDICAL_ONLY_NOTE) in table.html
    assert "A teaching aid about cut-offs, not a training goal." in table.html
    assert html.escape(EDUCATIONAL_NOTICE) in table.html


def test_whatif_table_empty():
    assert "No single change" in tables.whatif_table(()).text


def test_progress_table_side_bridge_within_error():
    """Sam's case (data/cases/runner_sam.json): side bridge steps within the side bridge's
    MDC95 of 30.5 s (typical error 11 s, Juan-Recio et al. 2022; Weir 2005)."""
    results = lbp.load_case("runner_sam").results
    steps = progress_summary(results, "side_bridge_s", "left")
    table = tables.progress_table(steps)
    assert len(table.text.splitlines()) == len(steps)
    assert all(ln.endswith("within measurement error") for ln in table.text.splitlines())
    assert "MDC95 30.5 s" in table.html and "smallest real change" in table.html


def test_tables_escape_learner_text():
    """A client id or exercise name with markup is shown as text, never as HTML."""
    res = _result("runner_sam")
    evil = "<script>alert(1)</script>"
    bad = type(res)(**{**res.__dict__, "client_id": evil})
    table = tables.direction_table(bad)
    assert "<script>" not in table.html and html.escape(evil) in table.html
    change = Change("notes", evil, "", 1, 2, 1, (evil,))
    assert "<script>" not in tables.whatif_table([change]).html


def test_link_only_links_web_addresses():
    out = tables._link("see https://x.org/a?b=1&c=2; <i>")
    assert out.count("<a ") == 1 and "&lt;i&gt;" in out and "https://x.org/a?b=1&amp;c=2" in out


@pytest.mark.parametrize("name", ["red_flag_table", "trigger_table", "assessment_table",
                                  "asymmetry_table"])
def test_tables_exported_lazily(name):
    assert getattr(lbp, name) is getattr(tables, name)
    assert re.search(r"<table", getattr(lbp, name)()._repr_html_())


def test_why_words_sam_hamstring_stretch():
    """Sam's stretch is chosen for his SLR and AKE readings (example runner_sam), named in words
    from the structured reason (no string is parsed back)."""
    from lbp_workbook.views import wording

    res = _result("runner_sam")
    stretch = next(e for e in res.exercises if e.kind == "flexibility")
    assert [w.kind for w in stretch.why] == ["finding"] and stretch.why[0].focus_area == "hamstrings"
    words = wording.reasons(stretch.why)
    assert "slr_deg" not in words and "Passive straight-leg raise, left 62 deg (short: below 80)" in words
    assert "_" not in words


def test_reference_point_table_gives_population_mean_and_values_by_sex():
    """Each flexibility cut-off as a screening reference point with its population: SLR 61
    deg in 30 men (Gajdosik et al. 1993), women about 8 deg more (Youdas et al. 2005); AKE
    23.4 / 33 deg with means 13.4 / 17.8 (Yildirim et al. 2018); hip IR 35.2 prone and 37.9
    seated (Kouyoumdjian et al. 2012)."""
    table = tables.reference_point_table()
    lines = {line.split(":")[0]: line for line in table.text.splitlines()}
    assert set(lines) == {t.name for t in reference.assessment_tests()
                          if t.cutoff is not None and t.section == "flexibility"}
    slr = lines["Passive straight-leg raise"]
    assert "short below 80 deg" in slr and "61 ± 6.7 deg (Gajdosik et al. 1993)" in slr
    assert "about 8 deg more" in slr and "Youdas et al. 2005" in slr
    ake = lines["Active knee extension (90-90)"]
    assert "women: short above 23.4 deg (average 13.4 ± 6 deg)" in ake
    assert "men: short above 33 deg (average 17.8 ± 9.1 deg)" in ake
    ir = lines["Hip internal rotation"]
    assert "lying face down (prone): 35.2 deg" in ir and "sitting (seated): 37.9 deg" in ir
    assert "screening reference point" in table.html and "source" in table.html
    assert "_" not in re.sub(r"<[^>]+>|https?://\S+", "", table.html).replace("lbp-table", "")


def test_findings_reference_table_says_whose_reference_point_each_reading_used():
    """runner_sam is recorded male: AKE against the value for men (33 deg, Yildirim et al.
    2018), SLR against the one value for everyone (80 deg), hip rotation measured prone."""
    text = tables.findings_reference_table(lbp.assess(load_example("runner_sam"))).text
    assert ("Active knee extension (90-90) (left): 32 deg, within (reference point: short above 33 deg; "
            "reference point for men (Yıldırım et al. 2018))") in text
    assert "Passive straight-leg raise (left): 62 deg, short by 18 deg" in text
    assert "measured lying face down (prone)" in text
