"""Fixtures for the panel tests."""

from __future__ import annotations

import pytest
from mouse import click_data  # noqa: F401 - a fixture


@pytest.fixture
def shown_panel(shown):
    """``shown_panel(PanelClass, size)``: a tab's panel with its runner in-process, shown and exposed; shut down
    after the test, before the leak check looks for a running thread."""
    panels = []

    def show(panel_class, size=(1300, 800)):
        panel = shown(panel_class(threaded=False), size)
        panels.append(panel)
        return panel

    yield show
    for panel in panels:
        panel.shutdown()
