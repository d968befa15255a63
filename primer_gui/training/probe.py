"""Probe: what a tab reads from its trainer between steps, in whichever process trains it.

While a tab plays, its trainer lives in a child process (see :mod:`.runner`), so
everything a tab wants computed next to the trainer must travel there as data:
a probe is a small picklable object (module-level class, plain attributes) that
the engine calls between steps.  It never imports Qt.  A tab subclasses it in
its own ``panels/<tab>_probe.py`` and overrides what it needs:

``series``
    the named series recorded in the history, ``"loss"`` (the full training
    objective) first; :meth:`metrics` supplies the others.
``loss(trainer)``
    the value recorded as ``"loss"``: ``trainer.loss()`` unless a tab's data are
    too large for a full forward pass every recording (the word model on a
    book: then an estimate, which the tab must say it is).
``trace_divergence``
    True makes Play train one step at a time and record every step while the
    loss grows, so a divergence, over in milliseconds, leaves its zig-zag on a
    landscape's path (otherwise the history is recorded once per frame).
``data(rows)``
    the editable rows ``(x…, target)`` → ``(X, y)`` for ``trainer.set_data``.
    It is also how an edit is checked *before* it is accepted: the GUI calls
    :meth:`check_rows` with the rows an edit would produce.
``track(trainer)``
    parameters recorded with each history record (a landscape's path).
``metrics(trainer)``
    values of the other series, measured when the loss is recorded.
``extra(trainer)``
    anything else a snapshot should carry (a decision grid, cluster labels…).
``params(trainer)``
    the parameters a snapshot carries (all of them by default).
``configure(**settings)``
    GUI settings the probe uses (the sentence in a box, a grid's extent, which
    input features are on); returns True when the training data must be rebuilt.
``action_<name>(trainer, **kwargs)``
    a custom command (k-means' half-steps, a sweep): a plain function, or a
    generator whose every ``next()`` is one slice of work, so a long action is
    interruptible; what it returns (or its generator returns) reaches the GUI as
    ``(name, result)``.
``query_<name>(trainer, **kwargs)``
    a question the GUI waits for (a top-k list, a similarity matrix).
``run(trainer, units)`` and ``progress(trainer)``
    what Play does: ``units`` updates by ``trainer.run`` and the count of updates
    done, by default.  A tab whose Play is not plain updates overrides both
    (k-means plays Lloyd's two half-steps one at a time, so that at a slow speed
    each half is seen): the engine paces Play by ``progress`` (units per second)
    and calls ``run`` for the units due.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.trainer import Params, StepReport, Trainer


class Probe:
    series: tuple[str, ...] = ("loss",)
    #: while the loss grows, train one step at a time and record each (see the module docstring)
    trace_divergence = False

    def data(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Rows ``(x…, target)`` → ``(X, y)``."""
        return rows[:, :-1], rows[:, -1]

    def check_rows(self, trainer: Trainer, rows: np.ndarray) -> None:
        """Raise ``ValueError`` (a sentence) if ``trainer`` would refuse these rows; changes nothing."""
        if rows.shape[0]:
            trainer.check_data(*self.data(rows))

    def loss(self, trainer: Trainer) -> float:
        """The value of the ``"loss"`` series: the full training objective."""
        return trainer.loss()

    def track(self, trainer: Trainer) -> np.ndarray | None:
        return None

    def metrics(self, trainer: Trainer) -> tuple[float, ...]:
        """Values of ``series[1:]``, in order."""
        return ()

    def extra(self, trainer: Trainer) -> dict[str, Any]:
        return {}

    def params(self, trainer: Trainer) -> Params:
        return trainer.params

    def configure(self, **settings: Any) -> bool:
        for name, value in settings.items():
            setattr(self, name, value)
        return False

    def run(self, trainer: Trainer, units: int) -> StepReport | None:
        """Play's work: ``units`` units of it (updates, by default); the report of the last update."""
        return trainer.run(units)

    def progress(self, trainer: Trainer) -> int:
        """The units of Play's work done so far (updates, by default): what its speed counts."""
        return trainer.step_count

    def report_rows(self, trainer: Trainer, batch: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """The rows a step used, for the step inspector (copies)."""
        return trainer.X[batch].copy(), None if trainer.y is None else trainer.y[batch].copy()
