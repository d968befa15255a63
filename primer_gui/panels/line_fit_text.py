"""What the Line fit tab says: its explanation, its hint, and one step's arithmetic as a worked example."""

from __future__ import annotations

import numpy as np

from ..core.trainer import StepReport
from ..glossary import link
from ..widgets.controls import batch_words

#: rows of the batch shown in the step inspector
INSPECTED_ROWS = 3

EXPLANATION = f"""
<p>Each dot is a house: its size and its price. The red line is the model's guess,
<i>price = {link("intercept")} + {link("slope")} × size</i>. The faint red segments are the
{link("residual", "residuals")}: how far each price is from the line. The {link("loss")} is the
{link("mean squared error")}, the average of those distances squared.</p>
<p>The coloured map is the {link("loss landscape")}: the loss for every (intercept, slope), its colour
bar in loss values. The star is the best line (the {link("closed form")}), also drawn as the dashed green
line; the orange dot is where training is now, and the white path is where {link("gradient descent")} has
been. The red arrow is the next step, −{link("learning rate")} × {link("gradient")}, to scale: it points
downhill and shrinks to nothing at the star; above the {link("stable learning rate")} it overshoots, and
dashed it runs off the map. After a Step on a {link("mini-batch")}, its points are ringed and a yellow
arrow shows the step that batch took: its own downhill direction, not quite the whole data's. The two
slices cut through the landscape; the dashed tangent's slope is that parameter's
{link("partial derivative")}. On the loss curve, grey dots mark the end of each {link("epoch")}.</p>
"""

HINT = (
    "press Step a few times and read each update on the right; then set the learning rate just above the "
    "stable limit shown under it and press Play. Click the data plot to add a point while it trains."
)
NO_DATA_HTML = "<p style='color:gray'>No houses to learn from: click the data plot to add some.</p>"


def inspector_html(
    report: StepReport,
    X: np.ndarray,
    y: np.ndarray,
    loss_after: float | None = None,
    feature: tuple[str, str] = ("x", "size"),
    target: str = "price",
    n_points: int | None = None,
    batch_setting: int | None = None,
) -> str:
    """One update of ``price = b + w·x`` as a worked example, from the trainer's own report.

    The arithmetic comes first (it is the point of a step) and the batch's rows last.  The loss in
    the report is the batch's, before the update, which is what the gradient is taken of;
    ``loss_after`` (the whole data's loss after the update, as the status bar and loss curve show
    it) is printed beside it so the two numbers are never mistaken for one another.  ``feature`` is
    the input's symbol and name (``z``, the scaled size, when the trainer learns on scaled sizes);
    ``n_points`` and ``batch_setting`` are the data's size and the batch size when the step was taken.
    """
    x_, feature_name = feature
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
    more = f"<tr><td colspan=4>… and {n - INSPECTED_ROWS:,} more</td></tr>" if n > INSPECTED_ROWS else ""
    batch = batch_words(n, n_points or n, batch_setting)
    epoch = f"it completed epoch {report.epoch}" if report.ended_epoch else f"epoch {report.epoch + 1} in progress"
    if report.diverged:
        header = f"Step {report.step} — rejected: the loss overflowed"
        outcome = "<p style='color:#c0392b'><b>Not applied</b>: the parameters stay at b, w above.</p>"
    else:
        header = f"Step {report.step}: {epoch}"
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
<p>Before the step: intercept b = {b:.6g}, slope w = {w:.6g}; the batch: <b>{batch}</b>.</p>
<p><b>Loss on this batch</b> = mean((y − ŷ)²) with ŷ = b + w·{x_} = <b>{report.loss:.6g}</b><br>
∂L/∂b = −2/n · Σ(y − ŷ) = <b>{grad_b:.6g}</b><br>
∂L/∂w = −2/n · Σ(y − ŷ)·{x_} = <b>{grad_w:.6g}</b></p>
{outcome}
<table border=1 cellspacing=0 cellpadding=2 style='white-space:nowrap'>
<tr><th>{x_} ({feature_name})</th><th>y ({target})</th><th>ŷ = b + w·{x_}</th><th>y − ŷ</th></tr>{rows}{more}</table>
"""
