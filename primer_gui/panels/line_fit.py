"""The Line fit tab: linear regression with one feature, trained by gradient descent.

Shows the data with the current line and its residuals, the mean-squared-error
landscape over (intercept, slope) with the path taken, two slices through it
whose tangents are the partial derivatives, the loss curve, and the arithmetic
of a single step.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..core import LinearRegression
from ..core.datasets import HOUSE_PRICE_LABEL, HOUSE_SIZE_LABEL, house_prices
from ..core.landscape import LinearStatistics, linear_mse_grid
from ..core.trainer import StepReport, Trainer
from ..glossary import link
from ..training.runner import Snapshot
from ..widgets.explanation import Explanation
from ..widgets.landscape_view import LandscapeView
from ..widgets.loss_curve import LossCurve
from ..widgets.palette import LIGHT, Palette
from ..widgets.point_editor import PointEditor
from ..widgets.slice_view import SliceView
from ..widgets.step_inspector import StepInspector
from .base import ConceptPanel

GRID = 121
#: above this full-data MSE the parameters are too far out to draw the landscape and slices
#: (their grids, 1.25× wider than the path, would overflow float64); the last picture stays
DRAWABLE_LOSS = 1e100
#: rows of the batch shown in the step inspector
INSPECTED_ROWS = 3

EXPLANATION = f"""
<p>Each dot is a house: its size and its price. The red line is the model's guess,
<i>price = {link("intercept")} + {link("slope")} × size</i>. The faint red segments are the
{link("residual", "residuals")}: how far each price is from the line. The {link("loss")} is the
{link("mean squared error")}, the average of those distances squared.</p>
<p>The coloured map is the {link("loss landscape")}: the loss for every (intercept, slope). The star is
the best line (the {link("closed form")}), also drawn as the dashed green line; the white path is where
{link("gradient descent")} has been; the red arrow points downhill, against the {link("gradient")}
(its length is fixed: it shows the direction). Each step moves (intercept, slope) by
−{link("learning rate")} × gradient. The two slices below cut through the landscape; the dashed tangent's
slope is that parameter's {link("partial derivative")}.</p>
"""

MOVED_ON_HTML = (
    "<p style='color:gray'>This is step {step}, the last one taken with Step; training has moved on since "
    "(see the status bar). Press Step (→ or S) to pause and inspect the next update.</p>"
)
NO_DATA_HTML = "<p style='color:gray'>No houses to learn from: click the data plot to add some.</p>"

HINT = (
    "press Step a few times and read each update on the right; then set the learning rate just above the "
    "stable limit shown under it and press Play. Click the data plot to add a point while it trains."
)


class LineFitPanel(ConceptPanel):
    title = "Line fit"
    key = "line_fit"
    columns = ("size", "price")

    def __init__(self, *, seed: int = 0, threaded: bool = True, parent=None):
        self.seed = seed
        X, y = house_prices(30, 0.3, seed)
        super().__init__(LinearRegression(), np.column_stack([X[:, 0], y]), threaded=threaded, parent=parent)
        self._stats: LinearStatistics | None = None
        self._optimum: tuple[float, float] | None = None
        self._extent: tuple[float, float, float, float] | None = None
        self._snapshot: Snapshot | None = None
        self._shown: tuple[StepReport, bool] | None = None  # the inspector's report, and if training moved on
        self._build()
        self.apply_theme(LIGHT)
        self._on_initial_changed()
        self.data_shown(self.data.rows)
        self.data_plot.frame_points(include_origin=True)

    # -- layout ------------------------------------------------------------------------
    def _build(self) -> None:
        self.data_plot = PointEditor("Houses: size and price", HOUSE_SIZE_LABEL, HOUSE_PRICE_LABEL)
        self.data_plot.setToolTip("Click to add a house · drag one to move it · right-click one to delete it")
        self._residuals = pg.PlotDataItem(pen=pg.mkPen(LIGHT.residual, width=1.5), connect="pairs")
        self._line = pg.PlotDataItem(pen=pg.mkPen(LIGHT.fit, width=2.5))
        self._ghost = pg.PlotDataItem(pen=pg.mkPen(LIGHT.ghost, width=2, style=pg.QtCore.Qt.PenStyle.DashLine))
        for item in (self._ghost, self._residuals, self._line):
            self.data_plot.addItem(item)
        self._off_chart = pg.TextItem()
        self._off_chart.setVisible(False)
        self.data_plot.addItem(self._off_chart, ignoreBounds=True)
        self.landscape = LandscapeView("Loss landscape (MSE)", "intercept", "slope")
        self.loss_curve = LossCurve()
        self.intercept_slice = SliceView("Loss vs intercept", "intercept (slope held fixed)")
        self.slope_slice = SliceView("Loss vs slope", "slope (intercept held fixed)")
        self.inspector = StepInspector()

        plots = QGridLayout()
        plots.addWidget(self.data_plot, 0, 0)
        plots.addWidget(self.landscape, 0, 1)
        plots.addWidget(self.loss_curve, 0, 2)
        plots.addWidget(self.intercept_slice, 1, 0)
        plots.addWidget(self.slope_slice, 1, 1)
        plots.addWidget(self.inspector, 1, 2)
        plots.setRowStretch(0, 3)
        plots.setRowStretch(1, 2)
        right = QWidget()
        right.setLayout(plots)

        self.explanation = Explanation(EXPLANATION, HINT)
        self.explanation.term_clicked.connect(self.term_requested)
        side = QVBoxLayout()
        side.addWidget(self.message)
        side.addWidget(self.explanation)
        side.addWidget(self.controls)
        side.addWidget(self._build_data_box())
        side.addWidget(self._build_initial_box())
        side.addWidget(self._build_view_box())
        side.addStretch(1)
        side_widget = QWidget()
        side_widget.setLayout(side)
        scroll = QScrollArea()
        scroll.setWidget(side_widget)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(320)

        splitter = QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 1020])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

        self.data_plot.point_added.connect(self._on_data_plot_point_added)
        self.data_plot.point_moved.connect(self._on_data_plot_point_moved)
        self.data_plot.point_deleted.connect(self.data.delete)

    def _build_data_box(self) -> QGroupBox:
        self.points_box = QSpinBox()
        self.points_box.setRange(2, 1000)
        self.points_box.setValue(len(self.data))
        self.noise_box = QDoubleSpinBox()
        self.noise_box.setRange(0.0, 5.0)
        self.noise_box.setSingleStep(0.05)
        self.noise_box.setValue(0.3)
        new_data = QPushButton("New data")
        new_data.setToolTip("Draw a fresh set of houses (undoable)")
        new_data.clicked.connect(self._on_new_data_clicked)
        form = QFormLayout()
        form.addRow("Points", self.points_box)
        form.addRow("Noise", self.noise_box)
        form.addRow(new_data)
        box = QGroupBox("Data")
        box.setLayout(form)
        return box

    def _build_initial_box(self) -> QGroupBox:
        self.initial_mode = QComboBox()
        self.initial_mode.addItems(["random", "typed"])
        self.initial_seed = QSpinBox()
        self.initial_seed.setRange(0, 1_000_000)
        self.initial_seed.setValue(self.seed)
        self.initial_intercept = QDoubleSpinBox()
        self.initial_slope = QDoubleSpinBox()
        for box in (self.initial_intercept, self.initial_slope):
            box.setRange(-100.0, 100.0)
            box.setDecimals(3)
            box.setSingleStep(0.1)
        form = QFormLayout()
        form.addRow("Start", self.initial_mode)
        form.addRow("Seed", self.initial_seed)
        form.addRow("Intercept", self.initial_intercept)
        form.addRow("Slope", self.initial_slope)
        box = QGroupBox("Initial parameters (used by Reset)")
        box.setLayout(form)
        self.initial_mode.currentTextChanged.connect(self._on_initial_changed)
        self.initial_seed.valueChanged.connect(self._on_initial_changed)
        self.initial_intercept.valueChanged.connect(self._on_initial_changed)
        self.initial_slope.valueChanged.connect(self._on_initial_changed)
        return box

    def _build_view_box(self) -> QGroupBox:
        self.ghost_check = QCheckBox("Show the best line (closed form)")
        self.ghost_check.setChecked(True)
        self.ghost_check.toggled.connect(self._ghost.setVisible)
        self.log_check = QCheckBox("Loss curve on a log scale")
        self.log_check.toggled.connect(self.loss_curve.set_log_scale)
        layout = QVBoxLayout()
        layout.addWidget(self.ghost_check)
        layout.addWidget(self.log_check)
        box = QGroupBox("View")
        box.setLayout(layout)
        return box

    def apply_theme(self, palette: Palette) -> None:
        super().apply_theme(palette)
        self._residuals.setPen(pg.mkPen(palette.residual, width=1.5))
        self._line.setPen(pg.mkPen(palette.fit, width=2.5))
        self._ghost.setPen(pg.mkPen(palette.ghost, width=2, style=pg.QtCore.Qt.PenStyle.DashLine))
        self._off_chart.setColor(palette.fit)

    # -- initial parameters ------------------------------------------------------------------
    def initial_params(self) -> tuple[float, float]:
        """(intercept, slope) to start from: drawn from the seed, or as typed."""
        if self.initial_mode.currentText() == "random":
            intercept, slope = np.random.default_rng(self.initial_seed.value()).normal(0.0, 1.0, 2)
            return float(intercept), float(slope)
        return self.initial_intercept.value(), self.initial_slope.value()

    def _show_initial_mode(self) -> bool:
        typed = self.initial_mode.currentText() == "typed"
        self.initial_seed.setEnabled(not typed)
        self.initial_intercept.setEnabled(typed)
        self.initial_slope.setEnabled(typed)
        return typed

    def _on_initial_changed(self, *_args) -> None:
        if not self._show_initial_mode():
            intercept, slope = self.initial_params()
            with QSignalBlocker(self.initial_intercept), QSignalBlocker(self.initial_slope):
                self.initial_intercept.setValue(intercept)
                self.initial_slope.setValue(slope)
        self.reset()

    def reset(self) -> None:
        super().reset()
        intercept, slope = self.initial_params()
        self._extent = None
        self.inspector.clear_report()
        self._shown = None
        self.runner.edit(lambda trainer: trainer.set_params(weights=[slope], bias=intercept))

    # -- session ----------------------------------------------------------------------------------
    def settings_state(self) -> dict:
        return {
            **super().settings_state(),
            "data_seed": self.seed,
            "noise": self.noise_box.value(),
            "initial_mode": self.initial_mode.currentText(),
            "initial_seed": self.initial_seed.value(),
            "initial_intercept": self.initial_intercept.value(),
            "initial_slope": self.initial_slope.value(),
            "show_best_line": self.ghost_check.isChecked(),
            "log_loss": self.log_check.isChecked(),
        }

    def load_settings(self, settings: dict, trainer: Trainer) -> None:
        super().load_settings(settings, trainer)
        self.seed = int(settings.get("data_seed", self.seed))
        boxes = (self.noise_box, self.initial_mode, self.initial_seed, self.initial_intercept, self.initial_slope)
        blockers = [QSignalBlocker(box) for box in boxes]  # restoring these must not reset training
        self.noise_box.setValue(float(settings.get("noise", self.noise_box.value())))
        if settings.get("initial_mode") in ("random", "typed"):
            self.initial_mode.setCurrentText(settings["initial_mode"])
        self.initial_seed.setValue(int(settings.get("initial_seed", self.initial_seed.value())))
        self.initial_intercept.setValue(float(settings.get("initial_intercept", self.initial_intercept.value())))
        self.initial_slope.setValue(float(settings.get("initial_slope", self.initial_slope.value())))
        del blockers
        self._show_initial_mode()
        self.ghost_check.setChecked(bool(settings.get("show_best_line", True)))
        self.log_check.setChecked(bool(settings.get("log_loss", False)))

    # -- data edits ----------------------------------------------------------------------------
    def _on_data_plot_point_added(self, x: float, y: float) -> None:
        self.data.add((x, y))

    def _on_data_plot_point_moved(self, index: int, x: float, y: float, drag: int) -> None:
        self.data.move(index, (x, y), drag)

    def _on_new_data_clicked(self) -> None:
        self.seed += 1
        X, y = house_prices(self.points_box.value(), self.noise_box.value(), self.seed)
        self.data.replace(np.column_stack([X[:, 0], y]), "New data")
        self.data_plot.frame_points(include_origin=True)

    def data_shown(self, rows: np.ndarray) -> None:
        self.data_plot.set_points(rows)
        with QSignalBlocker(self.points_box):
            self.points_box.setValue(max(len(rows), 2))
        if len(rows) == 0:
            self._stats = self._optimum = None
            self.controls.set_stable_limit(None)
            self._show_no_data()
            return
        X, y = self.split(rows)
        self._stats = LinearStatistics.from_data(X, y)
        reference = LinearRegression()
        reference.set_data(X, y)
        best = reference.closed_form()
        self._optimum = (float(best["bias"]), float(best["weights"][0]))
        self.controls.set_stable_limit(reference.stable_learning_rate())
        self._extent = None
        if self._snapshot is not None:
            self.show_snapshot(self._snapshot)

    # -- snapshots -------------------------------------------------------------------------------
    def track(self, trainer: Trainer) -> np.ndarray:
        return np.array([float(trainer._params["bias"]), float(trainer._params["weights"][0])])

    def divergence_advice(self, learning_rate: float) -> str:
        limit = self.controls.stable_limit
        if limit is None or learning_rate <= limit:  # mini-batches can diverge below it
            return f"the learning rate {learning_rate:g} is too large for these batches; lower it."
        return f"the learning rate {learning_rate:g} is above the stable limit ≈ {limit:.3g}."

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        bias = float(snapshot.params["bias"])
        slope = float(snapshot.params["weights"][0])
        if self._stats is None:
            self._show_no_data()
            return
        self.loss_curve.set_history(snapshot.history_steps, snapshot.history_losses, snapshot.epoch_steps)
        self._draw_fit(bias, slope)
        with np.errstate(over="ignore", invalid="ignore"):
            full_loss = self._stats.mse(np.array([slope]), bias)
        if full_loss < DRAWABLE_LOSS:
            self._draw_landscape(snapshot.path, bias, slope)
            self._draw_slices(bias, slope)
        report = snapshot.report
        if report is not None and snapshot.report_batch is not None:
            # snapshots repeat the last Step's report until the next one: render it once, and once
            # more when training moves past it, so the page never passes for the current step
            moved_on = snapshot.step > report.step  # (a rejected step's number is one past the last)
            if self._shown is None or self._shown[0] is not report or self._shown[1] != moved_on:
                self._shown = (report, moved_on)
                html = inspector_html(report, *snapshot.report_batch, None if moved_on else snapshot.loss)
                if moved_on:
                    html = MOVED_ON_HTML.format(step=report.step) + html
                self.inspector.show_report(html)

    def _show_no_data(self) -> None:
        """With every point deleted nothing is drawn: a picture of data that is gone would mislead."""
        for item in (self._line, self._residuals, self._ghost):
            item.setData([], [])
        self._off_chart.setVisible(False)
        self.landscape.clear_picture()
        self.intercept_slice.clear_picture()
        self.slope_slice.clear_picture()
        empty = np.empty(0)
        self.loss_curve.set_history(empty, empty, empty)
        self.inspector.clear_report(NO_DATA_HTML)
        self._shown = None

    def _draw_fit(self, bias: float, slope: float) -> None:
        x_range, (y_low, y_high) = self.data_plot.view_box.viewRange()
        xs = np.array(x_range)
        ys = bias + slope * xs
        self._line.setData(xs, ys)
        # a line that misses the view would seem to have vanished: say where it went
        off_chart = bool(ys.max() < y_low or ys.min() > y_high)
        if off_chart:
            above = ys.min() > y_high
            self._off_chart.setText(f"{'↑' if above else '↓'} line off the chart\nb = {bias:.3g}, w = {slope:.3g}")
            self._off_chart.setPos(xs[0], y_high if above else y_low)
            self._off_chart.setAnchor((0.0, 0.0) if above else (0.0, 1.0))
        self._off_chart.setVisible(off_chart)
        best_bias, best_slope = self._optimum
        self._ghost.setData(xs, best_bias + best_slope * xs)
        points = self.data_plot.points
        pairs = np.empty((2 * len(points), 2))
        pairs[0::2] = points
        pairs[1::2, 0] = points[:, 0]
        pairs[1::2, 1] = bias + slope * points[:, 0]
        self._residuals.setData(pairs[:, 0], pairs[:, 1])

    def _landscape_extent(self, path: np.ndarray, bias: float, slope: float) -> tuple[float, float, float, float]:
        """A square-ish window around the optimum that holds the start and the path."""
        best_bias, best_slope = self._optimum
        points = np.vstack([path.reshape(-1, 2), [[bias, slope]]]) if path.size else np.array([[bias, slope]])
        reach_b = max(float(np.max(np.abs(points[:, 0] - best_bias))) * 1.25, 0.5)
        reach_w = max(float(np.max(np.abs(points[:, 1] - best_slope))) * 1.25, 0.5)
        return best_bias - reach_b, best_bias + reach_b, best_slope - reach_w, best_slope + reach_w

    def _draw_landscape(self, path: np.ndarray, bias: float, slope: float) -> None:
        inside = self._extent is not None and (
            self._extent[0] <= bias <= self._extent[1] and self._extent[2] <= slope <= self._extent[3]
        )
        if not inside:
            self._extent = self._landscape_extent(path, bias, slope)
            b0, b1, w0, w1 = self._extent
            surface = linear_mse_grid(
                self._stats, np.array([slope]), bias, 0, np.linspace(b0, b1, GRID), 1, np.linspace(w0, w1, GRID)
            )
            self.landscape.set_surface(surface, (b0, b1), (w0, w1))
            self.landscape.set_optimum(*self._optimum)
        if path.size:
            self.landscape.set_path(path[:, 0], path[:, 1])
        grad_w, grad_b = self._stats.mse_gradient(np.array([slope]), bias)
        self.landscape.set_current(bias, slope, (-grad_b, -float(grad_w[0])))

    def _draw_slices(self, bias: float, slope: float) -> None:
        b0, b1, w0, w1 = self._extent
        weights = np.array([slope])
        loss = self._stats.mse(weights, bias)
        grad_w, grad_b = self._stats.mse_gradient(weights, bias)
        bs = np.linspace(b0, b1, GRID)
        ws = np.linspace(w0, w1, GRID)
        along_b = linear_mse_grid(self._stats, weights, bias, 0, bs, 1, [slope])[:, 0]
        along_w = linear_mse_grid(self._stats, weights, bias, 0, [bias], 1, ws)[0]
        self.intercept_slice.set_slice(bs, along_b, bias, loss, grad_b)
        self.slope_slice.set_slice(ws, along_w, slope, loss, float(grad_w[0]))


def inspector_html(report: StepReport, X: np.ndarray, y: np.ndarray, loss_after: float | None = None) -> str:
    """One update of ``price = b + w·size`` as a worked example, from the trainer's own report.

    The arithmetic comes first (it is the point of a step) and the batch's rows last.  The loss in
    the report is the batch's, before the update, which is what the gradient is taken of;
    ``loss_after`` (the whole data's loss after the update, as the status bar and loss curve show
    it) is printed beside it so the two numbers are never mistaken for one another.
    """
    b = float(report.params_before["bias"])
    w = float(report.params_before["weights"][0])
    grad_b = float(report.gradients["bias"])
    grad_w = float(report.gradients["weights"][0])
    lr = report.learning_rate
    x = X[:, 0]
    n = len(x)
    predicted = b + w * x
    rows = "".join(
        f"<tr><td>{xi:.4g}</td><td>{yi:.4g}</td><td>{pi:.4g}</td><td>{yi - pi:+.3g}</td></tr>"
        for xi, yi, pi in zip(x[:INSPECTED_ROWS], y[:INSPECTED_ROWS], predicted[:INSPECTED_ROWS], strict=True)
    )
    more = f"<tr><td colspan=4>… and {n - INSPECTED_ROWS} more</td></tr>" if n > INSPECTED_ROWS else ""
    batch = f"{n} point{'s' if n != 1 else ''}"
    if report.diverged:
        header = f"Step {report.step} — rejected: the loss overflowed"
        outcome = "<p style='color:#c0392b'><b>Not applied</b>: the parameters stay at b, w above.</p>"
    else:
        header = f"Step {report.step} (epoch {report.epoch} done)"
        new_b = float(report.params_after["bias"])
        new_w = float(report.params_after["weights"][0])
        after = "" if loss_after is None else f"<br>Loss on all points after the step: <b>{loss_after:.6g}</b>"
        outcome = (
            f"<p>new <b>b</b> = b − learning rate × ∂L/∂b = {b:.6g} − {lr:g} × ({grad_b:.4g}) = <b>{new_b:.6g}</b><br>"
            f"new <b>w</b> = w − learning rate × ∂L/∂w = {w:.6g} − {lr:g} × ({grad_w:.4g}) = <b>{new_w:.6g}</b>"
            f"{after}</p>"
        )
    return f"""
<h3 style='margin-bottom:4px'>{header}</h3>
<p>Before the step: intercept b = {b:.6g}, slope w = {w:.6g}; a batch of <b>{batch}</b>.</p>
<p><b>Loss on this batch</b> = mean((y − ŷ)²) = <b>{report.loss:.6g}</b><br>
∂L/∂b = −2/n · Σ(y − ŷ) = <b>{grad_b:.6g}</b><br>
∂L/∂w = −2/n · Σ(y − ŷ)·x = <b>{grad_w:.6g}</b></p>
{outcome}
<table border=1 cellspacing=0 cellpadding=2 style='white-space:nowrap'>
<tr><th>x (size)</th><th>y (price)</th><th>ŷ = b + w·x</th><th>y − ŷ</th></tr>{rows}{more}</table>
"""
