"""Render every tab to PNG after some training: the ``--screenshot`` mode."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

#: screenshots are at least this large, so every plot has room
SIZE = (1400, 860)


def save_screenshots(window, directory: Path, steps: int) -> list[Path]:
    from .tabs import KEYS

    directory.mkdir(parents=True, exist_ok=True)
    window.resize(*SIZE)
    window.show()
    paths = []
    for index, key in enumerate(KEYS):
        window.tab_bar.setCurrentIndex(index)
        panel = window.panel(key)
        panel.train(steps)  # each step recorded; the inspector shows the last one
        for _ in range(3):
            QApplication.processEvents()
        path = directory / f"{key}.png"
        if not window.grab().save(str(path)):
            raise OSError(f"Could not write {path}")
        paths.append(path)
    return paths
