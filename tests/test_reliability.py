"""Value tests of lbp_workbook.engine.reliability against published worked examples."""

import math

import pytest

from lbp_workbook.engine import reliability as rel

# Shrout PE, Fleiss JL 1979, Psychol Bull 86(2):420-428, Table 2: six targets
# (rows) rated by four judges (columns).
SHROUT_FLEISS_TABLE_2 = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]


def test_mean_squares_match_shrout_fleiss_table_1_analysis():
    # Shrout & Fleiss 1979, their analysis of variance of the Table 2 data:
    # BMS 11.24, WMS 6.26, JMS 32.49, EMS 1.02.
    ms = rel.mean_squares(SHROUT_FLEISS_TABLE_2)
    assert (ms.n, ms.k) == (6, 4)
    assert round(ms.bms, 2) == 11.24
    assert round(ms.wms, 2) == 6.26
    assert round(ms.jms, 2) == 32.49
    assert round(ms.ems, 2) == 1.02


@pytest.mark.parametrize("form, published", [
    # Shrout & Fleiss 1979: the six ICCs they report for the Table 2 data.
    ("ICC(1,1)", 0.17), ("ICC(2,1)", 0.29), ("ICC(3,1)", 0.71),
    ("ICC(1,k)", 0.44), ("ICC(2,k)", 0.62), ("ICC(3,k)", 0.91),
])
def test_icc_matches_shrout_fleiss_worked_example(form, published):
    result = rel.icc(SHROUT_FLEISS_TABLE_2, form)
    assert round(result.value, 2) == published
    assert result.form.form == form
    assert "Shrout & Fleiss 1979" in result.form.source
    assert "Koo & Li 2016" in result.form.source


def test_icc_names_the_model_as_koo_and_li():
    assert rel.icc(SHROUT_FLEISS_TABLE_2).form.model == (
        "two-way random effects, absolute agreement, single rater")


def test_sem_of_two_trials_is_sd_of_differences_over_root_two():
    # Weir 2005: SEM = sqrt(MSE); with two trials that equals SD(diff) / sqrt(2).
    first, second = [40, 52, 61, 70, 35], [43, 50, 66, 69, 38]
    table = list(zip(first, second))
    ba = rel.bland_altman(first, second)
    assert rel.sem_from_table(table) == pytest.approx(ba.sd_difference / math.sqrt(2))


def test_mdc95_is_196_root_two_sem():
    # Weir 2005: MDC95 = 1.96 x sqrt(2) x SEM; 1.96 x 1.4142 x 2.6 = 7.21.
    assert rel.mdc95(2.6) == pytest.approx(7.2068, abs=1e-3)


def test_bland_altman_limits():
    # Hand computed: differences 2, -1, 3 -> mean 1.333, SD 2.082,
    # limits 1.333 -/+ 1.96 x 2.082 = -2.747 and 5.414 (Bland & Altman 1986).
    ba = rel.bland_altman([10, 20, 30], [12, 19, 33])
    assert ba.n == 3
    assert ba.means == (11.0, 19.5, 31.5)
    assert ba.bias == pytest.approx(4 / 3)
    assert ba.lower == pytest.approx(-2.747, abs=1e-3)
    assert ba.upper == pytest.approx(5.414, abs=1e-3)


@pytest.mark.parametrize("table, words", [
    ([[1, 2]], "at least 2 are needed"),
    ([[1], [2]], "at least 2 are needed"),
    ([[1, 2], [3]], "person 2 has 1 readings"),
    ([[1, 2], [3, float("nan")]], "not a number"),
])
def test_bad_tables_are_refused_clearly(table, words):
    with pytest.raises(ValueError, match=words):
        rel.icc(table)


def test_unknown_form_is_refused():
    with pytest.raises(ValueError, match="ICC form"):
        rel.icc(SHROUT_FLEISS_TABLE_2, "ICC(4,1)")
