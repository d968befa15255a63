"""Slices over two weights: the quadratic agrees with the landscape, and its penalized minimum is exact."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import linear_model

from primer_gui.core import LinearRegression
from primer_gui.core.landscape import LinearStatistics
from primer_gui.core.slices import QuadraticSlice, weight_slice


def data(n=60, d=4, seed=0, centred=False):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) @ rng.normal(size=(d, d))
    y = X @ rng.normal(size=d) + rng.normal(0, 0.5, n) + 3.0
    if centred:
        X, y = X - X.mean(axis=0), y - y.mean()
    return X, y


def test_the_slice_is_the_mse_with_the_other_parameters_held():
    X, y = data()
    stats = LinearStatistics.from_data(X, y)
    weights, bias = np.array([0.3, -1.0, 2.0, 0.5]), 0.7
    piece = weight_slice(stats, weights, bias, 1, 3)
    rng = np.random.default_rng(1)
    for wa, wc in rng.normal(size=(5, 2)):
        w = weights.copy()
        w[[1, 3]] = wa, wc
        assert piece.value(wa, wc) == pytest.approx(np.mean((y - X @ w - bias) ** 2), rel=1e-10)
    grid = piece.value(np.linspace(-1, 1, 3)[:, None], np.linspace(0, 2, 4)[None, :])
    assert grid.shape == (3, 4)


def test_without_penalties_the_minimum_solves_the_normal_equations():
    X, y = data(seed=2)
    stats = LinearStatistics.from_data(X, y)
    weights = np.array([0.1, 0.2, 0.3, 0.4])
    piece = weight_slice(stats, weights, 1.0, 0, 2)
    u = piece.minimum()
    gradient = 2 * piece.Q @ u - 2 * piece.p
    np.testing.assert_allclose(gradient, 0.0, atol=1e-9)


@pytest.mark.parametrize(("l1", "l2"), [(0.0, 0.3), (0.4, 0.0), (2.0, 0.0), (50.0, 0.0), (0.3, 0.2)])
def test_the_penalized_minimum_matches_scikit_learn_on_two_centred_features(l1, l2):
    # centred data with two features: the slice is the whole problem (the bias decouples)
    X, y = data(d=2, seed=3, centred=True)
    piece = weight_slice(LinearStatistics.from_data(X, y), np.zeros(2), 0.0, 0, 1)
    u = piece.minimum(l1, l2)
    if l1 == 0:
        reference = linear_model.Ridge(alpha=len(y) * l2, fit_intercept=False).fit(X, y).coef_
    else:  # ElasticNet's α·ρ = l1/2, α(1 − ρ) = l2 (see tests/core/test_linear.py)
        alpha = l1 / 2 + l2
        model = linear_model.ElasticNet(alpha=alpha, l1_ratio=(l1 / 2) / alpha, fit_intercept=False, tol=1e-14)
        reference = model.fit(X, y).coef_
    np.testing.assert_allclose(u, reference, atol=1e-8)
    assert np.array_equal(u == 0.0, reference == 0.0)


def test_the_minimum_agrees_with_the_trainers_own_proximal_steps():
    X, y = data(d=2, seed=4, centred=True)
    piece = weight_slice(LinearStatistics.from_data(X, y), np.zeros(2), 0.0, 0, 1)
    trainer = LinearRegression(l1=1.5, learning_rate=0.05)
    trainer.set_data(X, y)
    trainer.run(20_000)
    np.testing.assert_allclose(piece.minimum(l1=1.5), trainer.params["weights"], atol=1e-9)


def test_a_strong_l1_penalty_lands_on_a_corner_of_the_diamond():
    piece = QuadraticSlice(Q=np.array([[1.0, 0.3], [0.3, 1.0]]), p=np.array([1.0, 0.4]), r=2.0)
    u = piece.minimum(l1=1.0)
    assert u[1] == 0.0 and u[0] > 0  # one weight exactly zero
    ridge = piece.minimum(l2=1.0)
    assert (ridge != 0).all()  # L2 shrinks both, zeroes neither


def test_bad_slices_are_refused():
    stats = LinearStatistics.from_data(np.ones((3, 2)), np.ones(3))
    with pytest.raises(ValueError, match="different"):
        weight_slice(stats, np.zeros(2), 0.0, 1, 1)
    with pytest.raises(ValueError, match="no weight 2"):
        weight_slice(stats, np.zeros(2), 0.0, 0, 2)
    with pytest.raises(ValueError, match="≥ 0"):
        weight_slice(stats, np.zeros(2), 0.0, 0, 1).minimum(l1=-1)
