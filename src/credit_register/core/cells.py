"""Excel's cell facts, in one place: A1 addresses, serial dates and the cent.

Every door speaks Excel: the file reader meets ``<c r="F17">`` and serial numbers, the add-in's
JSON carries ``A1:C3`` ranges and serials, the builder writes dates as serials, the Policy sheet
holds dates a user typed. Each of them asks this module, so a column letter, the 1900 date
system's phantom leap day or the half cent that makes two amounts equal is defined once.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
import pandas as pd

# --------------------------------------------------------------------------- A1 addresses

#: one cell address, absolute or not: ``F17``, ``$AA$3``
CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]+)$")
#: Excel's last row and column
LAST_ROW = 1_048_576
LAST_COLUMN = "XFD"


def column_letter(index: int) -> str:
    """Excel column letters for a 0-based column index.

    >>> column_letter(0), column_letter(25), column_letter(26), column_letter(701)
    ('A', 'Z', 'AA', 'ZZ')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """0-based column index of Excel column letters (the inverse of ``column_letter``).

    >>> column_index("A"), column_index("z"), column_index("AA"), column_index("XFD")
    (0, 25, 26, 16383)
    """
    index = 0
    for char in letters.upper():
        index = index * 26 + (ord(char) - 64)
    return index - 1


def split_ref(ref: str) -> tuple[int, int]:
    """``"C12"`` → ``(2, 12)``: the 0-based column and the 1-based row. ``ValueError`` when
    ``ref`` is not one cell address.

    >>> split_ref("C12"), split_ref("$AA$3")
    ((2, 12), (26, 3))
    >>> split_ref("C")
    Traceback (most recent call last):
    ...
    ValueError: not a cell address: 'C'
    """
    match = CELL_REF.match(ref.strip())
    if match is None:
        raise ValueError(f"not a cell address: {ref!r}")
    return column_index(match.group(1)), int(match.group(2))


def cell_ref(column: int, row: int) -> str:
    """``(2, 12)`` → ``"C12"`` (0-based column, 1-based row).

    >>> cell_ref(2, 12)
    'C12'
    """
    return f"{column_letter(column)}{row}"


# --------------------------------------------------------------------------- serial dates

#: day 0 of the 1900 date system for serials from 61 on (1900-03-01); serials 1–59 count from one
#: day later, because Excel keeps Lotus 1-2-3's phantom 1900-02-29 as serial 60
EPOCH_1900 = dt.datetime(1899, 12, 30)
#: day 0 of the 1904 date system (Mac Excel before 2011, ``workbookPr date1904``)
EPOCH_1904 = dt.datetime(1904, 1, 1)
#: the phantom 1900-02-29: no date has this serial
PHANTOM_LEAP_DAY = 60
#: 9999-12-31, Excel's last date
LAST_SERIAL = 2_958_465
_ONE_DAY = dt.timedelta(days=1)


def from_serial(serial: float, *, date1904: bool = False) -> dt.datetime | None:
    """The moment an Excel serial stands for; ``None`` for the phantom 1900-02-29 and serials
    outside Excel's range.

    >>> [str(from_serial(s)) for s in (1, 59, 61)]
    ['1900-01-01 00:00:00', '1900-02-28 00:00:00', '1900-03-01 00:00:00']
    >>> from_serial(46086.5)
    datetime.datetime(2026, 3, 5, 12, 0)
    >>> from_serial(60) is None, from_serial(0) is None, from_serial(0, date1904=True)
    (True, True, datetime.datetime(1904, 1, 1, 0, 0))
    """
    if date1904:
        if not 0 <= serial <= LAST_SERIAL - 1462:
            return None
        epoch = EPOCH_1904
    else:
        if not 1 <= serial < LAST_SERIAL + 1 or int(serial) == PHANTOM_LEAP_DAY:
            return None
        epoch = EPOCH_1900 + _ONE_DAY if serial < PHANTOM_LEAP_DAY else EPOCH_1900
    return epoch + dt.timedelta(days=float(serial))


def to_serial(moment: dt.date | dt.datetime, *, date1904: bool = False) -> float:
    """The Excel serial of a date or moment (the inverse of ``from_serial``).

    >>> [to_serial(dt.date(*ymd)) for ymd in ((1900, 1, 1), (1900, 3, 1), (2026, 3, 5))]
    [1.0, 61.0, 46086.0]
    >>> to_serial(dt.datetime(2026, 3, 5, 12))
    46086.5
    """
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime(moment.year, moment.month, moment.day)
    moment = moment.replace(tzinfo=None)
    if date1904:
        return (moment - EPOCH_1904) / _ONE_DAY
    days = (moment - EPOCH_1900) / _ONE_DAY
    return days - 1 if days <= PHANTOM_LEAP_DAY else days


def serials_to_datetimes(serials: np.ndarray[Any, Any], *, date1904: bool = False) -> pd.Series:
    """``from_serial`` for a whole column of floats at once (NaT where it gives ``None``).

    >>> [str(s) for s in serials_to_datetimes(np.array([1.0, 60.0, 61.0, 46086.25]))]
    ['1900-01-01 00:00:00', 'NaT', '1900-03-01 00:00:00', '2026-03-05 06:00:00']
    """
    serial = np.asarray(serials, dtype="float64")
    if date1904:
        valid = (serial >= 0) & (serial <= LAST_SERIAL - 1462)
        epoch = np.full(serial.shape, np.datetime64(EPOCH_1904, "us"))
    else:
        valid = (serial >= 1) & (serial < LAST_SERIAL + 1) & (np.floor(serial) != PHANTOM_LEAP_DAY)
        base = np.datetime64(EPOCH_1900, "us")
        epoch = np.where(serial < PHANTOM_LEAP_DAY, base + np.timedelta64(1, "D"), base)
    safe = np.where(valid, serial, 0.0)
    days = np.floor(safe)
    # whole days and the time of day apart: exact to the microsecond for any date up to 9999
    micros = np.round((safe - days) * 86_400_000_000).astype("int64")
    stamps = (
        epoch + days.astype("int64").astype("timedelta64[D]") + micros.astype("timedelta64[us]")
    )
    return pd.Series(np.where(valid, stamps, np.datetime64("NaT", "us")), dtype="datetime64[us]")


def datetimes_to_serials(stamps: pd.Series, *, date1904: bool = False) -> np.ndarray[Any, Any]:
    """``to_serial`` for a whole column of timestamps (NaN where a stamp is missing).

    >>> datetimes_to_serials(pd.Series(pd.to_datetime(["1900-01-01", "2026-03-05", None]))).tolist()
    [1.0, 46086.0, nan]
    """
    stamps = pd.to_datetime(stamps)
    epoch = pd.Timestamp(EPOCH_1904 if date1904 else EPOCH_1900)
    days = ((stamps - epoch) / pd.Timedelta(days=1)).to_numpy(dtype="float64", na_value=np.nan)
    if not date1904:
        days = np.where(days <= PHANTOM_LEAP_DAY, days - 1, days)
    return days


# --------------------------------------------------------------------------- the cent

#: half a cent: two amounts closer than this are the same amount (figures are kept to the cent)
CENT = 0.005
#: decimals kept for money
MONEY_DECIMALS = 2


def to_cents(amount: float) -> float:
    """An amount rounded to the cent.

    >>> to_cents(0.1 + 0.2), to_cents(-2.675)
    (0.3, -2.67)
    """
    return round(float(amount), MONEY_DECIMALS)
