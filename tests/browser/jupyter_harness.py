"""Start real Jupyter servers and Debian's Chromium; shared by the browser tests and `make bench`.

Everything here follows ``../shared/reference/jupyter-practice.md``:

- servers bind to 127.0.0.1 on a free port, run in their own process group and
  are stopped (SIGTERM to the group, then SIGKILL) by whoever started them;
- readiness is found by polling HTTP, never by sleeping;
- Chromium is Debian's ``/usr/bin/chromium`` driven by Python Playwright
  (``playwright install`` is never needed);
- every server gets its own throw-away ``LBP_WORKBOOK_HOME``, Jupyter runtime,
  config and data folders and IPython folder, so nothing touches the real home.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("LBP_CHROMIUM", "/usr/bin/chromium")

#: Flags from jupyter-practice.md (root needs --no-sandbox; no GPU, no background traffic).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: Console errors that are expected and harmless. Each entry: (name, why, predicate on
#: (message text, source url, stack)). Any other console error or uncaught page error
#: fails a test.
CONSOLE_ALLOW = [
    (
        "voila-font-awesome-cdn",
        "Voila 0.5's stock page template links Font Awesome 5 (all.min.css, v4-shims.min.css) "
        "from cdn.jsdelivr.net; offline the name does not resolve. Only plain `voila NB.ipynb` "
        "(the voila_server fixture, Binder's path) uses that template: instructor mode's own "
        "template has no such link (test_browser_offline.py proves no request leaves).",
        lambda text, url, stack: "ERR_NAME_NOT_RESOLVED" in text
        and url.startswith("https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@"),
    ),
]

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(home: Path) -> dict[str, str]:
    """Environment for a server and its kernels, isolated inside ``home``."""
    env = dict(os.environ)
    for name, sub in (
        ("LBP_WORKBOOK_HOME", "lbp-home"),
        ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
        ("JUPYTER_CONFIG_DIR", "jupyter-config"),
        ("JUPYTER_DATA_DIR", "jupyter-data"),
        ("IPYTHONDIR", "ipython"),
    ):
        path = home / sub
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    # The same MPLBACKEND as `make lab` (Agg): the workbook never relies on pyplot's
    # inline backend. Naive baseline notebooks ask for `%matplotlib inline` themselves.
    env.setdefault("MPLBACKEND", "Agg")
    return env


@dataclass
class Server:
    """A running server process (its own process group) and its base URL."""

    name: str
    url: str
    proc: subprocess.Popen
    log_path: Path
    _log: object = field(default=None, repr=False)

    def log_tail(self, n: int = 40) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(lines[-n:])

    def stop(self, timeout: float = 20.0) -> None:
        """Stop the whole process group: SIGTERM, then SIGKILL after ``timeout`` s."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=10)
        # Kernels live in the same process group; make sure none outlives the server.
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self._log is not None:
            self._log.close()
            self._log = None


def _wait_http(server: Server, path: str, timeout: float, any_answer: bool = False) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(
                f"{server.name} exited with {server.proc.returncode} before it was ready:\n"
                f"{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(server.url + path, timeout=5) as resp:
                if resp.status == 200:
                    return
        except urllib.error.HTTPError as err:  # listening, but not this page
            if any_answer and err.code < 500:
                return
            last = err
        except (urllib.error.URLError, OSError) as err:  # not listening yet
            last = err
        time.sleep(0.25)
    raise RuntimeError(
        f"{server.name} not ready at {server.url}{path} after {timeout:.0f} s ({last}):\n"
        f"{server.log_tail()}"
    )


def start_server(
    name: str,
    cmd: list[str],
    *,
    port: int,
    ready_path: str,
    cwd: Path,
    env: dict[str, str],
    log_dir: Path,
    timeout: float = 120.0,
    any_answer: bool = False,
) -> Server:
    """Start ``cmd`` in a new process group and wait until ``ready_path`` answers 200."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    log = open(log_path, "wb")  # noqa: SIM115 - closed by Server.stop
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    server = Server(name=name, url=f"http://127.0.0.1:{port}", proc=proc, log_path=log_path, _log=log)
    try:
        _wait_http(server, ready_path, timeout, any_answer)
    except BaseException:
        server.stop()
        raise
    return server


#: JupyterLab user settings for test servers. Autosave OFF: the tests run every cell of
#: the real notebooks, and JupyterLab's autosave (every 120 s) would otherwise write the
#: outputs into the repository's notebooks (which are stored without outputs).
LAB_USER_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def _project_lab_settings() -> dict:
    """The settings ``make lab`` installs (tools/lab_settings.py OVERRIDES), as user-settings
    files, so a test server behaves like the learner's JupyterLab even in an environment
    set up before a setting was added."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("lab_settings", ROOT / "tools" / "lab_settings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = {}
    for plugin, values in module.OVERRIDES.items():
        package, name = plugin.split(":")
        out[f"{package}/{name}.jupyterlab-settings"] = dict(values)
    return out


def start_lab(root_dir: Path, home: Path, log_dir: Path, name: str = "jupyterlab") -> Server:
    """A real JupyterLab on 127.0.0.1, no token, a throw-away workspaces folder, autosave off."""
    port = free_port()
    workspaces = home / "workspaces"
    workspaces.mkdir(parents=True, exist_ok=True)
    settings = home / "lab-user-settings"
    for rel, values in {**_project_lab_settings(), **LAB_USER_SETTINGS}.items():
        path = settings / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    cmd = [
        str(BIN / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        "--IdentityProvider.token=", f"--ServerApp.root_dir={root_dir}",
        f"--LabApp.workspaces_dir={workspaces}", f"--LabApp.user_settings_dir={settings}",
        "--LabApp.expose_app_in_browser=True", "--ServerApp.port_retries=0",
    ]
    if IS_ROOT:
        cmd.append("--allow-root")
    server = start_server(
        name, cmd, port=port, ready_path="/api/status", cwd=root_dir,
        env=server_env(home), log_dir=log_dir,
    )
    try:  # make sure autosave really is off before any notebook is opened
        url = f"{server.url}/lab/api/settings/@jupyterlab/docmanager-extension:plugin"
        with urllib.request.urlopen(url, timeout=30) as resp:
            got = json.loads(resp.read())
        if got.get("settings", {}).get("autosave") is not False:
            raise RuntimeError(f"JupyterLab autosave is not off: {got.get('settings')}")
    except BaseException:
        server.stop()
        raise
    return server


def file_digests(folder: Path, pattern: str = "*.ipynb") -> dict[str, str]:
    """SHA-256 of every file matching ``pattern`` in ``folder`` (to prove nothing was written)."""
    import hashlib

    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob(pattern))}


def start_voila(target: str, cwd: Path, home: Path, log_dir: Path, name: str = "voila") -> Server:
    """A real Voila serving ``target`` (a notebook, or a folder of notebooks)."""
    port = free_port()
    cmd = [
        str(BIN / "voila"), target, "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
        "--ServerApp.port_retries=0",
    ]
    # Ready once it answers HTTP at all; the page itself starts a kernel per request,
    # so it is not used as the probe.
    return start_server(
        name, cmd, port=port, ready_path="/voila/static/no-such-file", cwd=cwd,
        env=server_env(home), log_dir=log_dir, any_answer=True,
    )


def launch_chromium(playwright):
    """Debian's Chromium through Playwright, with the practice flags."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


class ConsoleLog:
    """Collect a page's console errors and uncaught page errors."""

    def __init__(self, page) -> None:
        self.errors: list[tuple[str, str]] = []  # (text, url or stack)
        self.allowed: list[tuple[str, str, str]] = []  # (allow-list name, text, url)
        page.on("console", self._on_console)
        page.on("pageerror", self._on_pageerror)

    def _check(self, text: str, url: str, stack: str, shown: str) -> None:
        for name, _why, allowed in CONSOLE_ALLOW:
            if allowed(text, url, stack):
                self.allowed.append((name, text, url))
                return
        self.errors.append((shown, url or stack[:500]))

    def _on_console(self, msg) -> None:
        if msg.type == "error":
            self._check(msg.text, (msg.location or {}).get("url", ""), "", msg.text)

    def _on_pageerror(self, exc) -> None:
        self._check(exc.message, "", exc.stack or "", f"uncaught {exc.name}: {exc.message}")

    def unexpected(self) -> list[str]:
        return [f"{text} ({url})" if url else text for text, url in self.errors]


def start_present(root: Path, home: Path, log_dir: Path, name: str = "present",
                  voila_config: dict | None = None, env: dict[str, str] | None = None) -> Server:
    """Instructor mode: ``python -m lbp_workbook.present --port P`` (Voila, code hidden).

    ``voila_config`` is written as ``voila.json`` in the server's own Jupyter config folder
    (Voila reads it, and it overrides instructor mode's defaults, e.g. a short cull timeout);
    ``env`` adds to the server's environment (e.g. ``JUPYTER_PATH`` with a broken kernel).
    """
    port = free_port()
    server_environment = server_env(home)
    if voila_config is not None:
        config_dir = Path(server_environment["JUPYTER_CONFIG_DIR"])
        (config_dir / "voila.json").write_text(json.dumps(voila_config), encoding="utf-8")
    server_environment.update(env or {})
    cmd = [sys.executable, "-m", "lbp_workbook.present", "--port", str(port), "--no-browser"]
    return start_server(
        name, cmd, port=port, ready_path="/voila/static/no-such-file", cwd=root,
        env=server_environment, log_dir=log_dir, timeout=180.0, any_answer=True,
    )


def kernel_processes(server: Server) -> list:
    """The kernel processes a server has running now (psutil.Process, children of it)."""
    import psutil

    try:
        children = psutil.Process(server.proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    kernels = []
    for child in children:
        try:
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                kernels.append(child)
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            pass
    return kernels


def rss_mib(processes) -> float:
    """Total resident memory of ``processes`` [MiB] (those that have ended count 0)."""
    import psutil

    total = 0
    for proc in processes:
        try:
            total += proc.memory_info().rss
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            pass
    return total / 2**20


def assert_console_clean(page) -> None:
    """Fail on any console error or uncaught page error not in the named allow-list."""
    unexpected = page.lbp_console.unexpected()
    assert not unexpected, "browser console errors:\n" + "\n".join(unexpected)


# --------------------------------------------------------------------------- notebooks

#: Generic marks of a widget call (``assessment_app(``, ``model_demo(``) and of a quiz.
_GENERIC_WIDGET = r"_app\(|_demo\("
QUIZ_CALL = re.compile(r"show_quiz\(")


def widget_function_names() -> list[str]:
    """Public widget-making functions: lower-case names in ``lbp_workbook.views.widgets._LAZY``.

    Read from the package, so a new widget is covered as soon as it is exported.
    (``lbp_workbook.views.widgets`` is lazy: this imports no ipywidgets.)
    """
    import lbp_workbook.views.widgets as w

    return sorted(n for n in getattr(w, "_LAZY", {}) if n[:1].islower())


def widget_call_pattern() -> re.Pattern:
    names = "|".join(re.escape(n) for n in widget_function_names())
    return re.compile(rf"\b(?:{names})\(|{_GENERIC_WIDGET}" if names else _GENERIC_WIDGET)


def _code_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in nb["cells"]
        if c["cell_type"] == "code"
    ]


def _only_imports(src: str) -> bool:
    lines = [ln.strip() for ln in src.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    return bool(lines) and all(ln.startswith(("import ", "from ")) for ln in lines)


def widget_notebooks(root: Path = ROOT) -> list[str]:
    """Notebooks (``notebooks/NAME.ipynb``) whose code cells show a widget or a quiz."""
    marks = re.compile(rf"widgets|show_quiz|{widget_call_pattern().pattern}")
    found = []
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        if any(marks.search(src) for src in _code_cells(path)):
            found.append(f"notebooks/{path.name}")
    return found


def expected_views(notebook: str, root: Path = ROOT) -> tuple[int, int]:
    """(cells that must show at least one widget view, cells that must show a quiz)."""
    cells = _code_cells(root / notebook)
    calls = widget_call_pattern()
    widget_cells = sum(1 for src in cells if calls.search(src) and not _only_imports(src))
    quiz_cells = sum(1 for src in cells if QUIZ_CALL.search(src))
    return widget_cells, quiz_cells


# --------------------------------------------------------------------------- JupyterLab

#: JS: the notebook panel open on ``path`` (or null).
_PANEL_JS = """
(path) => {
  const app = window.jupyterapp;
  if (!app) return null;
  for (const w of app.shell.widgets('main')) {
    if (w.context && w.context.path === path) return w;
  }
  return null;
}
"""

#: JS: a summary of every code cell of the panel on ``path``.
SUMMARY_JS = (
    "(path) => { const panel = (" + _PANEL_JS + ")(path);"
    """
  if (!panel) return null;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = [];
  const model = panel.content.model;
  for (let i = 0; i < model.cells.length; i++) {
    const c = model.cells.get(i);
    if (c.type !== 'code') continue;
    const outputs = [];
    for (let j = 0; j < c.outputs.length; j++) {
      const o = c.outputs.get(j).toJSON();
      const keys = Object.keys(o.data || {});
      let text = '';
      if (o.output_type === 'error') text = o.ename + ': ' + o.evalue + '\\n' + (o.traceback || []).join('\\n');
      if (o.output_type === 'stream') text = Array.isArray(o.text) ? o.text.join('') : o.text;
      outputs.push({type: o.output_type, name: o.name || null, keys, text});
    }
    cells.push({index: i, count: c.executionCount, state: c.executionState || 'idle', outputs,
                source: c.sharedModel.getSource().slice(0, 80)});
  }
  return {kernel: kernel ? kernel.status : null, ready: panel.context.isReady, cells};
}"""
)


def lab_notebook_url(server: Server, notebook: str) -> str:
    return f"{server.url}/lab/tree/{notebook}?reset"


def open_lab_notebook(page, server: Server, notebook: str, timeout_ms: int = 180_000) -> None:
    """Open ``notebook`` in a fresh workspace and wait for its kernel to be idle."""
    page.goto(lab_notebook_url(server, notebook))
    page.wait_for_function(
        "(path) => { const s = (" + SUMMARY_JS + ")(path); return s && s.ready && s.kernel === 'idle'; }",
        arg=notebook,
        timeout=timeout_ms,
    )


def lab_run_all(page, notebook: str, timeout_ms: int = 240_000) -> dict:
    """Run all cells via the app's command; wait until the kernel is idle and no cell is
    queued or running; return the cell summary."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        "(path) => { const s = (" + SUMMARY_JS + ")(path);"
        " if (!s || s.kernel !== 'idle') return false;"
        " if (!s.cells.some(c => c.count !== null)) return false;"
        " return s.cells.every(c => c.state !== 'running' && c.state !== 'queued'); }",
        arg=notebook,
        timeout=timeout_ms,
        polling=250,
    )
    # A queued cell after an error keeps count null; give the model a moment to settle.
    page.wait_for_timeout(300)
    return page.evaluate(SUMMARY_JS, notebook)


#: JS: counts of widget views, their failures and learner-visible errors under ``root``.
#: A top-level widget view is a ``.jupyter-widgets`` element that is the direct child of an
#: output of a cell (JupyterLab) or of a page-level output area (Voila).
DOM_REPORT_JS = """
(rootSel) => {
  const root = document.querySelector(rootSel) || document.body;
  if (!root) return {views: 0, errorDisplaying: 0, failedModel: 0, loading: 0, errorWidgets: 0,
                     stderr: [], tracebacks: [], quizzes: 0, images: 0};
  const text = root.innerText || '';
  const views = root.querySelectorAll(
    '.jp-OutputArea-output > .jupyter-widgets');
  const topViews = [...views].filter(v => !v.parentElement.closest('.jupyter-widgets'));
  return {
    views: topViews.length,
    errorDisplaying: (text.match(/Error displaying widget/g) || []).length,
    failedModel: (text.match(/Failed to load model class/g) || []).length,
    loading: (text.match(/Loading widget\\.\\.\\./g) || []).length,
    errorWidgets: root.querySelectorAll('.jupyter-widgets-error-widget').length,
    stderr: [...root.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')]
      .map(e => e.innerText.slice(0, 300)),
    tracebacks: [...root.querySelectorAll('.jp-OutputArea-output')]
      .filter(e => /Traceback \\(most recent call last\\)/.test(e.innerText || '')
                   && e.getAttribute('data-mime-type') !== 'text/markdown'
                   && !e.closest('.Quiz'))
      .map(e => e.innerText.slice(0, 300)),
    quizzes: root.querySelectorAll('.Quiz').length,
    images: [...root.querySelectorAll('.jupyter-widgets img')]
      .filter(img => img.complete && img.naturalWidth > 0).length,
  };
}
"""


def notebook_calling(name: str, root: Path = ROOT) -> str | None:
    """The first notebook (``notebooks/NAME.ipynb``) with a code cell calling ``name(``,
    directly or wrapped in a Reset control (``with_reset(lbp.NAME, ...)``)."""
    n = re.escape(name)
    call = re.compile(rf"\b{n}\(|\bwith_reset\(\s*(?:lbp\.)?{n}\b")
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        if any(call.search(src) for src in _code_cells(path)):
            return f"notebooks/{path.name}"
    return None


#: JS: SHA-256 and size of the bytes an <img> shows (blob: or data: URL), so a test can
#: tell a new picture from the same picture under a new URL.
IMAGE_DIGEST_JS = """
async (img) => {
  const buf = await (await fetch(img.src)).arrayBuffer();
  const d = await crypto.subtle.digest('SHA-256', buf);
  return [...new Uint8Array(d)].map(x => x.toString(16).padStart(2, '0')).join('') + ':' + buf.byteLength;
}
"""


def image_digest(img) -> str:
    """Digest of the picture an ``<img>`` locator shows (waits for it to be loaded)."""
    img.wait_for(state="attached")
    img.page.wait_for_function("(el) => el.complete && el.naturalWidth > 0", arg=img.element_handle())
    return img.evaluate(IMAGE_DIGEST_JS)


def wait_settled(page, img, before_src: str, settle_ms: int = 1000, timeout_ms: int = 120_000) -> str:
    """Wait until ``img``'s src differs from ``before_src`` and then stays put for
    ``settle_ms``; return the final digest."""
    page.wait_for_function("([el, s]) => el.src !== s", arg=[img.element_handle(), before_src],
                           timeout=timeout_ms)
    last = img.get_attribute("src")
    while True:
        page.wait_for_timeout(settle_ms)
        now = img.get_attribute("src")
        if now == last:
            break
        last = now
    return image_digest(img)


# --------------------------------------------------------------------------- JupyterHub

HUB_DIR = ROOT / "hub"
CHP = HUB_DIR / "node_modules" / ".bin" / "configurable-http-proxy"


@dataclass
class Hub:
    """The classroom hub (``hub/jupyterhub_config.py``) started by :func:`start_hub`."""

    server: Server
    state: Path
    password: str
    instructor_password: str

    @property
    def url(self) -> str:
        return self.server.url

    def learner_home(self, name: str) -> Path:
        return self.state / "learners" / name

    def processes(self) -> list:
        """Learners' servers and kernels (cwd in the state folder) and the proxy still alive."""
        import psutil

        found = []
        for proc in psutil.process_iter(["pid", "cwd", "cmdline"]):
            cwd = proc.info.get("cwd") or ""
            cmd = " ".join(proc.info.get("cmdline") or [])
            if proc.pid == os.getpid():
                continue
            if cwd.startswith(str(self.state)) or (str(CHP) in cmd and str(self.state) in cmd):
                found.append(proc)
        pid_file = self.state / "proxy.pid"
        if pid_file.exists():
            try:
                proxy = psutil.Process(int(pid_file.read_text().strip()))
                if proxy.is_running() and "configurable-http-proxy" in " ".join(proxy.cmdline()):
                    found.append(proxy)
            except (ValueError, psutil.Error):
                pass
        return found

    def stop(self) -> list[int]:
        """Stop the hub (it stops the learners' servers and the proxy itself); then end any
        of those that outlived it, by pid. Returns the pids that had to be killed."""
        self.server.stop(timeout=60)
        import psutil

        leftover = self.processes()
        for proc in leftover:
            try:
                proc.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(leftover, timeout=10)
        return [p.pid for p in leftover]


def make_course_repo(dest: Path, branch: str = "main") -> str:
    """A local bare git repository holding this project's committed HEAD on ``branch``:
    stands in for the course's public repository (no network)."""
    subprocess.run(["git", "init", "-q", "--bare", str(dest)], check=True)
    # CI may run in a shallow clone: let the bare repository take a shallow push
    subprocess.run(["git", "-C", str(dest), "config", "receive.shallowUpdate", "true"], check=True)
    subprocess.run(["git", "-C", str(ROOT), "push", "-q", str(dest), f"HEAD:refs/heads/{branch}"],
                   check=True, capture_output=True)
    subprocess.run(["git", "-C", str(dest), "symbolic-ref", "HEAD", f"refs/heads/{branch}"],
                   check=True)
    return str(dest)


def start_hub(state: Path, log_dir: Path, repo: str, branch: str = "main",
              extra_args: str = "--LabApp.expose_app_in_browser=True",
              name: str = "jupyterhub", timeout: float = 180.0) -> Hub:
    """The class hub of ``make hub`` on free 127.0.0.1 ports, its state in ``state``.

    ``extra_args`` go to every learner's server (the tests expose ``window.jupyterapp``).
    """
    if not CHP.exists():
        raise RuntimeError(f"{CHP} is missing: run `make hub-proxy` (npm ci --prefix hub)")
    state.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = dict(os.environ)
    env.update({
        "LBP_HUB_DIR": str(state), "LBP_HUB_PORT": str(port),
        "LBP_HUB_API_PORT": str(free_port()), "LBP_HUB_PROXY_API_PORT": str(free_port()),
        "LBP_HUB_REPO": repo, "LBP_HUB_BRANCH": branch, "LBP_HUB_EXTRA_ARGS": extra_args,
        "JUPYTER_PLATFORM_DIRS": "1", "PYTHONUNBUFFERED": "1",
    })
    env.pop("LBP_HUB_PASSWORD", None)
    env.setdefault("MPLBACKEND", "Agg")
    cmd = [str(BIN / "jupyterhub"), "-f", str(HUB_DIR / "jupyterhub_config.py")]
    server = start_server(name, cmd, port=port, ready_path="/hub/api", cwd=state, env=env,
                          log_dir=log_dir, timeout=timeout)
    return Hub(server=server, state=state,
               password=(state / "class-password").read_text().strip(),
               instructor_password=(state / "instructor-password").read_text().strip())


def hub_login(page, hub: Hub, name: str, timeout_ms: int = 240_000) -> str:
    """Log ``name`` in through the hub's login form; wait until their JupyterLab is up
    (after nbgitpuller's pull). Returns the learner's server URL (``.../user/NAME``)."""
    page.goto(f"{hub.url}/hub/login")
    page.locator("#username_input").fill(name)
    page.locator("#password_input").fill(hub.password)
    page.locator("#login_submit").click()
    page.wait_for_url(re.compile(rf"/user/{re.escape(name)}/lab"), timeout=timeout_ms)
    page.wait_for_function("() => !!window.jupyterapp", timeout=timeout_ms)
    return f"{hub.url}/user/{name}"


# --------------------------------------------------------------------------- offline, demos

#: Hosts a page may talk to: this machine only.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


class OffsiteGuard:
    """Record every request of a browser context; abort (and remember) any that would leave
    the machine. ``data:`` and ``blob:`` URLs never reach the network and are not routed.

    Use ``guard.offsite`` (URLs aborted) after the page has done its work; web sockets are
    recorded too (``guard.sockets``), as Playwright's routing does not see them.
    """

    def __init__(self, context) -> None:
        self.requests: list[str] = []
        self.offsite: list[str] = []
        self.sockets: list[str] = []
        context.route("**/*", self._route)
        context.on("page", self._watch)
        for page in context.pages:
            self._watch(page)

    @staticmethod
    def is_local(url: str) -> bool:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return True
        host = parts.hostname or ""
        return host in LOCAL_HOSTS

    def _route(self, route) -> None:
        url = route.request.url
        self.requests.append(url)
        if self.is_local(url):
            route.continue_()
        else:
            self.offsite.append(url)
            route.abort("blockedbyclient")

    def _watch(self, page) -> None:
        page.on("websocket", lambda ws: self.sockets.append(ws.url))

    def problems(self) -> list[str]:
        """Every request or web socket that was aimed outside 127.0.0.1/localhost."""
        return self.offsite + [u for u in self.sockets if not self.is_local(u)]


#: JS: press the first control of every top-level widget view under ``rootSel`` once
#: (a slider handle gets a key, a drop-down its next option, a check box a click, else the
#: first button that is not a Reset); return what was played, one line per view.
PLAY_DEMOS_JS = """
(rootSel) => {
  const root = document.querySelector(rootSel) || document.body;
  const views = [...root.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets')]
    .filter(v => !v.parentElement.closest('.jupyter-widgets'));
  const played = [];
  for (const view of views) {
    const handle = view.querySelector('.noUi-handle');
    if (handle) {
      handle.focus();
      for (const type of ['keydown', 'keyup'])
        handle.dispatchEvent(new KeyboardEvent(type, {key: 'ArrowRight', code: 'ArrowRight',
                                                      keyCode: 39, bubbles: true}));
      played.push('slider'); continue;
    }
    const select = [...view.querySelectorAll('select')].find(s => s.options.length > 1);
    if (select) {
      select.selectedIndex = (select.selectedIndex + 1) % select.options.length;
      select.dispatchEvent(new Event('change', {bubbles: true}));
      played.push('select'); continue;
    }
    const box = view.querySelector('input[type=checkbox]');
    if (box) { box.click(); played.push('checkbox'); continue; }
    const button = [...view.querySelectorAll('button')]
      .find(b => !/reset/i.test(b.innerText || '') && !b.disabled);
    if (button) { button.click(); played.push('button'); continue; }
    played.push('nothing to play');
  }
  return played;
}
"""


def play_demos(page, root_sel: str = "body", settle_ms: int = 2000) -> list[str]:
    """Play every demo under ``root_sel`` once (see :data:`PLAY_DEMOS_JS`), then answer the
    first question of every quiz; wait ``settle_ms`` for the kernel's replies to draw."""
    played = page.evaluate(PLAY_DEMOS_JS, root_sel)
    quizzes = page.locator(f"{root_sel} .Quiz")
    for k in range(quizzes.count()):
        quiz = quizzes.nth(k)
        quiz.scroll_into_view_if_needed()
        buttons = quiz.locator(".MCButton")
        if buttons.count():
            buttons.first.click()
            played.append("quiz")
    page.wait_for_timeout(settle_ms)
    return played


#: JS, argument ``[n]``: true once Voila has run the page (spinner gone and ``n`` widget
#: views drawn), or shown a cell error or the workbook's "could not start" message.
VOILA_READY_JS = (
    "([n]) => { if (!document.body) return false;"
    " if (document.getElementById('lbp-kernel-problem')) return true;"
    " if (document.body.innerText.includes('There was an error when executing cell')) return true;"
    " const spin = document.getElementById('loading');"
    " if (spin && getComputedStyle(spin).display !== 'none') return false;"
    " return (" + DOM_REPORT_JS + ")('body').views >= n; }"
)


def wait_voila_rendered(page, want_views: int = 0, timeout_ms: int = 240_000) -> dict:
    """Wait until Voila has run the page (spinner gone, ``want_views`` widget views drawn,
    or a cell error or the workbook's "could not start" message shown); return the DOM report."""
    page.wait_for_function(VOILA_READY_JS, arg=[want_views], timeout=timeout_ms, polling=500)
    page.wait_for_timeout(1000)  # late renders: images, nested views
    return page.evaluate(DOM_REPORT_JS, "body")
