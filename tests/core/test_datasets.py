"""Data sets: seeded, pure, the right shapes, labels and units; bad arguments refused."""

from __future__ import annotations

import numpy as np
import pytest

from primer_gui.core import datasets

CLASSIFICATION = [datasets.circle, datasets.xor, datasets.gaussian, datasets.spiral, datasets.moons]


@pytest.mark.parametrize("make", CLASSIFICATION)
def test_two_class_sets_are_seeded_with_the_right_shapes_and_labels(make):
    X, y = make(101, noise=0.2, seed=3)
    assert X.shape == (101, 2) and y.shape == (101,)
    assert set(np.unique(y)) == {0.0, 1.0}
    assert np.isfinite(X).all() and np.abs(X).max() < 8
    again = make(101, noise=0.2, seed=3)
    assert np.array_equal(X, again[0]) and np.array_equal(y, again[1])
    assert not np.array_equal(X, make(101, noise=0.2, seed=4)[0])


@pytest.mark.parametrize("make", [datasets.gaussian, datasets.spiral, datasets.moons])
def test_generated_classes_are_balanced(make):
    assert make(101)[1].sum() == 51


def test_labels_follow_the_shapes():
    X, y = datasets.circle(400, seed=0)
    assert np.array_equal(y == 1, np.hypot(X[:, 0], X[:, 1]) < 2.5)
    X, y = datasets.xor(400, seed=0)
    assert np.array_equal(y == 1, X[:, 0] * X[:, 1] > 0)
    X, y = datasets.gaussian(400, seed=0)
    assert X[y == 1].mean(axis=0) == pytest.approx([2, 2], abs=0.3)
    assert X[y == 0].mean(axis=0) == pytest.approx([-2, -2], abs=0.3)


@pytest.mark.parametrize("make", CLASSIFICATION)
@pytest.mark.parametrize(("n", "noise", "message"), [(0, 0.1, "n must"), (2.5, 0.1, "n must"), (10, -1, "noise")])
def test_bad_arguments_are_refused(make, n, noise, message):
    with pytest.raises(ValueError, match=message):
        make(n, noise=noise)


def test_train_test_split_partitions_the_points_reproducibly():
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10.0)
    X_train, X_test, y_train, y_test = datasets.train_test_split(X, y, 0.3, seed=1)
    assert X_test.shape == (3, 2) and X_train.shape == (7, 2)
    assert sorted(np.concatenate([y_train, y_test])) == list(range(10))
    assert np.array_equal(X_test[:, 0] / 2, y_test)
    assert np.array_equal(y_test, datasets.train_test_split(X, y, 0.3, seed=1)[3])
    with pytest.raises(ValueError, match="test_fraction"):
        datasets.train_test_split(X, y, 1.0)
    with pytest.raises(ValueError, match="same n"):
        datasets.train_test_split(X, y[:5])


def test_blobs_from_a_count_or_from_centres():
    X, labels = datasets.blobs(90, 3, spread=0.1, seed=2)
    assert X.shape == (90, 2) and sorted(np.bincount(labels)) == [30, 30, 30]
    for k in range(3):
        assert np.hypot(*X[labels == k].mean(axis=0)) == pytest.approx(4.0, abs=0.1)
    X, labels = datasets.blobs(40, np.array([[0.0, 0.0], [10.0, 10.0]]), spread=0.5, seed=2)
    assert X[labels == 1].mean(axis=0) == pytest.approx([10, 10], abs=0.3)
    for bad, message in [(0, "centers"), (np.zeros((2, 3)), "shape"), ("two", "centers")]:
        with pytest.raises(ValueError, match=message):
            datasets.blobs(10, bad)
    with pytest.raises(ValueError, match="spread"):
        datasets.blobs(10, 2, spread=-1)


def test_housing_features_are_in_their_documented_units():
    X, price = datasets.housing(500, seed=0)
    assert X.shape == (500, 2) and price.shape == (500,)
    assert X[:, 0].min() >= 50 and X[:, 0].max() <= 250  # size in m²
    assert X[:, 1].min() >= 0 and X[:, 1].max() <= 100  # age in years
    assert datasets.HOUSING_FEATURE_LABELS == ("size (m²)", "age (years)")
    fit = np.linalg.lstsq(np.column_stack([np.ones(500), X]), price, rcond=None)[0]
    assert np.abs(fit - [50, 2.5, -1.2]).max() < 10 and np.abs(fit[1:] - [2.5, -1.2]).max() < 0.2
    assert np.array_equal(price, datasets.housing(500, seed=0)[1])


def test_house_prices_is_unchanged():
    X, y = datasets.house_prices(30, seed=1)
    assert X.shape == (30, 1) and datasets.HOUSE_SIZE_LABEL == "size (100 m²)"


@pytest.mark.parametrize("make", [datasets.plane, datasets.multi_gaussian])
def test_regression_sets_are_seeded_in_the_box_with_targets_of_order_one(make):
    X, y = make(300, noise=0.0, seed=2)
    assert X.shape == (300, 2) and y.shape == (300,)
    assert np.abs(X).max() <= 6 and 0.5 < np.abs(y).max() <= 1.05
    again = make(300, noise=0.0, seed=2)
    assert np.array_equal(X, again[0]) and np.array_equal(y, again[1])
    noisy = make(300, noise=0.1, seed=2)
    assert np.array_equal(noisy[0], X)  # noise is in the targets only
    assert np.std(noisy[1] - y) == pytest.approx(0.1, rel=0.2)
    with pytest.raises(ValueError, match="noise"):
        make(10, noise=-1)


def test_regression_targets_follow_their_formulas():
    X, y = datasets.plane(50, seed=0)
    np.testing.assert_allclose(y, (X[:, 0] + X[:, 1]) / 12)
    X, y = datasets.multi_gaussian(2000, seed=0)
    for cx, cy, sign in datasets.GAUSSIAN_BUMPS:
        near = np.hypot(X[:, 0] - cx, X[:, 1] - cy) < 0.3
        assert np.all(np.sign(y[near]) == sign) and np.all(np.abs(y[near]) > 0.9)
