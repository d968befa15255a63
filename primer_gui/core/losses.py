"""Loss functions, each the *mean over points* with no ½ factor (see DESIGN.md)."""

from __future__ import annotations

import numpy as np

from .activations import sigmoid


def mse(y: np.ndarray, prediction: np.ndarray) -> float:
    """Mean squared error ``mean((y − ŷ)²)``."""
    residual = y - prediction
    return float(np.dot(residual, residual) / residual.size)


def mse_gradient(y: np.ndarray, prediction: np.ndarray) -> np.ndarray:
    """``∂ mse / ∂ŷ = −2 (y − ŷ) / n``."""
    return -2.0 * (y - prediction) / y.size


def binary_cross_entropy_from_logits(y: np.ndarray, logits: np.ndarray) -> float:
    """Mean binary cross-entropy of labels ``y`` ∈ {0, 1} against ``p = sigmoid(logits)``.

    ``−[y·log p + (1−y)·log(1−p)] = softplus(z) − y·z``, computed as
    ``max(z, 0) − y·z + log1p(e^−|z|)`` so it is exact and finite for any logit:
    a confident wrong answer costs a large finite loss, never ``inf``.
    """
    z = np.asarray(logits, dtype=float)
    return float(np.mean(np.maximum(z, 0.0) - y * z + np.log1p(np.exp(-np.abs(z)))))


def binary_cross_entropy_gradient(y: np.ndarray, logits: np.ndarray) -> np.ndarray:
    """``∂/∂z`` of the mean above: ``(sigmoid(z) − y) / n``."""
    return (sigmoid(logits) - y) / y.size
