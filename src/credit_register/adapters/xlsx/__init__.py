"""The workbook file door, headless: :class:`FileWorkbook` reads and writes the register's file.

``cells`` (cell values as XML), ``sheet_xml`` (one worksheet part), ``package`` (the zip, the
atomic replace), ``guard`` (whether the file may be written: Excel's lock file, read-only, links,
owner), ``bounds`` and ``reading`` (reading within limits), ``journal`` (deliveries not yet
written), ``file_workbook`` (the port itself).
"""

from credit_register.adapters.register_lock import backups
from credit_register.adapters.xlsx.file_workbook import FileWorkbook
from credit_register.adapters.xlsx.guard import lock_path

__all__ = ["FileWorkbook", "backups", "lock_path"]
