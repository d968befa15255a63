"""TrainingRunner: one trainer, trained on its own QThread, watched from the GUI thread.

The GUI asks, the worker acts.  Every command (play, pause, step, one epoch,
reset, edit) travels to the worker as a queued call and is applied *between*
steps, in the order it was given, so a click that adds a point never races an
update.  While playing, the worker trains in time slices that end when a frame
is due, publishes a snapshot, lets its event loop turn (so commands are never
starved) and sleeps while the GUI draws (tiny NumPy calls hold the GIL, so the
two threads take turns rather than fight over it).

Snapshots flow the other way through a one-slot mailbox: the worker replaces
the mailbox's content and signals only when it was empty, so at most one
snapshot is ever waiting and the newest always wins; it publishes at most one
per display frame, and none while the tab is hidden.  A snapshot holds copies,
never views into the trainer's live arrays.

``TrainingRunner(trainer, snapshot_extra, threaded=False)`` runs the worker in
the GUI thread with the same code path: unit tests use it to step
synchronously.
"""

from __future__ import annotations

import math
import threading
import time
import traceback
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot

from ..core.trainer import StepReport, Trainer, copy_params
from .history import LossHistory

#: at most one snapshot per display frame
FRAME_SECONDS = 1 / 60
#: the longest the worker trains before letting its event loop turn (a slice also ends when a
#: frame is due, so while the tab is shown slices are aligned to frames)
SLICE_SECONDS = 0.012
#: after publishing a snapshot the worker sleeps this long, leaving the GIL to the GUI thread while
#: it draws (about 8 ms for Line fit).  The GUI re-acquires the GIL at every call between Qt and
#: Python, and each time it waits up to the switch interval (5 ms) if the worker holds it: drawing
#: in the worker's pause instead took frames from 28 to ~58/s and latency p99 from ~250 to ~15 ms.
DRAW_SECONDS = 0.008
#: after a slice without a snapshot it sleeps only this long, for the event loop and commands
YIELD_SECONDS = 0.001

_live_threads: weakref.WeakSet[QThread] = weakref.WeakSet()


def live_threads() -> list[QThread]:
    """Every runner thread not yet collected: the test suite checks none is left running."""
    return list(_live_threads)


@dataclass(frozen=True)
class Snapshot:
    """What the GUI draws: copies of the trainer's state at one moment."""

    step: int
    epoch: int
    loss: float
    params: dict[str, np.ndarray]
    history_steps: np.ndarray
    history_losses: np.ndarray
    epoch_steps: np.ndarray
    path: np.ndarray  # rows of tracked parameters, one per history record (may be empty)
    playing: bool
    updates_per_second: float
    report: StepReport | None = None  # the last manual step, for the step inspector
    report_batch: tuple[np.ndarray, np.ndarray | None] | None = None  # that step's (X, y) rows
    extra: dict[str, Any] = field(default_factory=dict)


class _Worker(QObject):
    """Owns the trainer while the thread runs.  Its slots are the commands."""

    snapshot_ready = Signal()
    playing_changed = Signal(bool)
    diverged = Signal(object)  # StepReport
    failed = Signal(str)

    def __init__(
        self,
        trainer: Trainer,
        snapshot_extra: Callable[[Trainer], dict] | None,
        track: Callable[[Trainer], np.ndarray] | None,
    ):
        super().__init__()
        self.trainer = trainer
        self._snapshot_extra = snapshot_extra
        self._track = track
        self._history = LossHistory()
        self._mailbox: Snapshot | None = None
        self._mailbox_lock = threading.Lock()
        self._playing = False
        self._visible = True
        self._speed: float | None = None  # updates per second; None = as fast as possible
        self._chunk = 1  # steps per trainer.run() call at max speed, adapted to ~1 ms
        self._last_publish = 0.0
        self._next_frame = 0.0  # when the next snapshot is due while playing (a 60 Hz grid)
        self._report: StepReport | None = None
        self._report_batch: tuple | None = None
        self._rate_window: list[tuple[float, int]] = []
        self._timer: QTimer | None = None
        self._paced_origin: tuple[float, int] = (0.0, 0)

    # -- set-up in the worker's own thread --------------------------------------------
    @Slot()
    def start(self) -> None:
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._train_slice)
        self._late_publish = QTimer(self)
        self._late_publish.setSingleShot(True)
        self._late_publish.timeout.connect(self._publish_soon)
        self._record_loss()
        self._publish(force=True)

    # -- commands --------------------------------------------------------------------
    @Slot()
    def play(self) -> None:
        if self._playing or self.trainer.X is None:
            return
        self._playing = True
        self._paced_origin = (time.perf_counter(), self.trainer.step_count)
        self._rate_window.clear()
        self._timer.start()
        self.playing_changed.emit(True)
        self._publish(force=True)

    @Slot()
    def pause(self) -> None:
        if not self._playing:
            return
        self._playing = False
        self._timer.stop()
        self.playing_changed.emit(False)
        self._publish(force=True)

    @Slot(int)
    def step(self, count: int) -> None:
        """Pause, then exactly ``count`` updates, each recorded; the last one is inspected."""
        self.pause()
        self._guarded(self._manual_steps, count)

    @Slot()
    def epoch(self) -> None:
        """Pause, then step until the epoch counter moves on."""
        self.pause()

        def one_epoch() -> None:
            start = self.trainer.epoch_count
            while self.trainer.epoch_count == start:
                if not self._manual_steps(1):
                    return

        self._guarded(one_epoch)

    @Slot()
    def reset(self) -> None:
        self.pause()

        def reset() -> None:
            self.trainer.reset()
            self._history.clear()
            self._report = None
            self._record_loss()

        self._guarded(reset)
        self._publish(force=True)

    @Slot(object)
    def edit(self, change: Callable[[Trainer], Any]) -> None:
        """Apply ``change(trainer)`` between steps (a data edit, a new hyper-parameter…)."""
        self._guarded(change, self.trainer)
        if self.trainer.X is not None:
            self._guarded(self._record_loss)
        self._publish_soon()

    @Slot(object)
    def query(self, box: list) -> None:
        """Run ``box[0](trainer, history)`` between steps; leave its result or exception in ``box``."""
        try:
            box.append(box[0](self.trainer, self._history))
        except Exception as error:  # noqa: BLE001 - handed back to the caller to re-raise
            box.append(error)
            box.append("raised")

    @Slot(object)
    def load(self, state: tuple) -> None:
        """Swap in a restored trainer and its history (a session being opened)."""
        self.pause()
        self.trainer, history_state = state
        self._history.clear()
        self._history.load_state(history_state)
        self._report = None
        self._publish(force=True)

    @Slot(object)
    def set_speed(self, updates_per_second: float | None) -> None:
        self._speed = updates_per_second
        self._paced_origin = (time.perf_counter(), self.trainer.step_count)

    @Slot(bool)
    def set_visible(self, visible: bool) -> None:
        self._visible = visible
        if visible:
            self._publish(force=True)

    # -- the GUI side of the mailbox (called from the GUI thread) ----------------------
    def take_snapshot(self) -> Snapshot | None:
        with self._mailbox_lock:
            snapshot, self._mailbox = self._mailbox, None
        return snapshot

    # -- training --------------------------------------------------------------------
    def _guarded(self, action: Callable, *args) -> Any:
        """Run ``action``; an exception stops training and is reported, never swallowed."""
        try:
            return action(*args)
        except Exception as error:  # noqa: BLE001 - any failure must reach the person
            self.pause()
            summary = f"{type(error).__name__}: {error}"
            self.failed.emit(summary + "\n\n" + traceback.format_exc())
            self._publish(force=True)
            return None

    def _manual_steps(self, count: int) -> bool:
        for _ in range(count):
            report = self.trainer.step()
            self._report = report
            trainer = self.trainer
            self._report_batch = (
                trainer.X[report.batch].copy(),
                None if trainer.y is None else trainer.y[report.batch].copy(),
            )
            if report.diverged:
                self.diverged.emit(report)
                self._publish(force=True)
                return False
            self._record_loss(report.epoch)
        self._publish(force=True)
        return True

    def _steps_due(self, now: float) -> int:
        if self._speed is None:
            return self._chunk
        origin_time, origin_step = self._paced_origin
        due = int((now - origin_time) * self._speed) - (self.trainer.step_count - origin_step)
        if due > 1000:  # fell far behind (e.g. a long pause of the machine): don't try to catch up
            self._paced_origin = (now, self.trainer.step_count)
            due = 1
        return max(due, 0)

    @Slot()
    def _train_slice(self) -> None:
        thread = QThread.currentThread()
        start = time.perf_counter()
        deadline = start + SLICE_SECONDS
        if self._visible:
            deadline = min(deadline, max(self._next_frame, start + YIELD_SECONDS))
        while self._playing and not thread.isInterruptionRequested():
            now = time.perf_counter()
            if now >= deadline:
                break
            due = self._steps_due(now)
            if due == 0:
                break
            before = time.perf_counter()
            epoch_before = self.trainer.epoch_count
            report = self._guarded(self.trainer.run, due)
            if report is None:
                return
            if self._speed is None:
                # aim for about a millisecond per run() call
                elapsed = max(time.perf_counter() - before, 1e-6)
                self._chunk = int(min(max(self._chunk * min(0.001 / elapsed, 2.0), 1), 100_000))
            if report.diverged:
                self.pause()
                self._report, self._report_batch = report, None
                self.diverged.emit(report)
                self._publish(force=True)
                return
            self._record_loss(report.epoch if report.epoch != epoch_before else None)
        published = self._publish()
        if self._playing:
            time.sleep(DRAW_SECONDS if published else YIELD_SECONDS)

    def _record_loss(self, finished_epoch: int | None = None) -> None:
        point = None if self._track is None else self._track(self.trainer)
        self._history.append(self.trainer.step_count, self.trainer.loss(), point)
        if finished_epoch is not None:
            self._history.mark_epoch(self.trainer.step_count)

    def _updates_per_second(self, now: float) -> float:
        window = self._rate_window
        window.append((now, self.trainer.step_count))
        while len(window) > 2 and now - window[0][0] > 1.0:
            window.pop(0)
        if not self._playing or len(window) < 2 or window[-1][0] == window[0][0]:
            return 0.0
        return (window[-1][1] - window[0][1]) / (window[-1][0] - window[0][0])

    def _publish_soon(self) -> None:
        """Publish now if a frame has passed, else once when it has: a drag's many edits stay ≤ 60 Hz."""
        wait = FRAME_SECONDS - (time.perf_counter() - self._last_publish)
        if wait <= 0:
            self._publish(force=True)
        elif not self._late_publish.isActive():
            self._late_publish.start(max(1, round(wait * 1000)))

    def _publish(self, force: bool = False) -> bool:
        """Put a fresh snapshot in the mailbox (latest wins) at most once per frame; True if it did."""
        now = time.perf_counter()
        if not self._visible or (not force and now < self._next_frame):
            return False
        self._last_publish = now
        # Due times keep to a 60 Hz grid, so a snapshot that came a little late (sleeps overshoot)
        # doesn't push every later one back: the rate is 60/s, not ~57.  Never closer than 0.8 frame.
        self._next_frame = max(self._next_frame + FRAME_SECONDS, now + 0.8 * FRAME_SECONDS)
        trainer = self.trainer
        has_data = trainer.X is not None
        extra = {}
        if has_data and self._snapshot_extra is not None:
            extra = self._guarded(self._snapshot_extra, trainer) or {}
        steps, losses = self._history.arrays()
        snapshot = Snapshot(
            step=trainer.step_count,
            epoch=trainer.epoch_count,
            loss=float(losses[-1]) if losses.size else math.nan,
            params=copy_params(trainer._params),
            history_steps=steps,
            history_losses=losses,
            epoch_steps=self._history.epoch_array(),
            path=self._history.point_array(),
            playing=self._playing,
            updates_per_second=self._updates_per_second(now),
            report=self._report,
            report_batch=self._report_batch if self._report is not None else None,
            extra=extra,
        )
        with self._mailbox_lock:
            was_empty = self._mailbox is None
            self._mailbox = snapshot
        if was_empty:
            self.snapshot_ready.emit()
        return True

    @Slot()
    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._late_publish.stop()
        self._playing = False


class TrainingRunner(QObject):
    """The GUI thread's handle on one trainer; see the module docstring."""

    snapshot_ready = Signal(object)  # Snapshot
    playing_changed = Signal(bool)
    diverged = Signal(object)  # StepReport
    failed = Signal(str)

    _play_requested = Signal()
    _pause_requested = Signal()
    _step_requested = Signal(int)
    _epoch_requested = Signal()
    _reset_requested = Signal()
    _edit_requested = Signal(object)
    _speed_requested = Signal(object)
    _visible_requested = Signal(bool)
    _stop_requested = Signal()
    _query_requested = Signal(object)
    _load_requested = Signal(object)

    def __init__(
        self,
        trainer: Trainer,
        snapshot_extra: Callable[[Trainer], dict] | None = None,
        *,
        track: Callable[[Trainer], np.ndarray] | None = None,
        threaded: bool = True,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._worker = _Worker(trainer, snapshot_extra, track)
        self._thread: QThread | None = None
        self.playing = False
        self.latest: Snapshot | None = None
        if threaded:
            self._thread = QThread()
            self._thread.setObjectName(f"{type(trainer).__name__} trainer")
            _live_threads.add(self._thread)
            self._worker.moveToThread(self._thread)
            self._thread.started.connect(self._worker.start)
        self._play_requested.connect(self._worker.play)
        self._pause_requested.connect(self._worker.pause)
        self._step_requested.connect(self._worker.step)
        self._epoch_requested.connect(self._worker.epoch)
        self._reset_requested.connect(self._worker.reset)
        self._edit_requested.connect(self._worker.edit)
        self._load_requested.connect(self._worker.load)
        self._speed_requested.connect(self._worker.set_speed)
        self._visible_requested.connect(self._worker.set_visible)
        blocking = Qt.BlockingQueuedConnection if threaded else Qt.AutoConnection
        self._query_requested.connect(self._worker.query, blocking)
        # blocking, so the worker's timer is stopped in its own thread before the loop quits
        self._stop_requested.connect(self._worker.stop, blocking)
        self._worker.snapshot_ready.connect(self._on_worker_snapshot_ready)
        self._worker.playing_changed.connect(self._on_worker_playing_changed)
        self._worker.diverged.connect(self._on_worker_diverged)
        self._worker.failed.connect(self._on_worker_failed)
        if self._thread is not None:
            self._thread.start()
        else:
            self._worker.start()

    @property
    def trainer(self) -> Trainer:
        """The trainer itself. Only safe to touch while paused in synchronous mode or after shutdown."""
        return self._worker.trainer

    # -- commands (return at once; applied between steps, in order) --------------------
    def play(self) -> None:
        self._play_requested.emit()

    def pause(self) -> None:
        self._pause_requested.emit()

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def step(self, count: int = 1) -> None:
        self._step_requested.emit(int(count))

    def one_epoch(self) -> None:
        self._epoch_requested.emit()

    def reset(self) -> None:
        self._reset_requested.emit()

    def edit(self, change: Callable[[Trainer], Any]) -> None:
        """Run ``change(trainer)`` in the worker between steps."""
        self._edit_requested.emit(change)

    def load(self, trainer: Trainer, history_state: dict) -> None:
        """Replace the trainer and its loss history (opening a session); applied between steps."""
        self._load_requested.emit((trainer, history_state))

    def query(self, read: Callable[[Trainer, LossHistory], Any]) -> Any:
        """Run ``read(trainer, history)`` in the worker between steps and return its result.

        Blocks the GUI thread for at most one time slice; for saving, exporting and tests.
        """
        box: list = [read]
        self._query_requested.emit(box)
        if len(box) == 3:
            raise box[-2]
        return box[1]

    def set_speed(self, updates_per_second: float | None) -> None:
        self._speed_requested.emit(updates_per_second)

    def set_visible(self, visible: bool) -> None:
        self._visible_requested.emit(bool(visible))

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop training and join the thread; True when it ended in time."""
        if self._thread is None:
            self._worker.stop()
            return True
        if not self._thread.isRunning():
            return True
        self._thread.requestInterruption()
        self._stop_requested.emit()
        self._thread.quit()
        return self._thread.wait(timeout_ms)

    # -- worker → GUI (these run in the GUI thread: the runner lives there) -------------
    @Slot()
    def _on_worker_snapshot_ready(self) -> None:
        snapshot = self._worker.take_snapshot()
        if snapshot is not None:
            self.latest = snapshot
            self.snapshot_ready.emit(snapshot)

    @Slot(bool)
    def _on_worker_playing_changed(self, playing: bool) -> None:
        self.playing = playing
        self.playing_changed.emit(playing)

    @Slot(object)
    def _on_worker_diverged(self, report: StepReport) -> None:
        self.diverged.emit(report)

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        self.failed.emit(message)
