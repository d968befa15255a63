"""Linear regression trained by gradient descent.

The objective, exactly (a mean over points, no ½ factor, penalties never touch
the bias)::

    L(w, b) = mean((y − X·w − b)²) + l2·Σw² + l1·Σ|w|

Its smooth part has gradient ``∂L/∂w = −2/n · Xᵀr + 2·l2·w`` and
``∂L/∂b = −2/n · Σr`` with residuals ``r = y − X·w − b``.  L1 is applied by a
proximal (soft-threshold) step after the gradient step so that weights reach
exact zero; with both penalties set this is the elastic net.  The penalties, the
zero start and the proximal update are shared with logistic regression in
:mod:`.penalized`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .penalized import PenalizedLinearModel
from .regularizers import penalty, penalty_gradient
from .trainer import Params


class LinearRegression(PenalizedLinearModel):
    """Gradient-descent linear regression; params ``weights`` (d,) and ``bias`` ()."""

    def _objective(self, indices: np.ndarray) -> tuple[float, Params]:
        X, y = self._batch(indices)
        weights, bias = self._params["weights"], self._params["bias"]
        residual = y - X @ weights - bias
        n = residual.size
        loss = float(residual @ residual) / n + penalty(weights, self._l1, self._l2)
        grad_weights = (-2.0 / n) * (X.T @ residual) + penalty_gradient(weights, self._l2)
        grad_bias = np.array((-2.0 / n) * residual.sum())
        return loss, {"weights": grad_weights, "bias": grad_bias}

    def _objective_value(self, indices: np.ndarray) -> float:
        X, y = self._batch(indices)
        weights = self._params["weights"]
        residual = y - X @ weights - self._params["bias"]
        return float(residual @ residual) / residual.size + penalty(weights, self._l1, self._l2)

    # -- what the tabs show ------------------------------------------------------------
    def predict(self, X: Any) -> np.ndarray:
        """``X·w + b``."""
        return self._score(X)

    def hessian(self) -> np.ndarray:
        """Hessian of the smooth objective over ``(bias, w1, …, wd)``: constant, it is a quadratic."""
        self._require_data()
        design = np.column_stack([np.ones(self.n_points), self.X])
        hessian = 2.0 * design.T @ design / self.n_points
        hessian[1:, 1:] += 2.0 * self._l2 * np.eye(self.X.shape[1])
        return hessian

    def stable_learning_rate(self) -> float:
        """The largest learning rate for which full-batch gradient descent converges: ``2 / λmax``.

        On a quadratic, each eigen-direction of the Hessian is multiplied by
        ``1 − learning_rate·λ`` per step; that shrinks only while ``learning_rate < 2/λ``.
        """
        largest = float(np.linalg.eigvalsh(self.hessian())[-1])
        return 2.0 / largest if largest > 0 else float("inf")

    def closed_form(self) -> Params:
        """The exact minimiser of the objective: least squares, or ridge when ``l2 > 0``.

        Centring removes the bias from the linear system, so the penalty falls on
        the weights only: ``(Xcᵀ Xc / n + l2·I) w = Xcᵀ yc / n`` and
        ``b = mean(y) − mean(X)·w``.  With ``l1 > 0`` there is no closed form and a
        ``ValueError`` says so.  Rank-deficient data (fewer distinct points than
        parameters) gets the minimum-norm solution.
        """
        self._require_data()
        if self._l1:
            raise ValueError("With an L1 penalty there is no closed-form optimum; train to convergence instead.")
        x_mean = self.X.mean(axis=0)
        y_mean = self.y.mean()
        Xc = self.X - x_mean
        yc = self.y - y_mean
        n = self.n_points
        system = Xc.T @ Xc / n + self._l2 * np.eye(self.X.shape[1])
        weights = np.linalg.lstsq(system, Xc.T @ yc / n, rcond=None)[0]
        return {"weights": weights, "bias": np.array(y_mean - x_mean @ weights)}
