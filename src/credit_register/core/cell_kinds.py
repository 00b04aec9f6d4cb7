"""What a cell holds, sorted a whole column at a time: the ground every value parser stands on.

A register has hundreds of thousands of invoice cells, so a column's raw cells (what a door
delivers: ``str``, ``float``, ``bool``, ``date``/``datetime``, ``None``, Excel error strings) are
sorted once by kind (``classify``: blank, Excel error, text, bool, number, date), and each parser
reads each kind with one vectorised step. A parser returns a ``Parsed``: the typed values and,
for each cell that could not be read, why (a ``Problem``). A bad cell is a value, never an
exception.

Excel error values (``#N/A``, ``#REF!``...) are refused in every column with their own message.
python-calamine 0.9 reads error cells as ``""`` (dimastbk/python-calamine#105), so through that
door an error cell looks blank; the file door patches them back from the sheet XML, and the
xlwings and add-in doors deliver the ``#N/A`` strings. A formula without a cached value (a file a
script wrote and Excel never saved) is refused the same way: the file door reads it as
``FORMULA_WITHOUT_VALUE``; read as a blank it would have silently changed a proposed limit.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd

Problem = Literal[
    "excel_error",
    "not_number",
    "not_finite",
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

#: what the file door reads a formula cell without a cached value as (calamine gives a blank)
FORMULA_WITHOUT_VALUE = "#NO_CACHED_VALUE!"
#: refused like Excel's errors, with a message of its own
_NOT_VALUES = EXCEL_ERRORS | {FORMULA_WITHOUT_VALUE}


# what a cell holds, before any parsing
BLANK, ERROR, TEXT, BOOL, NUMBER, DATE, OTHER = range(7)


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
    kind: np.ndarray  # one of the BLANK... codes per cell
    #: stripped text of the text cells, by position
    text: pd.Series

    def where(self, kind: int) -> np.ndarray:
        return np.flatnonzero(self.kind == kind)

    @property
    def blank(self) -> np.ndarray:
        """True for the cells with nothing in them (``None``, ``""``, spaces, NaN)."""
        return np.asarray(self.kind == BLANK)

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
RawCells: TypeAlias = Sequence[Any] | np.ndarray | pd.Series | Cells


def _kind_of_type(cls: type) -> int:
    if cls is str or issubclass(cls, str):
        return TEXT
    if cls is type(None) or cls is type(pd.NaT) or cls is type(pd.NA):
        return BLANK
    if issubclass(cls, (bool, np.bool_)):
        return BOOL
    if issubclass(cls, dt.datetime):
        return DATE
    if issubclass(cls, dt.date):
        return DATE
    if issubclass(cls, np.datetime64):
        return DATE
    if issubclass(cls, numbers.Number):
        return NUMBER
    return OTHER


#: what ``pandas.api.types.infer_dtype`` says of a column that holds only one kind of cell
_KIND_OF_INFERRED = {
    "string": TEXT,
    "floating": NUMBER,
    "integer": NUMBER,
    "mixed-integer-float": NUMBER,
    "decimal": NUMBER,
    "boolean": BOOL,
    "date": DATE,
    "datetime": DATE,
    "datetime64": DATE,
    "empty": BLANK,
}


def classify(cells: RawCells) -> Cells:
    """Sort a column's cells by what they hold: blank, Excel error, text, bool, number, date."""
    if isinstance(cells, Cells):
        return cells
    if isinstance(cells, pd.Series):
        arr = cells.to_numpy(dtype=object)
    elif isinstance(cells, np.ndarray):
        arr = np.ascontiguousarray(cells, dtype=object)  # a column of the reader's grid
    else:
        arr = _object_array(cells)
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
            kind[np.isnan(filled.astype(float))] = BLANK  # None and NaN alike
        elif inferred != "empty":
            kind[pd.isna(filled)] = BLANK
    else:
        types = np.fromiter(map(type, filled), dtype=object, count=len(arr))
        kind_by_type = {t: _kind_of_type(t) for t in pd.unique(types)}
        kind = pd.Series(types).map(kind_by_type).to_numpy(dtype=np.int8)
        numeric = np.flatnonzero(kind == NUMBER)
        as_float = pd.to_numeric(raw.iloc[numeric], errors="coerce").to_numpy(dtype=float)
        kind[numeric[np.isnan(as_float)]] = BLANK  # NaN from a frame-based door is a blank cell
    at_text = np.flatnonzero(kind == TEXT)
    stripped = np.fromiter(map(str.strip, arr[at_text]), dtype=object, count=len(at_text))
    blank = stripped == ""
    is_error = np.fromiter(map(_NOT_VALUES.__contains__, stripped), dtype=bool, count=len(at_text))
    kind[at_text[blank]] = BLANK
    kind[at_text[is_error]] = ERROR
    readable = ~blank & ~is_error
    text = pd.Series(stripped[readable], index=at_text[readable], dtype=object)
    return Cells(raw, kind, text)


def figures_at(cells: Cells, at: np.ndarray) -> np.ndarray:
    """The number cells at ``at`` as floats (ints, numpy numbers and Decimals alike)."""
    return np.asarray(cells.raw.to_numpy()[at], dtype=float)


def _object_array(cells: Sequence[Any]) -> np.ndarray:
    """A 1-D object array even when the cells are themselves sequences or dates."""
    return np.fromiter(cells, dtype=object, count=len(cells))


def parsed_result(values: pd.Series, problems: dict[int, Problem] | pd.Series) -> Parsed:
    """A parser's answer: the values renumbered from 0, the problems by position in order."""
    if isinstance(problems, dict):
        problems = pd.Series(problems, dtype=object)
    problems = problems.sort_index()
    problems.index = problems.index.astype(np.int64)
    return Parsed(values.reset_index(drop=True), problems.astype(object))


def problems_for(cells: Cells, refused: Sequence[int], problem: Problem) -> pd.Series:
    """The problem for every Excel error cell and for the cells of ``refused`` kinds."""
    errors = cells.where(ERROR)
    other = np.flatnonzero(np.isin(cells.kind, list(refused)))
    return pd.concat(
        [
            pd.Series("excel_error", index=errors, dtype=object),
            pd.Series(problem, index=other, dtype=object),
        ]
    )


def normalised(text: pd.Series) -> pd.Series:
    """Full-width to half-width (``１２`` ``，`` ``（``), Unicode minus to hyphen, lower case."""
    if text.empty:
        return text
    return text.str.normalize("NFKC").str.replace("\u2212", "-", regex=False).str.casefold()


def by_distinct(
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


def is_blank(cells: RawCells) -> pd.Series:
    """True for the cells with nothing in them (``None``, ``""``, spaces, NaN)."""
    return pd.Series(classify(cells).blank)
