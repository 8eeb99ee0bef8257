"""A case study's questions as a widget, each with a hidden model answer.

Course content (the case) shown with a view (:class:`ModelAnswer`), so it
lives in the course layer, above the views.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from lbp_workbook.views.widgets.reveal import ModelAnswer


def case_questions(case: Any) -> widgets.VBox:
    """A case study's questions, each with a hidden model answer.

    Parameters
    ----------
    case : Case or str
        A :class:`lbp_workbook.course.cases.Case`, or a case name for
        :func:`lbp_workbook.course.cases.load_case`.

    Returns
    -------
    ipywidgets.VBox
        ``.answers`` holds the :class:`ModelAnswer` widgets in order.

    >>> box = case_questions("runner_sam")
    >>> len(box.answers) >= 2 and box.answers[0].answer.value == ""
    True
    """
    if isinstance(case, str):
        from lbp_workbook.course.cases import load_case

        case = load_case(case)
    rows: list[widgets.Widget] = []
    answers = []
    for i, q in enumerate(case.questions, start=1):
        rows.append(widgets.HTML(
            f"<div style='margin-top:8px'><b>Question {i}.</b> {html.escape(q.question)}</div>"
        ))
        answer = ModelAnswer(q.model_answer)
        answers.append(answer)
        rows.append(answer)
    box = widgets.VBox(rows)
    box.answers = answers  # type: ignore[attr-defined]
    return box
