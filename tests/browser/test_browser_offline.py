"""Nothing leaves the machine: every notebook, run in JupyterLab and in instructor mode
(Voila), with every demo played once and a quiz answered, asks nothing of any address
but 127.0.0.1 / localhost.

Every request of the browser context is recorded (``h.OffsiteGuard``, Playwright's
``context.route``); one aimed anywhere else is aborted and fails the test, whatever it was
for (a CDN font, script or stylesheet). Nothing is allow-listed.
"""

from __future__ import annotations

from pathlib import Path

import jupyter_harness as h
import pytest

ALL_NOTEBOOKS = [f"notebooks/{p.name}" for p in sorted((h.ROOT / "notebooks").glob("*.ipynb"))]


def _report(where: str, guard, played) -> str:
    return (f"{where} asked for addresses outside this machine: {guard.problems()} "
            f"(played: {played}; {len(guard.requests)} requests in all)")


@pytest.mark.browser
@pytest.mark.parametrize("notebook", ALL_NOTEBOOKS)
def test_jupyterlab_notebook_run_and_played_stays_on_this_machine(lab_notebook, screenshot,
                                                                   notebook):
    opened = lab_notebook(notebook)
    played = h.play_demos(opened.page, opened.root)
    want_widget_cells, want_quizzes = h.expected_views(notebook)
    assert played.count("quiz") >= min(want_quizzes, 1), played
    assert len([p for p in played if p != "quiz"]) >= want_widget_cells, played
    assert opened.guard.requests, "no request was recorded at all: the guard is not working"
    assert not opened.guard.problems(), _report(f"JupyterLab, {notebook}", opened.guard, played)
    screenshot(opened.page, "lab")


@pytest.mark.browser
@pytest.mark.parametrize("notebook", ALL_NOTEBOOKS)
def test_instructor_mode_page_run_and_played_stays_on_this_machine(present_server, chromium,
                                                                    screenshot, notebook):
    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    guard = h.OffsiteGuard(context)
    try:
        page = context.new_page()
        page.set_default_timeout(120_000)
        page.lbp_console = h.ConsoleLog(page)
        page.goto(f"{present_server.url}/voila/render/{notebook}", wait_until="commit")
        want_widget_cells, want_quizzes = h.expected_views(notebook)
        report = h.wait_voila_rendered(page, want_widget_cells)
        assert not page.locator("#lbp-kernel-problem").count(), "the page's kernel did not start"
        assert report["quizzes"] >= want_quizzes, report
        played = h.play_demos(page)
        assert played.count("quiz") >= min(want_quizzes, 1), played
        assert len([p for p in played if p != "quiz"]) >= want_widget_cells, played
        assert guard.requests, "no request was recorded at all: the guard is not working"
        assert not guard.problems(), _report(f"Voila, {notebook}", guard, played)
        screenshot(page.locator("body"), Path(notebook).stem)
        h.assert_console_clean(page)
    finally:
        context.close()
