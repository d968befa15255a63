"""The point-data layer: for tabs whose data a person edits by clicking.

On top of the panel core it adds the data (a :class:`~..training.data_model.DataModel`
on the tab's undo stack), the wiring of a :class:`~..widgets.point_editor.PointEditor`
(click to add, drag to move, right-click to delete), an edit refused *before* it
is undoable when the trainer would refuse it, CSV import and export (the header
names the axes), a limit on the number of points, and the data's place in a
session.

A tab sets ``columns`` (its CSV header) and calls :meth:`connect_editor` with
its editor; :meth:`data_shown` is its hook to redraw the data at once, before
the trainer has seen it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..core.trainer import Trainer
from ..csv_files import MAX_MAGNITUDE, read_csv, write_csv
from ..training.data_model import DataModel
from ..training.edits import Edit
from ..training.probe import Probe
from ..widgets.point_editor import PointEditor
from .base import ConceptPanel


class PointDataPanel(ConceptPanel):
    #: the data's columns, as CSV headers (features first, then the target or label)
    columns: tuple[str, ...] = ()
    #: the columns' names with their units, as the axes and a CSV export show them (default: ``columns``)
    labels: tuple[str, ...] = ()
    #: the most points a tab takes (from a file, a session or New data); training cost grows with them
    max_points = 200_000
    no_data_status = "no data: click the data plot to add points"

    def __init__(self, trainer: Trainer, probe: Probe | None, rows: np.ndarray, *, threaded: bool = True, parent=None):
        self._checker: tuple[dict, Trainer] | None = None
        # the data model exists before the panel core builds the tab, which may draw it
        self._initial_rows = np.array(rows, dtype=float).reshape(-1, len(self.columns))
        super().__init__(trainer, probe, rows=self._initial_rows, threaded=threaded, parent=parent)

    def build(self) -> None:
        self.data = DataModel(
            self._initial_rows, self.undo_stack, self.check_rows, parent=self, header=list(self.labels or self.columns)
        )
        self.data.data_changed.connect(self._on_data_changed)
        super().build()

    # -- checking edits before they are made ------------------------------------------------------------
    def check_rows(self, rows: np.ndarray) -> None:
        """Raise ValueError (shown to the person) if the trainer would refuse these rows."""
        if rows.shape[0] > self.max_points:
            raise ValueError(f"This tab takes at most {self.max_points:,} points.")
        self.runner.probe.check_rows(self._checking_trainer(), rows)

    def _checking_trainer(self) -> Trainer:
        """A trainer with the live one's hyper-parameters (k, the output head…), for checking data only."""
        latest = self.runner.latest
        hyper = latest.hyperparameters if latest is not None else {}
        if self._checker is None or self._checker[0] is not hyper:
            self._checker = (hyper, self.trainer_class(**hyper))
        return self._checker[1]

    def try_edit(self, do, *args) -> bool:
        """Run a data edit; a refused one is said in the banner, and nothing changes."""
        try:
            do(*args)
        except ValueError as error:
            self.show_message(str(error))
            return False
        return True

    # -- the point editor -------------------------------------------------------------------------------
    def connect_editor(self, editor: PointEditor) -> None:
        """Clicks, drags and right-clicks on ``editor`` become undoable edits of the data."""
        self.editor = editor
        editor.point_added.connect(self._on_editor_point_added)
        editor.point_moved.connect(self._on_editor_point_moved)
        editor.point_deleted.connect(self._on_editor_point_deleted)

    def point_row(self, x: float, y: float, label: int) -> tuple[float, ...]:
        """The data row for a click at ``(x, y)`` (with the class chosen by the button, if any)."""
        return (x, y) if label < 0 else (x, y, float(label))

    def moved_row(self, index: int, x: float, y: float) -> tuple[float, ...]:
        """The data row of point ``index`` dragged to ``(x, y)`` (a label, if any, stays)."""
        return (x, y, *self.data.rows[index, 2:])

    def _on_editor_point_added(self, x: float, y: float, label: int) -> None:
        self.try_edit(self.data.add, self.point_row(x, y, label))

    def _on_editor_point_moved(self, index: int, x: float, y: float, drag: int) -> None:
        self.try_edit(self.data.move, index, self.moved_row(index, x, y), drag)

    def _on_editor_point_deleted(self, index: int) -> None:
        self.try_edit(self.data.delete, index)

    # -- data changes -----------------------------------------------------------------------------------
    def _on_data_changed(self, rows: np.ndarray, edit: Edit) -> None:
        self.message.dismiss()
        # drawn first (and what depends on the data alone recomputed), so the trainer's next snapshot,
        # which the edit brings, is drawn over the new data
        self.data_shown(rows)
        self.runner.edit(edit)
        self.controls.set_training_enabled(rows.shape[0] > 0)
        if rows.shape[0] == 0:
            self.status_changed.emit(self.no_data_status)

    def data_shown(self, rows: np.ndarray) -> None:
        """Draw the data at once, without waiting for the trainer (override); the snapshot the edit
        brings redraws what depends on the trainer."""

    @property
    def header(self) -> list[str]:
        """The columns' names and units as they are now (a file's header, or the tab's own labels)."""
        return self.data.header

    def replace_data(self, rows: np.ndarray, text: str, header: list[str] | None = None) -> bool:
        """New points (with their columns' names; the tab's own labels by default), undoably."""
        return self.try_edit(self.data.replace, rows, text, header or list(self.labels or self.columns))

    # -- CSV ---------------------------------------------------------------------------------------------
    def export_csv(self, path: str | Path) -> None:
        write_csv(path, self.header, self.data.rows)

    def import_csv(self, path: str | Path) -> None:
        """Replace the data with a CSV file's; a bad file raises ValueError and changes nothing."""
        rows, header = read_csv(path, len(self.columns), self.max_points)
        self.check_rows(rows)
        self.data.replace(rows, f"import {Path(path).name}", header or list(self.columns))
        self.data_imported(rows, self.header)

    def data_imported(self, rows: np.ndarray, header: list[str]) -> None:
        """New data from a file: re-frame the view, name the axes from the header (override)."""

    # -- session -------------------------------------------------------------------------------------------
    def session_state(self) -> dict:
        state = super().session_state()
        state["data"] = self.data.rows.tolist()
        state["header"] = list(self.header)
        return state

    def parse_more(self, state: dict, parsed: dict) -> dict:
        rows = parse_rows(state.get("data"), len(self.columns), self.max_points)
        self.check_rows(rows)
        trainer = parsed["restored"]
        if rows.shape[0]:
            X, y = parsed["probe"].data(rows)
            same = trainer.X is not None and np.array_equal(trainer.X, X)
            same = same and (y is None or np.array_equal(trainer.y, y))
            if not same:
                raise ValueError("the trainer's data differ from the points saved with it")
        header = state.get("header", list(self.labels or self.columns))
        if not (
            isinstance(header, list) and len(header) == len(self.columns) and all(isinstance(h, str) for h in header)
        ):
            raise ValueError(f"its column names are not {len(self.columns)} words")
        return {"rows": rows, "header": header}

    def load_more(self, parsed: dict) -> dict:
        return {"rows": parsed["rows"]}

    def apply_session_state(self, parsed: dict) -> None:
        self.data.reset_to(parsed["rows"], parsed["header"])
        super().apply_session_state(parsed)
        self.controls.set_training_enabled(len(self.data) > 0)
        self.data_shown(self.data.rows)


def parse_rows(value: Any, width: int, max_rows: int) -> np.ndarray:
    """A saved list of points, checked: rows of ``width`` finite numbers within ±10¹², at most ``max_rows``."""
    if not isinstance(value, list):
        raise ValueError("its data is not a list of points")
    if len(value) > max_rows:
        raise ValueError(f"it has {len(value):,} points; this tab takes at most {max_rows:,}")
    for number, row in enumerate(value, start=1):
        if not isinstance(row, list) or len(row) != width:
            raise ValueError(f"point {number} is not a list of {width} numbers")
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in row):
            raise ValueError(f"point {number} holds something that is not a number")
    rows = np.array(value, dtype=float).reshape(-1, width)
    if not np.isfinite(rows).all():
        raise ValueError("its data holds NaN or infinite values")
    if (np.abs(rows) > MAX_MAGNITUDE).any():
        raise ValueError("its data holds values beyond ±10¹², which overflow once squared")
    return rows
