"""Live plots: steady ranges that still show everything, opaque grids behind the data, one paint per change."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QPen

from primer_gui.training.history import History, HistoryMirror
from primer_gui.widgets.loss_curve import LossCurve
from primer_gui.widgets.plots import NICE_MANTISSAS, GridAxis, Plot, nice_ceiling
from primer_gui.widgets.slice_view import SliceView


@given(st.floats(1e-300, 1e300))
def test_nice_ceiling_is_the_next_nice_number_up(value):
    top = nice_ceiling(value)
    assert top >= value * (1 - 1e-12)
    assert top <= value * 4 / 3 * (1 + 1e-12)  # the widest gaps between mantissas: 1.5 → 2 and 3 → 4
    mantissa = top / 10.0 ** math.floor(math.log10(top) + 1e-12)
    assert min(abs(mantissa - m) for m in NICE_MANTISSAS) < 1e-9


def test_nice_ceiling_of_nothing_useful_is_one():
    assert nice_ceiling(0.0) == nice_ceiling(-3.0) == nice_ceiling(math.nan) == nice_ceiling(math.inf) == 1.0
    assert nice_ceiling(1.0) == 1.0 and nice_ceiling(1.01) == 1.2 and nice_ceiling(0.009) == pytest.approx(0.01)


def test_grid_lines_are_opaque_with_the_same_look_and_behind_the_data(qapp):
    axis = GridAxis("left")
    axis.background = QColor("#ffffff")
    opaque = axis._opaque(QPen(QColor(48, 48, 48, 51)))  # 20 % of #303030
    assert opaque.color().alpha() == 255
    assert abs(opaque.color().red() - round(0.2 * 48 + 0.8 * 255)) <= 1
    assert axis._opaque(QPen(QColor("#303030"))).color() == QColor("#303030")
    plot = Plot()
    item = plot.getPlotItem()
    assert all(item.getAxis(name).zValue() < item.getViewBox().zValue() for name in ("left", "bottom"))
    plot.deleteLater()


class PaintCounter(QObject):
    def __init__(self, widget):
        super().__init__()
        self.count = 0
        widget.viewport().installEventFilter(self)

    def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def history_of(steps, *series, epochs=()):
    history = History(("loss", "other")[: len(series)])
    for step, *values in zip(steps, *series, strict=True):
        history.append(int(step), tuple(values))
    for epoch in epochs:
        history.mark_epoch(epoch)
    mirror = HistoryMirror(history.series)
    mirror.apply(history.delta())
    return mirror


def test_loss_curve_shows_the_whole_history_in_both_scales(shown, qapp):
    curve = shown(LossCurve())
    steps = np.arange(0, 1234.0)
    losses = 50.0 / (1 + steps) + 0.01
    for log in (False, True):
        curve.set_log_scale(log)
        curve.set_history(history_of(steps, losses, epochs=(100, 200)))
        curve.settle()
        (x0, x1), (y0, y1) = curve.getPlotItem().getViewBox().viewRange()
        assert x0 <= 0 and x1 >= 1233 and x1 <= 1233 * 4 / 3
        shown_losses = np.log10(losses) if log else losses
        assert y0 <= shown_losses.min() and y1 >= shown_losses.max()


def test_a_new_snapshot_paints_each_live_plot_once(shown, qapp):
    """Range changes applied before the paint (settle) spare pyqtgraph's second paint."""
    curve, slice_view = shown(LossCurve()), shown(SliceView("loss vs slope", "slope"))
    counters = [PaintCounter(curve), PaintCounter(slice_view)]
    xs = np.linspace(-1, 1, 121)
    for i in range(20):
        if i == 10:  # by now the tick labels have reached their width: no more layout changes
            counts = [counter.count for counter in counters]
        scale = 1 + i
        steps = np.arange(10.0 + 40 * i)
        curve.set_history(history_of(steps, scale / (1 + steps)))
        slice_view.set_slice(xs, scale * xs**2, 0.5, scale * 0.25, scale)
        for plot in (curve, slice_view):
            plot.settle()
        for _ in range(3):
            qapp.processEvents()
    assert [counter.count - count for counter, count in zip(counters, counts, strict=True)] == [10, 10]


def test_slice_range_holds_still_until_the_curve_outgrows_or_shrinks_far_below_it(shown):
    view = shown(SliceView("loss vs slope", "slope"))
    xs = np.linspace(-1, 1, 121)

    def top_after(scale):
        view.set_slice(xs, scale * xs**2, 0.0, 0.0, 0.0)
        view.settle()
        return view.getPlotItem().getViewBox().viewRange()[1][1]

    first = top_after(1.0)
    assert first >= 1.0
    assert top_after(0.9) == first  # small changes: the axis stays
    assert top_after(3.0) >= 3.0  # outgrown: it grows
    assert top_after(0.1) < 0.3  # far below: it shrinks to fit
