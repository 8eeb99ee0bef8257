"""Python side: a value change to new image bytes and text, ours beside the naive baseline.

Views: the assessment app (left SLR), the model demo (SLR slider) and the
model demo's "two clients side by side" comparison (``compare_demo``, bend
slider: both figures and both readouts change).

Ours: set the control's ``value`` on the real widget (its observer runs
synchronously: assess, update the reused figure's artists, PNG into the
``widgets.Image``, HTML into the text widgets). Naive: the same work done the
tutorial way (new pyplot figure, tight bounding box), see ``benchmarks.naive``.
Target: ours' median under 40 ms.
"""

from __future__ import annotations

import itertools

from benchmarks import naive
from benchmarks.common import Row, Stats, profile, timed

TARGET_MS = 40.0
#: Values the benchmarks alternate between; each change really changes the picture.
SLR_VALUES = (58, 62, 66, 54)
MODEL_SLR_VALUES = (60, 61, 62, 63)
#: Forward bends [deg] the comparison benchmark alternates between (both figures move).
COMPARE_BEND_VALUES = (100, 101, 102, 103)


def _row(view: str, label: str, baseline_label: str, ours, baseline, seen: set, repeat: int,
         force_profile: bool) -> tuple[Row, list[dict] | None]:
    """Time ``ours`` and ``baseline`` ``repeat`` times each; a row, and a profile of ours
    when asked or when the target is missed. ``seen`` holds hashes of the images ours
    produced: fewer than two means the control never changed the picture."""
    o = timed(ours, repeat)
    b = timed(baseline, repeat)
    if len(seen) < 2:
        raise RuntimeError(f"the {view}'s image never changed: benchmark is void")
    stats = Stats.of(o)
    row = Row("python", label, "ms", stats, Stats.of(b), baseline_label,
              f"median < {TARGET_MS:.0f} ms", stats.median < TARGET_MS)
    prof = profile(ours, calls=10) if (force_profile or not row.passed) else None
    return row, prof


def _assessment(repeat: int, force_profile: bool = False) -> tuple[Row, list[dict] | None]:
    from lbp_workbook.engine.examples import load_example
    from lbp_workbook.views.widgets.app import assessment_app

    app = assessment_app()
    control = app.controls[naive.SLR_LEFT]
    values = itertools.cycle(SLR_VALUES)
    seen = set()

    def ours():
        control.value = str(next(values))
        if app.status.value:  # an entry was rejected: the benchmark would measure nothing
            raise RuntimeError(f"assessment app rejected the change: {app.status.value}")
        seen.add(hash(app.image.value))

    base = load_example("runner_sam")
    base = base.model_dump(mode="json") if hasattr(base, "model_dump") else dict(base)
    bvalues = itertools.cycle(SLR_VALUES)

    def baseline():
        png, text = naive.render_assessment(base, next(bvalues))
        assert png[:4] == b"\x89PNG" and text

    return _row("assessment app", "assessment app: SLR change -> image+text",
                "new pyplot figure + assess + tight PNG + all text rebuilt",
                ours, baseline, seen, repeat, force_profile)


def _slider_view(view: str, demo, slider: str, values: tuple, render, label: str,
                 baseline_label: str, repeat: int,
                 force_profile: bool) -> tuple[Row, list[dict] | None]:
    """A forward-bend demo: move its ``slider`` through ``values``; the baseline calls
    ``render(value)`` (the naive way, see ``benchmarks.naive``)."""
    ours_values = itertools.cycle(values)
    seen = set()

    def ours():
        setattr(getattr(demo, slider), "value", next(ours_values))
        if demo.message.value:
            raise RuntimeError(f"{view} showed an error: {demo.message.value}")
        seen.add(hash(demo.view.image.value))

    base_values = itertools.cycle(values)

    def baseline():
        png, text = render(next(base_values))
        assert png[:4] == b"\x89PNG" and text

    return _row(view, label, baseline_label, ours, baseline, seen, repeat, force_profile)


def _model(repeat: int, force_profile: bool = False) -> tuple[Row, list[dict] | None]:
    from lbp_workbook.views.widgets.model_demo import model_demo

    return _slider_view("model demo", model_demo(), "slr", MODEL_SLR_VALUES, naive.render_model,
                        "model demo: SLR slider -> image+readout",
                        "new pyplot figure + tight PNG + readout", repeat, force_profile)


def _compare(repeat: int, force_profile: bool = False) -> tuple[Row, list[dict] | None]:
    from lbp_workbook.views.widgets.model_demo import compare_demo

    demo = compare_demo()
    return _slider_view("compare demo", demo, "bend", COMPARE_BEND_VALUES,
                        lambda bend: naive.render_compare(demo.slrs, demo.labels, bend),
                        "compare demo: bend slider -> image+2 readouts",
                        "new pyplot figure (two figures) + tight PNG + readouts",
                        repeat, force_profile)


_VIEWS = {"assessment": _assessment, "model": _model, "compare": _compare}


def profile_view(view: str) -> list[dict]:
    """cProfile of one of our views' change ("assessment", "model" or "compare"), for a
    missed target elsewhere (e.g. in the browser, where the kernel's share is this same
    work)."""
    return _VIEWS[view](3, force_profile=True)[1]


def run(quick: bool = False) -> tuple[list[Row], dict]:
    repeat = 8 if quick else 30
    rows, profiles = [], {}
    for fn in _VIEWS.values():
        row, prof = fn(repeat)
        rows.append(row)
        if prof:
            profiles[row.name] = prof
            row.extra["profile"] = prof
    return rows, profiles
