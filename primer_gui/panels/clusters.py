"""The Clusters tab: unsupervised learning by k-means, with the loss it lowers in plain sight.

Points come without labels; k centres (the big dots) each own a region of the
plane (the Voronoi cells, a coloured map) and the points in it.  Lloyd's
algorithm is shown as its two half-steps — assign (points recolour; how many
changed is said), then update (centres slide to their points' means; the move is
drawn) — and the gradient method lowers the same objective by small downhill
steps.  The objective is the sum of the squared lengths of the lines from each
point to its centre.  Pages beside it: the groups found, the elbow over k,
restarts that land in different local minima, and Lloyd vs gradient descent.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
)

from ..core import KMeans
from ..core.kmeans import nearest_centers
from ..glossary import link
from ..training.bindings import Binding
from ..training.engine import Snapshot
from ..widgets.category_map import CategoryMap
from ..widgets.data_box import DataBox
from ..widgets.live_text import LiveText
from ..widgets.loss_curve import LossCurve
from ..widgets.markers import DraggableMarkers
from ..widgets.point_editor import PointEditor
from .clusters_data import DATASETS, generate
from .clusters_probe import MAX_K, ClustersProbe
from .clusters_views import ComparePage, ElbowPage, GroupsPage, RestartsPage, passes_text, readout_html
from .point_data import PointDataPanel

CLUSTER_ROLES = tuple(f"clusters[{j}]" for j in range(MAX_K))
#: the colour index of a point with no cluster yet
UNASSIGNED = MAX_K
#: the regions map's resolution (cells per side)
GRID = 160
#: at most this many points are drawn (a fixed subset beyond): recolouring costs ~2 µs a point each frame
MAX_DRAWN = 2500
#: at most this many point-to-centre lines are drawn (of the points drawn)
MAX_LINES = 1500
#: while playing, the points are recoloured at most this often
RECOLOURS_PER_SECOND = 12
#: the regions are drawn again once a centre has moved this many grid cells
REGIONS_TOLERANCE = 0.5
INITS = {"k-means++": "k-means++", "random data points": "random", "click to place the centres": "placed"}
METHODS = {"Lloyd: assign, then update": "lloyd", "gradient descent": "gradient"}

EXPLANATION = f"""
<p>Nobody has told the program which dots belong together: there are points, no labels. Finding groups
in such data is {link("unsupervised learning")}; here, {link("clustering")} by {link("k-means")}. Each of
the k {link("centroid", "centres")} (big dots) owns the coloured region closer to it than to any other.</p>
<p>The {link("loss")} (the objective) adds up the squared distance from every point to its own centre:
the squared lengths of the thin lines. {link("Lloyd's algorithm")} lowers it in two half-steps:
<b>assign</b> gives each point to its nearest centre (colours change), <b>update</b> moves each centre to
the mean of its points. When an assign changes nothing, it has converged. <b>Gradient descent</b> lowers
the same loss in small steps, with a {link("learning rate")} and {link("batch", "batches")}: clustering is
trained like everything else.</p>
<p>Some starts end in a worse {link("local minimum")} (Restarts); the {link("elbow")} helps choose k. The
clusters have numbers, not names: on <i>cats &amp; dogs</i>, you decide which is which.</p>
"""

HINT = (
    "pick 'click to place the centres', put all three in one corner of the plot, then press Step again and "
    "again: watch one centre steal the others' points. Drag a centre anywhere at any time."
)


class _MoveCentre(QUndoCommand):
    """A person's drag of one centre: one undo step however many moves it took."""

    def __init__(self, panel: ClustersPanel, index: int, old: tuple, new: tuple, gesture: int):
        super().__init__(f"move centre {index + 1}")
        self.panel, self.index, self.old, self.new, self.gesture = panel, index, old, new, gesture

    def redo(self) -> None:
        self.panel.runner.action("move_center", index=self.index, position=self.new)

    def undo(self) -> None:
        self.panel.runner.action("move_center", index=self.index, position=self.old)

    def id(self) -> int:
        return 2

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt's name)
        if isinstance(other, _MoveCentre) and (other.gesture, other.index) == (self.gesture, self.index):
            self.new = other.new
            return True
        return False


class ClustersPanel(PointDataPanel):
    columns = ("x", "y")
    explanation_html = EXPLANATION
    hint = HINT
    max_points = 50_000
    #: k and the method, as a person asks for them (after the tab has prepared the trainer for the change)
    k_requested = Signal()
    method_requested = Signal()

    def __init__(self, *, seed: int = 0, threaded: bool = True, parent=None):
        self.seed = seed
        self._snapshot: Snapshot | None = None
        self._centres = np.empty((0, 2))
        self._shown_labels: np.ndarray | None = None
        self._regions_for: tuple | None = None
        self._lines_for: tuple | None = None
        self._recoloured = -math.inf  # when the points were last recoloured
        self._stopped_at: int | None = None  # the step at which Play last stopped on convergence
        self._placing: list[tuple[float, float]] | None = None
        self._drag_start: tuple | None = None
        self._gradient_batch: int | None = None
        self._truth: tuple[np.ndarray, np.ndarray, tuple[str, ...]] | None = None  # generated rows, groups, names
        #: the data sets drawn or imported lately, (rows, true groups, their names, axis names): undo and redo of
        #: New data or an import bring back their axis names and true groups with their points
        self._sets: list[tuple] = []
        self._truth_rows: tuple[int, np.ndarray] | None = None
        self._data_version = 0
        self._computed_for: dict[str, int] = {}
        X, groups, names, header = generate("blobs", 300, 0.8, 3, seed)
        self._remember_set(X, groups, names, header)
        self._truth = (X, groups, names)
        super().__init__(KMeans(k=3, init="k-means++", seed=seed), ClustersProbe(), X, threaded=threaded, parent=parent)
        self.controls.speed_box.setCurrentText("5 updates/s")
        self.controls.speed_box.setToolTip(
            "How fast Play goes: with Lloyd, half-steps per second (each an assign or an update); "
            "with gradient descent, updates per second"
        )
        self.data_shown(self.data.rows)
        self.data_plot.frame_points()

    # -- layout ------------------------------------------------------------------------------------
    def build(self) -> None:
        super().build()
        self.data_plot = PointEditor(
            "Points, their clusters and the centres",
            "x",
            "y",
            colour_roles=(*CLUSTER_ROLES, "unassigned"),
            max_drawn=MAX_DRAWN,
        )
        self.data_plot.setToolTip(
            "Click to add a point · drag a point to move it · right-click one to delete it · "
            "drag a big centre to move it (this pauses training)"
        )
        self.data_plot.view_box.setAspectLocked(True)
        self.regions = CategoryMap(self.data_plot, CLUSTER_ROLES, strength=0.3)
        self._lines = self.data_plot.curve("residual", width=1, connect="pairs")
        self._moves = self.data_plot.curve("foreground", width=2, style=Qt.PenStyle.DashLine, connect="pairs")
        self._ghosts = self.data_plot.scatter("#00000000", pen="foreground", size=18)
        self._ghosts.setZValue(25)
        self.markers = DraggableMarkers(self.data_plot, CLUSTER_ROLES)
        self._prompt = self.data_plot.text(anchor=(0.5, 0.0))
        self._prompt.setZValue(40)
        self._prompt.setVisible(False)
        self.connect_editor(self.data_plot)
        self.objective_curve = LossCurve(
            "Objective while training", {"objective": "Σ squared distances"}, y_label="objective"
        )
        self.readout = LiveText(lines=4)
        self.readout.setToolTip("What the last half-step did, what comes next, and the objective now")
        self.groups_page = GroupsPage()
        self.elbow_page = ElbowPage()
        self.restarts_page = RestartsPage()
        self.compare_page = ComparePage()
        self.pages = QTabWidget()
        for page, title in (
            (self.groups_page, "Groups"),
            (self.elbow_page, "Elbow"),
            (self.restarts_page, "Restarts"),
            (self.compare_page, "Lloyd vs gradient"),
        ):
            self.pages.addTab(page, title)
        self.add_plot(self.data_plot, 0, 0, 2, 1)
        self.add_plot(self.objective_curve, 0, 1)
        self.add_plot(self.pages, 1, 1)
        self.add_plot(self.readout, 2, 0, 1, 2)
        self.grid.setColumnStretch(0, 5)
        self.grid.setColumnStretch(1, 4)
        self.grid.setRowStretch(0, 1)
        self.grid.setRowStretch(1, 1)
        self.add_side(self._build_clusters_box())
        self.add_side(self._build_data_box())
        self.add_side(self._build_view_box())
        self._wire_clusters()

    def _build_clusters_box(self) -> QGroupBox:
        self.k_box = QSpinBox()
        self.k_box.setRange(1, MAX_K)
        self.k_box.setValue(3)
        self.k_box.setToolTip("k: how many clusters to look for (changing it starts again)")
        self.method_box = QComboBox()
        for text, method in METHODS.items():
            self.method_box.addItem(text, method)
        self.method_box.setToolTip(
            "Lloyd: Step does one half-step (assign, then update), Play alternates them. "
            "Gradient descent: small steps downhill on the same objective, with a learning rate and batches."
        )
        self.init_box = QComboBox()
        for text, init in INITS.items():
            self.init_box.addItem(text, init)
        self.init_box.setToolTip(
            "Where the centres start (Reset puts them there): k-means++ spreads them over the data, random picks "
            "k data points, or click k spots on the plot yourself (right-click cancels)"
        )
        self.new_start_button = QPushButton("New start")
        self.new_start_button.setToolTip("Start again from another random draw of the centres (the next seed)")
        form = QFormLayout()
        form.addRow("k", self.k_box)
        form.addRow("Method", self.method_box)
        form.addRow("Start", self.init_box)
        form.addRow(self.new_start_button)
        box = QGroupBox("Clusters")
        box.setLayout(form)
        self.bind(
            Binding(
                self.runner,
                "k",
                self.k_box,
                self.k_box.value,
                self.k_box.setValue,
                self.k_requested,
                check=_whole_number_check(1, MAX_K),
                on_refused=self.show_message,
            )
        )
        self.bind(
            Binding(
                self.runner,
                "method",
                self.method_box,
                self.method_box.currentData,
                lambda method: self.method_box.setCurrentIndex(self.method_box.findData(method)),
                self.method_requested,
                check=_choice_check(METHODS.values()),
                on_refused=self.show_message,
            )
        )
        return box

    def _build_data_box(self) -> QGroupBox:
        self.data_box = DataBox(list(DATASETS), points=(1, 20_000, 300), noise=(0.0, 3.0, 0.8), seed=self.seed)
        form = self.data_box.layout()
        form.labelForField(self.data_box.noise_box).setText("Spread")
        self.data_box.noise_box.setToolTip("How far the points scatter around each group's shape")
        self.groups_box = QSpinBox()
        self.groups_box.setRange(1, MAX_K)
        self.groups_box.setValue(3)
        self.groups_box.setToolTip("How many blobs New data draws (k-means is not told)")
        form.insertRow(1, "Groups", self.groups_box)
        for name, widget in (
            ("dataset", self.data_box.dataset_box),
            ("points", self.data_box.points_box),
            ("spread", self.data_box.noise_box),
            ("groups", self.groups_box),
            ("data_seed", self.data_box.seed_box),
        ):
            self.settings.add(name, widget)
        return self.data_box

    def _build_view_box(self) -> QGroupBox:
        self.regions_check = QCheckBox("Regions each centre owns")
        self.regions_check.setToolTip("Colour every spot of the plane by its nearest centre (the Voronoi cells)")
        self.regions_check.setChecked(True)
        self.lines_check = QCheckBox("Lines from each point to its centre")
        self.lines_check.setToolTip("The objective is the sum of the squared lengths of these lines")
        self.lines_check.setChecked(True)
        self.reveal_check = QCheckBox("Reveal the true groups (Groups page)")
        self.reveal_check.setToolTip(
            "The groups the data were drawn from, which k-means never sees: for generated data only"
        )
        layout = QVBoxLayout()
        for widget in (self.regions_check, self.lines_check, self.reveal_check):
            layout.addWidget(widget)
        box = QGroupBox("View")
        box.setLayout(layout)
        self.settings.add("show_regions", self.regions_check)
        self.settings.add("show_lines", self.lines_check)
        self.settings.add("reveal", self.reveal_check)
        return box

    def _wire_clusters(self) -> None:
        self.k_box.valueChanged.connect(self._on_k_box_changed)
        self.method_box.currentIndexChanged.connect(self._on_method_box_changed)
        self.init_box.activated.connect(self._on_init_box_activated)
        self.new_start_button.clicked.connect(self._on_new_start_button_clicked)
        self.data_box.new_data_requested.connect(self._on_data_box_new_data_requested)
        self.data_box.dataset_box.currentTextChanged.connect(self._on_dataset_box_changed)
        self.regions_check.toggled.connect(self._on_view_check_toggled)
        self.lines_check.toggled.connect(self._on_view_check_toggled)
        self.reveal_check.toggled.connect(self._on_view_check_toggled)
        self.markers.marker_dragged.connect(self._on_markers_marker_dragged)
        self.markers.marker_released.connect(self._on_markers_marker_released)
        self.markers.position_picked.connect(self._on_markers_position_picked)
        self.markers.picking_cancelled.connect(self._stop_placing)
        self.data_plot.view_box.sigRangeChanged.connect(self._on_view_range_changed)
        self.runner.result_ready.connect(self._on_runner_result_ready)
        self.elbow_page.requested.connect(lambda: self._compute("elbow"))
        self.restarts_page.requested.connect(lambda: self._compute("restarts"))
        self.compare_page.requested.connect(self._on_compare_page_requested)
        self.restarts_page.replay_requested.connect(self._start_from)
        self.pages.currentChanged.connect(self._on_pages_current_changed)

    # -- training ---------------------------------------------------------------------------------------
    def _half_steps(self) -> bool:
        latest = self.runner.latest
        return latest is not None and latest.extra.get("next") is not None

    def step(self) -> None:
        """Lloyd: one half-step (assign or update); gradient descent: one update."""
        if self.has_data and self._half_steps():
            self.runner.action("half_step")
        else:
            super().step()

    def one_epoch(self) -> None:
        """Lloyd: up to and including the next update (one pass over the points)."""
        if self.has_data and self._half_steps():
            self.runner.action("iteration")
        else:
            super().one_epoch()

    def reset(self) -> None:
        super().reset()
        if self.has_data:
            self.runner.action("forget")

    def divergence_advice(self, learning_rate: float) -> str:
        return (
            f"the learning rate {learning_rate:g} is too large: a centre that holds a share p of the batch "
            "overshoots its points' mean once the learning rate is above 1/p"
        )

    # -- the controls ---------------------------------------------------------------------------------------
    def _trainer_value(self, name: str) -> Any:
        latest = self.runner.latest
        return None if latest is None else latest.hyperparameters.get(name)

    def _on_k_box_changed(self, k: int) -> None:
        self._stop_placing()
        before = self._trainer_value("k")
        if not isinstance(self._trainer_value("init"), str):  # centres placed for another k
            self.runner.set("init", "k-means++")
        self.k_requested.emit()
        if k != before and len(self.data) >= k:  # a new k starts again (a refused one changes nothing)
            self.reset()

    def _on_method_box_changed(self) -> None:
        method = self.method_box.currentData()
        if method == "lloyd":
            self._gradient_batch = self.controls.batch_size()
        self.method_requested.emit()
        self.runner.set("batch_size", None if method == "lloyd" else self._gradient_batch)

    def _on_init_box_activated(self) -> None:
        init = self.init_box.currentData()
        if init == "placed":
            self._placing = []
            self.markers.set_picking(True)
            self._show_placing()
            return
        self._stop_placing()
        self.runner.set("init", init)
        self.reset()

    def _on_new_start_button_clicked(self) -> None:
        self._stop_placing()
        if not isinstance(self._trainer_value("init"), str):
            self.runner.set("init", "k-means++")
        self.runner.set("seed", int(self._trainer_value("seed") or 0) + 1)
        self.reset()

    def _start_from(self, centres: np.ndarray) -> None:
        """Reset to these starting centres (a replayed restart, the centres a person placed)."""
        self._stop_placing()
        self.runner.set("init", np.asarray(centres, dtype=float))
        self.reset()

    # -- placing the centres by clicking ------------------------------------------------------------------
    def _on_markers_position_picked(self, x: float, y: float) -> None:
        if self._placing is None:
            return
        self._placing.append((x, y))
        k = int(self._trainer_value("k"))
        if len(self._placing) >= k:
            centres = np.array(self._placing[:k])
            self._start_from(centres)
        else:
            self._show_placing()

    def _stop_placing(self) -> None:
        if self._placing is None:
            return
        self._placing = None
        self.markers.set_picking(False)
        self._prompt.setVisible(False)
        self._show_init(self._trainer_value("init"))
        if self._snapshot is not None:
            self.show_snapshot(self._snapshot)

    def _show_placing(self) -> None:
        """While placing: the centres placed so far, the regions they own, and what to do next."""
        placed = np.array(self._placing).reshape(-1, 2)
        self.markers.set_positions(placed)
        self._centres = placed
        self._regions_for = None
        self._draw_regions()
        for item in (self._lines, self._moves):
            item.setData([], [])
        self._ghosts.setData([], [])
        self._show_prompt()

    def _show_prompt(self) -> None:
        k = int(self._trainer_value("k"))
        self._prompt.setText(f"Click to place centre {len(self._placing) + 1} of {k} (right-click cancels)")
        (x0, x1), (_y0, y1) = self.data_plot.view_box.viewRange()
        self._prompt.setPos((x0 + x1) / 2, y1)
        self._prompt.setVisible(True)

    def _show_init(self, init: Any) -> None:
        if self._placing is not None or init is None:
            return
        index = self.init_box.findData(init if isinstance(init, str) else "placed")
        if index != self.init_box.currentIndex():
            self.init_box.setCurrentIndex(index)  # activated is a person's choice only: no echo

    # -- dragging a centre ---------------------------------------------------------------------------------
    def _on_markers_marker_dragged(self, index: int, x: float, y: float, gesture: int) -> None:
        if self._placing is not None or index >= len(self._centres):
            return
        if self._drag_start is None or self._drag_start[0] != gesture:
            self._drag_start = (gesture, tuple(float(v) for v in self._centres[index]))
        self.undo_stack.push(_MoveCentre(self, index, self._drag_start[1], (float(x), float(y)), gesture))

    def _on_markers_marker_released(self, _index: int) -> None:
        self._drag_start = None

    # -- data ---------------------------------------------------------------------------------------------
    def _on_dataset_box_changed(self, name: str) -> None:
        spread, groups = DATASETS[name]
        self.data_box.noise_box.setEnabled(spread is not None)
        if spread is not None:
            self.data_box.noise_box.setValue(spread)
        self.groups_box.setEnabled(groups)

    def _on_data_box_new_data_requested(self, name: str, points: int, spread: float, _seed: int) -> None:
        self.data_box.next_seed()
        seed = self.data_box.seed_box.value()
        X, groups, names, header = generate(name, points, spread, self.groups_box.value(), seed)
        self._remember_set(X, groups, names, header)
        if self.replace_data(X, f"new data: {name}", header):
            self.data_plot.frame_points()
            self.reset()

    def _remember_set(self, rows: np.ndarray, groups: np.ndarray | None, names: tuple, header: list[str]) -> None:
        self._sets = [*self._sets[-7:], (np.array(rows, dtype=float), groups, tuple(names), list(header))]

    def _recall_set(self, rows: np.ndarray) -> None:
        """Points that are a data set drawn or imported lately (new, undone, redone) bring its names back."""
        for X, groups, names, header in reversed(self._sets):
            if X.shape == rows.shape and np.array_equal(X, rows):
                self._truth = (X, groups, names) if names else None
                self._set_header(header)
                return

    def apply_theme(self, palette) -> None:
        super().apply_theme(palette)
        if hasattr(self, "data_plot"):
            self._set_header(self.header)  # a plot's theme writes back the axis names it was made with
        if getattr(self, "_snapshot", None) is not None:
            self.show_snapshot(self._snapshot)  # the readout and the groups are written in the palette's colours

    def _set_header(self, header: list[str]) -> None:
        self.data.header = list(header)
        self.data_plot.setLabel("bottom", header[0])
        self.data_plot.setLabel("left", header[1])

    def data_imported(self, rows: np.ndarray, header: list[str]) -> None:
        self._remember_set(rows, None, (), header)
        self._recall_set(rows)
        self.data_plot.frame_points()
        self.reset()

    def data_shown(self, rows: np.ndarray) -> None:
        self._data_version += 1
        self._recall_set(rows)
        for name, page in (("elbow", self.elbow_page), ("restarts", self.restarts_page)):
            if self._computed_for.get(name) not in (None, self._data_version):
                page.mark_stale()
        labels = None
        if self._shown_labels is not None and len(rows) and len(self._centres):
            labels = nearest_centers(rows, self._centres)  # until the trainer says: the nearest centre
        self._show_points(rows, labels)
        self.reveal_check.setEnabled(self._truth is not None)
        if not len(rows):
            self._clear_picture()

    def _show_points(self, rows: np.ndarray, labels: np.ndarray | None) -> None:
        shown = np.full(len(rows), UNASSIGNED) if labels is None else labels
        self.data_plot.set_points(rows, shown)
        self._shown_labels = labels

    def session_probe(self, settings: dict) -> ClustersProbe:
        return ClustersProbe()

    def after_session_loaded(self) -> None:
        self._stop_placing()
        truth = self._regenerated_truth()
        self._sets = []
        self._remember_set(self.data.rows, *(truth[1:] if truth else (None, ())), self.header)
        self._recall_set(self.data.rows)
        self.data_plot.frame_points()
        for page in (self.elbow_page, self.restarts_page, self.compare_page):
            page.mark_stale()

    def _regenerated_truth(self) -> tuple | None:
        """The true groups, if the points are what the Data box's settings draw (a saved session of generated data)."""
        name, points, spread, seed = self.data_box.request()
        X, groups, names, _header = generate(name, points, spread, self.groups_box.value(), seed)
        rows = self.data.rows
        return (X, groups, names) if names and X.shape == rows.shape and np.array_equal(X, rows) else None

    def _truth_of_rows(self) -> np.ndarray | None:
        """The true group of every current point (−1 for points a person added or moved), or None."""
        if self._truth is None:
            return None
        if self._truth_rows is None or self._truth_rows[0] != self._data_version:
            X, groups, _names = self._truth
            lookup = dict(zip(map(tuple, X.tolist()), groups.tolist(), strict=True))
            truth = np.array([lookup.get(tuple(row), -1) for row in self.data.rows.tolist()], dtype=int)
            self._truth_rows = (self._data_version, truth)
        return self._truth_rows[1]

    # -- analyses ---------------------------------------------------------------------------------------------
    def _compute(self, name: str, **kwargs: Any) -> None:
        if self.has_data:
            self._computed_for[name] = self._data_version
            self.runner.action(name, **kwargs)

    def _on_compare_page_requested(self) -> None:
        batch = self._gradient_batch if self._trainer_value("method") == "lloyd" else self._trainer_value("batch_size")
        self._compute("compare", learning_rate=float(self._trainer_value("learning_rate")), batch_size=batch)

    def _on_runner_result_ready(self, name: str, result: Any) -> None:
        if name == "elbow":
            self.elbow_page.show_result(result, int(self._trainer_value("k")))
        elif name == "restarts":
            self.restarts_page.show_result(result)
        elif name == "compare":
            self.compare_page.show_result(result)

    def _analysis_pages(self) -> dict:
        return {"elbow": self.elbow_page, "restarts": self.restarts_page, "compare": self.compare_page}

    def _on_pages_current_changed(self, _index: int) -> None:
        if self._snapshot is not None:
            self._show_groups(self._snapshot)

    # -- snapshots --------------------------------------------------------------------------------------------
    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        hyper = snapshot.hyperparameters
        self._show_init(hyper.get("init"))
        gradient = hyper.get("method") == "gradient"
        for widget in (self.controls.learning_rate_box, self.controls.learning_rate_slider):
            widget.setEnabled(gradient)
        self.controls.batch_box.setEnabled(gradient)
        for name, page in self._analysis_pages().items():
            page.set_busy(snapshot.busy == name)
        if not snapshot.has_data or not snapshot.params:
            self._clear_picture()
            return
        extra = snapshot.extra
        if len(snapshot.params["centers"]) != len(self._centres):
            self.elbow_page.show_k(len(snapshot.params["centers"]))
        self._show_labels(extra.get("labels"), snapshot.n_points, snapshot.playing)
        if self._placing is None:
            self._centres = snapshot.params["centers"]
            self.markers.set_positions(self._centres)
            self._draw_regions()
            self._draw_lines()
            self._draw_moves(snapshot)
        self.objective_curve.set_history(snapshot.history)
        if not snapshot.playing:  # (while playing it would change every frame: a label's relayout each time)
            self.controls.set_stable_limit(self._stable_limit(extra.get("counts"), snapshot.n_points, gradient))
        self.readout.set_html(readout_html(snapshot, self._palette))
        self._show_groups(snapshot)
        self._stop_when_converged(snapshot, gradient)
        batch = snapshot.report.batch if snapshot.report is not None else None
        current = batch is not None and snapshot.revision == snapshot.report_revision
        self.data_plot.highlight(batch if current and gradient and len(batch) < snapshot.n_points else None)

    def _stop_when_converged(self, snapshot: Snapshot, gradient: bool) -> None:
        """Lloyd's fixed point ends Play: every further half-step would change nothing."""
        if gradient or not (snapshot.playing and snapshot.extra.get("converged")) or self._stopped_at == snapshot.step:
            return
        self._stopped_at = snapshot.step
        self.runner.pause()
        self.show_message(
            f"Converged after {passes_text(snapshot.step)}: an assign changed no point, so the centres cannot move "
            "again. Play stopped; add a point, drag a centre or press Reset to go on."
        )

    def _show_labels(self, labels: np.ndarray | None, n_points: int, playing: bool) -> None:
        """Colour the points by the trainer's assignment (once the picture has the trainer's points).

        While playing, at most ``RECOLOURS_PER_SECOND`` times a second: recolouring is most of a frame's
        cost at 10 000 points, and colours flickering faster say nothing more.
        """
        rows = self.data_plot.points
        if len(rows) != n_points:
            return  # an edit is on its way to the trainer: the next snapshot has its colours
        if labels is None:
            if self._shown_labels is not None:
                self._show_points(rows, None)
        elif self._shown_labels is None or not np.array_equal(labels, self._shown_labels):
            now = time.perf_counter()
            if playing and now - self._recoloured < 1 / RECOLOURS_PER_SECOND:
                return
            self._recoloured = now
            self._shown_labels = labels.astype(int)
            self.data_plot.set_labels(self._shown_labels)

    @staticmethod
    def _stable_limit(counts: np.ndarray | None, n: int, gradient: bool) -> float | None:
        """Full-batch gradient descent overshoots a centre's mean once learning rate > n / (its points)."""
        if not gradient or counts is None or counts.max() == 0:
            return None
        return float(n / counts.max())

    def _clear_picture(self) -> None:
        self._centres = np.empty((0, 2))
        self.markers.set_positions(self._centres)
        self.regions.clear()
        self._regions_for = None
        for item in (self._lines, self._moves):
            item.setData([], [])
        self._ghosts.setData([], [])
        self.objective_curve.clear_picture()
        self.readout.set_html("<p style='color:gray'>No points: click the plot to add some, or press New data.</p>")

    def _on_view_check_toggled(self, _on: bool) -> None:
        self._regions_for = None
        self._draw_regions()
        self._draw_lines()
        if self._snapshot is not None:
            self._show_groups(self._snapshot)

    def _on_view_range_changed(self, *_args) -> None:
        self._regions_for = None
        self._draw_regions()
        if self._placing is not None:
            self._show_prompt()

    def _draw_regions(self) -> None:
        if not self.regions_check.isChecked() or not len(self._centres):
            self.regions.clear()
            self._regions_for = None
            return
        (x0, x1), (y0, y1) = self.data_plot.view_box.viewRange()
        if self._regions_for is not None:
            view, drawn = self._regions_for
            cell = max(x1 - x0, y1 - y0) / GRID
            moved = drawn.shape != self._centres.shape or np.abs(drawn - self._centres).max() > REGIONS_TOLERANCE * cell
            if view == (x0, x1, y0, y1) and not moved:
                return  # no boundary would move by half a cell: the picture stands
        self._regions_for = ((x0, x1, y0, y1), self._centres.copy())
        xs, ys = np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID)
        grid = np.column_stack([np.tile(xs, GRID), np.repeat(ys, GRID)])
        self.regions.set_map(nearest_centers(grid, self._centres).reshape(GRID, GRID), (x0, x1), (y0, y1))

    def _draw_lines(self) -> None:
        labels = self._shown_labels
        if not self.lines_check.isChecked() or labels is None or not len(self._centres):
            self._lines.setData([], [])
            self._lines_for = None
            return
        key = (labels, self._centres, self.data_plot.points)
        if self._lines_for is not None and all(map(np.array_equal, key, self._lines_for)):
            return  # the same lines: a converged run's frames cost nothing here
        self._lines_for = tuple(np.array(a, copy=True) for a in key)
        drawn = self.data_plot.drawn_indices[:MAX_LINES]
        drawn = drawn[drawn < len(labels)]
        mine = labels[drawn]
        keep = mine < len(self._centres)
        points = self.data_plot.points[drawn[keep]]
        pairs = np.empty((2 * len(points), 2))
        pairs[0::2] = points
        pairs[1::2] = self._centres[mine[keep]]
        self._lines.setData(pairs[:, 0], pairs[:, 1], connect="pairs")

    def _draw_moves(self, snapshot: Snapshot) -> None:
        """Where the centres came from in the last update: a ring and a dashed line to where they are."""
        last = snapshot.extra.get("last")
        before = None
        if last is not None and last["half"] == "update":
            before = last["moved_from"]
        elif snapshot.report is not None and snapshot.revision == snapshot.report_revision:
            before = snapshot.report.params_before.get("centers")
        if before is None or before.shape != self._centres.shape or self._placing is not None:
            self._moves.setData([], [])
            self._ghosts.setData([], [])
            return
        pairs = np.empty((2 * len(before), 2))
        pairs[0::2], pairs[1::2] = before, self._centres
        self._moves.setData(pairs[:, 0], pairs[:, 1], connect="pairs")
        self._ghosts.setData(before[:, 0], before[:, 1])

    def _show_groups(self, snapshot: Snapshot) -> None:
        if self.pages.currentWidget() is not self.groups_page or not snapshot.has_data or not snapshot.params:
            return
        counts = snapshot.extra.get("counts")
        truth = None
        if self.reveal_check.isChecked() and self._shown_labels is not None:
            groups = self._truth_of_rows()
            if groups is not None and len(groups) == len(self._shown_labels):
                truth = (self._shown_labels, groups, self._truth[2])
        self.groups_page.show_groups(self._palette, snapshot.params["centers"], counts, self.header, truth)


def _whole_number_check(low: int, high: int):
    def check(value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"must be a whole number from {low} to {high}, not {value!r}")

    return check


def _choice_check(choices):
    choices = tuple(choices)

    def check(value: Any) -> None:
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}, not {value!r}")

    return check
