"""What linear and logistic regression share: one weight per feature, a bias, L1/L2 penalties.

Both models compute the same linear score ``X·w + b`` and differ only in the
loss laid on top of it.  This base holds the parts that are the same:

* the hyper-parameters ``l1`` and ``l2`` (validated on assignment) next to the
  learning rate, batch size and seed of :class:`~primer_gui.core.trainer.Trainer`;
* zero initial parameters ``weights`` (d,) and ``bias`` () — both objectives are
  convex, so the start changes the path, not the end;
* the update: a gradient step on the smooth part (the data term plus
  ``l2·Σw²``), then the proximal step of ``l1·Σ|w|`` (a soft threshold) so that
  weights reach exact zero.  Penalties never touch the bias.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .regularizers import PenaltyStrengths, soft_threshold
from .trainer import Params, Trainer


class PenalizedLinearModel(PenaltyStrengths, Trainer):
    """Base of :class:`LinearRegression` and :class:`LogisticRegression`; subclasses supply ``_objective``."""

    hyperparameters = ("learning_rate", "batch_size", "l1", "l2", "seed")

    def __init__(
        self,
        *,
        learning_rate: float = 0.1,
        batch_size: int | None = None,
        l1: float = 0.0,
        l2: float = 0.0,
        seed: int = 0,
    ):
        super().__init__(learning_rate=learning_rate, batch_size=batch_size, seed=seed)
        self.l1 = l1
        self.l2 = l2

    # -- hooks -----------------------------------------------------------------------
    def _initial_params(self, X: np.ndarray, y: Any) -> Params:
        return {"weights": np.zeros(X.shape[1]), "bias": np.array(0.0)}

    def _params_fit(self, X: np.ndarray) -> bool:
        return bool(self._params) and self._params["weights"].shape == (X.shape[1],)

    def _batch(self, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rows of ``X`` and ``y`` at ``indices``; the full batch skips the gather (n may be millions)."""
        if indices.size == self.n_points:
            return self.X, self.y
        return self.X[indices], self.y[indices]

    def _updated(self, params: Params, gradients: Params, learning_rate: float) -> Params:
        weights = params["weights"] - learning_rate * gradients["weights"]
        if self._l1:
            weights = soft_threshold(weights, learning_rate * self._l1)
        return {"weights": weights, "bias": params["bias"] - learning_rate * gradients["bias"]}

    def _score(self, X: Any) -> np.ndarray:
        """The linear score ``X·w + b``; a 1-D ``X`` is one feature per point if d = 1, else one point."""
        if not self._params:
            raise ValueError("This model has no parameters yet; give it data with set_data first.")
        d = self._params["weights"].size
        X = np.asarray(X, dtype=float)
        if X.ndim == 1:
            X = X.reshape(-1, 1) if d == 1 else X.reshape(1, -1)
        if X.ndim != 2 or X.shape[1] != d:
            raise ValueError(f"The model has {d} feature(s) per point; X has shape {X.shape}.")
        return X @ self._params["weights"] + self._params["bias"]
