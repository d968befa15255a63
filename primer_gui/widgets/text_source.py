"""A text that something learns from: shown, editable, loadable from a file, with a few facts about it.

The box only says what the person asked for (signals); the panel decides what a
text means, builds from it, and writes back the text in use and its facts.
While the text shown differs from the one in use, the box says so and offers
to use it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout

#: longer texts are shown as a read-only preview of their start (a text box holding megabytes is slow to fill
#: and no place to edit them)
MAX_EDITABLE = 1_000_000


class TextSourceBox(QGroupBox):
    #: "Use this text" with the text shown
    apply_requested = Signal(str)
    #: "Load file…"
    load_requested = Signal()
    #: "Bundled text"
    default_requested = Signal()

    def __init__(self, title: str = "Text", parent=None):
        super().__init__(title, parent)
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        self.editor = QPlainTextEdit()
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor.setToolTip(
            "The text, one sentence per line (or ended by . ! ?). Edit it, then press Use this text."
        )
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.apply_button = QPushButton("Use this text")
        self.apply_button.setToolTip("Build a new model from the text shown (undo with Ctrl+Z)")
        self.load_button = QPushButton("Load file…")
        self.load_button.setToolTip("Learn from a UTF-8 text file: a book chapter, lecture notes… (undo with Ctrl+Z)")
        self.default_button = QPushButton("Bundled text")
        self.default_button.setToolTip("Go back to the text that comes with Primer (undo with Ctrl+Z)")
        buttons = QGridLayout()  # two rows: three buttons side by side set the window's least width
        buttons.addWidget(self.apply_button, 0, 0, 1, 2)
        buttons.addWidget(self.load_button, 1, 0)
        buttons.addWidget(self.default_button, 1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.source_label)
        layout.addWidget(self.editor, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.facts)
        self._source = ""
        self.preview = False
        self.apply_button.clicked.connect(self._on_apply_button_clicked)
        self.load_button.clicked.connect(self.load_requested)
        self.default_button.clicked.connect(self.default_requested)
        self.editor.textChanged.connect(self._on_editor_text_changed)
        self._show_edited(False)

    def set_text(self, text: str, source: str) -> None:
        """Show ``text`` as the one in use, from ``source`` (e.g. "the bundled corpus", a file name).

        A text longer than ``MAX_EDITABLE`` characters is shown as a read-only preview of its start.
        """
        self._source = source
        editable = len(text) <= MAX_EDITABLE
        self.preview = not editable
        shown = text if editable else text[:MAX_EDITABLE]
        if self.editor.toPlainText() != shown:
            self.editor.setPlainText(shown)
        self.editor.setReadOnly(not editable)
        self._show_edited(False)

    def set_facts(self, html: str) -> None:
        self.facts.setText(html)

    @property
    def edited(self) -> bool:
        return self.editor.document().isModified()

    def _on_apply_button_clicked(self) -> None:
        self.apply_requested.emit(self.editor.toPlainText())

    def _on_editor_text_changed(self) -> None:
        self._show_edited(self.edited)

    def _show_edited(self, edited: bool) -> None:
        if not edited:
            self.editor.document().setModified(False)
        self.apply_button.setEnabled(edited)
        note = " — <b>edited</b>: press <i>Use this text</i> to learn from it" if edited else ""
        if self.preview:
            note = f" — too long to edit here: its first {MAX_EDITABLE:,} characters are shown"
        self.source_label.setText(f"In use: {self._source}{note}")
