"""Presentation (issue 13, item 5): no amount or invoice number wraps, no table row splits across
pages, in every document type and both languages; a report's previous grade is the last run's
and its amounts say their currency. The widths are checked against the longest value of each
column, and the PDF LibreOffice makes is read back to see every figure on one line."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from credit_register.adapters.pdf import find_soffice, to_pdf
from credit_register.adapters.xlsx import FileWorkbook
from credit_register.app import document_actions as doc_usecases
from credit_register.app.handover import handover_pack
from credit_register.cli import main
from credit_register.core.cells import column_letter
from credit_register.core.port import Changes
from credit_register.core.schema import Language
from credit_register.documents import layout
from credit_register.engines.results import Results
from support.demo_run import demo_results
from support.docx_text import table_rows, text_of

IN_CI = os.environ.get("CI", "").lower() == "true"
TWIPS_PER_MM = 1440 / 25.4
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _every_document(results: Results, folder: Path) -> list[Path]:
    """One of each document type: a contract and its note, a bilingual contract, a report, a
    demand and a final demand, the review pack, the hand-over memo and index."""
    paths = doc_usecases.contract_docs(results, ["C00004", "C00028"], amount=1e6, out_dir=folder)
    paths += doc_usecases.report_docs(results, ["C00032"], out_dir=folder)
    letters, _ = doc_usecases.letters_due(results, out_dir=folder, user="t", when=results.as_of)
    paths += [p for p in letters if re.search(r"step[23]_", p.name)][:3]
    paths.append(doc_usecases.review_pack(results, "2026-10", out_dir=folder))
    paths += handover_pack(results, "C00007", out_dir=folder)[:2]
    return paths


@pytest.fixture(scope="module", params=["zh", "en"])
def documents(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> list[Path]:
    lang: Language = request.param
    results = demo_results(tmp_path_factory, lang)
    return _every_document(results, tmp_path_factory.mktemp(f"every_{lang}"))


def _cell_text(tc: object) -> str:
    return "".join(t.text or "" for t in tc.iter(f"{W}t"))  # type: ignore[attr-defined]


def test_every_column_is_as_wide_as_its_longest_amount_or_number(documents: list[Path]) -> None:
    checked = 0
    for path in documents:
        doc = Document(str(path))
        for table in doc.tables:
            tbl = table._tbl
            grid = [int(g.get(f"{W}w")) / TWIPS_PER_MM for g in tbl.iter(f"{W}gridCol")]
            if len(grid) < 2:
                continue
            for tr in tbl.iter(f"{W}tr"):
                cells = list(tr.iter(f"{W}tc"))
                if len(cells) != len(grid):
                    continue
                for width, tc in zip(grid, cells, strict=True):
                    text = _cell_text(tc).strip()
                    if not re.fullmatch(r"[A-Z]{0,4}[\d][\d,.\-%/]*|[A-Z]{2}\d{6,}|CS-\S+", text):
                        continue  # an amount, a date, a number or an identifier
                    sizes = [int(sz.get(f"{W}val")) / 2 for sz in tc.iter(f"{W}sz")] or [9.0]
                    need = layout.text_mm(text, max(sizes)) + 2 * 108 / TWIPS_PER_MM
                    assert width >= need - 0.05, (path.name, text, width, need)
                    checked += 1
    assert checked > 500


def test_no_table_row_splits_across_pages(documents: list[Path]) -> None:
    for path in documents:
        for table in Document(str(path)).tables:
            for tr in table._tbl.iter(f"{W}tr"):
                assert tr.find(f"{W}trPr/{W}cantSplit") is not None, path.name


def test_the_pdfs_print_every_amount_and_number_on_one_line(
    documents: list[Path], tmp_path: Path
) -> None:
    """LibreOffice's PDF of every document type: each figure of a table is found whole in the
    PDF's text (a wrapped one would be cut in two)."""
    if find_soffice() is None or shutil.which("pdftotext") is None:
        if IN_CI:
            pytest.fail("LibreOffice and pdftotext are installed in CI (scripts/system-deps.sh)")
        pytest.skip("LibreOffice or pdftotext is not installed")
    pdfs = to_pdf(documents, tmp_path)
    seen = 0
    for docx_path, pdf in zip(documents, pdfs, strict=True):
        printed = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        figures = {
            cell.strip()
            for row in table_rows(docx_path)
            for cell in row
            if re.fullmatch(r"[\d][\d,.]{5,}|[A-Z]{2}\d{6,}", cell.strip())
        }
        cut = sorted(f for f in figures if f not in printed)
        assert cut == [], (docx_path.name, cut[:5])
        seen += len(figures)
    assert seen > 200


@pytest.fixture(scope="module")
def zh_results(tmp_path_factory: pytest.TempPathFactory) -> Results:
    return demo_results(tmp_path_factory, "zh")


def test_a_reports_amounts_say_their_currency(zh_results: Results, tmp_path: Path) -> None:
    [path] = doc_usecases.report_docs(zh_results, ["C00012"], out_dir=tmp_path)
    text = text_of(path)
    assert "金额单位：CNY（财务报表：EUR）" in text
    assert "二、近三年财务报表（EUR）" in text
    insured = next(r for r in table_rows(path) if "保险限额" in r)
    assert "（EUR 270,000.00）" in insured[insured.index("保险限额") + 1]
    # the utilisation is base exposure over the base-currency limit the run converted
    ratings = zh_results.ratings.set_index("customer_id")
    approved = ratings["approved_limit"].astype(float).to_dict()["C00012"]
    shown = next(r for r in table_rows(path) if r[0] == "额度使用率")[1]
    exposure = zh_results.exposure["exposure_base"].astype(float).to_dict()["C00012"]
    assert shown == f"{exposure / approved * 100:.1f}%"


def test_a_reports_previous_grade_is_the_last_runs_not_its_own(
    demo_copy: Callable[..., Path], tmp_path: Path
) -> None:
    """The monthly run found C00004 at B after BB; the report made after it (the same as-of
    date) says "B (previously BB)", not the run's own B."""
    path = demo_copy()
    assert main(["run", str(path), "--as-of", "2026-10-31"]) == 0
    book = FileWorkbook(path)
    ratings = book.read()["评级"].rows
    header, at = ratings[0], next(i for i, r in enumerate(ratings) if r[0] == "C00004")
    cell = f"{column_letter(header.index('上次等级'))}{at + 1}"
    book.apply(Changes(cells={"ratings": {cell: "BB"}}))  # as the run of October found it
    out = tmp_path / "documents"
    assert main(["report", str(path), "--customer", "C00004", "--out", str(out)]) == 0
    [report] = out.glob("credit_report_C00004_*.docx")
    assert table_rows(report)[0][:2] == ["信用等级", "B（上次 BB）"]
