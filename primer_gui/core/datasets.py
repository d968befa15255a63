"""Seeded data generators for the tabs.  Every generator takes ``seed`` and is pure."""

from __future__ import annotations

import numpy as np

#: axis labels of :func:`house_prices`, in the units the numbers are in
HOUSE_SIZE_LABEL = "size (100 m²)"
HOUSE_PRICE_LABEL = "price (100 000 €)"


def house_prices(n: int = 30, noise: float = 0.3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """House size vs price: the primer's first regression example.

    Sizes are uniform between 40 and 250 m², given in hundreds of m² so that both
    axes are of order one (gradient descent then converges at learning rates a
    person would try).  Price ≈ 0.5 + 1.8 × size (in 100 000 €) plus Gaussian
    noise of standard deviation ``noise``.  Returns ``X`` of shape ``(n, 1)`` and
    ``y`` of shape ``(n,)``.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1; got {n}.")
    if noise < 0:
        raise ValueError(f"noise must be ≥ 0; got {noise}.")
    rng = np.random.default_rng(seed)
    size = rng.uniform(0.4, 2.5, n)
    price = 0.5 + 1.8 * size + rng.normal(0.0, noise, n)
    return size.reshape(-1, 1), price
