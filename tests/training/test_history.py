"""The loss history stays bounded however long training runs, and keeps its ends."""

from __future__ import annotations

import numpy as np

from primer_gui.training.history import LossHistory


def test_history_is_bounded_and_spans_every_step():
    history = LossHistory(capacity=100)
    for step in range(100_000):
        history.append(step, 1.0 / (step + 1), np.array([step, -step]))
    steps, losses = history.arrays()
    assert len(steps) <= 101
    assert steps[0] == 0 and steps[-1] == 99_999
    assert (np.diff(steps) > 0).all()
    np.testing.assert_allclose(losses, 1.0 / (steps + 1))
    np.testing.assert_array_equal(history.point_array()[:, 0], steps)


def test_going_back_in_time_drops_the_future():
    history = LossHistory()
    for step in range(10):
        history.append(step, float(step))
    history.append(4, -1.0)
    steps, losses = history.arrays()
    assert steps.tolist() == [0, 1, 2, 3, 4] and losses[-1] == -1.0


def test_state_round_trip():
    history = LossHistory(capacity=8)
    for step in range(50):
        history.append(step, float(step), np.array([step, 0.5]))
    history.mark_epoch(10)
    again = LossHistory(capacity=8)
    again.load_state(history.state())
    for a, b in zip(history.arrays(), again.arrays(), strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(history.point_array(), again.point_array())
    np.testing.assert_array_equal(again.epoch_array(), [10])
    again.append(50, 50.0, np.array([50, 0.5]))
    history.append(50, 50.0, np.array([50, 0.5]))
    np.testing.assert_array_equal(history.arrays()[0], again.arrays()[0])
