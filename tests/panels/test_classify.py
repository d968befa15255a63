"""The Classify tab, driven as a person drives it (in-process runner unless stated)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from explanations import linked_terms
from mouse import drag, hover
from PySide6.QtCore import Qt
from sklearn.linear_model import LogisticRegression as SklearnLogisticRegression

from primer_gui.core.activations import sigmoid
from primer_gui.core.landscape import logistic_loss_grid, logistic_mse_grid
from primer_gui.panels.classify import MODES, ClassifyPanel
from primer_gui.panels.classify_probe import THRESHOLDS, above_counts, logistic_optimum

TWO = "two features (a plane)"
ONE = "one feature (a number line)"


@pytest.fixture
def panel(shown_panel):
    return shown_panel(ClassifyPanel)


def trainer_of(panel):
    return panel.runner.trainer


def sklearn_fit(X, y, l2=0.0):
    """scikit-learn's answer for our objective: mean CE + l2·Σw² is Σ CE / n + …, so C = 1 / (2·n·l2)."""
    C = np.inf if l2 == 0 else 1.0 / (2.0 * len(y) * l2)
    model = SklearnLogisticRegression(C=C, tol=1e-12, max_iter=100_000).fit(X, y)
    return float(model.intercept_[0]), model.coef_[0]


# -- the points ---------------------------------------------------------------------------------------
def test_left_click_adds_a_class_1_number_and_right_click_a_class_0_one(panel, click_data):
    plot = panel.line_plot
    (x0, x1), _ = plot.view_box.viewRange()
    before = len(panel.data)
    click_data(plot, x0 + 0.02 * (x1 - x0), 0.5)
    click_data(plot, x0 + 0.98 * (x1 - x0), 0.5, Qt.MouseButton.RightButton)
    rows = panel.data.rows
    assert len(rows) == before + 2
    np.testing.assert_array_equal(rows[-2, 1:], [0.0, 1.0])  # on the line: no second feature, class 1
    np.testing.assert_array_equal(rows[-1, 1:], [0.0, 0.0])
    assert rows[-2, 0] < rows[-1, 0]
    assert trainer_of(panel).n_points == before + 2
    xs, ys = plot.points[-2:].T
    np.testing.assert_array_equal(ys, [1.0, 0.0])  # drawn at the height of their class


def test_right_click_on_a_point_deletes_it_and_undo_restores_it(panel, click_data):
    rows = panel.data.rows
    x, _, label = rows[4]
    click_data(panel.line_plot, x, label, Qt.MouseButton.RightButton)
    assert len(panel.data) == len(rows) - 1
    panel.undo_stack.undo()
    np.testing.assert_array_equal(panel.data.rows, rows)


def test_dragging_a_number_to_the_other_row_changes_its_class_in_one_undo_step(panel):
    rows = panel.data.rows
    index = int(np.flatnonzero(rows[:, 2] == 0)[0])
    x = rows[index, 0]
    drag(panel.line_plot, (x, 0.0), (x + 0.5, 1.0))
    moved = panel.data.rows[index]
    assert moved[2] == 1.0 and abs(moved[0] - (x + 0.5)) < 0.1
    assert trainer_of(panel).y[index] == 1.0
    assert panel.undo_stack.count() == 1
    panel.undo_stack.undo()
    np.testing.assert_array_equal(panel.data.rows, rows)


def test_a_file_for_the_other_mode_is_refused_with_a_reason_that_says_so(panel, tmp_path):
    rows = panel.data.rows
    path = tmp_path / "plane.csv"
    path.write_text("a,b,label\n1,2,0\n3,4,1\n")
    with pytest.raises(ValueError, match="has 3 columns, but this mode takes 2.*two features"):
        panel.import_csv(path)
    np.testing.assert_array_equal(panel.data.rows, rows)
    path.write_text("a,label\n1,0\nnot a number,1\n")  # the file's own problem is said as it is
    with pytest.raises(ValueError, match="'not a number' is not a number"):
        panel.import_csv(path)


def test_a_label_that_is_not_0_or_1_is_refused_with_a_reason(panel, tmp_path):
    rows = panel.data.rows
    path = tmp_path / "numbers.csv"
    path.write_text("x,label\n1.0,1\n2.0,2\n")
    with pytest.raises(ValueError, match="Class labels must be 0 or 1; got 2"):
        panel.import_csv(path)
    np.testing.assert_array_equal(panel.data.rows, rows)


# -- the fit, against scikit-learn -------------------------------------------------------------------------
def test_the_one_feature_fit_converges_to_scikit_learns_unregularized_answer(panel):
    rows = panel.data.rows
    panel.runner.step(4000)
    params = trainer_of(panel).params
    bias, weights = sklearn_fit(rows[:, :1], rows[:, 2])
    assert float(params["bias"]) == pytest.approx(bias, abs=1e-5)
    assert float(params["weights"][0]) == pytest.approx(weights[0], abs=1e-5)
    # the landscape's star is the same optimum (Newton's method in the probe)
    star_x, star_y = panel.landscape._optimum.getData()
    assert star_x[0] == pytest.approx(bias, abs=1e-6) and star_y[0] == pytest.approx(weights[0], abs=1e-6)


def test_with_l2_the_fit_converges_to_scikit_learns_l2_answer(panel):
    panel.l2_box.setValue(0.05)
    assert trainer_of(panel).l2 == 0.05
    rows = panel.data.rows
    panel.runner.step(3000)
    params = trainer_of(panel).params
    bias, weights = sklearn_fit(rows[:, :1], rows[:, 2], l2=0.05)
    assert float(params["bias"]) == pytest.approx(bias, abs=1e-5)
    assert float(params["weights"][0]) == pytest.approx(weights[0], abs=1e-5)
    assert "L2 = 0.05" in panel.landscape.note.textItem.toPlainText() and panel.landscape.note.isVisible()


def test_the_probes_newton_optimum_agrees_with_scikit_learn_and_knows_when_there_is_none():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(60, 2))
    y = (X @ [1.0, -2.0] + rng.normal(0, 1.5, 60) > 0).astype(float)
    theta = logistic_optimum(X, y)
    bias, weights = sklearn_fit(X, y)
    np.testing.assert_allclose(theta, [bias, *weights], atol=1e-7)
    separable = (X @ [1.0, -2.0] > 0).astype(float)
    assert logistic_optimum(X, separable) is None  # the loss only ever slopes down
    assert logistic_optimum(X, separable, l2=0.01) is not None  # L2 makes a bottom
    assert logistic_optimum(X, np.ones(60)) is None  # one class: the bias runs off


# -- the chain rule in the inspector ------------------------------------------------------------------------
def test_step_shows_the_chain_rule_with_the_trainers_own_numbers(panel, qtbot):
    panel.runner.step(3)  # away from w = 0, where every p is ½
    qtbot.mouseClick(panel.controls.step_button, Qt.MouseButton.LeftButton)
    report = panel.runner.report
    X, y = panel.runner.report_batch
    text = panel.inspector.toPlainText()
    w, b = float(report.params_before["weights"][0]), float(report.params_before["bias"])
    z = w * X[0, 0] + b
    p = float(sigmoid(z))
    dl_dp = -1 / p if y[0] == 1 else 1 / (1 - p)
    product = dl_dp * p * (1 - p) * X[0, 0]
    assert product == pytest.approx((p - y[0]) * X[0, 0])
    assert f"p = σ(z) = 1 / (1 + e−z) = {p:.4g}" in text
    assert f"∂p/∂z = p(1 − p) = {p * (1 - p):.4g}" in text
    assert f"= {product:.4g} = (p − y)·x" in text
    # the batch's gradient is the mean of the per-point products: the trainer's own number
    mean = float(np.mean((sigmoid(w * X[:, 0] + b) - y) * X[:, 0]))
    assert float(report.gradients["weights"][0]) == pytest.approx(mean, rel=1e-12)
    assert f"mean of (p − y)·x = {float(report.gradients['weights'][0]):.6g}" in text
    assert f"Loss on all points after the step: {panel.runner.latest.loss:.6g}" in text


def test_in_two_features_the_inspector_writes_one_chain_per_weight(panel):
    panel.mode_box.setCurrentText(TWO)
    panel.runner.step(2)
    text = panel.inspector.toPlainText()
    assert "∂L/∂w₁ = ∂L/∂p · ∂p/∂z · ∂z/∂w₁" in text and "∂L/∂w₂ = ∂L/∂p · ∂p/∂z · ∂z/∂w₂" in text
    assert "mean of (p − y)·x₂" in text


# -- threshold and confusion matrix ---------------------------------------------------------------------------
def test_the_threshold_slider_updates_the_confusion_matrix_exactly(panel):
    panel.runner.step(200)
    trainer = trainer_of(panel)
    p = trainer.predict_proba(trainer.X)
    y = trainer.y
    for threshold in (0.5, 0.2, 0.9, 0.37):
        panel.threshold.slider.setValue(round(threshold * 100) - 1)
        t = panel.threshold.value()
        assert t == pytest.approx(threshold)
        called = p > t
        expected = [[np.sum(~called & (y == 0)), np.sum(called & (y == 0))],
                    [np.sum(~called & (y == 1)), np.sum(called & (y == 1))]]  # fmt: skip
        np.testing.assert_array_equal(panel.confusion.counts, expected)
        assert panel.confusion.accuracy_value() == pytest.approx(np.mean(called == (y == 1)))
        assert f"{np.mean(called == (y == 1)):.3f}" in panel.confusion.accuracy.text()
    # the decision point moves with the threshold: where the curve crosses it
    params = trainer.params
    crossing = (math.log(t / (1 - t)) - float(params["bias"])) / float(params["weights"][0])
    assert panel.line.decision_line.value() == pytest.approx(crossing)


def test_above_counts_count_probabilities_strictly_above_each_threshold():
    p = np.array([0.0, 0.01, 0.5, 0.5000001, 0.29, 1.0])
    y = np.array([0, 1, 1, 0, 1, 1])
    counts = above_counts(p, y)
    for k, t in enumerate(THRESHOLDS):
        assert counts[0, k] == np.sum((p > t) & (y == 0)) and counts[1, k] == np.sum((p > t) & (y == 1))


# -- separable data ------------------------------------------------------------------------------------------
def test_on_separable_data_it_says_the_weights_grow_without_end_and_l2_stops_them(panel):
    panel.data_box.noise_box.setValue(0.0)
    panel.data_box.new_button.click()
    panel.runner.step(400)
    note = panel.separable_note.text()
    assert "grow without end" in note and "Set L2" in note
    sizes = panel.runner.history.values("weight_size")
    assert sizes[-1] > sizes[len(sizes) // 2] > sizes[1]  # still rising
    assert panel.landscape._optimum.getData()[0].size == 0  # no star: there is no lowest point
    panel.l2_box.setValue(0.01)
    panel.reset()
    panel.runner.step(3000)
    assert "levels off" in panel.separable_note.text()
    grown = trainer_of(panel).params["weights"][0]
    panel.runner.step(1000)
    assert trainer_of(panel).params["weights"][0] == pytest.approx(grown, rel=1e-4)  # held
    assert panel.landscape._optimum.getData()[0].size == 1


def test_a_learning_rate_above_one_over_l2_diverges_with_a_plain_reason(panel):
    panel.l2_box.setValue(5.0)
    panel.controls.learning_rate_box.setValue(3.0)
    panel.runner.step(2000)
    text = panel.message.text.text()
    assert panel.message.isVisible() and "1 / L2 = 0.2" in text and "overshoot zero" in text


# -- the landscape -------------------------------------------------------------------------------------------
def test_the_landscape_is_the_cores_cross_entropy_and_switches_to_mse(panel):
    panel.runner.step(20)
    land = panel.runner.latest.extra["landscape"]
    b0, b1, w0, w1 = land["extent"]
    X, y = trainer_of(panel).X, trainer_of(panel).y
    bs, ws = np.linspace(b0, b1, 61), np.linspace(w0, w1, 61)
    expected = logistic_loss_grid(X, y, np.zeros(1), 0.0, 0, bs, 1, ws)
    np.testing.assert_allclose(panel.landscape._image.image, np.log10(expected))
    bias, weight = trainer_of(panel).params["bias"], trainer_of(panel).params["weights"][0]
    assert b0 <= bias <= b1 and w0 <= weight <= w1 and b0 <= 0 <= b1 and w0 <= 0 <= w1
    panel.landscape_box.setCurrentText("mean squared error")
    mse = logistic_mse_grid(X, y, np.zeros(1), 0.0, 0, bs, 1, ws)
    np.testing.assert_allclose(panel.landscape._image.image, np.log10(mse))
    assert "Squared error" in panel.landscape.getPlotItem().titleLabel.text
    # MSE's plateaus: far from the start its slope is many times flatter than the cross-entropy's
    ce_slope = np.abs(np.gradient(expected, axis=1))[:, -1].mean()
    mse_slope = np.abs(np.gradient(mse, axis=1))[:, -1].mean()
    assert mse_slope < ce_slope / 5


# -- each point's own loss ----------------------------------------------------------------------------------
def test_hovering_over_a_point_shows_its_own_loss(panel, qtbot):
    panel.runner.step(300)
    trainer = trainer_of(panel)
    p = trainer.predict_proba(trainer.X)
    wrong = np.flatnonzero((p > 0.5) != (trainer.y == 1))
    index = int(wrong[np.argmax(np.abs(p[wrong] - 0.5))])  # the surest wrong one
    x, _, label = panel.data.rows[index]
    hover(panel.line_plot, x, label)
    text_item = panel.hovers[panel.line_plot].text
    assert text_item.isVisible()
    text = text_item.textItem.toPlainText()
    loss = -math.log(p[index]) if label == 1 else -math.log(1 - p[index])
    assert f"loss = {'−ln p' if label == 1 else '−ln(1 − p)'}" in text and f"= {loss:.3g}" in text
    assert "sure and wrong" in text or loss <= 1.0
    qtbot.wait(50)  # pyqtgraph drops mouse moves that come faster than its frame rate
    hover(panel.line_plot, x, 0.5)  # away from every point
    assert not text_item.isVisible()


# -- two features ----------------------------------------------------------------------------------------------
def test_switching_to_two_features_draws_new_data_and_undo_brings_the_line_back(panel):
    rows = panel.data.rows
    panel.mode_box.setCurrentText(TWO)
    assert panel.dims == 2 and trainer_of(panel).X.shape[1] == 2
    assert panel.data_stack.currentWidget() is panel.plane_plot and panel.editor is panel.plane_plot
    assert panel.data_box.dataset_box.currentText() == "blobs"
    assert not np.array_equal(panel.data.rows, rows)
    panel.runner.step(50)
    trainer = trainer_of(panel)
    (x0, x1), (y0, y1) = panel.plane_plot.view_box.viewRange()
    xs, ys = np.linspace(x0, x1, 64), np.linspace(y0, y1, 64)
    grid = np.column_stack([np.tile(xs, 64), np.repeat(ys, 64)])
    np.testing.assert_allclose(panel.plane.heat.values, trainer.predict_proba(grid).reshape(64, 64), atol=1e-12)
    panel.undo_stack.undo()
    assert panel.dims == 1 and panel.mode_box.currentText() == ONE
    np.testing.assert_array_equal(panel.data.rows, rows)
    assert trainer_of(panel).X.shape[1] == 1 and trainer_of(panel).step_count == 0
    panel.undo_stack.redo()
    assert panel.dims == 2 and trainer_of(panel).X.shape[1] == 2


def test_in_two_features_a_click_adds_a_point_where_clicked(panel, click_data):
    panel.mode_box.setCurrentText(TWO)
    (x0, x1), (y0, y1) = panel.plane_plot.view_box.viewRange()
    x, y = x0 + 0.05 * (x1 - x0), y0 + 0.95 * (y1 - y0)
    click_data(panel.plane_plot, x, y, Qt.MouseButton.RightButton)
    added = panel.data.rows[-1]
    width, height = panel.plane_plot.view_box.viewPixelSize()
    assert abs(added[0] - x) < 2 * width and abs(added[1] - y) < 2 * height and added[2] == 0.0


def test_every_point_is_placed_by_its_score_on_the_sigmoid(panel):
    panel.mode_box.setCurrentText(TWO)
    panel.runner.step(30)
    trainer = trainer_of(panel)
    z = trainer.decision_function(trainer.X)
    shown = np.concatenate([dots.getData()[0] for dots in panel.scores_plot.dots])
    np.testing.assert_allclose(np.sort(shown), np.sort(z))  # 40 points: every one is drawn


# -- files and sessions ------------------------------------------------------------------------------------------
def test_csv_has_two_columns_on_a_line_and_three_in_a_plane(panel, tmp_path):
    path = tmp_path / "line.csv"
    panel.export_csv(path)
    lines = path.read_text().splitlines()
    assert lines[0] == "x1,label" and len(lines[1].split(",")) == 2
    rows = panel.data.rows
    panel.data.replace(rows[:5])
    panel.import_csv(path)
    np.testing.assert_array_equal(panel.data.rows, rows)
    panel.mode_box.setCurrentText(TWO)
    plane = tmp_path / "plane.csv"
    panel.export_csv(plane)
    assert len(plane.read_text().splitlines()[1].split(",")) == 3
    plane.write_text("a,b,label\n1,2,0\n3,4,1\n")
    panel.import_csv(plane)
    np.testing.assert_array_equal(panel.data.rows, [[1, 2, 0], [3, 4, 1]])
    assert panel.plane_plot.getPlotItem().getAxis("left").labelText == "b"


def test_a_session_keeps_the_mode_threshold_and_trajectory(panel):
    panel.mode_box.setCurrentText(TWO)
    panel.threshold.set_value(0.3)
    panel.landscape_box.setCurrentText("mean squared error")
    panel.runner.step(9)
    state = panel.session_state()
    panel.runner.step(4)
    expected = trainer_of(panel).params
    panel.undo_stack.undo()  # back to one feature
    panel.threshold.set_value(0.8)
    panel.load_session_state(state)
    assert panel.dims == 2 and panel.mode_box.currentText() == TWO and panel.runner.probe.dims == 2
    assert panel.editor is panel.plane_plot and panel.threshold.value() == 0.3
    assert panel.threshold.slider.value() == 29
    panel.runner.step(4)
    for name, value in expected.items():
        np.testing.assert_array_equal(trainer_of(panel).params[name], value)


def test_a_damaged_session_is_refused_and_changes_nothing(panel):
    rows = panel.data.rows
    state = panel.session_state()
    for damage in (
        {"settings": {**state["settings"], "mode": "three features"}},
        {"settings": {**state["settings"], "threshold": 1.5}},
        {"settings": {**state["settings"], "mode": TWO}},  # the trainer has one feature, the mode says two
        {"data": [[*row[:2], 3.0] for row in state["data"]]},
    ):
        with pytest.raises(ValueError, match="Classify part is damaged"):
            panel.load_session_state({**state, **damage})
        np.testing.assert_array_equal(panel.data.rows, rows)
    assert panel.dims == 1


def test_with_every_point_deleted_nothing_stale_is_drawn(panel):
    panel.runner.step(5)
    panel.data.replace(np.empty((0, 3)), "delete all")
    assert panel.line_plot._empty_hint.isVisible()
    assert len(panel.line.curve.getOriginalDataset()[0] or []) == 0
    assert panel.landscape._image.image is None
    np.testing.assert_array_equal(panel.confusion.counts, np.zeros((2, 2)))
    panel.undo_stack.undo()
    panel.runner.step(1)
    assert panel.landscape._image.image is not None


def test_modes_are_named_once():
    assert set(MODES.values()) == {1, 2}


# -- the real process ---------------------------------------------------------------------------------------------
def test_threaded_panel_trains_takes_a_point_and_switches_mode_while_playing(qtbot):
    panel = ClassifyPanel(threaded=True)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.mouseClick(panel.controls.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.runner.latest.playing and panel.runner.latest.step > 50, timeout=10_000)
    qtbot.waitUntil(lambda: "landscape" in panel.runner.latest.extra, timeout=5000)
    panel.data.add((0.5, 0.0, 1.0))
    panel.mode_box.setCurrentText(TWO)  # resets: training stops
    qtbot.waitUntil(lambda: not panel.runner.playing, timeout=5000)
    qtbot.waitUntil(lambda: np.asarray(panel.runner.latest.params["weights"]).size == 2, timeout=5000)
    trainer = panel.runner.trainer
    assert trainer.X.shape == (40, 2) and trainer.step_count == 0
    assert panel.runner.probe.dims == 2
    qtbot.mouseClick(panel.controls.step_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.runner.latest.step == 1, timeout=5000)
    assert panel.plane.heat.values is not None
    assert panel.shutdown()


def test_every_term_the_explanation_links_is_in_the_glossary(panel):

    from primer_gui.glossary import glossary

    terms = linked_terms(panel.explanation_html)
    assert {"sigmoid", "logistic regression", "cross-entropy", "chain rule", "perceptron"} <= set(terms)
    assert {"activation function", "threshold", "probability"} <= set(terms)
    assert all(term in glossary() for term in terms)
    assert all(widget.toolTip() for widget in (panel.mode_box, panel.l2_box, panel.threshold, panel.landscape_box))
