"""The Neural net tab's own figures (issue 9, "Speed and smoothness"), in one run of about a minute.

    python benchmarks/bench_neural_net.py [--seconds S] [--repeats R]

Prints figures, not pass/fail:

1. bare ``MLP.run`` updates per second for the tab's largest network — 6 hidden layers of 8
   neurons on all seven input features — on the spiral (250 training points, batch 10), no GUI;
2. the same network training at full speed in the tab (the real trainer process, a 1280×800 window,
   every thumbnail live): drawn snapshots and window repaints per second, the GUI thread's timer
   lateness (p50 / p99 / max of a 5 ms timer), the cost of one ``show_snapshot``, and the
   trainer's updates per second as a share of the bare speed;
3. TensorFlow Playground's default task (circle, 2-4-2-1 tanh, batch 10, learning rate 0.03) through
   the GUI: seconds from Play until the test accuracy the tab records reaches 95 %;
4. the GUI thread's own CPU per drawn frame (a snapshot drawn and the window repainted), measured
   in-process with no trainer alongside, for the default network and the big one: what a frame costs
   the GUI whatever else the machine is doing.

Without a display it uses ``QT_QPA_PLATFORM=offscreen`` (Qt's raster backing store: painting is real).
Your QSettings are never touched (an INI file in a temporary folder).  The load average is printed:
the machine's other work changes every figure, so compare runs on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace

import numpy as np
from gui_watch import Watch, application, event_loop_for, make_window, wait_until

from primer_gui.core import MLP
from primer_gui.panels.neural_net_probe import FEATURES, NeuralNetProbe, make_rows

BIG = ((8,) * 6, tuple(FEATURES))


def bare_updates_per_second(seconds: float) -> float:
    hidden, features = BIG
    probe = NeuralNetProbe(features)
    net = MLP(layer_sizes=(len(features), *hidden, 1), learning_rate=0.03, batch_size=10)
    net.set_data(*probe.data(make_rows("spiral", 500, 0, 50, 0)))
    net.run(2000)  # warm up
    rates = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        net.run(5000)
        rates.append(5000 / (time.perf_counter() - start))
    return statistics.median(rates)


def open_window(threaded: bool = True):
    window = make_window("neural_net", seed=0, threaded=threaded)
    return window, window.panel("neural_net")


def live(panel, window, seconds: float) -> dict:
    """The big network on the spiral at full speed, every thumbnail live."""
    hidden, features = BIG
    panel.data_box.dataset.setCurrentText("spiral")
    panel.change_architecture(replace(panel.architecture, hidden=hidden, features=features), "benchmark")
    wait_until(lambda: panel.runner.latest.hyperparameters["layer_sizes"][0] == len(features), 10)
    watch = Watch(panel, window)
    panel.toggle_play()
    wait_until(lambda: panel.runner.playing, 10)
    event_loop_for(1.0)  # warm up
    figures = watch.measure(seconds)
    panel.toggle_play()
    wait_until(lambda: not panel.runner.playing, 5)
    watch.close()
    return figures


def frame_cost(big: bool, frames: int = 60) -> float:
    """CPU milliseconds the GUI thread spends per frame — one snapshot drawn and the window repainted —
    measured in-process (no trainer running alongside), for the default network or the big one."""
    from dataclasses import replace as copy_with

    from PySide6.QtWidgets import QApplication

    window, panel = open_window(threaded=False)
    if big:
        hidden, features = BIG
        panel.data_box.dataset.setCurrentText("spiral")
        panel.change_architecture(replace(panel.architecture, hidden=hidden, features=features), "benchmark")
    panel.runner.step(300)
    for plot in panel.plots():
        plot.set_live(True)
    snapshots = []
    for _ in range(frames):
        panel.runner.step(20)
        snapshots.append(copy_with(panel.runner.latest, playing=True, report_new=False))
    panel.runner.step(1)  # the inspector shows one report throughout, as while playing
    snapshots = [copy_with(s, report=panel.runner.report, report_revision=-1) for s in snapshots]
    for snapshot in snapshots[:5]:
        panel._on_runner_snapshot_ready(snapshot)
        QApplication.processEvents()
    start = time.thread_time()
    for snapshot in snapshots:
        panel._on_runner_snapshot_ready(snapshot)
        QApplication.processEvents()
    cost = (time.thread_time() - start) / len(snapshots) * 1000
    window.close()
    return cost


def playground_default(panel, repeats: int) -> list[float]:
    """Seconds from Play to 95 % test accuracy on the circle with Playground's defaults."""
    from primer_gui.panels.neural_net import Architecture

    panel.change_architecture(Architecture(), "back to the default network")
    panel.data_box.dataset.setCurrentText("circle")
    panel.controls.learning_rate_box.setValue(0.03)
    panel.controls.batch_box.setValue(10)
    times = []
    for seed in range(repeats):
        panel.data_box.seed.setValue(seed)  # a new draw of the circle each time
        panel.reset()
        wait_until(lambda: panel.runner.latest.step == 0, 5)
        start = time.perf_counter()
        panel.toggle_play()
        reached = wait_until(lambda: panel.runner.history.latest("test accuracy") >= 0.95, 30)
        times.append(time.perf_counter() - start if reached else float("inf"))
        panel.toggle_play()
        wait_until(lambda: not panel.runner.playing, 5)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="how long to measure the live window")
    parser.add_argument("--repeats", type=int, default=3, help="runs of Playground's default task")
    args = parser.parse_args(argv)
    print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    bare = bare_updates_per_second(3.0)
    print(f"1. bare MLP.run, 7-8-8-8-8-8-8-1 on the spiral, batch 10: {bare:,.0f} updates/s")
    window, panel = open_window()
    wait_until(lambda: panel.runner.latest is not None, 10)
    figures = live(panel, window, args.seconds)
    share = figures["updates_per_s"] / bare
    print(
        "2. the same network in the tab (1280×800, every thumbnail live, the trainer's own process):\n"
        f"   {figures['snapshots_per_s']:.1f} snapshots drawn/s, {figures['repaints_per_s']:.1f} window repaints/s\n"
        f"   GUI timer lateness p50 {figures['late_p50']:.1f} ms, p99 {figures['late_p99']:.1f} ms, "
        f"max {figures['late_max']:.1f} ms\n"
        f"   show_snapshot p50 {figures['draw_p50']:.2f} ms, p99 {figures['draw_p99']:.2f} ms; "
        f"GUI thread {figures['gui_cpu']:.0%} of a core\n"
        f"   trainer {figures['updates_per_s']:,.0f} updates/s = {share:.0%} of the bare speed"
    )
    times = playground_default(panel, args.repeats)
    shown = ", ".join(f"{t:.2f} s" for t in times)
    print(f"3. Playground's default task to 95 % test accuracy through the GUI: {shown}")
    window.close()
    application().processEvents()
    small, big = frame_cost(False), frame_cost(True)
    print(
        f"4. GUI thread CPU per drawn frame, in-process (snapshot drawn + window repainted): default net "
        f"{small:.1f} ms, 6×8 net on all inputs {big:.1f} ms"
    )
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    rows = [
        ("drawn snapshots/s (target ≥ 58)", f"{figures['snapshots_per_s']:.1f}", figures["snapshots_per_s"] >= 58),
        ("GUI lateness p99 (target ≤ 20 ms)", f"{figures['late_p99']:.1f} ms", figures["late_p99"] <= 20),
        ("training speed while shown (target ≥ 50 %)", f"{share:.0%}", share >= 0.5),
        ("default task to 95 % (target ≤ 5 s)", f"{np.median(times):.2f} s (median)", np.median(times) <= 5),
        ("GUI CPU per frame, 6×8 net (60 fps needs < 16.7 ms)", f"{big:.1f} ms", big < 1000 / 60),
    ]
    print("\nfigure                                        value            met")
    for name, value, ok in rows:
        print(f"{name:<45} {value:<16} {'yes' if ok else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
