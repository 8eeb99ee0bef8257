"""In the browser: a control change to the updated picture on screen, ours beside naive.

Real JupyterLab and real Voila (``tests/browser/jupyter_harness.py``) serve a
temporary folder holding four small generated notebooks: our assessment app
and model demo, and the naive baseline of each (``benchmarks.naive``). Debian's
Chromium opens each one and changes a control many times:

- model demo: focus the SLR slider's ``.noUi-handle`` and press ArrowRight /
  ArrowLeft (alternating);
- assessment app: type a new left SLR into its box and press Enter (the box
  updates on Enter, by design).

Latency is measured inside the page, so Playwright's round trips do not count:
a capture-phase ``keydown`` listener stamps t0; a ``MutationObserver`` stamps t1
when an ``<img>`` with a new ``src`` appears under the view (a new blob URL for
our ``widgets.Image``, a new data URL for the naive ``Output``). t1 - t0 is the
reported latency; the time until the new image is decoded and the next frame
is drawn is recorded too (``painted`` in the JSON).
Targets (2-core machine): median under 100 ms and at most half the baseline.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from benchmarks.common import ROOT, Row, Stats

sys.path.insert(0, str(ROOT / "tests" / "browser"))
import jupyter_harness as h

TARGET_MS = 100.0
TARGET_RATIO = 0.5
LOGS = ROOT / "bench-results" / "logs"

_PRELUDE = f"import sys\nsys.path.insert(0, {str(ROOT)!r})"

#: name -> (code cells, control kind). Kinds: "slider" or "enter".
NOTEBOOKS = {
    "ours_model": ([_PRELUDE, "from lbp_workbook.views.widgets.model_demo import model_demo\nmodel_demo()"],
                   "slider"),
    "naive_model": ([_PRELUDE + "\nfrom benchmarks.naive import naive_model_view\n%matplotlib inline",
                     "naive_model_view()"], "slider"),
    "ours_assessment": ([_PRELUDE, "from lbp_workbook.views.widgets.app import assessment_app\n"
                                   "assessment_app()"], "enter"),
    "naive_assessment": ([_PRELUDE + "\nfrom benchmarks.naive import naive_assessment_view\n"
                          "%matplotlib inline", "naive_assessment_view()"], "enter"),
}
#: Values typed into the assessment app's left SLR box, in turn (each changes the chart).
SLR_VALUES = ("58", "62", "66", "54")

ARM_JS = """
(rootSel) => {
  const root = document.querySelector(rootSel);
  if (!root) throw new Error('no root ' + rootSel);
  const st = {t0: null, t1: null, t2: null};
  const before = new Set([...root.querySelectorAll('img')].map(i => i.src));
  const onKey = () => { if (st.t0 === null) st.t0 = performance.now(); };
  document.addEventListener('keydown', onKey, true);
  const obs = new MutationObserver(() => {
    if (st.t1 !== null || st.t0 === null) return;
    const img = [...root.querySelectorAll('img')].find(i => i.src && !before.has(i.src));
    if (!img) return;
    st.t1 = performance.now();
    obs.disconnect();
    document.removeEventListener('keydown', onKey, true);
    const done = () => requestAnimationFrame(() => { st.t2 = performance.now(); });
    img.decode ? img.decode().then(done, done) : done();
  });
  obs.observe(root, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
  window.__lbpBench = st;
}
"""


def write_notebooks(folder: Path) -> None:
    import nbformat

    for name, (cells, _kind) in NOTEBOOKS.items():
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nbformat.write(nb, folder / f"{name}.ipynb")


def _ready(page, root_sel: str, kind: str, timeout_ms: int = 240_000) -> None:
    """Wait for the view's picture; fail at once if the view shows an error instead."""
    page.wait_for_function(
        "(sel) => { const r = document.querySelector(sel); if (!r) return false;"
        " const spin = document.getElementById('loading');"
        " if (spin && getComputedStyle(spin).display !== 'none') return false;"
        " if (r.querySelector('[data-mime-type=\"application/vnd.jupyter.stderr\"]')) return true;"
        " const imgs = [...r.querySelectorAll('img')]; return imgs.some(i => i.complete && i.naturalWidth > 0); }",
        arg=root_sel, timeout=timeout_ms,
    )
    err = page.evaluate(
        "(sel) => { const e = document.querySelector(sel)"
        ".querySelector('[data-mime-type=\"application/vnd.jupyter.stderr\"]');"
        " return e ? e.innerText : null; }", root_sel)
    if err:
        raise RuntimeError(f"the view shows an error instead of a picture:\n{err[:2000]}")
    page.wait_for_timeout(500)


def _control(page, root_sel: str, name: str):
    if name.endswith("model"):
        handle = page.locator(f"{root_sel} .noUi-handle").first
        handle.focus()
        return handle
    if name.startswith("ours"):
        app = page.locator(f"{root_sel} .lbp-assessment-app").first
        app.locator(".lm-TabBar-tab", has_text="Flexibility").first.click()
        # The app's stable hook for the left SLR box (lbp_workbook.views.widgets.app
        # field_class), not its label text: a label search can match an outer box.
        box = app.locator(".lbp-field-flexibility-slr_deg-left input").first
    else:
        box = page.locator(f"{root_sel} .lbp-naive-view input[type=text]").first
    box.wait_for(state="visible")
    box.focus()
    return box


def _one_change(page, root_sel: str, control, kind: str, i: int) -> tuple[float, float]:
    if kind == "enter":
        control.fill(SLR_VALUES[i % len(SLR_VALUES)])
    page.evaluate(ARM_JS, root_sel)
    if kind == "slider":
        control.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
    else:
        control.press("Enter")
    page.wait_for_function("() => window.__lbpBench && window.__lbpBench.t2 !== null",
                           timeout=120_000, polling=50)
    st = page.evaluate("() => window.__lbpBench")
    page.wait_for_timeout(400)  # let the rest of the update land before the next change
    return st["t1"] - st["t0"], st["t2"] - st["t0"]


def measure(page, where: str, server: h.Server, name: str, repeat: int):
    """Open notebook ``name`` in JupyterLab or Voila and time ``repeat`` control changes."""
    kind = NOTEBOOKS[name][1]
    if where == "jupyterlab":
        root_sel = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"
        h.open_lab_notebook(page, server, f"{name}.ipynb")
        summary = h.lab_run_all(page, f"{name}.ipynb")
        errors = [o for c in summary["cells"] for o in c["outputs"] if o["type"] == "error"]
        if errors:
            raise RuntimeError(f"{name}: {errors[0]['text'][:500]}")
    else:
        root_sel = "body"
        # "commit", not "load": Voila streams the page while its kernel runs the cells
        page.goto(f"{server.url}/voila/render/{name}.ipynb", wait_until="commit")
    _ready(page, root_sel, kind)
    control = _control(page, root_sel, name)
    for i in range(2):  # warm-up: first renders, caches
        _one_change(page, root_sel, control, kind, i)
    dom, painted = [], []
    for i in range(repeat):
        d, p = _one_change(page, root_sel, control, kind, i)
        dom.append(d)
        painted.append(p)
    return dom, painted


def run(quick: bool = False, views: list[str] | None = None) -> list[Row]:
    """Time both servers; ``views`` ("assessment", "model") limits which views run."""
    from playwright.sync_api import sync_playwright

    if not Path(h.CHROMIUM).exists():
        raise RuntimeError(f"no Chromium at {h.CHROMIUM}: browser benchmarks cannot run")
    repeat = 6 if quick else 20
    chosen = [n for n in NOTEBOOKS if not views or n.split("_", 1)[1] in views]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="lbp-bench-") as tmp:
        folder = Path(tmp) / "nb"
        folder.mkdir()
        write_notebooks(folder)
        home = Path(tmp) / "home"
        lab = voila = None
        results: dict[tuple[str, str], tuple[list, list]] = {}
        errors: dict[tuple[str, str], str] = {}
        try:
            lab = h.start_lab(folder, home / "lab", LOGS, name="bench-lab")
            voila = h.start_voila(str(folder), folder, home / "voila", LOGS, name="bench-voila")
            with sync_playwright() as pw:
                browser = h.launch_chromium(pw)
                try:
                    for where in ("jupyterlab", "voila"):
                        for name in chosen:
                            context = browser.new_context(viewport={"width": 1280, "height": 1000})
                            page = context.new_page()
                            page.set_default_timeout(120_000)
                            try:
                                server = lab if where == "jupyterlab" else voila
                                print(f"  browser: {where} {name} ...", flush=True)
                                try:
                                    results[(where, name)] = measure(page, where, server, name,
                                                                     repeat)
                                except Exception as err:  # noqa: BLE001 - report, go on
                                    errors[(where, name)] = f"{type(err).__name__}: {err}"[:300]
                                    print(f"  !! {where} {name}: {errors[(where, name)]}",
                                          flush=True)
                                LOGS.mkdir(parents=True, exist_ok=True)
                                page.screenshot(path=str(LOGS / f"{where}-{name}.png"))
                            finally:
                                context.close()
                finally:
                    browser.close()
        finally:
            for server in (lab, voila):
                if server is not None:
                    server.stop()
    for where in ("jupyterlab", "voila"):
        for view, label in (("assessment", "assessment app: SLR + Enter"),
                            ("model", "model demo: slider key")):
            if views and view not in views:
                continue
            o_dom, o_paint = results.get((where, f"ours_{view}"), ([], []))
            b_dom, b_paint = results.get((where, f"naive_{view}"), ([], []))
            ours, base = Stats.of(o_dom), Stats.of(b_dom)
            ok = bool(o_dom and b_dom) and ours.median < TARGET_MS \
                and ours.median <= TARGET_RATIO * base.median
            failed = "; ".join(f"{n}: {errors[(where, n)]}" for n in
                               (f"ours_{view}", f"naive_{view}") if (where, n) in errors)
            rows.append(Row(
                f"browser/{where}", f"{label} -> new picture", "ms", ours, base,
                "naive view: new pyplot figure, tight bbox, plt.show() in an Output",
                f"median < {TARGET_MS:.0f} ms and <= {TARGET_RATIO:g} x baseline", ok,
                notes=f"did not run: {failed}" if failed else "",
                extra={"painted_ours": Stats.of(o_paint).__dict__,
                       "painted_baseline": Stats.of(b_paint).__dict__,
                       "raw_ours_ms": o_dom, "raw_baseline_ms": b_dom},
            ))
    return rows


if __name__ == "__main__":  # a quick manual check: python -m benchmarks.browser
    for r in run(quick=True):
        print(json.dumps({"name": r.name, "ours": r.ours.median, "base": r.baseline.median}))
