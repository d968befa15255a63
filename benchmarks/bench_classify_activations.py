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
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TIMER_MS = 5


def event_loop_for(seconds: float) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def wait_until(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        event_loop_for(0.01)
    return True


class Watch:
    """Timer lateness and snapshot drawing on the GUI thread, for one panel (and its second runner)."""

    def __init__(self, panel):
        from PySide6.QtCore import Qt, QTimer

        self.panel = panel
        self.timer = QTimer()
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self.active = False
        self.lateness: list[float] = []
        self.draws: list[float] = []
        self.steps: list[tuple[float, int]] = []
        self._wrap("show_snapshot")
        if hasattr(panel, "linear_runner"):
            self._wrap("_on_linear_runner_snapshot_ready", record_steps=False)

    def _wrap(self, name: str, record_steps: bool = True) -> None:
        original = getattr(self.panel, name)

        def timed(snapshot):
            start = time.perf_counter()
            original(snapshot)
            if self.active:
                self.draws.append((time.perf_counter() - start) * 1000)
                if record_steps:
                    self.steps.append((start, snapshot.step))

        setattr(self.panel, name, timed)
        # the runner's signal was connected to the bound method before: route it through the wrapper
        runner = self.panel.linear_runner if name.startswith("_on_linear") else self.panel.runner
        if name.startswith("_on_linear"):
            runner.snapshot_ready.disconnect(original)
            runner.snapshot_ready.connect(timed)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.lateness.append((now - self._due) * 1000)
        if self.active:
            self._due = time.perf_counter() + TIMER_MS / 1000
            self.timer.start(TIMER_MS)

    def measure(self, seconds: float) -> dict:
        self.lateness, self.draws, self.steps = [], [], []
        self.active = True
        self._due = time.perf_counter() + TIMER_MS / 1000
        self.timer.start(TIMER_MS)
        start = time.perf_counter()
        event_loop_for(seconds)
        elapsed = time.perf_counter() - start
        self.active = False
        self.timer.stop()
        late, draw = np.array(self.lateness), np.array(self.draws)
        steps = self.steps
        rate = (steps[-1][1] - steps[0][1]) / (steps[-1][0] - steps[0][0]) if len(steps) > 1 else float("nan")
        return {
            "late_p50": float(np.percentile(late, 50)),
            "late_p99": float(np.percentile(late, 99)),
            "late_max": float(late.max()),
            "snapshots_per_s": len(steps) / elapsed,
            "draw_p50": float(np.percentile(draw, 50)) if draw.size else float("nan"),
            "draw_p99": float(np.percentile(draw, 99)) if draw.size else float("nan"),
            "updates_per_s": rate,
        }


def scenario(name: str, key: str, seconds: float, prepare=None) -> dict:
    from PySide6.QtCore import QSettings

    from primer_gui.app import MainWindow

    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(tab=key, settings=settings)
        window.confirm_discard = False
        window.resize(1280, 800)
        window.show()
        panel = window.panel(key)
        if prepare is not None:
            prepare(panel)
        event_loop_for(0.5)
        watch = Watch(panel)
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
    from PySide6.QtCore import QSettings

    from primer_gui.app import MainWindow
    from primer_gui.panels.activations_probe import majority_baseline

    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(tab="activations", settings=settings)
        window.confirm_discard = False
        window.show()
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
    from PySide6.QtWidgets import QApplication

    from primer_gui.panels.classify import make_rows

    app = QApplication.instance() or QApplication([sys.argv[0]])
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
