"""A reused matplotlib figure shown as a ``widgets.Image``.

The fast wiring from ``../shared/reference/jupyter-practice.md`` (wiring C):
one figure per view, artists updated in place, PNG bytes swapped into one
``widgets.Image``. The picture lives in the kernel, so plain pytest can read
it (``view.image.value``) and strict nbval passes.
"""

from __future__ import annotations

from typing import Callable

import ipywidgets as widgets
from matplotlib.figure import Figure

from lbp_workbook.plotstyle import figure_png


class FigureView:
    """Hold one figure and the Image widget that shows it.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to reuse for every update.
    width_px : int
        Display width of the image [px]; set so the image does not stretch and blur.
    dpi : int, optional
        Resolution used when rendering [dots per inch]; defaults to the figure's.

    Examples
    --------
    >>> from lbp_workbook.plotstyle import new_figure
    >>> view = FigureView(new_figure(4, 3, dpi=50), width_px=200)
    >>> view.refresh()[:4] == b"\\x89PNG"
    True
    """

    def __init__(self, fig: Figure, width_px: int = 720, dpi: int | None = None) -> None:
        self.fig = fig
        self.dpi = dpi
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=f"{width_px}px"))

    def refresh(self) -> bytes:
        """Render the figure and show it; return the PNG bytes."""
        png = figure_png(self.fig, dpi=self.dpi)
        self.image.value = png
        return png

    def update(self, draw: Callable[[Figure], None]) -> bytes:
        """Call ``draw(fig)`` to change the artists, then refresh the image."""
        draw(self.fig)
        return self.refresh()
