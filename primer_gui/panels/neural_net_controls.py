"""The Neural net tab's own controls, each with its tooltip: the data, the network, the goal, the layer count.

Plain widgets: the panel wires them to the data, the architecture and the runner,
and registers them as settings (:mod:`.neural_net`).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QToolButton,
    QWidget,
)

from ..widgets.loss_curve import SCALES
from ..widgets.number_box import NumberBox
from .neural_net_architecture import CLASSIFICATION_HEADS
from .neural_net_probe import DATASETS
from .neural_net_text import ACTIVATION_WORDS


def _spin(low: int, high: int, value: int, tip: str, suffix: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setSuffix(suffix)
    box.setToolTip(tip)
    box.setKeyboardTracking(False)  # one change when the person is done typing
    return box


class DataControls(QGroupBox):
    """Which points: a data set, how many, how noisy, the training share, the draw; what is shown."""

    def __init__(self, seed: int = 0, parent=None):
        super().__init__("Data", parent)
        self.dataset = QComboBox()
        self.dataset.addItems(list(DATASETS))
        self.dataset.setToolTip(
            "Which pattern to draw points from (plane and multi-gaussian are regression: numbers, not classes)"
        )
        self.points = _spin(10, 5000, 500, "How many points to draw (training and test together)")
        self.noise = _spin(0, 50, 0, "How far points stray from the pattern (as TensorFlow Playground's 0–50)", " %")
        self.share = _spin(
            10, 90, 50, "The share of the points trained on; the rest are test points, never learned from", " %"
        )
        self.seed = _spin(0, 1_000_000, seed, "Which random draw: the same seed gives the same points and split")
        self.new_button = QPushButton("New data")
        self.new_button.setToolTip("Draw a fresh set with the next seed (undoable)")
        self.show_test = QCheckBox("Show test data (ringed)")
        self.show_test.setToolTip("Draw the held-out test points too, with a ring; they are never trained on")
        self.discretize = QCheckBox("Discretize output")
        self.discretize.setToolTip("Colour the map by the network's guess only, not by how sure it is")
        self.click_class = QComboBox()
        self.click_class.addItems(["blue (class 1)", "orange (class 0)"])
        self.click_class.setToolTip("What a left-click on the data plot adds; a right-click adds the other")
        form = QFormLayout(self)
        form.addRow("Data set", self.dataset)
        form.addRow("Points", self.points)
        form.addRow("Noise", self.noise)
        form.addRow("Training share", self.share)
        form.addRow("Seed", self.seed)
        form.addRow(self.new_button)
        form.addRow(self.show_test)
        form.addRow(self.discretize)
        form.addRow("Left click adds", self.click_class)

    def settings(self) -> dict[str, QWidget]:
        return {
            "dataset": self.dataset,
            "points": self.points,
            "noise": self.noise,
            "training_share": self.share,
            "data_seed": self.seed,
            "show_test": self.show_test,
            "discretize": self.discretize,
            "click_class": self.click_class,
        }

    def show_problem(self, regression: bool) -> None:
        """What a click adds: a class, or a number (+1 / −1) for regression."""
        self.click_class.setItemText(0, "+1 (blue)" if regression else "blue (class 1)")
        self.click_class.setItemText(1, "−1 (orange)" if regression else "orange (class 0)")


class NetworkControls(QGroupBox):
    """The problem, the output, the activation, the penalties."""

    def __init__(self, parent=None):
        super().__init__("Network", parent)
        self.problem = QComboBox()
        self.problem.addItems(["classification", "regression"])
        self.problem.setToolTip("Classes (orange or blue) or numbers; switching draws matching data (undoable)")
        self.output = QComboBox()
        self.output.addItems(list(CLASSIFICATION_HEADS))
        self.output.setToolTip(
            "The output neuron and the loss: a sigmoid with cross-entropy (the probability of blue), or "
            "TensorFlow Playground's tanh with squared error (−1 orange … +1 blue); regression: linear + squared error"
        )
        self.activation = QComboBox()
        self.activation.addItems(list(ACTIVATION_WORDS.values()))
        self.activation.setToolTip("The activation function of every hidden neuron (a new network)")
        self.linear_button = QPushButton("Make every activation linear")
        self.linear_button.setToolTip(
            "A stack of linear layers is still one linear function: the boundary becomes a straight line. "
            "Undo (Ctrl+Z) brings the non-linear network back."
        )
        self.l1 = NumberBox(0.0, 10.0, value=0.0)
        self.l1.setToolTip("L1 penalty rate: l1·Σ|w| pushes weights to exactly zero (biases are not penalised)")
        self.l2 = NumberBox(0.0, 10.0, value=0.0)
        self.l2.setToolTip("L2 penalty rate: l2·Σw² shrinks every weight (biases are not penalised)")
        form = QFormLayout(self)
        form.addRow("Problem", self.problem)
        form.addRow("Output", self.output)
        form.addRow("Activation", self.activation)
        form.addRow(self.linear_button)
        form.addRow("L1 rate", self.l1)
        form.addRow("L2 rate", self.l2)


class GoalControls(QGroupBox):
    """An optional stop at a target test loss, and the loss curve's scale."""

    def __init__(self, parent=None):
        super().__init__("Training goal and view", parent)
        self.stop = QCheckBox("Stop when the test loss falls to")
        self.stop.setToolTip("Pause training as soon as the loss on the test points reaches the target")
        self.target = NumberBox(1e-6, 100.0, value=0.05)
        self.target.setToolTip("The target test loss")
        self.scale = QComboBox()
        self.scale.addItems(list(SCALES))
        self.scale.setToolTip("auto: a log scale once the loss spans two decades")
        form = QFormLayout(self)
        form.addRow(self.stop, self.target)
        form.addRow("Loss curve scale", self.scale)


class LayersBar(QWidget):
    """ "Hidden layers − n +" over the diagram, and what else the diagram answers to."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.minus = QToolButton()
        self.minus.setText("−")
        self.minus.setToolTip("Remove the last hidden layer (a new network; undo brings the old one back)")
        self.plus = QToolButton()
        self.plus.setText("+")
        self.plus.setToolTip("Add a hidden layer of two neurons before the output (a new network)")
        self.count = QLabel()
        guide = QLabel("click an input to switch it · point at a neuron · click a line or a bias to edit it")
        guide.setStyleSheet("color: gray")
        guide.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Hidden layers"))
        layout.addWidget(self.minus)
        layout.addWidget(self.count)
        layout.addWidget(self.plus)
        layout.addWidget(guide, 1)

    def show_count(self, layers: int, most: int) -> None:
        self.count.setText(str(layers))
        self.minus.setEnabled(layers > 0)
        self.plus.setEnabled(layers < most)
