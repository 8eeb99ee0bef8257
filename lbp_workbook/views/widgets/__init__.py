"""Interactive views (ipywidgets). Thin shells over the domain layer.

Importing this package imports ipywidgets and matplotlib; the core package
does not.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {
    "FigureView": "lbp_workbook.views.widgets._figure_view",
    "widget_check": "lbp_workbook.views.widgets.check",
    "model_demo": "lbp_workbook.views.widgets.model_demo",
    "compare_demo": "lbp_workbook.views.widgets.model_demo",
    "model_sources": "lbp_workbook.views.widgets.model_demo",
    "assessment_app": "lbp_workbook.views.widgets.app",
    "AssessmentApp": "lbp_workbook.views.widgets.app",
    "with_reset": "lbp_workbook.views.widgets.reset",
    "reset_button": "lbp_workbook.views.widgets.reset",
    "model_answer": "lbp_workbook.views.widgets.reveal",
    "conversation_simulator": "lbp_workbook.views.widgets.person_demos",
    "session_adjuster": "lbp_workbook.views.widgets.person_demos",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'lbp_workbook.views.widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
