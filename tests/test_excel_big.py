"""A big register through the Excel door: blocks under the platform's limits, read once, only the
sheets the action needs, a quiet Excel put back as it was.

The stand-in of Excel (``support.excel_standin``) counts the cells of every call. A synthetic
invoice table of 500,000 rows goes through it as it would through COM on Windows and Apple Events
on a Mac, and no call may carry more than the door's limits for that platform.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from credit_register.adapters.services import document_services
from credit_register.adapters.xlsx import FileWorkbook
from credit_register.adapters.xlwings import XlwingsWorkbook
from credit_register.adapters.xlwings_transfer import MAC, WINDOWS, Chunks
from credit_register.app import actions, pipeline, usecases
from credit_register.app.action_sheets import SHEETS_READ, sheets_read
from credit_register.core.port import CellValue, Changes
from credit_register.core.schema import (
    AGEING,
    ALERTS,
    CUSTOMERS,
    DASHBOARD,
    HISTORY,
    INVOICES,
    ISSUES,
    OPEN_ITEMS,
    RATINGS,
)
from support.excel_standin import CellError, FakeBook, FakeSheet
from support.tampering import add_cell

INVOICE_ROWS = 500_000


def _invoice_grid(rows: int) -> np.ndarray[Any, Any]:
    """A header and ``rows`` invoices as Excel would hold them, with two error cells."""
    headers = INVOICES.headers("zh")
    grid = np.full((rows + 1, len(headers)), None, dtype=object)
    grid[0, :] = headers
    n = np.arange(rows)
    days = pd.Timestamp("2026-01-01") + pd.to_timedelta(n % 300, unit="D")
    column = {c.key: i for i, c in enumerate(INVOICES.columns)}
    grid[1:, column["invoice_no"]] = [f"INV{i:07d}" for i in n]
    grid[1:, column["customer_id"]] = np.array([f"C{i:03d}" for i in range(100)], dtype=object)[
        n % 100
    ]
    grid[1:, column["invoice_date"]] = np.array(days.to_pydatetime(), dtype=object)
    grid[1:, column["amount"]] = (1000.0 + n).astype(object)
    grid[1:, column["currency"]] = "CNY"
    grid[7, column["amount"]] = CellError("#N/A")  # pasted from a lookup gone wrong
    grid[rows - 2, column["due_date"]] = CellError("#REF!", formula=True)
    return grid


@pytest.fixture(scope="module")
def invoice_grid() -> np.ndarray[Any, Any]:
    return _invoice_grid(INVOICE_ROWS)


def big_book(tmp_path: Path, invoices: np.ndarray[Any, Any], history_rows: int = 0) -> FakeBook:
    book = FakeBook(tmp_path / "Credit Register (1).xlsm")
    book.add(DASHBOARD.zh, [[None, "客户资信管理"]])
    book.add(CUSTOMERS.zh, [CUSTOMERS.headers("zh"), ["C001", "华东机械"]])
    book.add(INVOICES.zh).fill_grid(invoices)
    history: list[list[Any]] = [HISTORY.headers("zh")]
    history += [[dt.datetime(2026, 1, 5), "wang", "run"]] * history_rows
    book.add(HISTORY.zh, history)
    book.add(ISSUES.zh, [ISSUES.headers("zh")])
    book.add("我的笔记", [["a user's own tab"]])
    return book


@pytest.mark.parametrize("chunks", [WINDOWS, MAC], ids=lambda c: c.name)
def test_a_500000_row_invoice_sheet_is_read_in_blocks_under_the_platforms_limits(
    tmp_path: Path, invoice_grid: np.ndarray[Any, Any], chunks: Chunks
) -> None:
    book = big_book(tmp_path, invoice_grid, history_rows=2_000)
    port = XlwingsWorkbook(book, sheets=sheets_read("validate"), chunks=chunks)

    raw = port.read()
    again = port.read()

    invoices = raw[INVOICES.zh].rows
    assert again is raw  # read once: the request and the use case share it
    assert len(invoices) == INVOICE_ROWS + 1
    assert invoices[1][:2] == ["INV0000000", "C000"]
    assert invoices[-1][0] == f"INV{INVOICE_ROWS - 1:07d}"
    amount = INVOICES.headers("zh").index(INVOICES.column("amount").zh)
    due = INVOICES.headers("zh").index(INVOICES.column("due_date").zh)
    assert invoices[7][amount] == "#N/A"  # the validator names the bad cell
    assert invoices[INVOICE_ROWS - 2][due] == "#REF!"

    reads = [c for c in book.calls if c.kind == "value"]
    width = len(INVOICES.columns)
    assert max(c.cells for c in reads) <= chunks.read_cells
    assert max(c.cells // width for c in reads if c.sheet == INVOICES.zh) <= chunks.rows
    # every invoice cell crosses once; on a Mac the two error cells a second time, as text
    on_invoices = sum(c.cells for c in reads if c.sheet == INVOICES.zh)
    assert on_invoices == (INVOICE_ROWS + 1) * width + (0 if chunks.errors_with_values else 2)
    as_text = [c for c in book.calls if c.kind == "options" and c.value]
    if chunks is MAC:
        assert sum(c.cells for c in as_text) == 2  # err_to_str only on the error cells
        # one SpecialCells call per kind of cell on each sheet read in full
        assert len([c for c in book.calls if c.kind == "get_special_cells"]) == 2 * 3
    else:
        assert not [c for c in book.calls if c.kind == "get_special_cells"]
    # History is not the validator's: its header only; the user's own tab not at all
    assert raw[HISTORY.zh].rows == [HISTORY.headers("zh")]
    assert sum(c.cells for c in reads if c.sheet == HISTORY.zh) == len(HISTORY.columns)
    assert "我的笔记" not in raw and not [c for c in book.calls if c.sheet == "我的笔记"]
    # the user saw how far the read was, and Excel has its status bar back
    assert any("应收发票" in line and "500,001/500,001" in line for line in book.app.statuses)
    assert book.app.status_bar is False


@pytest.mark.parametrize("chunks", [WINDOWS, MAC], ids=lambda c: c.name)
def test_a_500000_row_table_is_written_in_blocks_and_an_append_reads_only_historys_tail(
    tmp_path: Path, chunks: Chunks
) -> None:
    book = big_book(tmp_path, _invoice_grid(10), history_rows=100_000)
    issues = pd.DataFrame(
        {
            "位置": [f"应收发票!F{i + 2}" for i in range(INVOICE_ROWS)],
            "级别": "错误",
            "说明": "金额不是数字",
        }
    )
    appended: list[list[CellValue]] = [[dt.datetime(2026, 3, 31, 10, 15), "li", "run"]]
    port = XlwingsWorkbook(book, chunks=chunks)

    port.apply(Changes(tables={ISSUES.key: issues}, append={HISTORY.key: appended}))

    writes = [c for c in book.calls if c.kind == "value="]
    assert max(c.cells for c in writes) <= chunks.write_cells
    assert max(len(c.value) for c in writes) <= chunks.rows
    written = book.sheets[ISSUES.zh]
    assert written.block((INVOICE_ROWS + 1, 1, INVOICE_ROWS + 1, 3), False) == [
        [f"应收发票!F{INVOICE_ROWS + 1}", "错误", "金额不是数字"]
    ]
    history_reads = [c for c in book.calls if c.sheet == HISTORY.zh and c.kind == "value"]
    assert sum(c.cells for c in history_reads) < 1_000  # the tail, not 100,000 rows
    assert book.sheets[HISTORY.zh].block((100_002, 1, 100_002, 3), False) == [
        [dt.datetime(2026, 3, 31, 10, 15), "li", "run"]
    ]
    # Excel was quiet while writing and is as it was
    assert ("screen_updating", False) in book.app.settings
    assert ("calculation", "manual") in book.app.settings
    assert (book.app.screen_updating, book.app.calculation, book.app.status_bar) == (
        True,
        "automatic",
        False,
    )


def test_screen_and_calculation_come_back_when_a_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = big_book(tmp_path, _invoice_grid(10))
    book.app.calculation = "semiautomatic"  # the user's own setting

    def protected(*args: object) -> None:
        raise RuntimeError("COM error: the cell or chart is on a protected sheet")

    monkeypatch.setattr(FakeSheet, "put", protected)
    with pytest.raises(RuntimeError, match="protected"):
        XlwingsWorkbook(book).apply(Changes(tables={ISSUES.key: pd.DataFrame({"位置": ["x"]})}))

    assert book.app.screen_updating is True
    assert book.app.calculation == "semiautomatic"
    assert book.app.status_bar is False


# ------------------------------------------------------------- only the sheets an action reads


class _FrozenClock(dt.datetime):
    """``datetime`` whose ``now()`` is fixed: the two runs stamp the same time."""

    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
        return dt.datetime(2026, 3, 31, 10, 15)


def _book_of(path: Path, tmp_path: Path, name: str) -> FakeBook:
    book = FakeBook(tmp_path / name / "credit_register.xlsm")
    for tab, sheet in FileWorkbook(path).read().items():
        book.add(tab, sheet.rows)
    return book


@pytest.mark.parametrize("action", ["validate", "run", "rate", "approve", "check_order"])
def test_an_action_reading_only_its_sheets_writes_what_it_writes_reading_all(
    action: str,
    demo_copy: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The declaration in ``app.action_sheets`` is complete: a sheet an action uses but does
    not name would make the two doors write different values."""
    assert action in SHEETS_READ
    clock = types.SimpleNamespace(datetime=_FrozenClock, date=dt.date)
    for module in (actions, pipeline):
        monkeypatch.setattr(module, "dt", clock)
    services = document_services()
    path = demo_copy()  # after last month's run: Ratings and Alerts hold what it wrote
    last_month = dt.date(2026, 3, 1)
    usecases.run_action(
        usecases.ActionRequest("run"), FileWorkbook(path), services=services, today=last_month
    )
    # a column the team added to each rewritten output sheet, beside last month's first row
    for sheet in (RATINGS, AGEING, OPEN_ITEMS, ALERTS):
        for ref, text in (("Z1", "我们的备注"), ("Z2", "已电话确认")):
            add_cell(path, sheet.zh, ref, f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>')
    outcomes = []
    for name, sheets in (("all", None), ("declared", sheets_read(action))):
        book = _book_of(path, tmp_path, name)
        ratings = book.sheets[RATINGS.zh]
        book.select(ratings, (2, 1, 3, 4))  # two customers, for approve
        board = book.sheets[DASHBOARD.zh]
        # the order to check, and the reason an approval needs
        board.fill([["C00001"], [250_000.0], ["CNY"], ["年度复核"]], top=5, left=3)
        port = XlwingsWorkbook(book, sheets=sheets)
        request = usecases.request_from_dashboard(port.read(), action, port.selection())
        result = usecases.run_action(request, port, services=services, today=dt.date(2026, 3, 31))
        writes = [(c.sheet, c.address, c.value) for c in book.calls if c.kind == "value="]
        outcomes.append((result.message, writes))
    assert outcomes[1] == outcomes[0]
    assert outcomes[0][1], f"nothing written ({outcomes[0][0]}): the comparison proves nothing"
