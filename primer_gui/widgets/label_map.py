"""Named points on a plane, coloured by category, labelled where a label can be read, moving every frame.

Made for thousands of points that move while something trains (word vectors
projected to 2-D), so it keeps each frame cheap:

* one scatter per category (one brush each, never a brush per point);
* labels only where they can be read: each frame, the points win a label in
  turn — the focus, its related points and any the panel pins first, then the
  others in the order given (e.g. the commonest words first) — where their label
  would overlap none placed before.  Zooming in makes room for more.  All the
  labels are one :class:`~.text_layer.TextLayer`, drawn in one go;
* the view follows the points (in steps, so the axes are not re-laid out every
  frame) until the person pans or zooms; :meth:`follow` goes back to following.

A click near a point emits :attr:`point_clicked` with its index (−1 on empty
space).  A focus point may be linked by lines to related points.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal

from .palette import Palette
from .plots import Plot, colour_of, nice_ceiling
from .text_layer import TextLayer

#: how close (in screen pixels) a click must be to pick a point
PICK_RADIUS = 10.0
#: a label's cell on the screen (pixels): one candidate label per cell, then labels may not overlap
CELL = (36, 16)
#: the grid (pixels) on which labels claim room
GRAIN = 4
#: a label starts this many pixels to the right of its point
LABEL_OFFSET = 6
#: room kept clear around a label (pixels)
LABEL_MARGIN = 2
#: labels drawn at most (the pinned ones come on top of these)
MAX_LABELS = 70
#: category colours (the palette's ``categories``); more categories than this share colours
COLOURS = 8


class LabelMap(Plot):
    point_clicked = Signal(int)  # the point's index, −1 for empty space

    def __init__(self, title: str = "", x_label: str = "", y_label: str = "", parent=None):
        self._view_box = pg.ViewBox(enableMenu=False)
        super().__init__(title, x_label, y_label, parent=parent, viewBox=self._view_box)
        # every click, whichever item took it (a scatter takes clicks on its points): picking is by distance
        self.scene().sigMouseClicked.connect(self._on_scene_mouse_clicked)
        self._view_box.setAspectLocked(True)
        self._view_box.disableAutoRange()
        self._view_box.sigRangeChangedManually.connect(self._on_view_box_range_changed_manually)
        self.names: list[str] = []
        self.categories = np.zeros(0, dtype=np.int64)
        self.category_names: list[str] = []
        self.xy = np.zeros((0, 2))
        # one scatter per colour, made once: the category colours, then "no category" (drawn underneath)
        self._scatters = {slot: self.scatter(f"categories[{slot}]", size=7) for slot in range(COLOURS)}
        self._scatters[-1] = self.scatter("uncategorised", size=7)
        for slot, scatter in self._scatters.items():
            scatter.setZValue(1 if slot < 0 else 2)
        self._groups: dict[int, np.ndarray] = {slot: np.zeros(0, dtype=np.int64) for slot in self._scatters}
        self._links = self.curve("current", width=1.5, connect="pairs")
        self._related_ring = self.scatter("#00000000", pen="current", size=13)
        self._focus_ring = self.scatter("#00000000", pen="fit", size=17)
        for item in (self._links, self._related_ring, self._focus_ring):
            item.setZValue(5)
        self._focus_ring.setPen(pg.mkPen(colour_of(self.palette, "fit"), width=2.5))
        self.focus = -1
        self.related = np.zeros(0, dtype=np.int64)
        self.pinned = np.zeros(0, dtype=np.int64)
        self.labels = TextLayer(anchor=(0.0, 0.5), offset=LABEL_OFFSET)
        self.labels.setZValue(6)
        self.themed(self.labels, lambda p: self.labels.set_colour(p.foreground), ignore_bounds=True)
        self._labelled: list[int] = []  # the points labelled now, in the order they won their place
        self._legend = self.getPlotItem().addLegend(offset=(8, 8), labelTextSize="8pt")
        self._following = True
        self._extent = 0.0

    @property
    def view_box(self) -> pg.ViewBox:
        return self._view_box

    # pyqtgraph's scene turns a press and release into a click on release, but only if the press was
    # accepted: the map takes every press (a click picks a word; a drag still pans)
    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().mousePressEvent(event)
        event.accept()

    @property
    def following(self) -> bool:
        return self._following

    # -- what is drawn ---------------------------------------------------------------------------
    def set_names(self, names: list[str], categories: np.ndarray, category_names: list[str]) -> None:
        """The points' names and categories (−1: none), and the categories' names (legend): once per set."""
        self.names = list(names)
        self.categories = np.asarray(categories, dtype=np.int64)
        self.category_names = list(category_names)
        self._legend.clear()
        slots = np.where(self.categories < 0, -1, self.categories % COLOURS)
        self._groups = {slot: np.flatnonzero(slots == slot) for slot in self._scatters}
        for slot, scatter in self._scatters.items():
            if self._groups[slot].size == 0:
                scatter.setData([], [])
            elif slot >= 0:
                names_here = [name for c, name in enumerate(self.category_names) if c % COLOURS == slot]
                self._legend.addItem(scatter, " / ".join(names_here))
        if self._groups[-1].size:
            self._legend.addItem(self._scatters[-1], "other")
        self._clear_labels()
        self.focus, self.related, self.pinned = -1, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        self.xy = np.zeros((len(self.names), 2))

    def set_positions(self, xy: np.ndarray) -> None:
        """Every point's position, in the order of :meth:`set_names` (finite numbers)."""
        xy = np.asarray(xy, dtype=float)
        if xy.shape != (len(self.names), 2) or not np.isfinite(xy).all():
            return
        self.xy = xy
        for slot, group in self._groups.items():
            if group.size:
                _move(self._scatters[slot], xy[group, 0], xy[group, 1])
        if self._following:
            self._frame()
        self._draw_focus()
        self.place_labels()

    def set_focus(self, focus: int, related: np.ndarray | list[int] = ()) -> None:
        """One point ringed and linked to its related points (−1: none)."""
        self.focus = int(focus) if 0 <= focus < len(self.names) else -1
        self.related = np.array([int(i) for i in related if 0 <= i < len(self.names)], dtype=np.int64)
        self._draw_focus()
        self.place_labels()

    def set_highlights(self, focus: int, related, pinned) -> None:
        """Focus, related and pinned points at once, drawn with the next positions (indices out of range: none)."""
        n = len(self.names)
        self.focus = int(focus) if 0 <= focus < n else -1
        self.related = np.array([int(i) for i in related if 0 <= i < n], dtype=np.int64)
        self.pinned = np.array([int(i) for i in pinned if 0 <= i < n], dtype=np.int64)

    def set_pinned(self, indices: np.ndarray | list[int]) -> None:
        """Points that are always labelled (besides the focus and its related points)."""
        self.pinned = np.array([int(i) for i in indices if 0 <= i < len(self.names)], dtype=np.int64)
        self.place_labels()

    def follow(self) -> None:
        """Frame the points again and follow them as they move (after the person panned or zoomed)."""
        self._following = True
        self._extent = 0.0
        self._frame()
        self.place_labels()

    def _on_view_box_range_changed_manually(self, *_args) -> None:
        self._following = False
        self.place_labels()

    def _frame(self) -> None:
        """A centred view, equal scales, whose shorter half-side is a nice number above the farthest point."""
        if not len(self.xy):
            return
        extent = nice_ceiling(1.15 * float(np.abs(self.xy).max()) or 1.0)
        if extent != self._extent:
            self._extent = extent
            width, height = self._view_box.width(), self._view_box.height()
            wide = width / height if width > 0 and height > 0 else 1.0
            x, y = extent * max(wide, 1.0), extent * max(1.0 / wide, 1.0)
            self._view_box.setRange(xRange=(-x, x), yRange=(-y, y), padding=0.0)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if getattr(self, "_following", False):
            self._extent = 0.0
            self._frame()

    def _draw_focus(self) -> None:
        if self.focus < 0:
            for item in (self._links, self._related_ring, self._focus_ring):
                item.setData([], [])
            return
        x, y = self.xy[self.focus]
        self._focus_ring.setData([x], [y])
        related = self.xy[self.related]
        self._related_ring.setData(related[:, 0], related[:, 1])
        pairs = np.empty((2 * len(related), 2))
        pairs[0::2] = (x, y)
        pairs[1::2] = related
        self._links.setData(pairs[:, 0], pairs[:, 1], connect="pairs")

    # -- labels ------------------------------------------------------------------------------------
    def labelled(self) -> dict[int, str]:
        """The points labelled now: index → its label's text."""
        return {index: self.names[index] for index in self._labelled}

    def place_labels(self) -> None:
        """Label the points that win a readable place (see the module docstring)."""
        chosen = self._legible()
        important = set(self.pinned.tolist()) | set(self.related.tolist()) | {self.focus}
        self._labelled = chosen
        self.labels.set_texts(
            self.xy[chosen] if chosen else np.zeros((0, 2)),
            [self.names[i] for i in chosen],
            bold=[i in important for i in chosen],
        )

    def _legible(self) -> list[int]:
        """Which points get a label: the focus, then related and pinned ones, then the rest in order, each only
        where its label overlaps none already placed (the focus always)."""
        n = len(self.names)
        if not n:
            return []
        (x0, x1), (y0, y1) = self._view_box.viewRange()
        width, height = self._view_box.viewPixelSize()
        if not (width > 0 and height > 0):
            return []
        xy = self.xy
        px, py = (xy[:, 0] - x0) / width, (y1 - xy[:, 1]) / height  # screen pixels from the top left
        columns, rows = int((x1 - x0) / width) + 1, int((y1 - y0) / height) + 1
        inside = (px >= 0) & (px < columns) & (py >= 0) & (py < rows)
        important = [self.focus] if self.focus >= 0 else []
        important += [int(i) for i in self.related] + [int(i) for i in self.pinned]
        important = [i for i in dict.fromkeys(important) if inside[i]]
        # candidates: the first point (in order) of each label-sized cell, so a dense cluster costs one try
        rest = np.flatnonzero(inside)
        cells = np.floor(px[rest] / CELL[0]) * 1e6 + np.floor(py[rest] / CELL[1])
        _, first = np.unique(cells, return_index=True)
        candidates = important + [int(i) for i in rest[np.sort(first)]]
        # then each takes its label's box on a grid of GRAIN-pixel squares, if no label holds any of it yet
        taken = np.zeros((rows // GRAIN + 2, columns // GRAIN + 2), dtype=bool)
        chosen: list[int] = []
        seen: set[int] = set()
        for index in candidates:
            if index in seen:
                continue
            seen.add(index)
            width, height = self.labels.text_size(self.names[index], bold=True)  # bold: the widest it may be
            x = px[index] + LABEL_OFFSET - LABEL_MARGIN  # the label's left edge, with a margin each side
            width, height = width + 2 * LABEL_MARGIN, height + LABEL_MARGIN
            left, top = int(x // GRAIN), int((py[index] - height / 2) // GRAIN)
            right, bottom = int((x + width) // GRAIN) + 1, int((py[index] + height / 2) // GRAIN) + 1
            box = taken[max(top, 0) : bottom, max(left, 0) : right]
            if index != self.focus and box.any():  # the focus is always named; the rest only where there is room
                continue
            box[...] = True
            chosen.append(index)
            if len(chosen) >= MAX_LABELS + len(important):
                break
        return chosen

    def _clear_labels(self) -> None:
        self._labelled = []
        self.labels.set_texts(np.zeros((0, 2)), [])

    # -- picking and theme ----------------------------------------------------------------------------
    def _on_scene_mouse_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if not self._view_box.sceneBoundingRect().contains(event.scenePos()):
            return  # on an axis or the title
        if event.double():
            self.follow()
        else:
            self.point_clicked.emit(self.point_at(event.scenePos()))

    def point_at(self, scene_pos: QPointF) -> int:
        """The point within ``PICK_RADIUS`` pixels of a scene position, nearest first (−1: none)."""
        if not len(self.xy):
            return -1
        pos = self._view_box.mapSceneToView(scene_pos)
        width, height = self._view_box.viewPixelSize()
        distance = np.hypot((self.xy[:, 0] - pos.x()) / width, (self.xy[:, 1] - pos.y()) / height)
        nearest = int(np.argmin(distance))
        return nearest if distance[nearest] <= PICK_RADIUS else -1

    def apply_theme(self, palette: Palette) -> None:
        super().apply_theme(palette)
        if hasattr(self, "_focus_ring"):
            self._focus_ring.setPen(pg.mkPen(colour_of(palette, "fit"), width=2.5))


def _move(scatter: pg.ScatterPlotItem, x: np.ndarray, y: np.ndarray) -> None:
    """New positions for a scatter's points: in place when their number is unchanged.

    ``setData`` looks every point's symbol up again in Python (~7 ms for 5 000 points); the points
    keep their looks here, so only their coordinates change, and the cached bounds are dropped as
    ``setData`` drops them.
    """
    data = scatter.data
    if len(data) != len(x):
        scatter.setData(x, y)
        return
    data["x"], data["y"] = x, y
    scatter.prepareGeometryChange()
    scatter.informViewBoundsChanged()
    scatter.bounds = [None, None]
    scatter.invalidate()
