"""The document buttons: contract drafts, credit reports, collection letters, the review pack and
its e-mail, each from one ``Results``.

These are the use cases ``actions.py`` and the command line call after a run (so the documents
show the figures the sheets show). They write files and return what the register must record:
a letter sent is an Activities row (the evidence of demand that restarts limitation, 民法典
第一百九十五条), a pack delivered is a History row (the send log). Nothing here raises for user
data; missing LibreOffice or an unreachable SMTP server are environment problems, reported as
``PdfError`` or in the ``SendReport``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from credit_register.adapters import mail
from credit_register.adapters.pdf import to_pdf
from credit_register.core import addresses
from credit_register.core.port import CellValue, Changes
from credit_register.core.schema import ACTIVITY_TYPE, HISTORY, Language
from credit_register.documents import letters
from credit_register.documents.context import Context
from credit_register.documents.contract import contract_context
from credit_register.documents.rendering import render, template_path
from credit_register.documents.report import ReportData, report_contexts
from credit_register.documents.review import review_context
from credit_register.engines.results import Results

#: below this many reports a process pool costs more than it saves
POOL_THRESHOLD = 40
#: reports per task sent to a pool worker: small enough to share the work evenly at the end,
#: large enough that handing out tasks costs nothing next to drawing them
POOL_BATCH = 20


def _file_name(*parts: str) -> str:
    return "_".join(p.replace("/", "-").replace("\\", "-") for p in parts if p) + ".docx"


def _with_pdf(paths: list[Path], pdf: bool) -> list[Path]:
    return [*paths, *to_pdf(paths)] if pdf and paths else paths


def contract_docs(
    results: Results,
    customer_ids: Sequence[str],
    *,
    amount: float | None,
    out_dir: Path,
    pdf: bool = False,
    penalty_daily: float | None = None,
) -> list[Path]:
    """合同草稿: one draft per customer (its grade's payment clauses), .docx (and .pdf)."""
    lang = results.register.lang
    template = template_path("contract", lang)
    paths = [
        render(
            template,
            contract_context(results, cid, amount=amount, penalty_daily=penalty_daily),
            out_dir / _file_name("contract", cid, f"{results.as_of:%Y%m%d}"),
        )
        for cid in customer_ids
    ]
    return _with_pdf(paths, pdf)


def _report_path(out_dir: Path, customer_id: str, as_of: dt.date) -> Path:
    return out_dir / _file_name("credit_report", customer_id, f"{as_of:%Y%m%d}")


def _render_reports(data: ReportData, customer_ids: Sequence[str], out_dir: Path) -> list[Path]:
    template = template_path("credit_report", data.lang)
    return [
        render(template, context, _report_path(out_dir, cid, data.as_of))
        for cid, context in report_contexts(data, customer_ids)
    ]


#: a pool worker's reports data, given once when the worker starts (not with every task)
_WORKER_DATA: ReportData | None = None


def _start_worker(data: ReportData) -> None:
    global _WORKER_DATA
    _WORKER_DATA = data


def _render_in_worker(customer_ids: Sequence[str], out_dir: Path) -> list[Path]:
    assert _WORKER_DATA is not None, "the pool's initializer gives each worker its data"
    return _render_reports(_WORKER_DATA, customer_ids, out_dir)


def report_docs(
    results: Results,
    customer_ids: Sequence[str],
    *,
    out_dir: Path,
    pdf: bool = False,
    workers: int | None = None,
) -> list[Path]:
    """信用报告: one credit report per customer, with charts.

    Many reports are drawn in a pool of processes (``workers``, default: the CPU count). The
    figures they need are cut from the ``Results`` once, for these customers only, and handed to
    each worker when it starts (a few megabytes, where the whole ``Results`` is hundreds); the
    customers then go out in small batches, so a worker slowed by something else on the
    machine does not leave the others idle at the end."""
    ids = list(dict.fromkeys(customer_ids))
    data = ReportData(results, ids)
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(ids) < POOL_THRESHOLD:
        return _with_pdf(_render_reports(data, ids, out_dir), pdf)
    size = min(POOL_BATCH, -(-len(ids) // workers))  # a few customers: one batch per worker
    batches = [ids[n : n + size] for n in range(0, len(ids), size)]
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_start_worker, initargs=(data,)
    ) as pool:
        done = pool.map(_render_in_worker, batches, [out_dir] * len(batches))
        paths = [path for batch in done for path in batch]  # map keeps the order asked
    return _with_pdf(paths, pdf)


def _activity_row(
    day: dt.date, customer_id: str, summary: str, user: str, lang: Language
) -> list[CellValue]:
    collection = next(c for c in ACTIVITY_TYPE if c.key == "collection")
    # ACTIVITIES order: date, customer_id, type, summary, promise_date, promise_amount, by
    return [day, customer_id, collection.label(lang), summary, None, None, user]


def letters_due(
    results: Results, *, out_dir: Path, user: str, when: dt.date | dt.datetime
) -> tuple[list[Path], Changes]:
    """催收函: the letters due at the results' as-of date, and one Activities row per letter
    (type collection, naming the letter and its invoices)."""
    lang = results.register.lang
    day = when.date() if isinstance(when, dt.datetime) else when
    template = template_path("letter", lang)
    paths: list[Path] = []
    rows: list[list[CellValue]] = []
    for letter in letters.letters_due(results, day):
        name = _file_name("letter", f"step{letter.step}", letter.customer_id, f"{day:%Y%m%d}")
        paths.append(render(template, letter.context, out_dir / name))
        rows.append(_activity_row(day, letter.customer_id, letter.summary, user, lang))
    return paths, Changes(append={"activities": rows} if rows else {})


def review_pack(results: Results, month: str, *, out_dir: Path, pdf: bool = False) -> Path:
    """月度评审包: the review pack for ``month`` (YYYY-MM); the PDF when ``pdf``."""
    lang = results.register.lang
    context: Context = review_context(results, month)
    path = render(
        template_path("review_pack", lang),
        context,
        out_dir / _file_name("review_pack", month),
    )
    return to_pdf([path])[0] if pdf else path


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
    settings: mail.SmtpSettings,
    user: str = "credit-register",
    when: dt.datetime | None = None,
) -> tuple[mail.SendReport, Changes]:
    """E-mail the pack (one message per recipient). Without ``send``: ``.eml`` files in
    ``outbox``. With ``send``: SMTP; recipients History shows as already served this month are
    skipped unless ``force``; each delivery is a History row in the returned ``Changes``."""
    lang = results.register.lang
    subject = f"月度信用评审报告 {month}" if lang == "zh" else f"Monthly credit review {month}"
    body = (
        f"您好：\n\n附件为 {month} 月度信用评审报告"
        f"（数据截至 {results.as_of:%Y-%m-%d}），请审阅。\n\n此邮件由客户资信管理系统发送。\n"
        if lang == "zh"
        else f"Hello,\n\nAttached is the monthly credit review for {month} (data as of "
        f"{results.as_of:%Y-%m-%d}) for your review.\n\nSent by the Credit Register.\n"
    )
    report = mail.SendReport()
    wanted = review_recipients(results, month)
    if send and not force:
        done = mail.already_sent(results.register.frame(HISTORY.key), month)
        report.skipped = [r for r in wanted if r.casefold() in done]
        wanted = [r for r in wanted if r.casefold() not in done]
    messages = [
        mail.build_message(
            sender=settings.sender, recipient=r, subject=subject, body=body, attachments=pack
        )
        for r in wanted
    ]
    if not send:
        report.written = mail.write_outbox(messages, outbox, f"review_{month}")
        return report, Changes()
    delivered = mail.send_messages(messages, settings)
    report.sent, report.failed = delivered.sent, delivered.failed
    rows = mail.send_log_rows(
        report.sent, month, user=user, when=when or dt.datetime.now(), lang=lang
    )
    return report, Changes(append={HISTORY.key: rows} if rows else {})
