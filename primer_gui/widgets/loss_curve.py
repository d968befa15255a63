"""Loss over training steps, with the ends of epochs marked and an optional log scale."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from .palette import LIGHT
from .plots import Plot, nice_ceiling

#: beyond this many epochs in view, marks would be a smear: they are hidden
MAX_EPOCH_MARKS = 150


class LossCurve(Plot):
    def __init__(self, title: str = "Loss while training", parent=None):
        super().__init__(title, "step", "loss", parent=parent)
        self._curve = pg.PlotDataItem(pen=pg.mkPen(LIGHT.loss, width=2))
        self._marks = pg.ScatterPlotItem(size=6, brush=LIGHT.epoch_mark, pen=None)
        self.addItem(self._curve)
        self.addItem(self._marks)
        self._log = False
        self._data = (np.empty(0), np.empty(0), np.empty(0))
        self.getPlotItem().getViewBox().disableAutoRange()

    @property
    def log_scale(self) -> bool:
        return self._log

    def set_log_scale(self, on: bool) -> None:
        self._log = bool(on)
        self.getPlotItem().setLogMode(y=self._log)
        self.set_history(*self._data)

    def set_history(self, steps: np.ndarray, losses: np.ndarray, epoch_steps: np.ndarray) -> None:
        self._data = (steps, losses, epoch_steps)
        finite = np.isfinite(losses)
        steps, losses = steps[finite], losses[finite]
        if self._log:
            losses = np.maximum(losses, 1e-12)  # log of zero would be -inf
        self._curve.setData(steps, losses)
        self._frame(steps, losses)
        if 0 < epoch_steps.size <= MAX_EPOCH_MARKS and steps.size:
            marks = np.interp(epoch_steps, steps, losses)
            self._marks.setData(epoch_steps, np.log10(marks) if self._log else marks)
        else:
            self._marks.setData([], [])

    def _frame(self, steps: np.ndarray, losses: np.ndarray) -> None:
        """Steps from 0 to a nice number past the last; loss from 0 (or the lowest decade) up.

        Explicit ranges in steps instead of auto-range: the axes stay still between
        steps of the range, so they are readable while training and cheap to draw.
        """
        last = float(steps[-1]) if steps.size else 1.0
        if self._log:
            positive = losses[losses > 0]
            low = np.floor(np.log10(positive.min())) if positive.size else -1.0
            high = np.ceil(np.log10(positive.max())) if positive.size else 0.0
            y_range = (low, max(high, low + 1))
        else:
            y_range = (0.0, nice_ceiling(float(losses.max()) if losses.size else 1.0))
        self.getPlotItem().getViewBox().setRange(xRange=(0.0, nice_ceiling(last)), yRange=y_range, padding=0)
