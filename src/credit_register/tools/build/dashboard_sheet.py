"""The Dashboard sheet: title, the user's fields, the headlines, the action list, a how-to note.

The cells' places come from ``core.dashboard`` (the one source the engine also writes to); this
module gives them their look, the action drop-down and the how-to note in the workbook's
language, and asks :mod:`.vba` for the buttons.
"""

from __future__ import annotations

import datetime as dt

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from credit_register.core import dashboard
from credit_register.core.cells import to_serial
from credit_register.core.schema import (
    ALL_SHEETS,
    FX,
    IMPORT_MAPPINGS,
    INPUT_SHEETS,
    POLICY,
    Language,
)
from credit_register.core.text import pick
from credit_register.tools.build.dashboard_charts import add_charts, chart_block_cells
from credit_register.tools.build.formats import Styles
from credit_register.tools.build.values import cell_index
from credit_register.tools.build.vba import add_buttons

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
    "import": (
        "选择 ERP/财务系统导出的文件（.xlsx/.xls/.csv），按单号更新或新增到输入表"
        "（映射存于「{import_mappings}」）",
        "pick an ERP or accounting export (.xlsx/.xls/.csv); its rows update or join the input "
        "sheets by their keys (the mapping is kept on {import_mappings})",
    ),
}
_HEADLINE_FORMAT = {
    "last_run": "datetime",
    "errors": "int",
    "warnings": "int",
    "total_exposure": "amount",
    "overdue_pct": "pct",
    "dso": "score",
    "net_exposure": "amount",
    "on_hold": "int",
    "groups_over": "int",
}


def write_dashboard(ws: Worksheet, styles: Styles, lang: Language, as_of: dt.date | None) -> None:
    """The Dashboard, its cells in row order (constant-memory mode), then its buttons."""
    ws.set_column(0, 0, 2)
    ws.set_column(1, 1, 30)
    ws.set_column(2, 2, 22)
    ws.set_column(3, 3, 3)
    ws.set_column(4, 4, 34)
    ws.set_column(6, 6, 24)  # the charts' data: labels (a customer's name) and figures
    ws.set_column(7, 7, 16)
    ws.hide_gridlines(2)

    cells: dict[tuple[int, int], tuple[object, Format | None]] = {}

    def put(address: str, value: object, style: Format | None) -> None:
        row, col = cell_index(address)
        cells[(row, col)] = (value, style)

    put(dashboard.TITLE_CELL, dashboard.TITLE[lang], styles.title)
    user_fmt = {dashboard.AS_OF.key: "date", dashboard.ORDER_AMOUNT.key: "amount"}
    for user_field in dashboard.USER_FIELDS:
        put(user_field.label_cell, user_field.label(lang), styles.label)
        value = to_serial(as_of) if user_field is dashboard.AS_OF and as_of else None
        put(user_field.cell, value, styles.user_input(user_fmt.get(user_field.key)))
    for headline in dashboard.HEADLINES:
        put(headline.label_cell, headline.label(lang), styles.label)
        severity = headline.key.removeprefix("alerts_")
        style = (
            styles.severity(severity)
            if severity in ("info", "warning", "block")
            else styles.number(_HEADLINE_FORMAT.get(headline.key))
        )
        put(headline.cell, None, style)
    cells.update(chart_block_cells(styles, lang))

    action_row, action_col = cell_index(dashboard.ACTION.cell)
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

    add_buttons(ws, lang)
    add_charts(styles.book, ws, lang)


def _how_to(lang: Language) -> list[tuple[str, Format | None]]:
    """A short note: which sheets to fill and what each button does, in the workbook's language."""
    names = {s.key: s.name(lang) for s in (*ALL_SHEETS, IMPORT_MAPPINGS)}
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
        what = pick(lang, zh, en).format(**names)
        sep = pick(lang, "：", ": ")
        out.append(
            (
                f"   • {action.caption(lang)}{sep}{what}"
                if what
                else f"   • {action.caption(lang)}",
                None,
            )
        )
    return out
