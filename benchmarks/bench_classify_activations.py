"""Smoothness of the Classify and Activations tabs while they train at full speed (about a minute).

    python benchmarks/bench_classify_activations.py [--seconds S]

For each scenario the real window (1280×800, offscreen without a display) is
built with the real threaded runners, Play is pressed, and for ``S`` seconds
(default 5) the GUI thread is watched:

* lateness of a 5 ms single-shot timer chain on the GUI thread (p50 / p99 / max;
  target p99 ≤ 20 ms) — the person's hand;
* snapshots drawn per second (target ≈ 60; the runner caps it there) and the
  cost of one ``show_snapshot`` (p50 / p99);
* the trainer's updates per second, from the snapshots' step counters.

Scenarios: Line fit (the reference: the kit's worked example); Classify with one
feature (40 and 5 000 points) and with two (blobs, 2 000 points); Activations (two
networks, each in its own process, both drawn) at the tab's default pace of 300
updates/s each, and at max speed.  Then the wall-clock seconds from Play until the
tanh network passes 0.9 accuracy, and the linear network's accuracy at that moment.
The machine's load matters (it is printed): compare runs, not single figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from gui_watch import Watch, application, event_loop_for, make_window, wait_until


def scenario(name: str, key: str, seconds: float, prepare=None) -> dict:
    window = make_window(key)
    panel = window.panel(key)
    if prepare is not None:
        prepare(panel)
    event_loop_for(0.5)
    watch = Watch(panel)
    if hasattr(panel, "linear_runner"):
        watch.also_time(panel.linear_runner, "_on_linear_runner_snapshot_ready")
    panel.toggle_play()
    wait_until(lambda: panel.runner.playing)
    event_loop_for(0.5)  # past the first frames
    figures = watch.measure(seconds)
    extra = {}
    if hasattr(panel, "linear_runner"):
        extra = {
            "tanh_accuracy": panel.runner.history.latest("accuracy"),
            "linear_accuracy": panel.linear_runner.history.latest("accuracy"),
            "linear_updates": panel.linear_runner.latest.step,
        }
    panel.toggle_play()
    wait_until(lambda: not panel.runner.playing)
    window.close()
    print(
        f"{name:<34} late p50 {figures['late_p50']:5.1f}  p99 {figures['late_p99']:5.1f}  "
        f"max {figures['late_max']:6.1f} ms"
        f" · {figures['snapshots_per_s']:5.1f} snapshots/s · draw p50 {figures['draw_p50']:4.1f} p99 "
        f"{figures['draw_p99']:5.1f} ms · {figures['updates_per_s']:,.0f} updates/s",
        flush=True,
    )
    if extra:
        print(
            f"{'':<34} tanh accuracy {extra['tanh_accuracy']:.3f}, linear {extra['linear_accuracy']:.3f} "
            f"(linear network at step {extra['linear_updates']:,})",
            flush=True,
        )
    return figures


def time_to_accuracy(threshold: float = 0.9, timeout: float = 30.0) -> tuple[float, float, float]:
    """Seconds from Play until the tanh network passes ``threshold``; the linear network's accuracy then."""
    from primer_gui.panels.activations_probe import majority_baseline

    window = make_window("activations", size=None)
    panel = window.panel("activations")
    event_loop_for(0.5)
    start = time.perf_counter()
    panel.toggle_play()
    reached = wait_until(lambda: panel.runner.history.latest("accuracy") > threshold, timeout)
    seconds = time.perf_counter() - start if reached else float("nan")
    linear = panel.linear_runner.history.latest("accuracy")
    baseline = majority_baseline(panel.rows[:, 2])
    panel.toggle_play()
    wait_until(lambda: not panel.runner.playing)
    window.close()
    return seconds, linear, baseline


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds measured per scenario")
    args = parser.parse_args(argv)
    from primer_gui.panels.classify import make_rows

    app = application()
    app.setApplicationName("Primer benchmark")
    print(f"load average at start: {os.getloadavg()}  (2 cores on the machine this was written on)")

    def many_numbers(panel) -> None:
        panel.replace_data(make_rows("is it positive?", 5000, 0.2, 1), "big")

    def at_max_speed(panel) -> None:
        panel.controls.speed_box.setCurrentText("max")

    def plane(panel) -> None:
        panel.data_box.points_box.setValue(2000)
        panel.mode_box.setCurrentText("two features (a plane)")

    scenarios = [
        ("Line fit (the kit's reference)", "line_fit", None),
        ("Classify, one feature, 40 points", "classify", None),
        ("Classify, one feature, 5 000", "classify", many_numbers),
        ("Classify, two features, 2 000", "classify", plane),
        ("Activations (300 updates/s each)", "activations", None),
        ("Activations, both at max speed", "activations", at_max_speed),
    ]
    results = {name: scenario(name, key, args.seconds, prepare) for name, key, prepare in scenarios}
    seconds, linear, baseline = time_to_accuracy()
    print(
        f"Activations: tanh network past 0.9 accuracy {seconds:.2f} s after Play; the linear one then "
        f"{linear:.3f} (majority baseline {baseline:.3f})"
    )
    print(f"load average at end: {os.getloadavg()}")
    print("\nfigure                              p99 lateness (target ≤ 20 ms)   snapshots/s (target ≈ 60)")
    for name, figures in results.items():
        ok = "met" if figures["late_p99"] <= 20 else "NOT met"
        print(f"{name:<36}{figures['late_p99']:6.1f} ms  {ok:<20}{figures['snapshots_per_s']:6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
