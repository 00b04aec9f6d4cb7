"""Reading a Policy cell into its model value, and showing a model value on the sheet.

A bad cell raises ``_BadValueError`` with a bilingual reason; the sheet reader turns it into an
Issue at the cell and keeps the default, so the error never leaves the policy package.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import numpy as np
import pandas as pd

from credit_register.core import addresses as email_addresses
from credit_register.core.cells import from_serial
from credit_register.core.schema import Language, normalise_label
from credit_register.core.text import pick
from credit_register.core.values import FALSE_WORDS, TRUE_WORDS
from credit_register.policy.param import _CODES, _NUMERIC_KINDS, _UNIT_WORDS, _UNITS, _Param


class _BadValueError(Exception):
    """A cell value this row cannot hold (turned into an Issue, never escapes the module)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


_NUMBER = re.compile(r"^([-+]?(?:\d+\.?\d*|\.\d+))(.*)$")
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
#: an empty list or text is typed as 无/none rather than left blank (the value column is required)
_NO_ADDRESS = {"无", "none", "-", "—"}


def _blank(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _number(p: _Param, raw: object) -> float:
    if isinstance(raw, bool | np.bool_):
        raise _BadValueError("应为数字，不是是/否", "a number is needed, not yes/no")
    if isinstance(raw, int | float | np.integer | np.floating):
        value = float(raw)
    else:
        text = normalise_label(str(raw)).replace(",", "").replace("¥", "")
        match = _NUMBER.match(text)
        if not match or (match.group(2) and match.group(2) not in _UNIT_WORDS.get(p.kind, ())):
            unit = _UNITS[p.kind][0]
            raise _BadValueError(
                f"应为数字（单位{unit}）", f"a number is needed (unit {_UNITS[p.kind][1]})"
            )
        value = float(match.group(1))
    if not math.isfinite(value):
        raise _BadValueError("应为数字", "a number is needed")
    if p.integer and not value.is_integer():
        raise _BadValueError("应为整数", "a whole number is needed")
    if p.minimum is not None and value < p.minimum:
        raise _BadValueError(f"不能小于{_tidy(p.minimum)}", f"cannot be below {_tidy(p.minimum)}")
    if p.maximum is not None and value > p.maximum:
        raise _BadValueError(f"不能大于{_tidy(p.maximum)}", f"cannot be above {_tidy(p.maximum)}")
    return value


def _parse(p: _Param, raw: object) -> Any:
    """The model value of a sheet cell for row ``p``; raises ``_BadValueError``."""
    if p.kind in _NUMERIC_KINDS:
        value = _number(p, raw)
        if p.kind == "pct":
            return value / 100
        return int(value) if p.integer else value
    if p.kind == "bool":
        if isinstance(raw, bool | np.bool_ | int | float) and raw in (0, 1):
            return bool(raw)
        text = normalise_label(str(raw))
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise _BadValueError("应为是或否", "yes or no is needed")
    if p.kind == "currency":
        text = normalise_label(str(raw)).upper()
        if not re.fullmatch(r"[A-Z]{3}", text):
            raise _BadValueError(
                "应为三位货币代码，如CNY", "a three-letter currency code is needed, e.g. CNY"
            )
        return text
    if p.kind == "emails":
        text = "" if _blank(raw) or normalise_label(str(raw)) in _NO_ADDRESS else str(raw)
        addresses = email_addresses.parts(text)
        wrong = email_addresses.invalid_parts(text)
        if wrong:
            raise _BadValueError(
                f"邮箱地址无效：{'; '.join(wrong)}", f"invalid address: {'; '.join(wrong)}"
            )
        return tuple(addresses)
    if p.kind == "date":
        return _date(raw)
    if p.kind == "text":
        text = "" if _blank(raw) else str(raw).strip()
        return "" if normalise_label(text) in _NO_ADDRESS else text
    for code in _CODES[p.kind]:
        if normalise_label(str(raw)) in (
            normalise_label(code.key),
            normalise_label(code.zh),
            normalise_label(code.en),
        ):
            return code.key
    choices = " / ".join(f"{c.zh}({c.key})" for c in _CODES[p.kind])
    raise _BadValueError(f"应为以下之一：{choices}", f"one of: {choices}")


def _date(raw: object) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        moment = from_serial(raw)  # an Excel serial date (the phantom 1900-02-29 is none)
        if moment is not None:
            return moment.date()
    text = normalise_label(str(raw))
    match = _DATE.match(text) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    try:
        if match:
            return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        pass
    raise _BadValueError("应为日期，如2025-05-20", "a date is needed, e.g. 2025-05-20")


def _tidy(value: float) -> int | float:
    """40.0 → 40 on the sheet; float noise from percent scaling removed."""
    value = round(float(value), 9)
    return int(value) if value.is_integer() else value


def _display(p: _Param, value: Any, lang: Language) -> object:
    """A model value as it is shown on the sheet."""
    if p.kind in _NUMERIC_KINDS:
        return _tidy(value * 100 if p.kind == "pct" else value)
    if p.kind == "bool":
        return pick(lang, "是", "yes") if value else pick(lang, "否", "no")
    if p.kind == "emails":
        return "; ".join(value) or pick(lang, "无", "none")
    if p.kind == "date":
        return value.isoformat()
    if p.kind in ("currency", "grade"):
        return value
    if p.kind == "text":
        return value or "—"  # the value column is required: a blank row is typed as —
    return next(c for c in _CODES[p.kind] if c.key == value).label(lang)
