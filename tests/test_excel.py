"""The Excel door, tested without Excel.

Excel cannot run on the build machine, so these tests drive ``adapters.xlwings`` and ``excel``
through the recording stand-in of ``support.excel_standin`` (see there what it models and why).
Big sheets and the per-platform block sizes are ``test_excel_big.py``'s.
"""

from __future__ import annotations

import datetime as dt
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
import pytest

import credit_register.app
from credit_register import excel
from credit_register.adapters.xlwings import XlwingsWorkbook
from credit_register.core.issues import column_letter
from credit_register.core.port import (
    CellValue,
    Changes,
    DocumentServices,
    Selection,
    WorkbookError,
)
from support.excel_standin import XLWINGS_CALLS, FakeBook, Formula

# ---------------------------------------------------------------------------- a small register

CUSTOMERS: list[list[CellValue]] = [
    ["客户编号", "客户名称", "合作起始日"],
    ["C001", "华东机械", dt.datetime(2021, 3, 1)],
    ["C002", "西部建设", dt.datetime(2022, 7, 15)],
    ["C003", "南方贸易", None],
]


def register_book(tmp_path: Path) -> FakeBook:
    book = FakeBook(tmp_path / "credit_register.xlsm")
    book.add("控制台", [[None, "客户资信管理"]])
    book.add("客户", CUSTOMERS)
    book.add(
        "评级",
        [
            ["客户编号", "信用等级", "处理意见"],
            ["OLD1", "C", "x"],
            ["OLD2", "B", "y"],
            ["OLD3", "BB", "z"],
        ],
    )
    book.add(
        "变更日志", [["时间", "用户", "操作"], [dt.datetime(2026, 1, 5, 9, 0), "wang", "approve"]]
    )
    book.add("空白", [])
    return book


# ---------------------------------------------------------------------------- reading


def test_read_gives_every_tab_from_row_one_with_dates_as_datetimes(tmp_path: Path) -> None:
    book = register_book(tmp_path)
    book.add("沟通记录").fill([["日期", "客户编号"], [dt.date(2026, 2, 1), "C001"]], top=3, left=2)

    raw = XlwingsWorkbook(book).read()

    assert list(raw) == ["控制台", "客户", "评级", "变更日志", "空白", "沟通记录"]
    assert raw["客户"].rows[1] == ["C001", "华东机械", dt.datetime(2021, 3, 1)]
    assert raw["客户"].rows[3] == ["C003", "南方贸易", None]
    assert raw["空白"].rows == []
    # data typed from B3 still sits at rows[2][1]: RawSheet rows[0] is Excel row 1
    assert raw["沟通记录"].rows[2] == [None, "日期", "客户编号"]
    assert raw["沟通记录"].rows[3] == [None, dt.datetime(2026, 2, 1), "C001"]
    assert XlwingsWorkbook(book).label == "credit_register.xlsm"


def test_selection_lists_the_rows_of_every_area_on_the_active_tab(tmp_path: Path) -> None:
    book = register_book(tmp_path)
    customers = book.sheets["客户"]
    port = XlwingsWorkbook(book)

    book.select(customers, (3, 1, 4, 3), (2, 2, 2, 2))  # Ctrl-click: rows 3-4, then B2
    assert port.selection() == Selection("客户", [2, 3, 4])

    book.select(customers, (1, 2, 1_048_576, 2))  # the whole column B: only rows with data
    assert port.selection() == Selection("客户", [1, 2, 3, 4])

    book.selection = None  # a chart is selected
    assert port.selection() is None


# ---------------------------------------------------------------------------- writing


def _changes() -> Changes:
    ratings = pd.DataFrame(
        {
            "客户编号": pd.Series(["C001", "C002"], dtype="str"),
            "信用等级": pd.Series(["AA", "-B"], dtype="str"),  # looks like a formula to Excel
            "建议额度": [np.float64(1_200_000.0), np.nan],
            "评估日": pd.DatetimeIndex(["2026-03-31", None]),
            "逾期天数": np.array([0, 45], dtype=np.int64),
            "处理意见": pd.Series(['=HYPERLINK("http://x","y")', None], dtype=object),
        }
    )
    return Changes(
        tables={"ratings": ratings},
        append={
            "history": [
                [
                    pd.Timestamp("2026-03-31 10:15"),
                    "li",
                    "approve",
                    "C001",
                    "approved_limit",
                    np.float64(800_000),
                    1_000_000,
                    "+追加担保",
                ]
            ]
        },
        cells={
            "dashboard": {
                "C10": dt.datetime(2026, 3, 31, 10, 15),
                # a numpy integer leaks from a frame into a cell now and then: the door copes
                "C12": cast(CellValue, np.int64(3)),
                "C15": float("nan"),
                "C28": "@risk",
            }
        },
    )


def test_apply_round_trips_a_table_an_append_and_cells(tmp_path: Path) -> None:
    book = register_book(tmp_path)
    port = XlwingsWorkbook(book)

    port.apply(_changes())
    raw = port.read()

    assert raw["评级"].rows == [
        ["客户编号", "信用等级", "建议额度", "评估日", "逾期天数", "处理意见"],
        ["C001", "AA", 1_200_000.0, dt.datetime(2026, 3, 31), 0.0, '=HYPERLINK("http://x","y")'],
        ["C002", "-B", None, None, 45.0, None],
    ]  # the third old row (OLD3) is gone, not left behind under the new table
    assert raw["变更日志"].rows[1:] == [
        [dt.datetime(2026, 1, 5, 9, 0), "wang", "approve", None, None, None, None, None],
        [
            dt.datetime(2026, 3, 31, 10, 15),
            "li",
            "approve",
            "C001",
            "approved_limit",
            800_000.0,
            1_000_000.0,
            "+追加担保",
        ],
    ]
    board = book.sheets["控制台"]
    assert board.cells[(10, 3)] == dt.datetime(2026, 3, 31, 10, 15)
    assert board.cells[(12, 3)] == 3.0
    assert (15, 3) not in board.cells  # NaN leaves the cell blank
    assert board.cells[(28, 3)] == "@risk"
    # nothing Excel would evaluate was written anywhere
    assert not [v for s in book.sheets for v in s.cells.values() if isinstance(v, Formula)]


def test_formula_like_text_is_sent_with_an_apostrophe(tmp_path: Path) -> None:
    book = register_book(tmp_path)
    XlwingsWorkbook(book).apply(_changes())

    sent = book.sent()
    table = next(v for v in sent if isinstance(v, list) and v and v[0][0] == "客户编号")
    assert table[1][5] == '\'=HYPERLINK("http://x","y")'
    assert table[2][1] == "'-B"
    assert ["'@risk"] in next(v for v in sent if ["'@risk"] in v)
    assert any(isinstance(v, list) and v[0][-1] == "'+追加担保" for v in sent)


def test_a_table_is_written_in_one_assignment_after_clearing_old_rows(tmp_path: Path) -> None:
    book = register_book(tmp_path)
    XlwingsWorkbook(book).apply(Changes(tables={"ratings": _changes().tables["ratings"]}))

    on_ratings = [
        (c.kind, c.address)
        for c in book.calls
        if c.sheet == "评级" and c.kind in ("value=", "clear_contents")
    ]
    assert on_ratings == [("clear_contents", "$A$2:$C$4"), ("value=", "$A$1")]
    assert {c.kind for c in book.calls} <= XLWINGS_CALLS


def test_appending_twice_keeps_every_history_row(tmp_path: Path) -> None:
    book = register_book(tmp_path)
    port = XlwingsWorkbook(book)
    port.apply(Changes(append={"history": [[dt.datetime(2026, 4, 1), "li", "run"]]}))
    port.apply(
        Changes(
            append={
                "history": [
                    [dt.datetime(2026, 4, 2), "li", "run"],
                    [dt.datetime(2026, 4, 2), "li", "review"],
                ]
            }
        )
    )

    history = port.read()["变更日志"].rows
    assert [row[2] for row in history] == ["操作", "approve", "run", "run", "review"]


def test_a_missing_output_tab_stops_the_write_before_anything_changes(tmp_path: Path) -> None:
    book = register_book(tmp_path)
    before = {s.name: dict(s.cells) for s in book.sheets}

    with pytest.raises(WorkbookError, match="预警") as raised:
        XlwingsWorkbook(book).apply(
            Changes(
                tables={"ratings": _changes().tables["ratings"]},
                cells={"alerts": {"A1": "x"}},
            )
        )

    assert "Alerts" in str(raised.value)
    assert {s.name: dict(s.cells) for s in book.sheets} == before


def test_an_on_demand_sheet_is_added_with_its_header_and_a_missing_input_tab_is_not(
    tmp_path: Path,
) -> None:
    book = register_book(tmp_path)
    mapping: list[CellValue] = ["金蝶", "invoices", "单据编号", "invoice_no", None, "4", "S", None]
    XlwingsWorkbook(book).apply(Changes(append={"import_mappings": [mapping]}))
    rows = XlwingsWorkbook(book).read()["导入映射"].rows
    assert rows[0][:4] == ["映射名称", "数据类型", "来源列", "登记表列"]
    assert rows[1][:2] == mapping[:2]
    assert [s.name for s in book.sheets][-1] == "导入映射"

    count = len(book.sheets)
    with pytest.raises(WorkbookError, match="应收发票"):
        XlwingsWorkbook(book).apply(
            Changes(append={"import_mappings": [mapping], "invoices": [["AR-1"]]})
        )
    assert len(book.sheets) == count  # nothing added when another tab is missing


def test_the_stand_in_refuses_xlwings_calls_it_does_not_model(tmp_path: Path) -> None:
    book = register_book(tmp_path)
    sheet = book.sheets[0]
    with pytest.raises(AttributeError):
        sheet.cells_ = 1  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        sheet.range("A1").expand  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(AttributeError):
        book.app.enable_events = False  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        sheet.range("A1").value = pd.Timestamp("2026-01-01")  # the adapter must convert first


# ---------------------------------------------------------------------------- the entry point


@dataclass
class ActionRequest:
    action: str
    customer_ids: list[str] = field(default_factory=list)


@dataclass
class ActionResult:
    ok: bool
    message: str
    issues: list[Any] = field(default_factory=list)
    exit_code: int = 0
    documents: list[Path] = field(default_factory=list)


@pytest.fixture
def usecases(monkeypatch: pytest.MonkeyPatch) -> types.SimpleNamespace:
    """A stand-in for credit_register.app.usecases that records what the button asked for."""
    seen = types.SimpleNamespace(requests=[], raw=None, selection=None, error=None, services=None)
    module = types.ModuleType("credit_register.app.usecases")

    def request_from_dashboard(raw: Any, action: str, selection: Selection | None) -> Any:
        seen.raw, seen.selection = raw, selection
        return ActionRequest(action)

    def run_action(request: ActionRequest, port: XlwingsWorkbook, **kwargs: Any) -> ActionResult:
        seen.requests.append(request)
        seen.services = kwargs.get("services")
        if seen.error is not None:
            raise seen.error
        port.apply(Changes(cells={"dashboard": {"C11": "完成"}}))
        return ActionResult(ok=True, message="评级完成：3 个客户 (Rated 3 customers)")

    module.__dict__.update(
        ActionRequest=ActionRequest,
        ActionResult=ActionResult,
        EXIT_FAILED=2,
        request_from_dashboard=request_from_dashboard,
        run_action=run_action,
    )
    monkeypatch.setitem(sys.modules, "credit_register.app.usecases", module)
    monkeypatch.setattr(credit_register.app, "usecases", module, raising=False)
    return seen


def test_a_buttons_macro_names_the_action_it_runs(
    tmp_path: Path, usecases: types.SimpleNamespace
) -> None:
    book = register_book(tmp_path)
    # a Dashboard button: clicking it means being on the Dashboard, so the selection is there
    book.select(book.sheets["控制台"], (1, 2, 1, 2))

    result = excel.dispatch(book, "run")  # CR_Run: cr.button('run')

    assert result.ok and result.message.startswith("评级完成")
    assert [r.action for r in usecases.requests] == ["run"]
    assert usecases.selection == Selection("控制台", [1])
    assert "客户" in usecases.raw
    assert isinstance(usecases.services, DocumentServices)  # PDF and mail, for the documents
    assert book.sheets["控制台"].cells[(11, 3)] == "完成"


@pytest.mark.parametrize(
    ("tab", "area", "action", "customers"),
    [
        ("客户", (3, 1, 4, 2), "contract", ["C002", "C003"]),  # rows 3-4 on Customers
        ("评级", (2, 2, 2, 2), "approve", ["OLD1"]),  # one cell of row 2 on Ratings
    ],
)
def test_a_customer_button_acts_on_the_rows_selected_on_its_own_sheet(
    tab: str,
    area: tuple[int, int, int, int],
    action: str,
    customers: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The contract, report and approve buttons stand on Customers and Ratings too: the user
    selects customers there and clicks the button beside them, never leaving the sheet."""
    real = pytest.importorskip("credit_register.app.usecases")
    asked: list[Any] = []
    monkeypatch.setattr(real, "run_action", lambda request, port, **kw: asked.append(request))
    book = register_book(tmp_path)
    book.sheets["控制台"].fill([["C999"]], top=5, left=3)  # the Dashboard's customer: not used
    book.select(book.sheets[tab], area)

    excel.dispatch(book, action)

    assert [(r.action, r.customer_ids) for r in asked] == [(action, customers)]


def test_a_button_runs_its_action_whatever_the_action_cell_holds(
    tmp_path: Path, usecases: types.SimpleNamespace
) -> None:
    book = register_book(tmp_path)
    # left over from running an approval without a button: it must not stick to every click
    book.sheets["控制台"].fill([["approve"]], top=4, left=3)

    excel.dispatch(book, "validate")
    excel.dispatch(book, "calibrate")  # a use case without a Dashboard button has a macro too

    assert [r.action for r in usecases.requests] == ["validate", "calibrate"]


def test_without_a_button_the_action_cell_decides(
    tmp_path: Path, usecases: types.SimpleNamespace
) -> None:
    book = register_book(tmp_path)
    # the caption in C4, as a user picks it from the drop-down; then the key itself
    book.sheets["控制台"].fill([["校验数据"]], top=4, left=3)
    excel.dispatch(book)
    book.sheets["控制台"].fill([["run"]], top=4, left=3)
    excel.dispatch(book)

    assert [r.action for r in usecases.requests] == ["validate", "run"]


def test_no_button_and_no_action_cell_tells_the_user_what_to_do(
    tmp_path: Path, usecases: types.SimpleNamespace
) -> None:
    book = register_book(tmp_path)

    result = excel.dispatch(book)

    assert not result.ok and result.exit_code == 2
    assert "C4" in result.message and "控制台" in result.message and "Dashboard" in result.message
    assert usecases.requests == []


def test_a_bug_becomes_a_short_message_and_a_logged_traceback(
    tmp_path: Path, usecases: types.SimpleNamespace
) -> None:
    book = register_book(tmp_path)
    usecases.error = KeyError("grade")

    result = excel.dispatch(book, "validate")

    log = tmp_path / "credit_register.log"
    assert not result.ok
    assert "Traceback" not in result.message and len(result.message) < 300
    assert str(log) in result.message and "操作未完成" in result.message
    assert "KeyError: 'grade'" in log.read_text(encoding="utf-8")


def test_a_workbook_error_is_shown_in_its_own_words(
    tmp_path: Path, usecases: types.SimpleNamespace
) -> None:
    book = register_book(tmp_path)
    usecases.error = WorkbookError("工作簿为只读 (the workbook is read-only)")

    result = excel.dispatch(book, "validate")

    assert result.message == "工作簿为只读 (the workbook is read-only)"


def test_a_button_alerts_the_outcome_with_the_register_title(
    tmp_path: Path, usecases: types.SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import xlwings as xw

    book = register_book(tmp_path)
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: book))

    excel.button("run")
    usecases.error = RuntimeError("boom")
    excel.button("run")

    assert [a["title"] for a in book.app.alerts] == ["客户资信管理 Credit Register"] * 2
    assert book.app.alerts[0]["prompt"].startswith("评级完成")
    assert book.app.alerts[0]["mode"] == "info"
    assert "credit_register.log" in book.app.alerts[1]["prompt"]
    assert book.app.alerts[1]["mode"] == "critical"


def test_a_button_outside_excel_prints_one_line_instead_of_a_traceback(
    usecases: types.SimpleNamespace,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # the user's own log folder

    with pytest.raises(SystemExit) as exited:
        excel.button("run")  # xw.Book.caller() refuses: not called from Excel

    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "操作未完成" in err
    log = tmp_path / "credit-register" / "credit_register.log"
    assert "Book.caller()" in log.read_text(encoding="utf-8")


def test_pressing_validate_on_a_live_register_lists_the_bad_cell_on_the_issues_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole door with the real use cases: a user types a bad USCC and clicks 校验数据."""
    real = pytest.importorskip("credit_register.app.usecases")
    monkeypatch.setitem(sys.modules, "credit_register.app.usecases", real)
    monkeypatch.setattr(credit_register.app, "usecases", real, raising=False)
    from credit_register.core.schema import ALL_SHEETS, CUSTOMERS

    book = FakeBook(tmp_path / "credit_register.xlsm")
    for sheet in ALL_SHEETS:
        book.add(sheet.zh, [sheet.headers("zh")] if sheet.columns else [[None, "客户资信管理"]])
    headers = CUSTOMERS.headers("zh")
    row = dict.fromkeys(headers)
    typed = {"customer_id": "C001", "name": "华东机械", "uscc": "91310000MA1FL0000X"}  # bad digit
    row.update({CUSTOMERS.column(key).zh: value for key, value in typed.items()})
    book.sheets[CUSTOMERS.zh].fill([list(row.values())], top=2)

    result = excel.dispatch(book, "validate")

    issues = XlwingsWorkbook(book).read()["问题"].rows
    uscc_column = column_letter(headers.index(CUSTOMERS.column("uscc").zh))
    assert issues[0] == ["位置", "级别", "说明"]
    assert any(r[0] == f"credit_register.xlsm:客户!{uscc_column}2" for r in issues[1:]), issues
    assert not result.ok and "错误" in result.message
    assert {c.kind for c in book.calls} <= XLWINGS_CALLS


def test_the_import_button_brings_the_chosen_export_into_the_live_register(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole door with the real use case: the macro passes the file the user picked."""
    real = pytest.importorskip("credit_register.app.usecases")
    monkeypatch.setitem(sys.modules, "credit_register.app.usecases", real)
    monkeypatch.setattr(credit_register.app, "usecases", real, raising=False)
    from credit_register.core.schema import ALL_SHEETS

    book = FakeBook(tmp_path / "credit_register.xlsm")
    for sheet in ALL_SHEETS:
        book.add(sheet.zh, [sheet.headers("zh")] if sheet.columns else [[None, "客户资信管理"]])
    export = tmp_path / "应收.csv"
    export.write_text("单据编号,客户,业务日期,价税合计\nAR-1,甲公司,2026-10-08,100\n", "utf-8")

    result = excel.dispatch(book, "import", str(export))

    assert result.ok, result.message
    raw = XlwingsWorkbook(book).read()
    assert raw["应收发票"].rows[1][:2] == ["AR-1", "C00001"]
    assert raw["客户"].rows[1][:2] == ["C00001", "甲公司"]
    assert raw["导入映射"].rows[1][0] == "应收"
    assert {c.kind for c in book.calls} <= XLWINGS_CALLS


def test_the_import_button_reads_either_way_dates_as_this_computers_excel_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The button has no --date-order: 3/4/2026 is read in Windows' regional order, and said."""
    real = pytest.importorskip("credit_register.app.usecases")
    monkeypatch.setitem(sys.modules, "credit_register.app.usecases", real)
    monkeypatch.setattr(credit_register.app, "usecases", real, raising=False)
    from credit_register.core.schema import ALL_SHEETS

    book = FakeBook(tmp_path / "credit_register.xlsm")
    for sheet in ALL_SHEETS:
        book.add(sheet.zh, [sheet.headers("zh")] if sheet.columns else [[None, "客户资信管理"]])
    book.app.api = types.SimpleNamespace(International=lambda what: 1 if what == 32 else None)
    export = tmp_path / "ar.csv"
    export.write_text("Invoice Number,Customer,Invoice Date,Amount\nINV-1,C9,3/4/2026,100\n")

    result = excel.dispatch(book, "import", str(export))

    assert result.ok, result.message
    assert XlwingsWorkbook(book).read()["应收发票"].rows[1][:3] == [
        "INV-1",
        "C9",
        dt.datetime(2026, 4, 3),
    ]
    assert any("日期按本机区域设置的日/月/年读取" in i.zh for i in result.issues)
    saved = XlwingsWorkbook(book).read()["导入映射"].rows
    assert saved[1][saved[0].index("日期顺序")] == "日/月/年"  # the label, as a user reads it


def test_the_import_button_without_a_file_imports_nothing(tmp_path: Path) -> None:
    book = register_book(tmp_path)
    before = {s.name: dict(s.cells) for s in book.sheets}
    result = excel.dispatch(book, "import")  # no path, and this Excel cannot be asked
    assert result.ok and "未选择文件" in result.message
    assert {s.name: dict(s.cells) for s in book.sheets} == before
