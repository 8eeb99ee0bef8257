"""Every notebook that shows a widget or a quiz, run in real JupyterLab in real Chromium.

Notebooks are discovered from their code cells (``widgets``, ``_app(``, ``_demo(``,
``show_quiz``), so a new notebook is covered as soon as it lands.
"""

from __future__ import annotations

import jupyter_harness as h
import pytest

NOTEBOOKS = h.widget_notebooks()


def _problems(summary: dict) -> list[str]:
    """Cell-level problems a learner would see: errors, stderr, cells that never ran."""
    problems = []
    for cell in summary["cells"]:
        where = f"cell {cell['index']} ({cell['source']!r})"
        if cell["count"] is None:
            problems.append(f"{where} did not run")
        for out in cell["outputs"]:
            if out["type"] == "error":
                problems.append(f"{where} raised:\n{out['text'][:2000]}")
            elif out["type"] == "stream" and out["name"] == "stderr":
                problems.append(f"{where} wrote to stderr:\n{out['text'][:2000]}")
    return problems


@pytest.mark.browser
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_lab_notebook_runs_and_every_widget_renders(lab_notebook, screenshot, notebook):
    """Run all cells; every widget view renders, no error output anywhere, quizzes answer."""
    want_widget_cells, want_quizzes = h.expected_views(notebook)

    opened = lab_notebook(notebook)
    page, summary = opened.page, opened.summary
    assert not _problems(summary), "\n".join(_problems(summary))

    # The kernel's side: how many widget views the notebook produced, per cell.
    view_outputs = [
        sum("application/vnd.jupyter.widget-view+json" in o["keys"] for o in c["outputs"])
        for c in summary["cells"]
    ]
    assert sum(1 for n in view_outputs if n) >= want_widget_cells, (
        f"{want_widget_cells} code cells call a widget, but only "
        f"{sum(1 for n in view_outputs if n)} produced a widget view: {view_outputs}"
    )
    total_views = sum(view_outputs)

    # The browser's side: every one of those views rendered, none failed.
    page.wait_for_function(
        "([sel, n]) => (" + h.DOM_REPORT_JS + ")(sel).views >= n",
        arg=[".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook", total_views],
        timeout=120_000,
    )
    page.wait_for_timeout(1000)  # let late renders (images, nested views) finish
    report = page.evaluate(h.DOM_REPORT_JS, ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
    assert report["views"] == total_views, report
    assert report["errorDisplaying"] == 0, report
    assert report["failedModel"] == 0, report
    assert report["errorWidgets"] == 0, report
    assert report["loading"] == 0, report
    assert report["stderr"] == [], report
    assert report["tracebacks"] == [], report
    assert report["quizzes"] >= want_quizzes, report

    views = page.locator(f"{opened.root} .jp-OutputArea-output > .jupyter-widgets")
    for k in range(views.count()):
        views.nth(k).scroll_into_view_if_needed()
        screenshot(views.nth(k), f"view{k + 1}")
    if want_quizzes:
        _answer_a_quiz_question(page)
        screenshot(page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .Quiz").first, "quiz")
    page.locator(f"{opened.root} .jp-Cell").first.scroll_into_view_if_needed()
    screenshot(page)

    h.assert_console_clean(page)


def _answer_a_quiz_question(page) -> None:
    """Click the first answer of the first quiz question and see its feedback text."""
    quiz = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .Quiz").first
    quiz.scroll_into_view_if_needed()
    buttons = quiz.locator(".MCButton")
    assert buttons.count() >= 2
    feedback = quiz.locator(".Feedback").first
    before = feedback.inner_text()
    buttons.first.click()
    page.wait_for_function(
        "([el, before]) => el.innerText.trim() !== '' && el.innerText !== before",
        arg=[feedback.element_handle(), before],
        timeout=30_000,
    )
