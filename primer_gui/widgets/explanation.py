"""A collapsible plain-language explanation with glossary links, and a "try this" hint.

The text is a word-wrapped label, not a scrolling text box: it takes the height
its words need, so it is never cut mid-line (the side column scrolls instead).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QLabel, QToolButton, QVBoxLayout, QWidget


class Explanation(QWidget):
    #: a glossary term was clicked (links are written ``<a href="glossary:term">``)
    term_clicked = Signal(str)
    #: the person opened or closed it
    expanded_changed = Signal(bool)

    def __init__(self, html: str, hint: str, parent=None):
        super().__init__(parent)
        self.toggle = QToolButton()
        self.toggle.setText("What am I looking at?")
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self._html = html
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.hint = QLabel(f"<b>Try this:</b> {hint}")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle)
        layout.addWidget(self.text)
        layout.addWidget(self.hint)
        self.refresh()
        self.set_expanded(True)
        self.toggle.toggled.connect(self._on_toggle_toggled)
        self.text.linkActivated.connect(self._on_text_link_activated)

    def refresh(self) -> None:
        """Write the text again, e.g. after the theme changed the link colour."""
        colour = QApplication.palette().link().color().name()
        self.text.setText(self._html.replace("<a ", f"<a style='color:{colour}' "))

    def set_expanded(self, expanded: bool) -> None:
        self.toggle.setChecked(expanded)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.text.setVisible(expanded)
        self.hint.setVisible(expanded)

    def _on_toggle_toggled(self, expanded: bool) -> None:
        self.set_expanded(expanded)
        self.expanded_changed.emit(expanded)

    def _on_text_link_activated(self, link: str) -> None:
        if link.startswith("glossary:"):
            self.term_clicked.emit(link.removeprefix("glossary:"))
