"""The Activations tab, driven as a person drives it (in-process runners unless stated)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from explanations import linked_terms
from PySide6.QtCore import Qt

from primer_gui.core import MLP
from primer_gui.core.activations import ACTIVATIONS
from primer_gui.panels.activations import ActivationsPanel
from primer_gui.panels.activations_probe import EXTENT, LAYER_SIZES, majority_baseline, network_rows
from primer_gui.panels.activations_views import NEURON_RANGE, NEURON_RESOLUTION, SATURATED, Z


@pytest.fixture
def panel(shown_panel):
    return shown_panel(ActivationsPanel)


def accuracy(trainer) -> float:
    return float(np.mean(trainer.predict(trainer.X) == trainer.y))


# -- the gallery -------------------------------------------------------------------------------------
def test_every_activation_is_drawn_with_its_derivative_from_the_core(panel):
    for name, activation in ACTIVATIONS.items():
        panel.compare_checks[name].setChecked(True)
        xs, ys = panel.gallery.function_curves[name].getData()
        np.testing.assert_array_equal(xs, Z)
        np.testing.assert_array_equal(ys, activation.forward(Z))
        np.testing.assert_array_equal(panel.gallery.derivative_curves[name].getData()[1], activation.derivative(Z))
        assert panel.gallery.function_curves[name].isVisible() and panel.gallery.derivative_curves[name].isVisible()
    panel.compare_checks["gelu"].setChecked(False)
    assert not panel.gallery.function_curves["gelu"].isVisible()
    panel.compare_checks["tanh"].setChecked(False)
    assert panel.gallery.function_curves["tanh"].isVisible()  # the one looked at is always drawn


@pytest.mark.parametrize(
    ("name", "shaded"),
    [("tanh", [(-5.0, -3.0), (3.0, 5.0)]), ("sigmoid", [(-5.0, -4.6), (4.6, 5.0)]), ("relu", [(-5.0, 0.0)])],
)
def test_the_saturated_inputs_of_the_function_looked_at_are_shaded(panel, name, shaded):
    panel.look_box.setCurrentText(name)
    regions = [r.getRegion() for r in panel.gallery.regions[panel.derivative_plot] if r.isVisible()]
    assert len(regions) == len(shaded)
    slope = np.abs(ACTIVATIONS[name].derivative(Z))
    for (start, end), (low, high) in zip(regions, shaded, strict=True):
        assert start == pytest.approx(low, abs=0.05) and end == pytest.approx(high, abs=0.05)
        inside = (start <= Z) & (end >= Z)
        assert np.all(slope[inside] < SATURATED)
    outside = np.ones(Z.size, bool)
    for start, end in regions:
        outside &= ~((start <= Z) & (end >= Z))
    assert np.all(slope[outside] >= SATURATED)
    words = panel.gallery.region_text.textItem.toPlainText()
    assert ("dead" in words) if name == "relu" else ("saturated" in words)


def test_leaky_relu_and_linear_are_never_saturated(panel):
    for name in ("leaky_relu", "linear"):
        panel.look_box.setCurrentText(name)
        assert not any(r.isVisible() for r in panel.gallery.regions[panel.function_plot])


# -- the neuron -----------------------------------------------------------------------------------------
def test_the_neuron_writes_out_its_weighted_sum_and_maps_its_output(panel):
    sliders = panel.neuron_sliders
    for name, value in {"x1": 0.8, "x2": -1.2, "w1": 2.0, "w2": 0.5, "b": 0.3}.items():
        sliders[name].set_value(value)
    z = 2.0 * 0.8 + 0.5 * -1.2 + 0.3
    a = float(np.tanh(z))
    text = panel.neuron_text.text()
    assert f"= <b>{z:.3g}</b>" in text and f"tanh({z:.3g}) = <b>{a:.3g}</b>" in text
    axis = np.linspace(*NEURON_RANGE, NEURON_RESOLUTION)
    expected = np.tanh(2.0 * axis[None, :] + 0.5 * axis[:, None] + 0.3)
    np.testing.assert_allclose(panel.neuron_plot.map.values, expected)
    assert panel.neuron_plot.input_dot.getData()[0][0] == 0.8 and panel.neuron_plot.input_dot.getData()[1][0] == -1.2
    assert panel.gallery.function_dot.getData()[1][0] == pytest.approx(a)
    # the slider moves with the box and the box with the slider
    sliders["w1"].slider.setValue(sliders["w1"].slider.maximum())
    assert sliders["w1"].value() == 3.0


def test_a_neuron_pushed_into_the_tail_says_it_is_saturated_and_relu_below_zero_that_it_is_dead(panel):
    panel.neuron_sliders["w1"].set_value(3.0)
    panel.neuron_sliders["x1"].set_value(3.0)
    assert "saturated" in panel.neuron_text.text()
    panel.look_box.setCurrentText("relu")
    panel.neuron_sliders["w1"].set_value(-3.0)
    assert "dead" in panel.neuron_text.text()
    values = panel.neuron_plot.map.values
    np.testing.assert_array_equal(values, ACTIVATIONS["relu"].forward(values))  # nothing below 0


# -- the two networks ------------------------------------------------------------------------------------
def test_the_linear_network_stays_at_the_majority_baseline_while_tanh_bends_around_the_circle(panel, qtbot):
    rows = panel.rows
    baseline = majority_baseline(rows[:, 2])
    for _ in range(300):
        panel.step()
    linear, tanh = panel.linear_runner.trainer, panel.runner.trainer
    assert linear.activation == "linear" and tanh.activation == "tanh"
    assert linear.step_count == tanh.step_count == 300
    assert abs(accuracy(linear) - baseline) <= 0.05
    assert accuracy(tanh) > 0.9
    # all along, once the first few steps have passed (every recorded value)
    history = panel.linear_runner.history
    late = history.steps >= 50
    assert np.all(np.abs(history.values("accuracy")[late] - baseline) <= 0.05)
    # what is drawn is what the networks say
    np.testing.assert_allclose(panel.linear_plot.heat.values, linear.decision_grid(EXTENT, EXTENT, 50).output)
    np.testing.assert_allclose(panel.nonlinear_plot.heat.values, tanh.decision_grid(EXTENT, EXTENT, 50).output)
    assert f"accuracy {accuracy(tanh):.3f}" in panel.nonlinear_plot.words.textItem.toPlainText()


def test_a_linear_stack_is_one_straight_line(panel):
    """The proof in numbers: the linear network's output logit is exactly an affine function of the input."""
    for _ in range(30):
        panel.step()
    linear = panel.linear_runner.trainer
    params = linear.params
    product, offset = np.eye(2), np.zeros(2)
    for k in range(1, len(LAYER_SIZES)):
        product, offset = product @ params[f"W{k}"], offset @ params[f"W{k}"] + params[f"b{k}"]
    points = np.random.default_rng(0).uniform(-6, 6, (50, 2))
    logits = (points @ product + offset)[:, 0]
    np.testing.assert_allclose(linear.predict_proba(points), 1 / (1 + np.exp(-logits)), rtol=1e-10)


def test_both_networks_follow_every_training_command(panel, qtbot):
    assert panel.runner._engine.speed == panel.linear_runner._engine.speed == 300  # a pace the eye can follow
    qtbot.mouseClick(panel.controls.step_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.controls.epoch_button, Qt.MouseButton.LeftButton)
    assert panel.runner.trainer.step_count == panel.linear_runner.trainer.step_count == 2
    panel.controls.learning_rate_box.setValue(0.05)
    panel.controls.batch_box.setValue(25)
    for runner in (panel.runner, panel.linear_runner):
        assert runner.trainer.learning_rate == 0.05 and runner.trainer.batch_size == 25
    qtbot.mouseClick(panel.controls.epoch_button, Qt.MouseButton.LeftButton)
    assert panel.linear_runner.trainer.epoch_count == 3 and panel.linear_runner.trainer.step_count == 12
    qtbot.mouseClick(panel.controls.reset_button, Qt.MouseButton.LeftButton)
    assert panel.runner.trainer.step_count == panel.linear_runner.trainer.step_count == 0
    # same seed: the same initial weights wherever the initialisation agrees (Glorot for both)
    np.testing.assert_array_equal(panel.runner.trainer.params["W1"], panel.linear_runner.trainer.params["W1"])


def test_another_activation_restarts_both_networks_and_undo_brings_tanh_back(panel):
    for _ in range(5):
        panel.step()
    panel.network_box.setCurrentText("relu")
    main, linear = panel.runner.trainer, panel.linear_runner.trainer
    assert main.activation == "relu" and main.step_count == 0 and linear.step_count == 0
    assert "relu" in panel.nonlinear_plot.getPlotItem().titleLabel.text
    assert main.learning_rate == linear.learning_rate
    panel.undo_stack.undo()
    assert panel.runner.trainer.activation == "tanh" and panel.network_box.currentText() == "tanh"


def test_new_data_goes_to_both_networks_undoably(panel):
    rows = panel.rows
    panel.data_box.dataset_box.setCurrentText("xor")
    panel.data_box.points_box.setValue(100)
    panel.data_box.new_button.click()
    for runner in (panel.runner, panel.linear_runner):
        trainer = runner.trainer
        assert trainer.n_points == 100
        np.testing.assert_array_equal(trainer.X, panel.rows[:, :2])
    np.testing.assert_array_equal(panel.rows[50:, :2], -panel.rows[:50, :2])  # mirror pairs
    xs = np.concatenate([dots.getData()[0] for dots in panel.linear_plot.dots])
    assert xs.size == 100
    panel.undo_stack.undo()
    np.testing.assert_array_equal(panel.runner.trainer.X, rows[:, :2])
    np.testing.assert_array_equal(panel.linear_runner.trainer.X, rows[:, :2])


def test_network_rows_mirror_circle_and_xor_but_not_the_others():
    rows = network_rows("circle", 10, 0.0, 1)
    np.testing.assert_array_equal(rows[5:], np.column_stack([-rows[:5, :2], rows[:5, 2]]))
    assert network_rows("gaussian", 11, 0.0, 1).shape == (11, 3)


# -- sessions ---------------------------------------------------------------------------------------------------
def test_a_session_carries_both_networks_and_continues_both_trajectories(panel):
    panel.network_box.setCurrentText("relu")
    panel.neuron_sliders["b"].set_value(1.2)
    panel.look_box.setCurrentText("elu")
    panel.controls.speed_box.setCurrentText("max")
    for _ in range(6):
        panel.step()
    state = json.loads(json.dumps(panel.session_state()))
    for _ in range(4):
        panel.step()
    expected = (panel.runner.trainer.params, panel.linear_runner.trainer.params)
    panel.network_box.setCurrentText("sigmoid")
    panel.neuron_sliders["b"].set_value(0.0)
    panel.controls.speed_box.setCurrentText("5 updates/s")
    panel.load_session_state(state)
    assert panel.network_box.currentText() == "relu" and panel.runner.trainer.activation == "relu"
    assert panel.neuron_sliders["b"].value() == 1.2 and panel.neuron_sliders["b"].slider.value() == 42
    assert panel.look_box.currentText() == "elu"
    assert panel.controls.speed_box.currentText() == "max"
    assert panel.runner._engine.speed is None and panel.linear_runner._engine.speed is None  # both told
    assert panel.linear_runner.trainer.step_count == 6
    for _ in range(4):
        panel.step()
    for runner, params in zip((panel.runner, panel.linear_runner), expected, strict=True):
        for name, value in params.items():
            np.testing.assert_array_equal(runner.trainer.params[name], value)


def test_a_session_with_a_damaged_linear_network_is_refused(panel):
    panel.step()
    state = json.loads(json.dumps(panel.session_state()))
    other = MLP(layer_sizes=(2, 3, 1), activation="linear")
    other.set_data(panel.rows[:, :2], panel.rows[:, 2])
    tanh_instead = json.loads(json.dumps(panel.session_state()["trainer"]))
    for damage in (
        {"linear": None},
        {"linear": {**state["linear"], "trainer": other.state_dict()}},
        {"linear": {**state["linear"], "trainer": tanh_instead}},
        {"linear": {**state["linear"], "history": {"steps": [1]}}},
    ):
        with pytest.raises(ValueError, match="Activations part is damaged"):
            panel.load_session_state({**state, **damage})
    assert panel.linear_runner.trainer.step_count == 1


# -- the real processes ----------------------------------------------------------------------------------------
def test_both_real_processes_play_pause_and_shut_down_together(qtbot):
    panel = ActivationsPanel(threaded=True)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.mouseClick(panel.controls.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.linear_runner.latest.playing and panel.linear_runner.latest.step > 20, timeout=10_000)
    qtbot.waitUntil(lambda: panel.runner.latest.step > 20, timeout=10_000)
    qtbot.mouseClick(panel.controls.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.runner.playing and not panel.linear_runner.playing, timeout=5000)
    assert panel.linear_plot.heat.values is not None and panel.nonlinear_plot.heat.values is not None
    panel.network_box.setCurrentText("relu")
    qtbot.waitUntil(lambda: panel.runner.latest.step == 0 and panel.linear_runner.latest.step == 0, timeout=5000)
    assert panel.runner.trainer.activation == "relu"
    assert panel.shutdown()
    assert not panel.linear_runner._relay.isRunning()


def test_every_term_the_explanation_links_is_in_the_glossary(panel):

    from primer_gui.glossary import glossary

    terms = linked_terms(panel.explanation_html)
    assert {"activation function", "non-linearity", "dot product"} <= set(terms)
    assert all(term in glossary() for term in terms)
    controls = [panel.look_box, panel.network_box, *panel.compare_checks.values(), *panel.neuron_sliders.values()]
    assert all(widget.toolTip() for widget in controls)


def test_a_screenshot_trains_both_networks(panel):
    panel.train(40)
    assert panel.runner.trainer.step_count == panel.linear_runner.trainer.step_count == 40
    assert "step 40" in panel.linear_plot.words.textItem.toPlainText()
