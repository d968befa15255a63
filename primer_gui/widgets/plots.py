"""A themed pyqtgraph plot: the one place plot chrome (background, axes, grid) is styled.

It is also the one place that keeps live plots cheap to repaint: a tab redraws
every plot up to 60 times a second, so the axes are cached, pending ranges are
applied before the paint (``settle``) and live ranges move in steps
(``nice_ceiling``) rather than every frame, so the cached axes stay valid.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

from .palette import LIGHT, Palette

#: the mantissas a live axis end may take: the range grows by at most a third at a time, so the
#: data fills most of the plot, and changes (a re-drawn axis) are rare
NICE_MANTISSAS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceiling(value: float) -> float:
    """The smallest ``m·10ᵏ ≥ value`` with ``m`` in ``NICE_MANTISSAS`` (1.0 for non-positive values)."""
    if not math.isfinite(value) or value <= 0:
        return 1.0
    decade = 10.0 ** math.floor(math.log10(value))
    for mantissa in NICE_MANTISSAS:
        if mantissa * decade >= value * (1 - 1e-12):
            return mantissa * decade
    return 10.0 * decade


class Plot(pg.PlotWidget):
    """A ``PlotWidget`` with a title, axis labels and the app's theme."""

    def __init__(self, title: str = "", x_label: str = "", y_label: str = "", parent=None, **kwargs):
        super().__init__(parent=parent, **kwargs)
        self.setMinimumSize(200, 160)
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        for name in ("bottom", "left"):
            # An axis draws its grid lines too, so its area is the whole plot and any moving curve
            # repaints it: tick labels and translucent lines (which Qt's raster engine strokes ~20×
            # slower than opaque ones), 1–4 ms a time.  Cached as a pixmap, an axis is redrawn only
            # when its range or style changes, and otherwise copied.
            item.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._title = title
        self._labels = (x_label, y_label)
        self.apply_theme(LIGHT)

    def apply_theme(self, palette: Palette) -> None:
        item = self.getPlotItem()
        self.setBackground(palette.background)
        item.setTitle(self._title, color=palette.foreground, size="10pt")
        for name, label in (("bottom", self._labels[0]), ("left", self._labels[1])):
            axis = item.getAxis(name)
            axis.setPen(palette.foreground)
            axis.setTextPen(palette.foreground)
            axis.enableAutoSIPrefix(False)  # "loss (x0.001)" confuses more than it helps
            if label:
                item.setLabel(name, label, color=palette.foreground)
        item.showGrid(x=True, y=True, alpha=palette.grid_alpha)

    def settle(self) -> None:
        """Apply pending range changes now, before the next paint.

        pyqtgraph applies auto-range and a new view range lazily, from inside the
        paint; that moves items during the paint and schedules a second one.
        Calling this after changing data makes the coming paint the only one.
        """
        self.getPlotItem().getViewBox().prepareForPaint()
