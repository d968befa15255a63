"""The one finite-difference check every gradient test uses (importable as ``gradients``)."""

from __future__ import annotations

import numpy as np

from primer_gui.core.trainer import Trainer, copy_params


def numerical_gradients(trainer: Trainer, h: float = 1e-6) -> dict[str, np.ndarray]:
    """Central differences of ``trainer.loss()`` (the full objective) in every parameter entry."""
    params = trainer.params
    numeric = {}
    for name, value in params.items():
        numeric[name] = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            shifted = copy_params(params)
            shifted[name][index] = value[index] + h
            trainer.set_params(**shifted)
            plus = trainer.loss()
            shifted[name][index] = value[index] - h
            trainer.set_params(**shifted)
            numeric[name][index] = (plus - trainer.loss()) / (2 * h)
    trainer.set_params(**params)
    return numeric


def assert_gradients_match(trainer: Trainer, rtol: float = 1e-5, atol: float = 1e-8) -> None:
    """``trainer.gradients()`` agrees with central differences, and the check is not vacuous."""
    analytic, numeric = trainer.gradients(), numerical_gradients(trainer)
    assert analytic.keys() == numeric.keys()
    for name in analytic:
        np.testing.assert_allclose(analytic[name], numeric[name], rtol=rtol, atol=atol, err_msg=name)
    assert max(np.abs(value).max() for value in analytic.values()) > 1e-4
