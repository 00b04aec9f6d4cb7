"""The headless file door: the engine writes its sheets and nothing else in the credit team's file.

The fixture is built the way the real register is (XlsxWriter with xlwings' VBA project and a
form button) and carries what an Excel user adds: a chart, comments, conditional formats, a data
validation, a defined name. After a run, every part the engine does not own must be untouched.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
import xlwings

from credit_register.adapters import register_lock
from credit_register.adapters.xlsx import FileWorkbook, backups, lock_path, sheet_xml
from credit_register.core import schema
from credit_register.core.port import CellValue, Changes, WorkbookError
from support.zipparts import sheet_parts, zip_members

RATINGS_HEADERS = schema.RATINGS.headers("zh")[:6]  # 客户编号 客户名称 评估日 财务得分 ...
HISTORY_HEADERS = schema.HISTORY.headers("zh")


def xlwings_vba_project() -> bytes:
    quickstart = Path(xlwings.__file__).parent / "quickstart.xlsm"
    with zipfile.ZipFile(quickstart) as archive:
        return archive.read("xl/vbaProject.bin")


def build_register(path: Path, date_1904: bool = False) -> Path:
    book = xlsxwriter.Workbook(str(path), {"date_1904": date_1904})
    book.add_vba_project(io.BytesIO(xlwings_vba_project()), is_stream=True)
    book.set_vba_name("ThisWorkbook")
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7"})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    amount = book.add_format({"num_format": "#,##0.00"})
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})

    dashboard = book.add_worksheet(schema.DASHBOARD.zh)
    dashboard.set_vba_name("Sheet1")
    dashboard.write("B2", "评估日")
    dashboard.write_datetime("C2", dt.datetime(2026, 3, 31), date)
    dashboard.write("B3", "总敞口")
    dashboard.write_number("C3", 0, amount)
    dashboard.write("B5", "备注")
    dashboard.write_comment("B2", "评估基准日，可修改")
    dashboard.insert_button(
        "E2",
        {"macro": "SampleCall", "caption": "运行评级与预警", "description": "credit-register:run"},
    )
    dashboard.write_formula("C7", "=C3*2", None, 0)

    customers = book.add_worksheet(schema.CUSTOMERS.zh)
    customers.set_vba_name("Sheet2")
    customers.write_row(0, 0, schema.CUSTOMERS.headers("zh"), bold)
    for row, (cid, name, sales) in enumerate(
        [("C001", "华东机械", 100000.0), ("C002", "ACME", 50000.0)], start=1
    ):
        customers.write_row(row, 0, [cid, name])
        customers.write_number(row, 17, sales, amount)
    customers.write_formula("E3", "=NA()", None, "#N/A")
    customers.data_validation("J2:J100", {"validate": "list", "source": ["国企", "民企", "外资"]})
    customers.conditional_format(
        "R2:R100", {"type": "cell", "criteria": ">", "value": 80000, "format": bold}
    )

    ratings = book.add_worksheet(schema.RATINGS.zh)
    ratings.set_vba_name("Sheet3")
    ratings.write_row(0, 0, RATINGS_HEADERS, bold)
    ratings.set_column(0, 1, 14)
    ratings.set_column(2, 2, 12, date)
    ratings.set_column(3, 5, 10, amount)
    ratings.freeze_panes(1, 0)
    ratings.autofilter(0, 0, 1, len(RATINGS_HEADERS) - 1)
    ratings.write_row(1, 0, ["OLD", "上次运行"])
    ratings.write_comment("A1", "由引擎生成")
    ratings.conditional_format("F2:F1000", {"type": "data_bar"})

    history = book.add_worksheet(schema.HISTORY.zh)
    history.set_vba_name("Sheet4")
    history.write_row(0, 0, HISTORY_HEADERS, bold)
    history.set_column(0, 0, 18, when)
    history.write_datetime(1, 0, dt.datetime(2026, 1, 5, 9, 30), when)
    history.write_row(1, 1, ["张三", "核定额度", "C001", "approved_limit", 100000, 120000, "年审"])

    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": f"='{schema.CUSTOMERS.zh}'!$R$2:$R$3"})
    dashboard.insert_chart("B10", chart)
    book.define_name("授信总额", f"='{schema.CUSTOMERS.zh}'!$R$2:$R$3")
    book.close()
    return path


@pytest.fixture
def register(tmp_path: Path) -> Path:
    return build_register(tmp_path / "credit_register.xlsm")


def ratings_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            RATINGS_HEADERS[0]: ["C001", "C002", "C003"],
            RATINGS_HEADERS[1]: [
                "华东机械有限公司",
                '=HYPERLINK("http://x","y")',
                " a<b & c\r\nd ",
            ],
            RATINGS_HEADERS[2]: pd.DatetimeIndex(["2026-03-31", "2026-03-31", None]),
            RATINGS_HEADERS[3]: [81.25, float("nan"), 0.1],
            RATINGS_HEADERS[4]: pd.array([70, None, 3], dtype="Int64"),
            RATINGS_HEADERS[5]: [True, False, None],
        }
    )


def run_changes() -> Changes:
    return Changes(
        tables={"ratings": ratings_frame()},
        append={
            "history": [
                [
                    dt.datetime(2026, 3, 31, 18, 0),
                    "李四",
                    "等级变化",
                    "C001",
                    "grade",
                    "A",
                    "AA",
                    "年度评审",
                ],
                [
                    dt.datetime(2026, 3, 31, 18, 1),
                    "李四",
                    "建议额度",
                    "C002",
                    "proposed_limit",
                    50000,
                    80000.5,
                    "=SUM(A1)",
                ],
            ]
        },
        cells={"dashboard": {"C3": 1234567.89, "D3": "元"}, "customers": {"S2": 150000.0}},
    )


def test_a_run_changes_only_the_engine_sheets(register: Path) -> None:
    before = zip_members(register)
    targeted = {
        sheet_parts(register)[schema.RATINGS.zh],
        sheet_parts(register)[schema.HISTORY.zh],
        sheet_parts(register)[schema.DASHBOARD.zh],
        sheet_parts(register)[schema.CUSTOMERS.zh],
    }
    FileWorkbook(register).apply(run_changes())
    after = zip_members(register)

    assert list(after) == list(before)  # same parts, same order
    changed = {name for name in before if before[name] != after[name]}
    assert changed == targeted
    assert after["xl/vbaProject.bin"] == xlwings_vba_project()
    vml = next(data for name, data in after.items() if name.endswith(".vml") and b"Button" in data)
    assert b"[0]!SampleCall" in vml
    with zipfile.ZipFile(register) as archive:
        for info in archive.infolist():
            with zipfile.ZipFile(backups(register)[-1]) as old:
                original = old.getinfo(info.filename)
            assert (info.date_time, info.compress_type) == (
                original.date_time,
                original.compress_type,
            )


@pytest.fixture(params=[50_000, 1], ids=["one batch", "a batch per row"])
def row_batch(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Rows are turned into XML a batch at a time: one batch, and a batch per row, write the
    same sheet."""
    monkeypatch.setattr(sheet_xml, "ROW_BATCH", request.param)
    return int(request.param)


@pytest.mark.usefixtures("row_batch")
def test_the_table_reads_back_as_written(register: Path) -> None:
    book = FileWorkbook(register)
    book.apply(run_changes())
    rows = book.read()[schema.RATINGS.zh].rows

    assert rows[0] == RATINGS_HEADERS
    assert rows[1] == ["C001", "华东机械有限公司", dt.date(2026, 3, 31), 81.25, 70.0, True]
    # a name that looks like a formula stays text; blanks stay blank; False is a value
    assert rows[2] == [
        "C002",
        '=HYPERLINK("http://x","y")',
        dt.date(2026, 3, 31),
        None,
        None,
        False,
    ]
    assert rows[3] == ["C003", " a<b & c\r\nd ", None, 0.1, 3.0, None]
    assert len(rows) == 4  # the previous run's row "OLD" is gone
    xml = zip_members(register)[sheet_parts(register)[schema.RATINGS.zh]].decode()
    assert "<f>" not in xml and "HYPERLINK" in xml
    # kept: frozen pane, widths and formats, comments' anchor; refreshed: extent and filter
    assert 'state="frozen"' in xml and '<col min="3" max="3" width="12.7109375" style="' in xml
    assert "<legacyDrawing" in xml and "<conditionalFormatting" in xml
    assert '<dimension ref="A1:F4"/>' in xml and '<autoFilter ref="A1:F4"/>' in xml


def test_column_and_header_formats_are_kept(register: Path) -> None:
    before = zip_members(register)[sheet_parts(register)[schema.RATINGS.zh]].decode()
    header_style = re.search(r'<c r="A1" s="(\d+)"', before)
    date_style = re.search(r'<col min="3" max="3"[^>]*style="(\d+)"', before)
    assert header_style and date_style
    FileWorkbook(register).apply(run_changes())

    xml = zip_members(register)[sheet_parts(register)[schema.RATINGS.zh]].decode()
    assert f'<c r="F1" s="{header_style.group(1)}"' in xml
    assert f'<c r="C2" s="{date_style.group(1)}"><v>46112</v></c>' in xml  # 2026-03-31
    sheet = openpyxl.load_workbook(register, keep_vba=True)[schema.RATINGS.zh]
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["D2"].number_format == "#,##0.00"
    assert sheet["A1"].font.bold


@pytest.mark.usefixtures("row_batch")
def test_history_is_appended_and_old_rows_stay_byte_identical(register: Path) -> None:
    part = sheet_parts(register)[schema.HISTORY.zh]
    old_rows = re.search(r"<sheetData>(.*)</sheetData>", zip_members(register)[part].decode(), re.S)
    assert old_rows
    book = FileWorkbook(register)
    book.apply(run_changes())

    xml = zip_members(register)[part].decode()
    assert old_rows.group(1) in xml
    assert '<dimension ref="A1:H4"/>' in xml
    rows = book.read()[schema.HISTORY.zh].rows
    assert len(rows) == 4
    assert rows[1][:2] == [dt.datetime(2026, 1, 5, 9, 30), "张三"]
    assert rows[2] == [
        dt.datetime(2026, 3, 31, 18, 0),
        "李四",
        "等级变化",
        "C001",
        "grade",
        "A",
        "AA",
        "年度评审",
    ]
    assert rows[3][5:] == [50000.0, 80000.5, "=SUM(A1)"]


def test_single_cells_are_set_in_place(register: Path) -> None:
    book = FileWorkbook(register)
    book.apply(run_changes())
    sheets = book.read()

    dashboard = sheets[schema.DASHBOARD.zh].rows
    assert dashboard[2][1:4] == ["总敞口", 1234567.89, "元"]  # C3 replaced, D3 inserted after it
    assert dashboard[1][2] == dt.date(2026, 3, 31)  # untouched neighbour
    customers = sheets[schema.CUSTOMERS.zh].rows
    assert customers[1][18] == 150000.0 and customers[1][17] == 100000.0
    xml = zip_members(register)[sheet_parts(register)[schema.DASHBOARD.zh]].decode()
    amount_style = re.search(
        r'<c r="C3" s="(\d+)"><v>1234567.89</v></c><c r="D3" t="inlineStr">', xml
    )
    assert amount_style  # the figure keeps its number format
    assert "<f>C3*2</f>" in xml  # the Dashboard's own formula is left alone


def test_replacing_a_formula_cell_drops_the_calculation_chain(tmp_path: Path) -> None:
    path = build_register(tmp_path / "book.xlsm")
    # XlsxWriter writes no calcChain; give the file one, as Excel would
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp_path / "x.xlsm", "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/calcChain.xml" '
                    b'ContentType="application/vnd.openxmlformats-officedocument.'
                    b'spreadsheetml.calcChain+xml"/></Types>',
                )
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rId99" Type="http://'
                    b"schemas.openxmlformats.org/officeDocument/2006/relationships/"
                    b'calcChain" Target="calcChain.xml"/></Relationships>',
                )
            out.writestr(info, data)
        out.writestr(
            "xl/calcChain.xml",
            b'<calcChain xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><c r="C7" i="1"/></calcChain>',
        )
    book = FileWorkbook(tmp_path / "x.xlsm")
    book.apply(Changes(cells={"ratings": {"A9": "x"}}))
    assert "xl/calcChain.xml" in zip_members(tmp_path / "x.xlsm")  # no formula touched: kept
    book.apply(Changes(cells={"dashboard": {"C7": 5}}))
    files = zip_members(tmp_path / "x.xlsm")
    assert "xl/calcChain.xml" not in files
    assert b"calcChain" not in files["[Content_Types].xml"]
    assert b"calcChain" not in files["xl/_rels/workbook.xml.rels"]
    assert book.read()[schema.DASHBOARD.zh].rows[6][2] == 5.0
    openpyxl.load_workbook(tmp_path / "x.xlsm", keep_vba=True)


def test_a_missing_output_sheet_is_added(register: Path) -> None:
    alerts = pd.DataFrame(
        {"预警编号": ["C001|overdue"], "发现日": [dt.date(2026, 3, 31)], "级别": ["预警"]}
    )
    book = FileWorkbook(register)
    book.apply(Changes(tables={"alerts": alerts}))

    rows = book.read()[schema.ALERTS.zh].rows
    assert rows == [["预警编号", "发现日", "级别"], ["C001|overdue", dt.date(2026, 3, 31), "预警"]]
    loaded = openpyxl.load_workbook(register, keep_vba=True)
    assert loaded.sheetnames[-1] == schema.ALERTS.zh
    assert loaded[schema.ALERTS.zh]["B2"].is_date


def test_error_cells_read_as_their_text(register: Path) -> None:
    rows = FileWorkbook(register).read()[schema.CUSTOMERS.zh].rows
    assert rows[2][4] == "#N/A"
    assert rows[2][:2] == ["C002", "ACME"] and rows[1][4] is None


def test_1904_workbooks_get_1904_serials(tmp_path: Path) -> None:
    path = build_register(tmp_path / "mac.xlsm", date_1904=True)
    book = FileWorkbook(path)
    book.apply(Changes(tables={"ratings": ratings_frame()}))
    xml = zip_members(path)[sheet_parts(path)[schema.RATINGS.zh]].decode()
    assert re.search(r'<c r="C2" s="\d+"><v>44650</v></c>', xml)  # 46112 - 1462
    assert book.read()[schema.RATINGS.zh].rows[1][2] == dt.date(2026, 3, 31)


def test_awkward_text_survives(register: Path) -> None:
    texts = ["_x0041_", "tab\there", "bell\x07gone", "😀 emoji", "=1+1", "-5", "@x", "+1"]
    frame = pd.DataFrame({RATINGS_HEADERS[0]: texts})
    book = FileWorkbook(register)
    book.apply(Changes(tables={"ratings": frame}))
    read = [row[0] for row in book.read()[schema.RATINGS.zh].rows[1:]]
    assert read == ["_x0041_", "tab\there", "bellgone", "😀 emoji", "=1+1", "-5", "@x", "+1"]


def test_a_failed_rename_leaves_the_workbook_untouched(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = register.read_bytes()
    real_replace = os.replace
    lock_file_name = register_lock.lock_file(register).name

    def fail_on_workbook(src: str | Path, dst: str | Path) -> None:
        if Path(dst) == register:
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", fail_on_workbook)
    with pytest.raises(WorkbookError, match="disk full"):
        FileWorkbook(register).apply(run_changes())
    assert register.read_bytes() == before
    # the backup of the version the rename would have replaced, and no temporary file (the
    # register's lock file stays: the OS lock lives on it)
    assert sorted(p.name for p in register.parent.iterdir() if p.name != lock_file_name) == sorted(
        [register.name, backups(register)[-1].name]
    )


def test_a_value_failing_midway_leaves_the_workbook_untouched(register: Path) -> None:
    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("cannot print")

    before = register.read_bytes()
    frame = pd.DataFrame({RATINGS_HEADERS[0]: ["C001", Unprintable()]})
    with pytest.raises(RuntimeError):
        FileWorkbook(register).apply(Changes(tables={"ratings": frame}))
    assert register.read_bytes() == before
    lock_file_name = register_lock.lock_file(register).name
    assert [p.name for p in register.parent.iterdir() if p.name != lock_file_name] == [
        register.name
    ]


def test_a_workbook_open_in_excel_is_refused(register: Path) -> None:
    lock_path(register).write_bytes(b"owner")
    before = register.read_bytes()
    with pytest.raises(WorkbookError, match="open in Excel"):
        FileWorkbook(register).apply(run_changes())
    assert register.read_bytes() == before


def test_each_previous_version_is_kept_as_a_time_stamped_backup(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CREDIT_REGISTER_BACKUPS", "2")
    versions = [register.read_bytes()]
    book = FileWorkbook(register)
    for value in (1, 2, 3):
        book.apply(Changes(cells={"dashboard": {"C3": value}}))
        versions.append(register.read_bytes())
    kept = backups(register)
    assert [p.read_bytes() for p in kept] == versions[1:3]  # the newest two, oldest first
    assert all(re.fullmatch(r"credit_register\.bak-\d{8}-\d{6}-\d{6}\.xlsm", p.name) for p in kept)


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "not found"),
        (b"", "empty"),
        (b"invoice_no,amount\n1,2\n", "not an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "password-protected"),
    ],
)
def test_what_is_not_a_workbook_says_so(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "register.xlsm"
    if content is not None:
        path.write_bytes(content)
    book = FileWorkbook(path)
    assert book.label == "register.xlsm" and book.selection() is None
    with pytest.raises(WorkbookError, match=message):
        book.read()
    with pytest.raises(WorkbookError, match=message):
        book.apply(run_changes())


def test_a_damaged_zip_says_so(tmp_path: Path) -> None:
    path = tmp_path / "register.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(WorkbookError, match="damaged or not an Excel workbook"):
        FileWorkbook(path).read()
    with pytest.raises(WorkbookError, match="damaged or not an Excel workbook"):
        FileWorkbook(path).apply(run_changes())


def test_rows_appended_to_an_input_sheet_take_the_formats_above_and_leave_the_rest(
    register: Path,
) -> None:
    """An import appends customers: the team's own rows stay byte for byte, a new row's amount
    takes the cell format of the row above it, and nothing else in the package changes."""
    before = zip_members(register)
    part = sheet_parts(register)[schema.CUSTOMERS.zh]
    old_rows = re.search(r"<sheetData>(.*)</sheetData>", before[part].decode(), re.S)
    amount_style = re.search(r'<c r="R3" s="(\d+)"', before[part].decode())
    assert old_rows and amount_style
    new_customer: list[CellValue] = [None] * len(schema.CUSTOMERS.columns)
    new_customer[:2] = ["C003", "新客户有限公司"]
    new_customer[17] = 30000.0
    book = FileWorkbook(register)
    book.apply(Changes(append={"customers": [new_customer]}, cells={"customers": {"B2": "华东"}}))

    after = zip_members(register)
    assert {name for name in before if before[name] != after[name]} == {part}
    xml = after[part].decode()
    assert old_rows.group(1).split('<row r="2"', 1)[0] in xml  # the header row untouched
    assert '<row r="3"' in xml and old_rows.group(1).split('<row r="3"', 1)[1] in xml
    assert f'<c r="R4" s="{amount_style.group(1)}"><v>30000</v></c>' in xml
    rows = book.read()[schema.CUSTOMERS.zh].rows
    assert rows[3][:2] == ["C003", "新客户有限公司"] and rows[1][:2] == ["C001", "华东"]
