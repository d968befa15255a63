"""What a network in the Neural net tab is made of, the undoable changes to it, and how the diagram draws it.

An :class:`Architecture` names the input features, the hidden layers, the activation and the
output; :class:`ArchitectureCommand` switches the tab to another one (a new network at once) and
back (the old network as it was left); :class:`ParameterCommand` is a weight or bias typed by
hand; :func:`diagram_layers` is the diagram's layout, with what each node says when pointed at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from ..core import MLP
from ..widgets.network_view import Layer, Node
from .neural_net_probe import FEATURES, HEADS
from .neural_net_text import ACTIVATION_WORDS

if TYPE_CHECKING:
    from .neural_net import NeuralNetPanel

MAX_HIDDEN_LAYERS = 6
MAX_NEURONS = 8
#: the output heads offered for classification: menu text → output activation
CLASSIFICATION_HEADS = {"sigmoid + cross-entropy": "sigmoid", "tanh + squared error (Playground)": "tanh"}


@dataclass(frozen=True)
class Architecture:
    """What a network is made of (what a change of architecture changes)."""

    features: tuple[str, ...] = ("x1", "x2")
    hidden: tuple[int, ...] = (4, 2)
    activation: str = "tanh"
    head: str = "sigmoid"

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        return (len(self.features), *self.hidden, 1)

    def network(self, **hyperparameters: Any) -> MLP:
        return MLP(
            layer_sizes=self.layer_sizes,
            activation=self.activation,
            output_activation=self.head,
            loss=HEADS[self.head],
            **hyperparameters,
        )


def head_text(head: str) -> str:
    """The output menu's words for a classification head."""
    return {value: text for text, value in CLASSIFICATION_HEADS.items()}[head]


class ArchitectureCommand(QUndoCommand):
    """A change of architecture; undo brings the previous network back exactly (weights, step, history)."""

    def __init__(self, panel: NeuralNetPanel, before: Architecture, after: Architecture, text: str):
        super().__init__(text)
        self._panel, self._before, self._after = panel, before, after
        self.saved: dict[Architecture, dict] = {}  # the network each architecture was left with

    def redo(self) -> None:
        self._panel.switch_architecture(self._before, self._after, self.saved)

    def undo(self) -> None:
        self._panel.switch_architecture(self._after, self._before, self.saved)


class ParameterCommand(QUndoCommand):
    """A weight (``W{k}[row, column]``) or bias (``b{k}[column]``) typed by hand."""

    def __init__(self, panel: NeuralNetPanel, where: tuple[str, int, int], before: float, after: float):
        super().__init__(f"set {where[0]}")
        self._panel, self._where, self._before, self._after = panel, where, before, after

    def redo(self) -> None:
        self._panel.runner.action("set_parameter", **self._kwargs(self._after))

    def undo(self) -> None:
        self._panel.runner.action("set_parameter", **self._kwargs(self._before))

    def _kwargs(self, value: float) -> dict:
        name, row, column = self._where
        return {"parameter": name, "row": row, "column": column, "value": value}


def diagram_layers(features: tuple[str, ...], hyperparameters: dict) -> list[Layer]:
    """Every input (those off dimmed), each hidden layer with − n + over it, and the output."""
    activation = ACTIVATION_WORDS[hyperparameters["activation"]]
    inputs = tuple(
        Node(
            label,
            f"Input {label} ({'on' if name in features else 'off: click to switch it on'}): its picture is the "
            f"value of {label} at every point of the plane (blue high, orange low).",
            name in features,
        )
        for name, label in FEATURES.items()
    )
    layers = [Layer(inputs, "inputs")]
    for k, units in enumerate(hyperparameters["layer_sizes"][1:-1], start=1):
        nodes = tuple(
            Node(
                tooltip=f"Neuron {i + 1} of hidden layer {k}: what it responds to — its {activation} output at "
                "every point of the plane (blue high, orange low). Point at it to see it large."
            )
            for i in range(units)
        )
        layers.append(Layer(nodes, str(units), resizable=True))
    output = "P(blue)" if hyperparameters["output_activation"] == "sigmoid" else "the output value"
    layers.append(Layer((Node(tooltip=f"The output neuron: {output} at every point of the plane."),), "output"))
    return layers
