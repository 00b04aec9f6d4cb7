"""The core ring: the register's schema, typed values, reading raw sheets into validated tables,
the workbook port, issues, and the small facts every ring shares (Excel cells, bilingual text).

Imports nothing above it.
"""
