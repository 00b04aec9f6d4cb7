"""Rows that must reach the register even when this action's write fails: the delivery journal.

An e-mail cannot be unsent. If the review pack goes out and the write that records it then fails
(Excel opened the file meanwhile, the disk filled up), a retry would send everything again. So
each delivery is written, as it happens, to a small journal beside the register
(``.~<name>.journal``, one JSON line per row, flushed to disk before the next message goes),
and the file door treats the journal as part of the register: ``read`` shows its rows as if they
were on their sheet already (so "already sent this month" sees them), and the next successful
write appends them to the sheet and empties the journal.

The rows are stored as the use case aligned them to the sheet's columns. A crash in the instant
between the register's rename and the journal's removal would append them once more: History
then shows a delivery twice, and still nobody gets a second e-mail.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from credit_register.core.port import CellValue

_DATE, _DATETIME = "date", "datetime"


def journal_file(register: Path) -> Path:
    """The journal beside the (real) register.

    >>> journal_file(Path("/data/credit_register.xlsm")).name
    '.~credit_register.xlsm.journal'
    """
    return register.with_name(f".~{register.name}.journal")


def _encoded(value: CellValue) -> Any:
    if isinstance(value, dt.datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, dt.date):
        return {_DATE: value.isoformat()}
    return value


def _decoded(value: Any) -> CellValue:
    if isinstance(value, dict):
        if _DATETIME in value:
            return dt.datetime.fromisoformat(str(value[_DATETIME]))
        if _DATE in value:
            return dt.date.fromisoformat(str(value[_DATE]))
        return None
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def append(register: Path, key: str, rows: list[list[CellValue]]) -> None:
    """Add ``rows`` for sheet ``key`` to the journal, on disk before this returns."""
    if not rows:
        return
    text = "".join(
        json.dumps({"sheet": key, "row": [_encoded(v) for v in row]}, ensure_ascii=False) + "\n"
        for row in rows
    )
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    handle = os.open(journal_file(register), flags, 0o600)
    try:
        os.write(handle, text.encode("utf-8"))
        os.fsync(handle)
    finally:
        os.close(handle)


def pending(register: Path) -> dict[str, list[list[CellValue]]]:
    """The journal's rows by sheet key, in the order they were recorded (a torn last line, from
    a crash while it was written, is left out)."""
    try:
        text = journal_file(register).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    rows: dict[str, list[list[CellValue]]] = {}
    for line in text.splitlines():
        try:
            entry = json.loads(line)
            key, row = str(entry["sheet"]), [_decoded(v) for v in entry["row"]]
        except (ValueError, KeyError, TypeError):
            continue
        rows.setdefault(key, []).append(row)
    return rows


def clear(register: Path) -> None:
    """Empty the journal: its rows are on their sheets now."""
    journal_file(register).unlink(missing_ok=True)
