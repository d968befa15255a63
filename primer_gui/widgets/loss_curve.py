"""Loss (and other named series) over training steps, with the ends of epochs marked.

Several series share the plot (training loss, validation loss, …), each in its
own palette colour, with a legend once there is more than one.  The y scale is
linear, logarithmic, or automatic: automatic turns logarithmic once the curve
spans two decades — a diverging run or the long tail of a converging one — and
stays so until the history starts again, so the picture does not flip back and
forth.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from ..training.history import HistoryMirror
from .plots import Plot, nice_ceiling

#: beyond this many epochs in view, marks would be a smear: they are hidden
MAX_EPOCH_MARKS = 150
#: the step axis spans at least this many steps, so its ticks are whole steps
MIN_STEPS_SHOWN = 10
#: in automatic mode, the log scale takes over once the largest value is this many times the smallest
AUTO_LOG_RATIO = 100.0
SCALES = ("auto", "linear", "log")


class LossCurve(Plot):
    def __init__(
        self,
        title: str = "Loss while training",
        series: dict[str, str] | None = None,
        y_label: str = "loss",
        parent=None,
    ):
        """``series``: history series name → legend label (default: the loss alone, no legend)."""
        super().__init__(title, "step", y_label, parent=parent)
        self._labels_by_series = series or {"loss": "loss"}
        if len(self._labels_by_series) > 1:
            self.getPlotItem().addLegend(offset=(-10, 10), labelTextSize="8pt")
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._latest: dict[str, pg.PlotDataItem] = {}
        for index, (name, label) in enumerate(self._labels_by_series.items()):
            role = "loss" if index == 0 else f"series[{index - 1}]"
            self._curves[name] = self.curve(role, width=2, name=label)
            # the latest value as a dot: at step 0, before there is a curve, it is the whole story
            self._latest[name] = self.dots(role, size=8)
        self._marks = self.dots("epoch_mark", size=6)
        self._scale = "auto"
        self._log = False
        self._history: HistoryMirror | None = None
        self._length = 0  # records in the history last drawn (the mirror is one object, updated in place)
        self._signature: tuple | None = None  # what the history was when last drawn
        self.getPlotItem().getViewBox().disableAutoRange()

    @property
    def log_scale(self) -> bool:
        return self._log

    @property
    def scale(self) -> str:
        return self._scale

    def set_scale(self, scale: str) -> None:
        """``"auto"``, ``"linear"`` or ``"log"`` (see the module docstring)."""
        if scale not in SCALES:
            raise ValueError(f"scale must be one of {SCALES}; got {scale!r}")
        self._scale = scale
        self._log = scale == "log" or (scale == "auto" and self._log)
        self._redraw()

    def set_log_scale(self, on: bool) -> None:
        self.set_scale("log" if on else "linear")

    def clear_picture(self) -> None:
        self._history, self._length, self._signature = None, 0, None
        if self._scale == "auto":
            self._log = False
        self._redraw()

    def set_history(self, history: HistoryMirror) -> None:
        """Draw the history (nothing is redrawn if no record changed since the last call)."""
        last = history.steps[-1] if len(history) else None
        latest = tuple(repr(history.latest(name)) for name in self._curves)  # (repr: NaN equals NaN)
        signature = (len(history), history.version, last, latest)
        if history is self._history and signature == self._signature:
            return
        if self._scale == "auto" and len(history) < self._length:
            self._log = False  # the history started again (a reset): so does the automatic choice
        self._history, self._length, self._signature = history, len(history), signature
        self._redraw()

    def _redraw(self) -> None:
        history = self._history
        empty = np.empty(0)
        steps = history.steps if history is not None else empty
        columns = {name: history.values(name) if history is not None else empty for name in self._curves}
        if self._scale == "auto" and not self._log:
            positive = np.concatenate([v[np.isfinite(v) & (v > 0)] for v in columns.values()])
            self._log = bool(positive.size and positive.max() > AUTO_LOG_RATIO * positive.min())
        self.getPlotItem().setLogMode(y=self._log)
        shown = []
        for name, values in columns.items():
            finite = np.isfinite(values)
            x, y = steps[finite], values[finite]
            if self._log:
                x, y = x[y > 0], y[y > 0]  # a log axis has no place for 0
            self._curves[name].setData(x, y)
            self._latest[name].setData(x[-1:], y[-1:])
            shown.append((x, y))
        first_x, first_y = shown[0]
        epochs = history.epochs if history is not None else empty
        if 0 < epochs.size <= MAX_EPOCH_MARKS and first_x.size:
            self._marks.setData(epochs, np.interp(epochs, first_x, first_y))
        else:
            self._marks.setData([], [])
        self._frame(steps, np.concatenate([y for _x, y in shown]))

    def _frame(self, steps: np.ndarray, values: np.ndarray) -> None:
        """Steps from 0 to a nice number past the last; values from 0 (or the lowest decade) up.

        Explicit ranges in steps instead of auto-range: the axes stay still between
        steps of the range, so they are readable while training and cheap to draw.
        """
        last = max(float(steps[-1]) if steps.size else 0.0, MIN_STEPS_SHOWN)
        if self._log:
            positive = values[values > 0]
            low = np.floor(np.log10(positive.min())) if positive.size else -1.0
            high = np.ceil(np.log10(positive.max())) if positive.size else 0.0
            y_range = (low, max(high, low + 1))
        else:
            y_range = (0.0, nice_ceiling(float(values.max()) if values.size else 1.0))
        # a little padding, so the 0 of each axis gets its label
        self.getPlotItem().getViewBox().setRange(xRange=(0.0, nice_ceiling(last)), yRange=y_range, padding=0.02)
