"""Values too large to be meant: a figure beyond the Policy's ``data.max_amount`` and an ID
longer than ``data.max_id_length`` are refused at their cell.

``9E+307`` is a number Excel stores happily, and one such invoice made the Dashboard's exposure
blank and the DSO 2.09e302; a 5,001-character customer ID ended in "internal error" when its
report's file name was made. Both are typos, not data: the row is left out and the cell named.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from credit_register.core.schema import INPUT_SHEETS
from credit_register.validation.context import Context, Finding, _en, _found, _present, _zh

#: the identifier columns of the input sheets (``customer_id``, ``invoice_no`` ...)
ID_SUFFIXES = ("_id", "_no")


def data_limits(ctx: Context) -> Iterator[Finding]:
    """Figures whose absolute value exceeds ``max_amount``; IDs longer than ``max_id_length``."""
    limit = ctx.limits.max_amount
    shown_limit = f"{limit:,.0f}"
    for sheet in INPUT_SHEETS:
        if sheet.key == "policy":
            continue  # the Policy sheet checks its own values, row by row
        for column in sheet.columns:
            if column.type == "number":
                frame = ctx.frame(sheet, column.key)
                if frame is None:
                    continue
                figures = pd.to_numeric(frame[column.key], errors="coerce").to_numpy(dtype=float)
                bad = frame.loc[np.abs(np.nan_to_num(figures)) > limit]
                yield from _found(
                    sheet,
                    column.key,
                    "error",
                    bad,
                    [
                        f"{_zh(sheet, column.key)}超出上限 {shown_limit}（政策 data.max_amount）：",
                        bad[column.key],
                    ],
                    [
                        f"{_en(sheet, column.key)} is over the limit of {shown_limit} (Policy "
                        "data.max_amount): ",
                        bad[column.key],
                    ],
                )
            elif column.key.endswith(ID_SUFFIXES) and column.type in ("text", "code"):
                frame = ctx.frame(sheet, column.key)
                if frame is None:
                    continue
                values = frame[column.key]
                present = values.loc[_present(values)].astype(str)
                longest = ctx.limits.max_id_length
                bad = frame.loc[present.index[(present.str.len() > longest).to_numpy()]]
                lengths = bad[column.key].astype(str).str.len().astype(str)
                yield from _found(
                    sheet,
                    column.key,
                    "error",
                    bad,
                    [
                        f"{_zh(sheet, column.key)}长达 ",
                        lengths,
                        f" 个字符，超过 {longest} 个字符的上限（政策 data.max_id_length）",
                    ],
                    [
                        f"{_en(sheet, column.key)} is ",
                        lengths,
                        f" characters long, over the limit of {longest} "
                        "(Policy data.max_id_length)",
                    ],
                )
