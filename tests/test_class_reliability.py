"""The class reliability lab: rater/trial columns, pairs, and our figures beside the paper's."""

import math

from lbp_workbook.course import class_reliability as lab
from lbp_workbook.engine import reliability as rel
from lbp_workbook.engine.reference import assessment_test
from lbp_workbook.engine.storage import read_csv_rows

HEADER = "client.id,rater,trial,flexibility.slr_deg.left\n"


def _write(tmp_path, body, header=HEADER):
    path = tmp_path / "class.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_rater_and_trial_are_not_unknown_columns_and_come_back_per_record(tmp_path):
    path = _write(tmp_path, "p1,ann,1,70\np1,bob,2,74\np2,ann,1,400\n")
    extras = []
    records, problems = read_csv_rows(path, extra_columns=("rater", "trial"), extras=extras)
    assert len(records) == 2 and extras == [{"rater": "ann", "trial": "1"},
                                            {"rater": "bob", "trial": "2"}]
    assert [p.row for p in problems] == [4]  # the 400 deg reading, not the extra columns
    plain_records, plain_problems = read_csv_rows(path)
    assert {p.column for p in plain_problems if p.row == 1} == {"rater", "trial"}


def test_pairs_give_the_engine_figures(tmp_path):
    rows = [("p1", 70, 74), ("p2", 80, 79), ("p3", 62, 66), ("p4", 90, 88)]
    body = "".join(f"{p},ann,1,{a}\n{p},bob,2,{b}\n" for p, a, b in rows)
    (result,) = lab.class_reliability(lab.load_reliability_csv(_write(tmp_path, body)))
    pairs = [(a, b) for _, a, b in rows]
    assert result.test == "slr_deg" and result.side == "left" and result.n_pairs == 4
    assert result.design == "two raters"
    assert math.isclose(result.sem, rel.sem_from_table(pairs))
    assert math.isclose(result.mdc95, rel.mdc95(result.sem))
    assert math.isclose(result.icc.value, rel.icc(pairs, "ICC(2,1)").value)
    assert result.agreement.differences == (4.0, -1.0, 4.0, -2.0)
    published = assessment_test("slr_deg").measurement_error
    assert result.published_sem == published.sem and result.published_mdc95 == published.mdc95


def test_trial_orders_the_pair_and_one_rater_twice_is_named(tmp_path):
    body = "p1,ann,2,74\np1,ann,1,70\np2,ann,1,80\np2,ann,2,79\np3,ann,1,60\np3,ann,2,61\n"
    (result,) = lab.class_reliability(lab.load_reliability_csv(_write(tmp_path, body)))
    assert result.design == "one rater twice"
    assert result.agreement.differences == (4.0, -1.0, 1.0)


def test_fewer_than_three_pairs_is_not_analysed(tmp_path):
    body = "p1,ann,1,70\np1,bob,2,74\np2,ann,1,80\np2,bob,2,79\np3,ann,1,60\n"
    assert lab.class_reliability(lab.load_reliability_csv(_write(tmp_path, body))) == ()


def test_example_file_class_error_is_bigger_than_the_papers():
    data = lab.load_reliability_csv(lab.reliability_example_path())
    assert len(data.records) == 24 and data.problems == ()
    rows = lab.class_reliability(data)
    slr = [r for r in rows if r.test == "slr_deg"]
    assert len(slr) == 2 and all(r.ratio_to_published > 1 for r in slr)


def test_chart_alt_text_says_what_it_shows():
    row = lab.class_reliability(lab.load_reliability_csv(lab.reliability_example_path()))[0]
    image = lab.bland_altman_chart(row)
    assert image.png.startswith(b"\x89PNG")
    assert "Bland-Altman chart of the passive straight-leg raise, left" in image.alt
    assert f"{row.agreement.lower:.1f} to {row.agreement.upper:.1f} deg" in image.alt
    assert 'alt="Bland-Altman' in image._repr_html_()
