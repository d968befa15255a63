"""The widgets the Many features and Overfitting tabs brought: 3-D view, binned dots, neuron, strengths, norm balls."""

from __future__ import annotations

import numpy as np
import pytest
from mouse import drag

from primer_gui.widgets.binned_scatter import BinnedScatter
from primer_gui.widgets.neuron_view import NeuronView
from primer_gui.widgets.norm_ball_view import NormBallView
from primer_gui.widgets.orbit_view import START_AZIMUTH, START_ELEVATION, OrbitView
from primer_gui.widgets.palette import DARK, LIGHT
from primer_gui.widgets.plots import Plot
from primer_gui.widgets.strength_control import StrengthControl


def shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(400, 320)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_orbit_view_projects_by_its_angles(qtbot):
    view = shown(qtbot, OrbitView("3-D", ("a", "b", "c")))
    view.set_bounds([0, 0, 0], [10, 20, 40])
    corner = np.array([[10.0, 0.0, 40.0]])  # cube (1, −1, 1)
    view.set_angles(0.0, 0.0)  # from the front: x across, z up
    np.testing.assert_allclose(np.ravel(view.project_data(corner)), [1.0, 1.0], atol=1e-12)
    view.set_angles(90.0, 90.0)  # from straight above, turned a quarter
    x, y = view.project_data(corner)
    np.testing.assert_allclose([x[0], y[0]], [1.0, 1.0], atol=1e-12)
    view.set_angles(0.0, 200.0)  # the elevation stays between slightly below and straight down
    assert view.elevation == 90.0
    low, high = view.bounds
    np.testing.assert_array_equal(high, [10, 20, 40])


def test_the_orbit_view_redraws_its_items_when_turned_by_a_drag(qtbot):
    view = shown(qtbot, OrbitView())
    view.set_bounds([0, 0, 0], [1, 1, 1])
    dots = view.scatter("point")
    view.set_points(dots, [[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]])
    before = np.column_stack(dots.getData())
    drag(view, (0.0, 0.0), (0.5, 0.2))
    assert (view.azimuth, view.elevation) != (START_AZIMUTH, START_ELEVATION)
    after = np.column_stack(dots.getData())
    assert not np.allclose(before, after)
    np.testing.assert_allclose(after, np.column_stack(view.project_data([[1, 1, 1], [0, 0, 0]])))
    lines = view.curve("fit", connect="pairs")
    view.set_segments(lines, [[0, 0, 0], [1, 1, 1]])
    assert len(lines.getData()[0]) == 2


def test_binned_dots_sort_values_into_colour_bins(qtbot):
    plot = shown(qtbot, Plot())
    dots = BinnedScatter(plot, bins=5)
    points = np.column_stack([np.arange(6.0), np.zeros(6)])
    dots.set_data(points, np.array([-9.0, -1.0, -0.2, 0.0, 0.6, 4.0]), limit=2.0)
    assert [len(item.getData()[0]) for item in dots.items] == [1, 1, 2, 1, 1]
    colours = [item.opts["brush"].color().name() for item in dots.items]
    assert len(set(colours)) == 5
    plot.apply_theme(DARK)
    plot.apply_theme(LIGHT)
    with pytest.raises(ValueError, match="odd"):
        BinnedScatter(plot, bins=4)


def test_the_neuron_adds_up_inputs_times_weights(qtbot):
    neuron = shown(qtbot, NeuronView(inputs=3))
    neuron.set_values(["a", "b", "1"], np.array([2.0, -1.0, 1.0]), np.array([3.0, 4.0, 0.5]), "y")
    assert neuron._output_text.toPlainText() == "2.5\ny"
    assert neuron._formula.toPlainText().endswith("6 + -4 + 0.5 = 2.5")
    widths = [edge.opts["pen"].widthF() for edge in neuron._edges]
    assert widths[0] > widths[1] > widths[2]  # |6| > |−4| > |0.5|
    with pytest.raises(ValueError, match="3 inputs"):
        neuron.set_values(["a"], np.ones(1), np.ones(1), "y")


def test_a_strength_control_has_an_off_notch_and_exact_decades(qtbot):
    control = shown(qtbot, StrengthControl(1e-5, 10.0))
    seen = []
    control.value_changed.connect(seen.append)
    assert control.value() == 0.0 and control.slider.value() == 0 and control.off_label.isVisibleTo(control)
    control.slider.setValue(control.position_of(0.01))
    assert seen == [0.01] and control.value() == 0.01 and not control.off_label.isVisibleTo(control)
    control.box.setValue(0.5)
    assert seen[-1] == 0.5 and control.value_at(control.slider.value()) == pytest.approx(0.5, rel=0.03)
    control.setValue(2.0)  # shown, not announced
    assert seen[-1] == 0.5 and control.value() == 2.0
    control.slider.setValue(0)
    assert seen[-1] == 0.0
    for value in (1e-5, 1e-3, 1.0, 10.0):
        assert control.value_at(control.position_of(value)) == value


def test_the_norm_ball_view_draws_a_diamond_and_a_circle_through_their_points(qtbot):
    view = shown(qtbot, NormBallView())
    xs = np.linspace(-2, 2, 41)
    values = (xs[:, None] - 1.0) ** 2 + 3 * (xs[None, :] - 0.5) ** 2
    view.set_picture(
        values,
        (-2, 2),
        (-2, 2),
        np.array([1.0, 0.5]),
        np.zeros(2),
        (np.array([0.8, 0.0]), 1.0),
        (np.array([0.6, 0.3]), 0.4),
    )
    x, y = view._diamond.getData()
    assert np.max(np.abs(x) + np.abs(y)) == pytest.approx(0.8)
    x, y = view._circle.getData()
    np.testing.assert_allclose(np.hypot(x, y), np.hypot(0.6, 0.3))
    assert len(view._diamond_touch.getData()[0]) > 0
    view.set_picture(values, (-2, 2), (-2, 2), np.array([1.0, 0.5]), np.zeros(2), None, None, "off")
    assert view._diamond.getData()[0] is None and view._note.toPlainText() == "off"


def test_axis_labels_set_later_survive_a_theme_change(qtbot):
    plot = shown(qtbot, Plot("title", "x", "y"))
    plot.set_axis_labels("size (m²)", "bedrooms")
    plot.apply_theme(DARK)
    assert plot.getPlotItem().getAxis("bottom").labelText == "size (m²)"
    assert plot.getPlotItem().getAxis("left").labelText == "bedrooms"


def test_a_heat_maps_colour_range_can_be_fixed_after_it_is_made(qtbot):
    from primer_gui.widgets.heat_map import HeatMap

    plot = shown(qtbot, Plot())
    heat = HeatMap(plot, value_range=None)
    values = np.linspace(0, 1, 12).reshape(3, 4)
    heat.set_map(values, (0, 1), (0, 1))
    assert tuple(heat.image.levels) == (0.0, 1.0)  # following the data
    heat.set_value_range((-5.0, 5.0))
    heat.set_map(values, (0, 1), (0, 1))
    assert tuple(heat.image.levels) == (-5.0, 5.0)
    heat.set_value_range(None)
    heat.set_map(values * 2, (0, 1), (0, 1))
    assert tuple(heat.image.levels) == (0.0, 2.0)
