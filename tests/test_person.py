"""The person behind the back: record fields, suggestions, the PSFS rule, session advice."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from lbp_workbook import assess
from lbp_workbook.engine.examples import load_example
from lbp_workbook.engine.person import (
    psfs_change,
    psfs_rule,
    section,
    session_advice,
    suggestions,
    yellow_flags,
)
from lbp_workbook.engine.record import RecordError, validate_record


def _rec(**sections):
    return {"schema": "lbp-assessment/1", "client": {"id": "p1"}, **sections}


def _raw():
    return json.loads((resources.files("lbp_workbook") / "data" / "person.json").read_text("utf-8"))


# ----------------------------------------------------------------- data


def test_person_data_every_rule_has_source_and_evidence():
    """Each rule block and each yellow flag of data/person.json is sourced and tagged."""
    data = _raw()
    blocks = [data["distress"], data["psfs"], data["traffic_light"], data["flare_plan"],
              data["return_to_activity"], data["start_back"], data["conversations"],
              *data["yellow_flags"]]
    for block in blocks:
        assert block["source"].strip()
        assert block["evidence"] in ("V", "V2", "C", "synthesis", "teaching_choice")


def test_psfs_rule_values_from_stratford_1995():
    """Stratford et al. 1995 (Physiotherapy Canada 47:258): up to 5 activities, 0-10 each;
    smallest real change about 2 points for the average, 3 for one activity."""
    rule = psfs_rule()
    assert rule.max_activities == 5
    assert (rule.score_min, rule.score_max) == (0, 10)
    assert (rule.mdc_average_points, rule.mdc_single_points) == (2, 3)
    assert "Stratford" in rule.source and "47" in rule.source


def test_start_back_text_has_no_items_and_keeps_the_licence():
    """Keele's terms (Hill et al. 2008): the workbook shows no items or scorer, and says
    whose tool it is and that the items may not be changed."""
    sb = section("start_back")
    assert "Keele University" in sb["licence"] and "may not be changed" in sb["licence"]
    assert "does not reproduce the items" in sb["licence"]


# ----------------------------------------------------------------- record


def test_validate_record_psfs_and_psychosocial_valid():
    rec = validate_record(_rec(
        function={"psfs": [{"activity": "run 5 km", "score": 4},
                           {"activity": "lift my daughter", "score": 6.5}]},
        psychosocial={"fear_of_movement": True, "distress_high": False},
    ))
    out = rec.to_dict()
    assert out["function"]["psfs"][1] == {"activity": "lift my daughter", "score": 6.5}
    assert out["psychosocial"] == {"fear_of_movement": True, "distress_high": False}
    assert validate_record(out) == rec


def test_validate_record_older_record_reads_as_before():
    """A record without the new sections gives the same to_dict as before they existed."""
    out = validate_record(load_example("golfer_kim")).to_dict()
    assert "function" not in out and "psychosocial" not in out


@pytest.mark.parametrize(
    ("sections", "path", "words"),
    [
        ({"function": {"psfs": [{"activity": "run", "score": 11}]}},
         "function.psfs.0.score", "0–10"),
        ({"function": {"psfs": [{"activity": "  ", "score": 3}]}},
         "function.psfs.0.activity", "1–80 characters"),
        ({"function": {"psfs": [{"activity": "run"}]}}, "function.psfs.0.score", "missing"),
        ({"function": {"psfs": [{"activity": f"a{i}", "score": 1} for i in range(6)]}},
         "function.psfs", "up to 5"),
        ({"psychosocial": {"fear_of_movement": "yes"}}, "psychosocial.fear_of_movement",
         "true or false"),
        ({"psychosocial": {"anger": True}}, "psychosocial.anger", "unknown field"),
        ({"function": {"psfs": [{"activity": "run\nReferral: not needed", "score": 2}]}},
         "function.psfs.0.activity", "not valid"),
    ],
)
def test_validate_record_person_sections_invalid(sections, path, words):
    with pytest.raises(RecordError) as info:
        validate_record(_rec(**sections))
    problem = info.value.problems[0]
    assert problem.path == path
    assert words in problem.message or words in problem.accepted


# ----------------------------------------------------------------- suggestions


def test_suggestions_distress_high_suggests_clinician_never_refers():
    """distress_high adds one suggestion; referral, phase and plan are those of the record
    without it (yellow flags never hold training: a teaching choice after Nicholas et al.
    2011)."""
    base = load_example("runner_sam")
    with_distress = {**base, "psychosocial": {"distress_high": True, "low_mood": True}}
    before, after = assess(base), assess(with_distress)
    assert [s.id for s in after.suggestions] == ["distress_high"]
    assert "clinician" in after.suggestions[0].text
    assert after.referral == before.referral and not after.referral.needed
    assert after.phase == before.phase and after.exercises == before.exercises
    assert after.to_dict()["suggestions"][0]["id"] == "distress_high"


def test_suggestions_yellow_flags_alone_give_none():
    every = {f.id: True for f in yellow_flags()}
    assert suggestions({"psychosocial": every}) == ()
    res = assess(_rec(psychosocial=every))
    assert res.suggestions == () and not res.referral.needed


# ----------------------------------------------------------------- PSFS change


def _psfs(*scores):
    return {"function": {"psfs": [{"activity": f"a{i}", "score": s}
                                  for i, s in enumerate(scores)]}}


@pytest.mark.parametrize(
    ("before", "after", "verdict"),
    [
        ((3, 4), (6, 5), "within_measurement_error"),  # +2.0 average: not beyond 2 points
        ((3, 4), (6, 6), "improved"),  # +2.5
        ((6, 6), (3, 4), "worse"),  # -2.5
        ((5,), (5,), "no_change"),
        ((5,), (6,), "within_measurement_error"),
    ],
)
def test_psfs_change_against_smallest_real_change(before, after, verdict):
    """Stratford et al. 1995: the average score must change by more than about 2 points."""
    change = psfs_change(_psfs(*before), _psfs(*after))
    assert change.verdict == verdict
    assert change.mdc_points == 2


def test_psfs_change_needs_both_visits():
    assert psfs_change({}, _psfs(4)) is None
    assert psfs_change(_psfs(4), {"function": {"psfs": []}}) is None


# ----------------------------------------------------------------- session advice


@pytest.mark.parametrize(
    ("during", "settled", "zone"),
    [(0, True, "green"), (3, True, "green"), (4, True, "amber"), (5, True, "amber"),
     (6, True, "red"), (10, True, "red"), (2, False, "red"), (5, False, "red")],
)
def test_session_advice_traffic_light_zones(during, settled, zone):
    """Zones as in data/person.json (clinic pain-monitoring pages; limits our teaching
    choice): up to 3 green, 4-5 amber, 6+ red; not settled by next morning = red."""
    advice = session_advice(during, settled_next_morning=settled)
    assert advice.zone == zone and not advice.stop_and_refer


def test_session_advice_leg_symptoms_stop_and_refer():
    advice = session_advice(1, settled_next_morning=True, leg_symptoms=True)
    assert advice.stop_and_refer and "refer" in advice.advice


# ----------------------------------------------------------------- the app's tab


def _app(tmp_path, record=None):
    from lbp_workbook.engine.storage import ClientStore
    from lbp_workbook.views.widgets.app import assessment_app

    return assessment_app(record=record, store=ClientStore(tmp_path / "clients"))


def test_assessment_app_person_tab_fields_reach_the_record(tmp_path):
    """Ticking a yellow flag and typing two PSFS rows puts them in the record the engine
    assesses; the phase is the one without them."""
    app = _app(tmp_path)
    titles = [app.tabs.get_title(i) for i in range(len(app.tabs.children))]
    assert titles[-1] == "6 · Function and the person"
    phase = app.result.phase
    assert app.psfs.activities[0].value == "tie my shoes"  # Sam's own PSFS, loaded
    app.psfs.activities[1].value = app.psfs.scores[1].value = ""  # cleared row: left out
    app.controls["psychosocial.fear_of_movement"].value = True
    app.psfs.activities[0].value = "run 5 km"
    app.psfs.scores[0].value = "4"
    app.psfs.activities[2].value = "lift my daughter"
    app.psfs.scores[2].value = "6,5"
    assert app.record["psychosocial"] == {"fear_of_movement": True}
    assert app.record["function"]["psfs"] == [{"activity": "run 5 km", "score": 4},
                                               {"activity": "lift my daughter", "score": 6.5}]
    for i in range(3):
        app.psfs.activities[i].value = app.psfs.scores[i].value = ""
    assert "function" not in app.record  # every row cleared: no PSFS
    assert app.result.phase == phase and app.suggest.value == ""


def test_assessment_app_person_tab_distress_shows_suggestion_not_referral(tmp_path):
    app = _app(tmp_path)
    app.controls["psychosocial.distress_high"].value = True
    assert "Suggestion (not a referral)" in app.suggest.value
    assert "clinician" in app.suggest.value
    assert not app.result.referral.needed and app.result.phase is not None
    app.controls["screening.red_flags"].value = ("saddle_numbness",)
    assert app.result.referral.needed and app.suggest.value == ""  # the referral wins


def test_assessment_app_person_tab_bad_score_message_beside_its_row(tmp_path):
    """A score of 12 on row 3 (the only row used) is reported beside row 3, with the
    range; 'lots' is reported as not a number; the other entries stay."""
    app = _app(tmp_path, {**load_example("runner_sam"), "function": {"psfs": []}})
    slr = app.controls["flexibility.slr_deg.left"].value
    app.psfs.activities[2].value = "garden"
    app.psfs.scores[2].value = "12"
    assert "PSFS activity 3" in app.psfs.messages[2].value
    assert "0–10" in app.psfs.messages[2].value or "0-10" in app.psfs.messages[2].value
    assert app.psfs.messages[0].value == ""
    app.psfs.scores[2].value = "lots"
    assert "not a number" in app.psfs.messages[2].value
    assert app.controls["flexibility.slr_deg.left"].value == slr
    assert app.psfs.activities[2].value == "garden"  # the learner's entry is kept
    app.psfs.scores[2].value = "7"
    assert app.psfs.messages[2].value == ""
    assert app.record["function"]["psfs"] == [{"activity": "garden", "score": 7}]


def test_assessment_app_person_tab_loads_and_saves_psfs(tmp_path):
    """A record with PSFS and yellow flags loads into the tab and saves unchanged."""
    rec = {**load_example("runner_sam"),
           "function": {"psfs": [{"activity": "run 10 km", "score": 3}]},
           "psychosocial": {"work_concerns": True}}
    app = _app(tmp_path, rec)
    assert app.psfs.activities[0].value == "run 10 km" and app.psfs.scores[0].value == "3"
    assert app.controls["psychosocial.work_concerns"].value is True
    app.save()
    saved = app.store.history(rec["client"]["id"])[-1]
    assert saved["function"] == {"psfs": [{"activity": "run 10 km", "score": 3.0}]}
    assert saved["psychosocial"] == {"work_concerns": True}


def test_export_csv_psfs_round_trips(tmp_path):
    """A record with a PSFS list and yellow flags comes back from CSV unchanged; the
    number of PSFS column pairs is the PSFS's own limit (Stratford et al. 1995: 5)."""
    from lbp_workbook.engine.storage import csv_columns, export_csv, import_csv

    names = [c.name for c in csv_columns()]
    assert f"function.psfs.{psfs_rule().max_activities}.score" in names
    assert f"function.psfs.{psfs_rule().max_activities + 1}.score" not in names
    rec = validate_record({**load_example("runner_sam"),
                           "psychosocial": {"low_mood": True, "distress_high": False}}).to_dict()
    back = import_csv(export_csv([rec], tmp_path / "x.csv"))[0]
    assert validate_record(back) == validate_record(rec)


def test_case_card_shows_the_person_and_hides_suggestion_during_referral():
    """Noor's cards (data/cases/teacher_noor.json): her PSFS and the yellow flags noted at
    each visit; at her referral visit the distress suggestion is not shown (the referral
    says what to do)."""
    from lbp_workbook.course.cases import load_case

    noor = load_case("teacher_noor")
    first, last = noor.card(0).text, noor.card(len(noor.dates) - 1).text
    assert "kneel to help a pupil at a low desk" in first and "worries about work" in first
    assert noor.results[-1].referral.needed and noor.results[-1].suggestions
    assert "seems highly distressed" in last and "Suggestion (not a referral)" not in last


# ----------------------------------------------------------------- progress and the summary


def test_reassess_psfs_change_beside_range_of_motion():
    """Sam's case (data/cases/runner_sam.json): the average PSFS rises 4.7 -> 6.3 (within the
    2-point smallest real change of Stratford et al. 1995), then 6.3 -> 8.7 (beyond it)."""
    from lbp_workbook.course.cases import load_case
    from lbp_workbook.engine.progress import PSFS_PATH

    first, second = load_case("runner_sam").decisions
    c1, c2 = first.change(PSFS_PATH), second.change(PSFS_PATH)
    assert c1.verdict == "within_measurement_error" and not c1.exceeds_measurement_error
    assert c2.verdict == "improved" and c2.exceeds_measurement_error
    assert c2.measurement_error == psfs_rule().mdc_average_points
    assert "cannot be told apart from measurement noise" in c1.text
    assert "Patient-Specific Functional Scale" in second.summary()
    assert second.to_dict()["changes"][-1]["path"] == PSFS_PATH


def test_reassess_without_psfs_has_no_function_change():
    from lbp_workbook.engine.progress import PSFS_PATH, reassess

    before, after = load_example("golfer_kim"), dict(load_example("golfer_kim"), date="2027-01-01")
    assert all(c.path != PSFS_PATH for c in reassess(before, after).changes)


def test_summary_html_shows_the_psfs_when_recorded():
    from lbp_workbook.views.report import summary_html

    page = summary_html(load_example("runner_sam"))
    assert "tie my shoes 4" in page and "average 4.7" in page
    assert "tie my shoes" not in summary_html(load_example("golfer_kim"))
