"""Loss contours over two weights with a diamond (|a| + |b| ≤ t) and a circle (a² + b² ≤ r²): where they touch.

The picture behind L1 and L2 penalties.  A penalized minimum is the lowest
point of the loss on some diamond or circle centred at 0: the place where the
smallest contour ellipse still touches it.  A circle is round, so the touching
point is rarely on an axis; a diamond has corners on the axes, and an ellipse
coming from the side usually meets it at a corner, where one weight is exactly
0.  Both axes are drawn to the same scale, so a circle looks round.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from .contours import contour_segments
from .plots import Plot

#: thin contour lines of the loss, spread evenly in distance from its minimum
THIN_LEVELS = 8
DIAMOND_ROLE, CIRCLE_ROLE = "series[2]", "loss"


class NormBallView(Plot):
    def __init__(self, title: str = "", x_label: str = "", y_label: str = "", parent=None):
        super().__init__(title, x_label, y_label, parent=parent)
        view = self.getPlotItem().getViewBox()
        view.setMouseEnabled(False, False)
        view.setAspectLocked(True)
        self.getPlotItem().addLegend(offset=(-4, 4), labelTextSize="8pt", verSpacing=-6)
        self._axes = self.curve("foreground", width=1, connect="pairs")
        self._axes.setOpacity(0.5)
        self._contours = self.curve("foreground", width=1, connect="pairs")
        self._contours.setOpacity(0.35)
        self._diamond = self.curve(DIAMOND_ROLE, width=2, name="L1: a diamond")
        self._circle = self.curve(CIRCLE_ROLE, width=2, name="L2: a circle")
        dashed = Qt.PenStyle.DashLine
        self._diamond_touch = self.curve(DIAMOND_ROLE, width=1.5, style=dashed, connect="pairs")
        self._circle_touch = self.curve(CIRCLE_ROLE, width=1.5, style=dashed, connect="pairs")
        self._best = self.scatter("optimum", pen="#000000", size=14, symbol="star", name="no penalty")
        self._lasso = self.scatter(DIAMOND_ROLE, pen="#000000", size=10, symbol="d")
        self._ridge = self.scatter(CIRCLE_ROLE, pen="#000000", size=10)
        self._current = self.scatter("current", pen="#000000", size=8, name="now")
        self._note = self.text(anchor=(0.0, 1.0))  # at the bottom left: the legend has the top right
        for item in (self._best, self._lasso, self._ridge, self._current):
            item.setZValue(5)

    def clear_picture(self, note: str = "") -> None:
        for item in (self._axes, self._contours, self._diamond, self._circle, self._diamond_touch):
            item.setData([], [])
        self._circle_touch.setData([], [])
        for item in (self._best, self._lasso, self._ridge, self._current):
            item.setData([], [])
        self._note.setText(note)
        self._note.setPos(0.0, 0.0)

    def set_picture(
        self,
        values: np.ndarray,
        x_range: tuple[float, float],
        y_range: tuple[float, float],
        best: np.ndarray,
        current: np.ndarray,
        diamond: tuple[np.ndarray, float] | None,
        circle: tuple[np.ndarray, float] | None,
        note: str = "",
    ) -> None:
        """``values[i, j]``: the loss at the i-th x and j-th y; ``diamond`` and ``circle``: the penalized
        minimum and the loss there (None: that penalty is off), each drawn with its shape through it."""
        xs, ys = np.linspace(*x_range, values.shape[0]), np.linspace(*y_range, values.shape[1])
        low, high = float(np.min(values)), float(np.max(values))
        levels = low + (high - low) * np.linspace(0.08, 0.95, THIN_LEVELS) ** 2
        lines = [contour_segments(values, level, xs, ys) for level in levels]
        self._contours.setData(*_joined(lines), connect="pairs")
        self._axes.setData([x_range[0], x_range[1], 0.0, 0.0], [0.0, 0.0, y_range[0], y_range[1]], connect="pairs")
        self._best.setData([best[0]], [best[1]])
        self._current.setData([current[0]], [current[1]])
        for shape, touch, marker, given, outline in (
            (self._diamond, self._diamond_touch, self._lasso, diamond, _diamond),
            (self._circle, self._circle_touch, self._ridge, circle, _circle),
        ):
            if given is None:
                for item in (shape, touch, marker):
                    item.setData([], [])
                continue
            point, loss = given
            shape.setData(*outline(point))
            touch.setData(*contour_segments(values, loss, xs, ys), connect="pairs")
            marker.setData([point[0]], [point[1]])
        self._note.setText(note)
        self._note.setPos(x_range[0], y_range[0])
        self.getPlotItem().getViewBox().setRange(xRange=x_range, yRange=y_range, padding=0)


def _diamond(point: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t = float(np.abs(point).sum())
    return np.array([t, 0.0, -t, 0.0, t]), np.array([0.0, t, 0.0, -t, 0.0])


def _circle(point: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r = float(np.hypot(*point))
    angle = np.linspace(0.0, 2 * np.pi, 121)
    return r * np.cos(angle), r * np.sin(angle)


def _joined(lines: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    if not lines:
        return np.empty(0), np.empty(0)
    return np.concatenate([x for x, _ in lines]), np.concatenate([y for _, y in lines])
