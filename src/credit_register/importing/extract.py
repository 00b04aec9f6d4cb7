"""An export's data rows as register columns, typed, with every bad cell named at its place.

Each mapped column is read by its register type with the same parsers the register reader uses
(``core.values``), so ``1,234.50``, ``2026年3月5日`` or ``是`` mean the same in an import as in the
workbook. Amounts given in 万元/千元 are multiplied out; currency names become ISO codes. A cell
that cannot be read rejects its row, with the export's own cell address in the message, so the
user fixes the export (or the mapping), not the register.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from credit_register.core import values
from credit_register.core.cells import cell_ref
from credit_register.core.currency import currency_codes
from credit_register.core.issues import Issue
from credit_register.core.schema import SHEETS, Column
from credit_register.importing.date_order import Order, rewrite
from credit_register.importing.layout import CUSTOMER_NAME, ORDER_NO, SETTLED_ON, Layout

#: the pseudo-column that names a customer on sheets other than Customers
_NAME_COLUMN = Column(CUSTOMER_NAME, "客户名称", "Customer name")
#: the pseudo-column of an invoice export's settlement date
_SETTLED_COLUMN = Column(SETTLED_ON, "结清日期", "Settled on", "date")
#: the pseudo-column of the sales order an invoice bills
_ORDER_COLUMN = Column(ORDER_NO, "订单号", "Order no")
_PSEUDO = {c.key: c for c in (_NAME_COLUMN, _SETTLED_COLUMN, _ORDER_COLUMN)}


@dataclass
class Extracted:
    """The typed rows of one export sheet."""

    #: register column keys (and ``customer_name``), one row per kept data row
    frame: pd.DataFrame
    #: the export's 1-based row number of each frame row (for messages)
    source_rows: pd.Series
    #: cells that could not be read (their rows are not in ``frame``)
    issues: list[Issue] = field(default_factory=list)
    #: how many rows were rejected for a bad cell
    rejected: int = 0


def takes_currency(layout: Layout) -> bool:
    """Whether the export's amounts need a currency it does not give: a sheet of amounts with a
    currency column the file lacks (a customer list's currency is the customer's own, not
    assumed)."""
    sheet = SHEETS[layout.kind]
    return sheet.has("currency") and "currency" not in layout.columns and sheet.key != "customers"


def source_column(kind: str, key: str) -> Column:
    """The column an export's mapped ``key`` is read as: a register column, or one of the
    pseudo-columns (the customer's name; an invoice's settlement date and sales order)."""
    sheet = SHEETS[kind]
    return sheet.column(key) if sheet.has(key) else _PSEUDO[key]


def extract(
    rows: Sequence[Sequence[Any]],
    layout: Layout,
    kept: Sequence[int],
    *,
    file: str,
    sheet: str,
    cells: Mapping[int, values.Cells] | None = None,
    date_order: Order | None = None,
    currency: str | None = None,
) -> Extracted:
    """Read the ``kept`` rows (0-based indexes into ``rows``) of the mapped columns; ``cells``:
    the mapped columns' cells in those rows, already classified (``layout.data_cells``);
    ``date_order``: how the file writes ``3/4/2026`` (``importing.date_order``; without it such
    dates are refused as the register refuses them); ``currency``: the ISO code of every amount
    when the file has no currency column.

    >>> from credit_register.importing.layout import detect, data_rows
    >>> rows = [["单据编号", "客户名称", "业务日期", "币别", "价税合计（万元）"],
    ...         ["AR-1", "甲公司", "2026年10月1日", "人民币", "1.5"],
    ...         ["AR-2", "乙公司", "2026-10-02", "美元", "abc"]]
    >>> layout = detect(rows)
    >>> got = extract(rows, layout, data_rows(rows, layout)[0], file="ar.xlsx", sheet="Sheet1")
    >>> got.frame[["invoice_no", "currency", "amount"]].to_dict("records")
    [{'invoice_no': 'AR-1', 'currency': 'CNY', 'amount': 15000.0}]
    >>> got.rejected, got.issues[0].place
    (1, 'ar.xlsx:Sheet1!E3')
    """
    frame: dict[str, pd.Series] = {}
    bad = np.zeros(len(kept), dtype=bool)
    issues: list[Issue] = []
    source_rows = pd.Series([i + 1 for i in kept], dtype="int64")
    for key, col in layout.columns.items():
        column = source_column(layout.kind, key)
        given = None if cells is None else cells.get(col)
        if given is None:
            given = values.classify([rows[i][col] if col < len(rows[i]) else None for i in kept])
        raw = given.raw
        if column.type == "date" and date_order is not None:
            given = values.classify(rewrite(raw, date_order))
        if column.key == "currency":
            parsed = values.parse(currency_codes(raw), column)
        else:
            parsed = values.parse(given, column)
        typed = parsed.values.reset_index(drop=True)
        factor = layout.scale.get(key)
        if factor is not None and column.type == "number":
            typed = (typed * factor).round(2)
        frame[key] = typed
        for position, problem in parsed.problems.items():
            at = int(position)  # type: ignore[call-overload]
            bad[at] = True
            zh, en = values.message(problem, column, raw.iloc[at])
            place = cell_ref(col, int(source_rows.iloc[at]))
            issues.append(Issue(file, sheet, place, "error", zh, en))
    table = pd.DataFrame(frame, index=pd.RangeIndex(len(kept)))
    if currency is not None and takes_currency(layout):
        table["currency"] = currency
    keep = ~bad
    return Extracted(
        frame=table.loc[keep].reset_index(drop=True),
        source_rows=source_rows.loc[keep].reset_index(drop=True),
        issues=issues,
        rejected=int(bad.sum()),
    )
