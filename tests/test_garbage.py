"""Cyclic garbage is collected on the GUI thread between events, not wherever an allocation tips it over."""

from __future__ import annotations

import gc
import weakref

from windows import close, shown_window

from primer_gui.garbage import collect_between_events


class Cycle:
    def __init__(self):
        self.me = self


def test_once_a_tab_exists_cycles_are_collected_between_events_not_by_allocations(qtbot, tmp_path):
    window = shown_window(qtbot, tmp_path)
    assert not gc.isenabled()  # no collection inside a Qt call holding its locks
    assert collect_between_events().timer.isActive()
    cycles = [Cycle() for _ in range(2 * gc.get_threshold()[0])]  # enough to be worth a collection
    gone = weakref.ref(cycles[0])
    del cycles
    assert gone() is not None  # not collected by the allocations
    qtbot.waitUntil(lambda: gone() is None, timeout=5000)  # but by the event loop, within a few seconds
    close(window)
