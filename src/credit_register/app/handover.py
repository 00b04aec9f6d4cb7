"""移交律师: the hand-over pack for counsel, one folder per customer (policy §5).

``handover_pack`` writes ``handover_<customer>_<date>/`` in the documents folder: ``00_index``
(every file and what it is), ``01_cover_memo`` (parties, contracts, the claim per invoice with
interest to date and limitation expiry, demands with their delivery, acknowledgements,
disputes, security) and ``letters/``: each letter of ours that Activities logs as sent, copied
from the documents folder, or — when the file is gone — rebuilt from the register as it stood
on the letter's date and named ``…_copy`` (the index says so: counsel files the signed
original). The memo and index are internal documents; PDFs are made when asked.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from credit_register.app.document_actions import letter_path
from credit_register.core.port import PdfConverter
from credit_register.documents import handover, letters
from credit_register.documents.handover import Enclosure, SentLetter
from credit_register.documents.rendering import render, template_path
from credit_register.engines import receivables
from credit_register.engines.results import Results


def pack_folder(out_dir: Path, customer_id: str, as_of: dt.date) -> Path:
    return out_dir / f"handover_{customer_id}_{as_of:%Y%m%d}"


def _letter_file(
    results: Results, sent: SentLetter, customer_id: str, documents: Path, folder: Path
) -> Enclosure:
    """The letter in the pack: its file copied, else a copy rebuilt; the index entry for it."""
    folder.mkdir(parents=True, exist_ok=True)
    original = letter_path(documents, customer_id, sent.day, sent.step)
    delivered_zh = (
        f"{sent.delivered_on}送达，{sent.reference or '无单号'}"
        if sent.delivered_on
        else "无送达记录"
    )
    delivered_en = (
        f"delivered {sent.delivered_on}, {sent.reference or 'no reference'}"
        if sent.delivered_on
        else "no recorded delivery"
    )
    what = (f"催收函 {sent.number}", f"letter {sent.number}")
    if original.exists():
        shutil.copy2(original, folder / original.name)
        for pdf in (original.with_suffix(".pdf"),):
            if pdf.exists():
                shutil.copy2(pdf, folder / pdf.name)
        return Enclosure(
            f"letters/{original.name}",
            *what,
            f"寄出文件副本；{delivered_zh}",
            f"the file sent; {delivered_en}",
        )
    register, policy = results.register, results.policy
    items_then = receivables.open_items(register, policy, sent.day)
    rebuilt = letters.letter_as_sent(
        register, policy, items_then, customer_id, sent.number, sent.invoices or None
    )
    if rebuilt is None:
        return Enclosure(
            "—",
            *what,
            f"文件未找到，请附寄出件；{delivered_zh}",
            f"file not found: attach the letter sent; {delivered_en}",
        )
    name = original.with_name(original.stem + "_copy.docx").name
    render(template_path("letter", rebuilt.lang), rebuilt.context, folder / name)
    return Enclosure(
        f"letters/{name}",
        *what,
        f"原文件未找到：据登记簿重建的副本，请附签章原件；{delivered_zh}",
        f"the file was not found: a copy rebuilt from the register; attach the signed original; "
        f"{delivered_en}",
    )


def handover_pack(
    results: Results,
    customer_id: str,
    *,
    out_dir: Path,
    documents: Path | None = None,
    pdf: PdfConverter | None = None,
    prepared_by: str = "",
) -> list[Path]:
    """The pack for one customer in ``out_dir`` (letters looked up in ``documents``, default
    ``out_dir``); the paths written, the index first."""
    folder = pack_folder(out_dir, customer_id, results.as_of)
    folder.mkdir(parents=True, exist_ok=True)
    lang = results.register.lang
    enclosures = [
        Enclosure("00_index.docx", "目录", "index"),
        Enclosure("01_cover_memo.docx", "案件备忘录", "cover memo"),
    ]
    for sent in handover.sent_letters(results, customer_id):
        enclosures.append(
            _letter_file(results, sent, customer_id, documents or out_dir, folder / "letters")
        )
    memo = render(
        template_path("handover_memo", lang),
        handover.memo_context(results, customer_id, enclosures, prepared_by),
        folder / "01_cover_memo.docx",
    )
    index = render(
        template_path("handover_index", lang),
        handover.index_context(results, customer_id, enclosures),
        folder / "00_index.docx",
    )
    written = [index, memo, *sorted((folder / "letters").glob("*"))]
    if pdf is not None:
        written += pdf([index, memo])
    return written
