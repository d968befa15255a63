"""Rich text that changes every frame without making the window lay itself out again.

A ``QLabel`` whose text changes asks its parent's layout to recompute (unless its
size is fixed in both directions), so a readout rewritten with every snapshot
relays out the whole tab every frame.  A text browser's size does not depend on
its text: rewriting it only repaints it.  This one has no frame and no
background of its own (it reads as a label), scrolls if the text outgrows it, and
skips a rewrite to the same text.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QTextBrowser


class LiveText(QTextBrowser):
    def __init__(self, lines: int | None = None, parent=None):
        """``lines``: a fixed height of that many lines of text (None: the layout decides)."""
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.viewport().setAutoFillBackground(False)
        self.document().setDocumentMargin(2)
        self._html = ""
        if lines is not None:
            self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 8)

    def set_html(self, html: str) -> None:
        if html != self._html:
            self._html = html
            self.setHtml(html)

    def text(self) -> str:
        """What it says, as plain text."""
        return self.toPlainText()
