"""What the Line fit tab reads from its trainer, next to it (Qt-free: it runs in the trainer's process).

With feature scaling on, the trainer learns on the standardized size
``z = (size − mean) / std`` — a round loss bowl that one learning rate suits in
both directions — and :meth:`LineFitProbe.line` turns its parameters back into
the data's own units for the picture.
"""

from __future__ import annotations

import numpy as np

from ..core.features import Standardizer
from ..core.trainer import Trainer
from ..training.probe import Probe


class LineFitProbe(Probe):
    # a divergence is over in milliseconds: its zig-zag on the landscape is the lesson
    trace_divergence = True

    def __init__(self, scaling: bool = False):
        self.scaling = scaling
        self.scaler: Standardizer | None = None

    def configure(self, **settings) -> bool:
        rebuild = "scaling" in settings and bool(settings["scaling"]) != self.scaling
        super().configure(**settings)
        return rebuild

    def data(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        X, y = rows[:, :1], rows[:, 1]
        if not self.scaling:
            self.scaler = None
            return X, y
        self.scaler = Standardizer().fit(X)
        return self.scaler.transform(X), y

    def track(self, trainer: Trainer) -> np.ndarray:
        params = trainer.params
        return np.array([float(params["bias"]), float(params["weights"][0])])

    def line(self, bias: float, slope: float) -> tuple[float, float]:
        """(intercept, slope) in the data's units for the trainer's (bias, weight)."""
        if self.scaler is None:
            return bias, slope
        weights, intercept = self.scaler.original_weights(np.array([slope]), bias)
        return float(intercept), float(weights[0])
