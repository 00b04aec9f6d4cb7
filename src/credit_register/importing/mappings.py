"""Saved mappings: how one export layout's columns map to the register, by name.

An import detects the layout of a new export (``layout.detect``) and saves what it found as rows
of the 导入映射 / Import mappings sheet under a name; the user can edit those rows (point a
column elsewhere, change 万元 to 元, rename the mapping). ``--mapping NAME`` then applies the
saved mapping as it stands: the header is looked up by the saved source-column texts, so a
report whose columns moved still imports, and nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd

from credit_register.core.schema import SHEETS, Sheet, normalise_label
from credit_register.importing.layout import (
    CUSTOMER_NAME,
    HEADER_SCAN_ROWS,
    KINDS,
    ORDER_NO,
    SETTLED_ON,
    Layout,
    headers_of,
)
from credit_register.importing.upsert import NEVER_IMPORTED


def _importable(sheet: Sheet) -> set[str]:
    """The column keys a mapping may name for ``sheet``."""
    keys = {c.key for c in sheet.columns if c.role == "input" and c.key not in NEVER_IMPORTED}
    names_customer = sheet.has("customer_id") and sheet.key != "customers"
    invoice_only = {SETTLED_ON, ORDER_NO} if sheet.key == "invoices" else set()
    return keys | invoice_only | ({CUSTOMER_NAME} if names_customer else set())


def to_rows(name: str, layout: Layout, source_sheet: str, today: dt.date) -> pd.DataFrame:
    """The mapping sheet's rows for ``layout`` saved as ``name`` (register column keys).

    >>> layout = Layout("invoices", (2, 3), {"invoice_no": 0, "amount": 4},
    ...                 {"invoice_no": "单据编号", "amount": "台账信息价税合计"}, {"amount": 1e4})
    >>> saved = to_rows("金蝶应收", layout, "Sheet1", dt.date(2026, 11, 29))
    >>> saved[["column", "scale", "header_rows"]].values.tolist()
    [['invoice_no', None, '3-4'], ['amount', 10000.0, '3-4']]
    """
    rows = "-".join(str(r + 1) for r in layout.header_rows)
    return pd.DataFrame(
        {
            "mapping": name,
            "kind": layout.kind,
            "source_column": [layout.labels[k] for k in layout.columns],
            "column": list(layout.columns),
            "scale": pd.Series([layout.scale.get(k) for k in layout.columns], dtype=object),
            "header_rows": rows,
            "source_sheet": source_sheet,
            "date_order": layout.date_order,
            "currency": layout.currency,
            "saved_on": today,
        }
    )


def names(saved: pd.DataFrame) -> list[str]:
    """The mappings saved on the sheet, in the order they were first saved."""
    if saved.empty:
        return []
    return list(dict.fromkeys(str(n) for n in saved["mapping"].dropna()))


def _header_rows(text: object) -> tuple[int, ...] | None:
    try:
        parts = tuple(int(p) - 1 for p in str(text).replace("–", "-").split("-") if p.strip())
    except ValueError:
        return None
    return parts if parts and all(p >= 0 for p in parts) else None


def _first(mine: pd.DataFrame, key: str) -> str | None:
    """The mapping's setting ``key`` (the same on each of its rows; the first filled one)."""
    if key not in mine:
        return None
    filled = mine[key].dropna().astype(str).str.strip()
    filled = filled[filled != ""]
    return str(filled.iloc[0]) if len(filled) else None


def apply(saved: pd.DataFrame, name: str, rows: Sequence[Sequence[Any]]) -> Layout | str:
    """The layout of ``rows`` under the saved mapping ``name``; a bilingual reason when it does
    not fit (the mapping is unknown, or a saved column is not in the export's header)."""
    mine = saved.loc[saved["mapping"].astype(str) == name] if not saved.empty else saved
    if mine.empty:
        known = "、".join(names(saved)) or "无"
        return f"没有名为“{name}”的导入映射（已保存：{known}） (no import mapping named '{name}')"
    kind = str(mine["kind"].iloc[0]).strip()
    if kind not in KINDS:
        return (
            f"导入映射“{name}”的数据类型“{kind}”无效（可选：{'、'.join(KINDS)}） "
            f"(import mapping '{name}' has an unknown kind '{kind}')"
        )
    unknown = [str(c) for c in mine["column"] if str(c).strip() not in _importable(SHEETS[kind])]
    if unknown:
        return (
            f"导入映射“{name}”中的登记表列 {'、'.join(unknown)} 不是“{SHEETS[kind].zh}”表的列 "
            f"(import mapping '{name}' names columns the {SHEETS[kind].en} sheet does not have: "
            f"{', '.join(unknown)})"
        )
    wanted = {
        normalise_label(str(src)): (str(col).strip(), scale)
        for src, col, scale in zip(
            mine["source_column"], mine["column"], mine["scale"], strict=True
        )
    }
    saved_rows = _header_rows(mine["header_rows"].iloc[0])
    candidates: list[tuple[int, ...]] = [saved_rows] if saved_rows else []
    for at in range(min(len(rows), HEADER_SCAN_ROWS)):
        candidates += [(at,), (at - 1, at)] if at else [(at,)]
    for header_rows in candidates:
        if max(header_rows) >= len(rows):
            continue
        headers = headers_of(rows, header_rows[-1], merged=len(header_rows) == 2)
        found = {normalise_label(h): i for i, h in enumerate(headers) if h}
        if all(src in found for src in wanted):
            columns = {col: found[src] for src, (col, _) in wanted.items()}
            labels = {col: headers[found[src]] for src, (col, _) in wanted.items()}
            scale = {
                col: float(s)
                for _, (col, s) in wanted.items()
                if s is not None and not pd.isna(s) and float(s) != 1.0
            }
            return Layout(
                kind,
                header_rows,
                columns,
                labels,
                scale,
                date_order=_first(mine, "date_order"),
                currency=_first(mine, "currency"),
            )
    missing = "、".join(str(s) for s in mine["source_column"])
    return (
        f"导入映射“{name}”的列在文件中找不到（需要：{missing}） "
        f"(the columns of import mapping '{name}' are not all in the file's header)"
    )
