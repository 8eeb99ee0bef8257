"""Instructor mode (``python -m lbp_workbook.present``) and the Reset controls.

The server tests start the real command in its own process group on a free port
of 127.0.0.1, with a throw-away ``LBP_WORKBOOK_HOME`` and Jupyter folders, fetch
pages over HTTP with urllib, and always stop the whole group. No browser is
needed (the Chromium checks of instructor mode live in tests/browser/).
"""

from __future__ import annotations

import html
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
from pathlib import Path

import pytest

from lbp_workbook import present
from lbp_workbook.present import (
    LANDING,
    MODULE_GLOB,
    list_instructor_pages,
    list_modules,
    module_index,
    read_module,
    renamed_module,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
#: The instructor pages: not numbered modules, so they carry "Instructor page" instead of
#: "Module N of M" and have discussion prompts instead of a quiz (a named exception to the
#: lesson skeleton).
INSTRUCTOR_PAGES = ["class_practical.ipynb"]
READY_TIMEOUT_S = 240  # a hang guard, not a speed check: Voila starts slowly on 2 busy cores
PAGE_TIMEOUT_S = 300


def _write_notebook(path: Path, *markdown: str, code: str = "1 + 1") -> None:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": m} for m in markdown]
    cells.append({"cell_type": "code", "metadata": {}, "source": code, "outputs": [],
                  "execution_count": None})
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}), encoding="utf-8")


def _code_sources(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "code"]


# --------------------------------------------------------------------------- the module list


def test_list_modules_reads_every_numbered_notebook():
    """Every NN_name.ipynb in notebooks/ is listed, in file order; the landing page is not."""
    files = sorted(p.name for p in NOTEBOOKS.glob(MODULE_GLOB))
    modules = list_modules(NOTEBOOKS)
    assert [m.file for m in modules] == files
    assert LANDING not in files
    assert all(m.problem == "" for m in modules), [m for m in modules if m.problem]


def test_read_module_hamstring_notebook():
    """Title, module number and time as written in the first cell of notebook 03
    ("Module 3 of 7 · about 30 min"); objectives from its Learning objectives cell."""
    m = read_module(NOTEBOOKS / "03_hamstring_pelvis_pull.ipynb")
    assert m.title == "The hamstring–pelvis pull: short hamstrings and the forward bend"
    assert (m.number, m.minutes, m.time_text) == (3, 30, "about 30 min")
    assert len(m.objectives) == 4
    assert m.objectives[1].startswith("Explain how short hamstrings change")
    assert not any("**" in o for o in m.objectives)


def test_read_module_start_here_objectives_without_markup():
    """Notebook 01: "Module 1 of 7 · about 15 min", four objectives in its first cell."""
    m = read_module(NOTEBOOKS / "01_start_here.ipynb")
    assert (m.number, m.minutes) == (1, 15)
    assert m.objectives[0] == ("Run the cells of a notebook and use its controls "
                               "(sliders, drop-downs, buttons)")


def test_list_modules_new_notebook_appears(tmp_path):
    """A notebook added to the folder is listed with no other change."""
    _write_notebook(tmp_path / "00_a.ipynb", "# First\n\n*Module 1 of 2 · about 10 min*")
    assert [m.title for m in list_modules(tmp_path)] == ["First"]
    _write_notebook(
        tmp_path / "01_b.ipynb",
        "# Second lesson\n\nModule 2 of 2 · about 25 min · no coding needed",
        "## Learning objectives\n\nYou will:\n\n- **spot** a red flag;\n- *refer* at once,\n"
        "  with a wrapped line.\n\n## 1. Next section\n\n- not an objective",
    )
    (tmp_path / "index.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "notes.ipynb").write_text("{}", encoding="utf-8")
    second = list_modules(tmp_path)[1]
    assert [m.file for m in list_modules(tmp_path)] == ["00_a.ipynb", "01_b.ipynb"]
    assert (second.title, second.number, second.minutes) == ("Second lesson", 2, 25)
    assert second.objectives == ("spot a red flag", "*refer* at once, with a wrapped line")


def test_read_module_unreadable_notebook_is_listed_not_raised(tmp_path):
    """A notebook being written (invalid JSON) is still listed, with the reason."""
    (tmp_path / "03_half_written.ipynb").write_text('{"cells": [', encoding="utf-8")
    (m,) = list_modules(tmp_path)
    assert m.title == "03_half_written" and "could not be read" in m.problem
    assert "could not be read" in module_index(tmp_path)._repr_html_()


def test_module_index_links_relative_and_escaped(tmp_path):
    """Links are relative file names (they work in Voila, JupyterLab and Binder);
    titles are escaped."""
    _write_notebook(tmp_path / "05_x.ipynb", "# Lift <b>&</b> carry\n\nModule 6 of 7 · about 30 min")
    page = module_index(tmp_path)._repr_html_()
    assert "<a href='05_x.ipynb'>Lift &lt;b&gt;&amp;&lt;/b&gt; carry</a>" in page
    assert "about 30 min" in page and "<b>&</b>" not in page


def test_module_index_links_under_voila_start_at_the_page_folder(tmp_path, monkeypatch):
    """Under Voila (SCRIPT_NAME = the page's path, with any hub prefix) links are
    root-absolute, so JupyterLab's output link handler lets the browser follow them."""
    _write_notebook(tmp_path / "00_a b.ipynb", "# A\n\nModule 1 of 1 · about 5 min")
    monkeypatch.setenv("SCRIPT_NAME", "/user/kim/voila/render/notebooks/index.ipynb")
    page = module_index(tmp_path)._repr_html_()
    assert "<a href='/user/kim/voila/render/notebooks/00_a%20b.ipynb'>A</a>" in page
    monkeypatch.setenv("SCRIPT_NAME", "/cgi-bin/other")
    assert "<a href='00_a%20b.ipynb'>A</a>" in module_index(tmp_path)._repr_html_()
    monkeypatch.delenv("SCRIPT_NAME")
    assert "<a href='x/00_a%20b.ipynb'>" in module_index(tmp_path, base="x/")._repr_html_()


def test_renamed_module_old_names_open_the_module_they_became(tmp_path):
    """Module 4 was 03_screening_and_referral.ipynb before the renumbering (December 2026)."""
    for name in ("03_a.ipynb", "04_a.ipynb", "01_b.ipynb"):
        (tmp_path / name).write_text("{}")
    assert renamed_module("02_b.ipynb", tmp_path) is None  # 03_b does not exist
    assert renamed_module("03_a.ipynb", tmp_path) is None  # exists: served as it is
    assert renamed_module("00_b.ipynb", tmp_path) == "01_b.ipynb"
    assert renamed_module("notebooks/00_start_here.ipynb", NOTEBOOKS) == "01_start_here.ipynb"
    assert renamed_module("index.ipynb", NOTEBOOKS) is None


def test_module_index_lists_the_old_file_names():
    page = module_index(NOTEBOOKS)._repr_html_()
    assert "<code>00_start_here.ipynb</code> is now <code>01_start_here.ipynb</code>" in page
    assert "<code>07_case_studies.ipynb</code> is now <code>08_case_studies.ipynb</code>" in page


def test_module_index_real_notebooks_every_title_and_time():
    page = module_index(NOTEBOOKS)._repr_html_()
    for m in list_modules(NOTEBOOKS) + list_instructor_pages(NOTEBOOKS):
        assert f"href='{m.file}'" in page
        assert html.escape(m.title) in page
        assert m.time_text in page


def test_list_instructor_pages_finds_the_class_practical():
    """class_practical.ipynb is an instructor page, listed apart from the numbered modules."""
    pages = list_instructor_pages(NOTEBOOKS)
    assert [p.file for p in pages] == INSTRUCTOR_PAGES
    page = pages[0]
    assert page.instructor and page.number is None and page.minutes is not None
    assert page.title.startswith("Class practical") and len(page.objectives) >= 3
    assert page.file not in [m.file for m in list_modules(NOTEBOOKS)]


def test_list_instructor_pages_only_pages_that_say_so(tmp_path):
    """Listed: a notebook outside the NN_ names whose header line says "Instructor page".
    Not listed: the numbered modules, the landing page, other notebooks."""
    _write_notebook(tmp_path / "00_a.ipynb", "# A\n\n*Module 1 of 1 · about 10 min*")
    _write_notebook(tmp_path / LANDING, "# Landing\n\n*Instructor page*")
    _write_notebook(tmp_path / "scratch.ipynb", "# Scratch\n\nnotes for me")
    _write_notebook(tmp_path / "lab.ipynb", "# Lab day\n\n*Instructor page · about 25 min*",
                    "## Learning objectives\n\n- **Run** the lab.")
    pages = list_instructor_pages(tmp_path)
    assert [(p.file, p.title, p.minutes, p.objectives) for p in pages] == [
        ("lab.ipynb", "Lab day", 25, ("Run the lab",))]
    assert [m.file for m in list_modules(tmp_path)] == ["00_a.ipynb"]
    assert not list_modules(tmp_path)[0].instructor


def test_module_index_lists_instructor_pages_apart(tmp_path):
    """Instructor pages get a table of their own under the modules; the modules' total
    time counts the modules only; links and titles are treated like the modules'."""
    _write_notebook(tmp_path / "00_a.ipynb", "# A\n\n*Module 1 of 1 · about 10 min*")
    _write_notebook(tmp_path / "lab day.ipynb", "# Lab <b>&</b> day\n\n*Instructor page · about 25 min*")
    page = module_index(tmp_path, base="")._repr_html_()
    modules, instructor = page.split("Instructor pages")
    assert "00_a.ipynb" in modules and "lab%20day.ipynb" not in modules
    assert "1 modules, about 10 min" in modules
    assert "<a href='lab%20day.ipynb'>Lab &lt;b&gt;&amp;&lt;/b&gt; day</a>" in instructor
    assert "about 25 min" in instructor
    assert "<a href='/x/lab%20day.ipynb'>" in module_index(tmp_path, base="/x/")._repr_html_()
    assert "lab day.ipynb" in repr(module_index(tmp_path))


def test_instructor_page_class_practical_follows_the_skeleton():
    """House skeleton, with the named exception for instructor pages: "Instructor page"
    instead of "Module N of M", discussion prompts (Think!) instead of a quiz."""
    nb = json.loads((NOTEBOOKS / "class_practical.ipynb").read_text(encoding="utf-8"))
    markdown = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert markdown.lstrip().startswith("# ")
    assert "*Instructor page · about" in markdown and "no coding needed" in markdown
    assert not re.search(r"Module\s+\d+\s+of\s+\d+", markdown)
    for heading in ("Learning objectives", "Interactive demo 1", "Think! 1", "Key points",
                    "Scope of practice: when to refer", "Educational use only"):
        assert heading in markdown, heading
    assert "<details>" in markdown and "](index.ipynb)" in markdown
    assert "pseudonym" in markdown.lower() and "synthetic" in markdown.lower()
    for src in code:
        lines = [ln for ln in src.splitlines() if ln.strip()]
        assert 1 <= len(lines) <= 2 and "def " not in src, src
    assert "lbp.with_reset(lbp.class_view)" in code
    assert any("lbp.class_example_path()" in src for src in code)
    assert not any("show_quiz" in src for src in code)


def test_instructor_page_class_view_starts_on_the_sample_class(reset_mod):
    """The page's demo (with_reset(class_view)) reads correctly before anyone touches it:
    the sample class CSV is loaded, its chart drawn; Reset brings it back."""
    from lbp_workbook.course.class_view import class_view
    from lbp_workbook.course.classdata import class_example_path

    box = reset_mod.with_reset(class_view)
    name = class_example_path().name
    assert name in box.current.status.value and name in box.tables.value
    assert box.chart.value[:4] == b"\x89PNG"
    chart = box.chart.value
    box.reset_button.click()
    assert name in box.current.status.value and box.current.chart.value == chart


def test_landing_notebook_calls_module_index():
    """notebooks/index.ipynb builds its list from the notebooks (not a hand-kept table)."""
    assert any("module_index()" in src for src in _code_sources(NOTEBOOKS / LANDING))


# --------------------------------------------------------------------------- the command


def test_main_port_in_use_says_how_to_choose_another(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert present.main(["--port", str(port), "--no-browser"]) == 1
    err = capsys.readouterr().err
    assert f"Port {port}" in err and "already in use" in err
    assert f"make present VOILA_PORT={port + 1}" in err


def test_main_without_notebooks_folder_explains(tmp_path, capsys):
    assert present.main(["--notebooks", str(tmp_path), "--no-browser"]) == 2
    assert "No numbered notebooks" in capsys.readouterr().err


def test_import_present_does_not_load_voila_or_widgets():
    code = ("import sys, lbp_workbook.present as p; p.module_index()._repr_html_();"
            "print([m for m in ('voila', 'ipywidgets', 'matplotlib', 'tornado') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    assert out.stdout.strip() == "[]"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("LBP_WORKBOOK_HOME", "JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR",
                 "JUPYTER_DATA_DIR", "IPYTHONDIR"):
        (home / name).mkdir(parents=True, exist_ok=True)
        env[name] = str(home / name)
    env.update(JUPYTER_PLATFORM_DIRS="1", PYTHONUNBUFFERED="1", MPLBACKEND="Agg",
               PYDEVD_DISABLE_FILE_VALIDATION="1")
    return env


class Present:
    """``python -m lbp_workbook.present`` running in its own process group."""

    def __init__(self, tmp: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / "present.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "lbp_workbook.present", "--port", str(self.port),
             "--no-browser"],
            cwd=ROOT, env=_env(tmp / "home"), stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self) -> None:
        """Poll until the printed address answers (the banner is printed once listening)."""
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"present exited with {self.proc.returncode}:\n{self.log()[-3000:]}")
            if f"{self.url}/" in self.log():
                try:
                    urllib.request.urlopen(self.url + "/voila/static/", timeout=10).close()
                    return
                except urllib.error.HTTPError:
                    return  # listening; any answer will do
                except OSError:
                    pass
            time.sleep(0.5)
        pytest.fail(f"present not ready after {READY_TIMEOUT_S} s:\n{self.log()[-3000:]}")

    def get(self, path: str) -> tuple[str, str]:
        """(final URL after redirects, page text with the JSON escapes of Voila's
        embedded outputs and the HTML entities undone, so text reads as on screen)."""
        with urllib.request.urlopen(self.url + path, timeout=PAGE_TIMEOUT_S) as resp:
            text = resp.read().decode("utf-8")
            final = resp.geturl()
        text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
        return final, html.unescape(text.replace('\\"', '"'))

    def kernels(self) -> list[int]:
        """Process ids of the server's kernels (jupyter_client starts each kernel in a
        session of its own, so they are not in the server's process group)."""
        return _children(self.proc.pid)

    def stop(self) -> None:
        """SIGTERM the whole group, then SIGKILL; never leaves a kernel behind."""
        kernels = self.kernels()
        try:
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGTERM)
                try:
                    self.proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    pass
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self.proc.poll() is None:
            self.proc.wait(timeout=30)
        for pid in kernels:  # Voila shuts its kernels down on SIGTERM; make sure
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self._log.close()


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:  # fields: state, ppid, ...
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Present(tmp_path_factory.mktemp("present"))
    try:
        srv.wait_ready()
        yield srv
    finally:
        srv.stop()


def _listening_addresses(port: int) -> set[str]:
    """Local addresses of sockets listening on ``port`` (from /proc/net/tcp, tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if int(hex_port, 16) == port and state == "0A":  # 0A = LISTEN
                found.add(address)
    return found


def test_present_prints_address_and_listens_on_loopback_only(server):
    assert f"Open this address in your browser:\n\n      {server.url}/" in server.log()
    assert f"{server.url}/voila/render/notebooks/index.ipynb" in server.log()
    addresses = _listening_addresses(server.port)
    if not Path("/proc/net/tcp").exists():
        pytest.skip("no /proc/net/tcp to read listening sockets from")
    assert addresses == {"0100007F"}, addresses  # 127.0.0.1, nothing else


def test_present_landing_page_links_every_module_without_code(server):
    """``/`` goes to the landing notebook, which lists every numbered notebook with its
    title and time; no code cell's source reaches the page."""
    final, page = server.get("/")
    assert final == f"{server.url}/voila/render/notebooks/index.ipynb"
    assert "There was an error when executing cell" not in page
    assert "LBP Workbook: all modules" in page
    modules = list_modules(NOTEBOOKS)
    assert modules
    for m in modules + list_instructor_pages(NOTEBOOKS):
        assert f"<a href='/voila/render/notebooks/{m.file}'>" in page, m.file
        assert m.title in page
        assert m.time_text in page
    for src in _code_sources(NOTEBOOKS / LANDING):
        for line in filter(None, (ln.strip() for ln in src.splitlines())):
            assert line not in page, f"code visible on the landing page: {line}"
    assert "lbp." not in page


def test_present_module_page_renders_markdown_without_code(server):
    """A module page (the link shape the landing page uses) renders its markdown as
    HTML headings and shows none of its code cells' sources."""
    name = "03_hamstring_pelvis_pull.ipynb"
    _, landing = server.get("/")
    assert f"<a href='/voila/render/notebooks/{name}'>" in landing
    final, page = server.get(f"/voila/render/notebooks/{name}")
    assert "There was an error when executing cell" not in page
    assert re.search(r"<h1[^>]*>The hamstring–pelvis pull", page)
    assert re.search(r"<h2[^>]*>2\. What happens in a forward bend", page)
    assert "Scope of practice: when to refer." in page
    for src in _code_sources(NOTEBOOKS / name):
        for line in filter(None, (ln.strip() for ln in src.splitlines())):
            assert line not in page, f"code visible on the module page: {line}"
    assert "lbp." not in page
    # the notebook's own "Next" link, relative, works the same way under Voila
    assert "04_screening_and_referral.ipynb" in page


def test_present_old_module_name_redirects_to_the_renumbered_file(server):
    """A bookmark from before the renumbering (02_hamstring_pelvis_pull.ipynb was module 3)
    opens module 3 under its new name."""
    final, page = server.get("/voila/render/notebooks/02_hamstring_pelvis_pull.ipynb")
    assert final == f"{server.url}/voila/render/notebooks/03_hamstring_pelvis_pull.ipynb"
    assert re.search(r"<h1[^>]*>The hamstring–pelvis pull", page)


def test_present_ctrl_c_stops_cleanly(tmp_path):
    """Ctrl-C (SIGINT to the foreground process group, as a terminal sends it) stops the
    server and shuts down its kernels, and says so."""
    srv = Present(tmp_path)
    try:
        srv.wait_ready()
        server_pid = srv.proc.pid
        srv.get("/")  # start a kernel, so there is one to shut down
        kernels = srv.kernels()
        assert kernels, "the landing page should have started a kernel"
        os.killpg(server_pid, signal.SIGINT)
        assert srv.proc.wait(timeout=120) == 0
        assert "Instructor mode stopped." in srv.log()
        with pytest.raises(OSError):
            urllib.request.urlopen(srv.url + "/", timeout=5)
        deadline = time.monotonic() + 60
        while any(map(_alive, kernels)) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not any(map(_alive, kernels)), f"kernels left running: {kernels}"
    finally:
        srv.stop()


# --------------------------------------------------------------------------- Reset controls


@pytest.fixture
def reset_mod():
    pytest.importorskip("ipywidgets")
    from lbp_workbook.views.widgets import reset

    return reset


def _closed(widget) -> bool:
    return getattr(widget, "comm", None) is None


def test_with_reset_model_demo_restores_sliders_client_and_figure(reset_mod):
    """Start: Sam's SLR (the worked example), Esola's 111 deg bend, straight knees."""
    from lbp_workbook.views.widgets.model_demo import model_demo

    box = reset_mod.with_reset(model_demo)
    start = (box.slr.value, box.bend.value, box.knee.value, box.client.value)
    image, readout = box.view.image.value, box.readout.value
    old = box.current
    box.client.value = "healthy_jo"
    box.bend.value, box.knee.value = 60.0, 30.0
    assert box.view.image.value != image and box.readout.value != readout
    box.reset_button.click()
    assert box.current is not old and box.children[1] is box.current
    assert (box.slr.value, box.bend.value, box.knee.value, box.client.value) == start
    assert box.view.image.value == image and box.readout.value == readout
    assert _closed(old) and _closed(old.slr)  # the replaced demo is freed
    assert box.resets == 1 and box.message.value == ""


def test_with_reset_model_demo_record_is_passed_again(reset_mod):
    from lbp_workbook.engine.examples import load_example
    from lbp_workbook.engine.model import slr_from_record
    from lbp_workbook.views.widgets.model_demo import model_demo

    record = load_example("golfer_kim")
    box = reset_mod.with_reset(model_demo, record=record)
    box.slr.value = 120.0
    box.reset()
    assert box.slr.value == pytest.approx(slr_from_record(record))
    assert box.client.value == "my client"


def test_with_reset_compare_demo(reset_mod):
    from lbp_workbook.views.widgets.model_demo import compare_demo

    box = reset_mod.with_reset(compare_demo)
    image, texts = box.view.image.value, [r.value for r in box.readouts]
    box.bend.value, box.knee.value = 20.0, 45.0
    assert box.view.image.value != image
    box.reset_button.click()
    assert (box.bend.value, box.knee.value) == (111.0, 0.0)
    assert box.view.image.value == image and [r.value for r in box.readouts] == texts


def test_with_reset_muscle_chooser_and_widget_check(reset_mod):
    from lbp_workbook.course.muscle_chooser import muscle_chooser
    from lbp_workbook.views.widgets.check import widget_check

    box = reset_mod.with_reset(muscle_chooser)
    card = box.card.value
    box.group.value = "hamstrings"
    assert box.card.value != card
    box.reset_button.click()
    assert (box.group.value, box.muscle.value, box.card.value) == ("all", "transversus_abdominis",
                                                                   card)
    check = reset_mod.with_reset(widget_check)
    label = check.label.value
    check.slider.value = 9
    check.reset_button.click()
    assert (check.slider.value, check.label.value) == (3, label)


def test_with_reset_assessment_app_returns_to_sam(reset_mod):
    """The app starts from runner_sam; after loading another example, Reset brings back
    Sam's entries, banner, phase card, record and chart."""
    from lbp_workbook.views.widgets.app import assessment_app

    box = reset_mod.with_reset(assessment_app)
    app = box.current
    assert app.record["client"]["id"] == "sam"
    start = dict(record=app.record, banner=app.banner.value, phase=app.phase_card.value,
                 image=app.image.value, slr=app.controls["flexibility.slr_deg.left"].value)
    app.example_picker.value = "red_flag_pat"
    app.load_example_button.click()
    assert app.banner.value != start["banner"]
    box.reset_button.click()
    fresh = box.current
    assert fresh is not app and box.children[1] is fresh.widget
    assert fresh.record == start["record"] and fresh.example_picker.value == "runner_sam"
    assert (fresh.banner.value, fresh.phase_card.value) == (start["banner"], start["phase"])
    assert fresh.image.value == start["image"]
    assert fresh.controls["flexibility.slr_deg.left"].value == start["slr"]
    assert _closed(app.widget)


def test_with_reset_failed_rebuild_is_shown_and_keeps_the_demo(reset_mod):
    from lbp_workbook.views.widgets.check import widget_check

    calls = []

    def flaky():
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("disk <full>")
        return widget_check()

    box = reset_mod.with_reset(flaky)
    shown = box.current
    box.reset_button.click()
    assert box.current is shown and box.children[1] is shown
    assert "Could not reset this demo" in box.message.value
    assert "disk &lt;full&gt;" in box.message.value


def test_with_reset_rejects_what_cannot_be_shown(reset_mod):
    with pytest.raises(TypeError, match="not a widget"):
        reset_mod.with_reset(lambda: 42)


def test_reset_button_model_demo_restores_controls_and_figure(reset_mod):
    from lbp_workbook.views.widgets.model_demo import model_demo

    demo = model_demo()
    control = reset_mod.reset_button(demo)
    image = demo.view.image.value
    demo.client.value = "healthy_jo"
    demo.bend.value, demo.knee.value = 50.0, 10.0
    control.button.click()
    assert (demo.client.value, demo.bend.value, demo.knee.value) == ("", 111.0, 0.0)
    assert demo.view.image.value == image and control.message.value == ""


def test_reset_button_muscle_chooser_dependent_dropdowns(reset_mod):
    """The muscle list follows the group: restoring takes the group first, then the muscle."""
    from lbp_workbook.course.muscle_chooser import muscle_chooser

    chooser = muscle_chooser()
    control = reset_mod.reset_button(chooser)
    card = chooser.card.value
    chooser.group.value = "hamstrings"
    chooser.muscle.value = chooser.muscle.options[-1][1]
    control.button.click()
    assert (chooser.group.value, chooser.muscle.value) == ("all", "transversus_abdominis")
    assert chooser.card.value == card


def test_reset_button_saves_controls_not_shown_text(reset_mod):
    """Only controls are saved (and tab pages); text, labels and images are recomputed."""
    import ipywidgets as widgets

    from lbp_workbook.views.widgets.check import widget_check

    check = widget_check()
    tabs = widgets.Tab(children=[check, widgets.HTML("x")], selected_index=0)
    control = reset_mod.reset_button(tabs)
    assert [(type(w).__name__, name) for w, name, _ in control.saved] == [
        ("Tab", "selected_index"), ("IntSlider", "value")]
    tabs.selected_index, check.slider.value = 1, 0
    control.reset()
    assert (tabs.selected_index, check.slider.value) == (0, 3)
    assert "3" in check.label.value


def _start_kernel_with_a_stolen_port(monkeypatch, transport: str) -> str:
    """Start a real kernel with ``transport`` while another program grabs the first port
    jupyter_client's port cache hands out; return "ready" or why it failed."""
    import asyncio

    from jupyter_client import connect
    from jupyter_client.ioloop import AsyncIOLoopKernelManager

    held: list[socket.socket] = []
    pick = connect.LocalPortCache.find_available_port

    def pick_and_steal(self, ip):
        port = pick(self, ip)
        if not held:  # between the pick and the kernel's bind, someone else binds it
            thief = socket.socket()
            thief.bind((ip, port))
            thief.listen()
            held.append(thief)
        return port

    monkeypatch.setattr(connect.LocalPortCache, "find_available_port", pick_and_steal)

    async def run() -> str:
        km = AsyncIOLoopKernelManager(kernel_name="python3", transport=transport)
        await km.start_kernel(stderr=subprocess.DEVNULL)
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            return "ready"
        except RuntimeError as err:
            return str(err)
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)

    try:
        # A thread of its own: in a whole-suite run the browser tests' Playwright (sync API)
        # leaves an event loop running in this thread, where asyncio.run() is refused.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(lambda: asyncio.run(run())).result()
    finally:
        for sock in held:
            sock.close()


@pytest.mark.skipif(sys.platform == "win32", reason="no Unix sockets")
def test_kernel_transport_survives_a_port_taken_by_another_program(monkeypatch):
    """Over TCP a kernel whose cached port another program took dies before it answers
    (ZMQError: Address already in use; the restarts reuse the same port); instructor mode's
    transport (Unix sockets) has no port to lose, and the kernel starts."""
    transport = present.voila_defaults()["KernelManager"]["transport"]
    assert transport == "ipc"
    assert _start_kernel_with_a_stolen_port(monkeypatch, "tcp") != "ready"
    assert _start_kernel_with_a_stolen_port(monkeypatch, transport) == "ready"
