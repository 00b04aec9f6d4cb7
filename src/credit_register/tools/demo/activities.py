"""Open orders and the activity log: calls, visits, collections, promises and legal steps.

Routine contact is drawn for everyone; the log also tells the cast's story (the kept and the
broken promise, the dispute, the defaulter's collection and lawsuit, the customer on hold).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from credit_register.core import schema
from credit_register.documents.letters import letter_number, letter_title
from credit_register.tools.demo.arrays import Array, days_of, numbered, schema_table, weekday_before
from credit_register.tools.demo.cast import (
    BROKEN_PROMISE_AMOUNT,
    BROKEN_PROMISE_INVOICE,
    DEFAULTED,
    DEFAULTED_CUSTOMER,
    HAND_INVOICES,
    KEPT_PROMISE_INVOICE,
)
from credit_register.tools.demo.customers import Book
from credit_register.tools.demo.invoices import Trade
from credit_register.tools.demo.names import ACCOUNT_MANAGERS
from credit_register.tools.demo.size import DemoSize


def orders_table(
    rng: np.random.Generator,
    book: Book,
    monthly_sales_local: Array,
    size: DemoSize,
    as_of: np.datetime64,
) -> pd.DataFrame:
    """The Orders table: open and shipped orders of the last two months."""
    eligible = np.flatnonzero(np.isin(book.status, ["active", "hold"]))
    weight = np.sqrt(book.sales_cny[eligible])
    cust = rng.choice(eligible, size=size.orders, p=weight / weight.sum())
    date = np.maximum(
        weekday_before(as_of - days_of(rng.integers(0, 61, size.orders))), book.since[cust]
    )
    step = np.where(book.currency[cust] == "JPY", 10_000.0, 100.0)
    amount = np.round(monthly_sales_local[cust] * rng.uniform(0.15, 0.6, size.orders) / step) * step
    amount = np.maximum(amount, step)
    status = np.where(rng.random(size.orders) < 0.3, "shipped", "open").astype(object)
    order, order_no = numbered("SO", date, np.zeros(size.orders, bool), cust)
    cust, date, amount, status = cust[order], date[order], amount[order], status[order]
    return schema_table(
        schema.ORDERS,
        {
            "order_no": order_no,
            "customer_id": book.ids[cust],
            "order_date": date,
            "amount": amount,
            "currency": book.currency[cust],
            "status": status,
        },
    )


_SUMMARIES: dict[str, tuple[str, ...]] = {
    "call": (
        "电话沟通下季度订单计划",
        "电话确认对账单无误",
        "电话了解客户近期经营情况",
        "电话确认开票信息变更",
    ),
    "email": ("发送月度对账单", "邮件确认新价格条款", "邮件发送年度框架合同续签文本"),
    "visit": (
        "拜访采购部，了解明年采购计划",
        "拜访财务部，沟通付款流程",
        "拜访总经理，维护合作关系",
    ),
    "site_visit": (
        "实地考察：生产经营正常，开工率较高",
        "实地考察：厂区及库存正常，管理规范",
        "实地考察：新生产线已投产",
    ),
    "collection": ("电话催收逾期货款，客户称正在安排付款", "发送逾期付款提醒函"),
}


def activities_table(
    rng: np.random.Generator, book: Book, trade: Trade, as_of: np.datetime64
) -> pd.DataFrame:
    """The Activities table: routine contact, collections, promises and the cast's story."""
    n = len(book.ids)
    parts: list[dict[str, Array]] = []

    def add(
        cust: Array,
        date: Array,
        kind: Array | str,
        summary: Array | str,
        promise_date: Array | None = None,
        promise_amount: Array | None = None,
        *,
        invoices: str | None = None,
        delivered_on: Array | None = None,
        reference: str | None = None,
    ) -> None:
        k = len(cust)
        parts.append(
            {
                "cust": np.asarray(cust, dtype=np.int64),
                "date": np.asarray(date, dtype="datetime64[D]"),
                "type": np.broadcast_to(np.asarray(kind, dtype=object), (k,)),
                "summary": np.broadcast_to(np.asarray(summary, dtype=object), (k,)),
                "promise_date": (
                    np.full(k, np.datetime64("NaT"), "datetime64[D]")
                    if promise_date is None
                    else promise_date.astype("datetime64[D]")
                ),
                "promise_amount": np.full(k, np.nan) if promise_amount is None else promise_amount,
                "invoices": np.full(k, invoices, dtype=object),
                "delivered_on": (
                    np.full(k, np.datetime64("NaT"), "datetime64[D]")
                    if delivered_on is None
                    else delivered_on.astype("datetime64[D]")
                ),
                "reference": np.full(k, reference, dtype=object),
            }
        )

    def pick(kind: str, k: int) -> Array:
        return rng.choice(np.array(_SUMMARIES[kind], dtype=object), size=k)

    # routine contact over the last year; key accounts get more, and a site visit
    counts = rng.poisson(1.5 + 2.0 * book.key_account)
    cust = np.repeat(np.arange(n), counts)
    k = len(cust)
    kind = rng.choice(
        np.array(["call", "email", "visit"], dtype=object), size=k, p=[0.5, 0.35, 0.15]
    )
    summary = np.select(
        [kind == "call", kind == "email"], [pick("call", k), pick("email", k)], pick("visit", k)
    )
    date = weekday_before(as_of - days_of(rng.integers(0, 365, k)))
    # nobody calls about next quarter's orders once a customer has stopped paying
    routine = np.isnat(book.stop[cust]) | (date < book.stop[cust])
    add(cust[routine], date[routine], kind[routine], summary[routine])
    keys = np.flatnonzero(book.key_account)
    add(
        keys,
        weekday_before(as_of - days_of(rng.integers(20, 300, len(keys)))),
        "site_visit",
        pick("site_visit", len(keys)),
    )
    chase = np.flatnonzero(trade.overdue & (book.behaviour != DEFAULTED))
    add(
        chase,
        weekday_before(as_of - days_of(rng.integers(1, 15, len(chase)))),
        "collection",
        pick("collection", len(chase)),
    )
    # promises to pay before a late payment arrived on the promised day: kept
    late_cust, late_date, late_amount = trade.late_payments
    kept = rng.random(len(late_cust)) < 0.08
    add(
        late_cust[kept],
        weekday_before(late_date[kept] - days_of(rng.integers(5, 15, kept.sum()))),
        "promise",
        "客户承诺按约定日期付款",
        late_date[kept],
        late_amount[kept],
    )

    # the cast's story
    def on(days_before: int) -> Array:
        return np.array([as_of - np.timedelta64(days_before, "D")])

    kept_c, broken_c, disputed_c = (np.array([h.customer]) for h in HAND_INVOICES)
    # a demand that reached the debtor (registered mail, receipt on file): it restarts the
    # limitation of the invoice it names
    add(
        kept_c,
        on(67),
        "collection",
        "寄送催款函，催收5月发票逾期款项",
        invoices=KEPT_PROMISE_INVOICE,
        delivered_on=on(65),
        reference="EMS 1190 2261 3CN",
    )
    add(
        kept_c,
        on(64),
        "promise",
        "客户承诺9月15日前付清5月发票",
        on(46),
        np.array([HAND_INVOICES[0].amount]),
    )
    # the promise covers the whole overdue balance, well above the routine payments the slow
    # payer keeps making on older invoices, so it is broken however those are counted
    add(
        broken_c,
        on(22),
        "promise",
        "客户承诺10月21日前付清6月发票及全部逾期款项",
        on(10),
        np.array([BROKEN_PROMISE_AMOUNT]),
    )
    # a demand letter for the June invoice, signed for by the customer: delivered
    add(
        broken_c,
        on(30),
        "collection",
        "寄送催款函，催收6月发票逾期款项（挂号信已签收）",
        invoices=BROKEN_PROMISE_INVOICE,
        delivered_on=on(27),
        reference="EMS 1190 4471 6CN",
    )
    # a demand sent but not proven delivered: it restarts nothing
    add(broken_c, on(3), "collection", "承诺付款日已过，款项仍未到账，再次寄送催款函（未获回执）")
    # a signed reconciliation statement: the debtor acknowledges everything it owed that day
    add(
        np.array([0]),
        on(31),
        "reconciliation",
        "第三季度对账函已签章寄回，确认9月30日应收余额无误",
        reference="对账函 2026Q3-001",
    )
    add(disputed_c, on(40), "call", "客户反映8月批次部分产品规格不符，对该发票提出异议，暂缓付款")
    defaulted = np.flatnonzero(book.behaviour == DEFAULTED)
    stop, default_date = book.stop[defaulted], book.default_date[defaulted]
    add(defaulted, weekday_before(stop + days_of(20)), "collection", "电话催收，客户称资金紧张")
    add(defaulted, weekday_before(stop + days_of(50)), "collection", "上门催收未果，暂停发货")
    add(
        defaulted,
        weekday_before(default_date - days_of(20)),
        "legal",
        "发送律师函",
        delivered_on=weekday_before(default_date - days_of(17)),
        reference="EMS 1187 5530 9CN",
    )
    add(defaulted, default_date, "legal", "向法院提起诉讼并申请财产保全")
    # before the lawyer's letter, our own final demand to the cast's defaulter, logged with its
    # number and the invoices it claimed, delivered by registered mail: the hand-over pack for
    # counsel finds the letter by its number
    sued = np.flatnonzero(book.ids == DEFAULTED_CUSTOMER)
    if len(sued):
        day, named = _final_demand(trade, DEFAULTED_CUSTOMER, as_of)
        number = letter_number(DEFAULTED_CUSTOMER, day.astype(object), 3)
        add(
            sued,
            np.array([day]),
            "collection",
            f"{letter_title(3, 'zh')} {number}：{len(named)}张发票，挂号信寄送",
            invoices=";".join(named),
            delivered_on=weekday_before(np.array([day + np.timedelta64(3, "D")])),
            reference="EMS 1186 0427 5CN",
        )
    held = np.flatnonzero(book.status == "hold")
    add(
        held,
        weekday_before(as_of - days_of(np.full(len(held), 20))),
        "call",
        "逾期严重，通知客户暂停发货（冻结）",
    )

    cust = np.concatenate([p["cust"] for p in parts])
    date = np.concatenate([p["date"] for p in parts])
    date = np.minimum(np.maximum(date, book.since[cust]), as_of)
    manager = np.array([m[0] for m in ACCOUNT_MANAGERS], dtype=object)[book.manager[cust]]
    legal = np.concatenate([p["type"] for p in parts]) == "legal"
    by = np.where(legal, "法务部", manager)
    return schema_table(
        schema.ACTIVITIES,
        {
            "date": date,
            "customer_id": book.ids[cust],
            "type": np.concatenate([p["type"] for p in parts]),
            "summary": np.concatenate([p["summary"] for p in parts]),
            "invoices": np.concatenate([p["invoices"] for p in parts]),
            "delivered_on": np.concatenate([p["delivered_on"] for p in parts]),
            "reference": np.concatenate([p["reference"] for p in parts]),
            "promise_date": np.concatenate([p["promise_date"] for p in parts]),
            "promise_amount": np.concatenate([p["promise_amount"] for p in parts]),
            "by": by,
        },
        order=np.lexsort((cust, date.astype(np.int64))),
    )


def _final_demand(
    trade: Trade, customer_id: str, as_of: np.datetime64
) -> tuple[np.datetime64, list[str]]:
    """The day of a final demand (step 3, 75 days after the oldest invoice still unpaid at the
    as-of date fell due) and the invoices overdue and unpaid that day, which it claims."""
    invoices = trade.invoices.loc[trade.invoices["customer_id"] == customer_id]
    payments = trade.payments
    due = invoices["due_date"].to_numpy(dtype="datetime64[D]")
    amount = invoices["amount"].to_numpy(dtype=float)

    def unpaid_on(day: np.datetime64) -> np.ndarray:
        paid = payments.loc[payments["payment_date"].to_numpy(dtype="datetime64[D]") <= day]
        by_invoice = paid.groupby("invoice_no")["amount"].sum()
        settled = invoices["invoice_no"].map(by_invoice).fillna(0.0).to_numpy(dtype=float)
        return np.asarray(amount - settled > 0.005)

    oldest = due[unpaid_on(as_of)].min()
    day = weekday_before(np.array([oldest + np.timedelta64(75, "D")]))[0]
    claimed = unpaid_on(day) & (due < day)
    return day, [str(n) for n in invoices["invoice_no"].to_numpy()[claimed]]
