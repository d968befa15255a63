"""A scatter plot a person edits with the mouse.

Left-click on empty space adds a point there; left-drag a point moves it;
right-click a point deletes it.  The widget only *reports* these gestures as
signals in data coordinates; whoever owns the data (a ``DataModel``) applies
them, with undo, and hands the new points back with :meth:`set_points`.  So the
picture always shows the data as it is, never a guess.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal

from .palette import LIGHT, Palette
from .plots import Plot

#: how close (in screen pixels) a click must be to grab a point
GRAB_RADIUS = 8.0


class _EditableViewBox(pg.ViewBox):
    def __init__(self, editor: PointEditor):
        super().__init__(enableMenu=False)
        self._editor = editor
        self._dragged: int | None = None

    def point_at(self, scene_pos: QPointF) -> int | None:
        """Index of the point within ``GRAB_RADIUS`` pixels of a scene position, nearest first."""
        points = self._editor.points
        if points.shape[0] == 0:
            return None
        pos = self.mapSceneToView(scene_pos)
        width, height = self.viewPixelSize()
        distance = np.hypot((points[:, 0] - pos.x()) / width, (points[:, 1] - pos.y()) / height)
        nearest = int(np.argmin(distance))
        return nearest if distance[nearest] <= GRAB_RADIUS else None

    def mouseClickEvent(self, event) -> None:
        index = self.point_at(event.scenePos())
        if event.button() == Qt.MouseButton.LeftButton and index is None:
            event.accept()
            pos = self.mapSceneToView(event.scenePos())
            self._editor.point_added.emit(pos.x(), pos.y())
        elif event.button() == Qt.MouseButton.RightButton and index is not None:
            event.accept()
            self._editor.point_deleted.emit(index)
        else:
            event.ignore()

    def mouseDragEvent(self, event, axis=None) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        if event.isStart():
            self._dragged = self.point_at(event.buttonDownScenePos())
            self._editor._drag_serial += 1
        if self._dragged is None:
            event.ignore()
            return
        event.accept()
        pos = self.mapSceneToView(event.scenePos())
        self._editor.point_moved.emit(self._dragged, pos.x(), pos.y(), self._editor._drag_serial)
        if event.isFinish():
            self._dragged = None


class PointEditor(Plot):
    """Editable scatter of 2-D points; see the module docstring for the gestures."""

    point_added = Signal(float, float)
    point_moved = Signal(int, float, float, int)  # index, x, y, drag gesture serial
    point_deleted = Signal(int)

    def __init__(self, title: str = "", x_label: str = "", y_label: str = "", parent=None):
        self._view_box = _EditableViewBox(self)
        super().__init__(title, x_label, y_label, parent=parent, viewBox=self._view_box)
        self._drag_serial = 0
        self.points = np.empty((0, 2))
        self._scatter = pg.ScatterPlotItem(size=9, pxMode=True)
        self._scatter.setZValue(10)
        self.addItem(self._scatter)
        self._view_box.setMouseEnabled(False, False)
        # said on the empty plot itself, where the person is looking, not only in a tooltip
        self._empty_hint = pg.TextItem("No points — click here to add some", anchor=(0.5, 0.5))
        self._empty_hint.setPos(0.5, 0.5)
        self._empty_hint.setVisible(False)
        self.addItem(self._empty_hint, ignoreBounds=True)
        self.apply_theme(LIGHT)

    @property
    def view_box(self) -> pg.ViewBox:
        return self._view_box

    def apply_theme(self, palette: Palette) -> None:
        super().apply_theme(palette)
        if hasattr(self, "_scatter"):
            self._scatter.setBrush(pg.mkBrush(palette.point))
            self._scatter.setPen(pg.mkPen(palette.point_edge, width=1))
            self._empty_hint.setColor(palette.foreground)

    def set_points(self, points: np.ndarray) -> None:
        """Show these points (n, 2); the view grows to keep every point inside it."""
        self.points = np.array(points, dtype=float, copy=True).reshape(-1, 2)
        self._scatter.setData(self.points[:, 0], self.points[:, 1])
        if not len(self.points):
            (x0, x1), (y0, y1) = self._view_box.viewRange()
            self._empty_hint.setPos((x0 + x1) / 2, (y0 + y1) / 2)
        self._empty_hint.setVisible(not len(self.points))

    def frame_points(self, margin: float = 0.12, include_origin: bool = False) -> None:
        """Fit the view around the points (on new data, not while a person is editing).

        ``include_origin`` keeps (0, 0) in view: where an intercept is read off the y axis.
        """
        if self.points.shape[0] == 0:
            self._view_box.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
            self._empty_hint.setPos(0.5, 0.5)
            return
        low, high = self.points.min(axis=0), self.points.max(axis=0)
        if include_origin:
            low, high = np.minimum(low, 0.0), np.maximum(high, 0.0)
        span = np.maximum(high - low, 1e-3)
        self._view_box.setRange(
            xRange=(low[0] - margin * span[0], high[0] + margin * span[0]),
            yRange=(low[1] - margin * span[1], high[1] + margin * span[1]),
            padding=0,
        )
