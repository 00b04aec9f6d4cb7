"""Invoice and payment amounts that must agree: an invoice's amount, due date and paid amount,
and the payments applied to it (same customer, not more than the invoice).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from credit_register.core import schema
from credit_register.core.cells import CENT
from credit_register.validation.context import Context, Finding, _at, _en, _flag, _found, _zh


@dataclass(frozen=True)
class Applied:
    """The payments applied to each invoice number (numbered as in ``ctx.ids("invoice_no")``).

    Only payments above zero count: a zero or negative one is an error of its own.
    """

    #: per payment row: it counts towards its invoice
    counted: npt.NDArray[np.bool_]
    #: per invoice number: the sum of its payments, and whether it has any
    total: npt.NDArray[np.float64]
    has_payments: npt.NDArray[np.bool_]


def _applied_payments(ctx: Context) -> Applied | None:
    payments = ctx.frame(schema.PAYMENTS, "invoice_no", "amount")
    if payments is None:
        return None
    if "applied" not in ctx._cache:
        ids = ctx.ids("invoice_no")
        codes = ids.codes[schema.PAYMENTS.key]
        amount = payments["amount"].to_numpy(dtype=float, na_value=np.nan)
        counted = (codes >= 0) & (amount > 0)
        total = np.bincount(codes[counted], weights=amount[counted], minlength=ids.count).astype(
            float
        )
        has = np.bincount(codes[counted], minlength=ids.count) > 0
        ctx._cache["applied"] = Applied(counted, total, has)
    applied: Applied = ctx._cache["applied"]
    return applied


def invoice_amounts(ctx: Context) -> Iterator[Finding]:
    """An invoice has an amount, falls due on or after its date, and is not paid beyond its amount.

    A credit note (negative amount) is "paid" with a negative figure: the paid amount has the
    amount's sign and is no larger in size. When payments are applied to the invoice they are the
    record of what was paid, so a different paid amount is only a warning.
    """
    sheet = schema.INVOICES
    frame = ctx.frame(sheet, "amount")
    if frame is None:
        return
    amount = frame["amount"]
    bad = frame.loc[_flag(amount == 0)]
    yield from _found(
        sheet,
        "amount",
        "error",
        bad,
        [f"{_zh(sheet, 'amount')}不能为 0"],
        [f"{_en(sheet, 'amount')} must not be 0"],
    )
    if "due_date" in frame and "invoice_date" in frame:
        bad = frame.loc[_flag(frame["due_date"] < frame["invoice_date"])]
        yield from _found(
            sheet,
            "due_date",
            "error",
            bad,
            [
                f"{_zh(sheet, 'due_date')} ",
                bad["due_date"],
                f" 早于{_zh(sheet, 'invoice_date')} ",
                bad["invoice_date"],
            ],
            [
                f"{_en(sheet, 'due_date')} ",
                bad["due_date"],
                f" before {_en(sheet, 'invoice_date')} ",
                bad["invoice_date"],
            ],
        )
    if "paid_amount" not in frame:
        return
    paid = frame["paid_amount"]
    sign = np.sign(amount)
    wrong_sign = _flag(paid * sign < -CENT)
    bad = frame.loc[wrong_sign]
    yield from _found(
        sheet,
        "paid_amount",
        "error",
        bad,
        [
            f"{_zh(sheet, 'paid_amount')} ",
            bad["paid_amount"],
            f" 与{_zh(sheet, 'amount')} ",
            bad["amount"],
            " 正负号不一致",
        ],
        [
            f"{_en(sheet, 'paid_amount')} ",
            bad["paid_amount"],
            f" has the opposite sign of the {_en(sheet, 'amount')} ",
            bad["amount"],
        ],
    )
    bad = frame.loc[~wrong_sign & _flag(paid.abs() > amount.abs() + CENT)]
    yield from _found(
        sheet,
        "paid_amount",
        "error",
        bad,
        [
            f"{_zh(sheet, 'paid_amount')} ",
            bad["paid_amount"],
            f" 超过{_zh(sheet, 'amount')} ",
            bad["amount"],
        ],
        [
            f"{_en(sheet, 'paid_amount')} ",
            bad["paid_amount"],
            f" is above the {_en(sheet, 'amount')} ",
            bad["amount"],
        ],
    )
    applied = _applied_payments(ctx)
    if applied is None or "invoice_no" not in frame:
        return
    codes = ctx.ids("invoice_no").codes[sheet.key]
    with_payments = _at(applied.has_payments, codes, False)
    from_payments = pd.Series(
        np.where(with_payments, _at(applied.total, codes, np.nan), np.nan), index=frame.index
    )
    bad = frame.loc[_flag((paid - from_payments).abs() > CENT)]
    applied_here = from_payments[bad.index]
    yield from _found(
        sheet,
        "paid_amount",
        "warning",
        bad,
        [
            f"{_zh(sheet, 'paid_amount')} ",
            bad["paid_amount"],
            f" 与「{schema.PAYMENTS.zh}」表合计 ",
            applied_here,
            " 不符，以回款记录为准",
        ],
        [
            f"{_en(sheet, 'paid_amount')} ",
            bad["paid_amount"],
            f" differs from the {schema.PAYMENTS.en} total ",
            applied_here,
            "; the payments are used",
        ],
    )


def payment_matching(ctx: Context) -> Iterator[Finding]:
    """A payment belongs to its invoice's customer, and payments do not exceed the invoice.

    Over-payment is reported at each payment from the one that pushes the running total (in
    payment-date order, then row order) above the invoice amount: those are the payments the
    invoice cannot absorb, and the earlier ones stay in use. Only invoices (amount above zero) are
    checked; money applied to a credit note is a refund with its own story.
    """
    sheet = schema.PAYMENTS
    payments = ctx.frame(sheet, "invoice_no")
    invoices = ctx.frame(schema.INVOICES, "invoice_no")
    if payments is None or invoices is None:
        return
    invoice_nos = ctx.ids("invoice_no")
    paid_to = invoice_nos.codes[sheet.key]
    # a repeated invoice number is reported by duplicate_keys; its first row is the invoice
    invoice_at = invoice_nos.first_position(schema.INVOICES)
    invoice_of_payment = _at(invoice_at, paid_to, -1)
    if "customer_id" in payments and "customer_id" in invoices:
        customer_ids = ctx.ids("customer_id")
        invoice_customers = customer_ids.codes[schema.INVOICES.key]
        billed = _at(invoice_customers, invoice_of_payment, -1)
        paid_by = customer_ids.codes[sheet.key]
        mismatch = (billed >= 0) & (paid_by >= 0) & (billed != paid_by)
        bad = payments.loc[mismatch]
        invoice_customer = pd.Series(
            invoices["customer_id"].to_numpy(dtype=object)[invoice_of_payment[mismatch]],
            index=bad.index,
        )
        yield from _found(
            sheet,
            "customer_id",
            "error",
            bad,
            [
                f"{_zh(sheet, 'customer_id')} ",
                bad["customer_id"],
                " 与发票 ",
                bad["invoice_no"],
                " 的客户 ",
                invoice_customer[bad.index],
                " 不一致",
            ],
            [
                f"{_en(sheet, 'customer_id')} ",
                bad["customer_id"],
                " differs from the customer ",
                invoice_customer[bad.index],
                " of invoice ",
                bad["invoice_no"],
            ],
        )
    applied = _applied_payments(ctx)
    if applied is None or "amount" not in invoices:
        return
    invoice_amount = np.full(invoice_nos.count, np.nan)
    issued = invoice_at >= 0
    amounts = invoices["amount"].to_numpy(dtype=float, na_value=np.nan)
    invoice_amount[issued] = amounts[invoice_at[issued]]
    over = applied.has_payments & (invoice_amount > 0) & (applied.total > invoice_amount + CENT)
    if not over.any():
        return
    # only the few over-paid invoices need their payments in date order
    involved_rows = applied.counted & _at(over, paid_to, False)
    involved = payments.loc[involved_rows].assign(
        _invoice=paid_to[involved_rows], _limit=invoice_amount[paid_to[involved_rows]]
    )
    order = (
        ["_invoice", "payment_date", "_row"] if "payment_date" in involved else ["_invoice", "_row"]
    )
    involved = involved.sort_values(order)
    running = involved.groupby("_invoice", sort=False)["amount"].cumsum()
    limit = involved["_limit"]
    bad = involved.loc[running > limit + CENT]
    yield from _found(
        sheet,
        "amount",
        "error",
        bad,
        [
            "发票 ",
            bad["invoice_no"],
            " 累计回款 ",
            running[bad.index],
            " 超过发票金额 ",
            limit[bad.index],
        ],
        [
            "payments to invoice ",
            bad["invoice_no"],
            " reach ",
            running[bad.index],
            ", above its amount ",
            limit[bad.index],
        ],
    )
