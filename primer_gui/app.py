"""The main window: one tab per concept, menus, shortcuts, status bar and settings.

Tabs are built lazily, on first show, so the window appears at once whatever
the number of tabs.  Every menu command acts on the current tab.  The window
follows desktop conventions: the session's name in the title with a mark while
it has unsaved changes, a prompt before they are lost, recent files, the
platform's own undo/redo keys, a status message after every file command.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCursor, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabBar,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from . import __version__
from .glossary import glossary
from .panels.base import ConceptPanel
from .session import read_session, save_session
from .tabs import KEYS, TABS
from .widgets.palette import THEMES
from .widgets.steady_label import SteadyLabel

ORGANIZATION = "Primer"
APPLICATION = "Primer"
#: recent session files kept in the File menu
RECENT_FILES = 6

_DARK = {
    QPalette.ColorRole.Window: "#2b2b2b",
    QPalette.ColorRole.WindowText: "#e0e0e0",
    QPalette.ColorRole.Base: "#1e1e1e",
    QPalette.ColorRole.AlternateBase: "#2b2b2b",
    QPalette.ColorRole.Text: "#e0e0e0",
    QPalette.ColorRole.Button: "#3a3a3a",
    QPalette.ColorRole.ButtonText: "#e0e0e0",
    QPalette.ColorRole.Highlight: "#4fa3e0",
    QPalette.ColorRole.Link: "#7fc4ff",
    QPalette.ColorRole.LinkVisited: "#c39bff",
    QPalette.ColorRole.ToolTipBase: "#3a3a3a",
    QPalette.ColorRole.ToolTipText: "#e0e0e0",
}


class MainWindow(QMainWindow):
    def __init__(
        self, *, seed: int = 0, tab: str | None = None, threaded: bool = True, settings: QSettings | None = None
    ):
        super().__init__()
        # closed means gone: a window that stayed in memory kept ~10 MB and dozens of plot menus alive
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.seed = seed
        self._threaded = threaded
        self.settings = settings if settings is not None else QSettings(ORGANIZATION, APPLICATION)
        self.session_path: Path | None = None
        #: ask before unsaved changes are lost (off for scripted windows such as --screenshot)
        self.confirm_discard = True
        self._saved: dict[str, tuple] = {}  # per tab: what it was when last saved or opened
        self._modified_checked = 0.0
        self._modified_timer = QTimer(self)
        self._modified_timer.setSingleShot(True)
        self._modified_timer.setInterval(250)
        self._modified_timer.timeout.connect(self._on_modified_timer_timeout)
        self.panels: dict[str, ConceptPanel] = {}
        self.tab_bar = QTabBar()
        self.tab_bar.setExpanding(False)
        self.stack = QStackedWidget()
        for entry in TABS:
            self.tab_bar.addTab(entry.title)
            self.stack.addWidget(QLabel(f"Loading {entry.title}…", alignment=Qt.AlignmentFlag.AlignCenter))
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tab_bar)
        layout.addWidget(self.stack)
        self.setCentralWidget(central)
        self.status = SteadyLabel()
        # it grows for a long message and never shrinks: right-aligned, the live status stays put
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.statusBar().addPermanentWidget(self.status)
        self._build_glossary()
        self._build_menus()
        self.resize(1280, 800)
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.set_theme(str(self.settings.value("theme", "light")))
        start = tab or str(self.settings.value("last_tab", KEYS[0]))
        self.tab_bar.currentChanged.connect(self._on_tab_bar_current_changed)
        self.tab_bar.setCurrentIndex(KEYS.index(start) if start in KEYS else 0)
        self._on_tab_bar_current_changed(self.tab_bar.currentIndex())
        self._update_title()

    # -- tabs ----------------------------------------------------------------------------
    @property
    def current_panel(self) -> ConceptPanel:
        return self.panel(KEYS[self.tab_bar.currentIndex()])

    def panel(self, key: str) -> ConceptPanel:
        """The tab's panel, built on first use."""
        if key not in self.panels:
            index = KEYS.index(key)
            panel = TABS[index].panel_class()(seed=self.seed, threaded=self._threaded)
            panel.apply_theme(THEMES[self.theme])
            panel.explanation.set_expanded(self.explain_action.isChecked())
            panel.status_changed.connect(self._on_panel_status_changed)
            panel.term_requested.connect(self.show_glossary)
            panel.explanation.expanded_changed.connect(self._on_explanation_expanded_changed)
            panel.undo_stack.indexChanged.connect(self._update_undo_actions)
            panel.runner.snapshot_ready.connect(self._on_panel_snapshot_ready)
            placeholder = self.stack.widget(index)
            self.stack.insertWidget(index, panel)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.panels[key] = panel
            self._saved[key] = self._mark(panel)
        return self.panels[key]

    def _on_tab_bar_current_changed(self, index: int) -> None:
        key = KEYS[index]
        for other_key, other in self.panels.items():
            if other_key != key:
                other.set_shown(False)
        panel = self.panel(key)
        self.stack.setCurrentIndex(index)
        panel.set_shown(True)
        self.settings.setValue("last_tab", key)
        self._update_undo_actions()

    def _on_panel_status_changed(self, text: str) -> None:
        if self.sender() is self.panels.get(KEYS[self.tab_bar.currentIndex()]):
            self.status.setText(text)

    # -- unsaved changes -----------------------------------------------------------------
    @staticmethod
    def _mark(panel: ConceptPanel, snapshot=None) -> tuple:
        """What a tab's saved state is judged by: training commands, edits, settings, hyper-parameters.

        (Not the trainer's revision: a tab may train or reset itself while it is being built.)
        """
        snapshot = snapshot if snapshot is not None else panel.runner.latest
        hyperparameters = repr(snapshot.hyperparameters) if snapshot is not None else ""
        return panel.training_changes, panel.undo_stack.index(), panel.settings.state(), hyperparameters

    def has_unsaved_changes(self) -> bool:
        return any(
            saved is not None and self._mark(self.panels[key]) != saved
            for key, saved in self._saved.items()
            if key in self.panels
        )

    def _on_panel_snapshot_ready(self, snapshot) -> None:
        # reading every tab's settings at 60 Hz costs; the title's mark can wait a quarter of a second
        now = time.monotonic()
        pending = None in self._saved.values()  # a session just opened: settle it at its first snapshot
        if pending or now - self._modified_checked >= 0.25:
            self._modified_checked = now
            self._check_modified(snapshot)
        elif not self._modified_timer.isActive():  # the last change of a burst is checked too, a moment later
            self._modified_timer.start()

    def _on_modified_timer_timeout(self) -> None:
        self._modified_checked = time.monotonic()
        modified = self.has_unsaved_changes()
        if modified != self.isWindowModified():
            self.setWindowModified(modified)

    def _check_modified(self, snapshot) -> None:
        for key, panel in self.panels.items():
            # just opened: the tab is "as saved" from the first snapshot that shows the opened state
            if (
                self._saved.get(key) is None
                and panel.runner is self.sender()
                and snapshot.loads == panel.runner.loads_sent
            ):
                self._saved[key] = self._mark(panel, snapshot)
        modified = self.has_unsaved_changes()
        if modified != self.isWindowModified():
            self.setWindowModified(modified)

    def _update_title(self) -> None:
        name = self.session_path.name if self.session_path is not None else "untitled"
        self.setWindowTitle(f"{name}[*] — Primer")
        self.setWindowModified(self.has_unsaved_changes())

    def _may_discard_changes(self, doing: str) -> bool:
        """Ask before unsaved work is lost; True when it is fine to go on."""
        if not self.confirm_discard or not self.has_unsaved_changes():
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"The session has changes that are not saved. Save them before {doing}?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save_session()
        return answer == QMessageBox.StandardButton.Discard

    # -- menus --------------------------------------------------------------------------
    def _action(self, menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, QKeySequence.StandardKey):
            action.setShortcuts(shortcut)  # every binding the platform has (Redo: Ctrl+Shift+Z and Ctrl+Y)
        elif shortcut is not None:
            shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._action(file, "&Open session…", self.open_session_dialog, QKeySequence.StandardKey.Open)
        self.recent_menu = file.addMenu("Open &recent")
        self._action(file, "&Save session", self.save_session, QKeySequence.StandardKey.Save)
        self._action(file, "Save session &as…", self.save_session_as, QKeySequence.StandardKey.SaveAs)
        file.addSeparator()
        self._action(file, "&Import data CSV…", self.import_csv_dialog, "Ctrl+I")
        self._action(file, "&Export data CSV…", self.export_csv_dialog, "Ctrl+E")
        self._action(file, "Export &plot image…", self.export_image_dialog, "Ctrl+P")
        file.addSeparator()
        quit_keys = [QKeySequence(key) for key in QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)]
        self.quit_action = self._action(file, "&Quit", self.close)
        self.quit_action.setShortcuts(quit_keys or [QKeySequence("Ctrl+Q")])
        self._update_recent_menu()

        edit = bar.addMenu("&Edit")
        self.undo_action = self._action(edit, "&Undo", self._undo, QKeySequence.StandardKey.Undo)
        self.redo_action = self._action(edit, "&Redo", self._redo, QKeySequence.StandardKey.Redo)

        training = bar.addMenu("&Training")
        self.step_action = self._action(training, "&Step", lambda: self.current_panel.step(), ["Right", "S"])
        self.play_action = self._action(training, "&Play / Pause", lambda: self.current_panel.toggle_play(), "Space")
        self.epoch_action = self._action(training, "One &epoch", lambda: self.current_panel.one_epoch(), "E")
        self.reset_action = self._action(training, "&Reset", lambda: self.current_panel.reset(), "R")
        for action in (self.step_action, self.play_action, self.epoch_action, self.reset_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

        view = bar.addMenu("&View")
        self.dark_action = self._action(view, "&Dark theme", lambda on: self.set_theme("dark" if on else "light"))
        self.dark_action.setCheckable(True)
        self.explain_action = self._action(view, "Show &explanation", self._on_explain_action_toggled)
        self.explain_action.setCheckable(True)
        self.explain_action.setChecked(True)

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Glossary", lambda: self.show_glossary(""), QKeySequence.StandardKey.HelpContents)
        self._action(help_menu, "&About Primer", self.show_about)

    def _undo(self) -> None:
        self.current_panel.undo_stack.undo()

    def _redo(self) -> None:
        self.current_panel.undo_stack.redo()

    def _update_undo_actions(self, *_args) -> None:
        key = KEYS[self.tab_bar.currentIndex()]
        stack = self.panels[key].undo_stack if key in self.panels else None
        can_undo, can_redo = stack is not None and stack.canUndo(), stack is not None and stack.canRedo()
        self.undo_action.setEnabled(can_undo)
        self.redo_action.setEnabled(can_redo)
        self.undo_action.setText(f"&Undo {stack.undoText()}" if can_undo else "&Undo")
        self.redo_action.setText(f"&Redo {stack.redoText()}" if can_redo else "&Redo")

    def _on_explain_action_toggled(self, shown: bool) -> None:
        for panel in self.panels.values():
            panel.explanation.set_expanded(shown)

    def _on_explanation_expanded_changed(self, shown: bool) -> None:
        """Opening or closing one tab's explanation is the View menu's choice too, for every tab."""
        self.explain_action.setChecked(shown)
        self._on_explain_action_toggled(shown)

    def _update_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.recent_files():
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self._open_recent(p))
        self.recent_menu.setEnabled(bool(self.recent_files()))

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent_files", [])
        paths = [value] if isinstance(value, str) else list(value or [])
        return [p for p in paths if isinstance(p, str)][:RECENT_FILES]

    def _add_recent(self, path: Path) -> None:
        paths = [str(path)] + [p for p in self.recent_files() if p != str(path)]
        self.settings.setValue("recent_files", paths[:RECENT_FILES])
        self._update_recent_menu()

    def _open_recent(self, path: str) -> None:
        if self._may_discard_changes("opening another session"):
            self.open_session(path)

    # -- theme ----------------------------------------------------------------------------
    @property
    def theme(self) -> str:
        return self._theme

    def set_theme(self, name: str) -> None:
        self._theme = name if name in THEMES else "light"
        app = QApplication.instance()
        if self._theme == "dark":
            qt_palette = QPalette()
            for role, colour in _DARK.items():
                qt_palette.setColor(role, colour)
            for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
                qt_palette.setColor(QPalette.ColorGroup.Disabled, role, "#7a7a7a")
        else:
            qt_palette = app.style().standardPalette()
        app.setPalette(qt_palette)
        for panel in self.panels.values():
            panel.apply_theme(THEMES[self._theme])
        self.dark_action.setChecked(self._theme == "dark")
        self.settings.setValue("theme", self._theme)

    # -- files ----------------------------------------------------------------------------
    def _report_error(self, title: str, error: Exception) -> None:
        QMessageBox.warning(self, title, str(error))

    def _done(self, text: str) -> None:
        self.statusBar().showMessage(text, 5000)

    @contextmanager
    def _busy(self, text: str) -> Iterator[None]:
        """A busy cursor and a status message while a file is read or written (a large one takes seconds)."""
        self.statusBar().showMessage(text)
        QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
        QApplication.processEvents()  # show them before the work starts
        try:
            yield
        finally:
            QApplication.restoreOverrideCursor()
            self.statusBar().clearMessage()

    def open_session_dialog(self) -> None:
        if not self._may_discard_changes("opening another session"):
            return
        path, _ = QFileDialog.getOpenFileName(self, "Open session", "", "Primer sessions (*.primer.json *.json)")
        if path:
            self.open_session(path)

    def open_session(self, path: str | Path) -> bool:
        """Open a session; on any problem, say why and leave the current work as it is."""
        try:
            with self._busy(f"Opening {Path(path).name}…"):
                document = read_session(path)
            unknown = [key for key in document["tabs"] if key not in KEYS]
            if unknown:
                raise ValueError(f"The session has tabs this version does not know: {', '.join(unknown)}.")
            # check every tab before changing any, so a damaged file changes nothing
            parsed = {key: self.panel(key).parse_session_state(state) for key, state in document["tabs"].items()}
        except ValueError as error:
            self._report_error("Could not open the session", error)
            return False
        for key, state in parsed.items():
            self.panel(key).apply_session_state(state)
        self.session_path = Path(path)
        current = document.get("current_tab")
        if current in KEYS:
            self.tab_bar.setCurrentIndex(KEYS.index(current))
        self._add_recent(self.session_path)
        for key, panel in self.panels.items():
            latest = panel.runner.latest
            shown = latest is not None and latest.loads == panel.runner.loads_sent
            self._saved[key] = self._mark(panel, latest) if shown else None
        self._update_title()
        self._done(f"Opened {self.session_path.name}")
        return True

    def save_session(self) -> bool:
        if self.session_path is None:
            return self.save_session_as()
        return self.save_session_to(self.session_path)

    def save_session_as(self) -> bool:
        start = str(self.session_path) if self.session_path else "primer.primer.json"
        path, _ = QFileDialog.getSaveFileName(self, "Save session", start, "Primer sessions (*.json)")
        return bool(path) and self.save_session_to(path)

    def save_session_to(self, path: str | Path) -> bool:
        try:
            with self._busy(f"Saving {Path(path).name}…"):
                tabs = {key: panel.session_state() for key, panel in self.panels.items()}
                save_session(path, tabs, KEYS[self.tab_bar.currentIndex()])
        except (OSError, ValueError, RuntimeError, TimeoutError) as error:
            self._report_error("Could not save the session", error)
            return False
        self.session_path = Path(path)
        self._add_recent(self.session_path)
        self._saved = {key: self._mark(panel) for key, panel in self.panels.items()}
        self._update_title()
        self._done(f"Saved {self.session_path.name}")
        return True

    def import_csv_dialog(self) -> None:
        panel = self.current_panel
        if not hasattr(panel, "import_csv"):
            self._done(f"The {panel.title} tab has no data to import.")
            return
        path, _ = QFileDialog.getOpenFileName(self, "Import data", "", "CSV files (*.csv);;All files (*)")
        if path:
            try:
                with self._busy(f"Reading {Path(path).name}…"):
                    panel.import_csv(path)
            except ValueError as error:
                self._report_error("Could not import the data", error)
                return
            self._done(f"Imported {len(panel.data):,} points from {Path(path).name}")

    def export_csv_dialog(self) -> None:
        panel = self.current_panel
        if not hasattr(panel, "export_csv"):
            self._done(f"The {panel.title} tab has no data to export.")
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export data", f"{panel.key}.csv", "CSV files (*.csv)")
        if path:
            try:
                panel.export_csv(path)
            except OSError as error:
                self._report_error("Could not export the data", error)
                return
            self._done(f"Exported {len(panel.data):,} points to {Path(path).name}")

    def export_image_dialog(self) -> None:
        panel = self.current_panel
        path, _ = QFileDialog.getSaveFileName(self, "Export plot image", f"{panel.key}.png", "PNG images (*.png)")
        if path:
            if not panel.grab().save(path):
                self._report_error("Could not export the image", OSError(f"Could not write {Path(path).name}."))
                return
            self._done(f"Exported the {panel.title} tab to {Path(path).name}")

    # -- help -----------------------------------------------------------------------------
    def _build_glossary(self) -> None:
        """One glossary, in a dock: searchable, and kept open beside the tab while reading."""
        self.glossary_search = QLineEdit()
        self.glossary_search.setPlaceholderText("Search the glossary…")
        self.glossary_search.setClearButtonEnabled(True)
        self.glossary_text = QTextBrowser()
        self.glossary_text.setOpenLinks(False)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.glossary_search)
        layout.addWidget(self.glossary_text)
        self.glossary_dock = QDockWidget("Glossary", self)
        self.glossary_dock.setObjectName("glossary")
        self.glossary_dock.setWidget(body)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.glossary_dock)
        self.glossary_dock.hide()
        self.glossary_search.textChanged.connect(self._show_glossary_entries)
        self._show_glossary_entries("")

    def _show_glossary_entries(self, text: str) -> None:
        needle = text.strip().lower()
        entries = [(t, d) for t, d in glossary().items() if needle in t.lower() or needle in d.lower()]
        html = "".join(f"<p><a name='{t}'></a><b>{t}</b>: {d}</p>" for t, d in entries)
        self.glossary_text.setHtml(html or "<p style='color:gray'>No entry matches.</p>")

    def show_glossary(self, term: str = "") -> None:
        if term and self.glossary_search.text():
            self.glossary_search.clear()
        self.glossary_dock.show()
        self.glossary_dock.raise_()
        if term:
            self.glossary_text.scrollToAnchor(term)
        else:
            self.glossary_search.setFocus()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Primer",
            f"<b>Primer {__version__}</b><p>Watch and poke real machine-learning training: every number on screen is "
            "computed by the trainer you are looking at.</p>",
        )

    # -- closing --------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        if not self._may_discard_changes("quitting"):
            event.ignore()
            return
        self.settings.setValue("geometry", self.saveGeometry())
        self._modified_timer.stop()
        for panel in self.panels.values():
            panel.shutdown()
        self.statusBar().clearMessage()  # stops its timeout timer
        super().closeEvent(event)


def main(argv: list[str] | None = None) -> int:
    from .__main__ import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
