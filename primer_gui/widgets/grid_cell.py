"""A cell of a tab's plot grid that asks for no more than its minimum size.

A ``QGridLayout`` gives each row the height its widgets *prefer* before it shares
the rest by stretch; pyqtgraph's views prefer ~500 pixels each and a word-wrapped
label asks for the height of its text, so the stretch factors a tab sets would
barely count.  Wrapped in a cell, a widget asks for its minimum and the rows share
the height by their stretch alone.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QVBoxLayout, QWidget


class GridCell(QWidget):
    def __init__(self, widget: QWidget, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(widget)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self.minimumSizeHint()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return False
