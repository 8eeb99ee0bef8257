"""The widget check (notebook 01) and the muscle chooser (notebook 02): wiring only."""

from __future__ import annotations

import lbp_workbook as lbp
from lbp_workbook.course.anatomy import muscle, muscles_in_group
from lbp_workbook.course.muscle_chooser import muscle_chooser
from lbp_workbook.views.widgets import widget_check


def test_widget_check_label_echoes_slider():
    box = widget_check()
    assert str(box.slider.value) in box.label.value
    for value in (box.slider.min, box.slider.max, 5):
        box.slider.value = value
        assert f"You picked {value}." in box.label.value


def test_widget_check_in_flat_namespace():
    assert lbp.widget_check is widget_check


def test_muscle_chooser_default_shows_transversus():
    chooser = muscle_chooser()
    assert chooser.muscle.value == "transversus_abdominis"
    assert "Transversus abdominis" in chooser.card.value


def test_muscle_chooser_group_filters_muscles():
    chooser = muscle_chooser()
    chooser.group.value = "hip_lateral_rotators"
    ids = [value for _, value in chooser.muscle.options]
    assert ids == [m.id for m in muscles_in_group("hip_lateral_rotators")]
    assert chooser.muscle.value == "piriformis"
    assert "Piriformis" in chooser.card.value


def test_muscle_chooser_muscle_changes_card():
    chooser = muscle_chooser()
    chooser.muscle.value = "iliopsoas"
    assert muscle("iliopsoas").name in chooser.card.value
    assert "lesser trochanter" in chooser.card.value
    chooser.group.value = "all"
    assert len(chooser.muscle.options) >= 23


def test_widget_check_and_muscle_chooser_carry_css_hooks():
    """Stable classes the browser tests find these views by (never their wording)."""
    assert "lbp-widget-check" in widget_check()._dom_classes
    chooser = muscle_chooser()
    assert "lbp-muscle-chooser" in chooser._dom_classes
    assert "lbp-muscle-select" in chooser.muscle._dom_classes
    assert "lbp-muscle-card" in chooser.card._dom_classes
