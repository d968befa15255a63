"""Activations: derivatives against central finite differences, stability at ±1000, the registry."""

from __future__ import annotations

import numpy as np
import pytest

from primer_gui.core import activations
from primer_gui.core.activations import ACTIVATIONS, get_activation, sigmoid

# points away from each function's kink at 0 (relu, leaky_relu), where the derivative is a convention
POINTS = np.array([-12.0, -4.0, -1.3, -0.2, 0.15, 0.9, 2.5, 11.0])
EXTREMES = np.array([-1000.0, -710.0, -50.0, 0.0, 50.0, 710.0, 1000.0])


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_derivative_matches_central_finite_differences(name):
    activation = ACTIVATIONS[name]
    h = 1e-6
    numeric = (activation.forward(POINTS + h) - activation.forward(POINTS - h)) / (2 * h)
    np.testing.assert_allclose(activation.derivative(POINTS), numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", [name for name, a in ACTIVATIONS.items() if a.from_output])
def test_derivative_from_the_output_equals_the_derivative(name):
    activation = ACTIVATIONS[name]
    np.testing.assert_allclose(
        activation.derivative_from_output(activation.forward(POINTS)), activation.derivative(POINTS), atol=1e-15
    )


def test_gelu_has_no_derivative_from_its_output():
    assert not ACTIVATIONS["gelu"].from_output
    with pytest.raises(ValueError, match="derivative"):
        ACTIVATIONS["gelu"].derivative_from_output(np.zeros(3))


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_finite_and_silent_at_extremes(name):
    # pyproject turns every warning (overflow, invalid) into an error
    activation = ACTIVATIONS[name]
    assert np.isfinite(activation.forward(EXTREMES)).all()
    assert np.isfinite(activation.derivative(EXTREMES)).all()
    if activation.from_output:
        assert np.isfinite(activation.derivative_from_output(activation.forward(EXTREMES))).all()


def test_known_values():
    z = np.array([-1000.0, -2.0, 0.0, 3.0, 1000.0])
    np.testing.assert_allclose(activations.relu(z), [0, 0, 0, 3, 1000])
    np.testing.assert_allclose(activations.leaky_relu(z), [-10, -0.02, 0, 3, 1000])
    np.testing.assert_allclose(activations.elu(z), [-1, np.expm1(-2), 0, 3, 1000])
    np.testing.assert_allclose(
        activations.softplus(z), [0, np.log1p(np.exp(-2)), np.log(2), 3 + np.log1p(np.exp(-3)), 1000]
    )
    np.testing.assert_allclose(activations.tanh(z), np.tanh(z))
    np.testing.assert_allclose(activations.linear(z), z)
    np.testing.assert_allclose(ACTIVATIONS["sigmoid"].forward(z), sigmoid(z), atol=2e-16)
    # gelu (tanh form): 0 at 0, ≈ z for large z, ≈ 0 for very negative z, gelu(1) ≈ 0.8412 (exact erf form 0.8413)
    np.testing.assert_allclose(activations.gelu(z), [0, -0.0454023, 0, 2.9963627, 1000], atol=1e-6)
    assert activations.gelu(np.array([1.0]))[0] == pytest.approx(0.841192, abs=1e-6)


def test_existing_sigmoid_is_exact_in_both_tails():
    assert sigmoid(np.array([-40.0]))[0] == pytest.approx(4.248354255291589e-18, rel=1e-12)
    np.testing.assert_array_equal(sigmoid(np.array([-1000.0, 1000.0])), [0.0, 1.0])


def test_kernels_may_write_in_place():
    z = POINTS.copy()
    for activation in ACTIVATIONS.values():
        buffer = z.copy()
        activation.forward_into(buffer, buffer)
        np.testing.assert_array_equal(buffer, activation.forward(z))


def test_relu_family_flags_choose_he_initialisation():
    assert {name for name, a in ACTIVATIONS.items() if a.relu_family} == {
        "relu",
        "leaky_relu",
        "elu",
        "gelu",
        "softplus",
    }


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="Unknown activation 'swish'.*tanh"):
        get_activation("swish")
