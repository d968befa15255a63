"""The loss over two weights, the others held, and where L1 and L2 penalties move its minimum.

The picture of why L1 zeroes weights: on a slice through the mean-squared-error
landscape over two weights ``u = (w_a, w_c)`` the loss is a quadratic,

    mse(u) = uᵀ·Q·u − 2·pᵀ·u + r,

whose level sets are ellipses around the unpenalized minimum.  Adding
``l2·|u|²`` moves the minimum to where an ellipse touches a circle centred at 0;
adding ``l1·(|w_a| + |w_c|)`` moves it to where an ellipse touches a diamond —
often at one of the diamond's corners, where one weight is exactly zero.
:meth:`QuadraticSlice.minimum` finds that point exactly, for any strengths.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np

from .landscape import LinearStatistics, _residual_vector


@dataclass(frozen=True)
class QuadraticSlice:
    """``mse(u) = uᵀ·Q·u − 2·pᵀ·u + r`` over ``u = (w_a, w_c)``; see the module docstring."""

    Q: np.ndarray  # (2, 2), symmetric, positive semi-definite
    p: np.ndarray  # (2,)
    r: float

    def value(self, wa, wc) -> np.ndarray:
        """The mean squared error at ``(wa, wc)`` (arrays broadcast: a grid in one call)."""
        wa, wc = np.asarray(wa, dtype=float), np.asarray(wc, dtype=float)
        Q, p = self.Q, self.p
        quadratic = Q[0, 0] * wa * wa + 2.0 * Q[0, 1] * wa * wc + Q[1, 1] * wc * wc
        return np.maximum(quadratic - 2.0 * (p[0] * wa + p[1] * wc) + self.r, 0.0)

    def objective(self, u, l1: float = 0.0, l2: float = 0.0) -> float:
        """``mse(u) + l2·|u|² + l1·|u|₁``: the penalized loss restricted to the slice."""
        u = np.asarray(u, dtype=float)
        return float(self.value(u[0], u[1])) + l2 * float(u @ u) + l1 * float(np.abs(u).sum())

    def minimum(self, l1: float = 0.0, l2: float = 0.0) -> np.ndarray:
        """The exact minimiser of :meth:`objective` over the slice.

        The objective is convex; at its minimiser each weight is either 0 or has a sign, and given
        those, the minimiser solves a linear system (``(Q + l2·I)·u = p − (l1/2)·s`` on the non-zero
        weights, ``s`` their signs).  All nine cases are solved and the one with the lowest
        objective is returned: the true minimiser is among them, so this is exact, with no
        iteration and no tolerance.
        """
        if l1 < 0 or l2 < 0:
            raise ValueError(f"penalty strengths must be ≥ 0; got l1={l1}, l2={l2}.")
        system = self.Q + l2 * np.eye(2)
        candidates = [np.zeros(2)]
        for j in (0, 1):
            if system[j, j] > 0:
                u = np.zeros(2)
                u[j] = np.sign(self.p[j]) * max(abs(self.p[j]) - l1 / 2.0, 0.0) / system[j, j]
                candidates.append(u)
        for signs in product((-1.0, 1.0), repeat=2):
            right = self.p - (l1 / 2.0) * np.array(signs)
            candidates.append(np.linalg.lstsq(system, right, rcond=None)[0])
        scores = [self.objective(u, l1, l2) for u in candidates]
        return candidates[int(np.argmin(scores))]


def weight_slice(
    stats: LinearStatistics, weights: np.ndarray, bias: float, weight_a: int, weight_c: int
) -> QuadraticSlice:
    """The mean squared error over weights ``weight_a`` and ``weight_c`` (0-based), the rest held.

    The other weights and the bias stay at ``weights`` and ``bias``.  With ``v`` the residual
    vector of :class:`~.landscape.LinearStatistics` at ``w_a = w_c = 0``, the parameters enter it
    with a minus sign, so ``mse = vᵀGv − 2·u·(Gv)[a, c] + uᵀ·G[a, c][:, a, c]·u``.
    """
    d = np.asarray(weights).size
    if weight_a == weight_c:
        raise ValueError("The two weights of a slice must be different.")
    for index in (weight_a, weight_c):
        if not 0 <= index < d:
            raise ValueError(f"There is no weight {index}; the model has weights 0 to {d - 1}.")
    axes = [weight_a + 1, weight_c + 1]  # the gram's first row and column are the bias's
    v0 = _residual_vector(weights, bias)
    v0[axes] = 0.0
    gv = stats.gram @ v0
    return QuadraticSlice(Q=stats.gram[np.ix_(axes, axes)].copy(), p=gv[axes].copy(), r=float(v0 @ gv))
