"""A collapsible plain-language explanation with glossary links, and a "try this" hint."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QApplication, QLabel, QTextBrowser, QToolButton, QVBoxLayout, QWidget


class Explanation(QWidget):
    #: a glossary term was clicked (links are written ``<a href="glossary:term">``)
    term_clicked = Signal(str)

    def __init__(self, html: str, hint: str, parent=None):
        super().__init__(parent)
        self.toggle = QToolButton()
        self.toggle.setText("What am I looking at?")
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setToolButtonStyle(self.toggle.toolButtonStyle().ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self._html = html
        self.text.setHtml(html)
        self.text.setMaximumHeight(150)
        self.hint = QLabel(f"<b>Try this:</b> {hint}")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle)
        layout.addWidget(self.text)
        layout.addWidget(self.hint)
        self.toggle.toggled.connect(self.set_expanded)
        self.text.anchorClicked.connect(self._on_text_anchor_clicked)
        self.set_expanded(True)

    def refresh(self) -> None:
        """Lay the text out again, e.g. after the theme changed the link colour."""
        self.text.document().setDefaultStyleSheet(f"a {{ color: {QApplication.palette().link().color().name()}; }}")
        self.text.setHtml(self._html)

    def set_expanded(self, expanded: bool) -> None:
        self.toggle.setChecked(expanded)
        self.toggle.setArrowType(self.toggle.arrowType().DownArrow if expanded else self.toggle.arrowType().RightArrow)
        self.text.setVisible(expanded)
        self.hint.setVisible(expanded)

    def _on_text_anchor_clicked(self, url) -> None:
        if url.scheme() == "glossary":
            self.term_clicked.emit(url.path())
