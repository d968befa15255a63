"""What the Neural net tab reads from its network, next to it (Qt-free: it runs in the trainer's process).

The data are rows ``(x₁, x₂, label, test)``: two coordinates, the label (class 0 or 1, or a
number for regression) and whether the point is held out for testing (1) or trained on (0).
:meth:`NeuralNetProbe.data` turns them into what the network learns from: the chosen input
features of the training points (x₁, x₂, x₁², x₂², x₁x₂, sin x₁, sin x₂) and their targets (a
tanh head takes classes as −1/+1); it keeps the test points for :meth:`~NeuralNetProbe.metrics`.

Each snapshot carries one batched forward pass of the network over a grid of the plane
(:meth:`~NeuralNetProbe.extra`): the output's map at full resolution and every neuron's map as
a thumbnail, which neurons are dead or saturated on the training points, and the confusion
matrices.  The map of one neuron at full resolution is sent too while a person points at it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..core import datasets
from ..core.losses import binary_cross_entropy_from_logits, mse
from ..core.mlp import MLP
from ..core.regularizers import penalty
from ..training.probe import Probe

#: columns of a data row
X1, X2, LABEL, TEST = range(4)
#: input features, in the diagram's order: key → how the diagram writes it
FEATURES: dict[str, str] = {
    "x1": "x₁",
    "x2": "x₂",
    "x1_squared": "x₁²",
    "x2_squared": "x₂²",
    "x1_times_x2": "x₁x₂",
    "sin_x1": "sin x₁",
    "sin_x2": "sin x₂",
}
#: the output heads the tab offers: output activation → (loss, what the labels are)
HEADS = {"sigmoid": "cross_entropy", "tanh": "mse", "linear": "mse"}
#: grid points along each axis for the output's map; thumbnails take every STRIDE-th of them
GRID = 61
STRIDE = 4
#: the plane shown spans at least ±HALF_WIDTH on each axis (the generated data's box)
HALF_WIDTH = 6.0
#: dead and saturated neurons are judged on at most this many training points (the first ones)
MARK_POINTS = 2000
#: weights are "still learning" while the training loss is at most this many times the lowest since the start
HEALTHY_GROWTH = 10.0
#: an activation this close to an end of its range counts as saturated
SATURATION = 0.01


#: the data sets a person can draw (the first five are two-class, the last two regression)
DATASETS = {
    "circle": datasets.circle,
    "xor": datasets.xor,
    "gaussian": datasets.gaussian,
    "spiral": datasets.spiral,
    "moons": datasets.moons,
    "plane": datasets.plane,
    "multi-gaussian": datasets.multi_gaussian,
}
REGRESSION_SETS = ("plane", "multi-gaussian")


def split_flags(n: int, training_percent: float, seed: int) -> np.ndarray:
    """Test flags (1: held out for testing) for ``n`` points: a seeded random ``100 − training_percent`` %
    of them, at least one point each way when there are two or more."""
    test = np.zeros(n)
    if n >= 2:
        n_test = min(max(round((100.0 - training_percent) / 100.0 * n), 1), n - 1)
        test[np.random.default_rng([int(seed), 1]).permutation(n)[:n_test]] = 1.0
    return test


def make_rows(name: str, n: int, noise_percent: float, training_percent: float, seed: int) -> np.ndarray:
    """Rows ``(x₁, x₂, label, test)`` of a data set: ``n`` points, noise in TensorFlow Playground's
    0–50 % (the generators' 0–0.5), split by :func:`split_flags`."""
    X, y = DATASETS[name](int(n), noise_percent / 100.0, int(seed))
    return np.column_stack([X, y, split_flags(len(y), training_percent, seed)])


def feature_columns(points: np.ndarray, features: tuple[str, ...]) -> np.ndarray:
    """The chosen features of points ``(n, 2)`` as columns ``(n, len(features))``, in ``FEATURES`` order."""
    x1, x2 = points[:, 0], points[:, 1]
    make = {
        "x1": lambda: x1,
        "x2": lambda: x2,
        "x1_squared": lambda: x1 * x1,
        "x2_squared": lambda: x2 * x2,
        "x1_times_x2": lambda: x1 * x2,
        "sin_x1": lambda: np.sin(x1),
        "sin_x2": lambda: np.sin(x2),
    }
    return np.column_stack([make[name]() for name in features]) if features else np.empty((len(points), 0))


def ordered_features(features) -> tuple[str, ...]:
    """The features named, in the diagram's order; raises ValueError for an unknown name or none at all."""
    chosen = tuple(features)
    unknown = [name for name in chosen if name not in FEATURES]
    if unknown:
        raise ValueError(f"there is no input feature {unknown[0]!r}; the features are {', '.join(FEATURES)}")
    if not chosen:
        raise ValueError("the network needs at least one input feature")
    return tuple(name for name in FEATURES if name in chosen)


def _nice_reach(value: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ᵏ that is ≥ value."""
    decade = 10.0 ** math.floor(math.log10(value))
    for mantissa in (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if mantissa * decade >= value * (1 - 1e-12):
            return mantissa * decade
    return 10.0 * decade


def plane_extent(rows: np.ndarray) -> tuple[float, float]:
    """Half-widths (along x₁, x₂) of the square-ish window shown: ±6, or a round number past the data."""
    if rows.shape[0] == 0:
        return HALF_WIDTH, HALF_WIDTH
    reach = np.abs(rows[:, :2]).max(axis=0)
    return tuple(HALF_WIDTH if r <= HALF_WIDTH else _nice_reach(float(r) * 1.05) for r in reach)


def grid_axes(extent: tuple[float, float], resolution: int = GRID) -> tuple[np.ndarray, np.ndarray]:
    return np.linspace(-extent[0], extent[0], resolution), np.linspace(-extent[1], extent[1], resolution)


def grid_points(extent: tuple[float, float], resolution: int = GRID) -> np.ndarray:
    """Points ``(resolution², 2)`` of the grid, x₁ varying along a row: ``[i·R + j]`` is ``(xs[j], ys[i])``."""
    xs, ys = grid_axes(extent, resolution)
    return np.column_stack([np.tile(xs, resolution), np.repeat(ys, resolution)])


def split_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(training rows, test rows)."""
    test = rows[:, TEST] == 1
    return rows[~test], rows[test]


#: maps travel as float32 (half the bytes); beyond this a value is clipped (a diverging ReLU net's are huge)
FLOAT32_REACH = 1e30


def _float32(values: np.ndarray) -> np.ndarray:
    """A finite float32 copy: NaN → 0, ±inf and anything beyond ±FLOAT32_REACH clipped to it."""
    finite = np.nan_to_num(values, nan=0.0, posinf=FLOAT32_REACH, neginf=-FLOAT32_REACH)
    return np.ascontiguousarray(np.clip(finite, -FLOAT32_REACH, FLOAT32_REACH), dtype=np.float32)


def confusion(actual: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """Counts ``[[true 0 → 0, true 0 → 1], [true 1 → 0, true 1 → 1]]`` (rows: the label; columns: the guess)."""
    matrix = np.zeros((2, 2), dtype=int)
    np.add.at(matrix, (actual.astype(int), predicted.astype(int)), 1)
    return matrix


class NeuralNetProbe(Probe):
    series = ("loss", "test loss", "training accuracy", "test accuracy")

    def __init__(self, features=("x1", "x2"), head: str = "sigmoid"):
        if head not in HEADS:
            raise ValueError(f"head must be one of {', '.join(HEADS)}; got {head!r}")
        self.features = ordered_features(features)
        self.head = head
        self.extent = (HALF_WIDTH, HALF_WIDTH)
        self.test_X = np.empty((0, len(self.features)))
        self.test_y = np.empty(0)
        self.focus: tuple[int, int] | None = None  # (layer, node) whose full map each snapshot carries
        #: the last recorded weights that were still learning: (step, epoch, params), for a way back from divergence
        self.healthy: tuple[int, int, dict] | None = None
        self._lowest = (math.inf, 0)  # (lowest training loss recorded, the step count when it was seen last)
        self._grid: tuple[tuple[float, float], np.ndarray] | None = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_grid"] = None  # rebuilt where it is used
        return state

    @property
    def classification(self) -> bool:
        return self.head != "linear"

    # -- data -----------------------------------------------------------------------------------
    def inputs(self, points: np.ndarray) -> np.ndarray:
        return feature_columns(np.asarray(points, dtype=float).reshape(-1, 2), self.features)

    def targets(self, labels: np.ndarray) -> np.ndarray:
        """Labels as the head takes them: classes 0/1 → −1/+1 for tanh; as they are otherwise."""
        return 2.0 * labels - 1.0 if self.head == "tanh" else np.array(labels, dtype=float)

    def split(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(X_train, y_train, X_test, y_test)`` as the network sees them (no side effects)."""
        train, test = split_rows(rows)
        return (
            self.inputs(train[:, :2]),
            self.targets(train[:, LABEL]),
            self.inputs(test[:, :2]),
            self.targets(test[:, LABEL]),
        )

    def data(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        X, y, self.test_X, self.test_y = self.split(rows)
        self.extent = plane_extent(rows)
        return X, y

    def check_rows(self, trainer: Any, rows: np.ndarray) -> None:
        """Refuse rows the network cannot train on, with a sentence; judged by this probe's head, not ``trainer``'s."""
        if not rows.shape[0]:
            return
        if rows.ndim != 2 or rows.shape[1] != 4:
            raise ValueError("Each point needs four numbers: x₁, x₂, its label and whether it is a test point.")
        if not np.isfinite(rows).all():
            raise ValueError("The points hold NaN or infinite values.")
        flags = rows[:, TEST]
        if not np.isin(flags, (0.0, 1.0)).all():
            bad = flags[~np.isin(flags, (0.0, 1.0))][0]
            raise ValueError(f"The test column must be 0 (a training point) or 1 (a test point); got {bad:g}.")
        if self.classification:
            labels = rows[:, LABEL]
            if not np.isin(labels, (0.0, 1.0)).all():
                bad = labels[~np.isin(labels, (0.0, 1.0))][0]
                raise ValueError(
                    f"For classification every label must be 0 (orange) or 1 (blue); got {bad:g}. "
                    "For numbers, switch the problem type to regression first."
                )
        if not (flags == 0).any():
            raise ValueError(
                "At least one point must be a training point (test column 0): the network learns from those."
            )

    # -- what is recorded -----------------------------------------------------------------------
    def passes(self, trainer: MLP, *parts: np.ndarray) -> list[tuple[list[np.ndarray], np.ndarray, np.ndarray]]:
        """The network on several sets of points in one forward pass (each call of ``forward`` has a fixed
        cost that dwarfs a few hundred points' worth); per set: every layer's activations (inputs first),
        the output neuron's weighted sum z and its output a."""
        sizes = [len(part) for part in parts]
        if not sum(sizes):
            empty = np.empty(0)
            return [([], empty, empty) for _ in parts]
        with np.errstate(all="ignore"):
            activations = trainer.forward(np.vstack(parts))
            last = len(trainer.layer_sizes) - 1
            params = trainer.params
            logits = activations[-2] @ params[f"W{last}"][:, 0] + params[f"b{last}"][0]
        outputs = activations[-1][:, 0]
        ends = np.cumsum(sizes)
        return [
            ([layer[end - size : end] for layer in activations], logits[end - size : end], outputs[end - size : end])
            for size, end in zip(sizes, ends, strict=True)
        ]

    @staticmethod
    def penalty(trainer: MLP) -> float:
        weights = np.concatenate([value.ravel() for name, value in trainer.params.items() if name[0] == "W"])
        return penalty(weights, trainer.l1, trainer.l2)

    def data_loss(self, logits: np.ndarray, outputs: np.ndarray, y: np.ndarray) -> float:
        with np.errstate(all="ignore"):
            return float(binary_cross_entropy_from_logits(y, logits) if self.head == "sigmoid" else mse(y, outputs))

    def objective(self, trainer: MLP, X: np.ndarray, y: np.ndarray) -> float:
        """The trainer's objective (data loss + penalty), on any points: the test loss on the test points."""
        if not len(y):
            return math.nan
        ((_activations, logits, outputs),) = self.passes(trainer, X)
        return self.data_loss(logits, outputs, y) + self.penalty(trainer)

    def predicted_classes(self, logits: np.ndarray, outputs: np.ndarray) -> np.ndarray:
        """0/1 guesses, as ``MLP.predict`` makes them (sigmoid: p > ½; tanh: a ≥ 0)."""
        return (logits > 0).astype(int) if self.head == "sigmoid" else (outputs >= 0).astype(int)

    def classes_of(self, y: np.ndarray) -> np.ndarray:
        return (y > 0).astype(int) if self.head == "tanh" else y.astype(int)

    def accuracy(self, logits: np.ndarray, outputs: np.ndarray, y: np.ndarray) -> float:
        if not self.classification or not len(y):
            return math.nan
        return float(np.mean(self.predicted_classes(logits, outputs) == self.classes_of(y)))

    def metrics(self, trainer: MLP) -> tuple[float, ...]:
        (_a, train_logits, train_outputs), (_b, test_logits, test_outputs) = self.passes(
            trainer, trainer.X, self.test_X
        )
        penalty_value = self.penalty(trainer)
        self._note_health(trainer, self.data_loss(train_logits, train_outputs, trainer.y) + penalty_value)
        test_loss = (
            self.data_loss(test_logits, test_outputs, self.test_y) + penalty_value if len(self.test_y) else math.nan
        )
        return (
            test_loss,
            self.accuracy(train_logits, train_outputs, trainer.y),
            self.accuracy(test_logits, test_outputs, self.test_y),
        )

    def _note_health(self, trainer: MLP, loss: float) -> None:
        """Keep the weights while the loss is near its lowest; a diverging run leaves the last such ones."""
        lowest, seen = self._lowest
        if trainer.step_count < seen:  # a reset (or a way back): judge from here on
            lowest = math.inf
        if math.isfinite(loss) and loss <= HEALTHY_GROWTH * min(lowest, loss):
            self.healthy = (trainer.step_count, trainer.epoch_count, trainer.params)
        self._lowest = (min(lowest, loss) if math.isfinite(loss) else lowest, trainer.step_count)

    # -- what each snapshot carries ------------------------------------------------------------------
    def grid_inputs(self) -> np.ndarray:
        """The grid's points as input features (made once per extent and feature set)."""
        key = (self.extent, self.features)
        if self._grid is None or self._grid[0] != key:
            self._grid = (key, self.inputs(grid_points(self.extent)))
        return self._grid[1]

    def extra(self, trainer: MLP) -> dict[str, Any]:
        """The grid, the first training points and the test points in one forward pass."""
        grid, marked, tested = self.passes(trainer, self.grid_inputs(), trainer.X[:MARK_POINTS], self.test_X)
        activations = grid[0]
        shape = (GRID, GRID)
        thumbnails = [_float32(layer.T.reshape(-1, *shape)[:, ::STRIDE, ::STRIDE]) for layer in activations[1:]]
        extra: dict[str, Any] = {
            "features": self.features,
            "head": self.head,
            "extent": self.extent,
            "output": _float32(activations[-1][:, 0].reshape(shape)),
            "thumbnails": thumbnails,  # per layer after the inputs: (units, r, r), the output last
        }
        if self.focus is not None:
            extra["focus"] = (self.focus, self.focus_map(activations, *self.focus))
        extra.update(self._marks(trainer.activation, marked[0]))
        if self.classification:
            extra["confusion_train"] = confusion(
                self.classes_of(trainer.y[:MARK_POINTS]), self.predicted_classes(marked[1], marked[2])
            )
            if len(self.test_y):
                extra["confusion_test"] = confusion(self.classes_of(self.test_y), self.predicted_classes(*tested[1:]))
        return extra

    def focus_map(self, grid: list[np.ndarray], layer: int, node: int) -> np.ndarray | None:
        if not (0 <= layer < len(grid) and 0 <= node < grid[layer].shape[1]):
            return None
        return _float32(grid[layer][:, node].reshape(GRID, GRID))

    @staticmethod
    def _marks(activation: str, activations: list[np.ndarray]) -> dict[str, Any]:
        """Hidden neurons dead (ReLU 0 on every point given) or saturated (near an end of tanh's or the
        sigmoid's range on every point), per hidden layer."""
        dead, saturated = [], []
        for values in activations[1:-1]:
            none = np.zeros(values.shape[1], dtype=bool)
            dead.append(np.all(values <= 0.0, axis=0) if activation == "relu" else none)
            if activation == "tanh":
                saturated.append(np.all(np.abs(values) > 1.0 - SATURATION, axis=0))
            elif activation == "sigmoid":
                saturated.append(np.all(np.minimum(values, 1.0 - values) < SATURATION, axis=0))
            else:
                saturated.append(none)
        return {"dead": dead, "saturated": saturated, "marked_on": len(activations[0]) if activations else 0}

    # -- what the tab asks for ---------------------------------------------------------------------
    def query_focus(self, trainer: MLP, layer: int | None = None, node: int | None = None) -> np.ndarray | None:
        """Point at a neuron (layer 0 = the inputs, the last = the output): its full map now and in every
        snapshot until pointed away (``layer=None``)."""
        self.focus = None if layer is None else (int(layer), int(node))
        if self.focus is None or trainer.X is None:
            return None
        with np.errstate(all="ignore"):
            return self.focus_map(trainer.forward(self.grid_inputs()), *self.focus)

    def action_set_parameter(self, trainer: MLP, parameter: str, row: int, column: int, value: float) -> tuple:
        """Set one weight (``W{k}[row, column]``) or bias (``b{k}[column]``, row ignored) by hand."""
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"A weight must be a finite number; got {value}.")
        params = trainer.params
        if parameter not in params:
            raise ValueError(f"This network has no parameter {parameter}.")
        array = params[parameter]
        if parameter.startswith("W"):
            array[row, column] = value
        else:
            array[column] = value
        trainer.set_params(**{parameter: array})
        return parameter, row, column, value

    def query_healthy_step(self, trainer: MLP) -> int | None:
        """The step of the last weights that were still learning (see :meth:`action_go_back`), if any."""
        return None if self.healthy is None else self.healthy[0]

    def action_go_back(self, trainer: MLP) -> int | None:
        """Back to the last weights that were still learning, and to their step and epoch counts: after a
        divergence, training goes on from there (at a lower learning rate)."""
        if self.healthy is None:
            return None
        step, epoch, params = self.healthy
        trainer.set_params(**params)
        trainer.step_count, trainer.epoch_count = step, epoch
        return step
