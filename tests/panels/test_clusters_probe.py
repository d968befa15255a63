"""The Clusters tab's probe (Qt-free), in the engine as the trainer's process runs it."""

from __future__ import annotations

import numpy as np
import pytest

from primer_gui.core import KMeans
from primer_gui.core.datasets import blobs
from primer_gui.panels.clusters_probe import ClustersProbe
from primer_gui.training.edits import AddPoint
from primer_gui.training.engine import Engine


def make_engine(clock=None, **hyper) -> Engine:
    X, _ = blobs(200, 3, 0.9, seed=4)
    hyper = {"k": 3, "init": "random", "seed": 3, **hyper}
    kwargs = {} if clock is None else {"clock": clock}
    return Engine(KMeans(**hyper), ClustersProbe(), X, **kwargs)


def snapshots(engine):
    return [m[1] for m in engine.take_outbox() if m[0] == "snapshot"]


def test_play_at_a_slow_speed_publishes_every_half_step():
    now = [0.0]
    engine = make_engine(clock=lambda: now[0])
    engine.take_outbox()
    engine.handle(("speed", 5.0))
    engine.handle(("play",))
    seen = []
    for tick in range(1, 9):
        now[0] = tick * 0.2 + 1e-9
        engine.work()
        seen += [(s.step, s.extra["next"]) for s in snapshots(engine) if s.playing]
    halves = [state for state in seen if state != (0, "assign")]
    # each half-step its own picture: assign (update next), update (assign next), …, one per 0.2 s
    assert halves[:6] == [(0, "update"), (1, "assign"), (1, "update"), (2, "assign"), (2, "update"), (3, "assign")]
    assert engine.probe.progress(engine.trainer) == 8


def test_lloyd_by_half_steps_ends_where_the_trainers_own_steps_end():
    engine = make_engine()
    bare = KMeans(k=3, init="random", seed=3)
    bare.set_data(engine.trainer.X)
    for _ in range(6):
        engine.handle(("action", "half_step", {}))
        engine.handle(("action", "half_step", {}))
        bare.step()
        np.testing.assert_allclose(engine.trainer.params["centers"], bare.params["centers"], rtol=1e-12)
    assert engine.trainer.step_count == bare.step_count == 6 and engine.trainer.epoch_count == 6


def test_convergence_is_an_unchanged_assign_right_after_an_update():
    engine = make_engine()
    probe, trainer = engine.probe, engine.trainer
    results = []
    for _ in range(40):
        results.append(probe.half_step(trainer))
        if results[-1]["half"] == "assign" and results[-1]["converged"]:
            break
    assert results[-1]["changed"] == 0 and probe.extra(trainer)["converged"]
    assert not any(r.get("converged") for r in results[:-1])
    np.testing.assert_array_equal(trainer.centers_from(trainer.assign()), trainer.params["centers"])
    # a point added far away: no longer converged, and the next half is an assign
    engine.handle(("edit", AddPoint(0, (30.0, 30.0))))
    extra = probe.extra(trainer)
    assert not extra["converged"] and extra["next"] == "assign" and extra["last"] is None


def test_a_dragged_centre_keeps_the_colours_until_the_next_assign():
    engine = make_engine()
    probe, trainer = engine.probe, engine.trainer
    probe.half_step(trainer)
    labels = probe.extra(trainer)["labels"].copy()
    engine.handle(("action", "move_center", {"index": 1, "position": (20.0, 20.0)}))
    extra = probe.extra(trainer)
    np.testing.assert_array_equal(extra["labels"], labels)
    assert extra["next"] == "assign" and trainer.params["centers"][1].tolist() == [20.0, 20.0]
    assert extra["objective"] == pytest.approx(trainer.inertia(labels.astype(int)))
    engine.handle(("action", "move_center", {"index": 7, "position": (0.0, 0.0)}))  # a stale undo: nothing
    assert not [m for m in engine.take_outbox() if m[0] == "failed"]


def test_the_gradient_method_plays_the_trainers_own_updates_and_colours_by_the_nearest_centre():
    engine = make_engine(method="gradient", batch_size=16)
    probe, trainer = engine.probe, engine.trainer
    report = probe.run(trainer, 5)
    assert trainer.step_count == 5 and report.batch.size == 16
    assert probe.progress(trainer) == 5
    extra = probe.extra(trainer)
    assert extra["next"] is None
    np.testing.assert_array_equal(extra["labels"], trainer.assign())


def test_too_few_points_for_k_is_refused_with_advice():
    probe, trainer = ClustersProbe(), KMeans(k=4)
    with pytest.raises(ValueError, match="needs at least 4 points; this would leave 2. Lower k first"):
        probe.check_rows(trainer, np.zeros((2, 2)))
    probe.check_rows(trainer, np.zeros((0, 2)))  # no data at all is allowed (the tab says so)


def test_an_interrupted_analysis_leaves_the_trainer_untouched():
    engine = make_engine()
    before = engine.trainer.params["centers"]
    engine.handle(("action", "elbow", {}))
    engine.work(budget=0.0)
    engine.handle(("pause",))
    assert not engine.busy
    assert not [m for m in engine.take_outbox() if m[0] == "result"]
    np.testing.assert_array_equal(engine.trainer.params["centers"], before)
    assert engine.trainer.step_count == 0
