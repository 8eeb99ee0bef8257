"""The workbook's one plotting style, shared by plots, drawings and diagrams.

Colour-blind-safe palette (Okabe & Ito 2008), lower-case axis labels with
units, 2 px lines, direct labels rather than legends, no titles baked into
images. Fast figure-to-PNG for widgets: reuse a figure, update its artists,
and call :func:`figure_png` (no tight bounding box per frame).

References
----------
Okabe M, Ito K. Color Universal Design (CUD): how to make figures and
presentations that are friendly to colorblind people. 2008.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass

# No matplotlib.use(...) here: figures are made with Figure() and rendered to
# bytes, so no backend is needed, and switching it would turn off a learner's
# own inline plots in the same kernel.
import matplotlib
from matplotlib.figure import Figure

#: Okabe-Ito palette, by role.
PALETTE = {
    "normal": "#0072B2",  # blue
    "deficient": "#D55E00",  # vermilion
    "left": "#0072B2",  # blue
    "right": "#E69F00",  # orange
    "cutoff": "#000000",  # black
    "band": "#999999",  # grey (measurement-error band)
    "ok": "#009E73",  # bluish green
    "warn": "#D55E00",  # vermilion
    "accent": "#CC79A7",  # reddish purple
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "text": "#222222",
}

LINE_WIDTH = 2.0
FONT_SIZE = 12  # readable from the back of a classroom at the default sizes

RC = {
    "font.size": FONT_SIZE,
    "axes.labelsize": FONT_SIZE,
    "xtick.labelsize": FONT_SIZE - 1,
    "ytick.labelsize": FONT_SIZE - 1,
    "lines.linewidth": LINE_WIDTH,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "lbp-workbook",  # deterministic SVG ids
    "svg.fonttype": "none",  # text stays text in SVG (smaller, accessible)
}


def new_figure(width_in: float = 8.0, height_in: float = 4.5, dpi: int = 100) -> Figure:
    """Return a new figure in the house style, not registered with pyplot.

    Figures made here are never shown with ``plt.show()`` and need no
    ``plt.close()``: they are garbage-collected like any object.

    Parameters
    ----------
    width_in, height_in : float
        Size [inch].
    dpi : int
        Resolution [dots per inch].
    """
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    return fig


def style_axes(ax) -> None:
    """Apply the house style to an existing axes (spines, line widths, fonts)."""
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.tick_params(labelsize=FONT_SIZE - 1)
    ax.xaxis.label.set_size(FONT_SIZE)
    ax.yaxis.label.set_size(FONT_SIZE)


#: zlib level for widget PNGs: level 1 halves the encode time of a classroom-
#: sized chart against the default 6, for somewhat larger bytes (measured while
#: building the deficit chart; see README "Performance").
PNG_COMPRESS_LEVEL = 1


def figure_png(fig: Figure, dpi: int | None = None) -> bytes:
    """Render ``fig`` to PNG bytes, fast, for widgets.

    No tight bounding box (stable size, no second layout pass) and light zlib
    compression (:data:`PNG_COMPRESS_LEVEL`), because these bytes go straight
    to the browser on every control change.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to render.
    dpi : int, optional
        Resolution [dots per inch]; defaults to the figure's own.

    Returns
    -------
    bytes
        A PNG image.
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi,
                pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})
    return buf.getvalue()


@dataclass(frozen=True)
class FigureImage:
    """A drawn figure kept only as PNG bytes, for showing in a lesson.

    A notebook cell that returns a matplotlib ``Figure`` keeps the whole
    figure (every artist) alive in IPython's output history. Lessons that
    show many charts return this instead: the picture and its alt text,
    a few hundred kB, and the figure itself can be freed.

    Attributes
    ----------
    png : bytes
        The image.
    alt : str
        What the image shows, in words (for screen readers).
    width_px : int
        Width on screen [px]; narrower windows scale it down.
    """

    png: bytes
    alt: str
    width_px: int

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        return (
            f'<img class="lbp-figure-image" src="data:image/png;base64,{data}" '
            f'alt="{html.escape(self.alt, quote=True)}" '
            f'style="max-width:100%;width:{int(self.width_px)}px;height:auto">'
        )


def figure_image(fig: Figure, alt: str) -> FigureImage:
    """Render ``fig`` to a :class:`FigureImage` (PNG at the figure's size and dpi).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure; the caller may drop it afterwards.
    alt : str
        What the figure shows, in words.

    Returns
    -------
    FigureImage
    """
    width_px = round(fig.get_figwidth() * fig.dpi)
    return FigureImage(png=figure_png(fig), alt=alt, width_px=width_px)
