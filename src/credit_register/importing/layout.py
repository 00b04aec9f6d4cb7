"""Finding the table in an export: which row is the header, which column means what, which rows
are data.

Exports rarely start at A1 with one header row: Kingdee prints a report title and 系统信息 /
台账信息 group headers above the real one, SAP prints selection lines, pivot exports carry 小计 /
总计 rows. ``detect`` scans the first rows for the header that names the most register columns
(alone, or merged with the group row above it), reads units such as 万元 from headers and title
rows, and ``data_rows`` keeps only the rows that hold data (blank, subtotal and total rows
skipped, each skip counted).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from credit_register.core import values
from credit_register.core.schema import SHEETS, Sheet, normalise_label
from credit_register.importing.synonyms import SYNONYMS

#: how many rows from the top are searched for the header
HEADER_SCAN_ROWS = 30
#: the kinds an import can bring in, in the order ``auto`` prefers on a tie
KINDS = ("invoices", "payments", "customers", "orders", "financials", "bureau")
#: a column that is not a register column but names the row's customer (matched on import)
CUSTOMER_NAME = "customer_name"
#: a column of an invoice export that is not a register column: the date the invoice was settled
#: (SAP's clearing date), entered on import as the settling payment (``importing.settlements``)
SETTLED_ON = "settled_on"
#: a column of an invoice export naming the sales order the invoice bills: the row's customer
#: is the order's on the register's Orders sheet when the export names no customer
ORDER_NO = "order_no"

_UNIT = re.compile(r"(万元|千元|百万元|亿元|元)")
_UNIT_SCALE = {"元": 1.0, "千元": 1e3, "万元": 1e4, "百万元": 1e6, "亿元": 1e8}
_UNIT_IN_TITLE = re.compile(r"(?:金额)?单位[:：]\s*(?:人民币)?\s*(万元|千元|百万元|亿元|元)")
_TOTAL = re.compile(
    r"(?:合计|总计|小计|共计|累计合计|^\s*(?:grand\s+)?total\b|subtotal|^\s*sum\b)", re.IGNORECASE
)
#: the same, line by line (a column's texts joined by newlines, searched at once)
_TOTAL_LINES = re.compile(_TOTAL.pattern, re.IGNORECASE | re.MULTILINE)
_UNIT_SUFFIX = re.compile(r"[(（\[【]\s*(?:人民币)?\s*(万元|千元|百万元|亿元|元)\s*[)）\]】]")


def _label(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _lookup(sheet_key: str) -> dict[str, str]:
    """Folded header → column key: the register's headers (both languages, the key) first, then
    the synonyms of other systems."""
    table: dict[str, str] = {}
    for key, names in SYNONYMS.get(sheet_key, {}).items():
        for name in names:
            table.setdefault(normalise_label(name), key)
    sheet = SHEETS[sheet_key]
    for column in sheet.columns:
        if column.role in ("input", "engine"):
            for name in (column.zh, column.en, column.key):
                table[normalise_label(name)] = column.key
    return table


_LOOKUPS = {kind: _lookup(kind) for kind in KINDS}


def column_for(kind: str, header: object) -> str | None:
    """The register column an export's header means, or ``None``.

    >>> column_for("invoices", "原币含税金额"), column_for("invoices", "Net due date")
    ('amount', 'due_date')
    >>> column_for("invoices", "价税合计（万元）"), column_for("invoices", "备注说明")
    ('amount', None)
    """
    text = _UNIT_SUFFIX.sub("", _label(header))
    return _LOOKUPS[kind].get(normalise_label(text)) if text else None


def unit_scale(header: object) -> float | None:
    """The multiplier a header's unit asks for, or ``None`` when it names none.

    >>> unit_scale("金额（万元）"), unit_scale("Amount"), unit_scale("单位：千元")
    (10000.0, None, 1000.0)
    """
    found = _UNIT.search(_label(header))
    return _UNIT_SCALE[found.group(1)] if found else None


@dataclass
class Layout:
    """Where the table is in a sheet of an export, and what its columns mean."""

    kind: str
    #: 0-based indexes of the header row(s): one, or a group row and the real header
    header_rows: tuple[int, ...]
    #: register column key → 0-based source column
    columns: dict[str, int]
    #: register column key → the header text as the export prints it (for the mapping sheet)
    labels: dict[str, str]
    #: register column key → multiplier for amounts given in 万元/千元
    scale: dict[str, float] = field(default_factory=dict)
    #: headers that mean nothing to the register (left out; listed for the user)
    unmapped: list[str] = field(default_factory=list)
    #: how the file writes ``3/4/2026`` (``importing.date_order``), once decided or saved
    date_order: str | None = None
    #: the ISO currency of the file's amounts when it has no currency column (given or saved)
    currency: str | None = None

    @property
    def first_data_row(self) -> int:
        return max(self.header_rows) + 1

    @property
    def score(self) -> tuple[int, int]:
        """(required columns found, columns found): the better header has more of both."""
        sheet = SHEETS[self.kind]
        required = sum(1 for c in sheet.required if c.key in self.columns)
        if CUSTOMER_NAME in self.columns and "customer_id" not in self.columns:
            required += sheet.has("customer_id") and sheet.column("customer_id").required
        return required, len(self.columns)


def headers_of(rows: Sequence[Sequence[Any]], at: int, merged: bool) -> list[str]:
    """The header texts of row ``at``; with ``merged``, each prefixed by the group header above
    it (a merged group cell is carried to the right over the blanks it spans)."""
    row = [_label(v) for v in rows[at]]
    if not merged or at == 0:
        return row
    above, carried = [], ""
    for value in (_label(v) for v in rows[at - 1]):
        carried = value or carried
        above.append(carried)
    above = (above + [carried] * len(row))[: len(row)]
    return [
        f"{top}{cell}" if cell and top else cell or top
        for top, cell in zip(above, row, strict=True)
    ]


def _layout(kind: str, rows: Sequence[Sequence[Any]], at: int, merged: bool) -> Layout:
    headers = headers_of(rows, at, merged)
    own = [_label(v) for v in rows[at]]
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    scale: dict[str, float] = {}
    unmapped: list[str] = []
    for index, (header, plain) in enumerate(zip(headers, own, strict=True)):
        if not header:
            continue
        key = column_for(kind, plain) or column_for(kind, header)
        if key is None or key in columns:
            unmapped.append(header)
            continue
        columns[key] = index
        labels[key] = header
        factor = unit_scale(header)
        if factor is not None and factor != 1.0:
            scale[key] = factor
    rows_used = (at - 1, at) if merged else (at,)
    return Layout(kind, rows_used, columns, labels, scale, unmapped)


def _title_scale(rows: Sequence[Sequence[Any]], before: int) -> float | None:
    for row in rows[:before]:
        for value in row:
            found = _UNIT_IN_TITLE.search(_label(value))
            if found:
                return _UNIT_SCALE[found.group(1)]
    return None


def detect(rows: Sequence[Sequence[Any]], kind: str | None = None) -> Layout | None:
    """The best header among the first rows, for ``kind`` or (``None``) for whichever kind it
    fits best; ``None`` when no row names even one required column.

    >>> rows = [["应收款明细表", None, None], ["单位：万元", None, None],
    ...         ["单据编号", "客户名称", "业务日期", "价税合计"],
    ...         ["AR-1", "甲公司", "2026-10-01", 1.5]]
    >>> found = detect(rows)
    >>> found.kind, found.header_rows, found.scale
    ('invoices', (2,), {'amount': 10000.0})
    >>> found.columns
    {'invoice_no': 0, 'customer_name': 1, 'invoice_date': 2, 'amount': 3}
    """
    kinds = (kind,) if kind else KINDS
    best: Layout | None = None
    for at in range(min(len(rows), HEADER_SCAN_ROWS)):
        if sum(1 for v in rows[at] if _label(v)) < 2:
            continue
        for each in kinds:
            for merged in (False, True):
                if merged and at == 0:
                    continue
                found = _layout(each, rows, at, merged)
                if best is None or found.score > best.score:
                    best = found
    if best is None or best.score[0] == 0:
        return None
    title = _title_scale(rows, min(best.header_rows))
    if title is not None and title != 1.0:
        sheet: Sheet = SHEETS[best.kind]
        for key in best.columns:
            if sheet.has(key) and sheet.column(key).type == "number":
                best.scale.setdefault(key, title)
    return best


def is_total_row(row: Sequence[Any], layout: Layout) -> bool:
    """A subtotal or total line: a 合计/总计/小计/Total label, and no document number of its own.

    >>> layout = Layout("invoices", (0,), {"invoice_no": 0, "amount": 1}, {})
    >>> is_total_row(["合计", 300.0], layout), is_total_row([None, 300.0, "小计"], layout)
    (True, True)
    >>> is_total_row(["AR-1", 300.0], layout)
    False
    """
    key_column = next(
        (layout.columns[k] for k in SHEETS[layout.kind].primary_key if k in layout.columns), None
    )
    key_text = _label(row[key_column]) if key_column is not None and key_column < len(row) else ""
    if key_text and not _TOTAL.search(key_text):
        return False
    return any(isinstance(v, str) and _TOTAL.search(v) for v in row)


@dataclass
class DataRows:
    """The rows of an export that hold data, and the cells of its mapped columns in them."""

    #: 0-based indexes into the export's rows
    kept: list[int]
    blanks: int
    totals: int
    #: source column → its cells in the kept rows, sorted by what they hold (``values.classify``)
    cells: dict[int, values.Cells]


def _grid(rows: Sequence[Sequence[Any]], first: int, width: int) -> np.ndarray:
    """Rows ``first`` on as one object array of at least ``width`` columns (numpy copies the
    pointers in C; a ragged row is padded first)."""
    body = list(rows[first:])
    full = max([width, *map(len, body)])
    if any(len(row) < full for row in body):
        body = [list(row) + [None] * (full - len(row)) for row in body]
    grid = np.full((len(body), full), None, dtype=object)
    try:
        grid[:] = body
    except ValueError:  # a cell that is itself a sequence: one by one
        for at, row in enumerate(body):
            for column, value in enumerate(row):
                grid[at, column] = value
    return grid


def data_cells(rows: Sequence[Sequence[Any]], layout: Layout) -> DataRows:
    """The data rows below the header: blank rows (nothing in a mapped column) and subtotal or
    total rows (``is_total_row``) left out, each counted. Column-wise: a 500,000-row export is
    classified once per mapped column, and only the few rows whose document number is blank or
    reads like a total are looked at one by one."""
    first = layout.first_data_row
    used = sorted(set(layout.columns.values()))
    width = max([*used, -1]) + 1
    grid = _grid(rows, first, width)
    count = len(grid)
    classified = {c: values.classify(grid[:, c]) for c in used}
    blank = np.ones(count, dtype=bool)
    for cells in classified.values():
        blank &= cells.blank
    key = next((k for k in SHEETS[layout.kind].primary_key if k in layout.columns), None)
    if key is None:
        suspects = ~blank
    else:
        key_cells = classified[layout.columns[key]]
        suspects = ~blank & key_cells.blank
        text = key_cells.text
        if len(text) and _TOTAL_LINES.search("\n".join(text.astype(str).tolist())):
            totalish = text.index[text.astype(str).str.contains(_TOTAL).to_numpy(dtype=bool)]
            suspects[totalish.to_numpy(dtype=np.int64)] = True
    total = np.zeros(count, dtype=bool)
    for at in np.flatnonzero(suspects):
        total[at] = is_total_row(rows[first + int(at)], layout)
    kept = np.flatnonzero(~blank & ~total)
    return DataRows(
        kept=(kept + first).tolist(),
        blanks=int(blank.sum()),
        totals=int(total.sum()),
        cells={c: cells.take(kept) for c, cells in classified.items()},
    )


def data_rows(rows: Sequence[Sequence[Any]], layout: Layout) -> tuple[list[int], int, int]:
    """The 0-based indexes of the rows holding data, and how many blank and total rows were
    skipped (see ``data_cells``)."""
    found = data_cells(rows, layout)
    return found.kept, found.blanks, found.totals
