"""Exercise pictures: one SVG per exercise, rebuilt byte for byte by `make images`,
each with alt text, possible joints, and a spine that matches the exercise's text."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from lbp_workbook.engine import reference
from lbp_workbook.views import exercise_figures as ef

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "images" / "exercises"
IDS = [e.id for e in reference.exercises()]


def test_every_exercise_has_its_svg():
    assert {p.stem for p in FOLDER.glob("*.svg")} == set(IDS)


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    out = tmp_path_factory.mktemp("exercises")
    ef.exercise_svg.cache_clear()
    ef.write_all(out)
    return out


@pytest.mark.parametrize("exercise_id", IDS)
def test_write_all_matches_committed_svg(rebuilt, exercise_id):
    """images/exercises is exactly what `make images` writes (run it after changing the module)."""
    name = f"{exercise_id}.svg"
    assert (rebuilt / name).read_bytes() == (FOLDER / name).read_bytes()


@pytest.mark.parametrize("exercise_id", IDS)
def test_exercise_svg_has_title_and_alt_text(exercise_id):
    svg = ef.exercise_svg(exercise_id)
    name = next(e.name for e in reference.exercises() if e.id == exercise_id)
    desc = re.search(r'<desc id="exercise-desc">([^<]+)</desc>', svg).group(1)
    assert html.unescape(desc) == ef.exercise_alt(exercise_id)
    assert ef.exercise_alt(exercise_id).startswith(name) and "Start:" in desc and "End:" in desc
    assert 'role="img"' in svg and "<dc:date>" not in svg


@pytest.mark.parametrize("exercise_id", IDS)
def test_pose_problems_none_in_either_position(exercise_id):
    """No joint beyond normal adult motion, every support point on its support."""
    spec = ef.figure_spec(exercise_id)
    assert ef.pose_problems(spec.start) == []
    assert ef.pose_problems(spec.end) == []


def test_pose_problems_finds_an_impossible_knee():
    assert ef.pose_problems(ef.SidePose(knee_n=-40)) == ["knee_flex_n -40 outside -5..160 deg"]


@pytest.mark.parametrize("exercise_id", IDS)
def test_spine_drawn_as_the_exercise_loads_it(exercise_id):
    """A neutral-spine exercise (no loads in data/exercises.json) is never drawn bent;
    one that loads flexion or extension is drawn moving that way (end position)."""
    ex = next(e for e in reference.exercises() if e.id == exercise_id)
    spec = ef.figure_spec(exercise_id)
    poses = (spec.start, spec.end)
    lumbar = [getattr(p, "lumbar_flex", 0.0) for p in poses]
    if not ex.loads:
        assert all(abs(v) <= 12 for v in lumbar), lumbar
        assert abs(getattr(spec.end, "side_bend", 0.0)) <= 5
    elif ex.loads == ("flexion",):
        assert lumbar[1] >= 20
    elif ex.loads == ("extension",):
        assert lumbar[1] <= -15
    elif ex.loads == ("side_bending",):
        assert abs(spec.end.side_bend + spec.end.thoracic_bend) >= 20
    elif ex.loads == ("rotation",):
        assert "turns" in ef.exercise_alt(exercise_id)


def test_exercise_png_is_a_png():
    assert ef.exercise_png("glute_bridge", 40).startswith(b"\x89PNG")


def test_plan_row_html_shows_picture_name_dose_and_cues():
    ex = next(e for e in reference.exercises() if e.id == "dead_bug")
    row = ef.plan_row_html(ex)
    assert "<img" in row and "alt=" in row and ex.name in row
    assert html.escape(ex.dosage) in row and html.escape(ex.cues[0]) in row
