"""Widgets for points in groups: colours by label, a map of categories, markers dragged and positions picked."""

from __future__ import annotations

import numpy as np
import pytest
from mouse import data_to_viewport, drag
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from primer_gui.widgets.category_map import CategoryMap
from primer_gui.widgets.markers import DraggableMarkers
from primer_gui.widgets.palette import DARK, LIGHT
from primer_gui.widgets.plots import Plot
from primer_gui.widgets.point_editor import PointEditor

ROLES = tuple(f"clusters[{j}]" for j in range(3))


def click(qtbot, plot, x, y, button=Qt.MouseButton.LeftButton):
    qtbot.mouseClick(plot.viewport(), button, pos=data_to_viewport(plot, x, y))


def framed(plot):
    plot.getPlotItem().getViewBox().setRange(xRange=(0, 10), yRange=(0, 10), padding=0)
    plot.settle()
    return plot


def test_both_themes_have_ten_distinct_group_colours_and_a_grey():
    for palette in (LIGHT, DARK):
        assert len(palette.clusters) == 10 and len(set(palette.clusters)) == 10
        assert QColor(palette.unassigned).isValid() and palette.unassigned not in palette.clusters


def test_point_editor_colours_points_by_label_and_clicks_carry_no_class(shown, qtbot):
    editor = framed(shown(PointEditor("groups", colour_roles=(*ROLES, "unassigned")), (400, 400)))
    points = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [4.0, 4.0]])
    editor.set_points(points, np.array([3, 3, 3, 3]))
    assert len(editor._scatters[3].data) == 4 and all(len(s.data) == 0 for s in editor._scatters[:3])
    editor.set_labels(np.array([0, 1, 1, 2]))
    assert [len(s.data) for s in editor._scatters] == [1, 2, 1, 0]
    np.testing.assert_array_equal(editor.points, points)
    added = []
    editor.point_added.connect(lambda x, y, label: added.append(label))
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=data_to_viewport(editor, 8, 2))
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.RightButton, pos=data_to_viewport(editor, 8, 8))
    assert added == [-1]  # a left-click adds a point with no class; a right-click on empty space adds nothing


def test_category_map_draws_each_category_in_its_colour_over_the_given_rectangle(shown):
    plot = framed(shown(Plot("map"), (400, 400)))
    layer = CategoryMap(plot, ROLES, strength=1.0)
    categories = np.array([[0, 1], [2, 2]])
    layer.set_map(categories, (0.0, 10.0), (0.0, 5.0))
    image = layer.image.image
    assert image.shape == (2, 2, 4)
    for (i, j), category in np.ndenumerate(categories):
        assert QColor(*image[i, j, :3]).name() == LIGHT.clusters[category]
    rect = layer.image.mapRectToParent(layer.image.boundingRect())
    assert (rect.left(), rect.top(), rect.width(), rect.height()) == (0.0, 0.0, 10.0, 5.0)
    plot.apply_theme(DARK)
    assert QColor(*layer.image.image[0, 0, :3]).name() == DARK.clusters[0]
    for bad in (np.array([[0, 3]]), np.array([[-1]]), np.zeros((0, 0))):
        with pytest.raises(ValueError):
            layer.set_map(bad, (0.0, 1.0), (0.0, 1.0))
    layer.clear()
    assert layer.image.image is None


def test_markers_are_dragged_one_gesture_at_a_time_and_other_presses_pass_through(shown):
    editor = framed(shown(PointEditor("groups"), (400, 400)))
    markers = DraggableMarkers(editor, ROLES)
    markers.set_positions(np.array([[2.0, 2.0], [8.0, 8.0]]))
    dragged, released, added = [], [], []
    markers.marker_dragged.connect(lambda *args: dragged.append(args))
    markers.marker_released.connect(released.append)
    editor.point_added.connect(lambda x, y, label: added.append((x, y)))
    drag(editor, (8.0, 8.0), (6.0, 3.0), moves=4)
    assert len(dragged) == 4 and {args[0] for args in dragged} == {1} and len({args[3] for args in dragged}) == 1
    width, height = editor.getPlotItem().getViewBox().viewPixelSize()
    assert abs(dragged[-1][1] - 6.0) < 2 * width and abs(dragged[-1][2] - 3.0) < 2 * height
    assert released == [1] and not added  # the drag never reached the editor
    assert markers.positions[1] == pytest.approx((6.0, 3.0), abs=2 * max(width, height))
    drag(editor, (2.0, 2.0), (3.0, 3.0), moves=2)
    assert dragged[-1][0] == 0 and dragged[-1][3] != dragged[0][3]  # a second gesture
    markers.set_positions(np.array([[2.0, 2.0], [8.0, 8.0]]))
    drag(editor, (5.0, 5.0), (5.0, 5.0), moves=0)
    assert len(added) == 1  # a press away from every marker is the editor's: a click adds a point


def test_picking_reports_clicks_in_the_data_area_instead_of_passing_them_on(shown, qtbot):
    editor = framed(shown(PointEditor("groups"), (400, 400)))
    markers = DraggableMarkers(editor, ROLES)
    picked, cancelled, added = [], [], []
    markers.position_picked.connect(lambda x, y: picked.append((x, y)))
    markers.picking_cancelled.connect(lambda: cancelled.append(True))
    editor.point_added.connect(lambda x, y, label: added.append((x, y)))
    markers.set_picking(True)
    click(qtbot, editor, 3.0, 7.0)
    click(qtbot, editor, 1.0, 1.0, button=Qt.MouseButton.RightButton)
    width, height = editor.getPlotItem().getViewBox().viewPixelSize()
    assert len(picked) == 1 and abs(picked[0][0] - 3.0) < 2 * width and abs(picked[0][1] - 7.0) < 2 * height
    assert cancelled == [True] and not added
    markers.set_picking(False)
    click(qtbot, editor, 3.0, 7.0)
    assert len(picked) == 1 and len(added) == 1


def test_point_editor_recolours_only_the_colours_whose_points_changed_and_draws_at_most_max_drawn(shown):
    editor = framed(shown(PointEditor("groups", colour_roles=ROLES, max_drawn=50), (400, 400)))
    points = np.random.default_rng(2).uniform(0, 10, (200, 2))
    labels = np.arange(200) % 3
    editor.set_points(points, labels)
    assert editor.drawn_indices.size == 50 and "showing 50 of 200 points" in editor._subset_note.toPlainText()
    calls = []
    for index, scatter in enumerate(editor._scatters):
        original = scatter.setData
        scatter.setData = lambda *args, _i=index, _f=original, **kwargs: (calls.append(_i), _f(*args, **kwargs))
    editor.set_labels(labels)
    assert calls == []  # nothing changed, nothing drawn again
    moved = labels.copy()
    first = editor.drawn_indices[0]
    moved[first] = (labels[first] + 1) % 3
    editor.set_labels(moved)
    assert sorted(calls) == sorted([labels[first], moved[first]])
    assert sum(len(s.data) for s in editor._scatters) == 50


def test_live_text_rewrites_only_new_text_and_never_asks_for_a_new_layout(shown, qtbot):
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QLabel, QWidget

    from primer_gui.widgets.live_text import LiveText

    class Requests(QObject):
        count = 0

        def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
            self.count += event.type() == QEvent.Type.LayoutRequest
            return False

    holders = []

    def layout_requests(widget, texts) -> int:
        holder = shown(QWidget(), (400, 400))
        holders.append(holder)
        widget.setParent(holder)
        widget.show()
        qtbot.wait(20)
        requests = Requests()
        holder.installEventFilter(requests)
        for text in texts:
            (widget.set_html if isinstance(widget, LiveText) else widget.setText)(text)
            qtbot.wait(5)
        holder.removeEventFilter(requests)
        return requests.count

    texts = [f"objective <b>{value:.6g}</b>, step {step}" for step, value in enumerate([812.4, 790.25, 788.125])]
    assert layout_requests(QLabel(), texts) > 0  # what a label does (so the check can fail)
    text = LiveText(lines=3)
    assert layout_requests(text, texts) == 0
    assert text.text() == "objective 788.125, step 2"
    document = text.document()
    text.set_html(texts[-1])  # the same text: nothing rewritten
    assert text.document() is document and text.toHtml() == document.toHtml()
