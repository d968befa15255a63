"""Every speed figure of the numeric core (issue 3, "Speed") side by side in one run, ending with a target table.

Run from the repository root::

    python benchmarks/bench_core.py            # about 20 s
    python benchmarks/bench_core.py --quick    # fewer repeats and shorter timings, about 6 s

It reuses the measurements of ``bench_mlp.py`` (MLP examples/s against the same
net in PyTorch and in pure Python; the decision grid) and of
``bench_kmeans_words.py`` (k-means step at 100 000 points; word-model
examples/s).  The three MLP implementations are timed in interleaved rounds
(ours, PyTorch, pure Python, ours, …), so a burst of load from another process
hits all of them alike; a ratio is the median of the per-round ratios.
PyTorch is optional: ``pip install torch==2.13.0`` gets the CPU build kept on
these machines (never a plain ``pip install torch``, and torch is never a
dependency of the app).  Without it the PyTorch columns say n/a.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling benchmark scripts

import bench_kmeans_words  # noqa: E402
import bench_mlp  # noqa: E402

from primer_gui.core.datasets import circle  # noqa: E402

#: the nets the targets name, by their key in ``bench_mlp.NETS``; ratio targets from issue 3
DEFAULT_NET = "2-4-2-1 tanh, tanh head + mse"
DEEP_NET = "2-8x6-1 tanh, tanh head + mse"
TARGETS = {DEFAULT_NET: 20.0, DEEP_NET: 12.0}
GRID_TARGET_MS = 1.0
#: Playground's engine (TypeScript on Node) on the default net, as measured on the machine issue 3 names
PLAYGROUND_DEFAULT = 876_000


def load_average() -> str:
    try:
        return ", ".join(f"{value:.2f}" for value in os.getloadavg()) + f" (1, 5, 15 min) on {os.cpu_count()} cores"
    except OSError:
        return "not available"


def interleaved_rates(measures: dict, rounds: int) -> dict[str, list[float]]:
    """examples/s of each ``measure()`` per round, taking turns; one untimed warm-up round first."""
    live = {name: measure for name, measure in measures.items() if measure is not None}
    for measure in live.values():
        measure()
    rates: dict[str, list[float]] = {name: [] for name in live}
    for _ in range(rounds):
        for name, measure in live.items():
            examples, seconds = measure()
            rates[name].append(examples / seconds)
    return rates


def mlp_figures(quick: bool) -> dict[str, dict]:
    """Per net of ``bench_mlp.NETS``: median examples/s of ours, torch, pure Python, and the paired ratios."""
    X, y = circle(bench_mlp.POINTS, noise=0.0, seed=0)
    rounds = 3 if quick else 7
    results = {}
    print(
        f"MLP examples/s, median of {rounds} interleaved rounds; batch {bench_mlp.BATCH}, "
        f"learning rate {bench_mlp.LEARNING_RATE}, {bench_mlp.POINTS} points of the circle"
    )
    print(f"{'net':46} {'NumPy MLP':>11} {'PyTorch':>10} {'pure Py':>9} {'vs torch':>9} {'vs pure':>8}")
    for name, (layer_sizes, head) in bench_mlp.NETS.items():
        shallow = len(layer_sizes) < 5
        scale = 0.4 if quick else 1.0
        measures = {
            "ours": bench_mlp.numpy_measure(layer_sizes, head, X, y, steps=int(scale * (20000 if shallow else 8000))),
            "torch": bench_mlp.torch_measure(layer_sizes, head, X, y, steps=int(scale * 1500)),
            "pure": bench_mlp.pure_python_measure(
                layer_sizes, head, X, y, steps=int(scale * (500 if shallow else 100))
            ),
        }
        rates = interleaved_rates(measures, rounds)
        row = {key: statistics.median(values) for key, values in rates.items()}
        for other in ("torch", "pure"):
            if other in rates:
                row[f"vs {other}"] = statistics.median(a / b for a, b in zip(rates["ours"], rates[other], strict=True))
        results[name] = row
        torch_text = f"{row['torch']:10,.0f}" if "torch" in row else f"{'n/a':>10}"
        ratio_text = f"{row['vs torch']:8.1f}×" if "torch" in row else f"{'n/a':>9}"
        print(f"{name:46} {row['ours']:11,.0f} {torch_text} {row['pure']:9,.0f} {ratio_text} {row['vs pure']:7.1f}×")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and shorter timings (about 6 s)")
    quick = parser.parse_args().quick
    try:
        import torch

        torch.set_num_threads(1)
        torch_text = f"torch {torch.__version__} (1 thread)"
    except ImportError:
        torch_text = "torch not importable (PyTorch columns n/a)"
    print(f"Python {platform.python_version()}, NumPy {np.__version__}, {torch_text}")
    print(f"load average at start: {load_average()}")
    print()

    mlp = mlp_figures(quick)
    grid_ms = bench_mlp.grid_milliseconds(100 if quick else 300)
    print(f"decision grid 100×100, every neuron's map (default net): {grid_ms:.3f} ms per call (median)")
    print()

    X = bench_kmeans_words.kmeans_points()
    lloyd_repeats, gradient_repeats = (7, 51) if quick else (21, 201)
    lloyd_ms = {k: 1e3 * bench_kmeans_words.kmeans_lloyd_seconds(k, lloyd_repeats, X) for k in (3, 10)}
    gradient_us = 1e6 * bench_kmeans_words.kmeans_gradient_seconds(gradient_repeats, X)
    for k, ms in lloyd_ms.items():
        print(f"k-means Lloyd step, 100 000 points, 2-D, k={k:2d}: {ms:7.2f} ms (median of {lloyd_repeats})")
    print(f"k-means gradient step, batch 256, k=10: {gradient_us:7.1f} µs (median of {gradient_repeats})")
    model = bench_kmeans_words.word_model()
    word_rate = bench_kmeans_words.word_model_rate(model, repeats=3 if quick else 7)
    print(
        f"word model ({len(model.vocabulary)} words, {model.n_points} pairs, batch {model.batch_size}): "
        f"{word_rate:,.0f} examples/s by run()"
    )
    print()
    print(f"load average at end: {load_average()}")
    print()

    rows = []
    for name, target in TARGETS.items():
        row = mlp[name]
        if "vs torch" in row:
            measured, met = (
                f"{row['vs torch']:.1f}× ({row['ours']:,.0f} vs {row['torch']:,.0f} ex/s)",
                ("yes" if row["vs torch"] >= target else "NO"),
            )
        else:
            measured, met = f"{row['ours']:,.0f} ex/s, torch n/a", "not measured"
        rows.append((f"MLP {name.split(',')[0]} vs PyTorch", measured, f"≥ {target:g}×", met))
    ours_default = mlp[DEFAULT_NET]["ours"]
    rows.append(
        (
            "MLP 2-4-2-1 examples/s (ambition)",
            f"{ours_default:,.0f} ex/s",
            f"> Playground engine ({PLAYGROUND_DEFAULT // 1000}k, other machine)",
            "not comparable here",
        )
    )
    rows.append(
        (
            "decision grid, all neuron maps",
            f"{grid_ms:.3f} ms",
            f"≤ {GRID_TARGET_MS:g} ms",
            "yes" if grid_ms <= GRID_TARGET_MS else "NO",
        )
    )
    for k, ms in lloyd_ms.items():
        rows.append((f"k-means Lloyd step, 100k pts, k={k}", f"{ms:.2f} ms", "— (figure only)", "—"))
    rows.append(("k-means gradient step, batch 256", f"{gradient_us:.1f} µs", "— (figure only)", "—"))
    rows.append(("word model training", f"{word_rate:,.0f} ex/s", "— (figure only)", "—"))
    widths = [max(len(str(row[i])) for row in [("figure", "measured", "target", "met"), *rows]) for i in range(4)]
    for row in [("figure", "measured", "target", "met"), tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


if __name__ == "__main__":
    main()
