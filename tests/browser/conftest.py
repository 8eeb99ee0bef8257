"""Fixtures for the browser tests: real JupyterLab and Voila servers, one Chromium.

Servers are session-scoped, bound to 127.0.0.1 on free ports, isolated in a
temporary home (``LBP_WORKBOOK_HOME`` and Jupyter's own folders), and always
stopped at the end of the session, also when a test fails. A screenshot of
every page a test used lands in ``test-artifacts/browser/`` (git-ignored),
with the servers' logs in ``test-artifacts/browser/logs/``.

The skip/fail logic for a missing Chromium lives in ``tests/conftest.py``: a
browser test is only started when Chromium exists, so the fixtures here may
assume it does.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import jupyter_harness as h  # noqa: E402

ROOT = h.ROOT
ARTIFACTS = ROOT / "test-artifacts" / "browser"
LOGS = ARTIFACTS / "logs"

#: Generous: the machine has two shared cores and several people on it.
PAGE_TIMEOUT_MS = 120_000


@pytest.fixture(scope="session", autouse=True)
def _fresh_artifacts():
    """Start each session with no screenshots left over from an earlier one."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    yield


@pytest.fixture(scope="session")
def server_home(tmp_path_factory) -> Path:
    """A throw-away home for every server of this session (never the real home)."""
    return tmp_path_factory.mktemp("lbp-browser-home")


@pytest.fixture(scope="session")
def lab_server(server_home):
    """JupyterLab serving the repository (notebooks under /lab/tree/notebooks/).

    Autosave is off (the tests run the real notebooks); at the end, a notebook whose
    bytes changed during the session *and* now holds outputs is reported as an error:
    that would be this session writing into the repository.
    """
    before = h.file_digests(ROOT / "notebooks")
    server = h.start_lab(ROOT, server_home / "lab", LOGS)
    try:
        yield server
    finally:
        server.stop()
    after = h.file_digests(ROOT / "notebooks")
    written = []
    for name, digest in after.items():
        if before.get(name) not in (None, digest):
            nb = json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))
            if any(c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code"):
                written.append(name)
    assert not written, f"the browser session wrote outputs into {written}: restore them"


@pytest.fixture(scope="session")
def voila_server(server_home):
    """``voila_server("notebooks/NAME.ipynb")``: a Voila for that notebook, started once."""
    started: dict[str, h.Server] = {}

    def get(notebook: str) -> h.Server:
        if notebook not in started:
            stem = Path(notebook).stem
            started[notebook] = h.start_voila(
                notebook, ROOT, server_home / f"voila-{stem}", LOGS, name=f"voila-{stem}"
            )
        return started[notebook]

    try:
        yield get
    finally:
        for server in started.values():
            server.stop()


@pytest.fixture(scope="session")
def present_server(server_home):
    """Instructor mode (``python -m lbp_workbook.present``), once it exists."""
    if not (ROOT / "lbp_workbook" / "present.py").exists():
        pytest.skip("instructor mode (lbp_workbook/present.py) has not landed yet")
    server = h.start_present(ROOT, server_home / "present", LOGS)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def chromium():
    """One Debian Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        browser = h.launch_chromium(pw)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        pw.stop()


class OpenNotebook:
    """A notebook opened in JupyterLab and run once (all cells), kept for the session."""

    def __init__(self, notebook: str, page, summary: dict, guard=None) -> None:
        self.notebook, self.page, self.summary = notebook, page, summary
        self.guard = guard  # h.OffsiteGuard: every request of the page, none may leave
        self.root = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"

    def view(self, has_text: str):
        """The top-level widget view (a cell output) whose text contains ``has_text``."""
        return self.page.locator(
            f"{self.root} .jp-OutputArea-output > .jupyter-widgets", has_text=has_text
        ).first


@pytest.fixture(scope="session")
def lab_notebook(lab_server, chromium):
    """``lab_notebook("notebooks/NAME.ipynb")``: opened in its own browser context and run
    all once per session (JupyterLab pages are heavy; several tests share one)."""
    opened: dict[str, OpenNotebook] = {}
    contexts = []

    def get(notebook: str) -> OpenNotebook:
        if notebook not in opened:
            context = chromium.new_context(viewport={"width": 1280, "height": 1000})
            contexts.append(context)
            guard = h.OffsiteGuard(context)
            pg = context.new_page()
            pg.set_default_timeout(PAGE_TIMEOUT_MS)
            pg.lbp_console = h.ConsoleLog(pg)
            h.open_lab_notebook(pg, lab_server, notebook)
            summary = h.lab_run_all(pg, notebook)
            opened[notebook] = OpenNotebook(notebook, pg, summary, guard)
        return opened[notebook]

    try:
        yield get
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def screenshot(request):
    """``screenshot(page_or_locator, suffix="")``: save a PNG now under test-artifacts/browser/;
    the last page passed is shot again at teardown (also when the test failed)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    last = []

    def shot(target, suffix: str = "") -> Path:
        path = ARTIFACTS / f"{base}{'-' + suffix if suffix else ''}.png"
        target.screenshot(path=str(path))
        if hasattr(target, "goto"):
            last[:] = [target]
        return path

    yield shot
    if last:
        try:
            last[0].screenshot(path=str(ARTIFACTS / f"{base}-end.png"))
        except Exception as err:  # never hide the real failure
            print(f"screenshot failed for {base}: {err}")


@pytest.fixture
def page(chromium, request):
    """A fresh page (own context); its console is collected in ``page.lbp_console``.

    At the end a screenshot is saved as ``test-artifacts/browser/<test name>.png``.
    """
    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(PAGE_TIMEOUT_MS)
    pg.lbp_console = h.ConsoleLog(pg)
    try:
        yield pg
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
        try:
            pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as err:  # a failed screenshot must not hide the real failure
            print(f"screenshot failed for {name}: {err}")
        context.close()



@pytest.fixture(scope="session")
def class_hub(tmp_path_factory):
    """The classroom hub of ``make hub`` (hub/jupyterhub_config.py): JupyterHub with
    configurable-http-proxy, the shared class password and one folder per learner, on free
    127.0.0.1 ports. Learners pull the notebooks (nbgitpuller) from a local bare repository
    holding this project's committed HEAD, standing in for the course's public one.

    Stopped at the end; its learners' servers, kernels and the proxy must be gone then."""
    import os

    if not h.CHP.exists():
        why = f"{h.CHP} is missing: `make test` installs it with npm (make hub-proxy)"
        if os.environ.get("LBP_REQUIRE_BROWSER") == "1":
            pytest.fail(why)
        pytest.skip(why)
    base = tmp_path_factory.mktemp("lbp-hub")
    repo = h.make_course_repo(base / "course.git")
    hub = h.start_hub(base / "state", LOGS, repo)
    try:
        yield hub
    finally:
        killed = hub.stop()
    assert not killed, f"the hub left processes running (killed now): {killed}"
