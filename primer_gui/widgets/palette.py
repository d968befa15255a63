"""Every colour the app draws with, in one place, for the light and the dark theme."""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtGui import QColor


@dataclass(frozen=True)
class Palette:
    name: str
    background: str
    foreground: str
    grid_alpha: float
    point: str  # data points
    point_edge: str
    fit: str  # the model's current prediction
    residual: str  # distances the loss measures
    ghost: str  # the best possible fit (closed form)
    path: str  # the path taken over the landscape
    current: str  # the current parameters
    optimum: str
    gradient: str  # the negative-gradient arrow and tangents
    loss: str  # loss curves
    epoch_mark: str
    landscape_colormap: str  # a pyqtgraph colormap name
    contour: str
    warning_background: str  # the banner that says training stopped
    warning_text: str
    classes: tuple[str, str]  # class 0 and class 1 (TensorFlow Playground's orange and blue)
    series: tuple[str, ...]  # further named curves: validation/test loss, accuracy, …
    batch: str  # the points the last step's batch used
    neutral: str  # the middle of a class map (probability ½)
    diverging_colormap: str  # signed values (a pyqtgraph colormap name)
    clusters: tuple[str, ...]  # up to ten groups, each its own colour (k-means' clusters)
    unassigned: str  # points not (yet) given to any group
    region: str  # a shaded band on a plot (where a function is saturated, a dead zone)
    categories: tuple[str, ...]  # things of different kinds (kinds of word…), told apart by hue
    uncategorised: str  # a thing of no known kind


LIGHT = Palette(
    name="light",
    background="#ffffff",
    foreground="#303030",
    grid_alpha=0.15,
    point="#1f77b4",
    point_edge="#ffffff",
    fit="#d62728",
    residual="#d6272866",
    ghost="#2ca02c99",
    path="#ffffff",
    current="#ff7f0e",
    optimum="#2ca02c",
    gradient="#d62728",
    loss="#1f77b4",
    epoch_mark="#88888866",
    landscape_colormap="viridis",
    contour="#ffffff55",
    warning_background="#fdecea",
    warning_text="#8a1f11",
    classes=("#e8743b", "#1f77b4"),
    series=("#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"),
    batch="#ffbf00",
    neutral="#f7f7f7",
    diverging_colormap="CET-D1",
    clusters=(
        "#1f77b4",
        "#ff7f0e",
        "#2ca02c",
        "#d62728",
        "#9467bd",
        "#8c564b",
        "#e377c2",
        "#17becf",
        "#bcbd22",
        "#393b79",
    ),
    unassigned="#9a9a9a",
    region="#8c8c8c33",
    categories=("#1f77b4", "#e8743b", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"),
    uncategorised="#a0a0a0",
)

DARK = Palette(
    name="dark",
    background="#1e1e1e",
    foreground="#d0d0d0",
    grid_alpha=0.2,
    point="#4fa3e0",
    point_edge="#1e1e1e",
    fit="#ff6b6b",
    residual="#ff6b6b66",
    ghost="#7bd88f99",
    path="#ffffff",
    current="#ffb86c",
    optimum="#7bd88f",
    gradient="#ff6b6b",
    loss="#4fa3e0",
    epoch_mark="#aaaaaa55",
    landscape_colormap="viridis",
    contour="#ffffff55",
    warning_background="#4a2020",
    warning_text="#ffd7d2",
    classes=("#ff9a5c", "#4fa3e0"),
    series=("#ffb86c", "#7bd88f", "#c39bff", "#d7a77a"),
    batch="#ffd24d",
    neutral="#2b2b2b",
    diverging_colormap="CET-D1",
    clusters=(
        "#4fa3e0",
        "#ffa552",
        "#6fd46f",
        "#ff6b6b",
        "#c39bff",
        "#d7a77a",
        "#ff9ee0",
        "#4fd8e8",
        "#e0e05a",
        "#9aa8ff",
    ),
    unassigned="#8a8a8a",
    region="#ffffff1f",
    categories=("#4fa3e0", "#ff9a5c", "#7bd88f", "#ff6b6b", "#c39bff", "#e6d15c", "#f59fd7", "#5fd7e6"),
    uncategorised="#8a8a8a",
)

THEMES = {"light": LIGHT, "dark": DARK}


def class_colormap(palette: Palette, strength: float = 0.6) -> pg.ColorMap:
    """Class 0's colour → neutral at ½ → class 1's: how sure a model is, and of what.

    The ends are mixed towards the neutral colour by ``1 − strength`` so the data's
    own dots, in the full class colours, stand out on top of the map.
    """
    neutral = QColor(palette.neutral)
    ends = []
    for colour in palette.classes:
        c = QColor(colour)
        ends.append(
            QColor.fromRgbF(
                *(
                    strength * a + (1 - strength) * b
                    for a, b in zip(c.getRgbF()[:3], neutral.getRgbF()[:3], strict=True)
                )
            )
        )
    return pg.ColorMap([0.0, 0.5, 1.0], [ends[0], neutral, ends[1]])
