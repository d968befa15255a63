"""Helpers for tests that build main windows (importable as ``windows``)."""

from __future__ import annotations

import shiboken6


def close(window) -> None:
    """Close a window unless it is gone already (a closed MainWindow deletes itself)."""
    if shiboken6.isValid(window):
        window.close()
