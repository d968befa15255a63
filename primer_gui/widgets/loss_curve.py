"""Loss over training steps, with the ends of epochs marked and an optional log scale."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from .palette import LIGHT, Palette
from .plots import Plot, nice_ceiling

#: beyond this many epochs in view, marks would be a smear: they are hidden
MAX_EPOCH_MARKS = 150
#: the step axis spans at least this many steps, so its ticks are whole steps
MIN_STEPS_SHOWN = 10


class LossCurve(Plot):
    def __init__(self, title: str = "Loss while training", parent=None):
        super().__init__(title, "step", "loss", parent=parent)
        self._curve = pg.PlotDataItem(pen=pg.mkPen(LIGHT.loss, width=2))
        self._marks = pg.ScatterPlotItem(size=6, brush=LIGHT.epoch_mark, pen=None)
        # the latest loss as a dot: at step 0, before there is a curve, it is the whole story
        self._latest = pg.ScatterPlotItem(size=8, brush=LIGHT.loss, pen=None)
        for item in (self._curve, self._marks, self._latest):
            self.addItem(item)
        self._log = False
        self._data = (np.empty(0), np.empty(0), np.empty(0))
        self.getPlotItem().getViewBox().disableAutoRange()

    def apply_theme(self, palette: Palette) -> None:
        super().apply_theme(palette)
        if hasattr(self, "_curve"):  # Plot.__init__ themes before the items exist
            self._curve.setPen(pg.mkPen(palette.loss, width=2))
            self._marks.setBrush(pg.mkBrush(palette.epoch_mark))
            self._latest.setBrush(pg.mkBrush(palette.loss))

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
        self._latest.setData(steps[-1:], np.log10(losses[-1:]) if self._log else losses[-1:])
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
        last = max(float(steps[-1]) if steps.size else 0.0, MIN_STEPS_SHOWN)
        if self._log:
            positive = losses[losses > 0]
            low = np.floor(np.log10(positive.min())) if positive.size else -1.0
            high = np.ceil(np.log10(positive.max())) if positive.size else 0.0
            y_range = (low, max(high, low + 1))
        else:
            y_range = (0.0, nice_ceiling(float(losses.max()) if losses.size else 1.0))
        # a little padding, so the 0 of each axis gets its label
        self.getPlotItem().getViewBox().setRange(xRange=(0.0, nice_ceiling(last)), yRange=y_range, padding=0.02)
