"""Model answers that stay hidden until the learner asks for them.

``model_answer(text)`` is a "Show model answer" button; clicking it shows the
answer (escaped) and turns the button into "Hide model answer". The answer
is not put into the page until it is asked for, so it cannot be read ahead
in the page source of a Voila render. ``lbp_workbook.course.case_questions.case_questions(case)`` lists a case
study's questions, each with its own button.

>>> box = model_answer("Refer <at once>.")
>>> box.answer.value
''
>>> box.button.click()
>>> "Refer &lt;at once&gt;." in box.answer.value, box.button.description
(True, 'Hide model answer')
>>> box.button.click()
>>> box.answer.value, box.button.description
('', 'Show model answer')
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

__all__ = ["ModelAnswer", "model_answer"]

SHOW = "Show model answer"
HIDE = "Hide model answer"


class ModelAnswer(widgets.VBox):
    """A button that reveals (and hides again) one model answer.

    Attributes
    ----------
    button : ipywidgets.Button
    answer : ipywidgets.HTML
        Empty until the button is clicked.
    shown : bool
    """

    def __init__(self, text: str, label: str = SHOW) -> None:
        self._text = str(text)
        self._label = label
        self.shown = False
        self.button = widgets.Button(description=label, icon="eye",
                                     layout=widgets.Layout(width="auto"))
        self.answer = widgets.HTML(value="")
        self.button.on_click(self._toggle)
        super().__init__([self.button, self.answer])
        self.add_class("lbp-model-answer")

    def _toggle(self, _button: Any = None) -> None:
        try:
            self.shown = not self.shown
            if self.shown:
                self.answer.value = (
                    "<div style='border-left:4px solid #009E73;background:#F2FAF7;padding:6px 10px;"
                    f"margin:4px 0'><b>Model answer.</b> {html.escape(self._text)}</div>"
                )
                self.button.description, self.button.icon = HIDE, "eye-slash"
            else:
                self.answer.value = ""
                self.button.description, self.button.icon = self._label, "eye"
        except Exception as err:  # shown in the UI, never lost
            self.answer.value = f"<div>Something went wrong: {html.escape(str(err))}</div>"


def model_answer(text: str, label: str = SHOW) -> ModelAnswer:
    """A "Show model answer" button for ``text`` (shown escaped, only when asked).

    Parameters
    ----------
    text : str
        The model answer, plain text.
    label : str, optional
        The button's words.
    """
    return ModelAnswer(text, label)
