"""One logistic-regression step as a worked example: the chain rule in numbers, from the trainer's own report.

For the batch's first point the loss reaches a weight through the probability
and the score, so ``∂L/∂w = ∂L/∂p · ∂p/∂z · ∂z/∂w``; each factor is written out
and multiplied, and the product is the familiar ``(p − y)·x``.  The batch's
gradient is the mean of those products (plus L2's ``2·L2·w``): the trainer's own
number from its :class:`~primer_gui.core.trainer.StepReport` is printed there,
so the two can be compared.
"""

from __future__ import annotations

import math

import numpy as np

from ..core.activations import sigmoid
from ..core.trainer import StepReport
from ..widgets.controls import batch_words

#: rows of the batch shown in the table
INSPECTED_ROWS = 3


def _names(d: int) -> list[str]:
    return ["w"] if d == 1 else [f"w{'₁₂₃₄₅₆₇₈₉'[i]}" for i in range(d)]


def _features(d: int) -> list[str]:
    return ["x"] if d == 1 else [f"x{'₁₂₃₄₅₆₇₈₉'[i]}" for i in range(d)]


def chain_rule(weights: np.ndarray, bias: float, x: np.ndarray, label: float) -> dict:
    """The factors of ∂L/∂w for one point: score, probability, loss and the three derivatives."""
    z = float(np.dot(weights, x) + bias)
    p = float(sigmoid(z))
    loss = float(np.logaddexp(0.0, -z if label == 1 else z))
    distance = p if label == 1 else 1.0 - p  # how far p is from the wrong answer
    dloss_dp = (-1.0 if label == 1 else 1.0) / distance if distance > 0 else math.inf
    return {
        "z": z,
        "p": p,
        "loss": loss,
        "dL/dp": float(dloss_dp),
        "dp/dz": p * (1.0 - p),
        "dz/dw": np.asarray(x, dtype=float),
        "dL/dw": (p - label) * np.asarray(x, dtype=float),  # the product, written without the round trip
        "dL/db": p - label,
    }


def inspector_html(
    report: StepReport,
    X: np.ndarray,
    y: np.ndarray,
    loss_after: float | None = None,
    n_points: int | None = None,
    batch_setting: int | None = None,
    l2: float = 0.0,
) -> str:
    weights = np.asarray(report.params_before["weights"], dtype=float)
    bias = float(report.params_before["bias"])
    d = weights.size
    names, features = _names(d), _features(d)
    lr = report.learning_rate
    n = len(y)
    parameters = ", ".join(f"{name} = {value:.6g}" for name, value in zip(names, weights, strict=True))
    batch = batch_words(n, n_points or n, batch_setting)
    epoch = f"it completed epoch {report.epoch}" if report.ended_epoch else f"epoch {report.epoch + 1} in progress"
    header = (
        f"Step {report.step} — rejected: the loss overflowed" if report.diverged else f"Step {report.step}: {epoch}"
    )

    # one point, factor by factor
    x0, y0 = X[0], float(y[0])
    one = chain_rule(weights, bias, x0, y0)
    point = ", ".join(f"{f} = {v:.4g}" for f, v in zip(features, x0, strict=True))
    score = " + ".join(f"{w:.4g}×{v:.4g}" for w, v in zip(weights, x0, strict=True)) + f" + {bias:.4g}"
    if y0 == 1:
        loss_formula, dp_formula = "−ln p", "−1 / p"
    else:
        loss_formula, dp_formula = "−ln(1 − p)", "1 / (1 − p)"
    dldp = f"{one['dL/dp']:.4g}" if np.isfinite(one["dL/dp"]) else "too large to write (p rounds to 0 or 1)"
    products = "".join(
        f"∂L/∂{name} = ∂L/∂p · ∂p/∂z · ∂z/∂{name} = ({one['dL/dp']:.4g}) × ({one['dp/dz']:.4g}) × ({xv:.4g}) "
        f"= <b>{gv:.4g}</b> = (p − y)·{feature}<br>"
        if np.isfinite(one["dL/dp"])
        else f"∂L/∂{name} = (p − y)·{feature} = <b>{gv:.4g}</b><br>"
        for name, feature, xv, gv in zip(names, features, one["dz/dw"], one["dL/dw"], strict=True)
    )
    chain = (
        f"<p><b>The chain rule for one point</b> (the batch's first: {point}, class {y0:.0f}):<br>"
        f"z = w·x + b = {score} = {one['z']:.4g}<br>"
        f"p = σ(z) = 1 / (1 + e<sup>−z</sup>) = {one['p']:.4g}<br>"
        f"L = {loss_formula} = {one['loss']:.4g}<br>"
        f"∂L/∂p = {dp_formula} = {dldp}<br>"
        f"∂p/∂z = p(1 − p) = {one['dp/dz']:.4g}<br>"
        + "".join(f"∂z/∂{name} = {feature} = {v:.4g}; " for name, feature, v in zip(names, features, x0, strict=True))
        + "∂z/∂b = 1<br>"
        + products
        + f"∂L/∂b = ∂L/∂p · ∂p/∂z · 1 = p − y = <b>{one['dL/db']:.4g}</b></p>"
    )

    # the batch: the mean of the per-point products, and the trainer's own numbers
    gradient = np.asarray(report.gradients["weights"], dtype=float)
    grad_b = float(report.gradients["bias"])
    batch_lines = "".join(
        f"∂L/∂{name} = mean of (p − y)·{feature}{f' + 2·L2·{name}' if l2 else ''} = <b>{g:.6g}</b><br>"
        for name, feature, g in zip(names, features, gradient, strict=True)
    )
    loss_words = "mean cross-entropy" + (" + L2·Σw²" if l2 else "")
    batch_part = (
        f"<p><b>The batch</b> ({batch}): its loss is the {loss_words} = <b>{report.loss:.6g}</b><br>"
        f"{batch_lines}∂L/∂b = mean of (p − y) = <b>{grad_b:.6g}</b></p>"
    )
    if report.diverged:
        outcome = "<p style='color:#c0392b'><b>Not applied</b>: the parameters stay as above.</p>"
    else:
        after = np.asarray(report.params_after["weights"], dtype=float)
        new_b = float(report.params_after["bias"])
        lines = "".join(
            f"new <b>{name}</b> = {name} − learning rate × ∂L/∂{name} = {w:.6g} − {lr:g} × ({g:.4g}) = "
            f"<b>{a:.6g}</b><br>"
            for name, w, g, a in zip(names, weights, gradient, after, strict=True)
        )
        tail = "" if loss_after is None else f"Loss on all points after the step: <b>{loss_after:.6g}</b>"
        outcome = (
            f"<p>{lines}new <b>b</b> = b − learning rate × ∂L/∂b = {bias:.6g} − {lr:g} × ({grad_b:.4g}) = "
            f"<b>{new_b:.6g}</b><br>{tail}</p>"
        )
    shown = min(n, INSPECTED_ROWS)
    z = X[:shown] @ weights + bias
    p = sigmoid(z)
    losses = np.logaddexp(0.0, np.where(y[:shown] == 1, -z, z))
    heads = "".join(f"<th>{f}</th>" for f in features)
    rows = "".join(
        "<tr>" + "".join(f"<td>{v:.4g}</td>" for v in X[i]) + f"<td>{y[i]:.0f}</td><td>{p[i]:.4g}</td>"
        f"<td>{losses[i]:.4g}</td></tr>"
        for i in range(shown)
    )
    more = f"<tr><td colspan={d + 3}>… and {n - shown} more</td></tr>" if n > shown else ""
    table = (
        "<table border=1 cellspacing=0 cellpadding=2 style='white-space:nowrap'>"
        f"<tr>{heads}<th>class y</th><th>p = σ(z)</th><th>its loss</th></tr>{rows}{more}</table>"
    )
    return (
        f"<h3 style='margin-bottom:4px'>{header}</h3><p>Before the step: {parameters}, b = {bias:.6g}.</p>"
        f"{chain}{batch_part}{outcome}{table}"
    )
