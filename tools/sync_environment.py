"""Rewrite environment.yml so conda and Binder get exactly the pinned lock.

The pip section lists every pin of ``requirements.lock`` in the same order,
then installs the workbook itself. ``tests/test_environment.py`` fails when
the two disagree.

Usage: ``python tools/sync_environment.py``
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = """\
# Conda / Binder environment for the LBP Workbook.
# Generated from requirements.lock by tools/sync_environment.py (run `make lock`);
# do not edit the pins by hand: a test checks that they match the lock.
name: lbp-workbook
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pip
  - pip:
"""


def lock_pins(lock_text: str) -> list[str]:
    """Return the ``name==version`` lines of a lock file, comments dropped."""
    return [
        line.strip()
        for line in lock_text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def render(pins: list[str]) -> str:
    body = "".join(f"      - {pin}\n" for pin in pins)
    return HEADER + body + "      - -e .\n"


def main() -> None:
    pins = lock_pins((ROOT / "requirements.lock").read_text())
    (ROOT / "environment.yml").write_text(render(pins))


if __name__ == "__main__":
    main()
