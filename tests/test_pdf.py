"""PDF through LibreOffice: the demo's credit report and review pack, with Chinese text.

Skips where LibreOffice is not installed; in CI (CI=true) its absence fails the test, since
scripts/system-deps.sh installs it there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from credit_register.adapters.pdf import PdfError, find_soffice, to_pdf
from credit_register.app import document_actions as doc_usecases
from support.demo_run import demo_results

IN_CI = os.environ.get("CI", "").lower() == "true"


def _require(tool: str | None, name: str) -> str:
    if tool is None:
        if IN_CI:
            pytest.fail(f"{name} is missing in CI (scripts/system-deps.sh installs it)")
        pytest.skip(f"{name} is not installed")
    return tool


def test_report_and_review_pack_convert_with_chinese_text(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    _require(find_soffice(), "LibreOffice (soffice)")
    pdftotext = _require(shutil.which("pdftotext"), "pdftotext (poppler-utils)")
    results = demo_results(tmp_path_factory)
    [_report, report_pdf] = doc_usecases.report_docs(
        results, ["C00004"], out_dir=tmp_path, pdf=to_pdf
    )
    pack_pdf = doc_usecases.review_pack(results, "2026-10", out_dir=tmp_path, pdf=to_pdf)
    assert report_pdf.suffix == ".pdf" and pack_pdf.suffix == ".pdf"
    for pdf, words in (
        (report_pdf, ("客户信用评估报告", "广州粤海建材有限公司", "审批意见与签字")),
        (pack_pdf, ("月度信用评审报告", "前十大敞口", "评级迁移矩阵")),
    ):
        text = subprocess.run(
            [pdftotext, "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        assert re.search(r"[\u4e00-\u9fff]", text)
        compact = re.sub(r"\s+", "", text)
        for word in words:
            assert word in compact, (pdf.name, word)


def test_missing_libreoffice_is_a_clear_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CREDIT_REGISTER_SOFFICE", str(tmp_path / "no-such-soffice"))
    document = tmp_path / "x.docx"
    document.write_bytes(b"")
    with pytest.raises(PdfError, match="LibreOffice"):
        to_pdf([document])
