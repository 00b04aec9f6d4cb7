"""The Excel entry point: what runs when a finance user clicks a button of the workbook.

Each button is bound to its own macro in the workbook's ``CreditRegister`` VBA module (built by
``tools.vba``), and each macro is one line naming its action::

    Sub CR_Run()
        RunPython "import credit_register.excel as cr; cr.button('run')"
    End Sub

so ``button(action)`` knows what to do without asking Excel which shape was clicked, whatever the
workbook's file name. ``main()`` is the way to run an action without a button (a user's own
macro, or a workbook whose buttons were deleted): it runs the action named in the Dashboard's
action cell (C4).

Whatever happens, the user sees one short message box in both languages; a traceback goes to a
log file whose place the message names, never into Excel.
"""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from credit_register.adapters.error_log import log_folder
from credit_register.adapters.xlwings import XlwingsWorkbook
from credit_register.core import dashboard
from credit_register.core.port import WorkbookError
from credit_register.core.schema import DASHBOARD, tab_for

if TYPE_CHECKING:
    from credit_register.app.importing import ImportOptions
    from credit_register.app.usecases import ActionResult

#: the title of every message box
TITLE = "客户资信管理 Credit Register"
LOG_NAME = "credit_register.log"
#: Windows' message box shows about this much; the full story is on the Issues sheet
MAX_MESSAGE = 900

XlBook = Any  # an xlwings.Book (xlwings ships no type information)


def button(action: str, path: str | None = None) -> None:
    r"""Run ``action`` (its key, e.g. ``"run"``) on the calling workbook: what every button's macro
    calls. The user sees the outcome in a message box.

    An action that works on a file the user picks (``import``: ``Action.asks_for_file``) takes
    its ``path`` from the macro, which asks with Excel's own dialog::

        f = Application.GetOpenFilename(FILE_FILTER)   ' False when cancelled
        If VarType(f) <> vbBoolean Then RunPython "import credit_register.excel as cr; " & _
            "cr.button('import', '" & Replace(Replace(f, "\", "\\"), "'", "\'") & "')"

    Without a path (the one-line macro), the door asks Excel for the file itself.
    """
    _run_on_caller(action, path)


def main() -> None:
    """Run the action named in the Dashboard's action cell (C4) on the calling workbook."""
    _run_on_caller(None)


def _run_on_caller(action: str | None, path: str | None = None) -> None:
    try:
        import xlwings as xw

        book = xw.Book.caller()
    except Exception:
        # Not called from a workbook (or xlwings is broken): there is no Excel to alert. A short
        # line on stderr and a failing exit code make xlwings' VBA show that line, not a traceback.
        log = write_log(None)
        print(failure_message(log), file=sys.stderr)
        raise SystemExit(1) from None
    try:
        result = dispatch(book, action, path)
        message, ok = result.message, result.ok
    except Exception:  # the use cases could not even be imported (see dispatch)
        message, ok = failure_message(write_log(book)), False
    try:
        book.app.alert(shorten(message), title=TITLE, mode="info" if ok else "critical")
    except Exception:
        log = write_log(book)
        print(shorten(message) + "\n" + failure_message(log), file=sys.stderr)
        raise SystemExit(1) from None


def dispatch(book: XlBook, action: str | None = None, path: str | None = None) -> ActionResult:
    """``action`` (a key; without one, the action the Dashboard's action cell names) run on
    ``book``, on the file at ``path`` for an action that asks for one; every failure comes back
    as a result whose message is short and bilingual (the traceback is logged)."""
    # Imported here, not at the top, so that a use case module that fails to import (a missing
    # dependency on the user's PC) still ends in main()'s short message box.
    from credit_register.adapters.export_file import SourceError
    from credit_register.adapters.services import document_services
    from credit_register.app import usecases
    from credit_register.app.action_sheets import sheets_read

    def failed(message: str) -> ActionResult:
        return usecases.ActionResult(ok=False, message=message, exit_code=usecases.EXIT_FAILED)

    try:
        key = action.strip() if action is not None else cell_action(book)
        if not key:
            return failed(no_action_message())
        # only the sheets the action reads, once (the request and the use case share the read)
        port = XlwingsWorkbook(book, sheets=sheets_read(key))
        request = usecases.request_from_dashboard(port.read(), key, port.selection())
        spec = dashboard.ACTION_BY_KEY.get(key)
        if spec is not None and spec.asks_for_file:
            chosen = path or ask_for_file(book)
            if not chosen:
                return usecases.ActionResult(
                    ok=True, message="未选择文件，未导入。(No file chosen; nothing imported.)"
                )
            request.importing = _export(Path(chosen), book)
        return usecases.run_action(request, port, services=document_services())
    except SourceError as exc:  # the chosen export cannot be read: say why
        return failed(str(exc))
    except WorkbookError as exc:  # the user can fix it: say what, in the error's own words
        write_log(book)
        return failed(str(exc))
    except Exception:
        return failed(failure_message(write_log(book)))


def _export(path: Path, book: XlBook) -> ImportOptions:
    """The export the user chose, read by the door (the use case never opens a file), with the
    order this computer writes dates in: Excel's button has no ``--date-order``, so a file
    whose dates could be read either way is read as Excel itself would read it."""
    from credit_register.adapters.export_file import read_export
    from credit_register.app.importing import ImportOptions

    return ImportOptions(
        path=path, sheets=read_export(path), locale_date_order=system_date_order(book)
    )


#: ``Application.International(xlDateOrder)``: 0 month-day-year, 1 day-month-year, 2 year first
XL_DATE_ORDER = 32


def system_date_order(book: XlBook) -> str | None:
    """``mdy`` or ``dmy`` as Windows' regional setting orders dates, ``None`` when year first or
    when this Excel cannot be asked (a Mac, no COM)."""
    try:
        order = book.app.api.International(XL_DATE_ORDER)
    except Exception:
        return None
    if not isinstance(order, int | float):
        return None
    return {0: "mdy", 1: "dmy"}.get(int(order))


#: what Excel's file dialog offers (the description, then the patterns)
FILE_FILTER = "导出文件 Exports (*.xlsx;*.xlsm;*.xls;*.csv),*.xlsx;*.xlsm;*.xls;*.csv"


def ask_for_file(book: XlBook) -> str | None:
    """The file the user picks in Excel's own dialog (``Application.GetOpenFilename``), or
    ``None`` when cancelled or when this Excel cannot be asked from Python (a Mac)."""
    try:
        chosen = book.app.api.GetOpenFilename(FILE_FILTER)
    except Exception:
        return None
    return chosen if isinstance(chosen, str) and chosen else None


def cell_action(book: XlBook) -> str | None:
    """The key of the action the Dashboard's action cell names (a key or a caption), if any."""
    board = _dashboard_sheet(book)
    if board is None:
        return None
    try:
        action = dashboard.action_for(board.range(dashboard.ACTION.cell).value)
    except Exception:
        return None
    return action.key if action is not None else None


def _dashboard_sheet(book: XlBook) -> Any:
    try:
        sheets = {str(sheet.name): sheet for sheet in book.sheets}
        name = tab_for(sheets, DASHBOARD.key)
        return None if name is None else sheets[name]
    except Exception:
        return None
    return None


# ---------------------------------------------------------------------- messages and the log


def no_action_message() -> str:
    cell = dashboard.ACTION.cell
    return (
        f"未选择操作。请在“{DASHBOARD.zh}”表的 {cell} 单元格选择要执行的操作，"
        "或点击该操作的按钮。\n"
        f"(No action chosen. Choose one in cell {cell} of the {DASHBOARD.en} sheet, or click"
        " the action's button.)"
    )


def failure_message(log: Path | None) -> str:
    if log is None:
        return (
            "操作未完成：程序出错，且无法写入日志。\n"
            "(The action did not complete: the program failed and could not write its log.)"
        )
    return (
        f"操作未完成：程序出错。详细信息已写入日志：{log}\n"
        f"(The action did not complete: the program failed. Details are in the log: {log})"
    )


def shorten(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"


def write_log(book: XlBook | None) -> Path | None:
    """Append the current exception's traceback to ``credit_register.log`` beside the workbook,
    else in the user's own log folder (a workbook on SharePoint or a read-only share has no
    usable folder); the path written, or ``None`` when neither can be written."""
    entry = f"---- {dt.datetime.now().isoformat(timespec='seconds')}\n{traceback.format_exc()}\n"
    for folder in _log_folders(book):
        path = folder / LOG_NAME
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as log:
                log.write(entry)
        except OSError:
            continue
        return path
    return None


def _log_folders(book: XlBook | None) -> list[Path]:
    folders = []
    try:
        fullname = str(book.fullname) if book is not None else ""
        if fullname and "://" not in fullname:
            folders.append(Path(fullname).parent)
    except Exception:
        pass
    # not the shared temp folder: a fixed name there is anyone's to plant a link on (issue 14)
    folders.append(log_folder())
    return folders
