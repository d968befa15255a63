"""A layer under a plot's data that colours every spot of the plane by a category: which of several
sites owns it, which class a model says, which region it falls in.

``categories[i, j]`` is the category (0, 1, …) at ``(xs[j], ys[i])``: rows follow y,
like an image whose origin is at the bottom left.  Category ``c`` is drawn in the
palette colour ``roles[c]`` mixed towards the background (``strength`` of the
colour), so points drawn in the full colours stand out on top.  The image is
made here as RGBA bytes, so a category is always exactly its colour.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem

from .palette import Palette
from .plots import Plot, colour_of


class CategoryMap:
    def __init__(self, plot: Plot, roles: Sequence[str], strength: float = 0.3):
        self.roles = tuple(roles)
        self.strength = strength
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-10)
        # drawn once into a picture: the points and lines that move over it every frame do not redraw it
        self.image.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.categories: np.ndarray | None = None
        self._rect: QRectF | None = None
        self._table = np.zeros((len(self.roles), 4), dtype=np.ubyte)
        plot.themed(self.image, self._restyle, ignore_bounds=True)

    def _restyle(self, palette: Palette) -> None:
        back = QColor(palette.background)
        for index, role in enumerate(self.roles):
            colour = QColor(colour_of(palette, role))
            mixed = [
                round(255 * (self.strength * c + (1 - self.strength) * b))
                for c, b in zip(colour.getRgbF()[:3], back.getRgbF()[:3], strict=True)
            ]
            self._table[index] = (*mixed, 255)
        if self.categories is not None:
            self._draw()

    def set_map(self, categories: np.ndarray, x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
        """Show these categories (whole numbers below ``len(roles)``) over the rectangle x_range × y_range."""
        categories = np.asarray(categories)
        if categories.ndim != 2 or categories.size == 0:
            raise ValueError(f"categories must be a non-empty 2-D array; got shape {categories.shape}")
        if categories.min() < 0 or categories.max() >= len(self.roles):
            raise ValueError(f"categories must be whole numbers from 0 to {len(self.roles) - 1}")
        self.categories = categories.astype(np.intp, copy=False)
        self._rect = QRectF(x_range[0], y_range[0], x_range[1] - x_range[0], y_range[1] - y_range[0])
        self._draw()

    def _draw(self) -> None:
        self.image.setImage(self._table[self.categories], levels=(0, 255), autoLevels=False)
        self.image.setRect(self._rect)

    def clear(self) -> None:
        self.categories = None
        self.image.clear()
