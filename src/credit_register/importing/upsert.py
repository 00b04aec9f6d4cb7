"""Upsert, not append: what an import changes in an input sheet, decided before anything is
written.

Rows are keyed as the register's contract keys them (invoice number, payment ID, order number,
customer ID; a statement by customer and period end; a bureau report by customer, agency and
date). An imported row whose key is already on the sheet updates that row's cells in place —
only the cells whose value really differs, and never with a blank (an export that lacks a value
does not erase what the register holds); a new key is a new row. Re-importing the same file
therefore changes nothing. Two rows of one import with the same key are both rejected: which
one is right is the user's call.

Everything here is computed column-wise over the whole import (a month's invoice export has
hundreds of thousands of rows); the result is a plan the use case shows (``--dry-run``) or
writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from credit_register.core.cells import CENT
from credit_register.core.schema import Sheet

#: columns an import never writes: a limit is a human decision made in the register
NEVER_IMPORTED = frozenset({"approved_limit", "limit_valid_until"})


@dataclass
class Change:
    """One cell an import sets on an existing row."""

    row: int  #: the Excel row on the register's sheet
    column: str  #: the register column key
    old: Any
    new: Any


@dataclass
class Plan:
    """What an import does to one input sheet."""

    sheet: Sheet
    #: new rows, register column keys as columns, in the import's order
    new: pd.DataFrame
    changes: list[Change] = field(default_factory=list)
    #: existing rows the import holds with no difference
    unchanged: int = 0
    #: positions (into the import's frame) of rows rejected because their key repeats
    repeated: list[int] = field(default_factory=list)
    #: positions (into the import's frame) of the rows of ``new``
    new_positions: list[int] = field(default_factory=list)

    @property
    def changed_rows(self) -> int:
        return len({c.row for c in self.changes})


def _key_text(frame: pd.DataFrame, keys: tuple[str, ...]) -> pd.Series:
    """One comparable text per row for a (possibly composite) key; ``""`` where a part is blank."""
    parts = []
    for key in keys:
        column = frame[key]
        if pd.api.types.is_datetime64_any_dtype(column):
            text = column.dt.strftime("%Y-%m-%d").fillna("")
        else:  # typed by the register's parsers on both sides: already stripped text
            text = pd.Series(column.to_numpy(dtype=object), index=column.index, dtype=object)
            text = text.where(column.notna(), "").astype(str)
        parts.append(text)
    joined = parts[0]
    blank = parts[0] == ""
    for part in parts[1:]:
        joined = joined + "\x1f" + part
        blank |= part == ""
    masked: pd.Series = joined.mask(blank, "")
    return masked


def _differs(old: pd.Series, new: pd.Series) -> np.ndarray[Any, Any]:
    """Per row: ``new`` holds a value and it is not ``old``'s (amounts to the cent)."""
    has_new = new.notna().to_numpy()
    if pd.api.types.is_numeric_dtype(new) and not pd.api.types.is_bool_dtype(new):
        a = pd.to_numeric(old, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        b = pd.to_numeric(new, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        same = np.abs(a - b) < CENT
    elif pd.api.types.is_datetime64_any_dtype(new):
        a = pd.to_datetime(old, errors="coerce").dt.normalize().to_numpy()
        b = pd.to_datetime(new, errors="coerce").dt.normalize().to_numpy()
        same = a == b
    else:  # text typed by the register's parsers on both sides: already stripped
        a = old.to_numpy(dtype=object).copy()
        b = new.to_numpy(dtype=object).copy()
        a[old.isna().to_numpy()] = "\x00"
        b[~has_new] = "\x00"
        same = np.asarray(a == b, dtype=bool)
    return np.asarray(has_new & ~same, dtype=bool)


def plan(sheet: Sheet, existing: pd.DataFrame, incoming: pd.DataFrame) -> Plan:
    """The plan for ``incoming`` (register column keys) against ``existing`` (the sheet's typed
    frame with its ``_row`` column).

    >>> from credit_register.core.schema import INVOICES
    >>> old = pd.DataFrame({"invoice_no": ["A1", "A2"], "amount": [100.0, 200.0],
    ...                     "_row": [2, 3]})
    >>> new = pd.DataFrame({"invoice_no": ["A1", "A2", "A3"], "amount": [100.0, 250.0, 9.0]})
    >>> p = plan(INVOICES, old, new)
    >>> p.new["invoice_no"].tolist(), [(c.row, c.column, c.old, c.new) for c in p.changes]
    (['A3'], [(3, 'amount', 200.0, 250.0)])
    >>> p.unchanged, plan(INVOICES, old, new.iloc[:2]).changed_rows
    (1, 1)
    """
    keys = sheet.primary_key
    incoming = incoming.reset_index(drop=True)
    columns = [
        c
        for c in incoming.columns
        if sheet.has(c) and c not in NEVER_IMPORTED and sheet.column(c).role == "input"
    ]
    key_in = _key_text(incoming, keys)
    repeated = (key_in != "") & key_in.duplicated(keep=False)
    usable = incoming.loc[~repeated.to_numpy()]
    key_in = key_in.loc[~repeated.to_numpy()]
    if existing.empty:
        positions = np.full(len(usable), -1)
    else:
        key_old = _key_text(existing, keys)
        lookup = pd.Index(key_old.mask(key_old == "", "\x00blank"))
        positions = lookup.get_indexer(key_in)
    is_new = positions < 0
    result = Plan(sheet, usable.loc[is_new, columns].reset_index(drop=True))
    result.repeated = np.flatnonzero(repeated.to_numpy()).tolist()
    result.new_positions = usable.index[is_new].tolist()
    found = usable.loc[~is_new]
    where = positions[~is_new]
    touched = np.zeros(len(found), dtype=bool)
    if len(found):
        before = existing.iloc[where].reset_index(drop=True)
        after = found.reset_index(drop=True)
        rows = before["_row"].to_numpy(dtype="int64")
        for column in columns:
            if column in keys or column not in before:
                continue
            differs = _differs(before[column], after[column])
            touched |= differs
            for at in np.flatnonzero(differs):
                result.changes.append(
                    Change(
                        int(rows[at]),
                        column,
                        _plain(before[column].iloc[at]),
                        _plain(after[column].iloc[at]),
                    )
                )
    result.unchanged = int((~touched).sum())
    return result


def _plain(value: Any) -> Any:
    """A cell value as the port writes it (no numpy or pandas scalars, no NaT/NA)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date() if value == value.normalize() else value.to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    return value
