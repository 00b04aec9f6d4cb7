"""The Excel entry point: what runs when a finance user clicks a Dashboard button.

The workbook has one macro (xlwings' ``SampleCall``: ``RunPython "import <workbook>;
<workbook>.main()"``) and every button is bound to it, so Python must work out which button
was clicked: the clicked shape's name (``Application.Caller``, Windows) leads to its alt text
``credit-register:<action>``. Where that cannot be told (macOS runs Python in the background, after
the macro has returned), the Dashboard's action cell says what to do.

Whatever happens, the user sees one short message box in both languages; a traceback goes to a
log file whose place the message names, never into Excel.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from credit_register.adapters.xlwings import XlwingsWorkbook
from credit_register.core import dashboard
from credit_register.core.port import WorkbookError
from credit_register.core.schema import DASHBOARD, sheet_for_name

if TYPE_CHECKING:
    from credit_register.app.usecases import ActionResult

#: the title of every message box
TITLE = "客户资信管理 Credit Register"
LOG_NAME = "credit_register.log"
#: Windows' message box shows about this much; the full story is on the Issues sheet
MAX_MESSAGE = 900

XlBook = Any  # an xlwings.Book (xlwings ships no type information)


def main() -> None:
    """Run the clicked button's action on the calling workbook and tell the user the outcome."""
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
        result = dispatch(book)
        message, ok = result.message, result.ok
    except Exception:  # the use cases could not even be imported (see dispatch)
        message, ok = failure_message(write_log(book)), False
    try:
        book.app.alert(shorten(message), title=TITLE, mode="info" if ok else "critical")
    except Exception:
        log = write_log(book)
        print(shorten(message) + "\n" + failure_message(log), file=sys.stderr)
        raise SystemExit(1) from None


def dispatch(book: XlBook) -> ActionResult:
    """The clicked button's action run on ``book``; every failure comes back as a result whose
    message is short and bilingual (the traceback is logged)."""
    # Imported here, not at the top, so that a use case module that fails to import (a missing
    # dependency on the user's PC) still ends in main()'s short message box.
    from credit_register.adapters.services import document_services
    from credit_register.app import usecases

    def failed(message: str) -> ActionResult:
        return usecases.ActionResult(ok=False, message=message, exit_code=usecases.EXIT_FAILED)

    try:
        action = clicked_action(book)
        if action is None:
            return failed(no_action_message())
        port = XlwingsWorkbook(book)
        request = usecases.request_from_dashboard(port.read(), action.key, port.selection())
        return usecases.run_action(request, port, services=document_services())
    except WorkbookError as exc:  # the user can fix it: say what, in the error's own words
        write_log(book)
        return failed(str(exc))
    except Exception:
        return failed(failure_message(write_log(book)))


def clicked_action(book: XlBook) -> dashboard.Action | None:
    """The action of the clicked button, else the one named in the Dashboard's action cell."""
    board = _dashboard_sheet(book)
    action = dashboard.action_for(_clicked_alt_text(book, board))
    if action is None and board is not None:
        try:
            action = dashboard.action_for(board.range(dashboard.ACTION.cell).value)
        except Exception:
            return None
    return action


def _clicked_alt_text(book: XlBook, board: Any) -> str | None:
    """The alt text of the shape that ran the macro, or ``None`` when it cannot be told."""
    if board is None:
        return None
    try:
        if sys.platform == "darwin":
            # Excel's AppleScript dictionary has no Application.Caller (xlwings' mac_dict names
            # none), and RunPython on macOS starts Python after the macro has returned; try in
            # case a later Excel offers it, and fall back to the action cell otherwise.
            caller = book.app.api.caller.get()
            if not isinstance(caller, str):
                return None
            return str(board.api.shapes[caller].alternative_text.get())
        # Windows: a button's name ("Button 3"); a cell reference or an error number otherwise
        caller = book.app.api.Caller
        if not isinstance(caller, str):
            return None
        return str(board.api.Shapes(caller).AlternativeText)
    except Exception:
        return None


def _dashboard_sheet(book: XlBook) -> Any:
    try:
        for sheet in book.sheets:
            found = sheet_for_name(str(sheet.name))
            if found is not None and found.key == DASHBOARD.key:
                return sheet
    except Exception:
        return None
    return None


# ---------------------------------------------------------------------- messages and the log


def no_action_message() -> str:
    cell = dashboard.ACTION.cell
    return (
        f"未能识别所点击的按钮。请在“{DASHBOARD.zh}”表的 {cell} 单元格"
        "选择要执行的操作，再点击按钮。\n"
        f"(Could not tell which button was clicked. Choose the action in cell {cell} of the"
        f" {DASHBOARD.en} sheet, then click the button again.)"
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
    else in the temp folder (a workbook on SharePoint or a read-only share has no usable
    folder); the path written, or ``None`` when neither can be written."""
    entry = f"---- {dt.datetime.now().isoformat(timespec='seconds')}\n{traceback.format_exc()}\n"
    for folder in _log_folders(book):
        path = folder / LOG_NAME
        try:
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
    folders.append(Path(tempfile.gettempdir()))
    return folders
