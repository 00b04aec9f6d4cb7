"""Bringing data in from ERP, accounting and CRM exports (Kingdee, Yonyou, Digiwin, SAP, Oracle,
QuickBooks/Xero, or the register's own sheets saved elsewhere).

An export is a table somebody else laid out: title rows above the header, two-row headers,
subtotal rows, currencies by name, amounts in 万元, customers by short name. This package turns
one into the register's columns — pure functions from raw cells to a frame and issues — and
remembers how (a mapping a user can name and edit). Writing the rows into the register is the
use case's job (``app``), through the workbook port.
"""
