"""Contour lines of a gridded surface, by marching squares, vectorised with NumPy.

pyqtgraph's ``IsocurveItem`` traces contours in a Python loop over cells: ten
levels on the 121×121 landscape took ~70 ms, a visible stall each time the
landscape is re-framed.  Here every cell of every level is handled at once and
the result is a list of independent segments, drawn as one curve of pairs.
"""

from __future__ import annotations

import numpy as np


def contour_segments(values: np.ndarray, level: float, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Segments where the surface crosses ``level``; ``values[i, j]`` is the value at ``(xs[i], ys[j])``.

    Returns ``(x, y)`` of length ``2·k`` for ``k`` segments: points ``2m`` and ``2m + 1`` are the
    ends of segment ``m``.  Along each cell edge the surface is taken as linear, so an end point
    lies exactly where the linear interpolation between two grid values equals ``level``.  A
    saddle cell (opposite corners on the same side) is split by the value at its centre.
    """
    v = np.asarray(values, dtype=float)
    above = v > level
    # corners of each cell: a = (i, j), b = (i+1, j), c = (i+1, j+1), d = (i, j+1)
    pa, pb, pc, pd = above[:-1, :-1], above[1:, :-1], above[1:, 1:], above[:-1, 1:]
    crossed = np.stack([pa != pb, pb != pc, pd != pc, pa != pd])  # edges ab, bc, dc, ad
    count = crossed.sum(axis=0)
    i, j = np.nonzero(count)  # only the cells the level passes through (a thin band) are worked on
    crossed, count = crossed[:, i, j], count[i, j]
    a, b, c, d = v[i, j], v[i + 1, j], v[i + 1, j + 1], v[i, j + 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        # the crossing point on each edge (meaningful where crossed), in grid index coordinates
        edge_i = np.stack([i + (level - a) / (b - a), i + 1.0, i + (level - d) / (c - d), i + 0.0])
        edge_j = np.stack([j + 0.0, j + (level - b) / (c - b), j + 1.0, j + (level - a) / (d - a)])

    # two crossings: one segment between them
    simple = count == 2
    first = np.argmax(crossed, axis=0)[simple]
    last = 3 - np.argmax(crossed[::-1], axis=0)[simple]
    # four crossings, a saddle: two segments, each cutting off the two corners away from the centre;
    # a on the centre's side: cut off b (edges ab, bc) and d (dc, ad); else a (ab, ad) and c (bc, dc)
    saddle = count == 4
    a_with_centre = (a > level)[saddle] == ((a + b + c + d) / 4 > level)[saddle]
    edge_ab, edge_dc = np.zeros(a_with_centre.shape, int), np.full(a_with_centre.shape, 2)
    groups = [
        (first, last, simple),
        (edge_ab, np.where(a_with_centre, 1, 3), saddle),
        (edge_dc, np.where(a_with_centre, 3, 1), saddle),
    ]
    ends_i, ends_j = [], []
    for edge_from, edge_to, mask in groups:
        cells_i, cells_j = edge_i[:, mask], edge_j[:, mask]
        cells = np.arange(cells_i.shape[1])
        ends_i.append(np.stack([cells_i[edge_from, cells], cells_i[edge_to, cells]], axis=1))
        ends_j.append(np.stack([cells_j[edge_from, cells], cells_j[edge_to, cells]], axis=1))
    seg_i, seg_j = np.concatenate(ends_i), np.concatenate(ends_j)
    keep = np.isfinite(seg_i).all(axis=1) & np.isfinite(seg_j).all(axis=1)  # NaN in the surface
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    return (
        np.interp(seg_i[keep].ravel(), np.arange(len(xs)), xs),
        np.interp(seg_j[keep].ravel(), np.arange(len(ys)), ys),
    )
