"""Interactive views (ipywidgets). Thin shells over the domain layer.

Importing this package imports ipywidgets and matplotlib; the core package
does not.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {
    "FigureView": "lbp_workbook.widgets._figure_view",
    "widget_check": "lbp_workbook.widgets.check",
    "muscle_chooser": "lbp_workbook.widgets.muscle_chooser",
    "model_demo": "lbp_workbook.widgets.model_demo",
    "compare_demo": "lbp_workbook.widgets.model_demo",
    "model_sources": "lbp_workbook.widgets.model_demo",
    "assessment_app": "lbp_workbook.widgets.assessment_app",
    "AssessmentApp": "lbp_workbook.widgets.assessment_app",
    "with_reset": "lbp_workbook.widgets.reset",
    "reset_button": "lbp_workbook.widgets.reset",
    "class_view": "lbp_workbook.widgets.class_view",
    "ClassView": "lbp_workbook.widgets.class_view",
    "model_answer": "lbp_workbook.widgets.reveal",
    "case_questions": "lbp_workbook.widgets.reveal",
    "conversation_simulator": "lbp_workbook.widgets.person_demos",
    "session_adjuster": "lbp_workbook.widgets.person_demos",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'lbp_workbook.widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
