"""Figures for the word tabs (Fill the blank, Embeddings), in one run (about a minute and a half).

    python benchmarks/bench_words.py [--seconds S]

Prints figures, not pass/fail:

1. the word model's bare speed: ``MaskedWordModel.run`` on the bundled corpus with the tabs'
   settings (learning rate 1, batch 64), updates per second, in a fresh process with one BLAS
   thread (as the trainer's process runs) and with the library's default;
2. each tab training at full speed on the GUI's real runner (the trainer in its own process), in a
   shown window: updates per second (and the share of the bare speed), snapshots drawn per second,
   the cost of one ``show_snapshot`` and the GUI thread's event-loop lateness (a 5 ms timer: p50,
   p99, max);
3. Fill the blank through the real process: seconds from Play until the held-out "right kind of
   word" reaches 0.8, and its value after 5 s;
4. a large text: 100 000 sentences over 5 000 words (generated, Zipf-distributed), loaded into the
   Embeddings tab (seconds from the file to the new model shown), then training: snapshots drawn
   per second (as many as the trainer makes: a 5 000-word update takes milliseconds), the map's
   cost per snapshot, and how many frames per second the GUI draws the map when replaying one.

Without a display it uses ``QT_QPA_PLATFORM=offscreen``; settings go to a temporary INI file. The
machine's load matters (the load average is printed): compare runs, not single figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from gui_watch import ROOT, Watch, application, event_loop_for, make_window, seconds_until, wait_until

BARE = """
import sys, time
sys.path.insert(0, {root!r})
import numpy as np
from primer_gui.core.text import load_text
from primer_gui.panels.words_probe import Corpus, build_model
from primer_gui.paths import resource

model = build_model(Corpus.from_text(load_text(resource("corpus.txt"))))
model.run(200)
rates = []
for _ in range(3):
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < 1.0:
        model.run(200)
        steps += 200
    rates.append(steps / (time.perf_counter() - start))
print(float(np.median(rates)))
"""


def bare_rate(blas_threads: str | None) -> float:
    """Median updates/s of three 1 s runs, in a fresh process (``blas_threads``: its BLAS threads, None: default)."""
    environment = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    if blas_threads is not None:
        environment["OPENBLAS_NUM_THREADS"] = environment["OMP_NUM_THREADS"] = blas_threads
    result = subprocess.run(
        [sys.executable, "-c", BARE.format(root=str(ROOT))], env=environment, capture_output=True, text=True, check=True
    )
    return float(result.stdout.strip())


def replay_rate(panel, seconds: float = 2.0) -> float:
    """Frames per second the GUI draws the latest snapshot again and again (show_snapshot + one repaint)."""
    from PySide6.QtWidgets import QApplication

    snapshot, frames, start = panel.runner.latest, 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        panel.show_snapshot(snapshot)
        for plot in panel.plots():
            plot.repaint_frame()
        panel.window().repaint()
        QApplication.processEvents()
        frames += 1
    return frames / (time.perf_counter() - start)


def large_text(path: Path, sentences: int = 100_000, words: int = 5000) -> None:
    rng = np.random.default_rng(0)
    syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "po", "si", "ve", "du", "ba", "go"]
    vocabulary: set[str] = set()
    while len(vocabulary) < words:
        vocabulary.add("".join(rng.choice(syllables, rng.integers(2, 5))))
    ordered = sorted(vocabulary)
    p = 1 / np.arange(1, words + 1)
    picks = rng.choice(words, size=(sentences, 12), p=p / p.sum())
    lengths = rng.integers(5, 13, sentences)
    path.write_text("\n".join(" ".join(ordered[i] for i in row[:n]) for row, n in zip(picks, lengths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds of each measured run")
    args = parser.parse_args(argv)

    from primer_gui.tabs import KEYS

    print(f"load average at start: {os.getloadavg()[0]:.2f} (2 cores shared with other work)")
    bare = bare_rate("1")
    threaded_bare = bare_rate(None)
    print(
        f"\n1. bare MaskedWordModel.run on the bundled corpus: {bare:,.0f} updates/s with one BLAS thread "
        f"(as the trainer's process runs), {threaded_bare:,.0f} with the BLAS library's default threads"
    )

    _app = application()  # noqa: F841 - kept alive for the run
    scratch = tempfile.TemporaryDirectory()
    window = make_window(size=(1400, 860))
    results = {}
    print(f"\n2. training at full speed on the GUI's runner (trainer in its own process), {args.seconds:g} s each")
    for key in ("fill_blank", "embeddings"):
        window.tab_bar.setCurrentIndex(KEYS.index(key))
        panel = window.panel(key)
        panel.controls.speed_box.setCurrentText("max")
        event_loop_for(0.5)
        watch = Watch(panel)
        panel.toggle_play()
        wait_until(lambda panel=panel: panel.runner.playing, 10)
        event_loop_for(0.5)
        figures = watch.measure(args.seconds)
        panel.toggle_play()
        wait_until(lambda panel=panel: not panel.runner.playing, 10)
        watch.close()
        results[key] = figures
        print(
            f"   {key:11s} {figures['updates_per_s']:7,.0f} updates/s "
            f"({figures['updates_per_s'] / bare:.0%} of bare) · "
            f"{figures['snapshots_per_s']:4.1f} snapshots/s · show_snapshot p50 {figures['draw_p50']:.1f} ms, "
            f"p99 {figures['draw_p99']:.1f} ms · GUI lateness p50 {figures['late_p50']:.1f} ms, "
            f"p99 {figures['late_p99']:.1f} ms, max {figures['late_max']:.1f} ms"
        )

    print("\n3. Fill the blank from Reset, through the real process: held-out 'right kind of word'")
    window.tab_bar.setCurrentIndex(KEYS.index("fill_blank"))
    panel = window.panel("fill_blank")
    panel.reset()
    event_loop_for(0.5)
    start = time.perf_counter()
    panel.toggle_play()
    reached = seconds_until(lambda: panel.runner.history.latest("right kind") >= 0.8, 60)
    event_loop_for(max(5.0 - (time.perf_counter() - start), 0.0))
    at_five = panel.runner.history.latest("right kind")
    step_at_five = panel.runner.latest.step
    panel.toggle_play()
    wait_until(lambda: not panel.runner.playing, 10)
    reached_text = "not within 60 s" if reached is None else f"{reached:.2f} s"
    print(f"   ≥ 0.8 after {reached_text}; after 5 s: {at_five:.3f} (step {step_at_five:,})")

    print("\n4. a large text in the Embeddings tab")
    path = Path(scratch.name) / "large.txt"
    large_text(path)
    window.tab_bar.setCurrentIndex(KEYS.index("embeddings"))
    panel = window.panel("embeddings")
    panel.controls.speed_box.setCurrentText("max")
    loads = panel.runner.loads_sent
    start = time.perf_counter()
    panel.load_corpus_file(path)
    shown = seconds_until(lambda: panel.runner.latest.loads == loads + 1, 30)
    loaded = time.perf_counter() - start
    words = len(panel.model.vocabulary) - 2
    print(
        f"   {len(panel.corpus.sentences):,} sentences, {words:,} words, {panel.model.n_points:,} pairs: "
        f"loaded and shown in {loaded:.2f} s" + ("" if shown is not None else " (not shown within 30 s)")
    )
    watch = Watch(panel)
    panel.toggle_play()
    wait_until(lambda: panel.runner.playing, 10)
    event_loop_for(1.0)
    figures = watch.measure(args.seconds)
    panel.toggle_play()
    wait_until(lambda: not panel.runner.playing, 10)
    watch.close()
    replayed = replay_rate(panel)
    print(
        f"   training: {figures['snapshots_per_s']:.1f} snapshots drawn/s, {figures['updates_per_s']:,.0f} updates/s · "
        f"show_snapshot p50 {figures['draw_p50']:.1f} ms, p99 {figures['draw_p99']:.1f} ms · "
        f"GUI lateness p99 {figures['late_p99']:.1f} ms · labels drawn: {len(panel.map.labelled())}"
    )
    print(f"   the GUI drawing the map again and again (no trainer): {replayed:.0f} frames/s")
    window.close()
    scratch.cleanup()

    print("\nSummary (targets from issue 12)")
    fill = results["fill_blank"]
    rows = [
        (
            "Fill the blank keeps ≥ 50 % of bare speed",
            f"{fill['updates_per_s'] / bare:.0%}",
            fill["updates_per_s"] >= 0.5 * bare,
        ),
        ("GUI p99 lateness ≤ 20 ms (Fill the blank)", f"{fill['late_p99']:.1f} ms", fill["late_p99"] <= 20),
        (
            "GUI p99 lateness ≤ 20 ms (Embeddings)",
            f"{results['embeddings']['late_p99']:.1f} ms",
            results["embeddings"]["late_p99"] <= 20,
        ),
        ("5 000 words, 100 000 sentences: loading ≤ 2 s", f"{loaded:.2f} s", loaded <= 2.0),
        ("5 000 words: the map drawn ≥ 30 frames/s (replayed)", f"{replayed:.0f}/s", replayed >= 30),
    ]
    for what, value, ok in rows:
        print(f"   {what:52s} {value:>10s}  {'met' if ok else 'NOT met'}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
