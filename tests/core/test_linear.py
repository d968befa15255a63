"""LinearRegression: gradients, closed form, stability limit, L1 sparsity, and agreement with scikit-learn.

Our objective (DESIGN.md): ``L = (1/n)·‖y − Xw − b‖² + l2·‖w‖² + l1·‖w‖₁``, bias unpenalised.
Each scikit-learn mapping below rescales that objective (which does not move its minimiser)
until it reads exactly like scikit-learn's.
"""

from __future__ import annotations

import numpy as np
import pytest
from gradients import numerical_gradients
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import linear_model

from primer_gui.core import LinearRegression
from primer_gui.core.datasets import house_prices


def make_data(n=60, d=3, seed=0, relevant=None):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * np.linspace(0.5, 1.5, d) + np.linspace(-1, 1, d)
    true = np.zeros(d)
    true[: d if relevant is None else relevant] = np.linspace(2.0, -1.0, d if relevant is None else relevant)
    return X, X @ true + 0.7 + 0.3 * rng.normal(size=n)


def converged(X, y, steps=20_000, **hyperparameters) -> LinearRegression:
    """Full-batch gradient descent at 90 % of the stable limit, run to convergence."""
    trainer = LinearRegression(**hyperparameters)
    trainer.set_data(X, y)
    trainer.learning_rate = 0.9 * trainer.stable_learning_rate()
    report = trainer.run(steps)
    assert not report.diverged
    return trainer


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 25),
    d=st.integers(1, 5),
    l2=st.sampled_from([0.0, 0.3, 2.0]),
    seed=st.integers(0, 2**16),
)
def test_gradients_match_central_differences_of_the_loss(n, d, l2, seed):
    rng = np.random.default_rng(seed)
    trainer = LinearRegression(l2=l2)
    trainer.set_data(rng.normal(size=(n, d)), rng.normal(size=n))
    trainer.set_params(weights=rng.normal(size=d), bias=rng.normal())
    analytic = trainer.gradients()
    numeric = numerical_gradients(trainer)
    for name in analytic:
        assert analytic[name].shape == trainer.params[name].shape
        np.testing.assert_allclose(analytic[name], numeric[name], rtol=1e-6, atol=1e-6)


def test_the_l1_term_is_in_the_loss_but_not_in_the_gradient():
    X, y = make_data()
    plain, lasso = LinearRegression(), LinearRegression(l1=0.5)
    for trainer in (plain, lasso):
        trainer.set_data(X, y)
        trainer.set_params(weights=[1.0, -2.0, 0.5], bias=0.3)
    assert lasso.loss() == pytest.approx(plain.loss() + 0.5 * 3.5, rel=1e-12)
    for name, value in plain.gradients().items():
        assert np.array_equal(lasso.gradients()[name], value)


def test_hessian_is_the_derivative_of_the_gradient():
    X, y = make_data(d=2)
    trainer = LinearRegression(l2=0.4)
    trainer.set_data(X, y)
    hessian = trainer.hessian()
    base = trainer.gradients()
    start = trainer.params
    for column, (name, index) in enumerate([("bias", ()), ("weights", 0), ("weights", 1)]):
        moved_params = trainer.params
        moved_params[name][index] += 1.0  # the gradient is linear: a unit step gives one column exactly
        trainer.set_params(**moved_params)
        moved = trainer.gradients()
        trainer.set_params(**start)
        change = np.concatenate([[moved["bias"] - base["bias"]], moved["weights"] - base["weights"]])
        np.testing.assert_allclose(hessian[:, column], change, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("l2", [0.0, 0.05, 1.0])
def test_converged_gradient_descent_equals_the_closed_form(l2):
    X, y = make_data()
    trainer = converged(X, y, l2=l2)
    exact = trainer.closed_form()
    for name in exact:
        np.testing.assert_allclose(trainer.params[name], exact[name], rtol=1e-6, atol=1e-6)
    trainer.set_params(**exact)  # and the closed form is a stationary point
    for value in trainer.gradients().values():
        np.testing.assert_allclose(value, 0.0, atol=1e-10)


def test_closed_form_refuses_l1_and_handles_rank_deficient_data():
    X, y = make_data()
    with pytest.raises(ValueError, match="no closed-form"):
        converged(X, y, steps=1, l1=0.1).closed_form()
    one_point = LinearRegression()
    one_point.set_data([[2.0, 3.0]], [5.0])
    exact = one_point.closed_form()
    assert np.all(np.isfinite(exact["weights"]))
    one_point.set_params(**exact)
    assert one_point.predict([[2.0, 3.0]]) == pytest.approx([5.0])


def test_just_below_the_stable_learning_rate_converges_and_just_above_it_diverges():
    X, y = house_prices(n=30, seed=2)
    probe = LinearRegression()
    probe.set_data(X, y)
    limit = probe.stable_learning_rate()
    exact = probe.closed_form()

    below = LinearRegression(learning_rate=0.98 * limit)
    below.set_data(X, y)
    assert not below.run(20_000).diverged
    np.testing.assert_allclose(below.params["weights"], exact["weights"], rtol=1e-6)

    above = LinearRegression(learning_rate=1.05 * limit)
    above.set_data(X, y)
    start = above.loss()
    above.run(200)
    assert above.loss() > 1e3 * start  # growing geometrically, by |1 − 1.05·2| = 1.1 per step
    assert above.run(20_000).diverged


def test_l1_gives_exact_zeros_on_irrelevant_features():
    X, y = make_data(n=200, d=6, relevant=2, seed=4)
    trainer = converged(X, y, steps=3000, l1=0.2)
    weights = trainer.params["weights"]
    assert np.all(weights[2:] == 0.0)
    assert np.all(weights[:2] != 0.0)
    ridge = converged(X, y, steps=3000, l2=0.2)
    assert np.all(ridge.params["weights"] != 0.0)  # L2 shrinks but never reaches zero


def test_predict_accepts_one_feature_as_a_1d_array():
    trainer = LinearRegression()
    trainer.set_data([[0.0], [1.0]], [1.0, 3.0])
    trainer.set_params(weights=[2.0], bias=1.0)
    assert trainer.predict([0.0, 1.0, 2.0]).tolist() == [1.0, 3.0, 5.0]
    assert trainer.predict([[2.0]]).tolist() == [5.0]


def test_predict_explains_missing_parameters_and_the_wrong_number_of_features():
    trainer = LinearRegression()
    with pytest.raises(ValueError, match="set_data"):
        trainer.predict([[1.0]])
    trainer.set_data(np.ones((3, 2)), [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"2 feature\(s\) per point; X has shape \(1, 3\)"):
        trainer.predict([[1.0, 2.0, 3.0]])
    assert trainer.predict([1.0, 2.0]).shape == (1,)  # 1-D with d > 1: one point


# -- scikit-learn -------------------------------------------------------------------------------
def test_ridge_matches_scikit_learn():
    # sklearn Ridge: ‖y − Xw − b‖² + α‖w‖².  Ours × n: ‖r‖² + n·l2‖w‖²  ⇒  α = n·l2.
    X, y = make_data()
    l2 = 0.1
    ours = converged(X, y, l2=l2)
    reference = linear_model.Ridge(alpha=X.shape[0] * l2).fit(X, y)
    np.testing.assert_allclose(ours.params["weights"], reference.coef_, atol=1e-9)
    assert float(ours.params["bias"]) == pytest.approx(reference.intercept_, abs=1e-9)


def test_lasso_matches_scikit_learn():
    # sklearn Lasso: (1/2n)‖r‖² + α‖w‖₁.  Ours ÷ 2: (1/2n)‖r‖² + (l1/2)‖w‖₁  ⇒  α = l1/2.
    X, y = make_data(n=100, d=5, relevant=3, seed=6)
    l1 = 0.3
    ours = converged(X, y, l1=l1)
    reference = linear_model.Lasso(alpha=l1 / 2, tol=1e-12, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(ours.params["weights"], reference.coef_, atol=1e-9)
    assert float(ours.params["bias"]) == pytest.approx(reference.intercept_, abs=1e-9)
    assert np.array_equal(ours.params["weights"] == 0.0, reference.coef_ == 0.0)


def test_elastic_net_matches_scikit_learn():
    # sklearn ElasticNet: (1/2n)‖r‖² + α·ρ‖w‖₁ + (α(1−ρ)/2)‖w‖².
    # Ours ÷ 2: (1/2n)‖r‖² + (l1/2)‖w‖₁ + (l2/2)‖w‖²  ⇒  α·ρ = l1/2 and α(1−ρ) = l2,
    # so α = l1/2 + l2 and ρ = (l1/2)/α.
    X, y = make_data(n=100, d=5, relevant=3, seed=7)
    l1, l2 = 0.2, 0.15
    alpha = l1 / 2 + l2
    ours = converged(X, y, l1=l1, l2=l2)
    reference = linear_model.ElasticNet(alpha=alpha, l1_ratio=(l1 / 2) / alpha, tol=1e-12, max_iter=100_000)
    reference.fit(X, y)
    np.testing.assert_allclose(ours.params["weights"], reference.coef_, atol=1e-9)
    assert float(ours.params["bias"]) == pytest.approx(reference.intercept_, abs=1e-9)


def test_least_squares_matches_scikit_learn():
    X, y = make_data()
    ours = converged(X, y)
    reference = linear_model.LinearRegression().fit(X, y)
    np.testing.assert_allclose(ours.params["weights"], reference.coef_, atol=1e-9)
    assert float(ours.params["bias"]) == pytest.approx(reference.intercept_, abs=1e-9)
