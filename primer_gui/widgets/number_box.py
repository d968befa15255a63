"""A number box that shows numbers as people write them and never misreads one.

``QDoubleSpinBox`` shows a fixed number of decimals (0.000100, or 0.0001 where
1e-6 was meant) and, in an English locale, reads "0,5" as 05 = 5 because the
comma is a group separator.  This box shows ``0.03`` or ``2.5e-05`` (three
significant digits by default), accepts the locale's decimal mark and the
point, and refuses a group separator outright: "0,5" is either a half (where
the comma is the decimal mark) or not accepted, never five.
"""

from __future__ import annotations

import math

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox


class NumberBox(QDoubleSpinBox):
    def __init__(self, low: float, high: float, value: float | None = None, significant: int = 3, parent=None):
        super().__init__(parent)
        self._significant = significant
        self.setDecimals(12)  # the box's own rounding; what is shown is textFromValue's
        self.setRange(low, high)
        self.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.setKeyboardTracking(False)  # one change when the person is done typing, not per key
        if value is not None:
            self.setValue(value)

    def sizeHint(self):  # noqa: N802 (Qt's name)
        """Wide enough for a value as it is written here (2.5e-05), not for twelve decimals."""
        hint = super().sizeHint()
        hint.setWidth(self.fontMetrics().horizontalAdvance("8.8e-88") + 34)  # the text, the arrows, the frame
        return hint

    def minimumSizeHint(self):  # noqa: N802 (Qt's name)
        return self.sizeHint()

    def _decimal_mark(self) -> str:
        return self.locale().decimalPoint()

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt's name)
        text = f"{value:.{self._significant}g}"
        return text.replace(".", self._decimal_mark())

    def _parse(self, text: str) -> float | None:
        text = text.strip()
        mark = self._decimal_mark()
        if mark != "." and "." in text and mark in text:
            return None
        if mark != ".":
            text = text.replace(mark, ".")
        if "," in text or " " in text:
            return None  # a group separator: refuse rather than guess
        try:
            value = float(text)
        except ValueError:
            return None
        return value if math.isfinite(value) else None

    def valueFromText(self, text: str) -> float:  # noqa: N802 (Qt's name)
        value = self._parse(text)
        return self.value() if value is None else value

    def validate(self, text: str, pos: int):
        value = self._parse(text)
        if value is not None and self.minimum() <= value <= self.maximum():
            return QValidator.State.Acceptable, text, pos
        stripped = text.strip()
        partial = stripped in ("", "-", "+", ".", self._decimal_mark()) or stripped[-1:] in ("e", "E", "-", "+")
        if value is not None or partial:
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos

    def fixup(self, text: str) -> str:
        return self.textFromValue(self.value())
