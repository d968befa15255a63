"""Loss surfaces on a grid, for the landscape views.

For linear regression the MSE is a quadratic in the parameters, so it is a
function of a few sums of the data (its *sufficient statistics*): once those
are known, a grid costs O(grid) whatever the number of points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


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
