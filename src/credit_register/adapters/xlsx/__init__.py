"""The workbook file door, headless: :class:`FileWorkbook` reads and writes the register's file.

``cells`` (cell values as XML), ``sheet_xml`` (one worksheet part), ``package`` (the zip, the
atomic replace, Excel's lock file), ``file_workbook`` (the port itself).
"""

from credit_register.adapters.xlsx.file_workbook import FileWorkbook
from credit_register.adapters.xlsx.package import backup_path, lock_path

__all__ = ["FileWorkbook", "backup_path", "lock_path"]
