"""Losses: values, gradients against central finite differences, stability."""

from __future__ import annotations

import numpy as np
import pytest

from primer_gui.core.losses import (
    binary_cross_entropy_from_logits,
    binary_cross_entropy_gradient,
    mse,
    mse_gradient,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_gradient,
)


def numeric_gradient(f, x, h=1e-6):
    gradient = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = h
        gradient[index] = (f(x + step) - f(x - step)) / (2 * h)
    return gradient


def test_mse_and_binary_cross_entropy_gradients():
    rng = np.random.default_rng(0)
    y, prediction = rng.normal(size=7), rng.normal(size=7)
    np.testing.assert_allclose(
        mse_gradient(y, prediction), numeric_gradient(lambda p: mse(y, p), prediction), atol=1e-8
    )
    labels, logits = rng.integers(0, 2, 7).astype(float), rng.normal(0, 3, 7)
    np.testing.assert_allclose(
        binary_cross_entropy_gradient(labels, logits),
        numeric_gradient(lambda z: binary_cross_entropy_from_logits(labels, z), logits),
        atol=1e-8,
    )


def test_softmax_rows_sum_to_one_and_survive_huge_logits():
    logits = np.array([[1000.0, 0.0, -1000.0], [2.0, 2.0, 2.0], [-1000.0, -1000.0, -999.0]])
    p = softmax(logits)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[0], [1, 0, 0])
    np.testing.assert_allclose(p[1], [1 / 3] * 3)
    np.testing.assert_allclose(p[2], np.exp([0, 0, 1]) / np.exp([0, 0, 1]).sum())


def test_softmax_cross_entropy_values():
    logits = np.array([[0.0, 0.0], [1000.0, -1000.0], [1000.0, -1000.0]])
    # log 2 for the uncertain row, 0 for the confident right one, 2000 for the confident wrong one
    assert softmax_cross_entropy(logits, np.array([0, 0, 1])) == pytest.approx((np.log(2) + 0 + 2000) / 3)


def test_softmax_cross_entropy_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    logits, targets = rng.normal(0, 2, (5, 4)), rng.integers(0, 4, 5)
    numeric = numeric_gradient(lambda z: softmax_cross_entropy(z, targets), logits)
    gradient = softmax_cross_entropy_gradient(logits, targets)
    np.testing.assert_allclose(gradient, numeric, atol=1e-8)
    onehot = np.eye(4)[targets]
    np.testing.assert_allclose(gradient, (softmax(logits) - onehot) / 5, atol=1e-15)


@pytest.mark.parametrize(
    ("logits", "targets", "message"),
    [
        (np.zeros(3), np.array([0, 1, 2]), "2-D"),
        (np.zeros((3, 2)), np.array([0, 1]), "one class index per row"),
        (np.zeros((2, 2)), np.array([0.0, 1.0]), "whole-number"),
        (np.zeros((2, 2)), np.array([0, 2]), "between 0 and 1"),
    ],
)
def test_softmax_cross_entropy_refuses_bad_input(logits, targets, message):
    with pytest.raises(ValueError, match=message):
        softmax_cross_entropy(logits, targets)
