"""HeatMap.set_scale: one heat-map layer showing maps of another kind (a probability, then a signed value)."""

from __future__ import annotations

import numpy as np

from primer_gui.widgets.heat_map import HeatMap
from primer_gui.widgets.plots import Plot


def test_set_scale_changes_the_colours_range_the_lines_and_the_bars_label(qtbot):
    plot = Plot()
    qtbot.addWidget(plot)
    heat = HeatMap(plot, label="P(blue)")
    xs = np.linspace(-1, 1, 21)
    values = np.tile(xs, (21, 1))  # −1 on the left … +1 on the right
    heat.set_map((values + 1) / 2, (-1, 1), (-1, 1))
    assert heat.image.levels is not None and tuple(heat.image.levels) == (0.0, 1.0)
    heat.set_scale((-1.0, 1.0), (0.0,), 0.0, "activation")
    heat.set_map(values, (-1, 1), (-1, 1))
    assert tuple(heat.image.levels) == (-1.0, 1.0)
    assert heat._bar.getAxis("left").labelText == "activation"
    bold_x, _bold_y = heat._bold_line.getData()
    np.testing.assert_allclose(bold_x, 0.0, atol=1e-12)  # the boundary where the value crosses 0
    thin_x, _thin_y = heat._lines.getData()
    assert thin_x is None or len(thin_x) == 0  # no other lines asked for
    heat.set_scale(None)
    heat.set_map(values * 3, (-1, 1), (-1, 1))
    assert tuple(heat.image.levels) == (-3.0, 3.0)  # follows the data
