"""The Neural net tab: a multi-layer perceptron trained by backpropagation, TensorFlow Playground style.

The network diagram (every neuron's picture, links as wide as their weights), the data with the
network's output under it, training and test loss, accuracy and a confusion matrix, and the
backpropagation of one step.  The architecture — input features, hidden layers, neurons, the
activation, the output — is edited on the diagram and in the side column; each change makes a
new network at once (new weights, epoch 0) and is undoable, and undo brings the old network
back exactly as it was.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from ..core import MLP
from ..core.trainer import StepReport
from ..csv_files import read_csv
from ..training.bindings import Binding
from ..training.engine import Snapshot
from ..widgets.controls import batch_words
from ..widgets.grid_cell import GridCell
from ..widgets.heat_map import HeatMap
from ..widgets.loss_curve import LossCurve
from ..widgets.network_view import NetworkView
from ..widgets.palette import Palette, class_colormap
from ..widgets.point_editor import PointEditor
from ..widgets.steady_label import SteadyLabel
from ..widgets.step_inspector import StepInspector
from ..widgets.value_editor import ValueEditor
from .neural_net_architecture import (
    CLASSIFICATION_HEADS,
    MAX_HIDDEN_LAYERS,
    MAX_NEURONS,
    Architecture,
    ArchitectureCommand,
    ParameterCommand,
    diagram_layers,
    head_text,
)
from .neural_net_controls import DataControls, GoalControls, LayersBar, NetworkControls
from .neural_net_probe import (
    FEATURES,
    GRID,
    LABEL,
    REGRESSION_SETS,
    STRIDE,
    TEST,
    NeuralNetProbe,
    feature_columns,
    grid_points,
    make_rows,
    ordered_features,
    plane_extent,
    split_flags,
    split_rows,
)
from .neural_net_text import ACTIVATION_WORDS, EXPLANATION, HINT, NO_DATA_HTML, backprop_html, scores_html
from .point_data import PointDataPanel

#: colours a regression point may take (its target, −1 … +1, in this many steps)
VALUE_COLOURS = 64
#: while training, the scores table is rewritten at most this often (seconds)
SCORES_SECONDS = 0.1
#: dash movement along the links per snapshot while training, in pixels
FLOW_PER_FRAME = 0.6


class NeuralNetPanel(PointDataPanel):
    columns = ("x1", "x2", "label", "test")
    explanation_html = EXPLANATION
    hint = HINT
    max_points = 20_000
    no_data_status = "no data: click the data plot to add points"

    def __init__(self, *, seed: int = 0, threaded: bool = True, parent=None):
        self.seed = seed
        self.architecture = Architecture()
        self._checking_probe: NeuralNetProbe | None = None
        self._snapshot: Snapshot | None = None
        self._structure: tuple | None = None
        self._focus: tuple[int, int] | None = None
        self._focus_map: np.ndarray | None = None
        self._extent: tuple[float, float] | None = None
        self._input_maps: tuple[tuple[float, float], np.ndarray] | None = None
        self._input_thumbnails: tuple[tuple[float, float], np.ndarray] | None = None
        self._shown_rows = np.empty(0, dtype=int)
        self._editing: tuple[str, int, int] | None = None
        self._flow = 0.0
        self._scores_shown = -math.inf
        rows = make_rows("circle", 500, 0.0, 50.0, seed)
        probe = NeuralNetProbe(self.architecture.features, self.architecture.head)
        trainer = self.architecture.network(learning_rate=0.03, batch_size=10)
        super().__init__(trainer, probe, rows, threaded=threaded, parent=parent)
        self.runner.diverged.connect(self._on_diverged_offer_a_way_back)  # after the panel core's own message
        self._show_architecture(self.architecture)
        self.data_shown(self.data.rows)

    # -- layout ------------------------------------------------------------------------------------
    def build(self) -> None:
        super().build()
        self.data_plot = PointEditor(
            "Data and the network's output", "x₁", "x₂", classes=("orange (class 0)", "blue (class 1)")
        )
        self.data_plot.setToolTip(
            "Left-click adds a point of the class chosen under Data, right-click one of the other class · "
            "drag a point to move it · right-click a point to delete it"
        )
        # the map is a coarse grid (a forward pass per frame costs by the point): drawn smooth, not in blocks
        self.data_plot.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        self.output_map = HeatMap(self.data_plot, label="P(blue)")
        # regression: each point in the colour of its value (the editor's own dots say only its sign)
        self._value_dots = pg.ScatterPlotItem(size=9)
        self._value_dots.setZValue(10.5)
        self._value_brushes: list = []
        self.data_plot.themed(self._value_dots, self._restyle_value_dots)
        self._test_rings = self.data_plot.scatter("#00000000", pen="foreground", size=13)
        self._test_rings.setZValue(12)
        self._map_note = self.data_plot.text("foreground", anchor=(0.0, 0.0))
        self._map_note.setZValue(20)
        self.connect_editor(self.data_plot)
        self.network = NetworkView()
        self.network.describe = self._describe_parameter
        self.network.node_hovered.connect(self._on_network_node_hovered)
        self.network.node_clicked.connect(self._on_network_node_clicked)
        self.network.link_clicked.connect(self._on_network_link_clicked)
        self.network.bias_clicked.connect(self._on_network_bias_clicked)
        self.network.resize_clicked.connect(self._on_network_resize_clicked)
        self.loss_curve = LossCurve("Loss while training", {"loss": "training", "test loss": "test"})
        self.loss_curve.setToolTip(
            "The objective on the training points and on the test points (both include the L1/L2 penalty, "
            "so their gap is what the unseen points make)"
        )
        self.scores = SteadyLabel()
        self.scores.setTextFormat(Qt.TextFormat.RichText)
        self.scores.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.scores.setToolTip("Accuracy: the share of points whose class the network guesses right")
        scores_box = QGroupBox("Scores")
        scores_layout = QVBoxLayout(scores_box)
        scores_layout.addWidget(self.scores)
        scores_layout.addStretch(1)
        self.inspector = StepInspector(self._inspector_html, NO_DATA_HTML)
        self.add_plot(GridCell(self._build_network_area()), 0, 0, 1, 2)
        self.add_plot(GridCell(self.data_plot), 0, 2)
        self.add_plot(GridCell(self.loss_curve), 1, 0)
        self.add_plot(GridCell(scores_box), 1, 1)
        self.add_plot(GridCell(self.inspector), 1, 2)
        self.grid.setRowStretch(0, 3)
        self.grid.setRowStretch(1, 2)
        self.grid.setColumnStretch(0, 3)
        self.grid.setColumnStretch(1, 2)
        self.grid.setColumnStretch(2, 5)
        self._build_side()

    def _build_network_area(self) -> QWidget:
        self.layers_bar = LayersBar()
        self.layers_bar.minus.clicked.connect(lambda: self._change_layer_count(-1))
        self.layers_bar.plus.clicked.connect(lambda: self._change_layer_count(+1))
        self.value_editor = ValueEditor()
        self.value_editor.value_entered.connect(self._on_value_editor_value_entered)
        area = QWidget()
        layout = QVBoxLayout(area)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.layers_bar)
        layout.addWidget(self.network, 1)
        layout.addWidget(self.value_editor)
        return area

    def _build_side(self) -> None:
        data = self.data_box = DataControls(self.seed)
        for box in (data.points, data.noise, data.share, data.seed):
            box.valueChanged.connect(self._on_data_setting_changed)
        data.dataset.currentTextChanged.connect(self._on_dataset_box_changed)
        data.new_button.clicked.connect(self._on_new_button_clicked)
        data.show_test.toggled.connect(lambda _on: self.data_shown(self.data.rows))
        data.discretize.toggled.connect(lambda _on: self._redraw())
        data.click_class.currentIndexChanged.connect(self._on_click_class_changed)
        network = self.network_box = NetworkControls()
        network.problem.currentTextChanged.connect(self._on_problem_box_changed)
        network.output.currentTextChanged.connect(self._on_output_box_changed)
        network.activation.currentTextChanged.connect(self._on_activation_box_changed)
        network.linear_button.clicked.connect(lambda: network.activation.setCurrentText("linear"))
        self.bind(Binding.spin_box(self.runner, "l1", network.l1, on_refused=self.show_message))
        self.bind(Binding.spin_box(self.runner, "l2", network.l2, on_refused=self.show_message))
        goal = self.goal_box = GoalControls()
        goal.scale.currentTextChanged.connect(self.loss_curve.set_scale)
        for box in (data, network, goal):
            self.add_side(box)
        settings = {
            **data.settings(),
            "problem": network.problem,
            "output": network.output,
            "activation": network.activation,
            "stop_at_target": goal.stop,
            "target_loss": goal.target,
            "loss_scale": goal.scale,
        }
        for name, widget in settings.items():
            self.settings.add(name, widget)
        self.settings.add_custom(
            "features", self.network, lambda: list(self.architecture.features), lambda _v: None, _check_features
        )

    # -- the architecture ----------------------------------------------------------------------------
    def _show_architecture(self, arch: Architecture) -> None:
        """Controls show this architecture (signals blocked: showing is not changing)."""
        regression = arch.head == "linear"
        network = self.network_box
        with QSignalBlocker(network.problem), QSignalBlocker(network.output), QSignalBlocker(network.activation):
            network.problem.setCurrentText("regression" if regression else "classification")
            if not regression:
                network.output.setCurrentText(head_text(arch.head))
            network.activation.setCurrentText(ACTIVATION_WORDS[arch.activation])
        network.output.setEnabled(not regression)
        network.linear_button.setEnabled(arch.activation != "linear")
        self.layers_bar.show_count(len(arch.hidden), MAX_HIDDEN_LAYERS)
        self.data_box.show_problem(regression)

    def change_architecture(self, new: Architecture, text: str) -> None:
        """A new network of this architecture, as one undoable step (nothing happens if it is the same)."""
        if new != self.architecture:
            self.undo_stack.push(ArchitectureCommand(self, self.architecture, new, text))

    def switch_architecture(self, old: Architecture, new: Architecture, saved: dict) -> None:
        """Keep the current network under ``old`` and load ``new``'s: as it was left, or a fresh one."""
        playing = self.runner.playing
        state = self._ask("session")
        if state is not None:
            saved[old] = state
        current = state["trainer"]["hyperparameters"] if state is not None else self.runner.latest.hyperparameters
        keep = {name: current[name] for name in ("learning_rate", "batch_size", "l1", "l2")}
        probe = NeuralNetProbe(new.features, new.head)
        rows = self.data.rows
        restored = saved.pop(new, None)
        if restored is not None and self._trained_on(restored["trainer"], probe, rows):
            trainer_state = {**restored["trainer"]}
            trainer_state["hyperparameters"] = {**trainer_state["hyperparameters"], **keep}
            history = restored["history"]
        else:
            trainer = new.network(**keep, seed=current["seed"])
            if rows.shape[0]:
                trainer.set_data(*probe.data(rows))
            trainer_state, history = trainer.raw_state(), None
        if rows.shape[0]:
            probe.data(rows)  # the probe keeps the test points and the plane's extent
        self.architecture = new
        self._focus = self._focus_map = None
        self.runner.load(trainer_state, history, probe=probe)
        self._show_architecture(new)
        if playing:
            self.runner.play()

    @staticmethod
    def _trained_on(state: dict, probe: NeuralNetProbe, rows: np.ndarray) -> bool:
        """Whether a kept network's data are these rows (undo is linear, so they are; a network kept on other
        data would not be brought back).  With no rows there is nothing to disagree with: a trainer keeps the
        data it had until it is given new ones."""
        if not rows.shape[0]:
            return True
        saved = MLP.from_state_dict(state)
        X, y = probe.split(rows)[:2]
        return saved.X is not None and np.array_equal(saved.X, X) and np.array_equal(saved.y, y)

    def _change_layer_count(self, delta: int) -> None:
        hidden = self.architecture.hidden
        if delta < 0 and hidden:
            self.change_architecture(replace(self.architecture, hidden=hidden[:-1]), "remove a hidden layer")
        elif delta > 0 and len(hidden) < MAX_HIDDEN_LAYERS:
            self.change_architecture(replace(self.architecture, hidden=(*hidden, 2)), "add a hidden layer")

    def _on_network_resize_clicked(self, layer: int, delta: int) -> None:
        hidden = list(self.architecture.hidden)
        index = layer - 1
        if 0 <= index < len(hidden) and 1 <= hidden[index] + delta <= MAX_NEURONS:
            hidden[index] += delta
            words = "add a neuron to" if delta > 0 else "remove a neuron from"
            self.change_architecture(replace(self.architecture, hidden=tuple(hidden)), f"{words} layer {layer}")

    def _on_network_node_clicked(self, layer: int, node: int) -> None:
        if layer != 0:
            return
        key = list(FEATURES)[node]
        features = set(self.architecture.features) ^ {key}
        if not features:
            self.show_message("The network needs at least one input: switch another one on first.")
            return
        words = "off" if key in self.architecture.features else "on"
        self.change_architecture(
            replace(self.architecture, features=ordered_features(features)), f"switch {FEATURES[key]} {words}"
        )

    def _on_activation_box_changed(self, text: str) -> None:
        name = {words: name for name, words in ACTIVATION_WORDS.items()}[text]
        self.change_architecture(replace(self.architecture, activation=name), f"{text} activation")

    def _on_output_box_changed(self, text: str) -> None:
        self.change_architecture(replace(self.architecture, head=CLASSIFICATION_HEADS[text]), f"{text} output")

    def _on_problem_box_changed(self, text: str) -> None:
        self._switch_problem("plane" if text == "regression" else "circle")

    def _switch_problem(self, dataset: str) -> None:
        """Classes ↔ numbers: a matching data set and output, as one undoable step."""
        regression = dataset in REGRESSION_SETS
        head = "linear" if regression else CLASSIFICATION_HEADS[self.network_box.output.currentText()]
        new = replace(self.architecture, head=head)
        rows = self._drawn_rows(dataset)
        with QSignalBlocker(self.data_box.dataset):
            self.data_box.dataset.setCurrentText(dataset)
        self.undo_stack.beginMacro(f"{'regression' if regression else 'classification'} on {dataset}")
        if regression:  # numbers are refused by a classifier: the output changes first
            self.change_architecture(new, "linear output")
            self.replace_data(rows, f"{dataset} data")
        else:
            self.replace_data(rows, f"{dataset} data")
            self.change_architecture(new, "classifier output")
        self.undo_stack.endMacro()
        self._show_architecture(self.architecture)
        self._frame()

    # -- data ------------------------------------------------------------------------------------------
    def _drawn_rows(self, dataset: str | None = None) -> np.ndarray:
        return make_rows(
            dataset or self.data_box.dataset.currentText(),
            self.data_box.points.value(),
            self.data_box.noise.value(),
            self.data_box.share.value(),
            self.data_box.seed.value(),
        )

    def _draw_data(self, text: str) -> None:
        dataset = self.data_box.dataset.currentText()
        if (dataset in REGRESSION_SETS) != (self.architecture.head == "linear"):
            self._switch_problem(dataset)
        elif self.replace_data(self._drawn_rows(), text):
            self._frame()

    def _on_dataset_box_changed(self, name: str) -> None:
        self._draw_data(f"{name} data")

    def _on_data_setting_changed(self, _value) -> None:
        self._draw_data("new data")

    def _on_new_button_clicked(self) -> None:
        with QSignalBlocker(self.data_box.seed):
            self.data_box.seed.setValue(min(self.data_box.seed.value() + 1, self.data_box.seed.maximum()))
        self._draw_data("new data")

    def _on_click_class_changed(self, index: int) -> None:
        self.data_plot.current_class = 1 - index

    def point_row(self, x: float, y: float, label: int) -> tuple[float, ...]:
        """A clicked point is a training point; for regression its target is +1 (blue) or −1 (orange)."""
        value = float(label) if self.architecture.head != "linear" else (1.0 if label == 1 else -1.0)
        return (x, y, value, 0.0)

    def _data_index(self, shown: int) -> int | None:
        return int(self._shown_rows[shown]) if 0 <= shown < len(self._shown_rows) else None

    def _on_editor_point_moved(self, index: int, x: float, y: float, drag: int) -> None:
        row = self._data_index(index)
        if row is not None:
            super()._on_editor_point_moved(row, x, y, drag)

    def _on_editor_point_deleted(self, index: int) -> None:
        row = self._data_index(index)
        if row is not None:
            super()._on_editor_point_deleted(row)

    def check_rows(self, rows: np.ndarray) -> None:
        if rows.shape[0] > self.max_points:
            raise ValueError(f"This tab takes at most {self.max_points:,} points.")
        (self._checking_probe or self.runner.probe).check_rows(None, rows)

    def data_shown(self, rows: np.ndarray) -> None:
        test = rows[:, TEST] == 1 if rows.shape[0] else np.zeros(0, dtype=bool)
        self._shown_rows = np.arange(len(rows)) if self.data_box.show_test.isChecked() else np.flatnonzero(~test)
        shown = rows[self._shown_rows]
        labels = shown[:, LABEL] > (0.0 if self.architecture.head == "linear" else 0.5)
        self.data_plot.set_points(shown[:, :2], labels.astype(int))
        rings = shown[shown[:, TEST] == 1]
        self._test_rings.setData(rings[:, 0], rings[:, 1])
        self._draw_values(shown)
        extent = plane_extent(rows)
        if extent != self._extent:
            self._extent = extent
            self._frame()
        self.data_plot.highlight(None)

    def _restyle_value_dots(self, palette: Palette) -> None:
        table = class_colormap(palette, strength=1.0).getLookupTable(nPts=VALUE_COLOURS, alpha=True)
        self._value_brushes = [pg.mkBrush(*colour) for colour in table.tolist()]
        self._value_dots.setPen(pg.mkPen(palette.point_edge, width=1))
        if hasattr(self, "data_box"):  # (a theme change, not the first styling while building)
            self.data_shown(self.data.rows)

    def _draw_values(self, shown: np.ndarray) -> None:
        """Regression: the drawn points coloured by their target, −1 orange … +1 blue (as the map)."""
        if self.architecture.head != "linear" or not len(shown):
            self._value_dots.setData([], [])
            return
        drawn = shown[self.data_plot.drawn_indices]
        level = np.clip((drawn[:, LABEL] + 1.0) / 2.0, 0.0, 1.0)
        index = np.round(level * (VALUE_COLOURS - 1)).astype(int)
        self._value_dots.setData(drawn[:, 0], drawn[:, 1], brush=[self._value_brushes[i] for i in index])

    def input_maps(self, extent: tuple[float, float]) -> np.ndarray:
        """Every input feature's map over the grid of this extent, ``(features, GRID, GRID)`` (made once)."""
        if self._input_maps is None or self._input_maps[0] != extent:
            features = tuple(FEATURES)
            maps = feature_columns(grid_points(extent), features).T.reshape(len(features), GRID, GRID)
            self._input_maps = (extent, maps)
        return self._input_maps[1]

    def _frame(self) -> None:
        ex, ey = self._extent or plane_extent(self.data.rows)
        self.data_plot.view_box.setRange(xRange=(-ex, ex), yRange=(-ey, ey), padding=0)

    def import_csv(self, path: str | Path) -> None:
        """Three columns (x₁, x₂, label: split by the training share) or four (… and test 0/1); labels ±1
        are read as classes 0/1 for classification."""
        width = _csv_width(path)
        rows, header = read_csv(path, width, self.max_points)
        if width == 3:
            flags = split_flags(len(rows), self.data_box.share.value(), self.data_box.seed.value())
            rows = np.column_stack([rows, flags])
            header = None if header is None else [*header, "test"]
        labels = rows[:, LABEL]
        if self.architecture.head != "linear" and np.isin(labels, (-1.0, 1.0)).all() and (labels == -1).any():
            rows[:, LABEL] = (labels > 0).astype(float)
        self.check_rows(rows)
        self.data.replace(rows, f"import {Path(path).name}", header or list(self.columns))
        self.data_imported(rows, self.header)

    def data_imported(self, rows: np.ndarray, header: list[str]) -> None:
        self.data_plot.setLabel("bottom", header[0])
        self.data_plot.setLabel("left", header[1])
        self._frame()

    # -- parameters by hand ----------------------------------------------------------------------------
    def _describe_parameter(self, kind: str, k: int, row: int, column: int, value: float) -> str:
        """A pointed-at weight (matrix ``k``, from layer k to k + 1) or bias (of layer ``k``), in words."""
        layers = len(self.architecture.hidden) + 1
        target_layer = k if kind == "bias" else k + 1
        target = "the output" if target_layer == layers else f"neuron {column + 1} of layer {target_layer}"
        if kind == "bias":
            return f"b{k}: bias of {target} = {value:+.4g} (click to edit)"
        source = FEATURES[self.architecture.features[row]] if k == 0 else f"neuron {row + 1} of layer {k}"
        return f"W{k + 1}: {source} → {target} = {value:+.4g} (click to edit)"

    def _on_network_link_clicked(self, k: int, row: int, column: int) -> None:
        self._edit_parameter((f"W{k + 1}", row, column), self.network.weight(k, row, column))

    def _on_network_bias_clicked(self, layer: int, node: int) -> None:
        biases = self._snapshot.params[f"b{layer}"] if self._snapshot is not None else None
        if biases is not None:
            self._edit_parameter((f"b{layer}", 0, node), float(biases[node]))

    def _edit_parameter(self, where: tuple[str, int, int], value: float) -> None:
        self._editing = where
        name, row, column = where
        label = f"{name}[{row + 1}→{column + 1}] =" if name.startswith("W") else f"{name}[{column + 1}] ="
        self.value_editor.edit(label, value)

    def _on_value_editor_value_entered(self, value: float) -> None:
        where, self._editing = self._editing, None
        if where is None or self._snapshot is None:
            return
        name, row, column = where
        current = self._snapshot.params[name]
        before = float(current[row, column] if name.startswith("W") else current[column])
        if value != before:
            self.undo_stack.push(ParameterCommand(self, where, before, value))

    # -- pointing at a neuron ---------------------------------------------------------------------------
    def _ask(self, name: str, **kwargs):
        """A question to the trainer; None if it cannot answer now (its process was lost or is restarting)."""
        try:
            return self.runner.query(name, **kwargs)
        except (RuntimeError, TimeoutError, ValueError):
            return None

    def _on_network_node_hovered(self, layer: int, node: int) -> None:
        """Pointing at a neuron or an input shows its map large; at the output (or away), the output's."""
        if layer == len(self.architecture.hidden) + 1:
            layer = -1  # the output is what the big map shows anyway
        if layer < 0:
            self._focus = self._focus_map = None
            if self.has_data:
                self._ask("focus")
        elif layer == 0:
            self._focus, self._focus_map = (0, node), None
        else:
            self._focus = (layer, node)
            self._focus_map = self._ask("focus", layer=layer, node=node) if self.has_data else None
        self._redraw()

    def _redraw(self) -> None:
        if self._snapshot is not None:
            self.show_snapshot(self._snapshot)

    # -- snapshots ------------------------------------------------------------------------------------------
    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        self.inspector.show_snapshot(snapshot)
        extra, hyper = snapshot.extra, snapshot.hyperparameters
        features = extra.get("features", self.runner.probe.features)  # (no data: no extra; the loaded probe's)
        if len(features) == hyper["layer_sizes"][0]:
            self._update_structure(features, hyper)
        layers = len(hyper["layer_sizes"]) - 1
        params = snapshot.params
        if params:  # a network has weights with or without data
            self.network.set_parameters(
                [params[f"W{k}"] for k in range(1, layers + 1)], [params[f"b{k}"] for k in range(1, layers + 1)]
            )
        if not snapshot.has_data or "thumbnails" not in extra:
            self._show_no_data()
            return
        self._draw_thumbnails(extra, snapshot.hyperparameters["activation"])
        self._draw_map(extra, snapshot.hyperparameters["activation"])
        self._draw_notes(extra)
        self.network.set_flowing(self._next_flow() if snapshot.playing else None)
        self.loss_curve.set_history(snapshot.history)
        self._draw_scores(snapshot, extra)
        report = snapshot.report
        current = report is not None and snapshot.revision == snapshot.report_revision and not report.diverged
        partial = current and report.batch.size < snapshot.n_points
        if partial and len(self._shown_rows):
            training = np.flatnonzero(self.data.rows[:, TEST] == 0)
            shown_position = np.searchsorted(self._shown_rows, training[report.batch[report.batch < len(training)]])
            self.data_plot.highlight(shown_position)
        else:
            self.data_plot.highlight(None)
        self._check_target(snapshot)

    def _next_flow(self) -> float:
        self._flow = (self._flow + FLOW_PER_FRAME) % 60.0
        return self._flow

    def _show_no_data(self) -> None:
        """With every point deleted the maps are not drawn: a picture of a network trained on data that are
        gone would mislead (the diagram keeps its weights)."""
        self.network.clear_pictures()
        self.network.set_notes({})
        self.output_map.clear()
        self._map_note.setText("")
        self.loss_curve.clear_picture()
        self.scores.setText("<span style='color:gray'>no data</span>")
        self.data_plot.highlight(None)

    def _update_structure(self, features: tuple[str, ...], hyper: dict) -> None:
        key = (features, tuple(hyper["layer_sizes"]), hyper["activation"], hyper["output_activation"])
        if key != self._structure:
            self._structure = key
            self.network.set_layers(diagram_layers(features, hyper))

    def _layer_levels(self, images: list[np.ndarray], activation: str, head: str) -> list[tuple[float, float]]:
        levels = []
        for image in images[:-1]:
            if activation == "tanh":
                levels.append((-1.0, 1.0))
            elif activation == "sigmoid":
                levels.append((0.0, 1.0))
            else:
                reach = float(np.nanmax(np.abs(image))) if image.size else 1.0
                reach = reach if math.isfinite(reach) and reach > 0 else 1.0
                levels.append((-reach, reach))
        levels.append((0.0, 1.0) if head == "sigmoid" else (-1.0, 1.0))
        return levels

    def _draw_thumbnails(self, extra: dict, activation: str) -> None:
        thumbnails = extra["thumbnails"]
        levels = [(-1.0, 1.0), *self._layer_levels(thumbnails, activation, extra["head"])]
        self.network.set_images([self.input_thumbnails(extra["extent"]), *thumbnails], levels)

    def input_thumbnails(self, extent: tuple[float, float]) -> np.ndarray:
        """The inputs' pictures, each scaled to ±1 (the same array while the plane is the same: not redrawn)."""
        if self._input_thumbnails is None or self._input_thumbnails[0] != extent:
            inputs = self.input_maps(extent)[:, ::STRIDE, ::STRIDE]
            reach = np.abs(inputs).reshape(len(inputs), -1).max(axis=1, keepdims=True)[:, :, None]
            self._input_thumbnails = (extent, inputs / np.where(reach > 0, reach, 1.0))
        return self._input_thumbnails[1]

    def _draw_map(self, extra: dict, activation: str) -> None:
        """The output's map under the data — or the neuron pointed at."""
        (ex, ey), head = extra["extent"], extra["head"]
        focus = self._focus
        values, what = extra["output"], "output"
        if focus is not None and focus[0] == 0:
            key = list(FEATURES)[focus[1]]
            values, what = self.input_maps(extra["extent"])[focus[1]], "input"
            label = FEATURES[key]
        elif focus is not None:
            carried = extra.get("focus")
            if carried is not None and carried[0] == focus and carried[1] is not None:
                self._focus_map = carried[1]
            if self._focus_map is not None:
                values, what = self._focus_map, "neuron"
        discretize = self.data_box.discretize.isChecked()
        if what == "output":
            probability = head == "sigmoid"
            middle = 0.5 if probability else 0.0
            if discretize:
                values = np.where(values > middle, 1.0, 0.0 if probability else -1.0)
            scale = (0.0, 1.0) if probability else (-1.0, 1.0)
            bar = "P(blue)" if probability else ("output (tanh)" if head == "tanh" else "predicted value")
            self.output_map.set_scale(scale, (middle,), middle, bar)  # the boundary; the colours say how sure
            note = ""
        elif what == "input":
            reach = float(np.abs(values).max()) or 1.0
            self.output_map.set_scale((-reach, reach), (0.0,), 0.0, label)
            note = f"input {label}"
        else:
            layer, node = focus
            if activation == "tanh":
                scale, middle = (-1.0, 1.0), 0.0
            elif activation == "sigmoid":
                scale, middle = (0.0, 1.0), 0.5
            else:
                reach = float(np.nanmax(np.abs(values))) or 1.0
                scale, middle = ((-reach, reach) if math.isfinite(reach) else (-1.0, 1.0)), None
            self.output_map.set_scale(scale, () if middle is None else (middle,), middle, "activation")
            note = f"neuron {node + 1} of layer {layer}"
        self.output_map.set_map(np.nan_to_num(np.asarray(values, dtype=float)), (-ex, ex), (-ey, ey))
        self._map_note.setText(note)
        (x0, _x1), (_y0, y1) = self.data_plot.view_box.viewRange()
        self._map_note.setPos(x0, y1)

    def _draw_notes(self, extra: dict) -> None:
        notes = {}
        checked = extra.get("marked_on", 0)
        for k, (dead, saturated) in enumerate(zip(extra.get("dead", []), extra.get("saturated", []), strict=True)):
            for i in np.flatnonzero(dead):
                notes[(k + 1, int(i))] = f"✕ dead: its ReLU is 0 on all {checked} training points, so it never learns"
            for i in np.flatnonzero(saturated):
                notes[(k + 1, int(i))] = (
                    f"✕ saturated: near the end of its range on all {checked} training points, so its gradient "
                    "is almost 0"
                )
        self.network.set_notes(notes)

    def _draw_scores(self, snapshot: Snapshot, extra: dict) -> None:
        now = time.monotonic()
        if snapshot.playing and now - self._scores_shown < SCORES_SECONDS:
            return  # a table of numbers is read, not watched: ten times a second is plenty while playing
        self._scores_shown = now
        history = snapshot.history
        classification = extra["head"] != "linear"
        train, test = split_rows(self.data.rows)
        self.scores.setText(
            scores_html(
                (history.latest("loss"), history.latest("test loss")),
                (history.latest("training accuracy"), history.latest("test accuracy")) if classification else None,
                extra.get("confusion_test") if classification else None,
                (len(train), len(test)),
            )
        )

    def _check_target(self, snapshot: Snapshot) -> None:
        if not (snapshot.playing and self.goal_box.stop.isChecked()):
            return
        test_loss = snapshot.history.latest("test loss")
        if math.isfinite(test_loss) and test_loss <= self.goal_box.target.value():
            self.runner.pause()
            self.show_message(
                f"Stopped at step {snapshot.step:,}: the test loss {test_loss:.4g} reached the target "
                f"{self.goal_box.target.value():g}."
            )

    def divergence_advice(self, learning_rate: float) -> str:
        return f"the learning rate {learning_rate:g} is too large for this network (try ten times smaller)"

    def _on_diverged_offer_a_way_back(self, report: StepReport) -> None:
        """After the panel core's message: offer to go on from the last weights that were still learning."""
        step = self._ask("healthy_step")
        if not step:
            return  # none, or the start: the panel core's "lower it and Reset" says it all
        self.show_message(
            f"Training stopped: the update after step {report.step - 1:,} made the loss overflow, so it was not "
            f"applied — {self.divergence_advice(report.learning_rate)}. The weights it reached are far out; "
            f"at step {step:,} they were still learning. Lower the learning rate, then go back to step {step:,} "
            "and press Play to go on from there (or Reset to start again).",
            (f"Back to step {step:,}", self.go_back),
        )

    def go_back(self) -> None:
        """Back to the last weights that were still learning (after a divergence)."""
        self.message.dismiss()
        self.runner.action("go_back")

    # -- the step inspector ---------------------------------------------------------------------------------
    def _inspector_html(self, report: StepReport, _batch: tuple, loss_after: float | None) -> str:
        latest = self.runner.latest
        n_points = latest.n_points if latest is not None else report.batch.size
        setting = latest.hyperparameters.get("batch_size") if latest is not None else None
        words = batch_words(report.batch.size, n_points, setting).replace("points", "training points", 1)
        return backprop_html(report, words, loss_after)

    # -- sessions ------------------------------------------------------------------------------------------
    def session_state(self) -> dict:
        state = super().session_state()
        state["data_digest"] = _digest(self.data.rows)
        return state

    def session_probe(self, settings: dict) -> NeuralNetProbe:
        features = settings.get("features", list(self.architecture.features))
        if settings.get("problem", self.network_box.problem.currentText()) == "regression":
            head = "linear"
        else:
            head = CLASSIFICATION_HEADS[settings.get("output", self.network_box.output.currentText())]
        return NeuralNetProbe(features, head)

    def parse_more(self, state: dict, parsed: dict) -> dict:
        probe: NeuralNetProbe = parsed["probe"]
        hyper = parsed["trainer"]["hyperparameters"]
        sizes = [int(s) for s in hyper["layer_sizes"]]
        hidden = tuple(sizes[1:-1])
        if sizes[0] != len(probe.features):
            raise ValueError(f"its network has {sizes[0]} inputs but {len(probe.features)} input features are on")
        if hyper["output_activation"] != probe.head:
            raise ValueError("its network's output does not match its problem and output settings")
        if len(hidden) > MAX_HIDDEN_LAYERS or any(not 1 <= units <= MAX_NEURONS for units in hidden):
            raise ValueError(f"its network has hidden layers {hidden}; this tab takes up to 6 of 1 to 8 neurons")
        activation = hyper["activation"]
        if activation not in ACTIVATION_WORDS:
            raise ValueError(f"its network's activation {activation!r} is not one this tab offers")
        if parsed["settings"].get("activation", ACTIVATION_WORDS[activation]) != ACTIVATION_WORDS[activation]:
            raise ValueError("its activation setting does not match its network")
        self._checking_probe = probe
        try:
            more = super().parse_more(state, parsed)
        finally:
            self._checking_probe = None
        if state.get("data_digest") != _digest(more["rows"]):
            raise ValueError("its points do not match the check sum saved with them")
        more["architecture"] = Architecture(probe.features, hidden, activation, probe.head)
        return more

    def apply_session_state(self, parsed: dict) -> None:
        self.architecture = parsed["architecture"]
        self._focus = self._focus_map = None
        super().apply_session_state(parsed)

    def after_session_loaded(self) -> None:
        self._show_architecture(self.architecture)
        self.data_plot.current_class = 1 - self.data_box.click_class.currentIndex()
        self.loss_curve.set_scale(self.goal_box.scale.currentText())
        self.data_plot.setLabel("bottom", self.header[0])
        self.data_plot.setLabel("left", self.header[1])
        self._extent = None


def _check_features(value) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise ValueError("must be a list of feature names")
    return list(ordered_features(value))


def _digest(rows: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(rows, dtype=float).tobytes()).hexdigest()


def _csv_width(path: str | Path) -> int:
    """How many columns a CSV file's first line has (3 or 4 are taken; anything else is read as 4, which
    makes the reader name the problem)."""
    try:
        raw = Path(path).read_bytes()[:65536]
    except OSError:
        return 4  # the reader says why it cannot read it
    text = raw.decode("utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig", errors="replace")
    first = next((line for line in text.splitlines() if line.strip()), "")
    cells = len(first.split(";" if ";" in first else ","))
    return cells if cells in (3, 4) else 4
