"""Flexibility findings, focus areas and asymmetries.

Expected cut-offs: domain.md section 1a as fixed in the assessment-engine
issue (SLR < 80 deg, AKE deficit > 20 deg, Thomas hip > 0 deg, Thomas knee
< 80 deg, hip IR < 30 deg, hip ER < 40 deg, Schober < 5 cm; at the cut-off
= normal). Asymmetry limits: domain.md section 1b.
"""

from __future__ import annotations

import pytest

from lbp_workbook.engine import reference
from lbp_workbook.engine.record import validate_record
from lbp_workbook.engine.rules.flexibility import (
    asymmetries,
    classify,
    flexibility_findings,
    focus_areas,
    side_difference,
)

CUTOFFS = {  # test: (cut-off, deficient direction, focus area) from the issue text
    "slr_deg": (80, "below", "hamstrings"),
    "ake_deficit_deg": (20, "above", "hamstrings"),
    "thomas_hip_deg": (0, "above", "hip_flexors"),
    "thomas_knee_deg": (80, "below", "hip_flexors"),
    "hip_ir_deg": (30, "below", "hip_lateral_rotators"),
    "hip_er_deg": (40, "below", "hip_medial_rotators"),
    "schober_cm": (5, "below", "lumbar_mobility"),
}


def rec(flex):
    return validate_record({"schema": "lbp-assessment/1", "client": {"id": "a"}, "flexibility": flex})


def one(test_id, value, side="left"):
    t = reference.assessment_test(test_id)
    flex = {test_id: {side: value} if t.side_specific else value}
    (finding,) = flexibility_findings(rec(flex))
    return finding


@pytest.mark.parametrize("test_id", sorted(CUTOFFS))
def test_flexibility_findings_exactly_at_cutoff_is_normal(test_id):
    cutoff, _, area = CUTOFFS[test_id]
    f = one(test_id, cutoff)
    assert (f.status, f.deficit, f.cutoff, f.focus_area) == ("normal", 0.0, cutoff, area)


@pytest.mark.parametrize("test_id", sorted(CUTOFFS))
def test_flexibility_findings_just_past_cutoff_is_deficient(test_id):
    cutoff, when, area = CUTOFFS[test_id]
    step = 0.5
    value = cutoff - step if when == "below" else cutoff + step
    f = one(test_id, value)
    assert f.status == "deficient" and f.deficit == pytest.approx(step)
    assert f.deficient_when == when and f.focus_area == area
    assert focus_areas((f,)) == (area,)


@pytest.mark.parametrize("test_id", sorted(CUTOFFS))
def test_flexibility_findings_on_the_normal_side(test_id):
    cutoff, when, _ = CUTOFFS[test_id]
    value = cutoff + 3 if when == "below" else cutoff - 3
    f = one(test_id, value)
    assert f.status == "normal" and f.deficit == 0.0
    assert focus_areas((f,)) == ()


def test_flexibility_findings_carry_rule_inputs_source():
    """SLR 62 deg left (running example, docs/architecture.md): 18 deg short of 80."""
    f = one("slr_deg", 62)
    assert f.inputs == {"flexibility.slr_deg.left": 62}
    assert f.deficit == 18 and f.unit == "deg" and f.side == "left"
    assert "80" in f.rule and f.source == reference.assessment_test("slr_deg").source
    assert f.evidence == "V"


def test_flexibility_findings_negative_thomas_hip_is_normal():
    """Thigh below horizontal (negative angle) is normal in the modified Thomas test."""
    f = one("thomas_hip_deg", -15)
    assert f.status == "normal"


def test_flexibility_findings_one_per_side_and_schober_has_no_side():
    findings = flexibility_findings(rec({"slr_deg": {"left": 60, "right": 90}, "schober_cm": 3}))
    assert [(f.test, f.side, f.status) for f in findings] == [
        ("slr_deg", "left", "deficient"), ("slr_deg", "right", "normal"),
        ("schober_cm", None, "deficient"),
    ]


def test_flexibility_findings_measurement_error_attached():
    """Thomas knee SEM 7 deg (Peeler & Anderson 2008); SLR SEM 2.6 deg and AKE SEM 2.9 deg
    (J Sport Rehabil 2015, 24(4), doi:10.1123/jsr.2014-0220); MDC95 = 1.96 x sqrt(2) x SEM
    (Weir 2005): 19.4, 7.2 and 8.0 deg; none for hip rotation."""
    f = one("thomas_knee_deg", 70)
    assert (f.sem, f.mdc95) == (7, 19.4) and "Peeler" in f.measurement_error_source
    f = one("slr_deg", 70)
    assert (f.sem, f.mdc95) == (2.6, 7.2) and "Weir" in f.measurement_error_source
    f = one("ake_deficit_deg", 30)
    assert (f.sem, f.mdc95) == (2.9, 8.0)
    f = one("hip_ir_deg", 20)
    assert (f.sem, f.mdc95, f.within_error_of_cutoff, f.measurement_error_source) == (None,) * 4


@pytest.mark.parametrize("value, near", [(80, True), (93.7, True), (66.3, True), (94, False), (66, False)])
def test_within_error_of_cutoff_uses_1_96_sem(value, near):
    """One reading near a cut-off: within measurement error of it when the cut-off lies
    inside reading +/- 1.96 x SEM (Weir 2005), not the MDC95. Thomas knee SEM 7 deg (Peeler
    & Anderson 2008): band +/- 13.7 deg round the 80 deg reference point."""
    assert one("thomas_knee_deg", value).within_error_of_cutoff is near


def test_within_error_of_cutoff_slr_sem():
    """SLR SEM 2.6 deg (J Sport Rehabil 2015, doi:10.1123/jsr.2014-0220): band +/- 5.1 deg.
    75 deg is within measurement error of the 80 deg point; 74 deg is not; hip rotation
    has no known error (None)."""
    assert one("slr_deg", 75).within_error_of_cutoff is True
    assert one("slr_deg", 74).within_error_of_cutoff is False
    assert one("hip_ir_deg", 29).within_error_of_cutoff is None


def test_focus_areas_sorted_without_repeats():
    findings = flexibility_findings(rec({
        "schober_cm": 2, "slr_deg": {"left": 50, "right": 50}, "ake_deficit_deg": {"left": 40},
        "hip_er_deg": {"right": 10}, "hip_ir_deg": {"left": 10}, "thomas_hip_deg": {"left": 10},
    }))
    assert focus_areas(findings) == (
        "hamstrings", "hip_flexors", "hip_lateral_rotators", "hip_medial_rotators", "lumbar_mobility",
    )


def test_classify_requires_a_cutoff():
    with pytest.raises(ValueError):
        classify(reference.assessment_test("flexor_s"), 10)


# ---------------------------------------------------------------- asymmetry


def test_asymmetry_percent_exactly_at_limit_is_not_flagged():
    """NSCA ch. 11 (Burkhart 2003): sides within 10 % of the larger side; 90 vs 100 is exactly 10 %."""
    assert asymmetries(rec({"slr_deg": {"left": 90, "right": 100}})) == ()


def test_asymmetry_percent_just_over_limit():
    (a,) = asymmetries(rec({"slr_deg": {"left": 89.5, "right": 100}}))
    assert (a.test, a.left, a.right, a.threshold, a.threshold_unit) == ("slr_deg", 89.5, 100, 10, "%")
    assert a.difference == pytest.approx(10.5) and a.percent_of_larger == pytest.approx(10.5)
    assert a.evidence == "V2"
    # SLR MDC95 7.2 deg (SEM 2.6, J Sport Rehabil 2015; Weir 2005): 10.5 deg is larger than it
    assert (a.mdc95, a.exceeds_measurement_error) == (7.2, True)
    assert a.inputs == {"flexibility.slr_deg.left": 89.5, "flexibility.slr_deg.right": 100}


@pytest.mark.parametrize("test_id", ["hip_ir_deg", "hip_er_deg"])
def test_asymmetry_hip_rotation_10_deg(test_id):
    """Ellison, Rose & Sahrmann 1990: hip rotation sides equal within 10 deg."""
    assert asymmetries(rec({test_id: {"left": 30, "right": 40}})) == ()
    (a,) = asymmetries(rec({test_id: {"left": 29, "right": 40}}))
    assert a.difference == 11 and a.threshold_unit == "deg" and "Ellison" in a.source


@pytest.mark.parametrize("test_id", ["ake_deficit_deg", "thomas_hip_deg"])
def test_asymmetry_teaching_choice_10_deg(test_id):
    """10 deg for AKE and Thomas hip is a teaching choice (says so in its evidence)."""
    assert asymmetries(rec({test_id: {"left": -5 if "thomas" in test_id else 5, "right": 5 if "thomas" in test_id else 15}})) == ()
    (a,) = asymmetries(rec({test_id: {"left": 0, "right": 10.5}}))
    assert a.evidence == "teaching_choice" and "teaching choice" in a.source.lower()


def test_asymmetry_thomas_knee_compared_with_mdc95():
    """Thomas knee: 10 % rule (NSCA) and SEM 7 deg (Peeler & Anderson 2008), so the smallest
    real difference is MDC95 = 1.96 x sqrt(2) x 7 = 19.4 deg (Weir 2005): a 12 deg
    difference is flagged by the 10 % rule but cannot be told apart from noise; 20 deg can."""
    (a,) = asymmetries(rec({"thomas_knee_deg": {"left": 70, "right": 82}}))
    assert a.difference == 12 and (a.sem, a.mdc95) == (7, 19.4) and a.exceeds_measurement_error is False
    (b,) = asymmetries(rec({"thomas_knee_deg": {"left": 60, "right": 80}}))
    assert b.difference == 20 and b.exceeds_measurement_error is True


def test_asymmetry_slr_compared_with_mdc95():
    """SLR: 10 % rule (NSCA) and SEM 2.6 deg (J Sport Rehabil 2015, 24(4)), MDC95 7.2 deg
    (Weir 2005): 60 / 67 deg differ by 10.4 % (flagged) but only by 7 deg, not larger than
    the MDC95; 60 / 68 deg differ by 8 deg, which is."""
    (a,) = asymmetries(rec({"slr_deg": {"left": 60, "right": 67}}))
    assert a.difference == 7 and a.mdc95 == 7.2 and a.exceeds_measurement_error is False
    (b,) = asymmetries(rec({"slr_deg": {"left": 60, "right": 68}}))
    assert b.exceeds_measurement_error is True


def test_asymmetry_needs_both_sides():
    assert asymmetries(rec({"slr_deg": {"left": 40}, "hip_ir_deg": {"right": 5}})) == ()


def test_side_difference_zero_sides():
    assert side_difference(0, 0) == (0.0, 0.0)
    assert side_difference(-10, 10) == (20.0, 200.0)


# --- screening reference points: by sex, pooled fallback, hip rotation position ---------


def rec_with(flex, sex=None):
    client = {"id": "a"} if sex is None else {"id": "a", "sex": sex}
    return validate_record({"schema": "lbp-assessment/1", "client": client, "flexibility": flex})


def _ake(value, sex):
    (finding,) = flexibility_findings(rec_with({"ake_deficit_deg": {"left": value}}, sex))
    return finding


@pytest.mark.parametrize("sex, cutoff, mean", [("male", 33.0, 17.8), ("female", 23.4, 13.4)])
def test_flexibility_findings_ake_uses_the_value_for_the_clients_sex(sex, cutoff, mean):
    """Yildirim et al. 2018 (Balkan Med J 35:388, abstract): AKE "short" above 33.0 deg in
    men and 23.4 deg in women (means 17.8 and 13.4 deg); at the cut-off is normal."""
    at, past = _ake(cutoff, sex), _ake(cutoff + 0.5, sex)
    assert (at.status, at.cutoff, at.reference_basis) == ("normal", cutoff, sex)
    assert past.status == "deficient" and past.deficit == pytest.approx(0.5)
    assert past.population_mean == mean and past.inputs["client.sex"] == sex
    who = {"male": "men", "female": "women"}[sex]
    assert f"reference point for {who}" in past.reference_words
    assert "Yıldırım et al. 2018" in past.reference_words and past.evidence == "V"
    assert "Yıldırım" in past.source and f"(values for {who})" in past.rule


def test_flexibility_findings_ake_without_sex_falls_back_to_the_pooled_value():
    """Sex not recorded: the pooled 20 deg (Lim 2023, J Korean Phys Ther Sci 30:31), and the
    words say so and name the values for women and men (Yildirim et al. 2018)."""
    f = _ake(22, None)
    assert (f.status, f.cutoff, f.reference_basis) == ("deficient", 20.0, "pooled")
    assert "client.sex" not in f.inputs
    assert "sex is not recorded" in f.reference_words and "23.4" in f.reference_words
    assert "(sex not recorded)" in f.reference_label and "Lim" in f.source


def test_flexibility_findings_same_ake_reading_differs_by_sex():
    """28 deg (Sam's right AKE): past the pooled 20 deg and the 23.4 deg for women,
    inside the 33.0 deg for men (Yildirim et al. 2018)."""
    assert [_ake(28, s).status for s in (None, "female", "male")] == ["deficient", "deficient", "normal"]


def test_flexibility_findings_slr_keeps_one_value_and_says_women_average_more():
    """SLR: one reference point (80 deg, Magee) for women and men; young men averaged 61 deg
    (Gajdosik et al. 1993, JOSPT 18:614) and women about 8 deg more than men (Youdas et al.
    2005, JOSPT 35:246): no verified values by sex, so the client's sex changes nothing."""
    for sex in (None, "female", "male"):
        (f,) = flexibility_findings(rec_with({"slr_deg": {"left": 70}}, sex))
        assert (f.cutoff, f.status, f.reference_basis) == (80.0, "deficient", "pooled")
        assert "61 deg (Gajdosik et al. 1993)" in f.reference_words
        assert "about 8 deg more" in f.reference_words and "Youdas et al. 2005" in f.reference_words
        assert f.reference_label == "one reference point for women and men"


@pytest.mark.parametrize("test_id, position, mean", [
    ("hip_ir_deg", "prone", 35.2), ("hip_ir_deg", "seated", 37.9),
    ("hip_er_deg", "prone", 41.8), ("hip_er_deg", "seated", 40.6),
])
def test_flexibility_findings_hip_rotation_names_position_and_its_mean(test_id, position, mean):
    """Kouyoumdjian et al. 2012 (Orthop Traumatol Surg Res 98:17, abstract), 120 healthy
    adults aged 20-60: IR 35.2 prone / 37.9 seated, ER 41.8 prone; seated ER about 40.6
    (computed: seated total 78.5 minus seated IR 37.9). The cut-off itself is unchanged."""
    flex = {test_id: {"left": 45}, "hip_rotation_position": position}
    (f,) = flexibility_findings(rec_with(flex))
    assert (f.position, f.population_mean) == (position, mean)
    assert f.cutoff == CUTOFFS[test_id][0] and f.inputs["flexibility.hip_rotation_position"] == position
    words = {"prone": "lying face down (prone)", "seated": "sitting (seated)"}[position]
    assert f"Measured {words}" in f.reference_words and "Kouyoumdjian et al. 2012" in f.reference_words
    assert f"measured {words}" in f.reference_label
    if (test_id, position) == ("hip_er_deg", "seated"):
        assert "computed" in f.reference_words


def test_flexibility_findings_hip_rotation_position_not_recorded():
    """An older record without the position: both averages are given (Kouyoumdjian 2012)."""
    (f,) = flexibility_findings(rec_with({"hip_ir_deg": {"left": 33}}))
    assert f.position is None and f.population_mean is None
    assert "Position not recorded" in f.reference_words
    assert "35.2 deg lying face down (prone)" in f.reference_words and "37.9 deg sitting" in f.reference_words
    assert f.reference_label.endswith("; position not recorded")


def test_reference_point_refuses_a_test_without_cutoff():
    from lbp_workbook.engine.rules.flexibility import reference_point

    with pytest.raises(ValueError, match="no deficiency cut-off"):
        reference_point(reference.assessment_test("flexor_s"), "male")


def test_flexibility_findings_reference_words_are_plain():
    """What a learner reads: no field path, rule id, evidence code or underscore."""
    record = rec_with({"ake_deficit_deg": {"left": 30}, "slr_deg": {"left": 70},
                       "hip_ir_deg": {"left": 20}, "hip_rotation_position": "seated"}, "female")
    for f in flexibility_findings(record):
        for text in (f.reference_words, f.reference_label):
            assert "_" not in text and "flexibility." not in text and "client.sex" not in text
