"""Codes checked against reference lists: ISO 3166 countries, ISO 4217 currencies (with a rate on
the FX sheet when foreign), the USCC's check digit and e-mail addresses.

The lists come from Babel's CLDR data and python-stdnum, never from the network; each distinct
value is checked once, however many rows carry it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import cache

import numpy as np
import pandas as pd
from babel import Locale
from babel.numbers import list_currencies
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc as stdnum_uscc

from credit_register.core import addresses, schema
from credit_register.core.issues import Severity
from credit_register.validation.context import (
    Context,
    Finding,
    _blank,
    _en,
    _flag,
    _fold,
    _found,
    _hits,
    _present,
    _where_values,
    _zh,
)


@cache
def _countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, from Babel's CLDR territory list.

    CLDR also lists regions (``001``), groupings (``EU``, ``UN``, ``EZ``, ``QO``), pseudo-locales
    (``XA``, ``XB``), ``ZZ`` (unknown) and the exceptionally reserved codes of ISO 3166 (``AC``,
    ``CP``, ``CQ``, ``DG``, ``EA``, ``IC``, ``TA``) that are not countries a customer sits in.
    Kosovo's ``XK``, used by banks and the EU alike, is kept.
    """
    not_countries = {
        "EU",
        "EZ",
        "UN",
        "QO",
        "XA",
        "XB",
        "ZZ",
        "AC",
        "CP",
        "CQ",
        "DG",
        "EA",
        "IC",
        "TA",
    }
    codes = Locale("en").territories
    return frozenset(
        c for c in map(str, codes) if len(c) == 2 and c.isalpha() and c not in not_countries
    )


@cache
def _country_names() -> dict[str, str]:
    """Country names in Chinese and English (``中国``, ``China``) → code, to suggest the fix."""
    names: dict[str, str] = {}
    for locale in ("en", "zh"):
        for code, name in Locale.parse(locale).territories.items():
            if code in _countries():
                names[_fold(name)] = code
    return names


@cache
def _currencies() -> frozenset[str]:
    """ISO 4217 codes, from Babel's CLDR currency list."""
    return frozenset(list_currencies())


@cache
def _currency_names() -> dict[str, str]:
    """Currency names as people type them (``人民币``, ``RMB``, ``US Dollar``) → code."""
    names = {"RMB": "CNY", "元": "CNY"}
    for locale in ("en", "zh"):
        for code, name in Locale.parse(locale).currencies.items():
            names.setdefault(_fold(name), code)
    return names


def _suggestion(value: str, names: dict[str, str]) -> tuple[str, str]:
    """``（应为 CNY）`` / `` (should be CNY)`` when the value is a known name, else nothing."""
    code = names.get(_fold(value))
    return (f"（应为 {code}）", f" (should be {code})") if code else ("", "")


def _uscc_problem(value: str) -> tuple[str, str] | None:
    """What is wrong with a USCC as typed, in both languages, or ``None`` when it is valid.

    Full-width characters and lower case are folded first, as the spec asks of every code; stdnum
    then drops spaces and hyphens and checks the GB 32100-2015 check digit.

    >>> _uscc_problem("9111 0000 6000 3734 1l") is None
    True
    >>> _uscc_problem("91110000600037341X")
    ('校验位错误', 'check digit is wrong')
    """
    number = stdnum_uscc.compact(unicodedata.normalize("NFKC", value).upper())
    try:
        stdnum_uscc.validate(number)
    except stdnum_errors.InvalidLength:
        return (f"应为18位，现为{len(number)}位", f"must be 18 characters, has {len(number)}")
    except stdnum_errors.InvalidChecksum:
        return ("校验位错误", "check digit is wrong")
    except stdnum_errors.ValidationError:
        return ("含有无效字符", "has characters a USCC cannot have")
    return None


def customer_identity(ctx: Context) -> Iterator[Finding]:
    """USCC (expected in China, check digit valid), country code and e-mail addresses.

    A blank country means China, the register's home. A missing USCC of a Chinese customer is a
    warning: the customer is still rated, but bureau checks cannot be made (an ERP export names
    customers by short name and seldom carries the code; excluding them would rate nobody). A
    wrong USCC is an error for a Chinese customer and a warning for a foreign one (the column may
    hold a foreign registry number, and the customer's credit figures do not depend on it). A bad
    e-mail address is a warning: it stops a letter from going out, not the customer's rating.
    """
    sheet = schema.CUSTOMERS
    frame = ctx.frame(sheet)
    if frame is None:
        return
    country = frame.get("country", pd.Series(pd.NA, index=frame.index, dtype=object))
    has_country = _present(country)
    if "country" in frame:
        invalid = _where_values(country.where(has_country), lambda c: _fold(c) not in _countries())
        bad = frame.loc[invalid]
        hint = bad["country"].map(lambda c: _suggestion(c, _country_names()))
        yield from _found(
            sheet,
            "country",
            "error",
            bad,
            [f"{_zh(sheet, 'country')} ", bad["country"], " 不是 ISO 3166 两位代码", hint.str[0]],
            [
                f"{_en(sheet, 'country')} ",
                bad["country"],
                " is not an ISO 3166 two-letter code",
                hint.str[1],
            ],
        )
    in_china = ~has_country | (country.where(has_country).map(_fold, na_action="ignore") == "CN")
    in_china = _flag(in_china)
    if "uscc" in frame:
        uscc = frame["uscc"]
        has_uscc = _present(uscc)
        missing = frame.loc[in_china & ~has_uscc] if ctx.typed(sheet, "uscc") else frame.iloc[:0]
        yield from _found(
            sheet,
            "uscc",
            "warning",
            missing,
            [f"中国客户未填写{_zh(sheet, 'uscc')}，无法进行征信核查"],
            [f"no {_en(sheet, 'uscc')} for a customer in China: bureau checks unavailable"],
        )
        # one stdnum check per distinct number (a group's companies may share one by mistake)
        typed = uscc.loc[has_uscc].astype(str)
        codes, distinct = pd.factorize(typed)
        verdicts = np.array([_uscc_problem(number) for number in distinct] + [None], dtype=object)
        problems = pd.Series(verdicts[codes], index=typed.index).dropna()
        severities: tuple[tuple[Severity, bool], ...] = (("error", True), ("warning", False))
        for severity, domestic in severities:
            wrong = problems.loc[in_china[problems.index] == domestic]
            bad = frame.loc[wrong.index]
            yield from _found(
                sheet,
                "uscc",
                severity,
                bad,
                [f"{_zh(sheet, 'uscc')} ", bad["uscc"], " ", wrong.str[0]],
                [f"{_en(sheet, 'uscc')} ", bad["uscc"], ": ", wrong.str[1]],
            )
    for key in ("email", "manager_email"):
        if key not in frame:
            continue
        # one definition with mail (core.addresses): what is flagged here is never mailed
        cells = frame[key].loc[_present(frame[key])]
        bad = frame.loc[cells.index[cells.map(addresses.invalid_parts).astype(bool).to_numpy()]]
        yield from _found(
            sheet,
            key,
            "warning",
            bad,
            [f"{_zh(sheet, key)} ", bad[key], " 不是有效的邮箱地址"],
            [f"{_en(sheet, key)} ", bad[key], " is not a valid e-mail address"],
        )


#: every sheet with a currency column
CURRENCY_SHEETS = (schema.CUSTOMERS, schema.FINANCIALS, schema.INVOICES, schema.ORDERS, schema.FX)


def missing_currency_columns(ctx: Context) -> Iterator[tuple[schema.Sheet, str, str]]:
    """A sheet of amounts without a currency column: a customer's amounts are read in the
    customer's currency, and a customer's own (or one without a currency) in the base currency,
    which is right for a domestic register and silently wrong for an export in rupees, so the
    user is told once per sheet (sheet, Chinese message, English message)."""
    base = _fold(ctx.base_currency)
    for sheet in CURRENCY_SHEETS:
        frame = ctx.frame(sheet)
        if sheet is schema.FX or frame is None or frame.empty or ctx.typed(sheet, "currency"):
            continue
        if sheet is schema.CUSTOMERS:
            zh, en = (
                f"金额均按本位币 {base} 计",
                f"every amount is read as the base currency {base}",
            )
        else:
            zh = f"金额按各客户的币种计，客户未填币种时按本位币 {base}"
            en = (
                "amounts are read in each customer's currency, and in the base currency "
                f"{base} for a customer without one"
            )
        yield (
            sheet,
            f"没有“{_zh(sheet, 'currency')}”列，{zh}",
            f"no {sheet.column('currency').en} column: {en}",
        )


def currencies(ctx: Context) -> Iterator[Finding]:
    """Currencies are ISO 4217 codes, and a foreign currency has a rate on the FX sheet.

    Without a rate an amount cannot be converted to the base currency, so the row cannot count
    in any total: that is an error. A blank currency means the base currency.
    """
    base = _fold(ctx.base_currency)
    fx = ctx.frame(schema.FX, "currency")
    on_fx = {_fold(c) for c in fx["currency"].dropna().unique()} if fx is not None else set()
    for sheet in CURRENCY_SHEETS:
        frame = ctx.frame(sheet, "currency")
        if frame is None:
            continue
        codes, distinct = ctx.distinct(sheet, "currency")
        invalid = _hits(codes, distinct, lambda c: not _blank(c) and _fold(c) not in _currencies())
        bad = frame.loc[invalid]
        hint = bad["currency"].map(lambda c: _suggestion(c, _currency_names()))
        yield from _found(
            sheet,
            "currency",
            "error",
            bad,
            [f"{_zh(sheet, 'currency')} ", bad["currency"], " 不是 ISO 4217 货币代码", hint.str[0]],
            [
                f"{_en(sheet, 'currency')} ",
                bad["currency"],
                " is not an ISO 4217 currency code",
                hint.str[1],
            ],
        )
        if sheet is schema.FX:
            continue
        no_rate = _hits(
            codes,
            distinct,
            lambda c: _fold(c) in _currencies() and _fold(c) != base and _fold(c) not in on_fx,
        )
        bad = frame.loc[no_rate]
        yield from _found(
            sheet,
            "currency",
            "error",
            bad,
            [
                f"{_zh(sheet, 'currency')} ",
                bad["currency"],
                f" 不是本位币 {base}，但「{schema.FX.zh}」表中没有它的汇率",
            ],
            [
                f"{_en(sheet, 'currency')} ",
                bad["currency"],
                f" is not the base currency {base} and has no rate on the {schema.FX.en} sheet",
            ],
        )
