"""Two-way bindings between a control and a trainer hyper-parameter, without echoes.

A person's change goes to the trainer through the runner (``runner.set``).  The
trainer's value comes back with every snapshot; the control is rewritten — with
its signals blocked, so nothing echoes — only when that value *changed* (a
session was opened, a script set it), never while it merely agrees.  A value the
trainer refuses comes back through ``runner.refused`` and is written back into
the control, so the control never shows a value the trainer does not have.
Because hyper-parameters live in the trainer, sessions save and restore them
with it; :meth:`Binding.check` tells a session loader whether a saved value fits
the control.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QSignalBlocker, SignalInstance
from PySide6.QtWidgets import QAbstractButton, QComboBox, QDoubleSpinBox, QSpinBox, QWidget

from .runner import TrainingRunner

_UNSEEN = object()


class Binding(QObject):
    def __init__(
        self,
        runner: TrainingRunner,
        name: str,
        widget: QWidget,
        read: Callable[[], Any],
        write: Callable[[Any], None],
        changed: SignalInstance,
        *,
        check: Callable[[Any], None] | None = None,
        on_refused: Callable[[str], None] | None = None,
    ):
        """``read()``/``write(v)`` get and show the trainer's value; ``changed`` fires on a person's change."""
        super().__init__(widget)
        self.runner, self.name, self.widget = runner, name, widget
        self._read, self._write, self._check = read, write, check
        self._on_refused_message = on_refused
        self._seen: Any = _UNSEEN
        changed.connect(self._on_widget_changed)
        runner.snapshot_ready.connect(self._on_runner_snapshot_ready)
        runner.refused.connect(self._on_runner_refused)
        if runner.latest is not None:
            self._on_runner_snapshot_ready(runner.latest)

    def check(self, value: Any) -> None:
        """Raise ValueError (a reason) if the control cannot show ``value``."""
        if self._check is not None:
            self._check(value)

    def show(self, value: Any) -> None:
        """Write the trainer's ``value`` into the control, signals blocked."""
        with QSignalBlocker(self.widget):
            self._write(value)

    def _on_widget_changed(self, *_args) -> None:
        self.runner.set(self.name, self._read())

    def _on_runner_snapshot_ready(self, snapshot) -> None:
        value = snapshot.hyperparameters.get(self.name, _UNSEEN)
        if value is _UNSEEN or _same(value, self._seen):
            return
        first = self._seen is _UNSEEN
        self._seen = value
        if first or not _same(value, self._read()):
            self.show(value)

    def _on_runner_refused(self, name: str, message: str, value: Any) -> None:
        if name != self.name:
            return
        self.show(value)
        if self._on_refused_message is not None:
            self._on_refused_message(message)

    # -- the usual controls ------------------------------------------------------------------------
    @classmethod
    def spin_box(cls, runner: TrainingRunner, name: str, box: QSpinBox | QDoubleSpinBox, **kwargs) -> Binding:
        return cls(runner, name, box, box.value, box.setValue, box.valueChanged, check=_range_check(box), **kwargs)

    @classmethod
    def combo_box(cls, runner: TrainingRunner, name: str, box: QComboBox, **kwargs) -> Binding:
        def check(value: Any) -> None:
            if box.findText(str(value)) < 0:
                raise ValueError(f"{value!r} is not one of the choices")

        return cls(
            runner, name, box, box.currentText, box.setCurrentText, box.currentTextChanged, check=check, **kwargs
        )

    @classmethod
    def check_box(cls, runner: TrainingRunner, name: str, box: QAbstractButton, **kwargs) -> Binding:
        return cls(runner, name, box, box.isChecked, box.setChecked, box.toggled, **kwargs)


def _range_check(box: QSpinBox | QDoubleSpinBox) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"must be a number, not {value!r}")
        if not box.minimum() <= value <= box.maximum():
            raise ValueError(f"must be between {box.minimum():g} and {box.maximum():g}, not {value:g}")

    return check


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except (ValueError, TypeError):  # arrays compare element-wise
        return a is b
