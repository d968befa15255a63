"""The Clusters tab, driven as a person drives it (in-process runner unless stated)."""

from __future__ import annotations

import numpy as np
import pytest
from explanations import linked_terms
from mouse import drag
from PySide6.QtCore import Qt
from sklearn.cluster import KMeans as SklearnKMeans

from primer_gui.core import KMeans
from primer_gui.core.datasets import CATS_AND_DOGS_FEATURES
from primer_gui.panels.clusters import MAX_LINES, UNASSIGNED, ClustersPanel
from primer_gui.widgets.palette import DARK, LIGHT


@pytest.fixture
def panel(shown_panel):
    return shown_panel(ClustersPanel)


def trainer_of(panel) -> KMeans:
    return panel.runner.trainer


def extra(panel) -> dict:
    return panel.runner.latest.extra


def click_step(panel, qtbot, times: int = 1) -> None:
    for _ in range(times):
        qtbot.mouseClick(panel.controls.step_button, Qt.MouseButton.LeftButton)


def coloured(panel) -> np.ndarray:
    """The colour index each point is drawn in (UNASSIGNED for no cluster)."""
    return panel.data_plot.labels


def play_until_converged(panel, qtbot) -> None:
    panel.controls.speed_box.setCurrentText("max")
    qtbot.mouseClick(panel.controls.play_button, Qt.MouseButton.LeftButton)
    # Play stops by itself at Lloyd's fixed point, and says so
    qtbot.waitUntil(
        lambda: extra(panel)["converged"] and not panel.runner.playing and not panel.runner.latest.playing,
        timeout=20_000,
    )
    assert panel.message.isVisible() and "Converged after" in panel.message.text.text()


def sklearn_inertia(X, initial) -> float:
    model = SklearnKMeans(len(initial), init=initial, n_init=1, algorithm="lloyd", tol=0.0, max_iter=300)
    return float(model.fit(X).inertia_)


# -- Lloyd's two half-steps -----------------------------------------------------------------------
def test_before_the_first_assign_no_point_has_a_cluster(panel):
    assert extra(panel)["labels"] is None and extra(panel)["next"] == "assign"
    assert (coloured(panel) == UNASSIGNED).all()
    assert "No point has a cluster yet" in panel.readout.text()
    xs, _ = panel._lines.getData()
    assert xs is None or len(xs) == 0  # no lines: no point belongs to a centre yet
    assert panel.regions.categories is not None  # the regions each centre owns are there from the start


def test_step_assigns_then_updates_and_each_half_is_seen(panel, qtbot):
    trainer = trainer_of(panel)
    centres = trainer.params["centers"]
    click_step(panel, qtbot)
    trainer = trainer_of(panel)
    expected = trainer.assign()
    np.testing.assert_array_equal(coloured(panel), expected)  # every point recoloured by its nearest centre
    np.testing.assert_array_equal(trainer.params["centers"], centres)  # nothing moved yet
    assert trainer.step_count == 0 and extra(panel)["next"] == "update"
    assert "all 300 points got their nearest centre" in panel.readout.text()
    assert "Next: update" in panel.readout.text()
    xs, _ = panel._lines.getData()
    assert len(xs) == 2 * 300  # a line from every point to its own centre

    click_step(panel, qtbot)
    trainer = trainer_of(panel)
    means = np.array([panel.data.rows[expected == j].mean(axis=0) for j in range(3)])
    np.testing.assert_allclose(trainer.params["centers"], means, rtol=1e-12)
    assert trainer.step_count == 1 and trainer.epoch_count == 1
    np.testing.assert_array_equal(coloured(panel), expected)  # the update does not recolour
    ghosts, _ = panel._ghosts.getData()
    np.testing.assert_allclose(ghosts, centres[:, 0])  # where the centres came from, drawn
    assert "Update: the centres moved" in panel.readout.text() and "Next: assign" in panel.readout.text()
    # the objective shown is the sum of the squared lengths of the lines: the points to their coloured centres
    assert extra(panel)["objective"] == pytest.approx(trainer.inertia(expected), rel=1e-12)


def test_an_assign_says_how_many_points_changed_cluster(panel, qtbot):
    panel.init_box.setCurrentIndex(panel.init_box.findData("random"))
    panel.init_box.activated.emit(panel.init_box.currentIndex())
    click_step(panel, qtbot, 2)
    before = coloured(panel).copy()
    click_step(panel, qtbot)
    changed = int(np.count_nonzero(coloured(panel) != before))
    last = extra(panel)["last"]
    assert last["half"] == "assign" and last["changed"] == changed
    if changed:
        assert f"Assign: {changed:,} point" in panel.readout.text()
    assert last["after"] <= last["before"] + 1e-9  # an assign never raises the objective


def test_play_converges_to_a_fixed_point_of_lloyd_and_the_objective_is_the_inertia(panel, qtbot):
    panel.init_box.setCurrentIndex(panel.init_box.findData("random"))
    panel.init_box.activated.emit(panel.init_box.currentIndex())
    play_until_converged(panel, qtbot)
    assert "Converged" in panel.readout.text()
    trainer = trainer_of(panel)
    centres = trainer.params["centers"]
    labels = trainer.assign()
    np.testing.assert_array_equal(trainer.centers_from(labels), centres)  # one more assign + update: no change
    assert extra(panel)["objective"] == trainer.inertia()
    assert panel.runner.history.latest("objective") == trainer.inertia()
    # and through the GUI: an assign changes no point, an update moves no centre
    for _ in range(4):
        click_step(panel, qtbot)
        last = extra(panel)["last"]
        assert last["changed"] == 0 if last["half"] == "assign" else last["moved"] == 0
        assert extra(panel)["converged"]
    np.testing.assert_array_equal(trainer_of(panel).params["centers"], centres)


def test_the_objective_never_rises_from_half_step_to_half_step(panel, qtbot):
    panel.init_box.setCurrentIndex(panel.init_box.findData("random"))
    panel.init_box.activated.emit(panel.init_box.currentIndex())
    values = []
    for _ in range(12):
        click_step(panel, qtbot)
        values.append(extra(panel)["objective"])
    assert all(b <= a * (1 + 1e-12) for a, b in zip(values, values[1:], strict=False))


def test_one_epoch_is_one_whole_iteration(panel, qtbot):
    qtbot.mouseClick(panel.controls.epoch_button, Qt.MouseButton.LeftButton)
    assert trainer_of(panel).step_count == 1 and extra(panel)["next"] == "assign"


def test_reset_forgets_the_clusters(panel, qtbot):
    click_step(panel, qtbot, 3)
    qtbot.mouseClick(panel.controls.reset_button, Qt.MouseButton.LeftButton)
    assert trainer_of(panel).step_count == 0 and extra(panel)["labels"] is None
    assert (coloured(panel) == UNASSIGNED).all()


# -- where the centres start, and moving them by hand ----------------------------------------------
def test_click_to_place_the_centres_puts_them_where_clicked(panel, click_data):
    rows = panel.data.rows
    panel.init_box.setCurrentIndex(panel.init_box.findData("placed"))
    panel.init_box.activated.emit(panel.init_box.currentIndex())
    assert "Click to place centre 1 of 3" in panel._prompt.textItem.toPlainText()
    spots = [(-4.0, 6.0), (-3.5, 6.5), (-4.2, 5.2)]  # all three in one corner
    for x, y in spots:
        click_data(panel.data_plot, x, y)
    np.testing.assert_array_equal(panel.data.rows, rows)  # the clicks placed centres, not points
    trainer = trainer_of(panel)
    width, height = panel.data_plot.view_box.viewPixelSize()
    np.testing.assert_allclose(trainer.init, spots, atol=2 * max(width, height))
    np.testing.assert_array_equal(trainer.params["centers"], trainer.init)
    assert trainer.step_count == 0 and not panel.markers.picking
    assert panel.init_box.currentData() == "placed"
    # from one corner, the nearest centre takes every point at first: the others own none
    panel.step()
    assert np.bincount(trainer_of(panel).assign(), minlength=3).max() > 200


def test_a_right_click_cancels_placing(panel, click_data):
    panel.init_box.setCurrentIndex(panel.init_box.findData("placed"))
    panel.init_box.activated.emit(panel.init_box.currentIndex())
    click_data(panel.data_plot, 0.0, 0.0)
    click_data(panel.data_plot, 1.0, 1.0, button=Qt.MouseButton.RightButton)
    assert not panel.markers.picking and panel.init_box.currentData() == "k-means++"
    assert trainer_of(panel).init == "k-means++" and len(panel.data) == 300


def test_dragging_a_centre_moves_it_as_one_undo_step(panel, qtbot):
    click_step(panel, qtbot, 2)
    trainer = trainer_of(panel)
    centres = trainer.params["centers"]
    target = (centres[0, 0] + 2.0, centres[0, 1] - 1.5)
    drag(panel.data_plot, tuple(centres[0]), target)
    moved = trainer_of(panel).params["centers"]
    width, height = panel.data_plot.view_box.viewPixelSize()
    np.testing.assert_allclose(moved[0], target, atol=2 * max(width, height))
    np.testing.assert_array_equal(moved[1:], centres[1:])
    assert len(panel.data) == 300 and panel.undo_stack.count() == 1
    assert panel.undo_stack.undoText() == "move centre 1"
    assert extra(panel)["next"] == "assign"  # the colours stay until the next assign
    panel.undo_stack.undo()
    np.testing.assert_array_equal(trainer_of(panel).params["centers"], centres)
    panel.undo_stack.redo()
    np.testing.assert_allclose(trainer_of(panel).params["centers"][0], moved[0])


def test_a_centre_dragged_far_away_gets_no_points_and_the_tab_says_so(panel, qtbot):
    click_step(panel, qtbot, 2)
    centre = trainer_of(panel).params["centers"][2]
    (x0, x1), (y0, y1) = panel.data_plot.view_box.viewRange()
    corners = [(x0 + 0.03 * (x1 - x0), y0 + 0.03 * (y1 - y0)), (x1 - 0.03 * (x1 - x0), y1 - 0.03 * (y1 - y0))]
    corners += [(x0 + 0.03 * (x1 - x0), y1 - 0.03 * (y1 - y0)), (x1 - 0.03 * (x1 - x0), y0 + 0.03 * (y1 - y0))]
    corner = max(corners, key=lambda c: np.hypot(*(np.array(c) - centre)))  # away from its own points
    drag(panel.data_plot, tuple(centre), corner)
    click_step(panel, qtbot, 2)
    trainer = trainer_of(panel)
    assert extra(panel)["counts"][2] == 0
    assert "Cluster 3 has no points: its centre stays where it is" in panel.readout.text()
    np.testing.assert_allclose(trainer.params["centers"][2], corner, atol=0.2)  # as the core documents


# -- the data ------------------------------------------------------------------------------------------
def test_an_edit_that_leaves_fewer_points_than_k_is_refused_before_it_is_undoable(panel):
    panel.data.replace(panel.data.rows[:3], "three points")
    count = panel.undo_stack.count()
    panel._on_editor_point_deleted(0)
    assert len(panel.data) == 3 and panel.undo_stack.count() == count
    assert panel.message.isVisible() and "needs at least 3 points" in panel.message.text.text()
    assert "Lower k first" in panel.message.text.text()


def test_clicks_add_points_and_the_new_point_takes_its_nearest_centre(panel, click_data, qtbot):
    click_step(panel, qtbot)
    (x0, x1), (y0, y1) = panel.data_plot.view_box.viewRange()
    x, y = x0 + 0.05 * (x1 - x0), y0 + 0.05 * (y1 - y0)
    click_data(panel.data_plot, x, y)
    assert len(panel.data) == 301 and trainer_of(panel).n_points == 301
    assert coloured(panel)[-1] == trainer_of(panel).assign()[-1]


def test_picking_a_data_set_draws_it_at_once_undoably(panel):
    rows = panel.data.rows.copy()
    box = panel.data_box.dataset_box
    box.setCurrentText("rings")
    box.activated.emit(box.currentIndex())  # as a person's pick does (setting it in code draws nothing)
    assert panel.undo_stack.undoText() == "new data: rings" and not np.array_equal(panel.data.rows, rows)
    panel.undo_stack.undo()
    np.testing.assert_array_equal(panel.data.rows, rows)


@pytest.mark.parametrize("name", ["blobs", "uniform noise", "two long clusters", "rings", "smiley", "cats & dogs"])
def test_every_data_set_is_drawn_and_clusters(panel, qtbot, name):
    panel.data_box.dataset_box.setCurrentText(name)
    panel.data_box.points_box.setValue(240)
    panel.data_box.new_button.click()
    assert len(panel.data) == 240 and trainer_of(panel).n_points == 240
    assert panel.undo_stack.undoText() == f"new data: {name}"
    play_until_converged(panel, qtbot)
    assert extra(panel)["counts"].sum() == 240


def test_cats_and_dogs_name_their_axes_and_reveal_the_animals_only_when_asked(panel, qtbot):
    panel.data_box.dataset_box.setCurrentText("cats & dogs")
    panel.data_box.new_button.click()
    axis = panel.data_plot.getPlotItem().getAxis("bottom")
    assert axis.labelText == CATS_AND_DOGS_FEATURES[0] and panel.header == list(CATS_AND_DOGS_FEATURES)
    panel.k_box.setValue(2)
    play_until_converged(panel, qtbot)
    text = panel.groups_page.text.text()
    assert "weight (kg)" in text and "cats" not in text  # numbers and centres, not names
    panel.reveal_check.setChecked(True)
    text = panel.groups_page.text.text()
    assert "cats" in text and "dogs" in text


def test_undo_and_redo_of_new_data_bring_back_its_axis_names_and_true_groups(panel):
    panel.data_box.dataset_box.setCurrentText("cats & dogs")
    panel.data_box.new_button.click()
    panel.undo_stack.undo()
    axis = panel.data_plot.getPlotItem().getAxis("bottom")
    assert panel.header == ["x", "y"] and axis.labelText == "x"
    assert panel._truth[2] == ("blob 1", "blob 2", "blob 3")
    panel.undo_stack.redo()
    assert panel.header == list(CATS_AND_DOGS_FEATURES) and panel._truth[2] == ("cats", "dogs")
    panel.apply_theme(DARK)
    assert axis.labelText == CATS_AND_DOGS_FEATURES[0]  # a theme keeps the data's axis names


def test_large_data_trains_on_every_point_and_draws_a_subset(panel, qtbot):
    panel.data_box.points_box.setValue(20_000)
    panel.data_box.new_button.click()
    click_step(panel, qtbot, 2)
    assert trainer_of(panel).n_points == 20_000
    xs, _ = panel._lines.getData()
    assert len(xs) == 2 * MAX_LINES


def test_csv_round_trip_and_a_bad_file_changes_nothing(panel, tmp_path):
    path = tmp_path / "points.csv"
    panel.export_csv(path)
    rows = panel.data.rows
    panel.data.replace(rows[:50])
    panel.import_csv(path)
    np.testing.assert_array_equal(panel.data.rows, rows)
    path.write_text("x,y\n1,2\n")
    with pytest.raises(ValueError, match="needs at least 3 points"):
        panel.import_csv(path)
    np.testing.assert_array_equal(panel.data.rows, rows)


# -- k, the method, the analyses ---------------------------------------------------------------------
def test_changing_k_starts_again_with_k_centres(panel, qtbot):
    click_step(panel, qtbot, 4)
    panel.k_box.setValue(5)
    trainer = trainer_of(panel)
    assert trainer.k == 5 and trainer.params["centers"].shape == (5, 2) and trainer.step_count == 0
    assert len(panel.markers.positions) == 5


def test_changing_k_after_placing_centres_goes_back_to_k_means_plus_plus(panel, click_data):
    panel.init_box.setCurrentIndex(panel.init_box.findData("placed"))
    panel.init_box.activated.emit(panel.init_box.currentIndex())
    for spot in [(-4.0, 6.0), (-3.5, 6.5), (-4.2, 5.2)]:
        click_data(panel.data_plot, *spot)
    panel.k_box.setValue(4)
    assert trainer_of(panel).k == 4 and trainer_of(panel).init == "k-means++"
    assert panel.init_box.currentData() == "k-means++" and not panel.message.isVisible()


def test_gradient_descent_lowers_the_same_objective_with_a_learning_rate(panel, qtbot):
    assert not panel.controls.learning_rate_box.isEnabled()
    panel.method_box.setCurrentIndex(panel.method_box.findData("gradient"))
    assert trainer_of(panel).method == "gradient" and panel.controls.learning_rate_box.isEnabled()
    panel.controls.learning_rate_box.setValue(0.2)
    panel.controls.batch_box.setValue(30)
    click_step(panel, qtbot)
    report = panel.runner.report
    np.testing.assert_allclose(
        report.params_after["centers"], report.params_before["centers"] - 0.2 * report.gradients["centers"]
    )
    ringed, _ = panel.data_plot._highlight.getData()
    assert len(ringed) == 30  # the batch the step used
    assert extra(panel)["next"] is None and "Gradient descent" in panel.readout.text()
    assert panel.controls.stable_limit == pytest.approx(300 / extra(panel)["counts"].max())
    panel.method_box.setCurrentIndex(panel.method_box.findData("lloyd"))
    assert trainer_of(panel).batch_size is None and not panel.controls.batch_box.isEnabled()
    panel.method_box.setCurrentIndex(panel.method_box.findData("gradient"))
    assert trainer_of(panel).batch_size == 30  # the batch size comes back with the method


def test_the_elbow_matches_scikit_learn_from_the_same_starting_centres(panel, qtbot):
    panel.pages.setCurrentWidget(panel.elbow_page)
    qtbot.mouseClick(panel.elbow_page.button, Qt.MouseButton.LeftButton)
    result = panel.elbow_page.result
    assert result["k"] == list(range(1, 11))
    X = panel.data.rows
    for initial, value in zip(result["initial"], result["objective"], strict=True):
        assert value == pytest.approx(sklearn_inertia(X, initial), rel=1e-9)
    assert all(b <= a for a, b in zip(result["objective"], result["objective"][1:], strict=False))
    xs, ys = panel.elbow_page._line.getData()
    np.testing.assert_array_equal(ys, result["objective"])
    assert panel.elbow_page.button.isEnabled()


def test_restarts_find_a_worse_local_minimum_and_replay_it(panel, qtbot):
    panel.pages.setCurrentWidget(panel.restarts_page)
    qtbot.mouseClick(panel.restarts_page.button, Qt.MouseButton.LeftButton)
    result = panel.restarts_page.result
    values = np.array(result["objective"])
    X = panel.data.rows
    for initial, value in zip(result["initial"], values, strict=True):
        assert value == pytest.approx(sklearn_inertia(X, initial), rel=1e-9)
    assert values.max() > 1.5 * values.min()  # on these blobs one start gets stuck
    assert "a worse local minimum" in panel.restarts_page.note.text()
    qtbot.mouseClick(panel.restarts_page.worst_button, Qt.MouseButton.LeftButton)
    np.testing.assert_array_equal(trainer_of(panel).init, result["initial"][int(values.argmax())])
    play_until_converged(panel, qtbot)
    assert trainer_of(panel).inertia() == pytest.approx(values.max(), rel=1e-9)


def test_lloyd_and_gradient_descent_compared_from_the_same_start(panel, qtbot):
    panel.pages.setCurrentWidget(panel.compare_page)
    qtbot.mouseClick(panel.compare_page.button, Qt.MouseButton.LeftButton)
    result = panel.compare_page.result
    lloyd, gradient = np.array(result["lloyd"]), np.array(result["gradient"])
    reference = KMeans(k=3, init="k-means++", seed=0)
    reference.set_data(panel.data.rows)
    assert lloyd[0] == gradient[0] == reference.inertia()  # the same start: Reset's centres
    assert (np.diff(lloyd) <= 1e-9).all() and gradient[-1] < gradient[0]
    assert len(gradient) == 41
    assert lloyd[-1] == pytest.approx(sklearn_inertia(panel.data.rows, reference.params["centers"]), rel=1e-9)


def test_the_analyses_say_when_the_data_changed_since(panel, qtbot):
    qtbot.mouseClick(panel.elbow_page.button, Qt.MouseButton.LeftButton)
    panel.data.add((0.0, 0.0))
    assert "computed before the data last changed" in panel.elbow_page.note.text()


# -- sessions, themes, the real process ----------------------------------------------------------------
def test_a_session_keeps_k_the_method_the_placed_start_and_the_view(panel, click_data, qtbot):
    panel.k_box.setValue(4)
    panel.init_box.setCurrentIndex(panel.init_box.findData("placed"))
    panel.init_box.activated.emit(panel.init_box.currentIndex())
    for spot in [(-4.0, 6.0), (-3.5, 6.5), (-4.2, 5.2), (4.0, -4.0)]:
        click_data(panel.data_plot, *spot)
    panel.lines_check.setChecked(False)
    click_step(panel, qtbot, 3)
    state = panel.session_state()
    init = trainer_of(panel).init
    panel.k_box.setValue(2)
    panel.lines_check.setChecked(True)
    panel.data.add((1.0, 1.0))
    panel.load_session_state(state)
    trainer = trainer_of(panel)
    assert trainer.k == 4 and panel.k_box.value() == 4 and trainer.step_count == 1
    np.testing.assert_array_equal(trainer.init, init)
    assert panel.init_box.currentData() == "placed" and not panel.lines_check.isChecked()
    assert len(panel.data) == 300 and panel.undo_stack.count() == 0


def test_a_damaged_session_is_refused(panel):
    state = panel.session_state()
    trainer = state["trainer"]
    for damage in (
        {"trainer": {**trainer, "hyperparameters": {**trainer["hyperparameters"], "k": 11}}},
        {"trainer": {**trainer, "hyperparameters": {**trainer["hyperparameters"], "method": "magic"}}},
        {"data": state["data"][:2]},
    ):
        with pytest.raises(ValueError, match="Clusters part is damaged"):
            panel.load_session_state({**state, **damage})
    assert len(panel.data) == 300


def test_both_themes_recolour_the_regions(panel):
    before = panel.regions.image.image.copy()
    panel.apply_theme(DARK)
    assert not np.array_equal(panel.regions.image.image, before)
    panel.apply_theme(LIGHT)
    np.testing.assert_array_equal(panel.regions.image.image, before)


def test_the_real_process_plays_half_steps_converges_and_computes_the_elbow(qtbot):
    panel = ClustersPanel(threaded=True)
    qtbot.addWidget(panel)
    panel.show()
    results = []
    panel.runner.result_ready.connect(lambda name, result: results.append(name))
    click_step(panel, qtbot)
    qtbot.waitUntil(lambda: panel.runner.latest.extra.get("next") == "update", timeout=5000)
    play_until_converged(panel, qtbot)
    trainer = panel.runner.trainer
    np.testing.assert_array_equal(trainer.centers_from(trainer.assign()), trainer.params["centers"])
    qtbot.mouseClick(panel.elbow_page.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "elbow" in results, timeout=10_000)
    assert panel.elbow_page.result["k"][-1] == 10
    assert panel.shutdown()


def test_every_term_the_explanation_links_is_in_the_glossary():

    from primer_gui.glossary import glossary
    from primer_gui.panels.clusters import EXPLANATION

    terms = linked_terms(EXPLANATION)
    assert {"unsupervised learning", "clustering", "centroid", "loss", "k-means", "Lloyd's algorithm"} <= set(terms)
    assert [term for term in terms if term not in glossary()] == []
