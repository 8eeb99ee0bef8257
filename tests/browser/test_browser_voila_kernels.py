"""Instructor mode's kernels over a class: real ``python -m lbp_workbook.present`` in Chromium.

Every page load starts a kernel. These tests prove that the kernels go away again: on a
reload or a closed tab (Voila's page asks the server to shut its kernel down as it
unloads) and, for a browser that dies without unloading, by jupyter_server's idle culler
(instructor mode's default is 100 s; here a ``voila.json`` sets 20 s so the test does not
wait minutes). They also prove that a page whose kernel cannot start says so.
Kernels are counted as the server's ``ipykernel_launcher`` child processes.
"""

from __future__ import annotations

import re
import time

import jupyter_harness as h
import pytest

MODULE = "notebooks/01_start_here.ipynb"
#: Short culling for the test (instructor mode: 100 s idle, checked every 15 s).
CULL = {"MappingKernelManager": {"cull_idle_timeout": 20, "cull_interval": 2}}
PAGE_TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def lifecycle_server(server_home):
    from conftest import LOGS

    server = h.start_present(h.ROOT, server_home / "present-lifecycle", LOGS,
                             name="present-lifecycle", voila_config=CULL)
    try:
        yield server
    finally:
        server.stop()


def _wait_kernels(server, want: int, timeout_s: float) -> int:
    deadline = time.monotonic() + timeout_s
    while True:
        n = len(h.kernel_processes(server))
        if n == want or time.monotonic() > deadline:
            return n
        time.sleep(0.5)


def _open(chromium, server, path: str = MODULE):
    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.lbp_console = h.ConsoleLog(page)
    page.goto(f"{server.url}/voila/render/{path}", wait_until="commit")
    report = h.wait_voila_rendered(page, h.expected_views(path)[0])
    assert not page.locator("#lbp-kernel-problem").count(), "the page's kernel did not start"
    return context, page, report


def _kernel_id(page) -> str:
    return page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


@pytest.mark.browser
def test_page_kernels_go_on_reload_close_and_when_the_browser_dies(lifecycle_server, chromium,
                                                                   screenshot):
    """Three pages, one reloaded twice, then all closed: the kernel count follows the open
    pages, and ends at zero. Reloads and closed tabs shut their kernel down themselves (the
    log shows no culling of those kernels); a browser killed without unloading leaves its
    kernel to the culler, which removes it within its timeout."""
    server = lifecycle_server
    assert _wait_kernels(server, 0, 5) == 0
    opened = [_open(chromium, server) for _ in range(3)]
    assert _wait_kernels(server, 3, 30) == 3
    screenshot(opened[0][1].locator("body"), "open")

    context, page, _ = opened[0]
    by_page = {_kernel_id(page)}
    for _ in range(2):
        page.reload(wait_until="commit")
        h.wait_voila_rendered(page, h.expected_views(MODULE)[0])
        by_page.add(_kernel_id(page))
        # the reloaded page's old kernel is shut down by the page itself, well before
        # the 20 s cull timeout could apply to it
        assert _wait_kernels(server, 3, 15) == 3
    assert len(by_page) == 3, "each reload runs a fresh kernel"
    h.assert_console_clean(page)  # no refused (403) shutdown request any more

    # two tabs closed as a learner closes them (the page unloads)
    for context, page, _ in opened[:2]:
        by_page.add(_kernel_id(page))
        page.close(run_before_unload=True)
        context.close()
    assert _wait_kernels(server, 1, 15) == 1

    # the last browser dies: no unload, no shutdown request, its socket just drops
    context, page, _ = opened[2]
    orphan = _kernel_id(page)
    context.close()
    started = time.monotonic()
    assert _wait_kernels(server, 0, 60) == 0, "the culler did not remove the orphaned kernel"
    took = time.monotonic() - started
    log = server.log_path.read_text(errors="replace")
    assert re.search(rf"Culling .*{orphan}", log), "the orphan was not removed by the culler"
    for kernel_id in by_page:
        assert f"Kernel shutdown: {kernel_id}" in log, kernel_id
        assert not re.search(rf"Culling .*{kernel_id}", log), f"{kernel_id} waited for the culler"
    print(f"orphaned kernel culled after {took:.1f} s (cull_idle_timeout 20 s)")


@pytest.fixture(scope="module")
def broken_kernel_server(server_home, tmp_path_factory):
    """Instructor mode whose python3 kernel exits at once (a kernel spec earlier on
    JUPYTER_PATH than the real one), as a kernel that cannot start would."""
    from conftest import LOGS

    data = tmp_path_factory.mktemp("broken-kernel")
    spec = data / "kernels" / "python3"
    spec.mkdir(parents=True)
    import json
    import sys

    spec.joinpath("kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-c", "import sys; sys.exit('this kernel cannot start')",
                 "-f", "{connection_file}"],
        "display_name": "Python 3 (cannot start)", "language": "python",
    }))
    server = h.start_present(h.ROOT, server_home / "present-broken", LOGS,
                             name="present-broken", env={"JUPYTER_PATH": str(data)})
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.browser
def test_page_whose_kernel_cannot_start_says_so_and_offers_a_reload(broken_kernel_server, page,
                                                                     screenshot):
    """No endless spinner: the page says in words that it could not start and has a
    reload button that loads the page again."""
    page.goto(f"{broken_kernel_server.url}/voila/render/{MODULE}", wait_until="commit")
    problem = page.locator("#lbp-kernel-problem")
    problem.wait_for(state="visible", timeout=150_000)
    text = problem.inner_text()
    assert "This page could not start" in text and "Reload the page" in text
    assert problem.get_attribute("role") == "alert"
    assert not page.locator("#loading").is_visible()
    for word in ("Traceback", "RuntimeError", "kernel_info", "ipykernel"):
        assert word not in text
    screenshot(page, "message")
    button = page.get_by_role("button", name="Reload this page")
    with page.expect_navigation(wait_until="commit"):
        button.click()
    page.locator("#lbp-kernel-problem").wait_for(state="visible", timeout=150_000)
