"""The Neural net tab, driven as a person drives it (in-process runner unless stated)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from explanations import linked_terms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mouse import data_to_viewport, hover
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QGroupBox
from sklearn.metrics import accuracy_score, confusion_matrix, log_loss

from primer_gui.core import MLP
from primer_gui.core.datasets import circle
from primer_gui.panels.neural_net import Architecture, NeuralNetPanel
from primer_gui.panels.neural_net_probe import (
    FEATURES,
    GRID,
    STRIDE,
    NeuralNetProbe,
    feature_columns,
    grid_points,
    make_rows,
    split_rows,
)
from primer_gui.panels.neural_net_text import ACTIVATION_WORDS


@pytest.fixture
def panel(shown_panel):
    return shown_panel(NeuralNetPanel)


def trainer_of(panel) -> MLP:
    return panel.runner.trainer


def click(qtbot, plot, x, y, button=Qt.MouseButton.LeftButton):
    qtbot.mouseClick(plot.viewport(), button, pos=data_to_viewport(plot, x, y))


def grid_activations(trainer: MLP, features) -> list[np.ndarray]:
    """The reference: MLP.forward over the grid of the default ±6 plane."""
    return trainer.forward(feature_columns(grid_points((6.0, 6.0)), tuple(features)))


# -- the network and its architecture ------------------------------------------------------------------
def test_it_starts_as_playgrounds_default_network(panel):
    trainer = trainer_of(panel)
    assert trainer.layer_sizes == (2, 4, 2, 1) and trainer.activation == "tanh"
    assert trainer.output_activation == "sigmoid" and trainer.loss_name == "cross_entropy"
    assert trainer.learning_rate == 0.03 and trainer.batch_size == 10
    train, test = split_rows(panel.data.rows)
    assert len(train) == len(test) == 250
    np.testing.assert_array_equal(trainer.X, train[:, :2])
    np.testing.assert_array_equal(trainer.y, train[:, 2])
    assert panel.network.layers[0].nodes[2].label == "x₁²" and not panel.network.layers[0].nodes[2].active


def test_plus_and_minus_change_neurons_and_layers_and_undo_brings_the_trained_network_back(panel, qtbot):
    panel.runner.step(30)
    trained = trainer_of(panel).params
    history = len(panel.runner.history)
    click(qtbot, panel.network, *panel.network.button_position(1, +1))
    assert trainer_of(panel).layer_sizes == (2, 5, 2, 1)
    assert trainer_of(panel).step_count == 0 and trainer_of(panel).epoch_count == 0
    click(qtbot, panel.network, *panel.network.button_position(2, -1))
    assert trainer_of(panel).layer_sizes == (2, 5, 1, 1)
    qtbot.mouseClick(panel.layers_bar.plus, Qt.MouseButton.LeftButton)
    assert trainer_of(panel).layer_sizes == (2, 5, 1, 2, 1)
    qtbot.mouseClick(panel.layers_bar.minus, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.layers_bar.minus, Qt.MouseButton.LeftButton)
    assert trainer_of(panel).layer_sizes == (2, 5, 1)
    panel.step()  # training is possible at once
    assert trainer_of(panel).step_count == 1
    assert panel.layers_bar.count.text() == "1"
    for _ in range(5):
        panel.undo_stack.undo()
    trainer = trainer_of(panel)
    assert trainer.layer_sizes == (2, 4, 2, 1) and trainer.step_count == 30
    for name, value in trained.items():
        np.testing.assert_array_equal(trainer.params[name], value)
    assert len(panel.runner.history) == history
    panel.undo_stack.redo()
    assert trainer_of(panel).layer_sizes == (2, 5, 2, 1)


def test_layers_and_neurons_stay_within_playgrounds_limits(panel, qtbot):
    for _ in range(10):
        click(qtbot, panel.network, *panel.network.button_position(1, +1))
    assert trainer_of(panel).layer_sizes[1] == 8
    for _ in range(10):
        click(qtbot, panel.network, *panel.network.button_position(2, -1))
    assert trainer_of(panel).layer_sizes[2] == 1
    for _ in range(8):
        qtbot.mouseClick(panel.layers_bar.plus, Qt.MouseButton.LeftButton)
    assert len(trainer_of(panel).layer_sizes) == 8 and not panel.layers_bar.plus.isEnabled()
    for _ in range(8):
        qtbot.mouseClick(panel.layers_bar.minus, Qt.MouseButton.LeftButton)
    assert trainer_of(panel).layer_sizes == (2, 1) and not panel.layers_bar.minus.isEnabled()
    panel.runner.step(20)  # a single neuron (logistic regression) trains too
    assert trainer_of(panel).step_count == 20


def test_clicking_an_input_switches_its_feature_on_and_off(panel, qtbot):
    x1_squared = list(FEATURES).index("x1_squared")
    click(qtbot, panel.network, *panel.network.node_position(0, x1_squared))
    trainer = trainer_of(panel)
    assert trainer.layer_sizes[0] == 3 and panel.runner.probe.features == ("x1", "x2", "x1_squared")
    train, _test = split_rows(panel.data.rows)
    np.testing.assert_array_equal(trainer.X[:, 2], train[:, 0] ** 2)
    assert panel.network.layers[0].nodes[x1_squared].active
    assert panel.undo_stack.undoText() == "switch x₁² on"
    click(qtbot, panel.network, *panel.network.node_position(0, 0))  # x₁ off
    assert panel.runner.probe.features == ("x2", "x1_squared")
    np.testing.assert_array_equal(trainer_of(panel).X, np.column_stack([train[:, 1], train[:, 0] ** 2]))


def test_the_last_input_cannot_be_switched_off(panel, qtbot):
    click(qtbot, panel.network, *panel.network.node_position(0, 0))
    click(qtbot, panel.network, *panel.network.node_position(0, 1))
    assert panel.runner.probe.features == ("x2",)
    assert panel.message.isVisible() and "at least one input" in panel.message.text.text()


def test_features_let_even_a_single_neuron_separate_the_circle(panel, qtbot):
    """x₁² and x₂² alone make the ring linearly separable."""
    for name in ("x1_squared", "x2_squared", "x1", "x2"):
        click(qtbot, panel.network, *panel.network.node_position(0, list(FEATURES).index(name)))
    for _ in range(2):
        qtbot.mouseClick(panel.layers_bar.minus, Qt.MouseButton.LeftButton)
    assert trainer_of(panel).layer_sizes == (2, 1)
    panel.controls.learning_rate_box.setValue(0.1)
    panel.runner.step(3000)
    assert panel.runner.history.latest("test accuracy") >= 0.97


def test_activation_and_output_menus_make_new_networks(panel):
    panel.network_box.activation.setCurrentText("ReLU")
    assert trainer_of(panel).activation == "relu"
    panel.network_box.output.setCurrentText("tanh + squared error (Playground)")
    trainer = trainer_of(panel)
    assert trainer.output_activation == "tanh" and trainer.loss_name == "mse"
    train, _test = split_rows(panel.data.rows)
    np.testing.assert_array_equal(trainer.y, 2 * train[:, 2] - 1)  # classes as −1/+1 for the tanh head
    panel.runner.step(500)
    assert panel.runner.history.latest("test accuracy") > 0.5
    panel.undo_stack.undo()
    panel.undo_stack.undo()
    assert trainer_of(panel).activation == "tanh" and trainer_of(panel).output_activation == "sigmoid"
    assert panel.network_box.activation.currentText() == "tanh"


def test_every_activation_linear_draws_a_straight_boundary_and_fails_the_circle(panel):
    panel.controls.learning_rate_box.setValue(0.1)
    panel.runner.step(3000)
    assert panel.runner.history.latest("test accuracy") > 0.9
    panel.network_box.linear_button.click()
    assert trainer_of(panel).activation == "linear"
    panel.runner.step(3000)
    assert panel.runner.history.latest("test accuracy") < 0.75
    xs, ys = panel.output_map._bold_line.getData()
    assert len(xs) > 10
    slope, intercept = np.polyfit(xs, ys, 1)
    assert np.abs(ys - (slope * xs + intercept)).max() < 0.05  # the ½ line is straight


# -- the diagram and the maps -------------------------------------------------------------------------
def test_every_thumbnail_and_the_output_map_equal_the_networks_forward_pass(panel):
    panel.runner.step(50)
    trainer = trainer_of(panel)
    reference = grid_activations(trainer, ("x1", "x2"))
    extra = panel.runner.latest.extra
    for layer, thumbnails in enumerate(extra["thumbnails"], start=1):
        expected = reference[layer].T.reshape(-1, GRID, GRID)[:, ::STRIDE, ::STRIDE]
        np.testing.assert_allclose(thumbnails, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(extra["output"], reference[-1][:, 0].reshape(GRID, GRID), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(panel.output_map.values, reference[-1][:, 0].reshape(GRID, GRID), rtol=1e-5, atol=1e-6)
    # and the diagram holds them: the output node's cell of the packed image is its thumbnail, coloured
    atlas = panel.network._atlas
    assert atlas is not None and atlas[..., 3].max() == 255


def test_pointing_at_a_neuron_fills_the_big_map_with_it_and_pointing_away_restores_the_output(panel):
    panel.runner.step(20)
    hover(panel.network, *panel.network.node_position(1, 2))
    reference = grid_activations(trainer_of(panel), ("x1", "x2"))
    np.testing.assert_allclose(panel.output_map.values, reference[1][:, 2].reshape(GRID, GRID), rtol=1e-5, atol=1e-6)
    assert panel._map_note.textItem.toPlainText() == "neuron 3 of layer 1"
    panel.step()  # it stays live while training
    reference = grid_activations(trainer_of(panel), ("x1", "x2"))
    np.testing.assert_allclose(panel.output_map.values, reference[1][:, 2].reshape(GRID, GRID), rtol=1e-5, atol=1e-6)
    hover(panel.network, *panel.network.node_position(0, 1))
    np.testing.assert_allclose(
        panel.output_map.values, feature_columns(grid_points((6, 6)), ("x2",)).reshape(GRID, GRID)
    )
    hover(panel.network, *panel.network.node_position(3, 0))  # the output: the big map shows it anyway
    np.testing.assert_allclose(panel.output_map.values, reference[-1][:, 0].reshape(GRID, GRID), rtol=1e-5, atol=1e-6)
    hover(panel.network, *panel.network.node_position(0, 1))
    (x0, x1), (y0, y1) = panel.network.getPlotItem().getViewBox().viewRange()
    hover(panel.network, x0 + 0.02 * (x1 - x0), y0 + 0.02 * (y1 - y0))  # nowhere
    np.testing.assert_allclose(panel.output_map.values, reference[-1][:, 0].reshape(GRID, GRID), rtol=1e-5, atol=1e-6)
    assert panel._map_note.textItem.toPlainText() == ""


def test_every_node_says_what_it_is(panel):
    view = panel.network
    assert "Neuron 2 of hidden layer 1" in view.tooltip_at(QPointF(*view.node_position(1, 1)))
    assert "what it responds to" in view.tooltip_at(QPointF(*view.node_position(1, 1)))
    assert "Input x₁²" in view.tooltip_at(QPointF(*view.node_position(0, 2)))
    assert "P(blue)" in view.tooltip_at(QPointF(*view.node_position(3, 0)))


def test_pointing_at_a_link_shows_its_weight_live_and_a_click_types_a_new_one(panel, qtbot):
    view = panel.network
    hover(view, *view.link_position(0, 1, 2, along=0.3))
    weight = float(trainer_of(panel).params["W1"][1, 2])
    assert f"x₂ → neuron 3 of layer 1 = {weight:+.4g}" in view.value_text
    panel.runner.step(5)
    weight = float(trainer_of(panel).params["W1"][1, 2])
    assert f"= {weight:+.4g}" in view.value_text  # live while training
    click(qtbot, view, *view.link_position(0, 1, 2, along=0.3))
    assert panel.value_editor.isVisible() and panel.value_editor.label.text() == "W1[2→3] ="
    assert panel.value_editor.box.value() == pytest.approx(weight, rel=1e-3)
    panel.value_editor.box.setValue(2.5)
    assert float(trainer_of(panel).params["W1"][1, 2]) == 2.5
    assert not panel.value_editor.isVisible()  # done: the editor closes
    assert view.weight(0, 1, 2) == 2.5  # the diagram shows it at once
    panel.undo_stack.undo()
    assert float(trainer_of(panel).params["W1"][1, 2]) == weight


def test_a_bias_is_edited_the_same_way(panel, qtbot):
    view = panel.network
    click(qtbot, view, *view.bias_position(2, 1))
    assert panel.value_editor.label.text() == "b2[2] ="
    panel.value_editor.box.setValue(-0.75)
    assert float(trainer_of(panel).params["b2"][1]) == -0.75


def test_dead_relu_neurons_are_marked_on_the_diagram(panel):
    panel.network_box.activation.setCurrentText("ReLU")
    panel.runner.action("set_parameter", parameter="b1", row=0, column=3, value=-100.0)
    assert "dead" in panel.network.note(1, 3)
    assert "dead" in panel.network.tooltip_at(QPointF(*panel.network.node_position(1, 3)))
    assert panel.network.note(1, 0) == ""


def test_saturated_tanh_neurons_are_marked(panel):
    panel.runner.action("set_parameter", parameter="b1", row=0, column=0, value=50.0)
    assert "saturated" in panel.network.note(1, 0)


# -- data ------------------------------------------------------------------------------------------------
def test_left_and_right_clicks_add_training_points_of_both_classes(panel, qtbot):
    before = len(panel.data)
    click(qtbot, panel.data_plot, 5.5, 5.5)
    click(qtbot, panel.data_plot, -5.5, 5.5, Qt.MouseButton.RightButton)
    rows = panel.data.rows
    assert len(rows) == before + 2
    assert rows[-2, 2:].tolist() == [1.0, 0.0] and rows[-1, 2:].tolist() == [0.0, 0.0]
    assert abs(rows[-2, 0] - 5.5) < 0.1 and abs(rows[-1, 1] - 5.5) < 0.1
    assert trainer_of(panel).n_points == 252
    panel.data_box.click_class.setCurrentIndex(1)  # left click adds orange
    click(qtbot, panel.data_plot, 5.5, -5.5)
    assert panel.data.rows[-1, 2] == 0.0


def test_deleting_a_shown_point_deletes_that_point_with_test_data_hidden_or_shown(panel, qtbot):
    rows = panel.data.rows
    train_rows = np.flatnonzero(rows[:, 3] == 0)
    target = rows[train_rows[7]]
    click(qtbot, panel.data_plot, *target[:2], Qt.MouseButton.RightButton)
    assert len(panel.data) == len(rows) - 1
    assert not any(np.array_equal(r, target) for r in panel.data.rows)
    panel.undo_stack.undo()
    panel.data_box.show_test.setChecked(True)
    rings, _ = panel._test_rings.getData()
    assert len(rings) == 250
    test_row = rows[np.flatnonzero(rows[:, 3] == 1)[3]]
    click(qtbot, panel.data_plot, *test_row[:2], Qt.MouseButton.RightButton)
    assert not any(np.array_equal(r, test_row) for r in panel.data.rows)
    assert trainer_of(panel).n_points == 250  # a test point: the training data are the same


def test_data_set_noise_share_and_seed_draw_new_data(panel):
    panel.data_box.dataset.setCurrentText("xor")
    np.testing.assert_array_equal(panel.data.rows, make_rows("xor", 500, 0, 50, 0))
    panel.data_box.noise.setValue(30)
    panel.data_box.share.setValue(80)
    panel.data_box.points.setValue(300)
    rows = panel.data.rows
    np.testing.assert_array_equal(rows, make_rows("xor", 300, 30, 80, 0))
    assert int(rows[:, 3].sum()) == 60
    assert trainer_of(panel).n_points == 240
    panel.data_box.new_button.click()
    assert panel.data_box.seed.value() == 1
    np.testing.assert_array_equal(panel.data.rows, make_rows("xor", 300, 30, 80, 1))
    panel.undo_stack.undo()
    np.testing.assert_array_equal(panel.data.rows, rows)


def test_regression_draws_numbers_and_trains_a_linear_output(panel):
    panel.network_box.problem.setCurrentText("regression")
    trainer = trainer_of(panel)
    assert trainer.output_activation == "linear" and trainer.loss_name == "mse"
    assert panel.data_box.dataset.currentText() == "plane"
    np.testing.assert_array_equal(panel.data.rows, make_rows("plane", 500, 0, 50, 0))
    first = panel.runner.latest.loss
    panel.runner.step(1500)
    assert panel.runner.latest.loss < 0.1 * first
    assert np.isnan(panel.runner.history.latest("test accuracy"))
    assert "accuracy" not in panel.scores.text()
    panel.data_box.dataset.setCurrentText("multi-gaussian")
    assert trainer_of(panel).output_activation == "linear"
    panel.data_box.dataset.setCurrentText("spiral")  # a two-class set: back to classification
    assert (
        trainer_of(panel).output_activation == "sigmoid" and panel.network_box.problem.currentText() == "classification"
    )
    panel.undo_stack.undo()
    assert trainer_of(panel).output_activation == "linear" and panel.network_box.problem.currentText() == "regression"


def test_a_label_that_is_not_a_class_is_refused_with_a_reason(panel):
    rows = panel.data.rows
    assert not panel.replace_data(np.vstack([rows, [0.0, 0.0, 0.5, 0.0]]), "bad")
    assert "must be 0 (orange) or 1 (blue)" in panel.message.text.text()
    assert not panel.replace_data(np.vstack([rows, [0.0, 0.0, 1.0, 2.0]]), "bad")
    assert "test column" in panel.message.text.text()
    assert not panel.replace_data(rows[rows[:, 3] == 1], "only test points")
    assert "training point" in panel.message.text.text()
    np.testing.assert_array_equal(panel.data.rows, rows)


def test_csv_with_three_columns_and_plus_minus_one_labels_is_split_and_read_as_classes(panel, tmp_path):
    path = tmp_path / "mine.csv"
    X, y = circle(40, 0.0, 5)
    path.write_text("a,b,class\n" + "\n".join(f"{a},{b},{2 * c - 1:g}" for (a, b), c in zip(X, y, strict=True)))
    panel.import_csv(path)
    rows = panel.data.rows
    np.testing.assert_array_equal(rows[:, :3], np.column_stack([X, y]))
    assert int(rows[:, 3].sum()) == 20  # the training share (50 %) decides the split
    assert panel.header == ["a", "b", "class", "test"]
    back = tmp_path / "back.csv"
    panel.export_csv(back)
    assert back.read_text().splitlines()[0] == "a,b,class,test"
    panel.data.replace(rows[:5])
    panel.import_csv(back)  # four columns: the split is kept exactly
    np.testing.assert_array_equal(panel.data.rows, rows)
    path.write_text("1,2,0.3\n")
    with pytest.raises(ValueError, match="must be 0 .orange. or 1"):
        panel.import_csv(path)
    path.write_text("1,2,1,0,9\n")
    with pytest.raises(ValueError, match="expected 4 numbers"):
        panel.import_csv(path)
    np.testing.assert_array_equal(panel.data.rows, rows)


# -- scores -------------------------------------------------------------------------------------------
def test_accuracy_test_loss_and_confusion_agree_with_scikit_learn(panel):
    panel.runner.step(400)
    trainer = trainer_of(panel)
    train, test = split_rows(panel.data.rows)
    probability = trainer.predict_proba(test[:, :2])
    guesses = trainer.predict(test[:, :2])
    history = panel.runner.history
    assert history.latest("test accuracy") == pytest.approx(accuracy_score(test[:, 2], guesses))
    assert history.latest("training accuracy") == pytest.approx(accuracy_score(train[:, 2], trainer.predict(trainer.X)))
    assert history.latest("test loss") == pytest.approx(log_loss(test[:, 2], probability), rel=1e-6)
    np.testing.assert_array_equal(panel.runner.latest.extra["confusion_test"], confusion_matrix(test[:, 2], guesses))
    text = panel.scores.text()
    assert f"{100 * history.latest('test accuracy'):.1f} %" in text


def test_the_test_loss_includes_the_same_penalty_as_the_training_loss(panel):
    panel.network_box.l2.setValue(0.01)
    assert trainer_of(panel).l2 == 0.01
    panel.runner.step(10)
    trainer = trainer_of(panel)
    probe = NeuralNetProbe()
    X, y, X_test, y_test = probe.split(panel.data.rows)
    weights = sum(float(np.sum(v**2)) for k, v in trainer.params.items() if k.startswith("W"))
    expected = log_loss(y_test, trainer.predict_proba(X_test)) + 0.01 * weights
    assert panel.runner.history.latest("test loss") == pytest.approx(expected, rel=1e-6)
    assert probe.objective(trainer, X, y) == pytest.approx(trainer.loss(), rel=1e-9)


def test_it_stops_at_the_target_test_loss(panel, qtbot):
    panel.controls.learning_rate_box.setValue(0.3)
    panel.goal_box.target.setValue(0.3)
    panel.goal_box.stop.setChecked(True)
    qtbot.mouseClick(panel.controls.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.runner.playing, timeout=30_000)
    assert panel.runner.history.latest("test loss") <= 0.3
    assert "reached the target" in panel.message.text.text()


def test_discretized_output_shows_only_the_guess(panel):
    panel.runner.step(100)
    panel.data_box.discretize.setChecked(True)
    values = np.unique(panel.output_map.values)
    assert set(values.tolist()) <= {0.0, 1.0}


def test_step_shows_backpropagation_layer_by_layer_with_the_trainers_numbers(panel, qtbot):
    qtbot.mouseClick(panel.controls.step_button, Qt.MouseButton.LeftButton)
    report = panel.runner.report
    text = panel.inspector.toPlainText()
    assert "10 of 250 training points (a mini-batch)" in text
    norm = float(np.sqrt(np.sum(report.gradients["W1"] ** 2)))
    assert f"{norm:.3g}" in text and text.index("output") < text.index("hidden layer 1")
    assert f"{report.loss:.6g}" in text


def test_divergence_stops_explains_and_goes_on_from_the_last_learning_weights(panel):
    panel.network_box.activation.setCurrentText("ReLU")
    panel.network_box.problem.setCurrentText("regression")
    panel.runner.step(20)  # learning at first
    panel.controls.learning_rate_box.setValue(10.0)
    for _ in range(50):
        panel.runner.step(10)  # the weights are recorded after each Step
        if panel.message.isVisible():
            break
    assert panel.message.isVisible()
    text = panel.message.text.text()
    assert "overflow" in text and "too large for this network" in text
    assert all(np.isfinite(v).all() for v in trainer_of(panel).params.values())
    back = panel.runner.probe.healthy[0] if panel.runner.probe.healthy else None
    assert back and f"Back to step {back}" == panel.message.button.text()
    panel.controls.learning_rate_box.setValue(0.003)
    panel.message.button.click()
    trainer = trainer_of(panel)
    assert trainer.step_count == back and np.isfinite(trainer.loss())
    assert panel.runner.history.steps[-1] == back  # the curve goes back in time too
    panel.runner.step(300)
    assert trainer_of(panel).step_count == back + 300 and not panel.message.isVisible()
    assert panel.runner.latest.loss < 1.0


def test_a_divergence_from_the_start_offers_reset_not_a_way_back_to_step_0(panel):
    panel.network_box.activation.setCurrentText("ReLU")
    panel.network_box.problem.setCurrentText("regression")
    panel.controls.learning_rate_box.setValue(10.0)
    for _ in range(50):
        panel.runner.step(10)
        if panel.message.isVisible():
            break
    assert panel.message.isVisible() and panel.runner.probe.healthy[0] == 0  # it never learned at this rate
    assert "still learning" not in panel.message.text.text() and panel.message.button.text() == "Reset"


# -- sessions ------------------------------------------------------------------------------------------
def test_a_session_restores_architecture_features_data_weights_and_histories_exactly(panel, qtbot):
    click(qtbot, panel.network, *panel.network.node_position(0, list(FEATURES).index("sin_x1")))
    qtbot.mouseClick(panel.layers_bar.plus, Qt.MouseButton.LeftButton)
    panel.network_box.activation.setCurrentText("sigmoid")
    panel.data_box.dataset.setCurrentText("spiral")
    panel.data_box.show_test.setChecked(True)
    panel.data.add((1.0, 2.0, 1.0, 0.0))
    panel.runner.step(25)
    state = json.loads(json.dumps(panel.session_state()))
    rows, params = panel.data.rows, trainer_of(panel).params
    losses = panel.runner.history.values("test loss").copy()
    panel.runner.step(5)
    expected = trainer_of(panel).params
    for _ in range(3):
        panel.undo_stack.undo()
    panel.load_session_state(state)
    trainer = trainer_of(panel)
    assert trainer.layer_sizes == (3, 4, 2, 2, 1) and trainer.activation == "sigmoid"
    assert panel.runner.probe.features == ("x1", "x2", "sin_x1")
    assert panel.architecture == Architecture(("x1", "x2", "sin_x1"), (4, 2, 2), "sigmoid", "sigmoid")
    np.testing.assert_array_equal(panel.data.rows, rows)
    for name, value in params.items():
        np.testing.assert_array_equal(trainer.params[name], value)
    np.testing.assert_array_equal(panel.runner.history.values("test loss"), losses)
    assert panel.network_box.activation.currentText() == "sigmoid" and panel.layers_bar.count.text() == "3"
    assert panel.data_box.show_test.isChecked() and panel.network.layers[0].nodes[5].active
    panel.runner.step(5)
    for name, value in expected.items():
        np.testing.assert_array_equal(trainer_of(panel).params[name], value)


def test_a_session_whose_parts_disagree_is_refused_and_changes_nothing(panel):
    panel.runner.step(3)
    state = json.loads(json.dumps(panel.session_state()))
    rows = panel.data.rows
    test_row = int(np.flatnonzero(rows[:, 3] == 1)[-1])
    moved = [list(r) for r in state["data"]]
    moved[test_row][0] += 0.5
    for damage, reason in (
        ({"settings": {**state["settings"], "features": ["x1", "x2", "x1_squared"]}}, "2 inputs but 3"),
        ({"settings": {**state["settings"], "features": ["nose"]}}, "no input feature"),
        ({"settings": {**state["settings"], "output": "tanh + squared error (Playground)"}}, "output"),
        ({"settings": {**state["settings"], "activation": "ReLU"}}, "activation"),
        ({"data": moved}, "check sum"),
    ):
        with pytest.raises(ValueError, match=reason):
            panel.load_session_state({**state, **damage})
        np.testing.assert_array_equal(panel.data.rows, rows)


def test_the_probe_refuses_what_the_network_cannot_use():
    with pytest.raises(ValueError, match="no input feature"):
        NeuralNetProbe(("x3",))
    with pytest.raises(ValueError, match="at least one input"):
        NeuralNetProbe(())
    assert NeuralNetProbe(("sin_x2", "x1")).features == ("x1", "sin_x2")


# -- the real process ---------------------------------------------------------------------------------
def test_xor_trains_to_95_percent_test_accuracy_through_the_real_process(qtbot):
    panel = NeuralNetPanel(threaded=True)
    qtbot.addWidget(panel)
    panel.show()
    panel.data_box.dataset.setCurrentText("xor")
    panel.controls.learning_rate_box.setValue(0.1)
    qtbot.mouseClick(panel.controls.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: panel.runner.latest.playing and panel.runner.history.latest("test accuracy") >= 0.95, timeout=60_000
    )
    hover(panel.network, *panel.network.node_position(1, 0))  # a query to the process while it trains
    assert panel.output_map.values.shape == (GRID, GRID)
    qtbot.mouseClick(panel.controls.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.runner.playing, timeout=3000)
    trainer = trainer_of(panel)
    _train, test = split_rows(panel.data.rows)
    assert accuracy_score(test[:, 2], trainer.predict(test[:, :2])) >= 0.95
    assert panel.shutdown()


def test_every_term_the_explanation_links_is_in_the_glossary(panel):

    from primer_gui.glossary import glossary

    terms = linked_terms(panel.explanation_html)
    assert len(terms) >= 10
    assert [term for term in terms if term not in glossary()] == []


def test_every_control_of_the_tab_says_what_it_does(panel):
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox

    boxes = [panel.value_editor, panel.layers_bar, *panel.findChildren(QGroupBox)]
    silent = [
        widget.text() if hasattr(widget, "text") else type(widget).__name__
        for box in boxes
        for kind in (QAbstractButton, QComboBox, QAbstractSpinBox)
        for widget in box.findChildren(kind)
        if not widget.toolTip()
    ]
    assert silent == []


def test_with_every_point_deleted_nothing_stale_is_drawn_and_undo_brings_it_back(panel):
    panel.runner.step(5)
    panel.data.replace(np.empty((0, 4)), "delete all")
    assert panel.output_map.values is None and panel.network._atlas is None
    assert not panel.controls.step_button.isEnabled()
    assert "No points to learn from" in panel.inspector.toPlainText()
    panel.layers_bar.plus.click()  # the architecture still changes, and the diagram shows it, with no data
    assert [len(layer.nodes) for layer in panel.network.layers] == [7, 4, 2, 2, 1]
    assert panel.network.weight(2, 1, 0) == float(trainer_of(panel).params["W3"][1, 0])
    panel.undo_stack.undo()
    panel.undo_stack.undo()
    panel.step()
    assert panel.output_map.values is not None and panel.network._atlas is not None
    assert trainer_of(panel).step_count == 6


def test_the_architecture_changes_while_it_trains_in_its_process_and_training_goes_on(qtbot, shown):
    panel = shown(NeuralNetPanel(threaded=True), (1300, 800))
    qtbot.mouseClick(panel.controls.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.runner.latest.playing and panel.runner.latest.step > 100, timeout=20_000)
    click(qtbot, panel.network, *panel.network.button_position(1, +1))
    qtbot.waitUntil(
        lambda: panel.runner.latest.hyperparameters["layer_sizes"] == (2, 5, 2, 1) and panel.runner.latest.step > 20,
        timeout=20_000,
    )
    assert panel.runner.playing and panel.network.layers[1].title == "5"
    left_at = panel.undo_stack.command(0).saved  # the old network, kept for undo
    assert Architecture() in left_at
    panel.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.runner.latest.hyperparameters["layer_sizes"] == (2, 4, 2, 1), timeout=20_000)
    assert panel.runner.latest.step >= 100  # the old network came back trained, and trains on
    qtbot.mouseClick(panel.controls.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.runner.playing, timeout=5000)
    assert panel.shutdown()


architecture_actions = st.lists(
    st.one_of(
        st.tuples(st.just("layers"), st.sampled_from([-1, 1])),
        st.tuples(st.just("neurons"), st.integers(1, 6), st.sampled_from([-1, 1])),
        st.tuples(st.just("feature"), st.integers(0, 6)),
        st.tuples(st.just("activation"), st.sampled_from(["ReLU", "tanh", "sigmoid", "linear"])),
        st.tuples(st.just("output"), st.integers(0, 1)),
        st.tuples(st.just("dataset"), st.sampled_from(["circle", "xor", "spiral", "plane", "multi-gaussian"])),
        st.tuples(st.just("undo")),
        st.tuples(st.just("redo")),
        st.tuples(st.just("step"), st.integers(1, 30)),
        st.tuples(st.just("add"), st.floats(-5, 5), st.floats(-5, 5), st.integers(0, 1)),
        st.tuples(st.just("delete"), st.integers(0, 999)),
    ),
    max_size=15,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=architecture_actions)
def test_random_architecture_and_data_changes_keep_network_probe_diagram_and_data_in_step(qapp, actions):
    panel = NeuralNetPanel(threaded=False)
    try:
        for kind, *args in actions:
            if kind == "layers":
                panel._change_layer_count(args[0])
            elif kind == "neurons":
                panel._on_network_resize_clicked(args[0], args[1])
            elif kind == "feature":
                panel._on_network_node_clicked(0, args[0])
            elif kind == "activation":
                panel.network_box.activation.setCurrentText(args[0])
            elif kind == "output" and panel.network_box.output.isEnabled():
                panel.network_box.output.setCurrentIndex(args[0])
            elif kind == "dataset":
                panel.data_box.dataset.setCurrentText(args[0])
            elif kind in ("undo", "redo"):
                getattr(panel.undo_stack, kind)()
            elif kind == "step":
                panel.runner.step(args[0])
            elif kind == "add":
                panel.data_plot.point_added.emit(*args)
            elif kind == "delete" and len(panel.data):
                panel.data_plot.point_deleted.emit(args[0] % len(panel.data))
        trainer, probe, arch = trainer_of(panel), panel.runner.probe, panel.architecture
        assert trainer.layer_sizes == (len(arch.features), *arch.hidden, 1)
        assert probe.features == arch.features and probe.head == trainer.output_activation == arch.head
        assert trainer.activation == arch.activation
        assert panel.network_box.activation.currentText() == ACTIVATION_WORDS[arch.activation]
        assert [len(layer.nodes) for layer in panel.network.layers] == [7, *arch.hidden, 1]
        if len(panel.data):
            X, y = probe.data(panel.data.rows)
            np.testing.assert_array_equal(trainer.X, X)
            np.testing.assert_array_equal(trainer.y, y)
        assert panel.runner.latest.step == trainer.step_count
    finally:
        panel.shutdown()
        panel.deleteLater()
