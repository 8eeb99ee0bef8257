"""Module 7 (the person behind the back) in real JupyterLab and real Voila: each demo once.

The conversation simulator, the session adjuster and Sam's PSFS chart are found by their
``lbp-...`` classes. Expected words come from the package (``data/person.json``), never
from text written here.
"""

from __future__ import annotations

import jupyter_harness as h
import pytest

from lbp_workbook.engine.person import psfs_rule, section

NOTEBOOK = "notebooks/07_the_person_behind_the_back.ipynb"


def _verdicts() -> dict[str, str]:
    """Every reply's text -> "helps" or "harms", as data/person.json says."""
    out = {}
    for item in section("conversations")["items"]:
        for reply in item["replies"]:
            out[reply["text"]] = "helps" if reply["helps"] else "harms"
    return out


def _play(page, root: str) -> None:
    """Play each demo once: pick a reply, move the pain slider, tick the leg box.

    The page may have been played before in this session (the offline test plays every
    demo), so the reply picked is one not chosen yet, read from the page."""
    sim = page.locator(f"{root} .lbp-conversation-simulator").first
    sim.scroll_into_view_if_needed()
    option = sim.locator("label:has(input[type=radio]:not(:checked))").first
    text = option.inner_text().replace("\xa0", " ").strip()
    option.locator("input[type=radio]").check()
    feedback = sim.locator(".lbp-conversation-feedback")
    feedback.get_by_text(f"This reply {_verdicts()[text]}").wait_for(timeout=60_000)

    box = page.locator(f"{root} .lbp-reset-box:has(.lbp-session-adjuster)").first
    box.scroll_into_view_if_needed()
    box.locator("button").first.click()  # Reset: back to the default session (4/10, settled)
    adj = box.locator(".lbp-session-adjuster").first
    adj.wait_for(timeout=60_000)
    advice = adj.locator(".lbp-session-advice")
    zones = {z["id"]: z for z in section("traffic_light")["zones"]}
    advice.get_by_text(zones["amber"]["label"]).wait_for(timeout=60_000)  # the default, 4/10
    handle = adj.locator(".noUi-handle").first
    handle.focus()
    for _ in range(3):  # 4 -> 7: the red zone
        handle.press("ArrowRight")
    advice.get_by_text(zones["red"]["label"]).wait_for(timeout=60_000)
    adj.get_by_text("Symptoms spread into a leg").click()
    advice.get_by_text("Stop and refer").wait_for(timeout=60_000)

    chart = page.locator(f"{root} img[alt*='Patient-Specific Functional Scale']").first
    chart.scroll_into_view_if_needed()
    alt = chart.get_attribute("alt")
    assert "Sam" in alt and f"{psfs_rule().mdc_average_points:g} points" in alt, alt
    assert page.evaluate("(img) => img.naturalWidth", chart.element_handle()) > 0


@pytest.mark.browser
def test_person_module_demos_play_in_jupyterlab(lab_notebook, screenshot):
    o = lab_notebook(NOTEBOOK)
    _play(o.page, o.root)
    screenshot(o.page)
    h.assert_console_clean(o.page)


@pytest.mark.browser
def test_person_module_demos_play_in_voila(voila_server, page, screenshot):
    from test_browser_voila import _wait_rendered

    want_views, _ = h.expected_views(NOTEBOOK)
    page.goto(voila_server(NOTEBOOK).url + "/", wait_until="commit")
    _wait_rendered(page, want_views)
    _play(page, "body")
    screenshot(page)
    h.assert_console_clean(page)
