"""Render every tab to PNG after some training: the ``--screenshot`` mode."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

#: screenshots are at least this large, so every plot has room
SIZE = (1400, 860)
#: the steps are taken in this many commands: each ends with a recorded loss, so the curves have points
#: (a tab whose loss is dear — the word model's — records within a time budget inside one command)
CHUNKS = 20


def save_screenshots(window, directory: Path, steps: int) -> list[Path]:
    from .tabs import KEYS

    directory.mkdir(parents=True, exist_ok=True)
    window.resize(*SIZE)
    window.show()
    paths = []
    for index, key in enumerate(KEYS):
        window.tab_bar.setCurrentIndex(index)
        panel = window.panel(key)
        for chunk in range(CHUNKS):  # the inspector shows the last step
            panel.train(steps * (chunk + 1) // CHUNKS - steps * chunk // CHUNKS)
        for _ in range(3):
            QApplication.processEvents()
        path = directory / f"{key}.png"
        if not window.grab().save(str(path)):
            raise OSError(f"Could not write {path}")
        paths.append(path)
    return paths
