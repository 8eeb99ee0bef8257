"""``python -m lbp_workbook``: the command line (see :mod:`lbp_workbook.cli`)."""

from lbp_workbook.cli import main

raise SystemExit(main())
