"""k-means clustering, trained like everything else in Primer.

The objective, exactly (a mean over points, no ½ factor)::

    L(c) = mean_i min_j ‖x_i − c_j‖²

``inertia()`` is the same quantity as a *sum* (scikit-learn's name for it):
``inertia() == n · loss()`` on the ``n`` training points.  Every step reports the
mean over its batch, so ``StepReport.loss`` equals ``loss()`` for a full batch.

Away from ties (a point exactly as far from two centres) the assignment
``a(i) = argmin_j ‖x_i − c_j‖²`` is locally constant, so on a batch of ``m``
points the gradient is::

    ∂L/∂c_j = (2/m) · Σ_{i in batch, a(i)=j} (c_j − x_i) = (2 n_j / m) · (c_j − mean_j)

where ``n_j`` is the number of batch points nearest to centre ``j`` and
``mean_j`` their mean.  Two ways to use it, chosen by ``method``:

``"gradient"``
    plain (mini-batch) gradient descent, ``c ← c − learning_rate · ∂L/∂c``, with
    the base's batching, epochs and divergence rule.  The point of the primer:
    clustering is trained like everything else.
``"lloyd"``
    Lloyd's algorithm.  A step is two half-steps, each callable on its own so
    the Clusters tab can show them apart: :meth:`assign` (each point to its
    nearest centre) and :meth:`centers_from` (each centre to the mean of its
    points).  This is the gradient step above with a per-centre learning rate
    ``m / (2 n_j)``, which lands exactly on ``mean_j``; ``learning_rate`` is
    not used.  With ``batch_size=None`` it is classic Lloyd; with a mini-batch
    each centre jumps to the mean of its points *in that batch*.

Empty clusters: a centre with no points (in the batch) stays where it is.  Its
gradient is zero, so both methods agree on this rule.

Initial centres are placed by ``set_data`` from the trainer's seed alone (so
``reset()`` puts them back): ``"random"`` picks ``k`` distinct data points,
``"k-means++"`` picks the first uniformly and each next one with probability
proportional to its squared distance to the nearest centre chosen so far, and
an array of shape ``(k, d)`` is used as given.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .trainer import Params, Trainer, as_features

INITS = ("random", "k-means++")
METHODS = ("lloyd", "gradient")


def nearest_centers(X: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Index of the nearest centre per point: ``argmin_j ‖c_j‖² − 2x·c_j`` (``‖x‖²`` is the same for every ``j``)."""
    scores = X @ (-2.0 * centers.T)
    scores += (centers * centers).sum(axis=1)
    return scores.argmin(axis=1)


def cluster_sums(X: np.ndarray, labels: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per cluster: the sum of its points ``(k, d)`` and how many there are ``(k,)``."""
    counts = np.bincount(labels, minlength=k).astype(float)
    sums = np.column_stack([np.bincount(labels, weights=column, minlength=k) for column in X.T])
    return sums, counts


class KMeans(Trainer):
    """k-means by Lloyd's algorithm or by gradient descent; params ``centers`` (k, d).

    Data has no labels: ``set_data(X)``.  See the module docstring for the
    objective, its gradient and the empty-cluster rule.
    """

    hyperparameters = ("k", "init", "method", "learning_rate", "batch_size", "seed")

    def __init__(
        self,
        *,
        k: int = 3,
        init: str | Any = "k-means++",
        method: str = "lloyd",
        learning_rate: float = 0.1,
        batch_size: int | None = None,
        seed: int = 0,
    ):
        super().__init__(learning_rate=learning_rate, batch_size=batch_size, seed=seed)
        self._k = _check_k(k)
        self.init = init
        self.method = method
        self._last_cluster_sizes: np.ndarray | None = None

    # -- hyper-parameters ----------------------------------------------------------------
    @property
    def k(self) -> int:
        return self._k

    @k.setter
    def k(self, value: int) -> None:
        """A new ``k`` places new centres at once (by ``init``) if there is data."""
        value = _check_k(value)
        if isinstance(self._init, np.ndarray) and self._init.shape[0] != value:
            raise ValueError(f"init gives {self._init.shape[0]} centres; set init to 'random' or 'k-means++' first.")
        if self.X is not None:
            _check_enough_points(self.X, value)
        old = self._k
        self._k = value
        if self.X is not None and value != old:
            self._params = self._initial_params(self.X, None)

    @property
    def init(self) -> str | np.ndarray:
        return self._init

    @init.setter
    def init(self, value: str | Any) -> None:
        if isinstance(value, str):
            if value not in INITS:
                raise ValueError(f"init must be 'random', 'k-means++' or an array of k centres; got {value!r}.")
            self._init = value
            return
        centers = as_features(value, what="init")
        if centers.shape[0] != self._k:
            raise ValueError(f"init has {centers.shape[0]} centres but k is {self._k}; give exactly k rows.")
        self._init = centers

    @property
    def method(self) -> str:
        return self._method

    @method.setter
    def method(self, value: str) -> None:
        if value not in METHODS:
            raise ValueError(f"method must be 'lloyd' or 'gradient'; got {value!r}.")
        self._method = value

    # -- hooks -----------------------------------------------------------------------------
    def _validate(self, X: Any, y: Any) -> tuple[np.ndarray, None]:
        if y is not None:
            raise ValueError("k-means learns without labels; call set_data(X) with the points only.")
        X = as_features(X)
        _check_enough_points(X, self._k)
        if isinstance(self._init, np.ndarray) and self._init.shape[1] != X.shape[1]:
            raise ValueError(
                f"init centres have {self._init.shape[1]} features but X has {X.shape[1]}; they must match."
            )
        return X, None

    def _params_fit(self, X: np.ndarray) -> bool:
        return bool(self._params) and self._params["centers"].shape == (self._k, X.shape[1])

    def _initial_params(self, X: np.ndarray, y: Any) -> Params:
        if isinstance(self._init, np.ndarray):
            return {"centers": self._init.copy()}
        rng = np.random.default_rng(self.seed)
        if self._init == "random":
            return {"centers": X[rng.choice(X.shape[0], size=self._k, replace=False)].copy()}
        return {"centers": _kmeans_plus_plus(X, self._k, rng)}

    def _batch(self, indices: np.ndarray) -> np.ndarray:
        return self.X if indices.size == self.n_points else self.X[indices]

    def _objective(self, indices: np.ndarray) -> tuple[float, Params]:
        X = self._batch(indices)
        centers = self._params["centers"]
        labels = nearest_centers(X, centers)
        residual = X - centers[labels]
        m = X.shape[0]
        sums, counts = cluster_sums(X, labels, self._k)
        gradient = (2.0 / m) * (counts[:, None] * centers - sums)
        self._last_cluster_sizes = counts  # the Lloyd update below needs n_j
        return float((residual * residual).sum()) / m, {"centers": gradient}

    def _objective_value(self, indices: np.ndarray) -> float:
        X = self._batch(indices)
        centers = self._params["centers"]
        residual = X - centers[nearest_centers(X, centers)]
        return float((residual * residual).sum()) / X.shape[0]

    def _updated(self, params: Params, gradients: Params, learning_rate: float) -> Params:
        if self._method == "gradient":
            return super()._updated(params, gradients, learning_rate)
        counts = self._last_cluster_sizes
        m = counts.sum()
        step = np.where(counts > 0, m / (2.0 * np.maximum(counts, 1.0)), 0.0)
        return {"centers": params["centers"] - step[:, None] * gradients["centers"]}

    # -- the two half-steps of Lloyd, and what the tab shows -------------------------------
    def assign(self, X: Any = None) -> np.ndarray:
        """Assignment half-step: the index of the nearest centre for each point (the training data by default)."""
        X = self._points(X)
        return nearest_centers(X, self._params["centers"])

    def centers_from(self, labels: Any) -> np.ndarray:
        """Update half-step: each centre moved to the mean of the training points labelled with it.

        Returns the new centres without committing them (``step()`` commits); a
        centre with no points stays where it is.
        """
        self._require_data()
        labels = self._labels(labels)
        sums, counts = cluster_sums(self.X, labels, self._k)
        centers = self._params["centers"].copy()
        filled = counts > 0
        centers[filled] = sums[filled] / counts[filled, None]
        return centers

    def inertia(self, labels: Any = None) -> float:
        """Sum over training points of the squared distance to the nearest centre (``n · loss()``).

        With ``labels`` given, the distance to each point's *labelled* centre
        instead — what the tab shows between the two half-steps.
        """
        self._require_data()
        labels = self.assign() if labels is None else self._labels(labels)
        residual = self.X - self._params["centers"][labels]
        return float((residual * residual).sum())

    def predict(self, X: Any) -> np.ndarray:
        """The index of the nearest centre for each row of ``X``."""
        return self.assign(X)

    def _points(self, X: Any) -> np.ndarray:
        if not self._params:
            raise ValueError("No centres yet; call set_data(X) before asking for clusters.")
        if X is None:
            return self.X
        X = as_features(X)
        d = self._params["centers"].shape[1]
        if X.shape[1] != d:
            raise ValueError(f"X has {X.shape[1]} features but the centres have {d}; they must match.")
        return X

    def _labels(self, labels: Any) -> np.ndarray:
        labels = np.asarray(labels)
        if labels.shape != (self.n_points,) or not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(f"labels must be {self.n_points} whole numbers, one per training point.")
        if labels.size and (labels.min() < 0 or labels.max() >= self._k):
            raise ValueError(f"labels must be cluster indices from 0 to {self._k - 1}.")
        return labels


def _check_k(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"k (the number of clusters) must be a whole number ≥ 1; got {value!r}.")
    return int(value)


def _check_enough_points(X: np.ndarray, k: int) -> None:
    if X.shape[0] < k:
        raise ValueError(
            f"k-means with k={k} needs at least {k} points; there are {X.shape[0]}. Add points or lower k."
        )


def _kmeans_plus_plus(X: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ seeding; once every point sits on a chosen centre, the rest are drawn uniformly from unused points."""
    chosen = [int(rng.integers(X.shape[0]))]
    nearest = ((X - X[chosen[0]]) ** 2).sum(axis=1)  # squared distance to the nearest chosen centre
    for _ in range(1, k):
        total = nearest.sum()
        if total > 0:
            index = int(rng.choice(X.shape[0], p=nearest / total))
        else:
            unused = np.setdiff1d(np.arange(X.shape[0]), chosen)
            index = int(rng.choice(unused))
        chosen.append(index)
        nearest = np.minimum(nearest, ((X - X[index]) ** 2).sum(axis=1))
    return X[chosen].copy()
