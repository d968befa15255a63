"""The Many features tab: two inputs, so the line becomes a plane; and why features need scaling.

Houses have a size (m²) and a number of bedrooms; the model is the plane
``price = w_size·size + w_bedrooms·bedrooms + bias``.  It is drawn from above
(a heat map of the predicted price, houses coloured by residual), in a 3-D view
you turn with the mouse, as predicted against actual prices, as weight bars and
as one neuron's weighted sum.  The loss over the two weights shows why the raw
inputs make gradient descent zig-zag along a narrow valley and the scaled ones
do not; the race counts the steps both ways.  Weights are always shown in the
data's own units.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core import LinearRegression
from ..core.datasets import BEDROOM_HOUSE_FEATURE_LABELS, BEDROOM_HOUSE_TARGET_LABEL, houses_with_bedrooms
from ..core.landscape import LinearStatistics, linear_mse_grid
from ..core.slices import weight_slice
from ..glossary import link
from ..training.engine import Snapshot
from ..widgets.binned_scatter import BinnedScatter
from ..widgets.data_box import DataBox
from ..widgets.heat_map import HeatMap
from ..widgets.landscape_view import LandscapeView
from ..widgets.loss_curve import SCALES, LossCurve
from ..widgets.neuron_view import NeuronView
from ..widgets.number_box import NumberBox
from ..widgets.orbit_view import OrbitView
from ..widgets.plots import Plot, nice_ceiling
from ..widgets.point_editor import MAX_DRAWN, PointEditor
from ..widgets.weight_bars import WeightBars
from .many_features_probe import ManyFeaturesProbe, in_data_units, rates, transform
from .point_data import PointDataPanel

#: the loss landscape's grid (per side) and the top view's
GRID, MAP_GRID = 121, 48
#: lines across the plane in the 3-D view, each way
MESH_LINES = 9
#: above this full-data MSE the parameters are too far out to draw
DRAWABLE_LOSS = 1e100
#: the landscape is re-drawn when the bias has moved its lowest point by this share of the view
REGRID_SHIFT = 0.01
#: ... and, while training plays, at most this often
REGRID_SECONDS = 0.25
#: dots are fully coloured at this many times the best plane's typical residual
RESIDUAL_COLOUR_LIMIT = 2.0
SIZE_LABEL, BEDROOMS_LABEL = BEDROOM_HOUSE_FEATURE_LABELS
PRICE_LABEL = BEDROOM_HOUSE_TARGET_LABEL

EXPLANATION = f"""
<p>Each house now has two {link("features")}: its size and its number of bedrooms. With two inputs the line of
the Line fit tab becomes a plane, <i>price = w<sub>size</sub>·size + w<sub>bedrooms</sub>·bedrooms +
{link("bias")}</i> — {link("multivariable regression", "multivariable regression")}. The neuron (bottom right)
is that sum drawn out: each input times its {link("weight")}, plus the bias times an input that is always 1 —
a {link("dot product")}. Hover over the map to feed it a house.</p>
<p>Top left, the plane from above: its colour is the predicted price; the dots are houses, red when a house
costs more than the plane says, blue when less (its {link("residual")}). Top middle, the same plane in 3-D
with the residuals as sticks: drag to turn it, double-click to set it straight.</p>
<p>{link("gradient descent", "Gradient descent")} works just as before, one {link("partial derivative")} per
weight. But sizes are in hundreds and bedrooms in ones, so the {link("loss landscape")} over the two weights
(top right, the bias held where it is) is a long, narrow valley: only a tiny {link("learning rate")} is
stable, and the path zig-zags across the valley while it crawls along it. Tick {link("feature scaling")}: each
input becomes (value − mean) ÷ spread, the valley becomes a nearly round bowl (the weights then count per
spread, which the landscape's axes say), and a learning rate some ten thousand times larger is stable. The
weight bars, the neuron and the numbers are always in the data's own units.</p>
"""

HINT = (
    "press Play: the path zig-zags across the valley, then crawls along it. Tick Feature scaling, press "
    "'Use the fastest rate', then press Step a dozen times: the plane arrives. 'Race' counts both. Click the "
    "map to add a house at the price typed in the Data box."
)


class ManyFeaturesPanel(PointDataPanel):
    columns = ("size", "bedrooms", "price")

    explanation_html = EXPLANATION
    hint = HINT

    def __init__(self, *, seed: int = 0, threaded: bool = True, parent=None):
        self.seed = seed
        X, y = houses_with_bedrooms(40, 25.0, seed)
        rows = np.column_stack([X, y])
        reference = LinearRegression()
        reference.set_data(X, y)
        # start on the raw inputs at a rate just under their stable limit: slow, but it converges
        start_rate = float(f"{0.9 * rates(reference)[0]:.2g}")
        self._scaler = None
        self._stats: LinearStatistics | None = None
        self._best: np.ndarray | None = None  # (bias, w_size, w_bedrooms) as the trainer sees them
        self._best_rmse = 1.0
        self._rates: dict[str, tuple[float, float]] = {}
        self._extent: tuple[float, float, float, float] | None = None
        self._grid_key: np.ndarray | None = None
        self._grid_bias = 0.0  # the bias the landscape's surface was drawn at
        self._grid_time = -math.inf  # when (time.perf_counter)
        self._hover: tuple[float, float] | None = None
        self._snapshot: Snapshot | None = None
        self._rows = np.empty((0, 3))
        self._drawn_plane: tuple[np.ndarray, np.ndarray] | None = None  # the rows and plane drawn last
        self._race: dict | None = None
        super().__init__(
            LinearRegression(learning_rate=start_rate), ManyFeaturesProbe(), rows, threaded=threaded, parent=parent
        )
        self.runner.result_ready.connect(self._on_runner_result_ready)
        self.data_shown(self.data.rows)
        self._frame()
        self.reset()

    # -- layout ------------------------------------------------------------------------------------
    def build(self) -> None:
        super().build()
        self.top_view = PointEditor("The plane from above", SIZE_LABEL, BEDROOMS_LABEL)
        self.top_view.setToolTip(
            "Colour: the price the plane predicts. Dots: houses, red above the plane, blue below. Click to add a "
            "house (at the price in the Data box) · drag one to move it · right-click one to delete it"
        )
        self.price_map = HeatMap(
            self.top_view,
            lambda palette: pg.colormap.get(palette.landscape_colormap),
            levels=(),
            bold=None,
            value_range=None,
            label="predicted price",
        )
        self._iso_lines = self.top_view.curve("foreground", width=1, connect="pairs")
        self._iso_lines.setOpacity(0.4)
        self._map_dots = BinnedScatter(self.top_view, size=10, z=10.5)
        self.connect_editor(self.top_view)
        self.top_view.scene().sigMouseMoved.connect(self._on_top_view_mouse_moved)

        self.orbit = OrbitView("The plane in 3-D (drag me)", ("size", "bedrooms", "price"))
        self.orbit.setToolTip("Drag to turn the view; double-click to set it straight. Sticks: the residuals.")
        self._mesh = self.orbit.curve("fit", width=1, connect="pairs")
        self._sticks = self.orbit.curve("residual", width=1, connect="pairs")
        self._orbit_dots = BinnedScatter(self.orbit, size=7, z=5, setter=self.orbit.set_points)

        self.landscape = LandscapeView("Loss over the two weights", "w size", "w bedrooms")
        self.landscape.setToolTip(
            "The mean squared error for every pair of weights, the bias held at its current value; the star is "
            "the best plane, the white path where gradient descent has been, the red arrow points downhill."
        )
        self.landscape.getPlotItem().getViewBox().sigResized.connect(self._on_landscape_resized)

        self.fit_plot = Plot("Predicted vs actual price", f"actual {PRICE_LABEL}", f"predicted {PRICE_LABEL}")
        self.fit_plot.setToolTip("Each house's predicted price against its actual one: on the dashed line, exact.")
        self.fit_plot.getPlotItem().getViewBox().setMouseEnabled(False, False)
        self._diagonal = self.fit_plot.curve("ghost", width=2)
        self._fit_dots = BinnedScatter(self.fit_plot, size=8)
        self._off_chart = self.fit_plot.text("fit", anchor=(0.0, 0.0))
        self.loss_curve = LossCurve()
        self.weight_bars = WeightBars("Weights in the data's units", "value")
        self.weight_bars.setToolTip(
            "w size: price per m² · w bedrooms: price per bedroom · bias: the price of a house of 0 m² with "
            "0 bedrooms (in 1000 €). With feature scaling on, converted back from the scaled weights."
        )
        self.neuron = NeuronView("The neuron", inputs=3)
        self.neuron.setToolTip("The prediction for one house as a weighted sum; hover over the map to pick a house.")
        column = QWidget()
        stack = QVBoxLayout(column)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.addWidget(self.weight_bars, 1)
        stack.addWidget(self.neuron, 1)

        self.add_plot(self.top_view, 0, 0)
        self.add_plot(self.orbit, 0, 1)
        self.add_plot(self.landscape, 0, 2)
        self.add_plot(self.fit_plot, 1, 0)
        self.add_plot(self.loss_curve, 1, 1)
        self.add_plot(column, 1, 2)
        for index in range(3):
            self.grid.setColumnStretch(index, 1)
        self.grid.setRowStretch(0, 1)
        self.grid.setRowStretch(1, 1)
        self.add_side(self._build_data_box())
        self.add_side(self._build_rates_box())
        self.add_side(self._build_view_box())

    def _build_data_box(self) -> QGroupBox:
        self.data_box = DataBox(points=(2, 5000, 40), noise=(0.0, 200.0, 25.0), seed=self.seed)
        self.data_box.noise_box.setToolTip("How far prices scatter from the plane they are drawn from (1000 €)")
        self.price_box = NumberBox(-1e6, 1e6, value=400.0)
        self.price_box.setToolTip("The price (1000 €) of a house added by clicking the map")
        self.data_box.layout().addRow("New house's price", self.price_box)
        self.scaling_check = QCheckBox("Feature scaling (standardize both inputs)")
        self.scaling_check.setToolTip(
            "Train on (value − mean) / spread of each input instead of the raw size and bedrooms: the narrow "
            "valley becomes a round bowl and a far larger learning rate is stable. Weights are still shown in "
            "the data's units."
        )
        self.data_box.layout().addRow(self.scaling_check)
        self.data_box.new_data_requested.connect(self._on_data_box_new_data_requested)
        self.scaling_check.toggled.connect(self._on_scaling_check_toggled)
        for name, widget in (
            ("points", self.data_box.points_box),
            ("noise", self.data_box.noise_box),
            ("data_seed", self.data_box.seed_box),
            ("new_price", self.price_box),
            ("scaling", self.scaling_check),
        ):
            self.settings.add(name, widget)
        return self.data_box

    def _build_rates_box(self) -> QGroupBox:
        self.rates_label = QLabel()
        self.rates_label.setToolTip(
            "Stable: the largest learning rate at which full-batch gradient descent does not run away "
            "(2 ÷ the largest curvature). Fastest: the rate that reaches the best plane in the fewest steps "
            "(2 ÷ (largest + smallest curvature))."
        )
        self.fastest_button = QPushButton("Use the fastest rate")
        self.fastest_button.setToolTip("Set the learning rate to the fastest one for the inputs as they are now")
        self.fastest_button.clicked.connect(self._on_fastest_button_clicked)
        self.race_button = QPushButton("Race: steps to the best plane")
        self.race_button.setToolTip(
            "Train two fresh copies from all weights 0, on the raw and on the scaled inputs, each at its fastest "
            "rate, and count the steps each needs to reach the best plane (within 0.1 % of the prices' spread). "
            "Runs beside training; the tab's own training is paused."
        )
        self.race_button.clicked.connect(self._on_race_button_clicked)
        self.race_label = QLabel()
        self.race_label.setWordWrap(True)
        layout = QVBoxLayout()
        layout.addWidget(self.rates_label)
        layout.addWidget(self.fastest_button)
        layout.addWidget(self.race_button)
        layout.addWidget(self.race_label)
        box = QGroupBox("Learning rates without and with scaling")
        box.setLayout(layout)
        return box

    def _build_view_box(self) -> QGroupBox:
        self.scale_box = QComboBox()
        self.scale_box.addItems(list(SCALES))
        self.scale_box.setToolTip("auto: a log scale once the loss spans two decades")
        self.scale_box.currentTextChanged.connect(self.loss_curve.set_scale)
        form = QFormLayout()
        form.addRow("Loss curve scale", self.scale_box)
        box = QGroupBox("View")
        box.setLayout(form)
        self.settings.add("loss_scale", self.scale_box)
        return box

    # -- data ---------------------------------------------------------------------------------------
    def point_row(self, x: float, y: float, label: int) -> tuple[float, ...]:
        """A click at (size, bedrooms) adds a house with a whole number of bedrooms at the typed price."""
        return (x, float(max(round(y), 0)), self.price_box.value())

    def moved_row(self, index: int, x: float, y: float) -> tuple[float, ...]:
        return (x, float(max(round(y), 0)), float(self.data.rows[index, 2]))

    def _on_data_box_new_data_requested(self, _name: str, points: int, noise: float, _seed: int) -> None:
        self.data_box.next_seed()
        X, y = houses_with_bedrooms(points, noise, self.data_box.seed_box.value())
        if self.replace_data(np.column_stack([X, y]), "new data"):
            self._frame()

    def _on_scaling_check_toggled(self, on: bool) -> None:
        self.runner.configure(scaling=on)
        self.data_shown(self.data.rows)
        self.reset()

    def data_imported(self, rows: np.ndarray, header: list[str]) -> None:
        self.top_view.set_axis_labels(header[0], header[1])
        self.orbit.set_labels(tuple(header))
        self._frame()
        self.reset()

    def session_probe(self, settings: dict) -> ManyFeaturesProbe:
        return ManyFeaturesProbe(scaling=settings.get("scaling", self.scaling_check.isChecked()))

    def after_session_loaded(self) -> None:
        self.loss_curve.set_scale(self.scale_box.currentText())
        self.top_view.set_axis_labels(self.header[0], self.header[1])
        self.orbit.set_labels(tuple(self.header))
        self._frame()
        self._race = None
        self._show_race()

    def _frame(self) -> None:
        """Fit the map around the houses, and redraw what depends on its view."""
        self.top_view.frame_points()
        if self._snapshot is not None:
            self.show_snapshot(self._snapshot)

    def reset(self) -> None:
        self._extent = None
        super().reset()

    def data_shown(self, rows: np.ndarray) -> None:
        if not np.array_equal(rows, self._rows):
            self._race = None  # a race on other houses would mislead
            self._show_race()
        self._rows = rows  # what is drawn (a snapshot may arrive before the data's own redraw)
        self._drawn_plane = None
        self.top_view.set_points(rows[:, :2])
        self._extent = self._grid_key = None
        if len(rows) == 0:
            self._stats = self._best = None
            self._rates = {}
            self.controls.set_stable_limit(None)
            self.rates_label.setText("")
            self._show_no_data()
            return
        scaling = self.scaling_check.isChecked()
        X, y, self._scaler = transform(rows, scaling)
        self._stats = LinearStatistics.from_data(X, y)
        self._rates = {}
        for name, scaled in (("raw", False), ("scaled", True)):
            reference = LinearRegression()
            reference.set_data(*transform(rows, scaled)[:2])
            self._rates[name] = rates(reference)
            if scaled == scaling:
                best = reference.closed_form()
                self._best = np.concatenate([[float(best["bias"])], best["weights"]])
                self._best_rmse = math.sqrt(max(self._mse(self._best), 0.0)) or 1.0
        self.controls.set_stable_limit(self._rates["scaled" if scaling else "raw"][0])
        self._show_rates()
        self._landscape_labels()
        self._frame_views(rows)
        if self._snapshot is not None:
            self.show_snapshot(self._snapshot)

    def _frame_views(self, rows: np.ndarray) -> None:
        """Ranges that follow the data, not the model: the 3-D box, the predicted-vs-actual axes, the colours."""
        low, high = rows.min(axis=0), rows.max(axis=0)
        low[2], high[2] = min(low[2], 0.0), max(high[2], 0.0)  # the start (all weights 0) is in the box
        self.orbit.set_bounds(low, high)
        prices = rows[:, 2]
        span = max(float(prices.max() - prices.min()), 1e-9)
        self._price_range = (float(prices.min()) - 0.1 * span, float(prices.max()) + 0.1 * span)
        self.fit_plot.getPlotItem().getViewBox().setRange(xRange=self._price_range, yRange=self._price_range, padding=0)
        self._diagonal.setData(self._price_range, self._price_range)
        self.price_map.set_value_range((float(prices.min()), float(prices.max())))

    def _show_rates(self) -> None:
        scaling = self.scaling_check.isChecked()
        rows = []
        for name, title in (("raw", "raw inputs"), ("scaled", "scaled inputs")):
            stable, fastest = self._rates[name]
            mark = " ◀" if (name == "scaled") == scaling else ""
            rows.append(f"<tr><td>{title}{mark}</td><td>{stable:.3g}</td><td>{fastest:.3g}</td></tr>")
        self.rates_label.setText(
            "<table cellspacing=4><tr><th></th><th>stable below</th><th>fastest</th></tr>" + "".join(rows) + "</table>"
        )

    def _on_fastest_button_clicked(self) -> None:
        if self._rates:
            fastest = self._rates["scaled" if self.scaling_check.isChecked() else "raw"][1]
            self.controls.learning_rate_box.setValue(fastest)

    def _on_race_button_clicked(self) -> None:
        if self.has_data:
            self.race_label.setText("Racing…")
            self.runner.action("race")

    def _show_race_progress(self, progress: dict) -> None:
        raw = progress.get("raw")
        self.race_label.setText(
            "Racing… scaled inputs done; raw inputs: " + (f"{raw:,} steps so far" if raw else "starting")
        )

    def _on_runner_result_ready(self, name: str, result) -> None:
        if name == "race":
            self._race = result
            self._show_race()

    def _show_race(self) -> None:
        race = self._race
        if not race:
            self.race_label.setText("")
            return

        def steps(entry) -> str:
            return f"{entry['steps']:,} steps" if entry["steps"] is not None else "not within the cap"

        raw, scaled = race["raw"], race["scaled"]
        text = (
            f"Raw inputs at {raw['learning_rate']:.3g}: <b>{steps(raw)}</b>.<br>"
            f"Scaled inputs at {scaled['learning_rate']:.3g}: <b>{steps(scaled)}</b>."
        )
        if raw["steps"] and scaled["steps"]:
            text += f"<br>Scaling needs {raw['steps'] / scaled['steps']:,.0f}× fewer steps."
        self.race_label.setText(text)

    def divergence_advice(self, learning_rate: float) -> str:
        limit = self.controls.stable_limit
        if limit is None or learning_rate <= limit:  # mini-batches can diverge below it
            return f"the learning rate {learning_rate:g} is too large for these batches"
        scaled = "with" if self.scaling_check.isChecked() else "without"
        return f"the learning rate {learning_rate:g} is above the stable limit ≈ {limit:.3g} {scaled} feature scaling"

    # -- snapshots -----------------------------------------------------------------------------------
    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        if "race" in snapshot.extra:
            self._show_race_progress(snapshot.extra["race"])
        if self._stats is None or not snapshot.has_data or not snapshot.params or not len(self._rows):
            self._show_no_data()
            return
        weights = np.array(snapshot.params["weights"], dtype=float)
        bias = float(snapshot.params["bias"])
        if weights.shape != (2,):
            return
        data_weights, data_bias = in_data_units(self._scaler, weights, bias)
        self.loss_curve.set_history(snapshot.history)
        self.weight_bars.set_weights(["w size", "w bedrooms", "bias"], np.array([*data_weights, data_bias]))
        self._draw_neuron(data_weights, data_bias)
        (x0, x1), (y0, y1) = self.top_view.view_box.viewRange()
        plane = np.array([*data_weights, data_bias, x0, x1, y0, y1])  # the map also follows the view
        drawn = self._drawn_plane
        # a settled plane only trembles in its last digits: nothing a person could see, so nothing is redrawn
        if drawn is None or drawn[0] is not self._rows or not np.allclose(plane, drawn[1], rtol=1e-10, atol=0.0):
            self._drawn_plane = (self._rows, plane)
            self._draw_plane(data_weights, data_bias)
        self._draw_landscape(snapshot, weights, bias)
        report = snapshot.report
        current = report is not None and snapshot.revision == snapshot.report_revision and not report.diverged
        partial = current and report.batch.size < snapshot.n_points
        self.top_view.highlight(report.batch if partial else None)

    def _show_no_data(self) -> None:
        self.price_map.clear()
        self._iso_lines.setData([], [])
        for dots in (self._map_dots, self._orbit_dots, self._fit_dots):
            dots.clear()
        self.orbit.set_segments(self._mesh, None)
        self.orbit.set_segments(self._sticks, None)
        self.top_view.highlight(None)
        self.landscape.clear_picture()
        self.loss_curve.clear_picture()
        self.weight_bars.clear_picture()
        self._off_chart.setText("")

    def _draw_neuron(self, weights: np.ndarray, bias: float) -> None:
        size, bedrooms = self._hover if self._hover is not None else self._rows[0, :2]
        self.neuron.set_values(
            [self.header[0], self.header[1], "1"],
            np.array([size, bedrooms, 1.0]),
            np.array([*weights, bias]),
            f"predicted\n{self.header[2]}",
        )

    def _on_top_view_mouse_moved(self, position: QPointF) -> None:
        view = self.top_view.view_box
        if not view.sceneBoundingRect().contains(position):
            return
        point = view.mapSceneToView(position)
        self._hover = (point.x(), float(max(round(point.y()), 0)))
        if self._snapshot is not None and self._snapshot.params and self._stats is not None:
            weights, bias = in_data_units(
                self._scaler, self._snapshot.params["weights"], float(self._snapshot.params["bias"])
            )
            self._draw_neuron(weights, bias)

    def _draw_plane(self, weights: np.ndarray, bias: float) -> None:
        """The top view's map and iso-price lines, the 3-D mesh and sticks, and predicted vs actual."""
        editor = self.top_view
        (x0, x1), (y0, y1) = editor.view_box.viewRange()
        xs, ys = np.linspace(x0, x1, MAP_GRID), np.linspace(y0, y1, MAP_GRID)
        with np.errstate(all="ignore"):
            values = bias + weights[0] * xs[None, :] + weights[1] * ys[:, None]  # rows follow y
        if not np.isfinite(values).all():
            return
        self.price_map.set_map(values, (x0, x1), (y0, y1))
        low, high = float(values.min()), float(values.max())
        step = nice_ceiling((high - low) / 6) if high > low else 1.0
        levels = np.arange(math.ceil(low / step), math.floor(high / step) + 1)[:12] * step
        self._iso_lines.setData(*iso_lines(weights, bias, (x0, x1, y0, y1), levels), connect="pairs")

        rows = self._rows[editor.drawn_indices[:MAX_DRAWN]]
        predicted = bias + rows[:, :2] @ weights
        residual = rows[:, 2] - predicted
        limit = RESIDUAL_COLOUR_LIMIT * self._best_rmse
        self._map_dots.set_data(rows[:, :2], residual, limit)
        self._draw_3d(rows, predicted, residual, weights, bias, limit)
        self._draw_fit(rows[:, 2], predicted, residual, limit)

    def _draw_3d(self, rows, predicted, residual, weights, bias, limit) -> None:
        orbit = self.orbit
        low, high = orbit.bounds
        span = high - low
        # far-off planes (a divergence) are pinned a little outside the box: drawn off the view, never overflowing
        z_low, z_high = low[2] - 2 * span[2], high[2] + 2 * span[2]
        sizes = np.linspace(low[0], high[0], MESH_LINES)
        rooms = np.linspace(low[1], high[1], MESH_LINES)
        ends = []
        for s in sizes:
            ends += [(s, rooms[0]), (s, rooms[-1])]
        for r in rooms:
            ends += [(sizes[0], r), (sizes[-1], r)]
        ends = np.array(ends)
        # a straight line on a plane is straight: its two ends are enough
        heights = np.clip(bias + ends @ weights, z_low, z_high)
        orbit.set_segments(self._mesh, np.column_stack([ends, heights]))
        sticks = np.empty((2 * len(rows), 3))
        sticks[0::2] = rows
        sticks[1::2, :2] = rows[:, :2]
        sticks[1::2, 2] = np.clip(predicted, z_low, z_high)
        orbit.set_segments(self._sticks, sticks)
        self._orbit_dots.set_data(rows, residual, limit)

    def _draw_fit(self, actual, predicted, residual, limit) -> None:
        low, high = self._price_range
        shown = np.clip(predicted, low, high)
        self._fit_dots.set_data(np.column_stack([actual, shown]), residual, limit)
        outside = int(np.count_nonzero(shown != predicted))
        self._off_chart.setText(f"{outside} off the chart (drawn at its edge)" if outside else "")
        self._off_chart.setPos(low, high)

    # -- the landscape -------------------------------------------------------------------------------------
    def _losses(self, weights: np.ndarray, bias: float) -> np.ndarray:
        """The MSE at many (w size, w bedrooms) at once, the bias held (inf where it overflows)."""
        v = np.column_stack([np.full(len(weights), -bias), -weights, np.ones(len(weights))])
        with np.errstate(all="ignore"):
            values = np.einsum("ij,jk,ik->i", v, self._stats.gram, v)
        return np.where(np.isfinite(values), values, np.inf)

    def _mse(self, theta: np.ndarray) -> float:
        with np.errstate(all="ignore"):
            value = self._stats.mse(theta[1:], theta[0])
        return value if np.isfinite(value) else math.inf

    def _on_landscape_resized(self) -> None:
        self._extent = None  # equal units per pixel on both axes: the frame depends on the view's shape
        if self._snapshot is not None and self._stats is not None and self._snapshot.params:
            self._draw_landscape(self._snapshot, self._snapshot.params["weights"], float(self._snapshot.params["bias"]))

    def _landscape_extent(self, points: np.ndarray) -> tuple[float, float, float, float]:
        """A window around the optimum holding the points, with equal units per pixel on both axes."""
        best = self._best[1:]
        reach = np.max(np.abs(points - best), axis=0) * 1.25
        reach = np.maximum(reach, 0.05 * (1.0 + np.abs(best)))
        view = self.landscape.getPlotItem().getViewBox()
        width, height = max(view.width(), 1.0), max(view.height(), 1.0)
        half_width = max(reach[0], reach[1] * width / height)
        half_height = half_width * height / width
        return best[0] - half_width, best[0] + half_width, best[1] - half_height, best[1] + half_height

    def _draw_landscape(self, snapshot: Snapshot, weights: np.ndarray, bias: float) -> None:
        weights = np.asarray(weights, dtype=float)
        path = snapshot.history.points
        path = path.reshape(-1, 2) if path.size else np.empty((0, 2))
        points = np.vstack([path, weights[None, :]])
        drawable = self._losses(points, bias) < DRAWABLE_LOSS
        if not drawable.any():
            return
        shown = points[drawable]
        w_size, w_rooms = shown[-1]
        inside = self._extent is not None and (
            self._extent[0] <= w_size <= self._extent[1] and self._extent[2] <= w_rooms <= self._extent[3]
        )
        if not inside:
            self._extent = self._landscape_extent(shown)
        x0, x1, y0, y1 = self._extent
        # the slice's lowest point and loss move with the bias: the surface is re-drawn once they moved visibly
        piece = weight_slice(self._stats, shown[-1], bias, 0, 1)
        lowest = np.linalg.lstsq(piece.Q, piece.p, rcond=None)[0]
        key = np.array([*lowest / [x1 - x0, y1 - y0], math.log10(max(float(piece.value(*lowest)), 1e-300))])
        moved = self._grid_key is None or np.any(np.abs(key - self._grid_key) >= REGRID_SHIFT)
        # while playing, a surface that merely drifted is re-drawn at most every REGRID_SECONDS (its contours cost)
        due = not snapshot.playing or time.perf_counter() - self._grid_time >= REGRID_SECONDS
        if not inside or (moved and due):
            self._grid_time = time.perf_counter()
            surface = linear_mse_grid(
                self._stats, shown[-1], bias, 1, np.linspace(x0, x1, GRID), 2, np.linspace(y0, y1, GRID)
            )
            self.landscape.set_surface(surface, (x0, x1), (y0, y1))
            self.landscape.set_optimum(*self._best[1:])
            self._grid_key, self._grid_bias = key, bias
        self.landscape.set_path(shown[:, 0], shown[:, 1])
        self.landscape.set_current(w_size, w_rooms)
        gradient, _ = self._stats.mse_gradient(shown[-1], bias)  # the next step, to scale
        self.landscape.arrow.show(w_size, w_rooms, tuple(-snapshot.hyperparameters["learning_rate"] * gradient))
        self.landscape.batch_arrow.hide()

    def _landscape_labels(self) -> None:
        if self.scaling_check.isChecked():
            self.landscape.set_axis_labels("w size (per spread of size)", "w bedrooms (per spread of bedrooms)")
        else:
            self.landscape.set_axis_labels("w size (per m²)", "w bedrooms (per bedroom)")


def iso_lines(weights: np.ndarray, bias: float, rect: tuple[float, float, float, float], levels: np.ndarray):
    """Where the plane ``bias + w·(x, y)`` equals each level, inside ``rect``: segments as pairs of points.

    A plane's level sets are straight lines, so each is cut by the rectangle's four sides:
    no contouring of a grid needed.
    """
    x0, x1, y0, y1 = rect
    w1, w2 = float(weights[0]), float(weights[1])
    xs, ys = [], []
    for level in levels:
        ends = []
        with np.errstate(all="ignore"):
            for x in (x0, x1):  # the left and right sides
                y = (level - bias - w1 * x) / w2 if w2 else np.nan
                if y0 <= y <= y1:
                    ends.append((x, y))
            for y in (y0, y1):  # the bottom and top
                x = (level - bias - w2 * y) / w1 if w1 else np.nan
                if x0 <= x <= x1:
                    ends.append((x, y))
        if len(ends) >= 2:
            (ax, ay), (bx, by) = ends[0], ends[-1]
            xs += [ax, bx]
            ys += [ay, by]
    return np.array(xs, dtype=float), np.array(ys, dtype=float)
