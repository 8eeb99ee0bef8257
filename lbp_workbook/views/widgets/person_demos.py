"""Demos of the person module: the conversation simulator and the session adjuster.

Thin shells over :mod:`lbp_workbook.engine.person` and ``data/person.json``: every
reply, zone limit and advice shown comes from there.

>>> sim = conversation_simulator()
>>> sim.pick(1)  # the helpful reply to the first statement
>>> "helps" in sim.feedback.value
True
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from lbp_workbook.engine.person import section, session_advice

__all__ = ["ConversationSimulator", "SessionAdjuster", "conversation_simulator",
           "session_adjuster"]

esc = html.escape

_ZONE_COLOURS = {"green": ("#00664A", "#E6F6F1"), "amber": ("#8A5A00", "#FFF7E0"),
                 "red": ("#8B0000", "#FDE8E8")}


class ConversationSimulator:
    """Pick a reply to a client's statement and see why it helps or harms.

    Attributes
    ----------
    statement : widgets.Dropdown
        Which client statement (options from ``data/person.json``).
    replies : widgets.RadioButtons
        The replies to choose from.
    feedback : widgets.HTML
        Why the chosen reply helps or harms (empty until a reply is chosen).
    widget : widgets.VBox
    """

    def __init__(self) -> None:
        data = section("conversations")
        self.items = data["items"]
        self.statement = widgets.Dropdown(
            options=[(f"{i + 1}. {it['client'][:60]}…", i) for i, it in enumerate(self.items)],
            value=0, description="Client says", style={"description_width": "initial"},
            layout=widgets.Layout(width="min(100%, 640px)"),
        )
        self.quote = widgets.HTML()
        self.replies = widgets.RadioButtons(
            options=[], value=None, description="Your reply",
            style={"description_width": "initial"}, layout=widgets.Layout(width="auto"),
        )
        self.replies.add_class("lbp-wrap-options")
        self.feedback = widgets.HTML()
        self.feedback.add_class("lbp-conversation-feedback")
        note = widgets.HTML(
            f"<div style='color:#444;font-size:0.9em'>{esc(data['about'])}</div>")
        self.statement.observe(self._new_statement, names="value")
        self.replies.observe(self._new_reply, names="value")
        self.widget = widgets.VBox([
            widgets.HTML("<style>.lbp-wrap-options label{white-space:normal;height:auto;"
                         "line-height:1.35;margin:3px 0}</style>",
                         layout=widgets.Layout(display="none")),
            self.statement, self.quote, self.replies, self.feedback, note])
        self.widget.add_class("lbp-conversation-simulator")
        self._new_statement()

    def _new_statement(self, _change: Any = None) -> None:
        item = self.items[self.statement.value]
        self.quote.value = (f"<blockquote style='margin:6px 0;font-style:italic'>"
                            f"“{esc(item['client'])}”</blockquote>")
        self.replies.options = [(r["text"], i) for i, r in enumerate(item["replies"])]
        self.replies.value = None
        self.feedback.value = ""

    def _new_reply(self, change: Any) -> None:
        if change["new"] is None:
            self.feedback.value = ""
            return
        reply = self.items[self.statement.value]["replies"][change["new"]]
        fg, bg = _ZONE_COLOURS["green" if reply["helps"] else "red"]
        verdict = "This reply helps." if reply["helps"] else "This reply harms."
        self.feedback.value = (
            f"<div role='status' style='border-left:4px solid {fg};background:{bg};"
            f"padding:6px 10px'><b style='color:{fg}'>{'✓' if reply['helps'] else '✗'} "
            f"{verdict}</b> {esc(reply['why'])}</div>")

    def pick(self, reply_index: int) -> None:
        """Choose a reply (as a click would)."""
        self.replies.value = reply_index

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def conversation_simulator() -> ConversationSimulator:
    """The yellow-flag conversation simulator (interactive demo)."""
    return ConversationSimulator()


class SessionAdjuster:
    """The traffic-light session adjuster: pain during and after a session -> next time.

    Attributes
    ----------
    during : widgets.IntSlider
        Highest pain during the session [0-10 NRS].
    settled : widgets.Checkbox
        Pain back to usual by the next morning (about 24 hours).
    leg : widgets.Checkbox
        Symptoms spread into a leg.
    advice : widgets.HTML
    """

    def __init__(self, during: int = 4, settled: bool = True) -> None:
        self.during = widgets.IntSlider(
            value=during, min=0, max=10, step=1, continuous_update=False,
            description="Highest pain during the session (0-10)",
            style={"description_width": "initial"}, layout=widgets.Layout(width="min(100%, 560px)"),
        )
        self.settled = widgets.Checkbox(value=settled, indent=False,
                                        description="Settled by the next morning (about 24 hours)")
        self.leg = widgets.Checkbox(value=False, indent=False,
                                    description="Symptoms spread into a leg")
        self.advice = widgets.HTML()
        self.advice.add_class("lbp-session-advice")
        for w in (self.during, self.settled, self.leg):
            w.observe(self._update, names="value")
        tl = section("traffic_light")
        self.widget = widgets.VBox([
            widgets.HTML(f"<div style='color:#444;font-size:0.9em'>{esc(tl['about'])}</div>"),
            self.during, self.settled, self.leg, self.advice])
        self.widget.add_class("lbp-session-adjuster")
        self._update()

    def _update(self, _change: Any = None) -> None:
        a = session_advice(self.during.value, self.settled.value, self.leg.value)
        self.result = a
        fg, bg = _ZONE_COLOURS[a.zone]
        head = "Stop and refer" if a.stop_and_refer else a.label
        if a.stop_and_refer:
            fg, bg = _ZONE_COLOURS["red"]
        self.advice.value = (
            f"<div role='status' aria-live='polite' style='border:2px solid {fg};background:{bg};"
            f"padding:6px 10px;border-radius:6px;margin-top:4px'><b style='color:{fg}'>"
            f"{esc(head)}</b><br>{esc(a.advice)}<div style='font-size:0.85em;color:#444;"
            "margin-top:4px'>A teaching model for adjusting load, not a clinical rule. Educational "
            "use only; refer whenever you are unsure.</div></div>")

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def session_adjuster(during: int = 4, settled: bool = True) -> SessionAdjuster:
    """The traffic-light session adjuster (interactive demo); default: 4/10, settled."""
    return SessionAdjuster(during=during, settled=settled)
