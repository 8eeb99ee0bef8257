"""``import lbp_workbook`` in a fresh interpreter, and ``assess()`` on every example client.

Import: wall time of ``python -c "import lbp_workbook"`` (subprocess, so nothing
is cached in this process) beside the naive eager import the lazy namespace
avoids (``import lbp_workbook, matplotlib.pyplot, ipywidgets``); the bare
interpreter start (``python -c pass``) is recorded as the floor.
assess(): time per call for each example client, in this process after one
warm-up call, beside its first step alone (``validate_record``), so the ratio
is the rule engine's share.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from benchmarks.common import ROOT, Row, Stats, timed


def _spawn(code: str, repeat: int) -> list[float]:
    env = dict(os.environ)
    env.setdefault("MPLBACKEND", "Agg")
    out = []
    for i in range(repeat + 1):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env)
        if i:  # the first run warms the OS file cache
            out.append((time.perf_counter() - t0) * 1000.0)
    return out


def run(quick: bool = False) -> list[Row]:
    repeat = 5 if quick else 15
    rows = []
    floor = Stats.of(_spawn("pass", repeat))
    ours = Stats.of(_spawn("import lbp_workbook", repeat))
    eager = Stats.of(_spawn("import lbp_workbook, matplotlib.pyplot, ipywidgets", repeat))
    rows.append(Row("startup", "import lbp_workbook (subprocess)", "ms", ours, eager,
                    "eager import with matplotlib.pyplot + ipywidgets",
                    notes=f"bare interpreter start: median {floor.median:.0f} ms, "
                          f"p95 {floor.p95:.0f} ms", extra={"interpreter_floor": floor.__dict__}))

    from lbp_workbook import assess, validate_record
    from lbp_workbook.engine.examples import list_examples, load_example

    n = 20 if quick else 100
    for name in list_examples():
        record = load_example(name)
        o = Stats.of(timed(lambda: assess(record), n))
        v = Stats.of(timed(lambda: validate_record(record), n))
        rows.append(Row("assess", f"assess({name})", "ms", o, v, "validate_record alone"))
    return rows
