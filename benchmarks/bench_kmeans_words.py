"""Figures for the Clusters and Fill-the-blank tabs: how long a k-means step takes, how fast the word model trains.

    python benchmarks/bench_kmeans_words.py

Prints medians over repeats (the machine may be shared and noisy).  The functions
that return the figures are also used by ``bench_core.py``.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from primer_gui.core import KMeans, MaskedWordModel
from primer_gui.core.text import load_text
from primer_gui.paths import resource

KMEANS_POINTS = 100_000


def median_seconds(action, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def kmeans_points() -> np.ndarray:
    return np.random.default_rng(0).normal(size=(KMEANS_POINTS, 2)) * 3.0


def kmeans_lloyd_seconds(k: int, repeats: int = 21, X: np.ndarray | None = None) -> float:
    """Median seconds of one Lloyd step (assign, then update) on 100 000 2-D points."""
    trainer = KMeans(k=k, init="random")
    trainer.set_data(kmeans_points() if X is None else X)
    return median_seconds(trainer.step, repeats)


def kmeans_gradient_seconds(repeats: int = 201, X: np.ndarray | None = None) -> float:
    """Median seconds of one mini-batch gradient step (batch 256, k=10) on the same points."""
    trainer = KMeans(k=10, init="random", method="gradient", batch_size=256)
    trainer.set_data(kmeans_points() if X is None else X)
    return median_seconds(trainer.step, repeats)


def word_model() -> MaskedWordModel:
    """The word model on the bundled corpus, with its defaults."""
    return MaskedWordModel(load_text(resource("corpus.txt")))


def word_model_rate(model: MaskedWordModel, repeats: int = 7, steps: int = 200) -> float:
    """Median examples/s of ``run(steps)``."""
    return steps * model.batch_size / median_seconds(lambda: model.run(steps), repeats)


def kmeans_figures() -> None:
    X = kmeans_points()
    for k in (5, 10):
        seconds = kmeans_lloyd_seconds(k, 21, X)
        print(f"k-means Lloyd step, 100 000 points, 2-D, k={k:2d}: {seconds * 1e3:7.2f} ms (median of 21)")
    seconds = kmeans_gradient_seconds(201, X)
    print(f"k-means gradient step, batch 256, k=10:            {seconds * 1e6:7.1f} µs (median of 201)")


def word_model_figures() -> None:
    model = word_model()
    print(f"word model: {len(model.vocabulary)} words, {model.n_points} training pairs, batch {model.batch_size}")
    rate = word_model_rate(model, repeats=7)
    print(f"word model training: {rate:,.0f} examples/s by run() (median of 7)")
    seconds = median_seconds(model.step, repeats=201)
    print(f"word model step() with its report: {seconds * 1e6:.0f} µs (median of 201)")


def main() -> None:
    kmeans_figures()
    word_model_figures()


if __name__ == "__main__":
    main()
