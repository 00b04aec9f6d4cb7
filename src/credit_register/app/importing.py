"""导入数据: an ERP, accounting or CRM export brought into the register's input sheets.

The door reads the file the user chose (``adapters.export_file``) and hands its sheets over in
``ImportOptions``. This use case finds the table (a saved mapping by name, or the header the
export's column names point to), reads its rows with the register's own parsers, matches each
row's customer, and plans an upsert against the sheet's rows (all in ``importing``). A dry run
stops there and reports the counts. A real import writes one ``Changes`` through the port: the
changed cells of existing rows, the new rows (and the new customers), one History row for the
import (and one per invoice ``--replace-open-items`` closes), and the mapping it used, on the
导入映射 sheet under a name, so that next month's file of the same layout imports with
``--mapping NAME``: no detection, no column warning. ``approved_limit`` is never written.

A bad cell rejects its row with the export's own cell address, so the user fixes the export or
the mapping; nothing here raises for bad data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from credit_register.app.pipeline import current_user
from credit_register.app.requests import (
    EXIT_ERRORS,
    EXIT_OK,
    ActionRequest,
    ActionResult,
    refused,
)
from credit_register.app.writeback import aligned
from credit_register.core import values
from credit_register.core.cell_kinds import Cells
from credit_register.core.cells import column_letter
from credit_register.core.currency import currency_code
from credit_register.core.issues import Issue
from credit_register.core.port import CellValue, Changes, RawSheet, WorkbookPort
from credit_register.core.reader import load
from credit_register.core.register import Register
from credit_register.core.schema import (
    CUSTOMERS,
    HISTORY,
    IMPORT_MAPPINGS,
    INVOICES,
    ORDERS,
    PAYMENTS,
    SHEETS,
    Column,
    Language,
    Sheet,
    normalise_label,
)
from credit_register.core.text import pick
from credit_register.importing import date_order, mappings, report, upsert
from credit_register.importing.assign import assign, customers_by_order
from credit_register.importing.extract import extract, source_column, takes_currency
from credit_register.importing.layout import (
    CUSTOMER_NAME,
    KINDS,
    ORDER_NO,
    SETTLED_ON,
    Layout,
    data_cells,
    detect,
)
from credit_register.importing.open_items import to_close
from credit_register.importing.settlements import settling_payments
from credit_register.policy import policy_from_table

#: what History's action column says for an import
ACTION_LABEL = ("导入", "import")


@dataclass
class ImportOptions:
    """The export the door read, and how to bring it in (the command line's options)."""

    #: the export file (its name goes into messages, issue places and History)
    path: Path
    #: its sheets as read (a CSV file is one sheet)
    sheets: list[RawSheet]
    #: customers, invoices, payments, orders, financials, bureau — or auto (detected)
    kind: str = "auto"
    #: the export's sheet to read (default: the one whose header fits best)
    sheet: str | None = None
    #: apply the saved mapping of this name instead of detecting the header
    mapping: str | None = None
    #: the name to save the mapping under (default: ``mapping``, else the file's stem)
    save_mapping: str | None = None
    dry_run: bool = False
    #: for the customers in the file, close the open invoices it does not list (as paid)
    replace_open_items: bool = False
    #: how the file writes 3/4/2026: ``dmy`` or ``mdy`` (default: the saved mapping's, else
    #: what the file's own dates prove; see ``importing.date_order``)
    date_order: str | None = None
    #: the currency of the file's amounts when it has no currency column (a code or a name)
    currency: str | None = None
    #: the order the user's own system writes dates in (Excel's regional setting, told by the
    #: Excel door): used only when the file's dates prove neither order
    locale_date_order: str | None = None


def _choose(
    options: ImportOptions, saved: pd.DataFrame
) -> tuple[RawSheet, Layout, str | None] | str:
    """The export's sheet, where its table is, and the saved mapping that says so (``None``:
    detected); a bilingual reason when none fits.

    Without ``--mapping``, a saved mapping is still used when it fits the file: all its columns
    are in the detected header's sheet and it maps at least every column detection finds (the
    last saved such mapping). So next month's file of the same layout — and every import from
    Excel's button, which has no ``--mapping`` — is read as the user left the mapping (a column
    pointed elsewhere, a unit, a date order), with no warning about columns."""
    sheets = options.sheets
    if options.sheet:
        wanted = normalise_label(options.sheet)
        sheets = [s for s in sheets if normalise_label(s.name) == wanted]
        if not sheets:
            names = "、".join(s.name for s in options.sheets)
            return (
                f"文件中没有工作表“{options.sheet}”（有：{names}） "
                f"(the file has no sheet '{options.sheet}')"
            )
    if options.mapping:
        mine = saved.loc[saved["mapping"].astype(str) == options.mapping]
        home = str(mine["source_sheet"].iloc[0]) if len(mine) else ""
        ordered = sorted(sheets, key=lambda s: normalise_label(s.name) != normalise_label(home))
        reason = ""
        for each in ordered:
            found = mappings.apply(saved, options.mapping, each.rows)
            if isinstance(found, Layout):
                return each, found, options.mapping
            reason = found
        return reason or f"文件是空的 (the file is empty): {options.path.name}"
    kind = None if options.kind == "auto" else options.kind
    best: tuple[RawSheet, Layout] | None = None
    for each in sheets:
        layout = detect(each.rows, kind)
        if layout is not None and (best is None or layout.score > best[1].score):
            best = (each, layout)
    if best is None:
        what = SHEETS[kind].zh if kind else "任何数据"
        return (
            f"在 {options.path.name} 的前几行中找不到{what}的表头；请检查文件，"
            f"或用 --kind 指定类型、在“{IMPORT_MAPPINGS.zh}”表中保存映射后用 --mapping 导入 "
            f"(no header row of a known layout in the first rows of {options.path.name}; "
            "check the file, give --kind, or save a mapping and import with --mapping)"
        )
    source, detected = best
    for name in reversed(mappings.names(saved)):
        found = mappings.apply(saved, name, source.rows)
        if (
            isinstance(found, Layout)
            and found.kind == detected.kind
            and set(found.columns) >= set(detected.columns)
        ):
            return source, found, name
    return source, detected, None


def _cell_values(frame: pd.DataFrame, sheet: Sheet, lang: Language) -> list[list[CellValue]]:
    """Rows of ``frame`` in ``sheet``'s column order as plain cell values (blanks as ``None``,
    a code as its label in the workbook's language), converted column by column."""
    if frame.empty:
        return []
    columns = []
    for column in sheet.columns:
        if column.key not in frame:
            columns.append(np.full(len(frame), None, dtype=object))
            continue
        series = frame[column.key]
        if pd.api.types.is_datetime64_any_dtype(series):
            # numpy turns datetime64 into datetime objects in C (pandas' .dt.date is per cell)
            values = series.to_numpy(dtype="datetime64[us]").astype(object)
        else:
            values = _labels(series, column, lang).to_numpy(dtype=object).copy()
        values[series.isna().to_numpy()] = None
        columns.append(values)
    rows: list[list[CellValue]] = np.column_stack(columns).tolist()
    return rows


def _labels(values: pd.Series, column: Column, lang: Language) -> pd.Series:
    """A code column's keys as the labels a user reads (``mdy`` → ``月/日/年``); other values
    as they are. The reader takes a label back to its key, so an import compares keys."""
    if column.type != "code" or not column.codes:
        return values
    labels = {code.key: code.label(lang) for code in column.codes}
    return values.map(labels).where(values.isin(list(labels)), values)


def _cells(
    plan: upsert.Plan, register: Register, file: str, warn: list[Issue], tab: str
) -> dict[str, CellValue]:
    """The changed cells by address (a code as its label); a column the register's sheet lacks
    is left out, once."""
    table = register.tables.get(plan.sheet.key)
    positions = table.positions if table is not None else {}
    cells: dict[str, CellValue] = {}
    absent: set[str] = set()
    for change in plan.changes:
        if change.column not in positions:
            absent.add(change.column)
            continue
        column = plan.sheet.column(change.column)
        new = change.new
        if column.type == "code" and isinstance(new, str):
            found = column.code_for(new)
            new = found.label(register.lang) if found is not None else new
        cells[f"{column_letter(positions[change.column])}{change.row}"] = new
    if absent:
        names = [plan.sheet.column(k) for k in sorted(absent)]
        warn.append(
            Issue(
                file,
                tab,
                "",
                "warning",
                f"登记表的“{plan.sheet.zh}”表没有 {'、'.join(c.zh for c in names)} 列，"
                "这些值未写入",
                f"the register's {plan.sheet.en} sheet has no {', '.join(c.en for c in names)} "
                "column; those values were not written",
            )
        )
    return cells


def _existing(register: Register, sheet: Sheet) -> pd.DataFrame:
    table = register.tables.get(sheet.key)
    if table is None or not table.present:
        frame = pd.DataFrame({c.key: pd.Series(dtype=object) for c in sheet.columns})
        frame["_row"] = pd.Series(dtype="int64")
        return frame
    return table.frame


# --------------------------------------------------------------------------- the use case


def import_export(request: ActionRequest, port: WorkbookPort, today: dt.date) -> ActionResult:
    """Import ``request.importing`` into the register behind ``port`` (see the module)."""
    options = request.importing
    # first the saved mappings (they say where the export's table is) and the Dashboard (its tab
    # name tells the workbook's language), both small
    with_mappings = load(port.read({IMPORT_MAPPINGS.key, "dashboard"}), port.label, today=today)
    lang = with_mappings.lang
    if options is None or not options.sheets:
        return refused(lang, "请先选择要导入的文件", "choose the file to import first")
    if options.kind not in (*KINDS, "auto"):
        return refused(lang, f"未知的数据类型 {options.kind}", f"unknown kind {options.kind}")
    file = options.path.name
    chosen = _choose(options, with_mappings.frame(IMPORT_MAPPINGS.key))
    if isinstance(chosen, str):
        return _failed(chosen, lang)
    source, layout, used_mapping = chosen
    sheet = SHEETS[layout.kind]
    if options.replace_open_items and sheet is not INVOICES:
        return refused(
            lang,
            "--replace-open-items 只适用于应收发票（未结清单）",
            "--replace-open-items applies to invoices (an open-items report)",
        )
    leads: tuple[str, ...] = ("customer_id", "uscc", "name")
    if sheet.has("customer_id") and sheet is not CUSTOMERS:
        leads = ("customer_id", CUSTOMER_NAME)
    no_key = [
        k
        for k in sheet.primary_key
        if k not in layout.columns and not (k == "customer_id" and set(leads) & set(layout.columns))
    ]
    if no_key:
        names = [sheet.column(k) for k in no_key]
        zh = f"文件中没有{'、'.join(c.zh for c in names)}列，无法按登记表的键导入"
        en = f"the file has no {', '.join(c.en for c in names)} column to key the rows by"
        return refused(lang, zh, en)

    # then only what the import reads: the customers it matches, the sheet it writes, History
    # (its column order) and the mappings; a register's other sheets can be most of its size
    needed = {CUSTOMERS.key, sheet.key, HISTORY.key, IMPORT_MAPPINGS.key, "policy"}
    if options.replace_open_items or SETTLED_ON in layout.columns:
        needed |= {INVOICES.key, PAYMENTS.key}
    if sheet is INVOICES and ORDER_NO in layout.columns:
        needed.add(ORDERS.key)
    register = load(port.read(needed), port.label, today=today)
    lang = register.lang
    base_currency = policy_from_table(register.tables.get("policy"), port.label)[0].base_currency
    as_of = request.as_of or today
    counts = report.Counts(layout.kind)
    body = data_cells(source.rows, layout)
    kept = body.kept
    counts.read, counts.skipped = len(kept), body.blanks + body.totals
    dates = date_order.decide(
        options.date_order or layout.date_order,
        options.locale_date_order,
        [c for k, c in layout.columns.items() if source_column(sheet.key, k).type == "date"],
        body.cells,
        kept,
        file=file,
        tab=source.name,
    )
    if dates.refusal is not None:
        return _failed(dates.refusal, lang)
    wanted = options.currency or layout.currency
    currency = currency_code(wanted) if wanted else None
    if wanted and not (currency and len(currency) == 3 and currency.isascii()):
        return refused(
            lang,
            f"无法识别币种“{wanted}”（请填 ISO 代码，如 USD，或币种名称，如 美元）",
            f"unknown currency '{wanted}' (give an ISO code such as USD)",
        )
    layout.date_order, layout.currency = dates.order, currency if takes_currency(layout) else None
    extracted = extract(
        source.rows,
        layout,
        kept,
        file=file,
        sheet=source.name,
        cells=body.cells,
        date_order=dates.order,
        currency=layout.currency,
    )
    issues = list(extracted.issues)
    if dates.note is not None:
        issues.append(dates.note)
    if used_mapping is None:
        issues += report.column_warnings(layout, sheet, file, source.name, base_currency)
    frame, rows = extracted.frame, extracted.source_rows
    rejected = np.zeros(len(frame), dtype=bool)

    new_customers = pd.DataFrame(columns=["customer_id", "name"])
    customers_before = _existing(register, CUSTOMERS)
    if sheet.has("customer_id"):
        by_order = None
        if sheet is INVOICES and ORDER_NO in frame:  # not the Orders sheet's own key
            register_orders = _existing(register, ORDERS)
            by_order = customers_by_order(frame[ORDER_NO], register_orders)
            issues += report.invoiced_orders(frame, register_orders, register.label, lang)
        assigned = assign(
            frame, rows, layout, customers_before, file=file, sheet=source.name, by_order=by_order
        )
        issues += assigned.issues
        rejected |= assigned.rejected
        frame = frame.assign(customer_id=assigned.customer_id.to_numpy(dtype=object))
        new_customers = assigned.new_customers
        if layout.currency is not None:
            # the file's amounts are all in this currency: so are its new customers' invoices
            new_customers = new_customers.assign(currency=layout.currency)
    frame = frame.loc[~rejected].reset_index(drop=True)
    rows = rows.loc[~rejected].reset_index(drop=True)

    plan = upsert.plan(sheet, _existing(register, sheet), frame)
    issues += report.repeated_issues(plan, frame, rows, layout, file, source.name)
    incomplete, problems = report.incomplete(plan, rows, layout, file, source.name)
    issues += problems
    new_rows = plan.new.loc[~incomplete]
    counts.new, counts.changed, counts.unchanged = len(new_rows), plan.changed_rows, plan.unchanged
    counts.rejected = (
        extracted.rejected + int(rejected.sum()) + len(plan.repeated) + int(incomplete.sum())
    )

    changes = Changes()
    cells = _cells(plan, register, file, issues, source.name)
    going_in = np.ones(len(frame), dtype=bool)
    going_in[plan.repeated] = False
    going_in[np.asarray(plan.new_positions, dtype=np.int64)[incomplete]] = False
    if sheet is CUSTOMERS:
        counts.new_customers = new_rows["customer_id"].astype(str).tolist()
    else:
        # only the customers of rows that go in: a rejected row creates no customer
        used = set(frame["customer_id"].loc[going_in].dropna())
        new_customers = new_customers.loc[new_customers["customer_id"].isin(used)]
        counts.new_customers = new_customers["customer_id"].astype(str).tolist()
        if len(new_customers):
            changes.append[CUSTOMERS.key] = _cell_values(new_customers, CUSTOMERS, lang)
    if len(new_customers) or (sheet is CUSTOMERS and len(new_rows)):
        issues.append(
            report.new_customers_issue(new_rows if sheet is CUSTOMERS else new_customers, file)
        )

    history: list[list[CellValue]] = []
    now = dt.datetime.now().replace(microsecond=0)
    user = request.user or current_user()
    action = ACTION_LABEL[0] if lang == "zh" else ACTION_LABEL[1]
    paid_letter = _letter(register, INVOICES, "paid_amount")
    if options.replace_open_items and paid_letter is None:
        issues.append(
            Issue(
                register.label,
                INVOICES.name(lang),
                "1",
                "warning",
                f"登记表的应收发票表没有“{INVOICES.column('paid_amount').zh}”列，未关闭任何发票",
                "the register's Invoices sheet has no Paid amount column: no invoice was closed",
            )
        )
    elif options.replace_open_items and paid_letter is not None:
        closing = _closing(
            register, frame, body.cells[layout.columns["invoice_no"]], as_of, issues, file, lang
        )
        counts.closed = len(closing)
        for row_number, number, customer, amount, old in closing:
            cells[f"{paid_letter}{row_number}"] = amount
            history.append(
                [
                    now,
                    user,
                    action,
                    customer,
                    INVOICES.column("paid_amount").header(lang),
                    old,
                    amount,
                    pick(
                        lang,
                        f"发票 {number} 不在 {file} 的未结清单中，按已收清处理",
                        f"invoice {number} is not in the open items of {file}: closed as paid",
                    ),
                ]
            )
    if SETTLED_ON in frame:
        counts.settled = _settle(frame.loc[going_in], register, changes, file, issues, source.name)
    if cells:
        changes.cells[sheet.key] = cells
    if len(new_rows):
        changes.append[sheet.key] = _cell_values(new_rows, sheet, lang)

    counts.mapping = used_mapping
    message = report.message(counts, file, lang, options.dry_run)
    failed = counts.rejected > 0
    result = ActionResult(
        ok=not failed,
        message=message,
        issues=sorted(issues, key=lambda i: (i.severity != "error", _row_of(i))),
        exit_code=EXIT_ERRORS if failed else EXIT_OK,
        lang=lang,
    )
    if options.dry_run:
        return result

    name = options.save_mapping or used_mapping or options.path.stem
    saved = mappings.to_rows(name, layout, source.name, as_of)
    mapping_plan = upsert.plan(IMPORT_MAPPINGS, _existing(register, IMPORT_MAPPINGS), saved)
    mapping_cells = _cells(mapping_plan, register, file, [], source.name)
    if mapping_cells:
        changes.cells.setdefault(IMPORT_MAPPINGS.key, {}).update(mapping_cells)
    if len(mapping_plan.new):
        changes.append[IMPORT_MAPPINGS.key] = _cell_values(mapping_plan.new, IMPORT_MAPPINGS, lang)
    history.insert(0, report.history_row(now, user, action, counts, sheet, file, lang))
    changes.append[HISTORY.key] = history
    port.apply(aligned(changes, register))
    return result


def _settle(
    rows: pd.DataFrame,
    register: Register,
    changes: Changes,
    file: str,
    issues: list[Issue],
    tab: str,
) -> int:
    """Enter the settled invoices among ``rows`` as their settling payments (new ones added,
    changed ones updated in place: ``importing.settlements``); how many were added or changed."""
    payments = _existing(register, PAYMENTS)
    settling = settling_payments(rows, payments)
    plan = upsert.plan(PAYMENTS, payments, settling)
    cells = _cells(plan, register, file, issues, tab)
    if cells:
        changes.cells[PAYMENTS.key] = cells
    if len(plan.new):
        changes.append[PAYMENTS.key] = _cell_values(plan.new, PAYMENTS, register.lang)
    return len(plan.new) + plan.changed_rows


def _failed(reason: str, lang: Language) -> ActionResult:
    """A refusal whose reason is already bilingual."""
    result = refused(lang, reason, reason)
    result.message = reason
    return result


def _letter(register: Register, sheet: Sheet, key: str) -> str | None:
    table = register.tables.get(sheet.key)
    if table is None or key not in table.positions:
        return None
    return column_letter(table.positions[key])


def _closing(
    register: Register,
    frame: pd.DataFrame,
    numbers: Cells,
    as_of: dt.date,
    issues: list[Issue],
    file: str,
    lang: Language,
) -> list[tuple[int, str, str, float, Any]]:
    """The open invoices the report closes: (row, invoice, customer, amount, old paid).
    ``numbers``: the invoice-number cells of every data row, the rejected rows' too (a row with
    a bad cell still says the invoice is open), read as the register reads them."""
    listed = set(values.parse(numbers, INVOICES.column("invoice_no")).values.dropna())
    customers = set(frame["customer_id"].dropna().astype(str))
    closing = to_close(
        _existing(register, INVOICES),
        _existing(register, PAYMENTS),
        customers,
        listed,
        pd.Timestamp(as_of),
    )
    tab = register.tables[INVOICES.key].name if INVOICES.key in register.tables else INVOICES.zh
    left = closing.with_payments
    for row, number in zip(left["_row"], left["invoice_no"], strict=True):
        issues.append(
            Issue(
                register.label,
                tab,
                str(row),
                "warning",
                f"发票 {number} 不在 {file} 中，但“回款”表有它的回款记录，未关闭；请导入回款",
                f"invoice {number} is not in {file} but has payments on the Payments sheet; "
                "left open — import the receipts",
            )
        )
    closed = closing.closed
    return [
        (int(row), str(number), str(customer), float(amount), _plain(old))
        for row, number, customer, amount, old in zip(
            closed["_row"],
            closed["invoice_no"],
            closed["customer_id"],
            closed["amount"],
            closed["paid_amount"],
            strict=True,
        )
    ]


def _plain(value: Any) -> Any:
    return None if value is None or pd.isna(value) else float(value)


def _row_of(issue: Issue) -> int:
    digits = "".join(ch for ch in issue.cell if ch.isdigit())
    return int(digits) if digits else 0
