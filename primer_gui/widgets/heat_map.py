"""A map of values over a plane, drawn under a plot's data: image, contour lines and a colour bar.

Used for what a model says everywhere at once: the probability of class 1 (with
the ½ boundary and the 0.1 / 0.9 lines), a neuron's activation, a fitted plane's
height, which centre owns each spot.  It is a layer on an existing plot (so
editable points sit on top of it), not a plot of its own.

``values[i, j]`` is the value at ``(xs[j], ys[i])``: rows follow y, like an image
whose origin is at the bottom left (``MLP.decision_grid``'s convention).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt

from .colour_bar import ColourBar
from .contours import contour_segments
from .palette import Palette, class_colormap
from .plots import Plot


class HeatMap:
    def __init__(
        self,
        plot: Plot,
        colormap: Callable[[Palette], pg.ColorMap] = class_colormap,
        *,
        levels: Sequence[float] = (0.1, 0.5, 0.9),
        bold: float | None = 0.5,
        value_range: tuple[float, float] | None = (0.0, 1.0),
        label: str = "",
        bar: bool = True,
    ):
        """``levels``: contour lines (the ``bold`` one thicker); ``value_range``: the colours' fixed range,
        or None to follow the data."""
        self._plot = plot
        self._colormap = colormap
        self._levels = tuple(levels)
        self._bold = bold
        self._fixed_range = value_range
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-10)
        self._bar = None
        self._lines = plot.curve("foreground", width=1, style=Qt.PenStyle.DashLine, connect="pairs")
        self._bold_line = plot.curve("foreground", width=2.5, connect="pairs")
        for item in (self._lines, self._bold_line):
            item.setZValue(-5)
        plot.themed(self.image, self._restyle, ignore_bounds=True)
        self._bar = ColourBar(plot, self.image, colormap(plot.palette), label) if bar else None
        self.values: np.ndarray | None = None

    def _restyle(self, palette: Palette) -> None:
        colormap = self._colormap(palette)
        self.image.setLookupTable(colormap.getLookupTable(nPts=256))
        if self._bar is not None:
            self._bar.set_colormap(colormap)

    def set_scale(
        self,
        value_range: tuple[float, float] | None,
        levels: Sequence[float] = (),
        bold: float | None = None,
        label: str | None = None,
    ) -> None:
        """Let the layer show another kind of map (from the next :meth:`set_map` on): the colours' range
        (None: follow the data), the contour levels (``bold`` drawn thicker) and the colour bar's label."""
        self._fixed_range = value_range
        self._levels = tuple(levels)
        self._bold = bold
        if label is not None and self._bar is not None:
            self._bar.getAxis("left").setLabel(label)

    def set_value_range(self, value_range: tuple[float, float] | None) -> None:
        """The colours' fixed range from now on, or None to follow the data (applies at the next ``set_map``)."""
        self._fixed_range = None if value_range is None else (float(value_range[0]), float(value_range[1]))

    def set_map(
        self,
        values: np.ndarray,
        x_range: tuple[float, float],
        y_range: tuple[float, float],
        value_range: tuple[float, float] | None = None,
    ) -> None:
        """``value_range``: the colours' range for this map (default: the layer's, from construction or
        :meth:`set_scale`)."""
        values = np.asarray(values, dtype=float)
        self.values = values
        finite = values[np.isfinite(values)]
        fixed = value_range if value_range is not None else self._fixed_range
        if fixed is not None:
            low, high = fixed
        elif finite.size:
            low, high = float(finite.min()), float(finite.max())
            if high - low < 1e-12:
                low, high = low - 0.5, high + 0.5
        else:
            low, high = 0.0, 1.0
        self.image.setImage(np.where(np.isfinite(values), values, low), levels=(low, high), autoLevels=False)
        self.image.setRect(QRectF(x_range[0], y_range[0], x_range[1] - x_range[0], y_range[1] - y_range[0]))
        if self._bar is not None:
            self._bar.set_range(low, high)
        xs = np.linspace(*x_range, values.shape[1])
        ys = np.linspace(*y_range, values.shape[0])
        # contour_segments takes values[i, j] at (xs[i], ys[j]): the transpose of ours
        thin = [contour_segments(values.T, level, xs, ys) for level in self._levels if level != self._bold]
        self._lines.setData(*_joined(thin), connect="pairs")
        bold = [contour_segments(values.T, self._bold, xs, ys)] if self._bold is not None else []
        self._bold_line.setData(*_joined(bold), connect="pairs")

    def clear(self) -> None:
        self.values = None
        self.image.clear()
        self._lines.setData([], [])
        self._bold_line.setData([], [])


def _joined(lines: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    if not lines:
        return np.empty(0), np.empty(0)
    return np.concatenate([x for x, _ in lines]), np.concatenate([y for _, y in lines])
