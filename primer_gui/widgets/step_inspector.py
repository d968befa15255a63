"""Shows the arithmetic of one update as a worked example (HTML written by the panel)."""

from __future__ import annotations

from PySide6.QtWidgets import QTextBrowser

PLACEHOLDER = (
    "<p style='color:gray'>Press <b>Step</b> (→ or S) to take one update and read its arithmetic here: "
    "the batch, the predictions, the loss, the gradient, and how the parameters change.</p>"
)


class StepInspector(QTextBrowser):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setMinimumWidth(260)
        self.clear_report()

    def clear_report(self, html: str = PLACEHOLDER) -> None:
        self.setHtml(html)

    def show_report(self, html: str) -> None:
        self.setHtml(html)
