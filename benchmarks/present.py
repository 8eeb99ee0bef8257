"""Instructor mode (``python -m lbp_workbook.present``) under a class: first paint and a load test.

Real instructor mode (``tests/browser/jupyter_harness.py``'s ``start_present``) in Debian's
Chromium (headless, Playwright's async API so many learners run at once).

- **First paint of a module page**: from navigation start to the page ready (Voila's spinner
  gone and every widget view of the module drawn), each load in a fresh browser context,
  one at a time; once as instructor mode runs by default (a kernel started per request) and
  once with Voila's preheated pool (``preheat_kernel``, one pooled kernel for that module).
- **Load test** (not a timed test: it reports, never fails): ``learners`` simulated learners
  (default 30) arrive evenly over ``arrival_s`` (default 60 s); each opens the module page in
  its own browser context, waits until it is ready, reloads twice (waiting each time), and
  closes the tab (the page unloads, as a learner closing it). Reported: page-ready time
  p50/p95 over every load, peak kernels and peak memory (server + kernels, RSS), the kernels
  and memory 2 minutes after the last tab closed, and every load that never became ready
  (within ``PAGE_TIMEOUT_S``) or showed the "could not start" message.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.common import ROOT, Row, Stats, percentile

sys.path.insert(0, str(ROOT / "tests" / "browser"))
import jupyter_harness as h

LOGS = ROOT / "bench-results" / "logs"
MODULE = "notebooks/03_hamstring_pelvis_pull.ipynb"
PAGE_TIMEOUT_S = 240
AFTER_S = 120  # how long after the last close the kernels and memory are read


class Sampler:
    """Every ``every_s`` s: kernel count and RSS [MiB] of server + kernels, in a thread."""

    def __init__(self, server: h.Server, every_s: float = 1.0) -> None:
        self.server, self.every_s = server, every_s
        self.samples: list[tuple[float, int, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def now(self) -> tuple[int, float]:
        import psutil

        kernels = h.kernel_processes(self.server)
        try:
            server = [psutil.Process(self.server.proc.pid)]
        except psutil.NoSuchProcess:
            server = []
        return len(kernels), h.rss_mib(server + kernels)

    def _run(self) -> None:
        while not self._stop.is_set():
            n, mib = self.now()
            self.samples.append((time.monotonic(), n, mib))
            self._stop.wait(self.every_s)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(10)


async def _load(page, url: str | None, want: int) -> tuple[float | None, str]:
    """Navigate (or reload when ``url`` is None); seconds to ready, or None and why not."""
    t0 = time.monotonic()
    try:
        if url is None:
            await page.reload(wait_until="commit")
        else:
            await page.goto(url, wait_until="commit")
        await page.wait_for_function(h.VOILA_READY_JS, arg=[want],
                                     timeout=PAGE_TIMEOUT_S * 1000, polling=250)
    except Exception as err:  # noqa: BLE001 - reported, not raised
        return None, f"never ready: {type(err).__name__}: {str(err)[:120]}"
    took = time.monotonic() - t0
    if await page.locator("#lbp-kernel-problem").count():
        return None, "showed 'This page could not start'"
    if await page.evaluate("() => document.body.innerText.includes("
                           "'There was an error when executing cell')"):
        return None, "a cell failed"
    return took, ""


async def _first_paint(url: str, want: int, repeat: int) -> tuple[list[float], list[str]]:
    from playwright.async_api import async_playwright

    times, problems = [], []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=h.CHROMIUM, args=h.CHROMIUM_ARGS)
        try:
            for _ in range(repeat):
                context = await browser.new_context(viewport={"width": 1280, "height": 1000})
                page = await context.new_page()
                took, why = await _load(page, url, want)
                await page.close(run_before_unload=True)
                await context.close()
                if took is not None:
                    times.append(took)
                else:
                    problems.append(why)
                await asyncio.sleep(4)  # let a pool refill (fill_delay 1 s + render)
        finally:
            await browser.close()
    return times, problems


async def _learner(browser, i: int, start_s: float, url: str, want: int, log: list) -> None:
    await asyncio.sleep(start_s)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = await context.new_page()
        for attempt, target in enumerate((url, None, None)):
            took, why = await _load(page, target, want)
            log.append({"learner": i, "load": attempt, "ready_s": took, "problem": why,
                        "at": time.monotonic()})
        await page.close(run_before_unload=True)
    finally:
        await context.close()


async def _class(url: str, want: int, learners: int, arrival_s: float) -> list[dict]:
    from playwright.async_api import async_playwright

    log: list[dict] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=h.CHROMIUM, args=h.CHROMIUM_ARGS)
        try:
            gap = arrival_s / max(learners - 1, 1)
            await asyncio.gather(*(_learner(browser, i, i * gap, url, want, log)
                                   for i in range(learners)))
        finally:
            await browser.close()
    return log


def first_paint(quick: bool = False) -> list[Row]:
    """First paint of :data:`MODULE`, without and with a preheated kernel pool."""
    repeat = 3 if quick else 6
    want = h.expected_views(MODULE)[0]
    rows = []
    pool = {"VoilaConfiguration": {"preheat_kernel": True},
            "VoilaKernelManager": {"kernel_pools_config": {
                "default": {"pool_size": 0}, MODULE: {"pool_size": 1}}}}
    for label, config in (("kernel started per page (default)", None),
                          ("preheated pool of 1 for the module", pool)):
        with tempfile.TemporaryDirectory(prefix="lbp-bench-present-") as tmp:
            server = h.start_present(ROOT, Path(tmp), LOGS, name="bench-present-paint",
                                     voila_config=config)
            try:
                if config is not None:  # wait for the pool to be filled and rendered
                    time.sleep(20)
                print(f"  present: first paint, {label} ...", flush=True)
                times, problems = asyncio.run(
                    _first_paint(f"{server.url}/voila/render/{MODULE}", want, repeat))
            finally:
                server.stop()
        rows.append(Row("present/first paint", f"{Path(MODULE).stem}: {label}", "ms",
                        Stats.of([t * 1000 for t in times]),
                        notes="; ".join(problems)))
    return rows


def load_test(learners: int = 30, arrival_s: float = 60.0) -> list[Row]:
    """The class: see the module docstring. One row per figure, all in the JSON."""
    want = h.expected_views(MODULE)[0]
    with tempfile.TemporaryDirectory(prefix="lbp-bench-class-") as tmp:
        server = h.start_present(ROOT, Path(tmp), LOGS, name="bench-present-class")
        try:
            with Sampler(server) as sampler:
                idle_kernels, idle_mib = sampler.now()
                print(f"  present: load test, {learners} learners over {arrival_s:.0f} s "
                      f"({MODULE}) ...", flush=True)
                t0 = time.monotonic()
                log = asyncio.run(_class(f"{server.url}/voila/render/{MODULE}", want,
                                         learners, arrival_s))
                closed = time.monotonic()
                print(f"  present: last tab closed after {closed - t0:.0f} s; "
                      f"waiting {AFTER_S} s ...", flush=True)
                time.sleep(AFTER_S)
                after_kernels, after_mib = sampler.now()
            samples = [s for s in sampler.samples if s[0] <= closed]
        finally:
            server.stop()
    ready = [e["ready_s"] for e in log if e["ready_s"] is not None]
    problems = [f"learner {e['learner']} load {e['load']}: {e['problem']}"
                for e in log if e["problem"]]
    peak_kernels = max((s[1] for s in samples), default=0)
    peak_mib = max((s[2] for s in samples), default=0.0)
    extra = {"learners": learners, "arrival_s": arrival_s, "module": MODULE,
             "loads": len(log), "ready": len(ready), "problems": problems,
             "ready_p50_s": percentile(ready, 50), "ready_p95_s": percentile(ready, 95),
             "peak_kernels": peak_kernels, "peak_mib": peak_mib,
             "idle_before": [idle_kernels, idle_mib],
             "after_close": {"seconds": AFTER_S, "kernels": after_kernels, "mib": after_mib},
             "session_s": closed - t0,
             "samples": [(round(t - t0, 1), n, round(m)) for t, n, m in sampler.samples]}
    notes = (f"{len(ready)}/{len(log)} loads ready; " +
             (f"never ready: {'; '.join(problems)[:300]}" if problems else "every load ready"))
    return [
        Row("present/load test", f"{learners} learners x 3 loads: page ready", "s",
            Stats.of(ready), notes=notes, extra=extra),
        Row("present/load test", "peak kernels (while the class works)", "kernels",
            Stats.of([float(peak_kernels)])),
        Row("present/load test", "peak memory, server + kernels", "MiB", Stats.of([peak_mib])),
        Row("present/load test", f"kernels {AFTER_S} s after the last tab closed", "kernels",
            Stats.of([float(after_kernels)]), target="0 (no page open, no pool)",
            passed=after_kernels == 0),
        Row("present/load test", f"memory {AFTER_S} s after the last tab closed", "MiB",
            Stats.of([after_mib]), notes=f"idle server before the class: {idle_mib:.0f} MiB"),
    ]


def run(quick: bool = False, learners: int | None = None) -> list[Row]:
    rows = first_paint(quick)
    rows += load_test(learners or (6 if quick else 30), 20.0 if quick else 60.0)
    return rows


if __name__ == "__main__":  # python -m benchmarks.present [learners]
    for row in run(learners=int(sys.argv[1]) if len(sys.argv) > 1 else None):
        print(row.group, row.name, row.ours, row.notes)
