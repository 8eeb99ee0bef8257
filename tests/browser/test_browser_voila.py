"""The notebooks as an instructor shows them: real Voila (and instructor mode) in Chromium."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

import jupyter_harness as h

NOTEBOOKS = h.widget_notebooks()

#: Voila's own words when a cell failed (show_tracebacks is off by default).
VOILA_CELL_ERROR = "There was an error when executing cell"

#: Input (code) areas of a rendered notebook; none may be visible in Voila.
CODE_SELECTORS = ".jp-InputArea, .jp-Cell-inputWrapper, .jp-InputPrompt, .CodeMirror, .cm-editor"


def _wait_rendered(page, want_views: int) -> dict:
    page.wait_for_function(
        "([n]) => { const r = (" + h.DOM_REPORT_JS + ")('body');"
        " return r.views >= n || document.body.innerText.includes('" + VOILA_CELL_ERROR + "'); }",
        arg=[want_views], timeout=240_000,
    )
    page.wait_for_timeout(1500)  # late renders: images, nested views
    return page.evaluate(h.DOM_REPORT_JS, "body")


def _visible_code(page) -> int:
    return page.evaluate(
        "(sel) => [...document.querySelectorAll(sel)].filter(e => e.offsetParent !== null"
        " && e.getBoundingClientRect().height > 0).length", CODE_SELECTORS)


@pytest.mark.browser
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_voila_renders_every_widget_without_code(voila_server, page, screenshot, notebook):
    """``voila notebooks/NAME.ipynb``: every widget view renders, no error, no code shown."""
    want_views, want_quizzes = h.expected_views(notebook)
    server = voila_server(notebook)
    page.goto(server.url + "/")
    report = _wait_rendered(page, want_views)
    assert VOILA_CELL_ERROR not in page.inner_text("body")
    assert report["views"] >= want_views, report
    for key in ("errorDisplaying", "failedModel", "errorWidgets", "loading"):
        assert report[key] == 0, report
    assert report["stderr"] == [] and report["tracebacks"] == [], report
    assert report["quizzes"] >= want_quizzes, report
    assert _visible_code(page) == 0
    screenshot(page)
    h.assert_console_clean(page)


@pytest.mark.browser
def test_voila_model_demo_slider_moves_the_figure(voila_server, page, screenshot):
    """In Voila too, the model demo's SLR slider redraws the figure (new image bytes)."""
    notebook = h.notebook_calling("model_demo")
    if notebook is None:
        pytest.skip("no notebook calls model_demo() yet")
    want_views, _ = h.expected_views(notebook)
    page.goto(voila_server(notebook).url + "/")
    _wait_rendered(page, want_views)
    view = page.locator(".jp-OutputArea-output > .jupyter-widgets",
                        has_text="load a client's SLR").first
    view.scroll_into_view_if_needed()
    img = view.locator("img").first
    digest, src = h.image_digest(img), img.get_attribute("src")
    handle = view.locator(".noUi-handle").first
    handle.focus()
    for _ in range(3):
        handle.press("ArrowRight")
    assert h.wait_settled(page, img, src) != digest
    screenshot(view, "view")
    h.assert_console_clean(page)


@pytest.mark.browser
def test_instructor_mode_landing_and_module_pages_hide_code(present_server, page, screenshot):
    """``python -m lbp_workbook.present``: the landing page lists the modules; a module page
    renders its widgets with no code cell or input area visible."""
    page.goto(present_server.url + "/")
    page.wait_for_load_state("networkidle")
    links = page.locator("a[href*='.ipynb']")
    assert links.count() >= 1, page.inner_text("body")[:500]
    assert _visible_code(page) == 0
    screenshot(page, "landing")
    href = None
    for k in range(links.count()):
        candidate = links.nth(k).get_attribute("href") or ""
        nb = "notebooks/" + candidate.rsplit("/", 1)[-1].split("?")[0]
        if nb in NOTEBOOKS:
            href, notebook = candidate, nb
            break
    if href is None:
        pytest.fail(f"no link on the landing page to a widget notebook {NOTEBOOKS}")
    page.goto(urljoin(page.url, href))
    want_views, _ = h.expected_views(notebook)
    report = _wait_rendered(page, want_views)
    assert report["views"] >= want_views, report
    assert VOILA_CELL_ERROR not in page.inner_text("body")
    assert _visible_code(page) == 0
    screenshot(page, "module")
    h.assert_console_clean(page)
