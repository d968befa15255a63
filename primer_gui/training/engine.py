"""Engine: one trainer, its data, its history and its probe, driven by commands given as data.

The engine is the part of a runner that touches the trainer, and it is Qt-free:
while a tab plays it runs in a child process (:mod:`.process`), and in
in-process mode (tests, ``--screenshot``) on the GUI thread, with the same code,
so both give bit-identical trajectories.

Commands are tuples (they cross a process boundary as data, never as closures)
and are applied between steps, in order:

``("play",)`` ``("pause",)`` ``("toggle",)``
    toggle is decided here, so a fast double Space cannot send Play twice;
``("step", n)`` ``("epoch",)`` ``("action", name, kwargs)``
    finite *tasks*; they pause first, and run in slices (a generator whose
    every ``next()`` is a little work), so Pause or closing the window
    interrupts even a long epoch;
``("reset", params)``
    back to the start (then these parameters, if given) in one command, so no
    frame shows the in-between state;
``("set", name, value)``
    a hyper-parameter; refused values come back as ``("refused", …)`` with the
    trainer's value, which the GUI writes back into its control;
``("edit", edit)`` ``("configure", settings)`` ``("load", state)``
    a data edit (:mod:`.edits`), probe settings, a whole new trainer;
``("speed", v)`` ``("visible", b)`` ``("query", id, name, kwargs)`` ``("restore", …)``.

Out of it come messages, collected in :attr:`Engine.outbox`: ``("snapshot", Snapshot)``
at most once per display frame while something changes, ``("playing", bool)``,
``("diverged", report)``, ``("failed", text)``, ``("refused", what, message, value)``,
``("result", name, value)`` and ``("reply", id, ok, value)``.

The loss is recorded at most once per frame and only within a budget: a
recording (the probe's ``loss`` — ``trainer.loss()`` — and metrics, a forward pass over all
the data) takes at most ``RECORD_BUDGET`` of the time.  For the word model one
costs ~16 ms against a ~0.1 ms step; recorded after every slice it kept training
at 5 steps/s instead of thousands.
"""

from __future__ import annotations

import math
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ..core.trainer import Params, StepReport, Trainer
from .edits import apply_edit
from .history import History, HistoryDelta
from .probe import Probe

#: at most one snapshot per display frame
FRAME_SECONDS = 1 / 60
#: the longest the engine works before it looks for commands again
SLICE_SECONDS = 0.008
#: the share of time that recording the loss (a full forward pass) may take
RECORD_BUDGET = 0.1
#: a run() call is sized to take about this long; commands are looked for in between.  (run() ends on a
#: full step() with its report — ~280 µs for a 6×8 network against ~35 µs for a fast step — so a short
#: chunk pays for it often: 1 ms lost ~30 % of the training, 3 ms ~10 %)
CHUNK_SECONDS = 0.003
#: Play at this many updates per second or fewer makes every step an inspected one
INSPECTED_SPEED = 30.0


@dataclass(frozen=True)
class Snapshot:
    """What the GUI draws: copies of the trainer's state at one moment.

    As the engine sends it, ``history`` is a :class:`~.history.HistoryDelta` and
    ``report`` is only sent when it is new (``report_new``; a reset makes "no
    report" new); the runner hands the GUI the same snapshot with ``history`` its
    :class:`~.history.HistoryMirror` and ``report`` the latest report.  ``revision`` counts changes to the trainer
    (steps, edits, settings); ``report_revision`` is the revision just after the
    report's step, so "the loss after this step" is only shown while they agree.
    """

    step: int
    epoch: int
    loss: float
    params: Params
    history: Any
    playing: bool
    busy: str | None
    updates_per_second: float
    has_data: bool
    n_points: int
    revision: int
    loads: int
    hyperparameters: dict[str, Any]
    report_new: bool = False
    report: StepReport | None = None
    report_batch: tuple[np.ndarray, np.ndarray | None] | None = None
    report_revision: int = -1
    #: the number of points and the batch size setting when the report's step was taken
    report_context: tuple[int, int | None] = (0, None)
    extra: dict[str, Any] = field(default_factory=dict)


class Engine:
    def __init__(
        self,
        trainer: Trainer,
        probe: Probe | None = None,
        rows: np.ndarray | None = None,
        *,
        clock: Callable[[], float] = time.perf_counter,
    ):
        self.trainer = trainer
        self.probe = probe if probe is not None else Probe()
        self.rows = None if rows is None else np.array(rows, dtype=float, copy=True)
        self.history = History(self.probe.series)
        self.outbox: list[tuple] = []
        self.clock = clock
        self.playing = False
        self.visible = True
        self.speed: float | None = None  # updates per second; None: as fast as possible
        self._task: Iterator | None = None
        self._task_name: str | None = None
        self._chunk = 1
        self._next_frame = 0.0
        self._dirty = True  # something changed that no snapshot has shown yet
        self._force = True  # publish the next snapshot as soon as allowed, not on the frame grid
        self._report: StepReport | None = None
        self._report_batch: tuple | None = None
        self._report_new = False
        self._report_revision = -1
        self._report_context: tuple[int, int | None] = (0, None)
        self._revision = 0
        self._record_cost = 0.0
        self._last_record = -math.inf
        self._rate_window: list[tuple[float, int]] = []
        self._paced_origin = (0.0, 0)
        self._extra_failed = False
        self._tracing = False  # the loss is growing: step by step (Probe.trace_divergence)
        self._chunk_loss = math.inf  # the batch loss at the end of the last chunk
        self._loads = 0  # "load" commands applied: the GUI knows which snapshot shows a session it opened
        self.data_version = 0  # changes whenever the training data may have (see state())
        if self.rows is not None and self.rows.shape[0]:
            trainer.set_data(*self.probe.data(self.rows))
        self._record(force=True)

    # -- state to start a child from, or to restart one ----------------------------------------
    def state(self, with_data: bool = True) -> dict:
        """Everything needed to rebuild this engine elsewhere (picklable).

        Without data (``data`` False in the result) the trainer's ``X``, ``y`` and the rows are left
        out: a checkpoint sent every second need not carry megabytes that have not changed since the
        last one (``data_version`` says when they did).
        """
        trainer = self.trainer.raw_state()
        if not with_data:
            trainer["X"] = trainer["y"] = None
        return {
            "data": with_data,
            "trainer": trainer,
            "history": self.history.state(),
            "rows": self.rows if with_data else None,
            "probe": self.probe,
            "speed": self.speed,
            "visible": self.visible,
            "revision": self._revision,
            "loads": self._loads,
        }

    @classmethod
    def from_state(cls, state: dict) -> Engine:
        trainer_state = state["trainer"]
        trainer = _trainer_class(trainer_state["class"]).from_state_dict(trainer_state)
        engine = cls(trainer, state["probe"])
        engine.rows = state["rows"]
        engine.history.load_state(state["history"])
        engine.speed, engine.visible = state["speed"], state["visible"]
        engine._revision, engine._loads = state.get("revision", 0), state.get("loads", 0)
        return engine

    @property
    def has_data(self) -> bool:
        return self.trainer.X is not None and (self.rows is None or self.rows.shape[0] > 0)

    @property
    def busy(self) -> bool:
        """Training or running a task: the engine wants to be called again soon."""
        return self.playing or self._task is not None

    # -- commands --------------------------------------------------------------------------------
    def handle(self, command: tuple) -> None:
        """Apply one command (see the module docstring); a failure is reported, never raised."""
        name, *args = command
        try:
            getattr(self, "_do_" + name)(*args)
        except Exception as error:  # noqa: BLE001 - any failure must reach the person
            self._fail(error)

    def _do_play(self) -> None:
        if self.playing or not self.has_data:
            return
        self._cancel_task()
        self.playing = True
        self._paced_origin = (self.clock(), self.probe.progress(self.trainer))
        self._rate_window.clear()
        self.outbox.append(("playing", True))
        self._changed(force=True)

    def _do_pause(self) -> None:
        self._cancel_task()
        if self.playing:
            self.playing = False
            self.outbox.append(("playing", False))
            self._record(force=True)
            self._changed(force=True)

    def _do_toggle(self) -> None:
        self._do_pause() if self.playing else self._do_play()

    def _do_step(self, count: int) -> None:
        self._do_pause()
        if self.has_data and count > 0:
            self._start_task("step", self._steps(int(count)))

    def _do_epoch(self) -> None:
        self._do_pause()
        if self.has_data:
            self._start_task("epoch", self._epoch())

    def _do_action(self, name: str, kwargs: dict) -> None:
        self._do_pause()
        method = getattr(self.probe, "action_" + name, None)
        if method is None:
            raise ValueError(f"This tab has no action {name!r}.")
        outcome = method(self.trainer, **kwargs)
        if isinstance(outcome, Iterator):
            self._start_task(name, self._action(name, outcome))
        else:
            self._finish_action(name, outcome)

    def _do_reset(self, params: Params | None = None) -> None:
        self._do_pause()
        self.trainer.reset()
        if params and self.trainer.params:
            self.trainer.set_params(**params)
        self.history.clear()
        self._revision += 1
        self._report = self._report_batch = None
        self._report_new = True  # "no report" is news too: the inspector clears
        self._record(force=True)
        self._changed(force=True)

    def _do_set(self, name: str, value: Any) -> None:
        try:
            setattr(self.trainer, name, value)
        except ValueError as error:
            self.outbox.append(("refused", name, str(error), getattr(self.trainer, name)))
            return
        self._revision += 1
        self._record(force=True)
        self._changed()

    def _do_edit(self, edit: Any) -> None:
        rows, _inverse = apply_edit(self.rows, edit)
        self._set_rows(rows)

    def _do_rows(self, rows: np.ndarray) -> None:
        self._set_rows(np.array(rows, dtype=float, copy=True))

    def _set_rows(self, rows: np.ndarray) -> None:
        if rows.shape[0]:
            try:
                self.trainer.set_data(*self.probe.data(rows))
            except ValueError as error:  # the GUI checks edits first; this is the last line of defence
                self.outbox.append(("refused", "data", str(error), None))
                return
        else:
            self._do_pause()
            self._cancel_task()
        self.rows = rows
        self._revision += 1
        self.data_version += 1
        self._record(force=True)
        self._changed()

    def _do_configure(self, settings: dict) -> None:
        if self.probe.configure(**settings) and self.rows is not None and self.rows.shape[0]:
            self.trainer.set_data(*self.probe.data(self.rows))
            self.data_version += 1
        self._revision += 1
        self._record(force=True)
        self._changed()

    def _do_load(self, state: dict) -> None:
        """A whole new trainer (and history, rows, probe where given): a session, a new architecture."""
        self._do_pause()
        trainer_state = state["trainer"]
        trainer = _trainer_class(trainer_state["class"]).from_state_dict(trainer_state)
        probe = state.get("probe", self.probe)
        history = History(probe.series)
        if state.get("history") is not None:
            history.load_state(state["history"])
        self.trainer, self.probe = trainer, probe
        if "rows" in state:
            self.rows = None if state["rows"] is None else np.array(state["rows"], dtype=float, copy=True)
        history.version = self.history.version + 1  # the GUI's mirror takes it whole
        self._loads += 1
        self.data_version += 1
        self.history = history
        self._revision += 1
        self._report = self._report_batch = None
        self._report_new = True
        self._extra_failed = False
        if not len(history):
            self._record(force=True)
        self._changed(force=True)

    def _do_restore(self, params: Params, step: int, epoch: int) -> None:
        """After a restart: the parameters and counters of the last snapshot the GUI received."""
        self.trainer.set_params(**params)
        self.trainer.step_count, self.trainer.epoch_count = int(step), int(epoch)
        self._revision += 1
        self._changed(force=True)

    def _do_speed(self, updates_per_second: float | None) -> None:
        self.speed = updates_per_second
        self._paced_origin = (self.clock(), self.probe.progress(self.trainer))

    def _do_visible(self, visible: bool) -> None:
        self.visible = bool(visible)
        if self.visible:
            self._changed(force=True)

    def _do_query(self, ident: int, name: str, kwargs: dict) -> None:
        try:
            value = self.query(name, **kwargs)
        except Exception as error:  # noqa: BLE001 - handed back to the caller to re-raise
            self.outbox.append(("reply", ident, False, error))
        else:
            self.outbox.append(("reply", ident, True, value))

    def query(self, name: str, **kwargs: Any) -> Any:
        """Answer a question about the live state (between steps)."""
        if name == "session":
            return {"trainer": self.trainer.state_dict(), "history": self.history.state()}
        if name == "trainer_state":
            return self.trainer.raw_state()
        method = getattr(self.probe, "query_" + name, None)
        if method is None:
            raise ValueError(f"This tab cannot answer {name!r}.")
        return method(self.trainer, **kwargs)

    # -- tasks -------------------------------------------------------------------------------------
    def _start_task(self, name: str, task: Iterator) -> None:
        self._task, self._task_name = task, name
        self._changed(force=True)

    def _cancel_task(self) -> None:
        if self._task is not None:
            self._task.close()
            self._task = self._task_name = None
            self._record(force=True)
            self._changed(force=True)

    def _steps(self, count: int) -> Iterator[None]:
        """``count`` updates, each with a report (the inspector shows the last)."""
        for _ in range(count):
            if not self._inspected_step():
                return
            yield

    def _epoch(self) -> Iterator[None]:
        """Updates until the epoch counter moves on: the fast path, then one inspected step."""
        while self.trainer.batches_left_in_epoch > 1:
            if not self._run(min(self._chunk, self.trainer.batches_left_in_epoch - 1)):
                return
            yield
        self._inspected_step()

    def _action(self, name: str, work: Iterator) -> Iterator[None]:
        try:
            while True:
                next(work)
                self._changed()
                yield
        except StopIteration as done:
            self._finish_action(name, done.value)

    def _finish_action(self, name: str, result: Any) -> None:
        self._revision += 1
        self._record(force=True)
        self.outbox.append(("result", name, result))
        self._changed(force=True)

    def _keep_report(self, report: StepReport) -> None:
        self._report, self._report_new = report, True
        self._report_batch = self.probe.report_rows(self.trainer, report.batch)
        self._report_context = (self.trainer.n_points, self.trainer.batch_size)

    def _inspected_step(self) -> bool:
        """One ``step()`` whose report the inspector shows; False if it diverged."""
        epoch = self.trainer.epoch_count
        report = self.trainer.step()
        self._keep_report(report)
        if report.diverged:
            self._diverged(report)
            return False
        self._trained(epoch, report.loss, record=True)
        self._report_revision = self._revision
        return True

    def _trained(self, epoch_before: int, batch_loss: float, record: bool = False) -> None:
        """Book-keeping after training: revision, epoch mark, the loss within its budget.

        With ``Probe.trace_divergence``, a batch loss more than twice the last one starts tracing
        (one step at a time, each recorded) until the loss stops growing.
        """
        self._revision += 1
        if self.trainer.epoch_count != epoch_before:
            self.history.mark_epoch(self.trainer.step_count)
        if self.probe.trace_divergence:
            threshold = self._chunk_loss if self._tracing else 2.0 * self._chunk_loss
            self._tracing, self._chunk_loss = bool(batch_loss > threshold), batch_loss
        # (a traced divergence is recorded at every step: it lasts only until the overflow)
        self._record(force=self._tracing, frame_paced=not record)
        self._dirty = True

    def _diverged(self, report: StepReport) -> None:
        self._task = self._task_name = None
        if self.playing:
            self.playing = False
            self.outbox.append(("playing", False))
        self._keep_report(report)
        self._report_revision = self._revision
        self.outbox.append(("diverged", report))
        self._record(force=True)
        self._changed(force=True)

    def _fail(self, error: BaseException) -> None:
        self._task = self._task_name = None
        if self.playing:
            self.playing = False
            self.outbox.append(("playing", False))
        summary = f"{type(error).__name__}: {error}"
        self.outbox.append(("failed", summary + "\n\n" + traceback.format_exc()))
        self._changed(force=True)

    # -- working ------------------------------------------------------------------------------------
    def work(self, budget: float = SLICE_SECONDS, interrupted: Callable[[], bool] | None = None) -> None:
        """Train or run the task for up to ``budget`` seconds (less when a frame is due), then publish.

        ``interrupted()`` is asked between chunks: a waiting command ends the slice early.
        """
        start = self.clock()
        deadline = start + budget
        if self.visible and self.playing:
            deadline = min(deadline, max(self._next_frame, start + CHUNK_SECONDS))
        try:
            while self.busy and self.clock() < deadline:
                if self._task is not None:
                    try:
                        next(self._task)
                    except StopIteration:
                        self._task = self._task_name = None
                        self._record(force=True)
                        self._changed(force=True)
                elif not self._train_chunk():
                    break
                if interrupted is not None and interrupted():
                    break
        except Exception as error:  # noqa: BLE001 - any failure must reach the person
            self._fail(error)
        self.publish()

    def finish(self) -> None:
        """Run the current task to its end at once (in-process mode: a test's ``step(25)``)."""
        while self._task is not None:
            self.work(budget=math.inf)

    def _steps_due(self, now: float) -> int:
        if self.speed is None:
            return self._chunk
        origin_time, origin_step = self._paced_origin
        done = self.probe.progress(self.trainer)
        due = int((now - origin_time) * self.speed) - (done - origin_step)
        if due > 1000:  # fell far behind (the machine paused): don't try to catch up
            self._paced_origin = (now, done)
            due = 1
        return max(due, 0)

    def next_due(self) -> float | None:
        """Seconds until the engine wants to work again (0: now), or None when idle."""
        now = self.clock()
        if self._task is not None:
            return 0.0
        if self.playing:
            if self.speed is None or self._steps_due(now):
                return 0.0
            origin_time, origin_step = self._paced_origin
            done = self.probe.progress(self.trainer)
            return max(origin_time + (done - origin_step + 1) / self.speed - now, 0.0)
        if self._dirty and self.visible:
            return max(self._next_frame - now, 0.0) if not self._force else 0.0
        return None

    def _train_chunk(self) -> bool:
        """Play's unit of work: the steps due (about a millisecond's worth at full speed).

        Slow enough to follow (``INSPECTED_SPEED`` updates per second or fewer), every step is an
        inspected one: the inspector and the batch shown on the data follow Play step by step.
        """
        due = self._steps_due(self.clock())
        slow = self.speed is not None and self.speed <= INSPECTED_SPEED
        if due and slow and type(self.probe).run is Probe.run:  # (a probe with its own unit of work keeps it)
            return self._inspected_step()
        if self._tracing:
            due = min(due, 1)
        return due > 0 and self._run(due)

    def _run(self, steps: int) -> bool:
        """``steps`` units of Play's work (``probe.run``: updates by default), sizing the next chunk to
        ~``CHUNK_SECONDS``; False if it diverged."""
        before = self.clock()
        epoch = self.trainer.epoch_count
        report = self.probe.run(self.trainer, steps)
        if (self.speed is None or self._task is not None) and not self._tracing:
            elapsed = max(self.clock() - before, 1e-7)
            self._chunk = int(min(max(self._chunk * min(CHUNK_SECONDS / elapsed, 2.0), 1), 100_000))
        if report.diverged:
            self._diverged(report)
            return False
        self._trained(epoch, report.loss)
        return True

    # -- recording and publishing ---------------------------------------------------------------------
    def _record(self, force: bool = False, frame_paced: bool = True) -> None:
        """Record the loss and metrics, if the budget allows (always when ``force``)."""
        if not self.has_data:
            return
        now = self.clock()
        since = now - self._last_record
        if not force and (since < self._record_cost / RECORD_BUDGET or (frame_paced and since < FRAME_SECONDS)):
            return
        trainer = self.trainer
        values = (self.probe.loss(trainer), *self.probe.metrics(trainer))
        point = self.probe.track(trainer)
        done = self.clock()
        self._record_cost = 0.7 * (done - now) + 0.3 * self._record_cost
        self._last_record = done
        self.history.append(trainer.step_count, values, point)

    def _changed(self, force: bool = False) -> None:
        self._dirty = True
        self._force = self._force or force

    def publish(self, now_or_never: bool = False) -> bool:
        """Put a snapshot in the outbox if something changed and a frame is due (or it is forced).

        ``now_or_never`` publishes any change at once (in-process mode: a command's effect is
        visible when the call returns).
        """
        now = self.clock()
        due = self._force or now_or_never or now >= self._next_frame
        if not self._dirty or not self.visible or not due:
            return False
        self._dirty = self._force = False
        # due times keep to a 60 Hz grid, so a late snapshot doesn't push every later one back
        self._next_frame = max(self._next_frame + FRAME_SECONDS, now + 0.8 * FRAME_SECONDS)
        trainer = self.trainer
        has_data = self.has_data
        extra = {}
        if has_data and not self._extra_failed:
            try:
                extra = self.probe.extra(trainer)
            except Exception as error:  # noqa: BLE001 - reported once, not every frame
                self._extra_failed = True
                self._fail(error)
                self._dirty = False
        report_new, self._report_new = self._report_new, False
        self.outbox.append(
            (
                "snapshot",
                Snapshot(
                    step=trainer.step_count,
                    epoch=trainer.epoch_count,
                    loss=self.history.latest() if has_data else math.nan,
                    params=self.probe.params(trainer),
                    history=self.history.delta(),
                    playing=self.playing,
                    busy=self._task_name,
                    updates_per_second=self._updates_per_second(now),
                    has_data=has_data,
                    n_points=trainer.n_points if has_data else 0,
                    revision=self._revision,
                    loads=self._loads,
                    hyperparameters=trainer.hyperparameter_values(),
                    report_new=report_new,
                    report=self._report if report_new else None,
                    report_batch=self._report_batch if report_new else None,
                    report_revision=self._report_revision,
                    report_context=self._report_context,
                    extra=extra,
                ),
            )
        )
        return True

    def _updates_per_second(self, now: float) -> float:
        window = self._rate_window
        window.append((now, self.trainer.step_count))
        while len(window) > 2 and now - window[0][0] > 1.0:
            window.pop(0)
        if not self.playing or len(window) < 2 or window[-1][0] == window[0][0]:
            return 0.0
        return (window[-1][1] - window[0][1]) / (window[-1][0] - window[0][0])

    def take_outbox(self) -> list[tuple]:
        out, self.outbox = self.outbox, []
        return out


def merge_snapshots(older: Snapshot, newer: Snapshot) -> Snapshot:
    """One snapshot standing for both (latest wins), with both history deltas and the newest report."""
    history: HistoryDelta = older.history.merged(newer.history)
    if older.report_new and not newer.report_new:
        return replace(newer, history=history, report_new=True, report=older.report, report_batch=older.report_batch)
    return replace(newer, history=history)


def _trainer_class(name: str) -> type[Trainer]:
    """The core trainer class of this name (states name their class)."""
    import primer_gui.core as core

    cls = getattr(core, name, None)
    if not (isinstance(cls, type) and issubclass(cls, Trainer)):
        raise ValueError(f"There is no trainer called {name!r}.")
    return cls
