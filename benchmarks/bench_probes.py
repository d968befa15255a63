"""Probes the benchmarks hand to a trainer's process: they must live in an importable module, not in a
script's ``__main__`` (the process imports a probe's module by name; it never re-imports the caller's main)."""

from __future__ import annotations

from primer_gui.training.probe import Probe


class UnlabelledProbe(Probe):
    """k-means rows are points with no targets."""

    def data(self, rows):
        return rows, None
