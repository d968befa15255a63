"""Weight penalties: L2 (ridge, "weight decay") and L1 (lasso).

Penalties never touch biases.  L2 is smooth, so it joins the gradient
(``∂/∂w l2·Σw² = 2·l2·w``).  L1 is not differentiable at zero, so it is applied
by a proximal step after the plain gradient step: the soft threshold below.
That is what lets a weight land on exactly zero, which a plain subgradient
step would only ever jitter around.
"""

from __future__ import annotations

import numpy as np

from .trainer import check_penalty


class PenaltyStrengths:
    """The ``l1`` and ``l2`` keywords of a trainer, checked whenever they are set (a mixin)."""

    @property
    def l1(self) -> float:
        return self._l1

    @l1.setter
    def l1(self, value: float) -> None:
        self._l1 = check_penalty("l1", value)

    @property
    def l2(self) -> float:
        return self._l2

    @l2.setter
    def l2(self, value: float) -> None:
        self._l2 = check_penalty("l2", value)


def penalty(weights: np.ndarray, l1: float, l2: float) -> float:
    """``l2·Σw² + l1·Σ|w|``."""
    total = 0.0
    if l2:
        total += l2 * float(np.dot(weights.ravel(), weights.ravel()))
    if l1:
        total += l1 * float(np.abs(weights).sum())
    return total


def penalty_gradient(weights: np.ndarray, l2: float) -> np.ndarray:
    """Gradient of the smooth part, ``2·l2·w``."""
    return 2.0 * l2 * weights


def soft_threshold(weights: np.ndarray, threshold: float) -> np.ndarray:
    """The proximal map of ``threshold·Σ|w|``: shrink towards zero, stop at zero."""
    return np.sign(weights) * np.maximum(np.abs(weights) - threshold, 0.0)
