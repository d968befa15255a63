"""Weights as bars: one bar per named weight, coloured by sign, exact zeros marked.

The picture of what regularization does: L2 shortens every bar, L1 sets some to
exactly zero (marked with a ring, since a zero-height bar is otherwise
invisible).  The value axis is symmetric about zero and moves in nice steps, so
bars can be compared from frame to frame.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from .palette import Palette
from .plots import Plot, colour_of, nice_ceiling

BAR_WIDTH = 0.7


class WeightBars(Plot):
    def __init__(self, title: str = "Weights", y_label: str = "value", parent=None):
        super().__init__(title, "", y_label, parent=parent)
        self.getPlotItem().getViewBox().setMouseEnabled(False, False)
        # the second level of names (see set_weights) is drawn while the names fill at most 60 % of the axis
        # (beyond, they run together)
        self.getPlotItem().getAxis("bottom").setStyle(textFillLimits=[(0, 0.6)])
        self._values = np.empty(0)
        self._bars = pg.BarGraphItem(x=[], height=[], width=BAR_WIDTH)
        self.themed(self._bars, self._restyle)
        self._zeros = self.scatter("#00000000", pen="foreground", size=10)
        self._zero_line = pg.InfiniteLine(pos=0.0, angle=0)
        self.themed(self._zero_line, lambda p: self._zero_line.setPen(pg.mkPen(p.foreground, width=1)))
        self._names: tuple[str, ...] = ()
        self._top = 1.0

    def _restyle(self, palette: Palette) -> None:
        if len(self._values):
            self._draw(palette)

    def set_weights(self, names: list[str], values: np.ndarray) -> None:
        """One bar per name; the axis grows or shrinks only when the bars outgrow it or fill a small part of it."""
        values = np.asarray(values, dtype=float)
        if tuple(names) != self._names:
            self._names = tuple(names)
            # every other name on a second level, which the axis leaves out where the names would run together
            ticks = list(enumerate(names))
            self.getPlotItem().getAxis("bottom").setTicks([ticks[::2], ticks[1::2]])
            self.getPlotItem().getViewBox().setXRange(-0.6, len(names) - 0.4, padding=0)
        self._values = values
        self._draw(self.palette)
        finite = np.abs(values[np.isfinite(values)])
        top = float(finite.max()) if finite.size else 1.0
        if not top <= self._top <= 3 * nice_ceiling(top):
            self._top = nice_ceiling(top) if top > 0 else 1.0
        self.getPlotItem().getViewBox().setYRange(-self._top, self._top, padding=0.05)

    def _draw(self, palette: Palette) -> None:
        values = np.where(np.isfinite(self._values), self._values, 0.0)
        positive, negative = colour_of(palette, "classes[1]"), colour_of(palette, "classes[0]")
        brushes = [pg.mkBrush(positive if v >= 0 else negative) for v in values]
        self._bars.setOpts(x=np.arange(len(values)), height=values, width=BAR_WIDTH, brushes=brushes, pen=None)
        zeros = np.flatnonzero(self._values == 0.0)
        self._zeros.setData(zeros.astype(float), np.zeros(zeros.size))

    def clear_picture(self) -> None:
        self._values = np.empty(0)
        self._bars.setOpts(x=[], height=[], brushes=[])
        self._zeros.setData([], [])
