"""A 3-D view you turn with the mouse, drawn with ordinary 2-D pyqtgraph items (no OpenGL).

pyqtgraph's own 3-D widgets need OpenGL, which many machines (virtual ones,
remote desktops, a classroom's old PCs) lack or run in software.  Here the
scene is projected by hand: every item keeps its 3-D points, normalised into a
cube ``[−1, 1]³`` by :meth:`OrbitView.set_bounds`, and a turn recomputes their
2-D projection (orthographic: a rotation about the vertical axis by the
*azimuth*, then a tilt towards the viewer by the *elevation*).  Dragging with
the left button turns the view; a double-click restores the starting angles.

Items are made with the :class:`~.plots.Plot` helpers (``curve``, ``scatter``:
themed like everything else) and given 3-D data with :meth:`OrbitView.set_points`
(markers) or :meth:`OrbitView.set_segments` (line segments, two points each:
a mesh, sticks, the box).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal

from .plots import Plot

#: the angles (degrees) a view starts from and returns to on a double-click
START_AZIMUTH, START_ELEVATION = -60.0, 28.0
#: how far a drag of one pixel turns the view, in degrees
DEGREES_PER_PIXEL = 0.5
#: elevation stays between looking from slightly below and straight down
ELEVATION_RANGE = (-10.0, 90.0)
#: the view's half-width, in cube units (the cube's corners project to at most √3 ≈ 1.73)
HALF_WIDTH = 1.8
#: how far labels sit from the edge they label, in cube units on screen
LABEL_OFFSET = 0.07
# the cube's 12 edges, as pairs of corners (corner bits: x, y, z)
_CORNERS = np.array([[(i >> 0) & 1, (i >> 1) & 1, (i >> 2) & 1] for i in range(8)], dtype=float) * 2 - 1
_EDGES = [(a, b) for a in range(8) for b in range(a + 1, 8) if bin(a ^ b).count("1") == 1]


class _OrbitViewBox(pg.ViewBox):
    def __init__(self, view: OrbitView):
        super().__init__(enableMenu=False)
        self._view = view
        self.setMouseEnabled(False, False)

    def mouseDragEvent(self, event, axis=None) -> None:  # noqa: N802 (pyqtgraph's name)
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        event.accept()
        moved = event.screenPos() - event.lastScreenPos()
        self._view.rotate(-moved.x() * DEGREES_PER_PIXEL, moved.y() * DEGREES_PER_PIXEL)

    def mouseClickEvent(self, event) -> None:  # noqa: N802 (pyqtgraph's name)
        if event.button() == Qt.MouseButton.LeftButton and event.double():
            event.accept()
            self._view.set_angles(START_AZIMUTH, START_ELEVATION)
        else:
            event.ignore()

    def wheelEvent(self, event, axis=None) -> None:  # noqa: N802 (pyqtgraph's name)
        event.ignore()  # no zoom: the cube always fills the view


class OrbitView(Plot):
    """See the module docstring."""

    #: the view turned: (azimuth, elevation) in degrees
    angles_changed = Signal(float, float)

    def __init__(self, title: str = "", labels: tuple[str, str, str] = ("x", "y", "z"), parent=None):
        self._view_box = _OrbitViewBox(self)
        super().__init__(title, parent=parent, viewBox=self._view_box)
        plot_item = self.getPlotItem()
        plot_item.hideAxis("bottom")
        plot_item.hideAxis("left")
        self._view_box.setAspectLocked(True)
        self._view_box.setRange(xRange=(-HALF_WIDTH, HALF_WIDTH), yRange=(-HALF_WIDTH, HALF_WIDTH), padding=0)
        self._view_box.disableAutoRange()
        self.azimuth, self.elevation = START_AZIMUTH, START_ELEVATION
        self._low = np.zeros(3)
        self._span = np.ones(3)
        # item id → (item, its points, segments or markers, points already in cube coordinates)
        self._layers: dict[int, tuple[pg.GraphicsObject, np.ndarray, bool, bool]] = {}
        self._box = self.curve("foreground", width=1, connect="pairs")
        self._box.setOpacity(0.45)
        self.set_segments(self._box, None, normalised=_CORNERS[np.array(_EDGES).ravel()])
        self._labels = labels
        self._axis_texts = [self.text(anchor=(0.5, 0.5)) for _ in range(3)]
        self._tick_texts = [self.text(anchor=(0.5, 0.5)) for _ in range(6)]
        self._place_labels()

    # -- the data's box -------------------------------------------------------------------------
    def set_bounds(self, low, high) -> None:
        """The data range drawn as the cube (each axis separately); points outside it are drawn outside."""
        low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
        span = high - low
        self._low = low
        self._span = np.where(span > 0, span, 1.0)
        self._redraw()
        self._place_labels()

    @property
    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """The data range drawn as the cube: ``(low, high)``, each of shape (3,)."""
        return self._low.copy(), self._low + self._span

    def set_labels(self, labels: tuple[str, str, str]) -> None:
        self._labels = tuple(labels)
        self._place_labels()

    def normalised(self, points) -> np.ndarray:
        """Data coordinates (n, 3) → the cube's ``[−1, 1]³``."""
        points = np.asarray(points, dtype=float).reshape(-1, 3)
        return 2.0 * (points - self._low) / self._span - 1.0

    # -- items --------------------------------------------------------------------------------------
    def set_points(self, item, points) -> None:
        """Markers (a ``scatter`` or ``dots`` item) at these 3-D data points (n, 3)."""
        self._set(item, points, pairs=False)

    def set_segments(self, item, points, *, normalised: np.ndarray | None = None) -> None:
        """Line segments (a ``curve`` item): points ``2k`` and ``2k + 1`` are the ends of segment ``k``."""
        self._set(item, points, pairs=True, normalised=normalised)

    def _set(self, item, points, pairs: bool, normalised: np.ndarray | None = None) -> None:
        if normalised is None:
            data = np.empty((0, 3)) if points is None else np.asarray(points, dtype=float).reshape(-1, 3)
            self._layers[id(item)] = (item, data, pairs, False)
        else:
            self._layers[id(item)] = (item, np.asarray(normalised, dtype=float).reshape(-1, 3), pairs, True)
        self._draw(id(item))

    def _draw(self, item_id: int) -> None:
        item, points, pairs, in_cube = self._layers[item_id]
        x, y = self.project(points if in_cube else self.normalised(points))
        if pairs:
            item.setData(x, y, connect="pairs")
        else:
            item.setData(x, y)

    def _redraw(self) -> None:
        for item_id in self._layers:
            self._draw(item_id)

    # -- turning ---------------------------------------------------------------------------------------
    def project(self, cube: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cube coordinates (n, 3) → the view's 2-D coordinates at the current angles."""
        cube = np.asarray(cube, dtype=float).reshape(-1, 3)
        a, e = math.radians(self.azimuth), math.radians(self.elevation)
        x = cube[:, 0] * math.cos(a) - cube[:, 1] * math.sin(a)
        depth = cube[:, 0] * math.sin(a) + cube[:, 1] * math.cos(a)
        y = cube[:, 2] * math.cos(e) + depth * math.sin(e)
        return x, y

    def project_data(self, points) -> tuple[np.ndarray, np.ndarray]:
        """Data coordinates (n, 3) → the view's 2-D coordinates (where the mouse finds them)."""
        return self.project(self.normalised(points))

    def rotate(self, azimuth: float, elevation: float) -> None:
        """Turn by these many degrees (elevation kept between looking slightly up and straight down)."""
        self.set_angles(self.azimuth + azimuth, self.elevation + elevation)

    def set_angles(self, azimuth: float, elevation: float) -> None:
        low, high = ELEVATION_RANGE
        self.azimuth = (azimuth + 180.0) % 360.0 - 180.0
        self.elevation = min(max(elevation, low), high)
        self._redraw()
        self._place_labels()
        self.angles_changed.emit(self.azimuth, self.elevation)

    def _place_labels(self) -> None:
        """Each axis named beside an outer edge, its two ends labelled with their values, off the cube.

        x and y run along the two bottom edges nearest the viewer, z up the vertical edge furthest
        left on screen; labels are pushed away from the edge, on the side away from the cube's centre,
        and the end labels sit a little inside the ends, so two axes meeting at a corner never overlap.
        """
        a = math.radians(self.azimuth)
        front_x = -1.0 if math.sin(a) > 0 else 1.0  # the x nearer the viewer
        front_y = -1.0 if math.cos(a) > 0 else 1.0
        verticals = [(sx, sy) for sx in (-1.0, 1.0) for sy in (-1.0, 1.0)]
        left_x, left_y = min(verticals, key=lambda c: float(self.project(np.array([[c[0], c[1], 0.0]]))[0][0]))
        edges = [
            (np.array([-1.0, front_y, -1.0]), np.array([1.0, front_y, -1.0])),
            (np.array([front_x, -1.0, -1.0]), np.array([front_x, 1.0, -1.0])),
            (np.array([left_x, left_y, -1.0]), np.array([left_x, left_y, 1.0])),
        ]
        for axis, (start, end) in enumerate(edges):
            (x0, x1), (y0, y1) = self.project(np.array([start, end]))
            direction = np.array([x1 - x0, y1 - y0])
            length = float(np.hypot(*direction))
            normal = np.array([-direction[1], direction[0]]) / length if length > 1e-9 else np.array([0.0, -1.0])
            middle = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
            if normal @ middle < 0:  # away from the centre, which projects to (0, 0)
                normal = -normal
            # a label's anchor is its side nearest the edge (text y runs down, the view's up)
            anchor = ((1.0 - normal[0]) / 2.0, (1.0 + normal[1]) / 2.0)
            label = self._axis_texts[axis]
            label.setText(self._labels[axis])
            if axis == 2:  # the vertical axis is named above its top end, where there is room
                label.setAnchor((0.5, 1.0))
                label.setPos(float(x1), float(y1) + LABEL_OFFSET)
            else:
                name = middle + LABEL_OFFSET * 2.2 * normal
                label.setAnchor(anchor)
                label.setPos(float(name[0]), float(name[1]))
            for end_index, fraction in enumerate((0.06, 0.94)):
                corner = start + fraction * (end - start)
                value = self._low[axis] + end_index * self._span[axis]
                tx, ty = self.project(corner[None, :])
                place = np.array([tx[0], ty[0]]) + LABEL_OFFSET * normal
                text = self._tick_texts[2 * axis + end_index]
                text.setText(f"{value:.3g}")
                text.setAnchor(anchor)
                text.setPos(float(place[0]), float(place[1]))
