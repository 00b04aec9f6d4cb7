"""The Dashboard's charts: native Excel charts bound to cells the engine writes on every run.

A credit manager opens the register after the monthly run and sees customers by grade, the
ageing buckets, exposure by grade and the ten largest exposures drawn by Excel from the
Dashboard's own cells, which agree with the Ratings and Ageing sheets the same run wrote.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from credit_register.adapters.xlsx import FileWorkbook
from credit_register.cli import main
from credit_register.core import dashboard
from credit_register.core.cells import split_ref
from credit_register.core.port import RawSheet
from credit_register.core.schema import AGEING, GRADES, RATINGS
from support.zipparts import zip_members


def _cell(sheet: RawSheet, address: str) -> object:
    col, row = split_ref(address)
    rows = sheet.rows
    return rows[row - 1][col] if row <= len(rows) and col < len(rows[row - 1]) else None


def _column(sheet: RawSheet, header: str) -> list[object]:
    at = sheet.rows[0].index(header)
    return [row[at] for row in sheet.rows[1:] if row and row[0] not in (None, "")]


@pytest.fixture(scope="module")
def after_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from credit_register.tools.build import build_workbook

    path = build_workbook(
        tmp_path_factory.mktemp("charts") / "credit_register.xlsm", demo=True, overwrite=True
    )
    assert main(["run", str(path)]) == 0
    return path


def test_the_chart_figures_agree_with_the_sheets_the_run_wrote(after_run: Path) -> None:
    raw = FileWorkbook(after_run).read()
    board, ratings, ageing = raw["控制台"], raw[RATINGS.zh], raw[AGEING.zh]

    grades = [str(g) for g in _column(ratings, RATINGS.column("grade").zh)]
    exposures = [float(str(e)) for e in _column(ratings, RATINGS.column("exposure").zh)]
    block = dashboard.EXPOSURE_BY_GRADE
    for index, grade in enumerate(GRADES):
        assert _cell(board, block.label_cell(index)) == grade
        expected = sum(e for g, e in zip(grades, exposures, strict=True) if g == grade)
        assert _cell(board, block.figure_cell(index)) == pytest.approx(expected, abs=0.01)
    total = _cell(board, dashboard.HEADLINE_BY_KEY["total_exposure"].cell)
    by_grade = [_cell(board, block.figure_cell(i)) for i in range(block.rows)]
    assert sum(float(str(v)) for v in by_grade) == pytest.approx(float(str(total)), abs=0.1)

    block = dashboard.AGEING_TOTALS
    for index, key in enumerate(dashboard.AGEING_BUCKETS):
        header = AGEING.column(key).zh
        assert _cell(board, block.label_cell(index)) == header
        bucket = sum(float(str(v)) for v in _column(ageing, header) if v is not None)
        assert _cell(board, block.figure_cell(index)) == pytest.approx(bucket, abs=0.01)

    block = dashboard.LARGEST
    top = [_cell(board, block.figure_cell(i)) for i in range(block.rows)]
    assert top == sorted(exposures, reverse=True)[: block.rows]
    names = [_cell(board, block.label_cell(i)) for i in range(block.rows)]
    assert all(isinstance(n, str) and n for n in names)


def test_each_chart_is_bound_to_the_dashboards_cells(after_run: Path) -> None:
    parts = zip_members(after_run)
    charts = sorted(n for n in parts if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
    refs = [re.findall(r"<c:f>([^<]+)</c:f>", parts[n].decode()) for n in charts]
    grades, ageing, largest = (
        dashboard.EXPOSURE_BY_GRADE,
        dashboard.AGEING_TOTALS,
        dashboard.LARGEST,
    )

    def span(first: str, count: int) -> str:
        _, row = split_ref(first)
        letter = first.rstrip("0123456789")
        return f"控制台!${letter}${row}:${letter}${row + count - 1}"

    counts = dashboard.HEADLINE_BY_KEY["grade_AAA"].cell
    wanted = [
        (span(grades.label_cell(0), 7), span(counts, 7)),
        (span(ageing.label_cell(0), ageing.rows), span(ageing.figure_cell(0), ageing.rows)),
        (span(grades.label_cell(0), 7), span(grades.figure_cell(0), 7)),
        (span(largest.label_cell(0), 10), span(largest.figure_cell(0), 10)),
    ]
    # each series: its name, then categories and values
    assert [tuple(r[-2:]) for r in refs] == wanted


def test_the_alert_counts_are_coloured_by_severity(
    demo_copy: Callable[..., Path],
) -> None:
    import openpyxl

    board = openpyxl.load_workbook(demo_copy())["控制台"]
    fills = {
        key: board[dashboard.HEADLINE_BY_KEY[f"alerts_{key}"].cell].fill.fgColor.rgb
        for key in ("info", "warning", "block")
    }
    assert fills == {"info": "FFDDEBF7", "warning": "FFFFEB9C", "block": "FFFFC7CE"}


def test_alerts_value_and_threshold_are_numbers_shown_in_their_indicators_format(
    after_run: Path,
) -> None:
    from credit_register.core.schema import ALERTS
    from support.zipparts import sheet_parts

    alerts = FileWorkbook(after_run).read()[ALERTS.zh]
    header = alerts.rows[0]
    at = {key: header.index(ALERTS.column(key).zh) for key in ("indicator", "value", "threshold")}
    used = [r for r in alerts.rows[1:] if r[at["indicator"]] == "额度使用率"]
    overdue = [r for r in alerts.rows[1:] if r[at["indicator"]] == "最长逾期天数"]
    assert used and overdue
    # a share as a fraction (133.1 % by the sheet's format) above its threshold (90 %, 100 %)
    assert all(isinstance(r[at["value"]], float) for r in used)
    assert all(r[at["value"]] > r[at["threshold"]] for r in used)
    assert {r[at["threshold"]] for r in used} == {0.9, 1.0}
    assert all(isinstance(r[at["value"]], float) for r in overdue)
    assert {r[at["threshold"]] for r in overdue} <= {30.0, 60.0, 90.0}
    # the number format follows the row's indicator: a conditional format keyed on its label
    xml = zip_members(after_run)[sheet_parts(after_run)[ALERTS.zh]].decode()
    pct = re.search(r'<conditionalFormatting sqref="F2:G\d+">.*?</conditionalFormatting>', xml)
    assert pct is not None and '$E2="额度使用率"' in pct.group(0)
