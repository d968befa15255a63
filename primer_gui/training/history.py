"""Training history that stays bounded however long training runs, and travels as deltas.

A record is the step count and one value per named series (``"loss"`` first,
then whatever a tab measures: validation loss, accuracy, inertia…), plus an
optional *point* (where the tracked parameters were: a landscape's path).

Hours of training must not grow memory, yet the curves must still span every
step from the first.  So the history keeps at most ``capacity`` records: when
full, it drops every other one and from then on keeps only one record per two
steps offered (then four, …).  The curves keep their shape and their first and
latest points; memory stays constant.  Epoch ends are marked the same way.

The trainer's process owns a :class:`History`; the GUI holds a
:class:`HistoryMirror` of it.  Sending the whole history every frame would cost
~100 KB a frame, so :meth:`History.delta` gives only what changed since the
last delta (usually one record) and :meth:`HistoryMirror.apply` merges it.
Anything that rewrites the past (a reset, thinning, a restored session) bumps
``version`` and the next delta is the whole history.  This module is Qt-free.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

#: records kept before thinning
CAPACITY = 4000


@dataclass(frozen=True)
class HistoryDelta:
    """What changed: records from index ``start`` on replace the mirror's (``start`` is 0 for a full copy)."""

    version: int
    full: bool
    start: int
    steps: list[int]
    values: list[tuple[float, ...]]
    points: list[Any]
    epoch_start: int
    epochs: list[int]
    stride: int

    def merged(self, later: HistoryDelta) -> HistoryDelta:
        """This delta followed by ``later``, as one (a mailbox holding an unread delta merges the next one in)."""
        if later.full or later.version != self.version:
            return later
        cut = later.start - self.start
        cut_epochs = later.epoch_start - self.epoch_start
        if cut < 0 or cut_epochs < 0:  # cannot happen for deltas of one history in order; be safe
            return later
        return HistoryDelta(
            version=self.version,
            full=self.full,
            start=self.start,
            steps=self.steps[:cut] + later.steps,
            values=self.values[:cut] + later.values,
            points=self.points[:cut] + later.points,
            epoch_start=self.epoch_start,
            epochs=self.epochs[:cut_epochs] + later.epochs,
            stride=later.stride,
        )


class History:
    """Bounded records of (step, series values…, point); see the module docstring."""

    def __init__(self, series: tuple[str, ...] = ("loss",), capacity: int = CAPACITY):
        if capacity < 4:
            raise ValueError("capacity must be at least 4")
        if not series or series[0] != "loss":
            raise ValueError("the first series of a history is the loss")
        self.series = tuple(series)
        self.capacity = capacity
        self.version = 0
        self._sent: tuple[int, int, int] | None = None  # (version, records, epochs) at the last delta
        self.clear()

    def clear(self) -> None:
        self.steps: list[int] = []
        self.values: list[tuple[float, ...]] = []
        self.points: list[Any] = []
        self.epochs: list[int] = []
        self.stride = 1
        self.version += 1

    def __len__(self) -> int:
        return len(self.steps)

    def append(self, step: int, values: tuple[float, ...], point: Any = None) -> None:
        """Record ``values`` (one per series) and optionally a ``point`` after ``step`` updates."""
        if len(values) != len(self.series):
            raise ValueError(f"a record needs {len(self.series)} values ({', '.join(self.series)}); got {len(values)}")
        values = tuple(float(v) for v in values)
        steps = self.steps
        if steps and step <= steps[-1]:
            if step == steps[-1]:
                self.values[-1], self.points[-1] = values, point
                return
            # a reset or a restored session went back in time: start again from there
            keep = int(np.searchsorted(steps, step))
            del steps[keep:], self.values[keep:], self.points[keep:]
            self.epochs = [epoch for epoch in self.epochs if epoch < step]
            self.version += 1
        elif len(steps) > 1 and step - steps[-2] < self.stride:
            # within the current stride: the newest record moves forward instead of adding one
            steps[-1], self.values[-1], self.points[-1] = step, values, point
            return
        steps.append(step)
        self.values.append(values)
        self.points.append(point)
        if len(steps) > self.capacity:
            self.steps = steps[:-1:2] + steps[-1:]
            self.values = self.values[:-1:2] + self.values[-1:]
            self.points = self.points[:-1:2] + self.points[-1:]
            self.stride *= 2
            self.version += 1

    def mark_epoch(self, step: int) -> None:
        """Mark that an epoch ended at ``step``."""
        if self.epochs and step <= self.epochs[-1]:
            return
        self.epochs.append(step)
        if len(self.epochs) > self.capacity:
            self.epochs = self.epochs[::2]
            self.version += 1

    def latest(self, name: str = "loss") -> float:
        """The newest value of a series (NaN when there is none)."""
        return self.values[-1][self.series.index(name)] if self.values else math.nan

    # -- deltas ------------------------------------------------------------------------------------
    def delta(self) -> HistoryDelta:
        """What changed since the previous call (everything, the first time or after a rewrite)."""
        version, records, epochs = self._sent if self._sent is not None else (-1, 0, 0)
        full = version != self.version
        # the last record sent may since have moved forward in place: send it again
        start = 0 if full else max(min(records, len(self.steps)) - 1, 0)
        epoch_start = 0 if full else min(epochs, len(self.epochs))
        self._sent = (self.version, len(self.steps), len(self.epochs))
        return HistoryDelta(
            version=self.version,
            full=full,
            start=start,
            steps=self.steps[start:],
            values=self.values[start:],
            points=self.points[start:],
            epoch_start=epoch_start,
            epochs=self.epochs[epoch_start:],
            stride=self.stride,
        )

    def resend(self) -> None:
        """Make the next delta the whole history (a new listener, such as a restarted GUI mirror)."""
        self._sent = None

    # -- sessions ------------------------------------------------------------------------------------
    def state(self) -> dict:
        return {
            "series": list(self.series),
            "steps": list(self.steps),
            "values": [list(v) for v in self.values],
            "points": [None if p is None else np.asarray(p, dtype=float).tolist() for p in self.points],
            "epochs": list(self.epochs),
            "stride": self.stride,
        }

    def load_state(self, state: Any) -> None:
        """Restore :meth:`state`; raises ValueError naming the problem (changing nothing) on a bad one."""
        steps, values, points, epochs, stride = parse_history_state(state, self.series, self.capacity)
        self.steps, self.values, self.points, self.epochs, self.stride = steps, values, points, epochs, stride
        self.version += 1


def parse_history_state(state: Any, series: tuple[str, ...], capacity: int = CAPACITY) -> tuple:
    """Check a saved history completely; returns its parts or raises ValueError with a sentence."""

    def fail(reason: str) -> None:
        raise ValueError(f"The loss history is damaged: {reason}.")

    if not isinstance(state, dict):
        fail("it is not a table of records")
    if list(state.get("series", [])) != list(series):
        fail(f"it records {state.get('series')!r}, this tab records {list(series)!r}")
    steps, values, points = state.get("steps"), state.get("values"), state.get("points")
    epochs, stride = state.get("epochs", []), state.get("stride", 1)
    for name, column in (("steps", steps), ("values", values), ("points", points), ("epochs", epochs)):
        if not isinstance(column, list):
            fail(f"'{name}' is not a list")
    if not len(steps) == len(values) == len(points):
        fail("its steps, values and points differ in length")
    if len(steps) > 2 * capacity or len(epochs) > 2 * capacity:
        fail(f"it holds more than {2 * capacity} records")
    if not all(_is_count(s) for s in steps) or any(b <= a for a, b in zip(steps, steps[1:], strict=False)):
        fail("its steps are not increasing whole numbers ≥ 0")
    if not all(_is_count(e) for e in epochs) or any(b <= a for a, b in zip(epochs, epochs[1:], strict=False)):
        fail("its epoch marks are not increasing whole numbers ≥ 0")
    if not _is_count(stride) or stride < 1:
        fail("its stride is not a whole number ≥ 1")
    parsed_values = []
    for row in values:
        if not isinstance(row, list) or len(row) != len(series):
            fail(f"a record does not hold {len(series)} values")
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in row):
            fail("a record holds something that is not a number")
        parsed_values.append(tuple(float(v) for v in row))
    parsed_points = []
    width = None
    for point in points:
        if point is None:
            parsed_points.append(None)
            continue
        array = np.asarray(point, dtype=object)
        if (
            array.ndim != 1
            or not array.size
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in array)
        ):
            fail("a path point is not a list of numbers")
        array = array.astype(float)
        if not np.isfinite(array).all():
            fail("a path point is not finite")
        if width is not None and array.size != width:
            fail("its path points differ in length")
        width = array.size
        parsed_points.append(array)
    return [int(s) for s in steps], parsed_values, parsed_points, [int(e) for e in epochs], int(stride)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**62


class HistoryMirror:
    """The GUI's copy of a :class:`History`, kept up to date by applying deltas; arrays on demand."""

    def __init__(self, series: tuple[str, ...] = ("loss",)):
        self.series = tuple(series)
        self.version = -1
        self._steps: list[int] = []
        self._values: list[tuple[float, ...]] = []
        self._points: list[Any] = []
        self._epochs: list[int] = []
        self.stride = 1
        self._arrays: dict[str, np.ndarray] = {}

    def apply(self, delta: HistoryDelta) -> None:
        if delta.full or delta.version != self.version:
            if not delta.full:
                return  # a partial delta of a history we never saw whole (cannot happen in order)
            self._steps, self._values, self._points, self._epochs = [], [], [], []
        del self._steps[delta.start :], self._values[delta.start :], self._points[delta.start :]
        del self._epochs[delta.epoch_start :]
        self._steps += delta.steps
        self._values += delta.values
        self._points += delta.points
        self._epochs += delta.epochs
        self.version, self.stride = delta.version, delta.stride
        self._arrays = {}

    def __len__(self) -> int:
        return len(self._steps)

    @property
    def steps(self) -> np.ndarray:
        if "steps" not in self._arrays:
            self._arrays["steps"] = np.array(self._steps, dtype=float)
        return self._arrays["steps"]

    def values(self, name: str = "loss") -> np.ndarray:
        """One series as an array aligned with :attr:`steps` (NaN where it was not measured)."""
        key = "series:" + name
        if key not in self._arrays:
            column = self.series.index(name)
            self._arrays[key] = np.array([row[column] for row in self._values], dtype=float)
        return self._arrays[key]

    @property
    def losses(self) -> np.ndarray:
        return self.values("loss")

    @property
    def epochs(self) -> np.ndarray:
        if "epochs" not in self._arrays:
            self._arrays["epochs"] = np.array(self._epochs, dtype=float)
        return self._arrays["epochs"]

    @property
    def points(self) -> np.ndarray:
        """The recorded points as rows (empty when none were recorded)."""
        if "points" not in self._arrays:
            points = [p for p in self._points if p is not None]
            self._arrays["points"] = np.array(points, dtype=float) if points else np.empty((0, 0))
        return self._arrays["points"]

    def latest(self, name: str = "loss") -> float:
        return self._values[-1][self.series.index(name)] if self._values else math.nan
