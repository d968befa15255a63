"""The training runner: the trainer in its own process, relayed by a QThread — order of commands,
exactness, snapshots, errors, a lost process, shutdown; and the same engine in-process."""

from __future__ import annotations

import os
import signal
import threading
import time
from multiprocessing.connection import Connection

import numpy as np
import pytest
from probes import CountingProbe

from primer_gui.core import LinearRegression
from primer_gui.core.datasets import house_prices
from primer_gui.training import runner as runner_module
from primer_gui.training.edits import AddPoint
from primer_gui.training.probe import Probe
from primer_gui.training.runner import TrainingRunner


def rows(n=40):
    X, y = house_prices(n, 0.3, seed=1)
    return np.column_stack([X[:, 0], y])


def make_runner(threaded=True, probe=None, **hyper) -> TrainingRunner:
    return TrainingRunner(LinearRegression(**hyper), probe or Probe(), rows=rows(), threaded=threaded)


@pytest.fixture
def runner(qtbot):
    runner = make_runner(batch_size=7)
    yield runner
    assert runner.shutdown(2000)


def wait_for_step(qtbot, runner, step):
    qtbot.waitUntil(lambda: runner.latest is not None and runner.latest.step == step, timeout=5000)


def bare_steps(count, **hyper):
    bare = LinearRegression(**hyper)
    bare.set_data(*Probe().data(rows()))
    for _ in range(count):
        bare.step()
    return bare


def test_the_trainer_runs_in_another_process_without_qt(qtbot):
    runner = make_runner(probe=CountingProbe())
    try:
        pid, qt_loaded = runner.query("process")
        assert pid != os.getpid()
        assert not qt_loaded
        if hasattr(os, "getpriority"):  # below the window's priority: the person's hand comes first
            assert os.getpriority(os.PRIO_PROCESS, pid) >= os.getpriority(os.PRIO_PROCESS, 0) + 5
    finally:
        runner.shutdown()


def test_the_trainers_process_runs_its_numerical_libraries_on_one_thread(qtbot, monkeypatch):
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")  # a person's own choice is kept
    runner = make_runner(probe=CountingProbe())
    try:
        assert runner.query("environment", variable="OPENBLAS_NUM_THREADS") == "1"
        assert runner.query("environment", variable="OMP_NUM_THREADS") == "3"
    finally:
        runner.shutdown()


def test_steps_in_the_process_end_bit_identical_to_the_bare_trainer_and_in_process(qtbot, runner):
    runner.step(25)
    wait_for_step(qtbot, runner, 25)
    local = make_runner(threaded=False, batch_size=7)
    local.step(25)
    bare = bare_steps(25, batch_size=7)
    for name, value in bare.params.items():
        np.testing.assert_array_equal(runner.latest.params[name], value)
        np.testing.assert_array_equal(local.latest.params[name], value)


def test_play_and_pause(qtbot, runner):
    with qtbot.waitSignal(runner.playing_changed, timeout=5000):
        runner.play()
    qtbot.waitUntil(lambda: runner.latest.step > 100, timeout=5000)
    with qtbot.waitSignal(runner.playing_changed, timeout=2000):
        runner.pause()
    stopped_at = runner.query("trainer_state")["step_count"]
    qtbot.wait(100)
    assert runner.query("trainer_state")["step_count"] == stopped_at
    qtbot.waitUntil(lambda: runner.latest.step == stopped_at, timeout=2000)


def test_a_setting_changed_during_play_is_kept_after_pause(qtbot, runner):
    """The prototype lost it 5 times out of 5: a change must reach the trainer that is training."""
    runner.play()
    qtbot.waitUntil(lambda: runner.latest is not None and runner.latest.playing, timeout=5000)
    runner.set("learning_rate", 0.0123)
    runner.pause()
    qtbot.waitUntil(lambda: not runner.playing, timeout=2000)
    assert runner.trainer.learning_rate == 0.0123
    qtbot.waitUntil(lambda: runner.latest.hyperparameters["learning_rate"] == 0.0123, timeout=2000)


def test_edits_while_playing_are_applied_between_steps_and_none_is_lost(qtbot, runner):
    runner.play()
    for extra in range(29):
        runner.edit(AddPoint(40 + extra, (1.5, 3.0)))
        qtbot.wait(2)
    runner.pause()
    state = runner.query("trainer_state")
    assert state["X"].shape == (69, 1)
    qtbot.waitUntil(lambda: runner.latest.n_points == 69, timeout=2000)
    assert np.isfinite(runner.latest.loss)


def test_step_while_playing_pauses_then_takes_exactly_one_step(qtbot, runner):
    runner.play()
    qtbot.waitUntil(lambda: runner.latest.step > 10, timeout=5000)
    runner.step(1)
    qtbot.waitUntil(lambda: not runner.playing and runner.report is not None, timeout=3000)
    assert runner.report.step == runner.query("trainer_state")["step_count"]


def test_two_quick_toggles_never_play_twice(qtbot, runner):
    states = []
    runner.playing_changed.connect(states.append)
    runner.toggle()
    runner.toggle()
    qtbot.waitUntil(lambda: len(states) == 2, timeout=3000)
    assert states == [True, False]


def test_reset_is_one_snapshot_with_the_initial_parameters(qtbot, runner):
    runner.step(5)
    wait_for_step(qtbot, runner, 5)
    shown = []
    runner.snapshot_ready.connect(shown.append)
    runner.reset({"weights": [3.0], "bias": 1.0})
    qtbot.waitUntil(lambda: bool(shown) and shown[-1].step == 0, timeout=3000)
    qtbot.wait(50)
    assert all(float(s.params["bias"]) == 1.0 for s in shown)  # no frame of the zero start
    assert runner.report is None


def test_snapshots_are_copies_and_carry_history_deltas(qtbot, runner):
    runner.step(1)
    wait_for_step(qtbot, runner, 1)
    first = runner.latest
    kept = first.params["weights"].copy()
    runner.step(5)
    wait_for_step(qtbot, runner, 6)
    np.testing.assert_array_equal(first.params["weights"], kept)
    assert runner.history.steps[-1] == 6 and runner.history.losses[-1] == runner.latest.loss


def test_a_failing_probe_query_raises_here_and_an_unknown_one_says_so(qtbot):
    runner = make_runner(probe=CountingProbe())
    try:
        with pytest.raises(ZeroDivisionError):
            runner.query("fail")
        with pytest.raises(ValueError, match="cannot answer"):
            runner.query("nonsense")
    finally:
        runner.shutdown()


def test_actions_report_their_results(qtbot):
    runner = make_runner(probe=CountingProbe())
    try:
        with qtbot.waitSignal(runner.result_ready, timeout=5000) as blocker:
            runner.action("steps_in_slices", count=30)
        assert blocker.args == ["steps_in_slices", 30]
    finally:
        runner.shutdown()


def test_divergence_stops_training_with_finite_parameters(qtbot):
    runner = make_runner(learning_rate=5.0)
    try:
        with qtbot.waitSignal(runner.diverged, timeout=5000) as blocker:
            runner.play()
        assert blocker.args[0].diverged
        qtbot.waitUntil(lambda: not runner.playing, timeout=2000)
        assert all(np.isfinite(v).all() for v in runner.trainer.params.values())
    finally:
        runner.shutdown()


def test_hidden_runner_publishes_nothing_then_catches_up(qtbot, runner):
    runner.step(1)
    wait_for_step(qtbot, runner, 1)
    runner.set_visible(False)
    received = []
    runner.snapshot_ready.connect(received.append)
    runner.step(3)
    qtbot.wait(200)
    assert received == []
    runner.set_visible(True)
    qtbot.waitUntil(lambda: bool(received) and received[-1].step == 4, timeout=3000)


def test_paced_speed_is_roughly_respected(qtbot, runner):
    runner.set_speed(50.0)
    runner.play()
    qtbot.wait(1000)
    runner.pause()
    steps = runner.query("trainer_state")["step_count"]
    assert 1 <= steps <= 80  # the pace is never exceeded (a starved process may fall behind it; the engine's
    # own test checks the pace exactly on a fake clock)


def test_a_killed_process_is_said_and_play_restarts_from_the_last_state(qtbot, runner):
    runner.step(12)
    wait_for_step(qtbot, runner, 12)
    runner.set("learning_rate", 0.02)  # after the last checkpoint, maybe: replayed into the new process
    qtbot.wait(300)  # let the process fall idle and checkpoint
    pid = runner.query("trainer_state") and runner._relay._process.pid
    with qtbot.waitSignal(runner.process_lost, timeout=5000) as blocker:
        os.kill(pid, signal.SIGKILL)
    assert "stopped unexpectedly" in blocker.args[0]
    runner.step(1)
    wait_for_step(qtbot, runner, 13)
    assert runner.trainer.learning_rate == 0.02
    assert runner._relay._process.pid != pid


def test_shutdown_while_playing_is_quick_and_leaves_the_final_state(qtbot):
    runner = make_runner()
    runner.play()
    qtbot.waitUntil(lambda: runner.latest is not None and runner.latest.step > 10, timeout=5000)
    process = runner._relay._process
    start = time.perf_counter()
    assert runner.shutdown(2000)
    assert time.perf_counter() - start < 0.5
    assert process.poll() is not None  # no process outlives its runner
    assert runner.trainer.step_count >= runner.latest.step  # the final state answers after shutdown
    assert runner.query("session")["trainer"]["step_count"] == runner.trainer.step_count


def test_in_process_mode_steps_synchronously_and_plays_on_a_timer(qtbot):
    runner = make_runner(threaded=False)
    runner.step(3)
    assert runner.latest.step == 3  # done when the call returns
    runner.play()
    qtbot.waitUntil(lambda: runner.latest.step > 50, timeout=3000)
    runner.pause()
    assert not runner.playing
    runner.shutdown()


class _SendingWhileReceivingProcess:
    """Stands in for the trainer's process: once the GUI's next command has begun to arrive, it sends a
    large message of its own before reading that command — as a process sending a checkpoint does."""

    def __init__(self, args, **_kwargs):
        self.conn = Connection(os.dup(int(args[-1])))
        self.pid, self.returncode, self.received = -1, None, []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        try:
            self.conn.recv()  # init
            self.conn.poll(None)  # the next command is on its way …
            self.conn.send(("result", "big", np.zeros(2_000_000)))  # … and 16 MB go the other way first
            while True:
                _serial, command = self.conn.recv()
                if command[0] == "stop":
                    break
                self.received.append(command[0])
        except (EOFError, OSError):
            pass
        finally:
            self.conn.close()

    def wait(self, timeout=None):
        self.thread.join(timeout)
        return 0

    def kill(self):
        pass


def test_large_messages_both_ways_at_once_do_not_deadlock(qtbot, monkeypatch):
    """The process sends a large message while the GUI sends a large state: neither may wait on the other."""
    fakes = []

    def popen(args, **kwargs):
        fakes.append(_SendingWhileReceivingProcess(args, **kwargs))
        return fakes[-1]

    monkeypatch.setattr(runner_module.subprocess, "Popen", popen)
    runner = make_runner()
    results = []
    runner.result_ready.connect(lambda _name, value: results.append(value.size))
    big = LinearRegression()
    big.set_data(np.random.default_rng(0).normal(size=(400_000, 1)), np.zeros(400_000))
    try:
        runner.load(big.raw_state())  # 6 MB out while 16 MB come in
        qtbot.waitUntil(lambda: results == [2_000_000] and fakes[0].received == ["load"], timeout=20_000)
    finally:
        assert runner.shutdown()


def test_checkpoints_carry_the_data_only_when_it_changed_and_stay_whole(qtbot, runner):
    """A checkpoint every second need not resend megabytes of unchanged data; the runner's copy stays whole."""
    from primer_gui.training.engine import Engine
    from primer_gui.training.runner import _with_data

    engine = Engine(LinearRegression(), Probe(), rows())
    light = engine.state(with_data=False)
    assert light["trainer"]["X"] is None and light["rows"] is None
    whole = _with_data(light, engine.state())
    np.testing.assert_array_equal(whole["trainer"]["X"], engine.trainer.X)
    runner.play()
    qtbot.wait(1300)  # at least one checkpoint while training, sent without the data
    runner.pause()
    qtbot.waitUntil(lambda: not runner.playing, timeout=2000)
    qtbot.wait(300)
    checkpoint = runner._relay.checkpoint
    assert checkpoint["trainer"]["X"].shape == (40, 1) and checkpoint["rows"].shape == (40, 2)
