"""The widgets the Classify and Activations tabs added: ValueSlider, ConfusionMatrix, boxed_text — and the
kit's additions they needed (HeatMap's per-map colour range, LandscapeView.clear_optimum, Plot.set_title)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSignalBlocker

from primer_gui.widgets.boxed_text import boxed_text
from primer_gui.widgets.confusion_matrix import ConfusionMatrix
from primer_gui.widgets.heat_map import HeatMap
from primer_gui.widgets.landscape_view import LandscapeView
from primer_gui.widgets.palette import DARK, LIGHT
from primer_gui.widgets.plots import Plot
from primer_gui.widgets.value_slider import ValueSlider


def test_value_slider_keeps_slider_and_box_together_with_one_signal_per_change(qtbot):
    slider = ValueSlider(-3.0, 3.0, 0.1, 1.0)
    qtbot.addWidget(slider)
    seen = []
    slider.value_changed.connect(seen.append)
    assert slider.slider.value() == 40
    slider.slider.setValue(45)
    assert slider.value() == 1.5 and seen == [1.5]
    slider.box.setValue(-2.25)  # between two steps: the box keeps it, the slider goes to the nearest
    assert slider.value() == -2.25 and slider.slider.value() in (7, 8) and seen == [1.5, -2.25]
    with QSignalBlocker(slider):  # as a session restores a setting: both follow, nothing is announced
        slider.set_value(0.3)
    assert slider.slider.value() == 33 and seen == [1.5, -2.25]
    assert slider.check(2) == 2.0
    for bad in (4.0, "1", True, float("nan")):
        with pytest.raises(ValueError):
            slider.check(bad)


def test_confusion_matrix_counts_and_accuracy(qtbot):
    matrix = ConfusionMatrix(("no", "yes"))
    qtbot.addWidget(matrix)
    matrix.set_counts(np.array([[7, 3], [1, 9]]))
    assert matrix.cells[0][0].text() == "7 right" and matrix.cells[0][1].text() == "3 wrong"
    assert matrix.cells[1][0].text() == "1 wrong" and matrix.cells[1][1].text() == "9 right"
    assert matrix.accuracy_value() == 0.8 and "(7 + 9) / 20 = <b>0.800</b>" in matrix.accuracy.text()
    matrix.set_counts(np.zeros((2, 2)))
    assert np.isnan(matrix.accuracy_value()) and matrix.accuracy.text() == "accuracy: no points"
    matrix.apply_theme(DARK)
    assert "rgba" in matrix.cells[1][1].styleSheet()


def test_heat_map_takes_a_colour_range_per_map(qtbot):
    plot = Plot("map")
    qtbot.addWidget(plot)
    heat = HeatMap(plot, levels=(), bold=None, value_range=None)
    heat.set_map(np.array([[0.0, 1.0], [2.0, 3.0]]), (0, 1), (0, 1))
    assert tuple(heat.image.levels) == (0.0, 3.0)  # follows the data
    heat.set_map(np.array([[0.0, 1.0], [2.0, 3.0]]), (0, 1), (0, 1), value_range=(-3.0, 3.0))
    assert tuple(heat.image.levels) == (-3.0, 3.0)  # centred, as asked


def test_landscape_clears_its_star_and_plots_retitle(qtbot):
    view = LandscapeView("a title")
    qtbot.addWidget(view)
    view.set_optimum(1.0, 2.0)
    view.clear_optimum()
    assert view._optimum.getData()[0].size == 0
    view.set_title("another")
    assert view.getPlotItem().titleLabel.text == "another"
    view.apply_theme(DARK)
    assert view.getPlotItem().titleLabel.text == "another"  # a theme change keeps the new title


def test_boxed_text_follows_the_theme(qtbot):
    plot = Plot("p")
    qtbot.addWidget(plot)
    text = boxed_text(plot)
    assert text.fill.color().name() == LIGHT.background
    plot.apply_theme(DARK)
    assert text.fill.color().name() == DARK.background and text.color.name() == DARK.foreground
