"""A tab's own settings (the controls that are not trainer hyper-parameters), saved in sessions.

Each setting is a named control.  :meth:`SettingsGroup.parse` checks a saved
set of values completely — type, range, the choices a menu offers — and raises
``ValueError`` naming the setting before anything is applied;
:meth:`SettingsGroup.apply` then writes them with the controls' signals blocked,
so restoring a setting never acts as if a person had changed it.  A setting a
file does not mention keeps its current value (files from before it existed).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QAbstractButton, QComboBox, QDoubleSpinBox, QSpinBox, QWidget


@dataclass
class _Setting:
    widget: QWidget
    read: Callable[[], Any]
    write: Callable[[Any], None]
    check: Callable[[Any], Any]  # returns the value to apply, or raises ValueError (a reason)


class SettingsGroup:
    def __init__(self) -> None:
        self._settings: dict[str, _Setting] = {}

    def add(self, name: str, widget: QWidget) -> None:
        """A spin box, a menu (saved by its text) or a check box."""
        if isinstance(widget, (QDoubleSpinBox, QSpinBox)):
            whole = isinstance(widget, QSpinBox)
            self._settings[name] = _Setting(widget, widget.value, widget.setValue, _number_check(widget, whole))
        elif isinstance(widget, QComboBox):
            self._settings[name] = _Setting(widget, widget.currentText, widget.setCurrentText, _choice_check(widget))
        elif isinstance(widget, QAbstractButton) and widget.isCheckable():
            self._settings[name] = _Setting(widget, widget.isChecked, widget.setChecked, _bool_check)
        else:
            raise TypeError(f"no setting kind for {type(widget).__name__}")

    def add_custom(
        self, name: str, widget: QWidget, read: Callable[[], Any], write: Callable[[Any], None], check: Callable
    ) -> None:
        self._settings[name] = _Setting(widget, read, write, check)

    def state(self) -> dict[str, Any]:
        return {name: setting.read() for name, setting in self._settings.items()}

    def parse(self, state: Any) -> dict[str, Any]:
        """Checked values for the settings the file names; raises ValueError naming a bad one."""
        if not isinstance(state, dict):
            raise ValueError("its settings are not a table of names and values")
        parsed = {}
        for name, value in state.items():
            setting = self._settings.get(name)
            if setting is None:
                continue  # a setting this version does not have: harmless
            try:
                parsed[name] = setting.check(value)
            except ValueError as error:
                raise ValueError(f"the setting '{name}' {error}") from None
        return parsed

    def apply(self, parsed: dict[str, Any]) -> None:
        with ExitStack() as blocked:
            for setting in self._settings.values():
                blocked.enter_context(QSignalBlocker(setting.widget))
            for name, value in parsed.items():
                self._settings[name].write(value)


def _number_check(widget: QDoubleSpinBox | QSpinBox, whole: bool) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        low, high = widget.minimum(), widget.maximum()
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"must be a number; the file has {value!r}")
        if whole and float(value) != int(value):
            raise ValueError(f"must be a whole number; the file has {value!r}")
        if not low <= value <= high:
            raise ValueError(f"must be between {low:g} and {high:g}; the file has {value:g}")
        return int(value) if whole else float(value)

    return check


def _choice_check(widget: QComboBox) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        choices = [widget.itemText(i) for i in range(widget.count())]
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}; the file has {value!r}")
        return value

    return check


def _bool_check(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false; the file has {value!r}")
    return value
