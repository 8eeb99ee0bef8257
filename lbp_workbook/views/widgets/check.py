"""A one-control check that interactive widgets work in this notebook.

>>> box = widget_check()
>>> box.slider.value = 7
>>> "7" in box.label.value
True
"""

from __future__ import annotations

import ipywidgets as widgets

__all__ = ["widget_check", "WidgetCheck"]

#: Where the check slider starts and its range (a teaching choice: any small range works).
START, LOWEST, HIGHEST = 3, 0, 10


def _message(value: int) -> str:
    return f"You picked {value}. The controls work: this line changes as you move the slider."


class WidgetCheck(widgets.VBox):
    """A slider and a line of text that repeats the slider's value.

    Attributes
    ----------
    slider : ipywidgets.IntSlider
    label : ipywidgets.Label
    """

    def __init__(self) -> None:
        self.slider = widgets.IntSlider(
            value=START,
            min=LOWEST,
            max=HIGHEST,
            description="Try me:",
            continuous_update=True,
            layout=widgets.Layout(width="420px"),
        )
        self.label = widgets.Label(value=_message(START))
        self.slider.observe(self._on_change, names="value")
        super().__init__([self.slider, self.label])
        self.add_class("lbp-widget-check")

    def _on_change(self, change) -> None:
        try:
            self.label.value = _message(int(change["new"]))
        except Exception as err:  # shown in the UI, never lost
            self.label.value = f"Something went wrong: {err}"


def widget_check() -> WidgetCheck:
    """Return the widget check: move the slider and the text below it should change.

    If the slider does not appear, or the text does not change, the notebook's
    widgets are not working (see the README, "Troubleshooting").
    """
    return WidgetCheck()
