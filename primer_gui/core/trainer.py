"""The Trainer base: batching, epochs, seeded shuffling, divergence and state.

Every concept's trainer (linear, logistic, MLP, k-means, word model) derives from
:class:`Trainer`.  The base owns everything that is the same for all of them, so
that "one epoch", "a mini-batch" and "diverged" mean exactly one thing across the
app:

* ``batch_size=None`` is batch gradient descent (every step sees all points),
  ``1`` is stochastic, anything between is mini-batch.  An epoch is enough
  batches to see every point once; the last batch of an epoch may be smaller and
  is kept.  The order is reshuffled at the start of each epoch by the trainer's
  own seeded generator, so the same seed and the same calls give a bit-identical
  trajectory.
* A step whose loss or new parameters are not finite does not commit: the
  parameters, the step count and the position in the epoch stay as they were,
  and the report says ``diverged=True``.

A subclass supplies the maths through four small hooks:

``_validate(X, y)``
    check and convert the data, raising ``ValueError`` with an actionable
    sentence;
``_initial_params(X, y)``
    the parameters to use when data of a new shape arrives;
``_objective(indices)``
    ``(loss, gradients)`` of the objective on those rows, where the loss is the
    whole objective and the gradients are those of its smooth part;
``_objective_value(indices)``
    the loss alone, by a forward pass with no gradients (optional: the default
    takes it from ``_objective``).  ``loss()`` uses it: the GUI records the loss
    while training, and for the word model a full backward pass costs ~10× the
    forward one;
``_updated(params, gradients, learning_rate)``
    the parameters after one update (plain gradient descent by default;
    proximal steps for L1 override it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

Params = dict[str, np.ndarray]


@dataclass(frozen=True)
class StepReport:
    """What one update did, with copies of every number involved.

    ``loss`` and ``gradients`` are of the *batch* objective, evaluated before the
    update; ``epoch`` counts completed epochs including one this step finished.
    """

    step: int
    epoch: int
    batch: np.ndarray
    loss: float
    gradients: Params
    params_before: Params
    params_after: Params
    learning_rate: float
    diverged: bool
    #: whether this step finished an epoch (an addition to the contract; ``epoch`` alone cannot tell)
    ended_epoch: bool = False


def float_array(value: Any) -> np.ndarray:
    """A float64 copy of ``value`` whose dtype is NumPy's own float64.

    An array that came through pickle (the trainer's process) carries an equal but distinct dtype
    object, and ``np.array(x, dtype=float)`` keeps it; NumPy then takes slow paths with it — the word
    model's ``np.add.at`` ran 4× slower, training half as fast.  ``astype`` gives the canonical one.
    """
    return np.asarray(value).astype(np.float64)


def copy_params(params: Params) -> Params:
    """Deep copies, so a report or snapshot never aliases live arrays."""
    return {name: float_array(value) for name, value in params.items()}


def all_finite(params: Params) -> bool:
    return all(bool(np.isfinite(value).all()) for value in params.values())


def as_features(X: Any, what: str = "X") -> np.ndarray:
    """Convert ``X`` to a finite, C-contiguous float array of shape ``(n, d)`` or explain why not.

    Contiguous, because a column slice and a copy of it can round differently in a matrix product: a
    trainer given either must follow the same trajectory (a restored session continues bit for bit).
    """
    try:
        X = np.ascontiguousarray(X, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{what} must be numbers; could not read it as numbers ({error}).") from None
    if X.ndim == 1:
        raise ValueError(
            f"{what} must be a 2-D array of shape (points, features); got 1-D shape {X.shape}. "
            "For one feature use X.reshape(-1, 1)."
        )
    if X.ndim != 2:
        raise ValueError(f"{what} must be a 2-D array of shape (points, features); got shape {X.shape}.")
    if X.shape[0] == 0:
        raise ValueError(f"{what} has no points; add at least one point before training.")
    if X.shape[1] == 0:
        raise ValueError(f"{what} has no features (shape {X.shape}); it needs at least one column.")
    bad = ~np.isfinite(X)
    if bad.any():
        row = int(np.argwhere(bad)[0][0])
        raise ValueError(f"{what} contains NaN or infinite values (first in row {row}); remove or fix those points.")
    return X


def as_targets(y: Any, n: int, what: str = "y") -> np.ndarray:
    """Convert ``y`` to a finite float array of shape ``(n,)`` or explain why not."""
    try:
        y = np.ascontiguousarray(y, dtype=np.float64)  # (NumPy's own float64: see float_array)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{what} must be numbers; could not read it as numbers ({error}).") from None
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"{what} must be a 1-D array with one target per point; got shape {y.shape}.")
    if y.shape[0] != n:
        raise ValueError(f"X has {n} points but {what} has {y.shape[0]} targets; they must match one to one.")
    bad = ~np.isfinite(y)
    if bad.any():
        row = int(np.argwhere(bad)[0][0])
        raise ValueError(f"{what} contains NaN or infinite values (first at point {row}); remove or fix those points.")
    return y


def check_learning_rate(value: Any) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"learning_rate must be a number; got {value!r}.") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"learning_rate must be a positive finite number; got {value}.")
    return value


def check_batch_size(value: Any) -> int | None:
    if value is None:
        return None
    try:
        whole = not isinstance(value, bool) and float(value).is_integer() and int(value) >= 1
    except (TypeError, ValueError):  # "abc", [3]: not a number at all
        whole = False
    if not whole:
        raise ValueError(f"batch_size must be a whole number ≥ 1, or None for the whole data set; got {value!r}.")
    return int(value)


def check_penalty(name: str, value: Any) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number; got {value!r}.") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number ≥ 0; got {value}.")
    return value


def _to_json(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return {"__array__": value.tolist(), "dtype": str(value.dtype), "shape": list(value.shape)}
    if isinstance(value, dict):
        return {key: _to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_json(item) for item in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


#: the element types a saved array may name (what :func:`_to_json` writes for the trainers' arrays)
_SAVED_DTYPES = ("float64", "int64", "int32", "bool")


def _from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if "__array__" in value:
            return _array_from_json(value)
        return {key: _from_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_from_json(item) for item in value]
    return value


def _array_from_json(value: dict) -> np.ndarray:
    """A saved array, exactly as :func:`_to_json` wrote it, or a ValueError saying what is wrong."""
    dtype, shape = value.get("dtype"), value.get("shape")
    if dtype not in _SAVED_DTYPES:
        raise ValueError(f"an array's element type is {dtype!r}, not one of {', '.join(_SAVED_DTYPES)}.")
    if not isinstance(shape, list) or not all(isinstance(n, int) and not isinstance(n, bool) for n in shape):
        raise ValueError(f"an array's shape is {shape!r}, not a list of whole numbers.")
    array = np.array(value["__array__"], dtype=dtype)
    if array.size != int(np.prod(shape)):
        raise ValueError(f"an array holds {array.size} values where its shape {shape} needs {int(np.prod(shape))}.")
    if array.size and array.shape != tuple(shape):  # (an empty array is saved as [] whatever its shape)
        raise ValueError(f"an array's values are nested as {list(array.shape)}, not as its shape {shape}.")
    return array.reshape(shape)


def _saved_array(value: Any, what: str, optional: bool = False) -> None:
    """An array as :meth:`Trainer.state_dict` saves it (not a bare number, list or true/false, which would
    load as an array and so not be what the file said), or ``None`` where that is allowed."""
    if value is None and optional:
        return
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "fiu":
        raise ValueError(f"its {what} is not a saved array of numbers.")


class Trainer:
    """Base class of every trainer; see the module docstring for the contract."""

    #: constructor keywords saved by :meth:`state_dict`, in order
    hyperparameters: ClassVar[tuple[str, ...]] = ("learning_rate", "batch_size", "seed")

    def __init__(self, *, learning_rate: float = 0.1, batch_size: int | None = None, seed: int = 0):
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.seed = int(seed)
        self._rng = np.random.default_rng(self.seed)
        self._params: Params = {}
        self.X: np.ndarray | None = None
        self.y: np.ndarray | None = None
        self.step_count = 0
        self.epoch_count = 0
        self._order: np.ndarray | None = None
        self._cursor = 0

    # -- hyper-parameters ------------------------------------------------------------
    # Plain attributes for the person using them, validated on assignment so a bad
    # value from a script or a text box is refused before it can reach a step.
    @property
    def learning_rate(self) -> float:
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self._learning_rate = check_learning_rate(value)

    @property
    def batch_size(self) -> int | None:
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value: int | None) -> None:
        self._batch_size = check_batch_size(value)

    # -- hooks for subclasses --------------------------------------------------------
    def _validate(self, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray | None]:
        X = as_features(X)
        return X, as_targets(y, X.shape[0])

    def _initial_params(self, X: np.ndarray, y: np.ndarray | None) -> Params:
        raise NotImplementedError

    def _params_fit(self, X: np.ndarray) -> bool:
        """Whether the current parameters can be kept for data shaped like ``X``."""
        return bool(self._params)

    def _objective(self, indices: np.ndarray) -> tuple[float, Params]:
        raise NotImplementedError

    def _objective_value(self, indices: np.ndarray) -> float:
        return self._objective(indices)[0]

    def _updated(self, params: Params, gradients: Params, learning_rate: float) -> Params:
        return {name: value - learning_rate * gradients[name] for name, value in params.items()}

    # -- data and parameters ---------------------------------------------------------
    def set_data(self, X: Any, y: Any = None) -> None:
        """Replace the training data; keeps parameters that still fit, restarts the epoch."""
        X, y = self._validate(X, y)
        if not self._params_fit(X):
            self._params = self._initial_params(X, y)
        self.X, self.y = X, y
        self._order = None
        self._cursor = 0

    def check_data(self, X: Any, y: Any = None) -> None:
        """Raise the ``ValueError`` that :meth:`set_data` would raise for this data; changes nothing."""
        self._validate(X, y)

    @property
    def batches_left_in_epoch(self) -> int:
        """How many more steps end the current epoch, the one that completes it included."""
        self._require_data()
        size, n = self._batch_size, self.n_points
        if size is None or size >= n:
            return 1
        return -(-(n - self._cursor) // size)

    def hyperparameter_values(self) -> dict[str, Any]:
        """The constructor keywords and their current values (what :meth:`state_dict` saves)."""
        return {name: getattr(self, name) for name in self.hyperparameters}

    @property
    def n_points(self) -> int:
        return 0 if self.X is None else int(self.X.shape[0])

    @property
    def params(self) -> Params:
        return copy_params(self._params)

    def set_params(self, **arrays: Any) -> None:
        """Set some or all parameters; shapes must match, values must be finite."""
        if not self._params:
            raise ValueError("This trainer has no parameters yet; give it data with set_data first.")
        new = dict(self._params)
        for name, value in arrays.items():
            if name not in self._params:
                known = ", ".join(self._params)
                raise ValueError(f"Unknown parameter {name!r}; this trainer has {known}.")
            value = float_array(value)
            if value.shape != self._params[name].shape:
                raise ValueError(f"Parameter {name} must have shape {self._params[name].shape}; got {value.shape}.")
            if not np.isfinite(value).all():
                raise ValueError(f"Parameter {name} must be finite; got NaN or infinity.")
            new[name] = value
        self._params = new

    # -- training --------------------------------------------------------------------
    def _require_data(self) -> None:
        if self.X is None:
            raise ValueError("No training data yet; call set_data(X, y) before training.")

    def _next_batch(self) -> tuple[np.ndarray, bool]:
        """Indices of the next batch and whether it completes an epoch (commits position)."""
        n = self.n_points
        size = self._batch_size
        if size is None or size >= n:
            self._cursor = 0
            return np.arange(n), True
        if self._cursor == 0 or self._order is None:
            self._order = self._rng.permutation(n)
            self._cursor = 0
        start = self._cursor
        stop = min(start + size, n)
        self._cursor = 0 if stop >= n else stop
        return self._order[start:stop], stop >= n

    def _position(self) -> tuple:
        return (self._cursor, self._order, self._rng.bit_generator.state)

    def _restore_position(self, position: tuple) -> None:
        self._cursor, self._order, self._rng.bit_generator.state = position

    def step(self) -> StepReport:
        """One update on the next batch; see :class:`StepReport`."""
        self._require_data()
        position = self._position() if self._cursor == 0 else None
        start_cursor = self._cursor
        indices, ends_epoch = self._next_batch()
        learning_rate = self._learning_rate
        before = copy_params(self._params)
        with np.errstate(all="ignore"):
            loss, gradients = self._objective(indices)
            after = copy_params(self._updated(before, gradients, learning_rate))
        diverged = not (math.isfinite(loss) and all_finite(after) and all_finite(gradients))
        if diverged:
            if position is not None:
                self._restore_position(position)
            else:
                self._cursor = start_cursor
        else:
            self._params = copy_params(after)
            self.step_count += 1
            self.epoch_count += int(ends_epoch)
        return StepReport(
            step=self.step_count + int(diverged),
            epoch=self.epoch_count,
            batch=np.array(indices, copy=True),
            loss=float(loss),
            gradients=copy_params(gradients),
            params_before=before,
            params_after=copy_params(self._params) if diverged else after,
            learning_rate=learning_rate,
            diverged=diverged,
            ended_epoch=bool(ends_epoch) and not diverged,
        )

    def _fast_step(self) -> bool:
        """One update without a report; returns False (and commits nothing) on divergence.

        Subclasses with a hot loop override :meth:`run` wholesale; this default keeps
        ``run`` exactly equal to repeated ``step`` calls.
        """
        position = self._position() if self._cursor == 0 else None
        start_cursor = self._cursor
        indices, ends_epoch = self._next_batch()
        with np.errstate(all="ignore"):
            loss, gradients = self._objective(indices)
            after = self._updated(self._params, gradients, self._learning_rate)
        if not (math.isfinite(loss) and all_finite(after)):
            if position is not None:
                self._restore_position(position)
            else:
                self._cursor = start_cursor
            return False
        self._params = after
        self.step_count += 1
        self.epoch_count += int(ends_epoch)
        return True

    def run(self, steps: int) -> StepReport | None:
        """``steps`` updates by the fast path; returns the report of the last one.

        Stops early at the first divergent step and returns its report.  Returns
        ``None`` for ``steps == 0``.
        """
        self._require_data()
        steps = int(steps)
        if steps < 0:
            raise ValueError(f"steps must be ≥ 0; got {steps}.")
        for _ in range(steps - 1):
            if not self._fast_step():
                return self.step()  # re-run the failing step to report it
        return self.step() if steps > 0 else None

    def loss(self) -> float:
        """The full training objective at the current parameters (a forward pass only)."""
        self._require_data()
        with np.errstate(all="ignore"):
            return float(self._objective_value(np.arange(self.n_points)))

    def gradients(self) -> Params:
        """Full-batch gradient of the smooth part of the objective."""
        self._require_data()
        with np.errstate(all="ignore"):
            return copy_params(self._objective(np.arange(self.n_points))[1])

    def reset(self) -> None:
        """Back to the initial parameters and the start of the seeded shuffle."""
        self._rng = np.random.default_rng(self.seed)
        self.step_count = 0
        self.epoch_count = 0
        self._order = None
        self._cursor = 0
        if self.X is not None:
            self._params = self._initial_params(self.X, self.y)

    # -- state -----------------------------------------------------------------------
    def state_dict(self) -> dict:
        """A JSON-serialisable snapshot from which :meth:`from_state_dict` rebuilds this exactly."""
        return _to_json(self.raw_state())

    def raw_state(self) -> dict:
        """What :meth:`state_dict` holds, with arrays left as arrays: cheap to pickle between processes.

        :meth:`from_state_dict` takes either form.
        """
        return {
            "class": type(self).__name__,
            "hyperparameters": self.hyperparameter_values(),
            "params": copy_params(self._params),
            "X": self.X,
            "y": self.y,
            "step_count": self.step_count,
            "epoch_count": self.epoch_count,
            "order": self._order,
            "cursor": self._cursor,
            "rng": self._rng.bit_generator.state,
            "extra": self._extra_state(),
        }

    def _extra_state(self) -> dict:
        return {}

    def _load_extra_state(self, extra: dict) -> None:
        pass

    @classmethod
    def from_state_dict(cls, state: dict) -> Trainer:
        """Rebuild a trainer saved by :meth:`state_dict`; continuing it continues the same trajectory.

        Every field is checked before the trainer is returned — a state from a damaged or edited file
        raises ``ValueError`` with a sentence naming the field, never an arbitrary exception and never
        a trainer that fails at its first step: the class, the hyper-parameters (as the constructor
        checks them), the data (as ``set_data`` checks it), the parameters' names, shapes and
        finiteness, the counters (whole numbers ≥ 0, no more epochs than steps), the position in the
        epoch (a permutation of the points and a cursor inside it) and the random generator's state.
        """
        try:
            return cls._from_state(_from_json(state))
        except ValueError as error:
            raise ValueError(f"This {cls.__name__} state is damaged: {error}") from None
        except (KeyError, TypeError, AttributeError, IndexError, OverflowError, RecursionError) as error:
            what = f"missing {error}" if isinstance(error, KeyError) else f"{type(error).__name__}: {error}"
            raise ValueError(f"This is not a saved {cls.__name__} state ({what}).") from None

    @classmethod
    def _from_state(cls, state: dict) -> Trainer:
        if not isinstance(state, dict):
            raise ValueError("it is not a table of fields.")
        if state["class"] != cls.__name__:
            raise ValueError(f"it is for a {state['class']}, not a {cls.__name__}.")
        if not isinstance(state["hyperparameters"], dict):
            raise ValueError("its hyper-parameters are not a table.")
        trainer = cls(**state["hyperparameters"])
        extra = state.get("extra", {})
        if not isinstance(extra, dict):
            raise ValueError("its extra state is not a table.")
        trainer._load_extra_state(extra)
        unknown = sorted(set(extra) - set(trainer._extra_state()))
        if unknown:
            raise ValueError(f"its extra state has fields a {cls.__name__} does not keep: {unknown}.")
        for name in ("X", "y", "order"):
            _saved_array(state[name], name, optional=True)
        if state["X"] is not None:
            trainer.set_data(state["X"], state["y"])
        elif state["y"] is not None:
            raise ValueError("it has targets y but no data X.")
        params = state["params"]
        if not isinstance(params, dict):
            raise ValueError("its parameters are not a table.")
        if trainer._params or params:
            expected = trainer._params
            if sorted(params) != sorted(expected):
                raise ValueError(f"its parameters are {sorted(params)}; this trainer has {sorted(expected)}.")
            for name, value in params.items():
                _saved_array(value, f"parameter {name}")
            trainer.set_params(**params)  # checks shapes and finiteness
        steps, epochs, cursor = (_count(state[name], name) for name in ("step_count", "epoch_count", "cursor"))
        if epochs > steps:
            raise ValueError(f"it has {epochs} epochs done in {steps} steps; each step ends at most one epoch.")
        n = trainer.n_points
        order = state["order"]
        if order is not None:
            order = np.asarray(order)
            if order.dtype.kind not in "iu" or not np.array_equal(np.sort(order), np.arange(n)):
                raise ValueError(f"its shuffled order is not an order of its {n} points.")
            order = order.astype(np.int64)
        if cursor and (order is None or cursor >= n):
            raise ValueError(f"its position {cursor} in the epoch is not inside its {n} points.")
        trainer.step_count, trainer.epoch_count = steps, epochs
        trainer._order, trainer._cursor = order, cursor
        trainer._rng.bit_generator.state = state["rng"]
        return trainer


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= value < 2**62:
        raise ValueError(f"its {name} is {value!r}, not a whole number ≥ 0.")
    return int(value)
