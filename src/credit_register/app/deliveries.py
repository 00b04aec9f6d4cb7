"""Recording that a batch of letters reached the debtors (``letters --delivered DATE``).

A demand restarts limitation only from the day it reached the debtor (民法典 第一百九十五条;
policy §5), and only the registered-mail receipt or the e-mail's read receipt proves that day.
So generating or e-mailing a letter never fills ``delivered_on``: the user types it on the
Activities row, or, for a batch sent together by registered mail or e-mail, this use case sets
``delivered_on`` (and the ``reference``: the mail number or receipt) on the batch's rows.

Decisions: the batch is the letters of ours (an Activities 催收 row whose summary carries a
letter number, ``CS-…``) not yet marked delivered, logged on the latest day any such letter was
logged (optionally only the customers asked for); a delivery date before that day is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from credit_register.core.port import CellValue, Changes
from credit_register.core.register import Register
from credit_register.core.schema import ACTIVITIES
from credit_register.core.text import glossed
from credit_register.documents.letters import LETTER_NUMBER


@dataclass
class Delivery:
    """The cells to set, the letters they mark, or why nothing was marked."""

    changes: Changes = field(default_factory=Changes)
    letters: list[str] = field(default_factory=list)
    batch_day: dt.date | None = None
    problem: str = ""


def mark_delivered(
    register: Register,
    delivered_on: dt.date,
    reference: str | None = None,
    customer_ids: Sequence[str] = (),
) -> Delivery:
    """``delivered_on`` (and ``reference``) on the latest batch of undelivered letters."""
    lang = register.lang
    table = register.tables.get(ACTIVITIES.key)
    if table is None or not table.present:
        return Delivery(problem=glossed(lang, "没有沟通记录表", "there is no Activities sheet"))
    for key in ("delivered_on", "reference") if reference else ("delivered_on",):
        if key not in table.positions:
            column = ACTIVITIES.column(key)
            return Delivery(
                problem=glossed(
                    lang,
                    f"沟通记录表缺少“{column.zh}”列，请先添加该列",
                    f"the Activities sheet has no '{column.en}' column; add it first",
                )
            )
    frame = register.frame(ACTIVITIES.key)
    summary = frame["summary"].fillna("").astype(str)
    ours = (
        (frame["type"] == "collection")
        & summary.map(lambda text: LETTER_NUMBER.search(text) is not None).astype(bool)
        & frame["delivered_on"].isna()
    )
    if customer_ids:
        ours &= frame["customer_id"].isin(list(customer_ids))
    if not ours.any():
        return Delivery(
            problem=glossed(lang, "没有待登记送达的催收函", "no letter is waiting for its delivery")
        )
    batch_day = pd.Timestamp(frame.loc[ours, "date"].max()).date()
    if delivered_on < batch_day:
        return Delivery(
            batch_day=batch_day,
            problem=glossed(
                lang,
                f"送达日期 {delivered_on} 早于该批函件的日期 {batch_day}",
                f"the delivery date {delivered_on} is before the letters' date {batch_day}",
            ),
        )
    batch = frame.loc[ours & (pd.to_datetime(frame["date"]).dt.date == batch_day)]
    cells: dict[str, CellValue] = {}
    for row in batch["_row"].astype(int):  # a batch is a few dozen letters
        cells[table.cell("delivered_on", row)] = delivered_on
        if reference:
            cells[table.cell("reference", row)] = reference
    numbers = [LETTER_NUMBER.search(s).group(0) for s in batch["summary"].astype(str)]  # type: ignore[union-attr]
    return Delivery(Changes(cells={ACTIVITIES.key: cells}), numbers, batch_day)
