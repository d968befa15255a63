"""A themed pyqtgraph plot: the one place plot chrome (background, axes, grid) is styled.

Items are themed here too: :meth:`Plot.curve`, :meth:`Plot.scatter` and
:meth:`Plot.themed` register an item with the palette roles it is drawn in, and
:meth:`Plot.apply_theme` restyles every registered item — no tab restyles its
own items.

It is also the one place that keeps live plots cheap to repaint: a tab redraws
every plot up to 60 times a second, so the axes are cached with opaque grid
lines, pending ranges are applied before the paint (``settle``), and live
ranges move in steps (``nice_ceiling``) rather than every frame, so the cached
axes stay valid.  While training plays, :meth:`Plot.set_live` stops a plot from
scheduling its own repaint on every change; the panel asks every plot to
repaint once at the end of a snapshot (:meth:`Plot.repaint_frame`), so the
window repaints once per snapshot instead of once per plot.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView

from .palette import LIGHT, Palette

Styler = Callable[[Palette], None]

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

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph's name)
        """pyqtgraph's labels, but large or tiny numbers as 4e5 rather than 400000 (they ran together)."""
        if values and max(abs(v * scale) for v in values) >= 1e4:
            return [compact(v * scale) for v in values]
        return super().tickStrings(values, scale, spacing)

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
        self._stylers: list[Styler] = []
        for name in ("bottom", "left"):
            item.getAxis(name).enableAutoSIPrefix(False)  # "loss (x0.001)" confuses more than it helps
        self.apply_theme(LIGHT)

    @property
    def palette(self) -> Palette:
        return self._palette

    def themed(self, item, styler: Styler, *, ignore_bounds: bool = False):
        """Add ``item``, styled now and on every theme change by ``styler(palette)``; returns the item."""
        self._stylers.append(styler)
        styler(self._palette)
        self.addItem(item, ignoreBounds=ignore_bounds)
        return item

    def curve(self, role: str, width: float = 2.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine, **kwargs):
        """A ``PlotDataItem`` drawn in the palette colour ``role`` (or a literal colour) at ``width`` px."""
        item = pg.PlotDataItem(**kwargs)
        return self.themed(item, lambda p: item.setPen(pg.mkPen(colour_of(p, role), width=width, style=style)))

    def scatter(self, brush: str, pen: str | None = None, size: float = 8, symbol: str = "o", **kwargs):
        """A ``ScatterPlotItem`` filled with the palette colour ``brush`` and outlined with ``pen``."""
        item = pg.ScatterPlotItem(size=size, symbol=symbol, **kwargs)

        def style(p: Palette) -> None:
            item.setBrush(pg.mkBrush(colour_of(p, brush)))
            item.setPen(pg.mkPen(colour_of(p, pen), width=1) if pen else pg.mkPen(None))

        return self.themed(item, style)

    def dots(self, role: str, size: float = 8, symbol: str = "o", **kwargs) -> pg.PlotDataItem:
        """Markers only (a ``PlotDataItem``, so they follow a log axis) in the palette colour ``role``."""
        item = pg.PlotDataItem(pen=None, symbol=symbol, symbolSize=size, **kwargs)
        return self.themed(item, lambda p: (item.setSymbolBrush(colour_of(p, role)), item.setSymbolPen(None)))

    def text(self, role: str = "foreground", anchor=(0.0, 0.0), **kwargs) -> pg.TextItem:
        """A ``TextItem`` in the palette colour ``role``, not counted in the view's auto-range."""
        item = pg.TextItem(anchor=anchor, **kwargs)
        return self.themed(item, lambda p: item.setColor(colour_of(p, role)), ignore_bounds=True)

    def set_title(self, title: str) -> None:
        """A new title (it re-lays out the plot: for what changes rarely, not every frame)."""
        if title != self._title:
            self._title = title
            self.getPlotItem().setTitle(title, color=self._palette.foreground, size="10pt")

    def set_axis_labels(self, x_label: str, y_label: str) -> None:
        """New axis labels (a CSV header, a change of units), kept through theme changes."""
        self.setLabel("bottom", x_label)
        self.setLabel("left", y_label)

    def setLabel(self, axis: str, text: str | None = None, **kwargs) -> None:  # noqa: N802 (pyqtgraph's name)
        """pyqtgraph's, in the theme's colour, and remembered, so a theme change keeps it (a CSV's header)."""
        if axis in ("bottom", "left"):
            x_label, y_label = self._labels
            self._labels = (text or "", y_label) if axis == "bottom" else (x_label, text or "")
        kwargs.setdefault("color", (self._palette or LIGHT).foreground)
        self.getPlotItem().setLabel(axis, text, **kwargs)

    def set_live(self, live: bool) -> None:
        """While live, changes don't schedule repaints; :meth:`repaint_frame` does, once per snapshot."""
        mode = QGraphicsView.ViewportUpdateMode
        self.setViewportUpdateMode(mode.NoViewportUpdate if live else mode.MinimalViewportUpdate)

    def repaint_frame(self) -> None:
        """Apply pending ranges, then schedule this plot's repaint (merged with the window's other plots')."""
        self.settle()
        if self.viewportUpdateMode() == QGraphicsView.ViewportUpdateMode.NoViewportUpdate:
            self.viewport().update()

    def apply_theme(self, palette: Palette) -> None:
        if palette is self._palette:
            return  # restyling re-lays out every axis label: not for nothing (start-up applies it twice)
        self._palette = palette
        for styler in self._stylers:
            styler(palette)
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


def compact(value: float) -> str:
    """A number for a narrow place (a tick, a note): 0.32, 10, 3.2e5, 1e-7 — never "1e+100"."""
    if value == 0 or 1e-3 <= abs(value) < 1e4:
        return f"{value:.2g}"
    mantissa, exponent = f"{value:.1e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def colour_of(palette: Palette, role: str):
    """A palette role by name (``"fit"``, ``"classes[1]"``, ``"series[0]"``) or a literal colour."""
    if role.startswith("#"):
        return role
    name, _, index = role.partition("[")
    value = getattr(palette, name)
    return value[int(index[:-1])] if index else value
