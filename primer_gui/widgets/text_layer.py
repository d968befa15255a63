"""Many short texts at data positions, drawn by one item in one paint.

A pyqtgraph ``TextItem`` is a ``QGraphicsTextItem``: each keeps a text document,
lays it out when its text changes and is painted on its own, so seventy moving
labels cost several milliseconds a frame.  A :class:`TextLayer` keeps only the
strings, their positions and colours, measures each string once, and draws them
all with ``QPainter.drawText`` at a constant size on screen, whatever the zoom.

Each text is placed by its ``anchor``, as a ``TextItem`` is: (0, 0.5) puts the
text's left end, halfway up, at its point; (0.5, 0.5) centres it there.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF


class TextLayer(pg.GraphicsObject):
    def __init__(self, anchor: tuple[float, float] = (0.0, 0.5), offset: float = 0.0, font: QFont | None = None):
        """``offset``: pixels between a point and its text's anchor, to the right."""
        super().__init__()
        self.anchor = anchor
        self.offset = offset
        self.font = QFont(font) if font is not None else QFont()
        self.bold_font = QFont(self.font)
        self.bold_font.setBold(True)
        self._metrics = (QFontMetricsF(self.font), QFontMetricsF(self.bold_font))
        self.positions = np.zeros((0, 2))
        self.texts: list[str] = []
        self.colours: list[QColor] = []
        self.bold: list[bool] = []
        self.colour = QColor("#000000")
        self._widths: dict[tuple[str, bool], float] = {}

    def set_colour(self, colour: str | QColor) -> None:
        """The colour of texts given none of their own."""
        self.colour = QColor(colour)
        self.update()

    def set_texts(
        self,
        positions: np.ndarray,
        texts: Sequence[str],
        colours: Sequence[str | QColor | None] | None = None,
        bold: Sequence[bool] | None = None,
    ) -> None:
        """Texts at these positions (data coordinates), each in its colour (None: the layer's) and weight."""
        positions = np.asarray(positions, dtype=float).reshape(-1, 2)
        n = len(texts)
        if positions.shape[0] != n:
            raise ValueError(f"{positions.shape[0]} positions for {n} texts")
        self.positions = positions
        self.texts = list(texts)
        self.colours = [None if c is None else QColor(c) for c in colours] if colours is not None else [None] * n
        self.bold = list(bold) if bold is not None else [False] * n
        self.update()

    def text_size(self, text: str, bold: bool = False) -> tuple[float, float]:
        """A text's width and height on screen (pixels)."""
        key = (text, bold)
        width = self._widths.get(key)
        metrics = self._metrics[bold]
        if width is None:
            width = self._widths[key] = metrics.horizontalAdvance(text)
        return width, metrics.height()

    # -- QGraphicsItem ----------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        # the texts keep their size on screen whatever the zoom: the item claims the visible area
        rect = self.viewRect()
        return QRectF() if rect is None else rect

    def viewTransformChanged(self) -> None:  # noqa: N802 (pyqtgraph's name)
        self.prepareGeometryChange()

    def paint(self, painter, *_args) -> None:
        if not self.texts:
            return
        transform = painter.transform()
        painter.resetTransform()
        ax, ay = self.anchor
        fonts = (self.font, self.bold_font)
        current = None
        for (x, y), text, colour, bold in zip(self.positions, self.texts, self.colours, self.bold, strict=True):
            if not (np.isfinite(x) and np.isfinite(y)):
                continue
            point = transform.map(QPointF(x, y))
            width, height = self.text_size(text, bold)
            metrics = self._metrics[bold]
            if current != bold:
                painter.setFont(fonts[bold])
                current = bold
            painter.setPen(colour if colour is not None else self.colour)
            left = point.x() + self.offset - ax * width
            baseline = point.y() - ay * height + metrics.ascent()
            painter.drawText(QPointF(left, baseline), text)
