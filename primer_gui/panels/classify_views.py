"""The Classify tab's plots, each drawing what logistic regression's parameters say.

* :class:`SigmoidLine` — one feature: the points at the height of their class,
  the sigmoid p = σ(w·x + b) through them, each point joined to the curve, the
  threshold and the decision point where the curve crosses it;
* :class:`ProbabilityPlane` — two features: the probability as a heat map under
  the points (the ½ boundary and the 0.1 / 0.9 lines) and the threshold's line;
* :class:`ScoresPlot` — two features: every point placed by its score z on the sigmoid;
* :class:`ClassifyLandscape` — one feature: the probe's loss surface over (b, w),
  with the optimum, the path, and the downhill arrow;
* :class:`WeightSizePlot` — ‖w‖ over the steps.

The model is three numbers, so the curves and the map are computed here; what
needs every point (the landscape, the counts) comes from the probe.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from ..core.activations import sigmoid
from ..widgets.boxed_text import boxed_text
from ..widgets.heat_map import HeatMap
from ..widgets.landscape_view import LandscapeView
from ..widgets.plots import Plot, nice_ceiling
from ..widgets.point_editor import PointEditor
from .classify_probe import DRAWABLE, GRID

CLASSES = ("class 0", "class 1")
#: points drawn on the scores plot, and joined to the curve on the line (they move every frame)
MAX_SCORED = 400
#: the probability map's resolution
MAP_RESOLUTION = 64
#: the landscape's losses: menu text → the probe's surface
LANDSCAPE_LOSSES = {"cross-entropy": "cross_entropy", "mean squared error": "mse"}
EDITOR_TIP = (
    "Left-click: add a class-1 point · right-click: add a class-0 point (or delete the point under it) · "
    "drag · hover over a point for its own loss"
)


def logit(probability: float) -> float:
    return math.log(probability / (1 - probability))


def dotted_line(plot: Plot, angle: float = 0, role: str = "foreground", style=Qt.PenStyle.DotLine) -> pg.InfiniteLine:
    line = pg.InfiniteLine(angle=angle, movable=False)
    return plot.themed(line, lambda p: line.setPen(pg.mkPen(getattr(p, role), width=1.5, style=style)))


class SigmoidLine:
    def __init__(self):
        self.editor = PointEditor("Numbers, their class, and p(class 1)", "x", "class  /  p", classes=CLASSES)
        self.editor.setToolTip(EDITOR_TIP)
        plot = self.editor
        self.distances = plot.curve("residual", width=1.5, connect="pairs")
        self.curve = plot.curve("fit", width=2.5)
        self.threshold_line = dotted_line(plot)
        self.decision_line = dotted_line(plot, angle=90, role="fit", style=Qt.PenStyle.DashLine)
        self.decision_text = plot.text("fit", anchor=(0.0, 0.0))

    def frame(self) -> None:
        self.editor.frame_points(margin=0.08)
        self.editor.view_box.setYRange(-0.3, 1.3, padding=0)

    def draw(self, bias: float, weight: float, threshold: float) -> None:
        (x0, x1), _ = self.editor.view_box.viewRange()
        xs = np.linspace(x0, x1, 241)
        self.curve.setData(xs, sigmoid(weight * xs + bias))
        self.threshold_line.setValue(threshold)
        crossing = (logit(threshold) - bias) / weight if weight != 0 else math.nan
        shown = bool(math.isfinite(crossing) and x0 <= crossing <= x1)
        self.decision_line.setVisible(shown)
        self.decision_text.setVisible(True)
        if shown:
            self.decision_line.setValue(crossing)
            formula = "−b / w" if threshold == 0.5 else "(ln(t / (1 − t)) − b) / w"
            self.decision_text.setText(f"decision point x = {formula} = {crossing:.3g}")
        else:
            where = "flat" if weight == 0 else "off the chart"
            self.decision_text.setText(f"the curve meets p = {threshold:g} {where}")
        self.decision_text.setPos(x0, 1.28)
        # each drawn point (up to MAX_SCORED) joined to the curve: how far its probability is from its label
        points = self.editor.points[self.editor.drawn_indices[:MAX_SCORED]]
        pairs = np.empty((2 * len(points), 2))
        pairs[0::2] = points
        pairs[1::2, 0] = points[:, 0]
        pairs[1::2, 1] = sigmoid(weight * points[:, 0] + bias)
        self.distances.setData(pairs[:, 0], pairs[:, 1], connect="pairs")

    def clear(self) -> None:
        self.curve.setData([], [])
        self.distances.setData([], [])
        self.decision_line.setVisible(False)
        self.decision_text.setVisible(False)


class ProbabilityPlane:
    def __init__(self):
        self.editor = PointEditor("Points over p(class 1)", "x₁", "x₂", classes=CLASSES)
        self.editor.setToolTip(EDITOR_TIP)
        self.heat = HeatMap(self.editor, label="p(class 1)")
        self.threshold_line = self.editor.curve("foreground", width=1.5, style=Qt.PenStyle.DotLine)

    def frame(self) -> None:
        self.editor.frame_points(margin=0.1)

    def draw(self, bias: float, weights: np.ndarray, threshold: float) -> None:
        (x0, x1), (y0, y1) = self.editor.view_box.viewRange()
        xs, ys = np.linspace(x0, x1, MAP_RESOLUTION), np.linspace(y0, y1, MAP_RESOLUTION)
        self.heat.set_map(sigmoid(weights[0] * xs[None, :] + weights[1] * ys[:, None] + bias), (x0, x1), (y0, y1))
        if threshold == 0.5 or not np.any(weights):
            self.threshold_line.setData([], [])  # the heat map's bold line is the ½ boundary
            return
        # the threshold's line: w·x + b = ln(t / (1 − t)), across the view
        level = logit(threshold) - bias
        if abs(weights[1]) >= abs(weights[0]):
            line_x = np.array([x0, x1])
            line_y = (level - weights[0] * line_x) / weights[1]
        else:
            line_y = np.array([y0, y1])
            line_x = (level - weights[1] * line_y) / weights[0]
        self.threshold_line.setData(line_x, line_y)

    def clear(self) -> None:
        self.heat.clear()
        self.threshold_line.setData([], [])


class ScoresPlot(Plot):
    def __init__(self):
        super().__init__("Every point by its score z = w·x + b", "score z", "class  /  p")
        self.getPlotItem().getViewBox().setMouseEnabled(False, False)
        self.sigmoid_curve = self.curve("fit", width=2.5)
        self.dots = [self.scatter(f"classes[{c}]", pen="point_edge", size=7) for c in (0, 1)]
        self.threshold_line = dotted_line(self)
        self._jitter = np.empty(0)

    def draw(self, editor: PointEditor, bias: float, weights: np.ndarray, threshold: float) -> None:
        drawn = editor.drawn_indices[:MAX_SCORED]
        z = editor.points[drawn] @ weights + bias
        labels = editor.labels[drawn]
        if self._jitter.size != drawn.size:  # a little height, so points with the same score stay apart
            self._jitter = np.random.default_rng(0).uniform(-0.07, 0.07, drawn.size)
        for label, dots in enumerate(self.dots):
            mine = labels == label
            dots.setData(z[mine], label + self._jitter[mine])
        reach = nice_ceiling(max(float(np.max(np.abs(z))) if z.size else 0.0, 4.0))
        zs = np.linspace(-reach, reach, 241)
        self.sigmoid_curve.setData(zs, sigmoid(zs))
        self.threshold_line.setValue(threshold)
        self.getPlotItem().getViewBox().setRange(xRange=(-reach, reach), yRange=(-0.2, 1.2), padding=0)

    def clear(self) -> None:
        for item in (self.sigmoid_curve, *self.dots):
            item.setData([], [])


class ClassifyLandscape(LandscapeView):
    def __init__(self):
        super().__init__("Cross-entropy", "bias b", "weight w")
        self.note = boxed_text(self, anchor=(0.0, 1.0))
        self.note.setVisible(False)
        self._surface_key: tuple | None = None

    def forget_surface(self) -> None:
        """Draw the surface again at the next :meth:`draw` (a setting it depends on changed)."""
        self._surface_key = None

    def draw(
        self, extra: dict, path: np.ndarray, bias: float, weight: float, kind: str, l2: float, learning_rate: float
    ) -> None:
        """The probe's surface of loss ``kind`` (+ L2·w²), its optimum, the ``path`` (rows b, w, …) and the arrow:
        the next step, −learning rate × the training loss's gradient, to scale."""
        land = extra.get("landscape")
        if land is None:
            return
        b0, b1, w0, w1 = land["extent"]
        key = (land["version"], kind, l2)
        if key != self._surface_key:
            self._surface_key = key
            ws = np.linspace(w0, w1, GRID)
            self.set_surface(land[kind] + l2 * ws[None, :] ** 2, (b0, b1), (w0, w1))
            self.set_title("Cross-entropy" if kind == "cross_entropy" else "Squared error of p")
            notes = []
            if l2:
                notes.append(f"+ L2 × w² (L2 = {l2:g})")
            if kind == "mse":
                notes.append("flat where σ saturates")
            if land["points_used"] < land["points"]:
                notes.append(f"from {land['points_used']:,} of {land['points']:,} points")
            self.note.setText("\n".join(notes))
            self.note.setVisible(bool(notes))
            self.note.setPos(b0, w0)
        optimum = extra.get("optimum")
        self.clear_optimum() if optimum is None else self.set_optimum(*optimum)
        if path.size:
            path = path[np.max(np.abs(path[:, :2]), axis=1) <= DRAWABLE]
        self.set_path(path[:, 0], path[:, 1]) if path.size else self.set_path([], [])
        if max(abs(bias), abs(weight)) > DRAWABLE:  # diverged far off the map
            self.arrow.hide()
            return
        self.set_current(bias, weight)
        self.arrow.show(bias, weight, tuple(-learning_rate * np.array(extra["gradient"])))

    def clear_picture(self) -> None:
        super().clear_picture()
        self.note.setVisible(False)
        self._surface_key = None


class WeightSizePlot(Plot):
    """‖w‖ over the steps; the axes move in nice steps, only when the curve outgrows them."""

    def __init__(self):
        super().__init__("Size of the weights ‖w‖", "step", "size")
        self.getPlotItem().getViewBox().setMouseEnabled(False, False)
        self.size_curve = self.curve("loss", width=2)
        self._latest = self.dots("loss", size=8)
        self._range: tuple | None = None

    def draw(self, history) -> None:
        steps, sizes = history.steps, history.values("weight_size")
        finite = np.isfinite(sizes)
        steps, sizes = steps[finite], sizes[finite]
        self.size_curve.setData(steps, sizes)
        self._latest.setData(steps[-1:], sizes[-1:])
        right = nice_ceiling(max(float(steps[-1]) if steps.size else 0.0, 10.0))
        top = nice_ceiling(float(sizes.max()) if sizes.size else 1.0)
        if self._range != (right, top):
            self._range = (right, top)
            self.getPlotItem().getViewBox().setRange(xRange=(0, right), yRange=(0, top), padding=0.02)

    def clear(self) -> None:
        self.size_curve.setData([], [])
        self._latest.setData([], [])
