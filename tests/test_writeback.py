"""What a use case hands a door: changes in the workbook's language, appended rows under the
user's own column order, and the header row that order means — so no door works them out again.
"""

from __future__ import annotations

import datetime as dt

from credit_register.app.writeback import aligned
from credit_register.core.port import CellValue, Changes, RawSheet
from credit_register.core.reader import load
from credit_register.core.schema import HISTORY
from support.receivables_story import make_register

ROW: list[CellValue] = [
    dt.datetime(2026, 3, 31, 18, 0),
    "李四",
    "核定额度",
    "C001",
    "approved_limit",
    1,
    2,
    "年审",
]


def test_changes_carry_the_workbooks_language_and_the_schema_headers() -> None:
    register = make_register(lang="en")
    changes = aligned(Changes(append={HISTORY.key: [ROW]}), register)
    assert changes.lang == "en"
    assert changes.headers[HISTORY.key] == HISTORY.headers("en")
    assert changes.append[HISTORY.key] == [ROW]


def test_a_reordered_history_gets_rows_and_headers_in_its_own_order() -> None:
    # the user moved 原因 (reason) to the front and put a column of their own after it
    header = [HISTORY.column("reason").zh, "我的备注", *HISTORY.headers("zh")[:-1]]
    register = load({HISTORY.zh: _sheet(header)}, "r.xlsm", today=dt.date(2026, 3, 31))
    changes = aligned(Changes(append={HISTORY.key: [ROW]}), register)
    assert changes.lang == "zh"
    assert changes.headers[HISTORY.key] == [header[0], "", *header[2:]]
    assert changes.append[HISTORY.key] == [["年审", None, *ROW[:-1]]]


def _sheet(header: list[str]) -> RawSheet:
    return RawSheet(HISTORY.zh, [header])
