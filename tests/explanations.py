"""What a tab says about itself, read the way the tab tests check it (importable as ``explanations``)."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QComboBox, QPushButton, QSlider


def linked_terms(html: str) -> list[str]:
    """The glossary terms an explanation links to, in order."""
    return re.findall(r'href="glossary:([^"]+)"', html)


def silent_controls(panel, kinds=(QPushButton, QAbstractSpinBox, QComboBox, QCheckBox, QSlider)) -> list[str]:
    """The controls of these kinds that the panel shows with no tooltip, named by their text or their type."""
    return [
        f"{kind.__name__} {getattr(control, 'text', str)()!r}"
        for kind in kinds
        for control in panel.findChildren(kind)
        if control.isVisibleTo(panel) and not control.toolTip()
    ]
