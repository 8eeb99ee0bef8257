"""Memory per learner on the class hub (``make hub``), with the assessment app open.

The real hub (``hub/jupyterhub_config.py``, started by ``tests/browser/jupyter_harness.py``
on free 127.0.0.1 ports, pulling the notebooks from a local bare copy of this project's
HEAD) and real Chromium. Learners log in one after another through the login form,
each in their own browser context; each opens lesson 05 in their own JupyterLab, runs
all cells (the assessment app is then on screen) and stays open. When 1, 5 and 10
learners are in (``--hub-learners`` changes the counts), after a 10 s settle:

- per learner: resident memory (RSS) of their single-user server plus their kernel(s),
  found as the processes whose working folder is in that learner's home. RSS is what a
  container's memory limit counts for one learner alone (Zero to JupyterHub: one pod each);
- per learner, unique memory (USS): what one more learner adds on one shared machine
  (The Littlest JupyterHub), where the Python libraries' pages are shared;
- the whole hub: JupyterHub + proxy + every learner's processes (RSS).

The browser's own memory is not counted: it is on the learners' machines.
No target: these figures size the deployment (docs/deploy.md, docs/instructor_guide.md).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

from benchmarks.common import ROOT, Row, Stats

sys.path.insert(0, str(ROOT / "tests" / "browser"))
import jupyter_harness as h

LESSON = "notebooks/05_assessing_flexibility_and_endurance.ipynb"
LOGS = ROOT / "bench-results" / "logs"
COUNTS = (1, 5, 10)
QUICK_COUNTS = (1, 2)
MIB = 1024.0 * 1024.0


def learner_memory(hub: h.Hub, name: str) -> tuple[float, float, int, float]:
    """(RSS MiB, USS MiB, process count, kernels' RSS MiB) of one learner's server and
    kernels (a kernel: a process running ``ipykernel_launcher``)."""
    import psutil

    home = str(hub.learner_home(name))
    rss = uss = kernel_rss = 0.0
    count = 0
    for proc in psutil.process_iter(["pid", "cwd", "cmdline"]):
        cwd = proc.info.get("cwd") or ""
        if cwd == home or cwd.startswith(home + "/"):
            try:
                info = proc.memory_full_info()
            except psutil.Error:
                continue
            rss += info.rss / MIB
            uss += info.uss / MIB
            if "ipykernel_launcher" in " ".join(proc.info.get("cmdline") or []):
                kernel_rss += info.rss / MIB
            count += 1
    return rss, uss, count, kernel_rss


def hub_memory(hub: h.Hub) -> float:
    """RSS MiB of JupyterHub itself and the proxy."""
    import psutil

    total = 0.0
    procs = [psutil.Process(hub.server.proc.pid)]
    pid_file = hub.state / "proxy.pid"
    if pid_file.exists():
        procs.append(psutil.Process(int(pid_file.read_text().strip())))
    for proc in procs:
        try:
            total += proc.memory_info().rss / MIB
        except psutil.Error:
            pass
    return total


def open_app(browser, hub: h.Hub, name: str, notebook: str):
    """Log ``name`` in, open and run the lesson; return (context, seconds to app on screen)."""
    import classhub

    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(240_000)
    t0 = time.perf_counter()
    server = SimpleNamespace(url=h.hub_login(page, hub, name))
    path = f"{classhub.TARGET}/{notebook}"
    h.open_lab_notebook(page, server, path)
    summary = h.lab_run_all(page, path)
    errors = [o["text"][:200] for c in summary["cells"] for o in c["outputs"]
              if o["type"] == "error"]
    if errors:
        raise RuntimeError(f"{name}: the lesson raised {errors[0]}")
    app = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .lbp-assessment-app").first
    app.scroll_into_view_if_needed()
    h.image_digest(app.locator("img.lbp-deficit-chart").first)  # the chart is drawn
    return context, time.perf_counter() - t0


def run(quick: bool = False, counts: list[int] | None = None) -> list[Row]:
    from playwright.sync_api import sync_playwright

    if not Path(h.CHROMIUM).exists():
        raise RuntimeError(f"no Chromium at {h.CHROMIUM}: the hub benchmark cannot run")
    sys.path.insert(0, str(h.HUB_DIR))
    counts = sorted(set(counts or (QUICK_COUNTS if quick else COUNTS)))
    notebook = LESSON if (ROOT / LESSON).exists() else h.notebook_calling("assessment_app")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="lbp-bench-hub-") as tmp:
        repo = h.make_course_repo(Path(tmp) / "course.git")
        hub = h.start_hub(Path(tmp) / "state", LOGS, repo, name="bench-hub")
        contexts = []
        ready_s: list[float] = []
        try:
            with sync_playwright() as pw:
                browser = h.launch_chromium(pw)
                try:
                    names: list[str] = []
                    for n in range(1, counts[-1] + 1):
                        name = f"learner{n:02d}"
                        print(f"  hub: {name} logs in and opens the app ...", flush=True)
                        context, seconds = open_app(browser, hub, name, notebook)
                        contexts.append(context)
                        names.append(name)
                        ready_s.append(seconds)
                        if n in counts:
                            time.sleep(10)  # let kernels and servers settle
                            rows += _rows(hub, names, ready_s)
                finally:
                    for context in contexts:
                        context.close()
                    browser.close()
        finally:
            killed = hub.stop()
            if killed:
                print(f"  hub: had to kill {killed} after the hub stopped", flush=True)
    return rows


def _rows(hub: h.Hub, names: list[str], ready_s: list[float]) -> list[Row]:
    n = len(names)
    per = [learner_memory(hub, name) for name in names]
    rss = [p[0] for p in per]
    uss = [p[1] for p in per]
    procs = sorted({p[2] for p in per})
    kernel = [p[3] for p in per]
    server = [p[0] - p[3] for p in per]
    hub_mib = hub_memory(hub)
    total = hub_mib + sum(rss)
    print(f"  hub: {n} learners: per learner RSS median {Stats.of(rss).median:.0f} MiB "
          f"(max {max(rss):.0f}; server {Stats.of(server).median:.0f}, kernel "
          f"{Stats.of(kernel).median:.0f}), USS median {Stats.of(uss).median:.0f} MiB; hub + proxy "
          f"{hub_mib:.0f} MiB; total {total:.0f} MiB", flush=True)
    note = f"processes per learner: {procs} (server + kernel)"
    return [
        Row("hub", f"{n} learner(s): per learner RSS (server + kernel)", "MiB", Stats.of(rss),
            notes=note, extra={"learners": n, "rss_mib": rss, "uss_mib": uss}),
        Row("hub", f"{n} learner(s): per learner RSS, server only", "MiB", Stats.of(server),
            extra={"learners": n}),
        Row("hub", f"{n} learner(s): per learner RSS, kernel only", "MiB", Stats.of(kernel),
            extra={"learners": n}),
        Row("hub", f"{n} learner(s): per learner USS (server + kernel)", "MiB", Stats.of(uss),
            extra={"learners": n}),
        Row("hub", f"{n} learner(s): hub + proxy RSS", "MiB", Stats.of([hub_mib]),
            extra={"learners": n}),
        Row("hub", f"{n} learner(s): whole hub RSS (hub + proxy + learners)", "MiB",
            Stats.of([total]), extra={"learners": n}),
        Row("hub", f"{n} learner(s): login to app on screen", "s", Stats.of(ready_s),
            extra={"learners": n}),
    ]
