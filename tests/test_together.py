"""Reading inputs side by side (shopbook.reading.together) and writing streamed rows behind
(shopbook.writing.rows._write_behind): the same results, in order, and the same errors as one
after the other."""
from __future__ import annotations

import io
import threading
import time
import zipfile

import pandas as pd
import pytest

from shopbook.core.errors import UnusableInput
from shopbook.reading import cells
from shopbook.reading.together import read_together, workers
from shopbook.writing.rows import TEXT, Cells, _write_behind, splice


def test_results_come_back_in_argument_order():
    def slow(value, pause):
        def call():
            time.sleep(pause)
            return value
        return call
    assert read_together(slow("bill", 0.05), slow("register", 0)) == ["bill", "register"]


def test_the_first_failing_input_in_argument_order_is_the_error(monkeypatch):
    def fails(text, pause):
        def call():
            time.sleep(pause)
            raise UnusableInput(text)
        return call
    with pytest.raises(UnusableInput, match="bill"):
        read_together(fails("bill", 0.05), fails("register", 0))


def test_the_inputs_really_run_side_by_side(monkeypatch):
    monkeypatch.setenv("SHOPBOOK_THREADS", "2")
    both = threading.Barrier(2, timeout=5)  # each call waits for the other: one after the other would time out
    assert read_together(lambda: both.wait() is not None, lambda: both.wait() is not None) == [True, True]


def test_shopbook_threads_1_reads_one_after_the_other(monkeypatch):
    monkeypatch.setenv("SHOPBOOK_THREADS", "1")
    assert workers() == 1
    seen = []
    read_together(lambda: seen.append(threading.current_thread().name),
                  lambda: seen.append(threading.current_thread().name))
    assert seen == [threading.current_thread().name] * 2


def test_each_thread_keeps_its_own_column_factorisations():
    column = pd.Series(["黑", "白", "黑"], dtype=object)
    codes, uniques = cells.distinct(column)
    other = []
    worker = threading.Thread(target=lambda: other.append(cells._cache()))
    worker.start()
    worker.join()
    assert other == [[]] and cells._cache()[0][0] is column
    assert list(uniques[codes]) == ["黑", "白", "黑"]


def test_written_behind_the_bytes_are_the_same_and_in_order():
    out = io.BytesIO()
    _write_behind(out, (f"<row r=\"{n}\"/>".encode() for n in range(1, 2001)))
    assert out.getvalue() == b"".join(f"<row r=\"{n}\"/>".encode() for n in range(1, 2001))


def test_a_write_that_fails_is_raised_in_the_callers_thread():
    class Full(io.RawIOBase):
        def write(self, data):
            raise OSError(28, "No space left on device")
    made = []

    def chunks():
        for n in range(100):
            made.append(n)
            yield b"x" * 10
    with pytest.raises(OSError, match="No space"):
        _write_behind(Full(), chunks())
    assert len(made) < 100  # making stops once the writer has failed


def test_an_error_making_the_rows_stops_the_writer_too():
    out = io.BytesIO()

    def chunks():
        yield b"<row/>"
        raise ValueError("bad cell")
    with pytest.raises(ValueError, match="bad cell"):
        _write_behind(out, chunks())
    assert out.getvalue() == b"<row/>"
    assert not [t for t in threading.enumerate() if t.name == "shopbook-deflate"]


def test_spliced_rows_are_read_back(tmp_path):
    import openpyxl
    import xlsxwriter

    path = tmp_path / "list.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("明细")
    ws.write_string(0, 0, "快递单号")
    wb.close()
    values = pd.Series([f"SF{n:013d}" for n in range(50_000)], dtype=object)
    splice(path, {"xl/worksheets/sheet1.xml": ([Cells(values, TEXT)], 2, None)})
    assert zipfile.ZipFile(path).testzip() is None
    sheet = openpyxl.load_workbook(path, read_only=True)["明细"]
    read = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert read == values.tolist()


def test_reconcile_names_the_bill_when_both_inputs_are_unusable(tmp_path):
    import datetime as dt

    from shopbook.courier.run import run_reconcile

    bill, register = tmp_path / "账单.xlsx", tmp_path / "发货.xlsx"
    bill.write_bytes(b"PK\x03\x04 not a workbook")
    register.write_bytes(b"PK\x03\x04 not a workbook either")
    with pytest.raises(UnusableInput) as raised:
        run_reconcile(bill, register, None, dt.datetime(2026, 11, 5, 9))
    assert str(raised.value).startswith(str(bill))


def test_columns_side_by_side_come_back_in_order_with_the_first_error():
    from shopbook.reading.together import side_by_side

    def slow_square(n):
        time.sleep(0.01 * (5 - n))  # later items finish first
        if n in (2, 4):
            raise UnusableInput(f"第 {n} 列")
        return n * n

    assert side_by_side(lambda n: n * n, range(6)) == [0, 1, 4, 9, 16, 25]
    with pytest.raises(UnusableInput, match="第 2 列"):
        side_by_side(slow_square, range(5))
    assert side_by_side(slow_square, [0, 1], big=False) == [0, 1]


def test_a_big_sheet_parsed_column_by_column_side_by_side_is_the_same(tmp_path, monkeypatch):
    """fast.parse_strings parses a big sheet's columns in threads: the same values and findings."""
    import numpy as np
    from pathlib import Path
    from shopbook.reading import fast
    from shopbook.sheets.shipping import SHIPPING

    n = 100_001
    rng = np.random.default_rng(7)
    frame = pd.DataFrame({0: ["发货日期"] + [f"2026-10-{1 + i % 28:02d} 09:00:00" for i in range(n)],
                          1: ["快递单号"] + [f"ZT{i:012d}" if i % 997 else " " for i in range(n)],
                          2: ["重量(kg)"] + [str(w) if w > 0.2 else "#N/A" for w in rng.random(n) * 5],
                          3: ["订单号"] + [str(1e16 + i) if i % 5000 == 0 else f"T{i}" for i in range(n)]},
                         dtype="str")
    frame.index = range(1, n + 2)
    together = fast.parse_strings(frame, SHIPPING, "发货", 0, path=Path("发货.csv"))
    monkeypatch.setenv("SHOPBOOK_THREADS", "1")
    alone = fast.parse_strings(frame, SHIPPING, "发货", 0, path=Path("发货.csv"))
    pd.testing.assert_frame_equal(together.data, alone.data)
    pd.testing.assert_frame_equal(together.findings, alone.findings)
    assert len(alone.findings) > 0
