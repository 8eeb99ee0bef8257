"""Reset controls: put an interactive demo back exactly as it started.

Two ways to give a demo a **Reset** button, for any widget of the workbook
(``widget_check``, ``muscle_chooser``, ``model_demo``, ``compare_demo``,
``assessment_app``) without changing the widget itself:

- :func:`with_reset` (``lbp.with_reset(model_demo)``): builds the demo from its
  factory inside a small box with a Reset button above it; Reset builds a
  fresh demo from the same factory and arguments and shows it in place of the
  old one (which is closed). Exact for every widget, including state that no
  control shows (the assessment app's loaded record, its file messages).
- :func:`reset_button` (``reset_button(demo)``): a Reset button for a demo that
  already exists. It notes the value of every control inside the demo when it
  is made (sliders, drop-downs, text boxes, tick boxes, the open tab) and puts
  those values back on click; the demo's own callbacks then redraw its
  picture and text. For widget owners who add the button inside their widget.

>>> from lbp_workbook.views.widgets.check import widget_check
>>> box = with_reset(widget_check)
>>> box.current.slider.value = 9
>>> box.reset_button.click()
>>> box.current.slider.value
3

Reset changes only what is on screen: a client file saved with the
assessment app stays saved.
"""

from __future__ import annotations

import html
from typing import Any, Callable, Iterator

import ipywidgets as widgets

__all__ = ["with_reset", "reset_button", "ResetBox", "ResetControl"]

_LABEL = "Reset"
_TOOLTIP = "Put this demo back to how it started"
#: Widgets whose ``value`` is something shown, not something chosen: never restored
#: (the demo's callbacks recompute them from the controls).
_SHOWN_ONLY = (widgets.HTML, widgets.HTMLMath, widgets.Label, widgets.Image,
               widgets.Audio, widgets.Video, widgets.Valid)
#: Containers whose open page is part of what a learner sees.
_PAGED = (widgets.Tab, widgets.Accordion, widgets.Stack)
_PASSES = 3


def _view(obj: Any) -> widgets.Widget:
    """The widget that shows ``obj``: itself, or its ``.widget`` (the assessment app)."""
    if isinstance(obj, widgets.Widget):
        return obj
    inner = getattr(obj, "widget", None)
    if isinstance(inner, widgets.Widget):
        return inner
    raise TypeError(f"{type(obj).__name__} is not a widget and has no .widget to show")


def _descendants(root: widgets.Widget) -> Iterator[widgets.Widget]:
    """``root`` and every widget inside it, in display order (depth first)."""
    yield root
    for child in getattr(root, "children", ()) or ():
        if isinstance(child, widgets.Widget):
            yield from _descendants(child)


def _error_html(err: Exception) -> str:
    return ("<span style='color:#D55E00'>Could not reset this demo: "
            f"{html.escape(str(err))}. Reload the page to start again.</span>")


class ResetBox(widgets.VBox):
    """A demo with a Reset button above it; build it with :func:`with_reset`.

    Attributes
    ----------
    current : object
        The demo shown now (what the factory returned). Attributes the box
        itself does not have are looked up on it, so ``box.slr`` is
        ``box.current.slr``.
    reset_button : ipywidgets.Button
    message : ipywidgets.HTML
        Empty, or why a reset failed.
    resets : int
        How many times the demo has been rebuilt.
    """

    def __init__(self, factory: Callable[..., Any], args: tuple, kwargs: dict) -> None:
        self._factory, self._args, self._kwargs = factory, args, kwargs
        self.current = factory(*args, **kwargs)
        self.resets = 0
        self.reset_button = widgets.Button(description=_LABEL, tooltip=_TOOLTIP,
                                           layout=widgets.Layout(width="auto"))
        self.message = widgets.HTML()
        self.reset_button.on_click(lambda _button: self.reset())
        self._bar = widgets.HBox([self.reset_button, self.message])
        super().__init__([self._bar, _view(self.current)])
        self.add_class("lbp-reset-box")

    def reset(self) -> None:
        """Build a fresh demo with the same arguments and show it instead of the old one."""
        try:
            fresh = self._factory(*self._args, **self._kwargs)
            old, self.current = self.current, fresh
            self.children = (self._bar, _view(fresh))
            self.resets += 1
            self.message.value = ""
        except Exception as err:  # shown in the UI, never lost; the old demo stays
            self.message.value = _error_html(err)
            return
        for widget in _descendants(_view(old)):
            widget.close()  # frees the old demo's controls (and its figure) in the kernel

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name in ("current", "keys"):
            raise AttributeError(name)
        try:
            current = self.__dict__["current"]
        except KeyError:
            raise AttributeError(name) from None
        return getattr(current, name)


def with_reset(factory: Callable[..., Any], *args: Any, **kwargs: Any) -> ResetBox:
    """Show a demo with a Reset button that rebuilds it as it started.

    Parameters
    ----------
    factory : callable
        What builds the demo, e.g. ``model_demo`` or ``lbp.assessment_app``.
    *args, **kwargs
        Passed to ``factory`` now and again on every reset, e.g.
        ``with_reset(model_demo, record=lbp.load_example("runner_sam"))``.

    Returns
    -------
    ResetBox
        Display it as the last line of a cell. ``box.current`` is the demo.

    Examples
    --------
    >>> from lbp_workbook.views.widgets.check import widget_check
    >>> box = with_reset(widget_check)
    >>> box.slider.value = 8            # looked up on box.current
    >>> box.reset()
    >>> box.slider.value, box.resets
    (3, 1)
    """
    return ResetBox(factory, args, kwargs)


class ResetControl(widgets.HBox):
    """A Reset button (and a line for problems) bound to one demo; see :func:`reset_button`.

    Attributes
    ----------
    button : ipywidgets.Button
    message : ipywidgets.HTML
    saved : list of (widget, trait name, value)
        What the button restores, in display order.
    """

    def __init__(self, target: Any) -> None:
        root = _view(target)
        self.saved: list[tuple[widgets.Widget, str, Any]] = []
        for widget in _descendants(root):
            if isinstance(widget, widgets.ValueWidget) and not isinstance(widget, _SHOWN_ONLY):
                self.saved.append((widget, "value", widget.value))
            elif isinstance(widget, _PAGED):
                self.saved.append((widget, "selected_index", widget.selected_index))
        self.button = widgets.Button(description=_LABEL, tooltip=_TOOLTIP,
                                     layout=widgets.Layout(width="auto"))
        self.message = widgets.HTML()
        self.button.on_click(lambda _button: self.reset())
        super().__init__([self.button, self.message])

    def reset(self) -> None:
        """Put every saved control back. A control whose value depends on another
        (a muscle list that follows the group) is set again on a later pass."""
        problems: dict[int, str] = {}
        for _ in range(_PASSES):
            changed = False
            problems.clear()
            for widget, name, value in self.saved:
                if getattr(widget, name) == value:
                    continue
                try:
                    setattr(widget, name, value)
                    changed = True
                except Exception as err:  # noqa: BLE001 - retried, then shown
                    problems[id(widget)] = str(err)
            if not changed and not problems:
                break
        self.message.value = _error_html(ValueError("; ".join(problems.values()))) if problems else ""


def reset_button(target: Any) -> ResetControl:
    """A Reset button that puts ``target``'s controls back to their values now.

    Parameters
    ----------
    target : widget, or an object with ``.widget`` (the assessment app)
        Make the button right after building the demo, so "now" is the start.

    Returns
    -------
    ResetControl
        An HBox (the button and a line for problems); ``.button.click()``
        resets. Put it in the demo's children, or display it under the demo.

    Examples
    --------
    >>> from lbp_workbook.views.widgets.check import widget_check
    >>> check = widget_check()
    >>> control = reset_button(check)
    >>> check.slider.value = 10
    >>> control.button.click()
    >>> check.slider.value, "3" in check.label.value
    (3, True)
    """
    return ResetControl(target)
