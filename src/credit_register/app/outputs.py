"""Shaping engine results into an output sheet, keeping what the user wrote there.

An output sheet is rewritten on every run, but some of its columns belong to the user (an alert's
status, owner and comment; any column a user added). ``output_frame`` turns an engine frame keyed
by schema keys into the frame a door writes (headers in the workbook's language, code keys as
labels, booleans as 是/否) and carries the user's columns over from the previous sheet by the
sheet's key. The engine decides which rows exist; a user value whose row is gone goes with it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from credit_register.core.register import Table
from credit_register.core.schema import Language, Sheet

_BOOL_LABELS = {"zh": ("是", "否"), "en": ("Yes", "No")}


def bool_label(value: Any, lang: Language) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    yes, no = _BOOL_LABELS[lang]
    return yes if bool(value) else no


def carry_over_user_columns(
    sheet: Sheet, data: pd.DataFrame, previous: Table | None
) -> pd.DataFrame:
    """``data`` with the sheet's *user* columns that the engine does not compute taken from
    ``previous`` (matched on the primary key), and the user's own extra columns appended under
    their original headers."""
    if previous is None or not sheet.primary_key or previous.frame.empty:
        return data
    key = list(sheet.primary_key)
    if any(k not in previous.frame or k not in data for k in key):
        return data
    # a user column the engine computed itself (an alert's status, reopened when worse) is the
    # engine's to decide; the others are the user's
    user = [c.key for c in sheet.user_columns if c.key in previous.frame and c.key not in data]
    prev = previous.frame[key + user].copy()
    extra_headers = [str(h) for h in previous.extra.columns]
    for header in extra_headers:
        prev[f"__extra__{header}"] = previous.extra[header].to_numpy()
    prev = prev.dropna(subset=key).drop_duplicates(subset=key, keep="first")
    prev = prev.rename(columns={k: f"__prev__{k}" for k in user})
    out = data.merge(prev, how="left", on=key, sort=False)
    out.index = data.index
    for k in user:
        out[k] = out.pop(f"__prev__{k}")
    return out


def output_frame(
    sheet: Sheet, data: pd.DataFrame, lang: Language, previous: Table | None = None
) -> pd.DataFrame:
    """The sheet's content to write: schema columns in order under their headers in ``lang``,
    then the user's extra columns from ``previous``, carried over by ``sheet.primary_key``."""
    data = carry_over_user_columns(sheet, data, previous)
    out = pd.DataFrame(index=data.index)
    for col in sheet.columns:
        values = (
            data[col.key] if col.key in data else pd.Series(None, index=data.index, dtype=object)
        )
        if col.codes:
            labels = {c.key: c.label(lang) for c in col.codes}
            values = values.map(
                lambda v, labels=labels: labels.get(v, v) if isinstance(v, str) else v
            )
        elif col.type == "bool":
            values = values.map(lambda v: bool_label(v, lang))
        out[col.header(lang)] = values
    for name in data.columns:
        if isinstance(name, str) and name.startswith("__extra__"):
            out[name.removeprefix("__extra__")] = data[name]
    return out.reset_index(drop=True)


#: what an output row says when its customer was left out of this run for data errors
NOT_COMPUTED = {"zh": "未计算：见问题表", "en": "not computed: see Issues"}
#: where each customer-keyed output sheet shows that mark (Alerts keep their rows unmarked: an
#: alert stays open, with the user's status and comment, until a run can judge it again)
MARKED_COLUMN = {"ratings": "drivers", "ageing": "name"}


def excluded_customers(customers: Table | None) -> set[str]:
    """The IDs of customers whose own row has a data error (the engines leave them out)."""
    if customers is None or "_error" not in customers.frame or customers.frame.empty:
        return set()
    frame = customers.frame
    ids = frame.loc[frame["_error"].to_numpy(dtype=bool), "customer_id"].dropna()
    return {str(i) for i in ids}


def kept_for_excluded(
    sheet: Sheet, data: pd.DataFrame, previous: Table | None, excluded: set[str], lang: Language
) -> pd.DataFrame:
    """``data`` plus the previous rows of the ``excluded`` customers, marked "not computed": a
    customer left out for a data error keeps its row, and with it the user's columns, until a
    run can compute it again (its old figures stay, so the next change is logged against them).
    """
    if (
        previous is None
        or previous.frame.empty
        or not excluded
        or "customer_id" not in previous.frame
        or "customer_id" not in data
    ):
        return data
    old = previous.frame
    computed = set(data["customer_id"].dropna().astype(str))
    ids = old["customer_id"].astype(str)
    keep = ids.isin(excluded - computed).to_numpy() & old["customer_id"].notna().to_numpy()
    if not keep.any():
        return data
    rows = old.loc[keep, [c for c in old.columns if c in data.columns]].copy()
    marker = NOT_COMPUTED[lang]
    column = MARKED_COLUMN.get(sheet.key)
    if column == "drivers" and column in rows:
        rows[column] = marker
    elif column == "name" and column in rows:
        names = rows[column].astype(object).where(rows[column].notna(), "")
        rows[column] = [
            n if str(n).endswith(f"（{marker}）") else f"{n}（{marker}）".lstrip() for n in names
        ]
    return pd.concat([data, rows], ignore_index=True)
