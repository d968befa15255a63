"""The engine (Qt-free): commands between steps, tasks in slices, the recording budget, snapshots."""

from __future__ import annotations

import time

import numpy as np
import pytest
from probes import BrokenExtraProbe, CountingProbe

from primer_gui.core import LinearRegression
from primer_gui.core.datasets import house_prices
from primer_gui.panels.line_fit_probe import LineFitProbe
from primer_gui.training.edits import AddPoint, ReplaceAll
from primer_gui.training.engine import Engine
from primer_gui.training.history import HistoryMirror
from primer_gui.training.probe import Probe


def rows(n=40, seed=1):
    X, y = house_prices(n, 0.3, seed=seed)
    return np.column_stack([X[:, 0], y])


def engine(probe=None, **hyper) -> Engine:
    return Engine(LinearRegression(**hyper), probe or Probe(), rows())


def messages(engine, kind):
    return [m for m in engine.take_outbox() if m[0] == kind]


def run_until_idle(engine, budget=5.0):
    end = time.perf_counter() + budget
    while engine.busy and time.perf_counter() < end:
        engine.work()


def test_steps_are_bit_identical_to_the_bare_trainer_and_each_is_reported():
    e = engine(batch_size=7)
    e.handle(("step", 25))
    run_until_idle(e)
    bare = LinearRegression(batch_size=7)
    bare.set_data(*Probe().data(rows()))
    for _ in range(25):
        last = bare.step()
    for name, value in bare.params.items():
        np.testing.assert_array_equal(e.trainer.params[name], value)
    snapshot = [m for m in e.take_outbox() if m[0] == "snapshot"][-1][1]
    assert snapshot.report.step == last.step == 25 and snapshot.report_new
    np.testing.assert_array_equal(snapshot.report.batch, last.batch)


def test_one_epoch_ends_exactly_at_the_epoch_boundary_with_an_inspected_last_step():
    e = engine(batch_size=3)
    e.handle(("step", 2))
    run_until_idle(e)
    e.handle(("epoch",))
    run_until_idle(e)
    assert e.trainer.epoch_count == 1
    assert e.trainer.step_count == 14  # ceil(40 / 3)
    snapshot = [m for m in e.take_outbox() if m[0] == "snapshot"][-1][1]
    assert snapshot.report.step == 14 and snapshot.report.ended_epoch


def test_a_long_epoch_is_done_in_slices_and_pause_interrupts_it():
    e = Engine(LinearRegression(batch_size=1), Probe(), rows(20_000))
    e.handle(("epoch",))
    e.work(budget=0.005)
    assert e.busy and 0 < e.trainer.step_count < 20_000
    e.handle(("pause",))
    assert not e.busy
    stopped = e.trainer.step_count
    e.work()
    assert e.trainer.step_count == stopped


def test_toggle_is_decided_by_the_engine_so_two_toggles_never_play_twice():
    e = engine()
    e.handle(("toggle",))
    e.handle(("toggle",))
    assert not e.playing
    assert [m[1] for m in e.take_outbox() if m[0] == "playing"] == [True, False]


def test_reset_with_parameters_is_one_command_and_one_snapshot():
    e = engine()
    e.handle(("step", 5))
    run_until_idle(e)
    e.take_outbox()
    e.handle(("reset", {"weights": [2.0], "bias": -1.0}))
    e.publish()
    snapshots = messages(e, "snapshot")
    assert len(snapshots) == 1
    snapshot = snapshots[0][1]
    assert snapshot.step == 0 and float(snapshot.params["bias"]) == -1.0 and snapshot.report is None
    assert snapshot.report_new  # "no report" is news: the inspector clears


def test_a_refused_hyperparameter_comes_back_with_the_trainers_value():
    e = engine(learning_rate=0.05)
    e.handle(("set", "learning_rate", -1.0))
    refused = messages(e, "refused")
    assert refused and refused[0][1] == "learning_rate" and refused[0][3] == 0.05
    assert "positive" in refused[0][2]


def test_edits_change_the_rows_and_the_trainers_data_together():
    e = engine()
    e.handle(("edit", AddPoint(0, (1.0, 2.0))))
    assert e.rows.shape == (41, 2) and e.trainer.n_points == 41
    np.testing.assert_array_equal(e.trainer.X[0], [1.0])
    e.handle(("edit", ReplaceAll(np.empty((0, 2)))))
    assert not e.has_data
    e.handle(("play",))
    assert not e.playing  # nothing to train on


def test_a_failing_extra_is_reported_once_not_every_frame():
    e = engine(BrokenExtraProbe())
    e.handle(("play",))
    for _ in range(20):
        e.work(budget=0.002)
        e.handle(("step", 1))
    failures = messages(e, "failed")
    assert len(failures) == 1 and "the extra broke" in failures[0][1]


def test_actions_plain_and_in_slices_report_their_results():
    e = engine(CountingProbe())
    e.handle(("action", "double_rate", {}))
    assert messages(e, "result") == [("result", "double_rate", 0.2)]
    e.handle(("action", "steps_in_slices", {"count": 50}))
    e.work(budget=0.0)
    assert e.busy  # a generator action runs a slice at a time
    run_until_idle(e)
    assert ("result", "steps_in_slices", 50) in e.take_outbox()


def test_queries_answer_between_steps_and_hand_back_errors():
    e = engine(CountingProbe())
    e.handle(("query", 7, "session", {}))
    e.handle(("query", 8, "fail", {}))
    e.handle(("query", 9, "nonsense", {}))
    replies = {m[1]: m[2:] for m in messages(e, "reply")}
    assert replies[7][0] and replies[7][1]["trainer"]["class"] == "LinearRegression"
    assert not replies[8][0] and isinstance(replies[8][1], ZeroDivisionError)
    assert not replies[9][0] and "cannot answer" in str(replies[9][1])


def test_divergence_stops_play_keeps_finite_parameters_and_reports_the_step():
    e = engine(learning_rate=5.0)
    e.handle(("play",))
    run_until_idle(e)
    out = e.take_outbox()
    diverged = [m[1] for m in out if m[0] == "diverged"]
    assert diverged and diverged[0].diverged and not e.playing
    assert diverged[0].step == e.trainer.step_count + 1  # the rejected update, one past the last
    assert all(np.isfinite(v).all() for v in e.trainer.params.values())


def test_divergence_traced_step_by_step_leaves_its_zig_zag_in_the_path():
    e = Engine(LinearRegression(learning_rate=0.5), LineFitProbe(), rows())
    e.handle(("play",))
    run_until_idle(e)
    mirror = HistoryMirror()
    e.history.resend()
    mirror.apply(e.history.delta())
    tail = np.diff(mirror.steps[-30:])
    assert (tail == 1).all()  # every one of the last steps before the overflow is on the path
    signs = np.sign(mirror.points[-30:, 1])  # far out, the optimum is ~0: the sign says which side
    assert (signs[1:] != signs[:-1]).all()  # each step overshoots to the other side: a zig-zag


def test_the_loss_is_recorded_within_its_budget_however_slow_it_is():
    class SlowMetrics(CountingProbe):
        def metrics(self, trainer):
            time.sleep(0.01)
            return super().metrics(trainer)

    e = engine(SlowMetrics(), batch_size=8)
    e.handle(("play",))
    start = time.perf_counter()
    while time.perf_counter() - start < 1.0:
        e.work()
    records, steps = len(e.history), e.trainer.step_count
    assert records <= 1.0 * 0.2 / 0.01 + 5  # at most ~20 % of the time spent recording
    assert steps > 20 * records


def test_a_hidden_engine_publishes_nothing_and_catches_up_when_shown():
    e = engine()
    e.handle(("visible", False))
    e.handle(("step", 3))
    run_until_idle(e)
    assert not messages(e, "snapshot")
    e.handle(("visible", True))
    e.publish()
    snapshot = messages(e, "snapshot")[-1][1]
    assert snapshot.step == 3 and len(snapshot.history.steps) == len(e.history)


def test_state_round_trip_continues_the_same_trajectory():
    e = engine(batch_size=7)
    e.handle(("step", 9))
    run_until_idle(e)
    copy = Engine.from_state(e.state())
    for target in (e, copy):
        target.handle(("step", 11))
        run_until_idle(target)
    for name, value in e.trainer.params.items():
        np.testing.assert_array_equal(copy.trainer.params[name], value)
    assert copy.history.steps[-1] == e.history.steps[-1] == 20  # (when between is up to the clock)


def test_snapshots_come_at_most_once_per_frame_while_playing():
    """Timed on the engine's own clock, read when it publishes (not when the test gets round to looking)."""
    e = engine(batch_size=4)
    published = []
    measure = e._updates_per_second  # publish() passes it the clock's reading of that moment
    e._updates_per_second = lambda now: (published.append(now), measure(now))[1]
    e.handle(("play",))
    start = time.perf_counter()
    while time.perf_counter() - start < 0.5:
        e.work()
        e.take_outbox()
    gaps = np.diff(published[1:])  # (the first is Play's own, forced)
    assert len(published) <= 0.5 * 60 + 3
    assert gaps.min() >= 0.8 / 60 - 1e-9


@pytest.mark.parametrize("bad", [("nonsense",), ("step",)])
def test_a_malformed_command_is_reported_not_raised(bad):
    e = engine()
    e.handle(bad)
    assert messages(e, "failed")


def test_a_probe_can_play_in_its_own_units_paced_by_its_own_progress():
    """Probe.run / Probe.progress: here a unit is a tenth of an update; Play's speed counts units."""

    class Tenths(Probe):
        def __init__(self):
            self.units = 0

        def run(self, trainer, units):
            self.units += units
            trainer.run(self.units // 10 - trainer.step_count)
            return type("Report", (), {"diverged": False, "loss": 0.0})()

        def progress(self, trainer):
            return self.units

    now = [0.0]
    e = Engine(LinearRegression(), Tenths(), rows(), clock=lambda: now[0])
    e.handle(("speed", 10.0))
    e.handle(("play",))
    for second in (1.0, 2.5):
        now[0] = second
        e.work()
        assert e.probe.units == int(10 * second)  # ten units a second, whatever the updates
        assert e.trainer.step_count == int(second)
    assert e.next_due() == pytest.approx(0.1)  # the next unit is due a tenth of a second later
    e.handle(("pause",))


class HalvedLossProbe(Probe):
    """A probe that records its own value as the loss (as a tab with too much data for a full pass does)."""

    def loss(self, trainer):
        return 0.5 * trainer.loss()


def test_the_recorded_loss_is_the_probes():
    e = engine(HalvedLossProbe())
    e.handle(("step", 3))
    run_until_idle(e)
    history = HistoryMirror(("loss",))
    for message in e.take_outbox():
        if message[0] == "snapshot":
            history.apply(message[1].history)
    assert history.losses[-1] == pytest.approx(0.5 * e.trainer.loss(), rel=1e-12)
    assert Probe().loss(e.trainer) == e.trainer.loss()


def test_a_paced_play_keeps_to_its_speed_exactly():
    now = [0.0]

    def clock() -> float:
        now[0] += 20e-6
        return now[0]

    e = Engine(LinearRegression(), Probe(), rows(), clock=clock)
    e.handle(("speed", 50.0))
    e.handle(("play",))
    while now[0] < 1.0:
        e.work()
        e.take_outbox()
    assert 49 <= e.trainer.step_count <= 51
