"""Receivables: what each customer owes us, how late it is, and how much credit it uses.

The credit manager's questions about money already lent — which invoices are open, how far past
due, which collections step each has reached, what late interest has run, when the right to sue
runs out, and how much of a customer's limit is used — are answered here from the register's
Invoices, Payments, Orders, Activities and FX sheets (policy §4, §5, §7). The rating engine, the
alerts, the order check and the Ageing sheet all start from :func:`open_items`, so every one of
them sees the same figures.

Everything is whole-column pandas/numpy (500,000 invoices, 400,000 payments): payments reach their
invoices through one hash lookup, settle dates come from one grouped running total, and no Python
loop ever runs over invoices or payments.

Decisions (the spec leaves them open; documented in the README too):

- **Due date**: blank → invoice date + the customer's ``payment_terms_days`` (blank terms: 0).
- **Currency**: the invoice's, else the customer's, else the base currency. ``rate_to_base`` comes
  from the FX sheet (base = 1); a currency without a rate gives NaN base amounts, which sums skip
  (the validator reports the missing rate).
- **Paid**: the valid payments applied to the invoice number and dated on or before the as-of
  date (bills included: a bill pays the invoice, it only stays *exposure* until it matures). When
  the Payments sheet has no row for the invoice at all, its ``paid_amount`` column is used (a
  register migrated from an older system). An over-payment leaves a negative ``outstanding``: a
  credit the customer holds, netted like a credit note.
- **Settled on**: the payment date on which the running total of the invoice's payments reached
  its amount (to the cent). NaT while open, and NaT when the paid figure comes from the
  ``paid_amount`` column (the date is then unknown) or for a credit note.
- **Disputed invoices** stay exposure and age normally (the money is still out), but their
  collections step stops at 1 (first overdue notice): no demand letter, credit hold or legal step
  while the claim is open; and they carry no late interest, since the amount itself is contested.
- **Late interest** (``late_interest``): per owed invoice, its basis — the contract's agreed
  rate (typed in the optional Invoices column ``late_interest_rate`` 合同逾期年利率, annual, in
  percent points; typed once per contract), else the 1-year LPR at the time of breach plus the
  Policy markup, or the SME daily rate where our company is an SME and the customer a large
  enterprise or public body — its annual rate, and the interest run to the as-of date.
- **Limitation** (``limitation``): per owed invoice, the expiry of the claim (3 years after the
  due date, 4 for a customer outside China), restarted only by a delivered demand, an
  acknowledgement (promise, signed reconciliation, part payment) naming it, or a suit; with the
  last demand delivered and the last acknowledgement. NaT for items with nothing outstanding.
- **Exposure** (§4, §7): open invoices (net of credit notes and over-payments) + bills not yet
  matured (``bill_maturity``, else payment date + ``bill_default_maturity_days``) + open orders
  (blank status counts as open) + shipped-not-invoiced − unapplied cash (payments with a blank
  invoice number: the customer's money we hold). It is not floored at zero: cash paid in advance
  is headroom for the next order. An unapplied *bill* is both unapplied cash and an unmatured bill,
  so it nets to zero until it matures. Payments carry no currency: an applied payment is in its
  invoice's currency, an unapplied one in the customer's. Approved and insured limits are in the
  base currency. Net exposure = exposure − cover % × min(exposure, insured limit) (blank cover % =
  no cover).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt
import pandas as pd

from credit_register.core.cells import CENT as CENT
from credit_register.core.register import Register
from credit_register.core.schema import AGEING
from credit_register.engines import late_interest, limitation
from credit_register.engines.joins import DAY
from credit_register.engines.joins import customer_rows as _customer_rows
from credit_register.engines.joins import dates as _dates
from credit_register.engines.joins import day as _day
from credit_register.engines.joins import first_rows as _first_rows
from credit_register.engines.joins import flags as _flags
from credit_register.engines.joins import floats as _floats
from credit_register.engines.joins import rows_of as _rows_of
from credit_register.engines.joins import take as _take
from credit_register.engines.portfolio import Portfolio as Portfolio
from credit_register.engines.portfolio import dso as dso
from credit_register.engines.portfolio import overdue_share as overdue_share
from credit_register.engines.portfolio import portfolio as portfolio
from credit_register.policy import Policy

#: the optional Invoices column with a contract's agreed annual late-interest rate (% points)
CONTRACT_RATE = "late_interest_rate"
#: the highest collections step a disputed invoice reaches (first overdue notice)
DISPUTED_MAX_STEP = 1

OPEN_ITEM_COLUMNS: tuple[str, ...] = (
    "invoice_no",
    "customer_id",
    "invoice_date",
    "due_date",
    "currency",
    "rate_to_base",
    "amount",
    "amount_base",
    "paid",
    "outstanding",
    "outstanding_base",
    "settled_on",
    "days_overdue",
    "dunning_level",
    "late_interest",
    "interest_basis",
    "interest_rate",
    "limitation_expires",
    "last_demand",
    "last_acknowledgement",
    "disputed",
    "contract_no",
    "_row",
    "_customer",
)
EXPOSURE_COLUMNS: tuple[str, ...] = (
    "open_invoices_base",
    "bills_base",
    "orders_base",
    "shipped_base",
    "unapplied_base",
    "exposure_base",
    "overdue_base",
    "net_exposure_base",
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def payment_invoice_rows(register: Register) -> IntArray:
    """Per row of the Payments sheet, the row of the invoice it pays on the Invoices sheet (the
    open items' position); -1 for unapplied cash or an unknown invoice number."""
    return _rows_of(register, "invoice_no", "invoices", register.numbers("invoice_no", "payments"))


def has_payment_rows(register: Register) -> npt.NDArray[np.bool_]:
    """Per invoice row, whether the Payments sheet has any row for it (else its paid amount comes
    from the Invoices sheet's ``paid_amount`` column)."""
    paid_to = payment_invoice_rows(register)
    n = len(register.frame("invoices"))
    return np.asarray(np.bincount(paid_to[paid_to >= 0], minlength=n)[:n] > 0, dtype=bool)


def rate_table(register: Register) -> dict[str, float]:
    """Currency code → rate to the base currency: the FX sheet's, and 1 for the base itself."""
    fx = register.frame("fx")
    table: dict[str, float] = {}
    for code, rate in zip(
        fx["currency"].to_numpy(dtype=object), _floats(fx["rate_to_base"]), strict=True
    ):
        if isinstance(code, str) and code.strip().upper() not in table:
            table[code.strip().upper()] = float(rate)
    table[register.base_currency.upper()] = 1.0
    return table


def fx_rates(register: Register, currencies: pd.Series) -> FloatArray:
    """Rate to the base currency per currency code (base = 1; NaN when the FX sheet lacks it).

    A workbook holds a handful of currencies, so codes are factorised and the FX sheet is looked
    up once per distinct code."""
    codes, uniques = pd.factorize(currencies)
    table = rate_table(register)
    per_unique = np.array([table.get(str(u).strip().upper(), np.nan) for u in uniques], dtype=float)
    return np.asarray(np.append(per_unique, np.nan)[codes], dtype=float)


def _currencies(
    register: Register, sheet_key: str, at_customer: IntArray, rows: IntArray | None = None
) -> tuple[pd.Series, FloatArray]:
    """The currency of each row of ``register.frame(sheet_key)`` (or of its ``rows``), else its
    customer's, else the base currency (upper case), and its rate to the base currency.

    A register holds a handful of currencies: each column's codes are numbered once per register
    (``Register.distinct``) and each distinct code is tidied and looked up once."""
    customer_codes, customer_uniques = register.distinct("customers", "currency")
    customer_codes = register.valid_rows("customers", customer_codes)
    own_codes, own_uniques = register.distinct(sheet_key, "currency")
    own_codes = register.valid_rows(sheet_key, own_codes)
    if rows is not None:
        own_codes = own_codes[rows]
    names = [str(u).strip().upper() for u in customer_uniques]
    names += [str(u).strip().upper() for u in own_uniques]
    names.append(register.base_currency.upper())
    fallback = np.append(customer_codes, -1)[at_customer]
    chosen = np.where(own_codes >= 0, own_codes + len(customer_uniques), fallback)
    chosen = np.where(chosen >= 0, chosen, len(names) - 1)
    table = rate_table(register)
    rates = np.array([table.get(name, np.nan) for name in names], dtype=float)[chosen]
    distinct = pd.Index(names, dtype="str").unique()
    where = distinct.get_indexer(pd.Index(names, dtype="str"))[chosen]
    text = pd.Series(pd.Categorical.from_codes(where, categories=distinct), dtype="str")
    return text, np.asarray(rates, dtype=float)


def open_items(register: Register, policy: Policy, as_of: dt.date) -> pd.DataFrame:
    """One row per valid invoice and credit note, with what is still owed at ``as_of``.

    Columns: ``OPEN_ITEM_COLUMNS`` (see the module docstring for each decision). ``_row`` is the
    invoice's Excel row, so a finding about an item can still name its cell; ``_customer`` is its
    customer's number in ``register.ids("customer_id")`` (-1 blank), so the engines that group
    items by customer do it on integers. The rows are ``register.frame("invoices")``'s, in order.
    """
    day = _day(as_of)
    invoices = register.frame("invoices")
    customers = register.frame("customers")
    n = len(invoices)
    customer_numbers = register.numbers("customer_id", "invoices")
    at_customer = _rows_of(register, "customer_id", "customers", customer_numbers)

    terms = _floats(customers["payment_terms_days"])
    terms_of_item = np.nan_to_num(_take(terms, at_customer, np.nan).astype(float), nan=0.0)
    invoice_date = _dates(invoices["invoice_date"])
    due = _dates(invoices["due_date"])
    due = np.where(np.isnat(due), invoice_date + terms_of_item.astype("int64") * DAY, due)

    currency, rate = _currencies(register, "invoices", at_customer)
    amount = _floats(invoices["amount"])

    # payments reach their invoice by number
    payments = register.frame("payments")
    paid_to = payment_invoice_rows(register)
    pay_amount = _floats(payments["amount"])
    pay_date = _dates(payments["payment_date"])
    has_rows = has_payment_rows(register)
    counted = (paid_to >= 0) & (pay_amount > 0) & (pay_date <= day)
    applied = np.bincount(paid_to[counted], weights=pay_amount[counted], minlength=n)[:n]
    paid = np.where(has_rows, applied, np.nan_to_num(_floats(invoices["paid_amount"]), nan=0.0))
    paid = np.round(paid, 2)
    outstanding = np.round(amount - paid, 2)
    owed = outstanding > CENT

    settled_on = _settled_on(paid_to[counted], pay_date[counted], pay_amount[counted], amount)

    past_due = ((day - due) / DAY).astype("int64")
    days_overdue = np.where(owed & (past_due > 0), past_due, 0)
    disputed = _flags(invoices["disputed"])
    # the ladder only matters for what is owed (a few percent of a register's invoices)
    level = np.full(n, np.nan)
    level[owed] = policy.dunning_level(pd.Series(past_due[owed])).to_numpy(
        dtype=float, na_value=np.nan
    )
    level = np.where(disputed, np.minimum(level, DISPUTED_MAX_STEP), level)

    # each owed invoice's interest basis and rate; interest runs only on what is owed, overdue
    # and not disputed
    if CONTRACT_RATE in invoices:
        agreed = late_interest.contract_rates(
            invoices[CONTRACT_RATE], invoices["contract_no"], owed
        )
    else:
        agreed = np.full(int(owed.sum()), np.nan)
    size = _take(customers["enterprise_size"].to_numpy(dtype=object), at_customer, None)[owed]
    basis_owed, annual_owed = late_interest.basis_and_rate(policy, agreed, due[owed], size)
    basis = np.full(n, None, dtype=object)
    basis[owed] = basis_owed
    annual = np.full(n, np.nan)
    annual[owed] = annual_owed
    accruing = owed & ~disputed & (days_overdue > 0)
    interest = np.zeros(n)
    interest[accruing] = late_interest.accrued(
        outstanding[accruing], annual[accruing], days_overdue[accruing], policy
    )

    expires, last_demand, last_acknowledgement = limitation.limitation(
        register,
        policy,
        as_of,
        owed=owed,
        due=due,
        invoice_date=invoice_date,
        at_customer=at_customer,
        payments=(paid_to[counted], pay_date[counted]),
    )

    def kept(key: str) -> pd.Series:
        return invoices[key].reset_index(drop=True)

    items = pd.DataFrame(
        copy=False,
        data={
            "invoice_no": kept("invoice_no"),
            "customer_id": kept("customer_id"),
            "invoice_date": invoice_date.astype("datetime64[us]"),
            "due_date": due.astype("datetime64[us]"),
            "currency": currency,
            "rate_to_base": rate,
            "amount": amount,
            "amount_base": np.round(amount * rate, 2),
            "paid": paid,
            "outstanding": outstanding,
            "outstanding_base": np.round(outstanding * rate, 2),
            "settled_on": settled_on.astype("datetime64[us]"),
            "days_overdue": days_overdue.astype("int64"),
            "dunning_level": pd.arrays.IntegerArray(
                np.nan_to_num(level).astype(np.int64), np.isnan(level)
            ),
            "late_interest": interest,
            "interest_basis": basis,
            "interest_rate": annual,
            "limitation_expires": expires.astype("datetime64[us]"),
            "last_demand": last_demand.astype("datetime64[us]"),
            "last_acknowledgement": last_acknowledgement.astype("datetime64[us]"),
            "disputed": disputed,
            "contract_no": kept("contract_no"),
            "_row": kept("_row"),
            "_customer": customer_numbers,
        },
    )
    return items


def _settled_on(
    invoice: IntArray, date: npt.NDArray[np.datetime64], paid: FloatArray, amount: FloatArray
) -> npt.NDArray[np.datetime64]:
    """The date the running total of each invoice's payments (in date order) reached its
    amount; NaT while it has not (and for credit notes)."""
    settled = np.full(len(amount), np.datetime64("NaT"), dtype="datetime64[D]")
    if len(invoice) == 0:
        return settled
    # most invoices are paid in one go: that payment settled it if it covered the amount
    single = np.bincount(invoice, minlength=len(amount))[invoice] == 1
    target = amount[invoice]
    covered = np.flatnonzero(single & (target > 0) & (paid >= target - CENT))
    settled[invoice[covered]] = date[covered]

    # the few paid in parts: a running total in date order, sorted on one (invoice, day) key
    parts = ~single
    invoice, date, paid = invoice[parts], date[parts], paid[parts]
    if len(invoice) == 0:
        return settled
    days = date.astype("int64")
    order = np.argsort(invoice * (days.max() - days.min() + 1) + (days - days.min()), kind="stable")
    invoice, date, paid = invoice[order], date[order], paid[order]
    # running total within each invoice: the overall running total less its value before the
    # invoice's first payment
    running = np.cumsum(paid)
    starts = np.flatnonzero(np.r_[True, invoice[1:] != invoice[:-1]])
    before = np.repeat(running[starts] - paid[starts], np.diff(np.r_[starts, len(invoice)]))
    target = amount[invoice]
    reached = np.flatnonzero((target > 0) & (running - before >= target - CENT))
    # ``reached`` runs in invoice order: each invoice's first reaching payment settled it
    first = reached[np.diff(invoice[reached], prepend=-1) != 0]
    settled[invoice[first]] = date[first]
    return settled


def _sum_by(
    at: IntArray, count: int, values: FloatArray, where: npt.NDArray[np.bool_] | None = None
) -> FloatArray:
    """Sum of ``values`` per position ``at`` (0..count-1; -1 = none); NaN values are skipped."""
    use = (at >= 0) & ~np.isnan(values)
    if where is not None:
        use &= where
    summed = np.bincount(at[use], weights=values[use], minlength=count)[:count]
    return np.asarray(summed, dtype=float)


def exposure_by_customer(
    register: Register, policy: Policy, as_of: dt.date, items: pd.DataFrame
) -> pd.DataFrame:
    """Each customer's credit exposure in the base currency, indexed by ``customer_id``.

    Columns ``EXPOSURE_COLUMNS``: open invoices, unmatured bills, open orders, shipped not
    invoiced, unapplied cash (deducted), the total exposure, the overdue part of the open
    invoices, and the exposure net of credit insurance (§7). Every customer on the Customers
    sheet has a row (zeros when nothing is open).
    """
    day = _day(as_of)
    limits = customer_limits(register)
    ids = limits.index
    k = len(ids)
    limit_row = limit_rows(register)
    if len(items) != len(register.frame("invoices")):
        raise ValueError("items must be open_items(register, ...): one row per valid invoice")

    # most invoices are settled: only the few with a balance count
    outstanding = items["outstanding_base"].to_numpy(dtype=float)
    balance = np.flatnonzero(~np.isnan(outstanding) & (outstanding != 0))
    item_at = limit_row[items["_customer"].to_numpy(dtype=np.int64)[balance]]
    outstanding = outstanding[balance]
    open_invoices = _sum_by(item_at, k, outstanding)
    overdue = _sum_by(item_at, k, outstanding, items["days_overdue"].to_numpy()[balance] > 0)

    payments = register.frame("payments")
    pay_amount = _floats(payments["amount"])
    pay_date = _dates(payments["payment_date"])
    received = (pay_amount > 0) & (pay_date <= day)
    bill = payments["method"].to_numpy(dtype=object) == "bill"
    maturity = _dates(payments["bill_maturity"])
    maturity = np.where(
        np.isnat(maturity), pay_date + policy.bill_default_maturity_days * DAY, maturity
    )
    open_bill = received & bill & (maturity > day)
    unapplied_cash = received & payments["invoice_no"].isna().to_numpy()
    # only unmatured bills and unapplied cash count here: a few payments of the 400,000
    kept = np.flatnonzero(open_bill | unapplied_cash)
    open_bill, unapplied_cash = open_bill[kept], unapplied_cash[kept]
    pay_at = limit_row[register.numbers("customer_id", "payments")[kept]]
    pay_amount = pay_amount[kept]
    # an unapplied payment is in the customer's currency, a bill in its invoice's
    rate = np.append(limits["rate_to_base"].to_numpy(dtype=float), np.nan)[pay_at]
    billed = np.flatnonzero(open_bill)
    # the bills' invoices (items are the invoices' rows, in order)
    invoice_at = _rows_of(
        register, "invoice_no", "invoices", register.numbers("invoice_no", "payments")[kept[billed]]
    )
    item_rate = _take(items["rate_to_base"].to_numpy(dtype=float), invoice_at, np.nan)
    rate[billed] = np.where(invoice_at >= 0, item_rate, rate[billed])
    paid_base = pay_amount * rate
    bills = _sum_by(pay_at, k, paid_base, open_bill)
    unapplied = _sum_by(pay_at, k, paid_base, unapplied_cash)

    orders = register.frame("orders")
    order_at = limit_row[register.numbers("customer_id", "orders")]
    _, order_rate = _currencies(register, "orders", _customer_rows(register, "orders"))
    order_base = _floats(orders["amount"]) * order_rate
    status = orders["status"].to_numpy(dtype=object)
    open_orders = _sum_by(order_at, k, order_base, (status == "open") | pd.isna(status))
    shipped = _sum_by(order_at, k, order_base, status == "shipped")

    exposure = open_invoices + bills + open_orders + shipped - unapplied
    insured = np.nan_to_num(limits["insured_limit_base"].to_numpy(dtype=float), nan=0.0)
    cover = np.nan_to_num(limits["insurance_cover"].to_numpy(dtype=float), nan=0.0)
    covered = cover * np.minimum(np.maximum(exposure, 0.0), insured)
    frame = pd.DataFrame(
        {
            "open_invoices_base": open_invoices,
            "bills_base": bills,
            "orders_base": open_orders,
            "shipped_base": shipped,
            "unapplied_base": unapplied,
            "exposure_base": exposure,
            "overdue_base": overdue,
            "net_exposure_base": exposure - covered,
        },
        index=ids,
    )
    return frame.round(2)


def _kept_customers(register: Register) -> IntArray:
    """The position of each customer's first row on the Customers sheet, in sheet order (a
    repeated ID is the validator's to report; its first row counts)."""
    first = _first_rows(register, "customer_id", "customers")[:-1]
    return np.sort(first[first >= 0])


def limit_rows(register: Register) -> IntArray:
    """Per customer number (``register.ids("customer_id")``), its row in
    :func:`customer_limits`; -1 for a customer not on the Customers sheet, and a last entry -1
    for a blank (number -1)."""
    kept = _kept_customers(register)
    # one spare slot, -1, for the numbers without a row (their first row is -1)
    row_at = np.full(len(register.frame("customers")) + 1, -1, dtype=np.int64)
    row_at[kept] = np.arange(len(kept))
    return np.asarray(row_at[_first_rows(register, "customer_id", "customers")], dtype=np.int64)


def customer_limits(register: Register) -> pd.DataFrame:
    """Each customer's approved and insured limits in the base currency (indexed by
    ``customer_id``; a customer's amounts are in the customer's currency, like every row's), the
    insurance cover as a fraction, and the limit's expiry date."""
    kept = _kept_customers(register)
    customers = register.frame("customers").iloc[kept]
    _, rate = _currencies(register, "customers", np.full(len(kept), -1, dtype=np.int64), kept)
    return pd.DataFrame(
        {
            "approved_limit_base": np.round(_floats(customers["approved_limit"]) * rate, 2),
            "insured_limit_base": np.round(_floats(customers["insured_limit"]) * rate, 2),
            "insurance_cover": _floats(customers["insurance_cover_pct"]) / 100,
            "limit_valid_until": customers["limit_valid_until"].to_numpy(),
            "rate_to_base": rate,
        },
        index=pd.Index(customers["customer_id"].to_numpy(), name="customer_id", dtype="str"),
    )


def ageing(register: Register, policy: Policy, as_of: dt.date, items: pd.DataFrame) -> pd.DataFrame:
    """The Ageing sheet: per customer with a balance, the open amounts in base currency by days
    past due, with the policy's buckets, the overdue share, DSO, the highest collections step
    and the late interest (in base currency). Columns are ``schema.AGEING`` keys.

    Credits the customer holds (credit notes, over-payments) are never *due*: they sit in the
    not-due column and reduce the total. The overdue share and DSO follow :func:`overdue_share`
    and :func:`dso`, the definitions the scorecard, the Dashboard and the review pack use too."""
    edges = np.asarray(policy.ageing.edges, dtype=np.int64)
    bucket_keys = [c.key for c in AGEING.columns[3:10]]
    window = policy.ageing.dso_window_days
    invoice_date = _dates(items["invoice_date"])
    day = _day(as_of)
    recent = (invoice_date <= day) & (invoice_date > day - window * DAY)
    outstanding = np.nan_to_num(items["outstanding_base"].to_numpy(dtype=float), nan=0.0)
    owed = items["outstanding"].to_numpy(dtype=float) > CENT
    # settled invoices of earlier months add nothing to any figure: leave them out before the
    # customers are grouped (a register is mostly such invoices)
    counts = np.flatnonzero((outstanding != 0) | owed | recent)
    outstanding, owed, recent = outstanding[counts], owed[counts], recent[counts]
    # group by the customers' numbers (loading numbered them): no text is hashed here
    numbers = items["_customer"].to_numpy(dtype=np.int64)[counts]
    named = numbers >= 0
    counts, numbers = counts[named], numbers[named]
    outstanding, owed, recent = outstanding[named], owed[named], recent[named]
    numbering = register.ids("customer_id")
    present = np.zeros(numbering.count, dtype=bool)
    present[numbers] = True
    listed = np.flatnonzero(present)
    slot = np.zeros(numbering.count, dtype=np.int64)
    slot[listed] = np.arange(len(listed))
    codes = slot[numbers]
    ids = numbering.values[listed]
    k = len(ids)
    days = items["days_overdue"].to_numpy(dtype=np.int64)[counts]
    # bucket 0 = not due; then 1..edges[0], edges[0]+1..edges[1], ... beyond the last edge
    bucket = np.where(days > 0, np.searchsorted(edges, days, side="left") + 1, 0)
    table = np.zeros((k, len(bucket_keys)))
    np.add.at(table, (codes, bucket), outstanding)
    total = table.sum(axis=1)
    overdue = table[:, 1:].sum(axis=1)

    max_days = np.zeros(k, dtype=np.int64)
    np.maximum.at(max_days, codes, np.where(owed, days, 0))
    level = items["dunning_level"].to_numpy(dtype=float, na_value=-1.0)[counts]
    top_level = np.full(k, -1.0)
    np.maximum.at(top_level, codes, level)
    interest_base = np.nan_to_num(
        items["late_interest"].to_numpy(dtype=float)[counts]
        * items["rate_to_base"].to_numpy(dtype=float)[counts],
        nan=0.0,
    )
    interest = np.bincount(codes, weights=interest_base, minlength=k)
    amount_base = np.nan_to_num(items["amount_base"].to_numpy(dtype=float)[counts][recent])
    revenue = np.bincount(codes[recent], minlength=k, weights=amount_base)
    owed_gross = np.bincount(codes, weights=np.maximum(outstanding, 0.0), minlength=k)
    overdue_pct = overdue_share(overdue, owed_gross.astype(float))
    days_sales = dso(total, revenue.astype(float), window)
    rounded = np.round(table, 2)
    frame = pd.DataFrame({key: rounded[:, j] for j, key in enumerate(bucket_keys)})
    frame.insert(0, "customer_id", pd.Series(ids, dtype="str"))
    customers = register.frame("customers")
    names = customers.drop_duplicates("customer_id").set_index("customer_id")["name"]
    frame.insert(1, "name", names.reindex(frame["customer_id"]).to_numpy())
    frame.insert(2, "as_of", pd.Timestamp(as_of).as_unit("us"))
    frame["total"] = np.round(total, 2)
    frame["overdue"] = np.round(overdue, 2)
    frame["overdue_pct"] = np.round(overdue_pct, 6)  # no float noise (0.9999999999999999)
    frame["max_days_overdue"] = pd.array(max_days, dtype="Int64")
    frame["dso"] = np.round(days_sales, 1)
    frame["dunning_level"] = pd.array(np.where(top_level >= 0, top_level, np.nan), dtype="Int64")
    frame["late_interest"] = np.round(interest, 2)
    has_balance = (np.abs(total) > CENT) | (max_days > 0)
    frame = frame.loc[has_balance].sort_values("customer_id", kind="stable")
    ordered: pd.DataFrame = frame.reset_index(drop=True)[[c.key for c in AGEING.columns]]
    return ordered


def payment_rates(register: Register, items: pd.DataFrame) -> FloatArray:
    """Each payment's rate to base (per valid row of the Payments sheet): its invoice's when
    applied, else its customer's."""
    invoice_at = payment_invoice_rows(register)
    item_rate = np.append(items["rate_to_base"].to_numpy(dtype=float), np.nan)[invoice_at]
    return np.asarray(np.where(invoice_at >= 0, item_rate, _payer_rates(register)), dtype=float)


def _payer_rates(register: Register) -> FloatArray:
    """Each payment's customer's rate to base (NaN for a customer not on the Customers sheet)."""
    customer_rate = customer_limits(register)["rate_to_base"].to_numpy(dtype=float)
    row_of = limit_rows(register)
    return np.asarray(
        np.append(customer_rate, np.nan)[row_of[register.numbers("customer_id", "payments")]],
        dtype=float,
    )


def payments_in_customer_currency(register: Register, items: pd.DataFrame) -> FloatArray:
    """Each payment's amount in its customer's own currency (converted once, through the base
    currency, where the invoice it pays is in another): what a promise to pay, made in the
    customer's currency, is measured against. Where a rate is missing the amount stays as typed
    (the validator reports the missing rate)."""
    amount = register.frame("payments")["amount"].to_numpy(dtype="float64", na_value=np.nan)
    if not amount.size:
        return amount
    with np.errstate(invalid="ignore", divide="ignore"):
        converted = amount * payment_rates(register, items) / _payer_rates(register)
    return np.asarray(np.where(np.isfinite(converted), converted, amount), dtype=float)
