"""One cell, or one crafted sheet, cannot take the register down.

A value in XFD1048576 aborted with "memory allocation of 549755813888 bytes failed"; a note in XFD1
of 应收发票 made ``run`` take hours; a 7.7 MB workbook whose sheet inflates to 7 GiB took 14.8 GB of
memory. Formulas a script wrote without their values were read as blanks, and ``inf`` or
``9E+307`` as amounts. Each story runs the command line in a fresh process and measures its time
and peak memory, as a user's machine would see them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from credit_register.adapters.xlsx import FileWorkbook
from credit_register.core import dashboard
from credit_register.core.cells import column_letter, split_ref
from credit_register.core.schema import CUSTOMERS, INVOICES
from support.tampering import add_cell, inflating_part, peak_run, set_cell_value

#: what "in seconds" and "without allocating the empty grid" mean here (a shared 2-core machine)
SECONDS = 60.0
MEGABYTES = 1024.0


def note(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


@pytest.mark.parametrize("megabytes", [100, 1100])
def test_a_zip_bomb_is_refused_in_seconds_naming_the_sheet(
    demo_copy: Callable[..., Path], megabytes: int
) -> None:
    """100 MB from 0.1 MB is refused for its ratio, 1.1 GB for its size: both before inflating."""
    path = demo_copy()
    inflating_part(path, INVOICES.zh, megabytes)
    assert path.stat().st_size < 3 * 1024 * 1024

    code, seconds, peak, text = peak_run(["run", str(path)])

    assert code == 2 and "应收发票" in text and "Traceback" not in text
    assert seconds < SECONDS and peak < MEGABYTES, (seconds, peak)


def test_a_note_in_xfd1_of_the_invoices_is_read_in_seconds(
    demo_copy: Callable[..., Path],
) -> None:
    path = demo_copy()
    add_cell(path, INVOICES.zh, "XFD1", note("XFD1", "备注"))

    code, seconds, peak, text = peak_run(["run", str(path)])

    assert code == 0, text
    assert seconds < SECONDS and peak < MEGABYTES, (seconds, peak)
    sheet = FileWorkbook(path).read()[INVOICES.zh]
    assert sheet.value(1, 16383) == "备注"  # read, at its real place
    assert len(sheet.rows[0]) < 100  # without the 16,370 empty columns between


def test_a_value_in_xfd1048576_is_reported_at_its_cell_in_seconds(
    demo_copy: Callable[..., Path],
) -> None:
    path = demo_copy()
    add_cell(path, INVOICES.zh, "XFD1048576", note("XFD1048576", "stray"))

    code, seconds, peak, text = peak_run(["run", str(path)])

    assert seconds < SECONDS and peak < MEGABYTES, (seconds, peak)
    # a row of the invoice table with a value but no invoice: its blank required cells
    assert code == 1 and "应收发票!A1048576" in text, text[-2000:]


def test_a_formula_without_a_cached_value_is_reported_at_its_cell(
    demo_copy: Callable[..., Path],
) -> None:
    path = demo_copy()
    insured = column_letter(CUSTOMERS.columns.index(CUSTOMERS.column("insured_limit")))
    set_cell_value(path, CUSTOMERS.zh, f"{insured}2", "<f>R2*0.9</f>")  # a script's formula

    code, _, _, text = peak_run(["run", str(path)])

    assert code == 1
    assert f"客户!{insured}2" in text and "请在 Excel 中打开并保存，或直接填写数值" in text


def test_infinite_and_absurd_amounts_are_refused_at_their_cells(
    demo_copy: Callable[..., Path],
) -> None:
    path = demo_copy()
    amount = column_letter(INVOICES.columns.index(INVOICES.column("amount")))
    set_cell_value(path, INVOICES.zh, f"{amount}2", "<v>inf</v>")
    set_cell_value(path, INVOICES.zh, f"{amount}3", "<v>9E+307</v>")

    code, _, _, text = peak_run(["run", str(path)])

    assert code == 1
    assert f"应收发票!{amount}2" in text and "不是有限的数字" in text
    assert f"应收发票!{amount}3" in text and "data.max_amount" in text
    # the Dashboard's exposure and DSO are finite figures again (they were blank and 2.09e302)
    board = FileWorkbook(path).read()["控制台"]
    for key in ("total_exposure", "dso"):
        column, row = split_ref(dashboard.HEADLINE_BY_KEY[key].cell)
        value = board.value(row, column)
        assert isinstance(value, float) and math.isfinite(value) and value < 1e12, (key, value)


def _export(path: Path) -> Path:
    """A small invoice export as an ERP writes it (.xlsx, one sheet)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    page = book.add_worksheet("Sheet1")
    for r, row in enumerate(
        [
            ["Invoice Number", "Customer", "Invoice Date", "Amount", "Currency"],
            ["INV-9001", "C00001", "2026-11-01", 100.0, "CNY"],
        ]
    ):
        page.write_row(r, 0, row)
    book.close()
    return path


def test_an_export_that_is_a_zip_bomb_is_refused_before_it_inflates(
    demo_copy: Callable[..., Path], tmp_path: Path
) -> None:
    register = demo_copy()
    before = register.read_bytes()
    export = _export(tmp_path / "ar.xlsx")
    inflating_part(export, "Sheet1", 1100)

    code, seconds, peak, text = peak_run(["import", str(register), str(export)])

    assert code == 2 and "Sheet1" in text and "Traceback" not in text, text
    assert seconds < SECONDS and peak < MEGABYTES, (seconds, peak)
    assert register.read_bytes() == before


def test_an_export_with_a_stray_cell_in_xfd1048576_imports_in_seconds(
    demo_copy: Callable[..., Path], tmp_path: Path
) -> None:
    register = demo_copy()
    export = _export(tmp_path / "ar.xlsx")
    add_cell(export, "Sheet1", "XFD1048576", note("XFD1048576", "stray"))

    code, seconds, peak, text = peak_run(["import", str(register), str(export), "--dry-run"])

    assert seconds < SECONDS and peak < MEGABYTES, (seconds, peak)
    assert code == 0 and "新增 1 行" in text and "Traceback" not in text, text
