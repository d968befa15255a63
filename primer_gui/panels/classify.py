"""The Classify tab: logistic regression — a line's score squashed by a sigmoid into a probability.

One feature (the primer's "is this number positive?"): points at height 0 or 1
by class, the sigmoid curve p = σ(w·x + b) through them, the threshold and the
decision point; the landscape over (b, w) for the cross-entropy or, to compare,
the squared error.  Two features: the probability as a heat map under the
points, with the ½ boundary and the 0.1 / 0.9 lines, and every point placed by
its score z on the sigmoid.  Both: the loss curve, the size of the weights (it
grows without end on separable data unless L2 holds it), a threshold with the
confusion matrix, the chain rule of one step in numbers, and each point's own
loss on hover.

The data are rows ``(x1, x2, label)`` in both modes; switching the mode draws
fresh data for it, as one undoable edit together with the mode.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..core import LogisticRegression
from ..core.activations import sigmoid
from ..core.datasets import circle, gaussian, moons
from ..core.trainer import StepReport
from ..csv_files import read_csv, write_csv
from ..glossary import link
from ..training.bindings import Binding
from ..training.engine import Snapshot
from ..widgets.confusion_matrix import ConfusionMatrix
from ..widgets.data_box import DataBox
from ..widgets.loss_curve import SCALES, LossCurve
from ..widgets.number_box import NumberBox
from ..widgets.palette import Palette
from ..widgets.point_hover import PointHover
from ..widgets.step_inspector import StepInspector
from ..widgets.value_slider import ValueSlider
from .classify_inspector import inspector_html
from .classify_probe import THRESHOLDS, ClassifyProbe, positive_numbers
from .classify_views import (
    CLASSES,
    LANDSCAPE_LOSSES,
    ClassifyLandscape,
    ProbabilityPlane,
    ScoresPlot,
    SigmoidLine,
    WeightSizePlot,
)
from .point_data import PointDataPanel

MODES = {"one feature (a number line)": 1, "two features (a plane)": 2}
DATASETS = {1: ("is it positive?",), 2: ("blobs", "moons", "circle")}
GENERATORS = {"blobs": gaussian, "moons": moons, "circle": circle}

EXPLANATION = f"""
<p>Every point has a class: 1 (blue) or 0 (orange). The model scores a point like a line does,
<i>z = w·x + b</i>, then squashes the score with the {link("sigmoid")} into a {link("probability")}
<i>p = σ(z)</i> between 0 and 1: how sure it is that the point is class 1. That is
{link("logistic regression")}; a weighted sum followed by an {link("activation function")} like this is one
{link("perceptron")}.</p>
<p>Training is {link("gradient descent")} on the {link("cross-entropy")}: a class-1 point costs −ln p, a
class-0 point −ln(1 − p). Sure and right costs almost nothing, sure and wrong costs a lot — hover over a
point to see its own loss. The loss reaches the weights through p and z, so its gradient is a product,
the {link("chain rule")}: ∂L/∂w = ∂L/∂p · ∂p/∂z · ∂z/∂w (press Step and read it on the right). A point is
called class 1 when p is above the {link("threshold")}; the {link("confusion matrix")} counts what that
gets right and wrong.</p>
<p>With one feature the map shows the loss over (b, w); switch it to the mean squared error to see why
that is a poor bowl for a sigmoid: flat plateaus where the slope vanishes. When the classes are
{link("separable")}, the weights grow without end (a steeper sigmoid always lowers the loss); a small
{link("L2 penalty", "L2")} stops them.</p>
"""

HINT = (
    "press Step a few times and read the chain rule in numbers; switch the landscape to mean squared error; "
    "then set Noise to 0, press New data and Play — the classes separate and ‖w‖ climbs for ever; set L2 to "
    "0.01 and it levels off. Left-click adds a class-1 point, right-click a class-0 one."
)
NO_DATA_HTML = "<p style='color:gray'>No points to learn from: click the data plot to add some.</p>"


def make_rows(name: str, points: int, noise: float, seed: int) -> np.ndarray:
    """Rows ``(x1, x2, label)`` of a data set (x2 is 0 for the one-feature set)."""
    if name == DATASETS[1][0]:
        X, y = positive_numbers(points, noise, seed)
        return np.column_stack([X[:, 0], np.zeros(points), y])
    X, y = GENERATORS[name](points, noise, seed)
    return np.column_stack([X, y])


def point_loss(z: float, label: float) -> float:
    """Cross-entropy of one point from its score: −ln p for class 1, −ln(1 − p) for class 0 (never overflows)."""
    return float(np.logaddexp(0.0, -z if label == 1 else z))


class _ModeCommand(QUndoCommand):
    """Switching between one and two features: undone together with the data drawn for the new mode."""

    def __init__(self, panel: ClassifyPanel, dims: int):
        super().__init__("switch mode")
        self._panel, self._dims, self._before = panel, dims, panel.dims

    def redo(self) -> None:
        self._panel.set_dims(self._dims)

    def undo(self) -> None:
        self._panel.set_dims(self._before)


class ClassifyPanel(PointDataPanel):
    columns = ("x1", "x2", "label")
    explanation_html = EXPLANATION
    hint = HINT

    def __init__(self, *, seed: int = 0, threaded: bool = True, parent=None):
        self.seed = seed
        self.dims = 1
        self._snapshot: Snapshot | None = None
        self._highlighted: tuple | None = None
        rows = make_rows(DATASETS[1][0], 40, 0.2, seed)
        super().__init__(
            LogisticRegression(learning_rate=0.5), ClassifyProbe(dims=1), rows, threaded=threaded, parent=parent
        )
        self.data_shown(self.data.rows)
        self._frame()
        self.reset()

    # -- layout --------------------------------------------------------------------------------------
    def build(self) -> None:
        super().build()
        self.line = SigmoidLine()
        self.plane = ProbabilityPlane()
        self.line_plot, self.plane_plot = self.line.editor, self.plane.editor
        self.hovers = {}
        for editor in (self.line_plot, self.plane_plot):
            self.connect_editor(editor)
            self.hovers[editor] = PointHover(editor, self.hover_text, self)
        self.editor = self.line_plot
        self.data_stack = QStackedWidget()
        self.data_stack.addWidget(self.line_plot)
        self.data_stack.addWidget(self.plane_plot)
        self.landscape = ClassifyLandscape()
        self.scores_plot = ScoresPlot()
        self.middle_stack = QStackedWidget()
        self.middle_stack.addWidget(self.landscape)
        self.middle_stack.addWidget(self.scores_plot)
        self.loss_curve = LossCurve("Cross-entropy while training")
        self.weight_plot = WeightSizePlot()
        self.separable_note = QLabel()
        self.separable_note.setWordWrap(True)
        weights = QWidget()
        column = QVBoxLayout(weights)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.weight_plot, 1)
        column.addWidget(self.separable_note)
        self.inspector = StepInspector(self._inspector_html, NO_DATA_HTML)
        self.add_plot(self.data_stack, 0, 0)
        self.add_plot(self.middle_stack, 0, 1)
        self.add_plot(self.loss_curve, 0, 2)
        self.add_plot(self._build_threshold_box(), 1, 0)
        self.add_plot(weights, 1, 1)
        self.add_plot(self.inspector, 1, 2)
        self.grid.setRowStretch(0, 3)
        self.grid.setRowStretch(1, 2)
        self.add_side(self._build_data_box())
        self.add_side(self._build_model_box())
        self.add_side(self._build_view_box())

    def _build_threshold_box(self) -> QGroupBox:
        self.threshold = ValueSlider(0.01, 0.99, 0.01, 0.5)
        self.threshold.setToolTip(
            "A point is called class 1 when its probability is above this. Lower it to catch more class-1 "
            "points (and wrongly call more class-0 ones); raise it for the opposite."
        )
        self.threshold.value_changed.connect(self._on_threshold_value_changed)
        self.confusion = ConfusionMatrix(CLASSES)
        self.confusion.setToolTip("Every point counted by its actual class (rows) and what the threshold calls it")
        box = QGroupBox("Threshold and confusion matrix")
        layout = QFormLayout(box)
        layout.addRow("Threshold", self.threshold)
        layout.addRow(self.confusion)
        words = QLabel(
            "A point is called class 1 when its p is above the threshold. Lower it and more class-1 points are "
            "caught, but more class-0 points are wrongly called 1; raise it for the opposite. The dashed decision "
            "point (one feature) or dotted line (two) moves with it."
        )
        words.setWordWrap(True)
        layout.addRow(words)
        self.settings.add_custom(
            "threshold", self.threshold, self.threshold.value, self.threshold.set_value, self.threshold.check
        )
        return box

    def _build_data_box(self) -> QGroupBox:
        self.mode_box = QComboBox()
        self.mode_box.addItems(list(MODES))
        self.mode_box.setToolTip(
            "One feature: numbers on a line, the primer's example. Two features: points in a plane. "
            "Switching draws new data for the mode (undoable)."
        )
        self.data_box = DataBox(list(DATASETS[1]), points=(2, 5000, 40), noise=(0.0, 2.0, 0.2), seed=self.seed)
        self.data_box.dataset_box.setToolTip(
            "is it positive?: numbers labelled 1 when positive (with noise, near 0 some are not) · blobs: two "
            "round clouds · moons: two interlocking arcs · circle: a disc inside a ring (no line can do it). Picking "
            "one draws it (undoable)."
        )
        self.data_box.noise_box.setToolTip("How much the classes overlap; 0 makes them separable (except circle)")
        self.data_box.layout().insertRow(0, "Mode", self.mode_box)
        self.data_box.new_data_requested.connect(self._on_data_box_new_data_requested)
        self.mode_box.currentTextChanged.connect(self._on_mode_box_changed)
        self.settings.add_custom("mode", self.mode_box, self.mode_box.currentText, self._show_mode_text, _choice(MODES))
        every = [name for names in DATASETS.values() for name in names]
        box = self.data_box.dataset_box
        self.settings.add_custom("dataset", box, box.currentText, box.setCurrentText, _choice(every))
        for name, widget in (
            ("points", self.data_box.points_box),
            ("noise", self.data_box.noise_box),
            ("data_seed", self.data_box.seed_box),
        ):
            self.settings.add(name, widget)
        return self.data_box

    def _build_model_box(self) -> QGroupBox:
        self.l2_box = NumberBox(0.0, 10.0, value=0.0)
        self.l2_box.setToolTip(
            "L2 penalty: adds L2 × Σw² to the loss, pulling the weights towards 0 (never the bias). "
            "On separable data it is what keeps the weights finite."
        )
        self.bind(Binding.spin_box(self.runner, "l2", self.l2_box, on_refused=self.show_message))
        self.l2_box.valueChanged.connect(self._on_l2_box_changed)
        box = QGroupBox("Model")
        form = QFormLayout(box)
        form.addRow("L2 penalty", self.l2_box)
        return box

    def _build_view_box(self) -> QGroupBox:
        self.landscape_box = QComboBox()
        self.landscape_box.addItems(list(LANDSCAPE_LOSSES))
        self.landscape_box.setToolTip(
            "Which loss the landscape draws (one feature). Training always uses the cross-entropy; the squared "
            "error of the probability is shown to compare its flat plateaus with the cross-entropy's bowl."
        )
        self.landscape_box.currentTextChanged.connect(self._on_landscape_box_changed)
        self.scale_box = QComboBox()
        self.scale_box.addItems(list(SCALES))
        self.scale_box.setToolTip("auto: a log scale once the loss spans two decades")
        self.scale_box.currentTextChanged.connect(self.loss_curve.set_scale)
        box = QGroupBox("View")
        form = QFormLayout(box)
        form.addRow("Landscape loss", self.landscape_box)
        form.addRow("Loss curve scale", self.scale_box)
        self.settings.add("landscape_loss", self.landscape_box)
        self.settings.add("loss_scale", self.scale_box)
        return box

    def apply_theme(self, palette: Palette) -> None:
        super().apply_theme(palette)
        self.confusion.apply_theme(palette)
        self.separable_note.setStyleSheet(f"color: {palette.warning_text}")

    # -- modes ----------------------------------------------------------------------------------------
    def _on_mode_box_changed(self, text: str) -> None:
        dims = MODES[text]
        self.mode_box.blockSignals(True)
        self.mode_box.setCurrentText(self._mode_text(self.dims))  # the command sets it, undoably
        self.mode_box.blockSignals(False)
        _name, points, noise, seed = self.data_box.request()
        rows = make_rows(DATASETS[dims][0], points, noise, seed)
        self.undo_stack.beginMacro(f"switch to {text}")
        self.undo_stack.push(_ModeCommand(self, dims))
        self.replace_data(rows, "new data")
        self.undo_stack.endMacro()
        self._frame()

    @staticmethod
    def _mode_text(dims: int) -> str:
        return next(text for text, d in MODES.items() if d == dims)

    def _show_mode_text(self, text: str) -> None:
        """Show a mode in the controls (its data sets too) without acting on the trainer."""
        self.mode_box.blockSignals(True)
        self.mode_box.setCurrentText(text)
        self.mode_box.blockSignals(False)
        dims = MODES[text]
        box = self.data_box.dataset_box
        if [box.itemText(i) for i in range(box.count())] != list(DATASETS[dims]):
            box.blockSignals(True)
            box.clear()
            box.addItems(list(DATASETS[dims]))
            box.blockSignals(False)
        self.dims = dims
        self.editor = self.line_plot if dims == 1 else self.plane_plot
        self.data_stack.setCurrentIndex(dims - 1)
        self.middle_stack.setCurrentIndex(dims - 1)
        self.landscape_box.setEnabled(dims == 1)

    def set_dims(self, dims: int) -> None:
        """One or two features: the trainer, the probe and the plots follow; training starts again."""
        self._show_mode_text(self._mode_text(dims))
        self._clear_hovers()
        self.runner.configure(dims=dims)
        self.runner.reset()
        self.data_shown(self.data.rows)
        self._frame()

    # -- data -----------------------------------------------------------------------------------------
    def point_row(self, x: float, y: float, label: int) -> tuple[float, ...]:
        return (x, 0.0, float(label)) if self.dims == 1 else (x, y, float(label))

    def moved_row(self, index: int, x: float, y: float) -> tuple[float, ...]:
        """On the line a point keeps its hidden x2, and takes the class of the row it is dragged to."""
        row = self.data.rows[index]
        if self.dims == 1:
            return (x, row[1], 1.0 if y >= 0.5 else 0.0)
        return (x, y, row[2])

    def _on_data_box_new_data_requested(self, name: str, points: int, noise: float, _seed: int) -> None:
        self.data_box.next_seed()
        if self.replace_data(make_rows(name, points, noise, self.data_box.seed_box.value()), "new data"):
            self._frame()

    def _frame(self) -> None:
        (self.line if self.dims == 1 else self.plane).frame()

    def data_shown(self, rows: np.ndarray) -> None:
        labels = rows[:, 2]
        if self.dims == 1:
            self.line_plot.set_points(np.column_stack([rows[:, 0], labels]), labels)
        else:
            self.plane_plot.set_points(rows[:, :2], labels)
        self._show_stable_limit(rows)
        if not len(rows):
            self._show_no_data()
        elif self._snapshot is not None:
            self.show_snapshot(self._snapshot)

    def _show_stable_limit(self, rows: np.ndarray | None = None) -> None:
        rows = self.data.rows if rows is None else rows
        if not len(rows):
            self.controls.set_stable_limit(None)
            return
        reference = LogisticRegression(l2=self.l2_box.value())
        reference.set_data(*self.runner.probe.data(rows))
        self.controls.set_stable_limit(reference.stable_learning_rate())

    def _on_l2_box_changed(self, _value: float) -> None:
        self._show_stable_limit()

    def export_csv(self, path: str | Path) -> None:
        """With one feature the file holds (x, label); with two, (x1, x2, label)."""
        if self.dims == 1:
            write_csv(path, [self.header[0], self.header[2]], self.data.rows[:, [0, 2]])
        else:
            super().export_csv(path)

    def import_csv(self, path: str | Path) -> None:
        """(x, label) with one feature, (x1, x2, label) with two; a file of the other mode's width is refused
        with a reason that says so."""
        width = self.dims + 1
        try:
            rows, header = read_csv(path, width, self.max_points)
        except ValueError as error:
            other = 3 if width == 2 else 2
            try:
                read_csv(path, other, self.max_points)
            except ValueError:
                raise error from None
            mode = self._mode_text(other - 1)
            raise ValueError(
                f"{Path(path).name} has {other} columns, but this mode takes {width} "
                f"({'x, label' if width == 2 else 'x1, x2, label'}). Switch the mode to {mode} first."
            ) from None
        if self.dims == 1:
            rows = np.column_stack([rows[:, 0], np.zeros(len(rows)), rows[:, 1]])
            header = [header[0], "x2", header[1]] if header else None
        self.check_rows(rows)
        self.data.replace(rows, f"import {Path(path).name}", header or list(self.columns))
        self.data_imported(rows, self.header)

    def data_imported(self, rows: np.ndarray, header: list[str]) -> None:
        self._show_axis_names()
        self._frame()
        self.reset()

    def _show_axis_names(self) -> None:
        """The features' names from the file's header (x, x₁, x₂ until a file names them)."""
        named = self.header != list(self.columns)
        self.line_plot.setLabel("bottom", self.header[0] if named else "x")
        self.plane_plot.setLabel("bottom", self.header[0] if named else "x₁")
        self.plane_plot.setLabel("left", self.header[1] if named else "x₂")

    def session_probe(self, settings: dict) -> ClassifyProbe:
        return ClassifyProbe(dims=MODES[settings.get("mode", self.mode_box.currentText())])

    def after_session_loaded(self) -> None:
        self._show_mode_text(self.mode_box.currentText())
        self.loss_curve.set_scale(self.scale_box.currentText())
        self.landscape.forget_surface()
        self._clear_hovers()
        self._show_axis_names()
        self._frame()

    def divergence_advice(self, learning_rate: float) -> str:
        l2 = self.l2_box.value()
        if l2 > 0 and learning_rate * l2 >= 1:
            return (
                f"with L2 = {l2:g}, a learning rate above 1 / L2 = {1 / l2:.3g} makes the penalty's pull "
                "overshoot zero, so the weights flip sign and grow every step"
            )
        return f"the learning rate {learning_rate:g} is too large"

    # -- snapshots -------------------------------------------------------------------------------------
    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        self.inspector.show_snapshot(snapshot)
        if not snapshot.has_data or not snapshot.params or "above" not in snapshot.extra:
            self._show_no_data()
            return
        weights = np.asarray(snapshot.params["weights"], dtype=float)
        if weights.size != self.dims:  # a mode switch on its way to the trainer
            return
        bias = float(snapshot.params["bias"])
        threshold = self.threshold.value()
        self.loss_curve.set_history(snapshot.history)
        self.weight_plot.draw(snapshot.history)
        if self.dims == 1:
            self.line.draw(bias, float(weights[0]), threshold)
            kind = LANDSCAPE_LOSSES[self.landscape_box.currentText()]
            l2 = float(snapshot.hyperparameters.get("l2", 0.0))
            rate = snapshot.hyperparameters["learning_rate"]
            self.landscape.draw(snapshot.extra, snapshot.history.points, bias, float(weights[0]), kind, l2, rate)
        else:
            self.plane.draw(bias, weights, threshold)
            self.scores_plot.draw(self.plane_plot, bias, weights, threshold)
        self.confusion.set_counts(self.confusion_counts())
        self._show_separable(snapshot, weights)
        self.hovers[self.editor].refresh()
        report = snapshot.report
        current = report is not None and snapshot.revision == snapshot.report_revision and not report.diverged
        partial = current and report.batch.size < snapshot.n_points
        self._highlight(report.batch if partial else None)

    def _highlight(self, batch: np.ndarray | None) -> None:
        """Ring the last step's batch (only when that changes: clearing a scatter every frame costs)."""
        key = (self.editor, None if batch is None else id(batch))
        if key != self._highlighted:
            self._highlighted = key
            self.editor.highlight(batch)

    def _show_no_data(self) -> None:
        """With every point deleted nothing is drawn: a picture of data that is gone would mislead."""
        for view in (self.line, self.plane, self.scores_plot, self.weight_plot):
            view.clear()
        self.landscape.clear_picture()
        self.loss_curve.clear_picture()
        self.confusion.set_counts(np.zeros((2, 2)))
        self.separable_note.setText("")
        self._clear_hovers()
        for editor in (self.line_plot, self.plane_plot):
            editor.highlight(None)
        self._highlighted = None

    def _on_landscape_box_changed(self, _text: str) -> None:
        self.landscape.forget_surface()
        self._redraw()

    def _redraw(self) -> None:
        """Draw the latest snapshot again now (a view setting changed), in one repaint."""
        if self._snapshot is not None and self._snapshot.has_data:
            self.show_snapshot(self._snapshot)
            for plot in self.plots():
                plot.repaint_frame()

    # -- threshold and confusion ------------------------------------------------------------------------
    def _on_threshold_value_changed(self, _value: float) -> None:
        self._redraw()

    def confusion_counts(self) -> np.ndarray:
        """``counts[actual, predicted]`` at the slider's threshold, from the latest snapshot."""
        extra = self._snapshot.extra
        k = int(np.argmin(np.abs(THRESHOLDS - self.threshold.value())))
        called_one = extra["above"][:, k]
        n0, n1 = extra["classes"]
        return np.array([[n0 - called_one[0], called_one[0]], [n1 - called_one[1], called_one[1]]])

    def _show_separable(self, snapshot: Snapshot, weights: np.ndarray) -> None:
        extra = snapshot.extra
        l2 = float(snapshot.hyperparameters.get("l2", 0.0))
        size = float(np.linalg.norm(weights))
        if extra["one_class"]:
            text = (
                "All the points are of one class: the model learns to say that class everywhere, and its bias "
                "grows without end (L2 never touches the bias). Add a point of the other class."
            )
        elif not extra["separated"]:
            text = ""
        elif l2 == 0:
            text = (
                f"Separable: the boundary puts every point on its own side, so a steeper sigmoid always lowers "
                f"the loss and the weights grow without end (‖w‖ = {size:.3g} and rising). Set L2 above 0 to "
                "stop them."
            )
        else:
            text = (
                f"Separable, but L2 = {l2:g} holds the weights back: ‖w‖ = {size:.3g} levels off where the "
                "penalty's pull balances the loss's push."
            )
        if text != self.separable_note.text():
            self.separable_note.setText(text)

    # -- each point's own loss, on hover ----------------------------------------------------------------
    def _clear_hovers(self) -> None:
        for hover in self.hovers.values():
            hover.clear()

    def hover_text(self, index: int) -> str | None:
        """What hovering over point ``index`` says: its probability and its own cross-entropy."""
        snapshot = self._snapshot
        if snapshot is None or not snapshot.params or np.asarray(snapshot.params["weights"]).size != self.dims:
            return None
        if index >= len(self.data):
            return None
        row = self.data.rows[index]
        x, label = row[: self.dims], row[2]
        z = float(np.dot(snapshot.params["weights"], x) + float(snapshot.params["bias"]))
        p = float(sigmoid(z))
        loss = point_loss(z, label)
        formula = f"−ln p = −ln {p:.3g}" if label == 1 else f"−ln(1 − p) = −ln {1 - p:.3g}"
        where = f"x = {x[0]:.3g}" if self.dims == 1 else f"x = ({x[0]:.3g}, {x[1]:.3g})"
        verdict = ""
        if loss > 1.0 and (p > 0.5) != (label == 1):
            verdict = "\nsure and wrong: this hurts most"
        elif loss < 0.1:
            verdict = "\nsure and right: almost free"
        return f"{where}, class {label:.0f}\np = σ({z:.3g}) = {p:.3g}\nloss = {formula} = {loss:.3g}{verdict}"

    # -- the step inspector ------------------------------------------------------------------------------
    def _inspector_html(self, report: StepReport, batch: tuple, loss_after: float | None) -> str:
        latest = self.runner.latest
        n_points = latest.n_points if latest is not None else report.batch.size
        setting = latest.hyperparameters.get("batch_size") if latest is not None else None
        l2 = float(latest.hyperparameters.get("l2", 0.0)) if latest is not None else 0.0
        return inspector_html(report, *batch, loss_after, n_points, setting, l2)


def _choice(choices) -> callable:
    def check(value):
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}; the file has {value!r}")
        return value

    return check
