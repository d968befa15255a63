"""Logistic regression (a two-class classifier) trained by gradient descent.

The model scores a point with the logit ``z = X·w + b`` and turns it into the
probability of class 1 with ``p = sigmoid(z)``.  The objective, exactly (a mean
over points, penalties never touch the bias)::

    L(w, b) = mean(cross_entropy(y, sigmoid(X·w + b))) + l2·Σw² + l1·Σ|w|

with labels ``y`` ∈ {0, 1}.  The cross-entropy is computed from the logit
(:func:`~primer_gui.core.losses.binary_cross_entropy_from_logits`), so a confident
wrong answer costs a large but finite loss instead of ``log(0)``.  Its gradient
is as simple as linear regression's: ``∂L/∂z = (p − y)/n``, hence
``∂L/∂w = Xᵀ(p − y)/n + 2·l2·w`` and ``∂L/∂b = Σ(p − y)/n``.  L1 is applied by a
proximal (soft-threshold) step so that weights reach exact zero.

Divergence is rarer than for linear regression: the cross-entropy's gradient is
bounded (``|p − y| ≤ 1``), so without ``l2`` even an absurd learning rate only
makes the weights grow linearly, never overflow in practice.  With ``l2 > 0``
a learning rate above ``1/l2`` makes the weight-decay term flip and grow the
weights geometrically, and that does overflow.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .activations import sigmoid
from .losses import binary_cross_entropy_from_logits, binary_cross_entropy_gradient
from .penalized import PenalizedLinearModel
from .regularizers import penalty, penalty_gradient
from .trainer import Params, as_features, as_targets


def as_labels(y: Any, n: int) -> np.ndarray:
    """Labels as floats 0.0/1.0 (bools and 0/1 numbers accepted) or a ``ValueError`` naming the bad values."""
    y = as_targets(y, n)
    bad = np.unique(y[(y != 0) & (y != 1)])
    if bad.size:
        shown = ", ".join(f"{value:g}" for value in bad[:5]) + (", …" if bad.size > 5 else "")
        raise ValueError(f"Class labels must be 0 or 1; got {shown}.")
    return y


class LogisticRegression(PenalizedLinearModel):
    """Gradient-descent logistic regression; params ``weights`` (d,) and ``bias`` ()."""

    def _validate(self, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        X = as_features(X)
        return X, as_labels(y, X.shape[0])

    def _objective(self, indices: np.ndarray) -> tuple[float, Params]:
        X, y = self._batch(indices)
        weights = self._params["weights"]
        logits = X @ weights + self._params["bias"]
        loss = binary_cross_entropy_from_logits(y, logits) + penalty(weights, self._l1, self._l2)
        grad_logits = binary_cross_entropy_gradient(y, logits)
        grad_weights = X.T @ grad_logits + penalty_gradient(weights, self._l2)
        return loss, {"weights": grad_weights, "bias": np.array(grad_logits.sum())}

    def _objective_value(self, indices: np.ndarray) -> float:
        X, y = self._batch(indices)
        weights = self._params["weights"]
        logits = X @ weights + self._params["bias"]
        return binary_cross_entropy_from_logits(y, logits) + penalty(weights, self._l1, self._l2)

    # -- what the tabs show ------------------------------------------------------------
    def decision_function(self, X: Any) -> np.ndarray:
        """The logits ``X·w + b``; the decision boundary is where they are 0."""
        return self._score(X)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probability of class 1 for each point, shape ``(n,)``; stable for any logit."""
        return sigmoid(self._score(X))

    def predict(self, X: Any) -> np.ndarray:
        """Class labels 0/1 (int): 1 where the probability of class 1 is above ½."""
        return (self._score(X) > 0).astype(int)

    def stable_learning_rate(self) -> float:
        """A learning rate below which full-batch gradient descent is guaranteed to converge: ``2 / λ``.

        Unlike linear regression's, this is a *sufficient* bound, not the exact
        limit: the cross-entropy's curvature ``p(1 − p)`` is at most ¼, so the
        Hessian over ``(bias, w1, …, wd)`` never exceeds
        ``¼·mean(x̃ x̃ᵀ) + 2·l2·I`` with ``x̃ = (1, x)``, whose largest eigenvalue is ``λ``.
        Somewhat larger rates often still converge.
        """
        self._require_data()
        design = np.column_stack([np.ones(self.n_points), self.X])
        bound = design.T @ design / (4.0 * self.n_points)
        bound[1:, 1:] += 2.0 * self._l2 * np.eye(self.X.shape[1])
        largest = float(np.linalg.eigvalsh(bound)[-1])
        return 2.0 / largest
