"""The assessment app's layout in real JupyterLab (issue 12, section 3): what changes when
you type is beside the box you typed in. At 1280 px (file browser open) the phase card
sits beside the entries, not below them; on a page narrower than 1,000 px the app is one
column (entries, then the phase card). Found by the app's ``lbp-...`` classes."""

from __future__ import annotations

import jupyter_harness as h
import pytest


def _notebook(call: str) -> str:
    nb = h.notebook_calling(call)
    if nb is None:
        pytest.skip(f"no notebook calls {call}() yet")
    return nb


def _boxes(o) -> dict:
    app = o.page.locator(f"{o.root} .lbp-assessment-app").first
    app.scroll_into_view_if_needed()
    o.page.wait_for_timeout(800)  # let the grid settle after a resize
    return {name: app.locator(sel).first.bounding_box()
            for name, sel in (("app", ":scope"), ("entries", ".lbp-controls"),
                              ("card", ".lbp-phase-card"), ("chart", "img.lbp-deficit-chart"),
                              ("findings", ".lbp-findings"))}


def _top(o) -> None:
    """Scroll the app's top to the top of the window, for the screenshot."""
    o.page.locator(f"{o.root} .lbp-assessment-app").first.evaluate(
        "el => el.scrollIntoView({block: 'start'})")
    o.page.wait_for_timeout(500)


@pytest.mark.browser
def test_assessment_app_phase_card_beside_the_entries_then_stacked(lab_notebook, screenshot):
    o = lab_notebook(_notebook("assessment_app"))
    page = o.page
    shots = []
    for width, height in ((1280, 800), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        b = _boxes(o)
        entries, card, findings = b["entries"], b["card"], b["findings"]
        # beside: the card starts right of the entries and level with their top
        assert card["x"] >= entries["x"] + entries["width"] - 1, (width, b)
        assert abs(card["y"] - entries["y"]) < 40, (width, b)
        # the findings (and the plan after them) come after the grid
        assert findings["y"] >= entries["y"] + entries["height"] - 1, (width, b)
        _top(o)
        shots.append(screenshot(page, f"{width}x{height}"))
    # a 1024 px projector with the file browser open leaves the app about 600 px: one
    # column, as below 1,000 px (looked at in the screenshot, not asserted)
    page.set_viewport_size({"width": 1024, "height": 768})
    _boxes(o)
    _top(o)
    shots.append(screenshot(page, "1024x768"))
    page.set_viewport_size({"width": 900, "height": 900})
    b = _boxes(o)
    entries, card = b["entries"], b["card"]
    assert card["y"] >= entries["y"] + entries["height"] - 1, b  # stacked under the entries
    assert abs(card["x"] - entries["x"]) < 8, b
    _top(o)
    shots.append(screenshot(page, "900x900"))
    page.set_viewport_size({"width": 1280, "height": 1000})
    print("screenshots:", *shots)
    h.assert_console_clean(page)
