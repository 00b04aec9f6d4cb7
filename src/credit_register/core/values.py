"""Cell values as a finance user types them, read into typed columns — a whole column at a time.

A register has hundreds of thousands of invoice cells, so each value form of ``spec/register.md``
("Types") is parsed column-wise with pandas, never cell by cell: ``number``, ``integer``,
``date``, ``timestamp``, ``boolean``, ``code`` and ``text`` each take a column of raw cells (what a
door delivers: ``str``, ``float``, ``bool``, ``date``/``datetime``, ``None``, Excel error strings)
and return a ``Parsed``: the typed values and, for each cell that could not be read, why. A bad
cell is a value (its problem), never an exception; the reader turns problems into located issues
with ``message``.

Decisions (documented here because the spec is silent):

- ``(1,234)`` is −1,234 (accounting negatives, as finance systems export them); ``12.5万`` and
  ``1.2亿`` are read with their Chinese unit; currency signs ``¥ ￥ $ € £``, ``RMB``/``CNY`` and a
  trailing ``元`` are ignored (the row's currency column says which currency); full-width digits
  and punctuation are read as half-width.
- ``12%`` in a number column is refused: it is ambiguous between 12 and 0.12 (``保险赔付比例`` is
  0–100), and a wrong guess would silently change a rating. The message says to drop the ``%``.
- Thousands separators must group by three (``1,234.5``); ``1,5`` is refused rather than guessed
  to be a European decimal comma. ``TRUE``/``FALSE`` in a number cell is refused.
- Dates: Excel serial numbers in the 1900 date system (1 = 1900-01-01, 60 = Excel's fictitious
  1900-02-29 is refused, up to 2958465 = 9999-12-31); an 8-digit number ``20260305`` is read as
  ``yyyymmdd`` (Excel turns that typed text into a number); text ``2026-03-05``, ``2026/3/5``,
  ``2026.3.5``, ``2026年3月5日``, ``20260305``, optionally followed by a time. ``3/5/2026`` is
  refused (month or day first is ambiguous). A well-formed but impossible date (``2026-02-30``)
  has its own problem. Dates are ``datetime64[us]``, pandas 3's own resolution, which reaches
  9999-12-31 (a common "no expiry" date that ``ns`` cannot hold).
- Booleans: ``是/否``, ``Y/N``, ``yes/no``, ``true/false``, ``1/0``, ``√/×`` (and ``✓/✗``),
  ``对/错``, ``有/无``, ``开/关``, ``on/off``; blank is missing, not false. The same words mean yes
  and no on the Policy sheet (``TRUE_WORDS``/``FALSE_WORDS`` are their one home).
- Text: a number Excel stored in a text column (a customer id typed as 1001, read back as
  ``1001.0``) becomes ``"1001"``.
- Excel error values (``#N/A``, ``#REF!``...) are refused in every column with their own message.
  python-calamine 0.9 reads error cells as ``""`` (dimastbk/python-calamine#105), so through that
  door an error cell looks blank; the xlwings and add-in doors deliver the ``#N/A`` strings.
"""

from __future__ import annotations

import datetime as dt
import numbers
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd

from credit_register.core.schema import Column, Language

Problem = Literal[
    "excel_error",
    "not_number",
    "percent",
    "not_integer",
    "not_date",
    "impossible_date",
    "not_bool",
    "unknown_code",
]

EXCEL_ERRORS = frozenset(
    {
        "#N/A",
        "#REF!",
        "#VALUE!",
        "#DIV/0!",
        "#NAME?",
        "#NULL!",
        "#NUM!",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#PYTHON!",
    }
)

#: how long a bad value may be in a message before it is cut
SHOWN_CHARS = 40

TRUE_WORDS = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "✔", "对", "有", "t", "开", "on"})
FALSE_WORDS = frozenset(
    {"否", "n", "no", "false", "0", "×", "✗", "✘", "错", "无", "f", "关", "off"}
)

# Excel serial dates (1900 system): serial 1 is 1900-01-01; serial 60 is the 1900-02-29 that
# never was (Lotus 1-2-3's leap-year bug, kept by Excel), so from 61 on the epoch is 1899-12-30.
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
_SERIAL_MAX = 2958465  # 9999-12-31
_DATE_UNIT: Literal["datetime64[us]"] = "datetime64[us]"

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

_DATE_TEXT = re.compile(
    r"""^(?:(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?
        |(?P<y8>\d{4})(?P<m8>\d{2})(?P<d8>\d{2}))
    (?:[\st]+(?P<hh>\d{1,2}):(?P<mm>\d{2})(?::(?P<ss>\d{2})(?:\.\d+)?)?)?$""",
    re.VERBOSE,
)

# what a cell holds, before any parsing
_BLANK, _ERROR, _TEXT, _BOOL, _NUMBER, _DATE, _OTHER = range(7)


@dataclass(frozen=True)
class Parsed:
    """A column read into its type. ``values`` is missing (NaN/NaT/NA) where the cell was blank or
    could not be read; ``problems`` holds, for each cell that could not be read (by position),
    why."""

    values: pd.Series
    problems: pd.Series

    @property
    def invalid(self) -> pd.Series:
        """True where a filled cell could not be read."""
        mask = np.zeros(len(self.values), dtype=bool)
        mask[self.problems.index.to_numpy(dtype=np.int64)] = True
        return pd.Series(mask)

    @property
    def missing(self) -> pd.Series:
        """True where there is no value because the cell was blank (not because it was bad)."""
        return pd.Series(self.values.isna().to_numpy() & ~self.invalid.to_numpy())


@dataclass
class Cells:
    """A column sorted by what its cells hold, so each kind is parsed by one vectorised step.
    ``classify`` builds it; the reader classifies each column once, drops the blank rows with
    ``take`` and hands it to the parsers."""

    raw: pd.Series  # object, RangeIndex
    kind: np.ndarray  # one of the _BLANK... codes per cell
    #: stripped text of the text cells, by position
    text: pd.Series

    def where(self, kind: int) -> np.ndarray:
        return np.flatnonzero(self.kind == kind)

    @property
    def blank(self) -> np.ndarray:
        """True for the cells with nothing in them (``None``, ``""``, spaces, NaN)."""
        return np.asarray(self.kind == _BLANK)

    def take(self, positions: np.ndarray) -> Cells:
        """The cells at ``positions`` (in order), renumbered from 0."""
        renumber = np.full(len(self.raw), -1, dtype=np.int64)
        renumber[positions] = np.arange(len(positions))
        new_index = renumber[self.text.index.to_numpy(dtype=np.int64)]
        kept = new_index >= 0
        text = pd.Series(self.text.to_numpy()[kept], index=new_index[kept], dtype=object)
        raw = pd.Series(self.raw.to_numpy()[positions], dtype=object)
        return Cells(raw, self.kind[positions], text.sort_index())


#: a column of cells as a door delivers them, or already classified
RawCells: TypeAlias = Sequence[Any] | pd.Series | Cells


def _kind_of_type(cls: type) -> int:
    if cls is str or issubclass(cls, str):
        return _TEXT
    if cls is type(None) or cls is type(pd.NaT) or cls is type(pd.NA):
        return _BLANK
    if issubclass(cls, (bool, np.bool_)):
        return _BOOL
    if issubclass(cls, dt.datetime):
        return _DATE
    if issubclass(cls, dt.date):
        return _DATE
    if issubclass(cls, np.datetime64):
        return _DATE
    if issubclass(cls, numbers.Number):
        return _NUMBER
    return _OTHER


#: what ``pandas.api.types.infer_dtype`` says of a column that holds only one kind of cell
_KIND_OF_INFERRED = {
    "string": _TEXT,
    "floating": _NUMBER,
    "integer": _NUMBER,
    "mixed-integer-float": _NUMBER,
    "decimal": _NUMBER,
    "boolean": _BOOL,
    "date": _DATE,
    "datetime": _DATE,
    "datetime64": _DATE,
    "empty": _BLANK,
}


def classify(cells: RawCells) -> Cells:
    """Sort a column's cells by what they hold: blank, Excel error, text, bool, number, date."""
    if isinstance(cells, Cells):
        return cells
    arr = cells.to_numpy(dtype=object) if isinstance(cells, pd.Series) else _object_array(cells)
    raw = pd.Series(arr, dtype=object, copy=False)
    # The common case is a column of one kind (all floats, all dates, all text, with blanks);
    # pandas tells that in one C pass. Only a mixed column is sorted value by value.
    filled = arr
    inferred = pd.api.types.infer_dtype(filled, skipna=True)
    if inferred not in _KIND_OF_INFERRED:
        empty = arr == ""  # python-calamine's blank cell, which makes a number column "mixed"
        if empty.any():
            filled = arr.copy()
            filled[empty] = None
            inferred = pd.api.types.infer_dtype(filled, skipna=True)
    if inferred in _KIND_OF_INFERRED:
        kind = np.full(len(arr), _KIND_OF_INFERRED[inferred], dtype=np.int8)
        if inferred == "floating":
            kind[np.isnan(filled.astype(float))] = _BLANK  # None and NaN alike
        elif inferred != "empty":
            kind[pd.isna(filled)] = _BLANK
    else:
        types = np.fromiter(map(type, filled), dtype=object, count=len(arr))
        kind_by_type = {t: _kind_of_type(t) for t in pd.unique(types)}
        kind = pd.Series(types).map(kind_by_type).to_numpy(dtype=np.int8)
        numeric = np.flatnonzero(kind == _NUMBER)
        as_float = pd.to_numeric(raw.iloc[numeric], errors="coerce").to_numpy(dtype=float)
        kind[numeric[np.isnan(as_float)]] = _BLANK  # NaN from a frame-based door is a blank cell
    at_text = np.flatnonzero(kind == _TEXT)
    stripped = np.fromiter(map(str.strip, arr[at_text]), dtype=object, count=len(at_text))
    blank = stripped == ""
    is_error = np.fromiter(map(EXCEL_ERRORS.__contains__, stripped), dtype=bool, count=len(at_text))
    kind[at_text[blank]] = _BLANK
    kind[at_text[is_error]] = _ERROR
    readable = ~blank & ~is_error
    text = pd.Series(stripped[readable], index=at_text[readable], dtype=object)
    return Cells(raw, kind, text)


def _figures(cells: Cells, at: np.ndarray) -> np.ndarray:
    """The number cells at ``at`` as floats (ints, numpy numbers and Decimals alike)."""
    return np.asarray(cells.raw.to_numpy()[at], dtype=float)


def _object_array(cells: Sequence[Any]) -> np.ndarray:
    """A 1-D object array even when the cells are themselves sequences or dates."""
    return np.fromiter(cells, dtype=object, count=len(cells))


def _result(values: pd.Series, problems: dict[int, Problem] | pd.Series) -> Parsed:
    if isinstance(problems, dict):
        problems = pd.Series(problems, dtype=object)
    problems = problems.sort_index()
    problems.index = problems.index.astype(np.int64)
    return Parsed(values.reset_index(drop=True), problems.astype(object))


def _problems(cells: Cells, refused: Sequence[int], problem: Problem) -> pd.Series:
    """The problem for every Excel error cell and for the cells of ``refused`` kinds."""
    errors = cells.where(_ERROR)
    other = np.flatnonzero(np.isin(cells.kind, list(refused)))
    return pd.concat(
        [
            pd.Series("excel_error", index=errors, dtype=object),
            pd.Series(problem, index=other, dtype=object),
        ]
    )


def _normalised(text: pd.Series) -> pd.Series:
    """Full-width to half-width (``１２`` ``，`` ``（``), Unicode minus to hyphen, lower case."""
    if text.empty:
        return text
    return text.str.normalize("NFKC").str.replace("\u2212", "-", regex=False).str.casefold()


def _by_distinct(
    text: pd.Series, read: Callable[[pd.Series], tuple[np.ndarray, pd.Series]]
) -> tuple[np.ndarray, pd.Series]:
    """``read`` applied once per distinct text: typed dates and amounts repeat down a column, and
    reading text is the slow part, so each distinct value is read once and the result spread."""
    codes, distinct = pd.factorize(text.to_numpy())
    read_values, read_problems = read(pd.Series(distinct, dtype=object))
    spread = read_values[codes]
    if read_problems.empty:
        return spread, pd.Series([], dtype=object)
    bad = np.isin(codes, read_problems.index.to_numpy())
    problems = pd.Series(
        read_problems.reindex(codes[bad]).to_numpy(), index=text.index[bad], dtype=object
    )
    return spread, problems


def _number_from_text(text: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Numbers typed as text: the values where readable, and the problem of the others."""
    values = pd.to_numeric(text, errors="coerce").astype(float)
    plain = np.isfinite(values.to_numpy())
    rest = _normalised(text[~plain])
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
    """
    cells_ = classify(cells)
    values = np.full(len(cells_.raw), np.nan)
    at_number = cells_.where(_NUMBER)
    if len(at_number):
        values[at_number] = _figures(cells_, at_number)
    problems = _problems(cells_, (_BOOL, _DATE, _OTHER), "not_number")
    if len(cells_.text):
        from_text, text_problems = _by_distinct(cells_.text, _number_from_text)
        values[cells_.text.index.to_numpy()] = from_text
        problems = pd.concat([problems, text_problems])
    series = pd.Series(values, dtype="float64")
    series.iloc[problems.index.to_numpy(dtype=np.int64)] = np.nan
    return _result(series, problems)


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
    return _result(pd.Series(values).round().astype("Int64"), problems)


def _to_datetimes(cells_: Cells, keep_time: bool) -> tuple[np.ndarray, pd.Series]:
    n = len(cells_.raw)
    out = np.full(n, np.datetime64("NaT"), dtype=_DATE_UNIT)
    problems: list[pd.Series] = [_problems(cells_, (_BOOL, _OTHER), "not_date")]
    at = cells_.where(_DATE)
    if len(at):
        stamps = pd.to_datetime(cells_.raw.iloc[at], errors="coerce").astype(_DATE_UNIT)
        out[at] = stamps.to_numpy()
        problems.append(pd.Series("not_date", index=at[stamps.isna().to_numpy()], dtype=object))
    at = cells_.where(_NUMBER)
    if len(at):
        serial = _figures(cells_, at)
        days = np.floor(serial)
        as_serial = (serial >= 1) & (serial < _SERIAL_MAX + 1) & (days != 60)
        early = serial < 60  # before Excel's phantom leap day: one day later epoch
        epoch = np.where(early, _EXCEL_EPOCH + np.timedelta64(1, "D"), _EXCEL_EPOCH)
        micros = np.round((serial - days) * 86_400_000_000) if keep_time else np.zeros_like(serial)
        stamps = (
            epoch.astype(_DATE_UNIT)
            + np.where(as_serial, days, 0).astype("timedelta64[D]")
            + micros.astype("timedelta64[us]")
        )
        ymd = (serial >= 19000101) & (serial <= 99991231) & (serial == days)
        from_ymd = (
            pd.to_datetime(
                pd.Series(np.where(ymd, serial, 0).astype(np.int64).astype(str)),
                format="%Y%m%d",
                errors="coerce",
            )
            .astype(_DATE_UNIT)
            .to_numpy()
        )
        out[at] = np.where(as_serial, stamps, np.where(ymd, from_ymd, np.datetime64("NaT")))
        bad = ~as_serial & ~(ymd & ~np.isnat(from_ymd))
        impossible = ymd & np.isnat(from_ymd)
        problems.append(
            pd.Series(
                np.where(impossible[bad], "impossible_date", "not_date"),
                index=at[bad],
                dtype=object,
            )
        )
    if len(cells_.text):
        from_text, text_problems = _by_distinct(
            cells_.text, lambda text: _dates_from_text(text, keep_time)
        )
        out[cells_.text.index.to_numpy()] = from_text
        problems.append(text_problems)
    found = pd.concat(problems)
    out[found.index.to_numpy(dtype=np.int64)] = np.datetime64("NaT")
    if not keep_time:
        out = out.astype("datetime64[D]").astype(_DATE_UNIT)
    return out, found


def _dates_from_text(text: pd.Series, keep_time: bool) -> tuple[np.ndarray, pd.Series]:
    """Dates typed as text: the stamps where readable, and the problem of the others."""
    text = _normalised(text)
    parts = text.str.extract(_DATE_TEXT)
    shaped = (parts["y"].notna() | parts["y8"].notna()).to_numpy()
    fields = pd.DataFrame(
        {
            "year": parts["y"].fillna(parts["y8"]),
            "month": parts["m"].fillna(parts["m8"]),
            "day": parts["d"].fillna(parts["d8"]),
        }
    )
    if keep_time:
        fields["hour"] = parts["hh"]
        fields["minute"] = parts["mm"]
        fields["second"] = parts["ss"]
    fields = fields.fillna({"hour": "0", "minute": "0", "second": "0"})
    fields = fields.apply(pd.to_numeric, errors="coerce").fillna(0).astype(np.int64)
    stamps = pd.to_datetime(fields, errors="coerce").astype(_DATE_UNIT).to_numpy().copy()
    stamps[~shaped] = np.datetime64("NaT")
    bad = np.isnat(stamps)
    return stamps, pd.Series(
        np.where(shaped[bad], "impossible_date", "not_date"),
        index=text.index[bad],
        dtype=object,
    )


def date(cells: RawCells) -> Parsed:
    """Calendar dates (the time of day dropped) as ``datetime64[us]``.

    >>> [str(d.date()) for d in date(["2026/3/5", "2026年3月5日", "20260305", 46086.0]).values]
    ['2026-03-05', '2026-03-05', '2026-03-05', '2026-03-05']
    >>> date(["2026-02-30", "2026/13/1", "next week"]).problems.tolist()
    ['impossible_date', 'impossible_date', 'not_date']
    """
    values, problems = _to_datetimes(classify(cells), keep_time=False)
    return _result(pd.Series(values), problems)


def timestamp(cells: RawCells) -> Parsed:
    """Date and time (the History sheet's ``timestamp``) as ``datetime64[us]``."""
    values, problems = _to_datetimes(classify(cells), keep_time=True)
    return _result(pd.Series(values), problems)


def boolean(cells: RawCells) -> Parsed:
    """Yes/no answers as nullable ``boolean``; blank is missing, not false.

    >>> boolean(["是", "否", "Y", "no", True, 0, "√", "×", None]).values.tolist()
    [True, False, True, False, True, False, True, False, <NA>]
    """
    cells_ = classify(cells)
    values = pd.Series(pd.NA, index=range(len(cells_.raw)), dtype="boolean")
    at = cells_.where(_BOOL)
    values.iloc[at] = cells_.raw.iloc[at].astype(bool).to_numpy()
    problems = [_problems(cells_, (_DATE, _OTHER), "not_bool")]
    at = cells_.where(_NUMBER)
    if len(at):
        figures = _figures(cells_, at)
        known = (figures == 0) | (figures == 1)
        values.iloc[at[known]] = figures[known] == 1
        problems.append(pd.Series("not_bool", index=at[~known], dtype=object))
    if len(cells_.text):
        # a yes/no column holds a handful of distinct words: normalise each once, then spread
        codes, distinct = pd.factorize(cells_.text.to_numpy())
        words = _normalised(pd.Series(distinct, dtype=object))
        yes = words.isin(TRUE_WORDS).to_numpy()[codes]
        no = words.isin(FALSE_WORDS).to_numpy()[codes]
        index = cells_.text.index.to_numpy()
        values.iloc[index[yes]] = True
        values.iloc[index[no]] = False
        problems.append(pd.Series("not_bool", index=index[~yes & ~no], dtype=object))
    return _result(values, pd.concat(problems))


def text(cells: RawCells) -> Parsed:
    """Names, ids and notes as pandas ``str``, stripped; ``1001.0`` read from a text column is
    ``"1001"``.

    >>> text([" ACME ", 1001.0, 12.5, None, ""]).values.tolist()
    ['ACME', '1001', '12.5', nan, nan]
    """
    cells_ = classify(cells)
    out = np.full(len(cells_.raw), None, dtype=object)
    out[cells_.text.index.to_numpy()] = cells_.text.to_numpy()
    at = cells_.where(_NUMBER)
    if len(at):
        # ids typed as numbers repeat (a customer id on every invoice): format each once
        distinct, where = np.unique(_figures(cells_, at), return_inverse=True)
        whole = (np.mod(distinct, 1) == 0) & (np.abs(distinct) < 1e15)
        shown = distinct.astype(str).astype(object)
        shown[whole] = distinct[whole].astype(np.int64).astype(str)
        out[at] = shown[where]
    at = cells_.where(_BOOL)
    out[at] = np.where(cells_.raw.iloc[at].astype(bool).to_numpy(), "TRUE", "FALSE")
    for kind in (_DATE, _OTHER):  # rare in a text column: shown as Excel would
        at = cells_.where(kind)
        out[at] = [shown_value(v) for v in cells_.raw.iloc[at]]
    return _result(pd.Series(out, dtype="str"), _problems(cells_, (), "not_number"))


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
    return _result(values, problems)


def missing_values(column: Column, length: int) -> pd.Series:
    """A column of ``length`` missing values of the column's type (a column the sheet lacks).

    >>> missing_values(Column("since", "合作起始日", "Customer since", "date"), 2).tolist()
    [NaT, NaT]
    """
    if column.type in ("number", "int"):
        figures = pd.Series(np.full(length, np.nan))
        return figures.astype("Int64") if column.type == "int" else figures
    if column.type in ("date", "datetime"):
        return pd.Series(np.full(length, np.datetime64("NaT"), dtype=_DATE_UNIT))
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


def is_blank(cells: RawCells) -> pd.Series:
    """True for the cells with nothing in them (``None``, ``""``, spaces, NaN)."""
    return pd.Series(classify(cells).blank)


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
        sep = "、" if lang == "zh" else ", "
        return sep.join(c.label(lang) for c in column.codes)

    zh, en = _MESSAGES[problem]
    return (
        zh.format(column=column.zh, value=shown, choices=choices("zh")),
        en.format(column=column.en, value=shown, choices=choices("en")),
    )


__all__ = [
    "EXCEL_ERRORS",
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
