"""A message that needs the person's eye (training stopped, an edit refused), with an optional way out."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from .palette import Palette


class Banner(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.button = QPushButton()
        self.button.setVisible(False)
        self.close_button = QPushButton("✕")
        self.close_button.setFlat(True)
        self.close_button.setToolTip("Dismiss")
        self.close_button.setFixedWidth(24)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        layout.addWidget(self.close_button)
        self._action: Callable[[], None] | None = None
        self.button.clicked.connect(self._on_button_clicked)
        self.close_button.clicked.connect(self.dismiss)
        self.setVisible(False)

    def apply_theme(self, palette: Palette) -> None:
        self.setStyleSheet(
            f"Banner {{ background:{palette.warning_background}; border-radius:4px }} "
            f"QLabel {{ color:{palette.warning_text} }}"
        )

    def show_message(self, text: str, action: tuple[str, Callable[[], None]] | None = None) -> None:
        """Show ``text``; ``action`` is a button (label, what it does) that also dismisses the message."""
        self.text.setText(text)
        self._action = None if action is None else action[1]
        self.button.setVisible(action is not None)
        if action is not None:
            self.button.setText(action[0])
        self.setVisible(True)

    def dismiss(self) -> None:
        self.setVisible(False)
        self._action = None

    def _on_button_clicked(self) -> None:
        action = self._action
        self.dismiss()
        if action is not None:
            action()
