"""A colour bar beside a plot's image: which colour means which value.

pyqtgraph's ``ColorBarItem``, made read-only (no handles to drag), with its
ticks written as the values themselves when the image holds their logarithm.
"""

from __future__ import annotations

import pyqtgraph as pg

from .plots import compact


class ColourBar(pg.ColorBarItem):
    def __init__(self, plot: pg.PlotWidget, image: pg.ImageItem, colormap: pg.ColorMap, label: str, log: bool = False):
        super().__init__(values=(0.0, 1.0), width=14, colorMap=colormap, interactive=False, label=label)
        if log:
            # the image holds log₁₀ of the values: label the ticks with the values, briefly
            self.axis.tickStrings = lambda values, _scale, _spacing: [compact(10.0**v) for v in values]
        self.setImageItem(image, insert_in=plot.getPlotItem())

    def set_range(self, low: float, high: float) -> None:
        self.setLevels((low, high))

    def set_colormap(self, colormap: pg.ColorMap) -> None:
        self.setColorMap(colormap)
