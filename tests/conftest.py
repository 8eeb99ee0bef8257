"""Shared pytest set-up.

Browser tests (marker ``browser``) need Debian's Chromium at /usr/bin/chromium.
Without it they are skipped *loudly* on a developer's machine; in CI
(``LBP_REQUIRE_BROWSER=1``, set by ``.ci/run``) they fail instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("LBP_CHROMIUM", "/usr/bin/chromium"))
REQUIRE_BROWSER = os.environ.get("LBP_REQUIRE_BROWSER") == "1"

_skipped_browser: list[str] = []


def browser_available() -> bool:
    return CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)


def pytest_collection_modifyitems(config, items):
    if browser_available():
        return
    for item in items:
        if item.get_closest_marker("browser") is None:
            continue
        if REQUIRE_BROWSER:
            item.add_marker(
                pytest.mark.xfail(
                    reason=f"{CHROMIUM} missing but LBP_REQUIRE_BROWSER=1", strict=True, run=False
                )
            )
        else:
            _skipped_browser.append(item.nodeid)
            item.add_marker(pytest.mark.skip(reason=f"no browser at {CHROMIUM}"))


def pytest_sessionstart(session):
    if REQUIRE_BROWSER and not browser_available():
        raise pytest.UsageError(
            f"LBP_REQUIRE_BROWSER=1 but {CHROMIUM} is missing: install Debian's chromium "
            "(apt-get install chromium), as .ci/run does."
        )


def pytest_terminal_summary(terminalreporter):
    if _skipped_browser:
        tr = terminalreporter
        tr.section("BROWSER TESTS SKIPPED", sep="!", red=True, bold=True)
        tr.write_line(
            f"{len(_skipped_browser)} browser tests did NOT run: no Chromium at {CHROMIUM}.",
            red=True,
            bold=True,
        )
        tr.write_line("Install it with: sudo apt-get install chromium   (CI does this itself)")
