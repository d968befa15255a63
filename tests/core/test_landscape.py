"""Loss landscapes on a grid agree with computing the loss point by point."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from primer_gui.core.activations import sigmoid
from primer_gui.core.landscape import LinearStatistics, linear_mse_grid, logistic_loss_grid, logistic_mse_grid
from primer_gui.core.losses import binary_cross_entropy_from_logits

AXIS_PAIRS = [(0, 1), (1, 0), (0, 2), (2, 0), (1, 2), (2, 1)]


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(23, 2))
    return X, rng.normal(size=23), (X[:, 0] - X[:, 1] + rng.normal(size=23) > 0).astype(float)


def brute_force(loss, X, y, weights, bias, axis_a, values_a, axis_b, values_b):
    """The loss at each grid point, one point at a time, from the plain definition."""
    result = np.zeros((len(values_a), len(values_b)))
    for i, a in enumerate(values_a):
        for j, c in enumerate(values_b):
            params = np.concatenate([[bias], weights])
            params[axis_a], params[axis_b] = a, c
            result[i, j] = loss(y, X @ params[1:] + params[0])
    return result


def mse(y, prediction):
    return float(np.mean((y - prediction) ** 2))


def sigmoid_mse(y, logits):
    return float(np.mean((sigmoid(logits) - y) ** 2))


VALUES_A = np.linspace(-3.0, 2.0, 6)
VALUES_B = np.linspace(-1.0, 4.0, 5)


@pytest.mark.parametrize(("axis_a", "axis_b"), AXIS_PAIRS)
def test_linear_mse_grid_equals_brute_force(data, axis_a, axis_b):
    X, y, _ = data
    weights, bias = np.array([0.7, -1.2]), 0.4
    grid = linear_mse_grid(LinearStatistics.from_data(X, y), weights, bias, axis_a, VALUES_A, axis_b, VALUES_B)
    assert grid.shape == (6, 5)
    expected = brute_force(mse, X, y, weights, bias, axis_a, VALUES_A, axis_b, VALUES_B)
    np.testing.assert_allclose(grid, expected, rtol=1e-10, atol=1e-12)


def test_linear_statistics_give_the_mse_and_its_gradient(data):
    X, y, _ = data
    stats = LinearStatistics.from_data(X, y)
    weights, bias = np.array([0.7, -1.2]), 0.4
    residual = y - X @ weights - bias
    assert stats.mse(weights, bias) == pytest.approx(mse(y, X @ weights + bias), rel=1e-12)
    grad_weights, grad_bias = stats.mse_gradient(weights, bias)
    np.testing.assert_allclose(grad_weights, -2.0 * X.T @ residual / 23, rtol=1e-10)
    assert grad_bias == pytest.approx(-2.0 * residual.mean(), rel=1e-10)


@pytest.mark.parametrize(("axis_a", "axis_b"), AXIS_PAIRS)
@pytest.mark.parametrize(
    ("grid_function", "loss"),
    [(logistic_loss_grid, binary_cross_entropy_from_logits), (logistic_mse_grid, sigmoid_mse)],
)
def test_logistic_grids_equal_brute_force(data, axis_a, axis_b, grid_function, loss):
    X, _, labels = data
    weights, bias = np.array([1.5, -0.5]), -0.3
    grid = grid_function(X, labels, weights, bias, axis_a, VALUES_A, axis_b, VALUES_B)
    assert grid.shape == (6, 5)
    expected = brute_force(loss, X, labels, weights, bias, axis_a, VALUES_A, axis_b, VALUES_B)
    np.testing.assert_allclose(grid, expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("grid_function", [logistic_loss_grid, logistic_mse_grid])
@pytest.mark.parametrize("chunk", [1, 4, 22])
def test_a_chunked_grid_equals_an_unchunked_one(data, grid_function, chunk):
    X, _, labels = data
    arguments = (X, labels, np.array([1.0, 2.0]), 0.5, 1, VALUES_A, 2, VALUES_B)
    np.testing.assert_allclose(
        grid_function(*arguments, chunk=chunk), grid_function(*arguments, chunk=X.shape[0]), rtol=1e-13
    )


def test_logistic_grids_are_finite_at_huge_parameters(data):
    X, _, labels = data
    values = np.array([-1e4, 0.0, 1e4])
    cross_entropy = logistic_loss_grid(X, labels, np.array([0.0, 0.0]), 0.0, 1, values, 2, values)
    squared = logistic_mse_grid(X, labels, np.array([0.0, 0.0]), 0.0, 1, values, 2, values)
    assert np.isfinite(cross_entropy).all() and cross_entropy.max() > 1000
    assert cross_entropy[1, 1] == pytest.approx(np.log(2.0))
    assert np.isfinite(squared).all() and squared.max() <= 1.0  # the plateau the cross-entropy avoids


@pytest.mark.parametrize("grid_function", [logistic_loss_grid, logistic_mse_grid])
def test_logistic_grid_memory_stays_bounded_for_many_points(grid_function):
    # 40 000 points × a 30 × 30 grid: one unchunked temporary alone would be 288 MB.
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40_000, 2))
    labels = (X[:, 0] > 0).astype(float)
    values = np.linspace(-2.0, 2.0, 30)
    tracemalloc.start()
    try:
        grid = grid_function(X, labels, np.zeros(2), 0.0, 0, values, 1, values)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert np.isfinite(grid).all()
    assert peak < 20 * 2**20, f"peak {peak / 2**20:.1f} MB"


@pytest.mark.parametrize(("axis_a", "axis_b", "message"), [(1, 1, "different"), (0, 3, "axis 3 does not exist")])
def test_logistic_grid_refuses_bad_axes(data, axis_a, axis_b, message):
    X, _, labels = data
    with pytest.raises(ValueError, match=message):
        logistic_loss_grid(X, labels, np.zeros(2), 0.0, axis_a, VALUES_A, axis_b, VALUES_B)
