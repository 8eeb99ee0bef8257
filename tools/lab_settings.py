"""Write JupyterLab settings overrides into the project's virtual environment.

Turns off JupyterLab's "news" and update-check toasts: the workbook runs
offline, and the toast covers the page in screenshots.

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
}


def main(venv: str) -> None:
    folder = Path(venv) / "share" / "jupyter" / "lab" / "settings"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "overrides.json").write_text(json.dumps(OVERRIDES, indent=2) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".venv")
