"""What the Clusters tab computes next to its k-means trainer (Qt-free: it runs in the trainer's process).

Lloyd's algorithm is shown as its two half-steps.  The probe keeps the latest
*assignment* (which centre each point was given to, what the points are
coloured by) and does the halves one at a time, for Step (``action_half_step``)
and for Play (:meth:`ClustersProbe.run`, paced by :meth:`ClustersProbe.progress`
in half-steps, so at a slow speed each half is seen):

* **assign**: every point to its nearest centre (``KMeans.assign``); the number
  of points that changed cluster is counted, and an assign that changes none,
  right after an update, means Lloyd has *converged*: the centres are a fixed point;
* **update**: every centre to the mean of its points (``KMeans.centers_from``,
  committed with ``set_params``), one update of the trainer, so its step and
  epoch counters move on by one (a pass over all the points).

The objective shown is the sum of squared distances from each point to the
centre it is coloured by (``KMeans.inertia(labels)``); after an assign that is
``KMeans.inertia()``.  With the gradient method (or a mini-batch), Play and Step
are the trainer's own updates and every point is coloured by its nearest centre.

The elbow (k = 1…10), the restarts and the Lloyd-vs-gradient comparison are
generator actions: they run a fresh ``KMeans`` on the same data, one Lloyd
iteration or one epoch per slice, so Pause interrupts them; the trainer itself is
untouched.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from ..core import KMeans
from ..core.trainer import StepReport
from ..training.probe import Probe

#: the largest k the tab offers (the elbow goes up to it)
MAX_K = 10
#: Lloyd iterations after which the analyses give up waiting for convergence
MAX_ITERATIONS = 300


class ClustersProbe(Probe):
    series = ("loss", "objective")

    def __init__(self) -> None:
        self.labels: np.ndarray | None = None  # the latest assignment
        self._X: np.ndarray | None = None  # the data it was made for
        self._seen: np.ndarray | None = None  # the centres as the probe last left them
        self.pending = False  # an assign is done and its update is not
        self.converged = False
        self._after_update = False  # the last half-step was an update (so an unchanged assign means converged)
        self.last: dict[str, Any] | None = None  # the last half-step, for the tab to show

    # -- data ----------------------------------------------------------------------------------
    def data(self, rows: np.ndarray) -> tuple[np.ndarray, None]:
        return rows[:, :2], None

    def check_rows(self, trainer: KMeans, rows: np.ndarray) -> None:
        if 0 < rows.shape[0] < trainer.k:
            raise ValueError(
                f"k-means with k = {trainer.k} needs at least {trainer.k} points; this would leave "
                f"{rows.shape[0]}. Lower k first (the Clusters box)."
            )
        super().check_rows(trainer, rows)

    # -- what the assignment is ------------------------------------------------------------------
    @staticmethod
    def half_steps(trainer: KMeans) -> bool:
        """Play and Step go by Lloyd's half-steps: the Lloyd method on all the points."""
        return trainer.method == "lloyd" and (trainer.batch_size is None or trainer.batch_size >= trainer.n_points)

    def current(self, trainer: KMeans) -> bool:
        """The stored assignment belongs to these data and these centres (nothing else moved them)."""
        if self.labels is None or self._seen is None or trainer.X is None:
            return False
        if trainer.X is not self._X:
            if self._X is None or self._X.shape != trainer.X.shape or not np.array_equal(self._X, trainer.X):
                return False
            self._X = trainer.X
        centers = trainer.params["centers"]
        return self._seen.shape == centers.shape and np.array_equal(self._seen, centers)

    def shown_labels(self, trainer: KMeans) -> np.ndarray | None:
        """What each point is coloured by: the assignment, or None before the first one after a reset."""
        if not self.half_steps(trainer):
            return trainer.assign()
        if self.current(trainer):
            return self.labels
        if self.labels is None and trainer.step_count == 0:
            return None
        return trainer.assign()

    def next_half(self, trainer: KMeans) -> str:
        return "update" if self.pending and self.current(trainer) else "assign"

    def objective(self, trainer: KMeans, labels: np.ndarray | None = None) -> float:
        """Σ squared distance from each point to its centre (the one it is coloured by, else the nearest)."""
        return trainer.inertia(labels)

    # -- the half-steps -----------------------------------------------------------------------
    def half_step(self, trainer: KMeans) -> dict[str, Any]:
        return self._update(trainer) if self.next_half(trainer) == "update" else self._assign(trainer)

    def _assign(self, trainer: KMeans) -> dict[str, Any]:
        was_current = self.current(trainer)
        before = self.shown_labels(trainer)
        labels = trainer.assign()
        changed = trainer.n_points if before is None else int(np.count_nonzero(labels != before))
        converged = was_current and self._after_update and changed == 0
        self.last = {
            "half": "assign",
            "changed": changed,
            "first": before is None,
            "converged": converged,
            "before": None if before is None else self.objective(trainer, before),
            "after": self.objective(trainer, labels),
        }
        self.labels, self._X, self._seen = labels, trainer.X, trainer.params["centers"]
        self.pending, self._after_update = True, False
        self.converged = converged or (self.converged and changed == 0 and was_current)
        return self.last

    def _update(self, trainer: KMeans) -> dict[str, Any]:
        old = trainer.params["centers"]
        before = self.objective(trainer, self.labels)
        centers = trainer.centers_from(self.labels)
        counts = np.bincount(self.labels, minlength=trainer.k)
        trainer.set_params(centers=centers)
        # one update of the trainer: a pass over every point, as trainer.step() counts one
        trainer.step_count += 1
        trainer.epoch_count += 1
        self._seen = trainer.params["centers"]
        self.pending, self._after_update = False, True
        self.last = {
            "half": "update",
            "moved_from": old,
            "moved": float(np.hypot(*(centers - old).T).max()),
            "empty": [int(j) for j in np.flatnonzero(counts == 0)],
            "before": before,
            "after": self.objective(trainer, self.labels),
        }
        return self.last

    # -- Play ---------------------------------------------------------------------------------
    def run(self, trainer: KMeans, units: int) -> StepReport | None:
        """Play: ``units`` half-steps of Lloyd (else ``units`` of the trainer's own updates)."""
        if not self.half_steps(trainer):
            return trainer.run(units)
        for _ in range(units):
            self.half_step(trainer)
        # the engine reads only ``diverged`` from Play's report (Lloyd cannot diverge: it lands on means)
        return StepReport(
            step=trainer.step_count,
            epoch=trainer.epoch_count,
            batch=np.empty(0, dtype=int),
            loss=math.nan,
            gradients={},
            params_before={},
            params_after={},
            learning_rate=trainer.learning_rate,
            diverged=False,
        )

    def progress(self, trainer: KMeans) -> int:
        """Half-steps done (two per update) with Lloyd; updates otherwise."""
        if not self.half_steps(trainer):
            return trainer.step_count
        return 2 * trainer.step_count + int(self.pending and self.current(trainer))

    # -- what snapshots carry -------------------------------------------------------------------
    def metrics(self, trainer: KMeans) -> tuple[float]:
        return (self.objective(trainer, self.shown_labels(trainer)),)

    def extra(self, trainer: KMeans) -> dict[str, Any]:
        labels = self.shown_labels(trainer)
        halves = self.half_steps(trainer)
        current = halves and self.current(trainer)
        return {
            "labels": None if labels is None else labels.astype(np.int8),
            "counts": None if labels is None else np.bincount(labels, minlength=trainer.k),
            "objective": self.objective(trainer, labels),
            "next": self.next_half(trainer) if halves else None,
            "last": self.last if current else None,
            "converged": bool(current and self.converged),
        }

    # -- actions: Step's half-steps, a dragged centre, Reset -------------------------------------
    def action_half_step(self, trainer: KMeans) -> dict[str, Any]:
        return self.half_step(trainer)

    def action_iteration(self, trainer: KMeans) -> dict[str, Any]:
        """Half-steps up to and including the next update: one pass over the points (One epoch)."""
        if self.next_half(trainer) == "assign":
            self._assign(trainer)
        return self._update(trainer)

    def action_move_center(self, trainer: KMeans, index: int, position: tuple[float, float]) -> bool:
        """Put centre ``index`` at ``position`` (a person's drag); False if there is no such centre now."""
        centers = trainer.params["centers"]
        if not 0 <= index < len(centers):
            return False
        was_current = self.current(trainer)
        centers[index] = position
        trainer.set_params(centers=centers)
        if was_current:  # the points keep their colours; the next assign recolours them
            self._seen = trainer.params["centers"]
        self.pending = self.converged = self._after_update = False
        self.last = None
        return True

    def action_forget(self, trainer: KMeans) -> None:
        """After a reset: no point has a cluster yet."""
        self.labels = self._seen = self._X = self.last = None
        self.pending = self.converged = self._after_update = False

    # -- actions: the analyses (generators: one slice of work per next()) -----------------------
    def action_elbow(self, trainer: KMeans, max_k: int = MAX_K, starts: int = 3) -> Iterator[None]:
        """The converged objective for k = 1…max_k: for each k the best of ``starts`` runs of Lloyd from
        k-means++ (seeds seed, seed+1, …), with the starting centres of that best run."""
        result: dict[str, Any] = {"k": [], "objective": [], "initial": [], "iterations": [], "starts": starts}
        for k in range(1, min(max_k, trainer.n_points) + 1):
            best = None
            for seed in range(trainer.seed, trainer.seed + starts):
                model = KMeans(k=k, init="k-means++", seed=seed)
                model.set_data(trainer.X)
                initial = model.params["centers"]
                iterations = yield from lloyd(model)
                if best is None or model.inertia() < best[0]:
                    best = (model.inertia(), initial, iterations)
            result["k"].append(k)
            result["objective"].append(best[0])
            result["initial"].append(best[1])
            result["iterations"].append(best[2])
        result["seed"] = trainer.seed
        return result

    def action_restarts(self, trainer: KMeans, runs: int = 10) -> Iterator[None]:
        """Lloyd from ``runs`` random starts (seeds seed+1 …): where each lands and how good it is."""
        result: dict[str, Any] = {"seeds": [], "objective": [], "initial": [], "final": [], "iterations": []}
        for run in range(runs):
            seed = trainer.seed + 1 + run
            model = KMeans(k=trainer.k, init="random", seed=seed)
            model.set_data(trainer.X)
            result["initial"].append(model.params["centers"])
            iterations = yield from lloyd(model)
            result["seeds"].append(seed)
            result["objective"].append(model.inertia())
            result["final"].append(model.params["centers"])
            result["iterations"].append(iterations)
        return result

    def action_compare(
        self, trainer: KMeans, learning_rate: float, batch_size: int | None, epochs: int = 40
    ) -> Iterator[None]:
        """The objective after each pass over the data for Lloyd and for gradient descent, from the same start
        (the centres Reset gives)."""
        start = KMeans(k=trainer.k, init=trainer.init, seed=trainer.seed)
        start.set_data(trainer.X)
        centers = start.params["centers"]
        model = KMeans(k=trainer.k, init=centers, seed=trainer.seed)
        model.set_data(trainer.X)
        lloyd_curve = [model.inertia()]
        converged_after = yield from lloyd(model, epochs, lloyd_curve)
        model = KMeans(
            k=trainer.k,
            init=centers,
            method="gradient",
            learning_rate=learning_rate,
            batch_size=batch_size,
            seed=trainer.seed,
        )
        model.set_data(trainer.X)
        gradient_curve = [model.inertia()]
        diverged = False
        for _ in range(epochs):
            report = model.run(model.batches_left_in_epoch)
            if report.diverged:
                diverged = True
                break
            gradient_curve.append(model.inertia())
            yield
        return {
            "lloyd": lloyd_curve,
            "gradient": gradient_curve,
            "converged_after": converged_after,
            "learning_rate": learning_rate,
            "batch_size": batch_size,
            "diverged": diverged,
            "epochs": epochs,
        }


def lloyd(model: KMeans, max_iterations: int = MAX_ITERATIONS, curve: list | None = None) -> Iterator[None]:
    """Lloyd's iterations on ``model`` until an assign changes nothing (or ``max_iterations``), one per slice.

    Returns the number of updates made; ``curve`` (if given) gets the objective after each.
    """
    labels = None
    for iteration in range(max_iterations):
        new = model.assign()
        if labels is not None and np.array_equal(new, labels):
            return iteration
        model.set_params(centers=model.centers_from(new))
        labels = new
        if curve is not None:
            curve.append(model.inertia())
        yield
    return max_iterations
