"""A loss landscape: the loss over two parameters as a heat map with contour lines.

On top: the optimum, the path training has taken, the current parameters and
the direction of steepest descent (the negative gradient) as an arrow.  The
colour scale is logarithmic because a loss surface spans orders of magnitude
and the interesting part, near the minimum, is the smallest values.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

from .contours import contour_segments
from .palette import LIGHT
from .plots import Plot

CONTOUR_LEVELS = 10
#: the descent arrow's length, as a fraction of the view's smaller side
ARROW_FRACTION = 0.14


class LandscapeView(Plot):
    def __init__(self, title: str = "", x_label: str = "", y_label: str = "", parent=None):
        super().__init__(title, x_label, y_label, parent=parent)
        self.getPlotItem().getViewBox().setMouseEnabled(False, False)
        self._image = pg.ImageItem(axisOrder="col-major")
        self.addItem(self._image)
        self._contours = pg.PlotCurveItem(pen=pg.mkPen(LIGHT.contour))
        self.addItem(self._contours)
        self._path = pg.PlotDataItem(pen=pg.mkPen(LIGHT.path, width=1.5))
        self._arrow_shaft = pg.PlotDataItem(pen=pg.mkPen(LIGHT.gradient, width=2.5))
        self._arrow_head = pg.ArrowItem(headLen=14, tipAngle=35, brush=LIGHT.gradient, pen=None)
        self._current = pg.ScatterPlotItem(size=11, brush=LIGHT.current, pen=pg.mkPen("#000000", width=1))
        self._optimum = pg.ScatterPlotItem(size=14, symbol="star", brush=LIGHT.optimum, pen=pg.mkPen("#000000"))
        for item in (self._path, self._arrow_shaft, self._arrow_head, self._optimum, self._current):
            self.addItem(item)
        self._colormap = pg.colormap.get(LIGHT.landscape_colormap)
        self._image.setLookupTable(self._colormap.getLookupTable(nPts=256))
        self._rect = QRectF(0, 0, 1, 1)
        self._arrow_head.setVisible(False)

    def set_surface(self, values: np.ndarray, x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
        """``values[i, j]`` is the loss at the i-th x and j-th y of evenly spaced grids over the ranges."""
        shown = np.log10(np.maximum(values, 1e-12))
        low, high = float(shown.min()), float(shown.max())
        if high - low < 1e-9:
            high = low + 1.0
        self._image.setImage(shown, levels=(low, high), autoLevels=False)
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
        for item in (self._contours, self._path, self._arrow_shaft, self._current, self._optimum):
            item.setData([], [])
        self._arrow_head.setVisible(False)

    def set_optimum(self, x: float, y: float) -> None:
        self._optimum.setData([x], [y])

    def set_path(self, xs: np.ndarray, ys: np.ndarray) -> None:
        self._path.setData(xs, ys)

    def set_current(self, x: float, y: float, descent: tuple[float, float] | None = None) -> None:
        """Mark the current parameters; ``descent`` is the negative gradient (drawn as a direction)."""
        self._current.setData([x], [y])
        if descent is None or not np.all(np.isfinite(descent)) or not np.any(descent):
            self._arrow_shaft.setData([], [])
            self._arrow_head.setVisible(False)
            return
        view = self.getPlotItem().getViewBox()
        pixel_w, pixel_h = view.viewPixelSize()
        # length and angle are chosen on screen, where the person sees them
        dx_px, dy_px = descent[0] / pixel_w, descent[1] / pixel_h
        length_px = np.hypot(dx_px, dy_px)
        target_px = ARROW_FRACTION * min(view.width(), view.height())
        scale = target_px / length_px
        tip = (x + descent[0] * scale, y + descent[1] * scale)
        self._arrow_shaft.setData([x, tip[0]], [y, tip[1]])
        self._arrow_head.setPos(*tip)
        # ArrowItem: angle 0 points left, 90 points up
        self._arrow_head.setStyle(angle=180 - np.degrees(np.arctan2(dy_px, dx_px)))
        self._arrow_head.setVisible(True)
