"""The notebooks as an instructor shows them: real Voila (and instructor mode) in Chromium."""

from __future__ import annotations

from urllib.parse import urljoin

import jupyter_harness as h
import pytest

NOTEBOOKS = h.widget_notebooks()

#: Voila's own words when a cell failed (show_tracebacks is off by default).
VOILA_CELL_ERROR = "There was an error when executing cell"

#: Code of a rendered notebook (a code cell's input area or prompt, an editor); none may be
#: visible in Voila. (Markdown cells also render inside .jp-InputArea, so only code cells'.)
CODE_SELECTORS = (".jp-CodeCell .jp-InputArea, .jp-CodeCell .jp-InputPrompt, .jp-InputArea-editor, "
                  ".CodeMirror, .cm-editor, .highlight pre, div.input_area")


def _wait_rendered(page, want_views: int, timeout_ms: int = 240_000) -> dict:
    # Voila shows a spinner ("Executing 3 of 18") while the kernel runs the cells, then
    # hides #loading and the page's widgets render.
    page.wait_for_function(
        "([n]) => { if (!document.body) return false;"
        " if (document.body.innerText.includes('" + VOILA_CELL_ERROR + "')) return true;"
        " const spin = document.getElementById('loading');"
        " if (spin && getComputedStyle(spin).display !== 'none') return false;"
        " return (" + h.DOM_REPORT_JS + ")('body').views >= n; }",
        arg=[want_views], timeout=timeout_ms, polling=500,
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
    page.goto(server.url + "/", wait_until="commit")
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
    page.goto(voila_server(notebook).url + "/", wait_until="commit")
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
def test_instructor_mode_landing_and_every_module_hide_code(present_server, chromium, page,
                                                           screenshot):
    """``python -m lbp_workbook.present``: the landing page links every numbered module;
    each module page then renders (its widgets too) with no code visible and no error.

    Every module is checked (each in a fresh page, as an instructor opening it), and all
    problems are reported together.
    """
    page.goto(present_server.url + "/", wait_until="commit")
    page.wait_for_selector("a[href*='.ipynb']", timeout=240_000)
    _wait_rendered(page, 0)
    assert VOILA_CELL_ERROR not in page.inner_text("body")
    assert _visible_code(page) == 0
    hrefs = []
    for link in page.locator("a[href*='.ipynb']").all():
        href = link.get_attribute("href") or ""
        if href not in hrefs:
            hrefs.append(href)
    modules = sorted(h.ROOT.joinpath("notebooks").glob("[0-9][0-9]_*.ipynb"))
    linked = {href.rsplit("/", 1)[-1].split("?")[0] for href in hrefs}
    assert {m.name for m in modules} <= linked, f"modules missing from the landing page: {linked}"
    screenshot(page, "landing")
    h.assert_console_clean(page)

    problems = []
    for href in hrefs:
        name = href.rsplit("/", 1)[-1].split("?")[0]
        notebook = f"notebooks/{name}"
        want_views, _ = h.expected_views(notebook) if notebook in NOTEBOOKS else (0, 0)
        context = chromium.new_context(viewport={"width": 1280, "height": 1000})
        module = context.new_page()
        module.lbp_console = h.ConsoleLog(module)
        try:
            module.goto(urljoin(page.url, href), wait_until="commit")
            try:
                report = _wait_rendered(module, want_views, timeout_ms=150_000)
            except Exception as err:  # noqa: BLE001 - collected, reported below
                spin = module.locator("#loading_text")
                stuck = spin.inner_text() if spin.count() else ""
                problems.append(f"{name}: never finished rendering ({stuck!r}): {err}"[:400])
                continue
            body = module.inner_text("body")
            if VOILA_CELL_ERROR in body:
                problems.append(f"{name}: a cell failed")
            if report["views"] < want_views:
                problems.append(f"{name}: {report['views']} widget views, want {want_views}")
            for key in ("errorDisplaying", "failedModel", "errorWidgets", "stderr", "tracebacks"):
                if report[key]:
                    problems.append(f"{name}: {key} {report[key]}")
            if _visible_code(module):
                problems.append(f"{name}: code is visible")
            problems += [f"{name}: console: {e}" for e in module.lbp_console.unexpected()]
        finally:
            screenshot(module, f"module-{name.split('.')[0]}")
            context.close()
    screenshot(page, "landing-after")  # (the end-of-test shot is of this live page)
    assert not problems, "\n".join(problems)
