"""Probes for the training tests (importable as ``probes``, also by a trainer's child process)."""

from __future__ import annotations

import os
import sys

import numpy as np

from primer_gui.training.probe import Probe


class CountingProbe(Probe):
    """Metrics, a generator action, a plain action and queries, for the engine and runner tests."""

    series = ("loss", "twice the loss")

    def metrics(self, trainer):
        return (2.0 * trainer.loss(),)

    def track(self, trainer):
        return np.array([float(trainer.params["bias"])])

    def action_steps_in_slices(self, trainer, count: int):
        """Generator action: ``count`` steps, one per slice; returns the step count reached."""
        for _ in range(count):
            trainer.step()
            yield
        return trainer.step_count

    def action_double_rate(self, trainer):
        trainer.learning_rate = 2 * trainer.learning_rate
        return trainer.learning_rate

    def query_process(self, trainer):
        """Where the engine runs, and whether Qt was ever imported there."""
        return os.getpid(), any(name.startswith("PySide6") for name in sys.modules)

    def query_environment(self, trainer, variable: str):
        """An environment variable of the process the engine runs in."""
        return os.environ.get(variable)

    def query_fail(self, trainer):
        return 1 / 0


class BrokenExtraProbe(Probe):
    def extra(self, trainer):
        raise RuntimeError("the extra broke")
