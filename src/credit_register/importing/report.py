"""What an import tells the user: the warnings about the export's columns, each rejected row at
the export's own cell, the customers it created, and the counts — in a sentence for the message
and on the History sheet. Pure: the use case (``app.importing``) decides and writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from credit_register.core.cells import cell_ref
from credit_register.core.issues import Issue
from credit_register.core.port import CellValue
from credit_register.core.schema import SHEETS, Language, Sheet
from credit_register.core.text import pick as say
from credit_register.importing import upsert
from credit_register.importing.extract import takes_currency
from credit_register.importing.layout import CUSTOMER_NAME, ORDER_NO, Layout


@dataclass
class Counts:
    """What an import did (or, in a dry run, would do) to the register."""

    kind: str
    read: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0
    new_customers: list[str] = field(default_factory=list)
    closed: int = 0
    #: invoices the file shows settled, entered as their settling payment on the Payments sheet
    settled: int = 0
    #: the saved mapping the file was read with (``None``: its layout was detected)
    mapping: str | None = None


# --------------------------------------------------------------------------- the table


def column_warnings(
    layout: Layout, sheet: Sheet, file: str, tab: str, base_currency: str
) -> list[Issue]:
    """What the detected layout leaves out: the export's unmapped columns, the register's
    required columns it lacks, and a missing currency. Not said again under a saved mapping."""
    issues = []
    header_row = str(max(layout.header_rows) + 1)
    if layout.unmapped:
        listed = "、".join(layout.unmapped)
        issues.append(
            Issue(
                file,
                tab,
                header_row,
                "warning",
                f"以下列未导入（登记表没有对应列）：{listed}",
                f"columns not imported (no register column for them): {', '.join(layout.unmapped)}",
            )
        )
    lacking = [
        c
        for c in sheet.required
        if c.key not in layout.columns
        and c.key not in sheet.primary_key
        and not (c.key == "customer_id" and CUSTOMER_NAME in layout.columns)
    ]
    if lacking:
        issues.append(
            Issue(
                file,
                tab,
                header_row,
                "warning",
                f"文件中没有必填列 {'、'.join(c.zh for c in lacking)}：只能更新已有行，新行不导入",
                f"the file has no {', '.join(c.en for c in lacking)} column: existing rows are "
                "updated, new rows are not imported",
            )
        )
    if takes_currency(layout) and layout.currency is None:
        issues.append(
            Issue(
                file,
                tab,
                header_row,
                "warning",
                f"文件中没有币种列：金额按各客户的币种计，客户未填币种时按本位币 {base_currency}；"
                "如文件的金额都是另一币种，请用 --currency 指定（如 --currency USD）",
                "the file has no currency column: amounts are read in each customer's currency, "
                f"and in the base currency {base_currency} for a customer without one; if the "
                "file's amounts are all in another currency, give --currency (e.g. USD)",
            )
        )
    return issues


# --------------------------------------------------------------------------- rows


def source_cell(layout: Layout, key: str, row: int) -> str:
    return cell_ref(layout.columns[key], row) if key in layout.columns else str(row)


def repeated_issues(
    plan: upsert.Plan, frame: pd.DataFrame, rows: pd.Series, layout: Layout, file: str, tab: str
) -> list[Issue]:
    sheet = plan.sheet
    keys = "+".join(sheet.column(k).zh for k in sheet.primary_key)
    keys_en = "+".join(sheet.column(k).en for k in sheet.primary_key)
    issues = []
    for at in plan.repeated:
        shown = " / ".join(str(frame[k].iloc[at]) for k in sheet.primary_key)
        row = int(rows.iloc[at])
        issues.append(
            Issue(
                file,
                tab,
                source_cell(layout, sheet.primary_key[0], row),
                "error",
                f"{keys} {shown} 在文件中重复出现，各行均未导入",
                f"{keys_en} {shown} appears more than once in the file; "
                "none of those rows imported",
            )
        )
    return issues


def incomplete(
    plan: upsert.Plan, rows: pd.Series, layout: Layout, file: str, tab: str
) -> tuple[np.ndarray, list[Issue]]:
    """New rows lacking a required value (an existing row is only updated, so it needs none):
    a mask over ``plan.new`` and an issue per row, at the export's cell when it has the column."""
    sheet = plan.sheet
    missing = np.zeros(len(plan.new), dtype=bool)
    issues: list[Issue] = []
    where = np.asarray(plan.new_positions, dtype=np.int64)
    for column in sheet.required:
        if column.key not in plan.new:
            blank = np.ones(len(plan.new), dtype=bool)
        else:  # typed by the register's parsers: a blank cell is missing, text is stripped
            blank = plan.new[column.key].isna().to_numpy(dtype=bool)
        for at in np.flatnonzero(blank & ~missing):
            row = int(rows.iloc[where[at]])
            issues.append(
                Issue(
                    file,
                    tab,
                    source_cell(layout, column.key, row),
                    "error",
                    f"新行缺少必填项“{column.zh}”，未导入",
                    f"a new row without {column.en}; not imported",
                )
            )
        missing |= blank
    return missing, issues


def invoiced_orders(
    frame: pd.DataFrame, register_orders: pd.DataFrame, label: str, lang: Language
) -> list[Issue]:
    """A warning per order of the Orders sheet that the imported invoices now bill: the Orders
    sheet holds what is not invoiced yet, so the order would count twice in the exposure until
    it is taken off (the import deletes nothing)."""
    billed = frame[[ORDER_NO, "invoice_no"]].dropna()
    billed = billed.assign(order=billed[ORDER_NO].astype(str).str.strip())
    on_sheet = register_orders.dropna(subset=["order_no"])
    on_sheet = on_sheet.assign(order=on_sheet["order_no"].astype(str).str.strip())
    both = on_sheet.merge(billed.drop_duplicates("order"), on="order")
    tab = SHEETS["orders"].name(lang)
    return [
        Issue(
            label,
            tab,
            str(int(row)),
            "warning",
            f"订单 {order} 已由发票 {invoice} 开票：请从“{SHEETS['orders'].zh}”表中删去"
            "（或减去已开票金额），否则敞口会重复计算",
            f"order {order} is now invoiced ({invoice}): take it off the {SHEETS['orders'].en} "
            "sheet (or reduce it by the invoiced amount), or the exposure counts it twice",
        )
        for row, order, invoice in zip(both["_row"], both["order"], both["invoice_no"], strict=True)
    ]


def new_customers_issue(frame: pd.DataFrame, file: str) -> Issue:
    ids = frame["customer_id"].astype(str).tolist()
    names = frame["name"].astype(str).tolist() if "name" in frame else ids
    shown = [i if n in ("", i) else f"{i} {n}" for i, n in zip(ids, names, strict=True)][:20]
    more = f" …（共 {len(ids)} 个）" if len(ids) > 20 else ""
    more_en = f" … ({len(ids)} in all)" if len(ids) > 20 else ""
    return Issue(
        file,
        "",
        "",
        "warning",
        f"新建客户 {len(ids)} 个，请补充其资料：{'、'.join(shown)}{more}",
        f"{len(ids)} new customers created; complete their details: {', '.join(shown)}{more_en}",
    )


def history_row(
    now: dt.datetime,
    user: str,
    action: str,
    counts: Counts,
    sheet: Sheet,
    file: str,
    lang: Language,
) -> list[CellValue]:
    new = say(
        lang,
        f"新增 {counts.new} 行，更新 {counts.changed} 行，拒绝 {counts.rejected} 行",
        f"{counts.new} new, {counts.changed} changed, {counts.rejected} rejected",
    )
    reason = say(lang, f"{file}（{counts.read} 行）", f"{file} ({counts.read} rows)")
    return [now, user, action, None, sheet.name(lang), None, new, reason]


def message(counts: Counts, file: str, lang: Language, dry_run: bool) -> str:
    sheet = SHEETS[counts.kind]
    if lang == "zh":
        text = (
            f"{'试运行（未写入）：' if dry_run else ''}{file} → {sheet.zh}：读取 {counts.read} 行，"
            f"新增 {counts.new} 行，更新 {counts.changed} 行，未变 {counts.unchanged} 行，"
            f"拒绝 {counts.rejected} 行"
        )
        if counts.mapping:
            text = text.replace(f"{file} → ", f"{file}（映射“{counts.mapping}”）→ ", 1)
        if counts.skipped:
            text += f"，跳过空行/合计行 {counts.skipped} 行"
        if counts.new_customers:
            text += f"；新客户 {len(counts.new_customers)} 个"
        if counts.closed:
            text += f"；按已收清关闭 {counts.closed} 张发票"
        if counts.settled:
            text += f"；已结清发票 {counts.settled} 张记入回款"
        return text
    text = (
        f"{'dry run (nothing written): ' if dry_run else ''}{file} → {sheet.en}: "
        f"{counts.read} rows read, {counts.new} new, {counts.changed} changed, "
        f"{counts.unchanged} unchanged, {counts.rejected} rejected"
    )
    if counts.mapping:
        text = text.replace(f"{file} → ", f"{file} (mapping '{counts.mapping}') → ", 1)
    if counts.skipped:
        text += f", {counts.skipped} blank or total rows skipped"
    if counts.new_customers:
        text += f"; {len(counts.new_customers)} new customers"
    if counts.closed:
        text += f"; {counts.closed} invoices closed as paid"
    if counts.settled:
        text += f"; {counts.settled} settled invoices entered as payments"
    return text
