"""The Clusters tab at 10 000 points: is the GUI smooth while it trains? (about a minute)

    python benchmarks/bench_clusters.py [--seconds S] [--points N]

Prints figures, not pass/fail.  On the real threaded runner (the trainer in its
own process), with the app's window, for each way of training:

* paused: the GUI alone (the baseline of the event loop's lateness);
* Lloyd, 30 half-steps/s: each half-step a picture (the points recolour at every assign);
* gradient descent, max speed, batches of 100, k = 10 on uniform noise: the centres and the
  colours of the points change in every snapshot (the most work per frame for the GUI);
* and, for reference at the same time on the same machine, Line fit playing at max speed;

the lateness of a 5 ms timer on the GUI thread (p50 / p99 / max, target p99 ≤ 20 ms),
snapshots drawn per second, window repaints per second, the GUI's time per
``show_snapshot`` (p50 / p99) and the trainer's updates per second.  Then the time
Lloyd's Play takes to converge from a random start at max speed, measured from Play to the
first snapshot that says "converged" (there Play stops by itself: Lloyd at max speed is over
too soon to measure its smoothness; 30 half-steps/s draws every half-step instead).

The event-loop and lateness machinery is gui_watch's, the same timer and frame counting as every GUI benchmark's.
The machine's load matters: the load average is printed; compare runs, not single figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from gui_watch import Watch, application, event_loop_for, make_window, wait_until


def prepare(panel, dataset: str, points: int, k: int, method: str, speed: str, init: str = "random") -> None:
    panel.data_box.dataset_box.setCurrentText(dataset)
    panel.data_box.points_box.setValue(points)
    panel.data_box.new_button.click()
    panel.k_box.setValue(k)
    panel.method_box.setCurrentIndex(panel.method_box.findData(method))
    if method == "gradient":
        panel.controls.batch_box.setValue(100)
    panel.init_box.setCurrentIndex(panel.init_box.findData(init))
    panel.init_box.activated.emit(panel.init_box.currentIndex())
    panel.controls.speed_box.setCurrentText(speed)
    event_loop_for(0.5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="seconds per measurement")
    parser.add_argument("--points", type=int, default=10_000)
    args = parser.parse_args(argv)

    from primer_gui.tabs import KEYS

    app = application()
    print(f"load average at start: {os.getloadavg()}; {os.cpu_count()} cores; {args.points:,} points")
    rows = []
    window = make_window("clusters", size=None)
    panel = window.panels["clusters"]
    runner = panel.runner
    event_loop_for(0.5)
    watch = Watch(panel, window)
    reference = None

    def measure(name: str, play: bool) -> None:
        shown = window.current_panel
        meter = watch if shown is panel else reference
        if play:
            window.play_action.trigger()
            if not wait_until(lambda: shown.runner.playing):
                raise RuntimeError("Play did not start training")
        figures = meter.measure(args.seconds)
        if play:
            shown.runner.pause()  # (not the Play button: a converged Lloyd has stopped already)
            wait_until(lambda: not shown.runner.playing)
        event_loop_for(0.3)
        rows.append((name, figures))

    try:
        prepare(panel, "blobs", args.points, 5, "lloyd", "max")
        measure("paused", play=False)
        prepare(panel, "uniform noise", args.points, 10, "lloyd", "30 updates/s")
        measure("Lloyd, 30 half-steps/s", play=True)
        prepare(panel, "uniform noise", args.points, 10, "gradient", "max")
        measure("gradient, max, batch 100", play=True)
        # the reference, at the same time on the same machine: Line fit playing at max speed
        watch.close()
        window.tab_bar.setCurrentIndex(KEYS.index("line_fit"))
        line_fit = window.panel("line_fit")
        line_fit.controls.speed_box.setCurrentText("max")
        event_loop_for(0.5)
        reference = Watch(line_fit, window)
        measure("Line fit (reference), max", play=True)
        reference.close()
        window.tab_bar.setCurrentIndex(KEYS.index("clusters"))
        event_loop_for(0.5)
        watch = Watch(panel, window)
        # Lloyd's Play from a random start to the first "converged"
        prepare(panel, "blobs", args.points, 5, "lloyd", "max")
        start = time.perf_counter()
        window.play_action.trigger()
        converged = wait_until(lambda: runner.latest.extra.get("converged", False), timeout=60)
        seconds = time.perf_counter() - start
        steps = runner.latest.step
        stopped = wait_until(lambda: not runner.playing)
    finally:
        watch.close()
        window.close()
    app.processEvents()

    print()
    header = f"{'':28} {'late p50':>9} {'p99':>7} {'max':>7} {'snaps/s':>8} {'frames/s':>9} {'draw p50':>9} {'p99':>7}"
    print(header + f" {'updates/s':>10}")
    for name, f in rows:
        print(
            f"{name:28} {f['late_p50']:8.1f}ms {f['late_p99']:6.1f}ms {f['late_max']:6.1f}ms "
            f"{f['snapshots_per_s']:8.1f} {f['repaints_per_s']:9.1f} {f['draw_p50']:7.2f}ms {f['draw_p99']:5.2f}ms "
            f"{f['updates_per_s']:10,.0f}"
        )
    print()
    if converged:
        print(f"Lloyd's Play converged {seconds:.2f} s after Play (Lloyd step {steps}, {args.points:,} points, k = 5)")
        print(f"and Play {'stopped by itself' if stopped else 'did NOT stop'} at convergence")
    else:
        print("Lloyd's Play did not say 'converged' within 60 s")
    worst = max(f["late_p99"] for name, f in rows if name != "paused" and not name.startswith("Line fit"))
    print(f"worst p99 lateness while training: {worst:.1f} ms (target ≤ 20 ms): {'met' if worst <= 20 else 'NOT met'}")
    print(f"load average at end: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
