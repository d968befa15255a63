"""Figures for the Many features and Overfitting tabs (about a minute; ``--seconds`` tunes it).

    python benchmarks/bench_features.py [--seconds S]

Prints, not pass/fail:

1. while each tab trains at full speed on its real threaded runner (the trainer in its own
   process), in a real window: snapshots drawn per second, window repaints per second, the cost
   of one ``show_snapshot`` (p50 / p99), the GUI event loop's lateness (a 5 ms timer chain,
   p50 / p99 / max; target p99 ≤ 20 ms) and the trainer's updates per second.  Cases: Line fit
   (measured the same way, for comparison); Many features on raw inputs, with feature scaling,
   at 2 000 houses; Overfitting at degree 15 with L1 and L2 on, and at 2 000 points;
2. the race of Many features (steps to the least-squares plane, raw and scaled, at each one's
   fastest rate) and how long it takes in the trainer's process;
3. the Overfitting sweeps (L2 strength, L1 strength, degree) and how long each takes.

Without a display it uses ``QT_QPA_PLATFORM=offscreen``.  Your settings are never touched (an
INI file in a temporary folder).  The machine's load matters: the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
from gui_watch import Watch, application, event_loop_for, make_window, wait_until

#: the columns printed, and the figure of Watch.measure each shows
COLUMNS = {
    "snapshots/s": "snapshots_per_s",
    "repaints/s": "repaints_per_s",
    "draw p50 ms": "draw_p50",
    "draw p99 ms": "draw_p99",
    "late p50 ms": "late_p50",
    "late p99 ms": "late_p99",
    "late max ms": "late_max",
    "updates/s": "updates_per_s",
}


def live(seconds: float) -> dict[str, dict]:
    from primer_gui.core.datasets import houses_with_bedrooms, wavy_curve

    app = application()
    results = {}
    window = make_window("many_features")
    event_loop_for(0.5)

    def run(key: str, name: str, prepare) -> None:
        window.tab_bar.setCurrentIndex(_index(key))
        panel = window.panel(key)
        event_loop_for(0.3)
        prepare(panel)
        event_loop_for(0.3)
        watch = Watch(panel, window)
        try:
            panel.toggle_play()
            if not wait_until(lambda: panel.runner.playing, 5.0):
                raise RuntimeError(f"{name}: Play did not start")
            event_loop_for(0.5)
            results[name] = watch.measure(seconds)
            panel.runner.pause()
            wait_until(lambda: not panel.runner.playing, 5.0)
        finally:
            watch.close()

    def scaled(panel) -> None:
        panel.scaling_check.setChecked(True)
        panel.fastest_button.click()

    def many_houses(panel) -> None:
        panel.scaling_check.setChecked(True)
        X, y = houses_with_bedrooms(2000, 25.0, 1)
        panel.replace_data(np.column_stack([X, y]), "many")
        panel.fastest_button.click()

    def overfit(panel) -> None:
        panel.degree_box.setValue(15)
        panel.l1_control.box.setValue(0.001)
        panel.l2_control.box.setValue(0.0001)

    def many_points(panel) -> None:
        X, y = wavy_curve(2000, 0.3, 1)
        panel.replace_data(np.column_stack([X[:, 0], y, np.arange(2000) % 3 == 0]), "many")

    try:
        run("line_fit", "Line fit (for comparison)", lambda panel: None)
        run("many_features", "Many features, raw inputs", lambda panel: None)
        run("many_features", "Many features, scaled", scaled)
        run("many_features", "Many features, 2 000 houses", many_houses)
        run("overfitting", "Overfitting, degree 15, L1+L2", overfit)
        run("overfitting", "Overfitting, 2 000 points", many_points)
    finally:
        window.close()
    app.processEvents()
    return results


def _index(key: str) -> int:
    from primer_gui.tabs import KEYS

    return KEYS.index(key)


def actions() -> dict:
    """The race and the sweeps, each timed in-process (the same code the trainer's process runs)."""
    from primer_gui.panels.many_features import ManyFeaturesPanel
    from primer_gui.panels.overfitting import OverfittingPanel

    application()
    out = {}
    panel = ManyFeaturesPanel(threaded=False)
    start = time.perf_counter()
    panel.runner.action("race")
    out["race seconds"] = time.perf_counter() - start
    out["race"] = panel._race
    panel.shutdown()
    panel = OverfittingPanel(threaded=False)
    panel.degree_box.setValue(15)
    for over in ("l2", "l1", "degree"):
        start = time.perf_counter()
        panel.runner.action("sweep", over=over)
        out[f"sweep {over} ms"] = (time.perf_counter() - start) * 1000
    panel.shutdown()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="seconds measured per case (default 6)")
    args = parser.parse_args(argv)
    print(f"load average at start: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    results = live(args.seconds)
    print(f"\n1. While training at full speed ({args.seconds:g} s each)")
    print(f"{'case':32}" + "".join(f"{c:>13}" for c in COLUMNS))
    for name, row in results.items():
        print(f"{name:32}" + "".join(f"{row[key]:13,.1f}" for key in COLUMNS.values()))
    figures = actions()
    race = figures["race"]
    print("\n2. The race to the least-squares plane (each at its fastest learning rate)")
    for name in ("raw", "scaled"):
        print(f"   {name:7}: {race[name]['steps']:>10,} steps at {race[name]['learning_rate']:.3g}")
    print(
        f"   scaling needs {race['raw']['steps'] / race['scaled']['steps']:,.0f}× fewer steps; "
        f"the race took {figures['race seconds']:.1f} s"
    )
    print("\n3. Overfitting sweeps at degree 15 (25 strengths or 15 degrees, exact minima)")
    for over in ("l2", "l1", "degree"):
        print(f"   over {over:6}: {figures[f'sweep {over} ms']:7.1f} ms")
    print("\nTargets: late p99 ≤ 20 ms, snapshots/s near 60 while training.")
    worst = max(row["late_p99"] for row in results.values())
    print(f"worst late p99: {worst:.1f} ms → {'met' if worst <= 20 else 'NOT met'}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
