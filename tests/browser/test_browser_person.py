"""Module 7 (the person behind the back) in real JupyterLab and real Voila: each demo once.

The conversation simulator, the session adjuster and Sam's PSFS chart are found by their
``lbp-...`` classes. Expected words come from the package (``data/person.json``), never
from text written here.
"""

from __future__ import annotations

import pytest

import jupyter_harness as h
from lbp_workbook.person import psfs_rule, section

NOTEBOOK = "notebooks/06_the_person_behind_the_back.ipynb"


def _first_reply_verdict():
    """Index and verdict word of the first reply to the first statement (the data's order)."""
    reply = section("conversations")["items"][0]["replies"][0]
    return "helps" if reply["helps"] else "harms"


def _play(page, root: str) -> None:
    """Play each demo once: pick a reply, move the pain slider, tick the leg box."""
    sim = page.locator(f"{root} .lbp-conversation-simulator").first
    sim.scroll_into_view_if_needed()
    sim.locator("input[type=radio]").first.check()
    feedback = sim.locator(".lbp-conversation-feedback")
    feedback.get_by_text(f"This reply {_first_reply_verdict()}").wait_for(timeout=60_000)

    adj = page.locator(f"{root} .lbp-session-adjuster").first
    adj.scroll_into_view_if_needed()
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
