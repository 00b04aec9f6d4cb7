"""The workbook's macro side: the VBA project, the sheets' code names, the Dashboard's buttons.

Everything that ties the built workbook to the macros its buttons run lives here, so that the
VBA project can be changed in one place.

Decisions:

- **A VBA project of our own, shipped in the package.** ``data/vbaProject.bin`` is built from
  source by ``scripts/make_vba_project.py`` (``credit_register.tools.vba``): xlwings' own module
  (``RunPython``; from the pinned xlwings' standalone quickstart, so no ``xlwings addin install``),
  a document module for the workbook and every sheet, and the ``CreditRegister`` module with one
  parameterless macro per action. ``init`` only copies that file in: nothing is read from the
  xlwings installation at build time, and a test checks the shipped file is current.
- **A macro per button.** Each button is bound to its own macro (``CreditRegister.CR_Run`` …),
  which runs ``credit_register.excel.button('<action>')``. So any file name works (the old
  ``SampleCall`` imported a module named after the workbook, which broke on ``credit_register
  (1).xlsm`` and needed a ``<stem>.py`` beside every other name), and no button depends on Excel
  telling Python which shape was clicked. The alt text still names the action, for screen
  readers and for checks.
- **Code names.** The workbook is ``ThisWorkbook`` and the sheets ``Sheet1`` … ``SheetN`` in tab
  order, the names the project has document modules for (Excel pairs a sheet with the module of
  its code name when it opens the file).
"""

from __future__ import annotations

import io

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from credit_register.core import dashboard
from credit_register.core.schema import Language
from credit_register.tools import vba


def add_vba_project(book: xlsxwriter.Workbook) -> None:
    """The VBA project, the xlwings version whose module it carries, the workbook's code name."""
    book.set_custom_property("xlwings_version", _xlwings_version())
    book.add_vba_project(io.BytesIO(vba.shipped()), is_stream=True)
    book.set_vba_name(vba.WORKBOOK_MODULE)


def set_codename(ws: Worksheet, index: int) -> None:
    """Give the sheet at tab ``index`` (0-based) the code name of its module in the project."""
    ws.set_vba_name(vba.sheet_codenames()[index])


def button_macro(action_key: str) -> str:
    """The macro a button of ``action_key`` is bound to, wherever the button stands (the
    Dashboard, Customers, Ratings): ``CreditRegister.CR_Contract`` for ``contract``."""
    return vba.qualified_macro(action_key)


def add_buttons(ws: Worksheet, lang: Language) -> None:
    """One Dashboard button per action, each bound to that action's macro; the alt text names
    the action."""
    for number, action in enumerate(dashboard.ACTIONS):
        ws.insert_button(
            dashboard.BUTTON_FIRST_ROW + 2 * number,
            dashboard.BUTTON_COLUMN,
            {
                "macro": button_macro(action.key),
                "caption": action.caption(lang),
                "description": action.alt_text,
                "width": 230,
                "height": 32,
                "x_offset": 2,
                "y_offset": 4,
            },
        )


def _xlwings_version() -> str:
    from importlib.metadata import version

    return version("xlwings")
