"""A read-only table over many rows that are only turned into text when they scroll into view.

The rows come from a function ``row(index) -> tuple of strings``, so a table of
a million rows costs nothing until it is seen.  Some rows may be marked (drawn
on the palette's ``batch`` colour), and the table may show only a chosen subset
of the rows, in a chosen order — e.g. only the marked ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from .palette import LIGHT, Palette

Row = Callable[[int], Sequence[str]]
_NONE = np.zeros(0, dtype=np.int64)


class _Rows(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.headers: tuple[str, ...] = ()
        self.row: Row = lambda _index: ()
        self.count = 0
        self.shown: np.ndarray | None = None  # the source rows shown, in order (None: all)
        self.marked: set[int] = set()
        self.mark_brush = QBrush(QColor(LIGHT.batch))

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802 (Qt's name and default)
        if parent.isValid():
            return 0
        return self.count if self.shown is None else int(self.shown.size)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def source_row(self, index: int) -> int:
        return index if self.shown is None else int(self.shown[index])

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        source = self.source_row(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return self.row(source)[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and source in self.marked:
            return self.mark_brush
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if section < len(self.headers) else None
        return str(self.source_row(section) + 1)


class RowTable(QTableView):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows = _Rows(self)
        self.setModel(self.rows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setWordWrap(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 4)
        self.horizontalHeader().setStretchLastSection(False)

    def set_source(self, count: int, row: Row, headers: Sequence[str]) -> None:
        """``count`` rows, the ``index``-th of which reads ``row(index)``."""
        self.rows.beginResetModel()
        self.rows.count, self.rows.row, self.rows.headers = int(count), row, tuple(headers)
        self.rows.shown, self.rows.marked = None, set()
        self.rows.endResetModel()
        header = self.horizontalHeader()
        for column in range(len(self.rows.headers)):
            # the first column takes the room left; the others fit their heading (never measured over all rows)
            header.setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch if column == 0 else QHeaderView.ResizeMode.Interactive
            )
            if column:
                header.resizeSection(column, header.sectionSizeHint(column))

    def show_rows(self, indices: np.ndarray | None) -> None:
        """Show only these source rows, in this order (None: all of them)."""
        current = self.rows.shown
        if indices is None and current is None:
            return
        if indices is not None and current is not None and np.array_equal(indices, current):
            return
        if indices is not None and current is not None and len(indices) == len(current):
            # as many rows as before: new contents in place (a reset would lay the whole view out again)
            self.rows.shown = np.asarray(indices, dtype=np.int64).copy()
            if len(current):
                last = (len(current) - 1, max(self.rows.columnCount() - 1, 0))
                self.rows.dataChanged.emit(self.rows.index(0, 0), self.rows.index(*last))
                self.rows.headerDataChanged.emit(Qt.Orientation.Vertical, 0, len(current) - 1)
            return
        self.rows.beginResetModel()
        self.rows.shown = None if indices is None else np.asarray(indices, dtype=np.int64).copy()
        self.rows.endResetModel()

    def mark(self, indices: np.ndarray) -> None:
        """Draw these source rows on the marking colour (the others plainly)."""
        marked = {int(i) for i in np.asarray(indices, dtype=np.int64) if 0 <= i < self.rows.count}
        if marked == self.rows.marked:
            return
        self.rows.marked = marked
        if self.rows.rowCount():
            self.rows.dataChanged.emit(
                self.rows.index(0, 0),
                self.rows.index(self.rows.rowCount() - 1, max(self.rows.columnCount() - 1, 0)),
                [Qt.ItemDataRole.BackgroundRole],
            )

    @property
    def marked(self) -> set[int]:
        return set(self.rows.marked)

    def shown_rows(self) -> list[int]:
        """The source rows shown, in order."""
        return [self.rows.source_row(i) for i in range(self.rows.rowCount())]

    def text(self, index: int) -> tuple[str, ...]:
        """The shown row ``index`` as text."""
        return tuple(self.rows.row(self.rows.source_row(index)))

    def apply_theme(self, palette: Palette) -> None:
        colour = QColor(palette.batch)
        colour.setAlphaF(0.45)
        self.rows.mark_brush = QBrush(colour)
        self.viewport().update()
