"""客户资信管理 Credit Register: customer credit risk from the workbook a credit team uses.

``main()`` is the Excel entry point: the workbook's one macro runs
``import credit_register; credit_register.main()`` (see ``excel.py``).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    # pyproject.toml holds the number; the installed package's metadata carries it here
    __version__ = version("credit-register")
except PackageNotFoundError:  # a source tree on sys.path that was never installed
    __version__ = "0+unknown"


def main() -> None:
    """Run the action of the clicked Dashboard button on the calling workbook."""
    from credit_register.excel import main as excel_main

    excel_main()
