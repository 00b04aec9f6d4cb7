"""The receivables story: a small register typed by hand, aged at a leap-year month end.

``test_receivables`` works out every figure of it by hand; the alerts, order-check and join tests
reuse it. The register goes through the real reader, so the frames are typed as in production.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from credit_register.core import schema
from credit_register.core.port import RawSheet
from credit_register.core.reader import load
from credit_register.core.register import Register
from credit_register.core.schema import Language
from credit_register.engines.receivables import CONTRACT_RATE

AS_OF = dt.date(2028, 3, 31)
D = dt.date

CUSTOMERS: list[dict[str, Any]] = [
    {
        "customer_id": "C001",
        "name": "Alpha Trading",
        "currency": "CNY",
        "payment_terms_days": 30,
        "approved_limit": 100_000,
        "limit_valid_until": D(2028, 12, 31),
        "status": "active",
    },
    {
        "customer_id": "C002",
        "name": "Beta Imports",
        "currency": "USD",
        "payment_terms_days": 60,
        "approved_limit": 20_000,
        "limit_valid_until": D(2028, 12, 31),
        "insured_limit": 10_000,
        "insurer": "Sinosure",
        "insurance_cover_pct": 90,
        "key_account": "yes",
        "status": "active",
    },
    {
        "customer_id": "C003",
        "name": "Gamma Steel",
        "currency": "CNY",
        "payment_terms_days": 30,
        "approved_limit": 50_000,
        "limit_valid_until": D(2028, 1, 31),
        "status": "hold",
    },
]
INVOICES: list[dict[str, Any]] = [
    # blank due date: 2028-01-31 + 30 days = 2028-03-01 (February has 29 days in 2028)
    {"invoice_no": "I1", "customer_id": "C001", "invoice_date": D(2028, 1, 31), "amount": 10_000},
    # falls due on the leap day
    {
        "invoice_no": "I2",
        "customer_id": "C001",
        "invoice_date": D(2027, 12, 30),
        "due_date": D(2028, 2, 29),
        "amount": 8_000,
    },
    {
        "invoice_no": "CN1",
        "customer_id": "C001",
        "invoice_date": D(2028, 3, 15),
        "due_date": D(2028, 3, 15),
        "amount": -1_000,
    },
    {
        "invoice_no": "I4",
        "customer_id": "C001",
        "invoice_date": D(2028, 2, 10),
        "due_date": D(2028, 3, 10),
        "amount": 3_000,
    },
    {
        "invoice_no": "I5",
        "customer_id": "C001",
        "invoice_date": D(2028, 3, 20),
        "due_date": D(2028, 4, 19),
        "amount": 2_000,
    },
    # paid before the payments log began: only the paid-amount column knows
    {
        "invoice_no": "I6",
        "customer_id": "C001",
        "invoice_date": D(2027, 11, 1),
        "due_date": D(2027, 12, 1),
        "amount": 1_000,
        "paid_amount": 1_000,
    },
    {
        "invoice_no": "I7",
        "customer_id": "C002",
        "invoice_date": D(2027, 10, 1),
        "due_date": D(2027, 11, 30),
        "currency": "USD",
        "amount": 2_000,
        "disputed": "yes",
    },
    {
        "invoice_no": "I8",
        "customer_id": "C002",
        "invoice_date": D(2028, 1, 15),
        "due_date": D(2028, 3, 15),
        "amount": 1_000,
        "contract_no": "HT-9",
    },
    {
        "invoice_no": "I9",
        "customer_id": "C002",
        "invoice_date": D(2027, 12, 1),
        "due_date": D(2028, 1, 30),
        "currency": "USD",
        "amount": 500,
        "contract_no": "HT-9",
    },
]
#: the contract rate (% a year) typed on one invoice of contract HT-9 only
CONTRACT_RATES = {"I9": 10.0}
PAYMENTS: list[dict[str, Any]] = [
    {
        "payment_id": "P1",
        "customer_id": "C001",
        "invoice_no": "I1",
        "payment_date": D(2028, 2, 15),
        "amount": 4_000,
        "method": "transfer",
    },
    # a bill that matured before the as-of date: paid, and no longer exposure
    {
        "payment_id": "P4",
        "customer_id": "C001",
        "invoice_no": "I4",
        "payment_date": D(2028, 3, 5),
        "amount": 2_000,
        "method": "bill",
        "bill_maturity": D(2028, 3, 20),
    },
    {
        "payment_id": "P5",
        "customer_id": "C001",
        "invoice_no": "I4",
        "payment_date": D(2028, 3, 25),
        "amount": 1_500,
        "method": "transfer",
    },
    # after the as-of date: not counted yet
    {
        "payment_id": "P6",
        "customer_id": "C001",
        "invoice_no": "I5",
        "payment_date": D(2028, 4, 5),
        "amount": 500,
        "method": "transfer",
    },
    # a bill maturing after the as-of date: pays I9, stays exposure until 2028-07-20
    {
        "payment_id": "P7",
        "customer_id": "C002",
        "invoice_no": "I9",
        "payment_date": D(2028, 1, 20),
        "amount": 500,
        "method": "bill",
        "bill_maturity": D(2028, 7, 20),
    },
    # cash on account, not applied to any invoice
    {
        "payment_id": "P8",
        "customer_id": "C002",
        "payment_date": D(2028, 3, 1),
        "amount": 300,
        "method": "transfer",
    },
]
ORDERS: list[dict[str, Any]] = [
    {
        "order_no": "O1",
        "customer_id": "C001",
        "order_date": D(2028, 3, 28),
        "amount": 5_000,
        "status": "open",
    },
    {
        "order_no": "O2",
        "customer_id": "C001",
        "order_date": D(2028, 3, 20),
        "amount": 1_000,
        "status": "shipped",
    },
    {
        "order_no": "O3",
        "customer_id": "C002",
        "order_date": D(2028, 3, 29),
        "amount": 100,
        "status": "open",
    },
]
ACTIVITIES: list[dict[str, Any]] = [
    # a demand after I7 fell due, sent on 2028-01-10 and received on the 12th: the limitation
    # of what C002 owed then restarts on 2028-01-12
    {
        "date": D(2028, 1, 10),
        "customer_id": "C002",
        "type": "collection",
        "summary": "demand letter sent",
        "delivered_on": D(2028, 1, 12),
    },
    # an e-mail is not evidence of a demand
    {"date": D(2028, 3, 20), "customer_id": "C002", "type": "email", "summary": "statement"},
]
FX: list[dict[str, Any]] = [{"currency": "USD", "rate_to_base": 7.0, "as_of": D(2028, 3, 31)}]


def raw_sheet(sheet: schema.Sheet, rows: list[dict[str, Any]], lang: Language) -> RawSheet:
    """A sheet as a door delivers it: header row in ``lang``, codes as labels, blanks as None."""
    keys = [c.key for c in sheet.columns if any(c.key in row for row in rows)] or [
        sheet.columns[0].key
    ]
    header = [sheet.column(k).header(lang) for k in keys]
    body = []
    for row in rows:
        cells = []
        for key in keys:
            value = row.get(key)
            column = sheet.column(key)
            if column.codes and isinstance(value, str):
                code = column.code_for(value)
                value = code.label(lang) if code else value
            cells.append(value)
        body.append(cells)
    return RawSheet(sheet.name(lang), [header, *body])


def make_register(lang: Language = "en", **changes: list[dict[str, Any]]) -> Register:
    """The story's register (any table replaced by ``changes``), read by the real reader."""
    tables = {
        "customers": CUSTOMERS,
        "invoices": INVOICES,
        "payments": PAYMENTS,
        "orders": ORDERS,
        "activities": ACTIVITIES,
        "fx": FX,
        **changes,
    }
    raw = {
        schema.SHEETS[key].name(lang): raw_sheet(schema.SHEETS[key], rows, lang)
        for key, rows in tables.items()
    }
    register = load(raw, "test.xlsx", today=AS_OF)
    # only the tabs this story leaves out (Financials, Bureau, Policy) are reported
    assert all(i.severity == "warning" and "missing" in i.en for i in register.issues), [
        i.format("en") for i in register.issues
    ]
    invoices = register.tables["invoices"].frame
    # the contract rate column (see receivables' docstring): typed on the Invoices sheet
    invoices[CONTRACT_RATE] = invoices["invoice_no"].map(CONTRACT_RATES).astype(float)
    return register
