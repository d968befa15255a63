"""The exact minimiser of penalized linear regression: scikit-learn, the optimality conditions, the trainer."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn import linear_model
from sklearn.exceptions import ConvergenceWarning

from primer_gui.core import LinearRegression
from primer_gui.core.features import PolynomialFeatures, Standardizer
from primer_gui.core.solvers import penalized_minimum


def make_data(n=80, d=6, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) @ rng.normal(size=(d, d)) + 2.0
    y = X[:, :3] @ np.array([1.5, -2.0, 0.5]) + rng.normal(0, 0.3, n) + 4.0
    return X, y


def polynomial_data(degree, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, 14)
    y = np.sin(2 * np.pi * x) + rng.normal(0, 0.3, x.size)
    features = PolynomialFeatures(degree).transform(Standardizer().fit_transform(x.reshape(-1, 1)))
    return Standardizer().fit_transform(features), y


def objective(X, y, params, l1, l2):
    w, b = params["weights"], float(params["bias"])
    return float(np.mean((y - X @ w - b) ** 2) + l2 * w @ w + l1 * np.abs(w).sum())


def optimal(X, y, params, l1, l2, tolerance=1e-7):
    """The optimality conditions: a zero gradient for the bias and each non-zero weight, |gradient| ≤ l1 for zeros."""
    w, b = params["weights"], float(params["bias"])
    residual = y - X @ w - b
    gradient = -2 * X.T @ residual / len(y) + 2 * l2 * w
    scale = tolerance * (1 + np.abs(gradient).max() + l1)
    nonzero = w != 0
    return (
        abs(residual.mean()) <= scale
        and np.all(np.abs(gradient[nonzero] + l1 * np.sign(w[nonzero])) <= scale)
        and np.all(np.abs(gradient[~nonzero]) <= l1 + scale)
    )


@pytest.mark.parametrize("l1", [0.01, 0.3, 3.0])
def test_lasso_matches_scikit_learn(l1):
    X, y = make_data()
    ours = penalized_minimum(X, y, l1=l1)
    reference = linear_model.Lasso(alpha=l1 / 2, tol=1e-14, max_iter=1_000_000).fit(X, y)
    np.testing.assert_allclose(ours["weights"], reference.coef_, atol=1e-8)
    assert float(ours["bias"]) == pytest.approx(reference.intercept_, abs=1e-8)
    assert np.array_equal(ours["weights"] == 0, reference.coef_ == 0)


def test_elastic_net_and_ridge_match_scikit_learn():
    X, y = make_data(seed=1)
    l1, l2 = 0.2, 0.15
    alpha = l1 / 2 + l2
    reference = linear_model.ElasticNet(alpha=alpha, l1_ratio=(l1 / 2) / alpha, tol=1e-14, max_iter=1_000_000)
    np.testing.assert_allclose(penalized_minimum(X, y, l1, l2)["weights"], reference.fit(X, y).coef_, atol=1e-8)
    ridge = linear_model.Ridge(alpha=len(y) * 0.5).fit(X, y)
    np.testing.assert_allclose(penalized_minimum(X, y, l2=0.5)["weights"], ridge.coef_, atol=1e-9)


def test_without_penalties_it_is_the_closed_form():
    X, y = make_data(seed=2)
    trainer = LinearRegression(l2=0.1)
    trainer.set_data(X, y)
    np.testing.assert_allclose(penalized_minimum(X, y, l2=0.1)["weights"], trainer.closed_form()["weights"])


@pytest.mark.parametrize("degree", [5, 9, 15])
@pytest.mark.parametrize("l1", [1e-5, 1e-3, 0.05, 1.0])
def test_on_ill_conditioned_powers_it_meets_the_optimality_conditions_and_beats_scikit_learn(degree, l1):
    X, y = polynomial_data(degree)
    ours = penalized_minimum(X, y, l1=l1)
    assert optimal(X, y, ours, l1, 0.0)
    with warnings.catch_warnings():  # on these powers scikit-learn's coordinate descent often stops short
        warnings.simplefilter("ignore", ConvergenceWarning)
        reference = linear_model.Lasso(alpha=l1 / 2, tol=1e-12, max_iter=20_000).fit(X, y)
    theirs = {"weights": reference.coef_, "bias": reference.intercept_}
    assert objective(X, y, ours, l1, 0.0) <= objective(X, y, theirs, l1, 0.0) + 1e-12


def test_the_trainers_proximal_steps_end_there():
    X, y = make_data(seed=3)
    X = Standardizer().fit_transform(X)
    trainer = LinearRegression(l1=0.4, learning_rate=0.05)
    trainer.set_data(X, y)
    trainer.learning_rate = 1.0 / float(np.linalg.eigvalsh(trainer.hessian())[-1])
    trainer.run(20_000)
    exact = penalized_minimum(X, y, l1=0.4)
    np.testing.assert_allclose(trainer.params["weights"], exact["weights"], atol=1e-9)
    assert np.array_equal(trainer.params["weights"] == 0, exact["weights"] == 0)


def test_a_strong_l1_penalty_zeroes_every_weight_and_bad_strengths_are_refused():
    X, y = make_data(seed=4)
    result = penalized_minimum(X, y, l1=1e6)
    assert np.all(result["weights"] == 0) and float(result["bias"]) == pytest.approx(y.mean())
    with pytest.raises(ValueError, match="l1"):
        penalized_minimum(X, y, l1=-1)
    with pytest.raises(ValueError, match="NaN"):
        penalized_minimum(np.full((3, 2), np.nan), np.ones(3))
