"""Day-first or month-first: the order of an export's ``3/4/2026`` dates.

The register itself refuses ``3/4/2026`` (``core.dates``): typed by hand, it is ambiguous. An
export is different: one system printed every date of the file the same way, for its user's
locale — SAP and Kingdee in Europe or China ``31.12.2026`` / ``31/12/2026`` (day first),
QuickBooks, Oracle and Excel in the United States ``12/31/2026`` (month first). So the order is
decided once for the whole file and every such date is read that way:

1. the order the user gave (``--date-order``), else the order saved with the mapping;
2. else the file's own dates: a first number above 12 (``25/1/2026``) proves day first, a
   second number above 12 (``1/25/2026``) month first;
3. a file where no date proves either (every day ≤ 12), or where dates prove both, is refused
   with one message asking for ``--date-order`` — never guessed, because a wrong guess silently
   moves due dates by months.

A date that contradicts the order chosen (``1/25/2026`` read day first) is an impossible date
at its own cell, like any other bad cell. Two-digit years are 20xx (receivables, not
birthdays). Dates that carry the year first (``2026/3/5``), date cells and serial numbers are
left as they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from credit_register.core.cell_kinds import Cells
from credit_register.core.cells import cell_ref
from credit_register.core.issues import Issue
from credit_register.core.schema import DATE_ORDER

Order = Literal["dmy", "mdy"]
#: the orders by key (the command line's choices); their labels are the code list's (core/columns)
ORDERS: tuple[Order, ...] = ("dmy", "mdy")
_CODES = {code.key: code for code in DATE_ORDER}

_DAY_MONTH = re.compile(
    r"^\s*(?P<a>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<b>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4}|\d{2})"
    r"(?P<time>[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*$"
)


@dataclass(frozen=True)
class Evidence:
    """What a file's dates say about their order."""

    #: how many cells hold a day-month-year-shaped date
    shaped: int
    #: the position (in the texts given) of the first date that proves day first, if any
    day_first: int | None
    #: the same for month first
    month_first: int | None

    @property
    def order(self) -> Order | None:
        """The order the dates prove (``None``: no date proves one, or they prove both)."""
        if self.day_first is not None and self.month_first is None:
            return "dmy"
        if self.month_first is not None and self.day_first is None:
            return "mdy"
        return None


def _parts(texts: pd.Series) -> pd.DataFrame:
    """The parts of each day-month-year-shaped text (rows of other values are all-NaN)."""
    strings = texts.where(texts.map(type) == str).astype("string")  # noqa: E721 - exactly str
    # most cells are not day-month-year (ISO dates, date cells): extract only the ones that are
    shaped = strings.str.match(_DAY_MONTH).fillna(False).to_numpy(dtype=bool)
    parts = pd.DataFrame(
        np.nan, index=texts.index, columns=list(_DAY_MONTH.groupindex), dtype=object
    )
    if shaped.any():
        parts.loc[shaped] = strings[shaped].str.extract(_DAY_MONTH).to_numpy(dtype=object)
    return parts.astype("string")


def evidence(texts: pd.Series) -> Evidence:
    """What ``texts`` (the raw cells of a file's date columns, stacked) say about the order.

    >>> e = evidence(pd.Series(["1/2/2013", "10/25/2012", None, "2026-03-05"]))
    >>> e.shaped, e.order, e.month_first
    (2, 'mdy', 1)
    >>> evidence(pd.Series(["1/2/2013", "3/4/2013"])).order is None
    True
    """
    parts = _parts(texts)
    shaped = parts["a"].notna().to_numpy()
    a = pd.to_numeric(parts["a"], errors="coerce").to_numpy()
    b = pd.to_numeric(parts["b"], errors="coerce").to_numpy()
    with np.errstate(invalid="ignore"):
        day_first = np.flatnonzero(shaped & (a > 12) & (b <= 12))
        month_first = np.flatnonzero(shaped & (b > 12) & (a <= 12))
    return Evidence(
        shaped=int(shaped.sum()),
        day_first=int(day_first[0]) if len(day_first) else None,
        month_first=int(month_first[0]) if len(month_first) else None,
    )


def rewrite(texts: pd.Series, order: Order) -> pd.Series:
    """``texts`` with every day-month-year date written year first (``2013-01-02``), so the
    register's own date parser reads it; other values unchanged.

    >>> rewrite(pd.Series(["1/2/13", "25.12.2026 08:30", 46086.0]), "mdy").tolist()
    ['2013-1-2', '2026-25-12 08:30', 46086.0]
    >>> rewrite(pd.Series(["1/2/13"]), "dmy").tolist()
    ['2013-2-1']
    """
    parts = _parts(texts)
    shaped = parts["a"].notna().to_numpy()
    if not shaped.any():
        return texts
    day, month = ("a", "b") if order == "dmy" else ("b", "a")
    year = parts["y"].where(parts["y"].str.len() == 4, "20" + parts["y"])
    iso = year + "-" + parts[month] + "-" + parts[day] + parts["time"].fillna("")
    out = texts.to_numpy(dtype=object).copy()
    out[shaped] = iso.to_numpy(dtype=object)[shaped]
    return pd.Series(out, index=texts.index, dtype=object)


def as_order(key: str | None) -> Order | None:
    """A saved or given key as an ``Order`` (``None`` for anything else)."""
    return "dmy" if key == "dmy" else "mdy" if key == "mdy" else None


@dataclass(frozen=True)
class Decision:
    """The order an import reads its dates in, and what it tells the user about it."""

    #: the order (``None``: the file has no day-month-year dates to read)
    order: Order | None
    #: a warning naming the order the file's own dates proved (none when given or saved)
    note: Issue | None = None
    #: a bilingual reason to refuse the import (the order cannot be decided)
    refusal: str | None = None


def decide(
    given: str | None,
    fallback: str | None,
    columns: Sequence[int],
    cells: Mapping[int, Cells],
    kept: Sequence[int],
    *,
    file: str,
    tab: str,
) -> Decision:
    """The order for a file whose date columns are ``columns`` (0-based) with the ``cells`` of
    its ``kept`` rows (0-based row indexes), ``given`` by the user or the saved mapping;
    ``fallback``: the order of the user's own system (Excel's regional setting), taken — and
    said — only when the file's dates prove neither order."""
    order = as_order(given)
    used = [c for c in columns if c in cells]
    if order is not None or not used:
        return Decision(order)
    stacked = pd.concat([cells[c].raw.reset_index(drop=True) for c in used], ignore_index=True)
    found = evidence(stacked)
    if not found.shaped:
        return Decision(None)
    count = len(kept)

    def cell(position: int) -> str:
        return cell_ref(used[position // count], kept[position % count] + 1)

    def place(position: int) -> str:
        return f"{cell(position)} {stacked.iloc[position]}"

    hint_zh = (
        "请用 --date-order mdy（月/日/年）或 --date-order dmy（日/月/年）指定，该设置随映射保存"
    )
    hint_en = (
        "give --date-order mdy (month/day/year) or dmy (day/month/year); "
        "it is saved with the mapping"
    )
    if found.order is None and found.day_first is not None and found.month_first is not None:
        first, second = place(found.day_first), place(found.month_first)
        return Decision(
            None,
            refusal=f"{file} 中的日期既有日在前（{first}）又有月在前（{second}），无法统一读取；"
            f"请检查文件，或{hint_zh} "
            f"(the dates in {file} are day first at {first} and month first at {second}; "
            f"check the file or {hint_en})",
        )
    fallback_order = as_order(fallback)
    if found.order is None and fallback_order is not None:
        example = _first_shaped(stacked)
        code = _CODES[fallback_order]
        return Decision(
            fallback_order,
            note=Issue(
                file,
                tab,
                cell(example),
                "warning",
                f"日期按本机区域设置的{code.zh}读取（{place(example)} 两种读法都可能）；如不对，"
                "请在“导入映射”表中改正该映射的日期顺序后重新导入",
                f"dates read as {code.en}, as this computer's regional setting has it "
                f"({place(example)} could be read either way); if that is wrong, correct the "
                "mapping's date order on the Import mappings sheet and import again",
            ),
        )
    if found.order is None:
        first = place(_first_shaped(stacked))
        return Decision(
            None,
            refusal=f"无法判断 {file} 中日期的日、月先后（如 {first}，日与月都不大于 12）；"
            f"{hint_zh} "
            f"(cannot tell whether the dates of {file} are day or month first, e.g. {first}; "
            f"{hint_en})",
        )
    at = found.day_first if found.order == "dmy" else found.month_first
    if at is None:  # cannot happen: an order is proved by a date
        return Decision(found.order)
    proof = place(at)
    zh_order, en_order = _CODES[found.order].zh, _CODES[found.order].en
    note = Issue(
        file,
        tab,
        cell(at),
        "warning",
        f"日期按{zh_order}读取（{proof} 只能这样读）；如不对，请用 --date-order 指定",
        f"dates read as {en_order} ({proof} can only be read so); if that is wrong, give "
        "--date-order",
    )
    return Decision(found.order, note=note)


def _first_shaped(stacked: pd.Series) -> int:
    return int(np.flatnonzero(_parts(stacked)["a"].notna().to_numpy())[0])
