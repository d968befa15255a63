"""Loss functions, each the *mean over points* with no ½ factor (see DESIGN.md)."""

from __future__ import annotations

import numpy as np


def mse(y: np.ndarray, prediction: np.ndarray) -> float:
    """Mean squared error ``mean((y − ŷ)²)``."""
    residual = y - prediction
    return float(np.dot(residual, residual) / residual.size)


def mse_gradient(y: np.ndarray, prediction: np.ndarray) -> np.ndarray:
    """``∂ mse / ∂ŷ = −2 (y − ŷ) / n``."""
    return -2.0 * (y - prediction) / y.size
