"""The arithmetic of one update as a worked example, kept honest about what it shows.

The tab supplies how a step reads (``render(report, batch, loss_after)`` → HTML);
this widget decides *when* to show it: once per new report (snapshots repeat the
last report until the next Step), again when the trainer has moved past it —
with a note saying so, and without "the loss after the step", which no longer
matches the status bar — and a hint instead when there is no data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QTextBrowser

PLACEHOLDER = (
    "<p style='color:gray'>Press <b>Step</b> (→ or S) to take one update and read its arithmetic here: "
    "the batch, the predictions, the loss, the gradient, and how the parameters change.</p>"
)
NO_DATA = "<p style='color:gray'>No data to learn from: add some first.</p>"
TRAINED_ON = (
    "<p style='color:gray'>This is step {step}, the last one taken with Step; training has moved on since "
    "(see the status bar). Press Step (→ or S) to pause and inspect the next update.</p>"
)
CHANGED = (
    "<p style='color:gray'>This is step {step}, the last one taken with Step; the data or a setting has changed "
    "since, so its numbers are no longer the current ones. Press Step (→ or S) to inspect the next update.</p>"
)

Render = Callable[[Any, Any, "float | None"], str]


class StepInspector(QTextBrowser):
    def __init__(self, render: Render, no_data: str = NO_DATA, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setMinimumWidth(260)
        self._render = render
        self._no_data = no_data
        self._shown: tuple | None = None
        self.setHtml(PLACEHOLDER)

    def show_snapshot(self, snapshot) -> None:
        """Show the snapshot's report (see the module docstring); does nothing if that is already shown."""
        report = snapshot.report
        if not snapshot.has_data:
            key: tuple = ("no data",)
        elif report is None:
            key = ("placeholder",)
        else:
            moved_on = snapshot.revision != snapshot.report_revision
            key = (id(report), moved_on, moved_on and snapshot.step > report.step)
        if key == self._shown:
            return
        self._shown = key
        if key[0] == "no data":
            self.setHtml(self._no_data)
        elif key[0] == "placeholder":
            self.setHtml(PLACEHOLDER)
        else:
            _ident, moved_on, trained_on = key
            batch = snapshot.report_batch or (None, None)
            html = self._render(report, batch, None if moved_on else snapshot.loss)
            if moved_on:
                html = (TRAINED_ON if trained_on else CHANGED).format(step=report.step) + html
            self.setHtml(html)
