"""A slider with a number box beside it: drag for a feel, type for an exact value.

The slider moves in fixed steps over ``[low, high]``; the box shows the value
(and takes any value in the range, between the steps too).  The two follow each
other without echoes, and one ``value_changed`` is emitted per change.  For a
tab's settings, :meth:`ValueSlider.check` checks a saved value the way
:class:`~.settings.SettingsGroup` expects (``add_custom``).
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QSlider, QWidget

from .number_box import NumberBox


class ValueSlider(QWidget):
    value_changed = Signal(float)

    def __init__(self, low: float, high: float, step: float, value: float, parent=None):
        super().__init__(parent)
        self._low, self._high, self._step = float(low), float(high), float(step)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, round((self._high - self._low) / self._step))
        self.box = NumberBox(self._low, self._high, value=value)
        self.box.setSingleStep(self._step)
        self.box.setFixedWidth(72)
        self.slider.setValue(self._position(value))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.box)
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self.box.valueChanged.connect(self._on_box_value_changed)

    def _position(self, value: float) -> int:
        return round((min(max(value, self._low), self._high) - self._low) / self._step)

    def value(self) -> float:
        return self.box.value()

    def set_value(self, value: float) -> None:
        """Show ``value`` in both (``value_changed`` fires if it changed, unless signals are blocked)."""
        self.box.setValue(value)

    def setToolTip(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setToolTip(text)
        self.slider.setToolTip(text)
        self.box.setToolTip(text)

    def check(self, value: Any) -> float:
        """``value`` as a setting (a number in the range) or a ValueError with the reason."""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"must be a number; the file has {value!r}")
        if not self._low <= value <= self._high:
            raise ValueError(f"must be between {self._low:g} and {self._high:g}; the file has {value:g}")
        return float(value)

    def _on_slider_value_changed(self, position: int) -> None:
        value = round(self._low + position * self._step, 10)
        with QSignalBlocker(self.box):
            self.box.setValue(value)
        self.value_changed.emit(self.box.value())

    def _on_box_value_changed(self, value: float) -> None:
        with QSignalBlocker(self.slider):
            self.slider.setValue(self._position(value))
        self.value_changed.emit(value)
