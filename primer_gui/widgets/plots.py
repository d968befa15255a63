"""A themed pyqtgraph plot: the one place plot chrome (background, axes, grid) is styled."""

from __future__ import annotations

import pyqtgraph as pg

from .palette import LIGHT, Palette


class Plot(pg.PlotWidget):
    """A ``PlotWidget`` with a title, axis labels and the app's theme."""

    def __init__(self, title: str = "", x_label: str = "", y_label: str = "", parent=None, **kwargs):
        super().__init__(parent=parent, **kwargs)
        self.setMinimumSize(200, 160)
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
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
