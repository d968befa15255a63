"""What the Many features tab reads from its trainer, next to it (Qt-free: it runs in the trainer's process).

The rows are houses ``(size, bedrooms, price)``.  With feature scaling on, the
trainer learns on the standardized inputs ``(x − mean) / spread`` — a round loss
bowl that one learning rate suits in every direction — and
:meth:`ManyFeaturesProbe.in_data_units` turns its weights back into euros per m²
and per bedroom for the picture.  The *race* (:meth:`ManyFeaturesProbe.action_race`)
trains two fresh copies from all-zero weights, one on the raw inputs and one on
the scaled ones, each at its own fastest learning rate, and counts the steps
each needs to reach the least-squares plane.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..core import LinearRegression
from ..core.features import Standardizer
from ..core.trainer import Trainer
from ..training.probe import Probe

#: the race ends when the plane's predictions are within this fraction of the prices' spread of the best plane's
RACE_TOLERANCE = 1e-3
#: a racer still short of the plane after this many steps is stopped
RACE_CAP = 5_000_000
#: steps run between two looks at the loss (the last chunk is replayed step by step for the exact count)
RACE_CHUNK = 500


def transform(rows: np.ndarray, scaling: bool) -> tuple[np.ndarray, np.ndarray, Standardizer | None]:
    """Rows ``(size, bedrooms, price)`` → ``(X, y, scaler)`` as the trainer sees them (no side effects).

    Contiguous copies: a matrix product over a strided view may round differently from one over the
    same numbers in a fresh array (as a session restores them), and trajectories must be bit-identical.
    """
    X, y = np.ascontiguousarray(rows[:, :2]), np.ascontiguousarray(rows[:, 2])
    if not scaling:
        return X, y, None
    scaler = Standardizer().fit(X)
    return scaler.transform(X), y, scaler


def in_data_units(scaler: Standardizer | None, weights: np.ndarray, bias: float) -> tuple[np.ndarray, float]:
    """The trainer's ``(weights, bias)`` as price per unit of each input and price at zero inputs."""
    weights = np.asarray(weights, dtype=float)
    if scaler is None:
        return weights.copy(), float(bias)
    return scaler.original_weights(weights, float(bias))


def rates(trainer: LinearRegression) -> tuple[float, float]:
    """(the largest stable learning rate, the fastest one) for full-batch gradient descent on its data.

    On a quadratic each eigen-direction of the Hessian shrinks by ``|1 − rate·λ|`` per step; the
    slowest direction sets the pace, and ``2 / (λmin + λmax)`` makes the two extremes shrink
    equally fast, which is the best a single rate can do.
    """
    eigenvalues = np.linalg.eigvalsh(trainer.hessian())
    low, high = float(max(eigenvalues[0], 0.0)), float(eigenvalues[-1])
    if high <= 0:
        return float("inf"), float("inf")
    return 2.0 / high, 2.0 / (low + high)


class ManyFeaturesProbe(Probe):
    # a divergence is over in milliseconds: its zig-zag on the landscape is the lesson
    trace_divergence = True

    def __init__(self, scaling: bool = False):
        self.scaling = scaling
        self.scaler: Standardizer | None = None
        self.rows = np.empty((0, 3))
        #: while the race runs: each racer's steps so far (snapshots carry it, so the GUI can show progress)
        self.race_progress: dict[str, int] | None = None

    def __getstate__(self) -> dict:
        # a checkpoint taken mid-race must not restart the process still "racing"
        return {**self.__dict__, "race_progress": None}

    def configure(self, **settings) -> bool:
        rebuild = "scaling" in settings and bool(settings["scaling"]) != self.scaling
        super().configure(**settings)
        return rebuild

    def data(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        X, y, self.scaler = transform(rows, self.scaling)
        self.rows = np.array(rows, dtype=float, copy=True)
        return X, y

    def check_rows(self, trainer: Trainer, rows: np.ndarray) -> None:
        if rows.shape[0]:
            trainer.check_data(*transform(rows, self.scaling)[:2])

    def track(self, trainer: Trainer) -> np.ndarray:
        return np.array(trainer.params["weights"], dtype=float)

    def extra(self, trainer: Trainer) -> dict:
        return {} if self.race_progress is None else {"race": dict(self.race_progress)}

    # -- the race -------------------------------------------------------------------------------------
    def action_race(self, trainer: Trainer, tolerance: float = RACE_TOLERANCE, cap: int = RACE_CAP) -> Iterator[None]:
        """Steps to the least-squares plane without and with scaling, each at its fastest rate (a generator).

        Returns ``{"raw": …, "scaled": …}``, each a dict with ``steps`` (None if ``cap`` was reached
        first), ``learning_rate``, and ``weights``/``bias`` reached and ``best_weights``/``best_bias``
        (the closed form), all in the data's units.
        """
        results = {}
        if self.rows.shape[0] == 0:
            return results
        self.race_progress = {}
        try:
            for name, scaling in (("scaled", True), ("raw", False)):  # the quick one first
                results[name] = yield from self._race(name, scaling, tolerance, cap)
        finally:
            self.race_progress = None
        return results

    def _race(self, name: str, scaling: bool, tolerance: float, cap: int) -> Iterator[None]:
        """One racer: a fresh trainer from all weights 0 at its fastest rate, until the target loss."""
        X, y, scaler = transform(self.rows, scaling)
        racer = LinearRegression()  # all weights 0, the whole data set each step
        racer.set_data(X, y)
        _stable, fastest = rates(racer)
        racer.learning_rate = fastest
        best = racer.closed_form()
        target = _loss_at(racer, best) + (tolerance * float(np.std(y))) ** 2
        steps = yield from _steps_to_reach(racer, target, cap, self.race_progress, name)
        weights, bias = in_data_units(scaler, racer.params["weights"], racer.params["bias"])
        best_weights, best_bias = in_data_units(scaler, best["weights"], best["bias"])
        return {
            "steps": steps,
            "learning_rate": fastest,
            "weights": weights.tolist(),
            "bias": bias,
            "best_weights": best_weights.tolist(),
            "best_bias": best_bias,
        }


def _loss_at(trainer: LinearRegression, params: dict) -> float:
    saved = trainer.params
    trainer.set_params(**params)
    loss = trainer.loss()
    trainer.set_params(**saved)
    return loss


def _steps_to_reach(
    trainer: LinearRegression, target: float, cap: int, progress: dict | None = None, name: str = ""
) -> Iterator[None]:
    """Run full-batch steps until ``trainer.loss() ≤ target``; returns how many (None past ``cap``).

    Chunks of ``RACE_CHUNK`` steps between looks at the loss; the chunk that crosses is replayed
    one step at a time from its start (full-batch descent is deterministic), so the count is exact.
    """
    if trainer.loss() <= target:
        return 0
    while trainer.step_count < cap:
        before = trainer.params
        start = trainer.step_count
        chunk = min(RACE_CHUNK, cap - start)
        report = trainer.run(chunk)
        if report is None or report.diverged:
            return None
        if trainer.loss() <= target:
            trainer.set_params(**before)
            trainer.step_count = start
            while trainer.loss() > target:
                trainer.step()
            return trainer.step_count
        if progress is not None:
            progress[name] = trainer.step_count
        yield
    return None
