"""A scatter plot a person edits with the mouse, with or without classes.

Left-click on empty space adds a point there; left-drag a point moves it;
right-click a point deletes it.  With classes (``classes=("class 0", "class 1")``)
every point has a label, drawn in its class colour: a left-click adds a point of
:attr:`PointEditor.current_class` and a right-click on empty space one of the
other class.  The widget only *reports* these gestures as signals in data
coordinates; whoever owns the data (a ``DataModel``) applies them, with undo, and
hands the new points back with :meth:`set_points`.  So the picture always shows
the data as it is, never a guess.

Without classes the points may still be drawn in several colours
(``colour_roles``, e.g. the group a model put each point in): the labels given
to :meth:`set_points` or :meth:`set_labels` then choose the colour, while a
person's clicks carry no class.

Large data stays cheap to draw: beyond ``max_drawn`` points (``MAX_DRAWN`` unless a tab
says otherwise) a fixed random
subset is drawn (and said so on the plot); the dots are cached as a picture, so
a line moving over them every frame does not redraw them, and recolouring redraws
only the colours whose points changed; clicks find the nearest *drawn* point.  Training always uses all of them.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import QGraphicsItem

from .plots import Plot

#: how close (in screen pixels) a click must be to grab a point
GRAB_RADIUS = 8.0
#: at most this many points are drawn (a fixed random subset beyond it)
MAX_DRAWN = 4000


class _EditableViewBox(pg.ViewBox):
    def __init__(self, editor: PointEditor):
        super().__init__(enableMenu=False)
        self._editor = editor
        self._dragged: int | None = None

    def point_at(self, scene_pos: QPointF) -> int | None:
        """Index of the drawn point within ``GRAB_RADIUS`` pixels of a scene position, nearest first."""
        drawn = self._editor.drawn_indices
        if drawn.size == 0:
            return None
        points = self._editor.points[drawn]
        pos = self.mapSceneToView(scene_pos)
        width, height = self.viewPixelSize()
        distance = np.hypot((points[:, 0] - pos.x()) / width, (points[:, 1] - pos.y()) / height)
        nearest = int(np.argmin(distance))
        return int(drawn[nearest]) if distance[nearest] <= GRAB_RADIUS else None

    def mouseClickEvent(self, event) -> None:
        editor = self._editor
        index = self.point_at(event.scenePos())
        button = event.button()
        pos = self.mapSceneToView(event.scenePos())
        if button == Qt.MouseButton.RightButton and index is not None:
            event.accept()
            editor.point_deleted.emit(index)
        elif index is None and button in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            if button == Qt.MouseButton.RightButton and not editor.classes:
                event.ignore()
                return
            event.accept()
            label = editor.current_class
            if button == Qt.MouseButton.RightButton:
                label = 1 - label if len(editor.classes) == 2 else label
            editor.point_added.emit(pos.x(), pos.y(), label)
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
    """Editable scatter of 2-D points, optionally labelled; see the module docstring for the gestures."""

    point_added = Signal(float, float, int)  # x, y, class (−1 without classes)
    point_moved = Signal(int, float, float, int)  # index, x, y, drag gesture serial
    point_deleted = Signal(int)

    def __init__(
        self,
        title: str = "",
        x_label: str = "",
        y_label: str = "",
        classes=(),
        colour_roles=(),
        max_drawn: int = MAX_DRAWN,
        parent=None,
    ):
        """``classes``: the person's labels (their names); ``colour_roles``: palette roles to draw labels in,
        for labels a person does not give (default: the classes' colours, or one colour); ``max_drawn``: at
        most this many points are drawn (a tab that recolours them every frame draws fewer)."""
        self._view_box = _EditableViewBox(self)
        super().__init__(title, x_label, y_label, parent=parent, viewBox=self._view_box)
        self.classes = tuple(classes)
        self.current_class = 1 if len(self.classes) == 2 else (0 if self.classes else -1)
        self._drag_serial = 0
        self.points = np.empty((0, 2))
        self.labels = np.empty(0, dtype=int)
        self.drawn_indices = np.empty(0, dtype=int)
        self._subset_order = np.empty(0, dtype=int)
        self.max_drawn = max_drawn
        self._members: list[np.ndarray | None] = []  # per scatter: the drawn points it shows
        roles = list(colour_roles) or [f"classes[{i}]" for i in range(len(self.classes))] or ["point"]
        self._scatters = []
        for role in roles:
            scatter = self.scatter(role, pen="point_edge", size=9)
            scatter.setZValue(10)
            # drawn once into a picture: a line moving over the dots every frame does not redraw them
            scatter.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self._scatters.append(scatter)
            self._members.append(None)
        self._highlight = self.scatter("#00000000", pen="batch", size=14)
        self._highlight.setZValue(11)
        self._view_box.setMouseEnabled(False, False)
        # said on the empty plot itself, where the person is looking, not only in a tooltip
        self._empty_hint = self.text(anchor=(0.5, 0.5), text="No points — click here to add some")
        self._empty_hint.setVisible(False)
        self._subset_note = self.text(anchor=(1.0, 0.0))
        self._subset_note.setVisible(False)

    @property
    def view_box(self) -> pg.ViewBox:
        return self._view_box

    # pyqtgraph's scene turns a press and release into a click on release and leaves the press
    # unaccepted; the editor takes every press (it is where a person edits), so none goes astray
    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().mousePressEvent(event)
        event.accept()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().mouseReleaseEvent(event)
        event.accept()

    def set_points(self, points: np.ndarray, labels: np.ndarray | None = None) -> None:
        """Show these points (n, 2), with their class labels (n,) if the editor has classes."""
        self.points = np.array(points, dtype=float, copy=True).reshape(-1, 2)
        n = self.points.shape[0]
        self.labels = np.zeros(n, dtype=int) if labels is None else np.asarray(labels).astype(int).reshape(n)
        self._members = [None] * len(self._scatters)  # new points: every scatter is drawn again
        self._draw()

    def set_labels(self, labels: np.ndarray) -> None:
        """Recolour the points shown (one label per point, choosing its colour); the points stay."""
        self.labels = np.asarray(labels).astype(int).reshape(self.points.shape[0])
        self._draw()

    def _draw(self) -> None:
        n = self.points.shape[0]
        if n <= self.max_drawn:
            self.drawn_indices = np.arange(n)
        else:
            if self._subset_order.size != n:  # a fixed subset per data size, so edits don't reshuffle it
                self._subset_order = np.sort(np.random.default_rng(0).permutation(n)[: self.max_drawn])
            self.drawn_indices = self._subset_order
        drawn, drawn_labels = self.points[self.drawn_indices], self.labels[self.drawn_indices]
        for label, scatter in enumerate(self._scatters):
            members = np.arange(len(drawn)) if len(self._scatters) == 1 else np.flatnonzero(drawn_labels == label)
            before = self._members[label]
            if before is not None and np.array_equal(before, members):
                continue  # the same points as drawn: setData costs ~2 µs a point, so only what changed
            self._members[label] = members
            scatter.setData(drawn[members, 0], drawn[members, 1])
        self._subset_note.setVisible(n > self.max_drawn)
        if n > self.max_drawn:
            self._subset_note.setText(f"showing {self.max_drawn:,} of {n:,} points")
        self._place_notes()
        self._empty_hint.setVisible(not n)

    def highlight(self, indices: np.ndarray | None) -> None:
        """Ring the points at these indices (the last step's batch); None or empty clears."""
        if indices is None or len(indices) == 0 or len(indices) > self.max_drawn:
            self._highlight.setData([], [])
            return
        indices = np.asarray(indices)
        indices = indices[indices < self.points.shape[0]]
        chosen = self.points[indices]
        self._highlight.setData(chosen[:, 0], chosen[:, 1])

    def _place_notes(self) -> None:
        (x0, x1), (y0, y1) = self._view_box.viewRange()
        self._empty_hint.setPos((x0 + x1) / 2, (y0 + y1) / 2)
        self._subset_note.setPos(x1, y1)

    def frame_points(self, margin: float = 0.12, include_origin: bool = False) -> None:
        """Fit the view around the points (on new data, not while a person is editing).

        ``include_origin`` keeps (0, 0) in view: where an intercept is read off the y axis.
        """
        if self.points.shape[0] == 0:
            self._view_box.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
        else:
            low, high = self.points.min(axis=0), self.points.max(axis=0)
            if include_origin:
                low, high = np.minimum(low, 0.0), np.maximum(high, 0.0)
            span = np.where(high - low > 0, high - low, np.maximum(np.abs(high), 1.0))
            self._view_box.setRange(
                xRange=(low[0] - margin * span[0], high[0] + margin * span[0]),
                yRange=(low[1] - margin * span[1], high[1] + margin * span[1]),
                padding=0,
            )
        self._place_notes()
