"""LogisticRegression: gradients, numerical stability, labels, divergence and agreement with scikit-learn.

Our objective (DESIGN.md): ``L = (1/n)·Σ CE(yᵢ, σ(xᵢ·w + b)) + l2·‖w‖² + l1·‖w‖₁``, bias unpenalised.
"""

from __future__ import annotations

import numpy as np
import pytest
from gradients import numerical_gradients
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import linear_model

from primer_gui.core import LogisticRegression


def make_data(n=200, d=3, seed=0, relevant=None, noise=1.0):
    """Overlapping classes (not separable), so the unpenalised optimum is finite."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    true = np.zeros(d)
    k = d if relevant is None else relevant
    true[:k] = np.linspace(1.5, -1.0, k)
    y = (X @ true + 0.3 + noise * rng.logistic(size=n) > 0).astype(float)
    return X, y


def trainer_with(X, y, **hyperparameters) -> LogisticRegression:
    trainer = LogisticRegression(**hyperparameters)
    trainer.set_data(X, y)
    return trainer


def converged(X, y, steps=20_000, **hyperparameters) -> LogisticRegression:
    trainer = trainer_with(X, y, **hyperparameters)
    trainer.learning_rate = trainer.stable_learning_rate()
    assert not trainer.run(steps).diverged
    return trainer


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(1, 25),
    d=st.integers(1, 4),
    l2=st.sampled_from([0.0, 0.5]),
    scale=st.sampled_from([0.1, 1.0, 5.0]),
    seed=st.integers(0, 2**16),
)
def test_gradients_match_central_differences_of_the_loss(n, d, l2, scale, seed):
    rng = np.random.default_rng(seed)
    trainer = trainer_with(rng.normal(size=(n, d)), rng.integers(0, 2, n), l2=l2)
    trainer.set_params(weights=scale * rng.normal(size=d), bias=scale * rng.normal())
    analytic, numeric = trainer.gradients(), numerical_gradients(trainer, h=1e-6)
    for name in analytic:
        np.testing.assert_allclose(analytic[name], numeric[name], rtol=1e-5, atol=1e-6)


def test_huge_logits_give_a_finite_loss_and_correct_gradients_without_warnings():
    X, y = make_data(n=50, d=2, seed=1)
    trainer = trainer_with(X, y, l2=0.01)
    trainer.set_params(weights=[1500.0, -900.0], bias=300.0)  # logits in the thousands
    assert np.abs(trainer.decision_function(X)).max() > 1000
    loss = trainer.loss()
    assert np.isfinite(loss) and loss > 100  # confident mistakes cost a lot, but finitely
    analytic = trainer.gradients()
    numeric = numerical_gradients(trainer, h=1e-3)  # the loss is nearly piecewise linear out here
    for name in analytic:
        assert np.isfinite(analytic[name]).all()
        np.testing.assert_allclose(analytic[name], numeric[name], rtol=1e-6, atol=1e-6)
    assert not trainer.step().diverged


def test_predictions_are_stable_and_consistent_at_extreme_logits():
    trainer = trainer_with([[0.0], [1.0]], [0, 1])
    trainer.set_params(weights=[1.0], bias=0.0)
    X = np.array([[-1000.0], [-40.0], [0.0], [40.0], [1000.0]])
    probability = trainer.predict_proba(X)
    assert probability.shape == (5,)
    assert probability[0] == 0.0 or probability[0] < 1e-300
    assert probability[2] == 0.5 and probability[-1] == 1.0
    assert np.all(np.diff(probability) >= 0)
    assert trainer.decision_function(X).tolist() == X[:, 0].tolist()
    labels = trainer.predict(X)
    assert labels.dtype.kind == "i" and labels.tolist() == [0, 0, 0, 1, 1]


@pytest.mark.parametrize(
    ("y", "message"),
    [
        ([0, 2, 1, 1], "must be 0 or 1; got 2"),
        ([-1, 1, 1, -1], "must be 0 or 1; got -1"),
        ([0, 0.5, 1, 1], "must be 0 or 1; got 0.5"),
        ([0, 1, np.nan, 1], "NaN"),
        (["no", "yes", "no", "yes"], "must be numbers"),
        ([0, 1, 1], "4 points but y has 3"),
    ],
)
def test_labels_must_be_zero_or_one(y, message):
    X = np.arange(8.0).reshape(4, 2)
    trainer = trainer_with(X, [0, 1, 1, 0])
    with pytest.raises(ValueError, match=message):
        trainer.set_data(X, y)
    assert trainer.y.tolist() == [0.0, 1.0, 1.0, 0.0]


@pytest.mark.parametrize("y", [[False, True, True, False], [0, 1, 1, 0], [0.0, 1.0, 1.0, 0.0]])
def test_bool_int_and_float_labels_are_the_same(y):
    trainer = trainer_with(np.arange(8.0).reshape(4, 2), y)
    assert trainer.y.dtype == float and trainer.y.tolist() == [0.0, 1.0, 1.0, 0.0]


def test_zero_initial_parameters_and_a_loss_of_log_2():
    X, y = make_data(n=20)
    trainer = trainer_with(X, y)
    assert trainer.params["weights"].tolist() == [0.0, 0.0, 0.0] and float(trainer.params["bias"]) == 0.0
    assert trainer.loss() == pytest.approx(np.log(2.0), rel=1e-14)


def test_same_seed_gives_a_bit_identical_trajectory():
    X, y = make_data(n=40)
    first, second = (trainer_with(X, y, batch_size=6, seed=5, l1=0.01) for _ in range(2))
    for _ in range(30):
        a, b = first.step(), second.step()
        assert np.array_equal(a.batch, b.batch)
        assert all(np.array_equal(a.params_after[k], b.params_after[k]) for k in a.params_after)
    other = trainer_with(X, y, batch_size=6, seed=6)
    assert not np.array_equal(other.step().batch, trainer_with(X, y, batch_size=6, seed=5).step().batch)


def test_run_ends_where_the_same_number_of_steps_ends():
    X, y = make_data(n=40)
    stepped, ran = trainer_with(X, y, batch_size=9, l1=0.02), trainer_with(X, y, batch_size=9, l1=0.02)
    for _ in range(23):
        stepped.step()
    ran.run(23)
    for name in stepped.params:
        np.testing.assert_allclose(ran.params[name], stepped.params[name], rtol=1e-12, atol=1e-12)


def test_without_l2_even_an_absurd_learning_rate_keeps_parameters_finite():
    # The cross-entropy's gradient is bounded (|p − y| ≤ 1 per point), so each step moves the
    # weights by at most learning_rate·max|x|: they grow linearly, and on separable data they
    # grow until the sigmoid saturates to exactly 0 and 1 — but they stay finite, and so does
    # the loss.  Nothing diverges.
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    trainer = trainer_with(X, [0, 0, 1, 1], learning_rate=1e6)
    report = trainer.run(2000)
    assert not report.diverged
    assert np.isfinite(trainer.loss()) and np.isfinite(trainer.params["weights"]).all()
    assert trainer.params["weights"][0] > 1e5
    assert trainer.predict(X).tolist() == [0, 0, 1, 1]


def test_with_l2_a_learning_rate_far_above_its_limit_diverges_and_keeps_the_last_finite_parameters():
    # Weight decay multiplies w by (1 − 2·learning_rate·l2) = −1999 per step: geometric growth.
    X, y = make_data(n=30, d=2)
    trainer = trainer_with(X, y, learning_rate=1e3, l2=1.0)
    previous = None
    for _ in range(500):
        report = trainer.step()
        if report.diverged:
            break
        previous = report
    assert report.diverged and previous is not None
    assert trainer.step_count == previous.step
    for name, value in trainer.params.items():
        assert np.isfinite(value).all() and np.array_equal(value, previous.params_after[name])


def test_stable_learning_rate_is_exact_at_zero_and_gradient_descent_below_it_only_goes_down():
    # At w = 0, b = 0 every p is ½ and p(1 − p) = ¼ is at its maximum: there the bound is the Hessian.
    X, y = make_data(n=40, d=2, seed=3)
    trainer = trainer_with(X, y, l2=0.2)
    h = 1e-4
    hessian = np.zeros((3, 3))
    for column in range(3):
        moved = np.zeros(3)
        moved[column] = h
        gradient = []
        for sign in (+1, -1):
            trainer.set_params(bias=sign * moved[0], weights=sign * moved[1:])
            g = trainer.gradients()
            gradient.append(np.concatenate([[g["bias"]], g["weights"]]))
        hessian[:, column] = (gradient[0] - gradient[1]) / (2 * h)
    trainer.reset()
    assert trainer.stable_learning_rate() == pytest.approx(2.0 / np.linalg.eigvalsh(hessian)[-1], rel=1e-6)

    trainer.learning_rate = 0.99 * trainer.stable_learning_rate()
    losses = [trainer.step().loss for _ in range(300)]
    assert np.all(np.diff(losses) <= 1e-15)


def test_l1_gives_exact_zeros_on_irrelevant_features():
    X, y = make_data(n=400, d=6, relevant=2, seed=8)
    weights = converged(X, y, steps=5000, l1=0.05).params["weights"]
    assert np.all(weights[2:] == 0.0) and np.all(weights[:2] != 0.0)


# -- scikit-learn -------------------------------------------------------------------------------
def test_l2_logistic_regression_matches_scikit_learn():
    # sklearn: C·Σᵢ CE + ½‖w‖² (lbfgs leaves the intercept unpenalised).
    # Ours × 1/(2·l2): (1/(2·n·l2))·Σᵢ CE + ½‖w‖²  ⇒  C = 1/(2·n·l2).
    X, y = make_data()
    l2 = 0.01
    ours = converged(X, y, l2=l2)
    reference = linear_model.LogisticRegression(C=1 / (2 * X.shape[0] * l2), tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(ours.params["weights"], reference.coef_[0], atol=1e-7)
    assert float(ours.params["bias"]) == pytest.approx(reference.intercept_[0], abs=1e-7)
    np.testing.assert_allclose(ours.predict_proba(X), reference.predict_proba(X)[:, 1], atol=1e-7)
    assert np.array_equal(ours.predict(X), reference.predict(X).astype(int))


def test_l1_logistic_regression_matches_scikit_learn():
    # sklearn with l1_ratio=1: C·Σᵢ CE + ‖w‖₁.  Ours ÷ l1: (1/(n·l1))·Σᵢ CE + ‖w‖₁  ⇒  C = 1/(n·l1).
    # saga, unlike liblinear, does not penalise the intercept, so the objectives are the same.
    X, y = make_data(n=200, d=5, relevant=3, seed=9)
    l1 = 0.02
    ours = converged(X, y, l1=l1)
    reference = linear_model.LogisticRegression(
        C=1 / (X.shape[0] * l1), l1_ratio=1.0, solver="saga", tol=1e-10, max_iter=100_000
    ).fit(X, y)
    np.testing.assert_allclose(ours.params["weights"], reference.coef_[0], atol=1e-8)
    assert float(ours.params["bias"]) == pytest.approx(reference.intercept_[0], abs=1e-8)
    assert np.array_equal(ours.params["weights"] == 0.0, reference.coef_[0] == 0.0)
