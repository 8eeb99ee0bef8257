"""LBP Workbook: teach personal trainers to train clients who have lower back pain.

Educational use only; never diagnostic. The flat public namespace below is
lazy: ``import lbp_workbook`` loads no plotting or widget library; a name is
imported from its module the first time it is used.

>>> import lbp_workbook as lbp
>>> "assess" in lbp.__all__
True
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it.  Add a line here for every public
# function or class; keep plotting / widget modules out of eager imports.
_LAZY: dict[str, str] = {
    # engine (pure Python)
    "assess": "lbp_workbook.assess",
    "validate_record": "lbp_workbook.record",
    "RecordError": "lbp_workbook.record",
    "Record": "lbp_workbook.record",
    "Problem": "lbp_workbook.record",
    "FIELDS": "lbp_workbook.record",
    "FieldSpec": "lbp_workbook.record",
    "Result": "lbp_workbook.result",
    "EDUCATIONAL_NOTICE": "lbp_workbook.result",
    # synthetic example clients (pure Python)
    "list_examples": "lbp_workbook.examples",
    "load_example": "lbp_workbook.examples",
    "example_path": "lbp_workbook.examples",
    # forward-bend teaching model (pure Python)
    "forward_bend": "lbp_workbook.model",
    "slr_from_ake": "lbp_workbook.model",
    "slr_from_record": "lbp_workbook.model",
    "ModelInputError": "lbp_workbook.model",
    # checks of understanding (jupyterquiz imported only when a quiz is shown)
    "show_quiz": "lbp_workbook.quiz",
    "load_quiz": "lbp_workbook.quiz",
    "quiz_names": "lbp_workbook.quiz",
    # muscle cards (pure Python)
    "muscles": "lbp_workbook.anatomy",
    "muscle": "lbp_workbook.anatomy",
    "muscles_in_group": "lbp_workbook.anatomy",
    "muscle_card": "lbp_workbook.anatomy",
    # small widgets for notebooks 00 and 01 (ipywidgets imported on first use)
    "widget_check": "lbp_workbook.widgets.check",
    "muscle_chooser": "lbp_workbook.widgets.muscle_chooser",
    # plots (matplotlib is imported only when one is used)
    "deficit_chart": "lbp_workbook.plots",
    "asymmetry_view": "lbp_workbook.plots",
    "endurance_profile": "lbp_workbook.plots",
    "progress_chart": "lbp_workbook.plots",
    "progress_summary": "lbp_workbook.plots",
    # saved clients and CSV (pure Python)
    "ClientStore": "lbp_workbook.storage",
    "StorageError": "lbp_workbook.storage",
    "default_folder": "lbp_workbook.storage",
    "export_csv": "lbp_workbook.storage",
    "import_csv": "lbp_workbook.storage",
    "read_csv_rows": "lbp_workbook.storage",
    # what-if: smallest single-input changes (pure Python)
    "what_if": "lbp_workbook.whatif",
    # the assessment app (ipywidgets imported on first use)
    "assessment_app": "lbp_workbook.widgets.assessment_app",
    # one-page client summary, HTML and PDF (matplotlib/reportlab imported on first use)
    "summary_html": "lbp_workbook.report",
    "summary_pdf": "lbp_workbook.report",
    "write_summary": "lbp_workbook.report",
    "summary_files": "lbp_workbook.report",
    # class data from a practical session (matplotlib only when the chart is drawn)
    "load_class_csv": "lbp_workbook.classdata",
    "class_summary": "lbp_workbook.classdata",
    "class_distribution_chart": "lbp_workbook.classdata",
    "class_example_path": "lbp_workbook.classdata",
    "class_view": "lbp_workbook.widgets.class_view",
    # schematic diagrams embedded in the lessons (matplotlib imported on first use)
    "show_diagram": "lbp_workbook.diagrams",
    # instructor mode: the landing page's table of modules (pure Python)
    "module_index": "lbp_workbook.present",
    "list_modules": "lbp_workbook.present",
    # Reset buttons for any demo (ipywidgets imported on first use)
    "with_reset": "lbp_workbook.widgets.reset",
    "reset_button": "lbp_workbook.widgets.reset",
    # reassessment decision and case studies (pure Python)
    "reassess": "lbp_workbook.progress",
    "reassess_history": "lbp_workbook.progress",
    "decision_rules": "lbp_workbook.progress",
    "list_cases": "lbp_workbook.cases",
    "load_case": "lbp_workbook.cases",
    "case_card": "lbp_workbook.cases",
    # hidden model answers (ipywidgets imported on first use)
    "model_answer": "lbp_workbook.widgets.reveal",
    "case_questions": "lbp_workbook.widgets.reveal",
    # lesson tables: reference data and results with sources (pure Python)
    "red_flag_table": "lbp_workbook.tables",
    "trigger_table": "lbp_workbook.tables",
    "assessment_table": "lbp_workbook.tables",
    "reference_point_table": "lbp_workbook.tables",
    "findings_reference_table": "lbp_workbook.tables",
    "asymmetry_table": "lbp_workbook.tables",
    "ratio_table": "lbp_workbook.tables",
    "gate_table": "lbp_workbook.tables",
    "plan_table": "lbp_workbook.tables",
    "direction_table": "lbp_workbook.tables",
    "whatif_table": "lbp_workbook.tables",
    "progress_table": "lbp_workbook.tables",
    # the person behind the back: yellow flags, PSFS, session pain (pure Python tables;
    # the demos import ipywidgets / matplotlib on first use)
    "yellow_flag_table": "lbp_workbook.tables",
    "start_back_table": "lbp_workbook.tables",
    "flare_plan_table": "lbp_workbook.tables",
    "return_checks_table": "lbp_workbook.tables",
    "psfs_table": "lbp_workbook.tables",
    "conversation_simulator": "lbp_workbook.widgets.person_demos",
    "session_adjuster": "lbp_workbook.widgets.person_demos",
    "psfs_chart": "lbp_workbook.function_plots",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'lbp_workbook' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


# ``assess`` is both a submodule (lbp_workbook/assess.py) and the function it
# defines.  Importing the submodule anywhere sets the package attribute to the
# *module*, so bind the function here, eagerly, once the submodule has loaded.
# The engine is pure Python (pydantic only), so this keeps the import light.
from lbp_workbook.assess import assess  # noqa: E402
