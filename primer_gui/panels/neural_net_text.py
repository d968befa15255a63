"""What the Neural net tab says: its explanation, the step inspector's backpropagation table, the scores.

Plain functions of numbers (no Qt), so the words can be tested and the panel stays about wiring.
"""

from __future__ import annotations

import math

import numpy as np

from ..core.trainer import StepReport
from ..glossary import link

EXPLANATION = f"""
<p>A {link("neural network")} made of layers of {link("neuron", "neurons")}: each neuron takes a
{link("weight", "weighted")} sum of the layer before it, adds its {link("bias")} and passes the result
through an {link("activation function")}. Stacked in {link("hidden layer", "hidden layers")} they form a
{link("multi-layer perceptron")}. Every small picture in the diagram is one neuron's output over the whole
plane; the big map on the right is the network's output — for {link("classification")} the chance that a
point is blue. The lines are the weights: the wider, the larger; blue is positive, orange negative.</p>
<p>Training is {link("gradient descent")} on the {link("loss")} ({link("cross-entropy loss", "cross-entropy")}
by default); {link("backpropagation")} passes the gradient from the output back through every layer, as the
step inspector shows after Step. Only the training points are learned from; the {link("test data")} show how
well the network does on points it never saw; the ringed ones are the batch the last step learned from. With
every activation linear the whole stack is still one straight boundary: the {link("non-linearity")} is what
lets it bend.</p>
"""

HINT = (
    "press Play on the circle and watch the neurons' pictures combine into a ring. Then press “Make every "
    "activation linear” and Play again: the boundary stays straight. Click an input on the left (x₁², x₂²) to "
    "feed the network curves directly; point at a neuron to see its picture large, at a line to read its weight."
)

NO_DATA_HTML = "<p style='color:gray'>No points to learn from: click the data plot to add some.</p>"

#: how the diagram names a layer, for the inspector and the tooltips
ACTIVATION_WORDS = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "linear": "linear"}


def layer_name(k: int, layers: int) -> str:
    """Weights ``W{k}`` feed hidden layer k, or the output when k is the last."""
    return "output" if k == layers else f"hidden layer {k}"


def _norm(value: np.ndarray) -> float:
    """The root of the sum of squares (∞ when it overflows: a diverging step's gradient may)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.sqrt(np.sum(np.square(value))))


def backprop_html(report: StepReport, batch_words: str, loss_after: float | None) -> str:
    """One update of every layer, from the output back to the inputs, with the trainer's own numbers."""
    layers = len(report.gradients) // 2
    epoch = f"it completed epoch {report.epoch}" if report.ended_epoch else f"epoch {report.epoch + 1} in progress"
    if report.diverged:
        header = f"Step {report.step} — rejected: the loss overflowed"
        outcome = "<p style='color:#c0392b'><b>Not applied</b>: every weight stays as it was.</p>"
    else:
        header = f"Step {report.step}: {epoch}"
        after = "" if loss_after is None else f" Loss on all training points after the step: <b>{loss_after:.6g}</b>."
        outcome = f"<p>Every weight moved by −{report.learning_rate:g} × its gradient.{after}</p>"
    rows = []
    largest = None
    for k in range(layers, 0, -1):
        grad_w, grad_b = report.gradients[f"W{k}"], report.gradients[f"b{k}"]
        change = report.params_after[f"W{k}"] - report.params_before[f"W{k}"]
        shape = "×".join(str(s) for s in grad_w.shape)
        rows.append(
            f"<tr><td>{layer_name(k, layers)}: W{k} {shape}</td><td>{_norm(grad_w):.3g}</td>"
            f"<td>{_norm(grad_b):.3g}</td><td>{_norm(change):.3g}</td></tr>"
        )
        index = np.unravel_index(int(np.argmax(np.abs(grad_w))), grad_w.shape) if grad_w.size else None
        if index is not None and (largest is None or abs(grad_w[index]) > abs(largest[2])):
            largest = (k, index, float(grad_w[index]))
    example = ""
    if largest is not None and not report.diverged:
        k, (i, j), gradient = largest
        before = float(report.params_before[f"W{k}"][i, j])
        new = float(report.params_after[f"W{k}"][i, j])
        example = (
            f"<p>The steepest weight, W{k}[{i + 1}→{j + 1}]: {before:.5g} − {report.learning_rate:g} × "
            f"({gradient:.4g}) = <b>{new:.5g}</b></p>"
        )
    return f"""
<h3 style='margin-bottom:4px'>{header}</h3>
<p>The batch: <b>{batch_words}</b>; its loss before the step: <b>{report.loss:.6g}</b>.</p>
<p><b>Backpropagation</b>, from the output back to the inputs: each layer's gradient is made from the one
after it by the chain rule. ‖·‖ is a size (the root of the sum of squares); ΔW is the change the step made.</p>
<table border=1 cellspacing=0 cellpadding=2 style='white-space:nowrap'>
<tr><th>layer</th><th>‖∂L/∂W‖</th><th>‖∂L/∂b‖</th><th>‖ΔW‖</th></tr>{"".join(rows)}</table>
{example}{outcome}
<p style='color:gray'>A layer whose gradient is far smaller than the next one's learns slowly: its
neurons are saturated or dead (marked ✕ on the diagram).</p>
"""


def _percent(value: float) -> str:
    return "—" if not math.isfinite(value) else f"{100 * value:.1f} %"


def _number(value: float) -> str:
    return "—" if not math.isfinite(value) else f"{value:.4g}"


def scores_html(
    losses: tuple[float, float],
    accuracies: tuple[float, float] | None,
    confusion: np.ndarray | None,
    counts: tuple[int, int],
) -> str:
    """Training and test loss (and accuracy), and the test points' confusion matrix."""
    train_loss, test_loss = losses
    lines = [
        "<table cellspacing=0 cellpadding=2>",
        f"<tr><th></th><th>training ({counts[0]})</th><th>test ({counts[1]})</th></tr>",
        f"<tr><td>loss</td><td align=right>{_number(train_loss)}</td><td align=right>{_number(test_loss)}</td></tr>",
    ]
    if accuracies is not None:
        lines.append(
            f"<tr><td>accuracy</td><td align=right><b>{_percent(accuracies[0])}</b></td>"
            f"<td align=right><b>{_percent(accuracies[1])}</b></td></tr>"
        )
    lines.append("</table>")
    if confusion is not None:
        (tn, fp), (fn, tp) = confusion.tolist()
        lines.append(
            "<p style='margin-top:6px'>Test points, label → guess:</p>"
            "<table border=1 cellspacing=0 cellpadding=2>"
            "<tr><th></th><th>guessed orange</th><th>guessed blue</th></tr>"
            f"<tr><th>orange</th><td align=right>{tn}</td><td align=right>{fp}</td></tr>"
            f"<tr><th>blue</th><td align=right>{fn}</td><td align=right>{tp}</td></tr></table>"
        )
    return "".join(lines)
