"""Activation functions and their derivatives, stable for any finite input.

Each function is an :class:`Activation` in :data:`ACTIVATIONS`, looked up by name
(``ACTIVATIONS["tanh"]``).  An activation offers, for a person or a plot:

* ``forward(z)`` — the function ``f(z)``;
* ``derivative(z)`` — its derivative ``f'(z)``;
* ``derivative_from_output(a)`` — the same derivative written in terms of the
  output ``a = f(z)`` where that is possible (``tanh' = 1 − a²``,
  ``sigmoid' = a(1 − a)``); backpropagation then needs only the stored outputs.
  ``from_output`` says whether it exists (it does not for ``gelu``).

and, for the neural network's hot loop, the same maths as kernels that write
into a given array (``forward_into(z, out)``, ``derivative_into(z, out)``,
``derivative_from_output_into(a, out)``; ``out`` may be the input itself), so a
training step allocates nothing.

No formula here overflows or warns, even at ±1000: exponentials only ever see
non-positive arguments, and the one cubic (gelu's) is clipped where the tanh
around it is already exactly ±1.

``relu_family`` marks the functions that behave like ``max(z, 0)`` (identity for
large positive inputs, flat for negative ones): relu, leaky_relu, elu, gelu and
softplus.  A network initialises their layers with He-uniform weights, the
others (linear, sigmoid, tanh) with Glorot/Xavier-uniform.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Kernel = Callable[[np.ndarray, np.ndarray], np.ndarray]

#: slope of leaky_relu for negative inputs
LEAKY_SLOPE = 0.01
#: gelu's tanh approximation: gelu(z) ≈ ½·z·(1 + tanh(√(2/π)·(z + 0.044715·z³)))
GELU_SCALE = math.sqrt(2.0 / math.pi)
GELU_CUBIC = 0.044715
#: beyond ±10 gelu's tanh is exactly ±1 in double precision, so the cubic is clipped there (no overflow)
_GELU_CLIP = 10.0


def sigmoid(z: np.ndarray) -> np.ndarray:
    """``1 / (1 + e^−z)``, computed without overflow for any ``z`` (±1000 included).

    Exact in relative terms in both tails (``sigmoid(−40)`` is 4.2e−18, not 0);
    logistic regression and the losses use it.  The network's kernel below uses
    the identity ``sigmoid(z) = ½ + ½·tanh(z/2)`` instead: one ufunc fewer per
    step, absolute error below 2e−16, but values under about 1e−16 round to 0.
    """
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


# -- kernels: (input, out) -> out ------------------------------------------------------
#: constants as 0-d arrays: a ufunc takes one ~100 ns faster than a Python float, which it converts on
#: every call; these kernels run per layer per step, so the MLP's fused loop feels it (+5 % examples/s)
_HALF, _ONE = np.array(0.5), np.array(1.0)


def _identity_into(z, out):
    np.copyto(out, z)
    return out


def _ones_into(z, out):
    out.fill(1.0)
    return out


def _sigmoid_into(z, out):
    np.multiply(z, _HALF, out)
    np.tanh(out, out)
    np.multiply(out, _HALF, out)
    return np.add(out, _HALF, out)


def _sigmoid_derivative_from_output_into(a, out):
    np.subtract(_ONE, a, out)
    return np.multiply(out, a, out)


def _tanh_derivative_from_output_into(a, out):
    np.multiply(a, a, out)
    return np.subtract(_ONE, out, out)


def _relu_into(z, out):
    return np.maximum(z, 0.0, out=out)


def _relu_derivative_into(z, out):
    """1 where z > 0, else 0 (the derivative at 0 is taken as 0); also valid from the output a."""
    return np.greater(z, 0.0, out)


def _leaky_relu_into(z, out):
    # max(z, 0.01·z) is z for z ≥ 0 and 0.01·z for z < 0
    return np.maximum(z, LEAKY_SLOPE * z, out=out)


def _leaky_relu_derivative_into(z, out):
    """1 where z > 0, else 0.01; also valid from the output (same sign as z)."""
    np.greater(z, 0.0, out)
    np.multiply(out, 1.0 - LEAKY_SLOPE, out)
    return np.add(out, LEAKY_SLOPE, out)


def _elu_into(z, out):
    # z for z > 0, e^z − 1 for z ≤ 0; expm1 only sees min(z, 0), so it never overflows
    negative_part = np.expm1(np.minimum(z, 0.0))
    np.maximum(z, 0.0, out=out)
    return np.add(out, negative_part, out)


def _elu_derivative_into(z, out):
    # 1 for z > 0, e^z for z ≤ 0
    np.minimum(z, 0.0, out=out)
    return np.exp(out, out)


def _elu_derivative_from_output_into(a, out):
    # for z ≤ 0, e^z = a + 1; for z > 0 the derivative is 1 = min(a, 0) + 1
    np.minimum(a, 0.0, out=out)
    return np.add(out, 1.0, out)


def _gelu_tanh(z):
    """``t = tanh(√(2/π)·(c + 0.044715·c³))`` with ``c`` = z clipped to ±10 (t is exactly ±1 beyond)."""
    clipped = np.clip(z, -_GELU_CLIP, _GELU_CLIP)
    return clipped, np.tanh(GELU_SCALE * (clipped + GELU_CUBIC * clipped**3))


def _gelu_into(z, out):
    _, t = _gelu_tanh(z)
    np.add(t, 1.0, t)
    np.multiply(t, 0.5, t)
    return np.multiply(z, t, out)


def _gelu_derivative_into(z, out):
    # d/dz ½z(1 + t) = ½(1 + t) + ½·z·(1 − t²)·√(2/π)·(1 + 3·0.044715·z²); where |z| > 10, 1 − t² = 0 exactly
    clipped, t = _gelu_tanh(z)
    inner = GELU_SCALE * (1.0 + 3.0 * GELU_CUBIC * clipped**2)
    slope = 0.5 * clipped * (1.0 - t * t) * inner
    np.add(t, 1.0, out)
    np.multiply(out, 0.5, out)
    return np.add(out, slope, out)


def _softplus_into(z, out):
    # log(1 + e^z) = max(z, 0) + log1p(e^−|z|)
    tail = np.log1p(np.exp(-np.abs(z)))
    np.maximum(z, 0.0, out=out)
    return np.add(out, tail, out)


def _softplus_derivative_into(z, out):
    np.copyto(out, sigmoid(z))
    return out


def _softplus_derivative_from_output_into(a, out):
    # a = log(1 + e^z) ⇒ sigmoid(z) = 1 − e^−a = −expm1(−a), accurate for tiny a too
    np.negative(a, out)
    np.expm1(out, out)
    return np.negative(out, out)


@dataclass(frozen=True)
class Activation:
    """An activation function, its derivative and in-place kernels; see the module docstring."""

    name: str
    forward_into: Kernel
    derivative_into: Kernel
    derivative_from_output_into: Kernel | None
    relu_family: bool = False

    @property
    def from_output(self) -> bool:
        """Whether the derivative can be computed from the output ``a = f(z)`` alone."""
        return self.derivative_from_output_into is not None

    def forward(self, z) -> np.ndarray:
        z = np.asarray(z, dtype=float)
        return self.forward_into(z, np.empty_like(z))

    def derivative(self, z) -> np.ndarray:
        z = np.asarray(z, dtype=float)
        return self.derivative_into(z, np.empty_like(z))

    def derivative_from_output(self, a) -> np.ndarray:
        if self.derivative_from_output_into is None:
            raise ValueError(f"The derivative of {self.name} cannot be computed from its output; use derivative(z).")
        a = np.asarray(a, dtype=float)
        return self.derivative_from_output_into(a, np.empty_like(a))


def _from_output(forward: Kernel, from_output: Kernel) -> Kernel:
    """The derivative at ``z`` as ``from_output(forward(z))`` (a kernel may not read and write one array)."""

    def derivative_into(z, out):
        return from_output(forward(z, np.empty_like(out)), out)

    return derivative_into


ACTIVATIONS: dict[str, Activation] = {
    "linear": Activation("linear", _identity_into, _ones_into, _ones_into),
    "sigmoid": Activation(
        "sigmoid",
        _sigmoid_into,
        _from_output(_sigmoid_into, _sigmoid_derivative_from_output_into),
        _sigmoid_derivative_from_output_into,
    ),
    "tanh": Activation(
        "tanh", np.tanh, _from_output(np.tanh, _tanh_derivative_from_output_into), _tanh_derivative_from_output_into
    ),
    "relu": Activation("relu", _relu_into, _relu_derivative_into, _relu_derivative_into, relu_family=True),
    "leaky_relu": Activation(
        "leaky_relu", _leaky_relu_into, _leaky_relu_derivative_into, _leaky_relu_derivative_into, relu_family=True
    ),
    "elu": Activation("elu", _elu_into, _elu_derivative_into, _elu_derivative_from_output_into, relu_family=True),
    "gelu": Activation("gelu", _gelu_into, _gelu_derivative_into, None, relu_family=True),
    "softplus": Activation(
        "softplus",
        _softplus_into,
        _softplus_derivative_into,
        _softplus_derivative_from_output_into,
        relu_family=True,
    ),
}


def get_activation(name: str) -> Activation:
    """The activation called ``name`` or a ``ValueError`` listing the known ones."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        known = ", ".join(ACTIVATIONS)
        raise ValueError(f"Unknown activation {name!r}; choose one of {known}.") from None


# Plain functions for a person or a plot: f(z) and f'(z).
linear = ACTIVATIONS["linear"].forward
linear_derivative = ACTIVATIONS["linear"].derivative
sigmoid_derivative = ACTIVATIONS["sigmoid"].derivative
tanh = ACTIVATIONS["tanh"].forward
tanh_derivative = ACTIVATIONS["tanh"].derivative
relu = ACTIVATIONS["relu"].forward
relu_derivative = ACTIVATIONS["relu"].derivative
leaky_relu = ACTIVATIONS["leaky_relu"].forward
leaky_relu_derivative = ACTIVATIONS["leaky_relu"].derivative
elu = ACTIVATIONS["elu"].forward
elu_derivative = ACTIVATIONS["elu"].derivative
gelu = ACTIVATIONS["gelu"].forward
gelu_derivative = ACTIVATIONS["gelu"].derivative
softplus = ACTIVATIONS["softplus"].forward
softplus_derivative = ACTIVATIONS["softplus"].derivative
