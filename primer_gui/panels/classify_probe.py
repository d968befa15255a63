"""What the Classify tab computes next to its trainer (Qt-free: it runs in the trainer's process).

The tab's rows are ``(x1, x2, label)`` in both of its modes: with one feature
(``dims=1``) the trainer sees ``x1`` alone, with two it sees both.  Each
snapshot carries what the GUI cannot cheaply compute itself, because it needs
every point:

* how many points of each class have a probability above each threshold the
  slider offers (``THRESHOLDS``), so the confusion matrix follows the slider at
  once, exactly, without asking the trainer;
* whether the current boundary puts every point on its own side (then the data
  are separable and, without L2, the weights grow without end);
* with one feature: the loss landscape over (bias, weight) — cross-entropy and,
  for comparison, the squared error of the probability — on a window that holds
  the start, the current parameters and the optimum, recomputed only when the
  data or the window change; the optimum itself (Newton's method), or None when
  there is none; and the gradient there, for the downhill arrow.
"""

from __future__ import annotations

import numpy as np

from ..core.activations import sigmoid
from ..core.landscape import logistic_loss_grid, logistic_mse_grid
from ..core.trainer import Trainer
from ..training.probe import Probe

#: the thresholds the slider offers (0.00, 0.01, …, 1.00): counts are sent for each
THRESHOLDS = np.arange(101) / 100
#: landscape grid points per side
GRID = 61
#: at most this many points (a fixed random subset) make the landscape: its cost is grid × points
LANDSCAPE_POINTS = 400
#: the landscape reaches at least this far past the start and the current parameters, so the squared
#: error's plateaus (where the sigmoid saturates on the wrong side) are in view, not only the bottom
MIN_REACH = 3.0
#: parameters beyond this size (a divergence) are not framed: the landscape keeps to what it can draw
DRAWABLE = 1e4


def positive_numbers(n: int = 40, noise: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The primer's example, "is this number positive?": numbers in [−5, 5] with label 1 for positive.

    With ``noise`` > 0 the label is decided by the number plus Gaussian noise of standard
    deviation ``5·noise``, so near 0 some labels disagree with the sign (the classes overlap);
    with ``noise`` = 0 every label is the sign, and a threshold separates the classes exactly.
    """
    if n < 1 or noise < 0:
        raise ValueError(f"need n ≥ 1 and noise ≥ 0; got n = {n}, noise = {noise}.")
    rng = np.random.default_rng(seed)
    x = rng.uniform(-5.0, 5.0, n)
    label = (x + rng.normal(0.0, 5.0 * noise, n) > 0).astype(float)
    return x.reshape(-1, 1), label


def above_counts(probabilities: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``counts[c, k]`` = how many points of class ``c`` have a probability above ``THRESHOLDS[k]``."""
    # index = how many thresholds lie strictly below p, so p > THRESHOLDS[k] exactly when k < index
    index = np.searchsorted(THRESHOLDS, probabilities, side="left")
    counts = np.empty((2, THRESHOLDS.size), dtype=np.int64)
    for label in (0, 1):
        mine = index[y == label]
        at_or_below = np.cumsum(np.bincount(mine, minlength=THRESHOLDS.size + 1))[: THRESHOLDS.size]
        counts[label] = mine.size - at_or_below
    return counts


def logistic_optimum(X: np.ndarray, y: np.ndarray, l2: float = 0.0, iterations: int = 100) -> np.ndarray | None:
    """``(bias, w1, …)`` minimising mean cross-entropy + l2·Σw², by damped Newton steps; None when none exists.

    There is no minimum when the classes can be separated and nothing penalises the weights (the
    loss keeps falling as they grow) or when every point is of one class (the bias grows for ever).
    """
    n = X.shape[0]
    if n == 0 or np.all(y == y[0]):
        return None
    design = np.column_stack([np.ones(n), X])
    penalty = np.full(design.shape[1], 2.0 * l2)
    penalty[0] = 0.0

    def objective(theta: np.ndarray) -> float:
        z = design @ theta
        return float(np.mean(np.logaddexp(0.0, z) - y * z) + 0.5 * np.sum(penalty * theta**2))

    theta = np.zeros(design.shape[1])
    for _ in range(iterations):
        p = sigmoid(design @ theta)
        gradient = design.T @ (p - y) / n + penalty * theta
        if np.max(np.abs(gradient)) < 1e-12:
            break
        hessian = (design.T * (p * (1 - p))) @ design / n + np.diag(penalty)
        try:
            step = np.linalg.solve(hessian + 1e-12 * np.eye(len(theta)), gradient)
        except np.linalg.LinAlgError:
            return None
        size, before = 1.0, objective(theta)
        while objective(theta - size * step) > before - 1e-4 * size * float(gradient @ step) and size > 1e-8:
            size /= 2
        theta = theta - size * step
        if not np.all(np.isfinite(theta)) or np.max(np.abs(theta)) > 1e6:
            return None
    if l2 == 0.0:
        # a boundary that puts every point strictly on its own side means the data are separable:
        # the loss has no lowest point, only an ever lower slope (Newton merely went far along it)
        margins = np.where(y == 1, 1.0, -1.0) * (design @ theta)
        if margins.min() > 0:
            return None
    return theta


class ClassifyProbe(Probe):
    series = ("loss", "accuracy", "weight_size")

    def __init__(self, dims: int = 1):
        self.dims = int(dims)
        self._forget()

    def _forget(self) -> None:
        self._optimum_key: tuple | None = None
        self._optimum: np.ndarray | None = None
        self._extent: tuple[float, float, float, float] | None = None
        self._surface_for: np.ndarray | None = None  # the trainer's X the surfaces were made from
        self._surfaces: dict | None = None
        self._version = 0
        self._last_step = -1

    # the caches are rebuilt where the probe lands, never pickled with it (they hold the data)
    def __getstate__(self) -> dict:
        return {"dims": self.dims}

    def __setstate__(self, state: dict) -> None:
        self.dims = int(state["dims"])
        self._forget()

    def configure(self, **settings) -> bool:
        rebuild = "dims" in settings and int(settings["dims"]) != self.dims
        super().configure(**settings)
        self.dims = int(self.dims)
        if rebuild:
            self._forget()
        return rebuild

    def data(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return rows[:, : self.dims], rows[:, 2]

    def track(self, trainer: Trainer) -> np.ndarray:
        """(bias, w1, w2) — w2 is 0 with one feature, so every point of a path has the same length."""
        params = trainer.params
        weights = params["weights"]
        return np.array([float(params["bias"]), float(weights[0]), float(weights[1]) if weights.size > 1 else 0.0])

    def metrics(self, trainer: Trainer) -> tuple[float, float]:
        """The accuracy at threshold ½ and the size of the weights ‖w‖."""
        z = trainer.decision_function(trainer.X)
        accuracy = float(np.mean((z > 0) == (trainer.y == 1)))
        return accuracy, float(np.linalg.norm(trainer.params["weights"]))

    def extra(self, trainer: Trainer) -> dict:
        X, y = trainer.X, trainer.y
        params = trainer.params
        z = X @ params["weights"] + float(params["bias"])
        margins = np.where(y == 1, z, -z)
        classes = (int(np.sum(y == 0)), int(np.sum(y == 1)))
        out = {
            "above": above_counts(sigmoid(z), y),
            "classes": classes,
            "separated": bool(margins.min() > 0),
            "one_class": min(classes) == 0,
        }
        if self.dims == 1 and X.shape[1] == 1:
            out.update(self._landscape(trainer, float(params["bias"]), float(params["weights"][0])))
        return out

    # -- one feature: the landscape over (bias, weight) ----------------------------------------------
    def _landscape(self, trainer: Trainer, bias: float, weight: float) -> dict:
        X, y = trainer.X, trainer.y
        key = (X, trainer.l2)
        if self._optimum_key is None or self._optimum_key[0] is not X or self._optimum_key[1] != trainer.l2:
            self._optimum_key = key
            self._optimum = logistic_optimum(X, y, trainer.l2)
        optimum = self._optimum
        points = [(0.0, 0.0)]
        if max(abs(bias), abs(weight)) <= DRAWABLE:
            points.append((bias, weight))
        if optimum is not None:
            points.append((float(optimum[0]), float(optimum[1])))
        restarted = trainer.step_count < self._last_step
        self._last_step = trainer.step_count
        extent = self._extent
        if extent is None or restarted:
            extent = _frame(points)
        elif not all(_inside(extent, point) for point in points):
            b0, b1, w0, w1 = extent
            extent = _frame(points + [(b0, w0), (b1, w1)], pad=0.15)
        if extent != self._extent or self._surface_for is not X:
            self._extent, self._surface_for = extent, X
            self._surfaces = self._grids(X, y, extent)
            self._version += 1
        gradient = trainer.gradients()
        return {
            "landscape": {**self._surfaces, "extent": extent, "version": self._version},
            "optimum": None if optimum is None else (float(optimum[0]), float(optimum[1])),
            "gradient": (float(gradient["bias"]), float(gradient["weights"][0])),
        }

    @staticmethod
    def _grids(X: np.ndarray, y: np.ndarray, extent: tuple) -> dict:
        n = X.shape[0]
        if n > LANDSCAPE_POINTS:
            keep = np.sort(np.random.default_rng(0).permutation(n)[:LANDSCAPE_POINTS])
            X, y = X[keep], y[keep]
        b0, b1, w0, w1 = extent
        bs, ws = np.linspace(b0, b1, GRID), np.linspace(w0, w1, GRID)
        args = (X, y, np.zeros(1), 0.0, 0, bs, 1, ws)
        return {
            "cross_entropy": logistic_loss_grid(*args),
            "mse": logistic_mse_grid(*args),
            "points_used": X.shape[0],
            "points": n,
        }


def _frame(points: list[tuple[float, float]], pad: float = 0.25) -> tuple[float, float, float, float]:
    """A window around the points, padded by ``pad`` of its size and at least ``MIN_REACH`` on each side."""
    array = np.array(points, dtype=float)
    low, high = array.min(axis=0), array.max(axis=0)
    margin = np.maximum(pad * (high - low), MIN_REACH)
    return (
        float(low[0] - margin[0]),
        float(high[0] + margin[0]),
        float(low[1] - margin[1]),
        float(high[1] + margin[1]),
    )


def _inside(extent: tuple, point: tuple[float, float]) -> bool:
    b0, b1, w0, w1 = extent
    return b0 <= point[0] <= b1 and w0 <= point[1] <= w1
