"""Reading and writing a tab's data as CSV: every file loaded exactly or refused with a reason.

A file is UTF-8 (with or without a byte-order mark) or UTF-16 (with one); its
optional first line names the columns; every other line holds one point, as
many numbers as the tab has columns.  Cells are separated by commas, or by
semicolons with a decimal comma ("1,5;2,3", as spreadsheets write in much of
Europe).  Refused, with the line named: text that is not numbers (a first line
that is partly numbers is not taken for a header), the wrong number of cells,
NaN or infinity, values beyond ±10¹² (every step would overflow), more rows
than the tab takes, other encodings and binary files.  Qt-free.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
from pathlib import Path

import numpy as np

from .session import atomic_write

#: values beyond this magnitude are refused: squared in a loss, they overflow
MAX_MAGNITUDE = 1e12
#: a file larger than this is refused before it is read
MAX_BYTES = 200_000_000


def read_csv(path: str | Path, width: int, max_rows: int) -> tuple[np.ndarray, list[str] | None]:
    """``(rows (n, width), header or None)``; raises ValueError with a sentence on any problem."""
    path = Path(path)
    name = path.name
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ValueError(f"{name} is larger than {MAX_BYTES // 1_000_000} MB; Primer reads smaller files.")
        raw = path.read_bytes()
    except OSError as error:
        raise ValueError(f"Could not read {name}: {error.strerror or error}.") from None
    text = _decode(raw, name)
    if "\0" in text:
        raise ValueError(f"{name} is not a text file.")
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    semicolons = ";" in first
    reader = csv.reader(io.StringIO(text), delimiter=";" if semicolons else ",")
    rows: list[list[float]] = []
    header = None
    try:
        for number, cells in enumerate(reader, start=1):
            if not cells or all(not cell.strip() for cell in cells):
                continue
            values = [_number(cell, semicolons) for cell in cells]
            if not rows and header is None and all(v is None for v in values):
                if len(cells) != width:
                    raise ValueError(f"{name}, line {number}: expected {width} column names, found {len(cells)}.")
                header = [cell.strip() for cell in cells]
                continue
            if len(values) != width:
                raise ValueError(f"{name}, line {number}: expected {width} numbers, found {len(values)}.")
            bad = [cell.strip() for cell, value in zip(cells, values, strict=True) if value is None]
            if bad:
                raise ValueError(f"{name}, line {number}: {bad[0][:40]!r} is not a number.")
            if not all(math.isfinite(v) for v in values):
                raise ValueError(f"{name}, line {number}: NaN or infinite values are not allowed.")
            if any(abs(v) > MAX_MAGNITUDE for v in values):
                raise ValueError(
                    f"{name}, line {number}: values must lie between −10¹² and 10¹² "
                    "(larger ones overflow when squared in a loss); rescale the column."
                )
            if len(rows) >= max_rows:
                raise ValueError(f"{name} has more than {max_rows:,} points, the most this tab takes.")
            rows.append(values)
    except csv.Error as error:
        raise ValueError(f"{name} is not a valid CSV file ({error}).") from None
    if not rows:
        raise ValueError(f"{name} holds no data rows.")
    return np.array(rows, dtype=float), header


def write_csv(path: str | Path, header: list[str], rows: np.ndarray) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[repr(float(v)) for v in row] for row in rows])
    atomic_write(Path(path), buffer.getvalue())


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ValueError(f"{name} says it is UTF-16 text but is damaged.") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if b"\0" in raw:
        raise ValueError(f"{name} is not a text file.")
    raise ValueError(f"{name} is not UTF-8 or UTF-16 text (perhaps Latin-1 or Windows-1252); save it as UTF-8.")


def _number(cell: str, decimal_comma: bool) -> float | None:
    cell = cell.strip()
    if "_" in cell:
        return None  # Python reads "1_000" as a number; a spreadsheet never writes one
    if decimal_comma:
        cell = cell.replace(",", ".")
    try:
        return float(cell)
    except ValueError:
        return None
