"""The shared widgets a tab is made of, driven as a person would."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from mouse import data_to_viewport
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QSpinBox

from primer_gui.training.history import History, HistoryMirror
from primer_gui.widgets.heat_map import HeatMap
from primer_gui.widgets.loss_curve import LossCurve
from primer_gui.widgets.number_box import NumberBox
from primer_gui.widgets.palette import DARK
from primer_gui.widgets.plots import Plot
from primer_gui.widgets.point_editor import MAX_DRAWN, PointEditor
from primer_gui.widgets.settings import SettingsGroup
from primer_gui.widgets.step_inspector import PLACEHOLDER, StepInspector
from primer_gui.widgets.weight_bars import WeightBars


def click(qtbot, plot, x, y, button=Qt.MouseButton.LeftButton):
    qtbot.mouseClick(plot.viewport(), button, pos=data_to_viewport(plot, x, y))


def test_point_editor_with_classes_adds_by_button_and_deletes_on_a_point(shown, qtbot):
    editor = shown(PointEditor("points", classes=("class 0", "class 1")))
    editor.set_points(np.array([[0.5, 0.5]]), np.array([1]))
    editor.frame_points()
    editor.getPlotItem().getViewBox().setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
    added, deleted = [], []
    editor.point_added.connect(lambda x, y, label: added.append(label))
    editor.point_deleted.connect(deleted.append)
    click(qtbot, editor, 0.2, 0.2)
    click(qtbot, editor, 0.8, 0.8, Qt.MouseButton.RightButton)
    editor.current_class = 0
    click(qtbot, editor, 0.2, 0.8)
    click(qtbot, editor, 0.5, 0.5, Qt.MouseButton.RightButton)
    assert added == [1, 0, 0] and deleted == [0]


def test_point_editor_draws_a_fixed_subset_of_large_data_and_grabs_only_what_is_drawn(shown):
    editor = shown(PointEditor("points"))
    points = np.random.default_rng(1).uniform(0, 1, (MAX_DRAWN * 5, 2))
    editor.set_points(points)
    drawn = editor.drawn_indices
    assert drawn.size == MAX_DRAWN
    assert "showing 4,000 of 20,000 points" in editor._subset_note.textItem.toPlainText()
    editor.set_points(points + 0.01)  # an edit of the same size keeps the same subset
    np.testing.assert_array_equal(editor.drawn_indices, drawn)


def test_heat_map_draws_the_boundary_where_the_map_crosses_one_half(shown):
    plot = shown(Plot("map"))
    layer = HeatMap(plot)
    xs = np.linspace(-1, 1, 50)
    values = 1 / (1 + np.exp(-8 * (xs[None, :] - 0.25)))  # rows follow y, columns x: a vertical boundary
    values = np.repeat(values, 40, axis=0)
    layer.set_map(values, (-1, 1), (-2, 2))
    x, y = layer._bold_line.getData()
    assert x.size and np.allclose(x, 0.25, atol=0.03)
    assert y.min() >= -2 and y.max() <= 2
    plot.apply_theme(DARK)  # restyles without complaint
    layer.clear()
    assert layer._bold_line.getData()[0] is None or not len(layer._bold_line.getData()[0])


def test_weight_bars_mark_exact_zeros(shown):
    bars = shown(WeightBars())
    bars.set_weights(["x", "x²", "x³"], np.array([1.5, 0.0, -0.25]))
    x, _ = bars._zeros.getData()
    np.testing.assert_array_equal(x, [1.0])
    low, high = bars.getPlotItem().getViewBox().viewRange()[1]
    assert low < -1.5 and high > 1.5


def test_loss_curve_draws_named_series_and_turns_logarithmic_when_they_span_decades(shown):
    curve = shown(LossCurve(series={"loss": "training", "validation": "validation"}))
    history = History(("loss", "validation"))
    for step in range(50):
        history.append(step, (1.0 / (step + 1) ** 2, 2.0 / (step + 1) ** 2))
    mirror = HistoryMirror(history.series)
    mirror.apply(history.delta())
    curve.set_history(mirror)
    assert curve.log_scale  # 1 → 0.0004: more than two decades
    x, y = curve._curves["validation"].getData()
    assert len(x) == 50
    curve.set_scale("linear")
    assert not curve.log_scale


def test_loss_curve_in_auto_scale_turns_linear_again_when_the_history_starts_again(shown):
    """The runner hands the curve one mirror, updated in place: a reset shows as a shorter history."""
    curve = shown(LossCurve())
    history, mirror = History(), HistoryMirror()
    for step in range(20):
        history.append(step, (1000.0 / (step + 1) ** 2,))
    mirror.apply(history.delta())
    curve.set_history(mirror)
    assert curve.log_scale
    history.clear()
    history.append(0, (5.0,))
    mirror.apply(history.delta())
    curve.set_history(mirror)
    assert not curve.log_scale


def test_number_box_shows_values_as_written_and_never_misreads_a_comma(qapp):
    box = NumberBox(1e-6, 10.0, value=2.5e-5)
    assert box.text() == "2.5e-05"
    box.setLocale(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    assert box.validate("0,5", 3)[0] == QValidator.State.Invalid
    assert box.valueFromText("0.5") == 0.5
    box.setLocale(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    assert box.validate("0,5", 3)[0] == QValidator.State.Acceptable
    assert box.valueFromText("0,5") == 0.5


def test_settings_are_checked_completely_before_any_is_applied(qapp):
    spin, check, menu = QSpinBox(), QCheckBox(), QComboBox()
    spin.setRange(0, 10)
    menu.addItems(["a", "b"])
    group = SettingsGroup()
    group.add("count", spin)
    group.add("on", check)
    group.add("kind", menu)
    changes = []
    spin.valueChanged.connect(changes.append)
    for bad, word in [({"count": "abc"}, "number"), ({"count": 99}, "between"), ({"kind": "c"}, "one of")]:
        with pytest.raises(ValueError, match=word):
            group.parse({"on": True, **bad})
    assert not check.isChecked()  # nothing applied
    group.apply(group.parse({"count": 4, "on": True, "kind": "b", "unknown": 1}))
    assert group.state() == {"count": 4, "on": True, "kind": "b"}
    assert changes == []  # restored quietly: no signal acted as if a person had changed it


def snapshot(report, step, revision, report_revision, has_data=True):
    return SimpleNamespace(
        report=report,
        step=step,
        revision=revision,
        report_revision=report_revision,
        has_data=has_data,
        report_batch=(None, None),
        loss=0.5,
    )


def test_step_inspector_renders_once_per_report_and_says_when_training_moved_on(qapp):
    rendered = []

    def render(report, batch, loss_after):
        rendered.append(loss_after)
        return f"<p>step {report.step}</p>"

    inspector = StepInspector(render)
    report = SimpleNamespace(step=3)
    inspector.show_snapshot(snapshot(report, 3, 7, 7))
    inspector.show_snapshot(snapshot(report, 3, 7, 7))
    assert rendered == [0.5]
    inspector.show_snapshot(snapshot(report, 9, 13, 7))
    assert rendered == [0.5, None] and "training has moved on" in inspector.toPlainText()
    inspector.show_snapshot(snapshot(report, 3, 8, 7))  # an edit, no new step
    assert "data or a setting has changed" in inspector.toPlainText()
    inspector.show_snapshot(snapshot(None, 0, 9, 7))
    assert inspector.toHtml() and "Press Step" in inspector.toPlainText() and PLACEHOLDER
    inspector.show_snapshot(snapshot(None, 0, 9, 7, has_data=False))
    assert "No data" in inspector.toPlainText()


def test_probability_bars_wrap_a_long_note_inside_the_plot(shown, qtbot):
    from primer_gui.widgets.probability_bars import ProbabilityBars

    bars = shown(ProbabilityBars("Its top 8 guesses", 8))
    bars.resize(300, 280)
    bars.show_note("Put at least one word next to the ___ so the model has a context to guess from.")
    qtbot.waitUntil(lambda: bars.getPlotItem().getViewBox().width() > 0)
    bars.resize(290, 280)  # (a resize wraps it again)
    note_width = bars.note.mapRectToScene(bars.note.boundingRect()).width()
    assert 0 < note_width <= bars.getPlotItem().getViewBox().width()
