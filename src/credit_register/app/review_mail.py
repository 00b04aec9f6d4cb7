"""The review pack's e-mail: who reads it, who already has this month's, and the send log.

Readers are the Policy's distribution list, then the account managers of the customers the pack
names, each a working address by ``core.addresses`` (the rule validation checks). Without
``send`` every message waits as a file in the outbox, so a credit manager can check what would go
out before anything does; with ``send`` each goes through the ``Mailer`` the door handed in. What
was delivered is logged as History rows (the register's audit trail), and a second send of the
same month skips those who already have it unless forced: a scheduled job that runs twice must
not mail the board twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from credit_register.core import addresses
from credit_register.core.port import CellValue, Changes, Mailer, OutgoingMail, SendReport
from credit_register.core.schema import HISTORY, Language, normalise_label
from credit_register.core.text import pick
from credit_register.documents.review import review_context
from credit_register.engines.results import Results

#: the History ``action`` of a delivered review pack, per language
SEND_ACTION = ("发送月度评审包", "send review pack")
#: the History ``field`` naming what the row is about
MONTH_FIELD = ("月份", "month")


def already_sent(history: pd.DataFrame, month: str) -> set[str]:
    """Recipients (case-folded) whose delivery of ``month``'s pack History records."""
    if history.empty:
        return set()
    actions = {normalise_label(a) for a in SEND_ACTION}
    mine = history["action"].fillna("").astype(str).map(normalise_label).isin(actions)
    month_rows = history["new"].astype(str).str.strip() == month
    return {str(r).strip().casefold() for r in history.loc[mine & month_rows, "reason"].dropna()}


def send_log_rows(
    delivered: Sequence[str], month: str, *, user: str, when: dt.datetime, lang: Language
) -> list[list[CellValue]]:
    """History rows (``schema.HISTORY`` order) for each delivered pack: the send log."""
    action = pick(lang, *SEND_ACTION)
    month_field = pick(lang, *MONTH_FIELD)
    stamp = when.replace(microsecond=0)
    return [[stamp, user, action, None, month_field, None, month, address] for address in delivered]


def review_recipients(results: Results, month: str) -> list[str]:
    """The Policy's distribution list, then the account managers of the customers the pack
    names (top exposures, overdue, alerts, reviews due, limits expiring)."""
    customers = results.register.frame("customers")
    named: set[str] = set()
    context = review_context(results, month)
    for key in ("top_exposures", "overdue_list", "due_for_review", "limits_expiring"):
        named.update(str(r["customer_id"]) for r in context[key])
    alerts = results.alerts
    if len(alerts):
        named.update(
            alerts.loc[~alerts["status"].isin(("closed", "resolved")), "customer_id"].astype(str)
        )
    managers = customers.loc[customers["customer_id"].isin(named), "manager_email"]
    return addresses.recipients([*results.policy.reviews.distribution, *managers.tolist()])


def send_review(
    results: Results,
    month: str,
    pack: Sequence[Path],
    *,
    send: bool,
    force: bool,
    outbox: Path,
    mailer: Mailer,
    user: str = "credit-register",
    when: dt.datetime | None = None,
    record: Callable[[list[list[CellValue]]], None] | None = None,
) -> tuple[SendReport, Changes]:
    """E-mail the pack (one message per recipient). Without ``send``: ``.eml`` files in
    ``outbox``. With ``send``: through ``mailer``; recipients History shows as already served
    this month are skipped unless ``force``; each delivery is a History row, handed to
    ``record`` the moment it happens (so that a write failing later cannot make a retry send it
    again), else returned in the ``Changes``."""
    lang = results.register.lang
    subject = pick(lang, f"月度信用评审报告 {month}", f"Monthly credit review {month}")
    body = (
        f"您好：\n\n附件为 {month} 月度信用评审报告"
        f"（数据截至 {results.as_of:%Y-%m-%d}），请审阅。\n\n此邮件由客户资信管理系统发送。\n"
        if lang == "zh"
        else f"Hello,\n\nAttached is the monthly credit review for {month} (data as of "
        f"{results.as_of:%Y-%m-%d}) for your review.\n\nSent by the Credit Register.\n"
    )
    report = SendReport()
    wanted = review_recipients(results, month)
    if send and not force:
        done = already_sent(results.register.frame(HISTORY.key), month)
        report.skipped = [r for r in wanted if r.casefold() in done]
        wanted = [r for r in wanted if r.casefold() not in done]
    mails = [OutgoingMail(r, subject, body, tuple(pack)) for r in wanted]
    if not send:
        report.written = mailer.write(mails, outbox, f"review_{month}")
        return report, Changes()

    def log_rows(delivered: Sequence[str]) -> list[list[CellValue]]:
        return send_log_rows(delivered, month, user=user, when=when or dt.datetime.now(), lang=lang)

    on_sent = None if record is None else (lambda address: record(log_rows([address])))
    delivered = mailer.send(mails, on_sent)
    report.sent, report.failed = delivered.sent, delivered.failed
    rows = [] if record is not None else log_rows(report.sent)
    return report, Changes(append={HISTORY.key: rows} if rows else {})
