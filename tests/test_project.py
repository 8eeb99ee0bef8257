"""Project-level checks: the lock and environment.yml agree, notebooks are
stored clean, and the package imports light."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from sync_environment import lock_pins, render  # noqa: E402


def test_environment_yml_matches_lock():
    """environment.yml must be exactly what tools/sync_environment.py renders from the lock."""
    pins = lock_pins((ROOT / "requirements.lock").read_text())
    assert pins, "requirements.lock has no pins"
    assert all("==" in p for p in pins), [p for p in pins if "==" not in p]
    env_text = (ROOT / "environment.yml").read_text()
    assert env_text == render(pins), "environment.yml is stale: run `make lock`"
    assert "      - -e .\n" in env_text  # installs lbp_workbook itself


def test_lock_pins_the_widget_stack_together():
    """ipywidgets and jupyterlab_widgets must move in step (jupyter-practice.md)."""
    pins = dict(p.split("==") for p in lock_pins((ROOT / "requirements.lock").read_text()))
    assert pins["ipywidgets"].startswith("8.")
    assert pins["jupyterlab_widgets"].startswith("3.")
    for needed in ("jupyterlab", "matplotlib", "nbval", "voila", "pydantic", "playwright"):
        assert needed in pins, needed


def test_notebooks_are_stored_without_outputs():
    """Notebooks are committed without outputs, execution counts or widget state."""
    dirty = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count")):
                dirty.append(path.name)
                break
        else:
            if "widgets" in nb.get("metadata", {}):
                dirty.append(path.name)
    assert dirty == []


def test_import_does_not_load_plotting_or_widgets():
    """`import lbp_workbook` and one assess() call stay free of matplotlib and ipywidgets."""
    code = (
        "import sys, lbp_workbook as lbp\n"
        "lbp.assess({'schema': 'lbp-assessment/1', 'client': {'id': 'x'}})\n"
        "bad = [m for m in ('matplotlib', 'ipywidgets') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
