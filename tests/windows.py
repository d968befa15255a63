"""Helpers for tests that build main windows (importable as ``windows``)."""

from __future__ import annotations

import shiboken6


def shown_window(qtbot, tmp_path, **kwargs):
    """A main window with its settings in the test's own folder (never the user's), shown and exposed."""
    from PySide6.QtCore import QSettings

    from primer_gui.app import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, **kwargs)
    window.show()
    qtbot.waitExposed(window)
    return window


def close(window) -> None:
    """Close a window unless it is gone already (a closed MainWindow deletes itself)."""
    if shiboken6.isValid(window):
        window.close()
