"""The data a person edits, with undo: the GUI-thread owner of a tab's points.

It holds the rows, applies :mod:`edits` through a ``QUndoStack`` (so Edit ▸ Undo
and Redo work for every kind of edit), and announces every change with
``data_changed``; the panel forwards the new rows to its runner.
"""

from __future__ import annotations

import itertools

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from .edits import AddPoint, DeletePoint, Edit, MovePoint, ReplaceAll, apply_edit

_MOVE_ID = 1
_drag_serials = itertools.count(1)


class _EditCommand(QUndoCommand):
    def __init__(self, model: DataModel, edit: Edit, text: str, drag: int = 0):
        super().__init__(text)
        self._model = model
        self._edit = edit
        self._drag = drag
        self._inverse: Edit | None = None

    def redo(self) -> None:
        self._inverse = self._model._apply(self._edit)

    def undo(self) -> None:
        self._edit = self._model._apply(self._inverse)

    def id(self) -> int:
        return _MOVE_ID if self._drag else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Successive moves of one drag are one undo step."""
        # on a merge we keep our inverse (the position before the drag): the data is already moved
        return isinstance(other, _EditCommand) and other._drag == self._drag


class DataModel(QObject):
    data_changed = Signal(object)  # np.ndarray of rows, a copy

    def __init__(self, rows: np.ndarray, parent: QObject | None = None):
        super().__init__(parent)
        self._rows = np.array(rows, dtype=float, copy=True)
        self.undo_stack = QUndoStack(self)

    @property
    def rows(self) -> np.ndarray:
        return self._rows.copy()

    def __len__(self) -> int:
        return self._rows.shape[0]

    def _apply(self, edit: Edit) -> Edit:
        self._rows, inverse = apply_edit(self._rows, edit)
        self.data_changed.emit(self._rows.copy())
        return inverse

    # -- what a person does ----------------------------------------------------------
    def add(self, row) -> None:
        self.undo_stack.push(_EditCommand(self, AddPoint(len(self), tuple(row)), "Add point"))

    def delete(self, index: int) -> None:
        self.undo_stack.push(_EditCommand(self, DeletePoint(index), "Delete point"))

    def move(self, index: int, row, drag: int = 0) -> None:
        """Move a point; pass the same ``drag`` serial for every move of one drag gesture."""
        self.undo_stack.push(_EditCommand(self, MovePoint(index, tuple(row)), "Move point", drag))

    def replace(self, rows: np.ndarray, text: str = "Replace data") -> None:
        """Replace every point (new data, an import); validated before anything changes."""
        apply_edit(self._rows, ReplaceAll(rows))  # raises ValueError on bad rows, changing nothing
        self.undo_stack.push(_EditCommand(self, ReplaceAll(rows), text))

    @staticmethod
    def new_drag() -> int:
        return next(_drag_serials)
