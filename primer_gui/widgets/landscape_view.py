"""A loss landscape: the loss over two parameters as a heat map with contour lines and a colour bar.

On top: the optimum, the path training has taken, the current parameters and
arrows for the direction of steepest descent — the negative gradient of all the
data and, after a mini-batch step, of that batch alone (a glance at one patch of
the data, which points somewhat elsewhere).  The colour scale is logarithmic
because a loss surface spans orders of magnitude and the interesting part,
near the minimum, is the smallest values.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

from .colour_bar import ColourBar
from .contours import contour_segments
from .palette import Palette
from .plots import Plot, colour_of

CONTOUR_LEVELS = 10
#: the longest descent arrow, as a fraction of the view's smaller side
ARROW_FRACTION = 0.14
#: arrows shorter than this many pixels are hidden (near the optimum the gradient vanishes)
MIN_ARROW_PIXELS = 6.0


class _Arrow:
    """A shaft and a head, drawn in screen proportions on a plot."""

    def __init__(self, plot: Plot, role: str):
        self._plot = plot
        self.shaft = plot.curve(role, width=2.5)
        self.head = pg.ArrowItem(headLen=12, tipAngle=35, pen=None)
        plot.themed(self.head, lambda p: self.head.setBrush(pg.mkBrush(colour_of(p, role))))
        self.hide()

    def hide(self) -> None:
        self.shaft.setData([], [])
        self.head.setVisible(False)

    def show(self, x: float, y: float, direction: tuple[float, float], fraction: float) -> None:
        """From ``(x, y)`` along ``direction``, ``fraction`` of the longest arrow long (on screen)."""
        view = self._plot.getPlotItem().getViewBox()
        pixel_w, pixel_h = view.viewPixelSize()
        dx_px, dy_px = direction[0] / pixel_w, direction[1] / pixel_h
        length_px = float(np.hypot(dx_px, dy_px))
        target_px = ARROW_FRACTION * min(view.width(), view.height()) * min(max(fraction, 0.0), 1.0)
        if not np.isfinite(length_px) or length_px == 0 or target_px < MIN_ARROW_PIXELS:
            self.hide()
            return
        scale = target_px / length_px
        tip = (x + direction[0] * scale, y + direction[1] * scale)
        self.shaft.setData([x, tip[0]], [y, tip[1]])
        self.head.setPos(*tip)
        # ArrowItem: angle 0 points left, 90 points up
        self.head.setStyle(angle=180 - np.degrees(np.arctan2(dy_px, dx_px)))
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
        self.batch_arrow = _Arrow(self, "batch")
        self.arrow = _Arrow(self, "gradient")
        self._optimum = self.scatter("optimum", pen="#000000", size=14, symbol="star")
        self._current = self.scatter("current", pen="#000000", size=11)
        self._bar = ColourBar(self, self._image, pg.colormap.get(self.palette.landscape_colormap), "loss", log=True)
        self._rect = QRectF(0, 0, 1, 1)

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

    def clear_picture(self) -> None:
        """Nothing to show (no data): an empty view, not a stale picture."""
        self._image.clear()
        for item in (self._contours, self._path, self._path_dots, self._current, self._optimum):
            item.setData([], [])
        self.arrow.hide()
        self.batch_arrow.hide()

    def set_optimum(self, x: float, y: float) -> None:
        self._optimum.setData([x], [y])

    def clear_optimum(self) -> None:
        """No star: the loss has no lowest point (or none is known)."""
        self._optimum.setData([], [])

    def set_path(self, xs: np.ndarray, ys: np.ndarray) -> None:
        """The path taken; its points are dotted when few, so single steps can be counted."""
        self._path.setData(xs, ys)
        self._path_dots.setData(xs, ys) if len(xs) <= 60 else self._path_dots.setData([], [])

    def set_current(self, x: float, y: float) -> None:
        self._current.setData([x], [y])
