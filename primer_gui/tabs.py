"""The tabs, in the primer's order: each named once, here (key, title, where its panel lives).

Keys are public: ``--tab``, screenshot file names, sessions and
``MainWindow.panel(key)`` use them.  Panels are imported only when their tab is
first shown, so the window appears at once however many tabs there are.  No Qt
here: the command line reads this before it starts Qt.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Tab:
    key: str
    title: str
    panel: str  # "module:Class"

    def panel_class(self) -> type:
        module, _, name = self.panel.partition(":")
        return getattr(importlib.import_module(module), name)


TABS: tuple[Tab, ...] = (
    Tab("line_fit", "Line fit", "primer_gui.panels.line_fit:LineFitPanel"),
    Tab("many_features", "Many features", "primer_gui.panels.many_features:ManyFeaturesPanel"),
    Tab("overfitting", "Overfitting", "primer_gui.panels.overfitting:OverfittingPanel"),
    Tab("classify", "Classify", "primer_gui.panels.classify:ClassifyPanel"),
    Tab("neural_net", "Neural net", "primer_gui.panels.neural_net:NeuralNetPanel"),
    Tab("activations", "Activations", "primer_gui.panels.activations:ActivationsPanel"),
    Tab("clusters", "Clusters", "primer_gui.panels.clusters:ClustersPanel"),
    Tab("fill_blank", "Fill the blank", "primer_gui.panels.fill_blank:FillBlankPanel"),
    Tab("embeddings", "Embeddings", "primer_gui.panels.embeddings:EmbeddingsPanel"),
)

KEYS = tuple(tab.key for tab in TABS)


def tab(key: str) -> Tab:
    for candidate in TABS:
        if candidate.key == key:
            return candidate
    raise KeyError(f"There is no tab {key!r}; the tabs are {', '.join(KEYS)}.")


def tab_of(panel_class: type) -> Tab:
    """The tab a panel class belongs to (its entry names the class)."""
    path = f"{panel_class.__module__}:{panel_class.__qualname__}"
    for candidate in TABS:
        if candidate.panel == path:
            return candidate
    raise KeyError(f"{path} is not the panel of any tab in primer_gui.tabs.TABS.")
