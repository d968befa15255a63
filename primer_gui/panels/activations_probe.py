"""What the Activations tab computes next to each of its two networks (Qt-free: it runs in their processes).

Each network's snapshot carries its decision map (the probability of class 1
over the plane) and its history records the accuracy next to the loss.  The
data sets are TensorFlow Playground's; circle and xor come in mirror pairs — each
point ``x`` with ``−x`` of the same class — so their classes are balanced exactly
about the centre: no straight boundary has anything to gain there, and a
network that can only draw straight lines (linear activations) ends up saying
about the same everywhere, at the majority baseline.
"""

from __future__ import annotations

import numpy as np

from ..core.datasets import circle, gaussian, spiral, xor
from ..core.trainer import Trainer
from ..training.probe import Probe

#: the plane the maps cover (the data sets live in [−6, 6]²)
EXTENT = (-6.0, 6.0)
#: map points per side
RESOLUTION = 50
#: every network of the tab: two inputs, two hidden layers of six, one output
LAYER_SIZES = (2, 6, 6, 1)
DATASETS = ("circle", "xor", "spiral", "gaussian")
#: the data sets whose points come in mirror pairs
MIRRORED = ("circle", "xor")


def network_rows(name: str, points: int, noise: float, seed: int) -> np.ndarray:
    """Rows ``(x1, x2, label)`` of a data set; circle and xor as mirror pairs (``points`` rounded up to even)."""
    if name in MIRRORED:
        generator = circle if name == "circle" else xor
        X, y = generator((points + 1) // 2, noise, seed)
        X, y = np.vstack([X, -X]), np.concatenate([y, y])
    else:
        X, y = (spiral if name == "spiral" else gaussian)(points, noise, seed)
    return np.column_stack([X, y])


def majority_baseline(y: np.ndarray) -> float:
    """The accuracy of always saying the commoner class."""
    share = float(np.mean(y)) if len(y) else 0.5
    return max(share, 1.0 - share)


class NetworkProbe(Probe):
    series = ("loss", "accuracy")

    def metrics(self, trainer: Trainer) -> tuple[float]:
        return (float(np.mean(trainer.predict(trainer.X) == trainer.y)),)

    def extra(self, trainer: Trainer) -> dict:
        grid = trainer.decision_grid(EXTENT, EXTENT, RESOLUTION)
        return {"map": grid.output}
