"""The history stays bounded however long training runs, keeps its ends, and travels as exact deltas."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from primer_gui.training.history import History, HistoryMirror, parse_history_state


def test_history_is_bounded_and_spans_every_step():
    history = History(capacity=100)
    for step in range(100_000):
        history.append(step, (1.0 / (step + 1),), np.array([step, -step]))
    mirror = HistoryMirror()
    mirror.apply(history.delta())
    assert len(mirror) <= 101
    assert mirror.steps[0] == 0 and mirror.steps[-1] == 99_999
    assert (np.diff(mirror.steps) > 0).all()
    np.testing.assert_allclose(mirror.losses, 1.0 / (mirror.steps + 1))
    np.testing.assert_array_equal(mirror.points[:, 0], mirror.steps)


def test_going_back_in_time_drops_the_future():
    history = History()
    for step in range(10):
        history.append(step, (float(step),))
        history.mark_epoch(step)
    history.append(4, (-1.0,))
    assert history.steps == [0, 1, 2, 3, 4] and history.latest() == -1.0
    assert history.epochs == [0, 1, 2, 3]


def test_named_series_are_kept_side_by_side():
    history = History(("loss", "validation", "accuracy"))
    history.append(0, (2.0, 3.0, 0.5))
    history.append(1, (1.0, float("nan"), 0.75))
    mirror = HistoryMirror(history.series)
    mirror.apply(history.delta())
    np.testing.assert_array_equal(mirror.values("accuracy"), [0.5, 0.75])
    assert np.isnan(mirror.values("validation")[1])
    assert mirror.latest("accuracy") == 0.75
    with pytest.raises(ValueError, match="3 values"):
        history.append(2, (1.0,))


@settings(max_examples=60, deadline=None)
@given(
    operations=st.lists(
        st.one_of(
            st.tuples(st.just("append"), st.integers(0, 3)),
            st.tuples(st.just("epoch"), st.just(0)),
            st.tuples(st.just("back"), st.integers(0, 30)),
            st.tuples(st.just("delta"), st.booleans()),
            st.tuples(st.just("clear"), st.just(0)),
        ),
        max_size=120,
    )
)
def test_deltas_merged_in_a_mailbox_rebuild_the_history_exactly(operations):
    """Whatever happens between deltas — thinning, going back, clearing — a mirror fed the deltas
    (some merged, as the runner's mailbox merges unread ones) ends equal to the history."""
    history = History(("loss", "other"), capacity=8)
    mirror = HistoryMirror(history.series)
    pending = None
    step = 0
    for kind, value in operations:
        if kind == "append":
            step += value
            history.append(step, (float(step), -float(step)), np.array([step]))
        elif kind == "epoch":
            history.mark_epoch(step)
        elif kind == "back":
            step = max(step - value, 0)
            history.append(step, (0.5, 0.5), np.array([step]))
        elif kind == "clear":
            history.clear()
            step = 0
        else:
            delta = history.delta()
            pending = delta if pending is None else pending.merged(delta)
            if value:  # the GUI reads the mailbox now
                mirror.apply(pending)
                pending = None
    delta = history.delta()
    mirror.apply(delta if pending is None else pending.merged(delta))
    np.testing.assert_array_equal(mirror.steps, history.steps)
    np.testing.assert_array_equal(mirror.values("other"), [v[1] for v in history.values])
    np.testing.assert_array_equal(mirror.epochs, history.epochs)


def test_state_round_trip_and_checks():
    history = History(capacity=8)
    for step in range(50):
        history.append(step, (float(step),), np.array([step, 0.5]))
    history.mark_epoch(10)
    again = History(capacity=8)
    again.load_state(history.state())
    assert again.steps == history.steps and again.epochs == [10]
    np.testing.assert_array_equal(again.points, history.points)
    state = history.state()
    for damage, reason in [
        ({"steps": state["steps"][:-1]}, "differ in length"),
        ({"steps": [float("inf")] * len(state["steps"])}, "increasing whole numbers"),
        ({"stride": float("inf")}, "stride"),
        ({"series": ["accuracy"]}, "records"),
        ({"values": [["x"]] * len(state["steps"])}, "not a number"),
        ({"points": [[1.0]] + state["points"][1:]}, "differ in length"),
        ({"points": [[]] + state["points"][1:]}, "not a list of numbers"),  # an empty point would load as none
    ]:
        with pytest.raises(ValueError, match=reason):
            parse_history_state({**state, **damage}, ("loss",))
