"""TrainingRunner: the GUI thread's handle on one trainer, which trains in its own process.

The GUI asks, the engine acts.  Every command (play, pause, step, one epoch,
reset, a data edit, a hyper-parameter…) is data (:mod:`.engine`), applied
between steps in the order given, so a click that adds a point never races an
update.  Where the engine runs:

* ``threaded=True`` (the app): in a child process (:mod:`.process`).  A relay
  ``QThread`` forwards commands to it and brings its messages back, blocking in
  ``wait()`` on two pipes, so it holds no GIL while the GUI draws.  Snapshots
  come through a one-slot mailbox (latest wins, their history deltas merged),
  so at most one waits for the GUI however slow it is.  The process is started
  when the runner is made, so the first Play finds it ready.
* ``threaded=False`` (unit tests, ``--screenshot``): on the GUI thread, with the
  same engine; Step and One epoch finish before the call returns, and Play is
  driven by a zero-interval timer.  Both give bit-identical trajectories.

If the process dies (killed, out of memory) the runner says so (``process_lost``),
keeps the last state it received and starts a fresh process from its last
checkpoint, replaying the commands given since, at the next command.  On
:meth:`shutdown` the process sends its final state and exits; the runner keeps
it, so :attr:`trainer` and :meth:`query` still answer after the window closed.
"""

from __future__ import annotations

import itertools
import os
import pickle
import queue
import socket
import subprocess
import sys
import threading
import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from multiprocessing.connection import Connection, Pipe, wait
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from ..core.trainer import StepReport, Trainer
from .engine import SLICE_SECONDS, Engine, Snapshot, _trainer_class, merge_snapshots
from .history import HistoryMirror
from .probe import Probe

#: how long the GUI waits for an answer from the trainer's process
QUERY_SECONDS = 10.0
#: the trainer's process runs its numerical libraries on one thread (see ``_Relay._start_process``)
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
#: commands that change the trainer's state: replayed into a restarted process
_STATEFUL = {"reset", "set", "edit", "rows", "configure", "load", "restore", "speed", "visible"}

_live_threads: weakref.WeakSet[QThread] = weakref.WeakSet()


def live_threads() -> list[QThread]:
    """Every relay thread not yet collected: the test suite checks none is left running."""
    return list(_live_threads)


def _with_data(state: dict, previous: dict) -> dict:
    """A checkpoint made whole: one sent without its (unchanged) data takes the previous one's."""
    if state.get("data", True):
        return state
    trainer = {**state["trainer"], "X": previous["trainer"]["X"], "y": previous["trainer"]["y"]}
    return {**state, "data": True, "trainer": trainer, "rows": previous["rows"]}


class _Reply:
    def __init__(self) -> None:
        self.event = threading.Event()
        self.ok = False
        self.value: Any = None


class _Writer:
    """Sends to the trainer's process, in order, on a thread of its own, so the relay never stops reading.

    Both ends send large messages (a model to load, a checkpoint, a query's answer) and a socket holds
    ~200 KB: if the relay finished each send before reading again, a large message going each way at
    once would leave both ends waiting on the other forever.
    """

    def __init__(self, conn: Connection, report: Callable[[str], None]):
        self._conn = conn
        self._report = report  # says what could not be sent (a programming error: a probe that cannot pickle)
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._broken = False
        self._thread = threading.Thread(target=self._run, name="trainer process writer", daemon=True)
        self._thread.start()

    def send(self, message: tuple) -> None:
        self._queue.put(message)

    def close(self, timeout: float = 1.0) -> None:
        """Send what is queued (for up to ``timeout`` seconds), then stop."""
        self._queue.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        while (message := self._queue.get()) is not None:
            if self._broken:
                continue
            try:
                self._conn.send(message)
            except OSError:
                self._broken = True  # the process is gone: the relay's reading end hears it (EOF) and says so
            except (pickle.PicklingError, AttributeError, TypeError) as error:
                self._report(f"A command ({message[1][0]}) could not be sent to the trainer's process: {error}")


class _Relay(QThread):
    """Forwards commands to the trainer's process and its messages back (see the module docstring)."""

    message_received = Signal(object)  # anything but snapshots and replies
    snapshot_waiting = Signal()

    def __init__(self, state: dict, name: str):
        super().__init__()
        self.setObjectName(f"{name} relay")
        self.checkpoint = state  # the engine state a (re)started process begins from
        self._checkpoint_serial = 0
        self._log: list[tuple[int, tuple]] = []  # stateful commands sent after the checkpoint
        self._restore: tuple | None = None  # (params, step, epoch) of the newest snapshot with all parameters
        self._lock = threading.Lock()
        self._queue: deque[tuple[int, tuple]] = deque()
        self._serial = itertools.count(1)
        self._wake_reader, self._wake_writer = Pipe(duplex=False)
        self._wake_pending = False
        self._mailbox: Snapshot | None = None
        self._replies: dict[int, _Reply] = {}
        self._conn: Connection | None = None
        self._writer: _Writer | None = None
        self._process: subprocess.Popen | None = None
        self.lost = False

    # -- the GUI thread's side -------------------------------------------------------------------
    def send(self, command: tuple) -> int:
        with self._lock:
            serial = next(self._serial)
            self._queue.append((serial, command))
            wake, self._wake_pending = not self._wake_pending, True
        if wake:
            self._wake_writer.send_bytes(b"!")
        return serial

    def ask(self, name: str, kwargs: dict) -> _Reply:
        reply = _Reply()
        with self._lock:
            ident = next(self._serial)
            self._replies[ident] = reply
        self.send(("query", ident, name, kwargs))
        return reply

    def take_snapshot(self) -> Snapshot | None:
        with self._lock:
            snapshot, self._mailbox = self._mailbox, None
        return snapshot

    # -- the relay thread ----------------------------------------------------------------------------
    def run(self) -> None:
        try:
            self._start_process()
            while not self.isInterruptionRequested():
                sources = [self._wake_reader] if self._conn is None else [self._wake_reader, self._conn]
                ready = wait(sources)
                if self._wake_reader in ready:
                    self._forward_commands()
                if self._conn is not None and self._conn in ready:
                    self._receive()
        except Exception as error:  # noqa: BLE001 - the GUI must hear of it
            self.message_received.emit(("failed", f"The training relay failed: {type(error).__name__}: {error}"))
        finally:
            self._stop_process()
            self._fail_replies("The trainer has stopped.")

    def _forward_commands(self) -> None:
        with self._lock:
            while self._wake_reader.poll():
                self._wake_reader.recv_bytes()
            commands, self._wake_pending = list(self._queue), False
            self._queue.clear()
        for serial, command in commands:
            if command[0] == "stop":
                continue  # shutdown: the loop ends on the interruption request
            if command[0] in _STATEFUL:
                self._log.append((serial, command))
            if self._conn is None and not self._start_process():
                if command[0] == "query":
                    self._answer(command[1], False, RuntimeError("The trainer's process could not be started."))
                continue
            self._send_to_process(serial, command)

    def _send_to_process(self, serial: int, command: tuple) -> None:
        self._writer.send((serial, command))

    def _receive(self) -> None:
        try:
            while self._conn is not None and self._conn.poll():
                self._dispatch(self._conn.recv())
        except (EOFError, OSError):
            self._process_lost()

    def _dispatch(self, message: tuple) -> None:
        kind = message[0]
        if kind == "snapshot":
            snapshot: Snapshot = message[1]
            if snapshot.params and snapshot.has_data:
                self._restore = (snapshot.params, snapshot.step, snapshot.epoch)
            with self._lock:
                waiting = self._mailbox
                self._mailbox = snapshot if waiting is None else merge_snapshots(waiting, snapshot)
            if waiting is None:
                self.snapshot_waiting.emit()
        elif kind == "reply":
            self._answer(*message[1:])
        elif kind == "checkpoint":
            self._checkpoint_serial, self.checkpoint = message[1], _with_data(message[2], self.checkpoint)
            self._log = [(serial, command) for serial, command in self._log if serial > self._checkpoint_serial]
        else:
            self.message_received.emit(message)

    def _answer(self, ident: int, ok: bool, value: Any) -> None:
        with self._lock:
            reply = self._replies.pop(ident, None)
        if reply is not None:
            reply.ok, reply.value = ok, value
            reply.event.set()

    def _fail_replies(self, text: str) -> None:
        with self._lock:
            waiting, self._replies = list(self._replies.values()), {}
        for reply in waiting:
            reply.ok, reply.value = False, RuntimeError(text)
            reply.event.set()

    # -- the process ---------------------------------------------------------------------------------
    def _start_process(self) -> bool:
        """Start the trainer's process from the checkpoint, replaying the commands given since."""
        parent_end, child_end = socket.socketpair()
        environment = dict(os.environ)
        # the child imports primer_gui (and a probe's module) from where this process does
        paths = [path or os.getcwd() for path in sys.path]  # "" is the working directory
        environment["PYTHONPATH"] = os.pathsep.join(path for path in paths if os.path.isdir(path))
        # one BLAS thread: a trainer's matrices are small, and a second thread spinning on a shared 2-core machine
        # slowed the word model 2× (5 000 words: 18×) and took the GUI's core (unless the person chose otherwise)
        for name in BLAS_THREADS:
            environment.setdefault(name, "1")
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "primer_gui.training.process", str(child_end.fileno())],
                pass_fds=[child_end.fileno()],
                env=environment,
                stdin=subprocess.DEVNULL,
            )
        except OSError as error:
            parent_end.close()
            self.message_received.emit(("lost", f"The training process could not be started ({error})."))
            return False
        finally:
            child_end.close()
        self._conn = Connection(parent_end.detach())
        self._writer = _Writer(self._conn, lambda text: self.message_received.emit(("failed", text)))
        self._send_to_process(0, ("init", self.checkpoint))
        for serial, command in self._log:
            self._send_to_process(serial, command)
        if self.lost and self._restore is not None:
            self._send_to_process(0, ("restore", *self._restore))
        self.lost = False
        return self._conn is not None

    def _process_lost(self) -> None:
        conn, process, writer = self._conn, self._process, self._writer
        self._conn = self._process = self._writer = None
        if writer is not None:
            writer.close()  # its sends fail at once: nobody reads them any more
        if conn is not None:
            conn.close()
        code = process.wait() if process is not None else None
        self.lost = True
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        self._fail_replies("The training process stopped.")
        self.message_received.emit(
            (
                "lost",
                f"The training process stopped unexpectedly ({how}). The last state it sent is kept; "
                "press Play or Step to go on from there.",
            )
        )

    def _stop_process(self) -> None:
        """Ask the process for its final state and let it exit; kill it if it does not."""
        conn, process, writer = self._conn, self._process, self._writer
        self._conn = self._process = self._writer = None
        if conn is not None:
            writer.send((next(self._serial), ("stop",)))
            try:
                while conn.poll(1.0):
                    message = conn.recv()
                    if message[0] == "checkpoint":
                        self.checkpoint = _with_data(message[2], self.checkpoint)
                        self._log.clear()
                        break
                    if message[0] == "reply":
                        self._answer(*message[1:])
            except (EOFError, OSError):
                pass
        if process is not None:
            try:
                process.wait(timeout=1.0)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if writer is not None:
            writer.close()
        if conn is not None:
            conn.close()


class TrainingRunner(QObject):
    """See the module docstring.  Commands return at once; results arrive as signals."""

    snapshot_ready = Signal(object)  # Snapshot, as the GUI sees it
    playing_changed = Signal(bool)
    diverged = Signal(object)  # StepReport
    failed = Signal(str)
    refused = Signal(str, str, object)  # what was refused, why, the value kept
    result_ready = Signal(str, object)  # an action's name and result
    process_lost = Signal(str)

    def __init__(
        self,
        trainer: Trainer,
        probe: Probe | None = None,
        *,
        rows: np.ndarray | None = None,
        threaded: bool = True,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        engine = Engine(trainer, probe, rows)
        self.probe = engine.probe
        self.history = HistoryMirror(engine.probe.series)
        self.report: StepReport | None = None
        self.report_batch: tuple | None = None
        self.latest: Snapshot | None = None
        self.playing = False
        self.loads_sent = 0
        self._engine: Engine | None = engine
        self._relay: _Relay | None = None
        self._timer: QTimer | None = None
        engine.publish()
        self._show(engine.take_outbox()[-1][1])  # the first picture at once, before any process is up
        if threaded:
            self._relay = _Relay(engine.state(), type(trainer).__name__)
            self._engine = None  # the process holds the trainer now; ours would only go stale
            _live_threads.add(self._relay)
            self._relay.snapshot_waiting.connect(self._on_relay_snapshot_waiting)
            self._relay.message_received.connect(self._on_relay_message_received)
            self._relay.start()
        else:
            self._timer = QTimer(self)
            self._timer.setInterval(0)
            self._timer.timeout.connect(self._on_timer_timeout)

    # -- commands (applied between steps, in order) ------------------------------------------------
    def _send(self, *command: Any) -> None:
        if self._relay is not None:
            if self._relay.isRunning():
                self._relay.send(command)
            return
        if self._engine is None:
            return
        self._engine.handle(command)
        self._engine.finish()  # in-process: a step or an epoch is done when the call returns
        self._engine.publish(now_or_never=True)
        self._deliver()

    def play(self) -> None:
        self._send("play")

    def pause(self) -> None:
        self._send("pause")

    def toggle(self) -> None:
        """Play if paused, pause if playing — decided by the engine, so two quick toggles never play twice."""
        self._send("toggle")

    def step(self, count: int = 1) -> None:
        self._send("step", int(count))

    def one_epoch(self) -> None:
        self._send("epoch")

    def reset(self, params: dict[str, Any] | None = None) -> None:
        """Back to the initial parameters — then ``params``, if given — in one command."""
        self._send("reset", params)

    def set(self, name: str, value: Any) -> None:
        """Set a hyper-parameter; a refused value comes back through ``refused``."""
        self._send("set", name, value)

    def edit(self, edit: Any) -> None:
        """Apply a data edit (:mod:`.edits`) to the engine's rows and the trainer's data."""
        self._send("edit", edit)

    def set_rows(self, rows: np.ndarray) -> None:
        self._send("rows", np.array(rows, dtype=float, copy=True))

    def load(self, trainer_state: dict, history_state: dict | None = None, **more: Any) -> None:
        """A whole new trainer (a session, a new architecture); ``rows`` and ``probe`` may come too.

        Snapshots that show it have ``loads == runner.loads_sent``.
        """
        if "probe" in more:
            self.probe = more["probe"]
        self.loads_sent += 1
        self._send("load", {"trainer": trainer_state, "history": history_state, **more})

    def configure(self, **settings: Any) -> None:
        """Change the probe's settings (see :class:`~.probe.Probe`), here and where it trains."""
        if self._relay is not None:
            self.probe.configure(**settings)
        self._send("configure", settings)

    def action(self, name: str, **kwargs: Any) -> None:
        """Run the probe's ``action_<name>``; its result arrives through ``result_ready``."""
        self._send("action", name, kwargs)

    def set_speed(self, updates_per_second: float | None) -> None:
        self._send("speed", updates_per_second)

    def set_visible(self, visible: bool) -> None:
        self._send("visible", bool(visible))

    def query(self, name: str, **kwargs: Any) -> Any:
        """Ask the engine (between steps) and wait for the answer; raises what the engine raised.

        ``"session"`` gives the trainer's and history's saved state, ``"trainer_state"``
        the trainer's raw state; other names are the probe's ``query_<name>``.
        Blocks the GUI thread for at most a slice; after :meth:`shutdown` the final
        state answers.
        """
        if self._relay is None or not self._relay.isRunning():
            return self._local_engine().query(name, **kwargs)
        reply = self._relay.ask(name, kwargs)
        if not reply.event.wait(QUERY_SECONDS):
            raise TimeoutError(f"The trainer did not answer within {QUERY_SECONDS:g} s.")
        if not reply.ok:
            raise reply.value
        return reply.value

    @property
    def trainer(self) -> Trainer:
        """The trainer: itself in-process or after shutdown; else a copy of its live state (change it by commands)."""
        if self._relay is None or not self._relay.isRunning():
            return self._local_engine().trainer
        state = self.query("trainer_state")
        return _trainer_class(state["class"]).from_state_dict(state)

    def _local_engine(self) -> Engine:
        if self._engine is None:
            self._engine = Engine.from_state(self._relay.checkpoint)
        return self._engine

    @property
    def threaded(self) -> bool:
        return self._relay is not None

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop training and the process, join the relay; True when it ended in time."""
        if self._timer is not None:
            self._timer.stop()
        if self._relay is None:
            if self._engine is not None:
                self._engine.handle(("pause",))
                self._engine.take_outbox()
            return True
        if not self._relay.isRunning():
            return True
        self._relay.requestInterruption()
        self._relay.send(("stop",))
        return self._relay.wait(timeout_ms)

    # -- engine → GUI (all of this runs in the GUI thread) -------------------------------------------
    def _deliver(self) -> None:
        """In-process: hand the engine's messages over, and keep Play's timer running while it plays."""
        engine = self._engine
        for message in engine.take_outbox():
            self._on_relay_message_received(message) if message[0] != "snapshot" else self._show(message[1])
        if engine.busy and not self._timer.isActive():
            self._timer.start()
        elif not engine.busy and self._timer.isActive():
            self._timer.stop()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self._engine.work(SLICE_SECONDS)
        self._deliver()

    @Slot()
    def _on_relay_snapshot_waiting(self) -> None:
        snapshot = self._relay.take_snapshot()
        if snapshot is not None:
            self._show(snapshot)

    def _show(self, snapshot: Snapshot) -> None:
        self.history.apply(snapshot.history)
        if snapshot.report_new:
            self.report, self.report_batch = snapshot.report, snapshot.report_batch
        self.latest = replace(snapshot, history=self.history, report=self.report, report_batch=self.report_batch)
        self.snapshot_ready.emit(self.latest)

    @Slot(object)
    def _on_relay_message_received(self, message: tuple) -> None:
        kind, *args = message
        if kind == "playing":
            self.playing = args[0]
            self.playing_changed.emit(args[0])
        elif kind == "diverged":
            self.diverged.emit(args[0])
        elif kind == "failed":
            self.failed.emit(args[0])
        elif kind == "refused":
            self.refused.emit(args[0], args[1], args[2])
        elif kind == "result":
            self.result_ready.emit(args[0], args[1])
        elif kind == "lost":
            if self.playing:
                self.playing = False
                self.playing_changed.emit(False)
            self.process_lost.emit(args[0])
