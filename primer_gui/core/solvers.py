"""Where penalized linear regression ends: the exact minimiser, with an L1 penalty too.

:meth:`LinearRegression.closed_form` gives the end of training without L1.  With
L1 there is no formula, and gradient descent on correlated features (the
powers of x, say) can take millions of steps to settle.  But the minimiser is
still found exactly, in a few linear solves, by *feature-sign search* (Lee,
Battle, Raina and Ng, "Efficient sparse coding algorithms", 2006): guess which
weights are zero and the signs of the others; given those, the minimiser solves
a linear system; a line search that stops where a weight changes sign fixes a
wrong guess, and the objective falls at every move, so it ends, at the point
where every weight satisfies the optimality conditions.

The objective is :class:`~.linear.LinearRegression`'s, exactly::

    mean((y − X·w − b)²) + l2·Σw² + l1·Σ|w|

The bias is not penalized, so centring X and y removes it: with
``A = Xcᵀ·Xc / n + l2·I`` and ``c = Xcᵀ·yc / n`` the weights minimise
``wᵀ·A·w − 2·cᵀ·w + l1·Σ|w|`` and ``b = mean(y) − mean(X)·w``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .trainer import Params, as_features, as_targets, check_penalty

#: optimality is checked to this share of the largest gradient component at w = 0 (plus the penalty)
TOLERANCE = 1e-9


def penalized_minimum(X: Any, y: Any, l1: float = 0.0, l2: float = 0.0, max_moves: int = 1000) -> Params:
    """The parameters ``{"weights", "bias"}`` at which ``LinearRegression(l1=l1, l2=l2)``'s objective is lowest.

    Without L1 this is :meth:`LinearRegression.closed_form` (least squares, or ridge).  Several
    minimisers (more weights than distinct points, no L2) give one of them.
    """
    X = as_features(X)
    y = as_targets(y, X.shape[0])
    l1, l2 = check_penalty("l1", l1), check_penalty("l2", l2)
    n, d = X.shape
    x_mean, y_mean = X.mean(axis=0), y.mean()
    Xc, yc = X - x_mean, y - y_mean
    A = Xc.T @ Xc / n + l2 * np.eye(d)
    c = Xc.T @ yc / n
    weights = feature_sign_search(A, c, l1, max_moves) if l1 else np.linalg.lstsq(A, c, rcond=None)[0]
    return {"weights": weights, "bias": np.array(y_mean - x_mean @ weights)}


def feature_sign_search(A: np.ndarray, c: np.ndarray, l1: float, max_moves: int = 1000) -> np.ndarray:
    """The minimiser of ``f(w) = wᵀ·A·w − 2·cᵀ·w + l1·Σ|w|`` (A symmetric, positive semi-definite)."""
    d = c.size
    w = np.zeros(d)
    signs = np.zeros(d)
    scale = 2.0 * float(np.abs(c).max()) + l1
    tolerance = TOLERANCE * (scale if scale > 0 else 1.0)

    def objective(v: np.ndarray) -> float:
        return float(v @ A @ v - 2.0 * c @ v + l1 * np.abs(v).sum())

    for _ in range(max_moves):
        gradient = 2.0 * (A @ w - c)
        nonzero = w != 0
        # the non-zero weights first: each must balance its penalty exactly
        if np.all(np.abs(gradient[nonzero] + l1 * np.sign(w[nonzero])) <= tolerance):
            # then the zero ones: each must be held at zero by the penalty
            pull = np.where(nonzero, 0.0, np.abs(gradient))
            worst = int(np.argmax(pull))
            if pull[worst] <= l1 + tolerance:
                return w
            signs[worst] = -np.sign(gradient[worst])  # let it move the way the loss pulls it
        active = np.flatnonzero((w != 0) | (signs != 0))
        target = np.linalg.lstsq(A[np.ix_(active, active)], c[active] - l1 * signs[active] / 2.0, rcond=None)[0]
        start = w[active]
        # along the line from start to target, also try each point where a non-zero weight reaches zero
        crossing = np.flatnonzero((start != 0) & (np.sign(target) != np.sign(start)))
        candidates = [(1.0, None)] + [(start[k] / (start[k] - target[k]), k) for k in crossing]
        best, best_value = w, objective(w)
        for stop, reaching_zero in candidates:
            moved = start + stop * (target - start)
            if reaching_zero is not None:
                moved[reaching_zero] = 0.0  # exactly: that is the point of stopping here
            trial = w.copy()
            trial[active] = moved
            value = objective(trial)
            if value < best_value:
                best, best_value = trial, value
        if best is w:
            return w  # no move lowers the objective: as low as rounding allows
        w = best
        signs = np.sign(w)
    return w
