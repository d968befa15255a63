"""Text on a plot over a background-coloured box, so it stays readable on a heat map or among points."""

from __future__ import annotations

import pyqtgraph as pg

from .palette import Palette
from .plots import Plot

#: how opaque the box behind the text is (hex alpha appended to the background colour)
BOX_ALPHA = "dd"


def boxed_text(plot: Plot, anchor: tuple[float, float] = (0.0, 0.0)) -> pg.TextItem:
    """A themed ``TextItem`` on ``plot`` (foreground text on a near-opaque background box), above the data."""
    item = pg.TextItem(anchor=anchor)

    def style(palette: Palette) -> None:
        item.setColor(palette.foreground)
        item.fill = pg.mkBrush(palette.background + BOX_ALPHA)
        item.update()

    plot.themed(item, style, ignore_bounds=True)
    item.setZValue(20)
    return item
