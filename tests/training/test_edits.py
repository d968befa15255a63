"""Data edits: every edit has an exact inverse; random sequences of user actions undo cleanly."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QUndoStack

from primer_gui.training.data_model import DataModel
from primer_gui.training.edits import AddPoint, DeletePoint, MovePoint, ReplaceAll, apply_edit

coordinate = st.floats(-100, 100, allow_nan=False)
row = st.tuples(coordinate, coordinate)


def test_each_edit_returns_new_data_and_its_inverse():
    data = np.array([[0.0, 1.0], [2.0, 3.0]])
    for edit in (AddPoint(1, (5.0, 6.0)), MovePoint(0, (9.0, 9.0)), DeletePoint(1), ReplaceAll(np.ones((4, 2)))):
        new, inverse = apply_edit(data, edit)
        assert new is not data
        restored, _ = apply_edit(new, inverse)
        np.testing.assert_array_equal(restored, data)
    np.testing.assert_array_equal(data, [[0.0, 1.0], [2.0, 3.0]])  # never modified in place


@pytest.mark.parametrize(
    "edit, message",
    [
        (DeletePoint(5), "no point number 5"),
        (MovePoint(-1, (0.0, 0.0)), "no point number -1"),
        (AddPoint(0, (float("nan"), 1.0)), "finite"),
        (AddPoint(0, (1.0,)), "2 finite numbers"),
        (ReplaceAll(np.ones((3, 3))), "2 columns"),
    ],
)
def test_bad_edits_are_refused_with_a_reason(edit, message):
    with pytest.raises(ValueError, match=message):
        apply_edit(np.zeros((2, 2)), edit)


actions = st.lists(
    st.one_of(
        st.tuples(st.just("add"), row),
        st.tuples(st.just("move"), st.integers(0, 50), row),
        st.tuples(st.just("delete"), st.integers(0, 50)),
        st.tuples(st.just("undo")),
        st.tuples(st.just("redo")),
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(actions=actions)
def test_random_user_actions_then_undo_all_restores_the_start(qapp, actions):
    start = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 4.0]])
    model = DataModel(start, QUndoStack())
    seen = []
    model.data_changed.connect(lambda rows, edit: seen.append(rows))
    for action in actions:
        kind = action[0]
        n = len(model)
        if kind == "add":
            model.add(action[1])
        elif kind == "move" and n:
            model.move(action[1] % n, action[2])
        elif kind == "delete" and n:
            model.delete(action[1] % n)
        elif kind == "undo":
            model.undo_stack.undo()
        elif kind == "redo":
            model.undo_stack.redo()
    if seen:
        np.testing.assert_array_equal(seen[-1], model.rows)  # the last announcement is the data
    while model.undo_stack.canUndo():
        model.undo_stack.undo()
    np.testing.assert_array_equal(model.rows, start)


def test_moves_of_one_drag_merge_into_one_undo_step(qapp):
    model = DataModel(np.zeros((2, 2)), QUndoStack())
    drag = model.new_drag()
    for step in range(5):
        model.move(0, (step, step), drag)
    model.move(0, (7.0, 7.0), model.new_drag())
    assert model.undo_stack.count() == 2
    model.undo_stack.undo()
    np.testing.assert_array_equal(model.rows[0], [4.0, 4.0])
    model.undo_stack.undo()
    np.testing.assert_array_equal(model.rows[0], [0.0, 0.0])
    model.undo_stack.redo()
    np.testing.assert_array_equal(model.rows[0], [4.0, 4.0])


def test_replace_with_bad_rows_changes_nothing(qapp):
    model = DataModel(np.zeros((2, 2)), QUndoStack())
    with pytest.raises(ValueError):
        model.replace(np.array([[1.0, np.inf]]))
    assert model.undo_stack.count() == 0 and len(model) == 2


def test_an_edit_the_validator_refuses_never_reaches_the_undo_stack(qapp):
    def at_most_three(rows):
        if len(rows) > 3:
            raise ValueError("too many")

    model = DataModel(np.zeros((3, 2)), QUndoStack(), at_most_three)
    with pytest.raises(ValueError, match="too many"):
        model.add((1.0, 1.0))
    assert model.undo_stack.count() == 0 and len(model) == 3


def test_announcements_carry_the_edit_that_undo_and_redo_apply(qapp):
    model = DataModel(np.zeros((2, 2)), QUndoStack())
    edits = []
    model.data_changed.connect(lambda rows, edit: edits.append(edit))
    model.add((5.0, 6.0))
    model.undo_stack.undo()
    assert edits == [AddPoint(2, (5.0, 6.0)), DeletePoint(2)]
    assert model.undo_stack.undoText() == "" and model.undo_stack.redoText() == "add point"
