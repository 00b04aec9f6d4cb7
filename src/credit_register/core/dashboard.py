"""The Dashboard sheet's layout: the action buttons and the cells the engine and the user share.

One place for every Dashboard address, used by the workbook builder, the use cases (which read
the as-of date and the order to check, and write the headline figures) and the Excel entry point
(whose ``main()`` runs the action named in the action cell, for running one without a button).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from credit_register.core.schema import GRADES, Language
from credit_register.core.text import pick


@dataclass(frozen=True)
class Action:
    key: str
    zh: str
    en: str
    #: the button's macro first asks for a file with Excel's own dialog
    #: (``Application.GetOpenFilename``) and passes its path: the export to import
    asks_for_file: bool = False

    def caption(self, lang: Language) -> str:
        return pick(lang, self.zh, self.en)

    @property
    def alt_text(self) -> str:
        """What the button's alt text (description) holds: the action, for screen readers and
        checks (the button's own macro is what runs it)."""
        return f"credit-register:{self.key}"


ACTIONS: tuple[Action, ...] = (
    Action("validate", "校验数据", "Validate"),
    Action("run", "运行评级与预警", "Run rating & alerts"),
    Action("contract", "生成合同（所选客户）", "Contract (selected customer)"),
    Action("report", "资信报告（所选客户）", "Credit report (selected customer)"),
    Action("letters", "生成催收函", "Collection letters"),
    Action("review", "月度评审", "Monthly review"),
    Action("check_order", "订单信用检查", "Order credit check"),
    Action("approve", "核定所选额度", "Approve selected limits"),
    Action("import", "导入数据（选择文件）", "Import data (choose a file)", asks_for_file=True),
)
ACTION_BY_KEY = {a.key: a for a in ACTIONS}
#: the actions the Office add-in offers: its task pane has no Excel file dialog to pick an
#: export with, so importing stays a Dashboard button and a command
PANE_ACTIONS: tuple[Action, ...] = tuple(a for a in ACTIONS if not a.asks_for_file)

#: the actions on the customers a user selects. Their buttons stand on the Dashboard and also on
#: the Customers and Ratings sheets, where the customers are selected: clicking a Dashboard
#: button means leaving that sheet, and with it the selection. A button acts on the selected rows
#: of the sheet it sits on. (``handover`` joins when its use case does.)
SELECTION_ACTIONS = ("contract", "report", "approve", "handover")
#: the sheets besides the Dashboard that carry buttons, by schema key
SELECTION_SHEETS = ("customers", "ratings")


def buttons_on(sheet_key: str) -> tuple[Action, ...]:
    """The buttons a sheet carries, in order: every action on the Dashboard, the selection
    actions on Customers and Ratings, none elsewhere. The builder places them and binds each to
    its action's macro.

    >>> [a.key for a in buttons_on("ratings")]
    ['contract', 'report', 'approve']
    >>> buttons_on("invoices")
    ()
    """
    if sheet_key == "dashboard":
        return ACTIONS
    if sheet_key not in SELECTION_SHEETS:
        return ()
    return tuple(ACTION_BY_KEY[key] for key in SELECTION_ACTIONS if key in ACTION_BY_KEY)


def action_for(text: object) -> Action | None:
    """The action an alt text, an action key or a caption (either language) names."""
    if not isinstance(text, str):
        return None
    wanted = text.strip().removeprefix("credit-register:").strip().casefold()
    for action in ACTIONS:
        if wanted in (action.key, action.zh.casefold(), action.en.casefold()):
            return action
    return None


@dataclass(frozen=True)
class Field:
    key: str
    cell: str
    zh: str
    en: str

    def label(self, lang: Language) -> str:
        return pick(lang, self.zh, self.en)

    @property
    def label_cell(self) -> str:
        """The label sits in column B, left of the value in column C."""
        return "B" + self.cell[1:]


#: cells the user fills (column C, labels in column B)
AS_OF = Field("as_of", "C3", "评估日（空=今天）", "As of (blank = today)")
#: the as-of dates the engines can work with: terms, reviews and limitation periods are counted
#: forward from it, and past 9999 a date no longer exists
AS_OF_RANGE = (dt.date(1950, 1, 1), dt.date(2199, 12, 31))


def as_of_problem(day: dt.date) -> tuple[str, str] | None:
    """Why ``day`` cannot be an as-of date, in Chinese and English; ``None`` when it can.

    >>> as_of_problem(dt.date(2026, 10, 31)) is None
    True
    >>> as_of_problem(dt.date(9999, 12, 31))[1]
    'the as-of date 9999-12-31 is outside 1950-01-01 to 2199-12-31'
    """
    first, last = AS_OF_RANGE
    if first <= day <= last:
        return None
    return (
        f"评估日 {day.isoformat()} 超出 {first.isoformat()} 至 {last.isoformat()} 的范围",
        f"the as-of date {day.isoformat()} is outside {first.isoformat()} to {last.isoformat()}",
    )


ACTION = Field("action", "C4", "操作（不用按钮时）", "Action (to run without a button)")
CUSTOMER = Field("customer_id", "C5", "客户编号", "Customer ID")
ORDER_AMOUNT = Field("order_amount", "C6", "订单金额", "Order amount")
ORDER_CURRENCY = Field("order_currency", "C7", "订单币种", "Order currency")
REASON = Field("reason", "C8", "原因（核定额度/放行订单）", "Reason (approval / order override)")
ORDER_PAYMENT = Field(
    "order_payment",
    "C9",
    "付款方式（空=赊销/款到发货/信用证）",
    "Payment (blank = credit / prepaid / lc)",
)
USER_FIELDS: tuple[Field, ...] = (
    AS_OF,
    ACTION,
    CUSTOMER,
    ORDER_AMOUNT,
    ORDER_CURRENCY,
    REASON,
    ORDER_PAYMENT,
)

#: cells the engine writes (column C, labels in column B)
HEADLINES: tuple[Field, ...] = (
    Field("last_run", "C10", "上次运行", "Last run"),
    Field("outcome", "C11", "运行结果", "Outcome"),
    Field("errors", "C12", "错误数", "Errors"),
    Field("warnings", "C13", "警告数", "Warnings"),
    Field("total_exposure", "C14", "总敞口", "Total exposure"),
    Field("overdue_pct", "C15", "逾期占比", "Overdue %"),
    Field("dso", "C16", "DSO", "DSO"),
    Field("alerts_info", "C17", "提示", "Alerts: info"),
    Field("alerts_warning", "C18", "预警", "Alerts: warning"),
    Field("alerts_block", "C19", "禁止", "Alerts: block"),
    Field("grade_AAA", "C20", "AAA 客户数", "AAA customers"),
    Field("grade_AA", "C21", "AA 客户数", "AA customers"),
    Field("grade_A", "C22", "A 客户数", "A customers"),
    Field("grade_BBB", "C23", "BBB 客户数", "BBB customers"),
    Field("grade_BB", "C24", "BB 客户数", "BB customers"),
    Field("grade_B", "C25", "B 客户数", "B customers"),
    Field("grade_C", "C26", "C 客户数", "C customers"),
    Field("order_result", "C28", "订单检查结果", "Order check result"),
    Field("net_exposure", "C29", "保险后净敞口", "Net exposure after insurance"),
    Field("on_hold", "C30", "信用冻结客户数", "Customers on credit hold"),
    Field("groups_over", "C31", "超出集团额度的集团数", "Groups over their limit"),
)
HEADLINE_BY_KEY = {f.key: f for f in HEADLINES}
TITLE_CELL = "B1"
TITLE = {"zh": "客户资信管理", "en": "Credit Register"}
#: buttons stand in column E from row 3, one every two rows
BUTTON_COLUMN = 4
BUTTON_FIRST_ROW = 2


# --------------------------------------------------------------------------- the charts


@dataclass(frozen=True)
class ChartBlock:
    """A small table on the Dashboard that one of its charts is bound to: a title row, then
    ``rows`` rows of label (column G) and figure (column H). The engine writes the figures (and,
    for the largest exposures, the labels) on every run, and Excel redraws its own chart."""

    key: str
    first_row: int
    rows: int
    zh: str
    en: str

    def title(self, lang: Language) -> str:
        return pick(lang, self.zh, self.en)

    def label_cell(self, index: int) -> str:
        return f"{CHART_LABEL_COLUMN}{self.first_row + 1 + index}"

    def figure_cell(self, index: int) -> str:
        return f"{CHART_FIGURE_COLUMN}{self.first_row + 1 + index}"


CHART_LABEL_COLUMN, CHART_FIGURE_COLUMN = "G", "H"
#: the Ageing sheet's bucket columns, in order, as the ageing chart shows them (their labels are
#: the Ageing sheet's headers)
AGEING_BUCKETS = ("not_due", "d1_30", "d31_60", "d61_90", "d91_180", "d181_365", "over_365")
EXPOSURE_BY_GRADE = ChartBlock(
    "exposure_by_grade", 3, len(GRADES), "各等级敞口", "Exposure by grade"
)
AGEING_TOTALS = ChartBlock("ageing", 12, len(AGEING_BUCKETS), "账龄分布", "Ageing buckets")
LARGEST = ChartBlock("largest", 21, 10, "前十大敞口", "Ten largest exposures")
CHART_BLOCKS = (EXPOSURE_BY_GRADE, AGEING_TOTALS, LARGEST)
