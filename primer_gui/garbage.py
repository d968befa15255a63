"""Python's cyclic garbage collector runs on the GUI thread between events, never inside a Qt call.

Left automatic, the collector runs at whichever allocation tips it over. Measured once in about twenty
full test runs under load: it ran inside Qt's ``QObject::disconnect`` (PySide allocating while Qt held a
signal-slot lock), freed a closed window's QObject, and that QObject's destructor waited for the same
lock — the GUI thread deadlocked. pyqtgraph's ``GarbageCollector`` turns the automatic collector off and
collects from a timer instead, between events, where no such lock is held (and never on the trainer's
relay or writer threads).
"""

from __future__ import annotations

from functools import cache

from pyqtgraph.util.garbage_collector import GarbageCollector


@cache
def collect_between_events() -> GarbageCollector:
    """Start collecting from the GUI thread's event loop (once per process; a QApplication must exist)."""
    return GarbageCollector(interval=1.0)
