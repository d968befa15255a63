"""Shared test set-up: offscreen Qt, and a guard against leaked threads, timers and windows.

Warnings are errors and any Qt warning fails the test (see pyproject.toml), so a
slot that raises or a plot handed a NaN cannot pass unnoticed.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# QSettings with no file given (a window built with no arguments) must not write the real user's settings
os.environ["XDG_CONFIG_HOME"] = __import__("tempfile").mkdtemp(prefix="primer-tests-config-")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# The README's test command must pass every time: its property tests draw the same examples on every run.
# A longer run (PRIMER_FUZZ_EXAMPLES, PRIMER_ACTION_EXAMPLES, PRIMER_EXPLORE=1) draws new ones each time,
# to look for what the fixed ones miss.
LONGER_RUN = any(os.environ.get(name) for name in ("PRIMER_FUZZ_EXAMPLES", "PRIMER_ACTION_EXAMPLES", "PRIMER_EXPLORE"))
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("explore" if LONGER_RUN else "repeatable")


@pytest.fixture(autouse=True)
def questions(monkeypatch):
    """Every yes/no question the app asks (unsaved changes…), answered "Discard"; a test may look at them.

    A real modal question would wait for a person forever.
    """
    asked = []
    if "PySide6.QtWidgets" in __import__("sys").modules:
        from PySide6.QtWidgets import QMessageBox

        def question(parent, title, text, *args, **kwargs):
            asked.append((title, text))
            return QMessageBox.StandardButton.Discard

        monkeypatch.setattr(QMessageBox, "question", question)
    return asked


@pytest.fixture
def warnings_shown(monkeypatch):
    """Every warning box the app shows, recorded (title, text) instead of waiting for a person."""
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append((title, text)))
    return shown


@pytest.fixture
def shown(qtbot):
    """``shown(widget, size)``: the widget on screen as a person sees it (sized, shown, exposed); closed after."""

    def show(widget, size=(400, 300)):
        qtbot.addWidget(widget)
        widget.resize(*size)
        widget.show()
        qtbot.waitExposed(widget)
        return widget

    return show


@pytest.fixture(autouse=True)
def _no_leaked_qt_objects(request):
    """Fail a test that leaves a QThread running, a QTimer active or a top-level window open.

    Only tests that touched Qt are checked (core tests never import it).
    """
    yield
    import sys

    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QThread, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    # let deleteLater() and queued deletions run before looking
    for _ in range(3):
        app.processEvents()
    problems = []
    windows = [w for w in app.topLevelWidgets() if w.isVisible()]
    if windows:
        problems.append(f"top-level windows still open: {[type(w).__name__ for w in windows]}")
    for window in windows:
        window.close()
    running = [t for t in app.findChildren(QThread) if t.isRunning()]
    running += [t for t in _tracked_threads() if t.isRunning()]
    if running:
        problems.append(f"QThreads still running: {running}")
    timers = [t for t in app.findChildren(QTimer) if t.isActive()]
    for widget in app.topLevelWidgets():
        timers += [t for t in widget.findChildren(QTimer) if t.isActive()]
    if timers:
        problems.append(f"QTimers still active: {timers}")
    if problems:
        pytest.fail("; ".join(problems))


def _alive(obj) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)


def _tracked_threads():
    """Threads started by training runners (they have no Qt parent, so the runner registers them)."""
    try:
        from primer_gui.training import runner
    except ImportError:
        return []
    return [t for t in runner.live_threads() if _alive(t)]
