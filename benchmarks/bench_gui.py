"""GUI and trainer figures for Primer, side by side, in one run (about two minutes).

    python benchmarks/bench_gui.py [--quick] [--seconds S] [--rounds R] [--starts N]

Prints figures, not pass/fail:

1. cold start to the first painted window: ``python -m primer_gui`` vs a bare
   pyqtgraph window (a PlotWidget in a QMainWindow), each a fresh subprocess,
   timed from just before the process is spawned to just after its window's
   first paint (a 0 ms timer posted from the first paint event of the window or
   any of its widgets fires once that whole repaint is done);
2. frames while the Line fit tab trains at max speed on its real threaded
   runner: snapshots drawn per second, window repaints (UpdateRequest on the
   top-level window) and data-plot paints per second, cost of one
   ``show_snapshot``;
3. GUI event-loop latency: a 5 ms single-shot timer chain on the GUI thread
   records how late each tick fires, paused (baseline) and training; then the
   same for several ways the worker can yield the GIL (monkeypatched into
   ``primer_gui.training.runner``), with frames/s and the trainer's updates/s;
4. bare ``LinearRegression.run(k)`` updates per second, n = 100 … 1 000 000;
5. the landscape at n = 1 000 000: ``linear_mse_grid`` on the 121×121 grid
   (per-frame work) and the one-off ``LinearStatistics.from_data``.

Without a display it uses ``QT_QPA_PLATFORM=offscreen`` (Qt's raster backing
store, so painting is real; only the hand-over to a window server is missing).
Your QSettings are never touched: the subprocesses get a temporary
``XDG_CONFIG_HOME`` and the in-process window an INI file in a temporary folder.
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
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TIMER_MS = 5

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


# -- 2 & 3. the live window ----------------------------------------------------------------


def event_loop_for(seconds: float) -> None:
    """Run the real Qt event loop (not processEvents) for ``seconds``."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        event_loop_for(0.01)
    return True


class Probe:
    """Counts frames, snapshots and timer lateness on the GUI thread while the loop runs."""

    def __init__(self, window, panel):
        from PySide6.QtCore import QEvent, QObject, Qt, QTimer

        self.window, self.panel = window, panel
        self.update_type, self.paint_type = QEvent.Type.UpdateRequest, QEvent.Type.Paint
        probe = self

        class Filter(QObject):
            def eventFilter(self, obj, event):
                kind = event.type()
                if kind == probe.update_type and obj is probe.window:
                    probe.frames += 1
                elif kind == probe.paint_type:
                    probe.plot_paints += 1
                return False

        self.filter = Filter()
        window.installEventFilter(self.filter)
        panel.data_plot.viewport().installEventFilter(self.filter)
        self.timer = QTimer()
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self._original_show = panel.show_snapshot
        panel.show_snapshot = self._show_snapshot  # the instance attribute wins over the method
        self.active = False
        self.frames = self.plot_paints = 0
        self.draw_ms: list[float] = []
        self.snapshots: list[tuple[float, int]] = []
        self.lateness_ms: list[float] = []
        self.captured: list = []  # real snapshots, for replaying them without a trainer

    def _show_snapshot(self, snapshot) -> None:
        start = time.perf_counter()
        self._original_show(snapshot)
        if self.active:
            self.draw_ms.append((time.perf_counter() - start) * 1000)
            self.snapshots.append((start, snapshot.step))
            if snapshot.playing and len(self.captured) < 200:
                self.captured.append(snapshot)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.lateness_ms.append((now - self._due) * 1000)
        if self.active:
            self._due = time.perf_counter() + TIMER_MS / 1000
            self.timer.start(TIMER_MS)

    def measure(self, seconds: float, timer: bool) -> dict:
        self.frames = self.plot_paints = 0
        self.draw_ms, self.snapshots, self.lateness_ms = [], [], []
        self.active = True
        if timer:
            self._due = time.perf_counter() + TIMER_MS / 1000
            self.timer.start(TIMER_MS)
        start, cpu = time.perf_counter(), time.thread_time()
        event_loop_for(seconds)
        elapsed, cpu = time.perf_counter() - start, time.thread_time() - cpu
        self.active = False
        self.timer.stop()
        snaps = self.snapshots
        rate = 0.0
        if len(snaps) >= 2 and snaps[-1][0] > snaps[0][0]:
            rate = (snaps[-1][1] - snaps[0][1]) / (snaps[-1][0] - snaps[0][0])
        late = np.array(self.lateness_ms) if self.lateness_ms else np.array([np.nan])
        draw = np.array(self.draw_ms) if self.draw_ms else np.array([np.nan])
        return {
            "snapshots_per_s": len(snaps) / elapsed,
            "gui_cpu": cpu / elapsed,  # share of one core the GUI thread used (GIL waits are not CPU)
            "cpu_ms_per_snapshot": cpu / len(snaps) * 1000 if snaps else float("nan"),
            "frames_per_s": self.frames / elapsed,
            "plot_paints_per_s": self.plot_paints / elapsed,
            "draw_ms_p50": float(np.median(draw)),
            "draw_ms_p99": float(np.percentile(draw, 99)),
            "late_p50": float(np.percentile(late, 50)),
            "late_p99": float(np.percentile(late, 99)),
            "late_max": float(np.max(late)),
            "updates_per_s": rate,
        }

    def close(self) -> None:
        del self.panel.show_snapshot


def yield_strategies() -> dict[str, Callable[[], Callable[[], None]]]:
    """name → apply(); apply() patches the runner module's timing constants and returns an undo."""
    from primer_gui.training import runner

    names = ("SLICE_SECONDS", "DRAW_SECONDS", "YIELD_SECONDS")

    def patch(switch: float | None = None, **values: float):
        def apply():
            saved = {name: getattr(runner, name) for name in names}
            saved_switch = sys.getswitchinterval()
            for name, value in values.items():
                setattr(runner, name, value)
            if switch is not None:
                sys.setswitchinterval(switch)

            def undo():
                for name, value in saved.items():
                    setattr(runner, name, value)
                sys.setswitchinterval(saved_switch)

            return undo

        return apply

    draw = runner.DRAW_SECONDS
    return {
        f"frame-aligned, draw pause {draw * 1000:g} ms (current)": patch(),
        "draw pause 4 ms": patch(DRAW_SECONDS=0.004),
        "draw pause 12 ms": patch(DRAW_SECONDS=0.012),
        "current + switch interval 1 ms": patch(switch=0.001),
        "current + switch interval 2 ms": patch(switch=0.002),
        "no draw pause: 4 ms slices, sleep 1 ms": patch(SLICE_SECONDS=0.004, DRAW_SECONDS=0.001),
        "no draw pause: 4 ms slices, sleep(0)": patch(SLICE_SECONDS=0.004, DRAW_SECONDS=0.0, YIELD_SECONDS=0.0),
        "wait for GUI idle + sleep(0.001)": gui_paced,
    }


def gui_paced() -> Callable[[], None]:
    """A prototype, not in the app: after publishing a snapshot the worker waits (GIL released, ≤ 50 ms)
    until the GUI thread's event loop is about to block, i.e. the frame is drawn and painted."""
    from PySide6.QtCore import QAbstractEventDispatcher

    from primer_gui.training import runner

    idle = threading.Event()
    idle.set()
    original_publish, original_time = runner._Worker._publish, runner.time

    def publish(worker, force: bool = False) -> bool:
        published = original_publish(worker, force)
        if published:
            idle.clear()
        return published

    def sleep(seconds: float) -> None:
        idle.wait(0.05)
        time.sleep(seconds)

    dispatcher = QAbstractEventDispatcher.instance()  # the GUI thread's: its signal runs there
    dispatcher.aboutToBlock.connect(idle.set)
    runner._Worker._publish = publish
    runner.time = SimpleNamespace(perf_counter=time.perf_counter, sleep=sleep)

    def undo() -> None:
        dispatcher.aboutToBlock.disconnect(idle.set)
        runner._Worker._publish, runner.time = original_publish, original_time
        idle.set()

    return undo


def bench_live(seconds: float, rounds: int) -> dict:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from primer_gui.app import MainWindow
    from primer_gui.training.runner import live_threads

    app = QApplication.instance() or QApplication([sys.argv[0]])
    out: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings, tab="line_fit")
        window.show()
        panel = window.panels["line_fit"]
        runner = panel.runner
        event_loop_for(0.5)
        probe = Probe(window, panel)

        def play() -> None:
            if not runner.playing:
                window.play_action.trigger()  # what Space does
            if not wait_until(lambda: runner.playing):
                raise RuntimeError("Play did not start training")
            event_loop_for(0.3)  # let the adaptive chunk size settle

        def pause() -> None:
            if runner.playing:
                window.play_action.trigger()
            wait_until(lambda: not runner.playing)
            event_loop_for(0.2)

        try:
            # 2. frames with nothing else on the GUI thread
            play()
            out["fps"] = probe.measure(seconds, timer=False)
            pause()
            # the GUI alone: the same real snapshots replayed at 60 Hz with the trainer paused
            from PySide6.QtCore import Qt, QTimer

            captured, index = probe.captured, [0]

            def replay() -> None:
                runner.snapshot_ready.emit(captured[index[0] % len(captured)])
                index[0] += 1

            feeder = QTimer()
            feeder.setTimerType(Qt.TimerType.PreciseTimer)
            feeder.timeout.connect(replay)
            feeder.start(16)
            out["replay"] = probe.measure(seconds, timer=True)
            feeder.stop()
            runner.snapshot_ready.emit(runner.latest)
            # 3. latency: paused baseline, then each yield strategy, interleaved over rounds
            strategies = yield_strategies()
            per: dict[str, list[dict]] = {name: [] for name in ["paused", *strategies]}
            for _ in range(rounds):
                per["paused"].append(probe.measure(seconds, timer=True))
                for name, apply in strategies.items():
                    undo = apply()
                    try:
                        play()
                        per[name].append(probe.measure(seconds, timer=True))
                        pause()
                    finally:
                        undo()
            out["strategies"] = {
                name: {key: statistics.median(row[key] for row in rows) for key in rows[0]}
                for name, rows in per.items()
            }
            # the landscape's GUI half: pushing a fresh 121×121 surface into the image
            from primer_gui.panels.line_fit import GRID

            # a loss bowl like Line fit's (a tilted quadratic), so the contours are realistic
            b, w = np.meshgrid(np.linspace(-1, 1, GRID), np.linspace(-1, 1, GRID), indexing="ij")
            surface = 0.05 + (b + 0.8 * w) ** 2 + 0.3 * w**2
            times = []
            for _ in range(30):
                start = time.perf_counter()
                panel.landscape.set_surface(surface, (0.0, 1.0), (0.0, 1.0))
                times.append(time.perf_counter() - start)
            out["set_surface_ms"] = statistics.median(times) * 1000
        finally:
            probe.close()
            window.close()
            out["threads_left"] = sum(thread.isRunning() for thread in live_threads())
        app.processEvents()
    return out


# -- 4. bare trainer ----------------------------------------------------------------------


def updates_per_second(n: int, batch_size: int | None, budget: float, repeats: int) -> float:
    from primer_gui.core import LinearRegression
    from primer_gui.core.datasets import house_prices

    X, y = house_prices(n, 0.3, seed=0)
    trainer = LinearRegression(batch_size=batch_size, learning_rate=0.1)
    trainer.set_data(X, y)
    start = time.perf_counter()
    trainer.run(3)
    per_step = max((time.perf_counter() - start) / 3, 1e-7)
    k = max(int(budget / per_step), 3)
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        trainer.run(k)
        rates.append(k / (time.perf_counter() - start))
    return statistics.median(rates)


def bench_trainer(quick: bool) -> dict:
    out = {}
    for n in (100, 10_000, 1_000_000):
        for batch in (32, None):
            heavy = n == 1_000_000 and batch is None
            out[(n, batch)] = updates_per_second(
                n, batch, budget=0.1 if quick or heavy else 0.2, repeats=3 if quick or heavy else 5
            )
    return out


# -- 5. landscape -------------------------------------------------------------------------


def bench_landscape(quick: bool) -> dict:
    from primer_gui.core.datasets import house_prices
    from primer_gui.core.landscape import LinearStatistics, linear_mse_grid
    from primer_gui.panels.line_fit import GRID

    X, y = house_prices(1_000_000, 0.3, seed=0)
    from_data = []
    for _ in range(2 if quick else 5):
        start = time.perf_counter()
        stats = LinearStatistics.from_data(X, y)
        from_data.append(time.perf_counter() - start)
    bs, ws = np.linspace(-1, 2, GRID), np.linspace(0, 3, GRID)
    weights, bias = np.array([1.8]), 0.5

    def grid():
        return linear_mse_grid(stats, weights, bias, 0, bs, 1, ws)

    def frame():  # what Line fit computes per snapshot: two slices (and the grid when it re-frames)
        linear_mse_grid(stats, weights, bias, 0, bs, 1, [1.8])
        linear_mse_grid(stats, weights, bias, 0, [0.5], 1, ws)
        stats.mse(weights, bias)
        stats.mse_gradient(weights, bias)

    def timed(fn, count):
        fn()
        samples = []
        for _ in range(count):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
        return statistics.median(samples) * 1000, float(np.percentile(samples, 99)) * 1000

    return {
        "from_data_ms": statistics.median(from_data) * 1000,
        "grid_ms": timed(grid, 200),
        "slices_ms": timed(frame, 200),
    }


# -- report ---------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "yes" if ok else "NO"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (about a minute)")
    parser.add_argument("--seconds", type=float, default=None, help="seconds per live measurement (default 3)")
    parser.add_argument("--rounds", type=int, default=None, help="rounds over the yield strategies (default 3)")
    parser.add_argument("--starts", type=int, default=None, help="cold starts of each window (default 5)")
    args = parser.parse_args(argv)
    seconds = args.seconds or (2.0 if args.quick else 3.0)
    rounds = args.rounds or (1 if args.quick else 3)
    starts = args.starts or (3 if args.quick else 5)

    import pyqtgraph
    import PySide6

    from primer_gui.training import runner

    began = time.monotonic()
    load_before = os.getloadavg()
    print(
        f"Primer GUI benchmark · Python {sys.version.split()[0]} · PySide6 {PySide6.__version__} · "
        f"pyqtgraph {pyqtgraph.__version__} · NumPy {np.__version__} · {os.cpu_count()} CPUs · "
        f"QPA {os.environ.get('QT_QPA_PLATFORM', 'default')}"
    )
    print(
        f"runner: SLICE_SECONDS={runner.SLICE_SECONDS} DRAW_SECONDS={runner.DRAW_SECONDS} "
        f"YIELD_SECONDS={runner.YIELD_SECONDS} "
        f"FRAME_SECONDS={runner.FRAME_SECONDS:.4f} · load average {load_before[0]:.2f} {load_before[1]:.2f}"
    )
    table: list[tuple[str, str, str, str]] = []

    print(f"\n1. Cold start to first painted window ({starts} interleaved runs each, bytecode cached, medians, s)")
    cold = bench_cold_start(starts)
    for name, label in (("primer", "python -m primer_gui"), ("bare", "bare PlotWidget window")):
        row = cold[name]
        runs = " ".join(f"{v:.3f}" for v in row["all"])
        print(
            f"   {label:24} imports {row['imported']:.3f}  shown {row['shown']:.3f}  "
            f"painted {row['painted']:.3f}   (runs: {runs})"
        )
    ratio = cold["primer"]["painted"] / cold["bare"]["painted"]
    print(
        f"   ratio {ratio:.2f}×  (beyond the bare window: {cold['primer']['painted'] - cold['bare']['painted']:.3f} s)"
    )
    table.append(("cold start / bare window", f"{ratio:.2f}×", "≤ 1.5×", verdict(ratio <= 1.5)))
    table.append(
        ("cold start (absolute)", f"{cold['primer']['painted']:.2f} s", "< 2 s", verdict(cold["primer"]["painted"] < 2))
    )

    print(f"\n2./3. Line fit playing at max speed, threaded runner ({seconds:g} s per measurement)")
    live = bench_live(seconds, rounds)
    fps = live["fps"]
    for label, row in (("training (no probe timer)", fps), ("replay, no trainer", live["replay"])):
        print(
            f"   {label:26} snapshots drawn {row['snapshots_per_s']:5.1f}/s · window repaints "
            f"{row['frames_per_s']:5.1f}/s · data-plot paints {row['plot_paints_per_s']:5.1f}/s · show_snapshot "
            f"{row['draw_ms_p50']:.2f} ms (p99 {row['draw_ms_p99']:.2f}) · GUI thread CPU {row['gui_cpu']:.0%} "
            f"= {row['cpu_ms_per_snapshot']:.1f} ms per snapshot"
        )
    replay = live["replay"]
    print(
        f"   GUI alone (replay) 5 ms timer lateness: p50 {replay['late_p50']:.1f} ms, p99 {replay['late_p99']:.1f} ms"
    )
    print(
        f"   window repaint passes per drawn snapshot: {fps['frames_per_s'] / max(fps['snapshots_per_s'], 1e-9):.1f} "
        f"training, {replay['frames_per_s'] / max(replay['snapshots_per_s'], 1e-9):.1f} replay (1 would be ideal)"
    )
    print(
        f"   trainer while drawing: {fps['updates_per_s']:,.0f} updates/s.  'Replay' feeds the snapshots just "
        "drawn back at 60 Hz with no trainer running: the GUI's own ceiling."
    )
    print(f"   set_surface 121×121 (GUI side of a landscape re-frame): {live['set_surface_ms']:.2f} ms")
    print(f"   5 ms timer lateness and frames, medians over {rounds} interleaved round(s):")
    print(
        f"   {'yield strategy':32} {'late p50':>8} {'p99':>7} {'max':>7} {'snaps/s':>8} {'repaints/s':>10} "
        f"{'draw ms':>7} {'GUI CPU':>7} {'updates/s':>10}"
    )
    strategies = live["strategies"]
    for name, row in strategies.items():
        print(
            f"   {name:32} {row['late_p50']:8.2f} {row['late_p99']:7.2f} {row['late_max']:7.1f} "
            f"{row['snapshots_per_s']:8.1f} {row['frames_per_s']:10.1f} {row['draw_ms_p50']:7.2f} "
            f"{row['gui_cpu']:7.0%} {row['updates_per_s']:10,.0f}"
        )
    current = next(name for name in strategies if name.endswith("(current)"))
    # a frame is a drawn snapshot (new content); repaints also count partial ones (status bar, auto-range)
    table.append(
        (
            "frames/s while training",
            f"{fps['snapshots_per_s']:.0f}",
            "≥ 60 (cap 60)",
            verdict(fps["snapshots_per_s"] >= 57),
        )
    )
    replayed = live["replay"]["snapshots_per_s"]
    table.append(("frames/s, GUI alone (replay)", f"{replayed:.0f}", "≥ 60 (cap 60)", verdict(replayed >= 57)))
    p99 = strategies[current]["late_p99"]
    table.append(("GUI latency p99 training", f"{p99:.1f} ms", "≤ 20 ms", verdict(p99 <= 20)))
    p99 = replay["late_p99"]
    table.append(("GUI latency p99, GUI alone", f"{p99:.1f} ms", "≤ 20 ms", verdict(p99 <= 20)))
    training = {name: row for name, row in strategies.items() if name != "paused"}
    calmest = min(training, key=lambda name: training[name]["late_p99"])
    fastest = max(training, key=lambda name: training[name]["snapshots_per_s"])
    print(f"   lowest p99: {calmest}; most frames: {fastest} (compare updates/s: the price of each)")
    if live["threads_left"]:
        print(f"   !! {live['threads_left']} runner thread(s) still running after window.close()")

    print("\n4. Bare trainer, LinearRegression.run(k), house-like data, updates/s (median)")
    trainer = bench_trainer(args.quick)
    print(f"   {'n':>10} {'batch 32':>12} {'full batch':>12}")
    for n in (100, 10_000, 1_000_000):
        print(f"   {n:>10,} {trainer[(n, 32)]:>12,.0f} {trainer[(n, None)]:>12,.0f}")

    print("\n5. Landscape at n = 1 000 000")
    land = bench_landscape(args.quick)
    print(f"   LinearStatistics.from_data (one-off per data edit): {land['from_data_ms']:.1f} ms")
    print(f"   linear_mse_grid 121×121: {land['grid_ms'][0]:.3f} ms (p99 {land['grid_ms'][1]:.3f})")
    print(f"   per-snapshot slices + mse + gradient: {land['slices_ms'][0]:.3f} ms (p99 {land['slices_ms'][1]:.3f})")
    table.append(
        ("landscape recompute 121²", f"{land['grid_ms'][0]:.2f} ms", "≤ 5 ms", verdict(land["grid_ms"][0] <= 5))
    )

    load_after = os.getloadavg()
    print(f"\nSummary (load average {load_before[0]:.2f} → {load_after[0]:.2f}; {time.monotonic() - began:.0f} s)")
    width = max(len(row[0]) for row in table)
    print(f"   {'figure':{width}}  {'measured':>10}  {'target':>16}  met")
    for name, value, target, met in table:
        print(f"   {name:{width}}  {value:>10}  {target:>16}  {met}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
