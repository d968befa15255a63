"""The Line fit tab: linear regression with one feature, trained by gradient descent.

Shows the data with the current line and its residuals, the mean-squared-error
landscape over (intercept, slope) with the path taken, two slices through it
whose tangents are the partial derivatives, the loss curve, and the arithmetic
of a single step.  Feature scaling (standardizing the size) turns the long
valley of raw units into a round bowl; the line is always drawn in the data's
own units.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QLabel, QSpinBox, QVBoxLayout

from ..core import LinearRegression
from ..core.datasets import HOUSE_PRICE_LABEL, HOUSE_SIZE_LABEL, house_prices
from ..core.landscape import LinearStatistics, linear_mse_grid
from ..core.trainer import StepReport
from ..training.engine import Snapshot
from ..widgets.data_box import DataBox
from ..widgets.landscape_view import LandscapeView
from ..widgets.loss_curve import SCALES, LossCurve
from ..widgets.number_box import NumberBox
from ..widgets.plots import compact
from ..widgets.point_editor import PointEditor
from ..widgets.slice_view import SliceView
from ..widgets.step_inspector import StepInspector
from .line_fit_probe import LineFitProbe
from .line_fit_text import EXPLANATION, HINT, NO_DATA_HTML, inspector_html
from .point_data import PointDataPanel

GRID = 121
#: above this full-data MSE the parameters are too far out to draw (the grids, 1.25× wider than
#: the path, would overflow float64): the landscape frames the part of the path it can draw
DRAWABLE_LOSS = 1e100
FAR_OUT = "The map ends where the loss overflows: it shows the last part of the path that can be drawn."


class LineFitPanel(PointDataPanel):
    columns = ("size", "price")
    labels = (HOUSE_SIZE_LABEL, HOUSE_PRICE_LABEL)
    explanation_html = EXPLANATION
    hint = HINT
    #: slow enough to watch each step (and inspect it); "max" is one click away
    default_speed = "30 updates/s"
    #: beyond this many points residual segments would be a solid wedge over the data: not drawn
    MAX_RESIDUALS = 1000

    def __init__(self, *, seed: int = 0, threaded: bool = True, parent=None):
        self.seed = seed
        X, y = house_prices(30, 0.3, seed)
        self._stats: LinearStatistics | None = None
        self._optimum: tuple[float, float] | None = None  # in the trainer's (bias, weight)
        self._best_line: tuple[float, float] | None = None  # in the data's units
        self._extent: tuple[float, float, float, float] | None = None
        self._snapshot: Snapshot | None = None
        rows = np.column_stack([X[:, 0], y])
        super().__init__(LinearRegression(), LineFitProbe(), rows, threaded=threaded, parent=parent)
        self.data_shown(self.data.rows)
        self.data_plot.frame_points(include_origin=True)
        self.reset()

    # -- layout ------------------------------------------------------------------------------------
    def build(self) -> None:
        super().build()
        self.data_plot = PointEditor("Houses: size and price", HOUSE_SIZE_LABEL, HOUSE_PRICE_LABEL)
        self.data_plot.setToolTip("Click to add a house · drag one to move it · right-click one to delete it")
        dashed = Qt.PenStyle.DashLine
        self._ghost = self.data_plot.curve("ghost", width=2, style=dashed)
        self._residuals = self.data_plot.curve("residual", width=1, connect="pairs")
        self._line = self.data_plot.curve("fit", width=2.5)
        self._off_chart = self.data_plot.text("fit")
        self._off_chart.setVisible(False)
        self.connect_editor(self.data_plot)
        self.landscape = LandscapeView("Loss landscape (MSE)", "intercept b", "slope w")
        self.loss_curve = LossCurve()
        self.intercept_slice = SliceView("Loss vs intercept", "intercept (slope held fixed)")
        self.slope_slice = SliceView("Loss vs slope", "slope (intercept held fixed)")
        self.inspector = StepInspector(self._inspector_html, NO_DATA_HTML)
        self.add_plot(self.data_plot, 0, 0)
        self.add_plot(self.landscape, 0, 1)
        self.add_plot(self.loss_curve, 0, 2)
        self.add_plot(self.intercept_slice, 1, 0)
        self.add_plot(self.slope_slice, 1, 1)
        self.add_plot(self.inspector, 1, 2)
        self.grid.setRowStretch(0, 3)
        self.grid.setRowStretch(1, 2)
        self.add_side(self._build_data_box())
        self.add_side(self._build_initial_box())
        self.add_side(self._build_view_box())

    def _build_data_box(self) -> QGroupBox:
        self.data_box = DataBox(points=(2, 1000, 30), noise=(0.0, 5.0, 0.3), seed=self.seed)
        self.data_box.new_data_requested.connect(self._on_data_box_new_data_requested)
        self.scaling_check = QCheckBox("Feature scaling (standardize the size)")
        self.scaling_check.setToolTip(
            "Feature scaling: train on (size − mean) / spread instead of the raw size. The loss bowl becomes "
            "round and one learning rate suits both directions. The line is still drawn in the data's units."
        )
        self.scaling_check.toggled.connect(self._on_scaling_check_toggled)
        self.data_box.layout().addRow(self.scaling_check)
        for name, widget in (
            ("points", self.data_box.points_box),
            ("noise", self.data_box.noise_box),
            ("data_seed", self.data_box.seed_box),
            ("scaling", self.scaling_check),
        ):
            self.settings.add(name, widget)
        return self.data_box

    def _build_initial_box(self) -> QGroupBox:
        self.initial_mode = QComboBox()
        self.initial_mode.addItems(["random", "typed"])
        self.initial_mode.setToolTip("Start Reset from a random draw (by the seed) or from the values typed below")
        self.initial_seed = QSpinBox()
        self.initial_seed.setRange(0, 1_000_000)
        self.initial_seed.setValue(self.seed)
        self.initial_intercept = NumberBox(-1e6, 1e6, value=0.0)
        self.initial_slope = NumberBox(-1e6, 1e6, value=0.0)
        for box in (self.initial_intercept, self.initial_slope):
            box.setToolTip("The trainer's own parameter (with feature scaling on, the slope is per unit of spread)")
        self.initial_draw = QLabel()
        self.initial_draw.setToolTip("What the seed draws; Reset starts from it")
        form = QFormLayout()
        form.addRow("Start", self.initial_mode)
        form.addRow("Seed", self.initial_seed)
        form.addRow("", self.initial_draw)
        form.addRow("Intercept", self.initial_intercept)
        form.addRow("Slope", self.initial_slope)
        box = QGroupBox("Initial parameters (used by Reset)")
        box.setLayout(form)
        self.initial_mode.currentTextChanged.connect(self._show_initial_mode)
        self.initial_seed.valueChanged.connect(self._show_initial_mode)
        self._show_initial_mode()
        for name, widget in (
            ("initial_mode", self.initial_mode),
            ("initial_seed", self.initial_seed),
            ("initial_intercept", self.initial_intercept),
            ("initial_slope", self.initial_slope),
        ):
            self.settings.add(name, widget)
        return box

    def _build_view_box(self) -> QGroupBox:
        self.ghost_check = QCheckBox("Show the best line (closed form)")
        self.ghost_check.setChecked(True)
        self.ghost_check.toggled.connect(self._ghost.setVisible)
        self.scale_box = QComboBox()
        self.scale_box.addItems(list(SCALES))
        self.scale_box.setToolTip("auto: a log scale once the loss spans two decades")
        self.scale_box.currentTextChanged.connect(self.loss_curve.set_scale)
        row = QFormLayout()
        row.addRow("Loss curve scale", self.scale_box)
        layout = QVBoxLayout()
        layout.addWidget(self.ghost_check)
        layout.addLayout(row)
        box = QGroupBox("View")
        box.setLayout(layout)
        self.settings.add("show_best_line", self.ghost_check)
        self.settings.add("loss_scale", self.scale_box)
        return box

    # -- initial parameters ------------------------------------------------------------------------
    def initial_params(self) -> dict:
        """(intercept, slope) to start from: drawn from the seed, or as typed."""
        if self.initial_mode.currentText() == "random":
            intercept, slope = np.random.default_rng(self.initial_seed.value()).normal(0.0, 1.0, 2)
        else:
            intercept, slope = self.initial_intercept.value(), self.initial_slope.value()
        return {"weights": [float(slope)], "bias": float(intercept)}

    def _show_initial_mode(self, *_args) -> None:
        """Typed values are editable only when typed; a seed shows what it draws (Reset applies either)."""
        typed = self.initial_mode.currentText() == "typed"
        self.initial_seed.setEnabled(not typed)
        self.initial_intercept.setEnabled(typed)
        self.initial_slope.setEnabled(typed)
        self.initial_draw.setVisible(not typed)
        if not typed:
            params = self.initial_params()
            self.initial_draw.setText(f"draws b = {params['bias']:.3g}, w = {params['weights'][0]:.3g}")

    def reset(self) -> None:
        self._extent = None
        super().reset()

    # -- data ----------------------------------------------------------------------------------------
    def _on_data_box_new_data_requested(self, _name: str, points: int, noise: float, _seed: int) -> None:
        self.data_box.next_seed()
        X, y = house_prices(points, noise, self.data_box.seed_box.value())
        if self.replace_data(np.column_stack([X[:, 0], y]), "new data"):
            self.data_plot.frame_points(include_origin=True)

    def _on_scaling_check_toggled(self, on: bool) -> None:
        self.runner.configure(scaling=on)
        self._extent = None
        self.data_shown(self.data.rows)
        self.reset()

    def data_imported(self, rows: np.ndarray, header: list[str]) -> None:
        self.data_plot.frame_points(include_origin=True)
        self.reset()
        limit, rate = self.controls.stable_limit, self.controls.learning_rate()
        if limit is not None and rate > limit:
            safe = self.safe_learning_rate()

            def use_safe() -> None:
                self.runner.set("learning_rate", safe)

            self.show_message(
                f"In this data's units the learning rate {rate:g} is above the stable limit ≈ {limit:.2g}: "
                "every step would overshoot further. Lower it, or turn on feature scaling (below, in Data).",
                (f"Use {safe:.2g}", use_safe),
            )

    def safe_learning_rate(self) -> float | None:
        limit = self.controls.stable_limit
        return None if limit is None else float(f"{0.9 * limit:.2g}")

    def session_probe(self, settings: dict) -> LineFitProbe:
        return LineFitProbe(scaling=settings.get("scaling", self.scaling_check.isChecked()))

    def after_session_loaded(self) -> None:
        self._show_initial_mode()
        self._ghost.setVisible(self.ghost_check.isChecked())
        self.loss_curve.set_scale(self.scale_box.currentText())
        self.data_plot.frame_points(include_origin=True)
        self._extent = None

    def data_shown(self, rows: np.ndarray) -> None:
        self.data_plot.set_points(rows)
        self.data_plot.setLabel("bottom", self.header[0])
        self.data_plot.setLabel("left", self.header[1])
        scaled = self.runner.probe.scaling
        # scaled, the bowl is round: drawn with equal units on both axes, it looks it
        self.landscape.getPlotItem().getViewBox().setAspectLocked(scaled)
        self.landscape.setLabel("left", "slope w (per spread of size)" if scaled else "slope w")
        if self.data_box.points_box.minimum() <= len(rows) <= self.data_box.points_box.maximum():
            with QSignalBlocker(self.data_box.points_box):
                self.data_box.points_box.setValue(len(rows))
        self._extent = None
        if len(rows) == 0:
            self._stats = self._optimum = self._best_line = None
            self.controls.set_stable_limit(None)
            self._show_no_data()
            return
        X, y = self.runner.probe.data(rows)  # as the trainer sees them (scaled or not)
        self._stats = LinearStatistics.from_data(X, y)
        reference = LinearRegression()
        reference.set_data(X, y)
        best = reference.closed_form()
        self._optimum = (float(best["bias"]), float(best["weights"][0]))
        self._best_line = self.runner.probe.line(*self._optimum)
        self.controls.set_stable_limit(reference.stable_learning_rate())

    def divergence_advice(self, learning_rate: float) -> str:
        limit = self.controls.stable_limit
        if limit is None or learning_rate <= limit:  # mini-batches can diverge below it
            return f"the learning rate {learning_rate:g} is too large for these batches"
        return f"the learning rate {learning_rate:g} is above the stable limit ≈ {limit:.3g}"

    # -- snapshots ---------------------------------------------------------------------------------------
    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        self.inspector.show_snapshot(snapshot)
        if self._stats is None or not snapshot.has_data or not snapshot.params:
            self._show_no_data()
            return
        bias = float(snapshot.params["bias"])
        slope = float(snapshot.params["weights"][0])
        self.loss_curve.set_history(snapshot.history)
        self._draw_fit(*self.runner.probe.line(bias, slope))
        self._draw_landscape(snapshot, bias, slope)
        report = snapshot.report
        current = report is not None and snapshot.revision == snapshot.report_revision and not report.diverged
        partial = current and report.batch.size < snapshot.n_points
        self.data_plot.highlight(report.batch if partial else None)

    def _show_no_data(self) -> None:
        """With every point deleted nothing is drawn: a picture of data that is gone would mislead."""
        for item in (self._line, self._residuals, self._ghost):
            item.setData([], [])
        self._off_chart.setVisible(False)
        self.data_plot.highlight(None)
        self.landscape.clear_picture()
        self.intercept_slice.clear_picture()
        self.slope_slice.clear_picture()
        self.loss_curve.clear_picture()

    def _draw_fit(self, intercept: float, slope: float) -> None:
        x_range, (y_low, y_high) = self.data_plot.view_box.viewRange()
        xs = np.array(x_range)
        ys = intercept + slope * xs
        self._line.setData(xs, ys)
        # a line that misses the view would seem to have vanished: say where it went
        off_chart = bool(ys.max() < y_low or ys.min() > y_high)
        if off_chart:
            above = ys.min() > y_high
            self._off_chart.setText(f"{'↑' if above else '↓'} line off the chart\nb = {intercept:.3g}, w = {slope:.3g}")
            self._off_chart.setPos(xs[0], y_high if above else y_low)
            self._off_chart.setAnchor((0.0, 0.0) if above else (0.0, 1.0))
        self._off_chart.setVisible(off_chart)
        best_intercept, best_slope = self._best_line
        self._ghost.setData(xs, best_intercept + best_slope * xs)
        # each residual is a segment from a point to the line; too many would hide the data under a wedge
        points = self.data_plot.points if len(self.data_plot.points) <= self.MAX_RESIDUALS else np.empty((0, 2))
        pairs = np.empty((2 * len(points), 2))
        pairs[0::2] = points
        pairs[1::2, 0] = points[:, 0]
        pairs[1::2, 1] = intercept + slope * points[:, 0]
        self._residuals.setData(pairs[:, 0], pairs[:, 1], connect="pairs")

    def _mse(self, bias: float, slope: float) -> float:
        with np.errstate(all="ignore"):
            value = self._stats.mse(np.array([slope]), bias)
        return value if np.isfinite(value) else np.inf

    def _landscape_extent(self, points: np.ndarray) -> tuple[float, float, float, float]:
        """A window around the optimum that holds the given (bias, slope) points."""
        best_bias, best_slope = self._optimum
        reach_b = max(float(np.max(np.abs(points[:, 0] - best_bias))) * 1.25, 0.5)
        reach_w = max(float(np.max(np.abs(points[:, 1] - best_slope))) * 1.25, 0.5)
        return best_bias - reach_b, best_bias + reach_b, best_slope - reach_w, best_slope + reach_w

    @np.errstate(over="ignore", invalid="ignore")  # (its grid is framed to stay finite; inf is clipped if not)
    def _draw_landscape(self, snapshot: Snapshot, bias: float, slope: float) -> None:
        path = snapshot.history.points
        points = np.vstack([path.reshape(-1, 2), [[bias, slope]]])
        drawable = np.array([self._mse(b, w) < DRAWABLE_LOSS for b, w in points])
        if not drawable.any():
            return
        # a divergence runs far past what float64 can grid: frame the part of the path that can be drawn
        shown = points[drawable]
        b, w = shown[-1]
        far = f"now far outside\nthe map, at\nb = {compact(bias)}\nw = {compact(slope)}"
        self.landscape.set_note(None if drawable[-1] else far, FAR_OUT)
        inside = self._extent is not None and (
            self._extent[0] <= b <= self._extent[1] and self._extent[2] <= w <= self._extent[3]
        )
        if not inside:
            self._extent = self._landscape_extent(shown)
            b0, b1, w0, w1 = self._extent
            surface = linear_mse_grid(
                self._stats, np.array([w]), b, 0, np.linspace(b0, b1, GRID), 1, np.linspace(w0, w1, GRID)
            )
            self.landscape.set_surface(surface, (b0, b1), (w0, w1))
            self.landscape.set_optimum(*self._optimum)
        self.landscape.set_path(shown[:, 0], shown[:, 1])
        self.landscape.set_current(b, w)
        self._draw_arrows(snapshot, b, w)
        self._draw_slices(b, w)

    def _gradient(self, bias: float, slope: float) -> np.ndarray:
        """The full-data gradient (∂L/∂b, ∂L/∂w)."""
        grad_w, grad_b = self._stats.mse_gradient(np.array([slope]), bias)
        return np.array([grad_b, float(grad_w[0])])

    def _draw_arrows(self, snapshot: Snapshot, bias: float, slope: float) -> None:
        """The next full-batch step from here, and the last inspected mini-batch step (before → after)."""
        learning_rate = snapshot.hyperparameters["learning_rate"]
        self.landscape.arrow.show(bias, slope, tuple(-learning_rate * self._gradient(bias, slope)))
        report = snapshot.report
        if (
            report is not None
            and not report.diverged
            and snapshot.revision == snapshot.report_revision
            and report.batch.size < snapshot.n_points
        ):
            before = (float(report.params_before["bias"]), float(report.params_before["weights"][0]))
            after = (float(report.params_after["bias"]), float(report.params_after["weights"][0]))
            self.landscape.batch_arrow.show(*before, (after[0] - before[0], after[1] - before[1]))
        else:
            self.landscape.batch_arrow.hide()

    @np.errstate(over="ignore", invalid="ignore")  # far out, a slice's grid may overflow: it is then not drawn
    def _draw_slices(self, bias: float, slope: float) -> None:
        b0, b1, w0, w1 = self._extent
        weights = np.array([slope])
        loss = self._stats.mse(weights, bias)
        grad_b, grad_w = self._gradient(bias, slope)
        bs = np.linspace(b0, b1, GRID)
        ws = np.linspace(w0, w1, GRID)
        along_b = linear_mse_grid(self._stats, weights, bias, 0, bs, 1, [slope])[:, 0]
        along_w = linear_mse_grid(self._stats, weights, bias, 0, [bias], 1, ws)[0]
        self.intercept_slice.set_slice(bs, along_b, bias, loss, grad_b)
        self.slope_slice.set_slice(ws, along_w, slope, loss, grad_w)

    # -- the step inspector -------------------------------------------------------------------------------
    def _inspector_html(self, report: StepReport, batch: tuple, loss_after: float | None) -> str:
        scaled = self.runner.probe.scaling
        feature = ("z", "the scaled size") if scaled else ("x", self.header[0])
        n_points, setting = self.runner.latest.report_context  # as they were when the step was taken
        return inspector_html(report, *batch, loss_after, feature, self.header[1], n_points, setting)
