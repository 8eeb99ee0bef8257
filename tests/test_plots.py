"""Tests of the result plots (lbp_workbook/views/plots.py), on real engine output.

Every figure is drawn from ``assess()`` on an example client (or on a copy of
one with a reading changed or removed), and the expected positions, colours
and labels are read from that same result, the record's FIELDS or the
reference data, never typed in here. Text is checked in the SVG the figure
draws (text kept as text), so a label counts only if it is really drawn.
"""

from __future__ import annotations

import copy
import io
import re

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from PIL import Image

from lbp_workbook.engine.assessment import assess
from lbp_workbook.engine.examples import load_example
from lbp_workbook.engine.record import FIELDS
from lbp_workbook.engine.reference import assessment_test
from lbp_workbook.views import plots
from lbp_workbook.views.plotstyle import PALETTE, RC, figure_png, new_figure

DEFICIENT = to_hex(PALETTE["deficient"])
NORMAL = to_hex(PALETTE["normal"])
FLEX_FIELDS = [f for f in FIELDS if f.path.startswith("flexibility.") and f.kind == "number"]


# ----------------------------------------------------------------- helpers


def _example(name: str = "runner_sam"):
    return assess(load_example(name))


def _changed(name: str, changes: dict, drop: tuple = ()):
    """Assess a copy of an example with dotted paths set or removed."""
    record = copy.deepcopy(load_example(name))
    for dotted, value in changes.items():
        node = record
        parts = dotted.split(".")
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = value
    for dotted in drop:
        parts = dotted.split(".")
        node = record
        for part in parts[:-1]:
            node = node[part]
        del node[parts[-1]]
    return assess(record)


def _finding(result, test, side):
    return next(f for f in result.flexibility if f.test == test and f.side == side)


def _svg_text(fig: Figure) -> str:
    """Every text the figure draws, as it appears in its SVG."""
    buf = io.StringIO()
    with matplotlib.rc_context(RC):  # svg.fonttype none: text stays text
        fig.savefig(buf, format="svg")
    texts = re.findall(r"<text[^>]*>(.*?)</text>", buf.getvalue(), flags=re.S)
    return "\n".join(re.sub(r"<[^>]+>", "", t) for t in texts)


def _visible(artists):
    return [a for a in artists if a.get_visible()]


def _markers(ax, marker=None):
    """Visible single-point marker lines of an axes."""
    return [
        line
        for line in _visible(ax.lines)
        if line.get_linestyle() in ("None", "none", "") and len(line.get_xdata()) == 1
        and (marker is None or line.get_marker() == marker)
    ]


def _dashed(ax):
    return [line for line in _visible(ax.lines) if line.get_linestyle() == "--"]


def _rects(ax, hatch=None):
    return [p for p in _visible(ax.patches) if isinstance(p, Rectangle) and (hatch is None or p.get_hatch() == hatch)]


def _colour(artist) -> str:
    return to_hex(artist.get_facecolor() if isinstance(artist, Rectangle) else artist.get_color())


@pytest.fixture(autouse=True)
def _no_pyplot_figures():
    """No plot function may leave a figure in pyplot's registry."""
    before = plt.get_fignums()
    yield
    assert plt.get_fignums() == before


def _history():
    """runner_sam reassessed every four weeks (synthetic): SLR left 62 -> 66 -> 75 -> 81 deg,
    Thomas knee left 84 -> 80 -> 70 -> 72 deg, side bridge left 62 -> 70 -> 75 -> 90 s."""
    steps = [
        ("2026-11-02", 62, 84, 62),
        ("2026-11-30", 66, 80, 70),
        ("2026-12-28", 75, 70, 75),
        ("2027-01-25", 81, 72, 90),
    ]
    return [
        _changed(
            "runner_sam",
            {
                "date": day,
                "flexibility.slr_deg.left": slr,
                "flexibility.thomas_knee_deg.left": knee,
                "endurance.side_bridge_s.left": bridge,
            },
        )
        for day, slr, knee, bridge in steps
    ]


# ----------------------------------------------------------------- deficit chart


def test_deficit_chart_has_one_panel_per_flexibility_test_on_its_record_range():
    """One panel per flexibility field of record.FIELDS, in order, scaled to the field's range;
    left/right rows for side-specific tests, one row for Schober."""
    fig = plots.deficit_chart(_example())
    panels = plots.panels_of(fig, "deficit")
    assert list(panels) == [f.path.split(".", 1)[1] for f in FLEX_FIELDS]
    assert len(panels) == 7
    for spec in FLEX_FIELDS:
        ax = panels[spec.path.split(".", 1)[1]]
        assert ax.get_xlim() == (spec.minimum, spec.maximum)
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert labels == (["left", "right"] if spec.side_specific else [""])


def test_deficit_chart_cutoff_lines_at_the_findings_cutoffs():
    """Each panel's dashed black line sits at the engine's cut-off for that test."""
    result = _example()
    fig = plots.deficit_chart(result)
    for test, ax in plots.panels_of(fig, "deficit").items():
        (line,) = _dashed(ax)
        cutoff = next(f.cutoff for f in result.flexibility if f.test == test)
        assert list(line.get_xdata()) == [cutoff, cutoff]
        assert to_hex(line.get_color()) == to_hex(PALETTE["cutoff"])
    assert "cut-off 80 deg" in _svg_text(fig)  # SLR cut-off of the engine for runner_sam


def test_deficit_chart_marks_deficient_readings_by_colour_marker_and_hatch():
    """runner_sam: SLR left 62 deg and right 66 deg are deficient (cut-off 80, engine);
    crosses in vermilion with hatched bars back to the cut-off; 'N deg short' labels."""
    result = _example()
    fig = plots.deficit_chart(result)
    slr = plots.panels_of(fig, "deficit")["slr_deg"]
    crosses = _markers(slr, plots.DEFICIENT_MARKER)
    assert sorted(m.get_xdata()[0] for m in crosses) == [62, 66]
    assert {_colour(m) for m in crosses} == {DEFICIENT}
    bars = _rects(slr, plots.DEFICIENT_HATCH)
    assert len(bars) == 2
    for bar, side in zip(sorted(bars, key=lambda b: -b.get_y()), ("left", "right")):
        finding = _finding(result, "slr_deg", side)
        assert (bar.get_x(), bar.get_width()) == (finding.value, finding.deficit)
        assert to_hex(bar.get_edgecolor()) == DEFICIENT
    text = _svg_text(fig)
    for side in ("left", "right"):
        finding = _finding(result, "slr_deg", side)
        assert f"{finding.value:g} deg · {finding.deficit:g} deg short" in text
    # AKE is deficient *above* its cut-off: the label says "over". Sam's own 32 deg is
    # inside the value for men (33 deg, Yildirim et al. 2018), so raise it to 40 deg
    longer = _changed("runner_sam", {"flexibility.ake_deficit_deg.left": 40})
    ake = _finding(longer, "ake_deficit_deg", "left")
    assert ake.status == "deficient" and ake.deficit == 7  # 40 - 33 (men)
    assert "7 deg over" in _svg_text(plots.deficit_chart(longer))


def test_deficit_chart_draws_normal_readings_as_blue_circles_without_bars():
    """runner_sam: hip IR 34/36 deg are normal (engine): blue circles, no hatched bar."""
    result = _example()
    ax = plots.panels_of(plots.deficit_chart(result), "deficit")["hip_ir_deg"]
    circles = _markers(ax, plots.NORMAL_MARKER)
    assert sorted(m.get_xdata()[0] for m in circles) == sorted(
        _finding(result, "hip_ir_deg", s).value for s in ("left", "right")
    )
    assert {_colour(m) for m in circles} == {NORMAL}
    assert _rects(ax, plots.DEFICIENT_HATCH) == []


def test_deficit_chart_draws_measurement_error_band_where_the_finding_gives_one():
    """Thomas knee angle carries SEM 7 deg (Peeler & Anderson 2008) and SLR SEM 2.6 deg
    (J Sport Rehabil 2015, 24(4)), via the finding: a grey band of one reading's 95 %
    band, reading ± 1.96 x SEM (Weir 2005: 13.7 and 5.1 deg), on each side; hip internal
    rotation has no error in the reference data and no band."""
    result = _example()
    panels = plots.panels_of(plots.deficit_chart(result), "deficit")
    for test, half in (("thomas_knee_deg", 13.7), ("slr_deg", 5.1)):
        bands = [p for p in _rects(panels[test]) if _colour(p) == to_hex(PALETTE["band"])]
        expected = sorted((f.value - half, 2 * half) for f in result.flexibility if f.test == test)
        got = sorted((b.get_x(), b.get_width()) for b in bands)
        assert [x for row in got for x in row] == pytest.approx([x for row in expected for x in row])
        assert assessment_test(test).measurement_error.band95 == half
    assert assessment_test("hip_ir_deg").measurement_error is None
    assert [p for p in _rects(panels["hip_ir_deg"]) if _colour(p) == to_hex(PALETTE["band"])] == []


def test_deficit_chart_labels_a_deficit_within_measurement_error():
    """desk_worker_lee with Thomas knee right moved to 75 deg: 5 deg short of the engine's
    80 deg cut-off, inside reading ± 1.96 x SEM 7 deg (13.7 deg; Peeler & Anderson 2008,
    Weir 2005), so the label says "near cut-off", which the key line spells out as "within
    measurement error of the cut-off", as the engine's finding says; a normal reading that
    close is labelled the same way."""
    result = _changed("desk_worker_lee", {"flexibility.thomas_knee_deg.right": 75,
                                          "flexibility.thomas_knee_deg.left": 90})
    finding = _finding(result, "thomas_knee_deg", "right")
    assert finding.status == "deficient" and finding.within_error_of_cutoff is True
    text = _svg_text(plots.deficit_chart(result))
    assert f"{finding.deficit:g} deg short (near cut-off)" in text
    assert "90 deg · normal (near cut-off)" in text
    assert "near cut-off: within measurement error of the cut-off" in text
    assert "SEM)" not in text and "MDC)" not in text


def test_deficit_chart_shows_tests_not_measured():
    """runner_sam without hip ER and without SLR right: those rows say 'not measured',
    the empty hip ER panel too, with no marker or cut-off line there."""
    result = _changed("runner_sam", {}, drop=("flexibility.hip_er_deg", "flexibility.slr_deg.right"))
    chart = plots.DeficitChart()
    chart.update(result)
    assert chart.status_text("hip_er_deg", "left") == plots.NOT_MEASURED
    assert chart.status_text("hip_er_deg", "right") == plots.NOT_MEASURED
    assert chart.status_text("slr_deg", "right") == plots.NOT_MEASURED
    assert _markers(chart.panels["hip_er_deg"]) == [] and _dashed(chart.panels["hip_er_deg"]) == []
    assert len(_markers(chart.panels["slr_deg"])) == 1
    assert _svg_text(chart.figure).count(plots.NOT_MEASURED) == 4  # 3 rows + the empty panel


def test_deficit_chart_figure_size_and_given_axes():
    """A new figure is 10 x 7 inch; with ax given, the chart fills that axes' figure."""
    assert tuple(plots.deficit_chart(_example()).get_size_inches()) == (10.0, 7.0)
    fig = new_figure(12, 8)
    ax = fig.add_subplot()
    assert plots.deficit_chart(_example(), ax=ax) is fig
    assert len(plots.panels_of(ax, "deficit")) == 7 and not ax.axison


def test_deficit_chart_update_moves_the_marker_and_relabels():
    """Updating with SLR left 86 deg (above the 80 deg cut-off by more than 1.96 x SEM
    2.6 deg = 5.1 deg; J Sport Rehabil 2015, Weir 2005) turns that row plainly normal;
    85 deg is normal but within measurement error of the cut-off."""
    chart = plots.DeficitChart()
    chart.update(_example())
    assert chart.status_text("slr_deg", "left") == "62 deg · 18 deg short"  # runner_sam, engine
    chart.update(_changed("runner_sam", {"flexibility.slr_deg.left": 85}))
    assert chart.status_text("slr_deg", "left") == "85 deg · normal (near cut-off)"
    chart.update(_changed("runner_sam", {"flexibility.slr_deg.left": 86}))
    assert chart.status_text("slr_deg", "left") == "86 deg · normal"
    xs = sorted(m.get_xdata()[0] for m in _markers(chart.panels["slr_deg"]))
    assert xs == [66, 86]
    assert len(_rects(chart.panels["slr_deg"], plots.DEFICIENT_HATCH)) == 1


def test_deficit_chart_update_draws_the_same_picture_as_a_fresh_chart():
    """The reused, pixel-cached chart after other updates gives the same PNG pixels
    as deficit_chart drawn once (at two resolutions)."""
    chart = plots.DeficitChart()
    for name in ("golfer_kim", "desk_worker_lee", "runner_sam"):
        chart.update(_example(name))
        figure_png(chart.figure)
    chart.update(_example("desk_worker_lee"))
    for dpi in (100, 80):
        reused = np.asarray(Image.open(io.BytesIO(figure_png(chart.figure, dpi=dpi))))
        fresh = np.asarray(Image.open(io.BytesIO(figure_png(plots.deficit_chart(_example("desk_worker_lee")), dpi=dpi))))
        assert reused.shape == fresh.shape
        assert np.array_equal(reused, fresh)


def test_deficit_chart_vector_output_has_every_label():
    """SVG (no pixel cache) still draws the test names, units and the key line."""
    text = _svg_text(plots.deficit_chart(_example()))
    for spec in FLEX_FIELDS:
        first_word = plots.lower_first(spec.label).split()[0]
        assert first_word in text
    assert "grey band: reading ± 1.96 × SEM (its 95 % band)" in text


# ----------------------------------------------------------------- asymmetry view


def test_asymmetry_view_marks_the_engines_flag():
    """golfer_kim: hip IR 22 vs 36 deg is flagged by the engine (Ellison 1990 10 deg rule):
    thick vermilion line between the sides and the engine's numbers in the label."""
    result = _example("golfer_kim")
    (flag,) = result.asymmetries
    fig = plots.asymmetry_view(result)
    panels = plots.panels_of(fig, "asymmetry")
    assert list(panels) == [f.path.split(".", 1)[1] for f in FLEX_FIELDS if f.side_specific]
    ax = panels[flag.test]
    (link,) = [line for line in ax.lines if len(line.get_xdata()) == 2]
    assert list(link.get_xdata()) == [flag.left, flag.right]
    assert to_hex(link.get_color()) == DEFICIENT
    left = [m for m in _markers(ax) if to_hex(m.get_color()) == to_hex(PALETTE["left"])]
    right = [m for m in _markers(ax) if to_hex(m.get_color()) == to_hex(PALETTE["right"])]
    assert [m.get_xdata()[0] for m in left] == [flag.left]
    assert [m.get_xdata()[0] for m in right] == [flag.right]
    assert left[0].get_marker() != right[0].get_marker()  # shape, not only colour
    text = _svg_text(fig)
    assert f"{flag.difference:g} deg apart ({flag.percent_of_larger:.0f} %) · asymmetry" in text
    assert f"threshold {flag.threshold:g} {flag.threshold_unit}\nmeasurement error not known" in text


def test_asymmetry_view_unflagged_pairs_and_error_band():
    """golfer_kim SLR 82/84 deg is not flagged: grey link; Thomas knee carries SEM 7 deg
    (Peeler & Anderson 2008), so its smallest real difference MDC95 19.4 deg (Weir 2005)
    is drawn as a band around the left reading."""
    result = _example("golfer_kim")
    fig = plots.asymmetry_view(result)
    panels = plots.panels_of(fig, "asymmetry")
    (link,) = [line for line in panels["slr_deg"].lines if len(line.get_xdata()) == 2]
    assert to_hex(link.get_color()) == to_hex(PALETTE["band"])
    assert "2 deg apart · under threshold" in _svg_text(fig)
    left = _finding(result, "thomas_knee_deg", "left")
    (band,) = _rects(panels["thomas_knee_deg"])
    assert (band.get_x(), band.get_width()) == (left.value - left.mdc95, 2 * left.mdc95)
    assert left.mdc95 == 19.4


def test_asymmetry_view_exceeds_measurement_error_wording():
    """desk_worker_lee with Thomas knee 60 / 80 deg: the engine flags it; the label repeats
    whether the 20 deg difference exceeds the MDC95 of 19.4 deg (SEM 7 deg, Peeler &
    Anderson 2008; Weir 2005), the engine's exceeds_measurement_error."""
    result = _changed("desk_worker_lee", {"flexibility.thomas_knee_deg.left": 60, "flexibility.thomas_knee_deg.right": 80})
    flag = next(a for a in result.asymmetries if a.test == "thomas_knee_deg")
    assert flag.exceeds_measurement_error is True
    assert "beyond measurement error" in _svg_text(plots.asymmetry_view(result))


def test_asymmetry_view_not_measured():
    """runner_sam without hip ER: that panel says 'not measured' (twice: panel and column)."""
    result = _changed("runner_sam", {}, drop=("flexibility.hip_er_deg",))
    fig = plots.asymmetry_view(result)
    assert _markers(plots.panels_of(fig, "asymmetry")["hip_er_deg"]) == []
    assert _svg_text(fig).count(plots.NOT_MEASURED) == 2


# ----------------------------------------------------------------- endurance profile


def test_endurance_profile_bars_are_the_hold_times_with_reference_error():
    """rower_ria's four hold times as bars; side bridge ± 1.96 x its 11 s typical error
    (Juan-Recio et al. 2022; Weir 2005: 21.6 s, one time's 95 % band), none for
    flexor/extensor (no error in the reference)."""
    result = _example("rower_ria")
    fig = plots.endurance_profile(result)
    holds = plots.panels_of(fig, "endurance")["holds"]
    bars = {p.get_gid().split("-", 1)[1]: p.get_width() for p in holds.patches if (p.get_gid() or "").startswith("hold-")}
    assert bars == dict(result.endurance.times_s)
    error = assessment_test("side_bridge_s").measurement_error.band95
    assert error == 21.6
    caps = [c for c in holds.containers if (c.get_label() or "").startswith("error-")]
    assert sorted(c.get_label() for c in caps) == ["error-side_bridge_s.left", "error-side_bridge_s.right"]
    for cap in caps:
        segment = cap.lines[2][0].get_segments()[0]
        assert segment[1][0] - segment[0][0] == pytest.approx(2 * error)
    text = _svg_text(fig)
    assert f"{result.endurance.times_s['flexor_s']:g} s" in text
    assert f"± {error:g} s, 1.96 × SEM" in text
    assert "hold time [s]" == holds.get_xlabel()


def test_endurance_profile_ratios_against_their_targets():
    """rower_ria: flexor:extensor 1.25 is flagged against 'below 1.0' (engine): vermilion cross,
    limit line at 1.0; side to side: the engine's band, the ratios within the side bridge's
    MDC95 of 30.5 s (Juan-Recio et al. 2022; Weir 2005) at her left time of 70 s, drawn as
    two limit lines; the unverified 0.95-1.05 is not drawn."""
    result = _example("rower_ria")
    fig = plots.endurance_profile(result)
    ax = plots.panels_of(fig, "endurance")["ratios"]
    ratios = {r.id: r for r in result.endurance.ratios}
    points = {line.get_gid(): line for line in ax.lines if (line.get_gid() or "").startswith("ratio-")}
    assert set(points) == {f"ratio-{i}" for i in ratios}
    flex = points["ratio-flexor_extensor"]
    assert flex.get_xdata()[0] == ratios["flexor_extensor"].value and ratios["flexor_extensor"].flagged
    assert (flex.get_marker(), _colour(flex)) == (plots.DEFICIENT_MARKER, DEFICIENT)
    assert _colour(points["ratio-side_extensor"]) == NORMAL
    limits = {}
    for line in ax.lines:
        if (line.get_gid() or "").startswith("limit-"):
            limits.setdefault(line.get_gid()[6:], []).append(line.get_xdata()[0])
    left = result.endurance.times_s["side_bridge_s.left"]
    assert limits == {
        "flexor_extensor": [1.0],
        "side_extensor": [0.75],
        "side_to_side": [pytest.approx(1 - 30.5 / left), pytest.approx(1 + 30.5 / left)],
    }  # the engine's bands
    assert 0.95 not in limits["side_to_side"] and 1.05 not in limits["side_to_side"]
    text = _svg_text(fig)
    assert "1.25 · outside target (below 1)" in text
    assert ax.get_xlabel() == "ratio (green: target zone)"
    assert "1.03 · on target (sides within 30.5 s of each other)" in text  # 72 / 70 s, 2 s apart


def test_endurance_profile_not_measured():
    """runner_sam without the extensor test: its bar is 'not measured' and the two ratios
    that need it are 'not computed'."""
    result = _changed("runner_sam", {}, drop=("endurance.extensor_s",))
    fig = plots.endurance_profile(result)
    holds = plots.panels_of(fig, "endurance")["holds"]
    assert len([p for p in holds.patches if (p.get_gid() or "").startswith("hold-")]) == 3
    text = _svg_text(fig)
    assert text.count(plots.NOT_MEASURED) == 1
    assert text.count("not computed") == 3 - len(result.endurance.ratios)


def test_ratio_targets_are_numbers_not_words():
    """The chart reads each ratio's target as numbers (rules.json: flexor : extensor below
    1.0, side bridge : extensor 0.75 or less), never by parsing a sentence."""
    from lbp_workbook import assess, load_example

    ratios = {r.id: r for r in assess(load_example("rower_ria")).endurance.ratios}
    assert (ratios["flexor_extensor"].target.op, ratios["flexor_extensor"].target.value) == ("<", 1.0)
    assert ratios["side_extensor"].band == (None, 0.75)
    assert not hasattr(plots, "parse_target")


# ----------------------------------------------------------------- progress


def test_progress_summary_statements():
    """SLR left 62 -> 66 -> 75 -> 81 deg with SEM 2.6 deg (J Sport Rehabil 2015, 24(4)),
    MDC95 7.2 deg (Weir 2005): within, improved by 9, within; Thomas knee left
    84 -> 80 -> 70 -> 72 deg with SEM 7 (Peeler & Anderson 2008), MDC95 19.4 deg: a 10 deg
    fall is more than the SEM but within the MDC95, so every step is within."""
    results = _history()
    slr = plots.progress_summary(results, "slr_deg", "left")
    assert [s.text for s in slr] == ["within measurement error", "improved by 9 deg", "within measurement error"]
    assert [s.verdict for s in slr] == ["within_measurement_error", "improved", "within_measurement_error"]
    assert {s.measurement_error for s in slr} == {assessment_test("slr_deg").measurement_error.mdc95} == {7.2}
    assert slr[0].from_date == "2026-11-02" and slr[0].to_date == "2026-11-30"
    knee = plots.progress_summary(results, "thomas_knee_deg", "left")
    assert [s.text for s in knee] == ["within measurement error"] * 3
    assert [s.change for s in knee] == [-4, -10, 2]
    assert {s.measurement_error for s in knee} == {assessment_test("thomas_knee_deg").measurement_error.mdc95} == {19.4}


def test_progress_summary_endurance_uses_reference_error():
    """Side bridge left 62 -> 70 -> 75 -> 90 s with typical error 11 s (Juan-Recio et al.
    2022): MDC95 30.5 s (Weir 2005), so +8, +5 and +15 s are all within measurement error,
    and so is the whole +28 s; a +31 s step is an improvement."""
    steps = plots.progress_summary(_history(), "side_bridge_s", "left")
    assert [s.text for s in steps] == ["within measurement error"] * 3
    results = [_example(), _changed("runner_sam", {"date": "2026-12-01", "endurance.side_bridge_s.left": 93})]
    (step,) = plots.progress_summary(results, "side_bridge_s", "left")
    assert (step.text, step.measurement_error) == ("improved by 31 s", 30.5)


def test_progress_summary_lower_is_better_for_tests_deficient_above():
    """AKE deficit is deficient above its cut-off, so 32 -> 20 deg is an improvement."""
    results = [_example(), _changed("runner_sam", {"date": "2026-12-01", "flexibility.ake_deficit_deg.left": 20})]
    (step,) = plots.progress_summary(results, "ake_deficit_deg", "left")
    assert (step.change, step.text) == (-12, "improved by 12 deg")


def test_progress_summary_skips_assessments_without_the_reading():
    results = _history()
    results[1] = _changed("runner_sam", {"date": "2026-11-30"}, drop=("flexibility.slr_deg",))
    steps = plots.progress_summary(results, "slr_deg", "left")
    assert [(s.from_value, s.to_value) for s in steps] == [(62, 75), (75, 81)]


def test_progress_summary_rejects_wrong_side_or_test():
    with pytest.raises(ValueError, match="side"):
        plots.progress_summary(_history(), "slr_deg")
    with pytest.raises(ValueError, match="side"):
        plots.progress_summary(_history(), "schober_cm", "left")
    with pytest.raises(ValueError, match="unknown test"):
        plots.progress_summary(_history(), "toe_touch_cm")


def test_progress_chart_points_cutoff_band_and_statements():
    """Thomas knee left over four dates: four points (two deficient crosses, engine), the
    80 deg cut-off line, a band of first reading 84 ± MDC95 19.4 deg (SEM 7 deg, Peeler &
    Anderson 2008; Weir 2005), and the three statements."""
    results = _history()
    fig = plots.progress_chart(results, "thomas_knee_deg", "left")
    ax = fig.axes[0]
    points = [line for line in ax.lines if line.get_gid() == "progress-point"]
    findings = [_finding(r, "thomas_knee_deg", "left") for r in results]
    assert [p.get_ydata()[0] for p in points] == [f.value for f in findings]
    deficient = [to_hex(p.get_color()) == DEFICIENT for p in points]
    assert deficient == [f.status == "deficient" for f in findings] == [False, False, True, True]
    (cutoff,) = [line for line in ax.lines if line.get_gid() == "cutoff"]
    assert list(cutoff.get_ydata()) == [findings[0].cutoff] * 2
    (band,) = [p for p in ax.patches if p.get_gid() == "error-band"]
    ys = band.get_path().vertices @ np.array([0, 1])
    lo, hi = band.get_transform().transform([(0, ys.min()), (0, ys.max())])[:, 1]
    expected = ax.transData.transform([(0, 84 - 19.4), (0, 84 + 19.4)])[:, 1]
    assert (lo, hi) == pytest.approx(tuple(expected))
    steps = [t.get_text().replace("\n", " ") for t in ax.texts if t.get_gid() == "progress-step"]
    assert steps == [s.text for s in plots.progress_summary(results, "thomas_knee_deg", "left")]
    assert [t.get_text() for t in ax.get_xticklabels()] == [r.date for r in results]
    assert ax.get_ylabel() == "modified Thomas test, knee angle, left [deg]"
    assert ax.get_xlabel() == "assessment date"
    assert tuple(fig.get_size_inches()) == (9.0, 4.5)


def test_progress_chart_without_error_has_no_band_and_shows_not_measured():
    """Hip internal rotation has no measurement error in the reference: no band.
    A missing reading is labelled."""
    assert assessment_test("hip_ir_deg").measurement_error is None
    results = _history()
    results[2] = _changed("runner_sam", {"date": "2026-12-28"}, drop=("flexibility.hip_ir_deg",))
    fig = plots.progress_chart(results, "hip_ir_deg", "left")
    ax = fig.axes[0]
    assert [p for p in ax.patches if p.get_gid() == "error-band"] == []
    assert len([line for line in ax.lines if line.get_gid() == "progress-point"]) == 3
    assert plots.NOT_MEASURED in [t.get_text() for t in ax.texts]


def test_progress_chart_on_given_axes():
    fig = new_figure(6, 4)
    ax = fig.add_subplot()
    assert plots.progress_chart(_history(), "slr_deg", "left", ax=ax) is fig
    assert len([line for line in ax.lines if line.get_gid() == "progress-point"]) == 4


# ----------------------------------------------------------------- one measurement error


def _band_rows(ax, colour):
    """(left edge, width) of the visible band rectangles of one panel."""
    return sorted((p.get_x(), p.get_width()) for p in _rects(ax) if _colour(p) == colour)


def _tests_with_error():
    from lbp_workbook.engine.reference import assessment_tests

    return [t for t in assessment_tests() if t.measurement_error is not None]


def test_tests_with_error_include_slr_and_ake():
    """The SLR and AKE errors live in their rows of assessment_tests.json (J Sport Rehabil
    2015, 24(4)), next to Thomas knee (Peeler & Anderson 2008) and side bridge
    (Juan-Recio et al. 2022), so the one-number test below covers all four."""
    assert {t.id for t in _tests_with_error()} >= {"slr_deg", "ake_deficit_deg", "thomas_knee_deg", "side_bridge_s"}


@pytest.mark.parametrize("test", _tests_with_error(), ids=lambda t: t.id)
def test_measurement_error_is_one_number_everywhere(test):
    """For each test whose row in data/assessment_tests.json gives a measurement error,
    the asymmetry rule and view, the reassessment decision's threshold, the progress chart
    (summary and band) and the lesson tables all use that row's MDC95 = 1.96 x sqrt(2) x
    SEM (Weir 2005) for a difference or change: a change of exactly the MDC95 is within it
    everywhere, a little more is beyond it everywhere; the deficit chart's band for one
    reading is ± 1.96 x SEM. Expected numbers come from the data file, none is typed here."""
    from lbp_workbook.engine import progress
    from lbp_workbook.views import tables

    me, unit = test.measurement_error, test.unit
    error, kind = me.mdc95, "MDC95"
    side = "left" if test.side_specific else None
    path = f"{test.section}.{test.id}" + (f".{side}" if side else "")
    base = float(load_example("runner_sam")[test.section][test.id][side] if side
                 else load_example("runner_sam")[test.section][test.id])

    def record(value, date):
        rec = copy.deepcopy(load_example("runner_sam"))
        rec["date"] = date
        node = rec[test.section]
        if side:
            node[test.id][side] = value
        else:
            node[test.id] = value
        return rec

    before = record(base, "2026-11-02")
    at_error = record(base + error, "2026-11-30")
    beyond = record(base + error + 0.5, "2026-11-30")

    # the reassessment decision (progress.reassess)
    within_change = progress.reassess(before, at_error).change(path)
    beyond_change = progress.reassess(before, beyond).change(path)
    assert progress.measurement_error(test.id) == test.measurement_error
    assert within_change.measurement_error == beyond_change.measurement_error == error
    assert within_change.measurement_error_kind == kind
    assert (within_change.exceeds_measurement_error, within_change.verdict) == (False, "within_measurement_error")
    assert beyond_change.exceeds_measurement_error is True

    # the progress chart's summary and band (plots.progress_summary / progress_chart)
    (within_step,) = plots.progress_summary([assess(before), assess(at_error)], test.id, side)
    (beyond_step,) = plots.progress_summary([assess(before), assess(beyond)], test.id, side)
    assert within_step.measurement_error == beyond_step.measurement_error == error
    assert within_step.verdict == within_change.verdict
    assert beyond_step.verdict == beyond_change.verdict
    ax = plots.progress_chart([assess(before), assess(beyond)], test.id, side).axes[0]
    (band,) = [p for p in ax.patches if p.get_gid() == "error-band"]
    ys = band.get_path().vertices @ np.array([0, 1])
    lo, hi = band.get_transform().transform([(0, ys.min()), (0, ys.max())])[:, 1]
    assert (lo, hi) == pytest.approx(tuple(ax.transData.transform([(0, base - error), (0, base + error)])[:, 1]))

    # the lesson tables (tables.assessment_table, tables.progress_table)
    line = next(ln for ln in tables.assessment_table().text.splitlines() if ln.startswith(test.name + ":"))
    shown = re.search(r"error: SEM ([0-9.]+) (\w+), MDC95 ([0-9.]+) (\w+)$", line)
    assert shown is not None, line
    assert (float(shown.group(1)), float(shown.group(3)), shown.group(4)) == (me.sem, error, unit)
    step_line = tables.progress_table([within_step]).text
    assert f"error MDC95 {plots.fmt_number(error)} {unit}" in step_line

    if test.section != "flexibility":
        return
    # the deficit chart's band: reading ± error, on every side measured
    result = assess(before)
    findings = [f for f in result.flexibility if f.test == test.id]
    assert {(f.sem, f.mdc95) for f in findings} == {(me.sem, error)}
    if test.cutoff is not None:
        panels = plots.panels_of(plots.deficit_chart(result), "deficit")
        got = _band_rows(panels[test.id], to_hex(PALETTE["band"]))
        want = sorted((f.value - me.band95, 2 * me.band95) for f in findings)
        assert [x for r in got for x in r] == pytest.approx([x for r in want for x in r])
    # the asymmetry rule and view: a flagged pair carries the same error
    from lbp_workbook.engine.reference import rules

    if test.side_specific and rules().asymmetry_rule(test.id) is not None:
        flagged = record(base, "2026-11-02")
        flagged[test.section][test.id]["right"] = base + 3 * error  # past every limit in rules.json
        result = assess(flagged)
        (flag,) = [a for a in result.asymmetries if a.test == test.id]
        assert flag.mdc95 == error and flag.exceeds_measurement_error is True
        panels = plots.panels_of(plots.asymmetry_view(result), "asymmetry")
        assert _band_rows(panels[test.id], to_hex(PALETTE["band"])) == [(base - error, 2 * error)]


# ----------------------------------------------------------------- house style


@pytest.mark.parametrize(
    "draw",
    [
        lambda: plots.deficit_chart(_example()),
        lambda: plots.asymmetry_view(_example("golfer_kim")),
        lambda: plots.endurance_profile(_example("rower_ria")),
        lambda: plots.progress_chart(_history(), "slr_deg", "left"),
    ],
    ids=["deficit", "asymmetry", "endurance", "progress"],
)
def test_plots_house_style(draw):
    """No title, no legend, lower-case axis labels, a PNG renders, nothing left in pyplot."""
    fig = draw()
    assert isinstance(fig, Figure) and fig.get_suptitle() == ""
    axes = [a for host in fig.axes for a in (host, *host.child_axes)]
    for ax in axes:
        assert ax.get_title() == "" and ax.get_legend() is None
        for label in (ax.get_xlabel(), ax.get_ylabel()):
            assert label == "" or not label[0].isupper()
    assert figure_png(fig)[:4] == b"\x89PNG"


def test_plots_import_does_not_load_pyplot():
    """Figures stay out of pyplot's registry: importing the module must not even load pyplot."""
    import subprocess
    import sys

    code = "import sys, lbp_workbook.views.plots\nprint('matplotlib.pyplot' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
