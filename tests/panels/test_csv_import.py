"""CSV import never crashes: any file either becomes rows of finite numbers or a ValueError with a reason."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from primer_gui.panels.base import read_csv

cells = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**6), 10**6).map(str),
    st.text(max_size=6),
    st.just(""),
)
lines = st.lists(st.lists(cells, min_size=0, max_size=4).map(",".join), max_size=12).map("\n".join)


@settings(max_examples=200, deadline=None)
@given(content=st.one_of(lines, st.binary(max_size=64).map(lambda b: b.decode("latin-1"))))
def test_any_text_gives_rows_or_a_reason(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("csv") / "data.csv"
    path.write_text(content, encoding="utf-8")
    try:
        rows = read_csv(path, 2)
    except ValueError as error:
        assert str(error).startswith("data.csv")
        return
    assert rows.ndim == 2 and rows.shape[1] == 2 and rows.shape[0] >= 1
    assert all(math.isfinite(v) for v in rows.ravel())


@settings(max_examples=50, deadline=None)
@given(rows=st.lists(st.tuples(st.floats(-1e9, 1e9), st.floats(-1e9, 1e9)), min_size=1, max_size=20))
def test_exported_rows_read_back_exactly(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("csv") / "data.csv"
    path.write_text("size,price\n" + "\n".join(f"{a!r},{b!r}" for a, b in rows), encoding="utf-8")
    np.testing.assert_array_equal(read_csv(path, 2), np.array(rows))


def test_binary_files_are_refused(tmp_path):
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    with pytest.raises(ValueError, match="not a text file"):
        read_csv(path, 2)
