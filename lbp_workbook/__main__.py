"""``python -m lbp_workbook``: the command line (see :mod:`lbp_workbook.cli`)."""

from lbp_workbook.cli import main

if __name__ == "__main__":  # guarded so that pytest --doctest-modules can import it
    raise SystemExit(main())
