"""Loss surfaces on a grid, for the landscape views.

For linear regression the MSE is a quadratic in the parameters, so it is a
function of a few sums of the data (its *sufficient statistics*): once those
are known, a grid costs O(grid) whatever the number of points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import sigmoid


@dataclass(frozen=True)
class LinearStatistics:
    """Second moments of ``z = (1, x1, …, xd, y)``: ``gram = mean(z zᵀ)``.

    With ``v = (−b, −w, 1)`` the residual is ``z·v``, so ``mse = vᵀ·gram·v``.
    """

    gram: np.ndarray
    n: int

    @classmethod
    def from_data(cls, X: np.ndarray, y: np.ndarray) -> LinearStatistics:
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        n = X.shape[0]
        z = np.empty((n, X.shape[1] + 2))
        z[:, 0] = 1.0
        z[:, 1:-1] = X
        z[:, -1] = y
        return cls(gram=z.T @ z / n, n=n)

    def mse(self, weights: np.ndarray, bias: float) -> float:
        v = _residual_vector(weights, bias)
        return float(v @ self.gram @ v)

    def mse_gradient(self, weights: np.ndarray, bias: float) -> tuple[np.ndarray, float]:
        """``(∂mse/∂w, ∂mse/∂b)``: since ``∂v/∂θ = −1``, the gradient is ``−2·(gram·v)``."""
        g = -2.0 * (self.gram @ _residual_vector(weights, bias))
        return g[1:-1], float(g[0])


def _residual_vector(weights: np.ndarray, bias: float) -> np.ndarray:
    return np.concatenate([[-float(bias)], -np.asarray(weights, dtype=float).ravel(), [1.0]])


def linear_mse_grid(
    stats: LinearStatistics,
    weights: np.ndarray,
    bias: float,
    axis_a: int,
    values_a: np.ndarray,
    axis_b: int,
    values_b: np.ndarray,
) -> np.ndarray:
    """MSE on a grid over two parameters, the others held at ``(weights, bias)``.

    Axes index the parameter vector ``(bias, w1, …, wd)``: 0 is the bias, ``k`` is
    weight ``k``.  Returns an array of shape ``(len(values_a), len(values_b))``
    with ``result[i, j]`` the MSE at ``param[axis_a] = values_a[i]``,
    ``param[axis_b] = values_b[j]``.  Penalties are not included: the landscape
    shows the data term.
    """
    if axis_a == axis_b:
        raise ValueError("The two landscape axes must be different parameters.")
    v0 = _residual_vector(weights, bias)
    v0[axis_a] = 0.0
    v0[axis_b] = 0.0
    g = stats.gram
    # v = v0 − a·e_A − c·e_B (parameters enter v with a minus sign)
    base = v0 @ g @ v0
    lin_a = -2.0 * (g @ v0)[axis_a]
    lin_b = -2.0 * (g @ v0)[axis_b]
    a = np.asarray(values_a, dtype=float)[:, None]
    c = np.asarray(values_b, dtype=float)[None, :]
    surface = base + lin_a * a + lin_b * c + g[axis_a, axis_a] * a * a + 2.0 * g[axis_a, axis_b] * a * c
    surface = surface + g[axis_b, axis_b] * c * c
    return np.maximum(surface, 0.0)


# -- logistic regression -------------------------------------------------------------
# The cross-entropy is not a quadratic, so there are no sufficient statistics: every
# grid point needs every data point.  The work is vectorised over the grid and a
# chunk of points at a time, so the temporaries stay bounded whatever n is.

#: elements in one (grid × chunk) temporary: 2**18 floats = 2 MB; a handful live at
#: once, so a grid evaluation stays around 10–16 MB of temporaries at any n
_CHUNK_ELEMENTS = 2**18


def _logistic_grid_mean(X, y, weights, bias, axis_a, values_a, axis_b, values_b, chunk, pointwise) -> np.ndarray:
    """``mean over points of pointwise(y, z)`` on the grid, ``z`` the logit at each grid point.

    Axes as in :func:`linear_mse_grid`.  The logit is linear in each parameter,
    ``z = z₀ + a·column_A + c·column_B`` (the bias's column is all ones), so a chunk
    of points costs one broadcast of shape ``(len(values_a), len(values_b), chunk)``.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    d = X.shape[1]
    if axis_a == axis_b:
        raise ValueError("The two landscape axes must be different parameters.")
    for axis in (axis_a, axis_b):
        if not 0 <= axis <= d:
            raise ValueError(f"Landscape axis {axis} does not exist; use 0 for the bias or 1…{d} for a weight.")
    params = np.concatenate([[float(bias)], np.asarray(weights, dtype=float).ravel()])
    params[[axis_a, axis_b]] = 0.0
    base = X @ params[1:] + params[0]
    column_a, column_b = (np.ones(X.shape[0]) if axis == 0 else X[:, axis - 1] for axis in (axis_a, axis_b))
    a = np.asarray(values_a, dtype=float)[:, None, None]
    c = np.asarray(values_b, dtype=float)[None, :, None]
    if chunk is None:
        chunk = max(1, _CHUNK_ELEMENTS // (a.size * c.size))
    total = np.zeros((a.size, c.size))
    for start in range(0, X.shape[0], int(chunk)):
        part = slice(start, start + int(chunk))
        logits = a * column_a[part] + c * column_b[part]  # (A, 1, m) + (1, B, m): one full-size array
        logits += base[part]
        total += pointwise(y[part], logits).sum(axis=-1)
    return total / X.shape[0]


def _cross_entropy_pointwise(y: np.ndarray, logits: np.ndarray) -> np.ndarray:
    # the per-point form of losses.binary_cross_entropy_from_logits: finite for any logit
    return np.maximum(logits, 0.0) - y * logits + np.log1p(np.exp(-np.abs(logits)))


def _squared_error_of_sigmoid_pointwise(y: np.ndarray, logits: np.ndarray) -> np.ndarray:
    return (sigmoid(logits) - y) ** 2


def logistic_loss_grid(X, y, weights, bias, axis_a, values_a, axis_b, values_b, chunk=None) -> np.ndarray:
    """Mean cross-entropy of logistic regression on a grid over two parameters.

    Axes index ``(bias, w1, …, wd)`` as in :func:`linear_mse_grid`; the other
    parameters stay at ``(weights, bias)``.  ``result[i, j]`` is the loss at
    ``param[axis_a] = values_a[i]``, ``param[axis_b] = values_b[j]``.  ``chunk``
    is how many points to process at once (by default as many as fit in a few MB).
    Penalties are not included: the landscape shows the data term.
    """
    return _logistic_grid_mean(X, y, weights, bias, axis_a, values_a, axis_b, values_b, chunk, _cross_entropy_pointwise)


def logistic_mse_grid(X, y, weights, bias, axis_a, values_a, axis_b, values_b, chunk=None) -> np.ndarray:
    """``mean((sigmoid(z) − y)²)`` on the same grid as :func:`logistic_loss_grid`.

    Squared error of the probability is what one might try instead of the
    cross-entropy; its landscape has flat plateaus where the sigmoid saturates,
    which is why classifiers use the cross-entropy.
    """
    return _logistic_grid_mean(
        X, y, weights, bias, axis_a, values_a, axis_b, values_b, chunk, _squared_error_of_sigmoid_pointwise
    )
