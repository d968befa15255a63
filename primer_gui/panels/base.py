"""The panel core every tab shares: runner, training controls, bindings, messages, status,
session state, undo, and the layout scaffold (a scrolling side column, a grid of plots).

A tab subclasses :class:`ConceptPanel` (or :class:`~.point_data.PointDataPanel`
when a person edits its points), passes its trainer and probe to ``__init__``,
and supplies:

``build()``
    its plots and side boxes (``add_plot``, ``add_side``), bindings
    (``bind``) and settings (``self.settings.add``);
``show_snapshot(snapshot)``
    draw a snapshot (items made once, ``setData`` per snapshot);
``explanation_html`` / ``hint``
    what it says, with the primer's terms linked to the glossary.

Everything else — Step/Play/Epoch/Reset, the counters and status line,
divergence and error messages, a runaway loss, hidden tabs, one window repaint
per snapshot while playing, saving and restoring — happens here once.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLayout,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..core.trainer import StepReport, Trainer
from ..garbage import collect_between_events
from ..tabs import tab_of
from ..training.bindings import Binding
from ..training.engine import Snapshot
from ..training.history import parse_history_state
from ..training.probe import Probe
from ..training.runner import TrainingRunner
from ..widgets.banner import Banner
from ..widgets.controls import LEARNING_RATE_RANGE, SPEEDS, TrainingControls
from ..widgets.explanation import Explanation
from ..widgets.palette import LIGHT, Palette
from ..widgets.plots import Plot
from ..widgets.settings import SettingsGroup

#: training that has made the loss this many times larger than at Play is stopped
RUNAWAY_GROWTH = 1e6
#: the largest batch size a session may hold (a batch size box can show it)
MAX_BATCH_SIZE = 10_000_000


class _EnterReleasesFocus(QObject):
    """After Enter in a number box, focus returns to the panel, so Space and → act on training again."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            watched.interpretText()
            watched.window().setFocus()
            return False
        return False


class ConceptPanel(QWidget):
    #: a line for the status bar: step, epoch, loss, updates per second
    status_changed = Signal(str)
    #: a glossary term the person asked about
    term_requested = Signal(str)

    explanation_html = ""
    hint = ""
    #: Play's speed when the tab opens (a label of the speed menu)
    default_speed = "max"
    #: the largest batch size offered (None: all the points), for a tab whose full batch would not fit in memory
    max_batch_size: int | None = None
    #: the status line's words when there is nothing to train on
    no_data_status = "no data"

    def __init__(
        self,
        trainer: Trainer,
        probe: Probe | None = None,
        *,
        rows: np.ndarray | None = None,
        threaded: bool = True,
        parent=None,
    ):
        super().__init__(parent)
        collect_between_events()  # (a tab is where the GUI and its trainer's threads begin)
        tab = tab_of(type(self))
        self.key, self.title = tab.key, tab.title
        self.undo_stack = QUndoStack(self)
        self.settings = SettingsGroup()
        self.bindings: dict[str, Binding] = {}
        self.trainer_class = type(trainer)
        hyperparameters = trainer.hyperparameter_values()
        self.controls = TrainingControls("learning_rate" in hyperparameters, "batch_size" in hyperparameters)
        self.controls.batch_cap = self.max_batch_size
        self.message = Banner()
        self.explanation = Explanation(self.explanation_html, self.hint)
        self.explanation.term_clicked.connect(self.term_requested)
        self._play_loss: float | None = None  # the loss when Play was pressed (see _running_away)
        self._runaway = False  # a runaway loss paused training: say so once it has stopped
        self._palette = LIGHT
        self._live = False
        self.training_changes = 0  # see touched()
        self._plots: list[Plot] | None = None
        self.runner = TrainingRunner(trainer, probe, rows=rows, threaded=threaded, parent=self)
        self._build_scaffold()
        self.build()
        self._bind_training_controls(hyperparameters)
        self._wire()
        focus = _EnterReleasesFocus(self)
        for box in self.findChildren(QAbstractSpinBox):
            box.installEventFilter(focus)
        self.apply_theme(LIGHT)
        if self.runner.latest is not None:
            self._on_runner_snapshot_ready(self.runner.latest)

    # -- for subclasses ----------------------------------------------------------------------------
    def build(self) -> None:
        """Make the tab's plots and side boxes."""

    def show_snapshot(self, snapshot: Snapshot) -> None:
        raise NotImplementedError

    def divergence_advice(self, learning_rate: float) -> str:
        return f"the learning rate {learning_rate:g} is too large"

    def initial_params(self) -> dict[str, Any] | None:
        """Parameters Reset starts from (None: the trainer's own initialisation)."""
        return None

    def after_session_loaded(self) -> None:
        """Redraw what depends on the restored settings or data (override)."""

    # -- the scaffold -------------------------------------------------------------------------------
    def _build_scaffold(self) -> None:
        self._side = QVBoxLayout()
        self._side.addWidget(self.message)
        self._side.addWidget(self.explanation)
        self._side.addWidget(self.controls)
        side_widget = QWidget()
        outer = QVBoxLayout(side_widget)
        outer.addLayout(self._side)
        outer.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(side_widget)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(330)
        self.grid = QGridLayout()
        right = QWidget()
        right.setLayout(self.grid)
        splitter = QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([360, 1040])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

    def add_side(self, item: QWidget | QLayout) -> None:
        """A box in the side column, below the training controls."""
        self._side.addLayout(item) if isinstance(item, QLayout) else self._side.addWidget(item)

    def add_plot(self, widget: QWidget, row: int, column: int, row_span: int = 1, column_span: int = 1) -> None:
        self.grid.addWidget(widget, row, column, row_span, column_span)

    def plots(self) -> list[Plot]:
        """Every plot of the tab (found once: the tab's plots are made in build())."""
        if self._plots is None:
            self._plots = self.findChildren(Plot)
        return self._plots

    def live_plots(self) -> list[Plot]:
        """The plots training changes: while playing, repainted once per snapshot (override to leave out
        plots that never change while training; they then repaint only when their own items change)."""
        return self.plots()

    def bind(self, binding: Binding) -> Binding:
        """Register a control ↔ hyper-parameter binding (checked when a session loads)."""
        self.bindings[binding.name] = binding
        return binding

    def _bind_training_controls(self, hyperparameters: dict) -> None:
        controls = self.controls
        if "learning_rate" in hyperparameters:

            def check(value: Any) -> None:
                low, high = LEARNING_RATE_RANGE
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
                    raise ValueError(f"must be a number from {low:g} to {high:g}, not {value!r}")

            self.bind(
                Binding(
                    self.runner,
                    "learning_rate",
                    controls.learning_rate_box,
                    controls.learning_rate,
                    controls.set_learning_rate,
                    controls.learning_rate_changed,
                    check=check,
                    on_refused=self.show_message,
                )
            )
        if "batch_size" in hyperparameters:

            def check_batch(value: Any) -> None:
                whole = isinstance(value, int) and not isinstance(value, bool)
                if value is not None and not (whole and 1 <= value <= MAX_BATCH_SIZE):
                    raise ValueError(f"must be empty (all points) or a whole number from 1 to {MAX_BATCH_SIZE:,}")

            self.bind(
                Binding(
                    self.runner,
                    "batch_size",
                    controls.batch_box,
                    controls.batch_size,
                    controls.set_batch_size,
                    controls.batch_size_changed,
                    check=check_batch,
                    on_refused=self.show_message,
                )
            )

    def _wire(self) -> None:
        self.controls.step_clicked.connect(self.step)
        self.controls.play_clicked.connect(self.toggle_play)
        self.controls.epoch_clicked.connect(self.one_epoch)
        self.controls.reset_clicked.connect(self.reset)
        self.controls.speed_changed.connect(self.runner.set_speed)
        self.controls.speed_box.setCurrentText(self.default_speed)
        self.settings.add("speed", self.controls.speed_box)
        self.runner.snapshot_ready.connect(self._on_runner_snapshot_ready)
        self.runner.playing_changed.connect(self._on_runner_playing_changed)
        self.runner.diverged.connect(self._on_runner_diverged)
        self.runner.failed.connect(self._on_runner_failed)
        self.runner.refused.connect(self._on_runner_refused)
        self.runner.process_lost.connect(self._on_runner_process_lost)

    def apply_theme(self, palette: Palette) -> None:
        self._palette = palette
        self.message.apply_theme(palette)
        self.controls.apply_theme(palette)
        for plot in self.plots():
            plot.apply_theme(palette)
        self.explanation.refresh()  # links take the new palette's colour

    # -- commands --------------------------------------------------------------------------------------
    @property
    def has_data(self) -> bool:
        latest = self.runner.latest
        return latest is not None and latest.has_data

    def touched(self) -> None:
        """The person changed the training (a command, not an edit or a setting): the session has news."""
        self.training_changes += 1

    def step(self) -> None:
        if self.has_data:
            self.touched()
            self.runner.step(1)

    def toggle_play(self) -> None:
        if self.runner.playing or self.has_data:
            self.touched()
            self.message.dismiss()
            if not self.runner.playing:
                self._play_loss = self.runner.latest.loss  # where a runaway is measured from
            self.runner.toggle()

    def one_epoch(self) -> None:
        if self.has_data:
            self.touched()
            self.runner.one_epoch()

    def train(self, steps: int) -> None:
        """``steps`` recorded updates of every trainer the tab has (``--screenshot``; a tab with two overrides it)."""
        self.runner.step(steps)

    def reset(self) -> None:
        self.touched()
        self.message.dismiss()
        self.runner.reset(self.initial_params())

    def shutdown(self) -> bool:
        return self.runner.shutdown()

    def set_shown(self, shown: bool) -> None:
        """A hidden tab publishes no snapshots (it may go on training); shown again, it catches up with one."""
        self.runner.set_visible(shown)

    def show_message(self, text: str, action=None) -> None:
        """Say it in the tab's banner (not the status bar, which keeps the live step and loss)."""
        self.message.show_message(text, action)

    # -- session ----------------------------------------------------------------------------------------
    def session_state(self) -> dict:
        """The tab as a session saves it (its trainer and history as they are between two steps)."""
        state = self.runner.query("session")
        state["settings"] = self.settings.state()
        return state

    def parse_session_state(self, state: Any) -> dict:
        """Check a saved tab completely, without applying anything; raises ValueError naming the problem."""
        try:
            if not isinstance(state, dict):
                raise ValueError("it is not a table of fields")
            missing = [name for name in ("trainer", "history", "settings") if name not in state]
            if missing:
                raise ValueError(f"it has no {', '.join(missing)}")
            settings = self.settings.parse(state["settings"])
            restored = self._parse_trainer(state["trainer"])
            parsed = {
                "trainer": state["trainer"],
                "restored": restored,  # the trainer rebuilt from it (checked; parse_more may read it)
                "history": state["history"],
                "settings": settings,
                "probe": self.session_probe(settings),
            }
            steps = parse_history_state(state["history"], self.runner.probe.series)[0]
            trainer_steps = state["trainer"]["step_count"]
            if steps and steps[-1] > trainer_steps:
                raise ValueError(f"its history goes to step {steps[-1]:,} but its trainer is at step {trainer_steps:,}")
            parsed.update(self.parse_more(state, parsed))
        except ValueError as error:
            raise ValueError(f"The session's {self.title} part is damaged: {str(error).rstrip('.')}.") from None
        except (TypeError, KeyError, AttributeError, IndexError, OverflowError, RecursionError) as error:
            # defence in depth: every field above is checked, but a file can be malformed in endless ways
            raise ValueError(f"The session's {self.title} part is damaged ({type(error).__name__}: {error}).") from None
        return parsed

    def _parse_trainer(self, state: Any) -> Trainer:
        expected = self.trainer_class.__name__
        if not isinstance(state, dict) or state.get("class") != expected:
            raise ValueError(f"its trainer is not a {expected}")
        trainer = self.trainer_class.from_state_dict(state)
        values = trainer.hyperparameter_values()
        for name, binding in self.bindings.items():
            try:
                binding.check(values[name])
            except ValueError as error:
                raise ValueError(f"the trainer's {name.replace('_', ' ')} {error}") from None
        return trainer

    def session_probe(self, settings: dict) -> Probe:
        """The probe as the saved settings configure it (override when a setting shapes the data)."""
        return self.runner.probe

    def parse_more(self, state: dict, parsed: dict) -> dict:
        """Check the tab's own parts of a saved state (override); returns them parsed."""
        return {}

    def apply_session_state(self, parsed: dict) -> None:
        """Apply what :meth:`parse_session_state` checked."""
        self.message.dismiss()
        self.runner.load(parsed["trainer"], parsed["history"], probe=parsed["probe"], **self.load_more(parsed))
        self.settings.apply(parsed["settings"])
        self.runner.set_speed(SPEEDS[self.controls.speed_box.currentText()])  # restored quietly: tell the runner
        self.undo_stack.clear()
        self.after_session_loaded()

    def load_more(self, parsed: dict) -> dict:
        """Extra fields for the runner's load (override: ``rows``)."""
        return {}

    def load_session_state(self, state: dict) -> None:
        """Restore a saved tab; validates everything first, so a bad state changes nothing."""
        self.apply_session_state(self.parse_session_state(state))

    # -- runner → GUI ------------------------------------------------------------------------------------
    def _on_runner_snapshot_ready(self, snapshot: Snapshot) -> None:
        if snapshot.playing != self._live:
            self._live = snapshot.playing
            for plot in self.live_plots():
                plot.set_live(self._live)
        self.controls.set_counters(snapshot.step, snapshot.epoch)
        self.controls.set_training_enabled(snapshot.has_data)
        if snapshot.n_points != self.controls.n_points:
            self.controls.set_batch_size(self.controls.batch_size(), snapshot.n_points)
        self.status_changed.emit(self._status(snapshot))
        self.show_snapshot(snapshot)
        if snapshot.playing and not self._runaway and self._running_away(snapshot):
            self._runaway = True  # said once Play has really stopped, with the numbers it stopped at
            self.runner.pause()
        for plot in self.live_plots():
            plot.repaint_frame()

    def _status(self, snapshot: Snapshot) -> str:
        if not snapshot.has_data:
            return self.no_data_status
        parts = [f"step {snapshot.step:,}", epochs_done(snapshot.epoch), f"loss {format_loss(snapshot.loss)}"]
        if snapshot.playing:
            parts.append(f"{snapshot.updates_per_second:,.0f} updates/s")
        if snapshot.busy:
            parts.append(f"running {snapshot.busy}…")
        return " · ".join(parts)

    def _running_away(self, snapshot: Snapshot) -> bool:
        """Has the loss grown ``RUNAWAY_GROWTH``-fold since Play, and beyond where training began?

        Divergence proper is an overflow, which at a learning rate just above the stable limit
        takes thousands of steps of ever larger numbers; this stops it once the point is made.
        (The second bound keeps a loss that is tiny at Play, on data a line fits exactly, from
        counting its rounding noise as growth.)
        """
        if not math.isfinite(snapshot.loss) or self._play_loss is None or not math.isfinite(self._play_loss):
            return False
        first = snapshot.history.losses[0] if len(snapshot.history) else snapshot.loss
        return snapshot.loss > max(RUNAWAY_GROWTH * self._play_loss, first)

    def _on_runner_playing_changed(self, playing: bool) -> None:
        self.controls.set_playing(playing)
        if not playing and self._runaway:
            self._runaway = False
            latest = self.runner.latest
            learning_rate = latest.hyperparameters.get("learning_rate", math.nan)
            self.show_message(
                f"Training stopped at step {latest.step:,}: since Play the loss grew more than "
                f"{RUNAWAY_GROWTH:,.0f}-fold ({self._play_loss:.3g} → {latest.loss:.3g}) — "
                f"{self.divergence_advice(learning_rate)}.",
                self._recovery(),
            )

    def safe_learning_rate(self) -> float | None:
        """A learning rate that trains stably here, if the tab knows one (override)."""
        return None

    def _recovery(self) -> tuple[str, Any]:
        """The way out of a divergence: lower the learning rate to a safe one and Reset, or just Reset."""
        safe = self.safe_learning_rate()
        if safe is None:
            return "Reset", self.reset

        def lower_and_reset() -> None:
            self.runner.set("learning_rate", safe)
            self.reset()

        return f"Lower it to {safe:.2g} and Reset", lower_and_reset

    def _on_runner_diverged(self, report: StepReport) -> None:
        advice = self.divergence_advice(report.learning_rate)
        self.show_message(
            f"Training stopped: the update after step {report.step - 1:,} made the loss overflow, so it was not "
            f"applied — {advice}. The parameters are kept at their last finite values, which are far out: "
            "lower the learning rate, then Reset to start again.",
            self._recovery(),
        )

    def _on_runner_failed(self, message: str) -> None:
        self.show_message("Training stopped by an error: " + message.split("\n", 1)[0])

    def _on_runner_refused(self, what: str, message: str, _value: Any) -> None:
        if what not in self.bindings:  # a binding shows its own refusals
            self.show_message(message)

    def _on_runner_process_lost(self, message: str) -> None:
        self.show_message(message)


def epochs_done(epochs: int) -> str:
    return f"{epochs:,} epoch{'' if epochs == 1 else 's'} done"


def format_loss(loss: float) -> str:
    """A loss for the status bar: NaN (none yet) as a dash, an overflow said in words."""
    if math.isnan(loss):
        return "—"
    return "∞ (overflow)" if math.isinf(loss) else f"{loss:.6g}"
