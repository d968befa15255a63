"""What the Overfitting tab reads from its trainer, next to it (Qt-free: it runs in the trainer's process).

The rows are points ``(x, y, split)``: split 0 is a training point, 1 a
validation point.  The trainer sees only the training points, through a
polynomial of the chosen degree on standardized features
(:class:`PolynomialPipeline`).  Beside it the probe measures the validation
error (a history series), draws the fitted curve and the L1/L2 picture of a
two-weight slice for each snapshot, and runs the *sweep*
(:meth:`OverfittingProbe.action_sweep`): the training and validation error of
the fit each penalty strength (or degree) ends at, on copies, in slices.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from ..core.features import PolynomialFeatures, Standardizer
from ..core.landscape import LinearStatistics
from ..core.slices import weight_slice
from ..core.solvers import penalized_minimum
from ..core.trainer import Trainer
from ..training.probe import Probe

MAX_DEGREE = 15
#: points of the fitted curve drawn over the data
CURVE_POINTS = 240
#: the two-weight slice's grid (per side)
SLICE_GRID = 61
#: the strengths a sweep tries (the strength sliders' range)
SWEEP_STRENGTHS = tuple(float(f"{v:.3g}") for v in np.logspace(-5, 1, 25))


def split_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(x_train, y_train, x_validation, y_validation)``; a split that is not 0 or 1 is refused."""
    split = rows[:, 2]
    bad = ~np.isin(split, (0.0, 1.0))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"The third column says which set a point is in: 0 for training, 1 for validation. "
            f"Point {row + 1} has {split[row]:g}."
        )
    train, validation = split == 0.0, split == 1.0
    return rows[train, 0], rows[train, 1], rows[validation, 0], rows[validation, 1]


class PolynomialPipeline:
    """x → standardized x → its powers 1 … degree → each power standardized; fitted on the training x.

    Standardizing x first keeps the powers of large x from overflowing; standardizing the
    powers gives every weight a comparable scale, so one learning rate and one penalty
    strength mean the same to all of them.
    """

    def __init__(self, degree: int, x_train: np.ndarray):
        x_train = np.asarray(x_train, dtype=float).reshape(-1, 1)
        self.degree = int(degree)
        self.inner = Standardizer().fit(x_train)
        self.powers = PolynomialFeatures(self.degree)
        self.outer = Standardizer().fit(self.powers.transform(self.inner.transform(x_train)))

    def transform(self, x) -> np.ndarray:
        x = np.asarray(x, dtype=float).reshape(-1, 1)
        return self.outer.transform(self.powers.transform(self.inner.transform(x)))


def mse(X: np.ndarray, y: np.ndarray, weights: np.ndarray, bias: float) -> float:
    """The data term: mean squared error (NaN with no points)."""
    if y.size == 0:
        return float("nan")
    residual = y - X @ weights - bias
    return float(residual @ residual) / residual.size


class OverfittingProbe(Probe):
    series = ("loss", "training", "validation")

    def __init__(
        self,
        degree: int = 9,
        curve_range: tuple[float, float] = (0.0, 1.0),
        slice_weights: tuple[int, int] = (0, 1),
        slice_aspect: float = 1.0,
    ):
        self.degree = int(degree)
        self.curve_range = tuple(curve_range)
        self.slice_weights = tuple(slice_weights)
        self.slice_aspect = float(slice_aspect)  # the slice picture's height ÷ width on screen
        self.pipeline: PolynomialPipeline | None = None
        self.x_train = self.y_train = self.x_validation = self.y_validation = np.empty(0)
        self.X_validation = np.empty((0, self.degree))
        self._stats: tuple[Any, LinearStatistics] | None = None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_stats": None}  # a cache, rebuilt where the probe lands

    def configure(self, **settings) -> bool:
        rebuild = "degree" in settings and int(settings["degree"]) != self.degree
        super().configure(**settings)
        self.degree = int(self.degree)
        return rebuild

    # -- data --------------------------------------------------------------------------------------
    def features(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, PolynomialPipeline, tuple]:
        """Rows → the training ``(X, y)``, the pipeline fitted on them, and the raw split (no side effects)."""
        parts = split_rows(rows)
        x_train, y_train = parts[0], parts[1]
        if x_train.size == 0:
            raise ValueError("Keep at least one training point: the model learns from those alone.")
        pipeline = PolynomialPipeline(self.degree, x_train)
        return pipeline.transform(x_train), y_train, pipeline, parts

    def data(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        X, y, self.pipeline, parts = self.features(rows)
        self.x_train, self.y_train, self.x_validation, self.y_validation = parts
        self.X_validation = self.pipeline.transform(self.x_validation)
        return X, y

    def check_rows(self, trainer: Trainer, rows: np.ndarray) -> None:
        if rows.shape[0]:
            X, y, _pipeline, _parts = self.features(rows)
            trainer.check_data(X, y)

    # -- what is measured and drawn ---------------------------------------------------------------------
    def metrics(self, trainer: Trainer) -> tuple[float, float]:
        weights, bias = trainer.params["weights"], float(trainer.params["bias"])
        return mse(trainer.X, trainer.y, weights, bias), mse(self.X_validation, self.y_validation, weights, bias)

    def extra(self, trainer: Trainer) -> dict[str, Any]:
        if self.pipeline is None:
            return {}
        weights, bias = trainer.params["weights"], float(trainer.params["bias"])
        xs = np.linspace(*self.curve_range, CURVE_POINTS)
        with np.errstate(all="ignore"):
            ys = self.pipeline.transform(xs) @ weights + bias
        extra: dict[str, Any] = {"curve": (xs, ys)}
        if weights.size >= 2:
            extra["slice"] = self._slice(trainer, weights, bias)
        return extra

    def _statistics(self, trainer: Trainer) -> LinearStatistics:
        if self._stats is None or self._stats[0] is not trainer.X:
            self._stats = (trainer.X, LinearStatistics.from_data(trainer.X, trainer.y))
        return self._stats[1]

    def _slice(self, trainer: Trainer, weights: np.ndarray, bias: float) -> dict[str, Any]:
        """The loss over two weights (the others held), its minimum, and where L1 and L2 move it."""
        d = weights.size
        a, c = (min(int(i), d - 1) for i in self.slice_weights)
        if a == c:
            a, c = (0, 1) if c != 0 else (1, 0)
        piece = weight_slice(self._statistics(trainer), weights, bias, a, c)
        l1, l2 = float(trainer.l1), float(trainer.l2)
        best = piece.minimum()
        lasso = piece.minimum(l1=l1)
        ridge = piece.minimum(l2=l2)
        current = weights[[a, c]].astype(float)
        points = np.array([best, lasso, ridge, current, [0.0, 0.0]])
        centre = (points.max(axis=0) + points.min(axis=0)) / 2
        span = points.max(axis=0) - points.min(axis=0)
        # a window holding every point, shaped like the picture on screen (both axes to one scale)
        aspect = self.slice_aspect if np.isfinite(self.slice_aspect) and self.slice_aspect > 0 else 1.0
        half_x = max(0.65 * float(span[0]), 0.65 * float(span[1]) / aspect, 0.25)
        half_y = half_x * aspect
        xs = np.linspace(centre[0] - half_x, centre[0] + half_x, SLICE_GRID)
        ys = np.linspace(centre[1] - half_y, centre[1] + half_y, SLICE_GRID)
        return {
            "weights": (a, c),
            "values": piece.value(xs[:, None], ys[None, :]),
            "x_range": (float(xs[0]), float(xs[-1])),
            "y_range": (float(ys[0]), float(ys[-1])),
            "best": best,
            "lasso": lasso,
            "ridge": ridge,
            "current": current,
            "l1": l1,
            "l2": l2,
            "best_loss": float(piece.value(*best)),
            "lasso_loss": float(piece.value(*lasso)),
            "ridge_loss": float(piece.value(*ridge)),
        }

    # -- the sweep ------------------------------------------------------------------------------------
    def action_sweep(self, trainer: Trainer, over: str = "l2") -> Iterator[None]:
        """Training and validation error where training ends, for each strength of ``over`` ("l1", "l2")
        or each degree ("degree"), the other settings as they are now (a generator: one value a slice).

        Where training ends is the objective's exact minimum (:func:`~..core.solvers.penalized_minimum`:
        the closed form without L1): what the trainer's steps approach, however many they would need.
        """
        if over not in ("l1", "l2", "degree"):
            raise ValueError(f"A sweep is over l1, l2 or degree, not {over!r}.")
        l1, l2 = float(trainer.l1), float(trainer.l2)
        values = list(range(1, MAX_DEGREE + 1)) if over == "degree" else list(SWEEP_STRENGTHS)
        training, validation = [], []
        for value in values:
            if over == "degree":
                pipeline = PolynomialPipeline(value, self.x_train)
                X, X_validation, strengths = (
                    pipeline.transform(self.x_train),
                    pipeline.transform(self.x_validation),
                    (l1, l2),
                )
            else:
                X, X_validation = trainer.X, self.X_validation
                strengths = (value, l2) if over == "l1" else (l1, value)
            end = penalized_minimum(X, self.y_train, *strengths)
            weights, bias = end["weights"], float(end["bias"])
            training.append(mse(X, self.y_train, weights, bias))
            validation.append(mse(X_validation, self.y_validation, weights, bias))
            yield
        finite = [v if np.isfinite(v) else np.inf for v in validation]
        best = int(np.argmin(finite)) if self.y_validation.size and np.isfinite(min(finite)) else None
        return {
            "over": over,
            "values": values,
            "training": training,
            "validation": validation,
            "best": best,
            "l1": l1,
            "l2": l2,
            "degree": self.degree,
        }
