"""Figures for the Clusters and Fill-the-blank tabs: how long a k-means step takes, how fast the word model trains.

    python benchmarks/bench_kmeans_words.py

Prints medians over repeats (the machine may be shared and noisy).
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from primer_gui.core import KMeans, MaskedWordModel
from primer_gui.core.text import load_text
from primer_gui.paths import resource


def median_seconds(action, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def kmeans_figures() -> None:
    X = np.random.default_rng(0).normal(size=(100_000, 2)) * 3.0
    for k in (5, 10):
        trainer = KMeans(k=k, init="random")
        trainer.set_data(X)
        seconds = median_seconds(trainer.step, repeats=21)
        print(f"k-means Lloyd step, 100 000 points, 2-D, k={k:2d}: {seconds * 1e3:7.2f} ms (median of 21)")
    trainer = KMeans(k=10, init="random", method="gradient", batch_size=256)
    trainer.set_data(X)
    seconds = median_seconds(trainer.step, repeats=201)
    print(f"k-means gradient step, batch 256, k=10:            {seconds * 1e6:7.1f} µs (median of 201)")


def word_model_figures() -> None:
    model = MaskedWordModel(load_text(resource("corpus.txt")))
    steps = 200
    print(f"word model: {len(model.vocabulary)} words, {model.n_points} training pairs, batch {model.batch_size}")
    seconds = median_seconds(lambda: model.run(steps), repeats=7)
    print(f"word model training: {steps * model.batch_size / seconds:,.0f} examples/s by run() (median of 7)")
    seconds = median_seconds(model.step, repeats=201)
    print(f"word model step() with its report: {seconds * 1e6:.0f} µs (median of 201)")


def main() -> None:
    kmeans_figures()
    word_model_figures()


if __name__ == "__main__":
    main()
