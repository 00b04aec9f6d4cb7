"""Build a new register workbook: every sheet, header, format, drop-down and the Dashboard buttons.

``credit-register init`` hands a finance user a workbook that is ready to type into and whose
buttons work. It is built with XlsxWriter (never by round-tripping a template through openpyxl,
which drops parts of a workbook; see DESIGN.md), so the file is reproducible from a command and
checked by a test (``tests/support/workbook.py``'s ``workbook_contents``: build twice, compare).

This module is the entry point and the order of the sheets; :mod:`.table_sheets` and
:mod:`.dashboard_sheet` write the sheets, :mod:`.formats` and :mod:`.values` say how cells look
and what they hold, :mod:`.vba` gives the workbook its macros and buttons.

Decisions:

- **Constant memory, row by row.** The benchmark register (500,000 invoices) is built with the
  same code, so XlsxWriter runs in ``constant_memory`` mode, which needs rows in order. Values are
  prepared per column with pandas (dates to Excel serials, codes to labels, bools to 是/否), and
  XlsxWriter writes the rows. Text is never read as a formula (``strings_to_formulas`` off: a name
  beginning with ``=`` stays text) nor as a link.
- **Reproducible.** Fixed creation date and author; XlsxWriter stamps zip entries with a fixed
  date, so two builds of the same register are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import xlsxwriter

from credit_register.core import dashboard
from credit_register.core.schema import ALL_SHEETS, BASE_CURRENCY_DEFAULT, FX, POLICY, Language
from credit_register.tools.build.dashboard_sheet import write_dashboard
from credit_register.tools.build.formats import Styles
from credit_register.tools.build.printing import set_up_printing
from credit_register.tools.build.table_sheets import write_table_sheet
from credit_register.tools.build.vba import add_vba_project, set_codename

#: fixed so that the same register always builds the same bytes
CREATED = dt.datetime(2026, 1, 1)
AUTHOR = "Credit Register"


def build_workbook(
    path: Path,
    *,
    lang: Language = "zh",
    demo: bool = False,
    tables: dict[str, pd.DataFrame] | None = None,
    as_of: dt.date | None = None,
    overwrite: bool = False,
) -> Path:
    """Write a new register workbook at ``path`` (``.xlsm``) and return its path.

    ``tables`` (sheet key → frame with schema keys as columns) fills the sheets; without it,
    ``demo=True`` fills them with the demo register. Text is ``str``, numbers ``float``, dates
    ``datetime.date``, bools ``bool``, code columns the code *keys*; a column or a sheet may be
    missing. The Policy sheet gets the default policy and the FX sheet the base currency unless
    ``tables`` brings them. ``as_of`` (else the demo's as-of date for a demo) fills the
    Dashboard's as-of cell.

    Any file name works (the buttons' macros import the installed package, never a module named
    after the workbook), and nothing is written beside the workbook. Raises ``ValueError`` for a
    path that is not ``.xlsm``, and ``FileExistsError`` rather than overwrite a file (unless
    ``overwrite``).
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsm":
        raise ValueError(
            f"{path.name}: 工作簿须为启用宏的 .xlsm 文件 "
            "(the workbook must be a macro-enabled .xlsm file)"
        )
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path}: 文件已存在，未覆盖 (file exists; not overwritten)")

    data: dict[str, pd.DataFrame] = dict(tables) if tables is not None else {}
    if tables is None and demo:
        data = _demo_tables()
        data[POLICY.key] = _policy_frame(lang, _demo_group_limits(), _demo_policy_values(lang))
    if as_of is None and demo:
        as_of = _demo_as_of()

    path.parent.mkdir(parents=True, exist_ok=True)
    # write beside the target, then rename: a half-written register never replaces a good one
    fd, tmp_name = tempfile.mkstemp(suffix=".xlsm", prefix=f".{path.stem}-", dir=path.parent)
    os.close(fd)
    try:
        _write_workbook(Path(tmp_name), lang=lang, data=data, as_of=as_of)
        # mkstemp makes the file 0600; a register gets the mode of the file it replaces, else the
        # user's default (umask), as any file the user saves
        os.chmod(tmp_name, path.stat().st_mode & 0o7777 if path.exists() else _default_mode())
        os.replace(tmp_name, path)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return path


def _default_mode() -> int:
    """0666 less the process's umask: the mode ``open()`` gives a new file."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _write_workbook(
    target: Path, *, lang: Language, data: dict[str, pd.DataFrame], as_of: dt.date | None
) -> None:
    book = xlsxwriter.Workbook(
        str(target),
        {
            "constant_memory": True,
            # a name like "=SUM(...)" or "-A" typed as text stays text; e-mails stay plain text
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    book.set_properties(
        {
            "title": dashboard.TITLE[lang],
            "author": AUTHOR,
            "company": AUTHOR,
            "created": CREATED,
            "comments": "credit-register init",
        }
    )
    add_vba_project(book)
    styles = Styles(book)

    for index, sheet in enumerate(ALL_SHEETS):
        ws = book.add_worksheet(sheet.name(lang))
        set_codename(ws, index)
        set_up_printing(ws, sheet)
        if sheet.kind == "dashboard":
            write_dashboard(ws, styles, lang, as_of)
            ws.activate()
            continue
        frame = data.get(sheet.key)
        if frame is None and sheet.key == POLICY.key:
            frame = _policy_frame(lang)
        if frame is None and sheet.key == FX.key:
            frame = pd.DataFrame(
                {"currency": [BASE_CURRENCY_DEFAULT], "rate_to_base": [1.0], "as_of": [as_of]}
            )
        write_table_sheet(ws, styles, sheet, lang, frame)
    book.close()


# --------------------------------------------------------------------------- other modules


def _policy_rows(lang: Language) -> list[tuple[str, object, str, str]]:
    from credit_register.policy import default_policy_rows

    rows: list[tuple[str, object, str, str]] = default_policy_rows(lang)
    return rows


def _group_limit_rows(
    lang: Language, group_limits: dict[str, float]
) -> list[tuple[str, object, str, str]]:
    """The Policy rows ``group_limit.<group>`` of ``group_limits`` (base currency)."""
    if not group_limits:
        return []
    from credit_register.policy import DEFAULT_POLICY
    from credit_register.policy.rows import policy_rows

    policy = DEFAULT_POLICY.model_copy(update={"group_limits": group_limits})
    return [row for row in policy_rows(policy, lang) if row[0].startswith("group_limit.")]


def _policy_frame(
    lang: Language,
    group_limits: dict[str, float] | None = None,
    values: Mapping[str, object] | None = None,
) -> pd.DataFrame:
    """The default Policy sheet with the ``group_limits`` rows, and ``values`` in place of the
    defaults of those rows."""
    given = values or {}
    rows = [*_policy_rows(lang), *_group_limit_rows(lang, group_limits or {})]
    return pd.DataFrame(
        [[key, given.get(key, value), *rest] for key, value, *rest in rows],
        columns=[c.key for c in POLICY.columns],
        dtype=object,
    )


def _demo_tables() -> dict[str, pd.DataFrame]:
    from credit_register.tools.demo import demo_tables

    tables: dict[str, pd.DataFrame] = demo_tables()
    return tables


def _demo_group_limits() -> dict[str, float]:
    from credit_register.tools.demo.cast import GROUP_LIMITS

    return dict(GROUP_LIMITS)


def _demo_policy_values(lang: Language) -> dict[str, object]:
    """The demo's own Policy rows: its company (the sender of its letters)."""
    from credit_register.tools.demo.cast import DEMO_COMPANY

    return dict(DEMO_COMPANY[lang])


def _demo_as_of() -> dt.date:
    from credit_register.tools.demo import DEMO_AS_OF

    as_of: dt.date = DEMO_AS_OF
    return as_of
