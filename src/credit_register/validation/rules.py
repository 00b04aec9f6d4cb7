"""The list of rules and the run: ``RULES`` in the order that settles a cell two rules hit, and
``validate``, which runs them, keeps one issue per cell and marks the rows with an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from credit_register.core import schema
from credit_register.core.issues import Issue
from credit_register.core.register import Register, Table
from credit_register.policy import DEFAULT_POLICY
from credit_register.policy.model import DataLimits
from credit_register.validation.amounts import invoice_amounts, payment_matching
from credit_register.validation.codes import (
    currencies,
    customer_identity,
    missing_currency_columns,
)
from credit_register.validation.context import Context, Finding, Rule
from credit_register.validation.limits import data_limits
from credit_register.validation.ranges import customer_defaults, future_dates, ranges
from credit_register.validation.references import duplicate_keys, unknown_references
from credit_register.validation.statements import bureau_scores, financial_statements

#: the policy's default: a customer's latest statement older than this is stale


#: every rule, in the order that decides which issue a cell shows when two rules hit it
RULES: tuple[Rule, ...] = (
    data_limits,
    duplicate_keys,
    unknown_references,
    customer_identity,
    currencies,
    ranges,
    future_dates,
    customer_defaults,
    invoice_amounts,
    payment_matching,
    financial_statements,
    bureau_scores,
)


def validate(
    register: Register,
    *,
    base_currency: str,
    today: dt.date,
    stale_months: int = DEFAULT_POLICY.staleness.statement_months,
    limits: DataLimits | None = None,
    rules: Sequence[Rule] = RULES,
) -> list[Issue]:
    """Check ``register`` against the business rules; mark error rows; return the issues.

    One issue per offending cell, sorted by sheet (workbook order), row and column. The rows of
    every *error* get ``_error=True`` in their table's frame, so ``Table.valid`` leaves them out.
    """
    ctx = Context(
        register, base_currency, pd.Timestamp(today), stale_months, limits or DataLimits()
    )
    sheet_order = {sheet.key: n for n, sheet in enumerate(schema.ALL_SHEETS)}
    # (sheet, row, column) → (severity rank, rule order, issue): the first rule to hit a cell
    # with the gravest severity speaks for it
    by_cell: dict[tuple[int, int, int], tuple[int, int, Issue]] = {}
    for rule_order, rule in enumerate(rules):
        for finding in rule(ctx):
            table = register.tables[finding.sheet.key]
            _mark_errors(table, finding)
            column = table.positions.get(finding.column, 1 << 20)
            rank = 0 if finding.severity == "error" else 1
            rows = table.frame.loc[finding.rows, "_row"].astype(int)
            for row, zh, en in zip(rows, finding.zh, finding.en, strict=True):
                place = (sheet_order[finding.sheet.key], row, column)
                if place in by_cell and by_cell[place][:2] <= (rank, rule_order):
                    continue
                issue = Issue(
                    register.label,
                    table.name,
                    table.cell(finding.column, row),
                    finding.severity,
                    zh,
                    en,
                )
                by_cell[place] = (rank, rule_order, issue)
    for sheet, zh, en in missing_currency_columns(ctx):
        table = register.tables[sheet.key]
        issue = Issue(register.label, table.name, "1", "warning", zh, en)
        by_cell[sheet_order[sheet.key], 1, -1] = (1, len(rules), issue)
    return [by_cell[place][2] for place in sorted(by_cell)]


def _mark_errors(table: Table, finding: Finding) -> None:
    if finding.severity != "error":
        return
    if "_error" not in table.frame:
        table.frame["_error"] = False
    table.frame.loc[finding.rows, "_error"] = True
