"""Linear regression trained by gradient descent.

The objective, exactly (a mean over points, no ½ factor, penalties never touch
the bias)::

    L(w, b) = mean((y − X·w − b)²) + l2·Σw² + l1·Σ|w|

Its smooth part has gradient ``∂L/∂w = −2/n · Xᵀr + 2·l2·w`` and
``∂L/∂b = −2/n · Σr`` with residuals ``r = y − X·w − b``.  L1 is applied by a
proximal (soft-threshold) step after the gradient step so that weights reach
exact zero; with both penalties set this is the elastic net.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .regularizers import penalty, penalty_gradient, soft_threshold
from .trainer import Params, Trainer, check_penalty


class LinearRegression(Trainer):
    """Gradient-descent linear regression; params ``weights`` (d,) and ``bias`` ()."""

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

    # -- hooks -----------------------------------------------------------------------
    def _initial_params(self, X: np.ndarray, y: Any) -> Params:
        """Zeros: the objective is convex, so the start only changes the path, not the end."""
        return {"weights": np.zeros(X.shape[1]), "bias": np.array(0.0)}

    def _params_fit(self, X: np.ndarray) -> bool:
        return bool(self._params) and self._params["weights"].shape == (X.shape[1],)

    def _objective(self, indices: np.ndarray) -> tuple[float, Params]:
        if indices.size == self.n_points:  # full batch: skip the gather (n may be millions)
            X, y = self.X, self.y
        else:
            X, y = self.X[indices], self.y[indices]
        weights, bias = self._params["weights"], self._params["bias"]
        residual = y - X @ weights - bias
        n = residual.size
        loss = float(residual @ residual) / n + penalty(weights, self._l1, self._l2)
        grad_weights = (-2.0 / n) * (X.T @ residual) + penalty_gradient(weights, self._l2)
        grad_bias = np.array((-2.0 / n) * residual.sum())
        return loss, {"weights": grad_weights, "bias": grad_bias}

    def _updated(self, params: Params, gradients: Params, learning_rate: float) -> Params:
        weights = params["weights"] - learning_rate * gradients["weights"]
        if self._l1:
            weights = soft_threshold(weights, learning_rate * self._l1)
        return {"weights": weights, "bias": params["bias"] - learning_rate * gradients["bias"]}

    # -- what the tabs show ------------------------------------------------------------
    def predict(self, X: Any) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        if X.ndim == 1:
            X = X.reshape(-1, 1) if self._params["weights"].size == 1 else X.reshape(1, -1)
        return X @ self._params["weights"] + self._params["bias"]

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
