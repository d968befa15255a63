"""A one-line editor for a single number that a person picked (a weight, a bias): "name = [box] ✕".

:meth:`ValueEditor.edit` shows it with a label and the current value, focused and
selected; Enter gives ``value_entered(value)`` and closes it; ✕ or Esc closes it
without a change.  It knows nothing of what the number is.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from .number_box import NumberBox


class ValueEditor(QWidget):
    value_entered = Signal(float)

    def __init__(self, low: float = -1e3, high: float = 1e3, parent=None):
        super().__init__(parent)
        self.label = QLabel()
        self.box = NumberBox(low, high, significant=4)
        self.box.setToolTip("Type the new value and press Enter (undoable); Esc leaves it as it is")
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Close without changing the value")
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a click must not commit the typing as focus leaves
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.box)
        layout.addWidget(self.close_button)
        layout.addStretch(1)
        self.box.valueChanged.connect(self._on_box_value_changed)
        self.close_button.clicked.connect(self.discard)
        self.setVisible(False)

    def edit(self, label: str, value: float) -> None:
        """Show ``label = value``, ready for typing."""
        self.label.setText(label)
        with QSignalBlocker(self.box):
            self.box.setValue(value)
        self.setVisible(True)
        self.box.setFocus()
        self.box.selectAll()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.key() == Qt.Key.Key_Escape:
            self.discard()
        else:
            super().keyPressEvent(event)

    def discard(self) -> None:
        """Close without a change: what was typed is dropped, not entered as the focus leaves."""
        with QSignalBlocker(self.box):
            self.box.setValue(self.box.value())  # the text back to the value it was shown with
        self.close_editor()

    def close_editor(self) -> None:
        self.setVisible(False)

    def _on_box_value_changed(self, value: float) -> None:
        self.close_editor()
        self.value_entered.emit(value)
