"""A soak: a person doing random things to every tab of the real app for minutes, with the real trainer
processes — and what it leaves behind.

    python benchmarks/soak.py [--seconds 120] [--seed 0]

Every ~50 ms it does one random thing on a random tab (switch tab, Play/Pause, Step, One epoch, Reset, a
learning rate or batch size, add/move/delete a point, undo/redo, save and reopen the session, the theme,
hide and show a tab), then prints figures, not pass/fail: actions done, uncaught exceptions (there must be
none), resident memory at the start and the end, ``sys.getrefcount(None)`` at the start and the end (it must
not fall: see DESIGN.md, "Platform pin"), how long closing the window took, and any trainer process left
running.  The test suite runs a short, bounded version of this (tests/panels/test_every_tab.py).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_mb() -> float:
    """Resident memory now (Linux /proc), or the peak where /proc is missing."""
    try:
        with open("/proc/self/statm") as file:
            return int(file.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from primer_gui.app import MainWindow
    from primer_gui.panels.point_data import PointDataPanel
    from primer_gui.tabs import KEYS

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName("PrimerSoak")
    errors: list[str] = []
    sys.excepthook = lambda kind, value, tb: errors.append("".join(traceback.format_exception(kind, value, tb)))
    rng = random.Random(args.seed)
    scratch = Path(tempfile.mkdtemp())
    window = MainWindow(settings=QSettings(str(scratch / "s.ini"), QSettings.Format.IniFormat))
    window.confirm_discard = False
    window.resize(1280, 800)
    window.show()

    def pump(seconds: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    pump(1.0)
    gc.collect()
    start_rss, start_none = rss_mb(), sys.getrefcount(None)
    done = 0
    end = time.monotonic() + args.seconds
    while time.monotonic() < end:
        panel = window.current_panel
        action = rng.choice(
            [
                "tab",
                "play",
                "play",
                "step",
                "epoch",
                "reset",
                "rate",
                "batch",
                "edit",
                "edit",
                "undo",
                "redo",
                "session",
                "theme",
                "hide",
            ]
        )
        try:
            if action == "tab":
                window.tab_bar.setCurrentIndex(rng.randrange(len(KEYS)))
            elif action == "play":
                panel.toggle_play()
            elif action == "step":
                panel.step()
            elif action == "epoch":
                panel.one_epoch()
            elif action == "reset":
                panel.reset()
            elif action == "rate" and panel.controls.learning_rate_box.isVisible():
                panel.controls.learning_rate_box.setValue(10 ** rng.uniform(-4, 0.5))
            elif action == "batch" and panel.controls.batch_box.isVisible():
                panel.controls.batch_box.setValue(rng.randint(1, 40))
            elif action == "edit" and isinstance(panel, PointDataPanel) and hasattr(panel, "editor"):
                (x0, x1), (y0, y1) = panel.editor.view_box.viewRange()
                n = len(panel.data)
                kind = rng.choice(["add", "add", "move", "delete"])
                if kind == "add" or not n:
                    label = rng.randint(0, 1) if panel.editor.classes else -1
                    panel.editor.point_added.emit(rng.uniform(x0, x1), rng.uniform(y0, y1), label)
                elif kind == "move":
                    panel.editor.point_moved.emit(rng.randrange(n), rng.uniform(x0, x1), rng.uniform(y0, y1), done)
                else:
                    panel.editor.point_deleted.emit(rng.randrange(n))
            elif action == "undo":
                window.undo_action.trigger()
            elif action == "redo":
                window.redo_action.trigger()
            elif action == "session":
                path = scratch / "soak.primer.json"
                if window.save_session_to(path):
                    window.open_session(path)
            elif action == "theme":
                window.set_theme("dark" if window.theme == "light" else "light")
            elif action == "hide":
                panel.set_shown(False)
                pump(0.05)
                panel.set_shown(True)
        except Exception:  # noqa: BLE001 - counted and shown: there must be none
            errors.append(traceback.format_exc())
        done += 1
        pump(0.05)
    for panel in window.panels.values():
        panel.runner.pause()
    pump(0.5)
    gc.collect()
    end_rss, end_none = rss_mb(), sys.getrefcount(None)
    processes = [p.runner._relay._process for p in window.panels.values() if p.runner.threaded]
    started = time.perf_counter()
    window.close()
    closing = time.perf_counter() - started
    left = [p for p in processes if p is not None and p.poll() is None]
    print(f"Primer soak · {args.seconds:.0f} s · seed {args.seed} · load average {os.getloadavg()}")
    print(f"   actions done: {done:,} on {len(KEYS)} tabs")
    print(f"   uncaught exceptions: {len(errors)}")
    for error in errors[:5]:
        print("   " + error.replace("\n", "\n   "))
    print(f"   resident memory: {start_rss:.0f} MB → {end_rss:.0f} MB ({end_rss - start_rss:+.1f} MB)")
    print(f"   sys.getrefcount(None): {start_none:,} → {end_none:,} ({end_none - start_none:+,})")
    print(f"   closing the window: {closing * 1000:.0f} ms · trainer processes left running: {len(left)}")
    return 1 if errors or left else 0


if __name__ == "__main__":
    sys.exit(main())
