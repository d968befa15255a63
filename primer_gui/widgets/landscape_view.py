"""A loss landscape: the loss over two parameters as a heat map with contour lines and a colour bar.

On top: the optimum, the path training has taken, the current parameters and
steps as arrows: the next step −learning rate × gradient of all the data (it
points downhill and shrinks to nothing at the optimum) and, after a mini-batch
step, the step that batch took (a glance at one patch of the data, which points
somewhat elsewhere).  The colour scale is logarithmic
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
#: the longest step arrow, as a fraction of the view's mean side (a diverging step is far longer)
MAX_ARROW = 0.3
#: a step shorter than this many pixels has no arrow (at the optimum there is no step left)
MIN_ARROW_PIXELS = 1.0
#: a shorter step is drawn this long, so its direction can be seen
SHORTEST_DRAWN = 24.0
#: the last steps of the path are dotted
PATH_DOTS = 60


class _Arrow:
    """A shaft and a head, drawn in screen proportions on a plot."""

    def __init__(self, plot: Plot, role: str):
        self._plot = plot
        self.shaft = plot.curve(role, width=2.5)
        self.head = pg.ArrowItem(headLen=12, tipAngle=35, pen=None)
        # (setStyle re-applies its own brush option, so the colour goes in as that option)
        plot.themed(self.head, lambda p: self.head.setStyle(brush=pg.mkBrush(colour_of(p, role))))
        self.hide()

    def hide(self) -> None:
        self.shaft.setData([], [])
        self.head.setVisible(False)

    def show(self, x: float, y: float, step: tuple[float, float]) -> None:
        """The step ``(dx, dy)`` from ``(x, y)``, as long as it is on screen — but at least long enough to
        see which way it points, and at most ``MAX_ARROW`` of the view; hidden when it is under a pixel
        (at the optimum there is no step left to take)."""
        view = self._plot.getPlotItem().getViewBox()
        pixel_w, pixel_h = view.viewPixelSize()
        dx_px, dy_px = step[0] / pixel_w, step[1] / pixel_h
        length_px = float(np.hypot(dx_px, dy_px))
        if not np.isfinite(length_px) or length_px < MIN_ARROW_PIXELS:
            self.hide()
            return
        longest = MAX_ARROW * (view.width() + view.height()) / 2
        scale = min(max(length_px, SHORTEST_DRAWN), longest) / length_px
        tip = (x + step[0] * scale, y + step[1] * scale)
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
        self._optimum = self.scatter("optimum", pen="#000000", size=14, symbol="star")
        self._current = self.scatter("current", pen="#000000", size=11)
        self.batch_arrow = _Arrow(self, "batch")  # over the current point: the batch's step ends there
        self.arrow = _Arrow(self, "gradient")
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

    def set_path(self, xs: np.ndarray, ys: np.ndarray) -> None:
        """The path taken; its last points are dotted, so single steps (and a zig-zag) can be seen."""
        self._path.setData(xs, ys)
        self._path_dots.setData(xs[-PATH_DOTS:], ys[-PATH_DOTS:])

    def set_current(self, x: float, y: float) -> None:
        self._current.setData([x], [y])
