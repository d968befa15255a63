"""Soak test for DESIGN.md's platform pin.

PySide6 6.12.0 on CPython 3.11 decrements ``None``'s reference count on every Qt
call that returns nothing; after a few thousand plot updates the interpreter
aborts with ``none_dealloc``.  This test makes 10 000 plot updates and fails if
``None``'s count falls, so the next such bug is caught here and not by a person.
"""

from __future__ import annotations

import gc
import sys

import numpy as np
import pyqtgraph as pg


def test_ten_thousand_plot_updates_keep_nones_reference_count(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    curve = widget.plot(pen="b")
    scatter = pg.ScatterPlotItem()
    widget.addItem(scatter)
    xs = np.linspace(0, 1, 50)
    # garbage from earlier tests, collected mid-loop, would legitimately drop None's count
    gc.collect()
    gc.disable()
    try:
        before = sys.getrefcount(None)
        for i in range(10_000):
            curve.setData(xs, np.sin(xs * i))
            scatter.setData([0.5], [float(i % 7)])
            widget.setTitle(None if i % 2 else "soak")
            curve.setVisible(True)
        after = sys.getrefcount(None)
    finally:
        gc.enable()
    # Immortal None (Python ≥ 3.12) reports a huge constant; either way it must not fall by thousands.
    assert after >= before - 100, f"None's reference count fell from {before} to {after}"
