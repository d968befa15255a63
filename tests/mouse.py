"""Helpers to drive plots with the mouse as a person would (importable as ``mouse``)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication


def data_to_viewport(plot, x: float, y: float) -> QPoint:
    """Data coordinates → scene → the view's viewport pixels."""
    scene = plot.getPlotItem().getViewBox().mapViewToScene(QPointF(x, y))
    return plot.mapFromScene(scene)


def _send(widget, kind, pos: QPoint, button, buttons) -> None:
    global_pos = widget.mapToGlobal(pos)
    event = QMouseEvent(kind, QPointF(pos), QPointF(global_pos), button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def drag(plot, start: tuple[float, float], end: tuple[float, float], moves: int = 8) -> None:
    """Press at ``start``, move with the button held, release at ``end`` (data coordinates)."""
    viewport = plot.viewport()
    left = Qt.MouseButton.LeftButton
    a, b = data_to_viewport(plot, *start), data_to_viewport(plot, *end)
    _send(viewport, QEvent.Type.MouseButtonPress, a, left, left)
    for i in range(1, moves + 1):
        point = QPoint(round(a.x() + (b.x() - a.x()) * i / moves), round(a.y() + (b.y() - a.y()) * i / moves))
        _send(viewport, QEvent.Type.MouseMove, point, Qt.MouseButton.NoButton, left)
    _send(viewport, QEvent.Type.MouseButtonRelease, b, left, Qt.MouseButton.NoButton)


def hover(plot, x: float, y: float) -> None:
    """Move the mouse, no button held, to data coordinates (x, y) of a plot."""
    none = Qt.MouseButton.NoButton
    _send(plot.viewport(), QEvent.Type.MouseMove, data_to_viewport(plot, x, y), none, none)


@pytest.fixture
def click_data(qtbot):
    def click(plot, x: float, y: float, button=Qt.MouseButton.LeftButton) -> None:
        qtbot.mouseClick(plot.viewport(), button, pos=data_to_viewport(plot, x, y))

    return click
