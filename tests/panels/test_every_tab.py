"""What every tab must do, checked on every tab in ``primer_gui.tabs.TABS``: a tab added there is covered.

Training commands keep the picture and the trainer in step; random sequences of what a person does never
raise or desynchronise; a session round trip continues the exact trajectory; a damaged session is refused
with a reason and changes nothing; the real trainer process plays, pauses and shuts down.
"""

from __future__ import annotations

import copy
import json
import os

import numpy as np
import pytest
from any_tab import do_on_any_tab
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from primer_gui.panels.point_data import PointDataPanel
from primer_gui.tabs import TABS
from primer_gui.widgets.palette import DARK, LIGHT

KEYS = [tab.key for tab in TABS]
#: random action sequences per tab (a longer run: PRIMER_ACTION_EXAMPLES=400 python -m pytest tests/panels)
ACTION_EXAMPLES = int(os.environ.get("PRIMER_ACTION_EXAMPLES", "12"))


def make(key, threaded=False):
    return next(tab for tab in TABS if tab.key == key).panel_class()(seed=0, threaded=threaded)


@pytest.fixture(params=KEYS)
def panel(request, qtbot):
    panel = make(request.param)
    qtbot.addWidget(panel)
    panel.resize(1400, 860)
    panel.show()
    yield panel
    panel.shutdown()


def params_equal(a, b):
    assert a.keys() == b.keys()
    for name in a:
        np.testing.assert_array_equal(a[name], b[name])


def test_training_commands_keep_the_picture_and_the_trainer_in_step(panel):
    panel.step()
    panel.one_epoch()
    trainer = panel.runner.trainer
    latest = panel.runner.latest
    assert latest.step == trainer.step_count > 0 and latest.epoch == trainer.epoch_count >= 1
    params_equal(latest.params, panel.runner.probe.params(trainer))
    panel.reset()
    assert panel.runner.latest.step == 0 and panel.runner.trainer.step_count == 0
    for palette in (DARK, LIGHT):
        panel.apply_theme(palette)


def test_a_session_round_trip_continues_the_exact_trajectory(panel):
    panel.runner.step(7)
    state = json.loads(json.dumps(panel.session_state()))  # through JSON, as a file
    panel.runner.step(5)
    expected = panel.runner.trainer.params
    panel.runner.step(3)
    panel.load_session_state(state)
    assert panel.runner.trainer.step_count == 7
    panel.runner.step(5)
    params_equal(panel.runner.trainer.params, expected)


def _damaged(state):
    """Ways a session file gets damaged: each must be refused, naming the tab."""
    trainer = state["trainer"]
    yield {**state, "trainer": {**trainer, "params": {}}}
    yield {**state, "trainer": {**trainer, "step_count": -3}}
    yield {**state, "trainer": {**trainer, "class": "Something"}}
    yield {**state, "history": {**state["history"], "steps": "x"}}
    yield {**state, "settings": {"speed": "warp 9"}}
    yield {key: value for key, value in state.items() if key != "trainer"}
    if "data" in state:
        yield {**state, "data": [[float("nan")] * len(row) for row in state["data"]]}
        yield {**state, "data": state["data"][:-1]}


def test_a_damaged_session_is_refused_and_changes_nothing(panel):
    panel.runner.step(3)
    state = json.loads(json.dumps(panel.session_state()))
    before = panel.runner.trainer.params
    rows = panel.data.rows if isinstance(panel, PointDataPanel) else None
    for damaged in _damaged(copy.deepcopy(state)):
        with pytest.raises(ValueError, match=f"{panel.title} part is damaged"):
            panel.load_session_state(damaged)
    params_equal(panel.runner.trainer.params, before)
    if rows is not None:
        np.testing.assert_array_equal(panel.data.rows, rows)


@pytest.mark.parametrize("key", KEYS)
def test_the_real_process_plays_pauses_and_shuts_down(qtbot, key):
    panel = make(key, threaded=True)
    qtbot.addWidget(panel)
    panel.show()
    panel.toggle_play()
    # (a tab may stop by itself, as Clusters does once Lloyd has converged)
    stopped_by_itself = lambda: panel.runner.latest.step > 0 and not panel.runner.playing  # noqa: E731
    qtbot.waitUntil(lambda: panel.runner.latest.step > 5 or stopped_by_itself(), timeout=10_000)
    panel.runner.pause()
    qtbot.waitUntil(lambda: not panel.runner.playing, timeout=3000)
    assert panel.runner.trainer.step_count >= panel.runner.latest.step
    assert panel.shutdown()


actions = st.lists(
    st.one_of(
        st.tuples(st.just("step"), st.integers(1, 4)),
        st.tuples(st.just("play")),
        st.tuples(st.just("epoch")),
        st.tuples(st.just("reset")),
        st.tuples(st.just("undo")),
        st.tuples(st.just("redo")),
        st.tuples(st.just("learning_rate"), st.floats(1e-6, 10)),
        st.tuples(st.just("batch"), st.integers(1, 50)),
        st.tuples(st.just("hide")),
        st.tuples(st.just("add"), st.floats(0, 1), st.floats(0, 1), st.integers(0, 1)),
        st.tuples(st.just("move"), st.integers(0, 999), st.floats(0, 1), st.floats(0, 1)),
        st.tuples(st.just("delete"), st.integers(0, 999)),
    ),
    max_size=20,
)


@pytest.mark.parametrize("key", KEYS)
@settings(max_examples=ACTION_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=actions)
def test_random_actions_never_raise_and_keep_trainer_data_and_picture_in_step(qapp, qtbot, key, actions):
    panel = make(key)
    try:
        for action in actions:
            _do(panel, qapp, *action)
        trainer = panel.runner.trainer
        latest = panel.runner.latest
        assert latest.step == trainer.step_count
        assert all(np.isfinite(value).all() for value in trainer.params.values())
        if isinstance(panel, PointDataPanel) and len(panel.data):
            X, y = panel.runner.probe.data(panel.data.rows)
            np.testing.assert_array_equal(trainer.X, X)
            if y is not None:
                np.testing.assert_array_equal(trainer.y, y)
    finally:
        panel.shutdown()
        panel.deleteLater()


def _do(panel, qapp, kind, *args):
    """One thing a person does, through the same paths the controls take."""
    controls = panel.controls
    if do_on_any_tab(panel, qapp, kind, *args):
        return
    if kind == "learning_rate" and controls.learning_rate_box.isVisible():
        controls.learning_rate_box.setValue(args[0])
    elif kind == "batch" and controls.batch_box.isVisible():
        controls.batch_box.setValue(args[0])
    elif kind == "hide":
        panel.set_shown(False)
        panel.step()
        panel.set_shown(True)
    elif isinstance(panel, PointDataPanel) and hasattr(panel, "editor"):
        n = len(panel.data)
        (x0, x1), (y0, y1) = panel.editor.view_box.viewRange()
        if kind == "add":
            x, y, label = x0 + args[0] * (x1 - x0), y0 + args[1] * (y1 - y0), args[2]
            panel.editor.point_added.emit(x, y, label if panel.editor.classes else -1)
        elif kind == "move" and n:
            index = args[0] % n
            panel.editor.point_moved.emit(index, x0 + args[1] * (x1 - x0), y0 + args[2] * (y1 - y0), index + 1)
        elif kind == "delete" and n:
            panel.editor.point_deleted.emit(args[0] % n)
