"""The training runner, on a real QThread: order of commands, exactness, snapshots, errors, shutdown."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import QThread

from primer_gui.core import LinearRegression
from primer_gui.core.datasets import house_prices
from primer_gui.training.runner import TrainingRunner


def make_trainer(**kwargs) -> LinearRegression:
    X, y = house_prices(40, 0.3, seed=1)
    trainer = LinearRegression(**kwargs)
    trainer.set_data(X, y)
    return trainer


@pytest.fixture
def runner(qtbot):
    runner = TrainingRunner(make_trainer(batch_size=7))
    yield runner
    assert runner.shutdown(1000)


def latest_step(runner) -> int:
    """The step of the newest snapshot the GUI has received (−1 before the first)."""
    return -1 if runner.latest is None else runner.latest.step


def wait_for_step(qtbot, runner, step):
    qtbot.waitUntil(lambda: runner.latest is not None and runner.latest.step == step, timeout=3000)


def test_runner_steps_end_exactly_where_the_bare_trainer_ends(qtbot, runner):
    runner.step(25)
    wait_for_step(qtbot, runner, 25)
    bare = make_trainer(batch_size=7)
    for _ in range(25):
        bare.step()
    for name, value in bare.params.items():
        np.testing.assert_array_equal(runner.latest.params[name], value)


def test_play_runs_on_its_own_thread_and_pause_stops_it(qtbot, runner):
    seen_threads = []
    runner.edit(lambda trainer: seen_threads.append(QThread.currentThread()))
    with qtbot.waitSignal(runner.playing_changed, timeout=2000):
        runner.play()
    qtbot.waitUntil(lambda: latest_step(runner) > 100, timeout=3000)
    with qtbot.waitSignal(runner.playing_changed, timeout=2000):
        runner.pause()
    stopped_at = runner.query(lambda trainer, history: trainer.step_count)
    qtbot.wait(100)
    assert runner.query(lambda trainer, history: trainer.step_count) == stopped_at
    assert seen_threads and seen_threads[0] is not QThread.currentThread()


def test_commands_apply_in_order_between_steps(qtbot, runner):
    log = []
    runner.play()
    runner.edit(lambda trainer: log.append(("lr", trainer.step_count)))
    runner.edit(lambda trainer: setattr(trainer, "learning_rate", 0.01))
    runner.edit(lambda trainer: log.append(("after", trainer.learning_rate)))
    runner.pause()
    runner.edit(lambda trainer: log.append(("paused", trainer.step_count)))
    qtbot.waitUntil(lambda: len(log) == 3, timeout=3000)
    assert log[1] == ("after", 0.01)
    assert log[2][1] >= log[0][1]


def test_edits_while_playing_never_race_an_update(qtbot, runner):
    """Add points while training: every step sees consistent data, and none is lost."""
    runner.play()
    X, y = house_prices(40, 0.3, seed=1)
    for extra in range(1, 30):
        Xn = np.vstack([X, np.full((extra, 1), 1.5)])
        yn = np.concatenate([y, np.full(extra, 3.0)])
        runner.edit(lambda trainer, Xn=Xn, yn=yn: trainer.set_data(Xn, yn))
        qtbot.wait(2)
    runner.pause()
    n = runner.query(lambda trainer, history: trainer.n_points)
    assert n == 40 + 29
    assert np.isfinite(runner.latest.loss)


def test_step_while_playing_pauses_then_takes_exactly_one_step(qtbot, runner):
    runner.play()
    qtbot.waitUntil(lambda: latest_step(runner) > 10, timeout=3000)
    runner.step(1)
    qtbot.waitUntil(lambda: not runner.playing and runner.latest.report is not None, timeout=3000)
    count, report_step = runner.query(lambda trainer, history: trainer.step_count), runner.latest.report.step
    assert report_step == count


def test_snapshots_are_at_most_one_per_frame_and_latest_wins(qtbot, runner):
    times = []
    runner.snapshot_ready.connect(lambda snapshot: times.append(time.perf_counter()))
    runner.play()
    qtbot.wait(600)
    runner.pause()
    qtbot.wait(50)
    gaps = np.diff(times[1:-1])  # the first and last are forced by play and pause
    assert len(times) <= 0.6 * 60 + 6
    assert (gaps > 1 / 60 * 0.8).all()
    steps = runner.query(lambda trainer, history: trainer.step_count)
    assert runner.latest.step == steps  # the final snapshot shows the final state


def test_snapshot_holds_copies_not_views(qtbot, runner):
    runner.step(1)
    wait_for_step(qtbot, runner, 1)
    first = runner.latest
    kept = first.params["weights"].copy()
    runner.step(5)
    wait_for_step(qtbot, runner, 6)
    np.testing.assert_array_equal(first.params["weights"], kept)


def test_an_exception_in_a_step_stops_training_and_says_so(qtbot, runner):
    def broken(trainer):
        raise RuntimeError("the trainer broke")

    runner.play()
    with qtbot.waitSignal(runner.failed, timeout=3000) as blocker:
        runner.edit(broken)
    assert "the trainer broke" in blocker.args[0]
    qtbot.waitUntil(lambda: not runner.playing, timeout=2000)


def test_divergence_stops_training_with_finite_parameters(qtbot, runner):
    runner.edit(lambda trainer: setattr(trainer, "learning_rate", 5.0))
    runner.edit(lambda trainer: setattr(trainer, "batch_size", None))
    with qtbot.waitSignal(runner.diverged, timeout=5000) as blocker:
        runner.play()
    report = blocker.args[0]
    assert report.diverged
    qtbot.waitUntil(lambda: not runner.playing, timeout=2000)
    params = runner.query(lambda trainer, history: trainer.params)
    assert all(np.isfinite(v).all() for v in params.values())


def test_hidden_runner_publishes_nothing_then_catches_up(qtbot, runner):
    runner.set_visible(False)
    runner.step(1)
    qtbot.wait(100)
    received = []
    runner.snapshot_ready.connect(received.append)
    runner.step(3)
    qtbot.wait(150)
    assert received == []
    runner.set_visible(True)
    qtbot.waitUntil(lambda: bool(received) and received[-1].step == 4, timeout=2000)


def test_shutdown_while_playing_joins_within_a_second(qtbot):
    runner = TrainingRunner(make_trainer())
    runner.play()
    qtbot.waitUntil(lambda: runner.latest is not None and latest_step(runner) > 10, timeout=3000)
    start = time.perf_counter()
    assert runner.shutdown(1000)
    assert time.perf_counter() - start < 1.0


def test_query_reraises_the_workers_exception(qtbot, runner):
    with pytest.raises(ZeroDivisionError):
        runner.query(lambda trainer, history: 1 / 0)


def test_paced_speed_is_roughly_respected(qtbot, runner):
    runner.set_speed(50.0)
    runner.play()
    qtbot.wait(1000)
    runner.pause()
    steps = runner.query(lambda trainer, history: trainer.step_count)
    assert 25 <= steps <= 80


def test_a_burst_of_edits_publishes_at_most_once_per_frame_and_shows_the_last(qtbot, runner):
    received = []
    runner.snapshot_ready.connect(received.append)
    X, y = house_prices(40, 0.3, seed=1)
    for k in range(200):  # a fast drag: far more edits than frames
        runner.edit(lambda trainer, k=k: trainer.set_data(X + k * 1e-3, y))
    qtbot.waitUntil(lambda: runner.query(lambda trainer, history: trainer.X[0, 0]) == X[0, 0] + 199e-3, timeout=3000)
    qtbot.wait(100)
    assert len(received) < 40
    assert received[-1].loss == pytest.approx(runner.query(lambda trainer, history: trainer.loss()))
