"""Tests of the class-data view (lbp_workbook/course/classdata.py, lbp_workbook/course/class_view.py).

Files are real CSVs in tmp_path (or the shipped synthetic class). Expected
counts and cut-offs are computed here from the engine (``assess`` on the
same records), never typed in, so the tests check that the summary and the
chart show what the engine decided.
"""

from __future__ import annotations

import csv
import datetime
import statistics

import pytest
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from lbp_workbook.course.classdata import (
    ClassData,
    class_data_from_records,
    class_distribution_chart,
    class_example_path,
    class_summary,
    class_tables_html,
    load_class_csv,
)
from lbp_workbook.engine.assessment import assess
from lbp_workbook.engine.examples import list_examples, load_example
from lbp_workbook.engine.storage import StorageError, csv_columns, read_csv_rows
from lbp_workbook.views.plotstyle import PALETTE

XSS = "<img src=x onerror=alert(1)>"
NOW = datetime.datetime(2026, 11, 12, tzinfo=datetime.timezone.utc)


def write_csv(tmp_path, rows, header=("client.id", "flexibility.slr_deg.left",
                                      "flexibility.slr_deg.right"), name="class.csv"):
    path = tmp_path / name
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        if header is not None:
            writer.writerow(header)
        writer.writerows(rows)
    return path


def engine_counts(records, test, side):
    """(values, deficient count, cut-off) of one test and side, straight from assess()."""
    values, bad, cutoff = [], 0, None
    for record in records:
        for f in assess(record).flexibility:
            if f.test == test and f.side == side:
                values.append(f.value)
                bad += f.status == "deficient"
                cutoff = f.cutoff
    return values, bad, cutoff


# ----------------------------------------------------------------- loading


def test_load_class_csv_example_bad_rows_listed_and_skipped():
    """The shipped class: 16 rows, 3 deliberately bad (SLR 400, a word, no client id)."""
    data = load_class_csv(class_example_path())
    assert len(data.records) == 13 and data.bad_rows == (6, 10, 13)
    by_row = {p.row: p for p in data.problems}
    assert by_row[6].column == "flexibility.slr_deg.left" and by_row[6].value == "400"
    assert "outside 0–130 deg" in by_row[6].message
    assert by_row[10].value == "tight" and "expected a number" in by_row[10].message
    assert "client" in by_row[13].message and "missing" in by_row[13].message
    assert data.source == "class_practical.csv"
    # the same records as the workbook's one CSV reader gives
    assert list(data.records) == read_csv_rows(class_example_path())[0]


def test_load_class_csv_uses_export_columns():
    """The example's header is exactly the storage CSV export's columns."""
    with open(class_example_path(), encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header == [c.name for c in csv_columns()]


def test_load_class_csv_all_good(tmp_path):
    path = write_csv(tmp_path, [["a", "60", "85"], ["b", "90", "70"]])
    data = load_class_csv(path)
    assert len(data.records) == 2 and data.problems == () and data.bad_rows == ()


def test_load_class_csv_mixed_rows_keep_good(tmp_path):
    """Bad rows are reported with row, column and value; the good rows still count."""
    path = write_csv(tmp_path, [["a", "60", "85"], ["b", "ninety", "70"], ["", "70", "70"],
                                ["c", "75", "131"], ["d", "82", "79"]])
    data = load_class_csv(path)
    assert [r["client"]["id"] for r in data.records] == ["a", "d"]
    assert data.bad_rows == (3, 4, 5)
    assert any(p.row == 3 and p.value == "ninety" for p in data.problems)
    assert any(p.row == 5 and p.column == "flexibility.slr_deg.right" for p in data.problems)
    summary = {(s.test, s.side): s for s in class_summary(data)}
    assert summary[("slr_deg", "left")].n == 2


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "not UTF-8"),
    (b'{"schema": "lbp-assessment/1", "client": {"id": "sam"}}', "no client.id column"),
    (b"name,slr_left,slr_right\nsam,60,70\n", "no client.id column"),
    (b"client.id,client.id\nsam,sam\n", "more than once"),
])
def test_load_class_csv_damaged_files(tmp_path, content, message):
    """Unreadable files: a StorageError naming the file and the problem."""
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(StorageError) as info:
        load_class_csv(path)
    assert message in str(info.value) and "bad.csv" in str(info.value)


def test_load_class_csv_missing_file(tmp_path):
    with pytest.raises(StorageError, match="cannot be read"):
        load_class_csv(tmp_path / "none.csv")


def test_load_class_csv_header_only(tmp_path):
    """A header and no rows: no records, no problems, an empty summary, a chart that says so."""
    data = load_class_csv(write_csv(tmp_path, []))
    assert data.records == () and data.problems == ()
    assert class_summary(data) == ()
    assert "No readings to summarise" in class_tables_html(data)
    fig = class_distribution_chart(data)
    assert [t.get_text() for t in fig.axes[0].texts] == ["no readings to show"]


def test_load_class_csv_unknown_columns(tmp_path):
    """Wrong column names are listed against row 1; their cells are not read."""
    path = write_csv(tmp_path, [["a", "60"]], header=("client.id", "slr_left"))
    data = load_class_csv(path)
    assert [(p.row, p.column) for p in data.problems] == [(1, "slr_left")]
    assert class_summary(data) == ()
    assert data.bad_rows == ()


# ----------------------------------------------------------------- summary


def test_class_summary_matches_engine_example():
    """n, deficient, min/median/max and cut-off of every test and side equal the engine's."""
    data = load_class_csv(class_example_path())
    summaries = class_summary(data)
    assert len(summaries) == 13  # 6 two-sided flexibility tests + Schober
    for s in summaries:
        values, bad, cutoff = engine_counts(data.records, s.test, s.side)
        assert s.n == len(values) and s.values == tuple(values)
        assert s.deficient == bad and s.cutoff == cutoff
        assert (s.minimum, s.median, s.maximum) == (min(values), statistics.median(values),
                                                   max(values))
        assert s.statuses.count("deficient") == bad


def test_class_summary_hand_counted(tmp_path):
    """SLR below the engine's 80 deg cut-off counts as deficient; exactly 80 is normal.

    The cut-off is read from the engine (domain: SLR < 80 deg = reduced
    hamstring extensibility); the readings 60, 80, 85 give one deficient.
    """
    data = load_class_csv(write_csv(tmp_path, [["a", "60", ""], ["b", "80", ""],
                                               ["c", "85", ""]]))
    (s,) = class_summary(data)
    assert (s.test, s.side, s.n, s.deficient, s.median) == ("slr_deg", "left", 3, 1, 80.0)
    assert s.cutoff == engine_counts(data.records, "slr_deg", "left")[2]
    assert s.client_ids == ("a", "b", "c") and s.unit == "deg"


def test_class_summary_endurance_no_cutoff(tmp_path):
    """Endurance holds have no cut-off: counted and spread, deficient None."""
    path = write_csv(tmp_path, [["a", "90", "40", "35"], ["b", "120", "60", "50"]],
                     header=("client.id", "endurance.flexor_s", "endurance.side_bridge_s.left",
                             "endurance.side_bridge_s.right"))
    summaries = class_summary(load_class_csv(path))
    assert [(s.test, s.side) for s in summaries] == [
        ("flexor_s", None), ("side_bridge_s", "left"), ("side_bridge_s", "right")]
    assert all(s.deficient is None and s.cutoff is None for s in summaries)
    assert summaries[0].median == 105.0 and summaries[0].unit == "s"
    assert "no cut-off" in class_tables_html(load_class_csv(path))


def test_class_data_from_examples():
    """Saved records (here the example clients) can be viewed as a class too."""
    data = class_data_from_records([load_example(n) for n in list_examples()], "examples")
    slr = [s for s in class_summary(data) if s.test == "slr_deg" and s.side == "left"][0]
    values, bad, _ = engine_counts(data.records, "slr_deg", "left")
    assert slr.n == len(values) and slr.deficient == bad


# ----------------------------------------------------------------- tables


def test_class_tables_html_lists_problems_and_summary():
    data = load_class_csv(class_example_path())
    text = class_tables_html(data)
    assert "13 row(s) read from class_practical.csv; 3 row(s) skipped" in text
    assert "<td>6</td><td>flexibility.slr_deg.left</td><td>400</td>" in text
    assert "(whole row)" in text  # the missing client id is a whole-row problem
    slr = [s for s in class_summary(data) if s.test == "slr_deg" and s.side == "left"][0]
    assert f"<td>{slr.deficient} of {slr.n}</td>" in text
    assert f"deficient below {slr.cutoff:g} deg" in text


def test_class_tables_html_escapes_spreadsheet_text(tmp_path):
    """Markup typed into a cell is shown as text."""
    path = write_csv(tmp_path, [[XSS, "60", "70"], ["b", XSS, "70"]])
    text = class_tables_html(load_class_csv(path))
    assert XSS not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


# ----------------------------------------------------------------- chart


def panels(fig):
    return {ax.get_gid()[len("class-"):]: ax for ax in fig.axes[0].child_axes
            if (ax.get_gid() or "").startswith("class-")}


def test_class_distribution_chart_panels_cutoffs_counts():
    """One panel per test; cut-off line at the engine's cut-off; deficient marks = count."""
    data = load_class_csv(class_example_path())
    summaries = class_summary(data)
    fig = class_distribution_chart(data)
    assert isinstance(fig, Figure)
    found = panels(fig)
    assert list(found) == list(dict.fromkeys(s.test for s in summaries))
    host_texts = {t.get_gid(): t.get_text() for t in fig.axes[0].texts}
    for s in summaries:
        ax = found[s.test]
        cut = [ln for ln in ax.lines if ln.get_linestyle() == "--"]
        assert len(cut) == 1 and cut[0].get_xdata()[0] == s.cutoff
        side = s.side or "one"
        marks = {ln.get_gid(): ln for ln in ax.lines if ln.get_gid()}
        bad = marks.get(f"readings-{s.test}-{side}-deficient")
        good = marks.get(f"readings-{s.test}-{side}-normal")
        assert (len(bad.get_xdata()) if bad else 0) == s.deficient
        assert (len(good.get_xdata()) if good else 0) == s.n - s.deficient
        if bad:
            assert bad.get_marker() == "X" and bad.get_color() == PALETTE["deficient"]
        assert host_texts[f"count-{s.test}-{side}"] == f"{s.deficient} of {s.n} deficient"
        label = ax.get_xlabel()
        assert label.endswith(f"({s.unit})") and label[0].islower()
        assert ax.get_title() == ""


def test_class_distribution_chart_into_given_ax():
    """With an ax, the chart draws inside it and returns its figure."""
    from lbp_workbook.views.plotstyle import new_figure

    fig = new_figure(9, 12)
    ax = fig.add_subplot(111)
    out = class_distribution_chart(load_class_csv(class_example_path()), ax=ax)
    assert out is fig and not ax.axison
    assert len(panels(fig)) == 7


def test_class_distribution_chart_no_cutoff_panel(tmp_path):
    path = write_csv(tmp_path, [["a", "90"], ["b", "120"]],
                     header=("client.id", "endurance.flexor_s"))
    fig = class_distribution_chart(load_class_csv(path))
    ax = panels(fig)["flexor_s"]
    assert not [ln for ln in ax.lines if ln.get_linestyle() == "--"]
    assert {t.get_text() for t in fig.axes[0].texts} == {"n = 2 · no cut-off"}
    assert all(isinstance(ln, Line2D) for ln in ax.lines)


# ----------------------------------------------------------------- widget


def test_class_view_starts_on_example():
    from lbp_workbook.course.class_view import class_view

    view = class_view()
    assert "class_practical.csv" in view.status.value
    assert "3 row(s) skipped" in view.tables.value
    assert view.chart.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert view.chart.layout.width == "720px"


def test_class_view_upload_good_then_damaged(tmp_path):
    """Uploading a CSV shows it; a damaged upload shows the problem and keeps the last view."""
    from lbp_workbook.course.class_view import class_view

    view = class_view(write_csv(tmp_path, [["a", "60", "85"]]))
    assert "1 row(s) read" in view.tables.value
    content = b"client.id,flexibility.slr_deg.left\nx,70\ny,90\nz,oops\n"
    view.upload.value = ({"name": "my <class>.csv", "type": "text/csv", "size": len(content),
                          "content": memoryview(content), "last_modified": NOW},)
    assert "my &lt;class&gt;.csv" in view.status.value
    assert "2 row(s) read" in view.tables.value and "oops" in view.tables.value
    good_png = view.chart.value
    view.upload.value = ({"name": "empty.csv", "type": "text/csv", "size": 0,
                          "content": memoryview(b""), "last_modified": NOW},)
    assert "Could not load the file" in view.status.value
    assert "empty.csv: is empty" in view.status.value
    assert view.chart.value == good_png and "2 row(s) read" in view.tables.value


def test_class_view_accepts_class_data():
    from lbp_workbook.course.class_view import class_view

    data = ClassData(tuple(load_example(n) for n in ("runner_sam", "healthy_jo")), (), "two")
    view = class_view(data)
    assert view.data is data and "2 row(s) read from two" in view.tables.value


# --------------------------------------------------------------------------- issue 10


def _text_file(tmp_path, text, name="class.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.mark.parametrize("sep", [";", "\t"])
def test_load_class_csv_semicolon_or_tab_with_decimal_commas(tmp_path, sep):
    """European Excel saves 'CSV' with ';' (or tab) and decimal commas: read as such."""
    lines = ["client.id", "flexibility.slr_deg.left", "flexibility.slr_deg.right", "date"]
    text = sep.join(lines) + "\r\n" + sep.join(["kim", "62,5", "70", "2026-11-02"]) + "\r\n" \
        + sep.join(["lee", "81", "79,0", "2026-11-02"]) + "\r\n"
    data = load_class_csv(_text_file(tmp_path, "\ufeff" + text))
    assert data.problems == ()
    assert [r["flexibility"]["slr_deg"] for r in data.records] == [
        {"left": 62.5, "right": 70}, {"left": 81, "right": 79.0}]


def test_load_class_csv_decimal_comma_in_a_comma_file_says_what_to_do(tmp_path):
    path = _text_file(tmp_path, 'client.id,flexibility.slr_deg.left\r\nkim,"62,5"\r\n')
    [problem] = load_class_csv(path).problems
    assert problem.column == "flexibility.slr_deg.left" and "point" in problem.message


def test_load_class_csv_no_client_id_column_says_what_to_do(tmp_path):
    path = _text_file(tmp_path, "client.id|flexibility.slr_deg.left\r\nkim|62\r\n")
    with pytest.raises(StorageError) as info:
        load_class_csv(path)
    assert "client.id" in info.value.problem and "comma" in info.value.problem


def test_load_class_csv_too_many_rows_is_refused_with_the_limit(tmp_path):
    from lbp_workbook.engine.storage import MAX_CSV_ROWS

    rows = "".join(f"l{i},62\r\n" for i in range(MAX_CSV_ROWS + 1))
    path = _text_file(tmp_path, "client.id,flexibility.slr_deg.left\r\n" + rows)
    with pytest.raises(StorageError) as info:
        load_class_csv(path)
    assert f"{MAX_CSV_ROWS:,}" in info.value.problem and "rows" in info.value.problem
    ok = "".join(f"l{i},62\r\n" for i in range(MAX_CSV_ROWS))
    assert len(load_class_csv(_text_file(tmp_path, "client.id,flexibility.slr_deg.left\r\n"
                                         + ok, "ok.csv")).records) == MAX_CSV_ROWS


def test_load_class_csv_too_many_columns_is_refused_with_the_limit(tmp_path):
    from lbp_workbook.engine.storage import MAX_CSV_COLUMNS

    header = ",".join(["client.id"] + [f"x{i}" for i in range(MAX_CSV_COLUMNS)])
    with pytest.raises(StorageError) as info:
        load_class_csv(_text_file(tmp_path, header + "\r\nkim\r\n"))
    assert f"{MAX_CSV_COLUMNS:,}" in info.value.problem and "columns" in info.value.problem
    assert len(str(info.value)) < 600


def test_load_class_csv_too_large_file_is_refused(tmp_path):
    from lbp_workbook.engine.storage import MAX_CSV_BYTES

    path = _text_file(tmp_path, "client.id,notes\r\nkim," + "x" * MAX_CSV_BYTES + "\r\n")
    with pytest.raises(StorageError) as info:
        load_class_csv(path)
    assert "MB" in info.value.problem


def test_load_class_csv_repeated_columns_named_once_each(tmp_path):
    header = ",".join(["client.id", "date", "date", "notes", "notes", "notes"])
    with pytest.raises(StorageError) as info:
        load_class_csv(_text_file(tmp_path, header + "\r\n"))
    assert info.value.problem == "row 1: column(s) date, notes appear more than once"


def test_class_summary_one_pass_matches_per_test_counts(tmp_path):
    """The single-pass summary gives the engine's counts (checked against assess here)."""
    data = load_class_csv(class_example_path())
    for s in class_summary(data):
        if s.group != "flexibility":
            continue
        expected = [f for r in data.records for f in assess(r).flexibility
                    if f.test == s.test and f.side == s.side]
        assert s.values == tuple(f.value for f in expected)
        assert s.deficient == sum(f.status == "deficient" for f in expected)
