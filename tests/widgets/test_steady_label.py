"""A label that changes every frame must not relay out the window every frame."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from primer_gui.widgets.steady_label import SteadyLabel


class LayoutRequests(QObject):
    def __init__(self, widget):
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def relayouts_while_counting(qtbot, qapp, label_class) -> tuple[int, QWidget, QLabel]:
    window = QWidget()
    qtbot.addWidget(window)
    label = label_class("step 0")
    QVBoxLayout(window).addWidget(label)
    window.show()
    qtbot.waitExposed(window)
    qapp.processEvents()
    requests = LayoutRequests(window)
    for step in range(1, 200):
        label.setText(f"step {step * 7919 % 1000:,}")
        qapp.processEvents()
    return requests.count, window, label


def test_a_steady_label_relays_out_only_when_it_grows(qtbot, qapp):
    plain, _window, _label = relayouts_while_counting(qtbot, qapp, QLabel)
    steady, _window, label = relayouts_while_counting(qtbot, qapp, SteadyLabel)
    assert plain > 50  # the problem: a plain QLabel asks for a layout at nearly every change
    assert steady <= 3  # "step 0" → "step 00" → "step 000": it grows twice at most, then holds
    assert label.width() >= label.sizeHint().width()


def test_a_steady_label_never_shrinks(qtbot):
    label = SteadyLabel("a long piece of status text")
    qtbot.addWidget(label)
    wide = label.width()
    label.setText("short")
    assert label.width() == wide and label.text() == "short"


def test_a_bold_style_applied_after_the_text_still_fits(qtbot):
    label = SteadyLabel("step 0 · epoch 0")
    label.setStyleSheet("font-weight: bold; font-size: 18px")
    qtbot.addWidget(label)
    label.show()
    qtbot.waitExposed(label)
    assert label.width() >= label.sizeHint().width()
