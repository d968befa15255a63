"""Contour segments, checked against pyqtgraph's own marching squares and against geometry."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from hypothesis import given, settings
from hypothesis import strategies as st

from primer_gui.widgets.contours import contour_segments


def sorted_points(x, y) -> np.ndarray:
    points = np.round(np.column_stack([x, y]), 9)
    return points[np.lexsort(points.T[::-1])]


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), shape=st.tuples(st.integers(2, 12), st.integers(2, 12)), level=st.floats(0, 1))
def test_same_crossings_as_pyqtgraphs_isocurve(seed, shape, level):
    values = np.random.default_rng(seed).random(shape)
    x, y = contour_segments(values, level, np.arange(shape[0], dtype=float), np.arange(shape[1], dtype=float))
    reference = pg.functions.isocurve(values, level, connected=False)
    # pyqtgraph puts grid values at pixel centres (+0.5); saddles may be paired differently,
    # so compare the multiset of crossing points, each segment contributing its two ends
    ref = np.array([point for segment in reference for point in segment], dtype=float).reshape(-1, 2) - 0.5
    assert len(x) == len(ref)
    if len(x):
        np.testing.assert_allclose(sorted_points(x, y), sorted_points(ref[:, 0], ref[:, 1]), atol=1e-9)
    # the two ends of a segment are on the boundary of one cell
    ends = np.column_stack([x, y]).reshape(-1, 2, 2)
    assert np.all(np.abs(ends[:, 0] - ends[:, 1]) <= 1 + 1e-9)


def test_ellipse_contours_land_on_the_level_in_data_coordinates():
    xs, ys = np.linspace(-2, 2, 121), np.linspace(-1, 3, 81)
    grid_x, grid_y = np.meshgrid(xs, ys, indexing="ij")
    values = grid_x**2 + 0.5 * (grid_y - 1) ** 2
    x, y = contour_segments(values, 1.0, xs, ys)
    assert len(x) > 100 and len(x) % 2 == 0
    # linear interpolation of a quadratic along one short edge: off by at most the edge² curvature
    np.testing.assert_allclose(x**2 + 0.5 * (y - 1) ** 2, 1.0, atol=1e-3)
    assert x.min() > -1.01 and x.max() < 1.01 and y.min() > 1 - 1.42 and y.max() < 1 + 1.42


def test_nan_cells_and_levels_outside_the_surface_give_no_segments():
    values = np.arange(16.0).reshape(4, 4)
    assert len(contour_segments(values, 100.0, np.arange(4.0), np.arange(4.0))[0]) == 0
    values[1, 1] = np.nan
    x, y = contour_segments(values, 7.5, np.arange(4.0), np.arange(4.0))
    assert np.isfinite(x).all() and np.isfinite(y).all() and len(x) > 0
