"""Loss history that stays bounded however long training runs.

Hours of training must not grow memory, yet the curve must still span every
step from the first.  So the history keeps at most ``capacity`` points: when
full, it drops every other point and from then on records only every second
step it is offered (then every fourth, …).  The curve keeps its shape and its
first and latest points; memory stays constant.
"""

from __future__ import annotations

import numpy as np


class LossHistory:
    def __init__(self, capacity: int = 4000):
        if capacity < 4:
            raise ValueError("capacity must be at least 4")
        self.capacity = capacity
        self._steps: list[int] = []
        self._losses: list[float] = []
        self._epochs: list[int] = []
        self._points: list = []  # optional: where the parameters were (for a landscape's path)
        self._stride = 1

    def clear(self) -> None:
        self._steps.clear()
        self._losses.clear()
        self._epochs.clear()
        self._points.clear()
        self._stride = 1

    def append(self, step: int, loss: float, point: np.ndarray | None = None) -> None:
        """Record the loss (and optionally the parameters' ``point``) after ``step`` updates."""
        if self._steps and step <= self._steps[-1]:
            if step == self._steps[-1]:
                self._losses[-1], self._points[-1] = loss, point
                return
            # a reset or a restored session went back in time: start again from there
            keep = int(np.searchsorted(self._steps, step))
            del self._steps[keep:], self._losses[keep:], self._points[keep:]
        elif len(self._steps) > 1 and step - self._steps[-2] < self._stride:
            # within the current stride: the newest record moves forward instead of adding one
            self._steps[-1], self._losses[-1], self._points[-1] = step, loss, point
            return
        self._steps.append(step)
        self._losses.append(loss)
        self._points.append(point)
        if len(self._steps) > self.capacity:
            self._steps = self._steps[:-1:2] + self._steps[-1:]
            self._losses = self._losses[:-1:2] + self._losses[-1:]
            self._points = self._points[:-1:2] + self._points[-1:]
            self._stride *= 2

    def mark_epoch(self, step: int) -> None:
        self._epochs.append(step)
        if len(self._epochs) > self.capacity:
            self._epochs = self._epochs[::2]

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Copies of (steps, losses)."""
        return np.array(self._steps, dtype=float), np.array(self._losses, dtype=float)

    def point_array(self) -> np.ndarray:
        """The recorded parameter points as rows (empty when none were recorded)."""
        points = [p for p in self._points if p is not None]
        return np.array(points, dtype=float) if points else np.empty((0, 0))

    def epoch_array(self) -> np.ndarray:
        return np.array(self._epochs, dtype=float)

    def state(self) -> dict:
        return {
            "steps": list(self._steps),
            "losses": list(self._losses),
            "points": [None if p is None else np.asarray(p).tolist() for p in self._points],
            "epochs": list(self._epochs),
            "stride": self._stride,
        }

    def load_state(self, state: dict) -> None:
        """Restore :meth:`state`; raises ValueError (changing nothing) on a malformed one."""
        try:
            self._load_state(state)
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"The loss history is damaged ({error}).") from None

    def _load_state(self, state: dict) -> None:
        steps, losses = list(map(int, state["steps"])), list(map(float, state["losses"]))
        if len(steps) != len(losses):
            raise ValueError("The loss history's steps and losses differ in length.")
        points = state.get("points") or [None] * len(steps)
        if len(points) != len(steps):
            raise ValueError("The loss history's steps and path differ in length.")
        points = [None if p is None else np.asarray(p, dtype=float) for p in points]
        epochs = list(map(int, state.get("epochs", [])))
        stride = int(state.get("stride", 1))
        self._steps, self._losses, self._points, self._epochs, self._stride = steps, losses, points, epochs, stride
