"""What every concept tab shares: a runner, editable data with undo, the training
controls, the explanation, messages, CSV import/export and session state.

A concrete panel supplies the trainer, its plots and ``show_snapshot``; this
base wires the rest once so no two tabs copy it.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget

from ..core.trainer import StepReport, Trainer
from ..session import atomic_write
from ..training.data_model import DataModel
from ..training.history import LossHistory
from ..training.runner import Snapshot, TrainingRunner
from ..widgets.controls import TrainingControls
from ..widgets.explanation import Explanation
from ..widgets.palette import Palette
from ..widgets.plots import Plot

NO_DATA_STATUS = "no data: click the data plot to add points"
#: training that has made the loss this many times larger than at the start is stopped
RUNAWAY_GROWTH = 1e6


class ConceptPanel(QWidget):
    #: a line for the status bar: step, epoch, loss, updates per second
    status_changed = Signal(str)
    #: a glossary term the person asked about
    term_requested = Signal(str)

    #: the tab's name in the window and on the command line
    title = ""
    #: file-name-safe identifier (screenshots, sessions, ``--tab``)
    key = ""
    #: column headers of the data, for CSV files
    columns: tuple[str, ...] = ()

    def __init__(self, trainer: Trainer, rows: np.ndarray, *, threaded: bool = True, parent=None):
        super().__init__(parent)
        self.data = DataModel(rows, self)
        self.controls = TrainingControls()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self._batch_size = trainer.batch_size
        self._play_loss: float | None = None  # the loss when Play was pressed (see _running_away)
        trainer.set_data(*self.split(rows))
        self.runner = TrainingRunner(trainer, self.snapshot_extra, track=self.track, threaded=threaded, parent=self)
        self.controls.set_learning_rate(trainer.learning_rate)
        self.controls.set_batch_size(trainer.batch_size, len(self.data))
        self.controls.step_clicked.connect(self.step)
        self.controls.play_clicked.connect(self.toggle_play)
        self.controls.epoch_clicked.connect(self.one_epoch)
        self.controls.reset_clicked.connect(self.reset)
        self.controls.learning_rate_changed.connect(self._on_controls_learning_rate_changed)
        self.controls.batch_size_changed.connect(self._on_controls_batch_size_changed)
        self.controls.speed_changed.connect(self.runner.set_speed)
        self.runner.snapshot_ready.connect(self._on_runner_snapshot_ready)
        self.runner.playing_changed.connect(self._on_runner_playing_changed)
        self.runner.diverged.connect(self._on_runner_diverged)
        self.runner.failed.connect(self._on_runner_failed)
        self.data.data_changed.connect(self._on_data_changed)

    # -- for subclasses ----------------------------------------------------------------
    def split(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Rows ``(x…, target)`` → ``(X, y)`` for the trainer."""
        return rows[:, :-1], rows[:, -1]

    def snapshot_extra(self, trainer: Trainer) -> dict:
        """Extra numbers for the snapshot, computed in the worker thread (override)."""
        return {}

    def track(self, trainer: Trainer) -> np.ndarray | None:
        """Parameters to record along the loss history, e.g. for a landscape path (override)."""
        return None

    def show_snapshot(self, snapshot: Snapshot) -> None:
        raise NotImplementedError

    def divergence_advice(self, learning_rate: float) -> str:
        return f"the learning rate {learning_rate:g} is too large; lower it and press Reset."

    def plots(self) -> list[Plot]:
        return self.findChildren(Plot)

    def apply_theme(self, palette: Palette) -> None:
        self.message.setStyleSheet(
            f"background:{palette.warning_background}; color:{palette.warning_text}; padding:6px; border-radius:4px"
        )
        for plot in self.plots():
            plot.apply_theme(palette)
        for explanation in self.findChildren(Explanation):
            explanation.refresh()  # links take the new palette's colour

    # -- commands ------------------------------------------------------------------------
    @property
    def has_data(self) -> bool:
        """Training needs at least one point; with none, the training commands do nothing."""
        return len(self.data) > 0

    def step(self) -> None:
        if self.has_data:
            self.runner.step(1)

    def toggle_play(self) -> None:
        if self.runner.playing:
            self.runner.pause()
        elif self.has_data:
            self.message.setVisible(False)
            self.runner.play()

    def one_epoch(self) -> None:
        if self.has_data:
            self.runner.one_epoch()

    def reset(self) -> None:
        self.message.setVisible(False)
        self.runner.reset()

    def shutdown(self) -> bool:
        return self.runner.shutdown()

    def set_shown(self, shown: bool) -> None:
        """A hidden tab publishes no snapshots; shown again, it catches up with one."""
        self.runner.set_visible(shown)

    # -- data ------------------------------------------------------------------------------
    def _on_data_changed(self, rows: np.ndarray) -> None:
        X, y = self.split(rows)
        self.message.setVisible(False)
        if rows.shape[0] == 0:
            self.runner.pause()
            self.status_changed.emit(NO_DATA_STATUS)
        else:
            self.runner.edit(lambda trainer: trainer.set_data(X, y))
        self.controls.set_batch_size(self._batch_size, rows.shape[0])
        self.controls.set_training_enabled(self.has_data)
        self.data_shown(rows)

    def data_shown(self, rows: np.ndarray) -> None:
        """Draw the edited data at once, without waiting for the trainer (override)."""

    def _on_controls_learning_rate_changed(self, value: float) -> None:
        self.runner.edit(lambda trainer: setattr(trainer, "learning_rate", value))

    def _on_controls_batch_size_changed(self, value: int | None) -> None:
        self._batch_size = value
        self.runner.edit(lambda trainer: setattr(trainer, "batch_size", value))

    def export_csv(self, path: str | Path) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(self.columns)
        writer.writerows([[repr(float(v)) for v in row] for row in self.data.rows])
        atomic_write(Path(path), buffer.getvalue())

    def import_csv(self, path: str | Path) -> None:
        """Replace the data with a CSV file's; a bad file raises ValueError and changes nothing."""
        rows = read_csv(Path(path), len(self.columns))
        self.split(rows)  # let a subclass reject the values (e.g. labels)
        self.data.replace(rows, "Import data")

    # -- session ----------------------------------------------------------------------------
    def session_state(self) -> dict:
        def read(trainer: Trainer, history) -> dict:
            return {"trainer": trainer.state_dict(), "history": history.state()}

        state = self.runner.query(read)
        state.update(data=self.data.rows.tolist(), settings=self.settings_state())
        return state

    def settings_state(self) -> dict:
        return {"speed": self.controls.speed_box.currentText()}

    def parse_session_state(self, state: dict) -> tuple:
        """Check a saved tab completely, without applying anything; raises ValueError."""
        try:
            rows = np.asarray(state["data"], dtype=float).reshape(-1, len(self.columns))
            trainer = type(self.runner.trainer).from_state_dict(state["trainer"])
            history = dict(state["history"])
            LossHistory().load_state(history)  # only to check it
            settings = dict(state["settings"])
            self.split(rows)
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"The session's {self.title} part is damaged ({error}).") from None
        return rows, trainer, history, settings

    def apply_session_state(self, parsed: tuple) -> None:
        """Apply what :meth:`parse_session_state` checked."""
        rows, trainer, history, settings = parsed
        self.runner.pause()
        self.data.data_changed.disconnect(self._on_data_changed)
        try:
            self.data.replace(rows, "Open session")
            self.data.undo_stack.clear()
        finally:
            self.data.data_changed.connect(self._on_data_changed)
        self.data_shown(rows)
        self.runner.load(trainer, history)
        self._batch_size = trainer.batch_size
        self.controls.set_learning_rate(trainer.learning_rate)
        self.controls.set_batch_size(trainer.batch_size, len(rows))
        self.load_settings(settings, trainer)

    def load_session_state(self, state: dict) -> None:
        """Restore a saved tab; validates everything first, so a bad state changes nothing."""
        self.apply_session_state(self.parse_session_state(state))

    def load_settings(self, settings: dict, trainer: Trainer) -> None:
        speed = settings.get("speed")
        if speed in [self.controls.speed_box.itemText(i) for i in range(self.controls.speed_box.count())]:
            self.controls.speed_box.setCurrentText(speed)

    # -- runner → GUI ------------------------------------------------------------------------
    def _on_runner_snapshot_ready(self, snapshot: Snapshot) -> None:
        self.controls.set_counters(snapshot.step, snapshot.epoch)
        if self.has_data:
            rate = f" · {snapshot.updates_per_second:,.0f} updates/s" if snapshot.playing else ""
            loss = format_loss(snapshot.loss)
            self.status_changed.emit(f"step {snapshot.step:,} · epoch {snapshot.epoch:,} · loss {loss}{rate}")
        else:
            self.status_changed.emit(NO_DATA_STATUS)
        self.show_snapshot(snapshot)
        if snapshot.playing and self._running_away(snapshot):
            message = (
                f"Training stopped at step {snapshot.step}: since Play the loss grew more than "
                f"{RUNAWAY_GROWTH:,.0f}-fold ({self._play_loss:.3g} → {snapshot.loss:.3g}) — "
                + self.divergence_advice(self.controls.learning_rate_box.value())
            )
            self.runner.pause()
            self.show_message(message)
        for plot in self.plots():
            plot.settle()

    def _running_away(self, snapshot: Snapshot) -> bool:
        """Has the loss grown ``RUNAWAY_GROWTH``-fold since Play, and beyond where training began?

        Divergence proper is an overflow, which at a learning rate just above the stable limit
        takes thousands of steps of ever larger numbers; this stops it once the point is made.
        (The second bound keeps a loss that is tiny at Play, on data a line fits exactly, from
        counting its rounding noise as growth.)
        """
        if self._play_loss is None:
            self._play_loss = snapshot.loss  # the first snapshot of a Play: before its first update
            return False
        return snapshot.loss > max(RUNAWAY_GROWTH * self._play_loss, snapshot.history_losses[0])

    def _on_runner_playing_changed(self, playing: bool) -> None:
        self._play_loss = None
        self.controls.set_playing(playing)

    def _on_runner_diverged(self, report: StepReport) -> None:
        advice = self.divergence_advice(report.learning_rate)
        self.show_message(
            f"Training stopped: the loss overflowed at step {report.step} — {advice} "
            "The parameters are kept at their last finite values."
        )

    def _on_runner_failed(self, message: str) -> None:
        self.show_message("Training stopped by an error: " + message.split("\n", 1)[0])

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)
        self.status_changed.emit(text)


def format_loss(loss: float) -> str:
    """A loss for the status bar: NaN (none yet) as a dash, an overflow said in words."""
    if math.isnan(loss):
        return "—"
    return "∞ (overflow)" if math.isinf(loss) else f"{loss:.6g}"


def read_csv(path: Path, width: int) -> np.ndarray:
    """Rows of ``width`` numbers from a CSV file with an optional header line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{path.name} is not a text file.") from None
    except OSError as error:
        raise ValueError(f"Could not read {path.name}: {error.strerror}.") from None
    if "\0" in text:
        raise ValueError(f"{path.name} is not a text file.")
    rows = []
    for number, line in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not line or all(not cell.strip() for cell in line):
            continue
        try:
            values = [float(cell) for cell in line]
        except ValueError:
            if number == 1 and not rows:
                continue  # a header
            raise ValueError(f"{path.name}, line {number}: expected numbers, found {', '.join(line)}.") from None
        if len(values) != width:
            raise ValueError(f"{path.name}, line {number}: expected {width} columns, found {len(values)}.")
        if not all(math.isfinite(v) for v in values):
            raise ValueError(f"{path.name}, line {number}: NaN or infinite values are not allowed.")
        rows.append(values)
    if not rows:
        raise ValueError(f"{path.name} holds no data rows.")
    return np.array(rows, dtype=float)
