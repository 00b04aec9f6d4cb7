"""Results → ``Changes``: the output sheets, the Issues sheet, History rows and the Dashboard's
headline figures an action writes back through the port.

One function says what a run writes (``results_changes``), so every action that computes writes
the same cells; ``aligned`` puts appended rows under the user's own column order.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from credit_register.app.outputs import output_frame
from credit_register.app.pipeline import Loaded
from credit_register.core import dashboard
from credit_register.core.issues import Issue
from credit_register.core.port import CellValue, Changes
from credit_register.core.register import Register
from credit_register.core.schema import (
    AGEING,
    ALERTS,
    GRADES,
    HISTORY,
    ISSUES,
    RATINGS,
    SHEETS,
    Language,
    Sheet,
)
from credit_register.engines import receivables
from credit_register.engines.results import Results


def issues_changes(loaded: Loaded) -> Changes:
    """The Issues sheet as the last validation run left it."""
    lang = loaded.lang
    frame = pd.DataFrame(
        {
            "place": [i.place for i in loaded.issues],
            "severity": [i.severity for i in loaded.issues],
            "message": [i.message(lang) for i in loaded.issues],
        }
    )
    return Changes(tables={ISSUES.key: output_frame(ISSUES, frame, lang)})


def summary(issues: list[Issue], lang: Language) -> str:
    errors = sum(i.severity == "error" for i in issues)
    warnings = len(issues) - errors
    if lang == "zh":
        return f"{errors} 个错误，{warnings} 个警告"
    return f"{errors} errors, {warnings} warnings"


def dashboard_outcome(loaded: Loaded, outcome: str, now: dt.datetime) -> dict[str, CellValue]:
    errors = sum(i.severity == "error" for i in loaded.issues)
    cells: dict[str, CellValue] = {
        dashboard.HEADLINE_BY_KEY["last_run"].cell: now.replace(microsecond=0),
        dashboard.HEADLINE_BY_KEY["outcome"].cell: outcome,
        dashboard.HEADLINE_BY_KEY["errors"].cell: errors,
        dashboard.HEADLINE_BY_KEY["warnings"].cell: len(loaded.issues) - errors,
    }
    return cells


def aligned(changes: Changes, register: Register) -> Changes:
    """Appended rows come in schema column order; a user may have reordered (or added) the
    columns of that sheet, so each value goes under its own header."""
    for key, rows in changes.append.items():
        table = register.tables.get(key)
        if table is None or not table.positions or not rows:
            continue
        keys = [c.key for c in SHEETS[key].columns]
        if all(table.positions.get(k) == i for i, k in enumerate(keys)):
            continue
        width = max(table.positions.values()) + 1
        moved = []
        for row in rows:  # History rows or letters: a handful per run
            out: list[CellValue] = [None] * width
            for k, value in zip(keys, row, strict=False):
                if k in table.positions:
                    out[table.positions[k]] = value
            moved.append(out)
        changes.append[key] = moved
    return changes


def _table(results: Results, sheet: Sheet, data: pd.DataFrame) -> pd.DataFrame:
    register = results.register
    return output_frame(sheet, data, register.lang, register.tables.get(sheet.key))


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
    return values


def results_changes(
    results: Results, now: dt.datetime, *, sheets: tuple[Sheet, ...], outcome: str = ""
) -> Changes:
    """The output sheets of ``sheets``, the Issues sheet, History rows and Dashboard figures."""
    loaded = Loaded(results.register, results.policy, results.issues)
    changes = issues_changes(loaded)
    frames = {RATINGS.key: results.ratings, AGEING.key: results.ageing, ALERTS.key: results.alerts}
    for sheet in sheets:
        changes.tables[sheet.key] = _table(results, sheet, frames[sheet.key])
    # History records what this action wrote: no alert statuses when Alerts is not written
    history = [*results.rating_history] if RATINGS in sheets else []
    if ALERTS in sheets:
        history.extend(results.alert_history)
    if history:
        changes.append[HISTORY.key] = history
    outcome = outcome or summary(results.issues, results.register.lang)
    cells = dashboard_outcome(loaded, outcome, now)
    cells.update(headline_cells(results))
    changes.cells["dashboard"] = cells
    return changes
