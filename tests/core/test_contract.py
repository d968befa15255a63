"""The trainer contract (DESIGN.md), checked the same way on every trainer the app has.

Seeded determinism; ``run(k)`` ends where ``k`` steps end; a state round trip (JSON and raw) continues the
same trajectory; the forward-only ``loss()`` is the objective the steps descend; gradients agree with
central differences; a divergent step commits nothing; bad data is refused with a sentence and changes
nothing; a damaged saved state is refused naming its field.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from gradients import assert_gradients_match

from primer_gui.core import KMeans, LinearRegression, LogisticRegression, MaskedWordModel
from primer_gui.core.datasets import blobs, circle, house_prices
from primer_gui.core.mlp import MLP

SENTENCES = [
    "the cat sat on the mat",
    "the dog sat on the rug",
    "a cat ate the fish",
    "a dog ate the bone",
    "the bird sang in the tree",
]


def linear(**kw):
    trainer = LinearRegression(**{"l2": 0.01, **kw})
    trainer.set_data(*house_prices(40, 0.3, seed=1))
    return trainer


def logistic(**kw):
    trainer = LogisticRegression(**{"l2": 0.01, **kw})
    X, y = circle(60, 0.3, seed=1)
    trainer.set_data(X[:, :1], y)  # one feature: overlapping classes, a finite optimum
    return trainer


def mlp(**kw):
    trainer = MLP(**{"layer_sizes": (2, 3, 1), **kw})
    trainer.set_data(*circle(40, 0.2, seed=1))
    return trainer


def kmeans(**kw):
    X, _ = blobs(60, 3, 0.6, seed=1)
    trainer = KMeans(**{"k": 3, "method": "gradient", "batch_size": 16, **kw})
    trainer.set_data(X)
    return trainer


def words(**kw):
    return MaskedWordModel(SENTENCES, **{"embedding_dim": 3, "batch_size": 4, **kw})


TRAINERS = {"linear": linear, "logistic": logistic, "mlp": mlp, "kmeans": kmeans, "words": words}
#: a learning rate at which each can overflow (words cannot: its softmax gradient is bounded)
DIVERGENT = {
    "linear": dict(learning_rate=50.0, batch_size=None),
    "logistic": dict(learning_rate=1e6, l2=1.0),
    "mlp": dict(learning_rate=1e4, output_activation="linear", loss="mse", batch_size=None),
    "kmeans": dict(learning_rate=1e3, batch_size=None),
}


@pytest.fixture(params=list(TRAINERS))
def kind(request):
    return request.param


def equal_params(a, b):
    assert a.keys() == b.keys()
    for name in a:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)


def test_same_seed_same_calls_same_trajectory(kind):
    first, second = TRAINERS[kind](batch_size=7, seed=3), TRAINERS[kind](batch_size=7, seed=3)
    for _ in range(11):
        a, b = first.step(), second.step()
        np.testing.assert_array_equal(a.batch, b.batch)
    equal_params(first.params, second.params)


def test_run_ends_where_the_same_steps_end(kind):
    fast, slow = TRAINERS[kind](batch_size=7), TRAINERS[kind](batch_size=7)
    fast.step(), slow.step()  # start mid-epoch
    report = fast.run(23)
    for _ in range(23):
        last = slow.step()
    assert (fast.step_count, fast.epoch_count) == (slow.step_count, slow.epoch_count)
    np.testing.assert_array_equal(report.batch, last.batch)
    for name, value in slow.params.items():
        np.testing.assert_allclose(fast.params[name], value, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("form", ["json", "raw"])
def test_a_saved_state_continues_the_same_trajectory(kind, form):
    trainer = TRAINERS[kind](batch_size=7)
    trainer.run(9)
    state = json.loads(json.dumps(trainer.state_dict())) if form == "json" else trainer.raw_state()
    copy = type(trainer).from_state_dict(state)
    trainer.run(13), copy.run(13)
    equal_params(copy.params, trainer.params)
    assert (copy.step_count, copy.epoch_count) == (trainer.step_count, trainer.epoch_count)


def test_the_forward_only_loss_is_the_objective_the_steps_descend(kind):
    trainer = TRAINERS[kind](batch_size=None)
    trainer.run(3)
    report_loss = trainer.step().loss  # the full batch's objective before that step...
    trainer = TRAINERS[kind](batch_size=None)
    trainer.run(3)
    assert trainer.loss() == pytest.approx(report_loss, rel=1e-12)  # ...is what loss() says there


def test_gradients_agree_with_central_differences(kind):
    trainer = TRAINERS[kind](batch_size=None)
    trainer.run(3)  # away from symmetric starts
    assert_gradients_match(trainer, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("kind", list(DIVERGENT))
def test_a_divergent_step_commits_nothing(kind):
    trainer = TRAINERS[kind](**DIVERGENT[kind])
    report = trainer.run(10_000)
    assert report.diverged
    assert report.step == trainer.step_count + 1
    equal_params(trainer.params, report.params_after)
    assert all(np.isfinite(value).all() for value in trainer.params.values())
    assert np.isfinite(trainer.params[next(iter(trainer.params))]).all()


def test_bad_data_is_refused_with_a_sentence_and_changes_nothing(kind):
    trainer = TRAINERS[kind]()
    if kind == "words":
        X, y = trainer.X.copy(), trainer.y.copy()
        bad = [(X, np.full_like(y, 10_000)), (X[:, :1], y)]
    else:
        X, y = trainer.X.copy(), None if trainer.y is None else trainer.y.copy()
        nan = X.copy()
        nan[0, 0] = np.nan
        bad = [(nan, y), (X[:, :0], y), (X.ravel(), y)]
    params = trainer.params
    for bad_X, bad_y in bad:
        for call in (trainer.check_data, trainer.set_data):
            with pytest.raises(ValueError) as error:
                call(bad_X, bad_y)
            assert str(error.value).endswith(".")
    equal_params(trainer.params, params)
    np.testing.assert_array_equal(trainer.X, X)


def test_a_damaged_state_is_refused_naming_the_field(kind):
    trainer = TRAINERS[kind](batch_size=7)
    trainer.run(3)
    state = json.loads(json.dumps(trainer.state_dict()))
    name = next(iter(state["params"]))
    damaged = {
        "step_count": {**state, "step_count": -1},
        "epoch_count": {**state, "epoch_count": state["step_count"] + 1},
        "parameters": {**state, "params": {}},
        "order": {**state, "order": {"__array__": [0] * 3, "dtype": "int64", "shape": [3]}, "cursor": 1},
        name: {**state, "params": {**state["params"], name: "nonsense"}},
        "extra state": {**state, "extra": None},
        "saved array": {**state, "params": {**state["params"], name: False}},  # would load as 0.0
        "X is not a saved array": {**state, "X": state["X"]["__array__"]},  # a bare list: not what was saved
        "nested": {**state, "X": {**state["X"], "__array__": [state["X"]["__array__"]]}},  # same values, other nesting
        "extra state has fields": {**state, "extra": {**state["extra"], "unknown": 1}},
    }
    for field, bad in damaged.items():
        with pytest.raises(ValueError, match="damaged|not a saved") as refused:
            type(trainer).from_state_dict(bad)
        if field.startswith(("extra", "saved", "X", "nested")):
            assert field in str(refused.value)


def test_a_state_that_came_through_pickle_restores_numpys_own_dtypes(kind):
    """Pickle gives arrays equal but distinct dtype objects, and NumPy takes slow paths with them (the word
    model's np.add.at ran 4× slower in the trainer's process): a restored trainer must hold the canonical ones."""
    import pickle

    trainer = TRAINERS[kind]()
    copy = type(trainer).from_state_dict(pickle.loads(pickle.dumps(trainer.raw_state())))
    for value in (*copy.params.values(), copy._params[next(iter(copy._params))], copy.X):
        assert value.dtype is np.dtype(value.dtype.name)
