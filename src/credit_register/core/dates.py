"""Dates as a finance user types them, and as Excel stores them: serial numbers, ``yyyymmdd``
figures and text, read a whole column at a time.

Decisions (the spec is silent): Excel serial numbers in the 1900 date system (1 = 1900-01-01,
60 = Excel's fictitious 1900-02-29 is refused, up to 2958465 = 9999-12-31); an 8-digit number
``20260305`` is read as ``yyyymmdd`` (Excel turns that typed text into a number); text
``2026-03-05``, ``2026/3/5``, ``2026.3.5``, ``2026年3月5日``, ``20260305``, optionally followed by
a time. ``3/5/2026`` is refused (month or day first is ambiguous). A well-formed but impossible
date (``2026-02-30``) has its own problem. Dates are ``datetime64[us]``, pandas 3's own
resolution, which reaches 9999-12-31 (a common "no expiry" date that ``ns`` cannot hold).
"""

from __future__ import annotations

import re
from typing import Literal

import numpy as np
import pandas as pd

from credit_register.core.cell_kinds import (
    BOOL,
    DATE,
    NUMBER,
    OTHER,
    Cells,
    Parsed,
    RawCells,
    by_distinct,
    classify,
    figures_at,
    normalised,
    parsed_result,
    problems_for,
)
from credit_register.core.cells import serials_to_datetimes

DATE_UNIT: Literal["datetime64[us]"] = "datetime64[us]"

_DATE_TEXT = re.compile(
    r"""^(?:(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?
        |(?P<y8>\d{4})(?P<m8>\d{2})(?P<d8>\d{2}))
    (?:[\st]+(?P<hh>\d{1,2}):(?P<mm>\d{2})(?::(?P<ss>\d{2})(?:\.\d+)?)?)?$""",
    re.VERBOSE,
)


def _to_datetimes(cells_: Cells, keep_time: bool) -> tuple[np.ndarray, pd.Series]:
    n = len(cells_.raw)
    out = np.full(n, np.datetime64("NaT"), dtype=DATE_UNIT)
    problems: list[pd.Series] = [problems_for(cells_, (BOOL, OTHER), "not_date")]
    at = cells_.where(DATE)
    if len(at):
        stamps = pd.to_datetime(cells_.raw.iloc[at], errors="coerce").astype(DATE_UNIT)
        out[at] = stamps.to_numpy()
        problems.append(pd.Series("not_date", index=at[stamps.isna().to_numpy()], dtype=object))
    at = cells_.where(NUMBER)
    if len(at):
        serial = figures_at(cells_, at)
        days = np.floor(serial)
        from_serial = serials_to_datetimes(serial if keep_time else days).to_numpy(DATE_UNIT)
        as_serial = ~np.isnat(from_serial)
        ymd = (serial >= 19000101) & (serial <= 99991231) & (serial == days)
        from_ymd = (
            pd.to_datetime(
                pd.Series(np.where(ymd, serial, 0).astype(np.int64).astype(str)),
                format="%Y%m%d",
                errors="coerce",
            )
            .astype(DATE_UNIT)
            .to_numpy()
        )
        out[at] = np.where(as_serial, from_serial, np.where(ymd, from_ymd, np.datetime64("NaT")))
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
        from_text, text_problems = by_distinct(
            cells_.text, lambda text: _dates_from_text(text, keep_time)
        )
        out[cells_.text.index.to_numpy()] = from_text
        problems.append(text_problems)
    found = pd.concat(problems)
    out[found.index.to_numpy(dtype=np.int64)] = np.datetime64("NaT")
    if not keep_time:
        out = out.astype("datetime64[D]").astype(DATE_UNIT)
    return out, found


def _dates_from_text(text: pd.Series, keep_time: bool) -> tuple[np.ndarray, pd.Series]:
    """Dates typed as text: the stamps where readable, and the problem of the others."""
    text = normalised(text)
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
    stamps = pd.to_datetime(fields, errors="coerce").astype(DATE_UNIT).to_numpy().copy()
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
    return parsed_result(pd.Series(values), problems)


def timestamp(cells: RawCells) -> Parsed:
    """Date and time (the History sheet's ``timestamp``) as ``datetime64[us]``."""
    values, problems = _to_datetimes(classify(cells), keep_time=True)
    return parsed_result(pd.Series(values), problems)
