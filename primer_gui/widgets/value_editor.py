"""A one-line editor for a single number that a person picked (a weight, a bias): "name = [box] ✕".

:meth:`ValueEditor.edit` shows it with a label and the current value, focused and
selected; Enter gives ``value_entered(value)`` and closes it; ✕ closes it without
a change.  It knows nothing of what the number is.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from .number_box import NumberBox


class ValueEditor(QWidget):
    value_entered = Signal(float)

    def __init__(self, low: float = -1e3, high: float = 1e3, parent=None):
        super().__init__(parent)
        self.label = QLabel()
        self.box = NumberBox(low, high, significant=4)
        self.box.setToolTip("Type the new value and press Enter (undoable)")
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Close without changing the value")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.box)
        layout.addWidget(self.close_button)
        layout.addStretch(1)
        self.box.valueChanged.connect(self._on_box_value_changed)
        self.close_button.clicked.connect(self.close_editor)
        self.setVisible(False)

    def edit(self, label: str, value: float) -> None:
        """Show ``label = value``, ready for typing."""
        self.label.setText(label)
        with QSignalBlocker(self.box):
            self.box.setValue(value)
        self.setVisible(True)
        self.box.setFocus()
        self.box.selectAll()

    def close_editor(self) -> None:
        self.setVisible(False)

    def _on_box_value_changed(self, value: float) -> None:
        self.close_editor()
        self.value_entered.emit(value)
