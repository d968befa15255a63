"""The network diagram widget, driven as a person would (it knows layers and numbers, no concept)."""

from __future__ import annotations

import numpy as np
import pytest
from mouse import data_to_viewport
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from primer_gui.widgets.network_view import LINK_MAX_WIDTH, Layer, NetworkView, Node
from primer_gui.widgets.palette import DARK


@pytest.fixture
def view(qtbot):
    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    view.set_layers(
        [
            Layer((Node("a", "input a"), Node("b", "input b", active=False), Node("c", "input c")), "in"),
            Layer((Node(tooltip="middle 1"), Node(tooltip="middle 2")), "2", resizable=True),
            Layer((Node(tooltip="the end"),), "out"),
        ]
    )
    weights = [np.array([[0.5, -2.0], [0.0, 1.0]]), np.array([[3.0], [-0.1]])]
    view.set_parameters(weights, [np.array([0.2, -0.4]), np.array([1.5])])
    return view


def click(qtbot, view, x, y):
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=data_to_viewport(view, x, y))


def move(view, x, y):
    pos = data_to_viewport(view, x, y)
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(pos),
        QPointF(view.viewport().mapToGlobal(pos)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(view.viewport(), event)


def test_links_join_only_active_nodes_and_clicks_say_which_weight(view, qtbot):
    assert len(view._link_index) == 2 * 2 + 2 * 1  # b is inactive: no links from it
    clicked = []
    view.link_clicked.connect(lambda *where: clicked.append(where))
    click(qtbot, view, *view.link_position(0, 1, 0, along=0.2))
    click(qtbot, view, *view.link_position(1, 0, 0))
    assert clicked == [(0, 1, 0), (1, 0, 0)]
    assert view.weight(0, 1, 0) == 0.0


def test_nodes_biases_and_buttons_are_clickable(view, qtbot):
    events = []
    view.node_clicked.connect(lambda *a: events.append(("node", *a)))
    view.bias_clicked.connect(lambda *a: events.append(("bias", *a)))
    view.resize_clicked.connect(lambda *a: events.append(("resize", *a)))
    click(qtbot, view, *view.node_position(0, 1))
    click(qtbot, view, *view.bias_position(1, 1))
    click(qtbot, view, *view.button_position(1, +1))
    click(qtbot, view, *view.button_position(1, -1))
    assert events == [("node", 0, 1), ("bias", 1, 1), ("resize", 1, 1), ("resize", 1, -1)]
    with pytest.raises(KeyError):
        view.button_position(0, +1)  # only resizable layers have buttons


def test_pointing_tells_the_node_and_shows_a_links_value_live(view):
    hovered = []
    view.node_hovered.connect(lambda *a: hovered.append(a))
    move(view, *view.node_position(1, 0))
    move(view, *view.link_position(1, 0, 0))
    assert hovered == [(1, 0), (-1, -1)]
    assert view.value_text == "weight = +3"
    view.set_parameters([np.array([[0.5, -2.0], [0.0, 1.0]]), np.array([[-7.25], [0.0]])], [np.zeros(2), np.zeros(1)])
    assert view.value_text == "weight = -7.25"  # the numbers changed under the pointer
    move(view, *view.bias_position(2, 0))
    assert view.value_text == "bias = +0"
    view.leaveEvent(QEvent(QEvent.Type.Leave))
    assert view.value_text == ""


def test_link_widths_grow_with_the_weight_up_to_a_cap_and_colours_say_the_sign(view):
    pens = {(pen.color().name(), pen.widthF()): len(lines) for pen, lines in view._links._groups}
    widths = sorted(width for _colour, width in pens)
    assert widths[0] < widths[-1] <= LINK_MAX_WIDTH
    colours = {colour for colour, _width in pens}
    assert len(colours) == 2  # positive and negative


def test_pictures_are_packed_in_their_node_cells_and_inactive_ones_are_dimmed(view):
    r = 10
    ramp = np.tile(np.linspace(-1, 1, r), (r, 1))  # low on the left, high on the right
    images = [np.stack([ramp, ramp, ramp]), np.stack([ramp, -ramp]), np.stack([ramp])]
    view.set_images(images, [(-1.0, 1.0)] * 3)
    atlas = view._atlas
    lut = view._lut

    def cell(layer, node):
        x, y = view.node_position(layer, node)
        column = round((x - 0.5 - view._bounds.left()) * r)
        row = round((y - 0.5 - view._bounds.top()) * r)
        return atlas[row : row + r, column : column + r]

    np.testing.assert_array_equal(cell(0, 0)[0, 0], lut[0])  # value −1: the colour map's low end
    np.testing.assert_array_equal(cell(0, 0)[0, -1], lut[255])
    np.testing.assert_array_equal(cell(1, 1)[0, 0], lut[255])  # the second picture is reversed
    assert not np.array_equal(cell(0, 1)[0, 0], lut[0])  # inactive: mixed with the background
    assert atlas[..., 3].min() == 0  # between the cells: nothing


def test_notes_mark_nodes_and_join_their_tooltips(view):
    view.set_notes({(1, 1): "asleep"})
    assert view.note(1, 1) == "asleep" and view.note(1, 0) == ""
    assert view.tooltip_at(QPointF(*view.node_position(1, 1))) == "middle 2\nasleep"
    assert view.tooltip_at(QPointF(*view.node_position(0, 2))) == "input c"
    assert len(view._note_marks.data) == 1
    view.set_notes({})
    assert len(view._note_marks.data) == 0


def test_pictures_that_do_not_change_are_not_drawn_again(view):
    still, moving = np.zeros((3, 8, 8)), np.zeros((2, 8, 8))
    view.set_images([still, moving, np.zeros((1, 8, 8))], [(-1.0, 1.0)] * 3)
    view._atlas[..., :] = 7  # a mark where nothing is redrawn
    view.set_images([still, np.ones((2, 8, 8)), np.zeros((1, 8, 8))], [(-1.0, 1.0)] * 3)
    x, y = view.node_position(0, 0)
    column = round((x - 0.5 - view._bounds.left()) * 8)
    row = round((y - 0.5 - view._bounds.top()) * 8)
    assert (view._atlas[row, column] == 7).all()  # the same input pictures: left as they were
    x, y = view.node_position(1, 0)
    column = round((x - 0.5 - view._bounds.left()) * 8)
    row = round((y - 0.5 - view._bounds.top()) * 8)
    np.testing.assert_array_equal(view._atlas[row, column], view._lut[255])


def test_a_wider_view_spreads_the_layers_and_keeps_what_it_shows(view, qtbot):
    images = [np.zeros((3, 8, 8)), np.ones((2, 8, 8)), np.ones((1, 8, 8))]
    view.set_images(images, [(-1.0, 1.0)] * 3)
    narrow = view.node_position(2, 0)[0]
    view.resize(1200, 400)
    qtbot.wait(10)
    assert view.node_position(2, 0)[0] > narrow
    assert view._atlas is not None and view._atlas[..., 3].max() == 255
    assert view.weight(1, 0, 0) == 3.0


def test_flowing_dashes_move_and_stop(view):
    view.set_flowing(2.0)
    pen = view._links._groups[0][0]
    offset = pen.dashOffset()
    assert pen.dashPattern() and offset != 0
    view.set_flowing(5.0)
    assert view._links._groups[0][0].dashOffset() != offset
    view.set_flowing(None)
    assert all(not pen.dashPattern() for pen, _lines in view._links._groups)


def test_a_theme_change_recolours_links_and_pictures(view):
    images = [np.zeros((3, 8, 8)), np.ones((2, 8, 8)), np.ones((1, 8, 8))]
    view.set_images(images, [(-1.0, 1.0)] * 3)
    before, atlas = view._lut.copy(), view._atlas.copy()
    view.apply_theme(DARK)
    assert not np.array_equal(before, view._lut)
    assert not np.array_equal(atlas, view._atlas)  # drawn again at once in the new colours
    view.set_images(images, [(-1.0, 1.0)] * 3)  # the same pictures again: dimmed ones mix with the dark background
    assert view._links.colours[0].name() == DARK.classes[0]
