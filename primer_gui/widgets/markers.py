"""Big markers on a plot that a person drags with the mouse, and a mode to pick positions by clicking.

The markers (one per position, each in its own palette colour) lie on top of
everything else in the plot; a left-press within ``GRAB_PIXELS`` of one starts a
drag of it, which is reported as ``marker_dragged(index, x, y, gesture)`` on
every move (``gesture`` is the same number for every move of one drag, so the
owner can make the whole drag one undo step) and ``marker_released(index)`` at
the end.  A press anywhere else goes on to the plot as usual (the point editor
under the markers adds, drags or deletes its points).

With :meth:`set_picking` on, a left-click anywhere in the plot's data area is
reported as ``position_picked(x, y)`` instead (nothing under it sees the click)
and a right-click as ``picking_cancelled()``.

The widget reports; it does not move anything by itself except the marker
under the mouse during a drag, drawn where the mouse is until the owner shows
the positions again.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal

from .palette import Palette
from .plots import Plot, colour_of

#: how close (in screen pixels) a press must be to a marker's centre to grab it
GRAB_PIXELS = 14.0
_gestures = itertools.count(1)


class DraggableMarkers(QObject):
    marker_dragged = Signal(int, float, float, int)  # index, x, y, gesture serial
    marker_released = Signal(int)
    position_picked = Signal(float, float)
    picking_cancelled = Signal()

    def __init__(self, plot: Plot, roles: Sequence[str], size: float = 20, symbol: str = "o"):
        super().__init__(plot)
        self.plot = plot
        self.roles = tuple(roles)
        self.positions = np.empty((0, 2))
        self.picking = False
        self._dragged: int | None = None
        self._gesture = 0
        self._pressed_to_pick = False
        self.scatter = pg.ScatterPlotItem(size=size, symbol=symbol)
        self.scatter.setZValue(30)
        self._brushes: list = []
        plot.themed(self.scatter, self._restyle)
        plot.viewport().installEventFilter(self)

    @property
    def dragging(self) -> int | None:
        """The index of the marker being dragged, or None."""
        return self._dragged

    def _restyle(self, palette: Palette) -> None:
        self._brushes = [pg.mkBrush(colour_of(palette, role)) for role in self.roles]
        self.scatter.setPen(pg.mkPen(palette.background, width=2.5))
        self._draw()

    def set_positions(self, positions: np.ndarray) -> None:
        """Show a marker at each row of ``positions`` (k, 2), marker i in colour ``roles[i]``.

        While a marker is dragged it stays where the mouse has put it.
        """
        positions = np.array(positions, dtype=float, copy=True).reshape(-1, 2)
        if len(positions) > len(self.roles):
            raise ValueError(f"at most {len(self.roles)} markers; got {len(positions)}")
        if self._dragged is not None and self._dragged < len(positions) and len(self.positions) == len(positions):
            positions[self._dragged] = self.positions[self._dragged]
        self.positions = positions
        self._draw()

    def _draw(self) -> None:
        shown = np.isfinite(self.positions).all(axis=1)
        indices = np.flatnonzero(shown)
        self.scatter.setData(
            self.positions[indices, 0], self.positions[indices, 1], brush=[self._brushes[i] for i in indices]
        )

    def set_picking(self, on: bool) -> None:
        self.picking = bool(on)
        self._pressed_to_pick = False

    # -- the mouse ----------------------------------------------------------------------------
    def _to_data(self, pos) -> QPointF:
        return self.plot.getPlotItem().getViewBox().mapSceneToView(self.plot.mapToScene(pos.toPoint()))

    def _in_data_area(self, pos) -> bool:
        view_box = self.plot.getPlotItem().getViewBox()
        return view_box.sceneBoundingRect().contains(self.plot.mapToScene(pos.toPoint()))

    def marker_at(self, pos) -> int | None:
        """The marker within ``GRAB_PIXELS`` of a viewport position (nearest first), or None."""
        if not len(self.positions):
            return None
        view_box = self.plot.getPlotItem().getViewBox()
        best, best_distance = None, GRAB_PIXELS
        for index, (x, y) in enumerate(self.positions):
            if not (np.isfinite(x) and np.isfinite(y)):
                continue
            at = self.plot.mapFromScene(view_box.mapViewToScene(QPointF(x, y)))
            distance = float(np.hypot(at.x() - pos.x(), at.y() - pos.y()))
            if distance <= best_distance:
                best, best_distance = index, distance
        return best

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            return self._pressed(event)
        if kind == QEvent.Type.MouseMove and self._dragged is not None:
            self._moved(event)
            return True
        if kind == QEvent.Type.MouseButtonRelease:
            return self._released(event)
        return False

    def _pressed(self, event) -> bool:
        pos = event.position()
        if self.picking:
            if not self._in_data_area(pos):
                return False
            self._pressed_to_pick = event.button() == Qt.MouseButton.LeftButton
            return True
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        index = self.marker_at(pos)
        if index is None:
            return False
        self._dragged, self._gesture = index, next(_gestures)
        return True

    def _moved(self, event) -> None:
        at = self._to_data(event.position())
        self.positions[self._dragged] = (at.x(), at.y())
        self._draw()
        self.marker_dragged.emit(self._dragged, at.x(), at.y(), self._gesture)

    def _released(self, event) -> bool:
        if self._dragged is not None:
            index, self._dragged = self._dragged, None
            self.marker_released.emit(index)
            return True
        if not self.picking:
            return False
        if not self._in_data_area(event.position()):
            self._pressed_to_pick = False
            return False
        if event.button() == Qt.MouseButton.RightButton:
            self.picking_cancelled.emit()
        elif event.button() == Qt.MouseButton.LeftButton and self._pressed_to_pick:
            at = self._to_data(event.position())
            self.position_picked.emit(at.x(), at.y())
        self._pressed_to_pick = False
        return True
