"""A penalty strength: a log slider whose leftmost notch is "off" (0), beside a number box.

Useful strengths span many decades (1e-5 … 10), so the slider is logarithmic;
zero has no place on a log scale, so the slider's first position means 0 and
says so.  The box takes any value in range, typed; the slider follows it.  Like
the training controls, it only reports a person's changes (``value_changed``)
and shows a value it is given (``setValue``) without echoing it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget

from .number_box import NumberBox

#: slider positions: 0 is "off", 1 … STEPS + 1 span the log range in STEPS equal steps (100 a decade for 1e-5 … 10)
STEPS = 600


class StrengthControl(QWidget):
    value_changed = Signal(float)

    def __init__(self, low: float = 1e-5, high: float = 10.0, value: float = 0.0, parent=None):
        super().__init__(parent)
        if not 0 < low < high:
            raise ValueError("the range must be 0 < low < high")
        self._log_low, self._log_high = math.log10(low), math.log10(high)
        self.low, self.high = low, high
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, STEPS + 1)
        self.box = NumberBox(0.0, high, value=value)
        self.off_label = QLabel("off")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.box)
        layout.addWidget(self.off_label)
        self._show(value)
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self.box.valueChanged.connect(self._on_box_value_changed)

    def setToolTip(self, text: str) -> None:  # noqa: N802 (Qt's name)
        for widget in (self, self.slider, self.box):
            QWidget.setToolTip(widget, text)

    def position_of(self, value: float) -> int:
        if value <= 0:
            return 0
        fraction = (math.log10(value) - self._log_low) / (self._log_high - self._log_low)
        return 1 + round(min(max(fraction, 0.0), 1.0) * STEPS)

    def value_at(self, position: int) -> float:
        if position <= 0:
            return 0.0
        exponent = self._log_low + (position - 1) / STEPS * (self._log_high - self._log_low)
        return float(f"{10**exponent:.3g}")

    def value(self) -> float:
        return self.box.value()

    def setValue(self, value: float) -> None:  # noqa: N802 (Qt's name, so bindings and settings treat it alike)
        """Show ``value`` without emitting ``value_changed``."""
        with QSignalBlocker(self.box), QSignalBlocker(self.slider):
            self.box.setValue(value)
            self._show(self.box.value())

    def _show(self, value: float) -> None:
        with QSignalBlocker(self.slider):
            self.slider.setValue(self.position_of(value))
        self.off_label.setVisible(value == 0)

    def _on_slider_value_changed(self, position: int) -> None:
        value = self.value_at(position)
        with QSignalBlocker(self.box):
            self.box.setValue(value)
        self.off_label.setVisible(value == 0)
        self.value_changed.emit(self.box.value())

    def _on_box_value_changed(self, value: float) -> None:
        self._show(value)
        self.value_changed.emit(value)
