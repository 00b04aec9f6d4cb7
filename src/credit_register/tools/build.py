"""Build a new register workbook: every sheet, header, format, drop-down and the Dashboard buttons.

``credit-register init`` hands a finance user a workbook that is ready to type into and whose
buttons work. It is built with XlsxWriter (never by round-tripping a template through openpyxl,
which drops parts of a workbook; see DESIGN.md), so the file is reproducible from a command and
checked by a test (``workbook_contents``: build twice, compare).

Decisions:

- **VBA: xlwings' standalone quickstart.** The ``xl/vbaProject.bin`` is read at build time from the
  ``quickstart_standalone.xlsm`` that the *installed* xlwings package ships (never copied into this
  repository). It embeds the full xlwings VBA module, pinned to the installed xlwings version, so a
  finance user does not need ``xlwings addin install`` (the plain quickstart references the add-in,
  a second install step on every PC). Its one macro is ``Module1.SampleCall``, which runs
  ``RunPython "import <workbook name>;<workbook name>.main()"``; the template's codenames are
  ``ThisWorkbook`` and ``Sheet1``/``Sheet2`` (XlsxWriter names our sheets ``Sheet1``…``SheetN``,
  Excel adds the missing document modules on open). Every Dashboard button is bound to
  ``SampleCall``; ``credit_register.main()`` tells the buttons apart by their alt text.
- **The companion module.** Because the macro imports the workbook's own name, a workbook saved as
  ``<stem>.xlsm`` needs a module ``<stem>.py`` beside it (xlwings puts the workbook's folder on
  ``sys.path``). For ``credit_register.xlsm`` the installed package itself answers; for any other
  name ``build_workbook`` writes the one-line ``<stem>.py`` (``from credit_register import main``).
  So the stem must be a Python identifier, and a different ``<stem>.py`` already there is never
  replaced (it is the user's own script).
- **Formats as column formats.** Each column's number format is set with ``set_column``: Excel
  gives a cell the user types the column's style, and so does the headless writer when it adds
  rows. XlsxWriter also stamps the column's style on every written cell, so data cells carry it.
- **Drop-downs** on every ``code`` and ``bool`` column a *person* types (input sheets, the Alerts
  user columns), in the workbook's language, error style "warning": a user may still paste the
  other language's label or the code key, which the reader accepts.
- **Constant memory, row by row.** The benchmark register (500,000 invoices) is built with the
  same code, so XlsxWriter runs in ``constant_memory`` mode, which needs rows in order. Values are
  prepared per column with pandas (dates to Excel serials, codes to labels, bools to 是/否), and
  XlsxWriter writes the rows. Text is never read as a formula (``strings_to_formulas`` off: a name
  beginning with ``=`` stays text) nor as a link.
- **Reproducible.** Fixed creation date and author; XlsxWriter stamps zip entries with a fixed
  date, so two builds of the same register are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import io
import keyword
import os
import re
import tempfile
import unicodedata
import warnings
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from credit_register.core import dashboard
from credit_register.core.schema import AGEING as AGEING_SHEET
from credit_register.core.schema import (
    ALERTS,
    ALL_SHEETS,
    BASE_CURRENCY_DEFAULT,
    FX,
    INPUT_SHEETS,
    ISSUES,
    POLICY,
    RATINGS,
    Column,
    Language,
    Sheet,
)

#: the one macro of xlwings' quickstart workbooks; every button runs it
MACRO = "SampleCall"
VBA_TEMPLATE = "quickstart_standalone.xlsm"
WORKBOOK_CODENAME = "ThisWorkbook"
#: the engine-facing name of a workbook whose macro needs no companion module
PACKAGE_STEM = "credit_register"
#: fixed so that the same register always builds the same bytes
CREATED = dt.datetime(2026, 1, 1)
AUTHOR = "Credit Register"
#: drop-downs and conditional formats reach this far below the header, or to the data's end
VALIDATION_LAST_ROW = 10_000
HIGHLIGHT_LAST_ROW = 20_000

NUMBER_FORMATS: dict[str, str] = {
    "amount": "#,##0.00",
    "pct": "0.0%",
    "int": "0",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "score": "0.0",
    "ratio": "0.00",
    "rate": "0.0000",
    "number": "0.00",
}
#: the format a column gets when the schema names none
_TYPE_FORMAT = {"date": "date", "datetime": "datetime", "int": "int", "number": "amount"}
#: narrowest width that still shows a formatted value without ####
_MIN_WIDTH = {"date": 11.0, "datetime": 17.0, "amount": 14.0}

BOOL_LABELS: dict[Language, tuple[str, str]] = {"zh": ("是", "否"), "en": ("Yes", "No")}

HEADER_FILL = "#DDEBF7"
USER_HEADER_FILL = "#FCE4D6"
INPUT_CELL_FILL = "#FFF2CC"
RED_FILL, RED_FONT = "#FFC7CE", "#9C0006"
AMBER_FILL, AMBER_FONT = "#FFEB9C", "#9C5700"
YELLOW_FILL = "#FFF9E5"

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_ONE_DAY = pd.Timedelta(days=1)

#: what each button does, for the how-to note on the Dashboard ({issues} etc. are sheet names)
_ACTION_HELP: dict[str, tuple[str, str]] = {
    "validate": (
        "检查所有输入表，问题列在「{issues}」表",
        "checks every input sheet; problems go to {issues}",
    ),
    "run": (
        "评级、建议额度与账期、账龄和预警，写入「{ratings}」「{ageing}」「{alerts}」表",
        "rates customers, proposes limits and terms, ages receivables and raises alerts "
        "on {ratings}, {ageing} and {alerts}",
    ),
    "contract": (
        "为所选客户生成合同草稿（Word）",
        "drafts a contract (Word) for the selected customer",
    ),
    "report": (
        "为所选客户生成资信报告（Word）",
        "writes a credit report (Word) for the selected customer",
    ),
    "review": (
        "生成月度信用评审材料并发送邮件",
        "builds the monthly credit review pack and e-mails it",
    ),
    "check_order": (
        "按上方客户编号、订单金额和币种检查订单是否在额度内",
        "checks the order above (customer, amount, currency) against the credit limit",
    ),
    "approve": (
        "把「{ratings}」表所选行的建议额度写入核定额度（记入「{history}」）",
        "copies the proposed limits of the selected {ratings} rows to the approved limit "
        "(logged on {history})",
    ),
}
_HEADLINE_FORMAT = {
    "last_run": "datetime",
    "errors": "int",
    "warnings": "int",
    "total_exposure": "amount",
    "overdue_pct": "pct",
    "dso": "score",
}


# --------------------------------------------------------------------------- public API


def build_workbook(
    path: Path,
    *,
    lang: Language = "zh",
    demo: bool = False,
    tables: dict[str, pd.DataFrame] | None = None,
    as_of: dt.date | None = None,
    overwrite: bool = False,
) -> Path:
    """Write a new register workbook at ``path`` (``.xlsm``) and return its path.

    ``tables`` (sheet key → frame with schema keys as columns) fills the sheets; without it,
    ``demo=True`` fills them with the demo register. Text is ``str``, numbers ``float``, dates
    ``datetime.date``, bools ``bool``, code columns the code *keys*; a column or a sheet may be
    missing. The Policy sheet gets the default policy and the FX sheet the base currency unless
    ``tables`` brings them. ``as_of`` (else the demo's as-of date for a demo) fills the
    Dashboard's as-of cell.

    Raises ``ValueError`` for a path that is not ``.xlsm`` or whose name cannot be imported by the
    macro, and ``FileExistsError`` rather than overwrite a file (unless ``overwrite``).
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsm":
        raise ValueError(
            f"{path.name}: 工作簿须为启用宏的 .xlsm 文件 "
            "(the workbook must be a macro-enabled .xlsm file)"
        )
    stem = path.stem
    if not stem.isidentifier() or keyword.iskeyword(stem):
        raise ValueError(
            f"{path.name}: 文件名须为字母、数字或下划线且不以数字开头，按钮的宏会 import 它 "
            f"(the file name must be a Python identifier such as credit_register_2026: "
            f"the button macro imports it)"
        )
    companion = path.with_name(f"{stem}.py") if stem != PACKAGE_STEM else None
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path}: 文件已存在，未覆盖 (file exists; not overwritten)")
    # a user's own script of that name is never replaced, not even with ``overwrite``
    if (
        companion is not None
        and companion.exists()
        and companion.read_text(encoding="utf-8", errors="replace") != companion_module(stem)
    ):
        raise FileExistsError(
            f"{companion}: 同名 Python 文件已存在，按钮需要它导入 credit_register；请换一个文件名 "
            f"(a different Python file of that name exists; the buttons need it to import "
            f"credit_register: choose another workbook name)"
        )

    data: dict[str, pd.DataFrame] = dict(tables) if tables is not None else {}
    if tables is None and demo:
        data = _demo_tables()
    if as_of is None and demo:
        as_of = _demo_as_of()

    path.parent.mkdir(parents=True, exist_ok=True)
    # write beside the target, then rename: a half-written register never replaces a good one
    fd, tmp_name = tempfile.mkstemp(suffix=".xlsm", prefix=f".{stem}-", dir=path.parent)
    os.close(fd)
    try:
        _write_workbook(Path(tmp_name), lang=lang, data=data, as_of=as_of)
        os.replace(tmp_name, path)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    if companion is not None:
        companion.write_text(companion_module(stem), encoding="utf-8")
    return path


def companion_module(stem: str) -> str:
    """The ``<stem>.py`` that lets the macro's ``import <stem>; <stem>.main()`` find the engine."""
    return (
        f'"""Excel entry point of {stem}.xlsm: its buttons run `import {stem}; {stem}.main()`."""\n'
        "\n"
        "from credit_register import main  # noqa: F401\n"
    )


def vba_project_bytes() -> bytes:
    """``xl/vbaProject.bin`` of the installed xlwings package's standalone quickstart workbook."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise RuntimeError("xlwings is not installed: the workbook's buttons need its VBA module")
    template = Path(spec.origin).parent / VBA_TEMPLATE
    with zipfile.ZipFile(template) as archive:
        return archive.read("xl/vbaProject.bin")


# --------------------------------------------------------------------------- the writer


class _Styles:
    """The workbook's formats, made once (XlsxWriter formats belong to one workbook)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.header = book.add_format(
            {"bold": True, "bg_color": HEADER_FILL, "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.user_header = book.add_format(
            {
                "bold": True,
                "bg_color": USER_HEADER_FILL,
                "border": 1,
                "text_wrap": True,
                "valign": "top",
            }
        )
        self.title = book.add_format({"bold": True, "font_size": 16})
        self.bold = book.add_format({"bold": True})
        self.label = book.add_format({"bold": True, "align": "right"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.red = book.add_format({"bg_color": RED_FILL, "font_color": RED_FONT})
        self.amber = book.add_format({"bg_color": AMBER_FILL, "font_color": AMBER_FONT})
        self.yellow = book.add_format({"bg_color": YELLOW_FILL})
        self._numbers: dict[str, Format] = {}
        self._inputs: dict[str | None, Format] = {}

    def number(self, fmt: str | None) -> Format | None:
        if fmt is None or fmt not in NUMBER_FORMATS:
            return None
        if fmt not in self._numbers:
            self._numbers[fmt] = self.book.add_format({"num_format": NUMBER_FORMATS[fmt]})
        return self._numbers[fmt]

    def user_input(self, fmt: str | None) -> Format:
        """A Dashboard cell the user fills: shaded and boxed, with its number format."""
        if fmt not in self._inputs:
            props: dict[str, Any] = {"bg_color": INPUT_CELL_FILL, "border": 1}
            if fmt in NUMBER_FORMATS:
                props["num_format"] = NUMBER_FORMATS[fmt]
            self._inputs[fmt] = self.book.add_format(props)
        return self._inputs[fmt]


def _write_workbook(
    target: Path, *, lang: Language, data: dict[str, pd.DataFrame], as_of: dt.date | None
) -> None:
    book = xlsxwriter.Workbook(
        str(target),
        {
            "constant_memory": True,
            # a name like "=SUM(...)" or "-A" typed as text stays text; e-mails stay plain text
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    book.set_properties(
        {
            "title": dashboard.TITLE[lang],
            "author": AUTHOR,
            "company": AUTHOR,
            "created": CREATED,
            "comments": "credit-register init",
        }
    )
    book.set_custom_property("xlwings_version", _xlwings_version())
    book.add_vba_project(io.BytesIO(vba_project_bytes()), is_stream=True)
    book.set_vba_name(WORKBOOK_CODENAME)
    styles = _Styles(book)

    for sheet in ALL_SHEETS:
        ws = book.add_worksheet(sheet.name(lang))
        if sheet.kind == "dashboard":
            _write_dashboard(ws, styles, lang, as_of)
            ws.activate()
            continue
        frame = data.get(sheet.key)
        if frame is None and sheet.key == POLICY.key:
            frame = _policy_frame(lang)
        if frame is None and sheet.key == FX.key:
            frame = pd.DataFrame(
                {"currency": [BASE_CURRENCY_DEFAULT], "rate_to_base": [1.0], "as_of": [as_of]}
            )
        _write_table_sheet(ws, styles, sheet, lang, frame)
    book.close()


def _write_table_sheet(
    ws: Worksheet, styles: _Styles, sheet: Sheet, lang: Language, frame: pd.DataFrame | None
) -> None:
    n_rows = 0 if frame is None else len(frame)
    last_col = len(sheet.columns) - 1
    for index, column in enumerate(sheet.columns):
        fmt = _column_fmt(column)
        ws.set_column(index, index, column_width(column, lang), styles.number(fmt))
    for index, column in enumerate(sheet.columns):
        header_style = styles.user_header if column.role == "user" else styles.header
        ws.write_string(0, index, column.header(lang), header_style)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(n_rows, 1), last_col)

    _add_drop_downs(ws, sheet, lang, n_rows)
    _add_highlights(ws, styles, sheet, lang, n_rows)

    if frame is None or n_rows == 0:
        return
    columns = [_cell_values(frame, column, lang) for column in sheet.columns]
    # constant-memory mode writes a row at a time, in order; the values are prepared per column
    for row_number, row in enumerate(zip(*columns, strict=True), start=1):
        ws.write_row(row_number, 0, row)


def _add_drop_downs(ws: Worksheet, sheet: Sheet, lang: Language, n_rows: int) -> None:
    last_row = max(VALIDATION_LAST_ROW, n_rows + 1) - 1
    for index, column in enumerate(sheet.columns):
        if column.role not in ("input", "engine", "user"):
            continue
        labels = _choices(column, lang)
        if not labels:
            continue
        ws.data_validation(
            1,
            index,
            last_row,
            index,
            {
                "validate": "list",
                "source": labels,
                "error_type": "warning",
                "input_title": column.header(lang)[:32],
                "input_message": ("请从列表中选择：" if lang == "zh" else "Choose from the list: ")
                + " / ".join(labels),
                "error_title": column.header(lang)[:32],
                "error_message": (
                    "不在列表中；仍可保留（校验时会检查）。"
                    if lang == "zh"
                    else "Not in the list; you may keep it (Validate checks it)."
                ),
            },
        )


def _choices(column: Column, lang: Language) -> list[str]:
    if column.type == "bool":
        return list(BOOL_LABELS[lang])
    if column.type == "code":
        return [code.label(lang) for code in column.codes]
    return []


def _add_highlights(
    ws: Worksheet, styles: _Styles, sheet: Sheet, lang: Language, n_rows: int
) -> None:
    """Conditional formats on the output sheets; they live outside the cell data, so the engine's
    rewrite of the rows keeps them."""
    last_row = max(HIGHLIGHT_LAST_ROW, n_rows + 1) - 1

    def highlight(key: str, criteria: str, value: object, style: Format) -> None:
        index = [c.key for c in sheet.columns].index(key)
        ws.conditional_format(
            1,
            index,
            last_row,
            index,
            {"type": "cell", "criteria": criteria, "value": value, "format": style},
        )

    if sheet.key == AGEING_SHEET.key:
        for key, style in (
            ("d1_30", styles.yellow),
            ("d31_60", styles.yellow),
            ("d61_90", styles.amber),
            ("d91_180", styles.amber),
            ("d181_365", styles.red),
            ("over_365", styles.red),
        ):
            highlight(key, ">", 0, style)
        highlight("overdue_pct", ">", 0.2, styles.red)
    elif sheet.key == ALERTS.key:
        severity = ALERTS.column("severity")
        for code_key, style in (("block", styles.red), ("warning", styles.amber)):
            label = next(c.label(lang) for c in severity.codes if c.key == code_key)
            highlight("severity", "==", f'"{label}"', style)
    elif sheet.key == RATINGS.key:
        highlight("grade", "==", '"C"', styles.red)
    elif sheet.key == ISSUES.key:
        error = next(c.label(lang) for c in ISSUES.column("severity").codes if c.key == "error")
        highlight("severity", "==", f'"{error}"', styles.red)


def _write_dashboard(ws: Worksheet, styles: _Styles, lang: Language, as_of: dt.date | None) -> None:
    ws.set_column(0, 0, 2)
    ws.set_column(1, 1, 30)
    ws.set_column(2, 2, 22)
    ws.set_column(3, 3, 3)
    ws.set_column(4, 4, 34)
    ws.hide_gridlines(2)

    cells: dict[tuple[int, int], tuple[object, Format | None]] = {}

    def put(address: str, value: object, style: Format | None) -> None:
        row, col = _cell_index(address)
        cells[(row, col)] = (value, style)

    put(dashboard.TITLE_CELL, dashboard.TITLE[lang], styles.title)
    user_fmt = {dashboard.AS_OF.key: "date", dashboard.ORDER_AMOUNT.key: "amount"}
    for user_field in dashboard.USER_FIELDS:
        put(user_field.label_cell, user_field.label(lang), styles.label)
        value = _excel_serial(as_of) if user_field is dashboard.AS_OF and as_of else None
        put(user_field.cell, value, styles.user_input(user_fmt.get(user_field.key)))
    for headline in dashboard.HEADLINES:
        put(headline.label_cell, headline.label(lang), styles.label)
        put(headline.cell, None, styles.number(_HEADLINE_FORMAT.get(headline.key)))

    action_row, action_col = _cell_index(dashboard.ACTION.cell)
    keys = [action.key for action in dashboard.ACTIONS]
    ws.data_validation(
        action_row,
        action_col,
        action_row,
        action_col,
        {
            "validate": "list",
            "source": keys,
            "error_type": "warning",
            "input_title": dashboard.ACTION.label(lang)[:32],
            "input_message": " / ".join(f"{a.key} = {a.caption(lang)}" for a in dashboard.ACTIONS)[
                :255
            ],
        },
    )

    last_row = max(row for row, _ in cells)
    for line_number, (line, style) in enumerate(_how_to(lang), start=last_row + 3):
        cells[(line_number, 1)] = (line, style)

    # constant-memory mode: cells in row order
    for (row, col), (content, look) in sorted(cells.items()):
        if content is None:
            if look is not None:
                ws.write_blank(row, col, None, look)
        elif isinstance(content, str):
            ws.write_string(row, col, content, look)
        else:
            ws.write(row, col, content, look)

    for number, action in enumerate(dashboard.ACTIONS):
        ws.insert_button(
            dashboard.BUTTON_FIRST_ROW + 2 * number,
            dashboard.BUTTON_COLUMN,
            {
                "macro": MACRO,
                "caption": action.caption(lang),
                "description": action.alt_text,
                "width": 230,
                "height": 32,
                "x_offset": 2,
                "y_offset": 4,
            },
        )


def _how_to(lang: Language) -> list[tuple[str, Format | None]]:
    """A short note: which sheets to fill and what each button does, in the workbook's language."""
    names = {s.key: s.name(lang) for s in ALL_SHEETS}
    typed = [s.name(lang) for s in INPUT_SHEETS if s.key not in (POLICY.key, FX.key)]
    if lang == "zh":
        lines = [
            "使用说明",
            f"1. 在 {'、'.join(typed)} 表中填写数据：第 1 行为表头，从第 2 行起每行一条。",
            f"2. 「{names['policy']}」表可调整信用政策参数，「{names['fx']}」表填写外币折算汇率。",
            "3. 填写上方评估日（空=今天），然后点击按钮：",
        ]
    else:
        lines = [
            "How to use",
            f"1. Fill in {', '.join(typed)}: headers in row 1, one record per row from row 2.",
            f"2. Adjust the credit policy on {names['policy']}; "
            f"foreign-currency rates go on {names['fx']}.",
            "3. Set the as-of date above (blank = today), then press a button:",
        ]
    out: list[tuple[str, Format | None]] = [(lines[0], None)]
    out += [(line, None) for line in lines[1:]]
    for action in dashboard.ACTIONS:
        zh, en = _ACTION_HELP.get(action.key, ("", ""))
        what = (zh if lang == "zh" else en).format(**names)
        sep = "：" if lang == "zh" else ": "
        out.append(
            (
                f"   • {action.caption(lang)}{sep}{what}"
                if what
                else f"   • {action.caption(lang)}",
                None,
            )
        )
    return out


# --------------------------------------------------------------------------- values and widths


def _cell_values(frame: pd.DataFrame, column: Column, lang: Language) -> list[object]:
    """One column's cell values, ready for XlsxWriter: Excel serials for dates, labels for codes
    and bools, ``None`` for a blank; a value that does not fit the type is written as given."""
    if column.key not in frame.columns:
        return [None] * len(frame)
    series = frame[column.key]
    raw = series.astype(object).to_numpy()
    if column.type in ("date", "datetime"):
        stamps = pd.to_datetime(series, errors="coerce")
        values = ((stamps - _EXCEL_EPOCH) / _ONE_DAY).to_numpy(dtype=float, na_value=np.nan)
        out = values.astype(object)
        failed = np.isnan(values)
        out[failed] = raw[failed]
    elif column.type in ("number", "int"):
        numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        out = numbers.astype(object)
        failed = np.isnan(numbers)
        out[failed] = raw[failed]
    elif column.type in ("bool", "code"):
        labels = _label_map(column, lang)
        mapped = series.astype(object).map(labels)
        out = mapped.where(mapped.notna(), series.astype(object)).to_numpy(dtype=object)
    else:
        out = raw.copy()
    out[pd.isna(out)] = None
    return list(out)


def _label_map(column: Column, lang: Language) -> dict[object, str]:
    if column.type == "bool":
        yes, no = BOOL_LABELS[lang]
        return {True: yes, False: no}
    labels: dict[object, str] = {}
    for code in column.codes:
        for spelling in (code.key, code.zh, code.en):
            labels[spelling] = code.label(lang)
    return labels


def display_width(text: str) -> int:
    """Character cells a text takes in Excel's default font: CJK and full-width count double.

    >>> display_width("Amount"), display_width("账期(天)")
    (6, 8)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def column_width(column: Column, lang: Language) -> float:
    """The schema's width, else one that fits the header (and a formatted value)."""
    if column.width is not None:
        return column.width
    fmt = _column_fmt(column)
    fitted = float(display_width(column.header(lang)) + 3)
    return min(max(fitted, _MIN_WIDTH.get(fmt or "", 8.0)), 50.0)


def _column_fmt(column: Column) -> str | None:
    return column.fmt or _TYPE_FORMAT.get(column.type)


def _excel_serial(day: dt.date) -> float:
    return float((pd.Timestamp(day) - _EXCEL_EPOCH) / _ONE_DAY)


_CELL = re.compile(r"^([A-Z]+)(\d+)$")


def _cell_index(address: str) -> tuple[int, int]:
    """``C3`` → ``(2, 2)`` (0-based row, column)."""
    match = _CELL.match(address)
    if match is None:
        raise ValueError(f"not a cell address: {address}")
    letters, digits = match.groups()
    col = 0
    for letter in letters:
        col = col * 26 + ord(letter) - 64
    return int(digits) - 1, col - 1


# --------------------------------------------------------------------------- other modules


def _policy_rows(lang: Language) -> list[tuple[str, object, str, str]]:
    from credit_register.policy import default_policy_rows

    rows: list[tuple[str, object, str, str]] = default_policy_rows(lang)
    return rows


def _policy_frame(lang: Language) -> pd.DataFrame:
    return pd.DataFrame(
        [list(row) for row in _policy_rows(lang)],
        columns=[c.key for c in POLICY.columns],
        dtype=object,
    )


def _demo_tables() -> dict[str, pd.DataFrame]:
    from credit_register.tools.demo import demo_tables

    tables: dict[str, pd.DataFrame] = demo_tables()
    return tables


def _demo_as_of() -> dt.date:
    from credit_register.tools.demo import DEMO_AS_OF

    as_of: dt.date = DEMO_AS_OF
    return as_of


def _xlwings_version() -> str:
    from importlib.metadata import version

    return version("xlwings")


# --------------------------------------------------------------------------- reading back


_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
#: sheet XML parts that describe layout rather than cell data
_LAYOUT_PARTS = (
    "sheetPr",
    "sheetViews",
    "cols",
    "autoFilter",
    "dataValidations",
    "conditionalFormatting",
)


def workbook_contents(path: Path) -> dict[str, Any]:
    """A deterministic description of a built workbook, for "rebuild and compare" tests.

    Per sheet (in tab order): its codename, cell values as python-calamine reads them, and its
    layout (column widths and styles, frozen pane, autofilter, drop-downs, conditional formats)
    from the sheet XML; the Dashboard's buttons (caption, macro, alt text) from the VML drawing;
    the VBA project's SHA-256 and its modules' code. Timestamps (``docProps/core.xml``) are left
    out.
    """
    from lxml import etree
    from python_calamine import CalamineWorkbook

    path = Path(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}

    workbook_xml = etree.fromstring(parts["xl/workbook.xml"])
    rels = _relationships(parts, "xl/_rels/workbook.xml.rels")
    calamine = CalamineWorkbook.from_path(str(path))
    sheets: dict[str, Any] = {}
    for element in workbook_xml.iter(f"{{{_MAIN_NS}}}sheet"):
        name = element.get("name")
        target = "xl/" + rels[element.get(f"{{{_REL_NS}}}id")].lstrip("/").removeprefix("xl/")
        sheet_xml = etree.fromstring(parts[target])
        layout = {
            part: [_describe(e) for e in sheet_xml.iter(f"{{{_MAIN_NS}}}{part}")]
            for part in _LAYOUT_PARTS
        }
        sheets[name] = {
            "cells": calamine.get_sheet_by_name(name).to_python(skip_empty_area=False),
            "layout": layout,
            "buttons": _buttons(parts, target),
        }

    vba = parts.get("xl/vbaProject.bin", b"")
    workbook_pr = workbook_xml.find(f"{{{_MAIN_NS}}}workbookPr")
    return {
        "sheet_order": list(sheets),
        "workbook_codename": None if workbook_pr is None else workbook_pr.get("codeName"),
        "sheets": sheets,
        "vba_sha256": hashlib.sha256(vba).hexdigest(),
        "vba_modules": _vba_modules(vba),
        "parts": sorted(n for n in parts if n != "docProps/core.xml"),
    }


def _relationships(parts: dict[str, bytes], rels_name: str) -> dict[str, str]:
    from lxml import etree

    if rels_name not in parts:
        return {}
    root = etree.fromstring(parts[rels_name])
    return {r.get("Id"): r.get("Target") for r in root.iter(f"{{{_PKG_REL_NS}}}Relationship")}


def _describe(element: Any) -> dict[str, Any]:
    """An XML element as nested plain data, without namespaces or volatile ids."""
    attrs = {
        _local(k): v for k, v in sorted(element.attrib.items()) if "uid" not in _local(k).lower()
    }
    children = [_describe(child) for child in element if isinstance(child.tag, str)]
    text = (element.text or "").strip()
    return {"tag": _local(element.tag), "attrs": attrs, "text": text, "children": children}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _buttons(parts: dict[str, bytes], sheet_part: str) -> list[dict[str, str]]:
    """The form buttons of a sheet as its VML drawing holds them."""
    from lxml import etree

    folder, name = sheet_part.rsplit("/", 1)
    rels = _relationships(parts, f"{folder}/_rels/{name}.rels")
    buttons: list[dict[str, str]] = []
    for target in rels.values():
        if not target.endswith(".vml"):
            continue
        vml_name = os.path.normpath(f"{folder}/{target}").replace(os.sep, "/")
        root = etree.fromstring(parts[vml_name], etree.XMLParser(recover=True))
        for shape in root.iter("{urn:schemas-microsoft-com:vml}shape"):
            client = shape.find("{urn:schemas-microsoft-com:office:excel}ClientData")
            if client is None or client.get("ObjectType") != "Button":
                continue
            macro = client.findtext("{urn:schemas-microsoft-com:office:excel}FmlaMacro") or ""
            anchor = client.findtext("{urn:schemas-microsoft-com:office:excel}Anchor") or ""
            textbox = shape.find("{urn:schemas-microsoft-com:vml}textbox")
            caption = "".join(textbox.itertext()).strip() if textbox is not None else ""
            buttons.append(
                {
                    "caption": caption,
                    "macro": macro,
                    "alt_text": shape.get("alt") or "",
                    "anchor": anchor.replace(" ", ""),
                }
            )
    return buttons


def _vba_modules(vba: bytes) -> dict[str, str]:
    """Module name → VBA code (olevba); empty when oletools is not installed."""
    if not vba:
        return {}
    try:
        with warnings.catch_warnings():
            # oletools' pyparsing grammar warns on import; nothing the reader can act on
            warnings.simplefilter("ignore", DeprecationWarning)
            from oletools.olevba import VBA_Parser
    except ImportError:
        return {}
    parser = VBA_Parser("vbaProject.bin", data=vba)
    try:
        return {
            str(module): str(code).replace("\r\n", "\n")
            for _file, _stream, module, code in parser.extract_macros()
        }
    finally:
        parser.close()
