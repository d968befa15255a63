"""GUI and trainer figures for Primer, side by side, in one run (about three minutes; --quick about one).

    python benchmarks/bench_gui.py [--quick] [--seconds S] [--rounds R] [--starts N] [--points 30,10000,100000]
                                   [--tabs line_fit,...]

Prints figures, not pass/fail (the machine's load average is printed with them):

1. **cold start** to the first painted window: ``python -m primer_gui`` vs a bare pyqtgraph window, each a
   fresh subprocess, timed from just before the spawn to just after the window's first completed paint;
2. **Line fit training at full speed in the window** (1280×800), at 30, 10 000 and 100 000 points, with the
   trainer in its own process (the app) beside the same engine on a QThread of the GUI's process (the design
   it replaced: slices of ≤ 12 ms, an 8 ms sleep after each snapshot): the GUI event loop's lateness (a
   re-armed 5 ms single-shot timer: p50 / p99 / max and stalls > 50 ms), snapshots drawn per second, window
   repaints per drawn snapshot (UpdateRequest on the window), and training speed as a fraction of the bare
   trainer's (``trainer.run`` in a loop, same data, measured just before); interleaved rounds, medians;
3. **every trainer under the runner** (its process, snapshots drawn by nobody): updates per second against
   the bare trainer's, the word model included (its full loss costs ~16 ms against a ~0.1 ms step);
4. **Pause and shutdown**: from the call to the trainer's process having stopped (median and worst of 10);
5. **every registered tab at full speed ("max", whatever the tab opens at) in the window**: lateness,
   stalls, frames, repaints per snapshot, updates per second (Clusters on gradient descent: Lloyd
   converges and stops Play within a second).

It ends with a table of each figure against its target.  Your QSettings are never touched: windows get
an INI file in a temporary folder; subprocesses a temporary ``XDG_CONFIG_HOME``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from gui_watch import ROOT, Watch, application, event_loop_for, make_window, wait_until

# -- 1. cold start ------------------------------------------------------------------------

# Shared by both launchers: after the window's first paint event, a 0 ms timer fires once the
# repaint (and its flush) is over; it prints seconds since BENCH_T0 (time.monotonic, system-wide).
_FIRST_PAINT = r"""
import os, sys, time
T0 = float(os.environ["BENCH_T0"])
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

class FirstPaint(QObject):
    def __init__(self, window):
        super().__init__()
        self.window, self.seen = window, False
        for widget in [window, *window.findChildren(QWidget)]:
            widget.installEventFilter(self)

    def eventFilter(self, obj, event):
        if not self.seen and event.type() == QEvent.Type.Paint:
            self.seen = True
            QTimer.singleShot(0, self.done)
        return False

    def done(self):
        painted = time.monotonic() - T0
        print(f"BENCH imported={IMPORTED:.6f} shown={SHOWN:.6f} painted={painted:.6f}", flush=True)
        self.window.close()
        QApplication.instance().quit()
"""

LAUNCH_PRIMER = (
    _FIRST_PAINT
    + r"""
import primer_gui.app as app_module
IMPORTED = time.monotonic() - T0
_show = app_module.MainWindow.show

def show(self):
    global SHOWN, FILTER
    SHOWN = time.monotonic() - T0
    FILTER = FirstPaint(self)
    _show(self)

app_module.MainWindow.show = show
from primer_gui.__main__ import main
sys.argv = ["primer_gui"]
sys.exit(main())
"""
)

LAUNCH_BARE = (
    _FIRST_PAINT
    + r"""
import pyqtgraph as pg
from PySide6.QtWidgets import QMainWindow
IMPORTED = time.monotonic() - T0
app = QApplication([sys.argv[0]])
window = QMainWindow()
window.setCentralWidget(pg.PlotWidget())
window.resize(1280, 800)
SHOWN = time.monotonic() - T0
FILTER = FirstPaint(window)
window.show()
sys.exit(app.exec())
"""
)


def launch(code: str, config_dir: str) -> dict[str, float]:
    env = dict(
        os.environ, XDG_CONFIG_HOME=config_dir, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")
    )
    # Bytecode as an installed app has it (pip compiles it at install): written once by the warm-up
    # launch into a private folder, even where PYTHONDONTWRITEBYTECODE is set, and reused after.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(config_dir) / "bytecode")
    env["BENCH_T0"] = repr(time.monotonic())
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    for line in result.stdout.splitlines():
        if line.startswith("BENCH "):
            return {key: float(value) for key, value in (item.split("=") for item in line.split()[1:])}
    raise RuntimeError(f"launcher failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")


def bench_cold_start(repeats: int) -> dict:
    with tempfile.TemporaryDirectory() as config_dir:
        launch(LAUNCH_PRIMER, config_dir)  # warm the file cache (and write first settings) once, unmeasured
        launch(LAUNCH_BARE, config_dir)
        runs: dict[str, list[dict]] = {"primer": [], "bare": []}
        for _ in range(repeats):  # interleaved, so load drifts hit both alike
            runs["primer"].append(launch(LAUNCH_PRIMER, config_dir))
            runs["bare"].append(launch(LAUNCH_BARE, config_dir))
    out = {}
    for name, rows in runs.items():
        out[name] = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
        out[name]["all"] = [row["painted"] for row in rows]
    return out


# -- 2 & 5. the live window ----------------------------------------------------------------


def old_design_runner():
    """The design the trainer's process replaced, for comparison: the same engine on a QThread of the GUI's
    process (slices of ≤ 12 ms that end when a frame is due, an 8 ms sleep after each snapshot so the GUI
    can draw, 1 ms otherwise) — the best of the timings measured before."""
    import queue

    from PySide6.QtCore import QThread, Signal

    from primer_gui.training.engine import merge_snapshots
    from primer_gui.training.runner import TrainingRunner

    class EngineThread(QThread):
        message_received = Signal(object)
        snapshot_waiting = Signal()

        def __init__(self, engine):
            super().__init__()
            self.engine, self.commands, self.lock, self.mailbox = engine, queue.SimpleQueue(), threading.Lock(), None

        def run(self):
            engine = self.engine
            while not self.isInterruptionRequested():
                while not self.commands.empty():
                    engine.handle(self.commands.get())
                engine.work(0.012)
                published = False
                for message in engine.take_outbox():
                    if message[0] == "snapshot":
                        published = True
                        with self.lock:
                            waiting = self.mailbox
                            self.mailbox = message[1] if waiting is None else merge_snapshots(waiting, message[1])
                        if waiting is None:
                            self.snapshot_waiting.emit()
                    else:
                        self.message_received.emit(message)
                time.sleep(0.008 if published else 0.001)

    class ThreadRunner(TrainingRunner):
        def __init__(self, trainer, probe=None, *, rows=None, threaded=True, parent=None):
            super().__init__(trainer, probe, rows=rows, threaded=False, parent=parent)
            self._thread = EngineThread(self._engine)
            self._thread.snapshot_waiting.connect(self._on_thread_snapshot)
            self._thread.message_received.connect(self._on_relay_message_received)
            self._thread.start()

        def _send(self, *command):
            self._thread.commands.put(command)

        def _on_thread_snapshot(self):
            with self._thread.lock:
                snapshot, self._thread.mailbox = self._thread.mailbox, None
            if snapshot is not None:
                self._show(snapshot)

        def query(self, name, **kwargs):
            return self._engine.query(name, **kwargs)  # (unsafe while playing; the benchmark asks while paused)

        def shutdown(self, timeout_ms=2000):
            self._thread.requestInterruption()
            return self._thread.wait(timeout_ms)

    return ThreadRunner


def house_rows(n: int) -> np.ndarray:
    from primer_gui.core.datasets import house_prices

    X, y = house_prices(n, 0.3, seed=1)
    return np.column_stack([X[:, 0], y])


def bare_rate(make_trainer: Callable, seconds: float) -> float:
    """Updates per second of ``trainer.run`` in a loop (no runner, no GUI)."""
    trainer = make_trainer()
    chunk, done = 1, 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        before = time.perf_counter()
        trainer.run(chunk)
        done += chunk
        chunk = max(1, min(int(chunk * min(0.002 / max(time.perf_counter() - before, 1e-7), 2.0)), 100_000))
    return done / (time.perf_counter() - start)


def live_line_fit(n: int, design: str, seconds: float) -> dict:
    """Line fit with n points training at full speed in the window: ``design`` is "process" or "thread"."""
    import primer_gui.panels.base as base
    from primer_gui.training.runner import TrainingRunner

    base.TrainingRunner = TrainingRunner if design == "process" else old_design_runner()
    try:
        window = make_window("line_fit")
    finally:
        base.TrainingRunner = TrainingRunner
    panel = window.current_panel
    if n != 30:
        panel.replace_data(house_rows(n), "bench")
        panel.data_plot.frame_points(include_origin=True)
    wait_until(lambda: panel.runner.latest is not None)
    event_loop_for(0.5)
    watch = Watch(panel, window)
    panel.controls.speed_box.setCurrentText("max")  # (Line fit opens at 30 updates/s)
    panel.toggle_play()
    wait_until(lambda: panel.runner.playing)
    event_loop_for(0.5)  # settle
    figures = watch.measure(seconds)
    panel.runner.pause()
    wait_until(lambda: not panel.runner.playing)
    window.close()
    event_loop_for(0.1)
    return figures


def bench_live(points: list[int], seconds: float, rounds: int) -> dict:
    from primer_gui.core import LinearRegression

    results: dict = {}
    for n in points:
        rows = house_rows(n)

        def make(rows=rows):
            trainer = LinearRegression()
            trainer.set_data(rows[:, :1], rows[:, 1])
            return trainer

        runs: dict[str, list[dict]] = {"process": [], "thread": []}
        bare = []
        for _ in range(rounds):
            bare.append(bare_rate(make, 1.0))
            for design in runs:  # interleaved, so a burst of load hits both alike
                runs[design].append(live_line_fit(n, design, seconds))
        results[n] = {"bare": statistics.median(bare)}
        for design, rows_ in runs.items():
            results[n][design] = {key: statistics.median(r[key] for r in rows_) for key in rows_[0]}
            results[n][design]["fraction"] = results[n][design]["updates_per_s"] / results[n]["bare"]
            results[n][design]["worst_p99"] = max(r["late_p99"] for r in rows_)
    return results


def endless(key: str, panel) -> None:
    """Clusters stops Play by itself once Lloyd converges (in well under a second): measure it on gradient descent."""
    if key == "clusters":
        panel.method_box.setCurrentIndex(panel.method_box.findData("gradient"))


def bench_tabs(keys: list[str], seconds: float) -> dict:
    results = {}
    for key in keys:
        window = make_window(key)
        panel = window.current_panel
        wait_until(lambda panel=panel: panel.runner.latest is not None)
        endless(key, panel)
        event_loop_for(0.5)
        watch = Watch(panel, window)
        panel.controls.speed_box.setCurrentText("max")  # full speed: the most work a frame can bring
        panel.toggle_play()
        if not wait_until(lambda panel=panel: panel.runner.playing, timeout=5.0):
            results[key] = None
            window.close()
            continue
        event_loop_for(0.5)
        results[key] = watch.measure(seconds)
        panel.runner.pause()
        wait_until(lambda panel=panel: not panel.runner.playing)
        window.close()
        event_loop_for(0.1)
    return results


# -- 3. every trainer under the runner ---------------------------------------------------------------


def trainers() -> dict[str, tuple[Callable, Callable]]:
    """name → (make a trainer with data, make (trainer, probe, rows) for a runner)."""
    from bench_probes import UnlabelledProbe

    from primer_gui.core import KMeans, LinearRegression, LogisticRegression, MaskedWordModel
    from primer_gui.core.datasets import blobs, circle
    from primer_gui.core.mlp import MLP
    from primer_gui.paths import resource
    from primer_gui.training.probe import Probe

    houses = house_rows(30)
    X2, labels = circle(250, 0.0, seed=0)
    points, _ = blobs(1000, 3, 0.6, seed=0)
    corpus = resource("corpus.txt").read_text(encoding="utf-8")

    def linear():
        t = LinearRegression()
        t.set_data(houses[:, :1], houses[:, 1])
        return t

    def logistic():
        t = LogisticRegression()
        t.set_data(X2, labels)
        return t

    def mlp():
        t = MLP()
        t.set_data(X2, labels)
        return t

    def kmeans():
        t = KMeans(k=3, method="gradient", batch_size=64)
        t.set_data(points)
        return t

    def words():
        return MaskedWordModel(corpus)

    return {
        "LinearRegression (30 houses, full batch)": (linear, lambda: (LinearRegression(), Probe(), houses)),
        "LogisticRegression (circle, full batch)": (
            logistic,
            lambda: (LogisticRegression(), Probe(), np.column_stack([X2, labels])),
        ),
        "MLP 2-4-2-1 (circle, batch 10)": (mlp, lambda: (MLP(), Probe(), np.column_stack([X2, labels]))),
        "KMeans gradient (1000 points, batch 64)": (
            kmeans,
            lambda: (KMeans(k=3, method="gradient", batch_size=64), UnlabelledProbe(), points),
        ),
        "MaskedWordModel (bundled corpus, batch 64)": (words, lambda: (words(), Probe(), None)),
    }


def bench_runner_speed(seconds: float) -> dict:
    from primer_gui.training.runner import TrainingRunner

    results = {}
    for name, (make, parts) in trainers().items():
        bare = bare_rate(make, seconds)
        trainer, probe, rows = parts()
        runner = TrainingRunner(trainer, probe, rows=rows, threaded=True)
        wait_until(lambda runner=runner: runner.query("trainer_state") is not None)
        runner.play()
        wait_until(lambda runner=runner: runner.playing)
        event_loop_for(0.3)
        start_steps, start = runner.trainer.step_count, time.perf_counter()
        event_loop_for(seconds)
        steps = runner.trainer.step_count - start_steps
        rate = steps / (time.perf_counter() - start)
        runner.shutdown()
        results[name] = {"bare": bare, "runner": rate, "fraction": rate / bare}
    return results


# -- 4. pause and shutdown ------------------------------------------------------------------------------


def bench_pause_and_shutdown(repeats: int) -> dict:
    from primer_gui.core import LinearRegression
    from primer_gui.training.probe import Probe
    from primer_gui.training.runner import TrainingRunner

    rows = house_rows(30)
    pauses, shutdowns, firsts = [], [], []
    for _ in range(repeats):
        started = time.perf_counter()
        runner = TrainingRunner(LinearRegression(), Probe(), rows=rows, threaded=True)
        runner.play()
        wait_until(lambda runner=runner: runner.latest.playing)
        firsts.append(time.perf_counter() - started)  # from a new tab's runner to training under way
        event_loop_for(0.2)
        start = time.perf_counter()
        runner.pause()
        wait_until(lambda runner=runner: not runner.playing, timeout=2.0)
        pauses.append(time.perf_counter() - start)
        runner.play()
        wait_until(lambda runner=runner: runner.playing)
        event_loop_for(0.1)
        start = time.perf_counter()
        runner.shutdown()
        shutdowns.append(time.perf_counter() - start)
    return {"first_play": firsts, "pause": pauses, "shutdown": shutdowns}


# -- the report -----------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (about a minute)")
    parser.add_argument("--seconds", type=float, default=None, help="seconds per live measurement (default 3)")
    parser.add_argument("--rounds", type=int, default=None, help="interleaved rounds per design (default 3)")
    parser.add_argument("--starts", type=int, default=None, help="cold starts of each window (default 5)")
    parser.add_argument("--points", default="30,10000,100000", help="Line fit data sizes")
    parser.add_argument("--tabs", default=None, help="tabs to measure at full speed (default: all registered)")
    args = parser.parse_args(argv)
    seconds = args.seconds or (1.5 if args.quick else 3.0)
    rounds = args.rounds or (1 if args.quick else 3)
    starts = args.starts or (2 if args.quick else 5)
    points = [int(p) for p in args.points.split(",") if p]

    from primer_gui.tabs import KEYS

    keys = KEYS if args.tabs is None else [k for k in args.tabs.split(",") if k]
    app = application()
    app.setOrganizationName("PrimerBenchmark")
    print(f"Primer GUI benchmark · Python {sys.version.split()[0]} · load average {os.getloadavg()}")

    cold = bench_cold_start(starts)
    p, b = cold["primer"], cold["bare"]
    print("\n1. Cold start to the first painted window (median of interleaved runs)")
    print(f"   primer-gui: imports {p['imported']:.2f} s · window {p['shown']:.2f} s · painted {p['painted']:.2f} s")
    print(f"   bare pyqtgraph window: painted {b['painted']:.2f} s · ratio {p['painted'] / b['painted']:.2f}×")

    live = bench_live(points, seconds, rounds)
    print(f"\n2. Line fit training at full speed in a 1280×800 window ({rounds} interleaved rounds, medians)")
    print("   points  design   p50 ms  p99 ms  max ms  stalls>50ms  frames/s  repaints/snapshot  updates/s  of bare")
    for n, row in live.items():
        for design in ("thread", "process"):
            r = row[design]
            label = "thread (before)" if design == "thread" else "process (now)"
            print(
                f"   {n:>6,}  {label:<16} {r['late_p50']:6.1f}  {r['late_p99']:6.1f}  {r['late_max']:6.1f}  "
                f"{r['stalls']:>11}  {r['snapshots_per_s']:8.1f}  {r['repaints_per_snapshot']:17.2f}  "
                f"{r['updates_per_s']:9,.0f}  {r['fraction']:6.0%}"
            )
        print(f"   {'':>6}  bare trainer: {row['bare']:,.0f} updates/s")

    speeds = bench_runner_speed(seconds)
    print("\n3. Every trainer under the runner (its own process), against the bare trainer")
    for name, r in speeds.items():
        print(f"   {name:<44} bare {r['bare']:>10,.0f}/s · runner {r['runner']:>10,.0f}/s · {r['fraction']:4.0%}")

    latency = bench_pause_and_shutdown(4 if args.quick else 10)
    print("\n4. Responsiveness of the trainer's process (median / worst)")
    for name, values in latency.items():
        print(f"   {name:<11} {statistics.median(values) * 1000:6.1f} ms / {max(values) * 1000:6.1f} ms")

    tabs = bench_tabs(keys, seconds)
    print("\n5. Every tab training at full speed in a 1280×800 window")
    print("   tab             p50 ms  p99 ms  max ms  stalls>50ms  frames/s  repaints/snapshot  updates/s")
    for key, r in tabs.items():
        if r is None:
            print(f"   {key:<15} (did not start playing)")
            continue
        print(
            f"   {key:<15} {r['late_p50']:6.1f}  {r['late_p99']:6.1f}  {r['late_max']:6.1f}  {r['stalls']:>11}  "
            f"{r['snapshots_per_s']:8.1f}  {r['repaints_per_snapshot']:17.2f}  {r['updates_per_s']:9,.0f}"
        )

    print("\nFigures against their targets")
    rows_ = [("cold start ≤ 1.5× a bare window and < 2 s", p["painted"] <= 1.5 * b["painted"] and p["painted"] < 2)]
    for n, row in live.items():
        r = row["process"]
        goal = 20 if n <= 30 else (30 if n <= 10_000 else 60)
        rows_.append(
            (f"Line fit {n:,} points: p99 ≤ {goal} ms (worst round {r['worst_p99']:.1f})", r["late_p99"] <= goal)
        )
        if n <= 30:
            rows_.append(("Line fit 30 points: ≥ 58 frames/s", r["snapshots_per_s"] >= 58))
            rows_.append(("Line fit 30 points: one repaint per snapshot", r["repaints_per_snapshot"] <= 1.05))
            rows_.append(("Line fit 30 points: training ≥ 50 % of bare", r["fraction"] >= 0.5))
    for name, r in speeds.items():
        rows_.append((f"{name.split(' ')[0]} under the runner ≥ 50 % of bare", r["fraction"] >= 0.5))
    rows_.append(("Pause < 50 ms (worst)", max(latency["pause"]) < 0.05))
    rows_.append(("shutdown < 50 ms (worst)", max(latency["shutdown"]) < 0.05))
    rows_.append(("first Play trains within 0.3 s (worst)", max(latency["first_play"]) < 0.3))
    for key, r in tabs.items():
        rows_.append((f"{key}: p99 ≤ 20 ms while training", r is not None and r["late_p99"] <= 20))
    for label, ok in rows_:
        print(f"   {verdict(ok):<8} {label}")
    print(f"\nload average at the end {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
