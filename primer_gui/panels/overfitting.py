"""The Overfitting tab: many weights learn the noise; L2 shrinks them and L1 zeroes the unneeded ones.

A few noisy points from a smooth curve, split into training points (the model
learns from these) and validation points (held back, to see how it does on
points it has not seen).  The model is a polynomial of degree 1–15 on
standardized features; its fit is drawn over the data, the training and
validation errors while it trains, its weights as bars (L1's exact zeros
ringed).  The sweep shows where training ends for every penalty strength (or
degree), with the best marked; the slice picture shows why an L1 penalty lands
on zeros and an L2 penalty does not.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
)

from ..core import LinearRegression
from ..core.datasets import holdout_mask, wavy_curve, wavy_curve_truth
from ..core.features import PolynomialFeatures
from ..glossary import link
from ..training.bindings import Binding
from ..training.engine import Snapshot
from ..widgets.data_box import DataBox
from ..widgets.loss_curve import SCALES, LossCurve
from ..widgets.norm_ball_view import NormBallView
from ..widgets.palette import Palette
from ..widgets.plots import Plot
from ..widgets.point_editor import PointEditor
from ..widgets.strength_control import StrengthControl
from ..widgets.weight_bars import WeightBars
from .overfitting_probe import MAX_DEGREE, OverfittingProbe
from .point_data import PointDataPanel, parse_rows

DEFAULT_DEGREE = 9
#: while training plays, the slice picture is redrawn at most this often
SLICE_SECONDS = 0.1
STRENGTH_RANGE = (1e-5, 10.0)
#: the choices of the sweep menu: label → what the probe sweeps
SWEEPS = {"L2 strength": "l2", "L1 strength": "l1", "degree": "degree"}
WEIGHT_NAMES = PolynomialFeatures(MAX_DEGREE).feature_names("x")

EXPLANATION = f"""
<p>A few noisy points from a smooth curve (dashed). The orange ones are for training: the model learns from
them alone. The blue ones are held back for {link("validation")}: the model never sees them, so they tell how
well it does on new points — how well it {link("generalization", "generalizes")}.</p>
<p>The model is a polynomial, <i>y = w₁·x + w₂·x² + … + bias</i>: the powers of x are its {link("features")},
each standardized first ({link("feature scaling")}). The higher the degree, the more weights and the more the
curve can bend. With many weights and few points it starts to bend through the noise: {link("overfitting")}.
Watch the errors: on the training points the error keeps falling, while on the validation points it stops
falling and turns up.</p>
<p>{link("regularization", "Regularization")} adds a penalty for large weights to the {link("loss")}.
{link("L2")} (ridge) adds l2·Σw²: every weight shrinks a little. {link("L1")} (lasso) adds l1·Σ|w|: weights
that are not needed become exactly zero (ringed in the weight bars). The sweep trains to the end at every
strength and shows both errors; the best strength is where the validation error is lowest. The slice picture
shows why L1 gives zeros: the lowest loss on a diamond is often at a corner, on an axis; on a circle it rarely
is.</p>
"""

HINT = (
    "press Play and watch the validation error (blue) turn up while the training error falls; then raise the "
    "L2 or L1 strength. Run the sweep and press 'Use the best'. Turn L1 up until some weights are ringed: "
    "they are exactly zero. Click the plot to add a point (right-click: to the other set)."
)


class OverfittingPanel(PointDataPanel):
    columns = ("x", "y", "split")
    explanation_html = EXPLANATION
    hint = HINT

    def __init__(self, *, seed: int = 0, threaded: bool = True, parent=None):
        self.seed = seed
        X, y = wavy_curve(20, 0.3, seed)
        rows = np.column_stack([X[:, 0], y, holdout_mask(X[:, 0], 0.4, seed)])
        self._snapshot: Snapshot | None = None
        self._sweep: dict | None = None
        self._shown_changes: list[str] = []  # what the sweep's label says changed since it ran
        self._sweep_rows: np.ndarray | None = None
        self._limit_key: tuple | None = None
        self._slice_key: tuple | None = None
        self._slice_drawn = -math.inf  # when the slice picture was last drawn (time.perf_counter)
        self._curve_range: tuple[float, float] | None = None
        self._split_seed = seed
        probe = OverfittingProbe(degree=DEFAULT_DEGREE)
        super().__init__(LinearRegression(learning_rate=0.05), probe, rows, threaded=threaded, parent=parent)
        self.runner.result_ready.connect(self._on_runner_result_ready)
        self.data_shown(self.data.rows)
        self._frame()
        self.reset()
        self.runner.action("sweep", over="l2")  # a first picture of the sweep: without L1 it is quick

    # -- layout ------------------------------------------------------------------------------------
    def build(self) -> None:
        super().build()
        self.data_plot = PointEditor("Data and fit", "x", "y", classes=("training", "validation"))
        self.data_plot.current_class = 0
        self.data_plot.setToolTip(
            "Orange: training points · blue: validation points. Click to add a point to the set chosen in the "
            "Data box (right-click: to the other set) · drag one to move it · right-click one to delete it"
        )
        self._truth = self.data_plot.curve("ghost", width=2, style=Qt.PenStyle.DashLine)
        self._fit = self.data_plot.curve("fit", width=2.5)
        self._legend = pg.TextItem(anchor=(1.0, 0.0))
        self.data_plot.themed(self._legend, self._style_legend, ignore_bounds=True)
        self.connect_editor(self.data_plot)
        self.loss_curve = LossCurve(
            "Error while training",
            {"validation": "validation", "training": "training"},
            y_label="mean squared error",
        )
        self.loss_curve.setToolTip("The mean squared error on each set (without the penalty), after every update")
        self.weight_bars = WeightBars("Weights")
        self.weight_bars.setToolTip(
            "One bar per power of x (each standardized, so the bars compare); a ring marks a weight that is exactly 0"
        )
        self.sweep_plot = Plot("Sweep: where training ends", "strength", "mean squared error")
        self.sweep_plot.getPlotItem().getViewBox().setMouseEnabled(False, False)
        self.sweep_plot.getPlotItem().addLegend(offset=(4, 4), labelTextSize="8pt", verSpacing=-6)
        self._sweep_validation = self.sweep_plot.curve("loss", width=2, name="validation")
        self._sweep_training = self.sweep_plot.curve("series[0]", width=2, name="training")
        self._sweep_best = self.sweep_plot.dots("optimum", size=16, symbol="star")
        self._sweep_now = pg.InfiniteLine(angle=90)
        dashed = Qt.PenStyle.DashLine
        self.sweep_plot.themed(self._sweep_now, lambda p: self._sweep_now.setPen(pg.mkPen(p.foreground, style=dashed)))
        self._sweep_note = self.sweep_plot.text(anchor=(0.0, 0.0))
        self.sweep_plot.setToolTip(
            "Training and validation error where training ends, for each value (computed beside the tab's own "
            "training); the star marks the lowest validation error, the dashed line the setting now."
        )
        self.geometry = NormBallView("Why L1 gives zeros", "w x", "w x²")
        self.geometry.setToolTip(
            "The loss over two weights (the others held): its contours, and the lowest point on an L1 diamond "
            "and on an L2 circle at the strengths set now"
        )
        self.geometry.getPlotItem().getViewBox().sigResized.connect(self._on_geometry_resized)
        self.add_plot(self.data_plot, 0, 0, 1, 2)
        self.add_plot(self.weight_bars, 0, 2)
        self.add_plot(self.loss_curve, 1, 0)
        self.add_plot(self.sweep_plot, 1, 1)
        self.add_plot(self.geometry, 1, 2)
        for index in range(3):
            self.grid.setColumnStretch(index, 1)
        self.add_side(self._build_data_box())
        self.add_side(self._build_model_box())
        self.add_side(self._build_sweep_box())
        self.add_side(self._build_view_box())

    def _style_legend(self, palette: Palette) -> None:
        training, validation = palette.classes
        self._legend.setHtml(
            f"<span style='color:{palette.foreground}'><span style='color:{training}'>●</span> training &nbsp; "
            f"<span style='color:{validation}'>●</span> validation</span>"
        )

    def _build_data_box(self) -> QGroupBox:
        self.data_box = DataBox(points=(3, 500, 20), noise=(0.0, 2.0, 0.3), seed=self.seed)
        form = self.data_box.layout()
        self.click_set = QComboBox()
        self.click_set.addItems(["training", "validation"])
        self.click_set.setToolTip("Which set a left-click adds a point to (a right-click adds to the other)")
        self.click_set.currentIndexChanged.connect(self._on_click_set_changed)
        form.addRow("Clicks add", self.click_set)
        self.validation_share = QSpinBox()
        self.validation_share.setRange(10, 70)
        self.validation_share.setValue(40)
        self.validation_share.setSuffix(" %")
        self.validation_share.setToolTip("The share of the points held back for validation when the split is drawn")
        self.redraw_button = QPushButton("Re-draw split")
        self.redraw_button.setToolTip(
            "Choose the validation points again, at random (undoable); the smallest and largest x stay in "
            "training, so validation never asks the model to guess beyond the points it learned from"
        )
        self.redraw_button.clicked.connect(self._on_redraw_button_clicked)
        row = QHBoxLayout()
        row.addWidget(self.validation_share)
        row.addWidget(self.redraw_button, 1)
        form.addRow("Validation", row)
        self.truth_check = QCheckBox("Show the curve the points came from")
        self.truth_check.setChecked(True)
        self.truth_check.setToolTip("The smooth curve the points were drawn from, before the noise (dashed)")
        self.truth_check.toggled.connect(self._truth.setVisible)
        form.addRow(self.truth_check)
        self.data_box.new_data_requested.connect(self._on_data_box_new_data_requested)
        for name, widget in (
            ("points", self.data_box.points_box),
            ("noise", self.data_box.noise_box),
            ("data_seed", self.data_box.seed_box),
            ("click_set", self.click_set),
            ("validation_share", self.validation_share),
            ("show_truth", self.truth_check),
        ):
            self.settings.add(name, widget)
        return self.data_box

    def _build_model_box(self) -> QGroupBox:
        self.degree_box = QSpinBox()
        self.degree_box.setRange(1, MAX_DEGREE)
        self.degree_box.setValue(DEFAULT_DEGREE)
        self.degree_box.setToolTip("The highest power of x: 1 is a straight line, 15 bends 14 times (Reset follows)")
        self.degree_box.valueChanged.connect(self._on_degree_box_changed)
        self.l2_control = StrengthControl(*STRENGTH_RANGE)
        self.l2_control.setToolTip("L2 (ridge): adds l2 × the sum of the squared weights to the loss (log slider)")
        self.l1_control = StrengthControl(*STRENGTH_RANGE)
        self.l1_control.setToolTip("L1 (lasso): adds l1 × the sum of the weights' sizes to the loss (log slider)")
        for name, control in (("l2", self.l2_control), ("l1", self.l1_control)):
            self.bind(
                Binding(
                    self.runner,
                    name,
                    control,
                    control.value,
                    control.setValue,
                    control.value_changed,
                    check=_strength_check,
                    on_refused=self.show_message,
                )
            )
        form = QFormLayout()
        form.addRow("Degree", self.degree_box)
        form.addRow("L2 strength", self.l2_control)
        form.addRow("L1 strength", self.l1_control)
        box = QGroupBox("Model and penalties")
        box.setLayout(form)
        self.settings.add("degree", self.degree_box)
        return box

    def _build_sweep_box(self) -> QGroupBox:
        self.sweep_over = QComboBox()
        self.sweep_over.addItems(list(SWEEPS))
        self.sweep_over.setToolTip("What the sweep varies; everything else stays as set now")
        self.sweep_button = QPushButton("Run sweep")
        self.sweep_button.setToolTip(
            "For each value, where training would end (the lowest point of the loss, found exactly), and its "
            "error on both sets. The tab's own training pauses."
        )
        self.sweep_button.clicked.connect(self._on_sweep_button_clicked)
        self.best_button = QPushButton("Use the best")
        self.best_button.setToolTip("Set the swept value to the one with the lowest validation error")
        self.best_button.setEnabled(False)
        self.best_button.clicked.connect(self._on_best_button_clicked)
        self.sweep_label = QLabel()
        self.sweep_label.setWordWrap(True)
        self.slice_a = QComboBox()
        self.slice_b = QComboBox()
        for box, index in ((self.slice_a, 0), (self.slice_b, 1)):
            box.addItems(WEIGHT_NAMES)
            box.setCurrentIndex(index)
            box.setToolTip("The weights the slice picture is drawn over (the others held at their values now)")
            box.currentIndexChanged.connect(self._on_slice_changed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sweep_button)
        buttons.addWidget(self.best_button)
        slice_row = QHBoxLayout()
        slice_row.addWidget(self.slice_a)
        slice_row.addWidget(QLabel("and"))
        slice_row.addWidget(self.slice_b)
        form = QFormLayout()
        form.addRow("Sweep over", self.sweep_over)
        form.addRow(buttons)
        form.addRow(self.sweep_label)
        form.addRow("Slice over", slice_row)
        box = QGroupBox("Sweep and slice")
        box.setLayout(form)
        for name, widget in (("sweep_over", self.sweep_over), ("slice_a", self.slice_a), ("slice_b", self.slice_b)):
            self.settings.add(name, widget)
        return box

    def _build_view_box(self) -> QGroupBox:
        self.scale_box = QComboBox()
        self.scale_box.addItems(list(SCALES))
        self.scale_box.setToolTip("auto: a log scale once the error spans two decades")
        self.scale_box.currentTextChanged.connect(self.loss_curve.set_scale)
        form = QFormLayout()
        form.addRow("Error curve scale", self.scale_box)
        box = QGroupBox("View")
        box.setLayout(form)
        self.settings.add("loss_scale", self.scale_box)
        return box

    # -- data ---------------------------------------------------------------------------------------
    def _on_click_set_changed(self, index: int) -> None:
        self.data_plot.current_class = index

    def _on_data_box_new_data_requested(self, _name: str, points: int, noise: float, _seed: int) -> None:
        self.data_box.next_seed()
        seed = self.data_box.seed_box.value()
        X, y = wavy_curve(points, noise, seed)
        split = holdout_mask(X[:, 0], self.validation_share.value() / 100, seed)
        if self.replace_data(np.column_stack([X[:, 0], y, split]), "new data"):
            self.truth_check.setChecked(True)
            self._frame()

    def _on_redraw_button_clicked(self) -> None:
        rows = self.data.rows.copy()
        if len(rows) < 3:
            self.show_message("Add a few more points first: the smallest and largest x always stay in training.")
            return
        self._split_seed += 1
        rows[:, 2] = holdout_mask(rows[:, 0], self.validation_share.value() / 100, self._split_seed)
        self.replace_data(rows, "re-draw split")

    def data_imported(self, rows: np.ndarray, header: list[str]) -> None:
        self.data_plot.set_axis_labels(header[0], header[1])
        self.truth_check.setChecked(False)  # the file's points need not come from our curve
        self._frame()
        self.reset()

    def _frame(self) -> None:
        """Fit the view around the points, and have the fit drawn across all of it."""
        self.data_plot.frame_points()
        (x0, x1), _ = self.data_plot.view_box.viewRange()
        if self._curve_range != (x0, x1):
            self._curve_range = (x0, x1)
            self.runner.configure(curve_range=(x0, x1))
        xs = np.linspace(x0, x1, 200)
        self._truth.setData(xs, wavy_curve_truth(xs))

    def data_shown(self, rows: np.ndarray) -> None:
        self.data_plot.set_points(rows[:, :2], rows[:, 2].astype(int) if len(rows) else None)
        self._limit_key = None
        if len(rows) == 0:
            self._show_no_data()
        self._show_sweep()
        if self._snapshot is not None:
            self.show_snapshot(self._snapshot)

    def _update_stable_limit(self, l2: float) -> None:
        """The largest stable learning rate for these features and this L2 strength (both change it)."""
        key = (self.degree_box.value(), l2)
        if key == self._limit_key:
            return
        self._limit_key = key
        try:
            X, y, _pipeline, _parts = self.runner.probe.features(self.data.rows)
        except ValueError:
            self.controls.set_stable_limit(None)
            return
        reference = LinearRegression(l2=l2)
        reference.set_data(X, y)
        self.controls.set_stable_limit(reference.stable_learning_rate())

    def _on_degree_box_changed(self, degree: int) -> None:
        self.runner.configure(degree=degree)
        self._limit_key = None
        self.reset()

    def _on_geometry_resized(self) -> None:
        view = self.geometry.getPlotItem().getViewBox()
        if view.width() > 0 and view.height() > 0:
            self.runner.configure(slice_aspect=view.height() / view.width())

    def _on_slice_changed(self, _index: int) -> None:
        self.runner.configure(slice_weights=(self.slice_a.currentIndex(), self.slice_b.currentIndex()))

    def session_probe(self, settings: dict) -> OverfittingProbe:
        return OverfittingProbe(
            degree=settings.get("degree", self.degree_box.value()),
            curve_range=self._curve_range or (0.0, 1.0),
            slice_weights=(
                WEIGHT_NAMES.index(settings.get("slice_a", self.slice_a.currentText())),
                WEIGHT_NAMES.index(settings.get("slice_b", self.slice_b.currentText())),
            ),
        )

    def session_state(self) -> dict:
        """Also the validation points on their own: the validation error in the history was measured on them."""
        state = super().session_state()
        state["validation"] = self.data.rows[self.data.rows[:, 2] == 1, :2].tolist()
        return state

    def parse_more(self, state: dict, parsed: dict) -> dict:
        more = super().parse_more(state, parsed)
        try:
            saved = parse_rows(state.get("validation"), 2, self.max_points)
        except ValueError:
            raise ValueError("its list of validation points is missing or not a list of (x, y) numbers") from None
        rows = more["rows"]
        if not np.array_equal(saved, rows[rows[:, 2] == 1, :2]):
            raise ValueError("its validation points differ from the ones its history was measured on")
        return more

    def after_session_loaded(self) -> None:
        self.loss_curve.set_scale(self.scale_box.currentText())
        self.data_plot.set_axis_labels(self.header[0], self.header[1])
        self.data_plot.current_class = self.click_set.currentIndex()
        self._truth.setVisible(self.truth_check.isChecked())
        self._curve_range = None
        self._limit_key = None
        self._sweep = None
        self._frame()

    def divergence_advice(self, learning_rate: float) -> str:
        limit = self.controls.stable_limit
        if limit is None or learning_rate <= limit:
            return f"the learning rate {learning_rate:g} is too large for these batches"
        return f"the learning rate {learning_rate:g} is above the stable limit ≈ {limit:.3g} for degree " + str(
            self.degree_box.value()
        )

    # -- the sweep ------------------------------------------------------------------------------------
    def _on_sweep_button_clicked(self) -> None:
        if self.has_data:
            self.sweep_label.setText("Sweeping…")
            self.runner.action("sweep", over=SWEEPS[self.sweep_over.currentText()])

    def _on_runner_result_ready(self, name: str, result) -> None:
        if name == "sweep":
            self._sweep = result
            self._sweep_rows = self.data.rows.copy()
            self._show_sweep()

    def _on_best_button_clicked(self) -> None:
        sweep = self._sweep
        if not sweep or sweep["best"] is None:
            return
        value = sweep["values"][sweep["best"]]
        if sweep["over"] == "degree":
            self.degree_box.setValue(int(value))
        else:
            control = self.l1_control if sweep["over"] == "l1" else self.l2_control
            control.setValue(value)
            self.runner.set(sweep["over"], control.value())

    def _show_sweep(self) -> None:
        sweep = self._sweep
        plot_item = self.sweep_plot.getPlotItem()
        if not sweep:
            for item in (self._sweep_training, self._sweep_validation, self._sweep_best):
                item.setData([], [])
            self._sweep_now.setVisible(False)
            self._sweep_note.setText("Press Run sweep (at the left)")
            (x0, _x1), (_y0, y1) = plot_item.getViewBox().viewRange()
            self._sweep_note.setPos(x0, y1)
            self.best_button.setEnabled(False)
            self.sweep_label.setText("")
            return
        over = sweep["over"]
        log_x = over != "degree"
        plot_item.setLogMode(x=log_x, y=True)
        self.sweep_plot.set_axis_labels(
            "degree" if over == "degree" else f"{over.upper()} strength", "mean squared error"
        )
        values = np.array(sweep["values"], dtype=float)
        for item, name in ((self._sweep_training, "training"), (self._sweep_validation, "validation")):
            errors = np.array(sweep[name], dtype=float)
            keep = np.isfinite(errors) & (errors > 0)
            item.setData(values[keep], errors[keep])
        best = sweep["best"]
        if best is not None:
            self._sweep_best.setData([values[best]], [sweep["validation"][best]])
        else:
            self._sweep_best.setData([], [])
        plot_item.getViewBox().enableAutoRange()
        changed = self._sweep_changes()
        self._shown_changes = changed
        self.best_button.setEnabled(best is not None and not changed)
        held = "degree" if over != "degree" else "strengths"
        words = []
        if best is None:
            words.append("No validation points: add some to find the best value.")
        else:
            shown = f"{int(values[best])}" if over == "degree" else f"{values[best]:.3g}"
            words.append(f"Lowest validation error at {over if over == 'degree' else over.upper()} = <b>{shown}</b>.")
        if changed:
            words.append(f"<b>{' and '.join(changed).capitalize()} changed since</b>: run the sweep again.")
        words.append(f"(At degree {sweep['degree']}, L1 {sweep['l1']:g}, L2 {sweep['l2']:g}; the {held} held.)")
        self.sweep_label.setText(" ".join(words))
        self._sweep_note.setText("")
        self._show_sweep_now()

    def _sweep_changes(self) -> list[str]:
        """What changed since the sweep ran, of what it held fixed: its answer is then for another model."""
        sweep = self._sweep
        changes = []
        if self._sweep_rows is None or not np.array_equal(self._sweep_rows, self.data.rows):
            changes.append("the data")
        if sweep is None:
            return changes
        hyper = self._snapshot.hyperparameters if self._snapshot is not None else {}
        now = {"degree": self.degree_box.value(), **{name: hyper.get(name, sweep[name]) for name in ("l1", "l2")}}
        names = {"degree": "the degree", "l1": "the L1 strength", "l2": "the L2 strength"}
        return changes + [names[name] for name in names if name != sweep["over"] and now[name] != sweep[name]]

    def _show_sweep_now(self) -> None:
        """The dashed line at the setting now, on the sweep's axis."""
        sweep = self._sweep
        if not sweep or self._snapshot is None:
            return
        over = sweep["over"]
        if over == "degree":
            self._sweep_now.setPos(self.degree_box.value())
            self._sweep_now.setVisible(True)
            return
        value = float(self._snapshot.hyperparameters.get(over, 0.0))
        self._sweep_now.setVisible(value > 0)
        if value > 0:
            self._sweep_now.setPos(np.log10(value))

    # -- snapshots -----------------------------------------------------------------------------------
    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        if not snapshot.has_data or not snapshot.params or not len(self.data):
            self._show_no_data()
            return
        hyper = snapshot.hyperparameters
        self._update_stable_limit(float(hyper.get("l2", 0.0)))
        weights = np.asarray(snapshot.params["weights"], dtype=float)
        self.loss_curve.set_history(snapshot.history)
        self.weight_bars.set_weights(WEIGHT_NAMES[: weights.size], weights)
        curve = snapshot.extra.get("curve")
        if curve is not None:
            xs, ys = curve
            finite = np.isfinite(ys)
            self._fit.setData(xs[finite], ys[finite])
        # the slice moves slowly while training: redrawn at most SLICE_SECONDS apart (its contours cost)
        now = time.perf_counter()
        if not snapshot.playing or now - self._slice_drawn >= SLICE_SECONDS:
            self._slice_drawn = now
            self._draw_slice(snapshot.extra.get("slice"))
        self._show_sweep_now()
        if self._sweep is not None and self._sweep_changes() != self._shown_changes:
            self._show_sweep()
        (_x0, x1), (_y0, y1) = self.data_plot.view_box.viewRange()
        self._legend.setPos(x1, y1)

    def _draw_slice(self, piece: dict | None) -> None:
        if piece is None:
            self.geometry.clear_picture("The slice needs two weights: degree 2 or more.")
            return
        a, c = piece["weights"]
        if self._slice_key != (a, c):
            self._slice_key = (a, c)
            self.geometry.set_axis_labels(f"weight of {WEIGHT_NAMES[a]}", f"weight of {WEIGHT_NAMES[c]}")
        off = [name for name in ("l1", "l2") if piece[name] == 0]
        note = f"{' and '.join(n.upper() for n in off)} off: raise {'them' if len(off) > 1 else 'it'}" if off else ""
        self.geometry.set_picture(
            piece["values"],
            piece["x_range"],
            piece["y_range"],
            piece["best"],
            piece["current"],
            (piece["lasso"], piece["lasso_loss"]) if piece["l1"] > 0 else None,
            (piece["ridge"], piece["ridge_loss"]) if piece["l2"] > 0 else None,
            note,
        )

    def _show_no_data(self) -> None:
        self._fit.setData([], [])
        self.loss_curve.clear_picture()
        self.weight_bars.clear_picture()
        self.geometry.clear_picture("No data")


def _strength_check(value) -> None:
    low, high = 0.0, STRENGTH_RANGE[1]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ValueError(f"must be a number from {low:g} to {high:g}, not {value!r}")
