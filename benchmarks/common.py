"""Statistics, machine description, the result table and its JSON."""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "bench-results"


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear between closest ranks."""
    xs = sorted(values)
    if not xs:
        return math.nan
    if len(xs) == 1:
        return xs[0]
    pos = (len(xs) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


@dataclass
class Stats:
    n: int
    median: float
    p95: float
    min: float
    max: float

    @classmethod
    def of(cls, values: list[float]) -> "Stats":
        if not values:
            return cls(0, math.nan, math.nan, math.nan, math.nan)
        return cls(len(values), statistics.median(values), percentile(values, 95),
                   min(values), max(values))


@dataclass
class Row:
    """One benchmark: ours beside its baseline, with an optional target."""

    group: str
    name: str
    unit: str
    ours: Stats
    baseline: Stats | None = None
    baseline_name: str = ""
    target: str = ""
    passed: bool | None = None
    notes: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        if self.baseline is None or not self.baseline.median:
            return math.nan
        return self.ours.median / self.baseline.median


def timed(fn, repeat: int, warmup: int = 1) -> list[float]:
    """Call ``fn()`` ``warmup`` times untimed, then ``repeat`` times; durations in ms."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000.0)
    return out


def machine() -> dict:
    """CPU model, cores, memory, Python and key library versions."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = math.nan
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    versions = {}
    from importlib.metadata import PackageNotFoundError, version

    for pkg in ("matplotlib", "ipywidgets", "jupyterlab", "voila", "ipykernel", "playwright"):
        try:
            versions[pkg] = version(pkg)
        except PackageNotFoundError:
            versions[pkg] = None
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "memory_gib": mem_gib,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "load_average_at_start": load,
        "versions": versions,
    }


def fmt(x: float, unit: str) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if unit == "MiB":
        return f"{x:.0f}"
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def table(rows: list[Row]) -> str:
    head = ["group", "benchmark", "unit", "ours med", "ours p95", "base med", "base p95",
            "ratio", "target", "ok"]
    lines = []
    for r in rows:
        b = r.baseline
        ok = {True: "yes", False: "NO", None: ""}[r.passed]
        lines.append([
            r.group, r.name, r.unit, fmt(r.ours.median, r.unit), fmt(r.ours.p95, r.unit),
            fmt(b.median, r.unit) if b else "-", fmt(b.p95, r.unit) if b else "-",
            "-" if math.isnan(r.ratio) else f"{r.ratio:.2f}", r.target, ok,
        ])
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines)]
    out = ["  ".join(str(x).ljust(w) for x, w in zip(head, widths))]
    out.append("  ".join("-" * w for w in widths))
    for line in lines:
        out.append("  ".join(str(x).ljust(w) for x, w in zip(line, widths)))
    baselines = sorted({f"{r.group}/{r.name}: baseline = {r.baseline_name}" for r in rows if r.baseline_name})
    notes = [f"{r.group}/{r.name}: {r.notes}" for r in rows if r.notes]
    return "\n".join(out + [""] + baselines + ([""] + notes if notes else []))


def write_json(rows: list[Row], info: dict, args: dict, path: Path | None = None) -> Path:
    path = path or OUT_DIR / "latest.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": info,
        "args": args,
        "results": [
            {**asdict(r), "ratio": None if math.isnan(r.ratio) else r.ratio} for r in rows
        ],
    }
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    return path


def profile(fn, calls: int = 5, top: int = 15) -> list[dict]:
    """cProfile ``fn`` over ``calls`` calls; the ``top`` entries by cumulative time per call."""
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    for _ in range(calls):
        fn()
    prof.disable()
    stats = pstats.Stats(prof)
    rows = []
    for (filename, line, func), (cc, nc, tt, ct, _callers) in stats.stats.items():
        short = filename
        for marker in ("site-packages/", "lbp_workbook/", "benchmarks/"):
            if marker in filename:
                short = marker.rstrip("/").split("/")[-1] + "/" + filename.split(marker, 1)[1]
                break
        rows.append({
            "function": f"{short}:{line}({func})",
            "cum_ms_per_call": ct * 1000.0 / calls,
            "self_ms_per_call": tt * 1000.0 / calls,
            "ncalls_per_call": nc / calls,
        })
    # Wrapper frames (the benchmark itself, traitlets' notification chain) say nothing.
    skip = ("benchmarks/", "traitlets/", "ipywidgets/widgets/widget.py", "builtins.exec")
    useful = [r for r in rows if not any(m in r["function"] for m in skip)]
    by_cum = sorted(useful, key=lambda r: r["cum_ms_per_call"], reverse=True)[:top]
    by_self = sorted(useful, key=lambda r: r["self_ms_per_call"], reverse=True)[:top]
    return by_cum + [dict(r, by_self=True) for r in by_self]


def profile_text(title: str, rows: list[dict]) -> str:
    out = [f"profile (cProfile): {title}", "  by cumulative time: cum ms, self ms, calls per change"]
    for r in [r for r in rows if not r.get("by_self")]:
        out.append(f"  {r['cum_ms_per_call']:8.1f} {r['self_ms_per_call']:8.1f} "
                   f"{r['ncalls_per_call']:7.0f}  {r['function']}")
    out.append("  by own (self) time:")
    for r in [r for r in rows if r.get("by_self")]:
        out.append(f"  {r['cum_ms_per_call']:8.1f} {r['self_ms_per_call']:8.1f} "
                   f"{r['ncalls_per_call']:7.0f}  {r['function']}")
    return "\n".join(out)
