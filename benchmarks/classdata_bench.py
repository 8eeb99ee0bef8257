"""``python -m benchmarks.classdata_bench [--big]``: reading and summarising a class CSV file.

Each case runs in a fresh Python process (so the peak memory is that case's
own): it writes a synthetic class file under a temporary folder, then times
``load_class_csv`` + ``class_summary`` and reports the wall time and the
process's peak resident memory (``ru_maxrss``). ``--big`` adds the cases of
issue 10 that took a minute and GBs before the caps (100,000 rows, 40,000
columns); after the caps they are refused at once, and the figure is the time
to say so. Reported, never enforced (no timed tests).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap

_CASE = textwrap.dedent(
    """
    import csv, json, resource, sys, tempfile, time, random
    from pathlib import Path
    rows, cols = int(sys.argv[1]), int(sys.argv[2])
    from lbp_workbook.course.classdata import class_summary, load_class_csv
    from lbp_workbook.engine.storage import StorageError
    folder = Path(tempfile.mkdtemp())
    path = folder / "class.csv"
    rnd = random.Random(1)
    header = ["client.id", "date", "flexibility.slr_deg.left", "flexibility.slr_deg.right",
              "flexibility.hip_ir_deg.left", "endurance.flexor_s"]
    header += [f"extra.col{i}" for i in range(max(0, cols - len(header)))]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for i in range(rows):
            w.writerow([f"learner{i}", "2026-11-02", rnd.randint(50, 100), rnd.randint(50, 100),
                        rnd.randint(20, 50), rnd.randint(30, 200)])
    start = time.perf_counter()
    try:
        data = load_class_csv(path)
        summary = class_summary(data)
        outcome = f"{len(data.records)} records, {len(summary)} summaries"
    except StorageError as exc:
        outcome = "refused: " + str(exc.problem)[:90]
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "columns": len(header), "seconds": round(seconds, 3),
                      "peak_mb": round(peak_mb, 1), "outcome": outcome}))
    """
)

CASES = [(500, 6), (2_000, 6), (5_000, 6), (2, 500)]
BIG = [(100_000, 6), (2, 40_000)]


def run_case(rows: int, cols: int) -> dict:
    """One case in a fresh interpreter; its JSON line as a dict."""
    out = subprocess.run([sys.executable, "-c", _CASE, str(rows), str(cols)],
                         capture_output=True, text=True, check=True, timeout=900)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.classdata_bench",
                                     description=__doc__)
    parser.add_argument("--big", action="store_true", help="add the 100,000-row and "
                        "40,000-column cases of issue 10")
    args = parser.parse_args(argv)
    print(f"{'rows':>8} {'columns':>8} {'time s':>8} {'peak MB':>8}  outcome")
    for rows, cols in CASES + (BIG if args.big else []):
        r = run_case(rows, cols)
        print(f"{r['rows']:>8} {r['columns']:>8} {r['seconds']:>8.2f} {r['peak_mb']:>8.0f}  "
              f"{r['outcome']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
