"""Wiring tests of the forward-bend demos (lbp_workbook/widgets/model_demo.py).

They check that controls reach the model and the picture, not the model's
numbers (tests/test_model.py does that).
"""

from __future__ import annotations

import pytest
from matplotlib.colors import to_hex

import lbp_workbook.widgets.model_demo as demo_module
from lbp_workbook.examples import load_example
from lbp_workbook.model import ModelInputError, forward_bend, slr_from_record
from lbp_workbook.plotstyle import PALETTE
from lbp_workbook.widgets.model_demo import compare_demo, model_demo, readout_text


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
    from lbp_workbook.model import model_constants
    from lbp_workbook.widgets.model_demo import model_sources

    table = model_sources().value
    rows = model_constants().values()
    assert table.count("<tr>") == len(rows) + 1  # + header
    assert "Esola" in table and "modelling choice" in table
    assert "69.4 deg" in table


def test_model_demo_lists_saved_clients(tmp_path):
    """'Use my client': a client saved with ClientStore appears in the list and loads its SLR
    (the mean of left and right, as slr_from_record gives)."""
    from lbp_workbook.examples import load_example
    from lbp_workbook.storage import ClientStore
    from lbp_workbook.widgets.model_demo import model_demo

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
    from lbp_workbook.storage import ClientStore
    from lbp_workbook.widgets.model_demo import model_demo

    folder = tmp_path / "nowhere" / "clients"
    demo = model_demo(store=ClientStore(folder))
    assert not folder.exists()
    assert not any(str(v).startswith("saved:") for _l, v in demo.client.options)
