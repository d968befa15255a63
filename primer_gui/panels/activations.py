"""The Activations tab: what an activation function does, and why a network needs a non-linear one.

Three parts.  Every activation in ``core.activations`` drawn with its slope,
the inputs where that slope is about zero (saturated, or dead) shaded.  One
neuron built by hand from sliders: the weighted sum written out with its
numbers, the activation applied, and the neuron's output over the whole plane.
And the proof: the same small network trained twice side by side — same data,
same seed, same settings — once with linear activations and once with a
non-linear one.  The linear one stays a straight line however many layers it
has (its accuracy stays at the majority baseline on the circle); the other
bends around the circle.

The tab has two runners: its own (the non-linear network) and a second one of
the same kit class for the linear network, which follows every command —
Step, Play/Pause, One epoch, Reset, learning rate, batch size, speed,
visibility, shutdown and sessions.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGridLayout, QGroupBox, QLabel

from ..core import MLP
from ..core.activations import ACTIVATIONS
from ..core.trainer import StepReport
from ..glossary import link
from ..training.engine import Snapshot
from ..training.history import parse_history_state
from ..training.runner import TrainingRunner
from ..widgets.controls import SPEEDS
from ..widgets.data_box import DataBox
from ..widgets.palette import Palette
from ..widgets.plots import Plot
from ..widgets.value_slider import ValueSlider
from .activations_probe import DATASETS, LAYER_SIZES, NetworkProbe, majority_baseline, network_rows
from .activations_views import (
    NEURON_RANGE,
    SATURATED,
    AccuracyPlot,
    ActivationGallery,
    NetworkMap,
    NeuronView,
)
from .base import ConceptPanel

NONLINEAR = tuple(name for name in ACTIVATIONS if name != "linear")
#: the neuron's sliders: name → (label, initial value)
NEURON = {"x1": ("x₁", 1.0), "x2": ("x₂", -0.5), "w1": ("w₁", 1.5), "w2": ("w₂", 1.0), "b": ("b", -0.5)}
#: how fast the two networks train when Play is pressed (updates per second, from the speed menu)
DEFAULT_SPEED = "300 updates/s"
#: the learning rate and batch size the two networks start with (full batch: no noise hides the lesson)
NETWORK_DEFAULTS = {"learning_rate": 0.3, "batch_size": None}

EXPLANATION = f"""
<p>A neuron takes the weighted sum of its inputs, the {link("dot product")} <i>z = w₁x₁ + w₂x₂ + b</i>, and
passes it through an {link("activation function")} <i>a = f(z)</i>: that decides how strongly the neuron
"fires" into the next layer. Move the sliders of the neuron on the left and read its arithmetic; the map
shows its output for every input at once.</p>
<p>Top: every activation and its slope f′(z). Where the slope is about zero (shaded) the function is
{link("saturation", "saturated")}: a gradient passing back through it almost vanishes, so sigmoid and tanh
units learn slowly at their extremes, and a ReLU stuck below zero passes nothing back at all — it can
{link("dead ReLU", "die")}.</p>
<p>Bottom: the same small network (2 inputs → 6 → 6 → 1), trained side by side on the same data from the same
seed. With linear activations every layer only multiplies and adds, so the whole stack is still one
straight line: on the circle it cannot do better than the {link("majority baseline")}. With a
{link("non-linearity")} the layers bend, and the boundary wraps around the circle.</p>
"""

HINT = (
    "press Play (300 updates a second each, so you can watch) and follow the two boundaries; change the "
    "network's activation to sigmoid (slower: it saturates) or relu (fast). In the neuron, push w₁ to 3 with "
    "tanh: z runs into the shaded tail and f′(z) → 0."
)


class _SetupCommand(QUndoCommand):
    """New data or another activation for the network: undoable (training starts again either way)."""

    def __init__(self, panel: ActivationsPanel, text: str, rows: np.ndarray, activation: str):
        super().__init__(text)
        self._panel = panel
        self._after = (rows, activation)
        self._before = (panel.rows, panel.network_activation)

    def redo(self) -> None:
        self._panel.set_up(*self._after)

    def undo(self) -> None:
        self._panel.set_up(*self._before)


class ActivationsPanel(ConceptPanel):
    explanation_html = EXPLANATION
    hint = HINT

    def __init__(self, *, seed: int = 0, threaded: bool = True, parent=None):
        self.seed = seed
        self._threaded = threaded
        self.rows = network_rows("circle", 250, 0.0, seed)
        self.network_activation = "tanh"
        super().__init__(self._network("tanh"), NetworkProbe(), rows=self.rows, threaded=threaded, parent=parent)
        # two trainers at full speed take both cores from the window, and finish before the eye can follow
        self.controls.speed_box.setCurrentText(DEFAULT_SPEED)
        self._show_data()
        self._show_gallery()
        self._show_neuron()
        if self.linear_runner.latest is not None:
            self._on_linear_runner_snapshot_ready(self.linear_runner.latest)

    def _network(self, activation: str, hyperparameters: dict | None = None) -> MLP:
        settings = {**NETWORK_DEFAULTS, **(hyperparameters or {})}
        network = MLP(
            layer_sizes=LAYER_SIZES,
            activation=activation,
            learning_rate=settings["learning_rate"],
            batch_size=settings["batch_size"],
            seed=self.seed,
        )
        network.set_data(self.rows[:, :2], self.rows[:, 2])
        return network

    # -- layout --------------------------------------------------------------------------------------
    def build(self) -> None:
        self.linear_runner = TrainingRunner(
            self._network("linear"), NetworkProbe(), rows=self.rows, threaded=self._threaded, parent=self
        )
        self.gallery = ActivationGallery()
        self.function_plot, self.derivative_plot = self.gallery.function_plot, self.gallery.derivative_plot
        self.neuron_plot = NeuronView()
        self.linear_plot = NetworkMap("Linear activations")
        self.nonlinear_plot = NetworkMap("tanh activations")
        self.accuracy_plot = AccuracyPlot()
        self.add_plot(self.function_plot, 0, 0)
        self.add_plot(self.derivative_plot, 0, 1)
        self.add_plot(self.neuron_plot, 0, 2)
        self.add_plot(self.linear_plot, 1, 0)
        self.add_plot(self.nonlinear_plot, 1, 1)
        self.add_plot(self.accuracy_plot, 1, 2)
        self.add_side(self._build_gallery_box())
        self.add_side(self._build_neuron_box())
        self.add_side(self._build_network_box())
        self.linear_runner.snapshot_ready.connect(self._on_linear_runner_snapshot_ready)
        self.linear_runner.diverged.connect(self._on_linear_runner_diverged)
        self.linear_runner.failed.connect(self._on_runner_failed)
        self.linear_runner.process_lost.connect(self._on_runner_process_lost)
        self.runner.playing_changed.connect(self._on_runner_playing_changed_follow)
        self.controls.learning_rate_changed.connect(self._on_controls_learning_rate_changed)
        self.controls.batch_size_changed.connect(self._on_controls_batch_size_changed)
        self.controls.speed_changed.connect(self.linear_runner.set_speed)

    def _build_gallery_box(self) -> QGroupBox:
        self.look_box = QComboBox()
        self.look_box.addItems(list(ACTIVATIONS))
        self.look_box.setCurrentText("tanh")
        self.look_box.setToolTip("The activation the neuron uses and whose saturated inputs are shaded")
        self.look_box.currentTextChanged.connect(self._on_look_box_changed)
        grid = QGridLayout()
        self.compare_checks: dict[str, QCheckBox] = {}
        for index, name in enumerate(ACTIVATIONS):
            check = QCheckBox(name)
            check.setChecked(name in ("linear", "sigmoid", "tanh", "relu"))
            check.setToolTip(f"Draw {name} and its slope (the one looked at is always drawn)")
            check.toggled.connect(self._on_compare_check_toggled)
            grid.addWidget(check, index // 2, index % 2)
            self.compare_checks[name] = check
            self.settings.add(f"compare_{name}", check)
        box = QGroupBox("Activation functions")
        layout = QFormLayout(box)
        layout.addRow("Look at", self.look_box)
        layout.addRow(QLabel("Compare with:"))
        layout.addRow(grid)
        self.settings.add("look_at", self.look_box)
        return box

    def _build_neuron_box(self) -> QGroupBox:
        box = QGroupBox("One neuron, by hand")
        layout = QFormLayout(box)
        self.neuron_sliders: dict[str, ValueSlider] = {}
        tips = {
            "x": "An input to the neuron (the dot on the map)",
            "w": "A weight: how much this input counts, and with which sign",
            "b": "The bias: shifts the weighted sum whatever the inputs",
        }
        for name, (label, value) in NEURON.items():
            slider = ValueSlider(*NEURON_RANGE, 0.1, value)
            slider.setToolTip(tips[name[0]])
            slider.value_changed.connect(self._on_neuron_slider_changed)
            layout.addRow(label, slider)
            self.neuron_sliders[name] = slider
            self.settings.add_custom(f"neuron_{name}", slider, slider.value, slider.set_value, slider.check)
        self.neuron_text = QLabel()
        self.neuron_text.setWordWrap(True)
        self.neuron_text.setTextFormat(Qt.TextFormat.RichText)
        layout.addRow(self.neuron_text)
        return box

    def _build_network_box(self) -> QGroupBox:
        self.network_box = QComboBox()
        self.network_box.addItems(list(NONLINEAR))
        self.network_box.setCurrentText(self.network_activation)
        self.network_box.setToolTip(
            "The right-hand network's activation (the left one's is always linear). Changing it starts both "
            "again from the same seed (undoable)."
        )
        self.network_box.currentTextChanged.connect(self._on_network_box_changed)
        self.data_box = DataBox(list(DATASETS), points=(20, 1000, 250), noise=(0.0, 0.5, 0.0), seed=self.seed)
        self.data_box.dataset_box.setToolTip(
            "circle: a disc inside a ring · xor: opposite quadrants · spiral: two arms · gaussian: two blobs a "
            "line can split (there the linear network does fine too). Circle and xor come in mirror pairs (x and "
            "−x, same class), so they are balanced exactly about the centre. Picking one draws it (undoable)."
        )
        self.data_box.new_data_requested.connect(self._on_data_box_new_data_requested)
        form = self.data_box.layout()
        form.insertRow(0, "Activation", self.network_box)
        architecture = QLabel(f"Both: {' → '.join(str(s) for s in LAYER_SIZES)} neurons, sigmoid output")
        architecture.setWordWrap(True)
        form.insertRow(1, architecture)
        self.data_box.setTitle("The two networks")
        for name, widget in (
            ("dataset", self.data_box.dataset_box),
            ("points", self.data_box.points_box),
            ("noise", self.data_box.noise_box),
            ("data_seed", self.data_box.seed_box),
        ):
            self.settings.add(name, widget)
        return self.data_box

    def live_plots(self) -> list[Plot]:
        """The plots training changes, which the panel core repaints once per snapshot while playing.

        The gallery and the neuron never change while training: left out, they keep repainting only when
        their own items change (a slider, a checkbox) instead of at every frame.
        """
        return [self.linear_plot, self.nonlinear_plot, self.accuracy_plot]

    def apply_theme(self, palette: Palette) -> None:
        super().apply_theme(palette)
        for plot in (self.function_plot, self.derivative_plot, self.neuron_plot):
            plot.apply_theme(palette)
        self._show_gallery()

    # -- the gallery -----------------------------------------------------------------------------------
    def _on_look_box_changed(self, _name: str) -> None:
        self._show_gallery()
        self._show_neuron()

    def _on_compare_check_toggled(self, _on: bool) -> None:
        self._show_gallery()

    def _show_gallery(self) -> None:
        if hasattr(self, "look_box"):  # (the theme is applied once before the controls exist)
            compared = {name for name, check in self.compare_checks.items() if check.isChecked()}
            self.gallery.show(self.look_box.currentText(), compared, self._palette)

    # -- the neuron ------------------------------------------------------------------------------------
    def neuron_values(self) -> dict[str, float]:
        return {name: slider.value() for name, slider in self.neuron_sliders.items()}

    def _on_neuron_slider_changed(self, _value: float) -> None:
        self._show_neuron()

    def _show_neuron(self) -> None:
        v = self.neuron_values()
        activation = ACTIVATIONS[self.look_box.currentText()]
        name = activation.name
        z = v["w1"] * v["x1"] + v["w2"] * v["x2"] + v["b"]
        a = float(activation.forward(np.array(z)))
        slope = float(activation.derivative(np.array(z)))
        self.neuron_plot.draw(activation, v["x1"], v["x2"], v["w1"], v["w2"], v["b"])
        self.gallery.mark(z, a, slope)
        if abs(slope) < SATURATED:
            state = (
                "<b>dead</b>: it outputs 0 and passes no gradient back, so training cannot revive it from here"
                if name == "relu" and z <= 0
                else "<b>saturated</b>: f′(z) ≈ 0, so a gradient passing back through it almost vanishes"
            )
        else:
            state = f"a nudge to z moves a by {abs(slope):.2f} × as much: training can move it"
        self.neuron_text.setText(
            f"z = w₁·x₁ + w₂·x₂ + b<br>&nbsp;&nbsp;= ({v['w1']:.2g})({v['x1']:.2g}) + ({v['w2']:.2g})({v['x2']:.2g})"
            f" + ({v['b']:.2g}) = <b>{z:.3g}</b><br>"
            f"a = {name}(z) = {name}({z:.3g}) = <b>{a:.3g}</b><br>"
            f"f′(z) = {slope:.3g}: {state}"
        )

    # -- the two networks ---------------------------------------------------------------------------------
    def _on_network_box_changed(self, name: str) -> None:
        if name != self.network_activation:
            self.undo_stack.push(_SetupCommand(self, f"use {name}", self.rows, name))

    def _on_data_box_new_data_requested(self, name: str, points: int, noise: float, _seed: int) -> None:
        self.data_box.next_seed()
        rows = network_rows(name, points, noise, self.data_box.seed_box.value())
        self.undo_stack.push(_SetupCommand(self, "new data", rows, self.network_activation))

    def set_up(self, rows: np.ndarray, activation: str) -> None:
        """These data and this activation for the networks: both start again from the same seed."""
        latest = self.runner.latest
        hyperparameters = {} if latest is None else {k: latest.hyperparameters[k] for k in NETWORK_DEFAULTS}
        self.rows = np.array(rows, dtype=float, copy=True)
        self.network_activation = activation
        self.network_box.blockSignals(True)
        self.network_box.setCurrentText(activation)
        self.network_box.blockSignals(False)
        self.message.dismiss()
        self.runner.load(self._network(activation, hyperparameters).raw_state(), None, rows=self.rows)
        self.linear_runner.load(self._network("linear", hyperparameters).raw_state(), None, rows=self.rows)
        self._show_data()

    def _show_data(self) -> None:
        self.nonlinear_plot.set_title(f"{self.network_activation} activations")
        self.accuracy_plot.set_names(self.network_activation)
        for plot in (self.linear_plot, self.nonlinear_plot):
            plot.set_points(self.rows)
        self.accuracy_plot.set_baseline(majority_baseline(self.rows[:, 2]))

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self.nonlinear_plot.draw(snapshot)
        self.accuracy_plot.draw(self.runner.history, self.linear_runner.history)

    def _on_linear_runner_snapshot_ready(self, snapshot: Snapshot) -> None:
        """Draw the linear network; its plots are painted with the tab's next frame.

        While playing, the live plots repaint only at the tab's own snapshots (the panel core's one repaint
        per frame): both runners play at the same pace, so repainting here too would paint the window twice
        per frame. When not playing, the plots repaint themselves at once.
        """
        self.linear_plot.draw(snapshot)
        self.accuracy_plot.draw(self.runner.history, self.linear_runner.history)

    # -- both runners follow every command -----------------------------------------------------------------
    def step(self) -> None:
        super().step()
        self.linear_runner.step(1)

    def one_epoch(self) -> None:
        super().one_epoch()
        self.linear_runner.one_epoch()

    def train(self, steps: int) -> None:
        super().train(steps)
        self.linear_runner.step(steps)

    def reset(self) -> None:
        super().reset()
        self.linear_runner.reset()

    def set_shown(self, shown: bool) -> None:
        super().set_shown(shown)
        self.linear_runner.set_visible(shown)

    def shutdown(self) -> bool:
        ours = super().shutdown()
        return self.linear_runner.shutdown() and ours

    def _on_runner_playing_changed_follow(self, playing: bool) -> None:
        self.linear_runner.play() if playing else self.linear_runner.pause()

    def _on_controls_learning_rate_changed(self, value: float) -> None:
        self.linear_runner.set("learning_rate", value)

    def _on_controls_batch_size_changed(self, value: int | None) -> None:
        self.linear_runner.set("batch_size", value)

    def _on_linear_runner_diverged(self, report: StepReport) -> None:
        self.runner.pause()
        self.show_message(
            f"The linear network's update after step {report.step - 1:,} overflowed, so both stopped: "
            f"{self.divergence_advice(report.learning_rate)}. Lower it, then Reset.",
            ("Reset", self.reset),
        )

    # -- sessions: the linear network travels with the tab ---------------------------------------------------
    def session_state(self) -> dict:
        state = super().session_state()
        linear = self.linear_runner.query("session")
        state["linear"] = linear
        return state

    def parse_more(self, state: dict, parsed: dict) -> dict:
        main = parsed["restored"]
        if main.layer_sizes != LAYER_SIZES or main.activation not in NONLINEAR:
            raise ValueError(f"its network is not {LAYER_SIZES} with a non-linear activation")
        if main.X is None:
            raise ValueError("its network has no data")
        linear = state.get("linear")
        if not isinstance(linear, dict) or not {"trainer", "history"} <= set(linear):
            raise ValueError("it has no linear network")
        if not isinstance(linear["trainer"], dict) or linear["trainer"].get("class") != "MLP":
            raise ValueError("its linear network is not a network")
        other = MLP.from_state_dict(linear["trainer"])
        mine, theirs = main.hyperparameter_values(), other.hyperparameter_values()
        if other.activation != "linear" or {**mine, "activation": "linear"} != theirs:
            raise ValueError("its linear network is not the same network with linear activations")
        if other.X is None or not (np.array_equal(other.X, main.X) and np.array_equal(other.y, main.y)):
            raise ValueError("its two networks were trained on different data")
        steps = parse_history_state(linear["history"], NetworkProbe.series)[0]
        if steps and steps[-1] > other.step_count:
            raise ValueError("its linear network's history goes past its trainer")
        rows = np.column_stack([main.X, main.y])
        return {"linear": linear, "rows": rows, "activation": main.activation}

    def load_more(self, parsed: dict) -> dict:
        return {"rows": parsed["rows"]}

    def apply_session_state(self, parsed: dict) -> None:
        self.rows = parsed["rows"]
        self.network_activation = parsed["activation"]
        self.linear_runner.load(parsed["linear"]["trainer"], parsed["linear"]["history"], rows=self.rows)
        super().apply_session_state(parsed)

    def after_session_loaded(self) -> None:
        speed = SPEEDS[self.controls.speed_box.currentText()]  # restored with its signal blocked: tell both
        self.runner.set_speed(speed)
        self.linear_runner.set_speed(speed)
        self.network_box.blockSignals(True)
        self.network_box.setCurrentText(self.network_activation)
        self.network_box.blockSignals(False)
        self._show_data()
        self._show_gallery()
        self._show_neuron()
