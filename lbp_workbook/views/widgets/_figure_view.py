"""A reused matplotlib figure shown as a ``widgets.Image``.

The fast wiring from ``../shared/reference/jupyter-practice.md`` (wiring C):
one figure per view, artists updated in place, PNG bytes swapped into one
``widgets.Image``. The picture lives in the kernel, so plain pytest can read
it (``view.image.value``) and strict nbval passes.

Two views:

- :class:`FigureView` renders the whole figure on every update (``savefig``
  without a tight bounding box);
- :class:`BlitFigureView` draws the parts that never change (axes, ticks,
  headings, floor) once, keeps that background as pixels, and on each update
  restores it and draws only the *moving* artists on top (blitting:
  ``copy_from_bbox`` / ``restore_region`` on the Agg canvas). Moving text is
  drawn as glyph outlines (paths) cached per string, because rasterising
  glyphs with FreeType on every frame was the largest cost of the model demo
  (about two thirds of a redraw, measured with ``python -m benchmarks``).
"""

from __future__ import annotations

import io
from typing import Callable, Sequence

import ipywidgets as widgets
from matplotlib.artist import Artist
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.textpath import TextToPath
from matplotlib.transforms import Affine2D

from lbp_workbook.views.plotstyle import PNG_COMPRESS_LEVEL, figure_png

__all__ = ["FigureView", "BlitFigureView"]


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
    >>> from lbp_workbook.views.plotstyle import new_figure
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


class _PathTextRenderer:
    """Wrap an Agg renderer so that text is drawn as cached glyph outlines.

    ``Text.draw`` lays the text out exactly as usual (matplotlib's own layout,
    alignment and line spacing) and calls ``draw_text`` once per line; here
    that line is filled as a path, the way matplotlib's vector backends draw
    text (``RendererBase._draw_text_as_path``), with the outline of each
    (string, font) kept, so a label seen before costs one ``draw_path``.
    Every other call goes to the wrapped renderer.

    The cache holds at most :attr:`MAX_CACHED` outlines (a 25-character line
    is about 13 kB of vertices) and starts again when full, so a long lesson
    cannot grow the kernel's memory with every slider position seen.
    """

    MAX_CACHED = 256

    def __init__(self, renderer: RendererBase) -> None:
        self._renderer = renderer
        self._text2path = TextToPath()
        self._paths: dict[tuple, Path] = {}

    def __getattr__(self, name: str):
        return getattr(self._renderer, name)

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None) -> None:
        """Fill the glyph outlines of ``s`` with ``gc``'s colour, baseline at ``(x, y)`` [px]."""
        key = (s, hash(prop), ismath)
        path = self._paths.get(key)
        if path is None:
            if len(self._paths) >= self.MAX_CACHED:
                self._paths.clear()
            path = Path(*self._text2path.get_text_path(prop, s, ismath=ismath))
            self._paths[key] = path
        renderer = self._renderer
        size_px = renderer.points_to_pixels(prop.get_size_in_points())
        if renderer.flipy():
            y = renderer.get_canvas_width_height()[1] - y
        transform = (Affine2D().scale(size_px / self._text2path.FONT_SCALE)
                     .rotate_deg(angle).translate(x, y))
        colour = gc.get_rgb()
        gc.set_linewidth(0.0)
        renderer.draw_path(gc, path, transform, rgbFace=colour)


class BlitFigureView(FigureView):
    """A :class:`FigureView` that draws only the moving artists on each update.

    The first refresh draws everything except ``moving`` (they are marked
    animated, which ``canvas.draw()`` skips) and keeps the pixels; every
    refresh then restores those pixels, draws ``moving`` in the given order
    and encodes the canvas as PNG. The background is drawn again when the
    canvas size or resolution changes, or after :meth:`invalidate`.
    ``figure_png(view.fig)`` still renders the whole figure (saving draws
    animated artists too).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to reuse; it is given its own Agg canvas.
    moving : sequence of matplotlib.artist.Artist
        Every artist an update may change, in drawing order (lowest first).
        Anything not listed must stay as it was at the first refresh.
    width_px : int
        Display width of the image [px].

    Examples
    --------
    >>> from lbp_workbook.views.plotstyle import new_figure
    >>> fig = new_figure(4, 3, dpi=50)
    >>> ax = fig.add_subplot()
    >>> line = ax.plot([0, 1], [0, 1])[0]
    >>> view = BlitFigureView(fig, [line], width_px=200)
    >>> first = view.refresh()
    >>> second = view.update(lambda fig: line.set_ydata([1, 0]))
    >>> first[:4] == b"\\x89PNG" and first != second
    True
    """

    def __init__(self, fig: Figure, moving: Sequence[Artist], width_px: int = 720) -> None:
        super().__init__(fig, width_px)
        FigureCanvasAgg(fig)
        self.moving = list(moving)
        for artist in self.moving:
            artist.set_animated(True)
        self._background = None
        self._renderer = None
        self._text_renderer: _PathTextRenderer | None = None

    def invalidate(self) -> None:
        """Draw the background again at the next refresh (after changing a still artist)."""
        self._background = None

    def refresh(self) -> bytes:
        """Restore the background, draw the moving artists, show and return the PNG bytes."""
        canvas = self.fig.canvas
        renderer = canvas.get_renderer()
        if self._background is None or renderer is not self._renderer:
            canvas.draw()  # the still parts: animated artists are skipped
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            self._renderer = canvas.get_renderer()
            if self._text_renderer is None:
                self._text_renderer = _PathTextRenderer(self._renderer)
            else:  # keep the outline cache, draw on the new renderer
                self._text_renderer._renderer = self._renderer
        else:
            canvas.restore_region(self._background)
        for artist in self.moving:
            artist.draw(self._text_renderer if isinstance(artist, Text) else self._renderer)
        png = _canvas_png(canvas)
        self.image.value = png
        return png


def _canvas_png(canvas: FigureCanvasAgg) -> bytes:
    """PNG bytes of what is on the Agg canvas now (no redraw), light compression.

    An opaque figure (the house style's white background) is written as RGB,
    not RGBA: a quarter less to filter and compress (about 10 % faster
    encoding of the comparison's 800 x 448 px picture), same pixels.
    """
    from PIL import Image

    width, height = canvas.get_width_height(physical=True)
    picture = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    patch = canvas.figure.patch
    if patch.get_visible() and patch.get_facecolor()[3] == 1.0:
        picture = picture.convert("RGB")
    buf = io.BytesIO()
    picture.save(buf, format="png", compress_level=PNG_COMPRESS_LEVEL)
    return buf.getvalue()
