"""KMeans: the objective and its gradient, Lloyd's two half-steps, scikit-learn agreement, the contract."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.cluster import KMeans as SklearnKMeans

from primer_gui.core import KMeans


def blobs(n_per_blob=40, seed=0):
    rng = np.random.default_rng(seed)
    means = np.array([[0.0, 0.0], [5.0, 1.0], [1.0, 6.0], [6.0, 6.0]])
    return np.concatenate([mean + rng.normal(size=(n_per_blob, 2)) for mean in means])


def fitted(X, **hyperparameters) -> KMeans:
    trainer = KMeans(**hyperparameters)
    trainer.set_data(X)
    return trainer


def brute_force_objective(X, centers):
    """mean_i min_j ‖x_i − c_j‖², by explicit differences (no expansion trick)."""
    distances = ((X[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
    return distances.min(axis=1).mean()


# -- objective and gradient -----------------------------------------------------------------
def test_loss_is_the_mean_squared_distance_and_inertia_the_sum():
    X = blobs()
    trainer = fitted(X, k=4, init="random")
    expected = brute_force_objective(X, trainer.params["centers"])
    assert trainer.loss() == pytest.approx(expected, rel=1e-12)
    assert trainer.inertia() == pytest.approx(len(X) * expected, rel=1e-12)


def test_gradient_matches_central_finite_differences_away_from_ties():
    X = blobs(n_per_blob=10, seed=3)
    trainer = fitted(X, k=4, init="random", method="gradient")
    trainer.run(3)
    centers = trainer.params["centers"]
    distances = np.sort(((X[:, None, :] - centers[None]) ** 2).sum(axis=2), axis=1)
    assert (distances[:, 1] - distances[:, 0]).min() > 1e-3  # no point near a tie: the objective is smooth here
    analytic = trainer.gradients()["centers"]
    numeric = np.zeros_like(centers)
    h = 1e-6
    for index in np.ndindex(centers.shape):
        plus, minus = centers.copy(), centers.copy()
        plus[index] += h
        minus[index] -= h
        numeric[index] = (brute_force_objective(X, plus) - brute_force_objective(X, minus)) / (2 * h)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)
    assert np.abs(analytic).max() > 1e-3  # the check is not vacuous


def test_gradient_method_takes_a_plain_gradient_step_on_the_batch_objective():
    X = blobs()
    trainer = fitted(X, k=4, method="gradient", learning_rate=0.2, batch_size=16)
    report = trainer.step()
    batch = X[report.batch]
    assert report.loss == pytest.approx(brute_force_objective(batch, report.params_before["centers"]), rel=1e-12)
    np.testing.assert_allclose(
        report.params_after["centers"], report.params_before["centers"] - 0.2 * report.gradients["centers"]
    )


def test_lloyd_step_reports_the_loss_before_and_lands_on_the_cluster_means():
    X = blobs()
    trainer = fitted(X, k=4, init="random")
    loss, gradients, inertia = trainer.loss(), trainer.gradients(), trainer.inertia()
    labels = trainer.assign()
    report = trainer.step()
    assert report.loss == pytest.approx(loss, rel=1e-12)
    assert report.loss * len(X) == pytest.approx(inertia, rel=1e-12)
    np.testing.assert_allclose(report.gradients["centers"], gradients["centers"], rtol=1e-12)
    means = np.array([X[labels == j].mean(axis=0) for j in range(4)])
    np.testing.assert_allclose(report.params_after["centers"], means, rtol=1e-12, atol=1e-12)


# -- Lloyd's half-steps ------------------------------------------------------------------------
def test_neither_half_step_ever_increases_the_inertia():
    X = blobs(seed=5)
    trainer = fitted(X, k=4, init="random", seed=2)
    labels = np.zeros(len(X), dtype=int)  # a poor assignment to start from
    for _ in range(8):
        before = trainer.inertia(labels)
        labels = trainer.assign()
        after_assignment = trainer.inertia(labels)
        assert after_assignment <= before + 1e-9
        trainer.set_params(centers=trainer.centers_from(labels))
        assert trainer.inertia(labels) <= after_assignment + 1e-9


def test_a_step_equals_assignment_then_update():
    X = blobs(seed=6)
    trainer = fitted(X, k=4, init="random")
    expected = trainer.centers_from(trainer.assign())
    trainer.step()
    np.testing.assert_allclose(trainer.params["centers"], expected, rtol=1e-12, atol=1e-12)


def test_an_empty_cluster_keeps_its_centre_in_both_methods():
    X = blobs()
    far = np.array([[100.0, 100.0], [0.0, 0.0], [6.0, 6.0]])  # nobody is near the first centre
    for method in ("lloyd", "gradient"):
        trainer = fitted(X, k=3, init=far, method=method)
        assert np.array_equal(trainer.gradients()["centers"][0], [0.0, 0.0])
        assert np.array_equal(trainer.centers_from(trainer.assign())[0], far[0])
        report = trainer.step()
        assert np.array_equal(report.params_after["centers"][0], far[0])
        assert not np.array_equal(report.params_after["centers"][1:], far[1:])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lloyd_converges_to_the_same_centres_and_inertia_as_scikit_learn(seed):
    X = blobs(n_per_blob=60, seed=seed)
    start = X[np.random.default_rng(seed).choice(len(X), size=4, replace=False)]
    trainer = fitted(X, k=4, init=start)
    trainer.run(100)
    reference = SklearnKMeans(n_clusters=4, init=start, n_init=1, algorithm="lloyd", tol=0, max_iter=300).fit(X)
    np.testing.assert_allclose(trainer.params["centers"], reference.cluster_centers_, rtol=1e-9, atol=1e-9)
    assert trainer.inertia() == pytest.approx(reference.inertia_, rel=1e-9)
    assert np.array_equal(trainer.predict(X), reference.labels_)


def test_gradient_descent_reaches_the_lloyd_answer():
    X = blobs(seed=4)
    lloyd = fitted(X, k=4, init="k-means++", seed=1)
    lloyd.run(50)
    gradient = fitted(X, k=4, init="k-means++", seed=1, method="gradient", learning_rate=0.5)
    gradient.run(500)
    np.testing.assert_allclose(gradient.params["centers"], lloyd.params["centers"], atol=1e-6)


# -- initialisation ----------------------------------------------------------------------------
@pytest.mark.parametrize("init", ["random", "k-means++"])
def test_initial_centres_are_distinct_data_points_fixed_by_the_seed(init):
    X = blobs()
    first, again = fitted(X, k=4, init=init, seed=3), fitted(X, k=4, init=init, seed=3)
    other = fitted(X, k=4, init=init, seed=4)
    centers = first.params["centers"]
    assert np.array_equal(centers, again.params["centers"])
    assert not np.array_equal(centers, other.params["centers"])
    assert len({tuple(c) for c in centers}) == 4
    assert all(any(np.array_equal(c, x) for x in X) for c in centers)
    first.run(5)
    first.reset()
    assert np.array_equal(first.params["centers"], centers)


def test_kmeans_plus_plus_spreads_the_centres_over_the_blobs_more_often_than_random():
    means = 4.0 * np.array([[0.0, 0.0], [5.0, 1.0], [1.0, 6.0], [6.0, 6.0]])
    X = np.concatenate([mean + np.random.default_rng(0).normal(size=(40, 2)) for mean in means])

    def covers_all_blobs(init, seed):
        centers = fitted(X, k=4, init=init, seed=seed).params["centers"]
        return len({int(((means - c) ** 2).sum(axis=1).argmin()) for c in centers}) == 4

    plus_plus = sum(covers_all_blobs("k-means++", seed) for seed in range(30))
    uniform = sum(covers_all_blobs("random", seed) for seed in range(30))
    assert plus_plus >= 20  # uniform choice covers all four blobs in 4!/4⁴ ≈ 9 % of draws
    assert uniform <= 8


def test_kmeans_plus_plus_with_fewer_distinct_points_than_k_still_gives_k_points():
    X = np.array([[1.0, 1.0]] * 3 + [[2.0, 2.0]])
    assert fitted(X, k=3).params["centers"].shape == (3, 2)


def test_adding_a_point_keeps_the_centres_and_changing_k_places_new_ones():
    X = blobs()
    trainer = fitted(X, k=4)
    trainer.run(3)
    centers = trainer.params["centers"]
    trainer.set_data(np.vstack([X, [[3.0, 3.0]]]))
    assert np.array_equal(trainer.params["centers"], centers)
    trainer.k = 2
    assert trainer.params["centers"].shape == (2, 2)


# -- bad input ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("hyperparameters", "message"),
    [
        ({"k": 0}, "k .*whole number ≥ 1"),
        ({"k": 2.5}, "k .*whole number"),
        ({"init": "best"}, "init must be"),
        ({"init": np.zeros((2, 2))}, "init has 2 centres but k is 3"),
        ({"init": [[0.0, np.nan]] * 3}, "init contains NaN"),
        ({"method": "adam"}, "method must be 'lloyd' or 'gradient'"),
        ({"learning_rate": -1}, "learning_rate"),
    ],
)
def test_bad_hyperparameters_are_refused(hyperparameters, message):
    with pytest.raises(ValueError, match=message):
        KMeans(**hyperparameters)


def test_more_clusters_than_points_is_refused_and_nothing_changes():
    trainer = fitted(blobs(), k=3)
    centers = trainer.params["centers"]
    with pytest.raises(ValueError, match="k=3 needs at least 3 points; there are 2"):
        trainer.set_data([[0.0, 0.0], [1.0, 1.0]])
    with pytest.raises(ValueError, match="k=999 needs at least 999 points"):
        trainer.k = 999
    assert trainer.k == 3
    assert np.array_equal(trainer.params["centers"], centers)
    assert trainer.n_points == 160


def test_other_bad_data_is_refused_with_a_sentence():
    with pytest.raises(ValueError, match="without labels"):
        KMeans().set_data(blobs(), np.zeros(160))
    with pytest.raises(ValueError, match="init centres have 2 features but X has 3"):
        KMeans(k=1, init=[[0.0, 0.0]]).set_data(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="NaN"):
        KMeans().set_data([[0.0, 1.0], [np.inf, 1.0], [2.0, 2.0]])
    with pytest.raises(ValueError, match="X has 3 features but the centres have 2"):
        fitted(blobs()).predict(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="labels must be cluster indices from 0 to 2"):
        fitted(blobs()).centers_from(np.full(160, 3))


# -- divergence, determinism, state ------------------------------------------------------------
def test_gradient_method_with_a_huge_learning_rate_diverges_and_keeps_finite_centres():
    X = blobs()
    trainer = fitted(X, k=1, method="gradient", learning_rate=1e3)
    report = trainer.run(500)
    assert report.diverged
    assert np.isfinite(trainer.params["centers"]).all()
    assert trainer.step_count < 500


@pytest.mark.parametrize("method", ["lloyd", "gradient"])
def test_same_seed_same_trajectory_and_run_equals_steps(method):
    X = blobs()
    first, second = (fitted(X, k=4, method=method, batch_size=32, seed=5) for _ in range(2))
    for _ in range(12):
        a, b = first.step(), second.step()
        assert np.array_equal(a.batch, b.batch)
        assert np.array_equal(a.params_after["centers"], b.params_after["centers"])
    third = fitted(X, k=4, method=method, batch_size=32, seed=5)
    third.run(12)
    np.testing.assert_allclose(third.params["centers"], first.params["centers"], rtol=1e-12)


@pytest.mark.parametrize("init", ["k-means++", "array"])
def test_state_dict_survives_json_exactly_and_continues_the_same_trajectory(init):
    X = blobs()
    start = X[:4] if init == "array" else init
    trainer = fitted(X, k=4, init=start, method="gradient", batch_size=24, seed=9)
    trainer.run(7)
    restored = KMeans.from_state_dict(json.loads(json.dumps(trainer.state_dict())))
    assert restored.method == "gradient" and restored.k == 4
    assert np.array_equal(restored.params["centers"], trainer.params["centers"])
    for _ in range(10):
        a, b = trainer.step(), restored.step()
        assert np.array_equal(a.batch, b.batch)
        assert np.array_equal(a.params_after["centers"], b.params_after["centers"])
    restored.reset()
    trainer.reset()
    assert np.array_equal(restored.params["centers"], trainer.params["centers"])
