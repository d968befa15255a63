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


# -- the Clusters tab's sets -----------------------------------------------------------------------
CLUSTER_SETS = [datasets.long_clusters, datasets.rings, datasets.smiley, datasets.cats_and_dogs]


@pytest.mark.parametrize("make", CLUSTER_SETS)
def test_cluster_sets_are_seeded_with_the_right_shapes_and_groups(make):
    X, groups = make(203, seed=5)
    assert X.shape == (203, 2) and groups.shape == (203,) and groups.dtype.kind == "i"
    assert np.isfinite(X).all()
    again = make(203, seed=5)
    assert np.array_equal(X, again[0]) and np.array_equal(groups, again[1])
    assert not np.array_equal(X, make(203, seed=6)[0])
    with pytest.raises(ValueError, match="spread"):
        make(10, spread=-0.1)
    with pytest.raises(ValueError, match="n must be"):
        make(0)


def test_uniform_noise_fills_the_square_evenly():
    X, groups = datasets.uniform_noise(4000, seed=1)
    assert X.shape == (4000, 2) and (groups == 0).all()
    assert X.min() >= -5 and X.max() <= 5
    counts = np.histogram2d(X[:, 0], X[:, 1], bins=4, range=[[-5, 5], [-5, 5]])[0]
    assert counts.min() > 0.8 * 250 and counts.max() < 1.2 * 250


def test_long_clusters_are_cut_across_by_k_means():
    """Documented: k = 2 prefers left | right to the true top | bottom."""
    from primer_gui.core import KMeans

    X, groups = datasets.long_clusters(600, spread=0.3, seed=0)
    assert X[groups == 0, 1].mean() == pytest.approx(1.5, abs=0.05)
    assert X[groups == 1, 1].mean() == pytest.approx(-1.5, abs=0.05)
    assert X[:, 0].std() == pytest.approx(2.5, rel=0.1) and X[groups == 0, 1].std() == pytest.approx(0.3, rel=0.15)
    trainer = KMeans(k=2, init=np.array([[-1.0, 1.5], [1.0, -1.5]]))
    trainer.set_data(X)
    trainer.run(50)
    labels = trainer.assign()
    left = X[:, 0] < 0
    agreement_x = max(np.mean(labels == left), np.mean(labels != left))
    agreement_true = max(np.mean(labels == groups), np.mean(labels != groups))
    assert agreement_x > 0.9 and agreement_true < 0.7


def test_rings_and_smiley_have_their_documented_parts():
    X, ring = datasets.rings(900, spread=0.1, seed=0)
    radius = np.hypot(X[:, 0], X[:, 1])
    assert np.bincount(ring).tolist() == [300, 600]
    assert radius[ring == 0].mean() == pytest.approx(1.5, abs=0.05)
    assert radius[ring == 1].mean() == pytest.approx(4.5, abs=0.05)
    X, part = datasets.smiley(400, spread=0.1, seed=0)
    assert np.bincount(part).tolist() == [180, 50, 50, 120]
    assert np.hypot(*X[part == 0].T).mean() == pytest.approx(5.0, abs=0.05)
    assert X[part == 1].mean(axis=0) == pytest.approx([-1.8, 1.8], abs=0.15)
    assert X[part == 2].mean(axis=0) == pytest.approx([1.8, 1.8], abs=0.15)
    assert (X[part == 3, 1] < 0).all()  # the mouth is below the eyes


def test_cats_and_dogs_are_in_their_units():
    X, animal = datasets.cats_and_dogs(4000, seed=0)
    cats, dogs = X[animal == 0], X[animal == 1]
    assert len(cats) == len(dogs) == 2000 and datasets.ANIMALS == ("cat", "dog")
    assert cats.mean(axis=0) == pytest.approx([4.5, 6.5], abs=0.1)
    assert dogs.mean(axis=0) == pytest.approx([14.0, 10.5], abs=0.3)
    assert cats.std(axis=0) == pytest.approx([1.0, 0.8], rel=0.1)
    assert X[:, 0].min() >= 1.0 and X[:, 1].min() >= 3.0
    assert datasets.CATS_AND_DOGS_FEATURES == ("weight (kg)", "ear length (cm)")


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


def test_houses_with_bedrooms_are_in_their_documented_units_and_scales():
    X, price = datasets.houses_with_bedrooms(2000, seed=0)
    assert X.shape == (2000, 2) and price.shape == (2000,)
    assert X[:, 0].min() >= 50 and X[:, 0].max() <= 250  # size in m²
    assert set(np.unique(X[:, 1])) <= {1.0, 2.0, 3.0, 4.0, 5.0, 6.0}  # whole bedrooms
    assert 0.4 < np.corrcoef(X[:, 0], X[:, 1])[0, 1] < 0.8  # bigger houses tend to have more
    assert datasets.BEDROOM_HOUSE_FEATURE_LABELS == ("size (m²)", "bedrooms")
    fit = np.linalg.lstsq(np.column_stack([np.ones(2000), X]), price, rcond=None)[0]
    assert np.abs(fit - [40, 2.2, 12]).max() < 5 and abs(fit[1] - 2.2) < 0.05
    again = datasets.houses_with_bedrooms(2000, seed=0)
    assert np.array_equal(X, again[0]) and np.array_equal(price, again[1])
    with pytest.raises(ValueError, match="noise"):
        datasets.houses_with_bedrooms(10, noise=-1)


def test_wavy_curve_spreads_its_points_evenly_around_the_sine():
    X, y = datasets.wavy_curve(50, noise=0.0, seed=2)
    assert X.shape == (50, 1) and y.shape == (50,)
    np.testing.assert_allclose(y, np.sin(2 * np.pi * X[:, 0]))
    gaps = np.diff(np.sort(X[:, 0]))
    assert X.min() > 0 and X.max() < 1 and gaps.max() < 2 / 50 and gaps.min() > 0.2 / 50
    noisy = datasets.wavy_curve(2000, noise=0.3, seed=2)
    residual = noisy[1] - datasets.wavy_curve_truth(noisy[0][:, 0])
    assert residual.std() == pytest.approx(0.3, rel=0.1)
    assert not np.array_equal(X, datasets.wavy_curve(50, seed=3)[0])


def test_holdout_mask_keeps_the_ends_in_training_and_is_reproducible():
    x = np.random.default_rng(0).uniform(0, 1, 20)
    mask = datasets.holdout_mask(x, 0.4, seed=5)
    assert mask.sum() == 8
    assert not mask[np.argmin(x)] and not mask[np.argmax(x)]
    assert np.array_equal(mask, datasets.holdout_mask(x, 0.4, seed=5))
    assert not np.array_equal(mask, datasets.holdout_mask(x, 0.4, seed=6))
    assert datasets.holdout_mask(x, 0.99).sum() == 18 and datasets.holdout_mask(x, 0.01).sum() == 1
    assert datasets.holdout_mask([0.5, 0.2], 0.5).sum() == 0  # too few to hold any out
    for bad in (0.0, 1.0, "half"):
        with pytest.raises(ValueError, match="fraction"):
            datasets.holdout_mask(x, bad)
