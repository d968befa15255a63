"""The Clusters tab's analysis pages: the groups found, the elbow, restarts, Lloyd vs gradient descent.

Each page asks for its computation with a signal (the tab runs it as an action in
the trainer's process) and draws the result it is handed; none touches a trainer.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..training.engine import Snapshot
from ..widgets.live_text import LiveText
from ..widgets.palette import Palette
from ..widgets.plots import Plot, colour_of


def _note() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


class _Page(QWidget):
    """A plot, a note under it and a row of buttons; ``busy`` greys the buttons while the trainer computes."""

    requested = Signal()

    def __init__(self, plot: Plot | None, button: str, tip: str, parent=None):
        super().__init__(parent)
        self.plot = plot
        self.button = QPushButton(button)
        self.button.setToolTip(tip)
        self.button.clicked.connect(self.requested)
        self.note = _note()
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.button)
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        if plot is not None:
            layout.addWidget(plot, 1)
        layout.addWidget(self.note)
        layout.addLayout(self.buttons)
        self.result: dict[str, Any] | None = None

    def set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.button.setText(self.button.text().removesuffix(" …") + (" …" if busy else ""))

    def mark_stale(self) -> None:
        """The data changed since the result was computed."""
        if self.result is not None and "(computed before" not in self.note.text():
            self.note.setText(
                self.note.text() + " <i>(computed before the data last changed: compute again to update)</i>"
            )


class ElbowPage(_Page):
    """The converged objective against k: where adding a cluster stops paying, the curve bends (the elbow)."""

    def __init__(self, parent=None):
        plot = Plot("Converged objective for each k", "k (number of clusters)", "objective")
        super().__init__(
            plot,
            "Compute the elbow",
            "For k = 1 … 10: Lloyd's algorithm to convergence on these points, in the trainer's process",
        )
        self._line = plot.curve("loss", width=2)
        self._dots = plot.dots("loss", size=8)
        self._current = plot.dots("current", size=14)
        self.note.setText("Press the button: k-means runs to convergence for every k from 1 to 10.")

    def show_result(self, result: dict[str, Any], k: int) -> None:
        self.result = result
        ks, values = np.array(result["k"], dtype=float), np.array(result["objective"], dtype=float)
        self._line.setData(ks, values)
        self._dots.setData(ks, values)
        self.plot.getPlotItem().getViewBox().setRange(xRange=(0.5, max(ks.max(), 2) + 0.5), yRange=(0, values.max()))
        self.show_k(k)
        drops = -np.diff(values)  # drops[i]: from k = i + 1 to k = i + 2
        bend = (
            f" Here it bends most at <b>k = {int(np.argmax(drops[:-1] - drops[1:])) + 2}</b>."
            if drops.size >= 2
            else ""
        )
        self.note.setText(
            f"For each k, the best of {result['starts']} runs of Lloyd from k-means++ starts (seeds from "
            f"{result['seed']}). More clusters can always sit closer to the points, so look for the bend after "
            f"which one more cluster helps little.{bend}"
        )

    def show_k(self, k: int) -> None:
        if self.result is None or k not in self.result["k"]:
            self._current.setData([], [])
            return
        self._current.setData([k], [self.result["objective"][self.result["k"].index(k)]])


class RestartsPage(_Page):
    """Lloyd from several random starts: where each lands; a worse local minimum shows as a taller bar."""

    replay_requested = Signal(object)  # the starting centres (k, 2) of a run

    def __init__(self, runs: int = 10, parent=None):
        plot = Plot(f"Where {runs} random starts end", "run", "converged objective")
        super().__init__(
            plot,
            f"Run {runs} restarts",
            f"Lloyd's algorithm to convergence from {runs} different random starts, in the trainer's process",
        )
        self.best_button = QPushButton("Replay the best")
        self.worst_button = QPushButton("Replay the worst")
        for button, which in ((self.best_button, "best"), (self.worst_button, "worst")):
            button.setToolTip(f"Start the clusters from where the {which} run started (Reset), then press Play")
            button.setEnabled(False)
            self.buttons.insertWidget(1, button)
        self.best_button.clicked.connect(lambda: self._replay("best"))
        self.worst_button.clicked.connect(lambda: self._replay("worst"))
        self._bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        plot.themed(self._bars, self._restyle)
        self.note.setText(
            "k-means can get stuck: different starts can end in different groupings. Press the button to see."
        )

    def _restyle(self, palette: Palette) -> None:
        self._palette = palette
        if self.result is not None:
            self._draw()

    def show_result(self, result: dict[str, Any]) -> None:
        self.result = result
        self._draw()
        values = np.array(result["objective"])
        best, worst = int(values.argmin()), int(values.argmax())
        same = np.isclose(values, values[best], rtol=1e-9, atol=1e-12)
        self.best_button.setEnabled(True)
        self.worst_button.setEnabled(not same.all())
        if same.all():
            self.note.setText(
                f"All {len(values)} runs ended with the same objective ({values[best]:,.6g}): on these points every "
                "start found the same groups. Try more groups, the smiley or uniform noise."
            )
        else:
            self.note.setText(
                f"{int(same.sum())} of {len(values)} runs reached the best objective {values[best]:,.6g}; run "
                f"{worst + 1} got stuck at {values[worst]:,.6g}, a worse local minimum: there, no single assign or "
                "update can improve it, yet a different grouping is better. Replay both to watch."
            )

    def _draw(self) -> None:
        values = np.array(self.result["objective"], dtype=float)
        palette = self._palette
        best = np.isclose(values, values.min(), rtol=1e-9, atol=1e-12)
        worst = np.isclose(values, values.max(), rtol=1e-9, atol=1e-12) & ~best
        brushes = [
            pg.mkBrush(colour_of(palette, "optimum" if b else ("fit" if w else "loss")))
            for b, w in zip(best, worst, strict=True)
        ]
        self._bars.setOpts(x=np.arange(1, len(values) + 1), height=values, width=0.7, brushes=brushes, pen=None)
        self.plot.getPlotItem().getViewBox().setRange(xRange=(0.4, len(values) + 0.6), yRange=(0, values.max()))

    def _replay(self, which: str) -> None:
        values = np.array(self.result["objective"])
        run = int(values.argmin() if which == "best" else values.argmax())
        self.replay_requested.emit(np.array(self.result["initial"][run], dtype=float))


class ComparePage(_Page):
    """The same loss lowered two ways from the same start: Lloyd's jumps and gradient descent's small steps."""

    def __init__(self, parent=None):
        plot = Plot("Lloyd vs gradient descent, same start", "passes over the data (epochs)", "objective")
        super().__init__(
            plot,
            "Compare from Reset's centres",
            "From the centres Reset gives: Lloyd to convergence, and gradient descent with the learning rate and "
            "batch size of the controls, in the trainer's process",
        )
        plot.getPlotItem().addLegend(offset=(-10, 10), labelTextSize="8pt")
        self._lloyd = plot.curve("loss", width=2, name="Lloyd (assign + update)")
        self._gradient = plot.curve("series[0]", width=2, name="gradient descent")
        self.note.setText(
            "Clustering is trained like everything else: press the button to lower the same objective by Lloyd's "
            "algorithm and by gradient descent, from the same starting centres."
        )

    def show_result(self, result: dict[str, Any]) -> None:
        self.result = result
        lloyd, gradient = np.array(result["lloyd"]), np.array(result["gradient"])
        self._lloyd.setData(np.arange(len(lloyd)), lloyd)
        self._gradient.setData(np.arange(len(gradient)), gradient)
        top = max(lloyd.max(), gradient.max())
        self.plot.getPlotItem().getViewBox().setRange(
            xRange=(0, max(len(lloyd), len(gradient)) - 1 or 1), yRange=(0, top)
        )
        batch = "all points" if result["batch_size"] is None else f"batches of {result['batch_size']}"
        ending = (
            " Gradient descent diverged: lower the learning rate."
            if result["diverged"]
            else f" After {passes_text(len(gradient) - 1)} gradient descent is at {gradient[-1]:,.6g}."
        )
        passes = result["epochs"]
        lloyd_end = (
            f"Lloyd converged after {passes_text(result['converged_after'])} at {lloyd[-1]:,.6g}."
            if result["converged_after"] < passes
            else f"Lloyd had not converged after {passes_text(passes)} ({lloyd[-1]:,.6g})."
        )
        self.note.setText(
            f"{lloyd_end} Gradient descent "
            f"(learning rate {result['learning_rate']:g}, {batch}) walks downhill on the same objective in small "
            f"steps.{ending}"
        )


class GroupsPage(QWidget):
    """What each cluster holds: its size and centre in the data's units, and (revealed) the true groups in it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = LiveText()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.text, 1)

    def show_groups(
        self,
        palette: Palette,
        centers: np.ndarray,
        counts: np.ndarray | None,
        header: list[str],
        truth: tuple[np.ndarray, np.ndarray, tuple[str, ...]] | None,
    ) -> None:
        """``truth``: (the cluster of each point, its true group or −1, the groups' names), when revealed."""
        if counts is None:
            self.text.set_html(
                "<p>No point belongs to a cluster yet: press Step. The algorithm is not told what the groups "
                "are, and it never learns their names: looking at each cluster's centre, you decide.</p>"
            )
            return
        rows = []
        for j, centre in enumerate(centers):
            colour = colour_of(palette, f"clusters[{j}]")
            where = ", ".join(f"{name} {value:.3g}" for name, value in zip(header, centre, strict=True))
            cells = f"<td><span style='color:{colour}'>●</span> cluster {j + 1}</td><td>{int(counts[j])} points</td>"
            cells += f"<td>centre: {where}</td>"
            if truth is not None:
                labels, groups, names = truth
                mine = groups[(labels == j) & (groups >= 0)]
                found = np.bincount(mine, minlength=len(names))
                cells += "<td>" + ", ".join(f"{n} {name}" for n, name in zip(found, names, strict=True) if n) + "</td>"
            rows.append(f"<tr>{cells}</tr>")
        intro = (
            "The true groups were never shown to the algorithm: compare them with its clusters."
            if truth is not None
            else "The clusters have numbers, not names: a person names them by looking at what is in them."
        )
        self.text.set_html(f"<p>{intro}</p><table cellspacing=4>{''.join(rows)}</table>")


def readout_html(snapshot: Snapshot, palette) -> str:
    """What just happened and what comes next, in words, with the objective."""
    extra = snapshot.extra
    n = snapshot.n_points
    objective = extra.get("objective", float("nan"))
    lines = []
    next_half = extra.get("next")
    last = extra.get("last")
    if next_half == "assign":
        lines.append("<b>Next: assign</b> — every point joins its nearest centre (press Step).")
    elif next_half == "update":
        lines.append("<b>Next: update</b> — every centre moves to the mean of its points (press Step).")
    else:
        lines.append(
            "<b>Gradient descent</b> — each step moves every centre part of the way to the mean of its points in "
            "the batch: 2 × learning rate × (its share of the batch)."
        )
    if extra.get("labels") is None:
        lines.append("No point has a cluster yet: nobody has said which dots belong together.")
    elif last is not None and last["half"] == "assign":
        if last["first"]:
            lines.append(f"Assign: all {n:,} points got their nearest centre.")
        elif last["converged"]:
            lines.append(
                "<b>Converged</b>: the assign changed no point, so an update cannot move any centre: "
                "Lloyd's algorithm is done."
            )
        else:
            lines.append(
                f"Assign: {last['changed']:,} point{'s' if last['changed'] != 1 else ''} changed cluster; "
                f"objective {last['before']:,.6g} → {last['after']:,.6g}."
            )
    elif last is not None and last["half"] == "update":
        moved = f"the centres moved (the farthest by {last['moved']:.3g})" if last["moved"] else "no centre moved"
        lines.append(
            f"Update: {moved}; objective {last['before']:,.6g} → {last['after']:,.6g}."
            + (" <b>Converged</b>." if extra.get("converged") else "")
        )
    counts = extra.get("counts")
    if counts is not None and (counts == 0).any():
        names = ", ".join(str(j + 1) for j in np.flatnonzero(counts == 0))
        why = "at every update (drag it, or Reset)" if next_half else "(it gets no gradient)"
        lines.append(
            f"<span style='color:{palette.warning_text}'>Cluster {names} has no points: its centre stays where it "
            f"is {why}.</span>"
        )
    centre = "its nearest centre" if extra.get("labels") is None else "its centre"
    lines.append(
        f"Objective: Σ (distance from each point to {centre})² = <b>{objective:,.6g}</b> over {n:,} points "
        f"(the mean, {objective / max(n, 1):.4g}, is the trainer's loss)."
    )
    return "<br>".join(lines)


def passes_text(count: int) -> str:
    """ "1 pass", "12 passes" (a pass: every point assigned, then every centre updated)."""
    return f"{count:,} pass" if count == 1 else f"{count:,} passes"
