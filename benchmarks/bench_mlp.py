"""Neural-net trainer speed: examples per second, side by side, and the decision grid's time per call.

Run from the repository root::

    python benchmarks/bench_mlp.py            # about half a minute
    python benchmarks/bench_mlp.py --quick    # fewer repeats

The task is TensorFlow Playground's: 250 points of its circle set, batch 10,
learning rate 0.03, tanh hidden layers.  Nets: the default ``2→4→2→1`` with
Playground's tanh output and mse on ±1 labels, the same with our default sigmoid
output and cross-entropy on 0/1 labels, and Playground's largest, 6 hidden layers
of 8.  Each is timed with :class:`primer_gui.core.MLP` (``run``), with the same
net in PyTorch (CPU, one thread, autograd + ``torch.optim.SGD``; only if torch is
importable) and with a per-example pure-Python loop (no NumPy).  Every figure is
the median of several repeats, because the machine may be shared and noisy.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time
from itertools import pairwise

from primer_gui.core import MLP
from primer_gui.core.datasets import circle

BATCH, LEARNING_RATE, POINTS = 10, 0.03, 250
NETS = {
    "2-4-2-1 tanh, tanh head + mse": ((2, 4, 2, 1), "tanh"),
    "2-4-2-1 tanh, sigmoid head + cross-entropy": ((2, 4, 2, 1), "sigmoid"),
    "2-8x6-1 tanh, tanh head + mse": ((2, 8, 8, 8, 8, 8, 8, 1), "tanh"),
}


def median_rate(measure, repeats: int) -> float:
    """Median over ``repeats`` of ``examples / seconds`` returned by ``measure()``."""
    rates = []
    for _ in range(repeats):
        examples, seconds = measure()
        rates.append(examples / seconds)
    return statistics.median(rates)


def numpy_measure(layer_sizes, head, X, y, steps: int | None = None):
    """A ``measure()`` for :func:`median_rate`: ``MLP.run`` on the net, warmed up."""
    settings = dict(output_activation="tanh", loss="mse") if head == "tanh" else {}
    trainer = MLP(layer_sizes=layer_sizes, learning_rate=LEARNING_RATE, batch_size=BATCH, **settings)
    trainer.set_data(X, 2 * y - 1 if head == "tanh" else y)
    trainer.run(500)  # warm up: workspaces allocated, caches hot
    steps = steps or (20000 if len(layer_sizes) < 5 else 8000)

    def measure():
        start = time.perf_counter()
        trainer.run(steps)
        return steps * BATCH, time.perf_counter() - start

    return measure


def numpy_rate(layer_sizes, head, X, y, repeats: int) -> float:
    return median_rate(numpy_measure(layer_sizes, head, X, y), repeats)


def torch_measure(layer_sizes, head, X, y, steps: int = 1500):
    """A ``measure()`` for the same net in PyTorch (CPU, one thread), or ``None`` if torch is not importable."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    torch.manual_seed(0)
    layers = []
    for fan_in, fan_out in pairwise(layer_sizes):
        layers += [torch.nn.Linear(fan_in, fan_out, dtype=torch.float64), torch.nn.Tanh()]
    if head != "tanh":
        layers.pop()  # the sigmoid lives inside BCEWithLogitsLoss
    model = torch.nn.Sequential(*layers)
    loss_function = torch.nn.MSELoss() if head == "tanh" else torch.nn.BCEWithLogitsLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    inputs = torch.tensor(X)
    targets = torch.tensor(2 * y - 1 if head == "tanh" else y).reshape(-1, 1)

    def measure():
        start = time.perf_counter()
        done = 0
        while done < steps:
            order = torch.randperm(POINTS)
            for first in range(0, POINTS, BATCH):
                batch = order[first : first + BATCH]
                optimizer.zero_grad()
                loss = loss_function(model(inputs[batch]), targets[batch])
                loss.backward()
                optimizer.step()
                done += 1
        return done * BATCH, time.perf_counter() - start

    return measure


def torch_rate(layer_sizes, head, X, y, repeats: int) -> float | None:
    measure = torch_measure(layer_sizes, head, X, y)
    return None if measure is None else median_rate(measure, repeats)


def pure_python_measure(layer_sizes, head, X, y, steps: int | None = None):
    """Per-example forward and backward passes over Python lists, gradients summed over the batch."""
    rng = random.Random(0)
    weights = [
        [[rng.uniform(-1, 1) * math.sqrt(6 / (a + b)) for _ in range(b)] for _ in range(a)]
        for a, b in pairwise(layer_sizes)
    ]
    biases = [[0.0] * b for b in layer_sizes[1:]]
    points = X.tolist()
    labels = (2 * y - 1 if head == "tanh" else y).tolist()
    last = len(weights) - 1

    def train_batch(indices):
        grad_w = [[[0.0] * len(row) for row in layer] for layer in weights]
        grad_b = [[0.0] * len(b) for b in biases]
        for i in indices:
            activations = [points[i]]
            for k, (layer, bias) in enumerate(zip(weights, biases, strict=True)):
                h = activations[-1]
                z = [sum(h[a] * layer[a][b] for a in range(len(h))) + bias[b] for b in range(len(bias))]
                if k == last and head != "tanh":
                    activations.append(z)  # logits; the error below is sigmoid(z) − y
                else:
                    activations.append([math.tanh(v) for v in z])
            out = activations[-1][0]
            if head == "tanh":
                delta = [2 * (out - labels[i]) * (1 - out * out) / len(indices)]
            else:
                delta = [(1 / (1 + math.exp(-out)) - labels[i]) / len(indices)]
            for k in range(last, -1, -1):
                h = activations[k]
                for a in range(len(h)):
                    for b in range(len(delta)):
                        grad_w[k][a][b] += h[a] * delta[b]
                for b in range(len(delta)):
                    grad_b[k][b] += delta[b]
                if k:
                    delta = [
                        sum(weights[k][a][b] * delta[b] for b in range(len(delta))) * (1 - h[a] * h[a])
                        for a in range(len(h))
                    ]
        for k in range(last + 1):
            for a, row in enumerate(weights[k]):
                for b in range(len(row)):
                    row[b] -= LEARNING_RATE * grad_w[k][a][b]
            for b in range(len(biases[k])):
                biases[k][b] -= LEARNING_RATE * grad_b[k][b]

    steps = steps or (500 if len(layer_sizes) < 5 else 100)

    def measure():
        start = time.perf_counter()
        done = 0
        while done < steps:
            order = list(range(POINTS))
            rng.shuffle(order)
            for first in range(0, POINTS, BATCH):
                train_batch(order[first : first + BATCH])
                done += 1
        return done * BATCH, time.perf_counter() - start

    return measure


def pure_python_rate(layer_sizes, head, X, y, repeats: int) -> float:
    return median_rate(pure_python_measure(layer_sizes, head, X, y), repeats)


def grid_milliseconds(repeats: int) -> float:
    trainer = MLP()
    trainer.set_data(*circle(POINTS, seed=0))
    trainer.run(1000)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        trainer.decision_grid((-6, 6), (-6, 6), 100)
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    repeats = 3 if parser.parse_args().quick else 7
    X, y = circle(POINTS, noise=0.0, seed=0)
    print(f"examples/s, median of {repeats}; batch {BATCH}, learning rate {LEARNING_RATE}, {POINTS} points")
    print(f"{'net':46} {'NumPy MLP':>11} {'PyTorch':>10} {'pure Py':>9} {'vs torch':>9} {'vs pure':>8}")
    for name, (layer_sizes, head) in NETS.items():
        ours = numpy_rate(layer_sizes, head, X, y, repeats)
        theirs = torch_rate(layer_sizes, head, X, y, repeats)
        pure = pure_python_rate(layer_sizes, head, X, y, max(3, repeats // 2))
        torch_text = f"{theirs:10,.0f}" if theirs else f"{'n/a':>10}"
        ratio_text = f"{ours / theirs:8.1f}×" if theirs else f"{'':>9}"
        print(f"{name:46} {ours:11,.0f} {torch_text} {pure:9,.0f} {ratio_text} {ours / pure:7.1f}×")
    print(f"decision grid 100×100, every neuron's map (default net): {grid_milliseconds(300):.3f} ms per call (median)")


if __name__ == "__main__":
    main()
