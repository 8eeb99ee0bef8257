"""The classroom hub (``make hub``) in real Chromium: two learners, each in their own folder.

The hub is the real one (hub/jupyterhub_config.py: JupyterHub from the lock,
configurable-http-proxy from npm, the shared class password, SimpleLocalProcessSpawner),
started on free 127.0.0.1 ports by the ``class_hub`` fixture and stopped by it.
"""

from __future__ import annotations

import json
import sys
from types import SimpleNamespace

import jupyter_harness as h
import pytest

if str(h.HUB_DIR) not in sys.path:
    sys.path.insert(0, str(h.HUB_DIR))
import classhub  # hub/classhub.py: the hub's settings

ROOT = h.ROOT
#: The lesson where the assessment app is first used for flexibility and endurance.
LESSON = "notebooks/05_assessing_flexibility_and_endurance.ipynb"
LEARNERS = {"ana": "ana-client-1", "ben": "ben-client-1"}


def _lesson() -> str:
    """LESSON if it still shows the app, else the first notebook that does."""
    if (ROOT / LESSON).exists() and "assessment_app" in (ROOT / LESSON).read_text("utf-8"):
        return LESSON
    found = h.notebook_calling("assessment_app")
    assert found, "no notebook shows the assessment app"
    return found


def _field(path: str) -> str:
    return "lbp-field-" + path.replace(".", "-")


class Learner:
    """One learner's page: logged in, the lesson open in their own JupyterLab and run."""

    def __init__(self, chromium, hub, name: str) -> None:
        self.name = name
        self.context = chromium.new_context(viewport={"width": 1280, "height": 1000})
        self.page = self.context.new_page()
        self.page.set_default_timeout(120_000)
        self.page.lbp_console = h.ConsoleLog(self.page)
        self.server = SimpleNamespace(url=h.hub_login(self.page, hub, name))
        self.notebook = f"{classhub.TARGET}/{_lesson()}"
        h.open_lab_notebook(self.page, self.server, self.notebook)
        self.summary = h.lab_run_all(self.page, self.notebook)
        self.app = self.page.locator(
            ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .lbp-assessment-app").first
        self.app.scroll_into_view_if_needed()
        self.chart = self.app.locator("img.lbp-deficit-chart").first
        self.picker = self.app.locator(".widget-dropdown:has(label:text-is('Saved')) select").first

    def errors(self) -> list[str]:
        return [o["text"][:300] for c in self.summary["cells"] for o in c["outputs"]
                if o["type"] == "error"]

    def enter(self, path: str, value: str) -> None:
        box = self.app.locator(f".{_field(path)} input").first
        box.fill(value)
        box.press("Enter")

    def wait_text(self, words: str) -> None:
        self.page.wait_for_function("([el, w]) => el.innerText.includes(w)",
                                    arg=[self.app.element_handle(), words], timeout=120_000)

    def saved_ids(self) -> list[str]:
        """The app's own saved-client list, re-read by its Refresh button."""
        self.app.get_by_role("button", name="Refresh list").click()
        self.page.wait_for_timeout(1500)  # the options come back from the kernel
        return self.picker.evaluate("(el) => [...el.options].map(o => o.textContent.trim())"
                                    ".filter(t => t)")


@pytest.mark.browser
def test_hub_two_learners_each_use_the_app_and_see_only_their_own_clients(
        class_hub, chromium, screenshot):
    """Two learners log in with the class password; nbgitpuller puts the notebooks in each
    one's own folder; each runs the lesson, enters a left SLR, sees the deficit chart change
    and saves a client; each app lists only that learner's own saved client."""
    learners: dict[str, Learner] = {}
    try:
        for name, client in LEARNERS.items():
            me = Learner(chromium, class_hub, name)
            learners[name] = me
            home = class_hub.learner_home(name)
            assert (home / classhub.TARGET / _lesson()).is_file(), "the pull did not land"
            assert not me.errors(), me.errors()
            assert me.app.is_visible()

            me.enter("client.id", client)
            before_digest = h.image_digest(me.chart)
            before_src = me.chart.get_attribute("src")
            me.app.locator(".lbp-tabs .lm-TabBar-tab", has_text="Flexibility").first.click()
            me.enter("flexibility.slr_deg.left", "85")
            after = h.wait_settled(me.page, me.chart, before_src)
            assert after != before_digest, f"{name}: the deficit chart did not change"
            me.wait_text("85 deg")
            me.chart.scroll_into_view_if_needed()
            screenshot(me.page, f"{name}-chart")

            me.app.get_by_role("button", name="Save client").click()
            me.wait_text(f"Saved client {client}")
            files = sorted((home / "lbp-workbook" / "clients").glob("*.json"))
            assert len(files) == 1, files
            assert json.loads(files[0].read_text(encoding="utf-8"))  # a real, readable history
            screenshot(me.page, f"{name}-saved")

        for name, client in LEARNERS.items():
            me = learners[name]
            assert me.saved_ids() == [client], f"{name} sees {me.saved_ids()}"
            others = [c for n, c in LEARNERS.items() if n != name]
            assert not any(o in me.app.inner_text() for o in others)
            h.assert_console_clean(me.page)
        # the two learners' folders are separate copies of the notebooks
        a, b = (class_hub.learner_home(n) / classhub.TARGET for n in LEARNERS)
        assert a != b and (a / ".git").is_dir() and (b / ".git").is_dir()
    finally:
        for me in learners.values():
            me.context.close()
