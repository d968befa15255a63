"""What the GUI benchmarks share: their set-up, the real event loop, a window that leaves your settings
alone, and ``Watch``, which measures the GUI thread while a tab trains.

Import it before PySide6 or primer_gui: importing it puts the repository on ``sys.path`` and, without a
display, selects Qt's offscreen platform.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TIMER_MS = 5  # the GUI timer chain whose lateness stands for a person's click waiting
STALL_MS = 50  # a timer this late is a stall a person notices


def event_loop_for(seconds: float) -> None:
    """Run the real Qt event loop (not processEvents) for ``seconds``."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def wait_until(condition: Callable[[], bool], timeout: float = 10.0, poll: float = 0.01) -> bool:
    """Run the event loop until ``condition()`` holds; False if ``timeout`` seconds pass first."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        event_loop_for(poll)
    return True


def seconds_until(condition: Callable[[], bool], timeout: float, poll: float = 0.005) -> float | None:
    """Seconds until ``condition()`` holds (the event loop running), or None after ``timeout``."""
    start = time.perf_counter()
    return time.perf_counter() - start if wait_until(condition, timeout, poll) else None


def application():
    """The one QApplication, made if there is none yet."""
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([sys.argv[0]])


_scratch: tempfile.TemporaryDirectory | None = None


def make_window(tab: str | None = None, size: tuple[int, int] | None = (1280, 800), **kwargs):
    """The app's window, shown, asking no questions, with its settings in a fresh INI file (removed at exit):
    no window starts from what an earlier one saved, and your own settings are never touched."""
    from PySide6.QtCore import QSettings

    from primer_gui.app import MainWindow

    global _scratch
    application()
    if _scratch is None:
        _scratch = tempfile.TemporaryDirectory(prefix="primer-bench-")
    folder = tempfile.mkdtemp(dir=_scratch.name)
    settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(tab=tab, settings=settings, **kwargs)
    window.confirm_discard = False
    if size is not None:
        window.resize(*size)
    window.show()
    return window


class Watch:
    """The GUI thread while ``panel`` trains: the lateness of a re-armed 5 ms timer, the snapshots drawn and
    what each ``show_snapshot`` cost, the trainer's pace from their step counters, the GUI thread's CPU, and
    (given the ``window``) the window's repaints."""

    def __init__(self, panel, window=None):
        from PySide6.QtCore import QEvent, QObject, Qt, QTimer

        self.panel, self.window = panel, window
        self.active = False
        self.repaints = 0
        self.draw_ms: list[float] = []
        self.snapshots: list[tuple[float, int]] = []
        self.lateness_ms: list[float] = []
        self._due = 0.0
        self._rerouted: list[tuple] = []
        self.timer = QTimer()
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self._show = panel.show_snapshot
        panel.show_snapshot = self._timed_show  # the instance attribute wins over the method
        self.filter = None
        if window is not None:
            watch, update_request = self, QEvent.Type.UpdateRequest

            class Filter(QObject):
                def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
                    if watch.active and obj is window and event.type() == update_request:
                        watch.repaints += 1
                    return False

            self.filter = Filter()
            window.installEventFilter(self.filter)

    def also_time(self, runner, slot: str) -> None:
        """Add the cost of the panel's ``slot`` for another runner's snapshots (Activations' second network)
        to the draw times; those snapshots are not counted."""
        original = getattr(self.panel, slot)

        def timed(snapshot) -> None:
            start = time.perf_counter()
            original(snapshot)
            if self.active:
                self.draw_ms.append((time.perf_counter() - start) * 1000)

        runner.snapshot_ready.disconnect(original)
        runner.snapshot_ready.connect(timed)
        self._rerouted.append((runner, original, timed))

    def _timed_show(self, snapshot) -> None:
        start = time.perf_counter()
        self._show(snapshot)
        if self.active:
            self.draw_ms.append((time.perf_counter() - start) * 1000)
            self.snapshots.append((start, snapshot.step))

    def _tick(self) -> None:
        now = time.perf_counter()
        if self.active:
            self.lateness_ms.append((now - self._due) * 1000)
            self._due = now + TIMER_MS / 1000
            self.timer.start(TIMER_MS)

    def measure(self, seconds: float) -> dict:
        """Run the real event loop for ``seconds`` and return the figures (NaN where nothing was seen)."""
        self.repaints, self.draw_ms, self.snapshots, self.lateness_ms = 0, [], [], []
        self.active = True
        self._due = time.perf_counter() + TIMER_MS / 1000
        self.timer.start(TIMER_MS)
        start, cpu = time.perf_counter(), time.thread_time()
        event_loop_for(seconds)
        elapsed, cpu = time.perf_counter() - start, time.thread_time() - cpu
        self.active = False
        self.timer.stop()
        snaps = self.snapshots
        rate = float("nan")
        if len(snaps) >= 2 and snaps[-1][0] > snaps[0][0]:
            rate = (snaps[-1][1] - snaps[0][1]) / (snaps[-1][0] - snaps[0][0])
        late = np.array(self.lateness_ms or [np.nan])
        draw = np.array(self.draw_ms or [np.nan])
        repaints = self.repaints if self.window is not None else float("nan")
        return {
            "late_p50": float(np.percentile(late, 50)),
            "late_p99": float(np.percentile(late, 99)),
            "late_max": float(np.max(late)),
            "stalls": int((late > STALL_MS).sum()),
            "snapshots_per_s": len(snaps) / elapsed,
            "repaints_per_s": repaints / elapsed,
            "repaints_per_snapshot": repaints / max(len(snaps), 1),
            "draw_p50": float(np.percentile(draw, 50)),
            "draw_p99": float(np.percentile(draw, 99)),
            "updates_per_s": rate,
            "gui_cpu": cpu / elapsed,  # the share of one core the GUI thread used (waiting for the GIL is not CPU)
        }

    def close(self) -> None:
        """Leave the panel, its runners and the window as they were."""
        self.timer.stop()
        vars(self.panel).pop("show_snapshot", None)
        for runner, original, timed in self._rerouted:
            runner.snapshot_ready.disconnect(timed)
            runner.snapshot_ready.connect(original)
        self._rerouted = []
        if self.filter is not None:
            self.window.removeEventFilter(self.filter)
            self.filter = None
