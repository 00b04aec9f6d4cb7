"""Cell values as a finance user types them, read into typed columns — a whole column at a time.

Each value form of ``spec/register.md`` ("Types") is parsed column-wise with pandas, never cell by
cell: ``number``, ``integer``, ``date``, ``timestamp``, ``boolean``, ``code`` and ``text`` each
take a column of raw cells and return a ``Parsed``: the typed values and, for each cell that could
not be read, why; ``parse`` picks the parser by the column's schema type. This module is the
reader's one door to reading values: what a cell holds is ``cell_kinds``', dates are ``dates``',
and the messages are ``cell_messages``'.

Decisions (documented here because the spec is silent):

- ``(1,234)`` is −1,234 (accounting negatives, as finance systems export them); ``12.5万`` and
  ``1.2亿`` are read with their Chinese unit; currency signs ``¥ ￥ $ € £``, ``RMB``/``CNY`` and a
  trailing ``元`` are ignored (the row's currency column says which currency); full-width digits
  and punctuation are read as half-width.
- ``12%`` in a number column is refused: it is ambiguous between 12 and 0.12 (``保险赔付比例`` is
  0–100), and a wrong guess would silently change a rating. The message says to drop the ``%``.
- Thousands separators must group by three (``1,234.5``); ``1,5`` is refused rather than guessed
  to be a European decimal comma. ``TRUE``/``FALSE`` in a number cell is refused.
- Booleans: ``是/否``, ``Y/N``, ``yes/no``, ``true/false``, ``1/0``, ``√/×`` (and ``✓/✗``),
  ``对/错``, ``有/无``, ``开/关``, ``on/off``; blank is missing, not false. The same words mean yes
  and no on the Policy sheet (``TRUE_WORDS``/``FALSE_WORDS`` are their one home).
- Text: a number Excel stored in a text column (a customer id typed as 1001, read back as
  ``1001.0``) becomes ``"1001"``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from credit_register.core.cell_kinds import (
    BOOL,
    DATE,
    EXCEL_ERRORS,
    FORMULA_WITHOUT_VALUE,
    NUMBER,
    OTHER,
    Cells,
    Parsed,
    Problem,
    RawCells,
    by_distinct,
    classify,
    figures_at,
    is_blank,
    normalised,
    parsed_result,
    problems_for,
)
from credit_register.core.cell_messages import message, shown_value
from credit_register.core.dates import DATE_UNIT, date, timestamp
from credit_register.core.schema import Column

TRUE_WORDS = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "✔", "对", "有", "t", "开", "on"})
FALSE_WORDS = frozenset(
    {"否", "n", "no", "false", "0", "×", "✗", "✘", "错", "无", "f", "关", "off"}
)

_NUMBER_TEXT = re.compile(
    r"""^(?P<open>\()?\s*
    (?P<sign>[-+])?\s*
    (?:[¥$€£]|rmb|cny)?\s*
    (?P<sign2>[-+])?\s*
    (?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)
    (?P<exp>e[-+]?\d+)?\s*
    (?P<unit>万|亿)?\s*
    (?:元|rmb|cny)?\s*
    (?P<close>\))?$""",
    re.VERBOSE,
)
_UNITS = {"万": 1e4, "亿": 1e8}


def _number_from_text(text: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Numbers typed as text: the values where readable, and the problem of the others."""
    values = pd.to_numeric(text, errors="coerce").astype(float)
    plain = np.isfinite(values.to_numpy())
    rest = normalised(text[~plain])
    problems = pd.Series(index=rest.index, dtype=object)
    if len(rest):
        parts = rest.str.extract(_NUMBER_TEXT)
        balanced = parts["open"].isna() == parts["close"].isna()
        two_signs = parts["sign"].notna() & parts["sign2"].notna()
        ok = parts["digits"].notna() & balanced & ~two_signs
        digits = parts["digits"].str.replace(",", "", regex=False) + parts["exp"].fillna("")
        amount = pd.to_numeric(digits.where(ok), errors="coerce").astype(float)
        amount = amount * parts["unit"].map(_UNITS).fillna(1.0).astype(float)
        negative = (
            (parts["sign"] == "-").fillna(False)
            | (parts["sign2"] == "-").fillna(False)
            | parts["open"].notna()
        )
        amount = amount.where(~negative, -amount)
        values.loc[rest.index] = amount
        bad = rest.index[~ok.to_numpy()]
        percent = rest[bad].str.endswith("%") & _parses_as_number(rest[bad].str[:-1])
        problems = pd.Series(np.where(percent, "percent", "not_number"), index=bad, dtype=object)
    return values.to_numpy(dtype=float), problems


def _parses_as_number(text: pd.Series) -> pd.Series:
    return text.str.strip().str.fullmatch(_NUMBER_TEXT).fillna(False).astype(bool)


def number(cells: RawCells) -> Parsed:
    """Amounts and other figures as ``float64``.

    >>> typed = [1234.5, "1,234.50", "¥1,234.50", "1234.5元", "(1,234)", "１２", "12.5万"]
    >>> number(typed).values.tolist()
    [1234.5, 1234.5, 1234.5, 1234.5, -1234.0, 12.0, 125000.0]
    >>> number(["abc", "12%", True, "#N/A", None]).problems.tolist()
    ['not_number', 'percent', 'not_number', 'excel_error']
    >>> number([float("inf"), "1e400", 9e307]).problems.tolist()
    ['not_finite', 'not_finite']
    """
    cells_ = classify(cells)
    values = np.full(len(cells_.raw), np.nan)
    at_number = cells_.where(NUMBER)
    if len(at_number):
        values[at_number] = figures_at(cells_, at_number)
    problems = problems_for(cells_, (BOOL, DATE, OTHER), "not_number")
    if len(cells_.text):
        from_text, text_problems = by_distinct(cells_.text, _number_from_text)
        values[cells_.text.index.to_numpy()] = from_text
        problems = pd.concat([problems, text_problems])
    infinite = np.flatnonzero(np.isinf(values))  # it would make every total infinite
    if len(infinite):
        problems = pd.concat([problems, pd.Series("not_finite", index=infinite, dtype=object)])
    series = pd.Series(values, dtype="float64")
    series.iloc[problems.index.to_numpy(dtype=np.int64)] = np.nan
    return parsed_result(series, problems)


def integer(cells: RawCells) -> Parsed:
    """Counts and days as nullable ``Int64``: a number that must be whole.

    >>> integer([30, 30.0, "45", "1.5", None]).values.tolist()
    [30, 30, 45, <NA>, <NA>]
    """
    parsed = number(cells)
    values = parsed.values.to_numpy()
    fraction = np.flatnonzero(~np.isnan(values) & (np.mod(values, 1) != 0))
    problems = pd.concat([parsed.problems, pd.Series("not_integer", index=fraction, dtype=object)])
    values = values.copy()
    values[fraction] = np.nan
    return parsed_result(pd.Series(values).round().astype("Int64"), problems)


def boolean(cells: RawCells) -> Parsed:
    """Yes/no answers as nullable ``boolean``; blank is missing, not false.

    >>> boolean(["是", "否", "Y", "no", True, 0, "√", "×", None]).values.tolist()
    [True, False, True, False, True, False, True, False, <NA>]
    """
    cells_ = classify(cells)
    values = pd.Series(pd.NA, index=range(len(cells_.raw)), dtype="boolean")
    at = cells_.where(BOOL)
    values.iloc[at] = cells_.raw.iloc[at].astype(bool).to_numpy()
    problems = [problems_for(cells_, (DATE, OTHER), "not_bool")]
    at = cells_.where(NUMBER)
    if len(at):
        figures = figures_at(cells_, at)
        known = (figures == 0) | (figures == 1)
        values.iloc[at[known]] = figures[known] == 1
        problems.append(pd.Series("not_bool", index=at[~known], dtype=object))
    if len(cells_.text):
        # a yes/no column holds a handful of distinct words: normalise each once, then spread
        codes, distinct = pd.factorize(cells_.text.to_numpy())
        words = normalised(pd.Series(distinct, dtype=object))
        yes = words.isin(TRUE_WORDS).to_numpy()[codes]
        no = words.isin(FALSE_WORDS).to_numpy()[codes]
        index = cells_.text.index.to_numpy()
        values.iloc[index[yes]] = True
        values.iloc[index[no]] = False
        problems.append(pd.Series("not_bool", index=index[~yes & ~no], dtype=object))
    return parsed_result(values, pd.concat(problems))


def text(cells: RawCells) -> Parsed:
    """Names, ids and notes as pandas ``str``, stripped; ``1001.0`` read from a text column is
    ``"1001"``.

    >>> text([" ACME ", 1001.0, 12.5, None, ""]).values.tolist()
    ['ACME', '1001', '12.5', nan, nan]
    """
    cells_ = classify(cells)
    out = np.full(len(cells_.raw), None, dtype=object)
    out[cells_.text.index.to_numpy()] = cells_.text.to_numpy()
    at = cells_.where(NUMBER)
    if len(at):
        # ids typed as numbers repeat (a customer id on every invoice): format each once
        distinct, where = np.unique(figures_at(cells_, at), return_inverse=True)
        whole = (np.mod(distinct, 1) == 0) & (np.abs(distinct) < 1e15)
        shown = distinct.astype(str).astype(object)
        shown[whole] = distinct[whole].astype(np.int64).astype(str)
        out[at] = shown[where]
    at = cells_.where(BOOL)
    out[at] = np.where(cells_.raw.iloc[at].astype(bool).to_numpy(), "TRUE", "FALSE")
    for kind in (DATE, OTHER):  # rare in a text column: shown as Excel would
        at = cells_.where(kind)
        out[at] = [shown_value(v) for v in cells_.raw.iloc[at]]
    return parsed_result(pd.Series(out, dtype="str"), problems_for(cells_, (), "not_number"))


def code(cells: RawCells, column: Column) -> Parsed:
    """A value of the column's fixed list, typed as its key or its label in either language;
    the value is the code's key (``正常`` → ``active``)."""
    read = text(cells)
    labels = read.values.dropna()
    keys = {label: column.code_for(label) for label in pd.unique(labels)}  # few distinct labels
    mapped = labels.map({label: c.key for label, c in keys.items() if c is not None})
    unknown = mapped.index[mapped.isna().to_numpy()]
    values = pd.Series(np.nan, index=read.values.index, dtype="str")
    values.loc[mapped.index] = mapped
    problems = pd.concat([read.problems, pd.Series("unknown_code", index=unknown, dtype=object)])
    return parsed_result(values, problems)


def missing_values(column: Column, length: int) -> pd.Series:
    """A column of ``length`` missing values of the column's type (a column the sheet lacks).

    >>> missing_values(Column("since", "合作起始日", "Customer since", "date"), 2).tolist()
    [NaT, NaT]
    """
    if column.type in ("number", "int"):
        figures = pd.Series(np.full(length, np.nan))
        return figures.astype("Int64") if column.type == "int" else figures
    if column.type in ("date", "datetime"):
        return pd.Series(np.full(length, np.datetime64("NaT"), dtype=DATE_UNIT))
    if column.type == "bool":
        return pd.Series(pd.NA, index=range(length), dtype="boolean")
    return pd.Series(np.full(length, None, dtype=object), dtype="str")


def parse(cells: RawCells, column: Column) -> Parsed:
    """A column read by its schema type."""
    if column.type == "number":
        return number(cells)
    if column.type == "int":
        return integer(cells)
    if column.type == "date":
        return date(cells)
    if column.type == "datetime":
        return timestamp(cells)
    if column.type == "bool":
        return boolean(cells)
    if column.type == "code":
        return code(cells, column)
    return text(cells)


__all__ = [
    "EXCEL_ERRORS",
    "FORMULA_WITHOUT_VALUE",
    "Cells",
    "Parsed",
    "Problem",
    "boolean",
    "classify",
    "code",
    "date",
    "integer",
    "is_blank",
    "message",
    "missing_values",
    "number",
    "parse",
    "shown_value",
    "text",
    "timestamp",
]
