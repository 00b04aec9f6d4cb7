"""What a user is told about a cell that could not be read: the value as typed, and one message
per problem in Chinese and English naming the column by its header.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from credit_register.core.cell_kinds import FORMULA_WITHOUT_VALUE, Problem
from credit_register.core.schema import Column, Language
from credit_register.core.text import pick

#: how long a bad value may be in a message before it is cut
SHOWN_CHARS = 40


def shown_value(value: object) -> str:
    """A raw cell as a user would recognise it in a message, cut to ``SHOWN_CHARS``.

    >>> shown_value(True), shown_value(dt.date(2026, 3, 5)), shown_value(1001.0)
    ('TRUE', '2026-03-05', '1001')
    """
    if isinstance(value, bool | np.bool_):
        shown = "TRUE" if value else "FALSE"
    elif isinstance(value, dt.datetime):
        shown = value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    elif isinstance(value, dt.date):
        shown = value.isoformat()
    elif isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        shown = str(int(value))
    else:
        shown = str(value).strip()
    return shown if len(shown) <= SHOWN_CHARS else shown[: SHOWN_CHARS - 1] + "…"


_MESSAGES: dict[Problem, tuple[str, str]] = {
    "excel_error": ("{column}是Excel错误值：{value}", "{column} is an Excel error value: {value}"),
    "not_number": ("{column}不是数字：{value}", "{column} is not a number: {value}"),
    "not_finite": (
        "{column}不是有限的数字（无穷大或超出范围）：{value}",
        "{column} is not a finite number (infinite or out of range): {value}",
    ),
    "percent": (
        "{column}带百分号，含义不明确（12还是0.12？），请去掉“%”只填数字：{value}",
        "{column} has a percent sign, which is ambiguous (12 or 0.12?); type the number "
        "without '%': {value}",
    ),
    "not_integer": ("{column}必须是整数：{value}", "{column} must be a whole number: {value}"),
    "not_date": (
        "{column}不是日期（可填 2026-03-05、2026/3/5、2026年3月5日、20260305）：{value}",
        "{column} is not a date (use 2026-03-05, 2026/3/5 or 20260305): {value}",
    ),
    "impossible_date": (
        "{column}不是有效日期（该日不存在）：{value}",
        "{column} is not a real date: {value}",
    ),
    "not_bool": (
        "{column}应填“是”或“否”：{value}",
        "{column} must be yes or no: {value}",
    ),
    "unknown_code": (
        "{column}不在可选值中（{choices}）：{value}",
        "{column} is not one of the allowed values ({choices}): {value}",
    ),
}


def message(problem: Problem, column: Column, value: object) -> tuple[str, str]:
    """The Chinese and English message for a cell that could not be read, naming the column by
    its header in each language and showing the value as typed.

    >>> message("not_number", Column("amount", "金额", "Amount", "number"), "abc")
    ("金额不是数字：'abc'", "Amount is not a number: 'abc'")
    """
    shown = f"'{shown_value(value)}'"

    def choices(lang: Language) -> str:
        sep = pick(lang, "、", ", ")
        return sep.join(c.label(lang) for c in column.codes)

    if problem == "excel_error" and str(value).strip() == FORMULA_WITHOUT_VALUE:
        return (
            f"{column.zh}是没有计算结果的公式：请在 Excel 中打开并保存，或直接填写数值",
            f"{column.en} is a formula without a calculated value: open and save the file in "
            "Excel, or type the value",
        )
    zh, en = _MESSAGES[problem]
    return (
        zh.format(column=column.zh, value=shown, choices=choices("zh")),
        en.format(column=column.en, value=shown, choices=choices("en")),
    )
