"""Two small concept-free widgets the Neural net tab brought: the one-number editor and the grid cell."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from primer_gui.widgets.grid_cell import GridCell
from primer_gui.widgets.value_editor import ValueEditor


def test_the_editor_shows_a_value_and_says_the_one_typed_then_closes(qtbot):
    host = QWidget()
    editor = ValueEditor()
    editor.setParent(host)
    qtbot.addWidget(host)
    host.show()
    entered = []
    editor.value_entered.connect(entered.append)
    editor.edit("w =", 0.25)
    assert editor.isVisible() and editor.label.text() == "w =" and editor.box.value() == 0.25
    assert entered == []  # showing is not entering
    editor.box.lineEdit().setText("-1.5")
    qtbot.keyClick(editor.box, Qt.Key.Key_Return)
    assert entered == [-1.5] and not editor.isVisible()
    editor.edit("b =", 2.0)
    editor.box.lineEdit().setText("5")
    qtbot.mouseClick(editor.close_button, Qt.MouseButton.LeftButton)
    assert entered == [-1.5] and not editor.isVisible()
    editor.edit("c =", 3.0)
    editor.box.lineEdit().setText("7")
    qtbot.keyClick(editor.box, Qt.Key.Key_Escape)
    assert entered == [-1.5] and not editor.isVisible()


def test_grid_cells_share_the_height_by_stretch_not_by_what_their_widgets_prefer(qtbot):
    host = QWidget()
    grid = QGridLayout(host)
    tall = QLabel("word " * 400)
    tall.setWordWrap(True)  # it would ask for the height of all its lines
    grid.addWidget(GridCell(tall), 0, 0)
    grid.addWidget(GridCell(QLabel("short")), 1, 0)
    grid.setRowStretch(0, 1)
    grid.setRowStretch(1, 1)
    qtbot.addWidget(host)
    host.resize(300, 400)
    host.show()
    qtbot.waitExposed(host)
    first, second = (grid.itemAt(i).widget().height() for i in range(2))
    assert abs(first - second) <= 2
