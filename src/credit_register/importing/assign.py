"""Which register customer each imported row belongs to, and the customers an import adds.

An export names a row's customer by the ERP's code, by USCC, by full name or by a short name.
Each row is resolved with ``customers.match`` (ID, USCC, exact name, normalised name) in the
order its columns are given: the export's customer code first, then the USCC (a customer list),
then the name. The first value that matches one register customer wins. A row none of whose
values is found is a new customer; a row whose only lead is a name that fits two customers is
rejected with the candidates listed — a credit manager decides, not the import.

New customers keep the export's own code as their ID when it has one that reads like a code
(``0101``, ``CUST-0101``: next month's export carries the same code, so it matches by ID), and
otherwise get the next IDs in the register's numbering (``customers.next_ids``); rows naming
the same new customer share one ID. Everything is
computed on the distinct values, then spread to the rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from credit_register.core.cells import cell_ref
from credit_register.core.issues import Issue
from credit_register.importing import customers
from credit_register.importing.layout import CUSTOMER_NAME, Layout

#: an export's customer code kept as the new customer's ID: letters, digits and ``-_./``, no
#: space; QuickBooks' "Customer" column holds names, which get an ID of the register's numbering
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,29}$")


@dataclass
class Assigned:
    """The register customer of each imported row."""

    #: per row of the import's frame: the register's customer ID (``None`` where rejected)
    customer_id: pd.Series
    #: per row: rejected (an ambiguous name, or no customer at all)
    rejected: np.ndarray
    #: the customers the import adds: ``customer_id``, ``name`` (and ``uscc`` when given)
    new_customers: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)


def _leads(frame: pd.DataFrame, layout: Layout) -> list[str]:
    """The columns that can name a row's customer, in the order they are tried."""
    names = ("customer_id", "uscc", "name") if layout.kind == "customers" else ("customer_id",)
    return [c for c in (*names, CUSTOMER_NAME) if c in frame and c in layout.columns]


def _text(values: pd.Series) -> pd.Series:
    """The column's text (typed by the register's parsers: stripped), ``""`` for a blank."""
    text = values.to_numpy(dtype=object).copy()
    text[values.isna().to_numpy()] = ""
    return pd.Series(text, dtype=object)


def assign(
    frame: pd.DataFrame,
    source_rows: pd.Series,
    layout: Layout,
    register_customers: pd.DataFrame,
    *,
    file: str,
    sheet: str,
    by_order: pd.Series | None = None,
) -> Assigned:
    """Resolve the customer of every row of ``frame`` (an extracted export) against
    ``register_customers`` (``customer_id``, ``name``, ``uscc``); a row that names no customer
    takes the one ``by_order`` gives it (the customer of the sales order it bills).

    >>> from credit_register.importing.layout import Layout
    >>> book = pd.DataFrame({"customer_id": ["C00001", "C00002", "C00003"],
    ...     "name": ["上海甲乙贸易有限公司", "北京丙丁科技有限公司", "北京丙丁科技股份有限公司"],
    ...     "uscc": [None, None, None]})
    >>> rows = pd.DataFrame({"customer_name": ["上海甲乙贸易", "北京丙丁科技", "新客户", "新客户"]})
    >>> got = assign(rows, pd.Series([2, 3, 4, 5]), Layout("invoices", (0,), {"customer_name": 0},
    ...     {}), book, file="ar.csv", sheet="ar")
    >>> got.customer_id.tolist(), got.rejected.tolist()
    (['C00001', None, 'C00004', 'C00004'], [False, True, False, False])
    >>> got.new_customers.to_dict("records"), got.issues[0].place
    ([{'customer_id': 'C00004', 'name': '新客户'}], 'ar.csv:ar!A3')
    """
    n = len(frame)
    leads = _leads(frame, layout)
    texts = {lead: _text(frame[lead]) for lead in leads}
    wanted = pd.unique(np.concatenate([t.to_numpy() for t in texts.values()] or [np.array([])]))
    book = register_customers[["customer_id", "name", "uscc"]].dropna(subset=["customer_id"])
    found = customers.match([v for v in wanted if v], book)

    assigned = pd.Series([None] * n, dtype=object)
    ambiguous_at = pd.Series([None] * n, dtype=object)  # the lead whose value was ambiguous
    for lead in leads:
        open_rows = assigned.isna().to_numpy()
        hits = texts[lead].map(found.found).to_numpy(dtype=object)
        take = open_rows & pd.notna(hits)
        assigned[take] = hits[take]
        doubtful = open_rows & ~take & texts[lead].isin(list(found.ambiguous)).to_numpy()
        ambiguous_at[doubtful & ambiguous_at.isna().to_numpy()] = lead

    named = np.zeros(n, dtype=bool)
    for lead in leads:
        named |= (texts[lead] != "").to_numpy()
    if by_order is not None:
        via = by_order.to_numpy(dtype=object)
        take = assigned.isna().to_numpy() & ~named & pd.notna(via)
        assigned[take] = via[take]
    unresolved = assigned.isna().to_numpy()
    ambiguous = unresolved & ambiguous_at.notna().to_numpy()
    blank = unresolved & ~ambiguous & ~named
    issues = [
        _ambiguous_issue(
            texts[lead].iloc[at],
            found.ambiguous,
            layout.columns[lead],
            source_rows,
            at,
            file,
            sheet,
        )
        for at, lead in zip(
            np.flatnonzero(ambiguous).tolist(), ambiguous_at[ambiguous], strict=True
        )
    ]
    for at in np.flatnonzero(blank):
        issues.append(
            Issue(
                file,
                sheet,
                str(int(source_rows.iloc[at])),
                "error",
                "本行没有客户（编号、信用代码或名称均为空"
                + ("，订单号也不在“在途订单”表中" if by_order is not None else "")
                + "），未导入",
                "the row names no customer (no ID, USCC or name"
                + (", and its order is not on the Orders sheet" if by_order is not None else "")
                + "); not imported",
            )
        )

    new = unresolved & ~ambiguous & ~blank
    new_customers = _new_customers(frame, texts, new, register_customers)
    if new.any():
        identity = _identity(texts, new)
        ids = new_customers.set_index("_identity")["customer_id"]
        assigned[new] = identity[new].map(ids).to_numpy(dtype=object)
    return Assigned(
        assigned,
        ambiguous | blank,
        new_customers.drop(columns="_identity"),
        issues,
    )


def _ambiguous_issue(
    value: str,
    candidates: dict[str, list[str]],
    column: int,
    source_rows: pd.Series,
    at: int,
    file: str,
    sheet: str,
) -> Issue:
    listed = "、".join(candidates[value])
    return Issue(
        file,
        sheet,
        cell_ref(column, int(source_rows.iloc[at])),
        "error",
        f"客户“{value}”可能是 {listed} 中的任何一个，未导入；请在导出文件中写明客户编号",
        f"customer '{value}' could be any of {', '.join(candidates[value])}; not imported — "
        "give the customer ID in the export",
    )


def _identity(texts: dict[str, pd.Series], rows: np.ndarray) -> pd.Series:
    """What makes two new rows the same customer: the export's code, else the folded name."""
    code = texts.get("customer_id")
    name = texts.get(CUSTOMER_NAME, texts.get("name"))
    folded = name.map(customers.normalise_name) if name is not None else None
    identity = pd.Series([""] * len(rows), dtype=object)
    if folded is not None:
        identity = "name:" + folded
    if code is not None:
        identity = identity.where(code == "", "id:" + code)
    return identity


def _new_customers(
    frame: pd.DataFrame,
    texts: dict[str, pd.Series],
    rows: np.ndarray,
    register_customers: pd.DataFrame,
) -> pd.DataFrame:
    """One row per new customer, in first-seen order: its ID, name (and USCC when given)."""
    columns = ["customer_id", "name", "_identity"]
    if not rows.any():
        return pd.DataFrame(columns=columns)
    identity = _identity(texts, rows)
    first = identity[rows].drop_duplicates()
    at = first.index.to_numpy()
    code = texts.get("customer_id")
    name = texts.get(CUSTOMER_NAME, texts.get("name"))
    given = code.iloc[at].to_numpy(dtype=object) if code is not None else np.full(len(at), "")
    shown = name.iloc[at].to_numpy(dtype=object) if name is not None else np.full(len(at), "")
    taken = set(register_customers["customer_id"].dropna().astype(str))
    keep = np.array([bool(_CODE.match(g)) and g not in taken for g in given], dtype=bool)
    existing = [*taken, *given[keep]]
    made = iter(customers.next_ids(existing, int((~keep).sum())))
    ids = [g if k else next(made) for g, k in zip(given, keep, strict=True)]
    result = pd.DataFrame(
        {
            "customer_id": ids,
            # no name column: the export's text stands for the name (QuickBooks' "Customer")
            "name": [s or g or i for s, g, i in zip(shown, given, ids, strict=True)],
            "_identity": first.to_numpy(dtype=object),
        }
    )
    if "uscc" in texts:
        uscc = texts["uscc"].iloc[at].to_numpy(dtype=object)
        result.insert(2, "uscc", [u or None for u in uscc])
    return result


def customers_by_order(orders: pd.Series, register_orders: pd.DataFrame) -> pd.Series:
    """The customer of each of ``orders`` (an export's order numbers) on the register's Orders
    sheet (``order_no``, ``customer_id``); ``None`` where the order is not there.

    >>> book = pd.DataFrame({"order_no": ["SO-1", "SO-2"], "customer_id": ["C1", "C2"]})
    >>> customers_by_order(pd.Series(["SO-2", "SO-9", None]), book).tolist()
    ['C2', None, None]
    """
    known = register_orders.dropna(subset=["order_no", "customer_id"])
    lookup = dict(zip(known["order_no"].astype(str).str.strip(), known["customer_id"], strict=True))
    found = _text(orders).map(lookup)
    return found.astype(object).where(found.notna(), None)
