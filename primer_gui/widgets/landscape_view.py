"""A loss landscape: the loss over two parameters as a heat map with contour lines and a colour bar.

On top: the optimum, the path training has taken, the current parameters and
steps as arrows drawn to scale: the next step −learning rate × gradient of all
the data (it points downhill and shrinks to nothing at the optimum; past the
stable limit it overshoots the optimum, and one that runs off the map is dashed)
and, after a mini-batch step, the step that batch took (a glance at one patch of
the data, which points somewhat elsewhere).  The colour scale is logarithmic
because a loss surface spans orders of magnitude and the interesting part,
near the minimum, is the smallest values.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt

from .colour_bar import ColourBar
from .contours import contour_segments
from .palette import Palette
from .plots import Plot, colour_of

CONTOUR_LEVELS = 10
#: a step shorter than this many pixels has no arrow (at the optimum there is no step left)
MIN_ARROW_PIXELS = 1.0
#: the last steps of the path are dotted
PATH_DOTS = 60


class _Arrow:
    """A step drawn to scale: a shaft and a head, dashed where the step runs off the view."""

    def __init__(self, plot: Plot, role: str):
        self._plot = plot
        self.shaft = plot.curve(role, width=2.5)
        self.off_view = plot.curve(role, width=2.5, style=Qt.PenStyle.DashLine)
        self.head = pg.ArrowItem(headLen=12, tipAngle=35, pen=None)
        # (setStyle re-applies its own brush option, so the colour goes in as that option)
        plot.themed(self.head, lambda p: self.head.setStyle(brush=pg.mkBrush(colour_of(p, role))))
        self.hide()

    def hide(self) -> None:
        self.shaft.setData([], [])
        self.off_view.setData([], [])
        self.head.setVisible(False)

    def show(self, x: float, y: float, step: tuple[float, float]) -> None:
        """The step ``(dx, dy)`` from ``(x, y)``, at its true length.

        A step under a pixel is not drawn (at the optimum there is no step left); a step that runs
        off the view is drawn up to the edge, dashed, with its head there.
        """
        view = self._plot.getPlotItem().getViewBox()
        pixel_w, pixel_h = view.viewPixelSize()
        dx, dy = step
        length_px = float(np.hypot(dx / pixel_w, dy / pixel_h))
        if not np.isfinite(length_px) or length_px < MIN_ARROW_PIXELS:
            self.hide()
            return
        (x0, x1), (y0, y1) = view.viewRange()
        # the fraction of the step inside the view (the start is inside: it is the current point)
        fraction = 1.0
        for start, change, low, high in ((x, dx, x0, x1), (y, dy, y0, y1)):
            if change > 0 and start + change > high:
                fraction = min(fraction, (high - start) / change)
            elif change < 0 and start + change < low:
                fraction = min(fraction, (low - start) / change)
        fraction = max(fraction, 0.0)
        tip = (x + dx * fraction, y + dy * fraction)
        (self.off_view if fraction < 1.0 else self.shaft).setData([x, tip[0]], [y, tip[1]])
        (self.shaft if fraction < 1.0 else self.off_view).setData([], [])
        self.head.setPos(*tip)
        # ArrowItem: angle 0 points left, 90 points up; a short step gets a small head
        self.head.setStyle(
            angle=180 - np.degrees(np.arctan2(dy / pixel_h, dx / pixel_w)),
            headLen=min(12.0, max(length_px * fraction, 6.0)),
        )
        self.head.setVisible(True)


class LandscapeView(Plot):
    def __init__(self, title: str = "", x_label: str = "", y_label: str = "", parent=None):
        super().__init__(title, x_label, y_label, parent=parent)
        self.getPlotItem().getViewBox().setMouseEnabled(False, False)
        self._image = pg.ImageItem(axisOrder="col-major")
        self.addItem(self._image)
        self._contours = self.curve("contour", width=1)
        self._path = self.curve("path", width=1.5)
        self._path_dots = self.dots("path", size=4)
        self._optimum = self.scatter("optimum", pen="#000000", size=14, symbol="star")
        self._current = self.scatter("current", pen="#000000", size=11)
        self.batch_arrow = _Arrow(self, "batch")  # over the current point: the batch's step ends there
        self.arrow = _Arrow(self, "gradient")
        self._bar = ColourBar(self, self._image, pg.colormap.get(self.palette.landscape_colormap), "loss", log=True)
        self._rect = QRectF(0, 0, 1, 1)
        self._note = self.text("foreground", anchor=(0.0, 0.0))
        self._note.setZValue(20)
        self._note.setVisible(False)

    def apply_theme(self, palette: Palette) -> None:
        super().apply_theme(palette)
        if hasattr(self, "_bar"):
            self._bar.set_colormap(pg.colormap.get(palette.landscape_colormap))

    def set_surface(self, values: np.ndarray, x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
        """``values[i, j]`` is the loss at the i-th x and j-th y of evenly spaced grids over the ranges."""
        with np.errstate(invalid="ignore", divide="ignore"):
            shown = np.log10(np.clip(values, 1e-12, 1e300))
        shown = np.where(np.isfinite(shown), shown, 300.0)
        low, high = float(shown.min()), float(shown.max())
        if high - low < 1e-9:
            high = low + 1.0
        self._image.setImage(shown, levels=(low, high), autoLevels=False)
        self._bar.set_range(low, high)
        self._rect = QRectF(x_range[0], y_range[0], x_range[1] - x_range[0], y_range[1] - y_range[0])
        self._image.setRect(self._rect)
        xs, ys = np.linspace(*x_range, shown.shape[0]), np.linspace(*y_range, shown.shape[1])
        lines = [contour_segments(shown, level, xs, ys) for level in np.linspace(low, high, CONTOUR_LEVELS + 2)[1:-1]]
        self._contours.setData(
            np.concatenate([x for x, _ in lines]), np.concatenate([y for _, y in lines]), connect="pairs"
        )
        self.getPlotItem().getViewBox().setRange(rect=self._rect, padding=0)
        self._place_note()

    def clear_picture(self) -> None:
        """Nothing to show (no data): an empty view, not a stale picture."""
        self._image.clear()
        for item in (self._contours, self._path, self._path_dots, self._current, self._optimum):
            item.setData([], [])
        self.arrow.hide()
        self.batch_arrow.hide()
        self.set_note(None)

    def set_note(self, text: str | None, tip: str = "") -> None:
        """A short note in the map's top-left corner, with more in its tooltip (None hides it)."""
        self._note.setVisible(text is not None)
        if text is not None:
            self._note.setText(text)
            self._note.setToolTip(tip)
            self._place_note()

    def _place_note(self) -> None:
        (x0, _x1), (_y0, y1) = self.getPlotItem().getViewBox().viewRange()
        self._note.setPos(x0, y1)

    def set_optimum(self, x: float, y: float) -> None:
        self._optimum.setData([x], [y])

    def clear_optimum(self) -> None:
        """No star: the loss has no lowest point (or none is known)."""
        self._optimum.setData([], [])

    def set_path(self, xs: np.ndarray, ys: np.ndarray) -> None:
        """The path taken; its last points are dotted, so single steps (and a zig-zag) can be seen."""
        self._path.setData(xs, ys)
        self._path_dots.setData(xs[-PATH_DOTS:], ys[-PATH_DOTS:])

    def set_current(self, x: float, y: float) -> None:
        self._current.setData([x], [y])
