"""Word documents to PDF through LibreOffice, headless.

Letters and review packs are sent as PDF so they print the same everywhere and cannot be edited
by accident. LibreOffice is the one free converter that renders Word layout (tables, fields,
East Asian fonts) faithfully; it is a system package (``scripts/system-deps.sh``), found on PATH
as ``soffice`` (or ``libreoffice``). When it is missing the caller gets a ``PdfError`` saying so
in both languages; the .docx files are still there.

Each conversion runs with its own throw-away LibreOffice profile (``-env:UserInstallation``):
two conversions sharing the user's profile block each other or fail silently, which matters when
a test run, a scheduled job and the add-in's server convert at the same time. Several documents
go to one ``soffice`` process, since starting LibreOffice costs far more than converting a page.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

#: seconds one ``soffice`` run may take before it is stopped (first start builds a profile)
DEFAULT_TIMEOUT = 180.0


class PdfError(Exception):
    """PDF conversion is unavailable or failed; the message is bilingual and shown as is."""


def find_soffice() -> str | None:
    """The LibreOffice executable on PATH (``CREDIT_REGISTER_SOFFICE`` overrides), or ``None``."""
    configured = os.environ.get("CREDIT_REGISTER_SOFFICE")
    if configured:
        return configured if Path(configured).exists() else shutil.which(configured)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def to_pdf(
    documents: Sequence[Path], out_dir: Path | None = None, *, timeout: float = DEFAULT_TIMEOUT
) -> list[Path]:
    """Convert ``documents`` (.docx) to PDF in ``out_dir`` (default: beside each document's
    folder, the first one's) and return the PDF paths in the same order."""
    if not documents:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise PdfError(
            "未找到 LibreOffice（soffice），无法生成 PDF；Word 文件已生成。"
            "请安装 LibreOffice 后重试"
            " (LibreOffice 'soffice' not found on PATH, so no PDF was made; the Word files are "
            "there. Install LibreOffice, e.g. libreoffice-writer-nogui, and try again)"
        )
    target = out_dir or documents[0].parent
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="credit_register_lo_") as profile:
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--convert-to",
            "pdf",
            "--outdir",
            str(target),
            *(str(d) for d in documents),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise PdfError(
                f"LibreOffice 转换超时（{timeout:.0f} 秒） (LibreOffice took longer than "
                f"{timeout:.0f} s to convert {len(documents)} document(s))"
            ) from exc
    pdfs = [target / f"{d.stem}.pdf" for d in documents]
    missing = [p.name for p in pdfs if not p.exists()]
    if missing:
        detail = (done.stderr or done.stdout).strip()[-500:]
        raise PdfError(
            f"LibreOffice 未生成 {', '.join(missing)} (LibreOffice did not produce "
            f"{', '.join(missing)}; exit {done.returncode}: {detail})"
        )
    return pdfs
