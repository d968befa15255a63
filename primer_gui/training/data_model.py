"""The data a person edits, with undo: the GUI-thread owner of a tab's points.

It holds the rows, applies :mod:`edits` through the tab's ``QUndoStack`` (so
Edit ▸ Undo and Redo work for every kind of edit), and announces every change
with ``data_changed(rows, edit)``; the panel forwards the *edit* to its runner,
which applies the same edit to the trainer's copy between steps.

An edit the trainer would refuse (k-means with fewer than k points, a label
outside 0/1) is refused here, before it enters the undo stack, with a
``ValueError`` whose sentence the panel shows: the data and the trainer never
disagree.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from .edits import AddPoint, DeletePoint, Edit, MovePoint, ReplaceAll, apply_edit

_MOVE_ID = 1
_drag_serials = itertools.count(1)


class _EditCommand(QUndoCommand):
    def __init__(self, model: DataModel, edit: Edit, text: str, drag: int = 0, header: list[str] | None = None):
        super().__init__(text)
        self._model = model
        self._edit = edit
        self._drag = drag
        self._inverse: Edit | None = None
        self._headers = (model.header, header if header is not None else model.header)  # before, after

    def redo(self) -> None:
        self._model.header = self._headers[1]
        self._inverse = self._model._apply(self._edit)

    def undo(self) -> None:
        self._model.header = self._headers[0]
        self._edit = self._model._apply(self._inverse)

    def id(self) -> int:
        return _MOVE_ID if self._drag else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Successive moves of one drag are one undo step."""
        # on a merge we keep our inverse (the position before the drag): the data is already moved
        return isinstance(other, _EditCommand) and other._drag == self._drag


class DataModel(QObject):
    data_changed = Signal(object, object)  # rows (a copy), the edit that made them

    def __init__(
        self,
        rows: np.ndarray,
        undo_stack: QUndoStack,
        validate: Callable[[np.ndarray], None] | None = None,
        parent: QObject | None = None,
        header: list[str] | None = None,
    ):
        super().__init__(parent)
        self._rows = np.array(rows, dtype=float, copy=True)
        #: the columns' names and units (a CSV file's header): they change, and undo, with the data
        self.header = list(header) if header is not None else [f"column {i + 1}" for i in range(self._rows.shape[1])]
        self.undo_stack = undo_stack
        self._validate = validate

    @property
    def rows(self) -> np.ndarray:
        return self._rows.copy()

    @property
    def width(self) -> int:
        return self._rows.shape[1]

    def __len__(self) -> int:
        return self._rows.shape[0]

    def _apply(self, edit: Edit) -> Edit:
        self._rows, inverse = apply_edit(self._rows, edit)
        self.data_changed.emit(self._rows.copy(), edit)
        return inverse

    def _push(self, edit: Edit, text: str, drag: int = 0, header: list[str] | None = None) -> None:
        """Check the edit's outcome (ValueError, nothing changed), then do it as an undoable command."""
        rows, _inverse = apply_edit(self._rows, edit)
        if self._validate is not None:
            self._validate(rows)
        self.undo_stack.push(_EditCommand(self, edit, text, drag, header))

    # -- what a person does ----------------------------------------------------------
    def add(self, row) -> None:
        self._push(AddPoint(len(self), tuple(float(v) for v in row)), "add point")

    def delete(self, index: int) -> None:
        self._push(DeletePoint(index), "delete point")

    def move(self, index: int, row, drag: int = 0) -> None:
        """Move a point; pass the same ``drag`` serial for every move of one drag gesture."""
        self._push(MovePoint(index, tuple(float(v) for v in row)), "move point", drag)

    def replace(self, rows: np.ndarray, text: str = "replace data", header: list[str] | None = None) -> None:
        """Replace every point (new data, an import), and the columns' names if given; validated first."""
        self._push(ReplaceAll(np.array(rows, dtype=float, copy=True)), text, header=header)

    def reset_to(self, rows: np.ndarray, header: list[str]) -> None:
        """Replace every point and the names without an undo step (a session being opened)."""
        rows = np.array(rows, dtype=float, copy=True)
        apply_edit(self._rows, ReplaceAll(rows))  # the shape and finiteness checks
        self._rows, self.header = rows, list(header)
        self.undo_stack.clear()

    @staticmethod
    def new_drag() -> int:
        return next(_drag_serials)
