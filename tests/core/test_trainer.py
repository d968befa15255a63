"""The Trainer contract (batching, epochs, determinism, divergence, validation, state), through LinearRegression."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from primer_gui.core import LinearRegression, LogisticRegression
from primer_gui.core.datasets import house_prices


@pytest.fixture
def house():
    return house_prices(n=30, seed=1)


def trained(X, y, steps=0, **hyperparameters) -> LinearRegression:
    trainer = LinearRegression(**hyperparameters)
    trainer.set_data(X, y)
    for _ in range(steps):
        trainer.step()
    return trainer


# -- batching and epochs ------------------------------------------------------------------
def test_one_epoch_of_mini_batches_visits_every_point_once_and_keeps_the_last_small_batch(house):
    trainer = trained(*house, batch_size=7)
    reports = [trainer.step() for _ in range(5)]
    assert [r.batch.size for r in reports] == [7, 7, 7, 7, 2]
    assert sorted(np.concatenate([r.batch for r in reports]).tolist()) == list(range(30))
    assert [r.epoch for r in reports] == [0, 0, 0, 0, 1]
    assert [r.step for r in reports] == [1, 2, 3, 4, 5]
    second = [trainer.step() for _ in range(5)]
    assert sorted(np.concatenate([r.batch for r in second]).tolist()) == list(range(30))
    assert [r.epoch for r in second] == [1, 1, 1, 1, 2]
    assert not np.array_equal(np.concatenate([r.batch for r in reports]), np.concatenate([r.batch for r in second]))


def test_full_batch_steps_see_every_point_and_each_completes_an_epoch(house):
    trainer = trained(*house)
    reports = [trainer.step() for _ in range(3)]
    for report in reports:
        assert np.array_equal(report.batch, np.arange(30))
    assert [r.epoch for r in reports] == [1, 2, 3]


def test_report_loss_and_gradients_are_of_the_batch_before_the_update(house):
    trainer = trained(*house, steps=2, l2=0.1)
    loss, gradients, params = trainer.loss(), trainer.gradients(), trainer.params
    report = trainer.step()
    assert report.loss == pytest.approx(loss, rel=1e-12)
    for name in gradients:
        np.testing.assert_allclose(report.gradients[name], gradients[name], rtol=1e-12)
        assert np.array_equal(report.params_before[name], params[name])
        assert np.array_equal(report.params_after[name], trainer.params[name])
    assert report.learning_rate == trainer.learning_rate
    assert not report.diverged


# -- determinism ----------------------------------------------------------------------------
def test_same_seed_gives_a_bit_identical_trajectory(house):
    first, second = (trained(*house, batch_size=4, seed=7) for _ in range(2))
    for _ in range(25):
        a, b = first.step(), second.step()
        assert np.array_equal(a.batch, b.batch)
        assert a.loss == b.loss
        for name in a.params_after:
            assert np.array_equal(a.params_after[name], b.params_after[name])


def test_different_seeds_shuffle_differently(house):
    first, second = trained(*house, batch_size=4, seed=1), trained(*house, batch_size=4, seed=2)
    assert not np.array_equal(first.step().batch, second.step().batch)


@pytest.mark.parametrize("batch_size", [None, 1, 7])
def test_run_ends_where_the_same_number_of_steps_ends(house, batch_size):
    stepped, ran = trained(*house, batch_size=batch_size), trained(*house, batch_size=batch_size)
    for _ in range(37):
        last = stepped.step()
    report = ran.run(37)
    assert (report.step, report.epoch) == (last.step, last.epoch) == (ran.step_count, ran.epoch_count)
    assert np.array_equal(report.batch, last.batch)
    for name in stepped.params:
        np.testing.assert_allclose(ran.params[name], stepped.params[name], rtol=1e-12, atol=1e-12)
    assert ran.run(0) is None
    with pytest.raises(ValueError, match="steps"):
        ran.run(-1)


# -- divergence -----------------------------------------------------------------------------
def test_divergent_learning_rate_stops_at_the_last_finite_parameters(house):
    trainer = trained(*house, learning_rate=1e3)
    previous = None
    for _ in range(1000):
        report = trainer.step()
        if report.diverged:
            break
        previous = report
    assert report.diverged, "a learning rate of 1000 on the house data must overflow"
    assert previous is not None and previous.step > 1
    assert trainer.step_count == previous.step
    assert report.step == previous.step + 1
    assert not math.isfinite(report.loss) or not all(np.isfinite(v).all() for v in report.gradients.values())
    for name, value in trainer.params.items():
        assert np.isfinite(value).all()
        assert np.array_equal(value, previous.params_after[name])
        assert np.array_equal(report.params_after[name], previous.params_after[name])
    again = trainer.step()  # the state did not move, so the same step diverges again
    assert again.diverged and trainer.step_count == previous.step

    ran = trained(*house, learning_rate=1e3)
    report = ran.run(1000)
    assert report.diverged and ran.step_count == previous.step
    for name in ran.params:
        assert np.array_equal(ran.params[name], previous.params_after[name])


def test_divergence_in_the_middle_of_an_epoch_keeps_the_position(house):
    trainer = trained(*house, learning_rate=1e3, batch_size=7)
    reports = []
    while not (reports and reports[-1].diverged):
        reports.append(trainer.step())
        assert len(reports) < 5000
    failing = reports[-1]
    assert trainer.step().batch.tolist() == failing.batch.tolist()


# -- validation -----------------------------------------------------------------------------
GOOD_X = np.arange(6.0).reshape(3, 2)
GOOD_Y = np.array([1.0, 2.0, 3.0])


@pytest.mark.parametrize(
    ("X", "y", "message"),
    [
        ([[1.0, np.nan], [2.0, 3.0], [4.0, 5.0]], GOOD_Y, "NaN or infinite.*row 0"),
        (GOOD_X, [1.0, np.inf, 2.0], "y contains NaN or infinite.*point 1"),
        (np.arange(3.0), GOOD_Y, "2-D.*reshape"),
        (GOOD_X, [1.0, 2.0], "3 points but y has 2"),
        (np.empty((0, 2)), [], "no points"),
        ([["a", "b"], ["c", "d"], ["e", "f"]], GOOD_Y, "must be numbers"),
        (GOOD_X, [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], "1-D"),
    ],
)
def test_bad_data_is_refused_with_a_sentence_and_nothing_changes(X, y, message):
    trainer = trained(GOOD_X, GOOD_Y, steps=3)
    before_X, before_y, before_params = trainer.X.copy(), trainer.y.copy(), trainer.params
    with pytest.raises(ValueError, match=message):
        trainer.set_data(X, y)
    assert np.array_equal(trainer.X, before_X) and np.array_equal(trainer.y, before_y)
    for name, value in trainer.params.items():
        assert np.array_equal(value, before_params[name])


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("learning_rate", 0, "positive"),
        ("learning_rate", -1, "positive"),
        ("learning_rate", float("nan"), "positive"),
        ("learning_rate", float("inf"), "positive"),
        ("learning_rate", "abc", "learning_rate must be a number"),
        ("batch_size", 0, "whole number"),
        ("batch_size", 2.5, "whole number"),
        ("batch_size", "abc", "whole number"),
        ("batch_size", True, "whole number"),
        ("batch_size", [3], "whole number"),
        ("l1", -0.1, "l1 must be a finite number ≥ 0"),
        ("l2", float("nan"), "l2 must be"),
    ],
)
@pytest.mark.parametrize("cls", [LinearRegression, LogisticRegression])
def test_bad_hyperparameters_are_refused_in_the_constructor_and_on_assignment(cls, name, value, message):
    with pytest.raises(ValueError, match=message):
        cls(**{name: value})
    trainer = cls()
    default = getattr(trainer, name)
    with pytest.raises(ValueError, match=message):
        setattr(trainer, name, value)
    assert getattr(trainer, name) == default


def test_training_without_data_explains_what_to_do():
    trainer = LinearRegression()
    for action in (trainer.step, trainer.loss, trainer.gradients, lambda: trainer.run(3)):
        with pytest.raises(ValueError, match="set_data"):
            action()
    with pytest.raises(ValueError, match="set_data"):
        trainer.set_params(bias=1.0)


def test_set_params_refuses_unknown_names_wrong_shapes_and_non_finite_values(house):
    trainer = trained(*house)
    with pytest.raises(ValueError, match="Unknown parameter 'slope'"):
        trainer.set_params(slope=1.0)
    with pytest.raises(ValueError, match=r"shape \(1,\)"):
        trainer.set_params(weights=[1.0, 2.0])
    with pytest.raises(ValueError, match="finite"):
        trainer.set_params(weights=[np.nan])
    trainer.set_params(weights=[2.0], bias=-1.0)
    assert trainer.params["weights"].tolist() == [2.0] and float(trainer.params["bias"]) == -1.0


# -- data changes and state ------------------------------------------------------------------
def test_set_data_keeps_params_of_matching_shape_and_restarts_the_epoch(house):
    X, y = house
    trainer = trained(X, y, steps=3, batch_size=7)  # three batches into the first epoch
    params = trainer.params
    trainer.set_data(X[:20], y[:20])
    for name, value in trainer.params.items():
        assert np.array_equal(value, params[name])
    reports = [trainer.step() for _ in range(3)]  # 7 + 7 + 6 points: a whole fresh epoch
    assert sorted(np.concatenate([r.batch for r in reports]).tolist()) == list(range(20))
    assert [r.epoch for r in reports] == [0, 0, 1]

    trainer.set_data(np.column_stack([X, X**2]), y)  # a new feature: new, zero, parameters
    assert trainer.params["weights"].tolist() == [0.0, 0.0] and float(trainer.params["bias"]) == 0.0


def test_reset_returns_to_the_start_of_the_same_trajectory(house):
    trainer = trained(*house, batch_size=5, seed=3)
    first = [trainer.step() for _ in range(8)]
    trainer.reset()
    assert trainer.step_count == 0 and trainer.epoch_count == 0
    again = [trainer.step() for _ in range(8)]
    for a, b in zip(first, again, strict=True):
        assert np.array_equal(a.batch, b.batch) and np.array_equal(a.params_after["weights"], b.params_after["weights"])


@pytest.mark.parametrize("cls", [LinearRegression, LogisticRegression])
def test_state_dict_survives_json_exactly_and_continues_the_same_trajectory(house, cls):
    X, y = house
    if cls is LogisticRegression:
        y = (y > np.median(y)).astype(float)
    trainer = cls(learning_rate=0.05, batch_size=7, l1=0.01, l2=0.02, seed=11)
    trainer.set_data(X, y)
    for _ in range(8):  # mid-way through the second epoch
        trainer.step()
    restored = cls.from_state_dict(json.loads(json.dumps(trainer.state_dict())))
    assert type(restored) is cls
    for name in cls.hyperparameters:
        assert getattr(restored, name) == getattr(trainer, name)
    assert (restored.step_count, restored.epoch_count) == (trainer.step_count, trainer.epoch_count)
    assert np.array_equal(restored.X, trainer.X) and np.array_equal(restored.y, trainer.y)
    for name, value in trainer.params.items():
        assert np.array_equal(restored.params[name], value)
        assert restored.params[name].shape == value.shape
    for _ in range(12):
        a, b = trainer.step(), restored.step()
        assert np.array_equal(a.batch, b.batch) and a.epoch == b.epoch and a.loss == b.loss
        for name in a.params_after:
            assert np.array_equal(a.params_after[name], b.params_after[name])


def test_state_of_another_class_or_garbage_is_refused(house):
    state = trained(*house).state_dict()
    with pytest.raises(ValueError, match="not a LogisticRegression"):
        LogisticRegression.from_state_dict(state)
    with pytest.raises(ValueError, match="not a saved LinearRegression state"):
        LinearRegression.from_state_dict({"class": "LinearRegression"})


def test_state_dict_of_a_trainer_without_data_round_trips():
    trainer = LinearRegression(learning_rate=0.3, l2=0.5)
    restored = LinearRegression.from_state_dict(json.loads(json.dumps(trainer.state_dict())))
    assert restored.X is None and restored.learning_rate == 0.3 and restored.l2 == 0.5


# -- reports are copies --------------------------------------------------------------------
def test_a_step_report_is_not_changed_by_later_training_or_edits(house):
    trainer = trained(*house, batch_size=7)
    report = trainer.step()
    saved = {
        "batch": report.batch.copy(),
        "gradients": {k: v.copy() for k, v in report.gradients.items()},
        "before": {k: v.copy() for k, v in report.params_before.items()},
        "after": {k: v.copy() for k, v in report.params_after.items()},
    }
    trainer.run(10)
    trainer.set_params(weights=[100.0], bias=-100.0)
    trainer.set_data(*house_prices(n=30, seed=5))
    assert np.array_equal(report.batch, saved["batch"])
    for key, field in (
        ("gradients", report.gradients),
        ("before", report.params_before),
        ("after", report.params_after),
    ):
        for name, value in field.items():
            assert np.array_equal(value, saved[key][name])
    report.params_after["weights"][0] = 123.0  # and the other way round: editing a report changes nothing
    assert trainer.params["weights"][0] == 100.0
    with pytest.raises(AttributeError):
        report.loss = 0.0
