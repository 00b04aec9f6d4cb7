"""The workbook's macro side: the VBA project, the Dashboard's buttons, the companion module.

Everything that ties the built workbook to the macro its buttons run lives here, so that the
VBA project can be changed in one place.

Decisions:

- **VBA: xlwings' standalone quickstart.** The ``xl/vbaProject.bin`` is read at build time from the
  ``quickstart_standalone.xlsm`` that the *installed* xlwings package ships (never copied into this
  repository). It embeds the full xlwings VBA module, pinned to the installed xlwings version, so a
  finance user does not need ``xlwings addin install`` (the plain quickstart references the add-in,
  a second install step on every PC). Its one macro is ``Module1.SampleCall``, which runs
  ``RunPython "import <workbook name>;<workbook name>.main()"``; the template's codenames are
  ``ThisWorkbook`` and ``Sheet1``/``Sheet2`` (XlsxWriter names our sheets ``Sheet1``…``SheetN``,
  Excel adds the missing document modules on open). Every Dashboard button is bound to
  ``SampleCall``; ``credit_register.main()`` tells the buttons apart by their alt text.
- **The companion module.** Because the macro imports the workbook's own name, a workbook saved as
  ``<stem>.xlsm`` needs a module ``<stem>.py`` beside it (xlwings puts the workbook's folder on
  ``sys.path``). For ``credit_register.xlsm`` the installed package itself answers; for any other
  name ``build_workbook`` writes the one-line ``<stem>.py`` (``from credit_register import main``).
  So the stem must be a Python identifier, and a different ``<stem>.py`` already there is never
  replaced (it is the user's own script).
"""

from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from credit_register.core import dashboard
from credit_register.core.schema import Language

#: the one macro of xlwings' quickstart workbooks; every button runs it
MACRO = "SampleCall"
VBA_TEMPLATE = "quickstart_standalone.xlsm"
WORKBOOK_CODENAME = "ThisWorkbook"
#: the engine-facing name of a workbook whose macro needs no companion module
PACKAGE_STEM = "credit_register"


def companion_module(stem: str) -> str:
    """The ``<stem>.py`` that lets the macro's ``import <stem>; <stem>.main()`` find the engine."""
    return (
        f'"""Excel entry point of {stem}.xlsm: its buttons run `import {stem}; {stem}.main()`."""\n'
        "\n"
        "from credit_register import main  # noqa: F401\n"
    )


def vba_project_bytes() -> bytes:
    """``xl/vbaProject.bin`` of the installed xlwings package's standalone quickstart workbook."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise RuntimeError("xlwings is not installed: the workbook's buttons need its VBA module")
    template = Path(spec.origin).parent / VBA_TEMPLATE
    with zipfile.ZipFile(template) as archive:
        return archive.read("xl/vbaProject.bin")


def add_vba_project(book: xlsxwriter.Workbook) -> None:
    """The VBA project, the xlwings version it carries, and the codename its macro expects."""
    book.set_custom_property("xlwings_version", _xlwings_version())
    book.add_vba_project(io.BytesIO(vba_project_bytes()), is_stream=True)
    book.set_vba_name(WORKBOOK_CODENAME)


def add_buttons(ws: Worksheet, lang: Language) -> None:
    """One Dashboard button per action, each running :data:`MACRO`; the alt text names it."""
    for number, action in enumerate(dashboard.ACTIONS):
        ws.insert_button(
            dashboard.BUTTON_FIRST_ROW + 2 * number,
            dashboard.BUTTON_COLUMN,
            {
                "macro": MACRO,
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
