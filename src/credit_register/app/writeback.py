"""Results → ``Changes``: the output sheets, the Issues sheet, History rows and the Dashboard's
headline figures an action writes back through the port.

One function says what a run writes (``results_changes``), so every action that computes writes
the same cells; ``aligned`` puts appended rows under the user's own column order.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from credit_register.app.dashboard_charts import chart_cells
from credit_register.app.outputs import excluded_customers, kept_for_excluded, output_frame
from credit_register.core import dashboard
from credit_register.core.issues import Issue
from credit_register.core.port import CellValue, Changes
from credit_register.core.register import Register
from credit_register.core.schema import (
    AGEING,
    ALERTS,
    CUSTOMERS,
    GRADES,
    HISTORY,
    ISSUES,
    OPEN_ITEMS,
    RATINGS,
    SHEETS,
    Language,
    Sheet,
)
from credit_register.engines import receivables
from credit_register.engines.alerts import FIGURE_COLUMNS
from credit_register.engines.results import Results


def issues_changes(issues: list[Issue], lang: Language) -> Changes:
    """The Issues sheet as the last validation run left it."""
    frame = pd.DataFrame(
        {
            "place": [i.place for i in issues],
            "severity": [i.severity for i in issues],
            "message": [i.message(lang) for i in issues],
        }
    )
    return Changes(tables={ISSUES.key: output_frame(ISSUES, frame, lang)}, lang=lang)


def summary(issues: list[Issue], lang: Language) -> str:
    errors = sum(i.severity == "error" for i in issues)
    warnings = len(issues) - errors
    if lang == "zh":
        return f"{errors} 个错误，{warnings} 个警告"
    return f"{errors} errors, {warnings} warnings"


def dashboard_outcome(issues: list[Issue], outcome: str, now: dt.datetime) -> dict[str, CellValue]:
    errors = sum(i.severity == "error" for i in issues)
    cells: dict[str, CellValue] = {
        dashboard.HEADLINE_BY_KEY["last_run"].cell: now.replace(microsecond=0),
        dashboard.HEADLINE_BY_KEY["outcome"].cell: outcome,
        dashboard.HEADLINE_BY_KEY["errors"].cell: errors,
        dashboard.HEADLINE_BY_KEY["warnings"].cell: len(issues) - errors,
    }
    return cells


def aligned(changes: Changes, register: Register) -> Changes:
    """``changes`` made ready for a door: in the workbook's language, and with appended rows
    (built in schema column order) moved under their own headers, since a user may have
    reordered (or added) the columns of that sheet. Every action passes its changes through here
    before ``port.apply``, so no adapter works the language or the column order out again."""
    changes.lang = register.lang
    for key, rows in changes.append.items():
        sheet = SHEETS[key]
        table = register.tables.get(key)
        changes.headers[key] = sheet.headers(register.lang)
        if table is None or not table.present or not table.positions or not rows:
            continue
        keys = [c.key for c in sheet.columns]
        width = max(table.positions.values()) + 1
        by_position = {i: sheet.column(k).header(register.lang) for k, i in table.positions.items()}
        changes.headers[key] = [by_position.get(i, "") for i in range(width)]
        if all(table.positions.get(k) == i for i, k in enumerate(keys)):
            continue
        # an import appends hundreds of thousands of rows: moved a column at a time
        source = np.full((len(rows), len(keys)), None, dtype=object)
        try:
            source[:] = [list(row) + [None] * (len(keys) - len(row)) for row in rows]
        except ValueError:  # a cell that is itself a sequence: row by row
            for at, row in enumerate(rows):
                source[at, : len(row)] = list(row)[: len(keys)]
        out = np.full((len(rows), width), None, dtype=object)
        for index, k in enumerate(keys):
            if k in table.positions:
                out[:, table.positions[k]] = source[:, index]
        changes.append[key] = out.tolist()
    return changes


def alerts_with_figures(alerts: pd.DataFrame) -> pd.DataFrame:
    """The Alerts sheet's value and threshold as numbers where they are measured figures (the
    engine's ``value_number``/``threshold_number``, or a number a previous run wrote), so a user
    sorts and filters them and the sheet formats them; text where they are not (a grade move
    ``BB→B``, a deadline's date)."""
    out = alerts.copy()
    for text, number in (("value", FIGURE_COLUMNS[0]), ("threshold", FIGURE_COLUMNS[1])):
        if text not in out:
            continue
        earlier = pd.to_numeric(out[text], errors="coerce")  # kept from the sheet: "45", "0.953"
        chosen = earlier
        if number in out:
            figures = pd.to_numeric(out[number], errors="coerce")
            chosen = figures.where(figures.notna(), earlier)
        chosen = chosen.where(np.isfinite(chosen.to_numpy(dtype=float)))  # ∞ stays text
        out[text] = out[text].astype(object).where(chosen.isna(), chosen.astype(object))
    return out


def _table(results: Results, sheet: Sheet, data: pd.DataFrame) -> pd.DataFrame:
    register = results.register
    previous = register.tables.get(sheet.key)
    # a customer left out for a data error keeps its rows, and the user's columns beside them
    excluded = excluded_customers(register.tables.get(CUSTOMERS.key))
    data = kept_for_excluded(sheet, data, previous, excluded, register.lang)
    return output_frame(sheet, data, register.lang, previous)


def headline_cells(results: Results) -> dict[str, CellValue]:
    """The Dashboard's headline figures (base currency)."""
    cell = {f.key: f.cell for f in dashboard.HEADLINES}
    exposure = results.exposure
    whole = receivables.portfolio(results.items, results.policy, results.as_of)
    values: dict[str, CellValue] = {
        cell["total_exposure"]: round(float(exposure["exposure_base"].sum()), 2)
        if not exposure.empty
        else 0.0,
        cell["overdue_pct"]: 0.0
        if math.isnan(whole.overdue_share)
        else round(whole.overdue_share, 4),
        cell["dso"]: None if math.isnan(whole.dso) else round(whole.dso, 1),
    }
    severities = (
        results.alerts.loc[~results.alerts["status"].isin(["closed", "resolved"]), "severity"]
        if not results.alerts.empty
        else pd.Series(dtype=object)
    )
    for level in ("info", "warning", "block"):
        values[cell[f"alerts_{level}"]] = int((severities == level).sum())
    grades = results.ratings["grade"] if not results.ratings.empty else pd.Series(dtype=object)
    for grade in GRADES:
        values[cell[f"grade_{grade}"]] = int((grades == grade).sum())
    net = exposure["net_exposure_base"].sum() if not exposure.empty else 0.0
    values[cell["net_exposure"]] = round(float(net), 2)
    if results.hold is not None:
        held = results.hold.customers
        values[cell["on_hold"]] = int(held["credit_hold"].sum())
        # counted from the hold's own group reasons: the Dashboard says what the decision says
        reasons = results.hold.reasons
        over = reasons.loc[reasons["reason"] == "group_over", "customer_id"].unique()
        values[cell["groups_over"]] = int(held["group"].reindex(over).nunique())
    return values


def results_changes(
    results: Results, now: dt.datetime, *, sheets: tuple[Sheet, ...], outcome: str = ""
) -> Changes:
    """The output sheets of ``sheets``, the Issues sheet, History rows and Dashboard figures:
    everything from ``results`` alone."""
    changes = issues_changes(results.issues, results.register.lang)
    frames = {
        RATINGS.key: results.ratings,
        AGEING.key: results.ageing,
        OPEN_ITEMS.key: results.open_items,
        ALERTS.key: alerts_with_figures(results.alerts),
    }
    for sheet in sheets:
        changes.tables[sheet.key] = _table(results, sheet, frames[sheet.key])
    # History records what this action wrote: no alert statuses when Alerts is not written
    history = [*results.rating_history] if RATINGS in sheets else []
    if ALERTS in sheets:
        history.extend(results.alert_history)
    if history:
        changes.append[HISTORY.key] = history
    outcome = outcome or summary(results.issues, results.register.lang)
    cells = dashboard_outcome(results.issues, outcome, now)
    cells.update(headline_cells(results))
    cells.update(chart_cells(results))
    changes.cells["dashboard"] = cells
    return changes
