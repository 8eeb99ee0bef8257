"""``python -m benchmarks [--quick] [--only GROUP ...] [--out FILE]``  (``make bench``).

Groups: ``python`` (value change to image bytes and text), ``notebooks`` (each
notebook on a fresh kernel: time and memory), ``startup`` (import and
``assess()``), ``browser`` (key press to new picture in JupyterLab and Voila),
``hub`` (memory per learner on the class hub, ``--hub-learners N`` sets the counts);
``present`` (instructor mode: first paint of a module page, and a class of
``--learners`` learners, default 30, opening, reloading and closing it).
Default: all of them. ``--quick`` takes fewer repetitions (a smoke run, not a
measurement to quote). ``--notebook NAME`` and ``--view VIEW`` narrow the
notebooks and browser groups (on a shared machine, run only what you need).
Exit status 0 even when a target is missed: targets are
reported, not enforced (speed never fails ``make test``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback

os.environ.setdefault("MPLBACKEND", "Agg")

from benchmarks import common

GROUPS = ("startup", "python", "notebooks", "browser", "hub", "present")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (smoke run)")
    parser.add_argument("--only", action="append", choices=GROUPS,
                        help="run only this group (repeatable)")
    parser.add_argument("--notebook", action="append",
                        help="with the notebooks group: only notebooks whose name contains this")
    parser.add_argument("--view", action="append", choices=("assessment", "model"),
                        help="with the browser group: only this view (repeatable)")
    parser.add_argument("--hub-learners", action="append", type=int,
                        help="with the hub group: measure at this many learners (repeatable; "
                             "default 1, 5, 10)")
    parser.add_argument("--learners", type=int,
                        help="with the present group: learners in the load test (default 30)")
    parser.add_argument("--out", help="JSON file (default bench-results/latest.json)")
    args = parser.parse_args(argv)
    groups = args.only or list(GROUPS)

    info = common.machine()
    print(f"machine: {info['cpu']} · {info['cores']} cores · {info['memory_gib']} GiB · "
          f"Python {info['python']} · load {info['load_average_at_start']}")
    rows: list[common.Row] = []
    failures: list[str] = []
    profiles: list[str] = []
    for group in groups:
        t0 = time.perf_counter()
        print(f"== {group} ...", flush=True)
        try:
            if group == "startup":
                from benchmarks import startup

                rows += startup.run(args.quick)
            elif group == "python":
                from benchmarks import python_views

                got, profs = python_views.run(args.quick)
                rows += got
                profiles += [common.profile_text(name, prof) for name, prof in profs.items()]
            elif group == "notebooks":
                from benchmarks import notebooks

                rows += notebooks.run(args.quick, args.notebook)
            elif group == "browser":
                from benchmarks import browser

                rows += browser.run(args.quick, args.view)
            elif group == "hub":
                from benchmarks import hub

                rows += hub.run(args.quick, args.hub_learners)
            elif group == "present":
                from benchmarks import present

                rows += present.run(args.quick, args.learners)
        except Exception:  # report and carry on with the other groups
            failures.append(f"{group}: {traceback.format_exc()}")
            print(f"!! {group} failed:\n{traceback.format_exc()}", file=sys.stderr)
        print(f"   {group} took {time.perf_counter() - t0:.0f} s", flush=True)

    # A missed target outside the Python group (the browser): profile the kernel-side
    # work of that view too, so the report says where the time goes.
    profiled = {t.split(": ", 1)[1].split(":")[0] for t in profiles}
    for row in rows:
        if row.passed is False and row.group.startswith("browser"):
            view = "assessment" if row.name.startswith("assessment") else "model"
            key = "assessment app" if view == "assessment" else "model demo"
            if not any(p.startswith(key) for p in profiled):
                from benchmarks import python_views

                prof = python_views.profile_view(view)
                profiles.append(common.profile_text(f"{key} (kernel side of {row.group})", prof))
                row.extra["kernel_profile"] = prof
                profiled.add(key)

    print()
    print(common.table(rows))
    for text in profiles:
        print()
        print(text)
    from pathlib import Path

    path = common.write_json(rows, info, {**vars(args), "groups": groups, "failures": failures},
                             Path(args.out) if args.out else None)
    print(f"\nwritten: {path}")
    if failures:
        print(f"{len(failures)} group(s) failed to run: " + ", ".join(f.split(':')[0] for f in failures),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
