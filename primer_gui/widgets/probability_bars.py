"""Horizontal bars for a few labelled probabilities, best at the top, each with its label and value.

Made for a model's top guesses moving while it trains: the bars are made once
and updated in place, the labels are one :class:`~.text_layer.TextLayer`, and
the axis stays 0…1 so a bar's length always means the same.  Each bar may have
its own palette colour (a kind of word, say).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from .palette import Palette
from .plots import Plot, colour_of
from .text_layer import TextLayer


class ProbabilityBars(Plot):
    def __init__(self, title: str = "", count: int = 8, x_label: str = "probability", parent=None):
        super().__init__(title, x_label, "", parent=parent)
        self.count = count
        self._roles: list[str] = []
        self._values = np.zeros(0)
        self.bars = pg.BarGraphItem(x0=np.zeros(0), y=np.zeros(0), height=0.72, width=np.zeros(0))
        self.themed(self.bars, self._restyle)
        self.labels = TextLayer(anchor=(0.0, 0.5), offset=4)
        self.themed(self.labels, lambda p: self.labels.set_colour(p.foreground), ignore_bounds=True)
        self.note = self.text("foreground", anchor=(0.5, 0.5))
        item = self.getPlotItem()
        item.hideAxis("left")
        view = item.getViewBox()
        view.setMouseEnabled(x=False, y=False)
        view.setRange(xRange=(0.0, 1.0), yRange=(-0.6, count - 0.4), padding=0.0)
        view.disableAutoRange()

    def set_bars(self, labels: list[str], values: list[float], roles: list[str] | None = None) -> None:
        """The first ``count`` labels and values (0…1), best first; ``roles``: each bar's palette colour."""
        labels, values = list(labels)[: self.count], np.clip(np.asarray(values, dtype=float)[: self.count], 0, 1)
        self._roles = list(roles or ["loss"] * len(labels))[: len(labels)]
        self._values = values
        self._draw()
        rows = np.array([self._row(i) for i in range(len(labels))], dtype=float)
        self.labels.set_texts(
            np.column_stack([values, rows]),
            [f"{label}  {100 * v:.1f} %" for label, v in zip(labels, values, strict=True)],
        )
        self.note.setVisible(False)

    def shown_labels(self) -> list[str]:
        """The bars' labels, best first."""
        return list(self.labels.texts)

    def show_note(self, text: str) -> None:
        """No bars, a sentence in their place (nothing to show, or why not)."""
        self.set_bars([], [])
        self.note.setText(text)
        self.note.setPos(0.5, (self.count - 1) / 2)
        self._wrap_note()
        self.note.setVisible(True)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._wrap_note()

    def _wrap_note(self) -> None:
        """The note wraps inside the plot (one long line was cut off at both sides)."""
        item = self.getPlotItem()
        if item is None or not hasattr(self, "note"):
            return  # (a resize while the plot is being built or closed)
        width = item.getViewBox().width()
        if width > 0:
            self.note.setTextWidth(0.92 * width)

    def _row(self, index: int) -> float:
        return float(self.count - 1 - index)

    def _draw(self) -> None:
        palette = self.palette
        n = len(self._values)
        brushes = [pg.mkBrush(colour_of(palette, role)) for role in self._roles]
        self.bars.setOpts(
            x0=np.zeros(n), y=np.array([self._row(i) for i in range(n)]), width=self._values, brushes=brushes
        )

    def _restyle(self, palette: Palette) -> None:
        self.bars.setOpts(pen=pg.mkPen(None))
        if self.palette is not None and len(self._values):
            self._draw()
