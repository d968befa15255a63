"""The main window: one tab per concept, menus, shortcuts, status bar and settings.

Tabs are built lazily, on first show, so the window appears at once whatever
the number of tabs.  Every menu command acts on the current tab.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
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
from .widgets.palette import THEMES
from .widgets.steady_label import SteadyLabel

ORGANIZATION = "Primer"
APPLICATION = "Primer"


def _line_fit(seed: int, threaded: bool) -> ConceptPanel:
    from .panels.line_fit import LineFitPanel

    return LineFitPanel(seed=seed, threaded=threaded)


#: (title, key, factory) per tab, in the primer's order; only tabs that work are listed
TABS: list[tuple[str, str, Callable[[int, bool], ConceptPanel]]] = [
    ("Line fit", "line_fit", _line_fit),
]


class MainWindow(QMainWindow):
    def __init__(
        self, *, seed: int = 0, tab: str | None = None, threaded: bool = True, settings: QSettings | None = None
    ):
        super().__init__()
        self.seed = seed
        self._threaded = threaded
        self.settings = settings if settings is not None else QSettings(ORGANIZATION, APPLICATION)
        self.session_path: Path | None = None
        self.setWindowTitle("Primer — watch machines learn")
        self.panels: dict[str, ConceptPanel] = {}
        self.tab_bar = QTabBar()
        self.tab_bar.setExpanding(False)
        self.stack = QStackedWidget()
        for title, _key, _factory in TABS:
            self.tab_bar.addTab(title)
            self.stack.addWidget(QLabel(f"Loading {title}…", alignment=Qt.AlignmentFlag.AlignCenter))
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
        self._build_menus()
        self.resize(1280, 800)
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.set_theme(str(self.settings.value("theme", "light")))
        keys = [key for _title, key, _factory in TABS]
        start = tab or str(self.settings.value("last_tab", keys[0]))
        self.tab_bar.currentChanged.connect(self._on_tab_bar_current_changed)
        self.tab_bar.setCurrentIndex(keys.index(start) if start in keys else 0)
        self._on_tab_bar_current_changed(self.tab_bar.currentIndex())

    # -- tabs ----------------------------------------------------------------------------
    @property
    def current_panel(self) -> ConceptPanel:
        return self.panel(TABS[self.tab_bar.currentIndex()][1])

    def panel(self, key: str) -> ConceptPanel:
        """The tab's panel, built on first use."""
        if key not in self.panels:
            index = [k for _t, k, _f in TABS].index(key)
            panel = TABS[index][2](self.seed, self._threaded)
            panel.apply_theme(THEMES[self.theme])
            panel.status_changed.connect(self._on_panel_status_changed)
            panel.term_requested.connect(self.show_glossary)
            panel.data.undo_stack.canUndoChanged.connect(self._update_undo_actions)
            panel.data.undo_stack.canRedoChanged.connect(self._update_undo_actions)
            placeholder = self.stack.widget(index)
            self.stack.insertWidget(index, panel)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.panels[key] = panel
        return self.panels[key]

    def _on_tab_bar_current_changed(self, index: int) -> None:
        key = TABS[index][1]
        for other_key, other in self.panels.items():
            if other_key != key:
                other.set_shown(False)
        panel = self.panel(key)
        self.stack.setCurrentIndex(index)
        panel.set_shown(True)
        self.settings.setValue("last_tab", key)
        self._update_undo_actions()

    def _on_panel_status_changed(self, text: str) -> None:
        if self.sender() is self.panels.get(TABS[self.tab_bar.currentIndex()][1]):
            self.status.setText(text)

    # -- menus --------------------------------------------------------------------------
    def _action(self, menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
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
        self._action(file, "&Save session", self.save_session, QKeySequence.StandardKey.Save)
        self._action(file, "Save session &as…", self.save_session_as, QKeySequence.StandardKey.SaveAs)
        file.addSeparator()
        self._action(file, "&Import data CSV…", self.import_csv_dialog, "Ctrl+I")
        self._action(file, "&Export data CSV…", self.export_csv_dialog, "Ctrl+E")
        self._action(file, "Export &plot image…", self.export_image_dialog, "Ctrl+P")
        file.addSeparator()
        self._action(file, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        edit = bar.addMenu("&Edit")
        self.undo_action = self._action(
            edit, "&Undo", lambda: self.current_panel.data.undo_stack.undo(), QKeySequence.StandardKey.Undo
        )
        self.redo_action = self._action(
            edit, "&Redo", lambda: self.current_panel.data.undo_stack.redo(), QKeySequence.StandardKey.Redo
        )

        training = bar.addMenu("&Training")
        self.step_action = self._action(training, "&Step", lambda: self.current_panel.step(), ["Right", "S"])
        self.play_action = self._action(training, "&Play / Pause", lambda: self.current_panel.toggle_play(), "Space")
        self.epoch_action = self._action(training, "One &epoch", lambda: self.current_panel.one_epoch(), "E")
        self.reset_action = self._action(training, "&Reset", lambda: self.current_panel.reset(), "R")
        for action in (self.step_action, self.play_action, self.epoch_action, self.reset_action):
            # window-wide, but not while typing in a number box
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

    def _update_undo_actions(self, *_args) -> None:
        key = TABS[self.tab_bar.currentIndex()][1]
        stack = self.panels[key].data.undo_stack if key in self.panels else None
        self.undo_action.setEnabled(stack is not None and stack.canUndo())
        self.redo_action.setEnabled(stack is not None and stack.canRedo())

    def _on_explain_action_toggled(self, shown: bool) -> None:
        for panel in self.panels.values():
            panel.explanation.set_expanded(shown)

    # -- theme ----------------------------------------------------------------------------
    @property
    def theme(self) -> str:
        return self._theme

    def set_theme(self, name: str) -> None:
        self._theme = name if name in THEMES else "light"
        palette = THEMES[self._theme]
        app = QApplication.instance()
        qt_palette = QPalette()
        if self._theme == "dark":
            for role, colour in (
                (QPalette.ColorRole.Window, "#2b2b2b"),
                (QPalette.ColorRole.WindowText, "#e0e0e0"),
                (QPalette.ColorRole.Base, "#1e1e1e"),
                (QPalette.ColorRole.AlternateBase, "#2b2b2b"),
                (QPalette.ColorRole.Text, "#e0e0e0"),
                (QPalette.ColorRole.Button, "#3a3a3a"),
                (QPalette.ColorRole.ButtonText, "#e0e0e0"),
                (QPalette.ColorRole.Highlight, "#4fa3e0"),
                (QPalette.ColorRole.Link, "#7fc4ff"),
                (QPalette.ColorRole.LinkVisited, "#c39bff"),
                (QPalette.ColorRole.ToolTipBase, "#3a3a3a"),
                (QPalette.ColorRole.ToolTipText, "#e0e0e0"),
            ):
                qt_palette.setColor(role, colour)
            for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
                qt_palette.setColor(QPalette.ColorGroup.Disabled, role, "#7a7a7a")
        else:
            qt_palette = app.style().standardPalette()
        app.setPalette(qt_palette)
        for panel in self.panels.values():
            panel.apply_theme(palette)
        self.dark_action.setChecked(self._theme == "dark")
        self.settings.setValue("theme", self._theme)

    # -- files ----------------------------------------------------------------------------
    def _report_error(self, title: str, error: Exception) -> None:
        QMessageBox.warning(self, title, str(error))

    def open_session_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open session", "", "Primer sessions (*.primer.json *.json)")
        if path:
            self.open_session(path)

    def open_session(self, path: str | Path) -> bool:
        """Open a session; on any problem, say why and leave the current work as it is."""
        try:
            document = read_session(path)
            keys = [key for _t, key, _f in TABS]
            unknown = [key for key in document["tabs"] if key not in keys]
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
        if current in keys:
            self.tab_bar.setCurrentIndex(keys.index(current))
        self.statusBar().showMessage(f"Opened {Path(path).name}", 4000)
        return True

    def save_session(self) -> bool:
        if self.session_path is None:
            return self.save_session_as()
        return self.save_session_to(self.session_path)

    def save_session_as(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(self, "Save session", "primer.primer.json", "Primer sessions (*.json)")
        return bool(path) and self.save_session_to(path)

    def save_session_to(self, path: str | Path) -> bool:
        try:
            tabs = {key: panel.session_state() for key, panel in self.panels.items()}
            save_session(path, tabs, TABS[self.tab_bar.currentIndex()][1])
        except (OSError, ValueError) as error:
            self._report_error("Could not save the session", error)
            return False
        self.session_path = Path(path)
        self.statusBar().showMessage(f"Saved {Path(path).name}", 4000)
        return True

    def import_csv_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import data", "", "CSV files (*.csv);;All files (*)")
        if path:
            try:
                self.current_panel.import_csv(path)
            except ValueError as error:
                self._report_error("Could not import the data", error)

    def export_csv_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export data", "data.csv", "CSV files (*.csv)")
        if path:
            try:
                self.current_panel.export_csv(path)
            except OSError as error:
                self._report_error("Could not export the data", error)

    def export_image_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export plot image", "primer.png", "PNG images (*.png)")
        if path and not self.current_panel.grab().save(path):
            self._report_error("Could not export the image", OSError(f"Could not write {path}."))

    # -- help -----------------------------------------------------------------------------
    def show_glossary(self, term: str = "") -> None:
        entries = glossary()
        dialog = QDialog(self)
        dialog.setWindowTitle("Glossary")
        text = QTextBrowser()
        text.setHtml("".join(f"<p><a name='{t}'></a><b>{t}</b>: {d}</p>" for t, d in entries.items()))
        if term:
            text.scrollToAnchor(term)
        layout = QVBoxLayout(dialog)
        layout.addWidget(text)
        dialog.resize(520, 480)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.glossary_dialog = dialog

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Primer",
            f"<b>Primer {__version__}</b><p>Watch and poke real machine-learning training: every number on screen is "
            "computed by the trainer you are looking at.</p>",
        )

    # -- closing --------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        for panel in self.panels.values():
            panel.shutdown()
        self.statusBar().clearMessage()  # stops its timeout timer
        super().closeEvent(event)


def main(argv: list[str] | None = None) -> int:
    from .__main__ import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
