"""Random sequences of what a person does on the Clusters tab: nothing fails; trainer, controls, picture agree."""

from __future__ import annotations

import numpy as np
from any_tab import do_on_any_tab
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from primer_gui.panels.clusters import DATASETS, ClustersPanel

fraction = st.floats(0, 1)
actions = st.lists(
    st.one_of(
        st.tuples(st.just("k"), st.integers(1, 10)),
        st.tuples(st.just("method"), st.sampled_from(["lloyd", "gradient"])),
        st.tuples(st.just("init"), st.sampled_from(["k-means++", "random", "placed"])),
        st.tuples(st.just("pick"), fraction, fraction),
        st.tuples(st.just("drag centre"), st.integers(0, 9), fraction, fraction),
        st.tuples(st.just("data set"), st.sampled_from(list(DATASETS)), st.integers(1, 40)),
        st.tuples(st.just("analysis"), st.sampled_from(["elbow", "restarts", "compare"])),
        st.tuples(st.just("new start")),
        st.tuples(st.just("session")),
        st.tuples(st.just("step"), st.integers(1, 4)),
        st.tuples(st.just("epoch")),
        st.tuples(st.just("play")),
        st.tuples(st.just("reset")),
        st.tuples(st.just("undo")),
        st.tuples(st.just("redo")),
        st.tuples(st.just("add"), fraction, fraction),
        st.tuples(st.just("delete"), st.integers(0, 999)),
    ),
    max_size=25,
)


def _at(panel, fx: float, fy: float) -> tuple[float, float]:
    (x0, x1), (y0, y1) = panel.data_plot.view_box.viewRange()
    return x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)


def _do(panel, qapp, kind: str, *args) -> None:
    if do_on_any_tab(panel, qapp, kind, *args):
        return
    if kind == "k":
        panel.k_box.setValue(args[0])
    elif kind == "method":
        panel.method_box.setCurrentIndex(panel.method_box.findData(args[0]))
    elif kind == "init":
        panel.init_box.setCurrentIndex(panel.init_box.findData(args[0]))
        panel.init_box.activated.emit(panel.init_box.currentIndex())
    elif kind == "pick":
        panel.markers.position_picked.emit(*_at(panel, *args))
    elif kind == "drag centre":
        panel.markers.marker_dragged.emit(args[0], *_at(panel, *args[1:]), 7)
        panel.markers.marker_released.emit(args[0])
    elif kind == "data set":
        panel.data_box.dataset_box.setCurrentText(args[0])
        panel.data_box.points_box.setValue(args[1])
        panel.data_box.new_button.click()
    elif kind == "analysis":
        getattr(panel, f"{args[0]}_page").button.click()
    elif kind == "new start":
        panel.new_start_button.click()
    elif kind == "session":
        panel.load_session_state(panel.session_state())
    elif kind == "add":
        panel.data_plot.point_added.emit(*_at(panel, *args), -1)
    elif kind == "delete" and len(panel.data):
        panel.data_plot.point_deleted.emit(args[0] % len(panel.data))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=actions)
def test_random_actions_never_fail_and_keep_trainer_controls_and_picture_in_step(qapp, actions):
    panel = ClustersPanel(threaded=False)
    failures = []
    panel.runner.failed.connect(failures.append)
    try:
        for action in actions:
            _do(panel, qapp, *action)
        assert not failures, failures
        trainer, latest = panel.runner.trainer, panel.runner.latest
        assert latest.step == trainer.step_count
        if len(panel.data):
            np.testing.assert_array_equal(trainer.X, panel.data.rows)
            assert trainer.k == panel.k_box.value() and trainer.method == panel.method_box.currentData()
            if not panel.markers.picking:  # (while a person places centres, the markers are theirs)
                np.testing.assert_array_equal(panel.markers.positions, trainer.params["centers"])
            labels = latest.extra["labels"]
            if labels is not None:
                assert len(labels) == len(panel.data) and labels.max() < trainer.k
                np.testing.assert_array_equal(panel.data_plot.labels, labels)
    finally:
        panel.shutdown()
        panel.deleteLater()
