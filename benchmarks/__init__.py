"""``make bench`` (``python -m benchmarks``): our views beside the naive baseline.

Speed lives here, never in timed tests. Every benchmark runs the naive baseline
in the same run as our implementation and reports medians, 95th percentiles
and the ratio ours / baseline, with the machine it ran on. Results go to the
terminal as a table and to ``bench-results/latest.json`` (git-ignored).

Modules: ``common`` (statistics, machine, table, JSON), ``naive`` (the
baseline views), ``python_views`` (value change to new image bytes and text),
``notebooks`` (each notebook on a fresh kernel: time and kernel memory),
``startup`` (``import lbp_workbook`` and ``assess()``), ``browser`` (key press
to new picture on screen, JupyterLab and Voila, real Chromium).
"""
