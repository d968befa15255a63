"""A person's edits to the data, as small immutable commands.

Data is one array of rows ``(x1, …, xd, target)``.  :func:`apply_edit` is the only
function that changes it: it returns the new array (never modifying the old one)
and the inverse command, so undo is "apply the inverse" and redo is "apply the
inverse of the inverse".  The GUI keeps these commands on a ``QUndoStack``; the
runner hands the resulting data to the trainer between steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class AddPoint:
    index: int
    row: tuple[float, ...]


@dataclass(frozen=True)
class MovePoint:
    index: int
    row: tuple[float, ...]


@dataclass(frozen=True)
class DeletePoint:
    index: int


@dataclass(frozen=True, eq=False)
class ReplaceAll:
    rows: np.ndarray


Edit = AddPoint | MovePoint | DeletePoint | ReplaceAll


def apply_edit(data: np.ndarray, edit: Edit) -> tuple[np.ndarray, Edit]:
    """Return ``(new_data, inverse_edit)``; ``data`` itself is left untouched."""
    n = data.shape[0]
    if isinstance(edit, ReplaceAll):
        rows = np.array(edit.rows, dtype=float, copy=True)
        if rows.ndim != 2 or rows.shape[1] != data.shape[1]:
            raise ValueError(f"New data must have {data.shape[1]} columns; got shape {rows.shape}.")
        if not np.isfinite(rows).all():
            raise ValueError("New data contains NaN or infinite values.")
        return rows, ReplaceAll(data.copy())
    if isinstance(edit, AddPoint):
        if not 0 <= edit.index <= n:
            raise ValueError(f"Cannot insert a point at position {edit.index} of {n}.")
        row = _checked_row(edit.row, data.shape[1])
        return np.insert(data, edit.index, row, axis=0), DeletePoint(edit.index)
    if not 0 <= edit.index < n:
        raise ValueError(f"There is no point number {edit.index} (there are {n}).")
    old = tuple(float(v) for v in data[edit.index])
    if isinstance(edit, MovePoint):
        new = data.copy()
        new[edit.index] = _checked_row(edit.row, data.shape[1])
        return new, MovePoint(edit.index, old)
    if isinstance(edit, DeletePoint):
        return np.delete(data, edit.index, axis=0), AddPoint(edit.index, old)
    raise TypeError(f"Unknown edit {edit!r}")


def _checked_row(row: tuple[float, ...], width: int) -> np.ndarray:
    values = np.asarray(row, dtype=float)
    if values.shape != (width,) or not np.isfinite(values).all():
        raise ValueError(f"A point needs {width} finite numbers; got {row!r}.")
    return values
