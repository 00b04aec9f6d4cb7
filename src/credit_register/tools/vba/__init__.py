"""The workbook's VBA project: built from source by a script, shipped as package data.

``credit-register init`` puts ``data/vbaProject.bin`` into every workbook it builds, so a user's PC
needs nothing beyond the installed package. ``scripts/make_vba_project.py`` writes that file from
``build()``; a test builds it again and compares the bytes, so the shipped file never drifts from
its sources (xlwings' module, the macros in ``macros.py``, the sheets in ``core.schema``).

- ``ovba``: MS-OVBA compression, in which the project stores its source.
- ``dir_stream``: the project's ``dir`` stream (references and modules).
- ``cfb``: the compound file that holds it all.
- ``project``: the project itself; ``macros``: our module of macros.
"""

from __future__ import annotations

from importlib import resources

from credit_register.core.schema import ALL_SHEETS
from credit_register.tools.vba.macros import MODULE, macro_name, qualified_macro
from credit_register.tools.vba.project import WORKBOOK_MODULE

#: where the built project ships, inside the package
DATA_FILE = "vbaProject.bin"

__all__ = [
    "DATA_FILE",
    "MODULE",
    "WORKBOOK_MODULE",
    "build",
    "macro_name",
    "qualified_macro",
    "sheet_codenames",
    "shipped",
]


def sheet_codenames() -> tuple[str, ...]:
    """The code name of each sheet, in tab order: ``Sheet1`` … as Excel names them. The builder
    gives the sheets these names and the project has a document module for each."""
    return tuple(f"Sheet{number}" for number in range(1, len(ALL_SHEETS) + 1))


def build() -> bytes:
    """The project as ``scripts/make_vba_project.py`` ships it (needs xlwings and olefile)."""
    from credit_register.tools.vba.project import build_project

    return build_project(sheet_codenames())


def shipped() -> bytes:
    """The shipped ``vbaProject.bin``."""
    return (resources.files("credit_register") / "data" / DATA_FILE).read_bytes()
