"""A layered network drawn as nodes and links: each node a small picture, each link as wide as its weight.

The widget knows layers of nodes and the numbers between them, nothing of what they mean:

* :meth:`NetworkView.set_layers` lays the diagram out: layers left to right, each a column of
  nodes (a node may be *inactive*: dimmed, with no links); a layer may show ＋/− buttons.
* :meth:`NetworkView.set_parameters` gives the weights between consecutive layers (matrix ``k``
  has a row per active node of layer ``k`` and a column per node of layer ``k + 1``) and a bias
  per node after the first layer.  A link's width grows with ``|w|`` (capped) and its colour
  says the sign; a bias is a small square at the node's lower left, sized by ``|b|``.
* :meth:`NetworkView.set_images` gives each node's picture, values mapped through a colour map
  with levels per layer.  All pictures are packed into one image (one ``ImageItem``), so a
  diagram of fifty live thumbnails costs one texture upload per frame, not fifty.
* :meth:`NetworkView.set_notes` marks nodes (a red ✕ and a line in their tooltip).

A person points and clicks: ``node_hovered``, ``node_clicked``, ``link_clicked``,
``bias_clicked`` and ``resize_clicked`` say what.  Pointing at a link or a bias shows its value
beside the cursor, kept live while the numbers change (:attr:`NetworkView.describe` words it).
While :meth:`NetworkView.set_flowing` is on, dashes run along the links from left to right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QToolTip

from .palette import Palette, class_colormap
from .plots import Plot, colour_of

#: distance between layer columns and between nodes of a layer, in node sizes
LAYER_PITCH = 3.0
NODE_PITCH = 1.3
#: the layers' titles (and ± buttons either side) sit this far above the top node's edge
HEADER = 0.7
BUTTON_OFFSET = 0.8
#: a pointer this close (in pixels) to a link or a bias picks it
PICK_PIXELS = 5.0
#: link widths in pixels: thinnest, and the cap (reached at |w| = (MAX − MIN) / PER_UNIT)
LINK_MIN_WIDTH = 0.6
LINK_MAX_WIDTH = 7.0
LINK_WIDTH_PER_UNIT = 3.0
#: how much of its own colour an inactive node keeps
INACTIVE_STRENGTH = 0.45


@dataclass(frozen=True)
class Node:
    label: str = ""  # written to the left of a node of the first layer
    tooltip: str = ""
    active: bool = True


@dataclass(frozen=True)
class Layer:
    nodes: tuple[Node, ...]
    title: str = ""
    resizable: bool = False  # ＋ and − buttons over it


class _Links(pg.GraphicsObject):
    """Every link in one item: lines grouped by pen, drawn with one ``drawLines`` per group."""

    def __init__(self) -> None:
        super().__init__()
        self._lines: list[QLineF] = []
        self._groups: list[tuple[QPen, list[QLineF]]] = []
        self._rect = QRectF()
        self._highlight: QLineF | None = None
        self._highlight_pen = QPen()
        self.colours = (QColor("#e8743b"), QColor("#1f77b4"))
        self.flow: float | None = None  # dash offset while flowing, None for solid lines

    def set_geometry(self, starts: np.ndarray, ends: np.ndarray, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self._lines = [QLineF(*a, *b) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
        self._rect = rect
        self._groups = []
        self.update()

    def set_weights(self, weights: np.ndarray) -> None:
        """Pens from the weights (one per line): width by |w| in half-pixel steps, colour by sign."""
        finite = np.where(np.isfinite(weights), weights, 0.0)
        widths = np.clip(LINK_MIN_WIDTH + LINK_WIDTH_PER_UNIT * np.abs(finite), LINK_MIN_WIDTH, LINK_MAX_WIDTH)
        keys = np.round(widths * 2).astype(int) * 2 + (finite >= 0)
        groups = []
        lines = self._lines
        for key in np.unique(keys):
            pen = QPen(self.colours[int(key % 2)])
            pen.setWidthF(float(key // 2) / 2)
            pen.setCosmetic(True)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            if self.flow is not None:
                pen.setDashPattern([4.0, 2.0])
                pen.setDashOffset(-self.flow / max(pen.widthF(), 0.5))
            groups.append((pen, [lines[i] for i in np.flatnonzero(keys == key)]))
        self._groups = groups
        self.update()

    def move_dashes(self) -> None:
        """Move the dashes to the current ``flow`` offset (the pens stay)."""
        for pen, _lines in self._groups:
            pen.setDashOffset(-self.flow / max(pen.widthF(), 0.5))
        self.update()

    def set_highlight(self, index: int | None, pen: QPen) -> None:
        self._highlight = None if index is None else self._lines[index]
        self._highlight_pen = pen
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return self._rect

    def paint(self, painter: QPainter, *_args) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for pen, lines in self._groups:
            painter.setPen(pen)
            painter.drawLines(lines)
        if self._highlight is not None:
            painter.setPen(self._highlight_pen)
            painter.drawLine(self._highlight)


class _Dots(pg.ScatterPlotItem):
    """A scatter that leaves clicks to the diagram (pyqtgraph's takes a left click on any of its dots)."""

    def mouseClickEvent(self, event) -> None:  # noqa: N802 (pyqtgraph's name)
        event.ignore()


class _DiagramViewBox(pg.ViewBox):
    def __init__(self, view: NetworkView):
        super().__init__(enableMenu=False)
        self._view = view

    def mouseClickEvent(self, event) -> None:  # noqa: N802 (pyqtgraph's name)
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        hit = self._view.hit(self.mapSceneToView(event.scenePos()))
        if hit is None:
            event.ignore()
            return
        event.accept()
        self._view._clicked(hit)

    def mouseDragEvent(self, event, axis=None) -> None:  # noqa: N802 (pyqtgraph's name)
        event.ignore()


class NetworkView(Plot):
    node_hovered = Signal(int, int)  # layer, node; (-1, -1) when the pointer leaves every node
    node_clicked = Signal(int, int)  # layer, node
    link_clicked = Signal(int, int, int)  # weight matrix k (layer k → k + 1), row, column
    bias_clicked = Signal(int, int)  # layer, node
    resize_clicked = Signal(int, int)  # layer, +1 or −1

    def __init__(self, title: str = "", colormap: Callable[[Palette], pg.ColorMap] = class_colormap, parent=None):
        self._view_box = _DiagramViewBox(self)
        super().__init__(title, parent=parent, viewBox=self._view_box)
        item = self.getPlotItem()
        for axis in ("bottom", "left"):
            item.hideAxis(axis)
        item.showGrid(x=False, y=False)
        self._view_box.setMouseEnabled(False, False)
        self._view_box.setAspectLocked(True)
        self.setMouseTracking(True)
        self._colormap = colormap
        self._lut = np.zeros((256, 4), dtype=np.uint8)
        self._paper = np.zeros(4)
        #: words for a pointed-at link or bias: (kind "weight"/"bias", k or layer, row, column, value) → text
        self.describe: Callable[[str, int, int, int, float], str] = _describe
        self._layers: list[Layer] = []
        self._centres: list[np.ndarray] = []  # per layer: (nodes, 2)
        self._link_index: list[tuple[int, int, int]] = []  # per line: (k, row, column)
        self._link_ends = np.empty((0, 2, 2))
        self._weights: list[np.ndarray] = []
        self._biases: list[np.ndarray] = []
        self._buttons: list[tuple[int, int, QRectF]] = []
        self._notes: dict[int, list[str]] = {}
        self._atlas: np.ndarray | None = None
        self._cell = 0
        self._hover_node: tuple[int, int] = (-1, -1)
        self._hover_value: tuple | None = None  # ("weight", k, row, column) or ("bias", layer, 0, node)
        self._pitch = LAYER_PITCH
        self._bias_key = None
        self._shown: dict[str, tuple] = {}  # the last pictures and notes, to draw again after a re-layout

        self._links = _Links()
        self._image = pg.ImageItem(axisOrder="row-major")
        self._frames = _Dots(symbol="s", pxMode=False, size=1.0)
        self._hover_frame = _Dots(symbol="s", pxMode=False, size=1.12)
        self._bias_marks = _Dots(symbol="s", pxMode=True)
        self._button_boxes = _Dots(symbol="s", pxMode=False, size=0.62)
        for item, styler, z in (
            (self._links, self._restyle_links, -2),
            (self._image, self._restyle_images, 0),
            (self._frames, self._restyle_frames, 1),
            (self._hover_frame, self._restyle_frames, 2),
            (self._bias_marks, lambda p: None, 3),
            (self._button_boxes, self._restyle_frames, 1),
        ):
            self.themed(item, styler)
            item.setZValue(z)
        self._note_marks = _Dots(symbol="x", size=11, pen=None)
        self.themed(self._note_marks, lambda p: self._note_marks.setBrush(pg.mkBrush(p.fit)))
        self._note_marks.setZValue(4)
        self._texts: list[pg.TextItem] = []
        self._text_colour = "#303030"
        self._text_group = self.themed(pg.ItemGroup(), self._restyle_texts, ignore_bounds=True)
        self._text_group.setZValue(5)
        self._value_label = self.text("foreground", anchor=(0.0, 1.0))
        self._value_label.setZValue(10)
        self._value_label.setVisible(False)

    # -- styling --------------------------------------------------------------------------------
    def _restyle_links(self, palette: Palette) -> None:
        self._links.colours = (QColor(colour_of(palette, "classes[0]")), QColor(colour_of(palette, "classes[1]")))
        self._highlight_pen = QPen(QColor(palette.current))
        self._highlight_pen.setWidthF(3.0)
        self._highlight_pen.setCosmetic(True)
        if self._weights:
            self._draw_links()

    def _restyle_frames(self, palette: Palette) -> None:
        self._frames.setPen(pg.mkPen(palette.foreground, width=1))
        self._frames.setBrush(None)
        self._hover_frame.setPen(pg.mkPen(palette.current, width=3))
        self._hover_frame.setBrush(None)
        self._button_boxes.setPen(pg.mkPen(palette.foreground, width=1))
        self._button_boxes.setBrush(pg.mkBrush(palette.neutral))

    def _restyle_images(self, palette: Palette) -> None:
        self._lut = self._colormap(palette).getLookupTable(nPts=256, alpha=True)
        self._paper = np.array(QColor(palette.background).getRgb(), dtype=float)
        self._positive = pg.mkBrush(colour_of(palette, "classes[1]"))
        self._negative = pg.mkBrush(colour_of(palette, "classes[0]"))
        self._atlas = None  # every picture is drawn again in the new colours
        if "images" in self._shown:
            self.set_images(*self._shown["images"])
        if self._biases:
            self._draw_biases()

    def _restyle_texts(self, palette: Palette) -> None:
        self._text_colour = palette.foreground
        for item in self._texts:
            item.setColor(palette.foreground)

    # -- layout -----------------------------------------------------------------------------------
    @property
    def layers(self) -> list[Layer]:
        return list(self._layers)

    def set_layers(self, layers: list[Layer]) -> None:
        """Lay the diagram out anew (clears weights, pictures and notes until they are given again)."""
        self._layers = list(layers)
        self._layout()
        self._weights, self._biases, self._notes = [], [], {}
        self._shown: dict[str, tuple] = {}
        self._image.clear()
        self._bias_key = None
        self._bias_marks.setData([], [])
        self._note_marks.setData([], [])
        self._set_hover_node((-1, -1))
        self._set_hover_value(None)

    def _layer_pitch(self) -> float:
        """The distance between layers that fills the view's width (within 1 to 2 × ``LAYER_PITCH``)."""
        layers = self._layers
        if len(layers) < 2:
            return LAYER_PITCH
        tallest = max(len(layer.nodes) for layer in layers)
        height = (tallest - 1) * NODE_PITCH + 1.0 + HEADER + 0.65
        width = max(self.width(), 1) / max(self.height(), 1) * height
        fit = (width - self._label_width() - 1.4) / (len(layers) - 1)
        return float(np.clip(fit, LAYER_PITCH, 2 * LAYER_PITCH))

    def _label_width(self) -> float:
        return max((len(node.label) for node in self._layers[0].nodes), default=0) * 0.32 + 0.3 if self._layers else 0

    def _layout(self) -> None:
        layers = self._layers
        self._pitch = pitch = self._layer_pitch()
        tallest = max((len(layer.nodes) for layer in layers), default=1)
        self._centres = []
        for k, layer in enumerate(layers):
            n = len(layer.nodes)
            ys = (n - 1) / 2 * NODE_PITCH - np.arange(n) * NODE_PITCH
            self._centres.append(np.column_stack([np.full(n, k * pitch), ys]))
        top = (tallest - 1) / 2 * NODE_PITCH + 0.5
        right = (len(layers) - 1) * pitch + 0.5
        self._bounds = QRectF(-0.5, -top, right + 0.5, 2 * top)
        self._links_layout()
        centres = np.vstack(self._centres) if self._centres else np.empty((0, 2))
        self._frames.setData(pos=centres)
        self._atlas = None
        self._layout_texts(top)
        left = -0.5 - self._label_width()
        self._view_box.setRange(xRange=(left, right + 0.3), yRange=(-top - 0.2, top + HEADER + 0.45), padding=0.02)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if getattr(self, "_layers", None) and abs(self._layer_pitch() - self._pitch) > 0.05 * self._pitch:
            self._layout()  # the same diagram, spread to the new width: draw what it showed again
            if self._weights:
                self._bias_key = None
                self._draw_links()
                self._draw_biases()
            if "images" in self._shown:
                self.set_images(*self._shown["images"])
            if "notes" in self._shown:
                self.set_notes(self._shown.pop("notes"))

    def _links_layout(self) -> None:
        starts, ends, index = [], [], []
        for k in range(len(self._layers) - 1):
            active = [i for i, node in enumerate(self._layers[k].nodes) if node.active]
            for row, i in enumerate(active):
                for column in range(len(self._layers[k + 1].nodes)):
                    starts.append(self._centres[k][i] + (0.5, 0.0))
                    ends.append(self._centres[k + 1][column] - (0.5, 0.0))
                    index.append((k, row, column))
        self._link_index = index
        starts_array = np.array(starts).reshape(-1, 2)
        ends_array = np.array(ends).reshape(-1, 2)
        self._link_ends = np.stack([starts_array, ends_array], axis=1) if index else np.empty((0, 2, 2))
        self._links.set_geometry(starts_array, ends_array, self._bounds.adjusted(-1, -1, 1, 1))

    def _layout_texts(self, top: float) -> None:
        for item in self._texts:
            item.setParentItem(None)
            if item.scene() is not None:
                item.scene().removeItem(item)
        self._texts = []
        self._buttons = []
        boxes = []
        for k, layer in enumerate(self._layers):
            x = k * self._pitch
            if layer.title:
                self._add_text(layer.title, x, top + HEADER, (0.5, 0.5))
            if layer.resizable:  # − title +
                for delta, dx, sign in ((-1, -BUTTON_OFFSET, "−"), (1, BUTTON_OFFSET, "+")):
                    centre = QPointF(x + dx, top + HEADER)
                    self._buttons.append((k, delta, QRectF(centre.x() - 0.31, centre.y() - 0.31, 0.62, 0.62)))
                    boxes.append((centre.x(), centre.y()))
                    self._add_text(sign, centre.x(), centre.y(), (0.5, 0.5), bold=True)
        if self._layers:
            for node, (x, y) in zip(self._layers[0].nodes, self._centres[0], strict=True):
                if node.label:
                    self._add_text(node.label, x - 0.6, y, (1.0, 0.5))
        self._button_boxes.setData(pos=np.array(boxes).reshape(-1, 2))

    def _add_text(self, text: str, x: float, y: float, anchor, bold: bool = False) -> None:
        item = pg.TextItem(anchor=anchor, color=self._text_colour)
        item.setHtml(f"<b>{text}</b>" if bold else text)
        item.setParentItem(self._text_group)
        item.setPos(x, y)
        self._texts.append(item)

    # -- where things are (data coordinates), for people's pointers and for tests ----------------------
    def node_position(self, layer: int, node: int) -> tuple[float, float]:
        x, y = self._centres[layer][node]
        return float(x), float(y)

    def link_position(self, k: int, row: int, column: int, along: float = 0.5) -> tuple[float, float]:
        start, end = self._link_ends[self._link_index.index((k, row, column))]
        point = start + along * (end - start)
        return float(point[0]), float(point[1])

    def bias_position(self, layer: int, node: int) -> tuple[float, float]:
        x, y = self._centres[layer][node]
        return float(x - 0.5), float(y - 0.5)

    def button_position(self, layer: int, delta: int) -> tuple[float, float]:
        for k, d, rect in self._buttons:
            if (k, d) == (layer, delta):
                return rect.center().x(), rect.center().y()
        raise KeyError(f"layer {layer} has no {delta:+d} button")

    def hit(self, point: QPointF) -> tuple | None:
        """What is under a point (data coordinates): ("button", layer, delta), ("node", layer, node),
        ("bias", layer, node), ("link", k, row, column), or None."""
        x, y = point.x(), point.y()
        for k, delta, rect in self._buttons:
            if rect.contains(point):
                return ("button", k, delta)
        width, height = self._view_box.viewPixelSize()
        for k in range(len(self._layers)):
            if k and len(self._biases) >= k:
                corners = self._centres[k] - 0.5
                near = np.hypot((corners[:, 0] - x) / width, (corners[:, 1] - y) / height) <= PICK_PIXELS
                if near.any():
                    return ("bias", k, int(np.argmax(near)))
            inside = (np.abs(self._centres[k][:, 0] - x) <= 0.5) & (np.abs(self._centres[k][:, 1] - y) <= 0.5)
            if inside.any():
                return ("node", k, int(np.argmax(inside)))
        if len(self._link_index) and self._weights:
            starts, ends = self._link_ends[:, 0], self._link_ends[:, 1]
            scale = np.array([width, height])
            a, b, p = starts / scale, ends / scale, np.array([x, y]) / scale
            direction = b - a
            t = np.clip(np.einsum("ij,ij->i", p - a, direction) / np.einsum("ij,ij->i", direction, direction), 0, 1)
            distance = np.hypot(*(a + t[:, None] * direction - p).T)
            nearest = int(np.argmin(distance))
            if distance[nearest] <= PICK_PIXELS:
                return ("link", *self._link_index[nearest])
        return None

    # -- numbers and pictures -------------------------------------------------------------------------
    def set_parameters(self, weights: list[np.ndarray], biases: list[np.ndarray]) -> None:
        """``weights[k]``: (active nodes of layer k, nodes of layer k + 1); ``biases[k]``: layer k + 1's biases."""
        self._weights = [np.asarray(w, dtype=float) for w in weights]
        self._biases = [np.asarray(b, dtype=float).ravel() for b in biases]
        self._draw_links()
        self._draw_biases()
        self._show_value()

    def weight(self, k: int, row: int, column: int) -> float:
        return float(self._weights[k][row, column])

    def _draw_links(self) -> None:
        if not self._link_index:
            self._links.set_weights(np.empty(0))
            return
        # lines are laid out matrix by matrix, row by row: the order of the matrices' flattened values
        self._links.set_weights(np.concatenate([w.ravel() for w in self._weights]))

    def _draw_biases(self) -> None:
        if not self._biases:
            return
        values = np.concatenate(self._biases)
        finite = np.where(np.isfinite(values), values, 0.0)
        sizes = np.round(4.0 + 6.0 * np.minimum(np.abs(finite), 1.0))  # whole pixels: most frames change none
        key = (sizes.tobytes(), (finite >= 0).tobytes(), self._positive.color().rgba())
        if key == self._bias_key:
            return
        self._bias_key = key
        corners = np.vstack(self._centres[1:]) - 0.5
        brushes = [self._positive if v >= 0 else self._negative for v in finite.tolist()]
        self._bias_marks.setData(pos=corners, size=sizes, brush=brushes, pen=None)

    def set_images(self, images: list[np.ndarray | None], levels: list[tuple[float, float]]) -> None:
        """Per layer, pictures ``(nodes, r, r)`` (row 0 at the bottom) mapped through the colour map between
        ``levels[k]``; None leaves a layer blank.  Non-finite values are drawn as the low level.  A layer given
        the very same array and levels as last time (pictures that do not change) is not redrawn."""
        previous = self._shown.get("images")
        self._shown["images"] = (images, levels)
        r = next((image.shape[-1] for image in images if image is not None), 0)
        if not r or not self._layers:
            return
        fresh = self._atlas is None or self._cell != r
        if fresh:
            self._cell = r
            self._atlas = np.zeros((round(self._bounds.height() * r), round(self._bounds.width() * r), 4), np.uint8)
        atlas = self._atlas
        for k, (layer, image) in enumerate(zip(self._layers, images, strict=False)):
            same = (
                not fresh
                and previous is not None
                and k < len(previous[0])
                and previous[0][k] is image
                and previous[1][k] == levels[k]
            )
            if same:
                continue
            cells = self._cells(k, r)
            if image is None:
                for row, column in cells:
                    atlas[row : row + r, column : column + r] = 0
                continue
            low, high = levels[k]
            span = high - low if high > low else 1.0
            values = np.nan_to_num(np.asarray(image, dtype=float), nan=low, posinf=high, neginf=low)
            index = np.clip(((values - low) / span * 255.0), 0, 255).astype(np.intp)
            colours = self._lut[index]  # (nodes, r, r, 4)
            for i, (node, (row, column)) in enumerate(zip(layer.nodes[: len(colours)], cells, strict=False)):
                cell = colours[i]
                if not node.active:
                    cell = (INACTIVE_STRENGTH * cell + (1 - INACTIVE_STRENGTH) * self._paper).astype(np.uint8)
                atlas[row : row + r, column : column + r] = cell
        self._image.setImage(atlas, autoLevels=False, levels=(0, 255))
        if fresh:
            self._image.setRect(self._bounds)

    def _cells(self, layer: int, r: int) -> list[tuple[int, int]]:
        """(row, column) of each node's picture in the packed image, ``r`` pixels per node."""
        left, bottom = self._bounds.left(), self._bounds.top()
        return [(round((y - 0.5 - bottom) * r), round((x - 0.5 - left) * r)) for x, y in self._centres[layer]]

    def clear_pictures(self) -> None:
        """No pictures (nothing to draw them from); the links and biases stay."""
        self._shown.pop("images", None)
        self._atlas = None
        self._image.clear()

    def set_notes(self, notes: dict[tuple[int, int], str]) -> None:
        """Mark these nodes ((layer, node) → a sentence added to its tooltip); an empty dict clears."""
        if notes == self._shown.get("notes"):
            return
        self._shown["notes"] = notes
        self._notes = {}
        points = []
        for (layer, node), text in notes.items():
            if layer < len(self._centres) and node < len(self._centres[layer]):
                self._notes.setdefault(layer, [""] * len(self._centres[layer]))[node] = text
                x, y = self._centres[layer][node]
                points.append((x + 0.5, y + 0.5))
        self._note_marks.setData(pos=np.array(points).reshape(-1, 2))

    def note(self, layer: int, node: int) -> str:
        return self._notes.get(layer, [""] * (node + 1))[node]

    def set_flowing(self, phase: float | None) -> None:
        """Dashes running along the links (offset ``phase`` pixels), or solid links (None)."""
        if phase is None and self._links.flow is None:
            return
        solid = phase is None or self._links.flow is None
        self._links.flow = phase
        if solid and self._weights:
            self._draw_links()  # dashes on or off: new pens
        else:
            self._links.move_dashes()

    # -- pointing ------------------------------------------------------------------------------------
    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Every move (pyqtgraph's scene drops moves closer than a frame apart: the last one may be where
        the pointer rests)."""
        super().mouseMoveEvent(event)
        if self._layers:
            self._pointed(self.mapToScene(event.position().toPoint()))

    def _pointed(self, scene_pos: QPointF) -> None:
        hit = self.hit(self._view_box.mapSceneToView(scene_pos))
        kind = hit[0] if hit else None
        self._set_hover_node((hit[1], hit[2]) if kind == "node" else (-1, -1))
        if kind == "link":
            self._set_hover_value(("weight", hit[1], hit[2], hit[3]))
        elif kind == "bias":
            self._set_hover_value(("bias", hit[1], 0, hit[2]))
        else:
            self._set_hover_value(None)
        if self._hover_value is not None:
            self._value_label.setPos(self._view_box.mapSceneToView(scene_pos) + QPointF(0.25, 0.25))
        self.setCursor(Qt.CursorShape.PointingHandCursor if hit else Qt.CursorShape.ArrowCursor)

    # as in the point editor: pyqtgraph's scene makes a click of a press and a release but leaves the
    # press unaccepted; the diagram takes every press (it is where a person clicks), so none goes astray
    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().mousePressEvent(event)
        event.accept()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().mouseReleaseEvent(event)
        event.accept()

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().leaveEvent(event)
        self._set_hover_node((-1, -1))
        self._set_hover_value(None)

    def _set_hover_node(self, node: tuple[int, int]) -> None:
        if node == self._hover_node:
            return
        self._hover_node = node
        layer, index = node
        self._hover_frame.setData(pos=[self._centres[layer][index]] if layer >= 0 else np.empty((0, 2)))
        self.node_hovered.emit(layer, index)

    def _set_hover_value(self, value: tuple | None) -> None:
        if value == self._hover_value:
            return
        self._hover_value = value
        index = None
        if value is not None and value[0] == "weight":
            index = self._link_index.index(value[1:])
        self._links.set_highlight(index, getattr(self, "_highlight_pen", QPen()))
        self._show_value()

    def _show_value(self) -> None:
        """The pointed-at link's or bias's value beside the pointer, as it is now."""
        value = self._hover_value
        shown = value is not None and (self._weights if value[0] == "weight" else self._biases)
        self._value_label.setVisible(bool(shown))
        if not shown:
            return
        kind, k, row, column = value
        number = self._weights[k][row, column] if kind == "weight" else self._biases[k - 1][column]
        self._value_label.setText(self.describe(kind, k, row, column, float(number)))

    @property
    def value_text(self) -> str:
        """What the label beside the pointer says ("" when it is hidden)."""
        return self._value_label.textItem.toPlainText() if self._value_label.isVisible() else ""

    def _clicked(self, hit: tuple) -> None:
        kind, *where = hit
        if kind == "button":
            self.resize_clicked.emit(*where)
        elif kind == "node":
            self.node_clicked.emit(*where)
        elif kind == "bias":
            self.bias_clicked.emit(*where)
        elif kind == "link":
            self.link_clicked.emit(*where)

    def tooltip_at(self, point: QPointF) -> str:
        hit = self.hit(point)
        if hit is None or hit[0] != "node":
            return ""
        _kind, layer, node = hit
        text = self._layers[layer].nodes[node].tooltip
        note = self.note(layer, node)
        return f"{text}\n{note}" if note else text

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.ToolTip and self._layers:
            scene = self.mapToScene(event.pos())
            text = self.tooltip_at(self._view_box.mapSceneToView(scene))
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)


def _describe(kind: str, k: int, row: int, column: int, value: float) -> str:
    return f"{kind} = {value:+.4g}"
