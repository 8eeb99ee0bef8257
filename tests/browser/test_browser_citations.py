"""A citation in a lesson is a link that lands on its entry in the References cell,
in real JupyterLab and in real Voila (Chromium)."""

from __future__ import annotations

import jupyter_harness as h
import pytest

NOTEBOOK = "notebooks/03_hamstring_pelvis_pull.ipynb"
#: Cited in module 3's evidence table (near the middle); its entry is in the last cell.
KEY = "ref-sadler-2017"
ENTRY_TEXT = "Sadler et al. 2017."

#: JS: where the entry's anchor is (JupyterLab's sanitiser keeps the id as data-jupyter-id,
#: Voila keeps the id), whether it is inside the visible window, and its list item's text.
ENTRY_JS = """
(key) => {
  const el = document.querySelector(`[data-jupyter-id="${key}"]`) || document.getElementById(key);
  if (!el) return null;
  const r = el.getBoundingClientRect();
  const item = el.closest('li');
  return {top: r.top, visible: r.top >= 0 && r.bottom <= window.innerHeight,
          text: item ? item.innerText : ''};
}
"""


#: JS: scroll every scrolling container (JupyterLab's notebook panel, Voila's page) to the top.
TO_TOP_JS = """
() => { window.scrollTo(0, 0);
  for (const el of document.querySelectorAll('.jp-WindowedPanel-outer, .jp-Notebook, body, html'))
    el.scrollTop = 0; }
"""


def _assert_lands(page, where: str) -> None:
    page.evaluate(TO_TOP_JS)  # run-all leaves JupyterLab scrolled to the last cell
    page.wait_for_timeout(300)
    link = page.locator(f'a[href="#{KEY}"]').first
    link.scroll_into_view_if_needed()
    assert link.inner_text() == "Sadler et al. 2017"
    before = page.evaluate(ENTRY_JS, KEY)
    assert before is not None, f"{where}: no anchor {KEY} on the page"
    assert not before["visible"], f"{where}: the entry is already in view; the test proves nothing"
    link.click()
    page.wait_for_function(f"() => ({ENTRY_JS})('{KEY}').visible", timeout=10_000)
    page.wait_for_timeout(800)  # nothing moves it away again after the scroll
    after = page.evaluate(ENTRY_JS, KEY)
    assert after["visible"], f"{where}: the entry left the view after the click: {after}"
    assert after["text"].startswith(ENTRY_TEXT), after["text"]


@pytest.mark.browser
def test_citation_link_lands_on_its_entry_in_lab_and_voila(lab_notebook, voila_server, page,
                                                            screenshot):
    """Module 3, run in JupyterLab: clicking "Sadler et al. 2017" in the evidence table
    scrolls its References entry into view. The same click in Voila does the same."""
    opened = lab_notebook(NOTEBOOK)
    _assert_lands(opened.page, "JupyterLab")
    screenshot(opened.page, "lab")

    page.goto(voila_server(NOTEBOOK).url + "/", wait_until="commit")
    page.wait_for_function(
        "() => { const s = document.getElementById('loading');"
        " return document.body && (!s || getComputedStyle(s).display === 'none')"
        " && document.querySelector('a[href=\"#" + KEY + "\"]'); }",
        timeout=240_000, polling=500,
    )
    page.wait_for_timeout(1500)  # late renders (widget images) above the entry
    _assert_lands(page, "Voila")
    screenshot(page, "voila")
    h.assert_console_clean(page)
