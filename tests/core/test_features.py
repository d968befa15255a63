"""PolynomialFeatures and Standardizer (feature scaling), and mapping weights back to original units."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from primer_gui.core import LinearRegression, PolynomialFeatures, Standardizer


def test_polynomial_features_are_the_powers_without_a_constant_column():
    expected = [[2.0, 4.0, 8.0], [-1.0, 1.0, -1.0], [0.5, 0.25, 0.125]]
    assert PolynomialFeatures(3).transform([[2.0], [-1.0], [0.5]]).tolist() == expected
    assert PolynomialFeatures(3).transform([2.0, -1.0, 0.5]).tolist() == expected  # 1-D: one input
    assert PolynomialFeatures(1).transform([[3.0]]).tolist() == [[3.0]]


def test_polynomial_feature_names_label_the_columns():
    assert PolynomialFeatures(3).feature_names() == ["x", "x²", "x³"]
    assert PolynomialFeatures(12).feature_names("size")[-1] == "size¹²"


@pytest.mark.parametrize("degree", [0, -1, 2.5, True, "three"])
def test_polynomial_degree_must_be_a_whole_number_of_at_least_one(degree):
    with pytest.raises(ValueError, match="degree must be a whole number"):
        PolynomialFeatures(degree)


@pytest.mark.parametrize(
    ("X", "message"),
    [
        (np.ones((4, 2)), "one input column; got 2"),
        ([[1.0], [np.nan]], "NaN"),
        (np.empty((0, 1)), "no points"),
        ([[1e200]], "overflow"),
    ],
)
def test_polynomial_features_refuse_what_they_cannot_expand(X, message):
    with pytest.raises(ValueError, match=message):
        PolynomialFeatures(3).transform(X)


def test_standardizer_gives_each_column_mean_zero_and_spread_one():
    rng = np.random.default_rng(0)
    X = rng.normal(loc=[5.0, -300.0, 0.01], scale=[2.0, 100.0, 0.001], size=(500, 3))
    Z = Standardizer().fit_transform(X)
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0), 1.0, rtol=1e-12)


@pytest.mark.parametrize("constant", [0.0, 0.1, -7.3, 1e8])
def test_a_constant_column_becomes_exact_zeros_without_dividing_by_zero(constant):
    X = np.column_stack([np.linspace(0.0, 1.0, 7), np.full(7, constant)])
    scaler = Standardizer().fit(X)
    assert scaler.scale_[1] == 1.0
    Z = scaler.transform(X)
    assert np.all(Z[:, 1] == 0.0)
    assert np.array_equal(scaler.inverse_transform(Z)[:, 1], X[:, 1])


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 30), d=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_inverse_transform_undoes_transform_and_weights_map_back_to_the_same_predictions(n, d, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * 10.0 ** rng.uniform(-3, 3, d) + rng.uniform(-50, 50, d)
    scaler = Standardizer().fit(X)
    Z = scaler.transform(X)
    np.testing.assert_allclose(scaler.inverse_transform(Z), X, rtol=1e-9, atol=1e-9 * np.abs(X).max())
    weights, bias = rng.normal(size=d), rng.normal()
    original_weights, original_bias = scaler.original_weights(weights, bias)
    predictions = Z @ weights + bias
    np.testing.assert_allclose(
        X @ original_weights + original_bias, predictions, atol=1e-8 * (1 + np.abs(predictions).max())
    )


def test_standardizer_refuses_use_before_fit_and_the_wrong_number_of_columns():
    scaler = Standardizer()
    for action in (lambda: scaler.transform([[1.0]]), lambda: scaler.original_weights([1.0], 0.0)):
        with pytest.raises(ValueError, match="not been fitted"):
            action()
    scaler.fit(np.ones((3, 2)))
    with pytest.raises(ValueError, match="fitted on 2 columns; X has 3"):
        scaler.transform(np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        scaler.original_weights([1.0], 0.0)
    with pytest.raises(ValueError, match="NaN"):
        scaler.fit([[1.0, np.inf]])


def test_a_cubic_fitted_on_standardized_polynomial_features_comes_back_in_original_units():
    x = np.linspace(-2.0, 3.0, 40)
    y = 1.0 - 2.0 * x + 0.5 * x**2 + 0.25 * x**3
    scaler = Standardizer()
    Z = scaler.fit_transform(PolynomialFeatures(3).transform(x))
    trainer = LinearRegression()
    trainer.set_data(Z, y)
    exact = trainer.closed_form()
    weights, bias = scaler.original_weights(exact["weights"], exact["bias"])
    np.testing.assert_allclose(weights, [-2.0, 0.5, 0.25], atol=1e-9)
    assert bias == pytest.approx(1.0, abs=1e-9)


def test_feature_scaling_makes_gradient_descent_converge_in_far_fewer_steps():
    # Features on very different scales make a long narrow valley: the steep direction sets the
    # stable learning rate and the shallow one then crawls.  Standardised, both directions match.
    rng = np.random.default_rng(1)
    X = np.column_stack([rng.uniform(0, 1, 100), rng.uniform(0, 100, 100)])
    y = 3.0 * X[:, 0] - 0.05 * X[:, 1] + 2.0 + 0.1 * rng.normal(size=100)
    results = {}
    for name, features in (("raw", X), ("scaled", Standardizer().fit_transform(X))):
        trainer = LinearRegression()
        trainer.set_data(features, y)
        trainer.learning_rate = 0.9 * trainer.stable_learning_rate()
        trainer.run(300)
        exact = trainer.closed_form()
        results[name] = np.abs(trainer.params["weights"] - exact["weights"]).max()
    assert results["scaled"] < 1e-9
    assert results["raw"] > 0.1
