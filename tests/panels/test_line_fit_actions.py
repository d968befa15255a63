"""Random sequences of what a person does on the Line fit tab keep the trainer and the picture in step."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from primer_gui.panels.line_fit import LineFitPanel

coordinate = st.floats(-5, 5, allow_nan=False)
actions = st.lists(
    st.one_of(
        st.tuples(st.just("add"), coordinate, coordinate),
        st.tuples(st.just("move"), st.integers(0, 99), coordinate, coordinate),
        st.tuples(st.just("delete"), st.integers(0, 99)),
        st.tuples(st.just("delete all")),
        st.tuples(st.just("play")),
        st.tuples(st.just("undo")),
        st.tuples(st.just("redo")),
        st.tuples(st.just("step"), st.integers(1, 5)),
        st.tuples(st.just("epoch")),
        st.tuples(st.just("reset")),
        st.tuples(st.just("learning_rate"), st.floats(1e-6, 10)),
        st.tuples(st.just("batch"), st.integers(1, 40)),
    ),
    max_size=25,
)


@settings(max_examples=25, deadline=None)
@given(actions=actions)
def test_random_actions_keep_trainer_data_and_drawing_consistent(qapp, actions):
    panel = LineFitPanel(threaded=False)
    try:
        for action in actions:
            kind, n = action[0], len(panel.data)
            if kind == "add":
                panel.data.add(action[1:])
            elif kind == "move" and n:
                panel.data.move(action[1] % n, action[2:], panel.data.new_drag())
            elif kind == "delete" and n:
                panel.data.delete(action[1] % n)
            elif kind == "delete all":
                panel.data.replace(np.empty((0, 2)), "delete all")
            elif kind == "play":
                panel.toggle_play()
                qapp.processEvents()
                panel.runner.pause()
            elif kind == "undo":
                panel.undo_stack.undo()
            elif kind == "redo":
                panel.undo_stack.redo()
            elif kind == "step":
                panel.runner.step(action[1])
            elif kind == "epoch":
                panel.one_epoch()
            elif kind == "reset":
                panel.reset()
            elif kind == "learning_rate":
                panel.controls.learning_rate_box.setValue(action[1])
            elif kind == "batch":
                panel.controls.batch_box.setValue(action[1])
        trainer = panel.runner.trainer
        rows = panel.data.rows
        if len(rows):
            np.testing.assert_array_equal(trainer.X[:, 0], rows[:, 0])
            np.testing.assert_array_equal(trainer.y, rows[:, 1])
        else:
            assert not panel.controls.step_button.isEnabled() and not panel.runner.playing
        np.testing.assert_array_equal(panel.data_plot.points, rows)
        assert all(np.isfinite(value).all() for value in trainer.params.values())
        assert panel.runner.latest.step == trainer.step_count
    finally:
        panel.shutdown()
        panel.deleteLater()
