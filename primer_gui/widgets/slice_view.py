"""A slice through the loss: loss against one parameter, the others held fixed.

The tangent at the current value has slope equal to that parameter's partial
derivative, which is the picture of what a gradient component *is*: how
steeply the loss rises if you nudge this one parameter.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from .palette import LIGHT, Palette
from .plots import Plot, nice_ceiling


class SliceView(Plot):
    def __init__(self, title: str, x_label: str, parent=None):
        super().__init__(title, x_label, "loss", parent=parent)
        self.getPlotItem().getViewBox().setMouseEnabled(False, False)
        self._curve = pg.PlotDataItem(pen=pg.mkPen(LIGHT.loss, width=2))
        self._tangent = pg.PlotDataItem(pen=pg.mkPen(LIGHT.gradient, width=2, style=pg.QtCore.Qt.PenStyle.DashLine))
        self._point = pg.ScatterPlotItem(size=10, brush=LIGHT.current, pen=pg.mkPen("#000000"))
        for item in (self._curve, self._tangent, self._point):
            self.addItem(item)
        self._top = 0.0

    def apply_theme(self, palette: Palette) -> None:
        super().apply_theme(palette)
        if hasattr(self, "_curve"):  # Plot.__init__ themes before the items exist
            self._curve.setPen(pg.mkPen(palette.loss, width=2))
            self._tangent.setPen(pg.mkPen(palette.gradient, width=2, style=pg.QtCore.Qt.PenStyle.DashLine))
            self._point.setBrush(pg.mkBrush(palette.current))

    def clear_picture(self) -> None:
        for item in (self._curve, self._tangent, self._point):
            item.setData([], [])

    def set_slice(self, xs: np.ndarray, losses: np.ndarray, x: float, loss: float, slope: float) -> None:
        """The curve, the current point ``(x, loss)`` and the tangent of the given slope there.

        Far out (a divergence) a loss can overflow: such points are left out, never handed to pyqtgraph.
        """
        finite = np.isfinite(losses)
        if not finite.any() or not np.isfinite([x, loss, slope]).all():
            self.clear_picture()
            return
        xs, losses = xs[finite], losses[finite]
        self._curve.setData(xs, losses)
        self._point.setData([x], [loss])
        half = 0.18 * (xs[-1] - xs[0])
        self._tangent.setData([x - half, x + half], [loss - slope * half, loss + slope * half])
        top = float(np.max(losses))
        # the top of the view moves in steps, and only when the curve outgrows it or
        # shrinks to a small part of it: a steady axis is readable and cheap to draw
        if not top <= self._top <= 2 * nice_ceiling(top):
            self._top = nice_ceiling(top)
        self.getPlotItem().getViewBox().setRange(xRange=(xs[0], xs[-1]), yRange=(0, self._top), padding=0)
