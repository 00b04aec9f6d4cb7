"""``credit-register init``: a new register workbook, built with XlsxWriter (see :mod:`.workbook`).

``workbook`` (the entry point), ``table_sheets`` and ``dashboard_sheet`` (the sheets),
``formats`` and ``values`` (how cells look, what they hold), ``vba`` (macro and buttons).
"""

from credit_register.tools.build.workbook import build_workbook

__all__ = ["build_workbook"]
