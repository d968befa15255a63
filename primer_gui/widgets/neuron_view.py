"""One neuron's weighted sum as a diagram: inputs × weights, added up, with the live numbers.

Each input, named with its value on the left, is joined to the sum node Σ by
an edge that carries its weight; an edge's width is the size of what that input
adds (input × weight) and its colour that contribution's sign, in the weight
bars' colours.  Under the diagram the products are added up in numbers.  A
constant input of 1 whose weight is a bias is just another input here: the
widget knows nothing of what the numbers mean.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from .palette import Palette
from .plots import Plot, colour_of

#: the widest edge, in pixels (the largest contribution)
MAX_EDGE_WIDTH = 7.0
INPUT_X, SUM_X, OUTPUT_X = 3.0, 7.2, 8.1
#: where along an edge its weight is written (0: at the input, 1: at the sum)
WEIGHT_AT = 0.3


class NeuronView(Plot):
    def __init__(self, title: str = "The neuron", inputs: int = 3, parent=None):
        super().__init__(title, parent=parent)
        plot_item = self.getPlotItem()
        plot_item.hideAxis("bottom")
        plot_item.hideAxis("left")
        view = plot_item.getViewBox()
        view.setMouseEnabled(False, False)
        view.setRange(xRange=(-0.1, 11.0), yRange=(-1.2, inputs + 0.1), padding=0)
        view.disableAutoRange()
        self._count = inputs
        self._ys = np.arange(inputs, 0, -1, dtype=float) - 0.5
        self._middle = float(self._ys.mean())
        self._edges = []
        self._weights = []
        for y in self._ys:
            edge = pg.PlotDataItem([INPUT_X, SUM_X], [y, self._middle])
            self.addItem(edge)
            self._edges.append(edge)
            label = self.text(anchor=(0.5, 1.0))
            label.setPos(INPUT_X + WEIGHT_AT * (SUM_X - INPUT_X), y + WEIGHT_AT * (self._middle - y))
            self._weights.append(label)
        self._node = self.scatter("background", pen="foreground", size=26)
        self._node.setData([SUM_X], [self._middle])
        self._node.setZValue(5)
        self._sum_sign = self.text(anchor=(0.5, 0.5), text="Σ")
        self._sum_sign.setPos(SUM_X, self._middle)
        self._sum_sign.setZValue(6)
        self._output_edge = self.curve("foreground", width=1.5)
        self._output_edge.setData([SUM_X, OUTPUT_X - 0.1], [self._middle, self._middle])
        self._input_texts = [self.text(anchor=(1.0, 0.5)) for _ in range(inputs)]
        for text, y in zip(self._input_texts, self._ys, strict=True):
            text.setPos(INPUT_X - 0.1, y)
        self._output_text = self.text(anchor=(0.0, 0.5))
        self._output_text.setPos(OUTPUT_X, self._middle)
        self._formula = self.text(anchor=(0.5, 0.5))
        self._formula.setPos(5.45, -0.7)
        self._contributions = np.zeros(inputs)
        self._restyle_edges(self.palette)

    def apply_theme(self, palette: Palette) -> None:
        super().apply_theme(palette)
        if hasattr(self, "_contributions"):  # Plot.__init__ themes before the edges exist
            self._restyle_edges(palette)

    def _restyle_edges(self, palette: Palette) -> None:
        largest = float(np.max(np.abs(self._contributions))) if self._contributions.size else 0.0
        for edge, value in zip(self._edges, self._contributions, strict=True):
            share = abs(value) / largest if largest > 0 and np.isfinite(largest) else 0.0
            colour = colour_of(palette, "classes[1]" if value >= 0 else "classes[0]")
            edge.setPen(pg.mkPen(colour, width=1.0 + (MAX_EDGE_WIDTH - 1.0) * share))

    def set_values(
        self, names: list[str], inputs: np.ndarray, weights: np.ndarray, output_name: str, digits: int = 4
    ) -> None:
        """Show ``output = Σ inputs·weights`` for these inputs (named) and weights."""
        inputs = np.asarray(inputs, dtype=float)
        weights = np.asarray(weights, dtype=float)
        if inputs.shape != (self._count,) or weights.shape != (self._count,):
            raise ValueError(f"this neuron has {self._count} inputs")
        with np.errstate(all="ignore"):
            self._contributions = inputs * weights
            output = float(self._contributions.sum())
        for text, name, value in zip(self._input_texts, names, inputs, strict=True):
            _set_text(text, f"{name}\n{value:.{digits}g}")
        for label, weight in zip(self._weights, weights, strict=True):
            _set_text(label, f"× {weight:.{digits}g}")
        _set_text(self._output_text, f"{output:.{digits}g}\n{output_name}")
        terms = " + ".join(f"{c:.{digits}g}" for c in self._contributions)
        _set_text(self._formula, f"{terms} = {output:.{digits}g}")
        self._restyle_edges(self.palette)


def _set_text(item: pg.TextItem, text: str) -> None:
    """Set a label only when it changes: laying out text is most of what a redraw costs here."""
    if item.toPlainText() != text:
        item.setText(text)
