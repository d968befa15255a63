"""The Line fit tab, driven as a person drives it (in-process runner unless stated)."""

from __future__ import annotations

import numpy as np
import pytest
from mouse import data_to_viewport, drag
from PySide6.QtCore import Qt

from primer_gui.core import LinearRegression
from primer_gui.core.features import Standardizer
from primer_gui.panels.line_fit import LineFitPanel
from primer_gui.widgets.point_editor import MAX_DRAWN


@pytest.fixture
def panel(shown_panel):
    return shown_panel(LineFitPanel)


def trainer_of(panel) -> LinearRegression:
    return panel.runner.trainer


def test_a_click_on_empty_space_adds_a_point_there(panel, click_data):
    before = len(panel.data)
    (x0, x1), (y0, y1) = panel.data_plot.view_box.viewRange()
    x, y = x0 + 0.9 * (x1 - x0), y0 + 0.1 * (y1 - y0)
    click_data(panel.data_plot, x, y)
    assert len(panel.data) == before + 1
    added = panel.data.rows[-1]
    width, height = panel.data_plot.view_box.viewPixelSize()
    assert abs(added[0] - x) < 2 * width and abs(added[1] - y) < 2 * height
    np.testing.assert_array_equal(panel.data_plot.points[-1], added)  # and it is drawn
    assert trainer_of(panel).n_points == before + 1  # and the trainer has it


def test_right_click_deletes_a_point_and_undo_restores_it(panel, click_data):
    rows = panel.data.rows
    click_data(panel.data_plot, *rows[3], button=Qt.MouseButton.RightButton)
    assert len(panel.data) == len(rows) - 1
    assert panel.undo_stack.undoText() == "delete point"
    panel.undo_stack.undo()
    np.testing.assert_array_equal(panel.data.rows, rows)
    np.testing.assert_array_equal(trainer_of(panel).X[:, 0], rows[:, 0])
    panel.undo_stack.redo()
    assert len(panel.data) == len(rows) - 1


def test_dragging_a_point_moves_it_as_one_undo_step(panel):
    rows = panel.data.rows
    (x0, x1), (y0, y1) = panel.data_plot.view_box.viewRange()
    target = (x0 + 0.2 * (x1 - x0), y0 + 0.8 * (y1 - y0))
    drag(panel.data_plot, tuple(rows[5]), target)
    moved = panel.data.rows[5]
    width, height = panel.data_plot.view_box.viewPixelSize()
    assert abs(moved[0] - target[0]) < 2 * width and abs(moved[1] - target[1]) < 2 * height
    assert panel.undo_stack.count() == 1
    panel.undo_stack.undo()
    np.testing.assert_array_equal(panel.data.rows, rows)


def test_new_data_replaces_every_point_undoably_and_moves_to_the_next_draw(panel):
    rows = panel.data.rows
    panel.data_box.points_box.setValue(50)
    panel.data_box.new_button.click()
    assert len(panel.data) == 50 and panel.data_box.seed_box.value() == 1
    panel.undo_stack.undo()
    np.testing.assert_array_equal(panel.data.rows, rows)


def test_new_data_draws_with_a_typed_seed_so_the_same_seed_gives_the_same_data(panel):
    rows = panel.data.rows
    panel.data_box.new_button.click()
    assert panel.data_box.seed_box.value() == 1 and not np.array_equal(panel.data.rows, rows)
    panel.data_box.seed_box.setValue(0)  # typed: the first draw again
    panel.data_box.new_button.click()
    assert panel.data_box.seed_box.value() == 0
    np.testing.assert_array_equal(panel.data.rows, rows)
    panel.data_box.new_button.click()  # pressed again: the next draw
    assert panel.data_box.seed_box.value() == 1


def test_step_fills_the_inspector_with_the_trainers_own_numbers(panel, qtbot):
    qtbot.mouseClick(panel.controls.step_button, Qt.MouseButton.LeftButton)
    report = panel.runner.report
    assert report.step == 1
    text = panel.inspector.toPlainText()
    b, w = float(report.params_before["bias"]), float(report.params_before["weights"][0])
    assert f"intercept b = {b:.6g}" in text and f"slope w = {w:.6g}" in text
    assert f"{float(report.gradients['bias']):.6g}" in text
    assert f"Loss on all points after the step: {panel.runner.latest.loss:.6g}" in text
    assert panel.runner.latest.loss == pytest.approx(trainer_of(panel).loss())
    assert "all 30 points (batch gradient descent)" in text and "it completed epoch 1" in text


def test_after_a_data_edit_the_inspector_drops_the_loss_after_the_step(panel, qtbot):
    panel.step()
    assert "Loss on all points after the step" in panel.inspector.toPlainText()
    panel.data.add((1.0, 1.0))
    text = panel.inspector.toPlainText()
    assert "the data or a setting has changed" in text
    assert "Loss on all points after the step" not in text  # it would disagree with the status bar


def test_a_mini_batch_step_rings_its_points_and_draws_its_own_gradient(panel):
    panel.controls.batch_box.setValue(8)
    assert panel.controls.batch_label.text() == "mini-batch: 4 steps an epoch (the last has 6)"
    panel.step()
    report = panel.runner.report
    ringed, _ = panel.data_plot._highlight.getData()
    assert len(ringed) == 8
    np.testing.assert_array_equal(np.sort(ringed), np.sort(panel.data.rows[report.batch, 0]))
    assert panel.landscape.batch_arrow.head.isVisible()
    assert "8 of 30 points (a mini-batch)" in panel.inspector.toPlainText()
    assert "epoch 1 in progress" in panel.inspector.toPlainText()
    for _ in range(3):
        panel.step()
    assert "6 of 30 points (the last, smaller batch of an epoch)" in panel.inspector.toPlainText()


def test_divergence_stops_with_a_plain_message_and_is_seen_on_the_landscape(panel):
    panel.controls.learning_rate_box.setValue(5.0)
    panel.runner.step(1000)
    text = panel.message.text.text()
    assert panel.message.isVisible()
    counter = panel.runner.latest.step
    assert f"the update after step {counter}" in text and "overflow" in text
    assert "above the stable limit" in text and "Reset" in text
    limit = panel.controls.stable_limit
    assert panel.message.button.text() == f"Lower it to {float(f'{0.9 * limit:.2g}'):.2g} and Reset"
    assert "rejected: the loss overflowed" in panel.inspector.toPlainText()
    assert panel._off_chart.isVisible() and "off the chart" in panel._off_chart.textItem.toPlainText()
    xs, _ys = panel.landscape._path.getData()
    assert len(xs) > 10  # the zig-zag outwards, as far as it can be drawn
    assert panel.loss_curve.log_scale
    panel.message.button.click()  # lower the learning rate and Reset, from the message
    assert trainer_of(panel).step_count == 0 and not panel.message.isVisible()
    assert trainer_of(panel).learning_rate < limit and panel.controls.learning_rate_box.value() < limit
    panel.runner.step(1)
    assert not panel._off_chart.isVisible()


def test_just_above_the_stable_limit_it_warns_then_stops_a_runaway_loss(panel, qtbot):
    limit = panel.controls.stable_limit
    panel.controls.learning_rate_box.setValue(limit * 0.9)
    assert panel.controls.stable_label.text().startswith("full batch stable below")
    panel.controls.learning_rate_box.setValue(limit * 1.1)
    assert "too large: stable below" in panel.controls.stable_label.text()
    qtbot.mouseClick(panel.controls.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.message.isVisible(), timeout=20_000)
    assert "since Play the loss grew more than 1,000,000-fold" in panel.message.text.text()
    assert "stable limit" in panel.message.text.text()
    assert not panel.runner.playing


def test_the_descent_arrow_shrinks_near_the_optimum_and_vanishes_there(panel):
    panel.step()
    assert panel.landscape.arrow.head.isVisible()
    panel.runner.step(3000)
    assert not panel.landscape.arrow.head.isVisible()  # the star is not hidden under it


def test_learning_rate_control_and_trainer_agree_both_ways(panel):
    panel.controls.learning_rate_slider.setValue(panel.controls.learning_rate_slider.value_to_position(0.05))
    assert trainer_of(panel).learning_rate == pytest.approx(0.05, rel=0.01)
    assert panel.controls.learning_rate_box.value() == pytest.approx(trainer_of(panel).learning_rate)
    panel.runner.set("learning_rate", 2e-6)  # set elsewhere (a script): the control follows
    assert panel.controls.learning_rate_box.value() == 2e-6
    assert panel.controls.learning_rate_box.text() == "2e-06"


def test_batch_size_control_sets_mini_batches(panel, qtbot):
    panel.controls.batch_box.setValue(5)
    assert trainer_of(panel).batch_size == 5
    qtbot.mouseClick(panel.controls.epoch_button, Qt.MouseButton.LeftButton)
    assert trainer_of(panel).epoch_count == 1
    assert trainer_of(panel).step_count == 6  # 30 points in batches of 5
    panel.controls.batch_box.setValue(len(panel.data))
    assert trainer_of(panel).batch_size is None


def test_initial_parameters_apply_on_reset_not_while_typing(panel, qtbot):
    panel.runner.step(5)
    panel.initial_mode.setCurrentText("typed")
    panel.initial_intercept.setValue(1.25)
    panel.initial_slope.setValue(-0.5)
    assert trainer_of(panel).step_count == 5  # typing did not reset
    qtbot.mouseClick(panel.controls.reset_button, Qt.MouseButton.LeftButton)
    params = trainer_of(panel).params
    assert float(params["bias"]) == 1.25 and float(params["weights"][0]) == -0.5
    assert trainer_of(panel).step_count == 0


def test_feature_scaling_trains_on_standardized_sizes_and_draws_the_line_in_the_datas_units(panel):
    panel.scaling_check.setChecked(True)
    rows = panel.data.rows
    scaled = Standardizer().fit_transform(rows[:, :1])
    np.testing.assert_allclose(trainer_of(panel).X, scaled)
    assert panel.controls.stable_limit == pytest.approx(1.0, rel=0.02)  # a round bowl: 2 / λmax with λ = 2
    panel.runner.step(200)
    raw = LinearRegression()
    raw.set_data(rows[:, :1], rows[:, 1])
    best = raw.closed_form()
    xs, ys = panel._line.getOriginalDataset()
    np.testing.assert_allclose(ys, float(best["bias"]) + float(best["weights"][0]) * xs, rtol=1e-6)


def test_an_imported_csv_of_real_houses_is_framed_named_and_trainable(panel, tmp_path):
    path = tmp_path / "houses.csv"
    sizes = np.linspace(50, 250, 20)
    prices = 1500.0 * sizes + 40_000.0
    path.write_text("size (m²),price (€)\n" + "\n".join(f"{s},{p}" for s, p in zip(sizes, prices, strict=True)))
    panel.import_csv(path)
    (x0, x1), (y0, y1) = panel.data_plot.view_box.viewRange()
    assert x0 <= 50 and x1 >= 250 and y1 >= prices.max()
    assert panel.data_plot.getPlotItem().getAxis("bottom").labelText == "size (m²)"
    assert panel.controls.stable_limit < 1e-4  # raw units: only a tiny learning rate is stable
    panel.controls.learning_rate_box.setValue(panel.controls.stable_limit * 0.9)
    assert trainer_of(panel).learning_rate == pytest.approx(panel.controls.stable_limit * 0.9, rel=1e-2)
    panel.scaling_check.setChecked(True)
    panel.controls.learning_rate_box.setValue(0.5)
    panel.runner.step(100)
    xs, ys = panel._line.getOriginalDataset()
    np.testing.assert_allclose(ys, 1500.0 * xs + 40_000.0, rtol=1e-6)
    export = tmp_path / "back.csv"
    panel.export_csv(export)
    assert export.read_text().splitlines()[0] == "size (m²),price (€)"


def test_csv_round_trip_and_bad_files_change_nothing(panel, tmp_path):
    path = tmp_path / "houses.csv"
    panel.export_csv(path)
    rows = panel.data.rows
    panel.data.replace(rows[:3])
    panel.import_csv(path)
    np.testing.assert_array_equal(panel.data.rows, rows)
    for content, reason in [
        ("size,price\n1,2\n3\n", "expected 2 numbers"),
        ("size,price\n1,nan\n", "NaN"),
        ("size,price\n", "no data rows"),
        ("1,2\nhello,3\n", "not a number"),
    ]:
        path.write_text(content)
        with pytest.raises(ValueError, match=reason):
            panel.import_csv(path)
        np.testing.assert_array_equal(panel.data.rows, rows)


def test_session_round_trip_continues_the_same_trajectory(panel):
    panel.controls.batch_box.setValue(7)
    panel.runner.step(9)
    state = panel.session_state()
    path = panel.runner.history.points.copy()
    panel.runner.step(4)
    expected = trainer_of(panel).params
    panel.data.add((1.0, 1.0))
    panel.load_session_state(state)
    assert trainer_of(panel).step_count == 9 and len(panel.data) == 30
    np.testing.assert_array_equal(panel.runner.history.points, path)  # the landscape path survives too
    panel.runner.step(4)
    for name, value in expected.items():
        np.testing.assert_array_equal(trainer_of(panel).params[name], value)
    assert panel.controls.batch_box.value() == 7 and panel.undo_stack.count() == 0


def test_session_keeps_the_tabs_settings(panel):
    panel.initial_mode.setCurrentText("typed")
    panel.initial_intercept.setValue(0.7)
    panel.scale_box.setCurrentText("log")
    panel.scaling_check.setChecked(True)
    state = panel.session_state()
    panel.initial_mode.setCurrentText("random")
    panel.scale_box.setCurrentText("linear")
    panel.scaling_check.setChecked(False)
    panel.load_session_state(state)
    assert panel.initial_mode.currentText() == "typed"
    assert panel.initial_intercept.value() == 0.7 and panel.initial_intercept.isEnabled()
    assert panel.loss_curve.log_scale and panel.runner.probe.scaling
    np.testing.assert_allclose(trainer_of(panel).X, Standardizer().fit_transform(panel.data.rows[:, :1]))


def test_a_damaged_session_changes_nothing(panel):
    rows = panel.data.rows
    state = panel.session_state()
    for damage in (
        {"trainer": {**state["trainer"], "params": "garbage"}},
        {"settings": {**state["settings"], "noise": "abc"}},
        {"data": state["data"][:-1]},  # the trainer's data would no longer match the points
    ):
        with pytest.raises(ValueError, match="Line fit part is damaged"):
            panel.load_session_state({**state, **damage})
        np.testing.assert_array_equal(panel.data.rows, rows)


def test_the_tab_draws_line_residuals_landscape_and_slices(panel):
    panel.runner.step(3)
    bias = float(trainer_of(panel).params["bias"])
    slope = float(trainer_of(panel).params["weights"][0])
    xs, ys = panel._line.getData()
    np.testing.assert_allclose(ys, bias + slope * xs)
    rx, _ = panel._residuals.getData()
    assert len(rx) == 2 * len(panel.data)
    path = panel.runner.history.points
    np.testing.assert_allclose(path[-1], [bias, slope])
    image = panel.landscape._image.image
    assert image is not None and np.isfinite(image).all() and image.std() > 0


def test_large_data_draws_a_decimated_picture_and_trains_on_everything(panel):
    rng = np.random.default_rng(0)
    sizes = rng.uniform(0.4, 2.5, 50_000)
    panel.replace_data(np.column_stack([sizes, 0.5 + 1.8 * sizes + rng.normal(0, 0.3, sizes.size)]), "big")
    panel.step()
    assert trainer_of(panel).n_points == 50_000
    assert panel.data_plot.drawn_indices.size == MAX_DRAWN
    assert not len(panel._residuals.getOriginalDataset()[0] or [])  # 50 000 segments would be a red wedge


def test_with_every_point_deleted_nothing_stale_is_drawn_and_undo_brings_it_back(panel):
    panel.runner.step(2)
    statuses = []
    panel.status_changed.connect(statuses.append)
    panel.data.replace(np.empty((0, 2)), "delete all")
    assert len(panel._line.getOriginalDataset()[0] or []) == 0
    assert panel.landscape._image.image is None
    assert "No houses" in panel.inspector.toPlainText()
    assert statuses and statuses[-1].startswith("no data")
    assert panel.data_plot._empty_hint.isVisible()
    assert not panel.controls.step_button.isEnabled()
    assert panel.controls.batch_label.text() == "no data"
    panel.undo_stack.undo()
    panel.runner.step(1)
    assert not panel.data_plot._empty_hint.isVisible()
    assert panel.landscape._image.image is not None and statuses[-1].startswith("step 3")


def test_the_intercept_is_in_view_where_the_line_meets_the_y_axis(panel):
    (x0, x1), (y0, y1) = panel.data_plot.view_box.viewRange()
    assert x0 <= 0 <= x1 and y0 <= 0 <= y1


def test_points_are_where_the_mouse_says(panel):
    x, y = panel.data.rows[0]
    assert panel.data_plot.viewport().rect().contains(data_to_viewport(panel.data_plot, x, y))


def test_threaded_panel_plays_edits_and_pauses(qtbot):
    panel = LineFitPanel(threaded=True)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.mouseClick(panel.controls.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.runner.latest.playing and panel.runner.latest.step > 50, timeout=5000)
    panel.data.add((1.0, 1.0))
    panel.controls.learning_rate_box.setValue(0.05)
    qtbot.mouseClick(panel.controls.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.runner.playing, timeout=2000)
    assert panel.controls.play_button.text() == "Play"
    trainer = panel.runner.trainer
    assert trainer.n_points == 31 and trainer.learning_rate == 0.05
    assert panel.shutdown()


# -- what a first-time user tripped on ----------------------------------------------------------------
def test_the_red_arrow_is_the_next_step_to_scale(panel):
    panel.step()
    trainer = trainer_of(panel)
    bias, slope = float(trainer.params["bias"]), float(trainer.params["weights"][0])
    following = LinearRegression(learning_rate=trainer.learning_rate)
    following.set_data(trainer.X, trainer.y)
    following.set_params(**trainer.params)
    after = following.step().params_after
    xs, ys = panel.landscape.arrow.shaft.getData()
    np.testing.assert_allclose([xs[0], ys[0]], [bias, slope])
    np.testing.assert_allclose([xs[1], ys[1]], [float(after["bias"]), float(after["weights"][0])], rtol=1e-9)


def test_a_runaway_message_gives_the_numbers_training_stopped_at(panel, qtbot):
    panel.controls.speed_box.setCurrentText("max")
    panel.controls.learning_rate_box.setValue(panel.controls.stable_limit * 1.1)
    start_loss = panel.runner.latest.loss
    panel.toggle_play()
    qtbot.waitUntil(lambda: panel.message.isVisible(), timeout=20_000)
    latest = panel.runner.latest
    text = panel.message.text.text()
    assert f"stopped at step {latest.step:,}" in text and f"→ {latest.loss:.3g})" in text
    assert f"({start_loss:.3g} →" in text  # measured from the loss when Play was pressed
    assert f"step {latest.step:,}" in panel.controls.counters.text()


def test_after_reset_the_loss_curve_is_linear_again(panel):
    panel.runner.step(300)
    assert panel.loss_curve.log_scale  # the loss fell by decades
    panel.reset()
    assert not panel.loss_curve.log_scale


def test_the_columns_names_follow_the_data_through_imports_undo_and_sessions(panel, tmp_path):
    axis = panel.data_plot.getPlotItem().getAxis("bottom")
    assert axis.labelText == "size (100 m²)"
    state = panel.session_state()
    path = tmp_path / "houses.csv"
    path.write_text("area (m²),cost (€)\n50,100000\n100,200000\n150,290000\n")
    panel.import_csv(path)
    assert axis.labelText == "area (m²)"
    panel.undo_stack.undo()
    assert axis.labelText == "size (100 m²)"
    panel.undo_stack.redo()
    panel.data_box.new_button.click()  # new data is in the tab's own units again
    assert axis.labelText == "size (100 m²)"
    panel.load_session_state(state)
    assert axis.labelText == "size (100 m²)"


def test_an_old_step_keeps_the_batch_it_was_taken_with(panel):
    panel.step()
    panel.data_box.points_box.setValue(50)
    panel.data_box.new_button.click()
    text = panel.inspector.toPlainText()
    assert "all 30 points (batch gradient descent)" in text and "changed since" in text


def test_importing_data_in_large_units_offers_a_stable_learning_rate(panel, tmp_path):
    path = tmp_path / "houses.csv"
    path.write_text("size (m²),price (€)\n" + "\n".join(f"{s},{1500 * s + 40_000}" for s in range(50, 260, 10)))
    panel.import_csv(path)
    assert panel.message.isVisible() and "above the stable limit" in panel.message.text.text()
    panel.message.button.click()
    assert trainer_of(panel).learning_rate < panel.controls.stable_limit


def test_the_dark_theme_recolours_the_counters(panel):
    from primer_gui.widgets.palette import DARK

    panel.apply_theme(DARK)
    assert DARK.foreground in panel.controls.counters.styleSheet()


def test_slow_play_inspects_every_step_and_rings_its_batch(panel, qtbot):
    panel.controls.batch_box.setValue(8)
    panel.controls.speed_box.setCurrentText("30 updates/s")
    panel.toggle_play()
    qtbot.waitUntil(lambda: panel.runner.latest.step >= 3, timeout=5000)
    panel.runner.pause()
    assert panel.runner.report.step == panel.runner.latest.step
    assert len(panel.data_plot._highlight.getData()[0]) == panel.runner.report.batch.size
