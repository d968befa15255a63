"""The training controls every tab shares: Step, Play/Pause, One epoch, Reset,
learning rate, batch size, speed, and the step and epoch counters.

The controls only report a person's changes as signals; the panel binds them to
the trainer (:mod:`primer_gui.training.bindings`) and shows the trainer's
values with the ``set_*`` methods, which block the widgets' own signals while
they write, so nothing echoes.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from .number_box import NumberBox
from .palette import Palette
from .steady_label import SteadyLabel

#: a learning rate for raw house prices in euros is ~1e-6; the largest useful ones are ~10
LEARNING_RATE_RANGE = (1e-6, 10.0)
_SLIDER_STEPS = 700
COUNTERS_TIP = "Updates taken, and epochs completed (every point seen once)"
#: the speed menu: label → updates per second (None = as fast as possible)
SPEEDS = {"1 update/s": 1.0, "5 updates/s": 5.0, "30 updates/s": 30.0, "300 updates/s": 300.0, "max": None}


def batch_kind(batch_size: int | None, n_points: int) -> str:
    """What a batch size means for this data, in the primer's words."""
    if n_points <= 0:
        return "no data"
    if batch_size is None or batch_size >= n_points:
        return "batch: all points each step"
    if batch_size == 1:
        return f"stochastic: one point a step, {n_points} steps an epoch"
    steps, last = -(-n_points // batch_size), n_points % batch_size
    tail = f" (the last has {last})" if last else ""
    return f"mini-batch: {steps} steps an epoch{tail}"


def batch_words(size: int, n_points: int, setting: int | None) -> str:
    """What kind of batch one step used, in the primer's words (for a step inspector)."""
    if size >= n_points:
        return f"all {n_points:,} points (batch gradient descent)"
    if size == 1 and setting == 1:
        return f"1 of {n_points:,} points (stochastic gradient descent)"
    if setting is not None and size < setting:
        return f"{size:,} of {n_points:,} points (the last, smaller batch of an epoch)"
    return f"{size:,} of {n_points:,} points (a mini-batch)"


class LogSlider(QSlider):
    """A horizontal slider over a log-scaled range of positive values."""

    def __init__(self, low: float, high: float, parent=None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self._log_low, self._log_high = math.log10(low), math.log10(high)
        self.setRange(0, _SLIDER_STEPS)

    def value_to_position(self, value: float) -> int:
        fraction = (math.log10(value) - self._log_low) / (self._log_high - self._log_low)
        return round(min(max(fraction, 0.0), 1.0) * _SLIDER_STEPS)

    def position_to_value(self, position: int) -> float:
        exponent = self._log_low + position / _SLIDER_STEPS * (self._log_high - self._log_low)
        return float(f"{10**exponent:.3g}")


class TrainingControls(QWidget):
    step_clicked = Signal()
    play_clicked = Signal()
    epoch_clicked = Signal()
    reset_clicked = Signal()
    learning_rate_changed = Signal(float)
    batch_size_changed = Signal(object)  # int or None (whole data set)
    speed_changed = Signal(object)  # updates per second or None

    def __init__(self, learning_rate: bool = True, batch_size: bool = True, parent=None):
        super().__init__(parent)
        style = self.style()
        self.step_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_MediaSkipForward), "Step")
        self.step_button.setToolTip("One update on the next batch (→ or S)")
        self.play_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay), "Play")
        self.play_button.setToolTip("Train continuously / pause (Space)")
        self.epoch_button = QPushButton("One epoch")
        self.epoch_button.setToolTip("Train to the end of the current epoch, where every point has been seen once (E)")
        self.reset_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload), "Reset")
        self.reset_button.setToolTip("Back to the initial parameters (R)")
        buttons = QGridLayout()
        for index, button in enumerate((self.play_button, self.step_button, self.epoch_button, self.reset_button)):
            buttons.addWidget(button, index // 2, index % 2)

        self.learning_rate_slider = LogSlider(*LEARNING_RATE_RANGE)
        self.learning_rate_slider.setToolTip("How far each step moves against the gradient (log scale)")
        self.learning_rate_box = NumberBox(*LEARNING_RATE_RANGE, value=0.1)
        self.learning_rate_box.setToolTip(
            "The learning rate: each step moves the parameters by −learning rate × gradient"
        )
        self.stable_label = QLabel()
        self.stable_limit: float | None = None
        self.stable_label.setToolTip(
            "Above this learning rate, full-batch gradient descent overshoots further every step and diverges "
            "(2 divided by the largest curvature of the loss)."
        )
        learning_rate_row = QHBoxLayout()
        learning_rate_row.addWidget(self.learning_rate_slider, 1)
        learning_rate_row.addWidget(self.learning_rate_box)

        self.batch_box = QSpinBox()
        self.batch_box.setKeyboardTracking(False)
        self.batch_box.setToolTip(
            "Points per step: 1 is stochastic, all of them is (full) batch, between is mini-batch"
        )
        self.batch_label = QLabel()
        self.batch_label.setWordWrap(True)
        batch_row = QHBoxLayout()
        batch_row.addWidget(self.batch_box)
        batch_row.addWidget(self.batch_label, 1)

        self.speed_box = QComboBox()
        self.speed_box.addItems(list(SPEEDS))
        self.speed_box.setCurrentText("max")
        self.speed_box.setToolTip("Updates per second while playing")

        self.counters = SteadyLabel("step 0 · 0 epochs done")
        self.counters.setToolTip(COUNTERS_TIP)

        form = self._form = QFormLayout()
        if learning_rate:
            form.addRow("Learning rate", learning_rate_row)
            form.addRow("", self.stable_label)
        if batch_size:
            form.addRow("Batch size", batch_row)
        form.addRow("Speed", self.speed_box)
        for widget in (self.learning_rate_slider, self.learning_rate_box, self.stable_label):
            widget.setVisible(learning_rate)
        for widget in (self.batch_box, self.batch_label):
            widget.setVisible(batch_size)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addLayout(form)
        layout.addWidget(self.counters)

        self._n_points = 1
        self._batch_size: int | None = None
        #: the largest batch the box offers (a tab whose full batch would not fit in memory sets one)
        self.batch_cap: int | None = None
        self.step_button.clicked.connect(self.step_clicked)
        self.play_button.clicked.connect(self.play_clicked)
        self.epoch_button.clicked.connect(self.epoch_clicked)
        self.reset_button.clicked.connect(self.reset_clicked)
        self.learning_rate_slider.valueChanged.connect(self._on_learning_rate_slider_moved)
        self.learning_rate_box.valueChanged.connect(self._on_learning_rate_box_changed)
        self.batch_box.valueChanged.connect(self._on_batch_box_changed)
        self.speed_box.currentTextChanged.connect(self._on_speed_box_changed)
        self._show_stable_limit()  # no limit known yet: no row for it

    # -- person → signals ------------------------------------------------------------
    def _on_learning_rate_slider_moved(self, position: int) -> None:
        value = self.learning_rate_slider.position_to_value(position)
        with QSignalBlocker(self.learning_rate_box):
            self.learning_rate_box.setValue(value)
        self._show_stable_limit()
        self.learning_rate_changed.emit(value)

    def _on_learning_rate_box_changed(self, value: float) -> None:
        with QSignalBlocker(self.learning_rate_slider):
            self.learning_rate_slider.setValue(self.learning_rate_slider.value_to_position(value))
        self._show_stable_limit()
        self.learning_rate_changed.emit(value)

    def _on_batch_box_changed(self, value: int) -> None:
        self._batch_size = None if value >= self._n_points else value
        self.batch_label.setText(batch_kind(self._batch_size, self._n_points))
        self.batch_size_changed.emit(self._batch_size)

    def _on_speed_box_changed(self, text: str) -> None:
        self.speed_changed.emit(SPEEDS[text])

    # -- trainer → widgets (no echo) ---------------------------------------------------
    def learning_rate(self) -> float:
        return self.learning_rate_box.value()

    def set_learning_rate(self, value: float) -> None:
        with QSignalBlocker(self.learning_rate_box), QSignalBlocker(self.learning_rate_slider):
            self.learning_rate_box.setValue(value)
            self.learning_rate_slider.setValue(self.learning_rate_slider.value_to_position(value))
        self._show_stable_limit()

    def set_stable_limit(self, limit: float | None) -> None:
        self.stable_limit = limit
        self._show_stable_limit()

    def _show_stable_limit(self) -> None:
        """The limit, and a plain warning in red once the learning rate is above it."""
        limit = self.stable_limit
        if self._form.indexOf(self.stable_label) >= 0:  # (a tab without a learning rate has no such row)
            self._form.setRowVisible(self.stable_label, limit is not None)
        if limit is None:
            self.stable_label.setText("")
        elif self.learning_rate_box.value() > limit:
            self.stable_label.setText(f"<span style='color:#c0392b'>too large: stable below ≈ {limit:.3g}</span>")
        else:
            self.stable_label.setText(f"full batch stable below ≈ {limit:.3g}")

    def batch_size(self) -> int | None:
        return self._batch_size

    @property
    def n_points(self) -> int:
        return self._n_points

    def set_batch_size(self, batch_size: int | None, n_points: int | None = None) -> None:
        """Show a batch size; the box's maximum is the number of points (= the whole set)."""
        if n_points is not None:
            self._n_points = max(int(n_points), 0)
        self._batch_size = batch_size
        top = max(self._n_points, 1)
        if self.batch_cap is not None:
            top = min(top, self.batch_cap)
        with QSignalBlocker(self.batch_box):
            self.batch_box.setRange(1, max(top, batch_size or 1))
            self.batch_box.setValue(top if batch_size is None else batch_size)
        self.batch_label.setText(batch_kind(batch_size, self._n_points))

    def set_playing(self, playing: bool) -> None:
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))
        self.play_button.setText("Pause" if playing else "Play")

    def set_training_enabled(self, enabled: bool, why: str = "Add points to train: click the data plot.") -> None:
        """Training needs data: without it Step, Play and One epoch are greyed out and say why."""
        for button in (self.step_button, self.play_button, self.epoch_button):
            button.setEnabled(enabled)
        self.counters.setToolTip(COUNTERS_TIP if enabled else why)
        if not enabled:
            self.set_playing(False)

    def set_counters(self, step: int, epoch: int) -> None:
        self.counters.setText(f"step {step:,} · {epoch:,} epoch{'' if epoch == 1 else 's'} done")

    def apply_theme(self, palette: Palette) -> None:
        # a style sheet fixes its colour: it is written again with the theme's
        self.counters.setStyleSheet(f"font-weight: bold; color: {palette.foreground}")
