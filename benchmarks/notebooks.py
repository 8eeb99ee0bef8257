"""Every notebook in ``notebooks/``, top to bottom on a fresh kernel (nbclient): time and memory.

The list is read from the folder at each run (:func:`notebook_paths`), so a
new lesson is benchmarked as soon as it is saved there.

Time runs from asking for a kernel to the last cell's reply (kernel start
included: that is what a learner waits for after "Restart and run all").
Memory is the resident set (VmRSS) of the kernel process, read from
``/proc/<pid>/status`` after the last cell. Baseline: the same run of a bare
notebook (one cell, ``1 + 1``): the floor any notebook pays.
Targets: under 5 s and under 150 MiB per notebook.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from benchmarks.common import ROOT, Row, Stats

TARGET_S = 5.0
TARGET_MIB = 150.0
NOTEBOOKS = ROOT / "notebooks"


def notebook_paths(folder: Path = NOTEBOOKS) -> list[Path]:
    """Every notebook under ``folder`` (sub-folders too), sorted; never a hard-coded list.

    JupyterLab's ``.ipynb_checkpoints`` copies are left out.
    """
    return sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    raise RuntimeError(f"no VmRSS for {pid}")


def run_notebook(nb, cwd: Path) -> tuple[float, float]:
    """Execute ``nb`` on a fresh kernel; return (seconds, kernel RSS in MiB after the last cell)."""
    from nbclient import NotebookClient

    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}})
    t0 = time.perf_counter()
    # the kernel's own stderr (ipykernel's "running over TCP" warning) stays off the table
    with client.setup_kernel(stderr=subprocess.DEVNULL):
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        elapsed = time.perf_counter() - t0
        pid = client.km.provisioner.process.pid
        mem = rss_mib(pid)
    return elapsed, mem


def _bare():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1 + 1")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def run(quick: bool = False, only: list[str] | None = None) -> list[Row]:
    import nbformat

    repeat = 1 if quick else 3
    paths = notebook_paths()
    if only:
        paths = [p for p in paths if any(o in p.name for o in only)]
    print("  notebooks: " + ", ".join(str(p.relative_to(NOTEBOOKS)) for p in paths), flush=True)
    base_t, base_m = [], []
    for _ in range(repeat):
        t, m = run_notebook(_bare(), NOTEBOOKS)
        base_t.append(t)
        base_m.append(m)
    rows = []
    for path in paths:
        times, mems, error = [], [], ""
        for _ in range(repeat):
            nb = nbformat.read(path, as_version=4)
            try:
                t, m = run_notebook(nb, path.parent)
            except Exception as err:  # a broken notebook is reported, not hidden
                error = f"{type(err).__name__}: {str(err).splitlines()[0][:200] if str(err) else ''}"
                break
            times.append(t)
            mems.append(m)
        st, sm = Stats.of(times), Stats.of(mems)
        name = str(path.relative_to(NOTEBOOKS))
        rows.append(Row("notebook", f"{name}: run all", "s", st, Stats.of(base_t),
                        "bare kernel running `1 + 1`", f"< {TARGET_S:.0f} s",
                        (st.median < TARGET_S) if times else False, notes=error))
        rows.append(Row("notebook", f"{name}: kernel RSS", "MiB", sm, Stats.of(base_m),
                        "bare kernel running `1 + 1`", f"< {TARGET_MIB:.0f} MiB",
                        (sm.median < TARGET_MIB) if mems else False))
    return rows
