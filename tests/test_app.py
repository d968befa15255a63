"""The whole app as a person starts it: window, menus, shortcuts, sessions, close, --screenshot."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from windows import close, shown_window

from primer_gui.app import MainWindow


@pytest.fixture
def window(qtbot, tmp_path):
    window = shown_window(qtbot, tmp_path)
    qtbot.waitUntil(lambda: window.current_panel.runner.latest is not None, timeout=3000)
    yield window
    close(window)


def test_window_builds_with_no_arguments_and_closes_cleanly(qtbot):
    window = MainWindow()
    window.show()
    assert window.tab_bar.count() >= 1
    assert window.current_panel.title == "Line fit"
    window.close()


def test_keyboard_shortcuts_drive_the_current_tab(window, qtbot):
    panel = window.current_panel
    qtbot.keyClick(window, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: panel.runner.latest.step == 1, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: panel.runner.latest.step == 2, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: panel.runner.playing and panel.runner.latest.step > 20, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not panel.runner.playing, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: panel.runner.latest.step == 0, timeout=3000)
    assert "step 0" in window.status.text()


def test_a_long_message_leaves_the_status_bar_showing_step_and_loss(window, qtbot):
    panel = window.current_panel
    panel.controls.learning_rate_box.setValue(5.0)
    panel.runner.step(1000)
    qtbot.waitUntil(lambda: panel.message.isVisible(), timeout=5000)
    panel.message.button.click()  # lower the learning rate and Reset
    panel.runner.step(3)
    qtbot.waitUntil(lambda: panel.runner.latest.step == 3, timeout=5000)
    assert window.status.text().startswith("step 3")
    assert window.status.isVisible() and window.status.width() < window.width() // 2


def test_undo_and_redo_menu_actions_edit_the_current_tab(window, qtbot):
    panel = window.current_panel
    n = len(panel.data)
    assert not window.undo_action.isEnabled()
    panel.data.add((1.0, 2.0))
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert len(panel.data) == n
    window.redo_action.trigger()
    assert len(panel.data) == n + 1


def test_session_round_trip_through_the_menus(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    path = tmp_path / "mine.primer.json"
    panel = window.current_panel
    panel.runner.step(7)
    qtbot.waitUntil(lambda: panel.runner.latest.step == 7, timeout=3000)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    window.save_session()
    saved = json.loads(path.read_text())
    assert saved["format"] == "primer-session"
    panel.runner.step(3)
    qtbot.waitUntil(lambda: panel.runner.latest.step == 10, timeout=3000)
    expected = panel.runner.trainer.params
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.open_session_dialog()
    qtbot.waitUntil(lambda: panel.runner.latest.step == 7, timeout=3000)
    panel.runner.step(3)
    qtbot.waitUntil(lambda: panel.runner.latest.step == 10, timeout=3000)
    for name, value in expected.items():
        np.testing.assert_array_equal(panel.runner.latest.params[name], value)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b'{"format": "something-else"}',
        b"\x89PNG\r\n\x1a\n\x00\x00",
        b'{"format": "primer-session", ',
        b'{"format": "primer-session", "version": 1, "tabs": {"line_fit": {"data": [[1, 2]]}}}',
    ],
)
def test_bad_session_files_say_why_and_change_nothing(window, tmp_path, warnings_shown, content):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    rows = window.current_panel.data.rows
    assert not window.open_session(path)
    assert len(warnings_shown) == 1
    np.testing.assert_array_equal(window.current_panel.data.rows, rows)


def test_settings_remember_theme_and_last_tab(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings)
    window.set_theme("dark")
    window.close()
    again = MainWindow(settings=settings)
    assert again.theme == "dark"
    assert again.dark_action.isChecked()
    again.set_theme("light")
    again.close()


def test_closing_while_playing_joins_every_thread_quickly(qtbot):
    window = MainWindow()
    window.show()
    panel = window.current_panel
    panel.toggle_play()
    qtbot.waitUntil(lambda: panel.runner.playing, timeout=3000)
    start = time.perf_counter()
    window.close()
    assert time.perf_counter() - start < 1.0
    assert not panel.runner._relay.isRunning()


def test_screenshot_mode_writes_a_non_blank_png_per_tab(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "primer_gui", "--screenshot", str(tmp_path), "--steps", "20"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(tmp_path / "line_fit.png"))
    assert image.width() >= 1280 and image.height() >= 800
    sample = {image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 37)}
    assert len(sample) > 20  # not blank


def test_version_flag():
    result = subprocess.run([sys.executable, "-m", "primer_gui", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "primer-gui" in result.stdout


def test_dark_theme_restyles_plots_and_links(window):
    window.set_theme("dark")
    panel = window.current_panel
    assert panel.data_plot.backgroundBrush().color().name() == "#1e1e1e"
    assert "#7fc4ff" in panel.explanation.text.text()
    window.set_theme("light")
    assert panel.data_plot.backgroundBrush().color().name() == "#ffffff"


def test_a_glossary_link_opens_the_glossary_at_that_term(window, qtbot):
    window.current_panel.explanation.text.linkActivated.emit("glossary:gradient")
    assert window.glossary_dock.isVisible()
    assert "the direction in which the loss rises fastest" in window.glossary_text.toPlainText().lower()
    window.glossary_search.setText("epoch")
    assert "gradient" not in window.glossary_text.toPlainText().lower().split(":")[0]
    assert "epoch" in window.glossary_text.toPlainText().lower()


def test_import_of_a_bad_csv_through_the_menu_says_why(window, tmp_path, monkeypatch, warnings_shown):
    from PySide6.QtWidgets import QFileDialog

    path = tmp_path / "bad.csv"
    path.write_text("size,price\n1,2,3\n")
    rows = window.current_panel.data.rows
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.import_csv_dialog()
    assert warnings_shown and "expected 2 numbers" in warnings_shown[0][1]
    np.testing.assert_array_equal(window.current_panel.data.rows, rows)


def test_export_plot_image(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    path = tmp_path / "tab.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    window.export_image_dialog()
    assert QImage(str(path)).width() > 600
