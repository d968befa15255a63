"""Feature transforms: polynomial features (for overfitting) and standardisation (feature scaling).

Both are plain functions of the data with no training of their own, so a tab can
show the raw points while a trainer sees the transformed ones.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .trainer import as_features

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


class PolynomialFeatures:
    """One input ``x`` → the columns ``x, x², …, x^degree``.

    There is no constant column: every trainer already has a bias.  Only one
    input is accepted (shape ``(n, 1)`` or ``(n,)``): with several inputs a
    polynomial also needs the cross terms (``x1·x2``, …), which the Overfitting
    tab does not use, so more than one column is refused with a ``ValueError``
    rather than silently given a partial expansion.

    High powers of large ``x`` span many orders of magnitude; standardise the
    result (:class:`Standardizer`) before gradient descent.
    """

    def __init__(self, degree: int):
        try:
            whole = not isinstance(degree, bool) and float(degree).is_integer() and int(degree) >= 1
        except (TypeError, ValueError):
            whole = False
        if not whole:
            raise ValueError(f"degree must be a whole number ≥ 1; got {degree!r}.")
        self.degree = int(degree)

    def transform(self, X: Any) -> np.ndarray:
        """Shape ``(n, degree)``; column ``k`` (from 0) is ``x^(k+1)``."""
        X = np.asarray(X)
        X = as_features(X.reshape(-1, 1) if X.ndim == 1 else X)
        if X.shape[1] != 1:
            raise ValueError(
                f"PolynomialFeatures takes one input column; got {X.shape[1]}. Pass the single feature as shape (n, 1)."
            )
        with np.errstate(over="ignore"):
            powers = X ** np.arange(1, self.degree + 1)
        if not np.isfinite(powers).all():
            raise ValueError(f"x is too large for degree {self.degree}: its powers overflow; rescale x first.")
        return powers

    def feature_names(self, name: str = "x") -> list[str]:
        """Labels for the columns, e.g. ``["x", "x²", "x³"]``, for weight bars."""
        return [name] + [name + str(power).translate(_SUPERSCRIPTS) for power in range(2, self.degree + 1)]


class Standardizer:
    """Feature scaling: each column to mean 0 and standard deviation 1.

    Gradient descent takes one learning rate for all weights; when features have
    very different spreads the loss surface is a long narrow valley and a rate
    that is stable for the steep direction crawls along the shallow one.
    Standardising makes the directions comparable.

    ``mean_`` and ``scale_`` (the population standard deviation, ``ddof=0``) come
    from :meth:`fit`.  A column with no spread (constant up to the rounding error
    of its mean, ``std ≤ n·ε·max|x|``) gets ``scale_ = 1``: it carries no
    information, is mapped to 0 (its ``mean_`` is its first value, so a truly
    constant column gives exact zeros) without dividing by zero, and
    :meth:`inverse_transform` restores it.
    """

    def __init__(self) -> None:
        self.mean_: np.ndarray | None = None
        self.scale_: np.ndarray | None = None

    def fit(self, X: Any) -> Standardizer:
        X = as_features(X)
        mean = X.mean(axis=0)
        scale = X.std(axis=0)
        constant = scale <= X.shape[0] * np.finfo(float).eps * np.abs(X).max(axis=0)
        self.mean_ = np.where(constant, X[0], mean)  # X[0], not the rounded mean: maps exactly to 0
        self.scale_ = np.where(constant, 1.0, scale)
        return self

    def _check(self, X: Any) -> np.ndarray:
        if self.mean_ is None:
            raise ValueError("This Standardizer has not been fitted; call fit(X) first.")
        X = as_features(X)
        if X.shape[1] != self.mean_.size:
            raise ValueError(f"The Standardizer was fitted on {self.mean_.size} columns; X has {X.shape[1]}.")
        return X

    def transform(self, X: Any) -> np.ndarray:
        """``(X − mean_) / scale_``."""
        return (self._check(X) - self.mean_) / self.scale_

    def inverse_transform(self, Z: Any) -> np.ndarray:
        """``Z·scale_ + mean_``: back to the original units."""
        return self._check(Z) * self.scale_ + self.mean_

    def fit_transform(self, X: Any) -> np.ndarray:
        return self.fit(X).transform(X)

    def original_weights(self, weights: Any, bias: float) -> tuple[np.ndarray, float]:
        """Weights learned on standardised features, re-expressed for the original features.

        ``w·(x − μ)/σ + b = (w/σ)·x + (b − Σ w·μ/σ)``, so the same predictions come
        from ``w' = w/σ`` and ``b' = b − w'·μ``.  Returns ``(w', b')``.
        """
        if self.mean_ is None:
            raise ValueError("This Standardizer has not been fitted; call fit(X) first.")
        weights = np.asarray(weights, dtype=float)
        if weights.shape != self.mean_.shape:
            raise ValueError(f"weights must have shape {self.mean_.shape}; got {weights.shape}.")
        original = weights / self.scale_
        return original, float(bias) - float(original @ self.mean_)
