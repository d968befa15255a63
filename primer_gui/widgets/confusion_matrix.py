"""A two-class confusion matrix: how many of each actual class were called each class, and the accuracy.

Rows are the actual classes, columns what was predicted; the diagonal (right)
is tinted with the class colours, the rest (wrong) with the warning colour.
Cells are steady labels, so counts changing every frame do not re-lay out the
window.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from .palette import LIGHT, Palette
from .steady_label import SteadyLabel


def _tint(colour: str, alpha: int) -> str:
    c = QColor(colour)
    return f"rgba({c.red()}, {c.green()}, {c.blue()}, {alpha})"


class ConfusionMatrix(QWidget):
    def __init__(self, class_names: tuple[str, str] = ("class 0", "class 1"), parent=None):
        super().__init__(parent)
        self.class_names = class_names
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(4)
        for column, name in enumerate(class_names, start=1):
            header = QLabel(f"called {name}")
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(header, 0, column)
        self.cells: list[list[SteadyLabel]] = []
        for row, name in enumerate(class_names):
            grid.addWidget(QLabel(f"actually {name}"), row + 1, 0)
            cells = []
            for column in range(2):
                cell = SteadyLabel("0 (wrong)")
                cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
                grid.addWidget(cell, row + 1, column + 1)
                cells.append(cell)
            self.cells.append(cells)
        self.accuracy = SteadyLabel("accuracy = (0 + 0) / 0")
        grid.addWidget(self.accuracy, 3, 0, 1, 3)
        self.counts = np.zeros((2, 2), dtype=int)
        self.apply_theme(LIGHT)
        self.set_counts(self.counts)

    def set_counts(self, counts: np.ndarray) -> None:
        """``counts[actual, predicted]`` for the two classes."""
        self.counts = np.asarray(counts, dtype=int).reshape(2, 2)
        for actual in range(2):
            for predicted in range(2):
                count = int(self.counts[actual, predicted])
                word = "right" if actual == predicted else "wrong"
                self.cells[actual][predicted].setText(f"{count:,} {word}")
        right, total = int(np.trace(self.counts)), int(self.counts.sum())
        if total:
            a, b = int(self.counts[0, 0]), int(self.counts[1, 1])
            self.accuracy.setText(f"accuracy = ({a:,} + {b:,}) / {total:,} = <b>{right / total:.3f}</b>")
        else:
            self.accuracy.setText("accuracy: no points")

    def accuracy_value(self) -> float:
        total = int(self.counts.sum())
        return float(np.trace(self.counts)) / total if total else float("nan")

    def apply_theme(self, palette: Palette) -> None:
        for actual in range(2):
            for predicted in range(2):
                colour = palette.classes[actual] if actual == predicted else palette.warning_text
                background = _tint(colour, 60 if actual == predicted else 40)
                self.cells[actual][predicted].setStyleSheet(
                    f"background: {background}; border-radius: 3px; padding: 3px 6px"
                )
