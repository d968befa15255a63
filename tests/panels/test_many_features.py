"""The Many features tab, driven as a person drives it (in-process runner unless stated)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from explanations import linked_terms, silent_controls
from mouse import data_to_viewport, drag
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from sklearn import linear_model

from primer_gui.core import LinearRegression
from primer_gui.core.features import Standardizer
from primer_gui.glossary import glossary
from primer_gui.panels.many_features import ManyFeaturesPanel
from primer_gui.panels.many_features_probe import RACE_TOLERANCE


@pytest.fixture
def panel(shown_panel):
    return shown_panel(ManyFeaturesPanel, (1280, 770))


def trainer_of(panel) -> LinearRegression:
    return panel.runner.trainer


def least_squares(rows):
    reference = linear_model.LinearRegression().fit(rows[:, :2], rows[:, 2])
    ours = LinearRegression()
    ours.set_data(rows[:, :2], rows[:, 2])
    best = ours.closed_form()
    np.testing.assert_allclose(best["weights"], reference.coef_, rtol=1e-9)
    return best["weights"], float(best["bias"])


def double_click(plot, x: float, y: float) -> None:
    """Press, release, double-click, release: the events a window system sends for a double-click."""
    viewport = plot.viewport()
    pos = QPointF(data_to_viewport(plot, x, y))
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for kind, buttons in (
        (QEvent.Type.MouseButtonPress, left),
        (QEvent.Type.MouseButtonRelease, none),
        (QEvent.Type.MouseButtonDblClick, left),
        (QEvent.Type.MouseButtonRelease, none),
    ):
        event = QMouseEvent(kind, pos, viewport.mapToGlobal(pos), left, buttons, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, event)


def shown_weights(panel):
    """The weight bars' heights: (w size, w bedrooms, bias), in the data's units."""
    return panel.weight_bars._values


def test_a_click_on_the_map_adds_a_house_with_whole_bedrooms_at_the_typed_price(panel, click_data):
    panel.price_box.setValue(512.0)
    before = len(panel.data)
    click_data(panel.top_view, 180.0, 3.3)
    assert len(panel.data) == before + 1
    size, bedrooms, price = panel.data.rows[-1]
    width, _height = panel.top_view.view_box.viewPixelSize()
    assert abs(size - 180.0) < 2 * width and bedrooms == 3.0 and price == 512.0
    np.testing.assert_array_equal(panel.top_view.points[-1], [size, bedrooms])
    assert trainer_of(panel).n_points == before + 1
    np.testing.assert_array_equal(trainer_of(panel).X[-1], [size, 3.0])


def test_dragging_a_house_keeps_its_price_and_undo_restores_it(panel):
    rows = panel.data.rows
    drag(panel.top_view, tuple(rows[4, :2]), (rows[4, 0] + 30.0, rows[4, 1] + 1.0))
    moved = panel.data.rows[4]
    assert moved[1] == rows[4, 1] + 1 and moved[2] == rows[4, 2] and panel.undo_stack.count() == 1
    panel.undo_stack.undo()
    np.testing.assert_array_equal(panel.data.rows, rows)


def test_the_tab_draws_the_plane_from_above_in_3d_and_against_the_prices(panel):
    panel.runner.step(5)
    weights, bias = trainer_of(panel).params["weights"], float(trainer_of(panel).params["bias"])
    np.testing.assert_allclose(shown_weights(panel), [*weights, bias])  # raw inputs: the trainer's own units
    values = panel.price_map.values
    (x0, x1), (y0, y1) = panel.top_view.view_box.viewRange()
    assert values[0, 0] == pytest.approx(bias + weights[0] * x0 + weights[1] * y0)
    assert values[-1, -1] == pytest.approx(bias + weights[0] * x1 + weights[1] * y1)
    rows = panel.data.rows
    predicted = bias + rows[:, :2] @ weights
    drawn = np.concatenate([np.column_stack(item.getData()) for item in panel._fit_dots.items])
    np.testing.assert_allclose(np.sort(drawn[:, 1]), np.sort(np.clip(predicted, *panel._price_range)))
    sticks_x, sticks_y = panel._sticks.getData()
    assert len(sticks_x) == 2 * len(rows)
    # the 3-D view draws what it says: each house where the projection puts it
    dots = np.concatenate([np.column_stack(item.getData()) for item in panel._orbit_dots.items])
    x, y = panel.orbit.project_data(rows)
    np.testing.assert_allclose(np.sort(dots[:, 0]), np.sort(x))
    assert panel.neuron._output_text.toPlainText().startswith(f"{bias + rows[0, :2] @ weights:.4g}")


def test_dots_are_coloured_by_residual_in_bins(panel):
    panel.runner.step(3)
    weights, bias = trainer_of(panel).params["weights"], float(trainer_of(panel).params["bias"])
    rows = panel.data.rows
    residual = rows[:, 2] - bias - rows[:, :2] @ weights
    bins = panel._map_dots.bin_of(residual, 2.0 * panel._best_rmse)
    for index, item in enumerate(panel._map_dots.items):
        xs, _ys = item.getData()
        np.testing.assert_array_equal(np.sort(xs), np.sort(rows[bins == index, 0]))


def test_dragging_the_3d_view_turns_it_and_a_double_click_sets_it_straight(panel, qtbot):
    azimuth, elevation = panel.orbit.azimuth, panel.orbit.elevation
    before = panel.orbit.project_data(panel.data.rows[:1])
    view = panel.orbit
    drag(view, (0.0, 0.0), (0.6, 0.3))
    assert panel.orbit.azimuth != azimuth and panel.orbit.elevation != elevation
    after = panel.orbit.project_data(panel.data.rows[:1])
    assert not np.allclose(before, after)
    double_click(view, 0.0, 0.0)
    assert (panel.orbit.azimuth, panel.orbit.elevation) == (azimuth, elevation)
    assert len(panel.data) == 40  # turning the view never adds a point


def test_hovering_over_the_map_feeds_that_house_to_the_neuron(panel):
    panel.runner.step(2)
    viewport = panel.top_view.viewport()
    pos = QPointF(data_to_viewport(panel.top_view, 150.0, 2.8))
    none, plain = Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    move = QMouseEvent(QEvent.Type.MouseMove, pos, viewport.mapToGlobal(pos), none, none, plain)
    QApplication.sendEvent(viewport, move)
    size, bedrooms = panel._hover
    assert bedrooms == 3.0 and abs(size - 150.0) < 3
    weights, bias = trainer_of(panel).params["weights"], float(trainer_of(panel).params["bias"])
    text = panel.neuron._formula.toPlainText()
    assert text.endswith(f"= {size * weights[0] + 3 * weights[1] + bias:.4g}")


def test_scaling_trains_on_standardized_inputs_and_shows_weights_in_the_datas_units(panel, qtbot):
    panel.scaling_check.setChecked(True)
    rows = panel.data.rows
    np.testing.assert_allclose(trainer_of(panel).X, Standardizer().fit_transform(rows[:, :2]))
    stable, fastest = panel._rates["scaled"]
    assert panel.controls.stable_limit == stable
    reference = LinearRegression()
    reference.set_data(trainer_of(panel).X, rows[:, 2])
    assert stable == pytest.approx(reference.stable_learning_rate())
    qtbot.mouseClick(panel.fastest_button, Qt.MouseButton.LeftButton)
    assert trainer_of(panel).learning_rate == pytest.approx(fastest)
    panel.runner.step(60)
    weights, bias = least_squares(rows)
    np.testing.assert_allclose(shown_weights(panel), [*weights, bias], rtol=1e-9)
    assert "per spread" in panel.landscape.getPlotItem().getAxis("bottom").labelText


def test_scaling_makes_a_ten_thousand_times_larger_rate_stable_and_the_bowl_round(panel):
    raw_stable, _ = panel._rates["raw"]
    scaled_stable, _ = panel._rates["scaled"]
    assert scaled_stable / raw_stable > 1e4
    reference = LinearRegression()
    reference.set_data(panel.data.rows[:, :2], panel.data.rows[:, 2])
    assert raw_stable == pytest.approx(reference.stable_learning_rate())
    text = panel.rates_label.text()
    assert f"{raw_stable:.3g}" in text and f"{scaled_stable:.3g}" in text
    # the loss over the two weights: a long narrow valley raw, a nearly round bowl scaled
    for scaled, low, high in ((False, 1e3, np.inf), (True, 1.0, 5.0)):
        panel.scaling_check.setChecked(scaled)
        eigenvalues = np.linalg.eigvalsh(panel._stats.gram[1:3, 1:3])
        assert low <= eigenvalues[-1] / eigenvalues[0] <= high


def test_the_race_reaches_the_least_squares_plane_both_ways_and_scaling_needs_far_fewer_steps(panel, qtbot):
    qtbot.mouseClick(panel.race_button, Qt.MouseButton.LeftButton)  # in-process: done when the click returns
    race = panel._race
    rows = panel.data.rows
    weights, bias = least_squares(rows)
    spread = float(np.std(rows[:, 2]))
    for name in ("raw", "scaled"):
        entry = race[name]
        assert entry["steps"] is not None
        np.testing.assert_allclose(entry["best_weights"], weights, rtol=1e-9)
        reached = np.array(entry["weights"]), entry["bias"]
        # in the data's units: the plane's predictions within the race's tolerance of the best plane's
        gap = rows[:, :2] @ (reached[0] - weights) + (reached[1] - bias)
        assert np.sqrt(np.mean(gap**2)) <= RACE_TOLERANCE * spread
        np.testing.assert_allclose(reached[0], weights, rtol=2e-3)
        stable, fastest = panel._rates[name]
        assert entry["learning_rate"] == pytest.approx(fastest) and fastest <= stable
    assert race["raw"]["steps"] >= 10 * race["scaled"]["steps"]
    assert f"{race['raw']['steps']:,} steps" in panel.race_label.text()
    # the scaled count is the first step that gets there: one step fewer does not
    scaled = LinearRegression(learning_rate=race["scaled"]["learning_rate"])
    X = Standardizer().fit_transform(rows[:, :2])
    scaled.set_data(X, rows[:, 2])
    scaled.run(race["scaled"]["steps"] - 1)
    best = LinearRegression()
    best.set_data(X, rows[:, 2])
    best.set_params(**best.closed_form())
    assert scaled.loss() > best.loss() + (RACE_TOLERANCE * spread) ** 2


def test_the_landscape_is_the_loss_over_the_two_weights_with_the_path(panel):
    panel.runner.step(30)
    trainer = trainer_of(panel)
    weights, bias = trainer.params["weights"], float(trainer.params["bias"])
    path = panel.runner.history.points
    np.testing.assert_allclose(path[-1], weights)
    image = panel.landscape._image.image
    assert image is not None and np.isfinite(image).all()
    x0, x1, y0, y1 = panel._extent
    assert x0 <= weights[0] <= x1 and y0 <= weights[1] <= y1
    # equal units per pixel on both axes, so the valley's shape is true to the geometry
    view = panel.landscape.getPlotItem().getViewBox()
    assert (x1 - x0) / view.width() == pytest.approx((y1 - y0) / view.height(), rel=1e-6)
    probe = LinearRegression()
    probe.set_data(trainer.X, trainer.y)
    probe.set_params(weights=[x0, y0], bias=panel._grid_bias)
    assert 10 ** image[0, 0] == pytest.approx(probe.loss(), rel=1e-9)  # the map is drawn as log10 of the loss
    probe.set_params(weights=[x0, y0], bias=bias)  # re-drawn only once the bias has moved it visibly
    assert 10 ** image[0, 0] == pytest.approx(probe.loss(), rel=0.03)


def test_divergence_names_the_stable_limit_without_scaling(panel):
    panel.controls.learning_rate_box.setValue(1e-3)
    panel.runner.step(500)
    text = panel.message.text.text()
    assert panel.message.isVisible() and "overflow" in text
    assert "stable limit ≈ 3.52e-05 without feature scaling" in text


def test_bad_files_change_nothing_and_a_good_one_names_the_axes(panel, tmp_path):
    rows = panel.data.rows
    path = tmp_path / "houses.csv"
    for content, reason in [("size,bedrooms,price\n100,2\n", "expected 3 numbers"), ("a,b,c\n1,nan,3\n", "NaN")]:
        path.write_text(content)
        with pytest.raises(ValueError, match=reason):
            panel.import_csv(path)
        np.testing.assert_array_equal(panel.data.rows, rows)
    path.write_text("area (ft²),rooms,price ($)\n1000,2,300000\n1500,3,420000\n2000,3,500000\n2500,4,610000\n")
    panel.import_csv(path)
    assert panel.top_view.getPlotItem().getAxis("bottom").labelText == "area (ft²)"
    assert panel.orbit._labels == ("area (ft²)", "rooms", "price ($)")
    panel.export_csv(tmp_path / "back.csv")
    assert (tmp_path / "back.csv").read_text().splitlines()[0] == "area (ft²),rooms,price ($)"


def test_session_keeps_scaling_and_the_new_houses_price(panel):
    panel.scaling_check.setChecked(True)
    panel.price_box.setValue(777.0)
    panel.runner.step(4)
    state = panel.session_state()
    panel.scaling_check.setChecked(False)
    panel.price_box.setValue(1.0)
    panel.load_session_state(state)
    assert panel.scaling_check.isChecked() and panel.runner.probe.scaling and panel.price_box.value() == 777.0
    np.testing.assert_allclose(trainer_of(panel).X, Standardizer().fit_transform(panel.data.rows[:, :2]))
    assert trainer_of(panel).step_count == 4


def test_with_no_houses_nothing_stale_is_drawn(panel):
    panel.runner.step(2)
    panel.data.replace(np.empty((0, 3)), "delete all")
    assert panel.price_map.values is None and panel.landscape._image.image is None
    assert not panel.controls.step_button.isEnabled()
    panel.undo_stack.undo()
    panel.runner.step(1)
    assert panel.price_map.values is not None


def test_the_3d_view_labels_its_axes_with_the_datas_range(panel):
    rows = panel.data.rows
    texts = [t.toPlainText() for t in panel.orbit._tick_texts]
    assert f"{rows[:, 0].min():.3g}" in texts and f"{rows[:, 0].max():.3g}" in texts
    assert f"{rows[:, 2].max():.3g}" in texts and "0" in texts  # the box holds price 0, where training starts
    assert [t.toPlainText() for t in panel.orbit._axis_texts] == ["size", "bedrooms", "price"]


def test_threaded_panel_plays_takes_a_new_house_and_scales_while_playing(qtbot, shown, click_data):
    panel = shown(ManyFeaturesPanel(threaded=True), (1280, 770))
    try:
        qtbot.mouseClick(panel.controls.play_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.runner.latest.playing and panel.runner.latest.step > 100, timeout=10_000)
        click_data(panel.top_view, 120.0, 1.5)  # between the rows of houses: a new one, with 2 bedrooms
        assert len(panel.data) == 41 and panel.data.rows[-1, 1] == 2.0
        panel.scaling_check.setChecked(True)  # pauses and resets: back to all weights 0 on the scaled inputs
        qtbot.waitUntil(lambda: not panel.runner.playing and panel.runner.latest.step == 0, timeout=5000)
        qtbot.mouseClick(panel.fastest_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(panel.controls.play_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.runner.latest.playing and panel.runner.latest.step > 200, timeout=10_000)
        qtbot.mouseClick(panel.controls.play_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not panel.runner.playing, timeout=3000)
        trainer = panel.runner.trainer
        assert trainer.n_points == 41 and trainer.learning_rate == pytest.approx(panel._rates["scaled"][1])
        qtbot.waitUntil(lambda: panel.runner.latest.step == trainer.step_count, timeout=3000)
        weights, bias = least_squares(panel.data.rows)
        np.testing.assert_allclose(shown_weights(panel), [*weights, bias], rtol=1e-8)
    finally:
        assert panel.shutdown()


def test_points_are_where_the_mouse_says(panel):
    size, bedrooms, _price = panel.data.rows[0]
    assert panel.top_view.viewport().rect().contains(data_to_viewport(panel.top_view, size, bedrooms))
    assert isinstance(data_to_viewport(panel.top_view, size, bedrooms), QPoint)


def test_every_term_the_explanation_links_is_in_the_glossary(panel):
    terms = linked_terms(panel.explanation_html)
    assert len(terms) >= 8 and set(terms) <= set(glossary())
    assert panel.hint
    assert silent_controls(panel) == []


def test_the_probes_import_no_qt_so_the_trainers_process_stays_lean():
    script = (
        "import sys; import primer_gui.panels.many_features_probe, primer_gui.panels.overfitting_probe\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph')]"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_new_data_is_framed_and_the_map_follows_the_new_view(panel):
    panel.runner.step(3)
    panel.data_box.points_box.setValue(60)
    panel.data_box.noise_box.setValue(5.0)
    panel.data_box.new_button.click()
    assert len(panel.data) == 60 and panel.data_box.seed_box.value() == 1
    weights, bias = trainer_of(panel).params["weights"], float(trainer_of(panel).params["bias"])
    (x0, x1), (y0, y1) = panel.top_view.view_box.viewRange()
    rows = panel.data.rows
    assert x0 <= rows[:, 0].min() and rows[:, 0].max() <= x1
    assert panel.price_map.values[-1, -1] == pytest.approx(bias + weights[0] * x1 + weights[1] * y1)
    panel.undo_stack.undo()
    assert len(panel.data) == 40
