"""A label for text that changes every frame: step counters, the status line.

A ``QLabel`` whose text changes asks its layout to recompute; for a counter
updated 60 times a second that relays out the whole window every frame.  Qt
skips that for a widget of fixed size, so this label keeps a fixed size and only
grows (one relayout) when a new text, font or style does not fit.  It never
shrinks, so the widgets around it do not jump as digits come and go.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel


class SteadyLabel(QLabel):
    def __init__(self, text: str = "", parent=None):
        super().__init__(text, parent)
        self.setFixedSize(self.sizeHint())

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        if text == self.text():
            return
        super().setText(text)
        self._grow()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._grow()  # e.g. a style sheet's bold font arriving when the label is first shown

    def _grow(self) -> None:
        hint = self.sizeHint()
        if hint.width() > self.minimumWidth() or hint.height() > self.minimumHeight():
            self.setFixedSize(max(hint.width(), self.minimumWidth()), max(hint.height(), self.minimumHeight()))
