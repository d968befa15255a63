"""A small square matrix of values from −1 to 1 between labelled things, each cell coloured and written out.

Made for similarities between a handful of words, updated every frame while a
model trains: the image is updated in place and the cells' values are one
:class:`~.text_layer.TextLayer`.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF

from .palette import LIGHT, Palette
from .plots import Plot
from .text_layer import TextLayer


def ink_on(value: float) -> str:
    """Text that can be read on a cell of this value (the diverging map is pale in the middle, deep at the ends)."""
    return LIGHT.background if abs(value) > 0.6 else LIGHT.foreground


class MatrixView(Plot):
    def __init__(self, title: str = "", parent=None):
        super().__init__(title, "", "", parent=parent)
        self.labels: list[str] = []
        self._numbered: bool | None = None
        self.values = np.zeros((0, 0))
        self.image = pg.ImageItem(axisOrder="row-major")
        self.themed(self.image, self._restyle, ignore_bounds=True)
        self.cells = TextLayer(anchor=(0.5, 0.5))
        self.addItem(self.cells, ignoreBounds=True)
        self.note = self.text("foreground", anchor=(0.5, 0.5))
        view = self.getPlotItem().getViewBox()
        view.setMouseEnabled(x=False, y=False)
        view.setAspectLocked(True)
        view.disableAutoRange()
        view.sigResized.connect(self._on_view_resized)  # (also when an axis's labels take more room)
        self.getPlotItem().showGrid(x=False, y=False)

    def _restyle(self, palette: Palette) -> None:
        colormap = pg.colormap.get(palette.diverging_colormap)
        self.image.setLookupTable(colormap.getLookupTable(nPts=256))

    def apply_theme(self, palette: Palette) -> None:
        super().apply_theme(palette)
        self.getPlotItem().showGrid(x=False, y=False)

    def set_matrix(self, labels: list[str], values: np.ndarray) -> None:
        """``values[i, j]`` between ``labels[i]`` and ``labels[j]``, in −1…1; row 0 at the top."""
        values = np.clip(np.nan_to_num(np.asarray(values, dtype=float)), -1.0, 1.0)
        m = len(labels)
        if labels != self.labels:
            self.labels = list(labels)
            self._lay_out(m)
        self.values = values
        if not m:
            self.image.clear()
            return
        self.image.setImage(values[::-1], levels=(-1.0, 1.0), autoLevels=False)
        self.image.setRect(QRectF(-0.5, -0.5, m, m))
        self._write_cells()

    def _write_cells(self) -> None:
        """Each cell's value, with as many digits as fit its width."""
        m, values = len(self.labels), self.values
        columns, rows = np.meshgrid(np.arange(m), m - 1 - np.arange(m))
        digits = 2 if self._cell_width() >= self.cells.text_size("−0.00")[0] + 2 else 1
        self.cells.set_texts(
            np.column_stack([columns.ravel(), rows.ravel()]),
            [f"{round(value, digits) + 0.0:.{digits}f}" for value in values.ravel()],  # (+ 0.0: no "−0.0")
            [ink_on(value) for value in values.ravel()],
        )

    def _update_ticks(self) -> None:
        """Names under the columns when they fit; else numbers there, and each row's number beside its name."""
        m = len(self.labels)
        metrics = QFontMetricsF(self.getPlotItem().getAxis("bottom").style.get("tickFont") or QFont())
        widest = max((metrics.horizontalAdvance(label) for label in self.labels), default=0.0)
        numbered = bool(m) and widest + 8 > self._cell_width()
        if numbered == self._numbered:
            return
        self._numbered = numbered
        bottom = [(j, str(j + 1) if numbered else label) for j, label in enumerate(self.labels)]
        left = [(m - 1 - i, f"{label} {i + 1}" if numbered else label) for i, label in enumerate(self.labels)]
        self.getPlotItem().getAxis("bottom").setTicks([bottom])
        self.getPlotItem().getAxis("left").setTicks([left])

    def _cell_width(self) -> float:
        """A cell's width in pixels (not the view's width / m: with the aspect locked, a wide view has margins)."""
        if not self.labels:
            return 0.0
        pixel = self.getPlotItem().getViewBox().viewPixelSize()[0]
        return 1.0 / pixel if pixel > 0 else 0.0

    def _on_view_resized(self) -> None:
        if self.labels and self.values.shape == (len(self.labels),) * 2:
            self._update_ticks()
            self._write_cells()

    def show_note(self, text: str) -> None:
        self.set_matrix([], np.zeros((0, 0)))
        self.cells.set_texts(np.zeros((0, 2)), [])
        self.note.setText(text)
        self.note.setVisible(True)

    def _lay_out(self, m: int) -> None:
        item = self.getPlotItem()
        size = max(m, 1)
        item.getViewBox().setRange(xRange=(-0.5, size - 0.5), yRange=(-0.5, size - 0.5), padding=0.02)
        self._numbered = None
        self._update_ticks()  # (after the range: a cell's width depends on it)
        self.note.setPos((size - 1) / 2, (size - 1) / 2)
        self.note.setVisible(False)
