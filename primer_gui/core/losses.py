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


def _check_logits_and_targets(logits, targets) -> tuple[np.ndarray, np.ndarray]:
    """``logits`` as a float ``(n, k)`` array and ``targets`` as ``n`` class indices in ``0 … k−1``, or a ValueError."""
    logits = np.asarray(logits, dtype=float)
    if logits.ndim != 2 or logits.shape[0] == 0 or logits.shape[1] == 0:
        raise ValueError(f"logits must be a 2-D array of shape (points, classes); got shape {logits.shape}.")
    targets = np.asarray(targets)
    if targets.shape != (logits.shape[0],):
        raise ValueError(
            f"targets must hold one class index per row of logits ({logits.shape[0]}); got {targets.shape}."
        )
    if not np.issubdtype(targets.dtype, np.integer):
        raise ValueError(f"targets must be whole-number class indices; got dtype {targets.dtype}.")
    if targets.min() < 0 or targets.max() >= logits.shape[1]:
        raise ValueError(f"targets must be class indices between 0 and {logits.shape[1] - 1}.")
    return logits, targets


def softmax(logits) -> np.ndarray:
    """Row-wise ``e^z / Σ e^z``; the row maximum is subtracted first, so nothing overflows."""
    logits = np.asarray(logits, dtype=float)
    shifted = logits - logits.max(axis=-1, keepdims=True)
    np.exp(shifted, out=shifted)
    shifted /= shifted.sum(axis=-1, keepdims=True)
    return shifted


def softmax_cross_entropy(logits, targets) -> float:
    """Mean over rows of ``−log softmax(z)[target] = logsumexp(z) − z[target]``.

    ``logits`` has shape ``(n, k)``, ``targets`` holds ``n`` class indices.  The
    log-sum-exp is taken after subtracting each row's maximum, so any finite
    logits give a finite loss (a confident wrong answer costs a large finite loss).
    """
    logits, targets = _check_logits_and_targets(logits, targets)
    top = logits.max(axis=1)
    log_sum = top + np.log(np.exp(logits - top[:, None]).sum(axis=1))
    return float(np.mean(log_sum - logits[np.arange(targets.size), targets]))


def softmax_cross_entropy_gradient(logits, targets) -> np.ndarray:
    """``∂/∂z`` of the mean above: ``(softmax(z) − onehot(target)) / n``, shape ``(n, k)``."""
    logits, targets = _check_logits_and_targets(logits, targets)
    gradient = softmax(logits)
    gradient[np.arange(targets.size), targets] -= 1.0
    gradient /= targets.size
    return gradient
