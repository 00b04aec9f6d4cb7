"""Registers held in memory: typed by hand as rows, or copied from a workbook, and pressed like
buttons through the use cases without writing a file between steps."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection
from pathlib import Path
from typing import Any

import pandas as pd

from credit_register.core import schema
from credit_register.core.cells import split_ref
from credit_register.core.port import Changes, RawSheet, Selection, wanted_tab
from credit_register.core.schema import Language
from support.receivables_story import raw_sheet


def _cell(value: Any) -> Any:
    """A frame value as a door would read it back from the file."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _address(cell: str) -> tuple[int, int]:
    col, row = split_ref(cell)
    return row - 1, col


class MemoryWorkbook:
    """A ``WorkbookPort`` over tab name → rows: what ``apply`` writes, ``read`` gives next."""

    def __init__(self, sheets: dict[str, RawSheet], label: str = "credit_register.xlsm") -> None:
        self.label = label
        self.sheets = {n: RawSheet(n, [list(r) for r in s.rows]) for n, s in sheets.items()}

    @classmethod
    def of(cls, tables: dict[str, list[dict[str, Any]]], lang: Language = "en") -> MemoryWorkbook:
        """A register typed by hand: schema sheet key → rows of ``{column key: value}``."""
        sheets = [raw_sheet(schema.SHEETS[key], rows, lang) for key, rows in tables.items()]
        # the input sheets not typed are there empty, header only, as in a new workbook
        sheets += [
            RawSheet(s.name(lang), [s.headers(lang)])
            for s in schema.INPUT_SHEETS
            if s.key not in tables
        ]
        sheets.append(RawSheet(schema.DASHBOARD.name(lang), [[None]]))
        return cls({s.name: s for s in sheets})

    @property
    def folder(self) -> Path | None:
        return None

    def read(self, sheets: Collection[str] | None = None) -> dict[str, RawSheet]:
        return {
            n: RawSheet(n, [list(r) for r in s.rows])
            for n, s in self.sheets.items()
            if wanted_tab(n, sheets)
        }

    def selection(self) -> Selection | None:
        return None

    def preflight(self) -> None:
        """Memory can always be written."""

    def record(self, changes: Changes) -> None:
        """Rows that must not be lost are written at once (memory has no later write to wait
        for)."""
        self.apply(Changes(append=changes.append, lang=changes.lang, headers=changes.headers))

    def tab(self, key: str) -> str:
        name = schema.tab_for(self.sheets, key)
        if name is None:
            raise KeyError(key)
        return name

    def rows(self, key: str) -> list[dict[str, Any]]:
        """A sheet's rows as ``{header: value}``."""
        header, *body = self.sheets[self.tab(key)].rows
        return [dict(zip(header, row, strict=False)) for row in body]

    def apply(self, changes: Changes) -> None:
        for key, frame in changes.tables.items():
            name = self._tab_or_new(key)
            body = [[_cell(v) for v in row] for row in frame.itertuples(index=False)]
            self.sheets[name] = RawSheet(name, [list(frame.columns), *body])
        for key, rows in changes.append.items():
            name = self._tab_or_new(key)
            self.sheets[name].rows.extend([_cell(v) for v in row] for row in rows)
        for key, cells in changes.cells.items():
            rows = self.sheets[self._tab_or_new(key)].rows
            for address, value in cells.items():
                r, c = _address(address)
                while len(rows) <= r:
                    rows.append([])
                rows[r].extend([None] * (c + 1 - len(rows[r])))
                rows[r][c] = _cell(value)

    def _tab_or_new(self, key: str) -> str:
        try:
            return self.tab(key)
        except KeyError:
            sheet = schema.SHEETS[key]
            header: list[Any] = [c.header("en") for c in sheet.columns] or [None]
            self.sheets[sheet.en] = RawSheet(sheet.en, [header])
            return sheet.en


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
