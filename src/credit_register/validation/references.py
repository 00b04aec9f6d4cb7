"""Identifiers across sheets: a sheet's key is not repeated, and the customer IDs and invoice
numbers other sheets quote exist where they are defined (Customers, Invoices).

Both rules work on the register's numbering of the identifiers (``Register.ids``), not on strings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from credit_register.core import schema
from credit_register.core.register import SHARED_IDS, first_positions
from credit_register.validation.context import Context, Finding, _at, _en, _found, _zh


def duplicate_keys(ctx: Context) -> Iterator[Finding]:
    """Each row repeating a sheet's key (schema ``primary_key``) after its first occurrence.

    The issue sits on the key's last column (``period_end`` for a statement, the only column for
    an invoice) and names the first row, which stays in use. Rows lacking a required part of the
    key are the reader's to report, not duplicates.
    """
    for sheet in schema.INPUT_SHEETS:
        keys = list(sheet.primary_key)
        frame = ctx.frame(sheet, *keys)
        if frame is None or not keys:
            continue
        if len(keys) == 1:
            # one column: number the values once (shared with the reference rules)
            key = keys[0]
            codes = (
                ctx.ids(key).codes[sheet.key] if key in SHARED_IDS else ctx.distinct(sheet, key)[0]
            )
            repeats = pd.Series(codes).duplicated().to_numpy() & (codes >= 0)
            if not repeats.any():
                continue
            first = first_positions(codes, int(codes.max()) + 1)
            bad = frame.loc[repeats]
            first_row = pd.Series(
                frame["_row"].to_numpy()[first[codes[repeats]]], index=bad.index, dtype=object
            )
        else:
            keyed = frame.dropna(subset=[k for k in keys if sheet.column(k).required])
            later = keyed.duplicated(keys, keep="first")
            if not later.any():
                continue
            involved = keyed.loc[keyed.duplicated(keys, keep=False)]
            first_row = involved.groupby(keys, dropna=False, sort=False)["_row"].transform("first")
            bad = keyed.loc[later]
        shown: list[str | pd.Series[Any]] = []
        for key in keys:
            shown += [bad[key], " / "]
        zh_names, en_names = (
            "+".join(_zh(sheet, k) for k in keys),
            "+".join(_en(sheet, k) for k in keys),
        )
        yield from _found(
            sheet,
            keys[-1],
            "error",
            bad,
            [f"{zh_names} ", *shown[:-1], " 重复，首次出现在第 ", first_row[bad.index], " 行"],
            [f"duplicate {en_names} ", *shown[:-1], ", first in row ", first_row[bad.index]],
        )


def unknown_references(ctx: Context) -> Iterator[Finding]:
    """Customer IDs that are not on the Customers sheet; payments applied to unknown invoices.

    When the Customers or Invoices sheet itself is missing the reader has said so once; repeating
    it on every row would bury that one message.
    """
    customer_ids = ctx.ids("customer_id")
    if schema.CUSTOMERS.key in customer_ids.codes:
        known = first_positions(customer_ids.codes[schema.CUSTOMERS.key], customer_ids.count) >= 0
        for sheet in SHARED_IDS["customer_id"]:
            frame = ctx.frame(sheet, "customer_id")
            if sheet is schema.CUSTOMERS or frame is None:
                continue
            codes = customer_ids.codes[sheet.key]
            bad = frame.loc[(codes >= 0) & ~_at(known, codes, True)]
            yield from _found(
                sheet,
                "customer_id",
                "error",
                bad,
                [
                    f"{_zh(sheet, 'customer_id')} ",
                    bad["customer_id"],
                    f" 不在「{schema.CUSTOMERS.zh}」表中",
                ],
                [
                    f"{_en(sheet, 'customer_id')} ",
                    bad["customer_id"],
                    f" is not on the {schema.CUSTOMERS.en} sheet",
                ],
            )
    invoice_nos = ctx.ids("invoice_no")
    payments = ctx.frame(schema.PAYMENTS, "invoice_no")
    if payments is not None and schema.INVOICES.key in invoice_nos.codes:
        issued = invoice_nos.first_position(schema.INVOICES) >= 0
        applied_to = invoice_nos.codes[schema.PAYMENTS.key]
        bad = payments.loc[(applied_to >= 0) & ~_at(issued, applied_to, True)]
        sheet = schema.PAYMENTS
        yield from _found(
            sheet,
            "invoice_no",
            "error",
            bad,
            [
                f"{_zh(sheet, 'invoice_no')} ",
                bad["invoice_no"],
                f" 不在「{schema.INVOICES.zh}」表中",
            ],
            [
                f"{_en(sheet, 'invoice_no')} ",
                bad["invoice_no"],
                f" is not on the {schema.INVOICES.en} sheet",
            ],
        )
