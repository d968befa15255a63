"""A themed pyqtgraph plot: the one place plot chrome (background, axes, grid) is styled.

It is also the one place that keeps live plots cheap to repaint: a tab redraws
every plot up to 60 times a second, so the axes are cached with opaque grid
lines, pending ranges are applied before the paint (``settle``), and live
ranges move in steps (``nice_ceiling``) rather than every frame, so the cached
axes stay valid.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPen
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


class GridAxis(pg.AxisItem):
    """An axis whose grid lines are opaque, mixed with the background, and lie behind the data.

    pyqtgraph draws grid lines in the tick colour made translucent, over the data.
    Qt's raster engine strokes translucent lines ~20× slower than opaque ones
    (a first paint spent 30 ms on grids alone), so the lines are mixed with the
    background colour to the same look and drawn opaque; stacked behind the view
    (``Plot`` does that), they never cut through a curve.
    """

    def __init__(self, orientation: str, **kwargs):
        super().__init__(orientation, **kwargs)
        self.background = QColor(LIGHT.background)
        # An axis's area is the whole plot (its grid lines), so any moving curve repaints it.
        # Cached as a pixmap, it is redrawn only when its range or style changes.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):  # noqa: N802 (pyqtgraph's name)
        super().drawPicture(p, axisSpec, [(self._opaque(pen), a, b) for pen, a, b in tickSpecs], textSpecs)

    def _opaque(self, pen: QPen) -> QPen:
        colour, back = pen.color(), self.background
        alpha = colour.alphaF()
        if alpha >= 1.0:
            return pen
        mixed = QColor.fromRgbF(
            *(alpha * c + (1 - alpha) * b for c, b in zip(colour.getRgbF()[:3], back.getRgbF()[:3], strict=True))
        )
        opaque = QPen(pen)
        opaque.setColor(mixed)
        return opaque


class Plot(pg.PlotWidget):
    """A ``PlotWidget`` with a title, axis labels and the app's theme."""

    def __init__(self, title: str = "", x_label: str = "", y_label: str = "", parent=None, **kwargs):
        super().__init__(parent=parent, axisItems={"bottom": GridAxis("bottom"), "left": GridAxis("left")}, **kwargs)
        self.setMinimumSize(200, 160)
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        for name in ("bottom", "left"):
            item.getAxis(name).setZValue(item.getViewBox().zValue() - 1)  # grid lines behind the data
        self._title = title
        self._labels = (x_label, y_label)
        self._palette: Palette | None = None
        for name in ("bottom", "left"):
            item.getAxis(name).enableAutoSIPrefix(False)  # "loss (x0.001)" confuses more than it helps
        self.apply_theme(LIGHT)

    def apply_theme(self, palette: Palette) -> None:
        if palette is self._palette:
            return  # restyling re-lays out every axis label: not for nothing (start-up applies it twice)
        self._palette = palette
        item = self.getPlotItem()
        self.setBackground(palette.background)
        item.setTitle(self._title, color=palette.foreground, size="10pt")
        for name, label in (("bottom", self._labels[0]), ("left", self._labels[1])):
            axis = item.getAxis(name)
            axis.background = QColor(palette.background)
            axis.setPen(palette.foreground)
            axis.setTextPen(palette.foreground)
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
