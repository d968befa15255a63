"""Nothing lost, nothing crashes: failing saves, bad command lines, keys, closing mid-command, numbers far out."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from windows import close, shown_window

from primer_gui.panels.line_fit import LineFitPanel
from primer_gui.session import atomic_write


@pytest.fixture
def window(qtbot, tmp_path):
    window = shown_window(qtbot, tmp_path, threaded=False)
    yield window
    close(window)


# -- saving ---------------------------------------------------------------------------------------------
def test_a_save_that_fails_midway_leaves_no_temporary_file_and_says_why_in_words(tmp_path, monkeypatch):
    target = tmp_path / "work.primer.json"
    target.write_text("the previous save")

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError) as caught:
        atomic_write(target, "new content")
    assert str(caught.value) == "Could not write work.primer.json: no space left on device."
    assert target.read_text() == "the previous save"  # the old file is intact
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work.primer.json"]


def test_a_failed_rename_and_a_folder_as_target_are_said_plainly(tmp_path, monkeypatch):
    with pytest.raises(OSError, match="is a folder"):
        atomic_write(tmp_path, "x")

    def refuse(*args):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="Could not write s.json: permission denied"):
        atomic_write(tmp_path / "s.json", "x")
    assert list(tmp_path.iterdir()) == []


def test_the_window_reports_a_failed_save_without_hidden_file_names(window, tmp_path, warnings_shown):
    folder = tmp_path / "a folder"
    folder.mkdir()
    assert not window.save_session_to(folder)
    assert warnings_shown and ".tmp" not in warnings_shown[0][1] and "is a folder" in warnings_shown[0][1]


# -- the command line ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "arguments, reason",
    [
        (["--seed", "-5"], "the seed must be between 0 and 1,000,000"),
        (["--seed", "99999999999999999999999"], "the seed must be between"),
        (["--seed", "2000000"], "the seed must be between"),
        (["--steps", "-3"], "the number of steps must be between"),
        (["--screenshot", "/dev/null/x"], "cannot make the screenshot folder"),
        (["--tab", "nonsense"], "invalid choice"),
    ],
)
def test_unusable_command_lines_are_usage_errors_not_tracebacks(arguments, reason):
    result = subprocess.run(
        [sys.executable, "-m", "primer_gui", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 2
    assert reason in result.stderr and "Traceback" not in result.stderr


# -- keys ------------------------------------------------------------------------------------------------------
def test_every_standard_redo_key_redoes_and_quit_has_a_key(window):
    redo_keys = {key.toString() for key in window.redo_action.shortcuts()}
    assert {QKeySequence(key).toString() for key in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)} <= (
        redo_keys
    )
    assert "Ctrl+Shift+Z" in redo_keys
    assert window.quit_action.shortcuts()


def test_space_plays_after_typing_a_value_and_pressing_enter(window, qtbot):
    panel = window.current_panel
    box = panel.controls.learning_rate_box
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "0.05")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert panel.runner.trainer.learning_rate == 0.05
    assert not box.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert panel.runner.playing
    panel.runner.pause()


def test_undo_names_what_it_undoes(window):
    panel = window.current_panel
    panel.data.add((1.0, 2.0))
    assert window.undo_action.text() == "&Undo add point"
    window.undo_action.trigger()
    assert window.redo_action.text() == "&Redo add point"


# -- desktop conventions -------------------------------------------------------------------------------------
def test_unsaved_changes_are_marked_in_the_title_and_asked_about_before_quitting(window, tmp_path, questions, qtbot):
    assert window.windowTitle() == "untitled[*] — Primer" and not window.isWindowModified()
    window.current_panel.data.add((1.0, 2.0))
    window.current_panel.step()
    assert window.has_unsaved_changes()
    qtbot.waitUntil(window.isWindowModified, timeout=2000)  # the title's mark follows within a moment
    assert window.save_session_to(tmp_path / "mine.primer.json")
    assert window.windowTitle() == "mine.primer.json[*] — Primer" and not window.isWindowModified()
    assert window.recent_files() == [str(tmp_path / "mine.primer.json")]
    window.current_panel.step()
    window.close()
    assert questions and "not saved" in questions[0][1]


def test_opening_a_session_is_not_a_change_to_save(window, tmp_path, qtbot):
    path = tmp_path / "s.primer.json"
    window.current_panel.step()
    window.save_session_to(path)
    window.current_panel.step()
    assert window.open_session(path)
    qtbot.waitUntil(lambda: not window.isWindowModified(), timeout=2000)


def test_f1_opens_one_searchable_glossary_and_the_explanation_toggle_stays_in_sync(window, qtbot):
    window.findChild(type(window.explain_action), "") if False else None
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.glossary_dock.isVisible()
    window.glossary_search.setText("learning rate")
    assert "learning rate" in window.glossary_text.toPlainText().lower()
    window.current_panel.explanation.toggle.click()  # the person closes the explanation on the tab
    assert not window.explain_action.isChecked()
    window.explain_action.trigger()
    assert window.current_panel.explanation.text.isVisible()


# -- long commands and closing -----------------------------------------------------------------------------------
def test_pause_and_closing_interrupt_a_long_epoch(qtbot):
    panel = LineFitPanel(threaded=True)
    qtbot.addWidget(panel)
    rng = np.random.default_rng(0)
    sizes = rng.uniform(0.4, 2.5, 100_000)
    panel.replace_data(np.column_stack([sizes, 1.8 * sizes + rng.normal(0, 0.3, sizes.size)]), "big")
    panel.controls.batch_box.setValue(1)
    panel.one_epoch()
    qtbot.waitUntil(lambda: panel.runner.latest.busy == "epoch", timeout=10_000)
    panel.runner.pause()
    qtbot.waitUntil(lambda: panel.runner.latest.busy is None, timeout=2000)
    assert 0 < panel.runner.trainer.step_count < 100_000
    panel.one_epoch()
    qtbot.waitUntil(lambda: panel.runner.latest.busy == "epoch", timeout=10_000)
    start = time.perf_counter()
    assert panel.shutdown()
    assert time.perf_counter() - start < 1.0


def test_far_out_parameters_give_no_numpy_warnings_anywhere(qtbot):
    """The issue's repro: two points, a huge learning rate, one point deleted, Play, then a drag."""
    panel = LineFitPanel(threaded=False)
    qtbot.addWidget(panel)
    panel.resize(1300, 800)
    panel.show()
    panel.data.replace(np.array([[1.0, 2.0], [2.0, 3.0]]), "two points")
    panel.controls.learning_rate_box.setValue(10.0)
    panel.data.delete(0)
    panel.runner.step(200)
    panel.data.move(0, (1.5, 2.5), panel.data.new_drag())
    panel.runner.step(200)  # (filterwarnings = error: any overflow warning fails here)
    assert np.isfinite(panel.runner.latest.loss) or panel.message.isVisible()
    panel.shutdown()


FREED = r"""
import gc, os, sys
from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
from primer_gui.app import MainWindow

def live():
    gc.collect()
    return sum(isinstance(o, MainWindow) for o in gc.get_objects())

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6

def cycle():
    window = MainWindow(settings=QSettings(sys.argv[1], QSettings.Format.IniFormat), threaded=False)
    window.show()
    app.processEvents()
    window.close()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # Qt deletes it, children first

cycle()  # the first window loads modules and caches: not a leak
start = rss()
for _ in range(5):
    cycle()
print(live(), rss() - start)
"""


def test_closed_windows_are_freed(tmp_path):
    """In a fresh process (gc of half-deleted plots must not touch the test process): after 5 more
    windows opened and closed, none is alive and memory grew by far less than a window's ~10 MB each."""
    result = subprocess.run(
        [sys.executable, "-c", FREED, str(tmp_path / "s.ini")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    alive, grown = result.stdout.split()
    assert int(alive) == 0
    assert float(grown) < 25, f"memory grew {float(grown):.1f} MB over 5 windows"
