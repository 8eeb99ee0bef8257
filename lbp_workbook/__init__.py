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
    "assess": "lbp_workbook.engine.assessment",
    "validate_record": "lbp_workbook.engine.record",
    "RecordError": "lbp_workbook.engine.record",
    "Record": "lbp_workbook.engine.record",
    "Problem": "lbp_workbook.engine.record",
    "FIELDS": "lbp_workbook.engine.record",
    "FieldSpec": "lbp_workbook.engine.record",
    "Result": "lbp_workbook.engine.result",
    "EDUCATIONAL_NOTICE": "lbp_workbook.engine.result",
    # synthetic example clients (pure Python)
    "list_examples": "lbp_workbook.engine.examples",
    "load_example": "lbp_workbook.engine.examples",
    "example_path": "lbp_workbook.engine.examples",
    # forward-bend teaching model (pure Python)
    "forward_bend": "lbp_workbook.engine.model",
    "slr_from_ake": "lbp_workbook.engine.model",
    "slr_from_record": "lbp_workbook.engine.model",
    "ModelInputError": "lbp_workbook.engine.model",
    # checks of understanding (jupyterquiz imported only when a quiz is shown)
    "show_quiz": "lbp_workbook.course.quiz",
    "load_quiz": "lbp_workbook.course.quiz",
    "quiz_names": "lbp_workbook.course.quiz",
    # muscle cards (pure Python)
    "muscles": "lbp_workbook.course.anatomy",
    "muscle": "lbp_workbook.course.anatomy",
    "muscles_in_group": "lbp_workbook.course.anatomy",
    "muscle_card": "lbp_workbook.course.anatomy",
    # small widgets for notebooks 01 and 02 (ipywidgets imported on first use)
    "widget_check": "lbp_workbook.views.widgets.check",
    "muscle_chooser": "lbp_workbook.course.muscle_chooser",
    # plots (matplotlib is imported only when one is used)
    "deficit_chart": "lbp_workbook.views.plots",
    "asymmetry_view": "lbp_workbook.views.plots",
    "endurance_profile": "lbp_workbook.views.plots",
    "progress_chart": "lbp_workbook.views.plots",
    "progress_summary": "lbp_workbook.views.plots",
    # saved clients and CSV (pure Python)
    "ClientStore": "lbp_workbook.engine.storage",
    "StorageError": "lbp_workbook.engine.storage",
    "default_folder": "lbp_workbook.engine.storage",
    "export_csv": "lbp_workbook.engine.storage",
    "import_csv": "lbp_workbook.engine.storage",
    "read_csv_rows": "lbp_workbook.engine.storage",
    # what-if: smallest single-input changes (pure Python)
    "what_if": "lbp_workbook.engine.whatif",
    # the assessment app (ipywidgets imported on first use)
    "assessment_app": "lbp_workbook.views.widgets.app",
    # one-page client summary, HTML and PDF (matplotlib/reportlab imported on first use)
    "summary_html": "lbp_workbook.views.report",
    "summary_pdf": "lbp_workbook.views.report",
    "write_summary": "lbp_workbook.views.report",
    "summary_files": "lbp_workbook.views.report",
    "client_summary_html": "lbp_workbook.views.report",
    "client_summary_pdf": "lbp_workbook.views.report",
    "client_summary_files": "lbp_workbook.views.report",
    # class data from a practical session (matplotlib only when the chart is drawn)
    "load_class_csv": "lbp_workbook.course.classdata",
    "class_summary": "lbp_workbook.course.classdata",
    "class_distribution_chart": "lbp_workbook.course.classdata",
    "class_example_path": "lbp_workbook.course.classdata",
    "class_view": "lbp_workbook.course.class_view",
    "reliability_example_path": "lbp_workbook.course.class_reliability",
    "load_reliability_csv": "lbp_workbook.course.class_reliability",
    "class_reliability": "lbp_workbook.course.class_reliability",
    "reliability_table_html": "lbp_workbook.course.class_reliability",
    "reliability_table": "lbp_workbook.course.class_reliability",
    "bland_altman_chart": "lbp_workbook.course.class_reliability",
    # schematic diagrams embedded in the lessons (matplotlib imported on first use)
    "show_diagram": "lbp_workbook.views.diagrams",
    # exercise pictures and the take-home sheet (matplotlib/reportlab imported on first use)
    "plan_cards": "lbp_workbook.views.exercise_figures",
    "exercise_svg": "lbp_workbook.views.exercise_figures",
    "exercise_alt": "lbp_workbook.views.exercise_figures",
    "sheet_pdf": "lbp_workbook.views.sheet",
    # instructor mode: the landing page's table of modules (pure Python)
    "module_index": "lbp_workbook.present",
    "list_modules": "lbp_workbook.present",
    # Reset buttons for any demo (ipywidgets imported on first use)
    "with_reset": "lbp_workbook.views.widgets.reset",
    "reset_button": "lbp_workbook.views.widgets.reset",
    # reassessment decision and case studies (pure Python)
    "reassess": "lbp_workbook.engine.progress",
    "reassess_history": "lbp_workbook.engine.progress",
    "decision_rules": "lbp_workbook.engine.progress",
    "list_cases": "lbp_workbook.course.cases",
    "load_case": "lbp_workbook.course.cases",
    "case_card": "lbp_workbook.course.cases",
    # hidden model answers (ipywidgets imported on first use)
    "model_answer": "lbp_workbook.views.widgets.reveal",
    "case_questions": "lbp_workbook.course.case_questions",
    # lesson tables: reference data and results with sources (pure Python)
    "red_flag_table": "lbp_workbook.views.tables",
    "trigger_table": "lbp_workbook.views.tables",
    "assessment_table": "lbp_workbook.views.tables",
    "reference_point_table": "lbp_workbook.views.tables",
    "findings_reference_table": "lbp_workbook.views.tables",
    "asymmetry_table": "lbp_workbook.views.tables",
    "ratio_table": "lbp_workbook.views.tables",
    "gate_table": "lbp_workbook.views.tables",
    "plan_table": "lbp_workbook.views.tables",
    "direction_table": "lbp_workbook.views.tables",
    "whatif_table": "lbp_workbook.views.tables",
    "progress_table": "lbp_workbook.views.tables",
    # the person behind the back: yellow flags, PSFS, session pain (pure Python tables;
    # the demos import ipywidgets / matplotlib on first use)
    "yellow_flag_table": "lbp_workbook.views.tables",
    "start_back_table": "lbp_workbook.views.tables",
    "flare_plan_table": "lbp_workbook.views.tables",
    "return_checks_table": "lbp_workbook.views.tables",
    "psfs_table": "lbp_workbook.views.tables",
    "conversation_simulator": "lbp_workbook.views.widgets.person_demos",
    "session_adjuster": "lbp_workbook.views.widgets.person_demos",
    "psfs_chart": "lbp_workbook.views.function_plots",
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
