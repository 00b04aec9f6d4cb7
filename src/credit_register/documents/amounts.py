"""Amounts and dates as they are written in a contract, a letter or a report.

A Chinese contract states every sum twice: in figures and in upper-case characters (大写金额), so
that nobody can alter one without the other. The upper case follows the rules of 《正确填写票据和
结算凭证的基本规定》: 整 after 元 when there are no jiao or fen, none after 角 or 分, one 零 for a
run of zeros inside the number. ``cn2an`` (well kept, widely used) writes it; this module fixes
the rounding to the cent first, because a float such as ``0.1 + 0.2`` must not reach the library.
Figures and dates are formatted with Babel in the document's language.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

import cn2an  # type: ignore[import-untyped]
from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal

from credit_register.core.schema import Language

_LOCALES: dict[Language, str] = {"zh": "zh_CN", "en": "en_US"}
_CENT = Decimal("0.01")


def to_cents(value: float | int | Decimal | str) -> Decimal:
    """``value`` rounded half-up to the cent (a Decimal, so nothing drifts afterwards).

    >>> to_cents(0.1 + 0.2), to_cents("1,004,000.505"), to_cents(2.675)
    (Decimal('0.30'), Decimal('1004000.51'), Decimal('2.68'))
    """
    if isinstance(value, str):
        value = value.replace(",", "").strip()
    # str() of a float is its shortest round-tripping text: 2.675 stays 2.675, not 2.67499…
    return Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_UP)


def chinese_upper(value: float | int | Decimal | str) -> str:
    """The amount in Chinese upper case (大写), to the cent.

    >>> chinese_upper(0)
    '零元整'
    >>> chinese_upper(10.05)
    '壹拾元零伍分'
    >>> chinese_upper(100_000_000)
    '壹亿元整'
    >>> chinese_upper("1,004,000.50")
    '壹佰万肆仟元伍角'
    >>> chinese_upper(1010.01)
    '壹仟零壹拾元零壹分'
    >>> chinese_upper(100_010_000)
    '壹亿零壹万元整'
    >>> chinese_upper(123_456_789.12)
    '壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分'
    >>> chinese_upper(3_290_000)
    '叁佰贰拾玖万元整'
    >>> chinese_upper(-5.5)
    '负伍元伍角'
    """
    cents = to_cents(value)
    return str(cn2an.an2cn(f"{cents:f}", "rmb"))


#: how a 大写 amount names a foreign currency
FOREIGN_NAMES: dict[str, str] = {
    "USD": "美元",
    "EUR": "欧元",
    "JPY": "日元",
    "GBP": "英镑",
    "HKD": "港币",
    "SGD": "新加坡元",
}


def upper_in(value: float | int | Decimal | str, currency: str, base: str) -> str:
    """:func:`chinese_upper` of an amount in ``currency``: a foreign amount names its currency
    first (日元捌仟万元整), a base-currency one is as it was.

    >>> upper_in(80_000_000, "JPY", "CNY"), upper_in(10, "CNY", "CNY")
    ('日元捌仟万元整', '壹拾元整')
    """
    if currency.upper() == base.upper():
        return chinese_upper(value)
    return FOREIGN_NAMES.get(currency.upper(), f"{currency.upper()} ") + chinese_upper(value)


def format_amount(
    value: float | int | Decimal | None, lang: Language, currency: str | None = None
) -> str:
    """A sum in figures with thousands separators and two decimals; ``—`` when unknown.

    >>> format_amount(1004000.5, "zh"), format_amount(-86420, "en", "CNY")
    ('1,004,000.50', 'CNY -86,420.00')
    >>> format_amount(float("nan"), "zh")
    '—'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = format_decimal(to_cents(value), format="#,##0.00", locale=_LOCALES[lang])
    return f"{currency} {text}" if currency else str(text)


def format_pct(value: float | None, lang: Language, digits: int = 1) -> str:
    """A fraction as a percentage: ``0.0508`` → ``5.1%``; ``—`` when unknown.

    >>> format_pct(0.050755, "zh"), format_pct(1.4382, "en", 0), format_pct(None, "en")
    ('5.1%', '144%', '—')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value * 100:,.{digits}f}%"


def format_number(value: float | None, digits: int = 2) -> str:
    """A plain figure (a ratio, a score): ``—`` when unknown.

    >>> format_number(4.4912), format_number(float("nan")), format_number(91.44, 1)
    ('4.49', '—', '91.4')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.{digits}f}"


def format_day(value: dt.date | None, lang: Language, *, short: bool = False) -> str:
    """A date in the document's language (``short``: ISO, for table columns); ``—`` when
    unknown.

    >>> format_day(dt.date(2026, 10, 31), "zh"), format_day(dt.date(2026, 10, 31), "en")
    ('2026年10月31日', 'October 31, 2026')
    >>> format_day(dt.date(2026, 6, 1), "zh", short=True)
    '2026-06-01'
    """
    if value is None:
        return "—"
    if short:
        return value.isoformat()
    return str(babel_format_date(value, format="long", locale=_LOCALES[lang]))
