"""Snapshots of the written sheets, in the manner of fava's golden files: the demo register goes
through the monthly run, and every cell of 评级 (Ratings), 账龄 (Ageing) and 预警 (Alerts) must
equal ``tests/golden/<sheet>.csv``.

A change in any rating, score, limit, ageing bucket or alert of the demo shows as a diff of a
golden file. When the change is intended, rewrite the files on purpose and review them like code:

    .venv/bin/pytest tests/test_snapshots.py --update-golden    # the tests skip, saying so
    git diff tests/golden/

The files hold the cells as the workbook gives them back (python-calamine, the values a user
sees): the header row, then each row in the sheet's own order; text as is, dates as ISO dates,
numbers to 6 decimal places (a last-bit difference of a float between numpy versions is not a
change; every figure on these sheets is rounded far coarser), blanks empty. These sheets carry
the run's as-of date, fixed here, and no run time; a cell with a time of day would be written as
``<run time>`` so that a snapshot never depends on when it was taken.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from credit_register.cli import main
from credit_register.core.schema import AGEING, ALERTS, RATINGS, Sheet
from credit_register.tools.demo import DEMO_AS_OF

GOLDEN = Path(__file__).parent / "golden"


def cell_text(value: object) -> str:
    """A cell as the golden file holds it (see the module docstring)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else "<run time>"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.6f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    return str(value)


def sheet_csv(path: Path, tab: str) -> str:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(tab).to_python()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        if any(value != "" for value in row):
            writer.writerow([cell_text(value) for value in row])
    return out.getvalue()


@pytest.fixture(scope="module")
def ran(demo_master: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Chinese demo register after the monthly run at the demo's as-of date."""
    path = tmp_path_factory.mktemp("snapshots") / "credit_register.xlsm"
    path.write_bytes(demo_master["zh"].read_bytes())
    assert main(["run", str(path), "--as-of", DEMO_AS_OF.isoformat()]) == 0
    return path


@pytest.mark.parametrize("sheet", [RATINGS, AGEING, ALERTS], ids=lambda s: s.key)
def test_the_demo_runs_sheet_matches_its_golden_file(
    ran: Path, sheet: Sheet, update_golden: bool
) -> None:
    actual = sheet_csv(ran, sheet.zh)
    golden = GOLDEN / f"{sheet.key}.csv"
    if update_golden:
        golden.write_text(actual, encoding="utf-8")
        pytest.skip(f"rewrote {golden.name}: review it with git diff tests/golden/")
    assert golden.exists(), f"no {golden.name} yet: pytest tests/test_snapshots.py --update-golden"
    expected = golden.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            f"golden/{golden.name}",
            f"this run's {sheet.zh}",
        )
    )
    assert actual == expected, f"the {sheet.en} sheet changed:\n{diff}"
