"""The Activations tab's plots.

* :class:`ActivationGallery` — every activation f(z) and its slope f′(z) on two
  plots, the one looked at drawn thick with its saturated inputs shaded, and
  the hand-built neuron's z marked on both;
* :class:`NeuronView` — the neuron's output over the plane of its two inputs,
  with the line where its weighted sum is 0 and the input it is given;
* :class:`NetworkMap` — one network's probability map under the data, with its
  accuracy and loss written on it;
* :class:`AccuracyPlot` — both networks' accuracy over the steps and the majority baseline.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from ..core.activations import ACTIVATIONS, Activation
from ..training.engine import Snapshot
from ..widgets.boxed_text import boxed_text
from ..widgets.heat_map import HeatMap
from ..widgets.palette import Palette
from ..widgets.plots import Plot, colour_of, nice_ceiling
from .activations_probe import EXTENT

#: the gallery's inputs
Z = np.linspace(-5.0, 5.0, 401)
#: a slope smaller than this (in size) counts as saturated: a gradient passing back shrinks 100-fold
SATURATED = 0.01
#: each activation's colour (palette roles), fixed so a function keeps its colour
ROLES = {
    "linear": "foreground",
    "sigmoid": "fit",
    "tanh": "loss",
    "relu": "series[0]",
    "leaky_relu": "series[1]",
    "elu": "series[2]",
    "gelu": "series[3]",
    "softplus": "batch",
}
#: the neuron's inputs span this square
NEURON_RANGE = (-3.0, 3.0)
NEURON_RESOLUTION = 61


def saturated_runs(slope: np.ndarray) -> list[tuple[float, float]]:
    """The stretches of ``Z`` where ``|slope| < SATURATED``, as (start, end)."""
    flat = np.abs(slope) < SATURATED
    edges = np.flatnonzero(np.diff(flat.astype(int)))
    starts = [0] + list(edges + 1)
    ends = list(edges) + [len(Z) - 1]
    return [(float(Z[a]), float(Z[b])) for a, b in zip(starts, ends, strict=True) if flat[a]]


def _still(plot: Plot, x_range, y_range) -> None:
    view = plot.getPlotItem().getViewBox()
    view.setMouseEnabled(False, False)
    view.setRange(xRange=x_range, yRange=y_range, padding=0)


class ActivationGallery:
    def __init__(self):
        self.function_plot = Plot("Activation functions f(z)", "z, the weighted sum", "f(z)")
        self.derivative_plot = Plot("Their slopes f′(z)", "z, the weighted sum", "f′(z)")
        self._legend = self.function_plot.getPlotItem().addLegend(offset=(8, 8), labelTextSize="8pt")
        self.regions: dict[Plot, list[pg.LinearRegionItem]] = {}
        for plot, y_range in ((self.function_plot, (-1.6, 3.2)), (self.derivative_plot, (-0.25, 1.25))):
            _still(plot, (Z[0], Z[-1]), y_range)
            self.regions[plot] = [self._region(plot) for _ in range(2)]
        self.function_curves, self.derivative_curves = {}, {}
        for name, activation in ACTIVATIONS.items():
            self.function_curves[name] = self.function_plot.curve(ROLES[name], width=2)
            self.function_curves[name].setData(Z, activation.forward(Z))
            self.derivative_curves[name] = self.derivative_plot.curve(ROLES[name], width=2)
            self.derivative_curves[name].setData(Z, activation.derivative(Z))
        self.region_text = self.derivative_plot.text(anchor=(0.0, 0.0))
        self.beyond_text = self.derivative_plot.text("current")
        self.beyond_text.setVisible(False)
        self.function_dot = self.function_plot.scatter("current", pen="#000000", size=11)
        self.derivative_dot = self.derivative_plot.scatter("current", pen="#000000", size=11)
        for dot in (self.function_dot, self.derivative_dot):
            dot.setZValue(10)

    @staticmethod
    def _region(plot: Plot) -> pg.LinearRegionItem:
        region = pg.LinearRegionItem(movable=False)

        def style(palette: Palette) -> None:
            region.setBrush(pg.mkBrush(palette.region))
            for line in region.lines:
                line.setPen(pg.mkPen(None))

        plot.themed(region, style, ignore_bounds=True)
        region.setZValue(-20)
        return region

    def show(self, looked: str, compared: set[str], palette: Palette) -> None:
        """Draw ``looked`` thick with its saturated inputs shaded, and the ``compared`` ones thin."""
        self._legend.clear()
        for name in ACTIVATIONS:
            shown = name == looked or name in compared
            width = 3.5 if name == looked else 1.5
            for curve in (self.function_curves[name], self.derivative_curves[name]):
                curve.setVisible(shown)
                curve.setPen(pg.mkPen(colour_of(palette, ROLES[name]), width=width))
            if shown:
                self._legend.addItem(self.function_curves[name], name)
        runs = saturated_runs(ACTIVATIONS[looked].derivative(Z))
        for regions in self.regions.values():
            for index, region in enumerate(regions):
                region.setVisible(index < len(runs))
                if index < len(runs):
                    region.setRegion(runs[index])
        self.region_text.setVisible(bool(runs))
        if runs:
            start, end = max(runs, key=lambda run: run[1] - run[0])
            self.region_text.setText("dead: f′ = 0" if looked == "relu" else f"saturated:\n|f′| < {SATURATED:g}")
            at_left = start <= Z[0]
            self.region_text.setAnchor((0.0, 0.0) if at_left else (1.0, 0.0))
            self.region_text.setPos(start if at_left else end, 1.2)

    def mark(self, z: float, a: float, slope: float) -> None:
        """Where the neuron's weighted sum ``z`` falls on the function and on its slope (at the edge, if beyond)."""
        shown = float(np.clip(z, Z[0], Z[-1]))
        self.function_dot.setData([shown], [a])
        self.derivative_dot.setData([shown], [slope])
        self.beyond_text.setVisible(shown != z)
        if shown != z:
            self.beyond_text.setText(f"z = {z:.3g} {'→' if z > 0 else '←'}")
            self.beyond_text.setAnchor((1.0, 1.0) if z > 0 else (0.0, 1.0))
            self.beyond_text.setPos(shown, -0.2)


class NeuronView(Plot):
    def __init__(self):
        super().__init__("Neuron output a = f(z)", "x₁", "x₂")
        _still(self, NEURON_RANGE, NEURON_RANGE)
        self.map = HeatMap(
            self, lambda p: pg.colormap.get(p.diverging_colormap), levels=(), bold=None, value_range=None, label="a"
        )
        self.zero_line = self.curve("optimum", width=2, style=Qt.PenStyle.DashLine)
        self.zero_text = self.text("optimum", anchor=(0.0, 1.0))
        self.input_dot = self.scatter("current", pen="#000000", size=13)
        self.input_dot.setZValue(10)

    def draw(self, activation: Activation, x1: float, x2: float, w1: float, w2: float, b: float) -> None:
        """The output over the plane (colours centred on 0), the line z = 0 and the input (x₁, x₂)."""
        axis = np.linspace(*NEURON_RANGE, NEURON_RESOLUTION)
        output = activation.forward(w1 * axis[None, :] + w2 * axis[:, None] + b)
        reach = float(np.max(np.abs(output))) or 1.0
        self.map.set_map(output, NEURON_RANGE, NEURON_RANGE, value_range=(-reach, reach))
        self.input_dot.setData([x1], [x2])
        low, high = NEURON_RANGE
        if w1 == 0 and w2 == 0:
            self.zero_line.setData([], [])
            self.zero_text.setVisible(False)
            return
        if abs(w2) >= abs(w1):
            xs = np.array([low, high])
            ys = -(b + w1 * xs) / w2
        else:
            ys = np.array([low, high])
            xs = -(b + w2 * ys) / w1
        self.zero_line.setData(xs, ys)
        inside = (xs >= low) & (xs <= high) & (ys >= low) & (ys <= high)
        self.zero_text.setVisible(bool(inside.any()))
        if inside.any():
            end = int(np.flatnonzero(inside)[-1])
            self.zero_text.setText("z = 0")
            self.zero_text.setPos(float(np.clip(xs[end], low, high - 0.8)), float(np.clip(ys[end], low + 0.4, high)))


class NetworkMap(Plot):
    def __init__(self, title: str):
        super().__init__(title, "x₁", "x₂")
        _still(self, EXTENT, EXTENT)
        self.heat = HeatMap(self, bar=False)
        self.dots = [self.scatter(f"classes[{c}]", pen="point_edge", size=6) for c in (0, 1)]
        self.words = boxed_text(self)
        self.words.setPos(EXTENT[0], EXTENT[1])

    def set_points(self, rows: np.ndarray) -> None:
        for label, scatter in enumerate(self.dots):
            mine = rows[rows[:, 2] == label]
            scatter.setData(mine[:, 0], mine[:, 1])

    def draw(self, snapshot: Snapshot) -> None:
        grid = snapshot.extra.get("map")
        if grid is None:
            return
        self.heat.set_map(grid, EXTENT, EXTENT)
        accuracy = snapshot.history.latest("accuracy")
        low, high = float(np.min(grid)), float(np.max(grid))
        same = "\nthe same answer everywhere" if high - low < 0.02 else ""
        self.words.setText(
            f"accuracy {accuracy:.3f} · loss {snapshot.loss:.3f} · step {snapshot.step:,}\n"
            f"p(class 1) from {low:.2f} to {high:.2f} here{same}"
        )


class AccuracyPlot(Plot):
    def __init__(self):
        super().__init__("Accuracy while training", "step", "accuracy")
        self.getPlotItem().getViewBox().setMouseEnabled(False, False)
        self._legend = self.getPlotItem().addLegend(offset=(-8, -8), labelTextSize="8pt")
        self.nonlinear_curve = self.curve("loss", width=2)
        self.linear_curve = self.curve("series[0]", width=2)
        self.baseline_line = pg.InfiniteLine(angle=0, movable=False)
        self.themed(
            self.baseline_line,
            lambda p: self.baseline_line.setPen(pg.mkPen(p.foreground, width=1.5, style=Qt.PenStyle.DotLine)),
        )
        self.baseline_line.setZValue(-1)  # under the linear network's curve, which lies on it
        self.baseline_text = self.text(anchor=(0.0, 0.0))

    def set_names(self, nonlinear: str) -> None:
        self._legend.clear()
        self._legend.addItem(self.nonlinear_curve, f"{nonlinear} network")
        self._legend.addItem(self.linear_curve, "linear network")

    def set_baseline(self, baseline: float) -> None:
        self.baseline_line.setValue(baseline)
        self.baseline_text.setText(f"majority baseline {baseline:.3f}")

    def draw(self, nonlinear_history, linear_history) -> None:
        last = 0.0
        for history, curve in ((nonlinear_history, self.nonlinear_curve), (linear_history, self.linear_curve)):
            steps, values = history.steps, history.values("accuracy")
            finite = np.isfinite(values)
            curve.setData(steps[finite], values[finite])
            if steps.size:
                last = max(last, float(steps[-1]))
        right = nice_ceiling(max(last, 10.0))
        self.getPlotItem().getViewBox().setRange(xRange=(0, right), yRange=(0.0, 1.05), padding=0.02)
        self.baseline_text.setPos(0.02 * right, self.baseline_line.value())
