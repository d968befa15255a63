"""CSV import never crashes and never misreads: any file either becomes rows of finite numbers exactly
as written, or a ValueError with a reason naming the file (and the line)."""

from __future__ import annotations

import codecs
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from primer_gui.csv_files import read_csv, write_csv

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
        rows, _header = read_csv(path, 2, 1000)
    except ValueError as error:
        assert str(error).startswith("data.csv")
        return
    assert rows.ndim == 2 and rows.shape[1] == 2 and rows.shape[0] >= 1
    assert all(math.isfinite(v) and abs(v) <= 1e12 for v in rows.ravel())


@settings(max_examples=50, deadline=None)
@given(rows=st.lists(st.tuples(st.floats(-1e9, 1e9), st.floats(-1e9, 1e9)), min_size=1, max_size=20))
def test_exported_rows_read_back_exactly_with_their_header(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("csv") / "data.csv"
    write_csv(path, ["size (m²)", "price (€)"], np.array(rows))
    back, header = read_csv(path, 2, 1000)
    np.testing.assert_array_equal(back, np.array(rows))
    assert header == ["size (m²)", "price (€)"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x89PNG\r\n\x1a\n\xff\xfe\x00", "not a text file"),
        (b"1,abc\n2,3\n", "'abc' is not a number"),  # a partly numeric first line is not a header
        (b"1,2\n3\n", "line 2: expected 2 numbers, found 1"),
        (b"1,1e300\n", "between"),
        (b"1,nan\n", "NaN or infinite"),
        (b"size,price\n", "no data rows"),
        ("größe,preis\n1,2\n".encode("latin-1"), "Latin-1"),
        (b"1_000,2\n", "not a number"),
        (b"1," + b"9" * 200_000 + b"\n", "not a valid CSV file"),
    ],
)
def test_bad_files_are_refused_with_the_reason(tmp_path, content, message):
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=message):
        read_csv(path, 2, 1000)


@pytest.mark.parametrize(
    "content",
    [
        codecs.BOM_UTF8 + b"size,price\n1.5,2\n",
        "size,price\n1.5,2\n".encode("utf-16"),
        b"size;price\n1,5;2\n",  # a spreadsheet's decimal comma, semicolons between cells
    ],
)
def test_byte_order_marks_utf16_and_decimal_commas_are_read(tmp_path, content):
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    rows, header = read_csv(path, 2, 1000)
    np.testing.assert_array_equal(rows, [[1.5, 2.0]])
    assert header == ["size", "price"]


def test_more_rows_than_the_tab_takes_are_refused(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("\n".join(f"{i},{i}" for i in range(11)))
    with pytest.raises(ValueError, match="more than 10 points"):
        read_csv(path, 2, 10)
