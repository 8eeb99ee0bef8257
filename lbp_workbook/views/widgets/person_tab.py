"""The assessment app's "Function and the person" entries: the PSFS rows.

The Patient-Specific Functional Scale is a list (up to five activities the
client names, each scored 0-10), so it is entered in rows of an activity box
and a score box rather than one control per field. :class:`PsfsRows` turns
the rows into the record's ``function.psfs`` list and says, beside a row,
what is wrong with it; the limits come from ``data/person.json`` through
:func:`lbp_workbook.engine.person.psfs_rule`.
"""

from __future__ import annotations

import html
import math
from typing import Any, Callable, Sequence

import ipywidgets as widgets

from lbp_workbook.engine.person import psfs_rule

esc = html.escape


def _fmt(value: float) -> str:
    return f"{value:g}"


class PsfsRows:
    """Rows of activity + score boxes for the PSFS.

    Attributes
    ----------
    activities, scores : list of widgets.Text
        One pair per row (``psfs_rule().max_activities`` rows).
    messages : list of widgets.HTML
        The message beside each row (empty when the row is fine).
    widget : widgets.VBox
        The block shown in the tab.
    """

    def __init__(self, on_change: Callable[[Any], None]) -> None:
        rule = psfs_rule()
        self.rule = rule
        self.activities: list[widgets.Text] = []
        self.scores: list[widgets.Text] = []
        self.messages: list[widgets.HTML] = []
        rows: list[widgets.Widget] = [
            widgets.HTML(
                f"<b>{esc(rule.name)}</b><div style='color:#333;font-size:0.92em'>"
                f"Ask the client to name up to {rule.max_activities} activities they find hard "
                f"because of their back, and to score each: {esc(rule.score_meaning)}. "
                "Leave a row blank if not used.</div>"
            )
        ]
        for i in range(rule.max_activities):
            n = i + 1
            activity = widgets.Text(
                value="", placeholder="activity, e.g. run 5 km", continuous_update=False,
                description=f"Activity {n}", style={"description_width": "initial"},
                layout=widgets.Layout(width="300px"),
                tooltip=f"Activity {n} of the Patient-Specific Functional Scale, in words",
            )
            score = widgets.Text(
                value="", placeholder="0-10", continuous_update=False,
                description="score", style={"description_width": "initial"},
                layout=widgets.Layout(width="110px"),
                tooltip=(f"Activity {n} score, {_fmt(rule.score_min)} to "
                         f"{_fmt(rule.score_max)} points"),
            )
            activity.add_class(f"lbp-field-function-psfs-{i}-activity")
            score.add_class(f"lbp-field-function-psfs-{i}-score")
            message = widgets.HTML()
            message.add_class("lbp-field-message")
            message.add_class("lbp-output")
            activity.observe(on_change, names="value")
            score.observe(on_change, names="value")
            self.activities.append(activity)
            self.scores.append(score)
            self.messages.append(message)
            rows.append(widgets.VBox([widgets.HBox([activity, score]), message]))
        self.widget = widgets.VBox(rows)
        self.widget.add_class("lbp-psfs")

    def labels(self) -> dict[str, str]:
        """``function.psfs.<row>`` -> the row's label, for the app's messages."""
        return {f"function.psfs.{i}": f"PSFS activity {i + 1}" for i in range(len(self.scores))}

    def load(self, items: Sequence[Any] | None) -> list[str]:
        """Fill the rows from a record's ``function.psfs``; return what could not be shown."""
        items = list(items or [])
        for i in range(len(self.scores)):
            item = items[i] if i < len(items) and isinstance(items[i], dict) else {}
            activity = item.get("activity")
            score = item.get("score")
            self.activities[i].value = "" if activity is None else str(activity)
            numeric = isinstance(score, (int, float)) and not isinstance(score, bool)
            self.scores[i].value = ("" if score is None else _fmt(float(score)) if numeric
                                    else str(score))
        extra = len(items) - len(self.scores)
        return [f"{extra} PSFS activities beyond the first {len(self.scores)}"] if extra > 0 else []

    def collect(self) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """The rows as a ``function.psfs`` list, and the rows that need fixing.

        A row with an activity and no score (or a score and no activity) is
        reported, not dropped; a score that is not a number is reported with
        the accepted range. Valid numbers outside the range go to the record,
        whose validation names the range.
        """
        items: list[dict[str, Any]] = []
        problems: dict[str, str] = {}
        self.item_rows: list[int] = []  # row of each item, for messages beside the row
        lo, hi = _fmt(self.rule.score_min), _fmt(self.rule.score_max)
        for i, (a_box, s_box) in enumerate(zip(self.activities, self.scores)):
            activity = a_box.value.strip()
            raw = s_box.value.strip().replace(",", ".")
            if not activity and not raw:
                continue
            label = f"PSFS activity {i + 1}"
            key = f"function.psfs.{i}"
            score: float | None = None
            if raw:
                try:
                    score = float(raw)
                except ValueError:
                    score = None
                if score is None or not math.isfinite(score):
                    problems[key] = (f"{label}: “{s_box.value}” is not a number. "
                                     f"Type a score from {lo} to {hi}.")
                    continue
            if not activity:
                problems[key] = f"{label}: name the activity as well as its score."
                continue
            if score is None:
                problems[key] = f"{label}: give “{activity}” a score from {lo} to {hi}."
                continue
            items.append({"activity": activity, "score": int(score) if score.is_integer()
                          else score})
            self.item_rows.append(i)
        return items, problems

    def row_path(self, path: str) -> str:
        """Map a record path ``function.psfs.<item>...`` to its row's ``function.psfs.<row>``.

        >>> rows = PsfsRows(lambda change: None)
        >>> rows.activities[2].value, rows.scores[2].value = "run", "4"
        >>> rows.collect()[0]
        [{'activity': 'run', 'score': 4}]
        >>> rows.row_path("function.psfs.0.score")
        'function.psfs.2'
        """
        parts = path.split(".")
        if len(parts) >= 3 and parts[:2] == ["function", "psfs"] and parts[2].isdigit():
            item = int(parts[2])
            rows = getattr(self, "item_rows", [])
            if item < len(rows):
                return f"function.psfs.{rows[item]}"
        return path
