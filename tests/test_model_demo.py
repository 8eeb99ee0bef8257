"""Wiring tests of the forward-bend demos (lbp_workbook/views/widgets/model_demo.py).

They check that controls reach the model and the picture, not the model's
numbers (tests/test_model.py does that).
"""

from __future__ import annotations

import pytest
from matplotlib.colors import to_hex

import lbp_workbook.views.widgets.model_demo as demo_module
from lbp_workbook.engine.examples import load_example
from lbp_workbook.engine.model import ModelInputError, forward_bend, slr_from_record
from lbp_workbook.views.plotstyle import PALETTE
from lbp_workbook.views.widgets.model_demo import compare_demo, model_demo, readout_text


def test_model_demo_defaults_to_worked_example():
    """runner_sam (docs/architecture.md) and Esola's 111 deg full bend."""
    demo = model_demo()
    assert demo.slr.value == pytest.approx(slr_from_record(load_example("runner_sam")))
    assert demo.bend.value == 111
    assert demo.knee.value == 0
    assert demo.view.image.value[:4] == b"\x89PNG"


def test_model_demo_readout_matches_forward_bend():
    demo = model_demo(slr_deg=70, bend_deg=90, knee_flexion_deg=10)
    pose = forward_bend(70, 90, 10)
    assert readout_text(pose) in demo.readout.value
    assert f"hip {pose.hip_deg:.0f}°" in demo.readout.value
    demo.bend.value = 120
    pose = forward_bend(70, 120, 10)
    assert f"thoracic {pose.thoracic_deg:.0f}°" in demo.readout.value
    assert demo.pose == pose


@pytest.mark.parametrize("control, value", [("slr", 100), ("bend", 40), ("knee", 45)])
def test_model_demo_slider_changes_image(control, value):
    demo = model_demo()
    before = demo.view.image.value
    getattr(demo, control).value = value
    assert demo.view.image.value != before
    assert demo.message.value == ""


def test_model_demo_hamstring_colour_flips_at_limit():
    demo = model_demo(slr_deg=64, bend_deg=30)
    assert to_hex(demo.drawing.hamstring.get_color()) == PALETTE["normal"].lower()
    assert "not at their limit" in demo.readout.value
    demo.bend.value = 111
    assert to_hex(demo.drawing.hamstring.get_color()) == PALETTE["deficient"].lower()
    assert "hamstrings at their limit" in demo.readout.value


def test_model_demo_example_dropdown_loads_slr():
    demo = model_demo()
    demo.client.value = "healthy_jo"
    assert demo.slr.value == round(slr_from_record(load_example("healthy_jo")))
    assert "red_flag_pat" not in [value for _, value in demo.client.options]  # no SLR there


def test_model_demo_record_uses_my_client():
    record = {"flexibility": {"slr_deg": {"left": 70, "right": 74}}}
    demo = model_demo(record=record)
    assert demo.slr.value == 72
    assert demo.client.value == "my client"


def test_model_demo_record_with_ake_only():
    record = {"flexibility": {"ake_deficit_deg": {"left": 20, "right": 20}}}
    demo = model_demo(record=record)
    assert demo.slr.value == pytest.approx(74, abs=1.5)  # domain.md 5b: AKE 20 = SLR 74


def test_model_demo_record_without_measurement_raises():
    with pytest.raises(ModelInputError, match="slr_deg"):
        model_demo(record={"client": {"id": "x"}})


def test_model_demo_bad_start_value_raises():
    with pytest.raises(ModelInputError, match="bend_deg = 200"):
        model_demo(bend_deg=200)


def test_model_demo_callback_error_shown_in_widget(monkeypatch):
    demo = model_demo()

    def broken(*args):
        raise ModelInputError("slr_deg = 1 <b> is broken")

    monkeypatch.setattr(demo_module, "forward_bend", broken)
    demo.bend.value = 50
    assert "slr_deg = 1 &lt;b&gt; is broken" in demo.message.value


def test_compare_demo_one_slider_moves_both():
    demo = compare_demo(slr_a_deg=85, slr_b_deg=64, bend_deg=30)
    before = demo.view.image.value
    assert all("not at their limit" in r.value for r in demo.readouts)
    demo.bend.value = 111
    assert demo.view.image.value != before
    a, b = demo.poses
    assert (a.bend_deg, b.bend_deg) == (111, 111)
    assert "not at their limit" in demo.readouts[0].value
    assert "hamstrings at their limit" in demo.readouts[1].value
    assert to_hex(demo.drawing.right.hamstring.get_color()) == PALETTE["deficient"].lower()


def test_compare_demo_defaults_to_example_clients():
    demo = compare_demo()
    assert "healthy_jo" in demo.readouts[0].value
    assert "runner_sam" in demo.readouts[1].value
    assert "below normal range" in demo.readouts[1].value
    assert "(normal range)" in demo.readouts[0].value
    assert demo.poses[0].hip_deg > demo.poses[1].hip_deg


def test_model_sources_lists_every_constant_with_its_source():
    from lbp_workbook.engine.model import model_constants
    from lbp_workbook.views.widgets.model_demo import model_sources

    table = model_sources().value
    rows = model_constants().values()
    assert table.count("<tr>") == len(rows) + 1  # + header
    assert "Esola" in table and "modelling choice" in table
    assert "69.4 deg" in table


def test_model_demo_lists_saved_clients(tmp_path):
    """'Use my client': a client saved with ClientStore appears in the list and loads its SLR
    (the mean of left and right, as slr_from_record gives)."""
    from lbp_workbook.engine.examples import load_example
    from lbp_workbook.engine.storage import ClientStore
    from lbp_workbook.views.widgets.model_demo import model_demo

    store = ClientStore(tmp_path / "clients")
    record = load_example("runner_sam")
    record["client"]["id"] = "saved-sam"
    record["flexibility"]["slr_deg"] = {"left": 50, "right": 54}
    store.save(record)
    demo = model_demo(store=store)
    keys = [value for _label, value in demo.client.options]
    assert "saved: saved-sam" in keys
    before = demo.view.image.value
    demo.client.value = "saved: saved-sam"
    assert demo.slr.value == 52
    assert demo.view.image.value != before


def test_model_demo_without_saved_folder_creates_nothing(tmp_path):
    """Listing saved clients for the dropdown never creates the clients folder."""
    from lbp_workbook.engine.storage import ClientStore
    from lbp_workbook.views.widgets.model_demo import model_demo

    folder = tmp_path / "nowhere" / "clients"
    demo = model_demo(store=ClientStore(folder))
    assert not folder.exists()
    assert not any(str(v).startswith("saved:") for _l, v in demo.client.options)


def _readout_numbers(text: str) -> tuple[int, int, int]:
    import re

    found = re.search(r"hip (\d+)° · lumbar (\d+)° · thoracic (\d+)°", text)
    assert found, text
    return tuple(int(n) for n in found.groups())


@pytest.mark.parametrize("slr, bend, knee", [(64, 111, 0), (85, 111, 0), (40, 60, 30), (120, 20, 90)])
def test_model_demo_readout_numbers_equal_forward_bend(slr, bend, knee):
    """The numbers a learner reads beside the picture are forward_bend()'s, rounded to a
    degree, and the picture's own labels say the same."""
    demo = model_demo(slr_deg=40, bend_deg=40)
    demo.slr.value, demo.bend.value, demo.knee.value = slr, bend, knee
    pose = forward_bend(slr, bend, knee)
    assert demo.pose == pose
    want = (round(pose.hip_deg), round(pose.lumbar_deg), round(pose.thoracic_deg))
    assert _readout_numbers(demo.readout.value) == want
    labels = (demo.drawing.hip_label, demo.drawing.lumbar_label, demo.drawing.thoracic_label)
    assert tuple(int(label.get_text().split()[1].rstrip("°")) for label in labels) == want


def test_model_demo_slider_there_and_back_gives_the_same_picture():
    """Blitting leaves nothing of the intermediate pose behind: back at the start value
    the image bytes are the start's again."""
    demo = model_demo()
    start = demo.view.image.value
    demo.slr.value = demo.slr.value + 1
    middle = demo.view.image.value
    demo.slr.value = demo.slr.value - 1
    assert middle != start
    assert demo.view.image.value == start


def test_model_demo_picture_equals_a_demo_started_there():
    """A demo moved to a pose shows exactly what a demo built at that pose shows."""
    demo = model_demo(slr_deg=64, bend_deg=30)
    demo.bend.value = 111
    demo.knee.value = 20
    assert demo.view.image.value == model_demo(slr_deg=64, bend_deg=111,
                                               knee_flexion_deg=20).view.image.value


def test_compare_demo_picture_equals_a_demo_started_there():
    demo = compare_demo(slr_a_deg=85, slr_b_deg=64, bend_deg=30)
    demo.bend.value = 111
    fresh = compare_demo(slr_a_deg=85, slr_b_deg=64, bend_deg=111)
    assert demo.view.image.value == fresh.view.image.value
    for pose, readout in zip(demo.poses, demo.readouts):
        want = (round(pose.hip_deg), round(pose.lumbar_deg), round(pose.thoracic_deg))
        assert _readout_numbers(readout.value) == want


def test_blit_figure_view_redraws_still_parts_only_when_told():
    """Still artists are drawn once: a changed heading shows after invalidate(), and the
    moving line is drawn on top either way."""
    from lbp_workbook.views.plotstyle import new_figure
    from lbp_workbook.views.widgets._figure_view import BlitFigureView

    fig = new_figure(3, 2, dpi=60)
    ax = fig.add_axes([0, 0, 1, 1])
    heading = ax.text(0.5, 0.8, "one", ha="center")
    line = ax.plot([0, 1], [0, 1])[0]
    view = BlitFigureView(fig, [line], width_px=180)
    first = view.refresh()
    heading.set_text("two")
    assert view.refresh() == first  # still part: not redrawn
    view.invalidate()
    second = view.refresh()
    assert second != first
    line.set_ydata([1, 0])
    assert view.refresh() not in (first, second)


def test_blit_figure_view_draws_moving_text():
    """Moving text is drawn (as outlines) and follows its changes."""
    from lbp_workbook.views.plotstyle import new_figure
    from lbp_workbook.views.widgets._figure_view import BlitFigureView

    fig = new_figure(3, 2, dpi=60)
    ax = fig.add_axes([0, 0, 1, 1])
    label = ax.text(0.5, 0.5, "", ha="center", fontsize=14)
    view = BlitFigureView(fig, [label], width_px=180)
    empty = view.refresh()
    label.set_text("hip 54°")
    with_text = view.refresh()
    label.set_text("hip 55°")
    assert len({empty, with_text, view.refresh()}) == 3
    label.set_text("")
    assert view.refresh() == empty


def test_blit_figure_view_outline_cache_is_bounded():
    """A long lesson cannot grow the kernel: the glyph-outline cache starts again when full."""
    from lbp_workbook.views.plotstyle import new_figure
    from lbp_workbook.views.widgets._figure_view import BlitFigureView

    fig = new_figure(3, 2, dpi=60)
    label = fig.add_axes([0, 0, 1, 1]).text(0.5, 0.5, "", ha="center")
    view = BlitFigureView(fig, [label], width_px=180)
    view.refresh()
    cache = view._text_renderer._paths
    for n in range(view._text_renderer.MAX_CACHED + 10):
        label.set_text(f"SLR {n}°")
        view.refresh()
        assert len(cache) <= view._text_renderer.MAX_CACHED
    assert ("SLR 0°", hash(label.get_fontproperties()), False) not in cache


def test_blit_figure_view_png_keeps_transparency_only_when_there_is_some():
    """Opaque figures (the house style) are sent as RGB; a see-through one keeps its alpha."""
    import io

    from PIL import Image

    from lbp_workbook.views.plotstyle import new_figure
    from lbp_workbook.views.widgets._figure_view import BlitFigureView

    modes = []
    for facecolor in ("white", "none"):
        fig = new_figure(3, 2, dpi=60)
        fig.patch.set_facecolor(facecolor)
        line = fig.add_axes([0, 0, 1, 1]).plot([0, 1], [0, 1])[0]
        modes.append(Image.open(io.BytesIO(BlitFigureView(fig, [line], 180).refresh())).mode)
    assert modes == ["RGB", "RGBA"]
