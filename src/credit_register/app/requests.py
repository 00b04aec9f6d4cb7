"""What a button press asks and what it answers: ``ActionRequest`` and ``ActionResult``, the exit
codes, and reading the request from the Dashboard and the user's selection.

A door builds the request (the command line from its options, Excel and the add-in from the
Dashboard's cells and the selected rows) and shows the result; the use cases never read a door.
Also here: whom the demo's monthly cycle writes documents for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from credit_register.app.pipeline import current_user, load_register
from credit_register.core import dashboard
from credit_register.core.cells import split_ref
from credit_register.core.issues import Issue
from credit_register.core.port import RawSheet, Selection, WorkbookPort, read_stream
from credit_register.core.schema import (
    CUSTOMERS,
    GRADES,
    RATINGS,
    Language,
    sheet_for_name,
    tab_for,
)
from credit_register.core.text import glossed
from credit_register.engines.order_check import OrderDecision, Payment, payment_for

if TYPE_CHECKING:
    from credit_register.app.importing import ImportOptions

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_FAILED = 2
EXIT_HOLD = 3


@dataclass
class ActionRequest:
    action: str
    customer_ids: list[str] = field(default_factory=list)
    amount: float | None = None
    currency: str | None = None
    as_of: dt.date | None = None
    reason: str | None = None
    user: str | None = None
    #: approve: the limit to approve (the customer's currency); None = the proposed limit
    limit: float | None = None
    #: check_order: release a held order (needs ``reason``)
    override: bool = False
    #: check_order: how the order is paid (``prepaid`` and ``lc`` carry no credit risk)
    payment: Payment = "credit"
    #: calibrate: replace the live Policy with the fitted one
    apply: bool = False
    #: documents: where to write them (default: ``documents`` beside the workbook)
    out_dir: Path | None = None
    #: documents: also convert to PDF through LibreOffice
    pdf: bool = False
    #: review: the month of the pack, ``YYYY-MM`` (default: the as-of date's month)
    month: str | None = None
    #: review: send by SMTP (else .eml files in the outbox); ``force``: send a month again
    send: bool = False
    force: bool = False
    #: contract: the agreed late-payment penalty per day (0.0005 = 0.05 %); None = the Policy's
    penalty_daily: float | None = None
    #: letters: record the latest batch as delivered on this day, with this receipt/mail number
    delivered: dt.date | None = None
    reference: str | None = None
    #: import: the export the door read (the file the user chose) and how to bring it in
    importing: ImportOptions | None = None


@dataclass
class ActionResult:
    ok: bool
    message: str
    issues: list[Issue] = field(default_factory=list)
    exit_code: int = EXIT_OK
    documents: list[Path] = field(default_factory=list)
    #: the workbook's language, for printing the issues
    lang: Language = "zh"
    #: the order check's answer, for the command line
    decision: OrderDecision | None = None


def refused(lang: Language, zh: str, en: str) -> ActionResult:
    """An action that could not run, saying why in the workbook's language."""
    return ActionResult(ok=False, message=glossed(lang, zh, en), exit_code=EXIT_FAILED, lang=lang)


def _find_sheet(raw: dict[str, RawSheet], key: str) -> RawSheet | None:
    name = tab_for(raw, key)
    return None if name is None else raw[name]


def _cell_value(sheet: RawSheet | None, cell: str) -> object:
    if sheet is None:
        return None
    col, row = split_ref(cell)
    row -= 1  # 0-based, as in ``rows``
    if row < len(sheet.rows) and col < len(sheet.rows[row]):
        return sheet.rows[row][col]
    return None


def _as_id(value: object) -> str:
    """A customer id as typed: Excel hands a typed ``1001`` back as ``1001.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _selected_customers(raw: dict[str, RawSheet], selection: Selection | None) -> list[str]:
    """Customer ids on the selected rows of any sheet that has a customer-id column."""
    if selection is None or selection.sheet not in raw:
        return []
    sheet = raw[selection.sheet]
    schema_sheet = sheet_for_name(selection.sheet)
    if schema_sheet is None or not sheet.rows:
        return []
    matched = [schema_sheet.match_header(h) for h in sheet.rows[0]]
    position = next(
        (i for i, c in enumerate(matched) if c is not None and c.key == "customer_id"), None
    )
    if position is None:
        return []
    ids = []
    for row in selection.rows:
        if 2 <= row <= len(sheet.rows) and position < len(sheet.rows[row - 1]):
            value = sheet.rows[row - 1][position]
            if value not in (None, ""):
                ids.append(_as_id(value))
    return list(dict.fromkeys(ids))


def request_from_dashboard(
    raw: dict[str, RawSheet], action: str, selection: Selection | None
) -> ActionRequest:
    """The request a button press means: the selected customers (else the Dashboard's customer
    cell), the order typed on the Dashboard, and the as-of date cell."""
    board = _find_sheet(raw, "dashboard")
    customers = _selected_customers(raw, selection)
    typed = _cell_value(board, dashboard.CUSTOMER.cell)
    if not customers and typed not in (None, ""):
        customers = [_as_id(typed)]
    amount = _cell_value(board, dashboard.ORDER_AMOUNT.cell)
    currency = _cell_value(board, dashboard.ORDER_CURRENCY.cell)
    payment = payment_for(_cell_value(board, dashboard.ORDER_PAYMENT.cell))
    # an order is checked at today's date: the Dashboard's as-of date is for reporting
    as_of = None if action == "check_order" else _cell_value(board, dashboard.AS_OF.cell)
    reason = _cell_value(board, dashboard.REASON.cell)
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    return ActionRequest(
        action=action,
        customer_ids=customers,
        amount=float(amount)
        if isinstance(amount, int | float) and not isinstance(amount, bool)
        else None,
        currency=str(currency).strip().upper() if currency not in (None, "") else None,
        payment=payment,
        as_of=as_of if isinstance(as_of, dt.date) else None,
        reason=str(reason).strip() if reason not in (None, "") else None,
        user=current_user(),
    )


@dataclass
class DemoPicks:
    """Whom the demo's monthly cycle writes documents for."""

    #: (customer, annual contract amount, agreed daily penalty or None): the best grade, a
    #: middle one and the worst
    contracts: list[tuple[str, float | None, float | None]]
    #: the five largest exposures
    reports: list[str]
    #: the customers in litigation (their hand-over packs for counsel)
    handover: list[str] = field(default_factory=list)


def demo_picks(port: WorkbookPort) -> DemoPicks:
    """Three customers of different grades for contract drafts (the middle one with a 0.05 % a
    day penalty, which the review note warns is above the reasonableness bound), and a foreign
    buyer whose row sets its own contract terms when there is one; the five largest exposures
    for credit reports, read from the Ratings sheet the run just wrote; and the customers in
    litigation, for the hand-over pack."""
    loaded = load_register(read_stream(port), port.label, today=dt.date.today())
    ratings = loaded.register.tables[RATINGS.key].frame
    order = {g: i for i, g in enumerate(GRADES)}
    graded = ratings.assign(rank=ratings["grade"].map(order)).dropna(subset=["rank"])
    graded = graded.sort_values(["rank", "customer_id"])
    best, worst = graded.iloc[0], graded.iloc[-1]
    middle = graded.loc[~graded["grade"].isin([best["grade"], worst["grade"]])]
    chosen = [best, middle.iloc[len(middle) // 2] if len(middle) else best, worst]
    customers = loaded.register.frame(CUSTOMERS.key).set_index("customer_id")
    sales = pd.to_numeric(customers["expected_monthly_sales"], errors="coerce")
    contracts: list[tuple[str, float | None, float | None]] = []
    own_terms: set[str] = (
        {str(c) for c in customers.index[customers["forum"].notna()]}
        if "forum" in customers
        else set()
    )
    extra = [r for _, r in graded.iterrows() if r["customer_id"] in own_terms][:1]
    for i, row in enumerate([*chosen, *extra]):
        customer = str(row["customer_id"])
        # a framework contract for a year's expected sales, rounded to thousands
        yearly = sales.get(customer)
        amount = round(float(yearly) * 12, -3) if yearly is not None and yearly == yearly else None
        contracts.append((customer, amount, 0.0005 if i == 1 else None))
    largest = ratings.sort_values("exposure", ascending=False)["customer_id"].head(5)
    in_court = customers.index[customers["status"] == "legal"]
    return DemoPicks(
        contracts=contracts,
        reports=[str(c) for c in largest],
        handover=[str(c) for c in in_court],
    )
