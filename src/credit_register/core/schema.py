"""The register's data contract in code: every sheet, column, header, type and code list.

This module is the one source of truth for `spec/register.md`. The reader, the validator, the
workbook builder, the writers and the add-in all take sheet names, headers and types from here;
nothing else spells a header.

A sheet is either an *input* sheet (typed by the finance user; the engine writes only the columns
marked ``engine``) or an *output* sheet (rewritten by the engine on each run, except its ``user``
columns, which are carried over by the sheet's key).
"""

from __future__ import annotations

from collections.abc import Iterable

from credit_register.core.columns import (
    ACTIVITY_TYPE,
    ALERT_STATUS,
    BASE_CURRENCY_DEFAULT,
    CISG,
    CONTRACT_LANGUAGE,
    CUSTOMER_STATUS,
    DATE_ORDER,
    ENTERPRISE_SIZE,
    FORUM,
    GOVERNING_LAW,
    GRADE_CODES,
    GRADES,
    INTEREST_BASIS_CODES,
    ISSUE_SEVERITY,
    ORDER_STATUS,
    OWNERSHIP,
    PAYMENT_METHOD,
    SEVERITY,
    C,
    Code,
    Column,
    ColumnType,
    Sheet,
    normalise_label,
)
from credit_register.core.text import LANGUAGES, Language

#: the vocabulary (core/columns, core/text) re-exported: most modules take it from the schema
__all__ = [
    "ACTIVITY_TYPE",
    "ALERT_STATUS",
    "BASE_CURRENCY_DEFAULT",
    "CISG",
    "CONTRACT_LANGUAGE",
    "CUSTOMER_STATUS",
    "DATE_ORDER",
    "ENTERPRISE_SIZE",
    "FORUM",
    "GOVERNING_LAW",
    "GRADES",
    "GRADE_CODES",
    "INTEREST_BASIS_CODES",
    "ISSUE_SEVERITY",
    "LANGUAGES",
    "ORDER_STATUS",
    "OWNERSHIP",
    "PAYMENT_METHOD",
    "SEVERITY",
    "C",
    "Code",
    "Column",
    "ColumnType",
    "Language",
    "Sheet",
    "normalise_label",
]


# --------------------------------------------------------------------------- input sheets

CUSTOMERS = Sheet(
    "customers",
    "客户",
    "Customers",
    "input",
    (
        C("customer_id", "客户编号", "Customer ID", required=True, width=12),
        C("name", "客户名称", "Customer name", required=True, width=30),
        C("uscc", "统一社会信用代码", "USCC", width=22),
        C("country", "国家/地区", "Country", width=8),
        C("registered_address", "注册地址", "Registered address", width=30),
        C("legal_rep", "法定代表人", "Legal representative", width=12),
        C("phone", "联系电话", "Phone", width=16),
        C("email", "电子邮箱", "Email", width=24),
        C("industry", "行业", "Industry", width=14),
        C("ownership", "企业性质", "Ownership", "code", codes=OWNERSHIP, width=10),
        C("group", "集团", "Group", width=16),
        C("account_manager", "客户经理", "Account manager", width=12),
        C("manager_email", "客户经理邮箱", "Manager email", width=24),
        C("since", "合作起始日", "Customer since", "date", fmt="date"),
        C("key_account", "重点客户", "Key account", "bool", width=8),
        C("currency", "币种", "Currency", width=8),
        C("payment_terms_days", "账期(天)", "Payment terms (days)", "int", fmt="int"),
        C(
            "expected_monthly_sales",
            "预计月销售额",
            "Expected monthly sales",
            "number",
            fmt="amount",
        ),
        C("approved_limit", "核定额度", "Approved limit", "number", fmt="amount", role="engine"),
        C("limit_valid_until", "额度有效期", "Limit valid until", "date", fmt="date"),
        C("insured_limit", "保险限额", "Insured limit", "number", fmt="amount"),
        C("insurer", "保险公司", "Insurer", width=14),
        C("insurance_cover_pct", "保险赔付比例", "Insurance cover %", "number", fmt="number"),
        C(
            "insurer_max_terms_days",
            "保险最长账期(天)",
            "Insurer max terms (days)",
            "int",
            fmt="int",
        ),
        C("status", "状态", "Status", "code", codes=CUSTOMER_STATUS, width=8),
        C(
            "enterprise_size",
            "企业规模",
            "Enterprise size",
            "code",
            codes=ENTERPRISE_SIZE,
            width=10,
        ),
        C("defaulted", "是否违约", "Defaulted", "bool", width=8),
        C("default_date", "违约日期", "Default date", "date", fmt="date"),
        # the contract's law, forum and language when they differ from the Policy's defaults
        # (contract.* rows); blank = the default
        C("contract_language", "合同语言", "Contract language", "code", codes=CONTRACT_LANGUAGE),
        C("governing_law", "适用法律", "Governing law", "code", codes=GOVERNING_LAW, width=14),
        C("forum", "争议解决", "Forum", "code", codes=FORUM, width=14),
        C("cisg", "CISG", "CISG", "code", codes=CISG, width=8),
        C("notes", "备注", "Notes", width=30),
    ),
    primary_key=("customer_id",),
)

_AMOUNT = {"fmt": "amount"}
FINANCIALS = Sheet(
    "financials",
    "财务报表",
    "Financials",
    "input",
    (
        C("customer_id", "客户编号", "Customer ID", required=True, width=12),
        C("period_end", "报表截止日", "Period end", "date", required=True, fmt="date"),
        C("period_months", "报表期间(月)", "Period (months)", "int", fmt="int"),
        C("audited", "是否审计", "Audited", "bool"),
        C("currency", "币种", "Currency"),
        C("revenue", "营业收入", "Revenue", "number", required=True, **_AMOUNT),
        C("cost_of_sales", "营业成本", "Cost of sales", "number", **_AMOUNT),
        C("profit_before_tax", "利润总额", "Profit before tax", "number", **_AMOUNT),
        C("interest_expense", "利息费用", "Interest expense", "number", **_AMOUNT),
        C("ebit", "息税前利润", "EBIT", "number", **_AMOUNT),
        C("net_profit", "净利润", "Net profit", "number", required=True, **_AMOUNT),
        C("cash", "货币资金", "Cash", "number", **_AMOUNT),
        C("receivables", "应收账款", "Receivables", "number", **_AMOUNT),
        C("inventory", "存货", "Inventory", "number", **_AMOUNT),
        C("current_assets", "流动资产合计", "Current assets", "number", required=True, **_AMOUNT),
        C("intangible_assets", "无形资产", "Intangible assets", "number", **_AMOUNT),
        C("total_assets", "资产总计", "Total assets", "number", required=True, **_AMOUNT),
        C(
            "current_liabilities",
            "流动负债合计",
            "Current liabilities",
            "number",
            required=True,
            **_AMOUNT,
        ),
        C("total_liabilities", "负债合计", "Total liabilities", "number", required=True, **_AMOUNT),
        C("equity", "所有者权益合计", "Equity", "number", **_AMOUNT),
        C("retained_earnings", "留存收益", "Retained earnings", "number", **_AMOUNT),
        C(
            "operating_cash_flow",
            "经营活动现金流量净额",
            "Operating cash flow",
            "number",
            **_AMOUNT,
        ),
        C("received_on", "收到日期", "Received on", "date", fmt="date"),
    ),
    primary_key=("customer_id", "period_end"),
)

BUREAU = Sheet(
    "bureau",
    "征信记录",
    "Bureau",
    "input",
    (
        C("customer_id", "客户编号", "Customer ID", required=True, width=12),
        C("agency", "征信机构", "Agency", width=16),
        C("report_date", "报告日期", "Report date", "date", required=True, fmt="date"),
        C("score", "评分", "Score", "number", fmt="number"),
        C("score_max", "满分", "Score max", "number", fmt="number"),
        C("agency_grade", "机构评级", "Agency grade"),
        C("overdue_records", "逾期记录数", "Overdue records", "int", fmt="int"),
        C("lawsuits", "涉诉案件数", "Lawsuits", "int", fmt="int"),
        C("enforcement", "失信被执行人", "Enforcement", "bool"),
        C("abnormal_operation", "经营异常", "Abnormal operation", "bool"),
        C("recommended_limit", "建议额度", "Recommended limit", "number", fmt="amount"),
    ),
    primary_key=("customer_id", "agency", "report_date"),
)

INVOICES = Sheet(
    "invoices",
    "应收发票",
    "Invoices",
    "input",
    (
        C("invoice_no", "发票号", "Invoice no", required=True, width=14),
        C("customer_id", "客户编号", "Customer ID", required=True, width=12),
        C("invoice_date", "开票日期", "Invoice date", "date", required=True, fmt="date"),
        C("due_date", "到期日", "Due date", "date", fmt="date"),
        C("currency", "币种", "Currency"),
        C("amount", "金额", "Amount", "number", required=True, **_AMOUNT),
        C("paid_amount", "已收金额", "Paid amount", "number", **_AMOUNT),
        C("contract_no", "合同编号", "Contract no", width=14),
        C("disputed", "争议", "Disputed", "bool"),
        # the contract's agreed late-payment rate; blank = the Policy default (LPR + 50 %)
        C(
            "late_interest_rate",
            "合同逾期年利率(%)",
            "Contract late interest (% p.a.)",
            "number",
            fmt="number",
        ),
    ),
    primary_key=("invoice_no",),
)

PAYMENTS = Sheet(
    "payments",
    "回款",
    "Payments",
    "input",
    (
        C("payment_id", "回款编号", "Payment ID", required=True, width=14),
        C("customer_id", "客户编号", "Customer ID", required=True, width=12),
        C("invoice_no", "发票号", "Invoice no", width=14),
        C("payment_date", "回款日期", "Payment date", "date", required=True, fmt="date"),
        C("amount", "金额", "Amount", "number", required=True, **_AMOUNT),
        C("method", "方式", "Method", "code", codes=PAYMENT_METHOD),
        C("bill_maturity", "汇票到期日", "Bill maturity", "date", fmt="date"),
    ),
    primary_key=("payment_id",),
)

ORDERS = Sheet(
    "orders",
    "在途订单",
    "Orders",
    "input",
    (
        C("order_no", "订单号", "Order no", required=True, width=14),
        C("customer_id", "客户编号", "Customer ID", required=True, width=12),
        C("order_date", "下单日期", "Order date", "date", fmt="date"),
        C("amount", "金额", "Amount", "number", required=True, **_AMOUNT),
        C("currency", "币种", "Currency"),
        C("status", "状态", "Status", "code", codes=ORDER_STATUS, width=14),
    ),
    primary_key=("order_no",),
)

ACTIVITIES = Sheet(
    "activities",
    "沟通记录",
    "Activities",
    "input",
    (
        C("date", "日期", "Date", "date", required=True, fmt="date"),
        C("customer_id", "客户编号", "Customer ID", required=True, width=12),
        C("type", "类型", "Type", "code", required=True, codes=ACTIVITY_TYPE),
        C("summary", "摘要", "Summary", width=40),
        C("invoices", "涉及发票", "Invoices", width=24),
        C("delivered_on", "送达日期", "Delivered on", "date", fmt="date"),
        C("reference", "回执/单号", "Reference", width=18),
        C("promise_date", "承诺付款日", "Promise date", "date", fmt="date"),
        C("promise_amount", "承诺金额", "Promise amount", "number", **_AMOUNT),
        C("by", "记录人", "By", width=10),
    ),
)

POLICY = Sheet(
    "policy",
    "信用政策",
    "Policy",
    "policy",
    (
        C("parameter", "参数", "Parameter", required=True, width=34),
        C("value", "取值", "Value", required=True, width=14),
        C("unit", "单位", "Unit", width=10),
        C("note", "说明", "Note", width=60),
    ),
    primary_key=("parameter",),
)

FX = Sheet(
    "fx",
    "汇率",
    "FX",
    "input",
    (
        C("currency", "币种", "Currency", required=True, width=8),
        C("rate_to_base", "折算汇率", "Rate to base", "number", required=True, fmt="rate"),
        C("as_of", "日期", "As of", "date", fmt="date"),
    ),
    primary_key=("currency",),
)

# --------------------------------------------------------------------------- output sheets

RATINGS = Sheet(
    "ratings",
    "评级",
    "Ratings",
    "output",
    (
        C("customer_id", "客户编号", "Customer ID", role="output", width=12),
        C("name", "客户名称", "Customer name", role="output", width=28),
        C("as_of", "评估日", "As of", "date", role="output", fmt="date"),
        C("financial_score", "财务得分", "Financial score", "number", role="output", fmt="score"),
        C("payment_score", "付款行为得分", "Payment score", "number", role="output", fmt="score"),
        C("bureau_score", "外部征信得分", "Bureau score", "number", role="output", fmt="score"),
        C(
            "qualitative_score",
            "定性得分",
            "Qualitative score",
            "number",
            role="output",
            fmt="score",
        ),
        C("total_score", "总分", "Total score", "number", role="output", fmt="score"),
        C("grade", "信用等级", "Grade", "code", codes=GRADE_CODES, role="output", width=8),
        C(
            "previous_grade",
            "上次等级",
            "Previous grade",
            "code",
            codes=GRADE_CODES,
            role="output",
            width=8,
        ),
        C("zscore", "Z″", "Z''", "number", role="output", fmt="ratio"),
        C("zscore_zone", "Z″区间", "Z'' zone", role="output"),
        C("knock_out", "否决项", "Knock-out", role="output", width=36),
        C("proposed_limit", "建议额度", "Proposed limit", "number", role="output", fmt="amount"),
        C("binding_rule", "额度约束", "Binding rule", role="output", width=60),
        C(
            "excess_over_limit",
            "超额部分",
            "Excess over limit",
            "number",
            role="output",
            fmt="amount",
        ),
        C("credit_hold", "信用冻结", "Credit hold", "bool", role="output", width=8),
        C("hold_reasons", "冻结原因", "Hold reasons", role="output", width=40),
        C("approved_limit", "核定额度", "Approved limit", "number", role="output", fmt="amount"),
        C("exposure", "敞口", "Exposure", "number", role="output", fmt="amount"),
        C("net_exposure", "净敞口", "Net exposure", "number", role="output", fmt="amount"),
        C("expected_loss", "预期损失", "Expected loss", "number", role="output", fmt="amount"),
        C("utilization", "额度使用率", "Utilization", "number", role="output", fmt="pct"),
        C(
            "recommended_terms_days",
            "建议账期",
            "Recommended terms (days)",
            role="output",
            width=14,
        ),
        C("security", "担保要求", "Security", role="output", width=30),
        C("next_review", "下次评审日", "Next review", "date", role="output", fmt="date"),
        C("drivers", "主要因素", "Drivers", role="output", width=60),
        C("data_gaps", "缺失资料", "Data gaps", role="output", width=24),
    ),
    primary_key=("customer_id",),
)

AGEING = Sheet(
    "ageing",
    "账龄",
    "Ageing",
    "output",
    (
        C("customer_id", "客户编号", "Customer ID", role="output", width=12),
        C("name", "客户名称", "Customer name", role="output", width=28),
        C("as_of", "评估日", "As of", "date", role="output", fmt="date"),
        C("not_due", "未到期", "Not due", "number", role="output", fmt="amount"),
        C("d1_30", "1-30天", "1-30 days", "number", role="output", fmt="amount"),
        C("d31_60", "31-60天", "31-60 days", "number", role="output", fmt="amount"),
        C("d61_90", "61-90天", "61-90 days", "number", role="output", fmt="amount"),
        C("d91_180", "91-180天", "91-180 days", "number", role="output", fmt="amount"),
        C("d181_365", "181-365天", "181-365 days", "number", role="output", fmt="amount"),
        C("over_365", "365天以上", "Over 365 days", "number", role="output", fmt="amount"),
        C("total", "合计", "Total", "number", role="output", fmt="amount"),
        C("overdue", "逾期合计", "Overdue", "number", role="output", fmt="amount"),
        C("overdue_pct", "逾期占比", "Overdue %", "number", role="output", fmt="pct"),
        C("max_days_overdue", "最长逾期天数", "Max days overdue", "int", role="output", fmt="int"),
        C("dso", "DSO", "DSO", "number", role="output", fmt="ratio"),
        C("dunning_level", "催收级别", "Dunning level", "int", role="output", fmt="int"),
        C("late_interest", "逾期利息", "Late interest", "number", role="output", fmt="amount"),
    ),
    primary_key=("customer_id",),
)

OPEN_ITEMS = Sheet(
    "open_items",
    "未清明细",
    "Open items",
    "output",
    (
        C("customer_id", "客户编号", "Customer ID", role="output", width=12),
        C("invoice_no", "发票号", "Invoice no", role="output", width=14),
        C("invoice_date", "开票日期", "Invoice date", "date", role="output", fmt="date"),
        C("due_date", "到期日", "Due date", "date", role="output", fmt="date"),
        C("currency", "币种", "Currency", role="output", width=8),
        C("outstanding", "未清金额", "Outstanding", "number", role="output", fmt="amount"),
        C(
            "outstanding_base",
            "未清金额(本位币)",
            "Outstanding (base)",
            "number",
            role="output",
            fmt="amount",
        ),
        C("days_overdue", "逾期天数", "Days overdue", "int", role="output", fmt="int"),
        C("dunning_level", "催收级别", "Collections step", "int", role="output", fmt="int"),
        C("disputed", "争议", "Disputed", "bool", role="output", width=8),
        C(
            "interest_basis",
            "计息依据",
            "Interest basis",
            "code",
            codes=INTEREST_BASIS_CODES,
            role="output",
            width=16,
        ),
        C("interest_rate", "逾期年利率", "Annual rate", "number", role="output", fmt="pct2"),
        C("late_interest", "逾期利息", "Late interest", "number", role="output", fmt="amount"),
        C(
            "last_demand",
            "最近催告送达日",
            "Last demand delivered",
            "date",
            role="output",
            fmt="date",
        ),
        C(
            "last_acknowledgement",
            "最近债务确认日",
            "Last acknowledgement",
            "date",
            role="output",
            fmt="date",
        ),
        C(
            "limitation_expires",
            "诉讼时效届满日",
            "Limitation expires",
            "date",
            role="output",
            fmt="date",
        ),
    ),
    primary_key=("invoice_no",),
)

ALERTS = Sheet(
    "alerts",
    "预警",
    "Alerts",
    "output",
    (
        C("alert_id", "预警编号", "Alert ID", role="output", width=28),
        C("raised_on", "发现日", "Raised on", "date", role="output", fmt="date"),
        C("customer_id", "客户编号", "Customer ID", role="output", width=12),
        C("name", "客户名称", "Customer name", role="output", width=28),
        C("indicator", "指标", "Indicator", role="output", width=20),
        C("value", "当前值", "Value", role="output", width=12),
        C("threshold", "阈值", "Threshold", role="output", width=12),
        C("severity", "级别", "Severity", "code", codes=SEVERITY, role="output", width=8),
        C("recommended_action", "建议措施", "Recommended action", role="output", width=30),
        C("status", "处理状态", "Status", "code", codes=ALERT_STATUS, role="user", width=10),
        C("owner", "负责人", "Owner", role="user", width=10),
        C("comment", "处理意见", "Comment", role="user", width=30),
    ),
    primary_key=("alert_id",),
)

HISTORY = Sheet(
    "history",
    "变更日志",
    "History",
    "output",
    (
        C("timestamp", "时间", "Timestamp", "datetime", role="output", fmt="datetime", width=18),
        C("user", "用户", "User", role="output", width=12),
        C("action", "操作", "Action", role="output", width=14),
        C("customer_id", "客户编号", "Customer ID", role="output", width=12),
        C("field", "字段", "Field", role="output", width=16),
        C("old", "原值", "Old", role="output", width=14),
        C("new", "新值", "New", role="output", width=14),
        C("reason", "原因", "Reason", role="output", width=40),
    ),
    append_only=True,
)

ISSUES = Sheet(
    "issues",
    "问题",
    "Issues",
    "output",
    (
        C("place", "位置", "Place", role="output", width=36),
        C("severity", "级别", "Severity", "code", codes=ISSUE_SEVERITY, role="output", width=8),
        C("message", "说明", "Message", role="output", width=80),
    ),
)

#: the policy `calibrate` fitted on the user's own defaults, for review before it goes live
CALIBRATION = Sheet(
    "calibration",
    "政策校准",
    "Calibration",
    "output",
    tuple(Column(c.key, c.zh, c.en, c.type, role="output", width=c.width) for c in POLICY.columns),
)

DASHBOARD = Sheet("dashboard", "控制台", "Dashboard", "dashboard", ())

INPUT_SHEETS: tuple[Sheet, ...] = (
    CUSTOMERS,
    FINANCIALS,
    BUREAU,
    INVOICES,
    PAYMENTS,
    ORDERS,
    ACTIVITIES,
    POLICY,
    FX,
)
#: how an export's columns map to the register's, saved by ``import`` under a name the user
#: chooses, so next month's file of the same layout imports with no question; the user may edit
#: it (rename, remap a column, change a unit)
IMPORT_MAPPINGS = Sheet(
    "import_mappings",
    "导入映射",
    "Import mappings",
    "input",
    (
        C("mapping", "映射名称", "Mapping", required=True, width=20),
        C("kind", "数据类型", "Kind", required=True, width=12),
        C("source_column", "来源列", "Source column", required=True, width=28),
        C("column", "登记表列", "Register column", required=True, width=18),
        C("scale", "单位倍数", "Unit multiplier", "number", width=10),
        C("header_rows", "表头行", "Header rows", width=10),
        C("source_sheet", "来源工作表", "Source sheet", width=16),
        # how the export writes 3/4/2026, and the currency of its amounts when it has no
        # currency column: both decided once per layout, so they are saved with it
        C("date_order", "日期顺序", "Date order", "code", codes=DATE_ORDER, width=12),
        C("currency", "文件币种", "File currency", width=10),
        C("saved_on", "保存日期", "Saved on", "date", fmt="date", width=12),
    ),
    primary_key=("mapping", "column"),
)

OUTPUT_SHEETS: tuple[Sheet, ...] = (RATINGS, AGEING, OPEN_ITEMS, ALERTS, HISTORY, ISSUES)
#: sheets the engine adds only when asked (not in a new workbook)
ON_DEMAND_SHEETS: tuple[Sheet, ...] = (CALIBRATION, IMPORT_MAPPINGS)
#: workbook order: the Dashboard first, then what the user types, then what the engine writes
ALL_SHEETS: tuple[Sheet, ...] = (DASHBOARD, *INPUT_SHEETS, *OUTPUT_SHEETS)
SHEETS: dict[str, Sheet] = {s.key: s for s in (*ALL_SHEETS, *ON_DEMAND_SHEETS)}


def sheet_for_name(name: str) -> Sheet | None:
    """The sheet a tab name stands for, in either language (``应收发票`` or ``invoices``)."""
    wanted = normalise_label(name)
    for sheet in (*ALL_SHEETS, *ON_DEMAND_SHEETS):
        if wanted in (
            normalise_label(sheet.zh),
            normalise_label(sheet.en),
            normalise_label(sheet.key),
        ):
            return sheet
    return None


def tab_for(names: Iterable[str], key: str) -> str | None:
    """The first of the workbook's tab ``names`` that stands for schema sheet ``key`` (in either
    language), ``None`` when the workbook has none: the one way every door finds a sheet.

    >>> tab_for(["控制台", "Customers", "我的表"], "customers"), tab_for(["我的表"], "customers")
    ('Customers', None)
    """
    for name in names:
        found = sheet_for_name(name)
        if found is not None and found.key == key:
            return name
    return None
