"""The Overfitting tab, driven as a person drives it (in-process runner unless stated)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from explanations import linked_terms, silent_controls
from mouse import drag
from PySide6.QtCore import Qt
from sklearn import linear_model

from primer_gui.core import LinearRegression
from primer_gui.core.features import PolynomialFeatures, Standardizer
from primer_gui.core.landscape import LinearStatistics
from primer_gui.core.slices import weight_slice
from primer_gui.core.solvers import penalized_minimum
from primer_gui.glossary import glossary
from primer_gui.panels.overfitting import OverfittingPanel
from primer_gui.panels.overfitting_probe import SWEEP_STRENGTHS


@pytest.fixture
def panel(shown_panel):
    return shown_panel(OverfittingPanel, (1280, 770))


def trainer_of(panel) -> LinearRegression:
    return panel.runner.trainer


def features(x_train, x, degree):
    """Polynomial features as the tab describes them, built here from the core's transforms."""
    inner = Standardizer().fit(x_train.reshape(-1, 1))
    powers = PolynomialFeatures(degree)
    outer = Standardizer().fit(powers.transform(inner.transform(x_train.reshape(-1, 1))))
    return outer.transform(powers.transform(inner.transform(np.reshape(x, (-1, 1)))))


def split(rows):
    train, validation = rows[rows[:, 2] == 0], rows[rows[:, 2] == 1]
    return train[:, 0], train[:, 1], validation[:, 0], validation[:, 1]


def train_to_the_end(panel, steps):
    """Learning rate at 90 % of the stable limit the tab shows, then Step as many times as asked."""
    panel.controls.learning_rate_box.setValue(0.9 * panel.controls.stable_limit)
    panel.runner.step(steps)


def test_the_trainer_learns_from_the_training_points_alone_on_standardized_powers(panel):
    rows = panel.data.rows
    x_train, y_train, x_validation, y_validation = split(rows)
    assert len(x_validation) == 8 and len(x_train) == 12
    np.testing.assert_allclose(trainer_of(panel).X, features(x_train, x_train, 9))
    np.testing.assert_array_equal(trainer_of(panel).y, y_train)
    panel.runner.step(50)
    weights, bias = trainer_of(panel).params["weights"], float(trainer_of(panel).params["bias"])
    validation = np.mean((y_validation - features(x_train, x_validation, 9) @ weights - bias) ** 2)
    training = np.mean((y_train - trainer_of(panel).X @ weights - bias) ** 2)
    history = panel.runner.history
    assert history.latest("validation") == pytest.approx(validation, rel=1e-12)
    assert history.latest("training") == pytest.approx(training, rel=1e-12)
    xs, ys = panel._fit.getData()
    np.testing.assert_allclose(ys, features(x_train, xs, 9) @ weights + bias, rtol=1e-9)


def test_clicks_add_training_points_and_right_clicks_validation_points(panel, click_data):
    n = len(panel.data)
    click_data(panel.data_plot, 0.5, -1.4)
    assert panel.data.rows[-1, 2] == 0 and trainer_of(panel).n_points == 13
    click_data(panel.data_plot, 0.45, -1.45, button=Qt.MouseButton.RightButton)
    assert panel.data.rows[-1, 2] == 1 and trainer_of(panel).n_points == 13
    panel.click_set.setCurrentText("validation")
    click_data(panel.data_plot, 0.55, 1.45)
    assert panel.data.rows[-1, 2] == 1 and len(panel.data) == n + 3
    labels = panel.data_plot.labels
    np.testing.assert_array_equal(labels, panel.data.rows[:, 2].astype(int))  # drawn in their set's colour


def test_dragging_a_point_keeps_its_set(panel):
    rows = panel.data.rows
    index = int(np.flatnonzero(rows[:, 2] == 1)[0])
    drag(panel.data_plot, tuple(rows[index, :2]), (rows[index, 0], rows[index, 1] + 0.4))
    assert panel.data.rows[index, 2] == 1 and panel.data.rows[index, 1] == pytest.approx(rows[index, 1] + 0.4, abs=0.05)


def test_the_last_training_point_cannot_be_deleted(panel, click_data):
    rows = panel.data.rows
    keep = rows[(rows[:, 2] == 1) | (np.arange(len(rows)) == int(np.flatnonzero(rows[:, 2] == 0)[0]))]
    panel.replace_data(keep, "keep one")
    last = int(np.flatnonzero(panel.data.rows[:, 2] == 0)[0])
    click_data(panel.data_plot, *panel.data.rows[last, :2], button=Qt.MouseButton.RightButton)
    assert len(panel.data) == len(keep) and "at least one training point" in panel.message.text.text()


def test_the_degree_sets_the_number_of_weights(panel):
    panel.runner.step(5)
    panel.degree_box.setValue(3)
    assert trainer_of(panel).X.shape[1] == 3 and trainer_of(panel).step_count == 0
    panel.runner.step(2)
    assert panel.weight_bars._names == ("x", "x²", "x³")
    panel.degree_box.setValue(15)
    assert trainer_of(panel).X.shape[1] == 15
    reference = LinearRegression()
    reference.set_data(trainer_of(panel).X, trainer_of(panel).y)
    assert panel.controls.stable_limit == pytest.approx(reference.stable_learning_rate())


@pytest.mark.parametrize("l2", [0.01, 0.1, 1.0])
def test_ridge_through_the_tab_matches_scikit_learn(panel, l2):
    panel.l2_control.box.setValue(l2)  # typed, as a person would
    assert trainer_of(panel).l2 == l2
    train_to_the_end(panel, 12_000)
    trainer = trainer_of(panel)
    # scikit-learn's Ridge minimises ‖r‖² + α‖w‖²; ours is that ÷ n with l2 = α / n
    reference = linear_model.Ridge(alpha=trainer.n_points * l2).fit(trainer.X, trainer.y)
    np.testing.assert_allclose(trainer.params["weights"], reference.coef_, atol=1e-8)
    assert float(trainer.params["bias"]) == pytest.approx(reference.intercept_, abs=1e-8)


@pytest.mark.parametrize("l1", [0.03, 0.1, 0.5])
def test_lasso_through_the_tab_matches_scikit_learn_exact_zeros_and_all(panel, l1):
    panel.l1_control.box.setValue(l1)
    assert trainer_of(panel).l1 == l1
    train_to_the_end(panel, 20_000)
    trainer = trainer_of(panel)
    # scikit-learn's Lasso minimises ‖r‖²/(2n) + α‖w‖₁; ours is twice that with l1 = 2α
    reference = linear_model.Lasso(alpha=l1 / 2, tol=1e-14, max_iter=1_000_000).fit(trainer.X, trainer.y)
    weights = trainer.params["weights"]
    np.testing.assert_allclose(weights, reference.coef_, atol=1e-8)
    assert float(trainer.params["bias"]) == pytest.approx(reference.intercept_, abs=1e-8)
    assert np.array_equal(weights == 0.0, reference.coef_ == 0.0)
    ringed, _ = panel.weight_bars._zeros.getData()
    np.testing.assert_array_equal(ringed, np.flatnonzero(weights == 0.0))


def test_a_large_l1_strength_leaves_exact_zeros_and_l2_none(panel):
    panel.l1_control.slider.setValue(panel.l1_control.position_of(1.0))  # dragged, as a person would
    assert trainer_of(panel).l1 == 1.0
    panel.runner.step(500)
    weights = trainer_of(panel).params["weights"]
    assert np.count_nonzero(weights == 0.0) >= 6
    assert len(panel.weight_bars._zeros.getData()[0]) == np.count_nonzero(weights == 0.0)
    panel.l1_control.slider.setValue(0)
    panel.l2_control.box.setValue(1.0)
    panel.reset()
    panel.runner.step(500)
    assert np.count_nonzero(trainer_of(panel).params["weights"] == 0.0) == 0  # L2 shrinks, never zeroes


def test_overfitting_shows_as_the_validation_error_turning_up(panel):
    panel.degree_box.setValue(15)
    train_to_the_end(panel, 30_000)
    validation = panel.runner.history.values("validation")
    training = panel.runner.history.values("training")
    assert validation[-1] > 1.2 * validation.min()  # it went down, then back up
    assert training[-1] == pytest.approx(training.min(), rel=1e-6)  # while the training error only fell


def test_the_l2_sweep_is_the_exact_end_of_training_for_each_strength(panel, qtbot):
    panel.sweep_over.setCurrentText("L2 strength")
    qtbot.mouseClick(panel.sweep_button, Qt.MouseButton.LeftButton)
    sweep = panel._sweep
    assert sweep["values"] == list(SWEEP_STRENGTHS)
    x_train, y_train, x_validation, y_validation = split(panel.data.rows)
    for index in (0, 10, 24):
        reference = LinearRegression(l2=SWEEP_STRENGTHS[index])
        reference.set_data(features(x_train, x_train, 9), y_train)
        best = reference.closed_form()
        predicted = features(x_train, x_validation, 9) @ best["weights"] + best["bias"]
        assert sweep["validation"][index] == pytest.approx(np.mean((y_validation - predicted) ** 2), rel=1e-9)
    best = int(np.argmin(sweep["validation"]))
    assert sweep["best"] == best
    star_x, star_y = panel._sweep_best.getOriginalDataset()
    assert star_x[0] == SWEEP_STRENGTHS[best] and star_y[0] == sweep["validation"][best]
    qtbot.mouseClick(panel.best_button, Qt.MouseButton.LeftButton)
    assert trainer_of(panel).l2 == SWEEP_STRENGTHS[best] and panel.l2_control.value() == SWEEP_STRENGTHS[best]


def test_the_l1_and_degree_sweeps(panel, qtbot):
    panel.sweep_over.setCurrentText("L1 strength")
    qtbot.mouseClick(panel.sweep_button, Qt.MouseButton.LeftButton)
    sweep = panel._sweep
    trainer = trainer_of(panel)
    x_train, y_train, x_validation, y_validation = split(panel.data.rows)
    end = penalized_minimum(trainer.X, trainer.y, l1=SWEEP_STRENGTHS[12])
    predicted = features(x_train, x_validation, 9) @ end["weights"] + end["bias"]
    assert sweep["validation"][12] == pytest.approx(np.mean((y_validation - predicted) ** 2), rel=1e-9)
    panel.sweep_over.setCurrentText("degree")
    qtbot.mouseClick(panel.sweep_button, Qt.MouseButton.LeftButton)
    sweep = panel._sweep
    assert sweep["values"] == list(range(1, 16))
    assert sweep["training"][-1] < 1e-6 < sweep["training"][0]  # 15 weights through 12 points: no error left
    assert sweep["validation"][-1] > 10 * min(sweep["validation"])  # and far off between them
    qtbot.mouseClick(panel.best_button, Qt.MouseButton.LeftButton)
    assert panel.degree_box.value() == sweep["best"] + 1 and trainer_of(panel).X.shape[1] == sweep["best"] + 1


def test_a_sweep_says_when_the_data_changed_since(panel, qtbot, click_data):
    qtbot.mouseClick(panel.sweep_button, Qt.MouseButton.LeftButton)
    assert "changed" not in panel.sweep_label.text()
    click_data(panel.data_plot, 0.5, 1.4)
    assert "The data changed since" in panel.sweep_label.text()


def test_a_sweep_over_a_strength_is_out_of_date_once_the_degree_it_held_changes(panel, qtbot):
    panel.sweep_over.setCurrentText("L2 strength")
    qtbot.mouseClick(panel.sweep_button, Qt.MouseButton.LeftButton)
    assert panel.best_button.isEnabled() and "changed" not in panel.sweep_label.text()
    degree = panel.degree_box.value()
    panel.degree_box.setValue(degree + 2)
    assert "The degree changed since" in panel.sweep_label.text()
    assert not panel.best_button.isEnabled()  # its best L2 strength was for another model
    panel.degree_box.setValue(degree)
    assert "changed" not in panel.sweep_label.text() and panel.best_button.isEnabled()
    qtbot.mouseClick(panel.best_button, Qt.MouseButton.LeftButton)  # the strength it swept over may change
    assert "changed" not in panel.sweep_label.text()


def test_the_slice_shows_where_the_diamond_and_the_circle_touch_the_loss(panel):
    panel.l1_control.box.setValue(0.3)
    panel.l2_control.box.setValue(0.2)
    panel.runner.step(20)
    trainer = trainer_of(panel)
    weights, bias = trainer.params["weights"], float(trainer.params["bias"])
    piece = weight_slice(LinearStatistics.from_data(trainer.X, trainer.y), weights, bias, 0, 1)
    lasso, ridge = piece.minimum(l1=0.3), piece.minimum(l2=0.2)
    diamond_x, diamond_y = panel.geometry._diamond.getData()
    assert max(diamond_x) == pytest.approx(np.abs(lasso).sum())  # the diamond through the L1 minimum
    circle_x, circle_y = panel.geometry._circle.getData()
    assert np.hypot(circle_x, circle_y) == pytest.approx(np.hypot(*ridge))
    np.testing.assert_allclose(np.concatenate(panel.geometry._lasso.getData()), lasso)
    np.testing.assert_allclose(np.concatenate(panel.geometry._current.getData()), weights[:2])
    panel.slice_a.setCurrentText("x³")
    panel.slice_b.setCurrentText("x⁵")
    panel.runner.step(1)
    assert panel.geometry.getPlotItem().getAxis("bottom").labelText == "weight of x³"


def test_a_strong_l1_puts_the_slices_minimum_on_an_axis(panel):
    panel.l1_control.box.setValue(3.0)
    panel.runner.step(1)
    lasso = panel._snapshot.extra["slice"]["lasso"]
    assert np.count_nonzero(lasso == 0.0) >= 1


def test_the_split_is_redrawn_undoably_with_the_ends_in_training(panel, qtbot):
    rows = panel.data.rows
    panel.validation_share.setValue(30)
    qtbot.mouseClick(panel.redraw_button, Qt.MouseButton.LeftButton)
    new = panel.data.rows
    np.testing.assert_array_equal(new[:, :2], rows[:, :2])
    assert new[:, 2].sum() == 6 and not np.array_equal(new[:, 2], rows[:, 2])
    assert new[np.argmin(new[:, 0]), 2] == 0 and new[np.argmax(new[:, 0]), 2] == 0
    assert trainer_of(panel).n_points == 14
    panel.undo_stack.undo()
    np.testing.assert_array_equal(panel.data.rows, rows)


def test_new_data_and_bad_files(panel, tmp_path):
    panel.data_box.points_box.setValue(30)
    panel.data_box.new_button.click()
    assert len(panel.data) == 30 and panel.data.rows[:, 2].sum() == 12
    rows = panel.data.rows
    path = tmp_path / "points.csv"
    for content, reason in [
        ("x,y,split\n0.1,0.2,0.5\n0.2,0.3,0\n", "0 for training, 1 for validation. Point 1 has 0.5"),
        ("x,y,split\n0.1,0.2,1\n0.2,0.3,1\n", "at least one training point"),
        ("x,y,split\n0.1,nan,0\n", "NaN"),
    ]:
        path.write_text(content)
        with pytest.raises(ValueError, match=reason):
            panel.import_csv(path)
        np.testing.assert_array_equal(panel.data.rows, rows)
    path.write_text("t,temperature,set\n0,1,0\n1,3,1\n2,2,0\n3,5,0\n")
    panel.import_csv(path)
    assert panel.data_plot.getPlotItem().getAxis("bottom").labelText == "t"
    assert not panel.truth_check.isChecked() and trainer_of(panel).n_points == 3


def test_session_round_trip_keeps_degree_slice_and_split(panel):
    panel.degree_box.setValue(6)
    panel.slice_b.setCurrentText("x⁴")
    panel.l1_control.box.setValue(0.05)
    panel.runner.step(10)
    state = json.loads(json.dumps(panel.session_state()))
    panel.degree_box.setValue(2)
    panel.l1_control.box.setValue(0.0)
    panel.load_session_state(state)
    assert panel.degree_box.value() == 6 and trainer_of(panel).X.shape[1] == 6
    assert trainer_of(panel).l1 == 0.05 and panel.l1_control.value() == 0.05
    assert panel.runner.probe.slice_weights == (0, 3) and trainer_of(panel).step_count == 10


def test_a_session_whose_validation_points_were_changed_is_refused(panel):
    state = json.loads(json.dumps(panel.session_state()))
    rows = panel.data.rows
    validation = int(np.flatnonzero(rows[:, 2] == 1)[-1])
    damaged = {**state, "data": [row for i, row in enumerate(state["data"]) if i != validation]}
    with pytest.raises(ValueError, match="Overfitting part is damaged: its validation points differ"):
        panel.load_session_state(damaged)
    np.testing.assert_array_equal(panel.data.rows, rows)


def test_threaded_panel_plays_and_takes_a_new_degree_while_playing(qtbot, shown, click_data):
    panel = shown(OverfittingPanel(threaded=True), (1280, 770))
    try:
        qtbot.waitUntil(lambda: panel._sweep is not None, timeout=10_000)  # the first sweep, from the process
        qtbot.mouseClick(panel.controls.play_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.runner.latest.playing and panel.runner.latest.step > 100, timeout=10_000)
        click_data(panel.data_plot, 0.5, 1.4)
        panel.l2_control.box.setValue(0.01)
        panel.degree_box.setValue(4)  # a reset
        qtbot.waitUntil(lambda: not panel.runner.playing and panel.runner.latest.step == 0, timeout=5000)
        qtbot.mouseClick(panel.controls.play_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.runner.latest.playing and panel.runner.latest.step > 100, timeout=10_000)
        qtbot.mouseClick(panel.controls.play_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not panel.runner.playing, timeout=3000)
        trainer = panel.runner.trainer
        assert trainer.X.shape == (13, 4) and trainer.l2 == 0.01
        qtbot.waitUntil(lambda: panel.runner.latest.step == trainer.step_count, timeout=3000)
        assert panel.weight_bars._names == ("x", "x²", "x³", "x⁴")
    finally:
        assert panel.shutdown()


def test_every_term_the_explanation_links_is_in_the_glossary(panel):
    terms = linked_terms(panel.explanation_html)
    assert len(terms) >= 8 and set(terms) <= set(glossary())
    assert panel.hint
    assert silent_controls(panel) == []
