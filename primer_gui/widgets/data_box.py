"""The "Data" box: which data set, how many points, how much noise, which draw — and New data."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QPushButton, QSpinBox

from .number_box import NumberBox


class DataBox(QGroupBox):
    #: the person asked for fresh data: (data set, points, noise, seed)
    new_data_requested = Signal(str, int, float, int)

    def __init__(
        self,
        datasets: list[str] | None = None,
        points: tuple[int, int, int] = (2, 1000, 30),
        noise: tuple[float, float, float] = (0.0, 5.0, 0.3),
        seed: int = 0,
        parent=None,
    ):
        """``points`` and ``noise`` are (lowest, highest, initial); ``datasets`` adds a menu of data sets."""
        super().__init__("Data", parent)
        self.dataset_box = QComboBox()
        self.dataset_box.addItems(datasets or [])
        self.dataset_box.setToolTip("Which kind of data to draw: picking one draws it (undoable)")
        self.points_box = QSpinBox()
        self.points_box.setRange(points[0], points[1])
        self.points_box.setValue(points[2])
        self.points_box.setToolTip("How many points New data draws")
        self.noise_box = NumberBox(noise[0], noise[1], value=noise[2])
        self.noise_box.setSingleStep(0.05)
        self.noise_box.setToolTip("How far points scatter from the pattern they are drawn from")
        self.seed_box = QSpinBox()
        self.seed_box.setRange(0, 1_000_000)
        self.seed_box.setValue(seed)
        self._drawn_seed = seed  # the seed of the data drawn last (the tab opens with this seed's data)
        self.seed_box.setToolTip("Which random draw: the same seed gives the same data")
        self.new_button = QPushButton("New data")
        self.new_button.setToolTip("Draw a fresh set of points with these settings (undoable)")
        form = QFormLayout(self)
        if datasets:
            form.addRow("Data set", self.dataset_box)
        form.addRow("Points", self.points_box)
        form.addRow("Noise", self.noise_box)
        form.addRow("Seed", self.seed_box)
        form.addRow(self.new_button)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.dataset_box.activated.connect(self._on_new_button_clicked)  # a data set picked is drawn at once

    def request(self) -> tuple[str, int, float, int]:
        return self.dataset_box.currentText(), self.points_box.value(), self.noise_box.value(), self.seed_box.value()

    def _on_new_button_clicked(self) -> None:
        self.new_data_requested.emit(*self.request())

    def next_seed(self) -> None:
        """Choose the seed New data draws with: the one in the box if it was changed since the last draw (the
        same seed gives the same data, so typing 0 brings back the first draw), else the next one (pressed
        twice, New data gives two different sets)."""
        if self.seed_box.value() == self._drawn_seed:
            self.seed_box.setValue(min(self.seed_box.value() + 1, self.seed_box.maximum()))
        self._drawn_seed = self.seed_box.value()
