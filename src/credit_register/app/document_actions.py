"""The document buttons: contract drafts, credit reports, collection letters and the review pack,
each from one ``Results``.

These are the use cases ``actions.py`` and the command line call after a run (so the documents
show the figures the sheets show). They write files and return what the register must record:
a letter written is an Activities row naming the invoices it claims; it becomes evidence of a
demand (which restarts limitation, 民法典 第一百九十五条) only once its delivery is recorded, by
the user or by ``delivered`` (``letters --delivered``). The hand-over pack for counsel is
``handover``'s. PDFs are made by the ``PdfConverter`` the door hands in (``pdf``; none: Word
only). Nothing here raises for user data; a missing LibreOffice is an environment problem, which
the converter reports (``PdfError``). The pack's e-mail is ``review_mail``'s.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from credit_register.core.port import CellValue, Changes, PdfConverter
from credit_register.core.schema import ACTIVITIES, ACTIVITY_TYPE, Language
from credit_register.documents import charts, letters
from credit_register.documents.context import Context
from credit_register.documents.contract import (
    contract_template_language,
    draft_context,
    draft_terms,
)
from credit_register.documents.contract_note import contract_note_context
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


def _with_pdf(paths: list[Path], pdf: PdfConverter | None) -> list[Path]:
    return [*paths, *pdf(paths)] if pdf is not None and paths else paths


def contract_docs(
    results: Results,
    customer_ids: Sequence[str],
    *,
    amount: float | None,
    out_dir: Path,
    pdf: PdfConverter | None = None,
    penalty_daily: float | None = None,
) -> list[Path]:
    """合同草稿: per customer, the buyer's draft (in the buyer's language: Chinese, English or
    both side by side) and its internal review note, .docx (and .pdf)."""
    lang = results.register.lang
    day = f"{results.as_of:%Y%m%d}"
    paths: list[Path] = []
    for cid in customer_ids:
        draft = draft_terms(results, cid, amount=amount, penalty_daily=penalty_daily)
        paths.append(
            render(
                template_path("contract", contract_template_language(draft)),
                draft_context(results, draft),
                out_dir / _file_name("contract", cid, day),
            )
        )
        paths.append(
            render(
                template_path("contract_note", lang),
                contract_note_context(results, cid, amount=amount, penalty_daily=penalty_daily),
                out_dir / _file_name("contract_note", cid, day),
            )
        )
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
    pdf: PdfConverter | None = None,
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
    charts.chart_lang(data.lang)  # a missing CJK font is told here once, not by every worker
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
    day: dt.date, customer_id: str, summary: str, invoices: Sequence[str], user: str, lang: Language
) -> list[CellValue]:
    collection = next(c for c in ACTIVITY_TYPE if c.key == "collection")
    # a generated letter is not yet a demand that reached the debtor: delivered_on and the
    # reference stay blank until the user records the receipt (only then does it count)
    values: dict[str, CellValue] = {
        "date": day,
        "customer_id": customer_id,
        "type": collection.label(lang),
        "summary": summary,
        "invoices": ";".join(invoices),
        "by": user,
    }
    return [values.get(c.key) for c in ACTIVITIES.columns]


def letter_path(out_dir: Path, customer_id: str, day: dt.date, step: int) -> Path:
    """Where a letter is written, and where the hand-over pack looks for it."""
    return out_dir / _file_name("letter", f"step{step}", customer_id, f"{day:%Y%m%d}")


def letters_due(
    results: Results, *, out_dir: Path, user: str, when: dt.date | dt.datetime
) -> tuple[list[Path], Changes]:
    """催收函: the letters due at the results' as-of date, and one Activities row per letter
    (type collection, naming the letter and the invoices it claims)."""
    lang = results.register.lang
    day = when.date() if isinstance(when, dt.datetime) else when
    paths: list[Path] = []
    rows: list[list[CellValue]] = []
    for letter in letters.letters_due(results, day):
        path = letter_path(out_dir, letter.customer_id, day, letter.step)
        paths.append(render(template_path("letter", letter.lang), letter.context, path))
        rows.append(
            _activity_row(day, letter.customer_id, letter.summary, letter.invoices, user, lang)
        )
    return paths, Changes(append={"activities": rows} if rows else {})


def review_pack(
    results: Results, month: str, *, out_dir: Path, pdf: PdfConverter | None = None
) -> Path:
    """月度评审包: the review pack for ``month`` (YYYY-MM); its PDF made by ``pdf`` when given."""
    lang = results.register.lang
    context: Context = review_context(results, month)
    path = render(
        template_path("review_pack", lang),
        context,
        out_dir / _file_name("review_pack", month),
    )
    return pdf([path])[0] if pdf is not None else path
