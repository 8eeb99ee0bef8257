"""Write JupyterLab settings overrides into the project's virtual environment.

Turns off JupyterLab's "news" and update-check toasts: the workbook runs
offline, and the toast covers the page in screenshots.

Attaches every notebook cell to the page (windowing mode "none"). With
JupyterLab's default ("contentVisibility") the cells off screen have only an
estimated height, so a link to a citation's entry in the References cell at the
end of a lesson scrolls to the wrong place; with every cell attached it lands on
the entry (tests/browser/test_browser_citations.py). Lessons are short, so this
costs little.

Usage: ``python tools/lab_settings.py .venv``
"""

import json
import sys
from pathlib import Path

OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension:tracker": {
        "windowingMode": "none",
    },
}


def main(venv: str) -> None:
    folder = Path(venv) / "share" / "jupyter" / "lab" / "settings"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "overrides.json").write_text(json.dumps(OVERRIDES, indent=2) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".venv")
