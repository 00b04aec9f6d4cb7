"""客户资信管理 Credit Register: customer credit risk from the workbook a credit team uses.

The workbook's buttons run ``credit_register.excel.button(<action>)``, one macro per button
(see ``excel.py``); ``main()`` runs the action named in the Dashboard's action cell, for a user's
own macro: ``RunPython "import credit_register; credit_register.main()"``.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    # pyproject.toml holds the number; the installed package's metadata carries it here
    __version__ = version("credit-register")
except PackageNotFoundError:  # a source tree on sys.path that was never installed
    __version__ = "0+unknown"


def main() -> None:
    """Run the action named in the Dashboard's action cell (C4) on the calling workbook."""
    from credit_register.excel import main as excel_main

    excel_main()
