"""The trainer's own process: ``python -m primer_gui.training.process FD``.

Why a process: a trainer runs tiny NumPy operations that hold the GIL, and on a
thread of the GUI's process every Qt call the GUI makes waits for it — measured
on Line fit, the GUI's p99 lateness was 32–140 ms with the trainer on a thread
and ~10 ms with it here, while training kept ~88 % of its bare speed.

It is started as its own module by :mod:`.runner` (never by ``fork``, and never
re-importing the caller's ``__main__``: tests and scripts build windows without a
main guard), talks over the socket whose descriptor it is given, and never
imports Qt.  Messages in are ``(serial, command)`` (:mod:`.engine`), the first
being ``(0, ("init", engine_state))``; out go the engine's messages, plus
``("checkpoint", serial, engine_state)`` — the state after the command of that
serial, sent when the engine falls idle and every ``CHECKPOINT_SECONDS`` while it
trains, so a runner can restart a lost process close to where it was (without the
training data when it has not changed since the last one: see ``Engine.state``).  On
``("stop",)`` it sends a last checkpoint and exits at once; when the socket
closes (the GUI died) it exits too, so it never outlives its window.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
import traceback
from multiprocessing.connection import Connection

from .engine import Engine

#: while training, a checkpoint at least this often
CHECKPOINT_SECONDS = 1.0
#: when commands stop coming, a checkpoint after this pause
IDLE_CHECKPOINT_SECONDS = 0.1


def serve(conn: Connection) -> None:
    _serial, command = conn.recv()
    if command[0] == "stop":
        return  # stopped before it started (its start failed on the other side)
    if command[0] != "init":
        raise RuntimeError(f"the first message must be init, not {command[0]!r}")
    engine = Engine.from_state(command[1])
    serial = 0
    sent_data = [None]  # the data version the last checkpoint carried: unchanged data is not sent again

    def checkpoint() -> tuple:
        with_data = engine.data_version != sent_data[0]
        sent_data[0] = engine.data_version
        return ("checkpoint", serial, engine.state(with_data))

    last_checkpoint = time.perf_counter()
    last_command = last_checkpoint
    changed = False
    while True:
        due = engine.next_due()
        now = time.perf_counter()
        if changed and not engine.busy:
            wait_checkpoint = max(last_command + IDLE_CHECKPOINT_SECONDS - now, 0.0)
            due = wait_checkpoint if due is None else min(due, wait_checkpoint)
        if conn.poll(due):
            while conn.poll():
                serial, command = conn.recv()
                if command[0] == "stop":
                    conn.send(checkpoint())
                    return
                engine.handle(command)
                changed = True
                last_command = time.perf_counter()
        engine.work(interrupted=conn.poll)
        for message in engine.take_outbox():
            conn.send(message)
        now = time.perf_counter()
        changed = changed or engine.busy
        idle_long_enough = not engine.busy and now - last_command >= IDLE_CHECKPOINT_SECONDS
        if changed and (idle_long_enough or now - last_checkpoint >= CHECKPOINT_SECONDS):
            conn.send(checkpoint())
            last_checkpoint, changed = now, False


#: the trainer's process runs at a lower priority than the window: with more trainers than cores (two
#: networks side by side, tabs left playing), the scheduler still serves the person's hand first
NICENESS = 5


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in a terminal is for the GUI, which stops us
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(NICENESS)
    conn = Connection(int(argv[1]))
    try:
        serve(conn)
    except (EOFError, ConnectionError, BrokenPipeError):
        pass  # the GUI went away: so do we
    except BaseException:  # noqa: BLE001 - tell the GUI why, then go
        with contextlib.suppress(OSError):
            conn.send(("failed", "The training process failed:\n\n" + traceback.format_exc()))
        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(0)  # no interpreter teardown: exit in a millisecond, not tens


if __name__ == "__main__":
    sys.exit(main(sys.argv))
