"""From the raw sheets any door delivers to the typed register the engines compute on.

The workbook is typed by people, so ``load`` never trusts a tab name, a header or a cell: it
finds each schema sheet by its name in either language, each column by its header in either
language wherever it stands, reads each column with ``values`` (one vectorised pass per column),
and reports every problem as an ``Issue`` at its cell — ``credit_register.xlsm:应收发票!F17`` —
instead of raising. A row with an error stays in its table, marked ``_error``, so the engines
leave it out and the Issues sheet can still list it.

Decisions (the spec is silent on them):

- A missing Customers or Invoices tab is an *error* (nothing can be rated without them); a missing
  Financials, Bureau, Payments, Orders, Activities, FX or Policy tab is a *warning*: the register
  still works (thin files, no payments yet, the default policy) and the table is empty but typed.
  Missing output tabs and a missing Dashboard are not reported: the engine writes them, and an
  on-demand tab (Calibration, Import mappings) is read when it is there and never missed.
- A tab whose header row is empty counts as missing (same severity); only headers = no rows.
- A second tab naming the same sheet (``客户`` and ``Customers``) is ignored with a warning.
- A required column that is absent is one error at the header row (not one per row); every row of
  that table is then marked ``_error``, since no engine can use it.
- A currency is read as its ISO code wherever it stands (``人民币`` → ``CNY``, ``US$`` → ``USD``,
  the FX sheet's keys too): ``core.currency`` is asked once per distinct text. An unknown text
  stays as typed for validation to report.
- Output sheets are read leniently: they are engine-owned, a value that does not parse is simply
  missing there and never an issue. The Policy sheet's ``value`` stays raw (``policy`` parses it).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterator, Mapping
from typing import Any, cast

import numpy as np
import pandas as pd

from credit_register.core import dashboard, values
from credit_register.core.bulk import paused_gc
from credit_register.core.cells import split_ref
from credit_register.core.currency import currency_codes
from credit_register.core.issues import Issue, Severity, column_letter
from credit_register.core.port import RawSheet, SheetStream
from credit_register.core.register import Register, Table
from credit_register.core.schema import (
    INPUT_SHEETS,
    ON_DEMAND_SHEETS,
    OUTPUT_SHEETS,
    Column,
    Language,
    Sheet,
    normalise_label,
    sheet_for_name,
)
from credit_register.core.text import pick

#: sheets without which there is nothing to rate: missing is an error, not a warning
ESSENTIAL_SHEETS = frozenset({"customers", "invoices"})

#: columns kept exactly as typed, for the module that owns their meaning
RAW_COLUMNS = {("policy", "value")}
#: columns holding a currency on every sheet (the FX sheet's key too): read as ISO codes
CURRENCY_COLUMNS = frozenset({"currency"})
#: the sheets the reader types (the Dashboard is read for its cells, not as a table)
TYPED_SHEETS = frozenset(s.key for s in (*INPUT_SHEETS, *OUTPUT_SHEETS, *ON_DEMAND_SHEETS))


def load(
    raw: Mapping[str, RawSheet] | SheetStream,
    label: str,
    *,
    today: dt.date,
    lang: Language | None = None,
) -> Register:
    """The typed register of a workbook's raw sheets, with every problem found as an issue.

    ``raw`` is keyed by tab name as in the workbook, or a door's ``SheetStream``: each sheet is
    then typed as soon as it arrives, while the door reads the others (the same register and
    issues, in the same order, either way); ``label`` names the file in issue places; ``today``
    is the as-of date unless the Dashboard gives one; ``lang`` overrides the language told by the
    tab names.
    """
    with paused_gc():
        typed: dict[str, tuple[Table, list[Issue]]] = {}
        if isinstance(raw, SheetStream):
            raw, typed = _typed_as_read(raw, label)
        return _load(raw, label, today=today, lang=lang, typed=typed)


def _strict(sheet: Sheet) -> bool:
    """Whether a sheet's bad cells are errors (what the user types) or read as blanks."""
    return sheet.kind != "output"


def _typed_as_read(
    stream: SheetStream, label: str
) -> tuple[dict[str, RawSheet], dict[str, tuple[Table, list[Issue]]]]:
    """The stream's sheets by tab in workbook order, and each schema sheet typed as it came
    (with its own issues; a duplicate tab is typed too, and ``_load`` keeps the first)."""
    typed: dict[str, tuple[Table, list[Issue]]] = {}

    def typed_as_they_come() -> Iterator[RawSheet]:
        for sheet_raw in stream.sheets:
            tab = sheet_raw.name
            sheet = sheet_for_name(tab)
            if sheet is not None and sheet.key in TYPED_SHEETS and _has_header(sheet_raw.rows):
                own: list[Issue] = []
                typed[tab] = (_read_table(sheet, tab, sheet_raw, label, _strict(sheet), own), own)
            yield sheet_raw

    return SheetStream(stream.order, typed_as_they_come()).collect(), typed


def _load(
    raw: Mapping[str, RawSheet],
    label: str,
    *,
    today: dt.date,
    lang: Language | None,
    typed: dict[str, tuple[Table, list[Issue]]],
) -> Register:
    def table(sheet: Sheet, tab: str, sheet_raw: RawSheet) -> Table:
        """The sheet typed: as it arrived from a stream, else now."""
        if tab in typed:
            done, own = typed[tab]
            issues.extend(own)
            return done
        return _read_table(sheet, tab, sheet_raw, label, _strict(sheet), issues)

    issues: list[Issue] = []
    found: dict[str, tuple[str, RawSheet]] = {}
    votes: dict[Language, int] = {"zh": 0, "en": 0}
    for tab, sheet_raw in raw.items():
        sheet = sheet_for_name(tab)
        if sheet is None:
            continue  # the user's own tab: not ours to judge
        if sheet.key in found:
            first = found[sheet.key][0]
            issues.append(
                Issue(
                    label,
                    tab,
                    "",
                    "warning",
                    f"工作表“{tab}”与“{first}”重复，已忽略",
                    f"sheet '{tab}' duplicates '{first}' and is ignored",
                )
            )
            continue
        found[sheet.key] = (tab, sheet_raw)
        votes[_language_of(tab, sheet)] += 1
    workbook_lang: Language = lang or ("en" if votes["en"] > votes["zh"] else "zh")

    tables: dict[str, Table] = {}
    for sheet in (*INPUT_SHEETS, *OUTPUT_SHEETS):
        strict = _strict(sheet)
        if sheet.key in found:
            tab, sheet_raw = found[sheet.key]
            if _has_header(sheet_raw.rows):
                tables[sheet.key] = table(sheet, tab, sheet_raw)
                continue
            if strict:
                issues.append(_missing_sheet(sheet, tab, label, workbook_lang, empty=True))
            tables[sheet.key] = _empty_table(sheet, tab)
        elif strict:
            issues.append(_missing_sheet(sheet, sheet.name(workbook_lang), label, workbook_lang))
            tables[sheet.key] = _empty_table(sheet, sheet.name(workbook_lang), present=False)

    for sheet in ON_DEMAND_SHEETS:  # read when there, never missed when not
        if sheet.key in found and _has_header(found[sheet.key][1].rows):
            tab, sheet_raw = found[sheet.key]
            tables[sheet.key] = table(sheet, tab, sheet_raw)

    board = found.get("dashboard")
    as_of = today if board is None else _as_of(board[1], board[0], label, today, issues)
    return Register(
        label=label,
        lang=workbook_lang,
        tables=tables,
        as_of=as_of,
        issues=issues,
        dashboard=None if board is None else board[1],
    )


def _language_of(tab: str, sheet: Sheet) -> Language:
    """The language a recognised tab name is written in (a schema key counts as English)."""
    return "zh" if normalise_label(tab) == normalise_label(sheet.zh) else "en"


def _has_header(rows: list[list[Any]]) -> bool:
    return bool(rows) and not values.is_blank(rows[0]).all()


def _missing_sheet(
    sheet: Sheet, tab: str, label: str, lang: Language, *, empty: bool = False
) -> Issue:
    severity: Severity = "error" if sheet.key in ESSENTIAL_SHEETS else "warning"
    other = pick(lang, sheet.en, sheet.zh)  # the other language's name
    if empty:
        zh, en = f"工作表“{tab}”没有表头行", f"sheet '{tab}' has no header row"
    else:
        zh, en = f"缺少工作表“{tab}”（{other}）", f"sheet '{tab}' ({other}) is missing"
    if sheet.key == "policy":
        zh, en = zh + "，使用默认信用政策", en + "; the default policy is used"
    elif severity == "warning":
        zh, en = zh + "，按无数据处理", en + "; read as having no rows"
    return Issue(label, tab, "", severity, zh, en)


def _empty_table(sheet: Sheet, tab: str, *, present: bool = True) -> Table:
    frame = pd.DataFrame({col.key: _missing(sheet, col, 0) for col in sheet.columns})
    frame["_row"] = pd.Series([], dtype="int64")
    frame["_error"] = pd.Series([], dtype="bool")
    return Table(sheet, tab, frame, present=present)


def _missing(sheet: Sheet, column: Column, length: int) -> pd.Series:
    if (sheet.key, column.key) in RAW_COLUMNS:
        return pd.Series(np.full(length, None, dtype=object), dtype=object)
    return values.missing_values(column, length)


def _columns(rows: list[list[Any]]) -> tuple[list[Any], list[Any]]:
    """The header cells and the data cells column by column, padding ragged rows.

    The rows become one two-dimensional object array (numpy copies the pointers in C) whose
    columns are handed out as they are; a list per column, gathered cell by cell, took several
    times longer on 500,000 invoices.
    """
    header, data = list(rows[0]), rows[1:]
    width = max(len(header), max(map(len, data), default=0))
    header += [None] * (width - len(header))
    if data and min(map(len, data)) < width:  # only a door that trims trailing blanks
        data = [list(r) + [None] * (width - len(r)) for r in data]
    if data and width:
        grid = np.empty((len(data), width), dtype=object)
        try:
            grid[:] = data
        except ValueError:  # a cell that is itself a sequence: column by column instead
            pass
        else:
            return header, [grid[:, j] for j in range(width)]
    return header, [list(map(operator.itemgetter(j), data)) for j in range(width)]


def _read_table(
    sheet: Sheet,
    tab: str,
    raw: RawSheet,
    label: str,
    strict: bool,
    issues: list[Issue],
) -> Table:
    rows = raw.rows
    header, columns = _columns(rows)
    cells = [values.classify(column) for column in columns]
    n_rows = len(rows) - 1
    blank_row = np.ones(n_rows, dtype=bool)
    for column_cells in cells:
        blank_row &= column_cells.blank
    kept = np.flatnonzero(~blank_row)
    if raw.row_numbers is None:
        excel_rows = kept + 2  # header is Excel row 1
    else:  # a door that left out empty rows says where each row is
        excel_rows = np.asarray(raw.row_numbers[1:], dtype=np.int64)[kept]
    if len(kept) < n_rows:
        cells = [c.take(kept) for c in cells]

    #: schema key → the column in the workbook (for cell places), and → its position in ``rows``
    positions: dict[str, int] = {}
    at: dict[str, int] = {}
    extra: dict[int, pd.Series] = {}
    found: list[tuple[int, int, Issue]] = []  # (row, column, issue) to sort by place
    for j, head in enumerate(header):
        col = raw.excel_column(j)
        column = sheet.match_header(head)
        if column is None:
            if not (values.is_blank([head]).all() and cells[j].blank.all()):
                extra[j] = cells[j].raw  # the user's own column, untouched
            continue
        if column.key in positions:
            first = column_letter(positions[column.key])
            found.append(
                (
                    1,
                    col,
                    Issue(
                        label,
                        tab,
                        f"{column_letter(col)}1",
                        "error",
                        f"表头“{values.shown_value(head)}”重复（已用 {first} 列），本列未读取",
                        f"header '{values.shown_value(head)}' is repeated "
                        f"(column {first} is used); "
                        "this column is not read",
                    ),
                )
            )
            continue
        positions[column.key] = col
        at[column.key] = j

    row_error = np.zeros(len(kept), dtype=bool)
    frame: dict[str, pd.Series] = {}
    for column in sheet.columns:
        if column.key not in positions:
            frame[column.key] = _missing(sheet, column, len(kept))
            if strict and column.required:
                found.append((1, -1, _missing_column(column, tab, label)))
                row_error[:] = True
            continue
        j = at[column.key]
        col = positions[column.key]
        letter = column_letter(col)
        if (sheet.key, column.key) in RAW_COLUMNS:
            frame[column.key] = cells[j].raw
            missing = cells[j].blank
            problems = pd.Series([], dtype=object)
        else:
            parsed = values.parse(cells[j], column)
            frame[column.key] = (
                currency_codes(parsed.values).astype("str")
                if column.key in CURRENCY_COLUMNS
                else parsed.values
            )
            missing = parsed.missing.to_numpy()
            problems = parsed.problems
        if not strict:
            continue
        typed = cells[j].raw.to_numpy()
        bad = problems.index.to_numpy(dtype=np.int64)
        for where, problem in zip(bad.tolist(), problems.tolist(), strict=True):
            zh, en = values.message(cast(values.Problem, problem), column, typed[where])
            row = int(excel_rows[where])
            found.append((row, col, Issue(label, tab, f"{letter}{row}", "error", zh, en)))
        row_error[bad] = True
        if column.required:
            blank_at = np.flatnonzero(missing)
            row_error[blank_at] = True
            found.extend(
                (
                    int(row),
                    col,
                    Issue(
                        label,
                        tab,
                        f"{letter}{row}",
                        "error",
                        f"{column.zh}为必填项，不能为空",
                        f"{column.en} is required",
                    ),
                )
                for row in excel_rows[blank_at]
            )

    found.sort(key=operator.itemgetter(0, 1))
    issues.extend(issue for _, _, issue in found)
    table_frame = pd.DataFrame(frame)
    table_frame["_row"] = excel_rows.astype("int64")
    table_frame["_error"] = row_error
    extra_frame = pd.DataFrame({j: series for j, series in extra.items()})
    extra_frame.columns = [_extra_name(header[j], raw.excel_column(j)) for j in extra]
    return Table(sheet, tab, table_frame, positions, extra_frame)


def _extra_name(head: Any, j: int) -> str:
    """An unknown column's name: its header as typed, or its letter when the header is blank."""
    return column_letter(j) if values.is_blank([head]).all() else values.shown_value(head)


def _missing_column(column: Column, tab: str, label: str) -> Issue:
    return Issue(
        label,
        tab,
        "1",
        "error",
        f"缺少必填列“{column.zh}”（{column.en}）",
        f"required column '{column.en}' ({column.zh}) is missing",
    )


def _cell_value(sheet: RawSheet, cell: str) -> Any:
    """The value of ``cell`` (``C3``); ``None`` outside the used range."""
    col, row = split_ref(cell)
    return sheet.value(row, col)


def _as_of(board: RawSheet, tab: str, label: str, today: dt.date, issues: list[Issue]) -> dt.date:
    """The Dashboard's as-of date when it is filled and valid, else ``today``."""
    value = _cell_value(board, dashboard.AS_OF.cell)
    if values.is_blank([value]).all():
        return today
    parsed = values.date([value])
    if len(parsed.problems):
        shown = values.shown_value(value)
        issues.append(
            Issue(
                label,
                tab,
                dashboard.AS_OF.cell,
                "warning",
                f"评估日不是有效日期：'{shown}'，已使用今天 {today.isoformat()}",
                f"the as-of date is not a valid date: '{shown}'; today {today.isoformat()} is used",
            )
        )
        return today
    stamp: pd.Timestamp = parsed.values.iloc[0]
    problem = dashboard.as_of_problem(stamp.date())
    if problem is not None:
        zh, en = problem
        issues.append(
            Issue(
                label,
                tab,
                dashboard.AS_OF.cell,
                "warning",
                f"{zh}，已使用今天 {today.isoformat()}",
                f"{en}; today {today.isoformat()} is used",
            )
        )
        return today
    return stamp.date()
