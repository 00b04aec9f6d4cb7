"""Invoices and payments: the trade each customer did over the invoice window, and how it paid.

Invoices are spread over each customer's trading window, weighted by its sales; payments follow
its behaviour (good, average, slow, defaulted), some in two instalments, by transfer, bank
acceptance bill or cash, plus a little unapplied cash on account. The story's invoices
(:data:`.cast.HAND_INVOICES`) are placed by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from credit_register.core import schema
from credit_register.tools.demo.arrays import (
    Array,
    blank_where,
    concat,
    days_of,
    numbered,
    reorder,
    round_money,
    schema_table,
    weekday_before,
)
from credit_register.tools.demo.cast import AVERAGE, DEFAULTED, GOOD, HAND_INVOICES, SLOW
from credit_register.tools.demo.customers import Book
from credit_register.tools.demo.size import DemoSize


@dataclass
class Trade:
    """The trade drawn for every customer: its two tables and what the others need from it."""

    invoices: pd.DataFrame
    payments: pd.DataFrame
    #: per customer: invoiced in the customer's currency over its trading months
    monthly_sales_local: Array
    #: per customer: has an invoice open and past due at the as-of date
    overdue: Array
    #: late payments (for promises kept): customer, payment date, amount
    late_payments: tuple[Array, Array, Array]


def draw_trade(rng: np.random.Generator, book: Book, size: DemoSize, as_of: np.datetime64) -> Trade:
    """The Invoices and Payments tables, and what the other tables need from them."""
    n_cust = len(book.ids)
    hand = HAND_INVOICES
    n_gen = size.invoices - len(hand)
    active_days = (book.trade_end - book.trade_start).astype(np.int64) + 1
    weight = np.sqrt(book.sales_cny) * active_days
    counts = 1 + rng.multinomial(n_gen - n_cust, weight / weight.sum())
    cust = np.repeat(np.arange(n_cust), counts)
    n = len(cust)

    offset = np.floor(rng.random(n) * active_days[cust]).astype(np.int64)
    start = book.trade_start[cust]
    end = book.trade_end[cust]
    inv_date = np.busday_offset(start + days_of(offset), 0, roll="forward")
    inv_date = np.where(inv_date > end, weekday_before(end), inv_date)

    months = active_days / 30.4375
    local_sales = book.sales_cny / book.rate
    mean_amount = (local_sales * months / counts)[cust]
    amount = mean_amount * rng.lognormal(-0.125, 0.5, n)
    credit_note = rng.random(n) < 0.015
    amount = np.where(credit_note, -amount * rng.uniform(0.03, 0.2, n), amount)
    decimals = book.decimals[cust]
    amount = round_money(amount, decimals)
    amount = np.where(amount == 0, 1.0, amount)
    due = np.where(credit_note, inv_date, inv_date + days_of(book.terms[cust]))
    due_blank = ~credit_note & (rng.random(n) < 0.01)
    disputed = np.zeros(n, dtype=bool)

    # payment behaviour: days after the due date
    behaviour = book.behaviour[cust]
    delay = np.select(
        [behaviour == GOOD, behaviour == AVERAGE, behaviour == SLOW],
        [
            np.clip(np.round(rng.normal(-1, 4, n)), -10, 12),
            np.clip(np.round(rng.normal(8, 10, n)), -5, 50),
            rng.integers(30, 121, n),
        ],
        rng.integers(10, 61, n),
    ).astype(np.int64)
    pay1 = weekday_before(np.maximum(due + days_of(delay), inv_date))
    pay1 = np.maximum(pay1, inv_date)
    stop = book.stop[cust]
    still_paying = np.isnat(stop) | (pay1 < stop)
    paid = ~credit_note & (pay1 <= as_of) & still_paying
    # some invoices are paid in two parts (a short payment, the rest later)
    partial = paid & (rng.random(n) < np.array([0.02, 0.06, 0.10, 0.10])[behaviour])
    share = rng.uniform(0.3, 0.8, n)
    pay1_amount = np.where(partial, round_money(amount * share, decimals), amount)
    pay2 = weekday_before(pay1 + days_of(rng.integers(15, 61, n)))
    pay2 = np.maximum(pay2, pay1)
    paid2 = partial & (pay2 <= as_of) & (np.isnat(stop) | (pay2 < stop))
    pay2_amount = np.where(paid2, round_money(amount - pay1_amount, decimals), 0.0)
    # pre-log: paid, but from before the payments log starts (only when a payment count is set)
    pre_log = np.zeros(n, dtype=bool)
    n_unapplied = max(3, round(0.002 * size.invoices))
    if size.payments is not None:
        natural = int(paid.sum() + paid2.sum()) + len([h for h in hand if h.paid_days_before])
        excess = natural + n_unapplied - size.payments
        whole = np.flatnonzero(paid & ~partial)
        if excess > 0:
            oldest = whole[np.argsort(inv_date[whole].astype(np.int64), kind="stable")]
            pre_log[oldest[:excess]] = True
        elif excess < 0:
            # more payments wanted: split some invoices paid in one go into two instalments
            split = rng.choice(whole, size=min(-excess, len(whole)), replace=False)
            partial[split] = True
            paid2[split] = True
            pay2[split] = pay1[split]
            pay1[split] = np.maximum(weekday_before(pay1[split] - days_of(20)), inv_date[split])
            pay1_amount[split] = round_money(amount[split] * share[split], decimals[split])
            pay2_amount[split] = round_money(amount[split] - pay1_amount[split], decimals[split])

    # the story's hand-made invoices
    h_cust = np.array([h.customer for h in hand])
    h_date = np.array([as_of - np.timedelta64(h.days_before, "D") for h in hand])
    h_amount = np.array([h.amount for h in hand])
    h_paid = np.array([h.paid_days_before is not None for h in hand])
    h_pay = np.array([as_of - np.timedelta64(h.paid_days_before or 0, "D") for h in hand])
    m = len(hand)
    cust = np.concatenate([cust, h_cust])
    inv_date = np.concatenate([inv_date, h_date]).astype("datetime64[D]")
    amount = np.concatenate([amount, h_amount])
    decimals = book.decimals[cust]
    credit_note = np.concatenate([credit_note, np.zeros(m, bool)])
    due = np.concatenate([due, h_date + days_of(book.terms[h_cust])]).astype("datetime64[D]")
    due_blank = np.concatenate([due_blank, np.zeros(m, bool)])
    disputed = np.concatenate([disputed, np.array([h.disputed for h in hand])])
    paid = np.concatenate([paid, h_paid])
    pay1 = np.concatenate([pay1, h_pay]).astype("datetime64[D]")
    pay1_amount = np.concatenate([pay1_amount, h_amount])
    paid2 = np.concatenate([paid2, np.zeros(m, bool)])
    pay2 = np.concatenate([pay2, h_pay]).astype("datetime64[D]")
    pay2_amount = np.concatenate([pay2_amount, np.zeros(m)])
    pre_log = np.concatenate([pre_log, np.zeros(m, bool)])
    hand_made = np.concatenate([np.zeros(n, bool), np.ones(m, bool)])

    order, invoice_no = numbered("FP", inv_date, hand_made, cust)
    (
        cust,
        inv_date,
        amount,
        credit_note,
        due,
        due_blank,
        disputed,
        paid,
        pay1,
        pay1_amount,
        paid2,
        pay2,
        pay2_amount,
        pre_log,
        hand_made,
    ) = reorder(
        order,
        cust,
        inv_date,
        amount,
        credit_note,
        due,
        due_blank,
        disputed,
        paid,
        pay1,
        pay1_amount,
        paid2,
        pay2,
        pay2_amount,
        pre_log,
        hand_made,
    )
    decimals = book.decimals[cust]
    paid_amount = np.where(paid, pay1_amount, 0.0) + np.where(paid2, pay2_amount, 0.0)
    paid_amount = round_money(paid_amount, decimals)
    paid_amount = np.where(pre_log, amount, paid_amount)
    paid_amount = np.where(credit_note, np.nan, paid_amount)
    year = inv_date.astype("datetime64[Y]").astype(np.int64) + 1970
    # one framework contract per customer and year: build each number once
    contract_key, contract_of = np.unique(cust * 10_000 + year, return_inverse=True)
    contract_names = concat(
        "HT",
        (contract_key % 10_000).astype(str),
        "-",
        np.char.lstrip(book.ids[contract_key // 10_000].astype(str), "C"),
    )
    contract = blank_where((rng.random(n + m) < 0.05) & ~hand_made, contract_names[contract_of])
    invoices = schema_table(
        schema.INVOICES,
        {
            "invoice_no": invoice_no,
            "customer_id": book.ids[cust],
            "invoice_date": inv_date,
            "due_date": np.where(due_blank, np.datetime64("NaT"), due),
            "currency": book.currency[cust],
            "amount": amount,
            "paid_amount": paid_amount,
            "contract_no": contract,
            "disputed": disputed,
            # every ninth customer's contracts agree 0.05 % a day (18.25 % a year) for late payment;
            # the others leave it to the policy default. No random draw: the rest stays as it was.
            "late_interest_rate": np.where((cust % 9 == 4) & (contract != None), 18.25, np.nan),  # noqa: E711
        },
    )

    # payments: first instalments, second instalments, unapplied cash on account
    first = paid & ~pre_log
    second = paid2 & ~pre_log
    eligible = np.flatnonzero((book.behaviour != DEFAULTED) & (book.status == "active"))
    u_cust = rng.choice(eligible, size=n_unapplied)
    u_date = weekday_before(as_of - days_of(rng.integers(1, 90, n_unapplied)))
    u_date = np.maximum(u_date, book.trade_start[u_cust])
    u_step = np.where(book.currency[u_cust] == "JPY", 10_000.0, 100.0)
    u_amount = np.round(local_sales[u_cust] * rng.uniform(0.05, 0.3, n_unapplied) / u_step) * u_step
    u_amount = np.maximum(u_amount, u_step)
    p_cust = np.concatenate([cust[first], cust[second], u_cust])
    p_invoice = np.concatenate(
        [invoice_no[first], invoice_no[second], np.full(n_unapplied, None, dtype=object)]
    )
    p_date = np.concatenate([pay1[first], pay2[second], u_date]).astype("datetime64[D]")
    p_amount = np.concatenate([pay1_amount[first], pay2_amount[second], u_amount])
    p_hand = np.concatenate([hand_made[first], hand_made[second], np.zeros(n_unapplied, bool)])
    order, payment_id = numbered("HK", p_date, p_hand, p_cust)
    p_cust, p_invoice, p_date, p_amount, p_hand = reorder(
        order, p_cust, p_invoice, p_date, p_amount, p_hand
    )
    k = len(p_cust)
    cny = book.currency[p_cust] == "CNY"
    method = rng.choice(
        np.array(["transfer", "bill", "cash", "other"], dtype=object),
        size=k,
        p=[0.72, 0.22, 0.03, 0.03],
    )
    method[~cny | ((method == "cash") & (p_amount > 50_000)) | p_hand] = "transfer"
    maturity = np.where(
        method == "bill",
        p_date + days_of(rng.choice(np.array([90, 180]), size=k)),
        np.datetime64("NaT"),
    )
    payments = schema_table(
        schema.PAYMENTS,
        {
            "payment_id": payment_id,
            "customer_id": book.ids[p_cust],
            "invoice_no": p_invoice,
            "payment_date": p_date,
            "amount": p_amount,
            "method": method,
            "bill_maturity": maturity,
        },
    )

    invoiced = np.bincount(cust, weights=np.maximum(amount, 0.0), minlength=n_cust)
    open_due = ~credit_note & (due < as_of) & (paid_amount < amount)
    overdue = np.bincount(cust[open_due], minlength=n_cust) > 0
    year_ago = as_of - np.timedelta64(365, "D")
    late = first & (pay1 - due > np.timedelta64(30, "D")) & (pay1 > year_ago)
    return Trade(
        invoices, payments, invoiced / months, overdue, (cust[late], pay1[late], pay1_amount[late])
    )
