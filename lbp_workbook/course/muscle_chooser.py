"""Pick a muscle group and a muscle; see its card (origin, insertion, action,
role for the lower back, sources).

>>> chooser = muscle_chooser()
>>> chooser.group.value = "hamstrings"
>>> chooser.muscle.value
'biceps_femoris'
>>> "Biceps femoris" in chooser.card.value
True
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from lbp_workbook.course.anatomy import GROUPS, muscle_card, muscles, muscles_in_group

__all__ = ["MuscleChooser", "muscle_chooser"]

ALL = "all"


def _options(group: str) -> list[tuple[str, str]]:
    chosen = muscles() if group == ALL else muscles_in_group(group)
    return [(m.name, m.id) for m in chosen]


class MuscleChooser(widgets.VBox):
    """Two drop-downs (group, muscle) and the chosen muscle's card.

    Attributes
    ----------
    group, muscle : ipywidgets.Dropdown
    card : ipywidgets.HTML
        The card's HTML (text escaped by :func:`lbp_workbook.course.anatomy.muscle_card`).
    """

    def __init__(self, muscle_id: str = "transversus_abdominis") -> None:
        self.group = widgets.Dropdown(
            options=[("All muscles", ALL)] + [(label, gid) for gid, label in GROUPS.items()],
            value=ALL,
            description="Group:",
            layout=widgets.Layout(width="420px"),
        )
        self.muscle = widgets.Dropdown(
            options=_options(ALL),
            value=muscle_id,
            description="Muscle:",
            layout=widgets.Layout(width="420px"),
        )
        self.card = widgets.HTML(value=muscle_card(muscle_id).html)
        self.group.observe(self._on_group, names="value")
        self.muscle.observe(self._on_muscle, names="value")
        super().__init__([self.group, self.muscle, self.card])
        # stable hooks for browser tests and styling
        self.add_class("lbp-muscle-chooser")
        self.group.add_class("lbp-muscle-group")
        self.muscle.add_class("lbp-muscle-select")
        self.card.add_class("lbp-muscle-card")

    def _on_group(self, change) -> None:
        try:
            options = _options(change["new"])
            self.muscle.options = options  # resets value to the first option
            self.muscle.value = options[0][1]
            self._show(self.muscle.value)
        except Exception as err:
            self.card.value = f"<p>Something went wrong: {html.escape(str(err))}</p>"

    def _on_muscle(self, change) -> None:
        if change["new"] is not None:
            self._show(change["new"])

    def _show(self, muscle_id: str) -> None:
        try:
            self.card.value = muscle_card(muscle_id).html
        except Exception as err:
            self.card.value = f"<p>Something went wrong: {html.escape(str(err))}</p>"


def muscle_chooser(muscle_id: str = "transversus_abdominis") -> MuscleChooser:
    """Return a muscle chooser showing ``muscle_id`` first."""
    return MuscleChooser(muscle_id)
