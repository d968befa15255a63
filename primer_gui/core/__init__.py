"""Primer's numeric core: pure NumPy, never Qt.

The trainers are imported lazily (``from primer_gui.core import MLP`` loads only
``mlp.py``), so a tab that needs one trainer does not pay for all of them.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "StepReport": "trainer",
    "Trainer": "trainer",
    "LinearRegression": "linear",
    "LogisticRegression": "logistic",
    "MLP": "mlp",
    "KMeans": "kmeans",
    "MaskedWordModel": "words",
    "PolynomialFeatures": "features",
    "Standardizer": "features",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
