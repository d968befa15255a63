"""Dots coloured by a signed value (a residual, an error), cheaply: a few colour bins, one item each.

A brush per point costs most of a frame once there are thousands of points
(DESIGN.md measured it), so the values are sorted into ``bins`` bins along the
palette's diverging colour map — blue for the most negative, near-white around
0, red for the most positive — and each bin is one scatter item with one
brush.  Redrawing is a ``setData`` per bin.

The items are ordinary :class:`~.plots.Plot` items, so the same dots work on a
flat plot and, with a ``setter`` that takes 3-D points, on an
:class:`~.orbit_view.OrbitView`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

from .palette import Palette
from .plots import Plot

Setter = Callable[[pg.GraphicsObject, np.ndarray], None]


def _flat(item, points: np.ndarray) -> None:
    item.setData(points[:, 0], points[:, 1])


def bin_colour(palette: Palette, position: float):
    """The diverging map's colour at ``position`` in [0, 1] (0: most negative, ½: zero, 1: most positive)."""
    return pg.colormap.get(palette.diverging_colormap).map(position, mode="qcolor")


class BinnedScatter:
    def __init__(self, plot: Plot, bins: int = 7, size: float = 9, z: float = 12, setter: Setter | None = None):
        if bins < 3 or bins % 2 == 0:
            raise ValueError("bins must be an odd number ≥ 3 (the middle bin is zero)")
        self.bins = bins
        self._setter = setter or _flat
        self.items = []
        self._shown: tuple[np.ndarray, np.ndarray] | None = None  # the points and bins drawn last
        for index in range(bins):
            item = pg.ScatterPlotItem(size=size)
            position = index / (bins - 1)

            def style(palette: Palette, item=item, position=position) -> None:
                item.setBrush(pg.mkBrush(bin_colour(palette, position)))
                item.setPen(pg.mkPen(palette.foreground, width=0.6))

            plot.themed(item, style)
            item.setZValue(z)
            # painted from a cached picture while its dots stay put (other items on the plot move every frame)
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.items.append(item)

    def bin_of(self, values: np.ndarray, limit: float) -> np.ndarray:
        """Each value's bin: ``limit`` and beyond in the end bins, 0 in the middle one."""
        values = np.asarray(values, dtype=float)
        limit = limit if np.isfinite(limit) and limit > 0 else 1.0
        position = np.clip(np.nan_to_num(values / limit), -1.0, 1.0)
        return np.rint((position + 1.0) / 2.0 * (self.bins - 1)).astype(int)

    def set_data(self, points: np.ndarray, values: np.ndarray, limit: float) -> None:
        """Draw ``points`` (n, 2 or 3) coloured by ``values`` (n,), full colour at ``±limit``."""
        points = np.asarray(points, dtype=float)
        bins = self.bin_of(values, limit)
        shown = self._shown
        if shown is not None and np.array_equal(shown[1], bins) and np.array_equal(shown[0], points):
            return  # nothing moved bins: the common case once training settles (a setData per bin costs)
        self._shown = (points.copy(), bins)
        for index, item in enumerate(self.items):
            mine = bins == index
            self._setter(item, points[mine])
            item.setVisible(bool(mine.any()))  # an empty item still costs a paint

    def clear(self) -> None:
        self._shown = None
        empty = np.empty((0, 3))
        for item in self.items:
            self._setter(item, empty)
